/* One-input math ops (SQRT, RSQRT, LOG, EXP, ABS, NEG, SQUARE, SIN, COS,
 * FLOOR, CEIL, ROUND): float32 edge values (NaN, +-inf, -0, negatives)
 * against double-precision math, every int8 input and a spread of int16
 * inputs against LiteRT's reference outputs, integer NEG/ABS wrap-around,
 * inputs below the zero point of quantized SQRT/RSQRT, and bad models. */
#include <math.h>
#include <stdint.h>

#include "ops/elementwise_cases.h"
#include "ops/math_unary_golden.h"
#include "test.h"

extern const tfl__op tfl__op_sqrt, tfl__op_rsqrt, tfl__op_log, tfl__op_exp, tfl__op_abs,
    tfl__op_neg, tfl__op_square, tfl__op_sin, tfl__op_cos, tfl__op_floor, tfl__op_ceil,
    tfl__op_round;

static int8_t all8[256]; /* -128..127 */

static void check_float(const tfl__op *op, const char *name, const float *want)
{
    /* [16] as [2, 8] (rank and shape are carried through) */
    const ew_tensor in[1] = {{TFL_FLOAT32, 2, {2, 8}, 0, 0, fx}};
    const ew_tensor out = {TFL_FLOAT32, 2, {2, 8}, 0, 0, NULL};
    ew_check_floats(op, name, in, 1, &out, NULL, 0, want, 1e-6f);
}

static void test_float(void)
{
    check_float(&tfl__op_sqrt, "SQRT", want_sqrt);
    check_float(&tfl__op_rsqrt, "RSQRT", want_rsqrt);
    check_float(&tfl__op_log, "LOG", want_log);
    check_float(&tfl__op_exp, "EXP", want_exp);
    check_float(&tfl__op_abs, "ABS", want_abs);
    check_float(&tfl__op_neg, "NEG", want_neg);
    check_float(&tfl__op_square, "SQUARE", want_square);
    check_float(&tfl__op_sin, "SIN", want_sin);
    check_float(&tfl__op_cos, "COS", want_cos);
    check_float(&tfl__op_floor, "FLOOR", want_floor);
    check_float(&tfl__op_ceil, "CEIL", want_ceil);
    check_float(&tfl__op_round, "ROUND", want_round);
}

/* Sign of zero results, which a tolerance comparison cannot see. */
static void test_float_signed_zero(void)
{
    static const float x[3] = {-0.3f, -0.5f, 0.0f};
    const ew_tensor in[1] = {{TFL_FLOAT32, 1, {3}, 0, 0, x}};
    const ew_tensor out = {TFL_FLOAT32, 1, {3}, 0, 0, NULL};
    float got[3];
    CHECK_EQ_INT(ew_run(&tfl__op_round, "ROUND", in, 1, &out, NULL, 0, got, sizeof got, NULL, 0),
                 TFL_OK);
    CHECK(got[0] == 0.0f && signbit(got[0]) && got[1] == 0.0f && signbit(got[1]));
    CHECK_EQ_INT(ew_run(&tfl__op_neg, "NEG", in, 1, &out, NULL, 0, got, sizeof got, NULL, 0),
                 TFL_OK);
    CHECK(got[2] == 0.0f && signbit(got[2]));
    CHECK_EQ_INT(ew_run(&tfl__op_ceil, "CEIL", in, 1, &out, NULL, 0, got, sizeof got, NULL, 0),
                 TFL_OK);
    CHECK(got[0] == 0.0f && signbit(got[0]));
}

static void check_s8(const tfl__op *op, const char *name, float si, int32_t zi, float so,
                     int32_t zo, const int8_t *want)
{
    const ew_tensor in[1] = {{TFL_INT8, 2, {16, 16}, si, zi, all8}};
    const ew_tensor out = {TFL_INT8, 2, {16, 16}, so, zo, NULL};
    ew_check_ints(op, name, in, 1, &out, NULL, 0, want);
}

static void test_int8_all_values(void)
{
    check_s8(&tfl__op_rsqrt, "RSQRT", 0.05f, -128, 0.01f, -128, rsqrt_s8_a_want);
    check_s8(&tfl__op_rsqrt, "RSQRT", 0.003f, -128, 0.2f, 5, rsqrt_s8_b_want);
    check_s8(&tfl__op_sqrt, "SQRT", 0.1f, -128, 0.05f, -128, sqrt_s8_want);
    check_s8(&tfl__op_log, "LOG", 0.05f, 10, 0.05f, 60, log_s8_want);
    check_s8(&tfl__op_exp, "EXP", 0.05f, 0, 0.5f, -128, exp_s8_want);
    check_s8(&tfl__op_abs, "ABS", 0.05f, -3, 0.1f, -128, abs_s8_rescale_want);
    check_s8(&tfl__op_abs, "ABS", 0.1f, 20, 0.1f, 20, abs_s8_same_want);
}

static void check_s16(const tfl__op *op, const char *name, float si, float so, const int16_t *x,
                      int n, const int16_t *want)
{
    const ew_tensor in[1] = {{TFL_INT16, 1, {n}, si, 0, x}};
    const ew_tensor out = {TFL_INT16, 1, {n}, so, 0, NULL};
    ew_check_ints(op, name, in, 1, &out, NULL, 0, want);
}

static void test_int16(void)
{
    check_s16(&tfl__op_rsqrt, "RSQRT", 0.001f, 0.0005f, in_pos16, 256, rsqrt_s16_want);
    check_s16(&tfl__op_sqrt, "SQRT", 0.01f, 0.0003f, in_pos16, 256, sqrt_s16_want);
    check_s16(&tfl__op_log, "LOG", 0.001f, 0.0004f, in_sub16, 258, log_s16_want);
    check_s16(&tfl__op_exp, "EXP", 0.0003f, 0.0002f, in_sub16, 258, exp_s16_want);
    check_s16(&tfl__op_abs, "ABS", 0.002f, 0.0013f, in_sub16, 258, abs_q16_want);
}

/* Unquantized integers: the most negative value negates to itself. */
static void test_int_wrap(void)
{
    {
        static const int8_t x[4] = {-128, 127, 0, -5};
        static const int8_t want[4] = {-128, -127, 0, 5};
        /* NEG ignores quantization parameters, as TFLite does. */
        const ew_tensor in[1] = {{TFL_INT8, 1, {4}, 0.5f, 3, x}};
        const ew_tensor out = {TFL_INT8, 1, {4}, 0.25f, -7, NULL};
        ew_check_ints(&tfl__op_neg, "NEG", in, 1, &out, NULL, 0, want);
    }
    {
        static const int16_t x[4] = {-32768, 32767, 0, 9};
        static const int16_t wneg[4] = {-32768, -32767, 0, -9};
        static const int16_t wabs[4] = {-32768, 32767, 0, 9};
        const ew_tensor in[1] = {{TFL_INT16, 1, {4}, 0, 0, x}};
        const ew_tensor out = {TFL_INT16, 1, {4}, 0, 0, NULL};
        ew_check_ints(&tfl__op_neg, "NEG", in, 1, &out, NULL, 0, wneg);
        ew_check_ints(&tfl__op_abs, "ABS", in, 1, &out, NULL, 0, wabs);
    }
    {
        static const int32_t x[4] = {INT32_MIN, INT32_MAX, -1, 0};
        static const int32_t wneg[4] = {INT32_MIN, -INT32_MAX, 1, 0};
        static const int32_t wabs[4] = {INT32_MIN, INT32_MAX, 1, 0};
        const ew_tensor in[1] = {{TFL_INT32, 1, {4}, 0, 0, x}};
        const ew_tensor out = {TFL_INT32, 1, {4}, 0, 0, NULL};
        ew_check_ints(&tfl__op_neg, "NEG", in, 1, &out, NULL, 0, wneg);
        ew_check_ints(&tfl__op_abs, "ABS", in, 1, &out, NULL, 0, wabs);
    }
    {
        static const int64_t x[3] = {INT64_MIN, INT64_MAX, 42};
        static const int64_t want[3] = {INT64_MIN, -INT64_MAX, -42};
        const ew_tensor in[1] = {{TFL_INT64, 1, {3}, 0, 0, x}};
        const ew_tensor out = {TFL_INT64, 1, {3}, 0, 0, NULL};
        ew_check_ints(&tfl__op_neg, "NEG", in, 1, &out, NULL, 0, want);
    }
}

/* Quantized SQRT/RSQRT reject inputs below the zero point at eval. */
static void test_below_zero_point(void)
{
    static const int8_t x[3] = {5, 3, 2};
    const ew_tensor in[1] = {{TFL_INT8, 1, {3}, 0.1f, 3, x}};
    const ew_tensor out = {TFL_INT8, 1, {3}, 0.1f, 0, NULL};
    ew_check_fails(&tfl__op_sqrt, "SQRT", in, 1, &out, NULL, 0, TFL_ERROR_RUNTIME,
                   "SQRT (node 0): input element 2 is 2, below the zero point 3");
    ew_check_fails(&tfl__op_rsqrt, "RSQRT", in, 1, &out, NULL, 0, TFL_ERROR_RUNTIME,
                   "below the zero point 3");
    static const int16_t y[2] = {0, -1};
    const ew_tensor in16[1] = {{TFL_INT16, 1, {2}, 0.1f, 0, y}};
    const ew_tensor out16 = {TFL_INT16, 1, {2}, 0.1f, 0, NULL};
    ew_check_fails(&tfl__op_rsqrt, "RSQRT", in16, 1, &out16, NULL, 0, TFL_ERROR_RUNTIME,
                   "input element 1 is -1");
}

static void test_errors(void)
{
    static const int8_t d8[4] = {0};
    static const int16_t d16[4] = {0};
    static const float df[4] = {0};
    {
        const ew_tensor in[1] = {{TFL_INT8, 1, {4}, 0.1f, 0, d8}};
        const ew_tensor out = {TFL_INT8, 1, {4}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_sin, "SIN", in, 1, &out, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "type int8 not supported (float32)");
        ew_check_fails(&tfl__op_square, "SQUARE", in, 1, &out, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "type int8 not supported");
    }
    {
        static const uint8_t u8[4] = {0};
        const ew_tensor in[1] = {{TFL_UINT8, 1, {4}, 0.1f, 0, u8}};
        const ew_tensor out = {TFL_UINT8, 1, {4}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_neg, "NEG", in, 1, &out, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "type uint8 not supported (float32, int8, int16, int32, int64)");
        ew_check_fails(&tfl__op_abs, "ABS", in, 1, &out, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "type uint8 not supported (float32, int8, int16, int32)");
        ew_check_fails(&tfl__op_exp, "EXP", in, 1, &out, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "type uint8 not supported (float32, int8, int16)");
    }
    {
        /* Quantized paths need quantization, positive scales, int16 zero points 0. */
        const ew_tensor noq[1] = {{TFL_INT8, 1, {4}, 0, 0, d8}};
        const ew_tensor out = {TFL_INT8, 1, {4}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_log, "LOG", noq, 1, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "int8 input and output need quantization parameters");
        const ew_tensor neg[1] = {{TFL_INT8, 1, {4}, -0.1f, 0, d8}};
        ew_check_fails(&tfl__op_abs, "ABS", neg, 1, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "int8 scales must be positive (input -0.1, output 0.1)");
        const ew_tensor in16[1] = {{TFL_INT16, 1, {4}, 0.1f, 2, d16}};
        const ew_tensor out16 = {TFL_INT16, 1, {4}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_exp, "EXP", in16, 1, &out16, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "int16 zero points must be 0 (got 2, 0)");
        const ew_tensor noq16[1] = {{TFL_INT16, 1, {4}, 0, 0, d16}};
        const ew_tensor out16n = {TFL_INT16, 1, {4}, 0, 0, NULL};
        ew_check_fails(&tfl__op_sqrt, "SQRT", noq16, 1, &out16n, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "int16 input and output need quantization parameters");
    }
    {
        const ew_tensor in[1] = {{TFL_FLOAT32, 1, {4}, 0, 0, df}};
        const ew_tensor out = {TFL_INT32, 1, {4}, 0, 0, NULL};
        ew_check_fails(&tfl__op_floor, "FLOOR", in, 1, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "output type int32 does not match input type float32");
        const ew_tensor two[2] = {{TFL_FLOAT32, 1, {4}, 0, 0, df}, {TFL_FLOAT32, 1, {4}, 0, 0, df}};
        const ew_tensor outf = {TFL_FLOAT32, 1, {4}, 0, 0, NULL};
        ew_check_fails(&tfl__op_cos, "COS", two, 2, &outf, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "expects 1 input");
    }
}

/* An empty tensor runs without touching memory. */
static void test_empty(void)
{
    static const float x[1] = {0};
    const ew_tensor in[1] = {{TFL_FLOAT32, 2, {0, 3}, 0, 0, x}};
    const ew_tensor out = {TFL_FLOAT32, 2, {0, 3}, 0, 0, NULL};
    CHECK_EQ_INT(ew_run(&tfl__op_exp, "EXP", in, 1, &out, NULL, 0, NULL, 0, NULL, 0), TFL_OK);
}

static void init_inputs(void)
{
    for (int i = 0; i < 256; ++i)
        all8[i] = (int8_t)(i - 128);
}

TFL_TEST_MAIN(TEST(init_inputs), TEST(test_float), TEST(test_float_signed_zero),
              TEST(test_int8_all_values), TEST(test_int16), TEST(test_int_wrap),
              TEST(test_below_zero_point), TEST(test_errors), TEST(test_empty))
