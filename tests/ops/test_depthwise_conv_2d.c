/* DEPTHWISE_CONV_2D: float32, uint8, per-channel int8 and int16 x int8 with
 * int64 bias; depth multipliers, SAME/VALID, strides, dilation, fused
 * activations, batch > 1, and the checks on bad models.
 *
 * The k_* goldens were produced by TFLite itself: ai-edge-litert 2.3.0 with
 * OpResolverType.BUILTIN_REF, running one-op models built from the same
 * parameters and pat() data as the tests below. */
#include <stdint.h>
#include <string.h>

#include "ops/conv_test_util.h"

extern const tfl__op tfl__op_depthwise_conv_2d;

/* ---- goldens from TFLite (BUILTIN_REF) ---------------------------------- */
static const float k_f32_dm2_same[144] = {
    0.001953125f, 0.0f,         0.0f,        0.0f,         1.11914062f,  0.0f,        0.123046875f,
    0.0f,         0.0f,         0.0f,        0.0f,         0.0f,         0.00390625f, 0.0f,
    0.0f,         3.12695312f,  1.546875f,   1.63867188f,  0.115234375f, 0.0f,        0.798828125f,
    1.21875f,     0.0f,         0.0f,        0.083984375f, 0.095703125f, 0.0f,        0.32421875f,
    0.0f,         0.49609375f,  0.0f,        0.0f,         0.0f,         4.203125f,   0.0f,
    0.0f,         0.0f,         0.0f,        1.45117188f,  3.89257812f,  0.0f,        3.90039062f,
    0.0f,         0.0f,         0.0f,        0.0f,         0.0f,         0.0f,        0.0f,
    0.0f,         3.00390625f,  1.484375f,   0.0f,         0.0f,         0.0f,        0.62890625f,
    1.78710938f,  0.0f,         0.0f,        0.0f,         1.70898438f,  1.23828125f, 0.0f,
    0.0f,         0.46484375f,  0.796875f,   0.0f,         0.0f,         6.40429688f, 0.0f,
    0.0f,         0.0f,         3.26367188f, 3.3515625f,   0.0f,         0.0f,        0.0f,
    0.0f,         4.171875f,    4.37304688f, 6.80078125f,  0.0f,         3.90234375f, 4.74609375f,
    0.0f,         0.0f,         0.0f,        2.54101562f,  0.0f,         0.0f,        0.0f,
    0.0f,         3.61523438f,  0.0f,        0.0f,         0.0f,         0.0f,        0.0f,
    3.51757812f,  2.453125f,    3.11523438f, 7.203125f,    0.0f,         0.0f,        0.0f,
    0.0f,         0.0f,         0.0f,        0.0f,         0.0f,         0.0f,        0.0f,
    0.0f,         0.0f,         0.0f,        3.86914062f,  0.0f,         0.0f,        2.25195312f,
    0.263671875f, 0.0f,         0.0f,        2.328125f,    0.0f,         1.40429688f, 2.75976562f,
    0.0f,         0.0f,         2.375f,      1.6953125f,   0.0f,         0.0f,        0.0f,
    0.0f,         0.75390625f,  0.0f,        3.17578125f,  0.0f,         0.07421875f, 0.0f,
    0.357421875f, 0.419921875f, 1.1640625f,  0.0f,
};
static const uint8_t k_u8_dm3_dil[48] = {
    33, 68, 140, 140, 20, 20, 56, 87, 20,  39, 94, 20, 20, 104, 20, 20,
    20, 61, 20,  30,  99, 20, 32, 20, 20,  20, 20, 71, 59, 114, 20, 20,
    73, 20, 20,  39,  20, 20, 20, 20, 140, 20, 20, 94, 20, 67,  20, 86,
};
static const int8_t k_s8_per_channel[72] = {
    -6,  42,  -21, -8,   -12, -17, 50, -35, 10,  -83, -40,  -19, 61,  -38, 10,  127, -44, -5,
    -32, 66,  5,   87,   8,   16,  -7, -13, -48, 11,  18,   17,  -10, -36, -27, -72, 46,  -2,
    -19, -77, -68, 34,   -22, 85,  24, -55, -8,  56,  -128, -19, -8,  14,  -67, 87,  -65, -115,
    -18, 127, 51,  -105, -38, 45,  12, -19, 105, 30,  -14,  36,  52,  -64, -38, 35,  54,  15,
};
static const int16_t k_s16_dm2[72] = {
    -935,  -519,  -3156, -9267, 6067,   2542,  -629,  -825,  -6759, -10000, 10000, 10000,
    -598,  -502,  8140,  6947,  -10000, -6271, -1480, 684,   3474,  -1569,  -6284, -2197,
    -2594, 3821,  1736,  -6072, 10000,  3289,  -1276, 2079,  3501,  1367,   -6587, -5025,
    -349,  -2748, -4350, 3279,  -4125,  -4704, -177,  -1794, 5892,  6913,   2657,  4596,
    -478,  -1340, 3115,  -1864, -960,   -1632, -344,  -907,  -890,  -4447,  10000, 7140,
    -734,  308,   -2917, -4013, -7702,  -6456, -517,  -331,  4050,  4307,   404,   -619,
};
static const uint8_t k_u8_double_rounding[16] = {
    3, 4, 5, 6, 7, 10, 13, 231, 243, 246, 249, 250, 128, 129, 129, 130,
};

enum { SAME = 0, VALID = 1 };
enum { NONE = 0, RELU = 1, RELU_N1_TO_1 = 2, RELU6 = 3 };

/* One DEPTHWISE_CONV_2D setup: tensors filled from pat(), bias scale
 * input * filter, per-channel scales on filter dimension 3. */
typedef struct dw_case {
    tfl_type type, ftype, btype;
    int32_t in[4], f[4], out[4];
    int in_seed, in_lo, in_hi;
    float in_div, in_scale;
    int in_zp;
    int f_seed, f_lo, f_hi;
    float f_div;
    int nfs; /* filter scales: 1 = per-tensor */
    float fs[8];
    int f_zp;
    int b_seed, b_lo, b_hi; /* b_seed 0: no bias (input omitted) */
    float b_div;
    float out_scale;
    int out_zp;
    int pad, sw, sh, dm, act, dw, dh;
} dw_case;

typedef struct built {
    op_harness h;
    void *in, *f, *b;
    int out;
} built;

static void build(built *B, const dw_case *c)
{
    op_harness *h = &B->h;
    h_init(h, &tfl__op_depthwise_conv_2d, "DEPTHWISE_CONV_2D");
    int nin = dims_count(4, c->in), nf = dims_count(4, c->f), nb = c->f[3];
    B->in = malloc((size_t)nin * 8);
    B->f = malloc((size_t)nf * 8);
    B->b = malloc((size_t)nb * 8);
    fill_pat(B->in, c->type, nin, c->in_seed, c->in_lo, c->in_hi, c->in_div);
    fill_pat(B->f, c->ftype, nf, c->f_seed, c->f_lo, c->f_hi, c->f_div);
    fill_pat(B->b, c->btype, nb, c->b_seed, c->b_lo, c->b_hi, c->b_div);
    bool q = c->type != TFL_FLOAT32;
    int i = h_input(h, c->type, 4, c->in, B->in, q ? c->in_scale : 0.0f, c->in_zp);
    int f = h_tensor(h, c->ftype, 4, c->f, B->f, q ? c->fs[0] : 0.0f, c->f_zp);
    if (q && c->nfs > 1)
        h_per_channel(h, f, c->nfs, c->fs, NULL, 3);
    int b = -1;
    if (c->b_seed) {
        b = h_tensor(h, c->btype, 1, &c->f[3], B->b, q ? c->in_scale * c->fs[0] : 0.0f, 0);
        if (q && c->nfs > 1) {
            float bs[8];
            for (int k = 0; k < c->nfs; ++k)
                bs[k] = c->in_scale * c->fs[k];
            h_per_channel(h, b, c->nfs, bs, NULL, 0);
        }
    }
    B->out = h_tensor(h, c->type, 0, NULL, NULL, q ? c->out_scale : 0.0f, c->out_zp);
    h_io(h, 3, (int[]){i, f, b}, 1, &B->out);
    h_opt_u8(h, 0, (uint8_t)c->pad);
    h_opt_i32(h, 1, c->sw);
    h_opt_i32(h, 2, c->sh);
    h_opt_i32(h, 3, c->dm);
    h_opt_u8(h, 4, (uint8_t)c->act);
    h_opt_i32(h, 5, c->dw ? c->dw : 1);
    h_opt_i32(h, 6, c->dh ? c->dh : 1);
}

static void unbuild(built *B)
{
    h_free(&B->h);
    free(B->in);
    free(B->f);
    free(B->b);
}

static void run_case(const dw_case *c, const void *expected)
{
    built B;
    build(&B, c);
    tfl_status s = h_run(&B.h);
    CHECK_EQ_INT(s, TFL_OK);
    if (s != TFL_OK)
        fprintf(stderr, "  %s\n", B.h.error);
    else {
        check_dims(&B.h.tensors[B.out], 4, c->out);
        check_output(&B.h, B.out, expected, dims_count(4, c->out));
    }
    unbuild(&B);
}

static void expect_fail(const dw_case *c, tfl_status status, const char *needle)
{
    built B;
    build(&B, c);
    CHECK_EQ_INT(h_prepare(&B.h), status);
    CHECK_CONTAINS(B.h.error, needle);
    unbuild(&B);
}

static const dw_case k_f32_base = {
    .type = TFL_FLOAT32,
    .ftype = TFL_FLOAT32,
    .btype = TFL_FLOAT32,
    .in = {2, 5, 4, 3},
    .f = {1, 3, 3, 6},
    .out = {2, 3, 4, 6},
    .in_seed = 31,
    .in_lo = -50,
    .in_hi = 50,
    .in_div = 16,
    .f_seed = 32,
    .f_lo = -40,
    .f_hi = 40,
    .f_div = 32,
    .b_seed = 33,
    .b_lo = -20,
    .b_hi = 20,
    .b_div = 8,
    .pad = SAME,
    .sw = 1,
    .sh = 2,
    .dm = 2,
    .act = RELU,
};

static const dw_case k_u8_base = {
    .type = TFL_UINT8,
    .ftype = TFL_UINT8,
    .btype = TFL_INT32,
    .in = {1, 6, 5, 2},
    .f = {1, 3, 2, 6},
    .out = {1, 2, 4, 6},
    .in_seed = 34,
    .in_lo = 0,
    .in_hi = 255,
    .in_scale = 0.01f,
    .in_zp = 110,
    .f_seed = 35,
    .f_lo = 0,
    .f_hi = 255,
    .nfs = 1,
    .fs = {0.03f},
    .f_zp = 140,
    .b_seed = 36,
    .b_lo = -2000,
    .b_hi = 2000,
    .out_scale = 0.05f,
    .out_zp = 20,
    .pad = VALID,
    .sw = 1,
    .sh = 1,
    .dm = 3,
    .act = RELU6,
    .dw = 1,
    .dh = 2,
};

/* Filter zero point 3 is ignored for int8, as in TFLite. */
static const dw_case k_s8_base = {
    .type = TFL_INT8,
    .ftype = TFL_INT8,
    .btype = TFL_INT32,
    .in = {2, 5, 5, 4},
    .f = {1, 3, 3, 4},
    .out = {2, 3, 3, 4},
    .in_seed = 37,
    .in_lo = -128,
    .in_hi = 127,
    .in_scale = 0.02f,
    .in_zp = 7,
    .f_seed = 38,
    .f_lo = -127,
    .f_hi = 127,
    .nfs = 4,
    .fs = {0.01f, 0.03f, 0.02f, 0.05f},
    .b_seed = 39,
    .b_lo = -3000,
    .b_hi = 3000,
    .out_scale = 0.1f,
    .out_zp = -4,
    .pad = SAME,
    .sw = 2,
    .sh = 2,
    .dm = 1,
    .act = NONE,
    .dw = 2,
    .dh = 2,
};

static const dw_case k_s16_base = {
    .type = TFL_INT16,
    .ftype = TFL_INT8,
    .btype = TFL_INT64,
    .in = {1, 4, 3, 3},
    .f = {1, 2, 2, 6},
    .out = {1, 4, 3, 6},
    .in_seed = 40,
    .in_lo = -20000,
    .in_hi = 20000,
    .in_scale = 0.0001f,
    .f_seed = 41,
    .f_lo = -127,
    .f_hi = 127,
    .nfs = 6,
    .fs = {0.002f, 0.003f, 0.004f, 0.005f, 0.006f, 0.007f},
    .b_seed = 42,
    .b_lo = -300000,
    .b_hi = 300000,
    .out_scale = 0.0001f,
    .pad = SAME,
    .sw = 1,
    .sh = 1,
    .dm = 2,
    .act = RELU_N1_TO_1,
};

static void test_f32(void)
{
    run_case(&k_f32_base, k_f32_dm2_same);
}
static void test_u8(void)
{
    run_case(&k_u8_base, k_u8_dm3_dil);
}
static void test_s8_per_channel(void)
{
    run_case(&k_s8_base, k_s8_per_channel);
}
static void test_s16(void)
{
    run_case(&k_s16_base, k_s16_dm2);
}

/* uint8 depthwise always uses gemmlowp's double rounding (TFLite's
 * DepthwiseConvRound<kAwayFromZero>), even in the single-rounding build:
 * acc * 0.0787382 lands near .5 for these accumulators (the biases), where
 * single rounding would give one less in magnitude for all but acc = 0
 * and 7. */
static void test_u8_double_rounding(void)
{
    static const uint8_t in[1] = {0};
    static const uint8_t w[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    static const int32_t bias[16] = {-1581, -1568, -1555, -1543, -1530, -1492, -1454, 1301,
                                     1454,  1492,  1530,  1543,  0,     6,     7,     19};
    op_harness h;
    h_init(&h, &tfl__op_depthwise_conv_2d, "DEPTHWISE_CONV_2D");
    int i = h_input(&h, TFL_UINT8, 4, (int32_t[]){1, 1, 1, 1}, in, 0.37f, 0);
    int f = h_tensor(&h, TFL_UINT8, 4, (int32_t[]){1, 1, 1, 16}, w, 0.0113f, 0);
    int b = h_tensor(&h, TFL_INT32, 1, (int32_t[]){16}, bias, 0.37f * 0.0113f, 0);
    int o = h_tensor(&h, TFL_UINT8, 0, NULL, NULL, 0.0531f, 128);
    h_io(&h, 3, (int[]){i, f, b}, 1, &o);
    h_opt_u8(&h, 0, VALID);
    h_opt_i32(&h, 1, 1);
    h_opt_i32(&h, 2, 1);
    h_opt_i32(&h, 3, 16);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    check_output(&h, o, k_u8_double_rounding, 16);
    h_free(&h);
}

/* Hand-derived: 2 channels, depth multiplier 2, 1x1 image, 2x2 filter with
 * SAME padding (only tap (0,0) sees the pixel), no bias, RELU6. */
static void test_f32_no_bias_by_hand(void)
{
    static const float in[2] = {2.0f, -3.0f};
    /* [1, 2, 2, 4]: tap (0,0) = {1, -1, 2, 4}, other taps are never read */
    static const float w[16] = {1, -1, 2, 4, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
    op_harness h;
    h_init(&h, &tfl__op_depthwise_conv_2d, "DEPTHWISE_CONV_2D");
    int i = h_input(&h, TFL_FLOAT32, 4, (int32_t[]){1, 1, 1, 2}, in, 0, 0);
    int f = h_tensor(&h, TFL_FLOAT32, 4, (int32_t[]){1, 2, 2, 4}, w, 0, 0);
    int o = h_tensor(&h, TFL_FLOAT32, 0, NULL, NULL, 0, 0);
    h_io(&h, 2, (int[]){i, f}, 1, &o);
    h_opt_u8(&h, 0, SAME);
    h_opt_i32(&h, 1, 1);
    h_opt_i32(&h, 2, 1);
    h_opt_u8(&h, 4, RELU6);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    static const float want[4] = {2.0f, 0.0f, 0.0f, 0.0f}; /* 2, -2, -6, -12 clamped */
    check_dims(&h.tensors[o], 4, (int32_t[]){1, 1, 1, 4});
    check_output(&h, o, want, 4);
    h_free(&h);
}

static void test_bad_models(void)
{
    dw_case c = k_s8_base;
    c.f[0] = 2;
    expect_fail(&c, TFL_ERROR_BAD_MODEL,
                "filter int8[2,3,3,4] must be [1, height, width, channels]");
    c = k_s8_base;
    c.in[3] = 3;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "filter channels 4 are not a multiple of input depth 3");
    c = k_s8_base;
    c.sh = 40000;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "must be <= 32767");
    c = k_s8_base;
    c.pad = 5;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "padding 5");
    c = k_s16_base;
    c.btype = TFL_INT32;
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "bias type int32 not supported (expected int64)");
    c = k_s8_base;
    c.type = TFL_FLOAT32; /* hybrid with an int32 bias */
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "hybrid depthwise convolution needs float32 output");
    c = k_s8_base;
    c.nfs = 3;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "filter has 3 scales on dimension 3, expected 4");
    c = k_s16_base;
    c.out_zp = 1;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "int16 input and output need zero point 0");

    built B;
    build(&B, &k_s8_base);
    B.h.tensors[2].ndim = 2;
    B.h.tensors[2].dims[1] = 1;
    CHECK_EQ_INT(h_prepare(&B.h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(B.h.error, "DEPTHWISE_CONV_2D (node 0): bias int32[4,1] must be [4]");
    unbuild(&B);
}

TFL_TEST_MAIN(TEST(test_f32), TEST(test_u8), TEST(test_s8_per_channel), TEST(test_s16),
              TEST(test_u8_double_rounding), TEST(test_f32_no_bias_by_hand), TEST(test_bad_models))
