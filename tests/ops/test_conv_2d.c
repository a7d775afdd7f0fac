/* CONV_2D: every dtype (float32, uint8, per-channel int8, int16 x int8 with
 * int64 and int32 bias), SAME/VALID padding, strides, dilation, groups,
 * fused activations, batch > 1, saturation, effective scales > 1 and tiny,
 * and the checks on bad models.
 *
 * The k_* goldens were produced by TFLite itself: ai-edge-litert 2.3.0 with
 * OpResolverType.BUILTIN_REF, running one-op models built from the same
 * parameters and pat() data as the tests below. */
#include <stdint.h>
#include <string.h>

#include "ops/conv_test_util.h"

extern const tfl__op tfl__op_conv_2d;

/* ---- goldens from TFLite (BUILTIN_REF) ---------------------------------- */
static const float k_f32_same_s2x1[96] = {
    -1.77539062f,  3.26953125f,  0.703125f,     3.93164062f,  -2.10546875f, -3.05664062f,
    -3.58203125f,  0.94921875f,  8.1015625f,    1.9140625f,   5.078125f,    -1.0546875f,
    0.69921875f,   -3.0078125f,  -4.39648438f,  -3.92382812f, -1.54296875f, 7.79882812f,
    -4.67382812f,  1.5078125f,   9.27148438f,   -3.20507812f, -2.1953125f,  -1.29296875f,
    15.828125f,    11.3652344f,  6.45898438f,   -10.2519531f, 6.54296875f,  -1.47070312f,
    -3.01367188f,  -4.01757812f, -0.826171875f, -7.29296875f, -0.6015625f,  3.73632812f,
    3.61914062f,   -2.26367188f, -0.75f,        -2.11328125f, 2.546875f,    2.31054688f,
    6.91601562f,   1.76757812f,  5.44921875f,   -4.31054688f, 0.470703125f, -0.658203125f,
    0.15234375f,   -1.60351562f, -3.62890625f,  -6.2265625f,  0.0703125f,   3.34375f,
    -2.22265625f,  1.17773438f,  -4.13671875f,  -0.88671875f, -5.77539062f, -3.85742188f,
    3.55859375f,   5.39453125f,  2.49023438f,   -0.20703125f, -4.24414062f, -2.09375f,
    -4.02929688f,  -8.34570312f, -1.62109375f,  8.76367188f,  5.58789062f,  -0.578125f,
    11.125f,       3.24414062f,  6.109375f,     -7.62109375f, 4.13671875f,  3.5234375f,
    -3.95117188f,  -6.19726562f, 4.23632812f,   -2.81835938f, -2.765625f,   -4.1484375f,
    3.30859375f,   -4.296875f,   -5.1640625f,   -7.94726562f, -1.32421875f, -1.91601562f,
    -0.650390625f, -2.61914062f, 4.6953125f,    -4.06054688f, 0.427734375f, 3.34375f,
};
static const float k_f32_grouped_dil2[96] = {
    0.347500086f, 0.0f,        4.4749999f,   0.0f,         4.90875006f, 0.0f,           1.36000013f,
    0.0f,         0.0f,        2.61749983f,  3.05499983f,  1.73999989f, 0.272499919f,   0.0f,
    0.0f,         5.72999954f, 0.0f,         3.8862505f,   5.27374983f, 1.27625036f,    0.0f,
    0.0f,         0.0f,        1.48250031f,  3.8974998f,   0.0f,        0.223750353f,   6.0f,
    0.887499988f, 1.3275001f,  5.45000029f,  3.78500032f,  0.0f,        3.08500004f,    1.93374991f,
    0.0f,         3.69249964f, 4.37624979f,  0.0f,         0.0f,        2.69875002f,    0.0f,
    6.0f,         5.06875038f, 0.0f,         0.0f,         3.37249994f, 0.715000033f,   2.03375006f,
    1.5537498f,   4.33374977f, 0.0f,         0.187499881f, 6.0f,        3.57875013f,    2.88875008f,
    2.13999987f,  1.03499997f, 0.0f,         0.0f,         4.27250004f, 3.60249996f,    0.0f,
    2.13999987f,  0.0f,        0.0f,         4.15375042f,  2.45125008f, 0.00874996185f, 0.0f,
    0.299999952f, 0.0f,        1.79124987f,  0.0f,         0.0f,        5.52999973f,    0.0f,
    1.02374983f,  1.59875f,    0.208749771f, 2.07749987f,  2.58249998f, 0.0f,           3.49250007f,
    3.37124991f,  1.81374979f, 0.0f,         1.37125015f,  1.5562501f,  4.26875019f,    2.30874991f,
    0.0f,         0.0f,        4.00874996f,  2.11625004f,  0.0f,
};
static const uint8_t k_u8_same_s2[48] = {
    117, 109, 110, 204, 100, 136, 100, 114, 135, 160, 106, 112, 216, 100, 120, 153,
    100, 208, 131, 104, 100, 112, 131, 112, 100, 100, 196, 100, 150, 152, 100, 140,
    100, 118, 142, 104, 100, 114, 100, 100, 148, 100, 100, 155, 100, 143, 101, 100,
};
static const uint8_t k_u8_saturate[27] = {
    0, 255, 0, 0,   0, 255, 0, 255, 255, 0,   255, 255, 0,   255,
    0, 0,   0, 255, 0, 255, 0, 0,   0,   255, 0,   214, 255,
};
static const int8_t k_s8_per_channel[252] = {
    -5,  24,   -28,  -31,  -88, -48, 79,   -1,  19,   -46,  65,   -26,  40,   -32,  -8,   5,    78,
    -92, -128, -115, -109, 9,   5,   -5,   37,  -67,  -66,  -84,  -54,  -12,  -25,  108,  4,    127,
    73,  14,   -24,  53,   95,  50,  -101, 103, -5,   5,    -9,   -35,  -10,  -127, -128, -27,  10,
    -56, 100,  127,  -127, -30, -6,  -29,  14,  -101, 51,   54,   127,  -5,   103,  23,   -13,  85,
    127, -109, 32,   0,    -29, -48, -104, 127, 127,  -5,   -59,  33,   -71,  -19,  -59,  -83,  16,
    17,  -14,  0,    -54,  47,  -13, -30,  -3,  24,   127,  -128, -128, -128, 15,   -21,  -87,  9,
    120, -22,  127,  3,    -12, -2,  77,   115, 21,   -60,  9,    -38,  -27,  127,  64,   -117, -3,
    6,   -9,   37,   -79,  -78, 66,  61,   -13, 22,   -20,  127,  31,   127,  -7,   21,   53,   10,
    -14, -123, -99,  -62,  24,  7,   -48,  14,  -100, -11,  72,   -20,  -18,  -20,  123,  80,   50,
    67,  -31,  15,   -21,  101, 49,  56,   50,  19,   -2,   -5,   86,   11,   57,   127,  -11,  -37,
    127, 38,   106,  21,   97,  -13, 12,   -30, 27,   37,   102,  127,  4,    29,   -25,  85,   -36,
    77,  -90,  -9,   -6,   -49, -85, 69,   15,  1,    5,    26,   26,   29,   -128, 39,   41,   -16,
    47,  55,   85,   127,  -75, -26, -3,   9,   26,   -80,  -24,  -18,  1,    31,   25,   -4,   38,
    -33, 20,   17,   1,    14,  -10, 30,   29,  -23,  -128, 12,   -11,  12,   -23,  -44,  -69,  94,
    0,   23,   10,   34,   70,  53,  -128, -15, -78,  38,   4,    -96,  -128, 43,
};
static const int8_t k_s8_grouped_big_scale[16] = {
    29, -13, -20, -33, 56, -29, -23, -81, -48, -76, 74, 14, -31, -67, 3, 64,
};
static const int16_t k_s16_b64[80] = {
    49,   4234, 2295, 2920, 3851, 1113, 0,    1769, 0,    0,    98,   2997, 1332, 0,    125,  4825,
    0,    0,    0,    3708, 2158, 9582, 0,    0,    2000, 3397, 0,    0,    0,    0,    444,  5945,
    0,    0,    931,  0,    0,    0,    0,    0,    956,  3974, 0,    6191, 2812, 1456, 0,    3827,
    2216, 3507, 2448, 833,  0,    0,    5555, 0,    0,    4642, 3332, 852,  0,    3249, 0,    750,
    327,  5023, 0,    1893, 0,    7537, 0,    0,    0,    3214, 0,    0,    2420, 1543, 2915, 68,
};
static const int16_t k_s16_b32[12] = {
    -2346, 5870, -2176, 4408, -1898, -2455, 3804, -2982, -5304, 2988, -3211, 1777,
};
static const int8_t k_s8_relu_n1_to_1[16] = {
    1, -3, -3, -3, 1, -3, -3, -3, -3, -3, 1, 1, -3, -3, 0, 1,
};
static const int8_t k_s8_tiny_scale[6] = {
    2, -3, 2, 2, -3, 2,
};
static const int8_t k_s8_double_rounding[16] = {
    -125, -124, -123, -122, -121, -118, -115, 103, 115, 118, 121, 122, 0, 1, 1, 2,
};

enum { SAME = 0, VALID = 1 };
enum { NONE = 0, RELU = 1, RELU_N1_TO_1 = 2, RELU6 = 3, TANH = 4 };

/* One CONV_2D setup: tensors filled from pat(), bias scale input * filter. */
typedef struct conv_case {
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
    int pad, sw, sh, act, dw, dh, qbt;
} conv_case;

typedef struct built {
    op_harness h;
    void *in, *f, *b;
    int out;
} built;

static void build(built *B, const conv_case *c)
{
    op_harness *h = &B->h;
    h_init(h, &tfl__op_conv_2d, "CONV_2D");
    int nin = dims_count(4, c->in), nf = dims_count(4, c->f), nb = c->f[0];
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
        h_per_channel(h, f, c->nfs, c->fs, NULL, 0);
    int b = -1;
    if (c->b_seed) {
        b = h_tensor(h, c->btype, 1, &c->f[0], B->b, q ? c->in_scale * c->fs[0] : 0.0f, 0);
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
    h_opt_u8(h, 3, (uint8_t)c->act);
    h_opt_i32(h, 4, c->dw ? c->dw : 1);
    h_opt_i32(h, 5, c->dh ? c->dh : 1);
    if (c->qbt)
        h_opt_u8(h, 6, (uint8_t)c->qbt);
}

static void unbuild(built *B)
{
    h_free(&B->h);
    free(B->in);
    free(B->f);
    free(B->b);
}

static void run_case(const conv_case *c, const void *expected)
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

/* Runs prepare on a case and expects a failure mentioning `needle`. */
static void expect_fail(const conv_case *c, tfl_status status, const char *needle)
{
    built B;
    build(&B, c);
    CHECK_EQ_INT(h_prepare(&B.h), status);
    CHECK_CONTAINS(B.h.error, needle);
    unbuild(&B);
}

static const conv_case k_u8_base = {
    .type = TFL_UINT8,
    .ftype = TFL_UINT8,
    .btype = TFL_INT32,
    .in = {2, 5, 4, 3},
    .f = {4, 3, 3, 3},
    .out = {2, 3, 2, 4},
    .in_seed = 7,
    .in_lo = 0,
    .in_hi = 255,
    .in_scale = 0.05f,
    .in_zp = 120,
    .f_seed = 8,
    .f_lo = 0,
    .f_hi = 255,
    .nfs = 1,
    .fs = {0.02f},
    .f_zp = 130,
    .b_seed = 9,
    .b_lo = -3000,
    .b_hi = 3000,
    .out_scale = 0.5f,
    .out_zp = 100,
    .pad = SAME,
    .sw = 2,
    .sh = 2,
    .act = RELU,
};

static const conv_case k_s8_base = {
    .type = TFL_INT8,
    .ftype = TFL_INT8,
    .btype = TFL_INT32,
    .in = {2, 6, 5, 5},
    .f = {7, 3, 3, 5},
    .out = {2, 6, 3, 7},
    .in_seed = 13,
    .in_lo = -128,
    .in_hi = 127,
    .in_scale = 0.03f,
    .in_zp = -5,
    .f_seed = 14,
    .f_lo = -127,
    .f_hi = 127,
    .nfs = 7,
    .fs = {0.01f, 0.02f, 0.03f, 0.04f, 0.05f, 0.06f, 0.07f},
    .b_seed = 15,
    .b_lo = -5000,
    .b_hi = 5000,
    .out_scale = 0.5f,
    .out_zp = 3,
    .pad = SAME,
    .sw = 2,
    .sh = 1,
    .act = NONE,
    .dw = 1,
    .dh = 2,
};

static void test_f32_same_stride(void)
{
    conv_case c = {
        .type = TFL_FLOAT32,
        .ftype = TFL_FLOAT32,
        .btype = TFL_FLOAT32,
        .in = {2, 5, 4, 3},
        .f = {4, 3, 2, 3},
        .out = {2, 3, 4, 4},
        .in_seed = 1,
        .in_lo = -50,
        .in_hi = 50,
        .in_div = 16,
        .f_seed = 2,
        .f_lo = -40,
        .f_hi = 40,
        .f_div = 32,
        .b_seed = 3,
        .b_lo = -20,
        .b_hi = 20,
        .b_div = 8,
        .pad = SAME,
        .sw = 1,
        .sh = 2,
        .act = NONE,
    };
    run_case(&c, k_f32_same_s2x1);
}

static void test_f32_grouped_dilated_relu6(void)
{
    conv_case c = {
        .type = TFL_FLOAT32,
        .ftype = TFL_FLOAT32,
        .btype = TFL_FLOAT32,
        .in = {1, 6, 6, 4},
        .f = {6, 2, 2, 2},
        .out = {1, 4, 4, 6},
        .in_seed = 4,
        .in_lo = -50,
        .in_hi = 50,
        .in_div = 20,
        .f_seed = 5,
        .f_lo = -40,
        .f_hi = 40,
        .f_div = 40,
        .b_seed = 6,
        .b_lo = -20,
        .b_hi = 20,
        .b_div = 8,
        .pad = VALID,
        .sw = 1,
        .sh = 1,
        .act = RELU6,
        .dw = 2,
        .dh = 2,
    };
    run_case(&c, k_f32_grouped_dil2);
}

/* Hand-derived: 1x3x3x1 input 1..9, 2x2 filter, no bias, VALID; SAME pads
 * the odd pixel after the image (bottom/right), then RELU_N1_TO_1. */
static void test_f32_no_bias_by_hand(void)
{
    static const float in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    static const float w[4] = {1, 0, 0, -1}; /* x[y][x] - x[y+1][x+1] */
    for (int pad = SAME; pad <= VALID; ++pad) {
        op_harness h;
        h_init(&h, &tfl__op_conv_2d, "CONV_2D");
        int i = h_input(&h, TFL_FLOAT32, 4, (int32_t[]){1, 3, 3, 1}, in, 0, 0);
        int f = h_tensor(&h, TFL_FLOAT32, 4, (int32_t[]){1, 2, 2, 1}, w, 0, 0);
        int o = h_tensor(&h, TFL_FLOAT32, 0, NULL, NULL, 0, 0);
        h_io(&h, 3, (int[]){i, f, -1}, 1, &o);
        h_opt_u8(&h, 0, (uint8_t)pad);
        h_opt_i32(&h, 1, 1);
        h_opt_i32(&h, 2, 1);
        h_opt_u8(&h, 3, pad == SAME ? RELU_N1_TO_1 : NONE);
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        if (pad == VALID) {
            static const float want[4] = {-4, -4, -4, -4};
            check_dims(&h.tensors[o], 4, (int32_t[]){1, 2, 2, 1});
            check_output(&h, o, want, 4);
        } else {
            /* Last row/column see zeros below/right: 3-0, 6-0, 7-0, 8-0, 9. */
            static const float want[9] = {-1, -1, 1, -1, -1, 1, 1, 1, 1};
            check_dims(&h.tensors[o], 4, (int32_t[]){1, 3, 3, 1});
            check_output(&h, o, want, 9);
        }
        h_free(&h);
    }
}

static void test_u8(void)
{
    run_case(&k_u8_base, k_u8_same_s2);
}

static void test_u8_saturate(void)
{
    conv_case c = k_u8_base;
    c.in[0] = 1, c.in[1] = 4, c.in[2] = 4, c.in[3] = 2;
    c.f[0] = 3, c.f[1] = 2, c.f[2] = 2, c.f[3] = 2;
    c.out[0] = 1, c.out[1] = 3, c.out[2] = 3, c.out[3] = 3;
    c.in_seed = 10, c.in_scale = 0.5f, c.in_zp = 0;
    c.f_seed = 11, c.fs[0] = 0.25f, c.f_zp = 128;
    c.b_seed = 12, c.b_lo = -100, c.b_hi = 100;
    c.out_scale = 0.75f, c.out_zp = 128;
    c.pad = VALID, c.sw = 1, c.sh = 1, c.act = NONE;
    run_case(&c, k_u8_saturate);
}

static void test_s8_per_channel(void)
{
    run_case(&k_s8_base, k_s8_per_channel);
}

static const conv_case k_s8_grouped = {
    .type = TFL_INT8,
    .ftype = TFL_INT8,
    .btype = TFL_INT32,
    .in = {1, 3, 3, 6},
    .f = {4, 2, 2, 3},
    .out = {1, 2, 2, 4},
    .in_seed = 16,
    .in_lo = -4,
    .in_hi = 4,
    .in_scale = 0.5f,
    .in_zp = 1,
    .f_seed = 17,
    .f_lo = -3,
    .f_hi = 3,
    .nfs = 4,
    .fs = {0.5f, 0.625f, 0.75f, 0.5f},
    .b_seed = 18,
    .b_lo = -10,
    .b_hi = 10,
    .out_scale = 0.1f,
    .out_zp = -1,
    .pad = VALID,
    .sw = 1,
    .sh = 1,
    .act = NONE,
};

static void test_s8_grouped_scale_above_one(void)
{
    run_case(&k_s8_grouped, k_s8_grouped_big_scale);
}

static void test_s8_relu_n1_to_1(void)
{
    conv_case c = k_s8_grouped;
    c.out_scale = 0.5f;
    c.act = RELU_N1_TO_1;
    run_case(&c, k_s8_relu_n1_to_1);
}

static void test_s8_tiny_scale(void)
{
    /* 1e-7 effective scale: only the large biases reach the output. */
    static const int8_t in[4] = {127, -128, 50, -50};
    static const int8_t w[6] = {127, 127, -127, 5, 0, 0};
    static const int32_t bias[3] = {20000000, -25000001, 14999999};
    static const float fs[3] = {0.001f, 0.001f, 0.001f};
    static const float bs[3] = {1e-6f, 1e-6f, 1e-6f};
    op_harness h;
    h_init(&h, &tfl__op_conv_2d, "CONV_2D");
    int i = h_input(&h, TFL_INT8, 4, (int32_t[]){1, 1, 2, 2}, in, 0.001f, 0);
    int f = h_tensor(&h, TFL_INT8, 4, (int32_t[]){3, 1, 1, 2}, w, 0.001f, 0);
    h_per_channel(&h, f, 3, fs, NULL, 0);
    int b = h_tensor(&h, TFL_INT32, 1, (int32_t[]){3}, bias, 1e-6f, 0);
    h_per_channel(&h, b, 3, bs, NULL, 0);
    int o = h_tensor(&h, TFL_INT8, 0, NULL, NULL, 10.0f, 0);
    h_io(&h, 3, (int[]){i, f, b}, 1, &o);
    h_opt_u8(&h, 0, SAME);
    h_opt_i32(&h, 1, 1);
    h_opt_i32(&h, 2, 1);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    check_output(&h, o, k_s8_tiny_scale, 6);
    h_free(&h);
}

/* acc * 0.0787382 lands near .5 for these accumulators (the biases):
 * gemmlowp's double rounding, which TFLite (and the oracle) uses by default,
 * rounds the 31-bit product first and then again when shifting, so it gives
 * one more in magnitude than single rounding for all but acc = 0 and 7. */
static void test_s8_rounding(void)
{
    static const int8_t in[1] = {0};
    static const int8_t w[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    static const int32_t bias[16] = {-1581, -1568, -1555, -1543, -1530, -1492, -1454, 1301,
                                     1454,  1492,  1530,  1543,  0,     6,     7,     19};
#if TFL_SINGLE_ROUNDING
    static const int8_t want[16] = {-124, -123, -122, -121, -120, -117, -114, 102,
                                    114,  117,  120,  121,  0,    0,    1,    1};
    int differ = 0;
    for (int k = 0; k < 16; ++k)
        differ += want[k] != k_s8_double_rounding[k];
    CHECK_EQ_INT(differ, 14);
#else
    const int8_t *want = k_s8_double_rounding;
#endif
    op_harness h;
    h_init(&h, &tfl__op_conv_2d, "CONV_2D");
    int i = h_input(&h, TFL_INT8, 4, (int32_t[]){1, 1, 1, 1}, in, 0.37f, 0);
    int f = h_tensor(&h, TFL_INT8, 4, (int32_t[]){16, 1, 1, 1}, w, 0.0113f, 0);
    int b = h_tensor(&h, TFL_INT32, 1, (int32_t[]){16}, bias, 0.37f * 0.0113f, 0);
    int o = h_tensor(&h, TFL_INT8, 0, NULL, NULL, 0.0531f, 0);
    h_io(&h, 3, (int[]){i, f, b}, 1, &o);
    h_opt_u8(&h, 0, VALID);
    h_opt_i32(&h, 1, 1);
    h_opt_i32(&h, 2, 1);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    check_output(&h, o, want, 16);
    h_free(&h);
}

static const conv_case k_s16_base = {
    .type = TFL_INT16,
    .ftype = TFL_INT8,
    .btype = TFL_INT64,
    .in = {1, 4, 4, 3},
    .f = {5, 3, 3, 3},
    .out = {1, 4, 4, 5},
    .in_seed = 19,
    .in_lo = -30000,
    .in_hi = 30000,
    .in_scale = 0.001f,
    .f_seed = 20,
    .f_lo = -127,
    .f_hi = 127,
    .nfs = 5,
    .fs = {0.01f, 0.012f, 0.014f, 0.016f, 0.018f},
    .b_seed = 21,
    .b_lo = -100000,
    .b_hi = 100000,
    .out_scale = 0.02f,
    .pad = SAME,
    .sw = 1,
    .sh = 1,
    .act = RELU,
};

static void test_s16_int64_bias(void)
{
    run_case(&k_s16_base, k_s16_b64);
}

static void test_s16_int32_bias(void)
{
    conv_case c = {
        .type = TFL_INT16,
        .ftype = TFL_INT8,
        .btype = TFL_INT32,
        .in = {1, 3, 3, 2},
        .f = {3, 2, 2, 2},
        .out = {1, 2, 2, 3},
        .in_seed = 22,
        .in_lo = -32768,
        .in_hi = 32767,
        .in_scale = 0.0005f,
        .f_seed = 23,
        .f_lo = -127,
        .f_hi = 127,
        .nfs = 3,
        .fs = {0.004f, 0.005f, 0.006f},
        .b_seed = 24,
        .b_lo = -100000,
        .b_hi = 100000,
        .out_scale = 0.003f,
        .pad = VALID,
        .sw = 1,
        .sh = 1,
        .act = NONE,
        .qbt = TFL_INT32,
    };
    run_case(&c, k_s16_b32);
}

/* prepare runs again after a shape change: new output shape, no leak. */
static void test_reprepare(void)
{
    built B;
    build(&B, &k_s8_base);
    CHECK_EQ_INT(h_prepare(&B.h), TFL_OK);
    B.h.tensors[0].dims[0] = 1; /* batch 2 -> 1 */
    CHECK_EQ_INT(h_run(&B.h), TFL_OK);
    check_dims(&B.h.tensors[B.out], 4, (int32_t[]){1, 6, 3, 7});
    check_output(&B.h, B.out, k_s8_per_channel, 6 * 3 * 7);
    unbuild(&B);
}

static void test_bad_options(void)
{
    conv_case c = k_s8_base;
    c.pad = 2;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "padding 2");
    c = k_s8_base;
    c.sw = 0;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "strides must be > 0");
    c = k_s8_base;
    c.dh = -1;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "dilation factors must be > 0");
    c = k_s8_base;
    c.act = TANH;
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "fused activation 4");
    c = k_s16_base;
    c.qbt = TFL_INT32; /* bias is int64 */
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "does not match quantized_bias_type");
}

static void test_bad_shapes(void)
{
    conv_case c = k_s8_base;
    c.f[3] = 2; /* input depth 5 is not a multiple of 2 */
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "input depth 5 is not a multiple of filter depth 2");
    c = k_s8_grouped;
    c.f[0] = 3, c.nfs = 3; /* 3 filters, 2 groups */
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "3 output channels cannot be split into 2 groups");
    c = k_s8_base;
    c.pad = VALID, c.f[1] = 7; /* dilated filter height 13 > input 6 */
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "dilated filter size 13 exceeds input size 6");

    built B;
    build(&B, &k_s8_base);
    B.h.tensors[0].ndim = 3;
    CHECK_EQ_INT(h_prepare(&B.h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(B.h.error, "CONV_2D (node 0): input int8[2,6,5] must have rank 4");
    unbuild(&B);

    build(&B, &k_s8_base);
    B.h.tensors[2].dims[0] = 6;
    CHECK_EQ_INT(h_prepare(&B.h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(B.h.error, "bias int32[6] must have 7 elements");
    unbuild(&B);

    build(&B, &k_s8_base);
    B.h.node.num_inputs = 1;
    CHECK_EQ_INT(h_prepare(&B.h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(B.h.error, "expects 2 to 3 inputs, got 1");
    unbuild(&B);
}

static void test_bad_types(void)
{
    conv_case c = k_s8_base;
    c.ftype = TFL_UINT8, c.nfs = 1;
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "filter type uint8 not supported (expected int8)");
    c = k_s8_base;
    c.btype = TFL_INT64;
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "bias type int64 not supported (expected int32)");
    c = k_s16_base;
    c.ftype = TFL_INT16;
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "filter type int16 not supported (expected int8)");
    c = k_s8_base;
    c.type = TFL_FLOAT32; /* hybrid: float input with an int8 filter, int32 bias */
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "hybrid convolution needs float32 output and bias");
    c = k_u8_base;
    c.type = TFL_FLOAT32; /* hybrid with a uint8 filter */
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "hybrid convolution with a uint8 filter");
    c = k_s8_base;
    c.type = TFL_INT32, c.btype = TFL_INT32;
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "input type int32 not supported");

    built B;
    build(&B, &k_s8_base);
    B.h.tensors[B.out].type = TFL_UINT8;
    CHECK_EQ_INT(h_prepare(&B.h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(B.h.error, "output type uint8 does not match input type int8");
    unbuild(&B);
}

static void test_bad_quantization(void)
{
    conv_case c = k_s8_base;
    c.nfs = 5; /* 5 scales for 7 output channels */
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "filter has 5 scales on dimension 0, expected 7");
    c = k_u8_base;
    c.nfs = 4, c.fs[1] = c.fs[2] = c.fs[3] = 0.03f;
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "per-channel filter quantization with uint8 input");
    c = k_s8_base;
    c.nfs = 1, c.f_zp = 3;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "filter zero point 3 (channel 0), expected 0");
    c = k_s16_base;
    c.in_zp = 2;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "int16 input and output need zero point 0");
    c = k_s8_base;
    c.out_scale = 0.0f;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "quantized output needs a scale > 0");

    /* uint8 bias scale must match input * filter scale 0.001 within 2% of the
     * output scale 0.5. */
    built B;
    build(&B, &k_u8_base);
    B.h.tensors[2].scale = 0.0109f;
    CHECK_EQ_INT(h_prepare(&B.h), TFL_OK);
    unbuild(&B);
    build(&B, &k_u8_base);
    B.h.tensors[2].scale = 0.0111f;
    CHECK_EQ_INT(h_prepare(&B.h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(B.h.error, "does not match input scale * filter scale");
    unbuild(&B);

#if !TFL_SINGLE_ROUNDING
    /* An effective scale of 2^40 overflows TFLite's double-rounding rescale
     * (the single-rounding build clamps it instead). */
    c = k_s8_base;
    c.out_scale = 1e-15f;
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "is too large");
    /* And at 2^30.5 (a shift of 31). */
    c.out_scale = 1.3125e-12f; /* the largest channel ratio 2.1e-3 / 1.3125e-12 = 1.6e9 */
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "is too large");
#endif
}

TFL_TEST_MAIN(TEST(test_f32_same_stride), TEST(test_f32_grouped_dilated_relu6),
              TEST(test_f32_no_bias_by_hand), TEST(test_u8), TEST(test_u8_saturate),
              TEST(test_s8_per_channel), TEST(test_s8_grouped_scale_above_one),
              TEST(test_s8_relu_n1_to_1), TEST(test_s8_tiny_scale), TEST(test_s8_rounding),
              TEST(test_s16_int64_bias), TEST(test_s16_int32_bias), TEST(test_reprepare),
              TEST(test_bad_options), TEST(test_bad_shapes), TEST(test_bad_types),
              TEST(test_bad_quantization))
