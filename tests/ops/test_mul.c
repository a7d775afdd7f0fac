/* MUL tests: float/int32/int64/int16 products with broadcasting and fused
 * activations, the quantized paths (multipliers above one and tiny ones,
 * int16 -> 8-bit) against LiteRT's reference outputs, and bad models. */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "ops/elementwise_cases.h"
#include "test.h"

extern const tfl__op tfl__op_mul;

static void test_mul_f32(void)
{
    static const float a[2][3] = {{1.5f, -2.0f, 0.0f}, {3.0f, 0.25f, -1.0f}};
    static const float b[2] = {2.0f, -4.0f};
    /* [2,3] * [2,1] */
    static const float want[6] = {3.0f, -4.0f, 0.0f, -12.0f, -1.0f, 4.0f};
    const ew_tensor in[2] = {{TFL_FLOAT32, 2, {2, 3}, 0, 0, a}, {TFL_FLOAT32, 2, {2, 1}, 0, 0, b}};
    const ew_tensor out = {TFL_FLOAT32, 2, {2, 3}, 0, 0, NULL};
    ew_check_floats(&tfl__op_mul, "MUL", in, 2, &out, NULL, 0, want, 0);
    const ew_opt n1[] = {{0, 1, TFL__ACT_RELU_N1_TO_1}};
    static const float want_n1[6] = {1.0f, -1.0f, 0.0f, -1.0f, -1.0f, 1.0f};
    ew_check_floats(&tfl__op_mul, "MUL", in, 2, &out, n1, 1, want_n1, 0);
}

static void test_mul_integers(void)
{
    static const int32_t a[3] = {65536, -7, 46341};
    static const int32_t b[3] = {65536, 6, 46341};
    /* 2^32 wraps to 0; 46341^2 wraps past INT32_MAX. */
    static const int32_t want[3] = {0, -42, (int32_t)(46341u * 46341u)};
    const ew_tensor in[2] = {{TFL_INT32, 1, {3}, 0, 0, a}, {TFL_INT32, 1, {3}, 0, 0, b}};
    const ew_tensor out = {TFL_INT32, 1, {3}, 0, 0, NULL};
    ew_check_ints(&tfl__op_mul, "MUL", in, 2, &out, NULL, 0, want);

    static const int64_t c[2] = {1LL << 40, -3};
    static const int64_t d[1] = {1LL << 20};
    static const int64_t want64[2] = {1LL << 60, -(3LL << 20)};
    const ew_tensor in64[2] = {{TFL_INT64, 1, {2}, 0, 0, c}, {TFL_INT64, 0, {0}, 0, 0, d}};
    const ew_tensor out64 = {TFL_INT64, 1, {2}, 0, 0, NULL};
    ew_check_ints(&tfl__op_mul, "MUL", in64, 2, &out64, NULL, 0, want64);

    /* int16 without quantization: wrapping product, then clamp. */
    static const int16_t e[3] = {256, -300, 7};
    static const int16_t f[3] = {256, 200, -9};
    static const int16_t want16[3] = {0, 5536, -63};
    const ew_tensor in16[2] = {{TFL_INT16, 1, {3}, 0, 0, e}, {TFL_INT16, 1, {3}, 0, 0, f}};
    const ew_tensor out16 = {TFL_INT16, 1, {3}, 0, 0, NULL};
    ew_check_ints(&tfl__op_mul, "MUL", in16, 2, &out16, NULL, 0, want16);
    const ew_opt relu[] = {{0, 1, TFL__ACT_RELU}};
    static const int16_t want16_relu[3] = {0, 5536, 0};
    ew_check_ints(&tfl__op_mul, "MUL", in16, 2, &out16, relu, 1, want16_relu);
}

static void test_mul_errors(void)
{
    static const int16_t d16[3] = {0};
    static const int8_t d8[3] = {0};
    {
        const ew_tensor in[2] = {{TFL_INT16, 1, {3}, 0.1f, 0, d16},
                                 {TFL_INT16, 1, {3}, 0.1f, 0, d16}};
        const ew_tensor out = {TFL_INT16, 1, {3}, 0.1f, 2, NULL};
        ew_check_fails(&tfl__op_mul, "MUL", in, 2, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "int16 zero points must be 0 (got 0, 0, 2)");
    }
    {
        const ew_tensor in[2] = {{TFL_INT8, 1, {3}, 0.1f, 0, d8}, {TFL_INT8, 1, {3}, 0.1f, 0, d8}};
        const ew_tensor out = {TFL_INT16, 1, {3}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_mul, "MUL", in, 2, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "output type int16 does not match input type int8");
    }
    {
        const ew_tensor in[2] = {{TFL_INT8, 1, {3}, 0.1f, 0, d8}, {TFL_INT8, 1, {3}, 0, 0, d8}};
        const ew_tensor out = {TFL_INT8, 1, {3}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_mul, "MUL", in, 2, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "input 2 (int8) has no quantization");
    }
    {
        const ew_tensor in[2] = {{TFL_INT8, 1, {3}, -0.1f, 0, d8}, {TFL_INT8, 1, {3}, 0.1f, 0, d8}};
        const ew_tensor out = {TFL_INT8, 1, {3}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_mul, "MUL", in, 2, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "input 1 scale -0.1 is not positive");
    }
    {
        /* The float product of the scales overflows. */
        const ew_tensor in[2] = {{TFL_INT8, 1, {3}, 3e30f, 0, d8}, {TFL_INT8, 1, {3}, 3e30f, 0, d8}};
        const ew_tensor out = {TFL_INT8, 1, {3}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_mul, "MUL", in, 2, &out, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "output rescale inf cannot be represented");
    }
}

/* uint8 [2,3,4] * [3,1], zero points 0/255/128 (expected: LiteRT BUILTIN_REF) */
static void test_mul_u8_broadcast(void)
{
    static const uint8_t in0[24] = {
        0,   32, 204, 127, 151, 153, 182, 7,   124, 37, 102, 237,
        140, 18, 138, 33,  193, 242, 250, 159, 222, 94, 37,  255,
    };
    static const uint8_t in1[3] = {
        0,
        169,
        255,
    };
    static const uint8_t want[24] = {
        128, 46, 0, 0,  0, 0, 0, 122, 128, 128, 128, 128,
        0,   82, 0, 44, 0, 0, 0, 0,   128, 128, 128, 128,
    };
    const ew_tensor in[2] = {
        {TFL_UINT8, 3, {2, 3, 4}, 0.0500000007f, 0, in0},
        {TFL_UINT8, 2, {3, 1}, 0.0199999996f, 255, in1},
    };
    const ew_tensor out = {TFL_UINT8, 3, {2, 3, 4}, 0.100000001f, 128, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_NONE}};
    ew_check_ints(&tfl__op_mul, "MUL", in, 2, &out, opts, 1, want);
}
/* int8 [17] * [17] with multiplier above one (0.5 * 0.4 / 0.01), RELU6 (expected: LiteRT
 * BUILTIN_REF) */
static void test_mul_s8_big_multiplier(void)
{
    static const int8_t in0[17] = {
        -128, 91, -93, -39, 73, -65, 43, -11, 3, 112, 81, 86, 12, 123, 123, -94, 127,
    };
    static const int8_t in1[17] = {
        -128, 13, 82, -5, 123, -38, 109, 23, 56, -68, 23, 77, 98, 94, 119, -96, 127,
    };
    static const int8_t want[17] = {
        127, 127, -128, 127, 127, 127, 127, -128, 127, -128, 127, 127, 127, 127, 127, 127, 127,
    };
    const ew_tensor in[2] = {
        {TFL_INT8, 1, {17}, 0.5f, -3, in0},
        {TFL_INT8, 1, {17}, 0.400000006f, 5, in1},
    };
    const ew_tensor out = {TFL_INT8, 1, {17}, 0.00999999978f, -128, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_RELU6}};
    ew_check_ints(&tfl__op_mul, "MUL", in, 2, &out, opts, 1, want);
}
/* int8 [3,5] * [5] with a tiny multiplier, RELU (expected: LiteRT BUILTIN_REF) */
static void test_mul_s8_tiny_multiplier(void)
{
    static const int8_t in0[15] = {
        -128, 47, -58, -125, -107, 121, 101, -51, -18, -67, -91, 91, 44, -109, 127,
    };
    static const int8_t in1[5] = {
        -128, 102, 126, -73, 127,
    };
    static const int8_t want[15] = {
        51, -3, -20, 22, -20, -20, 17, -20, -14, -20, 30, 13, 0, 16, 39,
    };
    const ew_tensor in[2] = {
        {TFL_INT8, 2, {3, 5}, 0.00100000005f, 0, in0},
        {TFL_INT8, 1, {5}, 0.00200000009f, 10, in1},
    };
    const ew_tensor out = {TFL_INT8, 2, {3, 5}, 0.000500000024f, -20, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_RELU}};
    ew_check_ints(&tfl__op_mul, "MUL", in, 2, &out, opts, 1, want);
}
/* int16 [2,5] * [2,1], symmetric (expected: LiteRT BUILTIN_REF) */
static void test_mul_s16(void)
{
    static const int16_t in0[10] = {
        -32768, -21329, -19611, -3801, -10110, 14876, -2038, -10551, 26616, 32767,
    };
    static const int16_t in1[2] = {
        -32768,
        32767,
    };
    static const int16_t want[10] = {
        32767, 32767, 32767, 18683, 32767, 32767, -10017, -32768, 32767, 32767,
    };
    const ew_tensor in[2] = {
        {TFL_INT16, 2, {2, 5}, 0.000300000014f, 0, in0},
        {TFL_INT16, 2, {2, 1}, 0.000199999995f, 0, in1},
    };
    const ew_tensor out = {TFL_INT16, 2, {2, 5}, 0.00039999999f, 0, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_NONE}};
    ew_check_ints(&tfl__op_mul, "MUL", in, 2, &out, opts, 1, want);
}
/* int16 x int16 -> int8 (Q0.15 inputs), RELU_N1_TO_1 (expected: LiteRT BUILTIN_REF) */
static void test_mul_s16_to_s8(void)
{
    static const int16_t in0[9] = {
        -32768, 25644, -31662, -12662, -22294, -32506, 32534, -26882, 32767,
    };
    static const int16_t in1[9] = {
        -32768, 12519, 23371, -29186, -184, -30537, -20220, 22668, 32767,
    };
    static const int8_t want[9] = {
        127, 41, -85, 47, 3, 121, -75, -70, 127,
    };
    const ew_tensor in[2] = {
        {TFL_INT16, 1, {9}, 3.05175781e-05f, 0, in0},
        {TFL_INT16, 1, {9}, 3.05175781e-05f, 0, in1},
    };
    const ew_tensor out = {TFL_INT8, 1, {9}, 0.0078125f, 3, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_RELU_N1_TO_1}};
    ew_check_ints(&tfl__op_mul, "MUL", in, 2, &out, opts, 1, want);
}
/* int16 x int16 -> uint8 (Q0.15 inputs) (expected: LiteRT BUILTIN_REF) */
static void test_mul_s16_to_u8(void)
{
    static const int16_t in0[9] = {
        -32768, -31448, -12537, 28361, -11969, -12514, -26920, 18002, 32767,
    };
    static const int16_t in1[9] = {
        -32768, -31157, -31323, 22224, -32255, -2209, -4770, -24432, 32767,
    };
    static const uint8_t want[9] = {
        255, 245, 175, 203, 174, 131, 143, 76, 255,
    };
    const ew_tensor in[2] = {
        {TFL_INT16, 1, {9}, 3.05175781e-05f, 0, in0},
        {TFL_INT16, 1, {9}, 3.05175781e-05f, 0, in1},
    };
    const ew_tensor out = {TFL_UINT8, 1, {9}, 0.0078125f, 128, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_NONE}};
    ew_check_ints(&tfl__op_mul, "MUL", in, 2, &out, opts, 1, want);
}

TFL_TEST_MAIN(TEST(test_mul_f32), TEST(test_mul_integers), TEST(test_mul_u8_broadcast),
              TEST(test_mul_s8_big_multiplier), TEST(test_mul_s8_tiny_multiplier),
              TEST(test_mul_s16), TEST(test_mul_s16_to_s8), TEST(test_mul_s16_to_u8),
              TEST(test_mul_errors))
