/* Model loading and interpreter API: a valid built model, each malformed-model
 * case with its own error, truncation and byte-flip sweeps (run under ASan in
 * `make test`), file errors, and interpreter state errors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "tfl.h"
#include "unit/model_builder.h"

static fbb B;

static tfl_model *load_spec(const model_spec *s, tfl_error *err)
{
    size_t n = build_model(&B, s);
    return tfl_model_load_buffer(B.buf, n, err);
}

static void expect_bad(const model_spec *s, tfl_status status, const char *needle)
{
    tfl_error err;
    tfl_model *m = load_spec(s, &err);
    CHECK(m == NULL);
    CHECK_EQ_INT(err.status, status);
    CHECK_CONTAINS(err.message, needle);
    tfl_model_free(m);
}

static void test_valid_model(void)
{
    model_spec s = model_spec_default();
    tfl_error err;
    tfl_model *m = load_spec(&s, &err);
    CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "%s\n", err.message);
        return;
    }
    CHECK_EQ_INT(tfl_model_schema_version(m), 3);
    CHECK(strcmp(tfl_model_description(m), "test model") == 0);
    CHECK_EQ_INT(tfl_model_num_subgraphs(m), 1);
    CHECK(strcmp(tfl_model_subgraph_name(m, 0), "main") == 0);
    CHECK(tfl_model_subgraph_name(m, 1) == NULL);
    CHECK_EQ_INT(tfl_model_num_ops(m, 0), 1);
    tfl_op_info op;
    CHECK_EQ_INT(tfl_model_op(m, 0, 0, &op), TFL_OK);
    CHECK(strcmp(op.name, "ADD") == 0);
    CHECK_EQ_INT(op.num_inputs, 2);
    CHECK_EQ_INT(op.outputs[0], 2);
    CHECK_EQ_INT(tfl_model_op(m, 0, 1, &op), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(tfl_model_num_metadata(m), 0);
    CHECK(tfl_model_find_metadata(m, "TFLITE_METADATA", NULL) == NULL);
    tfl_model_free(m);
}

static void test_file_errors(void)
{
    tfl_error err;
    CHECK(tfl_model_load_file("/nonexistent/model.tflite", &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_IO);
    CHECK_CONTAINS(err.message, "cannot open '/nonexistent/model.tflite'");
    CHECK(tfl_model_load_file(".", &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_IO);
    CHECK_CONTAINS(err.message, "directory");
    char path[] = "/tmp/tfl_test_emptyXXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        close(fd);
        CHECK(tfl_model_load_file(path, &err) == NULL);
        CHECK_EQ_INT(err.status, TFL_ERROR_BAD_MODEL);
        CHECK_CONTAINS(err.message, "empty");
        unlink(path);
    }
    CHECK(tfl_model_load_file(NULL, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_INVALID_ARGUMENT);
    CHECK(tfl_model_load_buffer(NULL, 10, &err) == NULL);
    tfl_model_free(NULL);
    tfl_interpreter_free(NULL);
}

static void test_not_a_model(void)
{
    tfl_error err;
    static const char text[] = "hello, this is a text file and not a model";
    CHECK(tfl_model_load_buffer(text, sizeof text, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(err.message, "file identifier is 'o, t'");
    CHECK(tfl_model_load_buffer(text, 7, &err) == NULL);
    CHECK_CONTAINS(err.message, "too small");
    CHECK(tfl_model_load_buffer(text, 0, &err) == NULL);
    CHECK_CONTAINS(err.message, "too small");
    uint8_t root_out[16] = {0xF0, 0xFF, 0, 0, 'T', 'F', 'L', '3'};
    CHECK(tfl_model_load_buffer(root_out, sizeof root_out, &err) == NULL);
    CHECK_CONTAINS(err.message, "root table");
}

static void test_malformed_fields(void)
{
    model_spec s = model_spec_default();
    s.opcode_index = 3;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "operator 0 uses opcode 3 (model has 1)");
    s = model_spec_default();
    s.in1 = 7;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "input of operator 0 refers to tensor 7");
    s = model_spec_default();
    s.out = -1;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "output of operator 0 refers to tensor -1");
    s = model_spec_default();
    s.graph_input = 3;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "input of subgraph 0 refers to tensor 3");
    s = model_spec_default();
    s.dims[1] = -2;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "negative dimension -2");
    s = model_spec_default();
    s.const_bytes = 20;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "constant data has 20 bytes, shape needs 24");
    s = model_spec_default();
    s.const_buffer = 9;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "buffer index 9 out of range");
    s = model_spec_default();
    s.num_scales = 4;
    s.quantized_dimension = 2;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "4 per-channel scales do not match dimension 2");
    s = model_spec_default();
    s.num_scales = 3;
    s.quantized_dimension = 7;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "per-channel scales do not match dimension 7");
    s = model_spec_default();
    s.buffer_offset = 1u << 20;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "buffer 1 lies outside the file");
    s = model_spec_default();
    s.ndim = 9;
    for (int i = 0; i < 9; ++i)
        s.dims[i] = 1;
    expect_bad(&s, TFL_ERROR_UNSUPPORTED, "rank 9");
}

static void test_external_buffer(void)
{
    /* Large models keep weights after the flatbuffer (Buffer.offset/size). */
    model_spec s = model_spec_default();
    s.buffer_offset = 60000;
    size_t n = build_model(&B, &s);
    CHECK(n < 60000);
    float vals[6] = {1, 2, 3, 4, 5, 6};
    memcpy(B.buf + 60000, vals, sizeof vals);
    tfl_error err;
    tfl_model *m = tfl_model_load_buffer(B.buf, 60000 + sizeof vals, &err);
    CHECK(m != NULL);
    if (!m)
        fprintf(stderr, "%s\n", err.message);
    tfl_model_free(m);
}

/* Every prefix of a valid model: loads fail cleanly (or succeed), never crash. */
static void test_truncation_sweep(void)
{
    model_spec s = model_spec_default();
    size_t n = build_model(&B, &s);
    uint8_t *copy = malloc(n);
    int failures = 0;
    for (size_t len = 0; len < n; ++len) {
        memcpy(copy, B.buf, len);
        tfl_error err;
        /* An exact-size heap copy lets ASan catch any read past the end. */
        uint8_t *exact = malloc(len ? len : 1);
        memcpy(exact, copy, len);
        tfl_model *m = tfl_model_load_buffer(exact, len, &err);
        if (!m) {
            ++failures;
            CHECK(err.message[0] != 0);
        }
        tfl_model_free(m);
        free(exact);
    }
    CHECK(failures > (int)n / 2);
    free(copy);
}

/* Each byte set to several hostile values: load and, when it loads, create,
 * allocate and invoke. Nothing may crash or read out of bounds. */
static void test_byte_flip_sweep(void)
{
    model_spec s = model_spec_default();
    size_t n = build_model(&B, &s);
    static const uint8_t values[] = {0x00, 0xFF, 0x7F, 0x80, 0x01, 0x10};
    uint8_t *copy = malloc(n);
    int invoked = 0; /* variants that got as far as invoke: the sweep reaches the runtime */
    for (size_t i = 0; i < n; ++i) {
        for (size_t v = 0; v < sizeof values; ++v) {
            memcpy(copy, B.buf, n);
            copy[i] = values[v];
            tfl_error err;
            tfl_model *m = tfl_model_load_buffer(copy, n, &err);
            if (!m)
                continue;
            tfl_options opt = tfl_options_default();
            opt.max_memory = 1 << 20; /* flipped dims must not drive huge allocations */
            tfl_interpreter *it = tfl_interpreter_create(m, &opt, &err);
            if (it && tfl_interpreter_allocate(it) == TFL_OK) {
                tfl_interpreter_invoke(it);
                ++invoked;
            }
            tfl_interpreter_free(it);
            tfl_model_free(m);
        }
    }
    free(copy);
    /* Most single-byte changes hit names, padding or data and still run. */
    CHECK(invoked > (int)n);
}

/* A model at an odd address: constants get an aligned copy, results hold. */
static void test_misaligned_buffer(void)
{
    model_spec s = model_spec_default();
    size_t n = build_model(&B, &s);
    uint8_t *raw = malloc(n + 1);
    memcpy(raw + 1, B.buf, n);
    tfl_error err;
    tfl_model *m = tfl_model_load_buffer(raw + 1, n, &err);
    CHECK(m != NULL);
    tfl_interpreter *it = m ? tfl_interpreter_create(m, NULL, &err) : NULL;
    CHECK(it != NULL);
    if (it && tfl_interpreter_allocate(it) == TFL_OK) {
        const float *c = tfl_tensor_data(tfl_interpreter_tensor(it, 1));
        CHECK(((uintptr_t)c % 4) == 0);
        float x[6] = {1, 1, 1, 1, 1, 1}, y[6];
        CHECK_EQ_INT(tfl_tensor_copy_from(tfl_interpreter_input(it, 0), x, sizeof x), TFL_OK);
        CHECK_EQ_INT(tfl_interpreter_invoke(it), TFL_OK);
        CHECK_EQ_INT(tfl_tensor_copy_to(tfl_interpreter_output(it, 0), y, sizeof y), TFL_OK);
        CHECK_NEAR(y[5], 6.0, 0);
    }
    tfl_interpreter_free(it);
    tfl_model_free(m);
    free(raw);
}

static void test_memory_limit(void)
{
    model_spec s = model_spec_default();
    tfl_error err;
    tfl_model *m = load_spec(&s, &err);
    tfl_options opt = tfl_options_default();
    opt.max_memory = 16;
    tfl_interpreter *it = tfl_interpreter_create(m, &opt, &err);
    CHECK(it != NULL);
    CHECK_EQ_INT(tfl_interpreter_allocate(it), TFL_ERROR_NO_MEMORY);
    CHECK_CONTAINS(tfl_interpreter_last_error(it), "more than the 16-byte memory limit");
    tfl_interpreter_free(it);
    tfl_model_free(m);
    s.dims[0] = 1 << 20;
    s.dims[1] = 1 << 20;
    s.dims[2] = 1 << 20;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "absurd shape");
}

/* A scale is a finite step size >= 0: NaN, infinite or negative ones
 * would make every rescale derived from it meaningless. */
static void test_scale_range(void)
{
    model_spec s = model_spec_default();
    s.num_scales = 1;
    s.tensor_type = TFL_INT8;
    s.const_bytes = 6;
    tfl_error err;
    s.scale = 0.0f; /* a constant tensor of zeros can have it */
    tfl_model *m = load_spec(&s, &err);
    CHECK(m != NULL);
    tfl_model_free(m);
    s.scale = INFINITY;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "tensor 0 'a': quantization scale inf is not a finite");
    s.scale = NAN;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "quantization scale nan is not a finite non-negative");
    s.scale = -0.25f;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "quantization scale -0.25 is not a finite non-negative");
}

/* A zero point must be a value of its tensor's type (the kernels' integer
 * arithmetic relies on it): 128 does not fit int8, -1 not uint8. */
static void test_zero_point_range(void)
{
    model_spec s = model_spec_default();
    s.num_scales = 1;
    s.tensor_type = TFL_INT8;
    s.const_bytes = 6;
    s.zero_point = 127;
    tfl_error err;
    tfl_model *m = load_spec(&s, &err);
    CHECK(m != NULL);
    tfl_model_free(m);
    s.zero_point = 128;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "zero point 128 is outside the range of int8");
    s.zero_point = -2147483648LL;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "zero point -2147483648 is outside the range of int8");
    s.tensor_type = TFL_UINT8;
    s.zero_point = -1;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "zero point -1 is outside the range of uint8");
    s.tensor_type = TFL_INT32;
    s.const_bytes = 24;
    s.zero_point = -2147483648LL;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "outside the range of int32");
}

/* A signature may only name an existing subgraph (no index a later op could
 * follow out of range); an op may not write into a constant tensor. */
static void test_graph_references(void)
{
    model_spec s = model_spec_default();
    s.with_signature = 1;
    tfl_error err;
    tfl_model *m = load_spec(&s, &err);
    CHECK(m != NULL);
    CHECK_EQ_INT(tfl_model_num_signatures(m), 1);
    tfl_model_free(m);
    s.signature_subgraph = 1;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "signature 'serving_default' refers to subgraph 1");
    s.signature_subgraph = 0xffffffffu;
    expect_bad(&s, TFL_ERROR_BAD_MODEL, "refers to subgraph 4294967295");

    /* Data flow: a kernel must never see a shape other than its prepare's. */
    s = model_spec_default();
    s.out = 0; /* ADD writing its own graph input */
    m = load_spec(&s, &err);
    CHECK(m && !tfl_interpreter_create(m, NULL, &err));
    CHECK_CONTAINS(err.message, "node 0 writes tensor 0, an input of the graph");
    tfl_model_free(m);
    s = model_spec_default();
    s.graph_input = 1; /* tensor 0 is then a plain activation */
    s.const_buffer = 0;
    s.out = 0; /* ... that ADD reads and writes in place */
    m = load_spec(&s, &err);
    CHECK(m && !tfl_interpreter_create(m, NULL, &err));
    CHECK_EQ_INT(err.status, TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(err.message, "node 0 reads tensor 0 before node 0 writes it");
    tfl_model_free(m);

    s = model_spec_default();
    s.out = 1; /* ADD writing into the constant tensor "b"... */
    s.in1 = 2; /* ... reading the unwritten "sum" instead */
    m = load_spec(&s, &err);
    CHECK(m != NULL);
    CHECK(tfl_interpreter_create(m, NULL, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(err.message, "ADD (node 0): output 0 (tensor 1) is a constant");
    tfl_model_free(m);
}

/* One invoke's declared work is checked at allocate against max_work. */
static void test_work_limit(void)
{
    model_spec s = model_spec_default();
    tfl_error err;
    tfl_model *m = load_spec(&s, &err);
    tfl_options opt = tfl_options_default();
    opt.max_work = 10; /* ADD of 6 + 6 -> 6 elements needs 19 */
    tfl_interpreter *it = tfl_interpreter_create(m, &opt, &err);
    CHECK(it != NULL);
    CHECK_EQ_INT(tfl_interpreter_allocate(it), TFL_ERROR_LIMIT);
    CHECK_CONTAINS(tfl_interpreter_last_error(it), "ADD (node 0): the graph needs at least 19 "
                                                   "operations per invoke, more than the limit of 10");
    CHECK_CONTAINS(tfl_interpreter_last_error(it), "tfl_options.max_work");
    CHECK(strcmp(tfl_status_name(TFL_ERROR_LIMIT), "limit exceeded") == 0);
    tfl_interpreter_free(it);
    opt.max_work = 0;
    opt.num_threads = 1025;
    CHECK(tfl_interpreter_create(m, &opt, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "num_threads 1025 is more than 1024");
    opt.num_threads = 1;
    opt.isa = "avx9000";
    CHECK(tfl_interpreter_create(m, &opt, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "isa option 'avx9000' is not an instruction set");
    setenv("TFL_ISA", "sse1", 1);
    opt.isa = NULL;
    CHECK(tfl_interpreter_create(m, &opt, &err) == NULL);
    CHECK_CONTAINS(err.message, "TFL_ISA 'sse1' is not an instruction set");
    unsetenv("TFL_ISA");
    opt.isa = "ref";
    opt.max_work = 19;
    it = tfl_interpreter_create(m, &opt, &err);
    CHECK_EQ_INT(tfl_interpreter_allocate(it), TFL_OK);
    CHECK_EQ_INT(tfl_interpreter_invoke(it), TFL_OK);
    CHECK_EQ_INT(tfl_model_packed_bytes(m), 0); /* ADD packs nothing */
    tfl_interpreter_free(it);
    tfl_model_free(m);
}

static void test_unsupported_op(void)
{
    model_spec s = model_spec_default();
    s.opcode_builtin = 206; /* STABLEHLO_COMPOSITE */
    tfl_error err;
    tfl_model *m = load_spec(&s, &err);
    CHECK(m != NULL);
    tfl_op_info op;
    CHECK_EQ_INT(tfl_model_op(m, 0, 0, &op), TFL_OK);
    CHECK(!op.supported);
    CHECK(tfl_interpreter_create(m, NULL, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(err.message, "STABLEHLO_COMPOSITE (node 0): op is not supported");
    tfl_model_free(m);
    s = model_spec_default();
    s.opcode_version = 99;
    m = load_spec(&s, &err);
    CHECK(tfl_interpreter_create(m, NULL, &err) == NULL);
    CHECK_CONTAINS(err.message, "ADD (node 0): version 99 is not supported");
    tfl_model_free(m);
}

static void test_interpreter_flow(void)
{
    model_spec s = model_spec_default();
    tfl_error err;
    tfl_model *m = load_spec(&s, &err);
    CHECK(m != NULL);
    tfl_options opt = tfl_options_default();
    opt.subgraph = 4;
    CHECK(tfl_interpreter_create(m, &opt, &err) == NULL);
    CHECK_CONTAINS(err.message, "subgraph 4 out of range");
    tfl_interpreter *it = tfl_interpreter_create(m, NULL, &err);
    CHECK(it != NULL);
    if (!it) {
        fprintf(stderr, "%s\n", err.message);
        tfl_model_free(m);
        return;
    }
    CHECK_EQ_INT(tfl_interpreter_invoke(it), TFL_ERROR_STATE);
    CHECK_CONTAINS(tfl_interpreter_last_error(it), "before allocate");
    CHECK_EQ_INT(tfl_interpreter_num_inputs(it), 1);
    CHECK_EQ_INT(tfl_interpreter_num_outputs(it), 1);
    CHECK(tfl_interpreter_input(it, 1) == NULL);
    tfl_tensor *in = tfl_interpreter_input(it, 0);
    float x[6] = {10, 20, 30, 40, 50, 60};
    CHECK_EQ_INT(tfl_tensor_copy_from(in, x, sizeof x), TFL_ERROR_STATE);
    CHECK_EQ_INT(tfl_interpreter_allocate(it), TFL_OK);
    CHECK(tfl_interpreter_arena_size(it) >= 48);
    CHECK_EQ_INT(tfl_tensor_copy_from(in, x, 8), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(tfl_interpreter_last_error(it),
                   "input 0 'a' expects float32[1,2,3] (24 bytes), got 8 bytes");
    CHECK_EQ_INT(tfl_tensor_copy_from(in, x, sizeof x), TFL_OK);
    /* The constant input is used in place, inside the model bytes. */
    tfl_tensor *c = tfl_interpreter_tensor(it, 1);
    CHECK(tfl_tensor_is_constant(c));
    size_t msize;
    const uint8_t *mb = tfl_model_bytes(m, &msize);
    CHECK((const uint8_t *)tfl_tensor_data(c) >= mb &&
          (const uint8_t *)tfl_tensor_data(c) < mb + msize);
    CHECK_EQ_INT(tfl_tensor_copy_from(c, x, sizeof x), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(tfl_interpreter_invoke(it), TFL_OK);
    float y[6];
    CHECK_EQ_INT(tfl_tensor_copy_to(tfl_interpreter_output(it, 0), y, sizeof y), TFL_OK);
    for (int i = 0; i < 6; ++i)
        CHECK_NEAR(y[i], x[i] + (float)i, 0);
    /* Inputs survive invoke and a repeated allocate (nothing changed). */
    float x2[6];
    CHECK_EQ_INT(tfl_interpreter_allocate(it), TFL_OK);
    CHECK_EQ_INT(tfl_interpreter_invoke(it), TFL_OK);
    CHECK_EQ_INT(tfl_tensor_copy_to(in, x2, sizeof x2), TFL_OK);
    CHECK(memcmp(x, x2, sizeof x) == 0);
    CHECK_EQ_INT(tfl_tensor_copy_to(tfl_interpreter_output(it, 0), y, 4),
                 TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(tfl_interpreter_last_error(it), "output 0 'sum' holds float32[1,2,3]");
    /* Resizing requires allocate before the next invoke. */
    int32_t dims[3] = {1, 2, 3};
    CHECK_EQ_INT(tfl_interpreter_resize_input(it, 0, dims, 3), TFL_OK);
    CHECK_EQ_INT(tfl_interpreter_invoke(it), TFL_OK); /* same shape: still allocated */
    int32_t bad[3] = {1, -2, 3};
    CHECK_EQ_INT(tfl_interpreter_resize_input(it, 0, bad, 3), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(tfl_interpreter_last_error(it), "negative");
    CHECK_EQ_INT(tfl_interpreter_resize_input(it, 2, dims, 3), TFL_ERROR_INVALID_ARGUMENT);
    int32_t bigger[3] = {2, 2, 3};
    CHECK_EQ_INT(tfl_interpreter_resize_input(it, 0, bigger, 3), TFL_OK);
    CHECK_EQ_INT(tfl_interpreter_invoke(it), TFL_ERROR_STATE);
    /* [2,2,3] + constant [1,2,3] broadcasts. */
    CHECK_EQ_INT(tfl_interpreter_allocate(it), TFL_OK);
    CHECK_EQ_INT(tfl_tensor_byte_size(tfl_interpreter_output(it, 0)), 48);
    /* Two interpreters share one model. */
    tfl_interpreter *it2 = tfl_interpreter_create(m, NULL, &err);
    CHECK(it2 != NULL);
    CHECK_EQ_INT(tfl_interpreter_allocate(it2), TFL_OK);
    CHECK_EQ_INT(tfl_tensor_byte_size(tfl_interpreter_output(it2, 0)), 24);
    tfl_interpreter_free(it2);
    tfl_interpreter_free(it);
    tfl_model_free(m);
}

TFL_TEST_MAIN(TEST(test_valid_model), TEST(test_file_errors), TEST(test_not_a_model),
              TEST(test_malformed_fields), TEST(test_external_buffer),
              TEST(test_truncation_sweep), TEST(test_byte_flip_sweep), TEST(test_memory_limit), TEST(test_zero_point_range),
              TEST(test_scale_range), TEST(test_work_limit), TEST(test_graph_references), TEST(test_misaligned_buffer),
              TEST(test_unsupported_op), TEST(test_interpreter_flow))
