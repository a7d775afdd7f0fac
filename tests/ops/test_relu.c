/* RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1 and LEAKY_RELU tests: float clamps,
 * the quantized rescale-and-clamp against LiteRT's reference outputs, and bad
 * models. */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "ops/elementwise_cases.h"
#include "test.h"

extern const tfl__op tfl__op_relu, tfl__op_relu6, tfl__op_relu_n1_to_1, tfl__op_relu_0_to_1,
    tfl__op_leaky_relu;

static void test_relu_f32_family(void)
{
    static const float x[7] = {-INFINITY, -6.5f, -1.0f, -0.25f, 0.5f, 1.5f, 7.0f};
    static const float want_relu[7] = {0, 0, 0, 0, 0.5f, 1.5f, 7.0f};
    static const float want_relu6[7] = {0, 0, 0, 0, 0.5f, 1.5f, 6.0f};
    static const float want_n1[7] = {-1.0f, -1.0f, -1.0f, -0.25f, 0.5f, 1.0f, 1.0f};
    static const float want_01[7] = {0, 0, 0, 0, 0.5f, 1.0f, 1.0f};
    const ew_tensor in[1] = {{TFL_FLOAT32, 2, {1, 7}, 0, 0, x}};
    const ew_tensor out = {TFL_FLOAT32, 2, {1, 7}, 0, 0, NULL};
    ew_check_floats(&tfl__op_relu, "RELU", in, 1, &out, NULL, 0, want_relu, 0);
    ew_check_floats(&tfl__op_relu6, "RELU6", in, 1, &out, NULL, 0, want_relu6, 0);
    ew_check_floats(&tfl__op_relu_n1_to_1, "RELU_N1_TO_1", in, 1, &out, NULL, 0, want_n1, 0);
    ew_check_floats(&tfl__op_relu_0_to_1, "RELU_0_TO_1", in, 1, &out, NULL, 0, want_01, 0);
}

static void test_relu_u8_identity_scale(void)
{
    /* Same scale and zero point: RELU clamps below the zero point only. */
    static const uint8_t x[6] = {0, 99, 100, 101, 200, 255};
    static const uint8_t want[6] = {100, 100, 100, 101, 200, 255};
    const ew_tensor in[1] = {{TFL_UINT8, 1, {6}, 0.5f, 100, x}};
    const ew_tensor out = {TFL_UINT8, 1, {6}, 0.5f, 100, NULL};
    ew_check_ints(&tfl__op_relu, "RELU", in, 1, &out, NULL, 0, want);
    /* RELU6 caps at 100 + 6 / 0.5. */
    static const uint8_t want6[6] = {100, 100, 100, 101, 112, 112};
    ew_check_ints(&tfl__op_relu6, "RELU6", in, 1, &out, NULL, 0, want6);
}

static void test_leaky_relu_f32(void)
{
    static const float x[5] = {-2.0f, -0.5f, 0.0f, 0.5f, 3.0f};
    static const float want[5] = {-0.4f, -0.1f, 0.0f, 0.5f, 3.0f};
    const ew_tensor in[1] = {{TFL_FLOAT32, 1, {5}, 0, 0, x}};
    const ew_tensor out = {TFL_FLOAT32, 1, {5}, 0, 0, NULL};
    const ew_opt alpha[] = {{0, 4, 0x3e4ccccdu /* 0.2f */}};
    ew_check_floats(&tfl__op_leaky_relu, "LEAKY_RELU", in, 1, &out, alpha, 1, want, 1e-7f);
    /* No options: alpha 0, i.e. RELU. */
    static const float want0[5] = {-0.0f, -0.0f, 0.0f, 0.5f, 3.0f};
    ew_check_floats(&tfl__op_leaky_relu, "LEAKY_RELU", in, 1, &out, NULL, 0, want0, 0);
}

static void test_relu_errors(void)
{
    static const int16_t d16[3] = {0};
    static const int8_t d8[3] = {0};
    static const int32_t d32[3] = {0};
    {
        const ew_tensor in[1] = {{TFL_INT16, 1, {3}, 0.1f, 0, d16}};
        const ew_tensor out = {TFL_INT16, 1, {3}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_relu_n1_to_1, "RELU_N1_TO_1", in, 1, &out, NULL, 0,
                       TFL_ERROR_UNSUPPORTED, "type int16 not supported (float32, uint8, int8)");
        const ew_tensor out_zp = {TFL_INT16, 1, {3}, 0.1f, 4, NULL};
        ew_check_fails(&tfl__op_relu6, "RELU6", in, 1, &out_zp, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "int16 zero points must be 0 (got 0, 4)");
        ew_check_fails(&tfl__op_leaky_relu, "LEAKY_RELU", in, 1, &out_zp, NULL, 0,
                       TFL_ERROR_BAD_MODEL, "int16 zero points must be 0 (got 0, 4)");
    }
    {
        const ew_tensor in[1] = {{TFL_INT8, 1, {3}, 0, 0, d8}};
        const ew_tensor out = {TFL_INT8, 1, {3}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_relu, "RELU", in, 1, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "int8 input and output need positive scales");
        ew_check_fails(&tfl__op_leaky_relu, "LEAKY_RELU", in, 1, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "int8 input and output need positive scales");
        /* Finite scales, but their float ratio is infinite. */
        const ew_tensor big[1] = {{TFL_INT8, 1, {3}, 3e38f, 0, d8}};
        const ew_tensor tiny = {TFL_INT8, 1, {3}, 1e-30f, 0, NULL};
        ew_check_fails(&tfl__op_relu, "RELU", big, 1, &tiny, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "input/output rescale inf cannot be represented");
        ew_check_fails(&tfl__op_leaky_relu, "LEAKY_RELU", big, 1, &tiny, NULL, 0,
                       TFL_ERROR_UNSUPPORTED, "rescale inf cannot be represented");
    }
    {
        const ew_tensor in[1] = {{TFL_INT32, 1, {3}, 0, 0, d32}};
        const ew_tensor out = {TFL_INT32, 1, {3}, 0, 0, NULL};
        ew_check_fails(&tfl__op_relu, "RELU", in, 1, &out, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "type int32 not supported");
        ew_check_fails(&tfl__op_leaky_relu, "LEAKY_RELU", in, 1, &out, NULL, 0,
                       TFL_ERROR_UNSUPPORTED, "type int32 not supported");
        const ew_tensor outf = {TFL_FLOAT32, 1, {3}, 0, 0, NULL};
        ew_check_fails(&tfl__op_relu6, "RELU6", in, 1, &outf, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "output type float32 does not match input type int32");
        const ew_opt nan_alpha[] = {{0, 4, 0x7fc00000u}};
        ew_check_fails(&tfl__op_leaky_relu, "LEAKY_RELU", in, 1, &out, nan_alpha, 1,
                       TFL_ERROR_BAD_MODEL, "alpha nan is not finite");
    }
}

/* RELU u8 [2, 3, 7], rescaled 0.06/100 -> 0.03/10 (expected: LiteRT BUILTIN_REF) */
static void test_relu_u8(void)
{
    static const uint8_t in0[42] = {
        0,   216, 27,  41,  117, 142, 194, 94,  9,   55,  116, 98, 234, 109,
        163, 156, 23,  188, 12,  3,   149, 65,  93,  154, 40,  21, 179, 255,
        174, 213, 106, 9,   166, 145, 191, 155, 124, 1,   178, 45, 122, 255,
    };
    static const uint8_t want[42] = {
        10,  242, 10, 10,  44,  94,  198, 10,  10, 10,  42,  10, 255, 28,
        136, 122, 10, 186, 10,  10,  108, 10,  10, 118, 10,  10, 168, 255,
        158, 236, 22, 10,  142, 100, 192, 120, 58, 10,  166, 10, 54,  255,
    };
    const ew_tensor in[1] = {
        {TFL_UINT8, 3, {2, 3, 7}, 0.0599999987f, 100, in0},
    };
    const ew_tensor out = {TFL_UINT8, 3, {2, 3, 7}, 0.0299999993f, 10, NULL};
    ew_check_ints(&tfl__op_relu, "RELU", in, 1, &out, NULL, 0, want);
}
/* RELU s8 [2, 3, 7], rescaled 0.04/-20 -> 0.02/-128 (expected: LiteRT BUILTIN_REF) */
static void test_relu_s8(void)
{
    static const int8_t in0[42] = {
        -128, -10, -24, 17, -92, -13, 56, 107, -72, 80, -41, -26, 78,  -76,
        -66,  -37, 37,  92, -59, -39, 91, 125, 71,  16, 79,  -68, -88, 40,
        -65,  41,  -70, 3,  81,  -57, 15, 33,  -72, -6, 60,  39,  43,  127,
    };
    static const int8_t want[42] = {
        -128, -108, -128, -54, -128, -114, 24,  126, -128, 72,   -128, -128, 68,   -128,
        -128, -128, -14,  96,  -128, -128, 94,  127, 54,   -56,  70,   -128, -128, -8,
        -128, -6,   -128, -82, 74,   -128, -58, -22, -128, -100, 32,   -10,  -2,   127,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 3, {2, 3, 7}, 0.0399999991f, -20, in0},
    };
    const ew_tensor out = {TFL_INT8, 3, {2, 3, 7}, 0.0199999996f, -128, NULL};
    ew_check_ints(&tfl__op_relu, "RELU", in, 1, &out, NULL, 0, want);
}
/* RELU s16 [5, 3], rescaled 0.0007/0 -> 0.0005/0 (expected: LiteRT BUILTIN_REF) */
static void test_relu_s16(void)
{
    static const int16_t in0[15] = {
        -32768, -24825, 29,    26787,  -5106,  -31640, 31645, -12402,
        -29139, -21538, 29892, -10286, -31975, 7701,   32767,
    };
    static const int16_t want[15] = {
        0, 0, 41, 32767, 0, 0, 32767, 0, 0, 0, 32767, 0, 0, 10781, 32767,
    };
    const ew_tensor in[1] = {
        {TFL_INT16, 2, {5, 3}, 0.000699999975f, 0, in0},
    };
    const ew_tensor out = {TFL_INT16, 2, {5, 3}, 0.000500000024f, 0, NULL};
    ew_check_ints(&tfl__op_relu, "RELU", in, 1, &out, NULL, 0, want);
}
/* RELU6 u8 [2, 3, 7], rescaled 0.06/100 -> 0.03/10 (expected: LiteRT BUILTIN_REF) */
static void test_relu6_u8(void)
{
    static const uint8_t in0[42] = {
        0,   159, 183, 26,  125, 134, 215, 0,   89,  105, 140, 201, 129, 193,
        5,   75,  58,  152, 21,  89,  63,  240, 1,   169, 75,  221, 95,  0,
        165, 43,  215, 218, 106, 116, 161, 63,  133, 253, 59,  143, 50,  255,
    };
    static const uint8_t want[42] = {
        10,  128, 176, 10,  60, 78, 210, 10,  10, 20,  90, 210, 68, 196,
        10,  10,  10,  114, 10, 10, 10,  210, 10, 148, 10, 210, 10, 10,
        140, 10,  210, 210, 22, 42, 132, 10,  76, 210, 10, 96,  10, 210,
    };
    const ew_tensor in[1] = {
        {TFL_UINT8, 3, {2, 3, 7}, 0.0599999987f, 100, in0},
    };
    const ew_tensor out = {TFL_UINT8, 3, {2, 3, 7}, 0.0299999993f, 10, NULL};
    ew_check_ints(&tfl__op_relu6, "RELU6", in, 1, &out, NULL, 0, want);
}
/* RELU6 s8 [2, 3, 7], rescaled 0.04/-20 -> 0.02/-128 (expected: LiteRT BUILTIN_REF) */
static void test_relu6_s8(void)
{
    static const int8_t in0[42] = {
        -128, 70,   75,   104, 23,   4,    51,  -79, 58,  -76, 31,   57,  -66, -58,
        -15,  -102, 3,    -76, -126, -104, -53, 16,  -37, -74, -126, -18, 15,  42,
        12,   -53,  -106, 19,  -65,  -116, 103, 4,   -16, -78, -62,  6,   92,  127,
    };
    static const int8_t want[42] = {
        -128, 52,   62,   120,  -42,  -80,  14,   -128, 28,   -128, -26,  26,   -128, -128,
        -118, -128, -82,  -128, -128, -128, -128, -56,  -128, -128, -128, -124, -58,  -4,
        -64,  -128, -128, -50,  -128, -128, 118,  -80,  -120, -128, -128, -76,  96,   127,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 3, {2, 3, 7}, 0.0399999991f, -20, in0},
    };
    const ew_tensor out = {TFL_INT8, 3, {2, 3, 7}, 0.0199999996f, -128, NULL};
    ew_check_ints(&tfl__op_relu6, "RELU6", in, 1, &out, NULL, 0, want);
}
/* RELU6 s16 [5, 3], rescaled 0.0007/0 -> 0.0005/0 (expected: LiteRT BUILTIN_REF) */
static void test_relu6_s16(void)
{
    static const int16_t in0[15] = {
        -32768, -30626, 8214,  27664,  26466, 2197,  2947,  -2813,
        -22446, -30592, 14019, -29469, 28541, 18074, 32767,
    };
    static const int16_t want[15] = {
        0, 0, 11500, 12000, 12000, 3076, 4126, 0, 0, 0, 12000, 0, 12000, 12000, 12000,
    };
    const ew_tensor in[1] = {
        {TFL_INT16, 2, {5, 3}, 0.000699999975f, 0, in0},
    };
    const ew_tensor out = {TFL_INT16, 2, {5, 3}, 0.000500000024f, 0, NULL};
    ew_check_ints(&tfl__op_relu6, "RELU6", in, 1, &out, NULL, 0, want);
}
/* RELU_N1_TO_1 u8 [2, 3, 7], rescaled 0.06/100 -> 0.03/10 (expected: LiteRT BUILTIN_REF) */
static void test_relu_n1_to_1_u8(void)
{
    static const uint8_t in0[42] = {
        0,   169, 131, 223, 82,  39,  101, 200, 155, 121, 98,  141, 230, 236,
        84,  208, 250, 34,  81,  106, 112, 172, 30,  207, 106, 41,  48,  179,
        207, 132, 97,  19,  161, 132, 7,   114, 63,  113, 115, 68,  123, 255,
    };
    static const uint8_t want[42] = {
        0,  43, 43, 43, 0, 0, 12, 43, 43, 43, 6, 43, 43, 43, 0,  43, 43, 0,  0, 22, 34,
        43, 0,  43, 22, 0, 0, 43, 43, 43, 4,  0, 43, 43, 0,  38, 0,  36, 40, 0, 43, 43,
    };
    const ew_tensor in[1] = {
        {TFL_UINT8, 3, {2, 3, 7}, 0.0599999987f, 100, in0},
    };
    const ew_tensor out = {TFL_UINT8, 3, {2, 3, 7}, 0.0299999993f, 10, NULL};
    ew_check_ints(&tfl__op_relu_n1_to_1, "RELU_N1_TO_1", in, 1, &out, NULL, 0, want);
}
/* RELU_N1_TO_1 s8 [2, 3, 7], rescaled 0.04/-20 -> 0.01/5 (expected: LiteRT BUILTIN_REF) */
static void test_relu_n1_to_1_s8(void)
{
    static const int8_t in0[42] = {
        -128, 67,   -19, -41, -122, 91, -32, 51,  -62, 64,   -2,   -25,  43,   -84,
        43,   -126, 119, -24, 113,  -9, -24, -30, -64, -102, -100, -117, 41,   96,
        -121, -28,  80,  94,  -21,  85, 28,  19,  -41, 93,   -71,  115,  -124, 127,
    };
    static const int8_t want[42] = {
        -95, 105, 9,   -79, -95, 105, -43, 105, -95, 105, 77,  -15, 105, -95,
        105, -95, 105, -11, 105, 49,  -11, -35, -95, -95, -95, -95, 105, 105,
        -95, -27, 105, 105, 1,   105, 105, 105, -79, 105, -95, 105, -95, 105,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 3, {2, 3, 7}, 0.0399999991f, -20, in0},
    };
    const ew_tensor out = {TFL_INT8, 3, {2, 3, 7}, 0.00999999978f, 5, NULL};
    ew_check_ints(&tfl__op_relu_n1_to_1, "RELU_N1_TO_1", in, 1, &out, NULL, 0, want);
}
/* RELU_0_TO_1 s8 [2, 3, 7], rescaled 0.04/-20 -> 0.02/-128 (expected: LiteRT BUILTIN_REF) */
static void test_relu_0_to_1_s8(void)
{
    static const int8_t in0[42] = {
        -128, -128, 79,   36,  -88, -2,  -74, 74,  32,   -37,  26,  49,   45,  -35,
        78,   21,   -123, -13, -27, -75, 88,  -47, -118, -112, -72, 31,   -71, 100,
        -103, 24,   117,  -85, 123, 9,   30,  -62, 30,   -30,  -47, -128, -34, 127,
    };
    static const int8_t want[42] = {
        -128, -128, -78,  -78,  -128, -92,  -128, -78,  -78,  -128, -78,  -78,  -78,  -128,
        -78,  -78,  -128, -114, -128, -128, -78,  -128, -128, -128, -128, -78,  -128, -78,
        -128, -78,  -78,  -128, -78,  -78,  -78,  -128, -78,  -128, -128, -128, -128, -78,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 3, {2, 3, 7}, 0.0399999991f, -20, in0},
    };
    const ew_tensor out = {TFL_INT8, 3, {2, 3, 7}, 0.0199999996f, -128, NULL};
    ew_check_ints(&tfl__op_relu_0_to_1, "RELU_0_TO_1", in, 1, &out, NULL, 0, want);
}
/* LEAKY_RELU u8 alpha 0.2 (expected: LiteRT BUILTIN_REF) */
static void test_leaky_relu_u8(void)
{
    static const uint8_t in0[33] = {
        0,   133, 160, 146, 40,  24, 239, 33,  178, 225, 99, 216, 212, 172, 164, 177, 159,
        238, 179, 173, 165, 153, 99, 38,  161, 58,  152, 56, 126, 11,  138, 105, 255,
    };
    static const uint8_t want[33] = {
        68,  106, 140, 123, 78,  74, 239, 76,  163, 221, 92, 210, 205, 155, 145, 161, 139,
        238, 164, 156, 146, 131, 92, 77,  141, 82,  130, 82, 99,  70,  113, 94,  255,
    };
    const ew_tensor in[1] = {
        {TFL_UINT8, 2, {3, 11}, 0.0500000007f, 128, in0},
    };
    const ew_tensor out = {TFL_UINT8, 2, {3, 11}, 0.0399999991f, 100, NULL};
    const ew_opt opts[] = {{0, 4, 0x3e4ccccdu /* 0.2 */}};
    ew_check_ints(&tfl__op_leaky_relu, "LEAKY_RELU", in, 1, &out, opts, 1, want);
}
/* LEAKY_RELU s8 alpha 0.1 (expected: LiteRT BUILTIN_REF) */
static void test_leaky_relu_s8(void)
{
    static const int8_t in0[33] = {
        -128, 94,  104, -108, 31,   39, -43, -23, -61, 14,  60, 125, 101, 53,  126, -113, -107,
        -88,  -15, -3,  121,  -102, 22, -6,  76,  20,  -30, 52, 95,  34,  118, -55, 127,
    };
    static const int8_t want[33] = {
        -17, 94, 104, -15, 31,  39, -9, -7, -11, 14, 60, 125, 101, 53,  126, -16, -15,
        -13, -6, -3,  121, -15, 22, -5, 76, 20,  -8, 52, 95,  34,  118, -10, 127,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 2, {3, 11}, 0.0299999993f, -5, in0},
    };
    const ew_tensor out = {TFL_INT8, 2, {3, 11}, 0.0299999993f, -5, NULL};
    const ew_opt opts[] = {{0, 4, 0x3dcccccdu /* 0.1 */}};
    ew_check_ints(&tfl__op_leaky_relu, "LEAKY_RELU", in, 1, &out, opts, 1, want);
}
/* LEAKY_RELU s8_negative_alpha alpha -0.3 (expected: LiteRT BUILTIN_REF) */
static void test_leaky_relu_s8_negative_alpha(void)
{
    static const int8_t in0[33] = {
        -128, -43, 44, -21,  95,  118, 106, -111, -29, 27, -25, 19,  99,  68,  -59, -108, -38,
        -88,  2,   74, -114, 113, 104, 10,  76,   3,   79, 53,  -64, -77, -45, 83,  127,
    };
    static const int8_t want[33] = {
        -13, -24, -16, -26, 4,  13, 9,   -15, -25, -23, -26, -26, 6,   -7,  -22, -16, -24,
        -18, -29, -4,  -15, 11, 8,  -30, -3,  -29, -2,  -13, -21, -19, -23, -1,  17,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 2, {3, 11}, 0.0199999996f, 10, in0},
    };
    const ew_tensor out = {TFL_INT8, 2, {3, 11}, 0.0500000007f, -30, NULL};
    const ew_opt opts[] = {{0, 4, 0xbe99999au /* -0.3 */}};
    ew_check_ints(&tfl__op_leaky_relu, "LEAKY_RELU", in, 1, &out, opts, 1, want);
}
/* LEAKY_RELU s8_alpha_above_one alpha 1.7 (expected: LiteRT BUILTIN_REF) */
static void test_leaky_relu_s8_alpha_above_one(void)
{
    static const int8_t in0[33] = {
        -128, 110, 33,  -75,  87, 120, -96, -27, -36,  25,  -58, -118, 70, 93,  -83, 104, -26,
        -65,  21,  -15, -119, 33, -32, 22,  -83, -121, -60, -45, -85,  5,  -29, -85, 127,
    };
    static const int8_t want[33] = {
        -87, 44, 13,  -51, 35, 48,  -65, -18, -24, 10,  -39, -80, 28, 37,  -56, 42, -18,
        -44, 9,  -10, -81, 13, -22, 9,   -56, -82, -41, -31, -58, 2,  -20, -58, 51,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 2, {3, 11}, 0.0199999996f, 0, in0},
    };
    const ew_tensor out = {TFL_INT8, 2, {3, 11}, 0.0500000007f, 0, NULL};
    const ew_opt opts[] = {{0, 4, 0x3fd9999au /* 1.7 */}};
    ew_check_ints(&tfl__op_leaky_relu, "LEAKY_RELU", in, 1, &out, opts, 1, want);
}
/* LEAKY_RELU s16 alpha 0.25 (expected: LiteRT BUILTIN_REF) */
static void test_leaky_relu_s16(void)
{
    static const int16_t in0[33] = {
        -32768, -16718, -25891, -18636, 3021,   11687,  -20644, 12335,  10496, -5916,  -18088,
        -25762, -8629,  1842,   -25256, 1318,   5874,   1134,   -174,   -7892, 30465,  -15095,
        3845,   -31549, 31261,  -24251, -21442, -23574, 5429,   -12547, 23004, -14966, 32767,
    };
    static const int16_t want[33] = {
        -10240, -5225, -8091, -5824, 3776,  14609, -6452, 15419, 13120, -1849, -5653,
        -8051,  -2697, 2303,  -7893, 1648,  7343,  1418,  -55,   -2467, 32767, -4717,
        4806,   -9859, 32767, -7579, -6701, -7367, 6786,  -3921, 28755, -4677, 32767,
    };
    const ew_tensor in[1] = {
        {TFL_INT16, 2, {3, 11}, 0.00100000005f, 0, in0},
    };
    const ew_tensor out = {TFL_INT16, 2, {3, 11}, 0.00079999998f, 0, NULL};
    const ew_opt opts[] = {{0, 4, 0x3e800000u /* 0.25 */}};
    ew_check_ints(&tfl__op_leaky_relu, "LEAKY_RELU", in, 1, &out, opts, 1, want);
}

TFL_TEST_MAIN(TEST(test_relu_f32_family), TEST(test_relu_u8_identity_scale),
              TEST(test_leaky_relu_f32), TEST(test_relu_u8), TEST(test_relu_s8),
              TEST(test_relu_s16), TEST(test_relu6_u8), TEST(test_relu6_s8), TEST(test_relu6_s16),
              TEST(test_relu_n1_to_1_u8), TEST(test_relu_n1_to_1_s8), TEST(test_relu_0_to_1_s8),
              TEST(test_leaky_relu_u8), TEST(test_leaky_relu_s8),
              TEST(test_leaky_relu_s8_negative_alpha), TEST(test_leaky_relu_s8_alpha_above_one),
              TEST(test_leaky_relu_s16), TEST(test_relu_errors))
