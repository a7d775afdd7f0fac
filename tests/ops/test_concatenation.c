/* CONCATENATION and PACK: axes (negative too), many inputs, every element
 * size, uint8 requantization (goldens from LiteRT 2.3.0's BUILTIN_REF
 * resolver), the int8 extension, fused activations and bad parameters. */
#include "test.h"

#include "op_harness.h"

extern const tfl__op tfl__op_concatenation, tfl__op_pack;

static int dims_are(const tfl_tensor *t, int n, const int32_t *d)
{
    if (t->ndim != n)
        return 0;
    for (int i = 0; i < n; ++i)
        if (t->dims[i] != d[i])
            return 0;
    return 1;
}

static void concat_opts(op_harness *h, int axis, int act)
{
    h_opt_i32(h, 0, axis);
    h_opt_u8(h, 1, (uint8_t)act);
}

static void test_concat_float_axes(void)
{
    /* a [2,2,2] = 0..7, b [2,1,2] = 100..103 */
    static const float a[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    static const float b[4] = {100, 101, 102, 103};
    static const float want[12] = {0, 1, 2, 3, 100, 101, 4, 5, 6, 7, 102, 103};
    for (int axis = 1; axis >= -2; axis -= 3) { /* 1 and -2 name the same axis */
        op_harness h;
        h_init(&h, &tfl__op_concatenation, "CONCATENATION");
        int ia = h_input(&h, TFL_FLOAT32, 3, (int32_t[]){2, 2, 2}, a, 0, 0);
        int ib = h_input(&h, TFL_FLOAT32, 3, (int32_t[]){2, 1, 2}, b, 0, 0);
        int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
        h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
        concat_opts(&h, axis, 0);
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        CHECK(dims_are(&h.tensors[out], 3, (int32_t[]){2, 3, 2}));
        CHECK(memcmp(h_data(&h, out), want, sizeof want) == 0);
        h_free(&h);
    }
    /* Axis 0 and last axis, three inputs. */
    op_harness h;
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    int i0 = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 1}, (float[]){1, 2}, 0, 0);
    int i1 = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 3}, (float[]){3, 4, 5, 6, 7, 8}, 0, 0);
    int i2 = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 0}, NULL, 0, 0); /* empty joins fine */
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 3, (int[]){i0, i1, i2}, 1, (int[]){out});
    concat_opts(&h, -1, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){2, 4}));
    CHECK(memcmp(h_data(&h, out), (float[]){1, 3, 4, 5, 2, 6, 7, 8}, 32) == 0);
    h_free(&h);
}

static void test_concat_fused_activation(void)
{
    /* TFLite rejects fused activations here; tfl clamps float32. */
    op_harness h;
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    int ia = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){3}, (float[]){-2, 0.5f, 9}, 0, 0);
    int ib = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){2}, (float[]){-0.5f, 6.5f}, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 0, TFL__ACT_RELU6);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (float[]){0, 0.5f, 6, 0, 6}, 20) == 0);
    h_free(&h);

    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){3}, (float[]){-2, 0.5f, 9}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){ia}, 1, (int[]){out});
    concat_opts(&h, 0, TFL__ACT_RELU_N1_TO_1);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (float[]){-1, 0.5f, 1}, 12) == 0);
    h_free(&h);

    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_UINT8, 1, (int32_t[]){1}, (uint8_t[]){1}, 1.0f, 0);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 1.0f, 0);
    h_io(&h, 1, (int[]){ia}, 1, (int[]){out});
    concat_opts(&h, 0, TFL__ACT_RELU);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "fused activation 1 not supported for uint8 inputs");
    h_free(&h);

    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){1}, (float[]){1}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){ia}, 1, (int[]){out});
    concat_opts(&h, 0, TFL__ACT_TANH);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "fused activation 4 not supported");
    h_free(&h);
}

static void test_concat_u8_requant(void)
{
    /* Golden: LiteRT BUILTIN_REF, in0 (0.5, 10), in1 (0.25, 200), out (0.3, 128). */
    op_harness h;
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    int ia = h_input(&h, TFL_UINT8, 2, (int32_t[]){2, 3}, (uint8_t[]){0, 10, 255, 37, 128, 11},
                     0.5f, 10);
    int ib =
        h_input(&h, TFL_UINT8, 2, (int32_t[]){2, 2}, (uint8_t[]){0, 255, 200, 201}, 0.25f, 200);
    int out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.3f, 128);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 1, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    static const uint8_t want[10] = {111, 128, 255, 0, 174, 173, 255, 130, 128, 129};
    CHECK(memcmp(h_data(&h, out), want, 10) == 0);
    h_free(&h);

    /* Golden: ratios 0.5 and 2 round halves away from zero; 250 * 0.5 = 125. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_UINT8, 2, (int32_t[]){2, 3}, (uint8_t[]){1, 3, 5, 7, 250, 255}, 0.5f, 0);
    ib = h_input(&h, TFL_UINT8, 2, (int32_t[]){2, 2}, (uint8_t[]){0, 1, 2, 3}, 2.0f, 0);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 1.0f, 0);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 1, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    static const uint8_t want2[10] = {1, 2, 3, 0, 2, 4, 125, 128, 4, 6};
    CHECK(memcmp(h_data(&h, out), want2, 10) == 0);
    h_free(&h);

    /* Matching parameters: bytes copied as they are. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_UINT8, 1, (int32_t[]){2}, (uint8_t[]){0, 255}, 0.02f, 128);
    ib = h_input(&h, TFL_UINT8, 1, (int32_t[]){1}, (uint8_t[]){77}, 0.02f, 128);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.02f, 128);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){0, 255, 77}, 3) == 0);
    h_free(&h);
}

static void test_concat_s8(void)
{
    /* Same parameters: copy. */
    op_harness h;
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    int ia = h_input(&h, TFL_INT8, 2, (int32_t[]){1, 2}, (int8_t[]){-128, 127}, 0.1f, -5);
    int ib = h_input(&h, TFL_INT8, 2, (int32_t[]){2, 2}, (int8_t[]){1, 2, 3, 4}, 0.1f, -5);
    int out = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0.1f, -5);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){3, 2}));
    CHECK(memcmp(h_data(&h, out), (int8_t[]){-128, 127, 1, 2, 3, 4}, 6) == 0);
    h_free(&h);

    /* Different parameters (TFLite rejects them): rescaled with the uint8
     * formula, saturated to int8. Expected values worked out with that
     * formula in float32: e.g. (-128 + 5) * 0.1 / 0.2 = -61.5 -> -62, + 3. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_INT8, 1, (int32_t[]){4}, (int8_t[]){-128, -5, 0, 127}, 0.1f, -5);
    ib = h_input(&h, TFL_INT8, 1, (int32_t[]){3}, (int8_t[]){-128, 100, 127}, 0.05f, 20);
    out = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0.2f, 3);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int8_t[]){-59, 3, 6, 69, -34, 23, 30}, 7) == 0);
    h_free(&h);

    /* Saturation at both ends. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_INT8, 1, (int32_t[]){2}, (int8_t[]){-128, 127}, 1.0f, 0);
    out = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0.5f, 0);
    h_io(&h, 1, (int[]){ia}, 1, (int[]){out});
    concat_opts(&h, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int8_t[]){-128, 127}, 2) == 0);
    h_free(&h);
}

static void test_concat_other_types(void)
{
    /* int16 with different scales is copied (as TFLite), zero points 0. */
    op_harness h;
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    int ia = h_input(&h, TFL_INT16, 1, (int32_t[]){2}, (int16_t[]){-32768, 32767}, 0.1f, 0);
    int ib = h_input(&h, TFL_INT16, 1, (int32_t[]){1}, (int16_t[]){5}, 0.3f, 0);
    int out = h_tensor(&h, TFL_INT16, 1, (int32_t[]){1}, NULL, 0.2f, 0);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int16_t[]){-32768, 32767, 5}, 6) == 0);
    h_free(&h);
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_INT16, 1, (int32_t[]){2}, (int16_t[]){1, 2}, 0.1f, 3);
    out = h_tensor(&h, TFL_INT16, 1, (int32_t[]){1}, NULL, 0.1f, 3);
    h_io(&h, 1, (int[]){ia}, 1, (int[]){out});
    concat_opts(&h, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "int16 input 0 zero point 3, expected 0");
    h_free(&h);

    /* int64 and bool. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_INT64, 2, (int32_t[]){1, 1}, (int64_t[]){INT64_MIN}, 0, 0);
    ib = h_input(&h, TFL_INT64, 2, (int32_t[]){1, 2}, (int64_t[]){INT64_MAX, 7}, 0, 0);
    out = h_tensor(&h, TFL_INT64, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 1, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int64_t[]){INT64_MIN, INT64_MAX, 7}, 24) == 0);
    h_free(&h);
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_BOOL, 2, (int32_t[]){2, 1}, (uint8_t[]){1, 0}, 0, 0);
    ib = h_input(&h, TFL_BOOL, 2, (int32_t[]){2, 1}, (uint8_t[]){0, 1}, 0, 0);
    out = h_tensor(&h, TFL_BOOL, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 1, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){1, 0, 0, 1}, 4) == 0);
    h_free(&h);

    /* Scalars join into a vector. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_INT32, 0, NULL, (int32_t[]){4}, 0, 0);
    ib = h_input(&h, TFL_INT32, 0, NULL, (int32_t[]){-9}, 0, 0);
    out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 1, (int32_t[]){2}));
    CHECK(memcmp(h_data(&h, out), (int32_t[]){4, -9}, 8) == 0);
    h_free(&h);
}

static void test_concat_errors(void)
{
    op_harness h;
    /* Mismatched non-axis dimension. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    int ia = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 3}, NULL, 0, 0);
    int ib = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){3, 3}, NULL, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 1, 0);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "CONCATENATION (node 0): input 1 float32[3,3] does not match input 0 "
                            "float32[2,3] in dimension 0");
    h_free(&h);
    /* Rank mismatch. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 3}, NULL, 0, 0);
    ib = h_input(&h, TFL_FLOAT32, 3, (int32_t[]){2, 3, 1}, NULL, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "has rank 3, input 0 float32[2,3] has rank 2");
    h_free(&h);
    /* Out-of-range axis, both signs. */
    for (int axis = 2; axis >= -3; axis -= 5) {
        h_init(&h, &tfl__op_concatenation, "CONCATENATION");
        ia = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 3}, NULL, 0, 0);
        out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
        h_io(&h, 1, (int[]){ia}, 1, (int[]){out});
        concat_opts(&h, axis, 0);
        CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
        CHECK_CONTAINS(h.error, "is out of range for rank 2 (expected -2 to 1)");
        h_free(&h);
    }
    /* Type mismatch between inputs, and with the output. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){2}, NULL, 0, 0);
    ib = h_input(&h, TFL_INT32, 1, (int32_t[]){2}, NULL, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){ia, ib}, 1, (int[]){out});
    concat_opts(&h, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "input 1 type int32 does not match input 0 type float32");
    h_free(&h);
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){2}, NULL, 0, 0);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){ia}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "output type uint8 does not match input 0 type float32");
    h_free(&h);
    /* Requantizing to an unquantized output. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_UINT8, 1, (int32_t[]){2}, NULL, 0.5f, 1);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){ia}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "input 0 scale 0.5 cannot be rescaled to output scale 0");
    h_free(&h);
    /* No inputs. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 0, NULL, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "expects 1 to");
    h_free(&h);
    /* String. */
    h_init(&h, &tfl__op_concatenation, "CONCATENATION");
    ia = h_input(&h, TFL_STRING, 1, (int32_t[]){2}, NULL, 0, 0);
    out = h_tensor(&h, TFL_STRING, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){ia}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "input 0 type string not supported");
    h_free(&h);
}

static void test_pack(void)
{
    /* Three [2,3] uint8 inputs stacked on each axis. */
    static const uint8_t x0[6] = {0, 1, 2, 3, 4, 5}, x1[6] = {10, 11, 12, 13, 14, 15},
                         x2[6] = {20, 21, 22, 23, 24, 25};
    static const struct {
        int axis;
        int32_t dims[3];
        uint8_t want[18];
    } cases[] = {
        {0, {3, 2, 3}, {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25}},
        {1, {2, 3, 3}, {0, 1, 2, 10, 11, 12, 20, 21, 22, 3, 4, 5, 13, 14, 15, 23, 24, 25}},
        {2, {2, 3, 3}, {0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23, 4, 14, 24, 5, 15, 25}},
        {-1, {2, 3, 3}, {0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23, 4, 14, 24, 5, 15, 25}},
        {-3, {3, 2, 3}, {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        op_harness h;
        h_init(&h, &tfl__op_pack, "PACK");
        int a = h_input(&h, TFL_UINT8, 2, (int32_t[]){2, 3}, x0, 0.5f, 3);
        int b = h_input(&h, TFL_UINT8, 2, (int32_t[]){2, 3}, x1, 0.5f, 3);
        int d = h_input(&h, TFL_UINT8, 2, (int32_t[]){2, 3}, x2, 0.5f, 3);
        int out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 3);
        h_io(&h, 3, (int[]){a, b, d}, 1, (int[]){out});
        h_opt_i32(&h, 0, 3);
        h_opt_i32(&h, 1, cases[c].axis);
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        CHECK(dims_are(&h.tensors[out], 3, cases[c].dims));
        CHECK(memcmp(h_data(&h, out), cases[c].want, 18) == 0);
        h_free(&h);
    }
    /* Scalars -> vector; int64. */
    op_harness h;
    h_init(&h, &tfl__op_pack, "PACK");
    int a = h_input(&h, TFL_INT64, 0, NULL, (int64_t[]){-1}, 0, 0);
    int b = h_input(&h, TFL_INT64, 0, NULL, (int64_t[]){1LL << 40}, 0, 0);
    int out = h_tensor(&h, TFL_INT64, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){a, b}, 1, (int[]){out});
    h_opt_i32(&h, 0, 2);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 1, (int32_t[]){2}));
    CHECK(memcmp(h_data(&h, out), (int64_t[]){-1, 1LL << 40}, 16) == 0);
    h_free(&h);
}

static void test_pack_errors(void)
{
    op_harness h;
    /* values_count disagrees with the inputs. */
    h_init(&h, &tfl__op_pack, "PACK");
    int a = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){2}, NULL, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){a}, 1, (int[]){out});
    h_opt_i32(&h, 0, 2);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "PACK (node 0): values_count is 2 but the node has 1 inputs");
    h_free(&h);
    /* A huge values_count is refused before anything is allocated for it
     * (a fuzzed model asked for 5 GB). */
    h_init(&h, &tfl__op_pack, "PACK");
    a = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){2}, NULL, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){a}, 1, (int[]){out});
    h_opt_i32(&h, 0, 642252803);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "values_count is 642252803 but the node has 1 inputs");
    h_free(&h);
    /* values_count missing. */
    h_init(&h, &tfl__op_pack, "PACK");
    a = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){2}, NULL, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){a}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "values_count is 0, expected > 0");
    h_free(&h);
    /* Shapes differ. */
    h_init(&h, &tfl__op_pack, "PACK");
    a = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){2}, NULL, 0, 0);
    int b = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){3}, NULL, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){a, b}, 1, (int[]){out});
    h_opt_i32(&h, 0, 2);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "input 1 float32[3] does not match input 0 float32[2]");
    h_free(&h);
    /* Axis out of range (rank 1 input: axes -2..1). */
    h_init(&h, &tfl__op_pack, "PACK");
    a = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){2}, NULL, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){a}, 1, (int[]){out});
    h_opt_i32(&h, 0, 1);
    h_opt_i32(&h, 1, 2);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "axis 2 is out of range for rank 2");
    h_free(&h);
    /* Quantization differs. */
    h_init(&h, &tfl__op_pack, "PACK");
    a = h_input(&h, TFL_INT8, 1, (int32_t[]){2}, NULL, 0.5f, 1);
    b = h_input(&h, TFL_INT8, 1, (int32_t[]){2}, NULL, 0.5f, 2);
    out = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0.5f, 1);
    h_io(&h, 2, (int[]){a, b}, 1, (int[]){out});
    h_opt_i32(&h, 0, 2);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "input 1 quantization (scale 0.5, zero point 2) differs from output");
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_concat_float_axes), TEST(test_concat_fused_activation),
              TEST(test_concat_u8_requant), TEST(test_concat_s8), TEST(test_concat_other_types),
              TEST(test_concat_errors), TEST(test_pack), TEST(test_pack_errors))
