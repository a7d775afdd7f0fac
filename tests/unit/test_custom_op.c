/* The public custom-op API: a resolver's op runs for the model's CUSTOM
 * node (init with its options and state, prepare sizing the output, invoke
 * computing, free), replaces tfl's own op of the same name, reports errors
 * as "NAME (node 0): ...", sizes a dynamic output at invoke, and without a
 * resolver the node is refused as before. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "tfl.h"
#include "unit/model_builder.h"

typedef struct counts {
    int init, prepare, invoke, free;
} counts;

/* out = scale * (a + b), scale from the state init made. */
static tfl_status scaled_add_init(tfl_op_context *c)
{
    counts *n = tfl_op_user_data(c);
    n->init++;
    float *scale = malloc(sizeof *scale);
    if (!scale)
        return tfl_op_fail(c, TFL_ERROR_NO_MEMORY, "out of memory");
    *scale = 3.0f;
    tfl_op_set_state(c, scale);
    return TFL_OK;
}

static tfl_status scaled_add_prepare(tfl_op_context *c)
{
    counts *n = tfl_op_user_data(c);
    n->prepare++;
    if (tfl_op_num_inputs(c) != 2 || tfl_op_num_outputs(c) != 1)
        return tfl_op_fail(c, TFL_ERROR_BAD_MODEL, "expects 2 inputs and 1 output");
    const tfl_tensor *a = tfl_op_input(c, 0);
    if (tfl_tensor_type(a) != TFL_FLOAT32)
        return tfl_op_fail(c, TFL_ERROR_UNSUPPORTED, "float32 only, got %s",
                           tfl_type_name(tfl_tensor_type(a)));
    return tfl_op_resize_output(c, 0, tfl_tensor_dims(a), tfl_tensor_ndim(a));
}

static tfl_status scaled_add_invoke(tfl_op_context *c)
{
    counts *n = tfl_op_user_data(c);
    n->invoke++;
    const float scale = *(const float *)tfl_op_state(c);
    const float *a = tfl_tensor_data(tfl_op_input(c, 0)), *b = tfl_tensor_data(tfl_op_input(c, 1));
    tfl_tensor *out = tfl_op_output(c, 0);
    float *y = tfl_tensor_data(out);
    for (size_t i = 0; i < tfl_tensor_num_elements(out); ++i)
        y[i] = scale * (a[i] + b[i]);
    return TFL_OK;
}

static void scaled_add_free(void *state, void *user)
{
    ((counts *)user)->free++;
    free(state);
}

static tfl_status failing_invoke(tfl_op_context *c)
{
    return tfl_op_fail(c, TFL_ERROR_RUNTIME, "refuses to run (%d inputs)", tfl_op_num_inputs(c));
}

/* Sizes its output only at invoke: [1, 2, 3] flattened to [6]. */
static tfl_status dynamic_prepare(tfl_op_context *c) { return tfl_op_set_output_dynamic(c, 0); }

static tfl_status dynamic_invoke(tfl_op_context *c)
{
    const tfl_tensor *a = tfl_op_input(c, 0);
    const int32_t dims[1] = {(int32_t)tfl_tensor_num_elements(a)};
    tfl_status s = tfl_op_resize_output(c, 0, dims, 1);
    if (s != TFL_OK)
        return s;
    memcpy(tfl_tensor_data(tfl_op_output(c, 0)), tfl_tensor_data((tfl_tensor *)a),
           tfl_tensor_byte_size(a));
    return TFL_OK;
}

static tfl_model *custom_model(fbb *b, const char *code)
{
    model_spec s = model_spec_default();
    s.opcode_builtin = 32;
    s.custom_code = code;
    size_t n = build_model(b, &s);
    tfl_error err;
    tfl_model *m = tfl_model_load_buffer(b->buf, n, &err);
    CHECK(m != NULL);
    return m;
}

static void test_runs_registered_op(void)
{
    static fbb b;
    tfl_model *m = custom_model(&b, "ScaledAdd");
    counts n = {0};
    tfl_custom_op op = {.name = "ScaledAdd",
                        .init = scaled_add_init,
                        .prepare = scaled_add_prepare,
                        .invoke = scaled_add_invoke,
                        .free = scaled_add_free,
                        .user_data = &n};
    tfl_op_resolver *r = tfl_op_resolver_create();
    CHECK_EQ_INT(tfl_op_resolver_add(r, &op), TFL_OK);
    op.name = NULL; /* the resolver holds its own copy */
    tfl_options opt = tfl_options_default();
    opt.resolver = r;
    tfl_error err;
    tfl_interpreter *it = tfl_interpreter_create(m, &opt, &err);
    CHECK(it != NULL);
    CHECK_EQ_INT(n.init, 1);
    CHECK_EQ_INT(tfl_interpreter_allocate(it), TFL_OK);
    float a[6] = {1, 2, 3, 4, 5, 6};
    CHECK_EQ_INT(tfl_tensor_copy_from(tfl_interpreter_input(it, 0), a, sizeof a), TFL_OK);
    CHECK_EQ_INT(tfl_interpreter_invoke(it), TFL_OK);
    const float *y = tfl_tensor_data(tfl_interpreter_output(it, 0));
    /* b is the model's constant 0, 1, ..., 5 */
    for (int i = 0; i < 6; ++i)
        CHECK(y[i] == 3.0f * (a[i] + (float)i));
    CHECK_EQ_INT(n.prepare, 1);
    CHECK_EQ_INT(n.invoke, 1);
    tfl_interpreter_free(it);
    CHECK_EQ_INT(n.free, 1);
    tfl_op_resolver_free(r);
    tfl_model_free(m);
}

static void test_errors(void)
{
    static fbb b;
    tfl_model *m = custom_model(&b, "Refuser");
    tfl_error err;
    /* No resolver: refused at create, naming the op. */
    tfl_interpreter *it = tfl_interpreter_create(m, NULL, &err);
    CHECK(it == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(err.message, "Refuser (node 0): custom op is not supported");
    /* A failing invoke: the message, prefixed with the node. */
    tfl_op_resolver *r = tfl_op_resolver_create();
    tfl_custom_op bad = {.name = "Refuser", .invoke = failing_invoke};
    CHECK_EQ_INT(tfl_op_resolver_add(r, &bad), TFL_OK);
    tfl_options opt = tfl_options_default();
    opt.resolver = r;
    it = tfl_interpreter_create(m, &opt, &err);
    CHECK(it != NULL);
    CHECK_EQ_INT(tfl_interpreter_allocate(it), TFL_OK);
    CHECK_EQ_INT(tfl_interpreter_invoke(it), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(tfl_interpreter_last_error(it), "Refuser (node 0): refuses to run (2 inputs)");
    tfl_interpreter_free(it);
    /* Registration needs a name and an invoke. */
    tfl_custom_op nameless = {.invoke = failing_invoke}, no_invoke = {.name = "X"};
    CHECK_EQ_INT(tfl_op_resolver_add(r, &nameless), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(tfl_op_resolver_add(r, &no_invoke), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(tfl_op_resolver_add(NULL, &bad), TFL_ERROR_INVALID_ARGUMENT);
    tfl_op_resolver_free(r);
    tfl_op_resolver_free(NULL);
    tfl_model_free(m);
}

static void test_dynamic_output_and_replacement(void)
{
    static fbb b;
    tfl_model *m = custom_model(&b, "Flatten");
    tfl_op_resolver *r = tfl_op_resolver_create();
    tfl_custom_op first = {.name = "Flatten", .invoke = failing_invoke};
    tfl_custom_op flat = {.name = "Flatten", .prepare = dynamic_prepare, .invoke = dynamic_invoke};
    CHECK_EQ_INT(tfl_op_resolver_add(r, &first), TFL_OK);
    CHECK_EQ_INT(tfl_op_resolver_add(r, &flat), TFL_OK); /* replaces the first */
    tfl_options opt = tfl_options_default();
    opt.resolver = r;
    tfl_error err;
    tfl_interpreter *it = tfl_interpreter_create(m, &opt, &err);
    CHECK(it != NULL);
    CHECK_EQ_INT(tfl_interpreter_allocate(it), TFL_OK);
    float a[6] = {6, 5, 4, 3, 2, 1};
    tfl_tensor_copy_from(tfl_interpreter_input(it, 0), a, sizeof a);
    CHECK_EQ_INT(tfl_interpreter_invoke(it), TFL_OK);
    const tfl_tensor *out = tfl_interpreter_output(it, 0);
    CHECK_EQ_INT(tfl_tensor_ndim(out), 1);
    CHECK_EQ_INT(tfl_tensor_dims(out)[0], 6);
    CHECK(memcmp(tfl_tensor_data((tfl_tensor *)out), a, sizeof a) == 0);
    tfl_interpreter_free(it);
    tfl_op_resolver_free(r);
    tfl_model_free(m);
}

TFL_TEST_MAIN(TEST(test_runs_registered_op), TEST(test_errors),
              TEST(test_dynamic_output_and_replacement))
