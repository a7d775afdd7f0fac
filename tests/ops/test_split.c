/* SPLIT, SPLIT_V and UNPACK: axes, sizes with -1, computed axis/sizes
 * (outputs sized at eval) and bad parameters. */
#include "test.h"

#include "op_harness.h"

extern const tfl__op tfl__op_split, tfl__op_split_v, tfl__op_unpack;

static int dims_are(const tfl_tensor *t, int n, const int32_t *d)
{
    if (t->ndim != n)
        return 0;
    for (int i = 0; i < n; ++i)
        if (t->dims[i] != d[i])
            return 0;
    return 1;
}

/* x [2,6] = 0..11 */
static const int32_t x26[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

static void test_split_axes(void)
{
    op_harness h;
    /* Axis 1 into 3: [[0,1],[6,7]], [[2,3],[8,9]], [[4,5],[10,11]]. */
    for (int axis = 1; axis >= -1; axis -= 2) {
        h_init(&h, &tfl__op_split, "SPLIT");
        int ax = h_tensor(&h, TFL_INT32, 0, NULL, &axis, 0, 0);
        int in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
        int o0 = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
        int o1 = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
        int o2 = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
        h_io(&h, 2, (int[]){ax, in}, 3, (int[]){o0, o1, o2});
        h_opt_i32(&h, 0, 3);
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        CHECK(dims_are(&h.tensors[o1], 2, (int32_t[]){2, 2}));
        CHECK(memcmp(h_data(&h, o0), (int32_t[]){0, 1, 6, 7}, 16) == 0);
        CHECK(memcmp(h_data(&h, o1), (int32_t[]){2, 3, 8, 9}, 16) == 0);
        CHECK(memcmp(h_data(&h, o2), (int32_t[]){4, 5, 10, 11}, 16) == 0);
        h_free(&h);
    }
    /* Axis 0 into 2, computed (non-constant) int64 axis: outputs at eval. */
    int64_t axis0 = 0;
    h_init(&h, &tfl__op_split, "SPLIT");
    int ax = h_input(&h, TFL_INT64, 1, (int32_t[]){1}, &axis0, 0, 0);
    int in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
    int o0 = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    int o1 = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ax, in}, 2, (int[]){o0, o1});
    h_opt_i32(&h, 0, 2);
    CHECK_EQ_INT(h_prepare(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[o0].alloc, TFL__ALLOC_DYNAMIC);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[o0], 2, (int32_t[]){1, 6}));
    CHECK(memcmp(h_data(&h, o0), x26, 24) == 0);
    CHECK(memcmp(h_data(&h, o1), x26 + 6, 24) == 0);
    /* The computed axis changes: outputs resized at the next eval. */
    axis0 = 1;
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[o0], 2, (int32_t[]){2, 3}));
    CHECK(memcmp(h_data(&h, o1), (int32_t[]){3, 4, 5, 9, 10, 11}, 24) == 0);
    h_free(&h);

    /* One split: a copy; int8 and 3-D. */
    int32_t a2 = 2;
    h_init(&h, &tfl__op_split, "SPLIT");
    ax = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, &a2, 0, 0);
    in = h_input(&h, TFL_INT8, 3, (int32_t[]){1, 2, 2}, (int8_t[]){-128, 1, 2, 127}, 0.1f, 0);
    o0 = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0.1f, 0);
    h_io(&h, 2, (int[]){ax, in}, 1, (int[]){o0});
    h_opt_i32(&h, 0, 1);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, o0), (int8_t[]){-128, 1, 2, 127}, 4) == 0);
    h_free(&h);
}

static void test_split_errors(void)
{
    op_harness h;
    int32_t axis = 1;
    /* 6 does not split into 4. */
    h_init(&h, &tfl__op_split, "SPLIT");
    int ax = h_tensor(&h, TFL_INT32, 0, NULL, &axis, 0, 0);
    int in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
    int o[4];
    for (int i = 0; i < 4; ++i)
        o[i] = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ax, in}, 4, o);
    h_opt_i32(&h, 0, 4);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error,
                   "dimension 1 of input int32[2,6] (size 6) cannot be split into 4 equal parts");
    h_free(&h);
    /* num_splits disagrees with the outputs. */
    h_init(&h, &tfl__op_split, "SPLIT");
    ax = h_tensor(&h, TFL_INT32, 0, NULL, &axis, 0, 0);
    in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
    o[0] = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ax, in}, 1, o);
    h_opt_i32(&h, 0, 2);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "expects 2 outputs, got 1");
    h_free(&h);
    /* num_splits 0 / absent. */
    h_init(&h, &tfl__op_split, "SPLIT");
    ax = h_tensor(&h, TFL_INT32, 0, NULL, &axis, 0, 0);
    in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
    o[0] = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ax, in}, 1, o);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "num_splits is 0, expected > 0");
    h_free(&h);
    /* Axis out of range, axis not a scalar, float axis. */
    int32_t bad = -3;
    h_init(&h, &tfl__op_split, "SPLIT");
    ax = h_tensor(&h, TFL_INT32, 0, NULL, &bad, 0, 0);
    in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
    o[0] = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ax, in}, 1, o);
    h_opt_i32(&h, 0, 1);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "axis -3 is out of range for rank 2");
    h_free(&h);
    h_init(&h, &tfl__op_split, "SPLIT");
    ax = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){0, 1}, 0, 0);
    in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
    o[0] = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ax, in}, 1, o);
    h_opt_i32(&h, 0, 1);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "axis int32[2] must have one element");
    h_free(&h);
    h_init(&h, &tfl__op_split, "SPLIT");
    ax = h_tensor(&h, TFL_FLOAT32, 0, NULL, (float[]){1}, 0, 0);
    in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
    o[0] = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ax, in}, 1, o);
    h_opt_i32(&h, 0, 1);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "axis type float32 not supported");
    h_free(&h);
    /* Output type differs. */
    h_init(&h, &tfl__op_split, "SPLIT");
    ax = h_tensor(&h, TFL_INT32, 0, NULL, &axis, 0, 0);
    in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
    o[0] = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ax, in}, 1, o);
    h_opt_i32(&h, 0, 1);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "output 0 type float32 does not match input type int32");
    h_free(&h);
    /* A computed axis that makes an uneven split fails at eval. */
    int32_t dyn = 0;
    h_init(&h, &tfl__op_split, "SPLIT");
    ax = h_input(&h, TFL_INT32, 0, NULL, &dyn, 0, 0);
    in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
    for (int i = 0; i < 3; ++i)
        o[i] = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ax, in}, 3, o);
    h_opt_i32(&h, 0, 3);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error,
                   "dimension 0 of input int32[2,6] (size 2) cannot be split into 3 equal parts");
    dyn = 1;
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, o[2]), (int32_t[]){4, 5, 10, 11}, 16) == 0);
    h_free(&h);
}

/* SPLIT_V of x [2,6] along axis 1 with the given sizes; outputs stored in o. */
static tfl_status split_v(op_harness *h, tfl_type st, const void *sizes, int n, int32_t axis,
                          bool sizes_const, int *o)
{
    static int32_t axis_copy;
    axis_copy = axis;
    h_init(h, &tfl__op_split_v, "SPLIT_V");
    int in = h_input(h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
    int sz = sizes_const ? h_tensor(h, st, 1, (int32_t[]){n}, sizes, 0, 0)
                         : h_input(h, st, 1, (int32_t[]){n}, sizes, 0, 0);
    int ax = h_tensor(h, TFL_INT32, 0, NULL, &axis_copy, 0, 0);
    for (int i = 0; i < n; ++i)
        o[i] = h_tensor(h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(h, 3, (int[]){in, sz, ax}, n, o);
    h_opt_i32(h, 0, n);
    return h_run(h);
}

static void test_split_v(void)
{
    op_harness h;
    int o[4];
    CHECK_EQ_INT(split_v(&h, TFL_INT32, (int32_t[]){1, 2, 3}, 3, 1, true, o), TFL_OK);
    CHECK(dims_are(&h.tensors[o[0]], 2, (int32_t[]){2, 1}));
    CHECK(dims_are(&h.tensors[o[2]], 2, (int32_t[]){2, 3}));
    CHECK(memcmp(h_data(&h, o[0]), (int32_t[]){0, 6}, 8) == 0);
    CHECK(memcmp(h_data(&h, o[1]), (int32_t[]){1, 2, 7, 8}, 16) == 0);
    CHECK(memcmp(h_data(&h, o[2]), (int32_t[]){3, 4, 5, 9, 10, 11}, 24) == 0);
    h_free(&h);
    /* -1 takes the rest; a zero-sized part; int64 sizes; negative axis. */
    CHECK_EQ_INT(split_v(&h, TFL_INT64, (int64_t[]){0, -1, 2}, 3, -1, true, o), TFL_OK);
    CHECK(dims_are(&h.tensors[o[0]], 2, (int32_t[]){2, 0}));
    CHECK(dims_are(&h.tensors[o[1]], 2, (int32_t[]){2, 4}));
    CHECK(memcmp(h_data(&h, o[1]), (int32_t[]){0, 1, 2, 3, 6, 7, 8, 9}, 32) == 0);
    CHECK(memcmp(h_data(&h, o[2]), (int32_t[]){4, 5, 10, 11}, 16) == 0);
    h_free(&h);
    /* Axis 0. */
    CHECK_EQ_INT(split_v(&h, TFL_INT32, (int32_t[]){1, 1}, 2, 0, true, o), TFL_OK);
    CHECK(memcmp(h_data(&h, o[1]), x26 + 6, 24) == 0);
    h_free(&h);
    /* Computed sizes: outputs sized at eval. */
    int32_t dyn[2] = {5, 1};
    CHECK_EQ_INT(split_v(&h, TFL_INT32, dyn, 2, 1, false, o), TFL_OK);
    CHECK_EQ_INT(h.tensors[o[0]].alloc, TFL__ALLOC_DYNAMIC);
    CHECK(dims_are(&h.tensors[o[0]], 2, (int32_t[]){2, 5}));
    CHECK(memcmp(h_data(&h, o[1]), (int32_t[]){5, 11}, 8) == 0);
    dyn[1] = 2;
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(
        h.error,
        "SPLIT_V (node 0): size_splits add up to 7, but dimension 1 of input int32[2,6] is 6");
    h_free(&h);
}

static void test_split_v_errors(void)
{
    op_harness h;
    int o[4];
    CHECK_EQ_INT(split_v(&h, TFL_INT32, (int32_t[]){2, 5}, 2, 1, true, o), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "size_splits add up to 7");
    h_free(&h);
    CHECK_EQ_INT(split_v(&h, TFL_INT32, (int32_t[]){-1, 7}, 2, 1, true, o), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "size_splits add up to 7");
    h_free(&h);
    CHECK_EQ_INT(split_v(&h, TFL_INT32, (int32_t[]){-1, -1}, 2, 1, true, o), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "more than one -1 (entries 0 and 1)");
    h_free(&h);
    CHECK_EQ_INT(split_v(&h, TFL_INT32, (int32_t[]){8, -2}, 2, 1, true, o), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "size_splits entry 1 is -2");
    h_free(&h);
    CHECK_EQ_INT(split_v(&h, TFL_INT32, (int32_t[]){3, 3}, 2, 2, true, o), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "axis 2 is out of range for rank 2");
    h_free(&h);
    CHECK_EQ_INT(split_v(&h, TFL_INT16, (int16_t[]){3, 3}, 2, 1, true, o), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "size_splits type int16 not supported (expected int32 or int64)");
    h_free(&h);
    /* size_splits length disagrees with the outputs. */
    h_init(&h, &tfl__op_split_v, "SPLIT_V");
    int in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 6}, x26, 0, 0);
    int sz = h_tensor(&h, TFL_INT32, 1, (int32_t[]){3}, (int32_t[]){2, 2, 2}, 0, 0);
    int ax = h_tensor(&h, TFL_INT32, 0, NULL, (int32_t[]){1}, 0, 0);
    o[0] = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    o[1] = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 3, (int[]){in, sz, ax}, 2, o);
    h_opt_i32(&h, 0, 2);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "size_splits int32[3] must be a vector of 2 entries (one per output)");
    h_free(&h);
}

static void test_unpack(void)
{
    /* x [2,3] = 0..5 */
    static const float x[6] = {0, 1, 2, 3, 4, 5};
    op_harness h;
    h_init(&h, &tfl__op_unpack, "UNPACK");
    int in = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 3}, x, 0, 0);
    int o[3];
    for (int i = 0; i < 3; ++i)
        o[i] = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 3, o);
    h_opt_i32(&h, 0, 3);
    h_opt_i32(&h, 1, -1);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[o[0]], 1, (int32_t[]){2}));
    CHECK(memcmp(h_data(&h, o[0]), (float[]){0, 3}, 8) == 0);
    CHECK(memcmp(h_data(&h, o[1]), (float[]){1, 4}, 8) == 0);
    CHECK(memcmp(h_data(&h, o[2]), (float[]){2, 5}, 8) == 0);
    h_free(&h);

    h_init(&h, &tfl__op_unpack, "UNPACK");
    in = h_input(&h, TFL_UINT8, 2, (int32_t[]){2, 3}, (uint8_t[]){0, 1, 2, 253, 254, 255}, 0.5f, 7);
    o[0] = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 7);
    o[1] = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 7);
    h_io(&h, 1, (int[]){in}, 2, o);
    h_opt_i32(&h, 0, 2);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[o[1]], 1, (int32_t[]){3}));
    CHECK(memcmp(h_data(&h, o[1]), (uint8_t[]){253, 254, 255}, 3) == 0);
    h_free(&h);

    /* num disagrees with the dimension; axis out of range; quantization. */
    h_init(&h, &tfl__op_unpack, "UNPACK");
    in = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 3}, x, 0, 0);
    o[0] = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    o[1] = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 2, o);
    h_opt_i32(&h, 0, 2);
    h_opt_i32(&h, 1, 1);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "UNPACK (node 0): num is 2 but dimension 1 of input float32[2,3] is 3");
    h_free(&h);
    h_init(&h, &tfl__op_unpack, "UNPACK");
    in = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 3}, x, 0, 0);
    o[0] = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    o[1] = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 2, o);
    h_opt_i32(&h, 0, 2);
    h_opt_i32(&h, 1, 2);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "axis 2 is out of range for rank 2");
    h_free(&h);
    h_init(&h, &tfl__op_unpack, "UNPACK");
    in = h_input(&h, TFL_INT8, 1, (int32_t[]){2}, (int8_t[]){1, 2}, 0.5f, 1);
    o[0] = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0.5f, 1);
    o[1] = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0.25f, 1);
    h_io(&h, 1, (int[]){in}, 2, o);
    h_opt_i32(&h, 0, 2);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "output 1 quantization (scale 0.25, zero point 1) differs from input");
    h_free(&h);
    h_init(&h, &tfl__op_unpack, "UNPACK");
    in = h_input(&h, TFL_INT8, 0, NULL, (int8_t[]){1}, 0, 0);
    o[0] = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 1, o);
    h_opt_i32(&h, 0, 1);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "cannot unpack a scalar input");
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_split_axes), TEST(test_split_errors), TEST(test_split_v),
              TEST(test_split_v_errors), TEST(test_unpack))
