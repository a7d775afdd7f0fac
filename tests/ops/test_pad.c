/* PAD and PADV2: padding element choice (zero, zero point, constant_values),
 * int32/int64 paddings, ranks 0 to 5, computed paddings and bad
 * parameters. Expected values are worked out by hand. */
#include "test.h"

#include "op_harness.h"

extern const tfl__op tfl__op_pad, tfl__op_padv2;

static int dims_are(const tfl_tensor *t, int n, const int32_t *d)
{
    if (t->ndim != n)
        return 0;
    for (int i = 0; i < n; ++i)
        if (t->dims[i] != d[i])
            return 0;
    return 1;
}

static void test_pad_float(void)
{
    /* [2,3] = 1..6 padded by ((1,0),(2,1)) -> [3,6]. */
    op_harness h;
    h_init(&h, &tfl__op_pad, "PAD");
    int in = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 3}, (float[]){1, 2, 3, 4, 5, 6}, 0, 0);
    int pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){2, 2}, (int32_t[]){1, 0, 2, 1}, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){3, 6}));
    static const float want[18] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 4, 5, 6, 0};
    CHECK(memcmp(h_data(&h, out), want, sizeof want) == 0);
    h_free(&h);

    /* NHWC image-style with int64 paddings: [1,2,2,1] by ((0,0),(1,1),(0,1),(0,0)). */
    h_init(&h, &tfl__op_pad, "PAD");
    in = h_input(&h, TFL_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, (float[]){1, 2, 3, 4}, 0, 0);
    pd = h_tensor(&h, TFL_INT64, 2, (int32_t[]){4, 2}, (int64_t[]){0, 0, 1, 1, 0, 1, 0, 0}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 4, (int32_t[]){1, 4, 3, 1}));
    static const float want2[12] = {0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0};
    CHECK(memcmp(h_data(&h, out), want2, sizeof want2) == 0);
    h_free(&h);
}

static void test_pad_quantized(void)
{
    /* uint8: the output zero point pads. */
    op_harness h;
    h_init(&h, &tfl__op_pad, "PAD");
    int in = h_input(&h, TFL_UINT8, 1, (int32_t[]){2}, (uint8_t[]){0, 255}, 0.1f, 77);
    int pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){2, 1}, 0, 0);
    int out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.1f, 77);
    h_io(&h, 2, (int[]){in, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){77, 77, 0, 255, 77}, 5) == 0);
    h_free(&h);

    /* int8 with zero point -128; input values copied as they are even when
     * the output's quantization differs (TFLite does not rescale). */
    h_init(&h, &tfl__op_pad, "PAD");
    in = h_input(&h, TFL_INT8, 2, (int32_t[]){1, 2}, (int8_t[]){5, -7}, 0.1f, 5);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){2, 2}, (int32_t[]){0, 1, 1, 0}, 0, 0);
    out = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0.2f, -128);
    h_io(&h, 2, (int[]){in, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int8_t[]){-128, 5, -7, -128, -128, -128}, 6) == 0);
    h_free(&h);

    /* Unquantized int8 pads with 0. */
    h_init(&h, &tfl__op_pad, "PAD");
    in = h_input(&h, TFL_INT8, 1, (int32_t[]){1}, (int8_t[]){9}, 0, 0);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){1, 1}, 0, 0);
    out = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int8_t[]){0, 9, 0}, 3) == 0);
    h_free(&h);

    /* int16. */
    h_init(&h, &tfl__op_pad, "PAD");
    in = h_input(&h, TFL_INT16, 1, (int32_t[]){2}, (int16_t[]){-32768, 32767}, 0.5f, 0);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){0, 2}, 0, 0);
    out = h_tensor(&h, TFL_INT16, 1, (int32_t[]){1}, NULL, 0.5f, 0);
    h_io(&h, 2, (int[]){in, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int16_t[]){-32768, 32767, 0, 0}, 8) == 0);
    h_free(&h);
}

static void test_pad_ranks(void)
{
    /* 5-D: [1,1,1,1,2] padded ((0,0),(0,1),(0,0),(1,0),(0,0)) -> [1,2,1,2,2]. */
    op_harness h;
    h_init(&h, &tfl__op_pad, "PAD");
    int in = h_input(&h, TFL_INT32, 5, (int32_t[]){1, 1, 1, 1, 2}, (int32_t[]){7, 8}, 0, 0);
    int pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){5, 2},
                      (int32_t[]){0, 0, 0, 1, 0, 0, 1, 0, 0, 0}, 0, 0);
    int out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 5, (int32_t[]){1, 2, 1, 2, 2}));
    CHECK(memcmp(h_data(&h, out), (int32_t[]){0, 0, 7, 8, 0, 0, 0, 0}, 32) == 0);
    h_free(&h);

    /* Scalar: paddings [0,2], output is the scalar. */
    h_init(&h, &tfl__op_pad, "PAD");
    in = h_input(&h, TFL_INT32, 0, NULL, (int32_t[]){-4}, 0, 0);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){0, 2}, (int32_t[]){0}, 0, 0);
    out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[out].ndim, 0);
    CHECK_EQ_INT(((int32_t *)h_data(&h, out))[0], -4);
    h_free(&h);

    /* Empty input: all padding. */
    h_init(&h, &tfl__op_pad, "PAD");
    in = h_input(&h, TFL_UINT8, 2, (int32_t[]){0, 2}, NULL, 1.0f, 3);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){2, 2}, (int32_t[]){1, 1, 0, 0}, 0, 0);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 1.0f, 3);
    h_io(&h, 2, (int[]){in, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){2, 2}));
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){3, 3, 3, 3}, 4) == 0);
    h_free(&h);

    /* bool. */
    h_init(&h, &tfl__op_pad, "PAD");
    in = h_input(&h, TFL_BOOL, 1, (int32_t[]){2}, (uint8_t[]){1, 1}, 0, 0);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){1, 2}, 0, 0);
    out = h_tensor(&h, TFL_BOOL, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){0, 1, 1, 0, 0}, 5) == 0);
    h_free(&h);
}

static void test_padv2(void)
{
    op_harness h;
    h_init(&h, &tfl__op_padv2, "PADV2");
    int in = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){1, 2}, (float[]){1, 2}, 0, 0);
    int pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){2, 2}, (int32_t[]){1, 0, 0, 1}, 0, 0);
    int cv = h_tensor(&h, TFL_FLOAT32, 0, NULL, (float[]){-7.5f}, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 3, (int[]){in, pd, cv}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (float[]){-7.5f, -7.5f, -7.5f, 1, 2, -7.5f}, 24) == 0);
    h_free(&h);

    /* uint8 constant with the output's quantization. */
    h_init(&h, &tfl__op_padv2, "PADV2");
    in = h_input(&h, TFL_UINT8, 1, (int32_t[]){1}, (uint8_t[]){9}, 0.1f, 77);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){1, 1}, 0, 0);
    cv = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, (uint8_t[]){200}, 0.1f, 77);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.1f, 77);
    h_io(&h, 3, (int[]){in, pd, cv}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){200, 9, 200}, 3) == 0);
    h_free(&h);

    /* Computed paddings and constant: output sized at eval. */
    int32_t pads[2] = {2, 1}, value = -9;
    h_init(&h, &tfl__op_padv2, "PADV2");
    in = h_input(&h, TFL_INT32, 1, (int32_t[]){3}, (int32_t[]){1, 2, 3}, 0, 0);
    pd = h_input(&h, TFL_INT32, 2, (int32_t[]){1, 2}, pads, 0, 0);
    cv = h_input(&h, TFL_INT32, 0, NULL, &value, 0, 0);
    out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 3, (int[]){in, pd, cv}, 1, (int[]){out});
    CHECK_EQ_INT(h_prepare(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[out].alloc, TFL__ALLOC_DYNAMIC);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 1, (int32_t[]){6}));
    CHECK(memcmp(h_data(&h, out), (int32_t[]){-9, -9, 1, 2, 3, -9}, 24) == 0);
    pads[0] = 0;
    value = 4;
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 1, (int32_t[]){4}));
    CHECK(memcmp(h_data(&h, out), (int32_t[]){1, 2, 3, 4}, 16) == 0);
    pads[1] = -1;
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "PADV2 (node 0): paddings of dimension 0 are (0, -1), expected >= 0");
    h_free(&h);
}

static tfl_status pad_bad(op_harness *h, tfl_type pt, int pnd, const int32_t *pdims,
                          const void *pads, int32_t out_zp)
{
    h_init(h, &tfl__op_pad, "PAD");
    int in = h_input(h, TFL_UINT8, 2, (int32_t[]){2, 3}, (uint8_t[]){1, 2, 3, 4, 5, 6}, 0.5f, 0);
    int pd = h_tensor(h, pt, pnd, pdims, pads, 0, 0);
    int out = h_tensor(h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, out_zp);
    h_io(h, 2, (int[]){in, pd}, 1, (int[]){out});
    return h_run(h);
}

static void test_pad_errors(void)
{
    op_harness h;
    CHECK_EQ_INT(pad_bad(&h, TFL_INT32, 2, (int32_t[]){2, 2}, (int32_t[]){0, -1, 0, 0}, 0),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "PAD (node 0): paddings of dimension 0 are (0, -1), expected >= 0");
    h_free(&h);
    CHECK_EQ_INT(pad_bad(&h, TFL_INT32, 2, (int32_t[]){3, 2}, (int32_t[]){0, 0, 0, 0, 0, 0}, 0),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "paddings int32[3,2] must have shape [2, 2]");
    h_free(&h);
    CHECK_EQ_INT(pad_bad(&h, TFL_INT32, 1, (int32_t[]){4}, (int32_t[]){0, 0, 0, 0}, 0),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "must have shape [2, 2]");
    h_free(&h);
    CHECK_EQ_INT(pad_bad(&h, TFL_FLOAT32, 2, (int32_t[]){2, 2}, (float[]){0, 0, 0, 0}, 0),
                 TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "paddings type float32 not supported");
    h_free(&h);
    CHECK_EQ_INT(
        pad_bad(&h, TFL_INT64, 2, (int32_t[]){2, 2}, (int64_t[]){0, 0, 0, (int64_t)1 << 33}, 0),
        TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "padded dimension 1 is too large");
    h_free(&h);
    CHECK_EQ_INT(pad_bad(&h, TFL_INT32, 2, (int32_t[]){2, 2}, (int32_t[]){0, 0, 0, 1}, 300),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "output zero point 300 is outside the uint8 range");
    h_free(&h);

    /* constant_values: wrong type, two elements, other quantization. */
    h_init(&h, &tfl__op_padv2, "PADV2");
    int in = h_input(&h, TFL_UINT8, 1, (int32_t[]){1}, (uint8_t[]){1}, 0.5f, 2);
    int pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){1, 1}, 0, 0);
    int cv = h_tensor(&h, TFL_INT8, 0, NULL, (int8_t[]){1}, 0.5f, 2);
    int out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 2);
    h_io(&h, 3, (int[]){in, pd, cv}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "constant_values type int8 does not match input type uint8");
    h_free(&h);
    h_init(&h, &tfl__op_padv2, "PADV2");
    in = h_input(&h, TFL_UINT8, 1, (int32_t[]){1}, (uint8_t[]){1}, 0.5f, 2);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){1, 1}, 0, 0);
    cv = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){2}, (uint8_t[]){1, 2}, 0.5f, 2);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 2);
    h_io(&h, 3, (int[]){in, pd, cv}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "constant_values uint8[2] must have one element");
    h_free(&h);
    h_init(&h, &tfl__op_padv2, "PADV2");
    in = h_input(&h, TFL_UINT8, 1, (int32_t[]){1}, (uint8_t[]){1}, 0.5f, 2);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){1, 1}, 0, 0);
    cv = h_tensor(&h, TFL_UINT8, 0, NULL, (uint8_t[]){1}, 0.25f, 2);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 2);
    h_io(&h, 3, (int[]){in, pd, cv}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error,
                   "constant_values quantization (scale 0.25, zero point 2) differs from output");
    h_free(&h);

    /* Input/output types differ; one input only. */
    h_init(&h, &tfl__op_pad, "PAD");
    in = h_input(&h, TFL_UINT8, 1, (int32_t[]){1}, (uint8_t[]){1}, 0, 0);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){1, 1}, 0, 0);
    out = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "output type int8 does not match input type uint8");
    h_free(&h);
    h_init(&h, &tfl__op_pad, "PAD");
    in = h_input(&h, TFL_UINT8, 1, (int32_t[]){1}, (uint8_t[]){1}, 0, 0);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "expects 2 to 3 inputs, got 1");
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_pad_float), TEST(test_pad_quantized), TEST(test_pad_ranks),
              TEST(test_padv2), TEST(test_pad_errors))
