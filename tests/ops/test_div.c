/* DIV, FLOOR_DIV and FLOOR_MOD tests: float and integer semantics (signs,
 * overflow, division by zero), quantized DIV against LiteRT's reference
 * outputs, and bad models. */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "ops/elementwise_cases.h"
#include "test.h"

extern const tfl__op tfl__op_div, tfl__op_floor_div, tfl__op_floor_mod;

static void test_div_f32(void)
{
    /* Division by zero is not an error for float: the activation range
     * clamps +-inf to +-FLT_MAX, and 0/0 stays nan. */
    static const float a[5] = {1.0f, -3.0f, 1.0f, -1.0f, 0.0f};
    static const float b[5] = {4.0f, 2.0f, 0.0f, 0.0f, 0.0f};
    static const float want[5] = {0.25f, -1.5f, FLT_MAX, -FLT_MAX, NAN};
    const ew_tensor in[2] = {{TFL_FLOAT32, 1, {5}, 0, 0, a}, {TFL_FLOAT32, 1, {5}, 0, 0, b}};
    const ew_tensor out = {TFL_FLOAT32, 1, {5}, 0, 0, NULL};
    ew_check_floats(&tfl__op_div, "DIV", in, 2, &out, NULL, 0, want, 0);
    const ew_opt relu6[] = {{0, 1, TFL__ACT_RELU6}};
    static const float want6[5] = {0.25f, 0.0f, 6.0f, 0.0f, NAN};
    ew_check_floats(&tfl__op_div, "DIV", in, 2, &out, relu6, 1, want6, 0);
}

static void test_div_s32(void)
{
    /* Truncating; INT32_MIN / -1 gives INT32_MAX as LiteRT's build does. */
    static const int32_t a[5] = {7, -7, 7, -7, INT32_MIN};
    static const int32_t b[5] = {2, 2, -2, -2, -1};
    static const int32_t want[5] = {3, -3, -3, 3, INT32_MAX};
    const ew_tensor in[2] = {{TFL_INT32, 1, {5}, 0, 0, a}, {TFL_INT32, 1, {5}, 0, 0, b}};
    const ew_tensor out = {TFL_INT32, 1, {5}, 0, 0, NULL};
    ew_check_ints(&tfl__op_div, "DIV", in, 2, &out, NULL, 0, want);
    const ew_opt relu[] = {{0, 1, TFL__ACT_RELU}};
    static const int32_t want_relu[5] = {3, 0, 0, 3, INT32_MAX};
    ew_check_ints(&tfl__op_div, "DIV", in, 2, &out, relu, 1, want_relu);
}

static void test_div_by_zero(void)
{
    static const int32_t a[3] = {1, 2, 3};
    static const int32_t b[3] = {1, 0, 3};
    const ew_tensor in[2] = {{TFL_INT32, 1, {3}, 0, 0, a}, {TFL_INT32, 1, {3}, 0, 0, b}};
    const ew_tensor out = {TFL_INT32, 1, {3}, 0, 0, NULL};
    ew_check_fails(&tfl__op_div, "DIV", in, 2, &out, NULL, 0, TFL_ERROR_RUNTIME,
                   "division by zero (input 2 element 1)");
    /* Quantized: the zero point encodes 0. */
    static const uint8_t qa[2] = {10, 20};
    static const uint8_t qb[2] = {5, 7};
    const ew_tensor qin[2] = {{TFL_UINT8, 1, {2}, 0.1f, 0, qa}, {TFL_UINT8, 1, {2}, 0.1f, 7, qb}};
    const ew_tensor qout = {TFL_UINT8, 1, {2}, 0.1f, 0, NULL};
    ew_check_fails(&tfl__op_div, "DIV", qin, 2, &qout, NULL, 0, TFL_ERROR_RUNTIME,
                   "division by zero (input 2 element 1)");
}

static void test_div_small_dividends(void)
{
    /* Dividends of +-1 have 30-31 bits of headroom, so TFLite's final shift
     * exceeds 31 bits and LiteRT's x86 build wraps it: -1/127 gives -128 and
     * 1/127 gives 127 (expected: LiteRT BUILTIN_REF). */
    static const int8_t a[6] = {-1, -1, -1, 1, -1, 0};
    static const int8_t b[6] = {127, 100, 33, 127, -128, 5};
    static const int8_t want1[6] = {-128, -128, -128, 127, 127, 0};
    static const int8_t want2[6] = {-128, -128, -1, 0, 127, 0};
    const ew_tensor in1[2] = {{TFL_INT8, 1, {6}, 0.1f, 0, a}, {TFL_INT8, 1, {6}, 0.1f, 0, b}};
    const ew_tensor out1 = {TFL_INT8, 1, {6}, 0.1f, 0, NULL};
    const ew_tensor in2[2] = {{TFL_INT8, 1, {6}, 0.1f, 0, a}, {TFL_INT8, 1, {6}, 0.5f, 0, b}};
    const ew_tensor out2 = {TFL_INT8, 1, {6}, 0.01f, 0, NULL};
#if !TFL_SINGLE_ROUNDING
    ew_check_ints(&tfl__op_div, "DIV", in1, 2, &out1, NULL, 0, want1);
    ew_check_ints(&tfl__op_div, "DIV", in2, 2, &out2, NULL, 0, want2);
#else
    /* The single-rounding build rescales exactly: all round to 0. */
    static const int8_t zero[6] = {0};
    ew_check_ints(&tfl__op_div, "DIV", in1, 2, &out1, NULL, 0, zero);
    (void)want1;
    (void)want2;
    (void)in2;
    (void)out2;
#endif
}

static void test_div_errors(void)
{
    static const int64_t d64[2] = {1, 2};
    const ew_tensor in[2] = {{TFL_INT64, 1, {2}, 0, 0, d64}, {TFL_INT64, 1, {2}, 0, 0, d64}};
    const ew_tensor out = {TFL_INT64, 1, {2}, 0, 0, NULL};
    ew_check_fails(&tfl__op_div, "DIV", in, 2, &out, NULL, 0, TFL_ERROR_UNSUPPORTED,
                   "type int64 not supported");
    static const int8_t d8[2] = {1, 2};
    const ew_tensor in8[2] = {{TFL_INT8, 1, {2}, 0.5f, 0, d8}, {TFL_INT8, 1, {2}, 0.5f, 0, d8}};
    const ew_tensor out8 = {TFL_INT8, 1, {2}, 0, 0, NULL};
    ew_check_fails(&tfl__op_div, "DIV", in8, 2, &out8, NULL, 0, TFL_ERROR_BAD_MODEL,
                   "output (int8) has no quantization");
}

static void test_floor_div(void)
{
    static const int32_t a[6] = {7, -7, 7, -7, 0, INT32_MIN};
    static const int32_t b[6] = {2, 2, -2, -2, 3, -1};
    /* Rounds toward -inf; 2^31 wraps to INT32_MIN as LiteRT's build does. */
    static const int32_t want[6] = {3, -4, -4, 3, 0, INT32_MIN};
    const ew_tensor in[2] = {{TFL_INT32, 1, {6}, 0, 0, a}, {TFL_INT32, 1, {6}, 0, 0, b}};
    const ew_tensor out = {TFL_INT32, 1, {6}, 0, 0, NULL};
    ew_check_ints(&tfl__op_floor_div, "FLOOR_DIV", in, 2, &out, NULL, 0, want);

    /* int8 [2,3] by [3]; -128 / -1 wraps to -128. */
    static const int8_t c[6] = {-128, 100, -100, 5, -5, 0};
    static const int8_t d[3] = {-1, 3, -3};
    static const int8_t want8[6] = {-128, 33, 33, -5, -2, 0};
    const ew_tensor in8[2] = {{TFL_INT8, 2, {2, 3}, 0, 0, c}, {TFL_INT8, 1, {3}, 0, 0, d}};
    const ew_tensor out8 = {TFL_INT8, 2, {2, 3}, 0, 0, NULL};
    ew_check_ints(&tfl__op_floor_div, "FLOOR_DIV", in8, 2, &out8, NULL, 0, want8);

    static const int16_t e[3] = {-32768, 32767, -1};
    static const int16_t f[1] = {2};
    static const int16_t want16[3] = {-16384, 16383, -1};
    const ew_tensor in16[2] = {{TFL_INT16, 1, {3}, 0, 0, e}, {TFL_INT16, 0, {0}, 0, 0, f}};
    const ew_tensor out16 = {TFL_INT16, 1, {3}, 0, 0, NULL};
    ew_check_ints(&tfl__op_floor_div, "FLOOR_DIV", in16, 2, &out16, NULL, 0, want16);

    static const float g[4] = {7.5f, -7.5f, 1.0f, -0.5f};
    static const float h[4] = {2.0f, 2.0f, -3.0f, 0.25f};
    static const float wantf[4] = {3.0f, -4.0f, -1.0f, -2.0f};
    const ew_tensor inf[2] = {{TFL_FLOAT32, 1, {4}, 0, 0, g}, {TFL_FLOAT32, 1, {4}, 0, 0, h}};
    const ew_tensor outf = {TFL_FLOAT32, 1, {4}, 0, 0, NULL};
    ew_check_floats(&tfl__op_floor_div, "FLOOR_DIV", inf, 2, &outf, NULL, 0, wantf, 0);
}

static void test_floor_div_errors(void)
{
    /* Zero divisors fail, float ones too (as TFLite). */
    static const float a[2] = {1.0f, 2.0f};
    static const float b[2] = {1.0f, -0.0f};
    const ew_tensor in[2] = {{TFL_FLOAT32, 1, {2}, 0, 0, a}, {TFL_FLOAT32, 1, {2}, 0, 0, b}};
    const ew_tensor out = {TFL_FLOAT32, 1, {2}, 0, 0, NULL};
    ew_check_fails(&tfl__op_floor_div, "FLOOR_DIV", in, 2, &out, NULL, 0, TFL_ERROR_RUNTIME,
                   "division by zero (input 2 element 1)");
    static const uint8_t u[2] = {1, 2};
    const ew_tensor inu[2] = {{TFL_UINT8, 1, {2}, 0, 0, u}, {TFL_UINT8, 1, {2}, 0, 0, u}};
    const ew_tensor outu = {TFL_UINT8, 1, {2}, 0, 0, NULL};
    ew_check_fails(&tfl__op_floor_div, "FLOOR_DIV", inu, 2, &outu, NULL, 0, TFL_ERROR_UNSUPPORTED,
                   "type uint8 not supported");
}

static void test_floor_mod(void)
{
    /* The result takes the divisor's sign; x % -1 is 0 even for INT32_MIN. */
    static const int32_t a[6] = {7, -7, 7, -7, 0, INT32_MIN};
    static const int32_t b[6] = {2, 2, -2, -2, 3, -1};
    static const int32_t want[6] = {1, 1, -1, -1, 0, 0};
    const ew_tensor in[2] = {{TFL_INT32, 1, {6}, 0, 0, a}, {TFL_INT32, 1, {6}, 0, 0, b}};
    const ew_tensor out = {TFL_INT32, 1, {6}, 0, 0, NULL};
    ew_check_ints(&tfl__op_floor_mod, "FLOOR_MOD", in, 2, &out, NULL, 0, want);

    static const int64_t c[3] = {-(1LL << 40) - 1, 1LL << 40, 5};
    static const int64_t d[1] = {1LL << 20};
    static const int64_t want64[3] = {(1LL << 20) - 1, 0, 5};
    const ew_tensor in64[2] = {{TFL_INT64, 1, {3}, 0, 0, c}, {TFL_INT64, 1, {1}, 0, 0, d}};
    const ew_tensor out64 = {TFL_INT64, 1, {3}, 0, 0, NULL};
    ew_check_ints(&tfl__op_floor_mod, "FLOOR_MOD", in64, 2, &out64, NULL, 0, want64);

    static const int8_t e[4] = {-128, 127, -5, 5};
    static const int8_t f[4] = {-1, -128, 3, -3};
    static const int8_t want8[4] = {0, -1, 1, -1};
    const ew_tensor in8[2] = {{TFL_INT8, 1, {4}, 0, 0, e}, {TFL_INT8, 1, {4}, 0, 0, f}};
    const ew_tensor out8 = {TFL_INT8, 1, {4}, 0, 0, NULL};
    ew_check_ints(&tfl__op_floor_mod, "FLOOR_MOD", in8, 2, &out8, NULL, 0, want8);

    static const int16_t g[2][2] = {{-7, 7}, {9, -9}};
    static const int16_t h[2] = {4, -4};
    static const int16_t want16[4] = {1, -1, 1, -1};
    const ew_tensor in16[2] = {{TFL_INT16, 2, {2, 2}, 0, 0, g}, {TFL_INT16, 1, {2}, 0, 0, h}};
    const ew_tensor out16 = {TFL_INT16, 2, {2, 2}, 0, 0, NULL};
    ew_check_ints(&tfl__op_floor_mod, "FLOOR_MOD", in16, 2, &out16, NULL, 0, want16);

    /* float: fmod, shifted into the divisor's sign; x mod 0 is nan. */
    static const float p[5] = {7.5f, -7.5f, 7.5f, -7.5f, 1.0f};
    static const float q[5] = {2.0f, 2.0f, -2.0f, -2.0f, 0.0f};
    static const float wantf[5] = {1.5f, 0.5f, -0.5f, -1.5f, NAN};
    const ew_tensor inf[2] = {{TFL_FLOAT32, 1, {5}, 0, 0, p}, {TFL_FLOAT32, 1, {5}, 0, 0, q}};
    const ew_tensor outf = {TFL_FLOAT32, 1, {5}, 0, 0, NULL};
    ew_check_floats(&tfl__op_floor_mod, "FLOOR_MOD", inf, 2, &outf, NULL, 0, wantf, 0);
}

static void test_floor_mod_errors(void)
{
    static const int16_t a[2] = {1, 2};
    static const int16_t b[2] = {0, 2};
    const ew_tensor in[2] = {{TFL_INT16, 1, {2}, 0, 0, a}, {TFL_INT16, 1, {2}, 0, 0, b}};
    const ew_tensor out = {TFL_INT16, 1, {2}, 0, 0, NULL};
    ew_check_fails(&tfl__op_floor_mod, "FLOOR_MOD", in, 2, &out, NULL, 0, TFL_ERROR_RUNTIME,
                   "division by zero (input 2 element 0)");
    const ew_tensor bad_out = {TFL_INT32, 1, {2}, 0, 0, NULL};
    ew_check_fails(&tfl__op_floor_mod, "FLOOR_MOD", in, 2, &bad_out, NULL, 0, TFL_ERROR_BAD_MODEL,
                   "output type int32 does not match input type int16");
}

/* uint8 [2,4] / [4], zero points 3/128/0 (expected: LiteRT BUILTIN_REF) */
static void test_div_u8_broadcast(void)
{
    static const uint8_t in0[8] = {
        0, 221, 209, 218, 17, 207, 241, 255,
    };
    static const uint8_t in1[4] = {
        0,
        19,
        204,
        255,
    };
    static const uint8_t want[8] = {
        255, 0, 27, 17, 0, 0, 31, 20,
    };
    const ew_tensor in[2] = {
        {TFL_UINT8, 2, {2, 4}, 0.100000001f, 3, in0},
        {TFL_UINT8, 1, {4}, 0.0500000007f, 128, in1},
    };
    const ew_tensor out = {TFL_UINT8, 2, {2, 4}, 0.200000003f, 0, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_NONE}};
    /* Element 0 divides -3: its shift exceeds 31 bits, which only LiteRT's
     * double-rounding x86 build wraps (see test_div_small_dividends). */
#if !TFL_SINGLE_ROUNDING
    ew_check_ints(&tfl__op_div, "DIV", in, 2, &out, opts, 1, want);
#else
    (void)in;
    (void)out;
    (void)opts;
    (void)want;
#endif
}
/* int8 [3,5] / [3,1], RELU (expected: LiteRT BUILTIN_REF) */
static void test_div_s8_relu(void)
{
    static const int8_t in0[15] = {
        -128, 29, 73, -128, 86, 105, -95, 124, 89, -55, -6, 80, 102, -107, 127,
    };
    static const int8_t in1[3] = {
        -128,
        -40,
        127,
    };
    static const int8_t want[15] = {
        -88, -100, -100, -88, -100, -100, -74, -100, -100, -86, -100, -91, -88, -100, -85,
    };
    const ew_tensor in[2] = {
        {TFL_INT8, 2, {3, 5}, 0.0199999996f, -5, in0},
        {TFL_INT8, 2, {3, 1}, 0.0299999993f, 7, in1},
    };
    const ew_tensor out = {TFL_INT8, 2, {3, 5}, 0.0500000007f, -100, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_RELU}};
    ew_check_ints(&tfl__op_div, "DIV", in, 2, &out, opts, 1, want);
}
/* int16 [11] / [11], zero points 0/-20/5 (expected: LiteRT BUILTIN_REF) */
static void test_div_s16(void)
{
    static const int16_t in0[11] = {
        -32768, -5982, 25011, 1163, 23138, -25098, 26871, 20578, 2124, -140, 32767,
    };
    static const int16_t in1[11] = {
        -32768, -14439, 18132, -7393, 31406, -7830, 2512, -6857, 15541, -9297, 32767,
    };
    static const int16_t want[11] = {
        1006, 420, 1383, -153, 741, 3219, 10618, -3005, 141, 20, 1004,
    };
    const ew_tensor in[2] = {
        {TFL_INT16, 1, {11}, 0.00100000005f, 0, in0},
        {TFL_INT16, 1, {11}, 0.000500000024f, -20, in1},
    };
    const ew_tensor out = {TFL_INT16, 1, {11}, 0.00200000009f, 5, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_NONE}};
    ew_check_ints(&tfl__op_div, "DIV", in, 2, &out, opts, 1, want);
}

TFL_TEST_MAIN(TEST(test_div_f32), TEST(test_div_s32), TEST(test_div_by_zero),
              TEST(test_div_u8_broadcast), TEST(test_div_s8_relu), TEST(test_div_s16),
              TEST(test_div_small_dividends), TEST(test_div_errors), TEST(test_floor_div),
              TEST(test_floor_div_errors), TEST(test_floor_mod), TEST(test_floor_mod_errors))
