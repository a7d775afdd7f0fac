/* QUANTIZE and DEQUANTIZE tests: float -> int rounding and saturation (per
 * tensor and per channel), requantization against LiteRT's reference
 * outputs, dequantization of every supported type, and bad models. */
#include <math.h>
#include <stdint.h>

#include "kernels/quant.h"
#include "ops/elementwise_cases.h"
#include "test.h"

extern const tfl__op tfl__op_quantize, tfl__op_dequantize;

static void test_quantize_f32_s8_rounding(void)
{
    /* x / 0.5 rounded half away from zero, plus -3, saturated. Non-finite
     * and huge inputs follow LiteRT's x86 build: the float -> int32
     * conversion yields INT32_MIN, and adding the negative zero point wraps
     * it to the top of the range. */
    static const float x[9] = {0.25f,    -0.25f,    1.0f, 100.0f, -100.0f,
                               INFINITY, -INFINITY, NAN,  -64.0f};
    static const int8_t want[9] = {-2, -4, -1, 127, -128, 127, 127, 127, -128};
    const ew_tensor in[1] = {{TFL_FLOAT32, 1, {9}, 0, 0, x}};
    const ew_tensor out = {TFL_INT8, 1, {9}, 0.5f, -3, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
    /* With a zero point of 0, INT32_MIN + 0 saturates to the minimum. */
    static const int8_t want0[9] = {1, -1, 2, 127, -128, -128, -128, -128, -128};
    const ew_tensor out0 = {TFL_INT8, 1, {9}, 0.5f, 0, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out0, NULL, 0, want0);
}

static void test_quantize_f32_s16(void)
{
    static const float x[5] = {1.0f, -1.0f, 0.00001f, 2.0f, -2.0f};
    static const int16_t want[5] = {16384, -16384, 0, 32767, -32768};
    const ew_tensor in[1] = {{TFL_FLOAT32, 1, {5}, 0, 0, x}};
    const ew_tensor out = {TFL_INT16, 1, {5}, 1.0f / 16384, 0, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}

/* Runs QUANTIZE float [2,3] -> int8 per channel along dimension dim. */
static tfl_status quantize_per_channel(int dim, int count, const float *scales, const int64_t *zps,
                                       int8_t *got, char *err)
{
    static const float x[6] = {1.0f, 1.0f, 1.0f, -2.0f, -2.0f, -2.0f};
    int32_t dims[2] = {2, 3};
    op_harness h;
    h_init(&h, &tfl__op_quantize, "QUANTIZE");
    int i = h_input(&h, TFL_FLOAT32, 2, dims, x, 0, 0);
    int o = h_tensor(&h, TFL_INT8, 2, dims, NULL, scales[0], (int32_t)zps[0]);
    h_per_channel(&h, o, count, scales, zps, dim);
    h_io(&h, 1, &i, 1, &o);
    tfl_status s = h_run(&h);
    if (s == TFL_OK)
        memcpy(got, h_data(&h, o), 6);
    snprintf(err, 256, "%s", h.error);
    h_free(&h);
    return s;
}

static void test_quantize_per_channel(void)
{
    char err[256];
    int8_t got[6];
    /* Along dimension 1: scales 0.5, 0.25, 1 and zero points 0, 1, -1. */
    static const float s3[3] = {0.5f, 0.25f, 1.0f};
    static const int64_t z3[3] = {0, 1, -1};
    static const int8_t want1[6] = {2, 5, 0, -4, -7, -3};
    CHECK_EQ_INT(quantize_per_channel(1, 3, s3, z3, got, err), TFL_OK);
    ew_expect_ints("per-channel dim 1", TFL_INT8, got, want1, 6);
    /* Along dimension 0: scales 0.1, 0.01 (saturates). */
    static const float s2[2] = {0.1f, 0.01f};
    static const int64_t z2[2] = {0, 0};
    static const int8_t want0[6] = {10, 10, 10, -128, -128, -128};
    CHECK_EQ_INT(quantize_per_channel(0, 2, s2, z2, got, err), TFL_OK);
    ew_expect_ints("per-channel dim 0", TFL_INT8, got, want0, 6);
    /* Scale count must match the dimension. */
    CHECK_EQ_INT(quantize_per_channel(0, 3, s3, z3, got, err), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(err, "3 per-channel scales do not match dimension 0 of the output");
}

static void test_quantize_errors(void)
{
    static const float f[3] = {0};
    static const int32_t d32[3] = {0};
    static const int16_t d16[3] = {0};
    {
        const ew_tensor in[1] = {{TFL_FLOAT32, 1, {3}, 0, 0, f}};
        const ew_tensor out = {TFL_INT8, 1, {3}, 0, 0, NULL};
        ew_check_fails(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "output (int8) has no quantization");
        const ew_tensor out32 = {TFL_INT32, 1, {3}, 0.5f, 0, NULL};
        ew_check_fails(&tfl__op_quantize, "QUANTIZE", in, 1, &out32, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "float32 to int32 not supported");
    }
    {
        const ew_tensor in[1] = {{TFL_INT32, 1, {3}, 0.5f, 0, d32}};
        const ew_tensor out = {TFL_UINT8, 1, {3}, 0.5f, 0, NULL};
        ew_check_fails(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "int32 to uint8 not supported");
    }
    {
        const ew_tensor in[1] = {{TFL_INT16, 1, {3}, 0.5f, 0, d16}};
        const ew_tensor out = {TFL_INT16, 1, {3}, 0.5f, 2, NULL};
        ew_check_fails(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "int16 zero points must be 0 (got 0, 2)");
        const ew_tensor noq[1] = {{TFL_INT16, 1, {3}, 0, 0, d16}};
        const ew_tensor out8 = {TFL_INT8, 1, {3}, 0.5f, 0, NULL};
        ew_check_fails(&tfl__op_quantize, "QUANTIZE", noq, 1, &out8, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "input (int16) needs a positive scale");
    }
}

/* QuantizeMultiplier's contract: real = multiplier * 2^(shift - 31), or a
 * refusal for what has no such form. */
static void test_quantize_multiplier_limits(void)
{
    int32_t m = 7;
    int e = 7;
    CHECK_EQ_INT(tfl__quantize_multiplier(0.75, &m, &e), 0);
    CHECK_EQ_INT(m, 1610612736);
    CHECK_EQ_INT(e, 0);
    CHECK_EQ_INT(tfl__quantize_multiplier(0.0, &m, &e), 0);
    CHECK_EQ_INT(m, 0);
    CHECK_EQ_INT(tfl__quantize_multiplier(-0.75, &m, &e), 0); /* LEAKY_RELU's negative alpha */
    CHECK_EQ_INT(m, -1610612736);
    CHECK_EQ_INT(tfl__quantize_multiplier(1e-12, &m, &e), 0); /* below 2^-31 flushes to 0 */
    CHECK_EQ_INT(m, 0);
#if !TFL_SINGLE_ROUNDING /* which clamps the shift to 30 instead */
    CHECK_EQ_INT(tfl__quantize_multiplier(ldexp(0.75, 31), &m, &e), 0);
    CHECK_EQ_INT(e, 31);
    /* Beyond 31 as TFLite: the kernels take the shift modulo 32. */
    CHECK_EQ_INT(tfl__quantize_multiplier(ldexp(0.75, 102), &m, &e), 0);
    CHECK_EQ_INT(m, 1610612736);
    CHECK_EQ_INT(e, 102);
#endif
    CHECK_EQ_INT(tfl__quantize_multiplier(INFINITY, &m, &e), -1);
    CHECK_EQ_INT(tfl__quantize_multiplier(-INFINITY, &m, &e), -1);
    CHECK_EQ_INT(tfl__quantize_multiplier(NAN, &m, &e), -1);
}

static void test_dequantize(void)
{
    static const uint8_t u[4] = {0, 128, 255, 129};
    static const float want_u[4] = {-64.0f, 0.0f, 63.5f, 0.5f};
    const ew_tensor in_u[1] = {{TFL_UINT8, 1, {4}, 0.5f, 128, u}};
    const ew_tensor out = {TFL_FLOAT32, 1, {4}, 0, 0, NULL};
    ew_check_floats(&tfl__op_dequantize, "DEQUANTIZE", in_u, 1, &out, NULL, 0, want_u, 0);

    /* (float)(scale * (q - zp)) with the product in double. */
    static const int8_t s[4] = {-128, 127, 0, -1};
    static const float want_s[4] = {(float)(0.1f * -131.0), (float)(0.1f * 124.0),
                                    (float)(0.1f * -3.0), (float)(0.1f * -4.0)};
    const ew_tensor in_s[1] = {{TFL_INT8, 1, {4}, 0.1f, 3, s}};
    ew_check_floats(&tfl__op_dequantize, "DEQUANTIZE", in_s, 1, &out, NULL, 0, want_s, 0);

    static const int16_t w[4] = {-32768, 32767, 1, 0};
    static const float want_w[4] = {-1.0f, 32767.0f / 32768, 1.0f / 32768, 0.0f};
    const ew_tensor in_w[1] = {{TFL_INT16, 1, {4}, 1.0f / 32768, 0, w}};
    ew_check_floats(&tfl__op_dequantize, "DEQUANTIZE", in_w, 1, &out, NULL, 0, want_w, 0);

    /* IEEE half: 1, -2, 65504, smallest subnormal, inf, -0, 1/3 rounded. */
    static const uint16_t h[7] = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x8000, 0x3555};
    static const float want_h[7] = {1.0f,     -2.0f, 65504.0f,    5.96046448e-08f,
                                    INFINITY, -0.0f, 0.333251953f};
    const ew_tensor in_h[1] = {{TFL_FLOAT16, 1, {7}, 0, 0, h}};
    const ew_tensor out_h = {TFL_FLOAT32, 1, {7}, 0, 0, NULL};
    ew_check_floats(&tfl__op_dequantize, "DEQUANTIZE", in_h, 1, &out_h, NULL, 0, want_h, 0);
}

static void test_dequantize_per_channel(void)
{
    static const int8_t x[6] = {10, 10, 10, -10, -10, -10};
    static const float scales[3] = {0.5f, 0.25f, 2.0f};
    static const int64_t zps[3] = {0, 2, -2};
    int32_t dims[2] = {2, 3};
    op_harness h;
    h_init(&h, &tfl__op_dequantize, "DEQUANTIZE");
    int i = h_input(&h, TFL_INT8, 2, dims, x, scales[0], 0);
    h_per_channel(&h, i, 3, scales, zps, 1);
    int o = h_tensor(&h, TFL_FLOAT32, 2, dims, NULL, 0, 0);
    h_io(&h, 1, &i, 1, &o);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    static const float want[6] = {5.0f, 2.0f, 24.0f, -5.0f, -3.0f, -16.0f};
    ew_expect_floats("dequantize per channel", h_data(&h, o), want, 6, 0);
    h_free(&h);
}

static void test_dequantize_errors(void)
{
    static const int8_t d8[3] = {0};
    static const int32_t d32[3] = {0};
    const ew_tensor in[1] = {{TFL_INT8, 1, {3}, 0.5f, 0, d8}};
    const ew_tensor out = {TFL_INT8, 1, {3}, 0, 0, NULL};
    ew_check_fails(&tfl__op_dequantize, "DEQUANTIZE", in, 1, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                   "output type int8, expected float32");
    const ew_tensor in32[1] = {{TFL_INT32, 1, {3}, 0.5f, 0, d32}};
    const ew_tensor outf = {TFL_FLOAT32, 1, {3}, 0, 0, NULL};
    ew_check_fails(&tfl__op_dequantize, "DEQUANTIZE", in32, 1, &outf, NULL, 0,
                   TFL_ERROR_UNSUPPORTED, "input type int32 not supported");
    const ew_tensor noq[1] = {{TFL_INT8, 1, {3}, 0, 0, d8}};
    ew_check_fails(&tfl__op_dequantize, "DEQUANTIZE", noq, 1, &outf, NULL, 0, TFL_ERROR_BAD_MODEL,
                   "input (int8) has no quantization");
}

/* float32 -> uint8, scale 0.1, zero point 128 (expected: LiteRT BUILTIN_REF) */
static void test_quantize_f32_u8(void)
{
    static const float in0[12] = {
        -13.0f,       -12.8500004f, -0.0500000007f, -0.0489999987f, 0.0f,       0.0500000007f,
        0.149000004f, 0.150000006f, 12.6999998f,    12.75f,         1000000.0f, -1000000.0f,
    };
    static const uint8_t want[12] = {
        0, 0, 127, 128, 128, 129, 129, 130, 255, 255, 255, 0,
    };
    const ew_tensor in[1] = {
        {TFL_FLOAT32, 1, {12}, 0.0f, 0, in0},
    };
    const ew_tensor out = {TFL_UINT8, 1, {12}, 0.100000001f, 128, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}
/* uint8 -> int8, 0.05/128 -> 0.05/0 (expected: LiteRT BUILTIN_REF) */
static void test_requantize_u8_s8_same_scale(void)
{
    static const uint8_t in0[14] = {
        0, 12, 153, 129, 58, 132, 167, 67, 146, 33, 238, 5, 106, 255,
    };
    static const int8_t want[14] = {
        -128, -116, 25, 1, -70, 4, 39, -61, 18, -95, 110, -123, -22, 127,
    };
    const ew_tensor in[1] = {
        {TFL_UINT8, 2, {2, 7}, 0.0500000007f, 128, in0},
    };
    const ew_tensor out = {TFL_INT8, 2, {2, 7}, 0.0500000007f, 0, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}
/* int8 -> uint8, 0.05/-3 -> 0.05/125 (expected: LiteRT BUILTIN_REF) */
static void test_requantize_s8_u8_same_scale(void)
{
    static const int8_t in0[14] = {
        -128, -31, 31, -122, -127, -68, -94, 73, -98, 30, 81, 123, -97, 127,
    };
    static const uint8_t want[14] = {
        0, 97, 159, 6, 1, 60, 34, 201, 30, 158, 209, 251, 31, 255,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 2, {2, 7}, 0.0500000007f, -3, in0},
    };
    const ew_tensor out = {TFL_UINT8, 2, {2, 7}, 0.0500000007f, 125, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}
/* uint8 -> uint8, 0.05/10 -> 0.13/200 (expected: LiteRT BUILTIN_REF) */
static void test_requantize_u8_u8(void)
{
    static const uint8_t in0[14] = {
        0, 161, 94, 47, 22, 215, 196, 107, 125, 7, 109, 243, 119, 255,
    };
    static const uint8_t want[14] = {
        196, 255, 233, 214, 205, 255, 255, 238, 244, 199, 238, 255, 242, 255,
    };
    const ew_tensor in[1] = {
        {TFL_UINT8, 2, {2, 7}, 0.0500000007f, 10, in0},
    };
    const ew_tensor out = {TFL_UINT8, 2, {2, 7}, 0.129999995f, 200, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}
/* uint8 -> int16, 0.05/30 -> 0.001/0 (expected: LiteRT BUILTIN_REF) */
static void test_requantize_u8_s16(void)
{
    static const uint8_t in0[14] = {
        0, 82, 189, 126, 96, 69, 163, 194, 185, 248, 69, 155, 2, 255,
    };
    static const int16_t want[14] = {
        -1500, 2600, 7950, 4800, 3300, 1950, 6650, 8200, 7750, 10900, 1950, 6250, -1400, 11250,
    };
    const ew_tensor in[1] = {
        {TFL_UINT8, 2, {2, 7}, 0.0500000007f, 30, in0},
    };
    const ew_tensor out = {TFL_INT16, 2, {2, 7}, 0.00100000005f, 0, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}
/* int8 -> int8, 0.3/5 -> 0.07/-9 (expected: LiteRT BUILTIN_REF) */
static void test_requantize_s8_s8_big_multiplier(void)
{
    static const int8_t in0[14] = {
        -128, -69, -84, -60, 126, -31, -18, 17, 122, 59, 16, -116, -3, 127,
    };
    static const int8_t want[14] = {
        -128, -128, -128, -128, 127, -128, -108, 42, 127, 127, 38, -128, -43, 127,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 2, {2, 7}, 0.300000012f, 5, in0},
    };
    const ew_tensor out = {TFL_INT8, 2, {2, 7}, 0.0700000003f, -9, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}
/* int8 -> int16, 0.02/-1 -> 0.0001/0 (expected: LiteRT BUILTIN_REF) */
static void test_requantize_s8_s16(void)
{
    static const int8_t in0[14] = {
        -128, 119, 41, -72, -116, -22, -115, -117, 46, 74, 70, -87, -126, 127,
    };
    static const int16_t want[14] = {
        -25400, 24000, 8400,  -14200, -23000, -4200,  -22800,
        -23200, 9400,  15000, 14200,  -17200, -25000, 25600,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 2, {2, 7}, 0.0199999996f, -1, in0},
    };
    const ew_tensor out = {TFL_INT16, 2, {2, 7}, 9.99999975e-05f, 0, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}
/* int16 -> int8, 0.0003/0 -> 0.01/3 (expected: LiteRT BUILTIN_REF) */
static void test_requantize_s16_s8(void)
{
    static const int16_t in0[14] = {
        -32768, -17276, -3040, 29174, 21045, 24473, 13639,
        2920,   14325,  9367,  32582, 21925, -5474, 32767,
    };
    static const int8_t want[14] = {
        -128, -128, -88, 127, 127, 127, 127, 91, 127, 127, 127, 127, -128, 127,
    };
    const ew_tensor in[1] = {
        {TFL_INT16, 2, {2, 7}, 0.000300000014f, 0, in0},
    };
    const ew_tensor out = {TFL_INT8, 2, {2, 7}, 0.00999999978f, 3, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}
/* int16 -> int16, 0.0003/0 -> 0.0007/0 (expected: LiteRT BUILTIN_REF) */
static void test_requantize_s16_s16(void)
{
    static const int16_t in0[14] = {
        -32768, -20812, 21130,  -29873, 13904, 474,  -26929,
        -2501,  -9203,  -19634, -27810, 26658, 6072, 32767,
    };
    static const int16_t want[14] = {
        -14044, -8920, 9056,  -12803, 5959,  203,  -11541,
        -1072,  -3944, -8415, -11919, 11425, 2603, 14043,
    };
    const ew_tensor in[1] = {
        {TFL_INT16, 2, {2, 7}, 0.000300000014f, 0, in0},
    };
    const ew_tensor out = {TFL_INT16, 2, {2, 7}, 0.000699999975f, 0, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}
/* int16 -> int32, 0.002/0 -> 0.0001/0 (expected: LiteRT BUILTIN_REF) */
static void test_requantize_s16_s32(void)
{
    static const int16_t in0[14] = {
        -32768, 32349, -16252, 24386, 16929,  -3032,  4129,
        -12897, 21329, -617,   -5513, -25205, -25821, 32767,
    };
    static const int32_t want[14] = {
        -655360, 646980, -325040, 487720,  338580,  -60640,  82580,
        -257940, 426580, -12340,  -110260, -504100, -516420, 655340,
    };
    const ew_tensor in[1] = {
        {TFL_INT16, 2, {2, 7}, 0.00200000009f, 0, in0},
    };
    const ew_tensor out = {TFL_INT32, 2, {2, 7}, 9.99999975e-05f, 0, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}
/* int32 -> int8, 0.0001/0 -> 0.05/-7 (expected: LiteRT BUILTIN_REF) */
static void test_requantize_s32_s8(void)
{
    static const int32_t in0[14] = {
        -200000, -74133, 110449,  7174,    189140, -143068, 155197,
        190601,  94172,  -172067, -176229, -85814, 47745,   200000,
    };
    static const int8_t want[14] = {
        -128, -128, 127, 7, 127, -128, 127, 127, 127, -128, -128, -128, 88, 127,
    };
    const ew_tensor in[1] = {
        {TFL_INT32, 2, {2, 7}, 9.99999975e-05f, 0, in0},
    };
    const ew_tensor out = {TFL_INT8, 2, {2, 7}, 0.0500000007f, -7, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}
/* int32 -> int16, 0.0001/0 -> 0.002/0 (expected: LiteRT BUILTIN_REF) */
static void test_requantize_s32_s16(void)
{
    static const int32_t in0[14] = {
        -200000, -133018, -192288, -134554, 162102, -101846, 46430,
        -159057, 186096,  24330,   30320,   -3825,  -71824,  200000,
    };
    static const int16_t want[14] = {
        -10000, -6651, -9614, -6728, 8105, -5092, 2322, -7953, 9305, 1217, 1516, -191, -3591, 10000,
    };
    const ew_tensor in[1] = {
        {TFL_INT32, 2, {2, 7}, 9.99999975e-05f, 0, in0},
    };
    const ew_tensor out = {TFL_INT16, 2, {2, 7}, 0.00200000009f, 0, NULL};
    ew_check_ints(&tfl__op_quantize, "QUANTIZE", in, 1, &out, NULL, 0, want);
}

TFL_TEST_MAIN(TEST(test_quantize_f32_s8_rounding), TEST(test_quantize_f32_s16),
              TEST(test_quantize_per_channel), TEST(test_quantize_f32_u8),
              TEST(test_requantize_u8_s8_same_scale), TEST(test_requantize_s8_u8_same_scale),
              TEST(test_requantize_u8_u8), TEST(test_requantize_u8_s16),
              TEST(test_requantize_s8_s8_big_multiplier), TEST(test_requantize_s8_s16),
              TEST(test_requantize_s16_s8), TEST(test_requantize_s16_s16),
              TEST(test_requantize_s16_s32), TEST(test_requantize_s32_s8),
              TEST(test_requantize_s32_s16), TEST(test_quantize_errors), TEST(test_dequantize),
              TEST(test_dequantize_per_channel), TEST(test_dequantize_errors),
              TEST(test_quantize_multiplier_limits))
