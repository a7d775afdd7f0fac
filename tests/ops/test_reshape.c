/* RESHAPE, SQUEEZE, EXPAND_DIMS and SHAPE: shapes from inputs and options,
 * -1 inference, dynamic (computed) shape inputs and bad parameters. */
#include "test.h"

#include "op_harness.h"
#include "opt_vec.h"

extern const tfl__op tfl__op_reshape, tfl__op_squeeze, tfl__op_expand_dims, tfl__op_shape;

static const float iota24[24] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23};

static int dims_are(const tfl_tensor *t, int n, const int32_t *d)
{
    if (t->ndim != n)
        return 0;
    for (int i = 0; i < n; ++i)
        if (t->dims[i] != d[i])
            return 0;
    return 1;
}

/* Reshape of float [2,3,4] with a constant shape tensor; returns the status. */
static tfl_status reshape_const(op_harness *h, const int32_t *shape, int n)
{
    static int32_t shape_copy[8];
    memcpy(shape_copy, shape, sizeof(int32_t) * (size_t)n);
    h_init(h, &tfl__op_reshape, "RESHAPE");
    int in = h_input(h, TFL_FLOAT32, 3, (int32_t[]){2, 3, 4}, iota24, 0, 0);
    int sh = h_tensor(h, TFL_INT32, 1, (int32_t[]){n}, shape_copy, 0, 0);
    int out = h_tensor(h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(h, 2, (int[]){in, sh}, 1, (int[]){out});
    return h_run(h);
}

static void test_reshape_shape_tensor(void)
{
    op_harness h;
    CHECK_EQ_INT(reshape_const(&h, (int32_t[]){4, -1}, 2), TFL_OK);
    CHECK(dims_are(&h.tensors[2], 2, (int32_t[]){4, 6}));
    CHECK(memcmp(h_data(&h, 2), iota24, sizeof iota24) == 0);
    h_free(&h);
    CHECK_EQ_INT(reshape_const(&h, (int32_t[]){-1}, 1), TFL_OK);
    CHECK(dims_are(&h.tensors[2], 1, (int32_t[]){24}));
    CHECK(memcmp(h_data(&h, 2), iota24, sizeof iota24) == 0);
    h_free(&h);
    CHECK_EQ_INT(reshape_const(&h, (int32_t[]){1, 2, 1, 12, 1}, 5), TFL_OK);
    CHECK(dims_are(&h.tensors[2], 5, (int32_t[]){1, 2, 1, 12, 1}));
    h_free(&h);
}

static void test_reshape_options(void)
{
    op_harness h;
    opt_vec_buf ob;
    h_init(&h, &tfl__op_reshape, "RESHAPE");
    int in = h_input(&h, TFL_UINT8, 2, (int32_t[]){2, 3}, (uint8_t[]){9, 8, 7, 6, 5, 4}, 0.5f, 3);
    int out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 3);
    h_io(&h, 1, (int[]){in}, 1, (int[]){out});
    h_opt_vec_i32(&h, &ob, 0, (int32_t[]){3, -1}, 2);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){3, 2}));
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){9, 8, 7, 6, 5, 4}, 6) == 0);
    h_free(&h);

    /* Legacy [0] means a scalar. */
    h_init(&h, &tfl__op_reshape, "RESHAPE");
    in = h_input(&h, TFL_INT32, 2, (int32_t[]){1, 1}, (int32_t[]){-77}, 0, 0);
    out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 1, (int[]){out});
    h_opt_vec_i32(&h, &ob, 0, (int32_t[]){0}, 1);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[out].ndim, 0);
    CHECK_EQ_INT(((int32_t *)h_data(&h, out))[0], -77);
    h_free(&h);

    /* An int64 shape tensor is not used (as TFLite): the option decides. */
    h_init(&h, &tfl__op_reshape, "RESHAPE");
    in = h_input(&h, TFL_INT8, 1, (int32_t[]){4}, (int8_t[]){1, -2, 3, -4}, 0, 0);
    int sh = h_tensor(&h, TFL_INT64, 1, (int32_t[]){2}, (int64_t[]){4, 1}, 0, 0);
    out = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, sh}, 1, (int[]){out});
    h_opt_vec_i32(&h, &ob, 0, (int32_t[]){2, 2}, 2);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){2, 2}));
    h_free(&h);
}

static void test_reshape_zero_sized(void)
{
    /* [0, 3] -> [-1, 0]: the -1 of an empty tensor becomes 0 only when the
     * other dimensions multiply to a nonzero count; here they do not, so
     * TFLite's rule divides the nonzero counts: 3 / 1 = 3. */
    op_harness h;
    h_init(&h, &tfl__op_reshape, "RESHAPE");
    int in = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){0, 3}, iota24, 0, 0);
    int sh = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){-1, 0}, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, sh}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){3, 0}));
    h_free(&h);
    /* [0, 3] -> [2, -1]: -1 becomes 0. */
    h_init(&h, &tfl__op_reshape, "RESHAPE");
    in = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){0, 3}, iota24, 0, 0);
    sh = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){2, -1}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, sh}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){2, 0}));
    h_free(&h);
}

static void test_reshape_dynamic(void)
{
    op_harness h;
    int32_t shape[3] = {3, -1, 2};
    h_init(&h, &tfl__op_reshape, "RESHAPE");
    int in = h_input(&h, TFL_FLOAT32, 3, (int32_t[]){2, 3, 4}, iota24, 0, 0);
    int sh = h_input(&h, TFL_INT32, 1, (int32_t[]){3}, shape, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, sh}, 1, (int[]){out});
    CHECK_EQ_INT(h_prepare(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[out].alloc, TFL__ALLOC_DYNAMIC);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 3, (int32_t[]){3, 4, 2}));
    CHECK(memcmp(h_data(&h, out), iota24, sizeof iota24) == 0);
    /* A bad computed shape is a runtime error. */
    shape[2] = 5;
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error,
                   "RESHAPE (node 0): cannot reshape float32[2,3,4] (24 elements) into [3,-1,5]");
    h_free(&h);
}

static void test_reshape_errors(void)
{
    op_harness h;
    CHECK_EQ_INT(reshape_const(&h, (int32_t[]){5, 5}, 2), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "cannot reshape float32[2,3,4] (24 elements) into [5,5] (25 elements)");
    h_free(&h);
    CHECK_EQ_INT(reshape_const(&h, (int32_t[]){-1, -1}, 2), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "more than one -1");
    h_free(&h);
    CHECK_EQ_INT(reshape_const(&h, (int32_t[]){-2, 12}, 2), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "new shape dimension 0 is -2");
    h_free(&h);
    CHECK_EQ_INT(reshape_const(&h, (int32_t[]){5, -1}, 2), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "into [5,-1]");
    h_free(&h);

    /* Output type differs. */
    h_init(&h, &tfl__op_reshape, "RESHAPE");
    int in = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){4}, iota24, 0, 0);
    int sh = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){4}, 0, 0);
    int out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, sh}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "output type int32 does not match input type float32");
    h_free(&h);

    /* Too many inputs. */
    h_init(&h, &tfl__op_reshape, "RESHAPE");
    in = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){4}, iota24, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 3, (int[]){in, in, in}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "expects 1 to 2 inputs, got 3");
    h_free(&h);

    /* A shape tensor TFLite ignores, and no option to fall back on. */
    h_init(&h, &tfl__op_reshape, "RESHAPE");
    in = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){4}, iota24, 0, 0);
    sh = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 1}, (int32_t[]){4}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, sh}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "shape input int32[1,1] must be an int32 vector");
    h_free(&h);

    /* new_shape longer than 8. */
    opt_vec_buf ob;
    h_init(&h, &tfl__op_reshape, "RESHAPE");
    in = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){1}, iota24, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 1, (int[]){out});
    h_opt_vec_i32(&h, &ob, 0, (int32_t[]){1, 1, 1, 1, 1, 1, 1, 1, 1}, 9);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "new_shape option has 9 dimensions");
    h_free(&h);
}

static tfl_status squeeze(op_harness *h, opt_vec_buf *ob, int nd, const int32_t *dims,
                          const int32_t *sq, int nsq)
{
    h_init(h, &tfl__op_squeeze, "SQUEEZE");
    int in = h_input(h, TFL_INT16, nd, dims, (int16_t[]){1, -2, 3, -4, 5, -6}, 0, 0);
    int out = h_tensor(h, TFL_INT16, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(h, 1, (int[]){in}, 1, (int[]){out});
    if (nsq >= 0)
        h_opt_vec_i32(h, ob, 0, sq, nsq);
    return h_run(h);
}

static void test_squeeze(void)
{
    op_harness h;
    opt_vec_buf ob;
    const int32_t d[5] = {1, 3, 1, 2, 1};
    CHECK_EQ_INT(squeeze(&h, &ob, 5, d, NULL, -1), TFL_OK); /* no options: all 1s */
    CHECK(dims_are(&h.tensors[1], 2, (int32_t[]){3, 2}));
    CHECK(memcmp(h_data(&h, 1), (int16_t[]){1, -2, 3, -4, 5, -6}, 12) == 0);
    h_free(&h);
    CHECK_EQ_INT(squeeze(&h, &ob, 5, d, NULL, 0), TFL_OK); /* empty list: all 1s */
    CHECK(dims_are(&h.tensors[1], 2, (int32_t[]){3, 2}));
    h_free(&h);
    CHECK_EQ_INT(squeeze(&h, &ob, 5, d, (int32_t[]){0}, 1), TFL_OK);
    CHECK(dims_are(&h.tensors[1], 4, (int32_t[]){3, 1, 2, 1}));
    h_free(&h);
    CHECK_EQ_INT(squeeze(&h, &ob, 5, d, (int32_t[]){-1, 2, -3}, 3), TFL_OK); /* repeats allowed */
    CHECK(dims_are(&h.tensors[1], 3, (int32_t[]){1, 3, 2}));
    h_free(&h);
    CHECK_EQ_INT(squeeze(&h, &ob, 5, d, (int32_t[]){1}, 1), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "SQUEEZE (node 0): cannot squeeze dimension 1 of input "
                            "int16[1,3,1,2,1]: its size is 3, not 1");
    h_free(&h);
    CHECK_EQ_INT(squeeze(&h, &ob, 5, d, (int32_t[]){5}, 1), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "squeeze dimension 5 is out of range for rank 5");
    h_free(&h);
    CHECK_EQ_INT(squeeze(&h, &ob, 5, d, (int32_t[]){-6}, 1), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "squeeze dimension -6 is out of range");
    h_free(&h);
}

static tfl_status expand(op_harness *h, tfl_type at, const void *axis, bool is_const)
{
    h_init(h, &tfl__op_expand_dims, "EXPAND_DIMS");
    int in = h_input(h, TFL_INT8, 2, (int32_t[]){2, 3}, (int8_t[]){1, 2, 3, 4, 5, 6}, 0.25f, -3);
    int ax = is_const ? h_tensor(h, at, 0, NULL, axis, 0, 0) : h_input(h, at, 0, NULL, axis, 0, 0);
    int out = h_tensor(h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0.25f, -3);
    h_io(h, 2, (int[]){in, ax}, 1, (int[]){out});
    return h_run(h);
}

static void test_expand_dims(void)
{
    op_harness h;
    static const struct {
        int32_t axis;
        int32_t dims[3];
    } cases[] = {{0, {1, 2, 3}}, {1, {2, 1, 3}}, {2, {2, 3, 1}}, {-1, {2, 3, 1}}, {-3, {1, 2, 3}}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        CHECK_EQ_INT(expand(&h, TFL_INT32, &cases[i].axis, true), TFL_OK);
        CHECK(dims_are(&h.tensors[2], 3, cases[i].dims));
        CHECK(memcmp(h_data(&h, 2), (int8_t[]){1, 2, 3, 4, 5, 6}, 6) == 0);
        h_free(&h);
    }
    int64_t a64 = -2;
    CHECK_EQ_INT(expand(&h, TFL_INT64, &a64, true), TFL_OK);
    CHECK(dims_are(&h.tensors[2], 3, (int32_t[]){2, 1, 3}));
    h_free(&h);
    int32_t dyn = 1;
    CHECK_EQ_INT(expand(&h, TFL_INT32, &dyn, false), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].alloc, TFL__ALLOC_DYNAMIC);
    CHECK(dims_are(&h.tensors[2], 3, (int32_t[]){2, 1, 3}));
    h_free(&h);
    dyn = 7;
    CHECK_EQ_INT(expand(&h, TFL_INT32, &dyn, false), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "axis 7 is out of range for rank 3");
    h_free(&h);
    int32_t bad = 3;
    CHECK_EQ_INT(expand(&h, TFL_INT32, &bad, true), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error,
                   "EXPAND_DIMS (node 0): axis 3 is out of range for rank 3 (expected -3 to 2)");
    h_free(&h);
    bad = -4;
    CHECK_EQ_INT(expand(&h, TFL_INT32, &bad, true), TFL_ERROR_BAD_MODEL);
    h_free(&h);
    float fa = 0;
    CHECK_EQ_INT(expand(&h, TFL_FLOAT32, &fa, true), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "axis type float32 not supported (expected int32 or int64)");
    h_free(&h);

    /* Quantization must carry over unchanged. */
    h_init(&h, &tfl__op_expand_dims, "EXPAND_DIMS");
    int in = h_input(&h, TFL_UINT8, 1, (int32_t[]){2}, (uint8_t[]){1, 2}, 0.5f, 10);
    int ax = h_tensor(&h, TFL_INT32, 0, NULL, (int32_t[]){0}, 0, 0);
    int out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 11);
    h_io(&h, 2, (int[]){in, ax}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "output quantization (scale 0.5, zero point 11) differs from input");
    h_free(&h);

    /* Axis with two elements. */
    h_init(&h, &tfl__op_expand_dims, "EXPAND_DIMS");
    in = h_input(&h, TFL_UINT8, 1, (int32_t[]){2}, (uint8_t[]){1, 2}, 0, 0);
    ax = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){0, 1}, 0, 0);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, ax}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "axis int32[2] must have one element");
    h_free(&h);
}

static void test_shape(void)
{
    op_harness h;
    h_init(&h, &tfl__op_shape, "SHAPE");
    int in = h_input(&h, TFL_FLOAT32, 4, (int32_t[]){2, 5, 1, 7}, NULL, 0, 0);
    int out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 1, (int[]){out});
    h_opt_u8(&h, 0, TFL_INT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 1, (int32_t[]){4}));
    CHECK(memcmp(h_data(&h, out), (int32_t[]){2, 5, 1, 7}, 16) == 0);
    h_free(&h);

    /* int64 output, no options: the output type decides. */
    h_init(&h, &tfl__op_shape, "SHAPE");
    in = h_input(&h, TFL_UINT8, 2, (int32_t[]){3, 0}, NULL, 0, 0);
    out = h_tensor(&h, TFL_INT64, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int64_t[]){3, 0}, 16) == 0);
    h_free(&h);

    /* Scalar input: empty vector. */
    h_init(&h, &tfl__op_shape, "SHAPE");
    in = h_input(&h, TFL_UINT8, 0, NULL, NULL, 0, 0);
    out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 1, (int32_t[]){0}));
    h_free(&h);

    /* out_type disagrees with the output tensor, or is not an integer type. */
    h_init(&h, &tfl__op_shape, "SHAPE");
    in = h_input(&h, TFL_UINT8, 1, (int32_t[]){3}, NULL, 0, 0);
    out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 1, (int[]){out});
    h_opt_u8(&h, 0, TFL_INT64);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "out_type option int64 does not match output type int32");
    h_free(&h);
    h_init(&h, &tfl__op_shape, "SHAPE");
    in = h_input(&h, TFL_UINT8, 1, (int32_t[]){3}, NULL, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "output type float32 not supported (expected int32 or int64)");
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_reshape_shape_tensor), TEST(test_reshape_options),
              TEST(test_reshape_zero_sized), TEST(test_reshape_dynamic), TEST(test_reshape_errors),
              TEST(test_squeeze), TEST(test_expand_dims), TEST(test_shape))
