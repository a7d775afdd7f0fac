/* ADD tests: float/int32/int64/int16 arithmetic with broadcasting and fused
 * activations, the quantized paths against LiteRT's reference outputs, and
 * bad models. */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "ops/elementwise_cases.h"
#include "test.h"

extern const tfl__op tfl__op_add;

static void test_add_f32_broadcast_relu6(void)
{
    /* [2,1,3] + [4,1] -> [2,4,3], clamped to [0, 6]. */
    static const float a[6] = {-1.0f, 0.5f, 2.0f, 3.0f, 5.5f, -7.0f};
    static const float b[4] = {0.25f, 1.0f, -2.0f, 4.0f};
    float want[24];
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 4; ++j)
            for (int k = 0; k < 3; ++k) {
                float v = a[i * 3 + k] + b[j];
                want[(i * 4 + j) * 3 + k] = v < 0 ? 0 : (v > 6 ? 6 : v);
            }
    const ew_tensor in[2] = {{TFL_FLOAT32, 3, {2, 1, 3}, 0, 0, a},
                             {TFL_FLOAT32, 2, {4, 1}, 0, 0, b}};
    const ew_tensor out = {TFL_FLOAT32, 3, {2, 4, 3}, 0, 0, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_RELU6}};
    ew_check_floats(&tfl__op_add, "ADD", in, 2, &out, opts, 1, want, 0);
}

static void test_add_f32_no_options_overflow(void)
{
    /* No options table: no activation; the sum clamps at +-FLT_MAX as TFLite's
     * activation range does. */
    static const float a[3] = {FLT_MAX, -FLT_MAX, 1.5f};
    static const float b[3] = {FLT_MAX, -FLT_MAX, -0.25f};
    static const float want[3] = {FLT_MAX, -FLT_MAX, 1.25f};
    const ew_tensor in[2] = {{TFL_FLOAT32, 1, {3}, 0, 0, a}, {TFL_FLOAT32, 1, {3}, 0, 0, b}};
    const ew_tensor out = {TFL_FLOAT32, 1, {3}, 0, 0, NULL};
    ew_check_floats(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, want, 0);
}

static void test_add_s32_wrap_and_relu(void)
{
    static const int32_t a[4] = {INT32_MAX, -5, 7, INT32_MIN};
    static const int32_t b[1] = {1};
    /* INT32_MAX + 1 wraps, then RELU clamps it to 0. */
    static const int32_t want_relu[4] = {0, 0, 8, 0};
    static const int32_t want_none[4] = {INT32_MIN, -4, 8, INT32_MIN + 1};
    const ew_tensor in[2] = {{TFL_INT32, 1, {4}, 0, 0, a}, {TFL_INT32, 0, {0}, 0, 0, b}};
    const ew_tensor out = {TFL_INT32, 1, {4}, 0, 0, NULL};
    const ew_opt relu[] = {{0, 1, TFL__ACT_RELU}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, relu, 1, want_relu);
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, want_none);
    const ew_opt relu6[] = {{0, 1, TFL__ACT_RELU6}};
    static const int32_t want_relu6[4] = {0, 0, 6, 0};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, relu6, 1, want_relu6);
}

static void test_add_s64(void)
{
    static const int64_t a[2][3] = {{1LL << 40, -3, 5}, {7, INT64_MAX, -(1LL << 50)}};
    static const int64_t b[3] = {(1LL << 40), 4, -6};
    static const int64_t want[6] = {1LL << 41,       1, -1, (1LL << 40) + 7, INT64_MIN + 3,
                                    -(1LL << 50) - 6};
    const ew_tensor in[2] = {{TFL_INT64, 2, {2, 3}, 0, 0, a}, {TFL_INT64, 1, {3}, 0, 0, b}};
    const ew_tensor out = {TFL_INT64, 2, {2, 3}, 0, 0, NULL};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, want);
}

static void test_add_s16_unquantized(void)
{
    /* int16 without quantization is a plain add (wrapping), then clamp. */
    static const int16_t a[4] = {32767, -32768, 100, -3};
    static const int16_t b[4] = {1, -1, 200, 2};
    static const int16_t want[4] = {-32768, 32767, 300, -1};
    const ew_tensor in[2] = {{TFL_INT16, 1, {4}, 0, 0, a}, {TFL_INT16, 1, {4}, 0, 0, b}};
    const ew_tensor out = {TFL_INT16, 1, {4}, 0, 0, NULL};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, want);
    const ew_opt n1[] = {{0, 1, TFL__ACT_RELU_N1_TO_1}};
    static const int16_t want_n1[4] = {-1, 1, 1, -1};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, n1, 1, want_n1);
}

static void test_add_empty(void)
{
    static const float a[1] = {0};
    static const float b[3] = {1, 2, 3};
    const ew_tensor in[2] = {{TFL_FLOAT32, 2, {0, 1}, 0, 0, a}, {TFL_FLOAT32, 1, {3}, 0, 0, b}};
    const ew_tensor out = {TFL_FLOAT32, 2, {0, 3}, 0, 0, NULL};
    ew_check_floats(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, NULL, 0);
}

static void test_add_pot_disabled_without_options(void)
{
    /* Power-of-two int16 scales: without an options table TFLite's zeroed
     * parameters select the general path, with pot_scale_int16 the shift
     * path; they round -1 + 2/4 apart (expected: LiteRT BUILTIN_REF). */
    static const int16_t a[4] = {3, -3, -1, 5};
    static const int16_t b[4] = {16384, -16384, 2, 3};
    static const int16_t want_general[4] = {4099, -4099, -1, 6};
    static const int16_t want_pot[4] = {4099, -4099, 0, 6};
    const ew_tensor in[2] = {{TFL_INT16, 1, {4}, 1.0f / 4096, 0, a},
                             {TFL_INT16, 1, {4}, 1.0f / 16384, 0, b}};
    const ew_tensor out = {TFL_INT16, 1, {4}, 1.0f / 4096, 0, NULL};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, want_general);
    const ew_opt pot[] = {{1, 1, 1}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, pot, 1, want_pot);
}

/* int8 [6,1] add [256]: every input value against six others (expected: LiteRT BUILTIN_REF) */
static void test_add_s8_all_pairs(void)
{
    static const int8_t in0[6] = {
        -128, -50, -1, 0, 33, 127,
    };
    static const int8_t in1[256] = {
        -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114,
        -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99,
        -98,  -97,  -96,  -95,  -94,  -93,  -92,  -91,  -90,  -89,  -88,  -87,  -86,  -85,  -84,
        -83,  -82,  -81,  -80,  -79,  -78,  -77,  -76,  -75,  -74,  -73,  -72,  -71,  -70,  -69,
        -68,  -67,  -66,  -65,  -64,  -63,  -62,  -61,  -60,  -59,  -58,  -57,  -56,  -55,  -54,
        -53,  -52,  -51,  -50,  -49,  -48,  -47,  -46,  -45,  -44,  -43,  -42,  -41,  -40,  -39,
        -38,  -37,  -36,  -35,  -34,  -33,  -32,  -31,  -30,  -29,  -28,  -27,  -26,  -25,  -24,
        -23,  -22,  -21,  -20,  -19,  -18,  -17,  -16,  -15,  -14,  -13,  -12,  -11,  -10,  -9,
        -8,   -7,   -6,   -5,   -4,   -3,   -2,   -1,   0,    1,    2,    3,    4,    5,    6,
        7,    8,    9,    10,   11,   12,   13,   14,   15,   16,   17,   18,   19,   20,   21,
        22,   23,   24,   25,   26,   27,   28,   29,   30,   31,   32,   33,   34,   35,   36,
        37,   38,   39,   40,   41,   42,   43,   44,   45,   46,   47,   48,   49,   50,   51,
        52,   53,   54,   55,   56,   57,   58,   59,   60,   61,   62,   63,   64,   65,   66,
        67,   68,   69,   70,   71,   72,   73,   74,   75,   76,   77,   78,   79,   80,   81,
        82,   83,   84,   85,   86,   87,   88,   89,   90,   91,   92,   93,   94,   95,   96,
        97,   98,   99,   100,  101,  102,  103,  104,  105,  106,  107,  108,  109,  110,  111,
        112,  113,  114,  115,  116,  117,  118,  119,  120,  121,  122,  123,  124,  125,  126,
        127,
    };
    static const int8_t want[1536] = {
        -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128,
        -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128,
        -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128,
        -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128,
        -128, -128, -128, -127, -127, -126, -126, -125, -125, -124, -124, -123, -123, -122, -122,
        -121, -121, -120, -120, -119, -119, -118, -117, -117, -116, -116, -115, -115, -114, -114,
        -113, -113, -112, -112, -111, -111, -110, -110, -109, -109, -108, -108, -107, -107, -106,
        -106, -105, -105, -104, -104, -103, -103, -102, -102, -101, -100, -100, -99,  -99,  -98,
        -98,  -97,  -97,  -96,  -96,  -95,  -95,  -94,  -94,  -93,  -93,  -92,  -92,  -91,  -91,
        -90,  -90,  -89,  -89,  -88,  -88,  -87,  -87,  -86,  -86,  -85,  -85,  -84,  -83,  -83,
        -82,  -82,  -81,  -81,  -80,  -80,  -79,  -79,  -78,  -78,  -77,  -77,  -76,  -76,  -75,
        -75,  -74,  -74,  -73,  -73,  -72,  -72,  -71,  -71,  -70,  -70,  -69,  -69,  -68,  -68,
        -67,  -66,  -66,  -65,  -65,  -64,  -64,  -63,  -63,  -62,  -62,  -61,  -61,  -60,  -60,
        -59,  -59,  -58,  -58,  -57,  -57,  -56,  -56,  -55,  -55,  -54,  -54,  -53,  -53,  -52,
        -52,  -51,  -51,  -50,  -49,  -49,  -48,  -48,  -47,  -47,  -46,  -46,  -45,  -45,  -44,
        -44,  -43,  -43,  -42,  -42,  -41,  -41,  -40,  -40,  -39,  -39,  -38,  -38,  -37,  -37,
        -36,  -36,  -35,  -35,  -34,  -34,  -33,  -32,  -32,  -31,  -31,  -30,  -30,  -29,  -29,
        -28,  -101, -101, -100, -100, -99,  -99,  -98,  -98,  -97,  -97,  -96,  -96,  -95,  -95,
        -94,  -94,  -93,  -93,  -92,  -92,  -91,  -91,  -90,  -89,  -89,  -88,  -88,  -87,  -87,
        -86,  -86,  -85,  -85,  -84,  -84,  -83,  -83,  -82,  -82,  -81,  -81,  -80,  -80,  -79,
        -79,  -78,  -78,  -77,  -77,  -76,  -76,  -75,  -75,  -74,  -74,  -73,  -72,  -72,  -71,
        -71,  -70,  -70,  -69,  -69,  -68,  -68,  -67,  -67,  -66,  -66,  -65,  -65,  -64,  -64,
        -63,  -63,  -62,  -62,  -61,  -61,  -60,  -60,  -59,  -59,  -58,  -58,  -57,  -57,  -56,
        -55,  -55,  -54,  -54,  -53,  -53,  -52,  -52,  -51,  -51,  -50,  -50,  -49,  -49,  -48,
        -48,  -47,  -47,  -46,  -46,  -45,  -45,  -44,  -44,  -43,  -43,  -42,  -42,  -41,  -41,
        -40,  -40,  -39,  -38,  -38,  -37,  -37,  -36,  -36,  -35,  -35,  -34,  -34,  -33,  -33,
        -32,  -32,  -31,  -31,  -30,  -30,  -29,  -29,  -28,  -28,  -27,  -27,  -26,  -26,  -25,
        -25,  -24,  -24,  -23,  -23,  -22,  -21,  -21,  -20,  -20,  -19,  -19,  -18,  -18,  -17,
        -17,  -16,  -16,  -15,  -15,  -14,  -14,  -13,  -13,  -12,  -12,  -11,  -11,  -10,  -10,
        -9,   -9,   -8,   -8,   -7,   -7,   -6,   -6,   -5,   -4,   -4,   -3,   -3,   -2,   -2,
        -1,   -1,   0,    0,    1,    1,    2,    2,    3,    3,    4,    4,    5,    5,    6,
        6,    7,    7,    8,    8,    9,    9,    10,   10,   11,   11,   12,   13,   13,   14,
        14,   15,   15,   16,   16,   17,   17,   18,   18,   19,   19,   20,   20,   21,   21,
        22,   22,   23,   23,   24,   24,   25,   25,   26,   26,   27,   27,   28,   28,   29,
        30,   30,   -65,  -64,  -64,  -63,  -63,  -62,  -62,  -61,  -61,  -60,  -59,  -59,  -58,
        -58,  -57,  -57,  -56,  -56,  -55,  -55,  -54,  -54,  -53,  -53,  -52,  -52,  -51,  -51,
        -50,  -50,  -49,  -49,  -48,  -48,  -47,  -47,  -46,  -46,  -45,  -45,  -44,  -44,  -43,
        -42,  -42,  -41,  -41,  -40,  -40,  -39,  -39,  -38,  -38,  -37,  -37,  -36,  -36,  -35,
        -35,  -34,  -34,  -33,  -33,  -32,  -32,  -31,  -31,  -30,  -30,  -29,  -29,  -28,  -28,
        -27,  -27,  -26,  -25,  -25,  -24,  -24,  -23,  -23,  -22,  -22,  -21,  -21,  -20,  -20,
        -19,  -19,  -18,  -18,  -17,  -17,  -16,  -16,  -15,  -15,  -14,  -14,  -13,  -13,  -12,
        -12,  -11,  -11,  -10,  -10,  -9,   -8,   -8,   -7,   -7,   -6,   -6,   -5,   -5,   -4,
        -4,   -3,   -3,   -2,   -2,   -1,   -1,   0,    0,    1,    1,    2,    2,    3,    3,
        4,    4,    5,    5,    6,    6,    7,    7,    8,    9,    9,    10,   10,   11,   11,
        12,   12,   13,   13,   14,   14,   15,   15,   16,   16,   17,   17,   18,   18,   19,
        19,   20,   20,   21,   21,   22,   22,   23,   23,   24,   24,   25,   26,   26,   27,
        27,   28,   28,   29,   29,   30,   30,   31,   31,   32,   32,   33,   33,   34,   34,
        35,   35,   36,   36,   37,   37,   38,   38,   39,   39,   40,   40,   41,   41,   42,
        43,   43,   44,   44,   45,   45,   46,   46,   47,   47,   48,   48,   49,   49,   50,
        50,   51,   51,   52,   52,   53,   53,   54,   54,   55,   55,   56,   56,   57,   57,
        58,   58,   59,   60,   60,   61,   61,   62,   62,   63,   63,   64,   64,   65,   65,
        66,   66,   67,   -64,  -63,  -63,  -62,  -62,  -61,  -61,  -60,  -60,  -59,  -59,  -58,
        -58,  -57,  -57,  -56,  -56,  -55,  -55,  -54,  -54,  -53,  -53,  -52,  -52,  -51,  -50,
        -50,  -49,  -49,  -48,  -48,  -47,  -47,  -46,  -46,  -45,  -45,  -44,  -44,  -43,  -43,
        -42,  -42,  -41,  -41,  -40,  -40,  -39,  -39,  -38,  -38,  -37,  -37,  -36,  -36,  -35,
        -35,  -34,  -33,  -33,  -32,  -32,  -31,  -31,  -30,  -30,  -29,  -29,  -28,  -28,  -27,
        -27,  -26,  -26,  -25,  -25,  -24,  -24,  -23,  -23,  -22,  -22,  -21,  -21,  -20,  -20,
        -19,  -19,  -18,  -18,  -17,  -16,  -16,  -15,  -15,  -14,  -14,  -13,  -13,  -12,  -12,
        -11,  -11,  -10,  -10,  -9,   -9,   -8,   -8,   -7,   -7,   -6,   -6,   -5,   -5,   -4,
        -4,   -3,   -3,   -2,   -2,   -1,   -1,   0,    1,    1,    2,    2,    3,    3,    4,
        4,    5,    5,    6,    6,    7,    7,    8,    8,    9,    9,    10,   10,   11,   11,
        12,   12,   13,   13,   14,   14,   15,   15,   16,   16,   17,   18,   18,   19,   19,
        20,   20,   21,   21,   22,   22,   23,   23,   24,   24,   25,   25,   26,   26,   27,
        27,   28,   28,   29,   29,   30,   30,   31,   31,   32,   32,   33,   33,   34,   35,
        35,   36,   36,   37,   37,   38,   38,   39,   39,   40,   40,   41,   41,   42,   42,
        43,   43,   44,   44,   45,   45,   46,   46,   47,   47,   48,   48,   49,   49,   50,
        50,   51,   52,   52,   53,   53,   54,   54,   55,   55,   56,   56,   57,   57,   58,
        58,   59,   59,   60,   60,   61,   61,   62,   62,   63,   63,   64,   64,   65,   65,
        66,   66,   67,   67,   -39,  -39,  -38,  -38,  -37,  -37,  -36,  -36,  -35,  -35,  -34,
        -33,  -33,  -32,  -32,  -31,  -31,  -30,  -30,  -29,  -29,  -28,  -28,  -27,  -27,  -26,
        -26,  -25,  -25,  -24,  -24,  -23,  -23,  -22,  -22,  -21,  -21,  -20,  -20,  -19,  -19,
        -18,  -18,  -17,  -16,  -16,  -15,  -15,  -14,  -14,  -13,  -13,  -12,  -12,  -11,  -11,
        -10,  -10,  -9,   -9,   -8,   -8,   -7,   -7,   -6,   -6,   -5,   -5,   -4,   -4,   -3,
        -3,   -2,   -2,   -1,   -1,   0,    1,    1,    2,    2,    3,    3,    4,    4,    5,
        5,    6,    6,    7,    7,    8,    8,    9,    9,    10,   10,   11,   11,   12,   12,
        13,   13,   14,   14,   15,   15,   16,   16,   17,   18,   18,   19,   19,   20,   20,
        21,   21,   22,   22,   23,   23,   24,   24,   25,   25,   26,   26,   27,   27,   28,
        28,   29,   29,   30,   30,   31,   31,   32,   32,   33,   33,   34,   35,   35,   36,
        36,   37,   37,   38,   38,   39,   39,   40,   40,   41,   41,   42,   42,   43,   43,
        44,   44,   45,   45,   46,   46,   47,   47,   48,   48,   49,   49,   50,   50,   51,
        52,   52,   53,   53,   54,   54,   55,   55,   56,   56,   57,   57,   58,   58,   59,
        59,   60,   60,   61,   61,   62,   62,   63,   63,   64,   64,   65,   65,   66,   66,
        67,   67,   68,   69,   69,   70,   70,   71,   71,   72,   72,   73,   73,   74,   74,
        75,   75,   76,   76,   77,   77,   78,   78,   79,   79,   80,   80,   81,   81,   82,
        82,   83,   83,   84,   84,   85,   86,   86,   87,   87,   88,   88,   89,   89,   90,
        90,   91,   91,   92,   92,   31,   32,   32,   33,   33,   34,   34,   35,   35,   36,
        36,   37,   37,   38,   38,   39,   39,   40,   41,   41,   42,   42,   43,   43,   44,
        44,   45,   45,   46,   46,   47,   47,   48,   48,   49,   49,   50,   50,   51,   51,
        52,   52,   53,   53,   54,   54,   55,   55,   56,   56,   57,   58,   58,   59,   59,
        60,   60,   61,   61,   62,   62,   63,   63,   64,   64,   65,   65,   66,   66,   67,
        67,   68,   68,   69,   69,   70,   70,   71,   71,   72,   72,   73,   73,   74,   75,
        75,   76,   76,   77,   77,   78,   78,   79,   79,   80,   80,   81,   81,   82,   82,
        83,   83,   84,   84,   85,   85,   86,   86,   87,   87,   88,   88,   89,   89,   90,
        90,   91,   92,   92,   93,   93,   94,   94,   95,   95,   96,   96,   97,   97,   98,
        98,   99,   99,   100,  100,  101,  101,  102,  102,  103,  103,  104,  104,  105,  105,
        106,  106,  107,  107,  108,  109,  109,  110,  110,  111,  111,  112,  112,  113,  113,
        114,  114,  115,  115,  116,  116,  117,  117,  118,  118,  119,  119,  120,  120,  121,
        121,  122,  122,  123,  123,  124,  124,  125,  126,  126,  127,  127,  127,  127,  127,
        127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,
        127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,
        127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,
        127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,
        127,  127,  127,  127,  127,  127,
    };
    const ew_tensor in[2] = {
        {TFL_INT8, 2, {6, 1}, 0.0173000004f, -7, in0},
        {TFL_INT8, 1, {256}, 0.0119000003f, 12, in1},
    };
    const ew_tensor out = {TFL_INT8, 2, {6, 256}, 0.0230999999f, 3, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_NONE}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, opts, 1, want);
}

static void test_add_errors(void)
{
    static const int8_t d8[6] = {0};
    static const uint8_t du8[6] = {0};
    static const float df[6] = {0};
    static const int16_t d16[6] = {0};
    {
        const ew_tensor in[2] = {{TFL_INT8, 1, {3}, 0.1f, 0, d8},
                                 {TFL_UINT8, 1, {3}, 0.1f, 0, du8}};
        const ew_tensor out = {TFL_INT8, 1, {3}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "input 2 type uint8 does not match input 1 type int8");
    }
    {
        const ew_tensor in[2] = {{TFL_FLOAT32, 2, {2, 3}, 0, 0, df},
                                 {TFL_FLOAT32, 1, {2}, 0, 0, df}};
        const ew_tensor out = {TFL_FLOAT32, 2, {2, 3}, 0, 0, NULL};
        ew_check_fails(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "shapes float32[2,3] and float32[2] are not broadcastable");
    }
    {
        const ew_tensor in[2] = {{TFL_FLOAT32, 1, {3}, 0, 0, df}, {TFL_FLOAT32, 1, {3}, 0, 0, df}};
        const ew_tensor out = {TFL_INT32, 1, {3}, 0, 0, NULL};
        ew_check_fails(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "output type int32 does not match input type float32");
        const ew_opt bad_act[] = {{0, 1, 9}};
        const ew_tensor fout = {TFL_FLOAT32, 1, {3}, 0, 0, NULL};
        ew_check_fails(&tfl__op_add, "ADD", in, 2, &fout, bad_act, 1, TFL_ERROR_BAD_MODEL,
                       "unknown fused activation 9");
        const ew_opt tanh_act[] = {{0, 1, TFL__ACT_TANH}};
        ew_check_fails(&tfl__op_add, "ADD", in, 2, &fout, tanh_act, 1, TFL_ERROR_UNSUPPORTED,
                       "fused activation 4 not supported");
        ew_check_fails(&tfl__op_add, "ADD", in, 1, &fout, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "expects 2 inputs, got 1");
    }
    {
        /* uint8 needs quantization. */
        const ew_tensor in[2] = {{TFL_UINT8, 1, {3}, 0, 0, du8}, {TFL_UINT8, 1, {3}, 0.5f, 0, du8}};
        const ew_tensor out = {TFL_UINT8, 1, {3}, 0.5f, 0, NULL};
        ew_check_fails(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "input 1 (uint8) has no quantization");
    }
    {
        /* The output rescale must stay below one (TFLite aborts otherwise). */
        const ew_tensor in[2] = {{TFL_INT8, 1, {3}, 1.0f, 0, d8}, {TFL_INT8, 1, {3}, 1.0f, 0, d8}};
        const ew_tensor out = {TFL_INT8, 1, {3}, 1e-7f, 0, NULL};
        ew_check_fails(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "is too small for input scale");
    }
    {
        const ew_tensor in[2] = {{TFL_INT16, 1, {3}, 0.1f, 1, d16},
                                 {TFL_INT16, 1, {3}, 0.1f, 0, d16}};
        const ew_tensor out = {TFL_INT16, 1, {3}, 0.1f, 0, NULL};
        ew_check_fails(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, TFL_ERROR_BAD_MODEL,
                       "int16 zero points must be 0 (got 1, 0, 0)");
    }
    {
        /* Power-of-two path: both inputs off the output scale. */
        const ew_tensor in[2] = {{TFL_INT16, 1, {3}, 1.0f / 8192, 0, d16},
                                 {TFL_INT16, 1, {3}, 1.0f / 8192, 0, d16}};
        const ew_tensor out = {TFL_INT16, 1, {3}, 1.0f / 4096, 0, NULL};
        const ew_opt pot[] = {{1, 1, 1}};
        ew_check_fails(&tfl__op_add, "ADD", in, 2, &out, pot, 1, TFL_ERROR_UNSUPPORTED,
                       "one input must have the output scale");
    }
    {
        static const uint8_t bools[3] = {0};
        const ew_tensor in[2] = {{TFL_BOOL, 1, {3}, 0, 0, bools}, {TFL_BOOL, 1, {3}, 0, 0, bools}};
        const ew_tensor out = {TFL_BOOL, 1, {3}, 0, 0, NULL};
        ew_check_fails(&tfl__op_add, "ADD", in, 2, &out, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "type bool not supported");
    }
}

/* uint8 [2,3] add [3], zero points 10/3/7 (expected: LiteRT BUILTIN_REF) */
static void test_add_u8_broadcast(void)
{
    static const uint8_t in0[6] = {
        0, 10, 255, 3, 4, 5,
    };
    static const uint8_t in1[3] = {
        1,
        2,
        255,
    };
    static const uint8_t want[6] = {
        0, 6, 255, 0, 0, 209,
    };
    const ew_tensor in[2] = {
        {TFL_UINT8, 2, {2, 3}, 0.5f, 10, in0},
        {TFL_UINT8, 1, {3}, 0.25f, 3, in1},
    };
    const ew_tensor out = {TFL_UINT8, 2, {2, 3}, 0.300000012f, 7, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_NONE}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, opts, 1, want);
}
/* int8 [1,3,5,7] add [1,1,5,1], zero points -128/127/0, RELU (expected: LiteRT BUILTIN_REF) */
static void test_add_s8_relu_extreme_zero_points(void)
{
    static const int8_t in0[105] = {
        -128, 32,  47,   101,  20,   70,   85,   -71, -114, -52, -56, 95,  105, -127, -1,
        82,   -95, 76,   -98,  -9,   81,   -51,  -41, -57,  56,  -63, 125, -15, -6,   1,
        21,   13,  2,    126,  78,   74,   51,   31,  -41,  125, -9,  -73, 88,  -87,  91,
        28,   -99, -117, -15,  -119, -92,  3,    120, -9,   78,  106, 82,  33,  -16,  3,
        -60,  -1,  -31,  -65,  126,  -125, -104, -79, 120,  49,  97,  -77, 56,  -34,  -3,
        -128, 30,  84,   41,   -89,  8,    -60,  119, 97,   -81, 2,   112, 88,  53,   35,
        -118, 61,  -7,   -105, -66,  10,   58,   1,   28,   95,  47,  -36, 36,  25,   127,
    };
    static const int8_t in1[5] = {
        -128, 41, -29, 25, 127,
    };
    static const int8_t want[105] = {
        0,  0,   0,  0,  0,  0,   0,  0,  0,  0,  0,  36, 41,  0,   0,  0,   0,  0,  0,  0,  0,
        0,  0,   0,  3,  0,  37,  0,  61, 65, 75, 71, 65, 127, 103, 0,  0,   0,  0,  0,  0,  0,
        33, 0,   34, 3,  0,  0,   0,  0,  0,  0,  0,  0,  0,   0,   16, 0,   0,  0,  0,  0,  0,
        32, 127, 2,  12, 25, 124, 89, 0,  0,  0,  0,  0,  0,   0,   31, 9,   0,  0,  0,  48, 37,
        0,  0,   0,  0,  0,  0,   0,  5,  0,  0,  0,  0,  4,   0,   78, 112, 88, 46, 82, 77, 127,
    };
    const ew_tensor in[2] = {
        {TFL_INT8, 4, {1, 3, 5, 7}, 0.0199999996f, -128, in0},
        {TFL_INT8, 4, {1, 1, 5, 1}, 0.0350000001f, 127, in1},
    };
    const ew_tensor out = {TFL_INT8, 4, {1, 3, 5, 7}, 0.0399999991f, 0, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_RELU}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, opts, 1, want);
}
/* int8 [11] add [11], RELU_N1_TO_1 clamps inside the type range (expected: LiteRT BUILTIN_REF) */
static void test_add_s8_relu_n1_to_1(void)
{
    static const int8_t in0[11] = {
        -128, -90, -31, 80, -26, -31, 19, 122, -28, 23, 127,
    };
    static const int8_t in1[11] = {
        -128, -14, 35, 12, 45, 116, -90, 15, -16, -37, 127,
    };
    static const int8_t want[11] = {
        -51, -51, 49, 49, 49, 49, -51, 49, -51, -51, 49,
    };
    const ew_tensor in[2] = {
        {TFL_INT8, 1, {11}, 0.0500000007f, 3, in0},
        {TFL_INT8, 1, {11}, 0.0700000003f, -7, in1},
    };
    const ew_tensor out = {TFL_INT8, 1, {11}, 0.0199999996f, -1, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_RELU_N1_TO_1}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, opts, 1, want);
}
/* uint8 [13] add [13], RELU6 (expected: LiteRT BUILTIN_REF) */
static void test_add_u8_relu6(void)
{
    static const uint8_t in0[13] = {
        0, 103, 211, 24, 103, 247, 243, 55, 1, 171, 3, 76, 255,
    };
    static const uint8_t in1[13] = {
        0, 23, 169, 136, 33, 216, 216, 123, 241, 155, 231, 245, 255,
    };
    static const uint8_t want[13] = {
        20, 20, 140, 20, 20, 140, 140, 20, 20, 140, 20, 140, 140,
    };
    const ew_tensor in[2] = {
        {TFL_UINT8, 1, {13}, 0.100000001f, 128, in0},
        {TFL_UINT8, 1, {13}, 0.0799999982f, 100, in1},
    };
    const ew_tensor out = {TFL_UINT8, 1, {13}, 0.0500000007f, 20, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_RELU6}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, opts, 1, want);
}
/* int16 general scales, [2,1,5] add [3,1] (expected: LiteRT BUILTIN_REF) */
static void test_add_s16_general(void)
{
    static const int16_t in0[10] = {
        -32768, -23236, 4118, -20155, 16398, 28043, -16683, 3429, -29546, 32767,
    };
    static const int16_t in1[3] = {
        -32768,
        25169,
        32767,
    };
    static const int16_t want[30] = {
        -32768, -30497, -10706, -28268, -1821, -13197, -6300,  13491,  -4071,  22376,
        -10024, -3127,  16665,  -898,   25549, 6604,   -25756, -11204, -32768, 10022,
        30802,  -1559,  12993,  -10866, 32767, 32767,  1614,   16166,  -7692,  32767,
    };
    const ew_tensor in[2] = {
        {TFL_INT16, 3, {2, 1, 5}, 0.00123000005f, 0, in0},
        {TFL_INT16, 2, {3, 1}, 0.000709999993f, 0, in1},
    };
    const ew_tensor out = {TFL_INT16, 3, {2, 3, 5}, 0.00170000002f, 0, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_NONE}, {1, 1, 0}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, opts, 2, want);
}
/* int16 power-of-two scales 2^-12, 2^-14 -> 2^-12, RELU (expected: LiteRT BUILTIN_REF) */
static void test_add_s16_pot(void)
{
    static const int16_t in0[9] = {
        -32768, 5469, 4567, -28796, -8108, 31675, -5836, -18789, 32767,
    };
    static const int16_t in1[9] = {
        -32768, -30274, 30763, 24655, 4425, -2115, 17133, 3121, 32767,
    };
    static const int16_t want[9] = {
        0, 0, 12258, 0, 0, 31146, 0, 0, 32767,
    };
    const ew_tensor in[2] = {
        {TFL_INT16, 1, {9}, 0.000244140625f, 0, in0},
        {TFL_INT16, 1, {9}, 6.10351562e-05f, 0, in1},
    };
    const ew_tensor out = {TFL_INT16, 1, {9}, 0.000244140625f, 0, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_RELU}, {1, 1, 1}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, opts, 2, want);
}
/* int16 power-of-two scales 2^-13, 2^-10 -> 2^-10 (expected: LiteRT BUILTIN_REF) */
static void test_add_s16_pot_first_shifted(void)
{
    static const int16_t in0[7] = {
        -32768, -3491, 16470, -29158, -31117, 14443, 32767,
    };
    static const int16_t in1[7] = {
        -32768, -30779, 26686, -24715, -5518, 30615, 32767,
    };
    static const int16_t want[7] = {
        -32768, -31215, 28745, -28360, -9408, 32420, 32767,
    };
    const ew_tensor in[2] = {
        {TFL_INT16, 1, {7}, 0.000122070312f, 0, in0},
        {TFL_INT16, 1, {7}, 0.0009765625f, 0, in1},
    };
    const ew_tensor out = {TFL_INT16, 1, {7}, 0.0009765625f, 0, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_NONE}, {1, 1, 1}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, opts, 2, want);
}
/* int8 6-D broadcast [2,1,3,1,2,3] add [1,2,1,3,1,1] (expected: LiteRT BUILTIN_REF) */
static void test_add_s8_6d_broadcast(void)
{
    static const int8_t in0[36] = {
        -128, 58, -19, -108, 6,   -18, 95,  46,  -40,  -114, 23, -57, 47, 93, -38, 103, 4,   7,
        67,   74, 104, 127,  -90, -23, 110, -50, -127, 19,   64, 62,  79, 36, -93, 88,  -21, 127,
    };
    static const int8_t in1[6] = {
        -128, 120, -125, 93, 32, 127,
    };
    static const int8_t want[216] = {
        -128, -60,  -111, -128, -95,  -111, 14,   127,  87,  28,  104, 88,   -128, -58,  -109, -128,
        -92,  -108, -35,  -68,  -125, -128, -83,  -128, 127, 127, 73,  24,   115,  62,   -33,  -66,
        -123, -128, -81,  -128, -67,  -37,  -124, -30,  -96, -94, 127, 127,  74,   127,  102,  104,
        -65,  -34,  -122, -28,  -94,  -92,  -7,   117,  65,  6,   82,  66,   -56,  68,   17,   -43,
        33,   17,   20,   127,  93,   33,   109,  93,   127, 109, 51,  2,    93,   40,   93,   60,
        3,    -47,  45,   -9,   127,  127,  79,   29,   121, 67,  109, 127,  53,   127,  81,   83,
        61,   91,   4,    98,   32,   34,   127,  127,  80,  127, 108, 110,  -54,  -49,  -29,  -14,
        -128, -114, 127,  127,  127,  127,  40,   84,   -52, -47, -27, -12,  -128, -112, -25,  -128,
        -128, -86,  -56,  -57,  127,  66,   15,   112,  127, 127, -23, -128, -128, -84,  -54,  -55,
        -46,  -75,  -128, -40,  -113, -14,  127,  124,  38,  127, 86,  127,  -44,  -72,  -128, -38,
        -110, -12,  123,  127,  127,  127,  18,   63,   74,  79,  99,  114,  -31,  14,   127,  127,
        127,  127,  45,   90,   127,  45,   -7,   91,   121, 119, 103, -4,   -55,  42,   72,   71,
        127,  72,   21,   118,  127,  127,  127,  102,  16,  127, 64,  127,  82,   53,   -33,  88,
        15,   114,  127,  127,  43,   127,  91,   127,
    };
    const ew_tensor in[2] = {
        {TFL_INT8, 6, {2, 1, 3, 1, 2, 3}, 0.100000001f, 1, in0},
        {TFL_INT8, 6, {1, 2, 1, 3, 1, 1}, 0.119999997f, -3, in1},
    };
    const ew_tensor out = {TFL_INT8, 6, {2, 2, 3, 3, 2, 3}, 0.150000006f, 2, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_NONE}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, opts, 1, want);
}
/* uint8 scalar add [2,2] (expected: LiteRT BUILTIN_REF) */
static void test_add_u8_scalar(void)
{
    static const uint8_t in0[1] = {
        77,
    };
    static const uint8_t in1[4] = {
        0,
        60,
        200,
        255,
    };
    static const uint8_t want[4] = {
        111,
        142,
        212,
        239,
    };
    const ew_tensor in[2] = {
        {TFL_UINT8, 0, {0}, 0.200000003f, 50, in0},
        {TFL_UINT8, 2, {2, 2}, 0.200000003f, 60, in1},
    };
    const ew_tensor out = {TFL_UINT8, 2, {2, 2}, 0.400000006f, 128, NULL};
    const ew_opt opts[] = {{0, 1, TFL__ACT_NONE}};
    ew_check_ints(&tfl__op_add, "ADD", in, 2, &out, opts, 1, want);
}

TFL_TEST_MAIN(TEST(test_add_f32_broadcast_relu6), TEST(test_add_f32_no_options_overflow),
              TEST(test_add_s32_wrap_and_relu), TEST(test_add_s64), TEST(test_add_s16_unquantized),
              TEST(test_add_empty), TEST(test_add_pot_disabled_without_options),
              TEST(test_add_u8_broadcast), TEST(test_add_s8_relu_extreme_zero_points),
              TEST(test_add_s8_relu_n1_to_1), TEST(test_add_u8_relu6), TEST(test_add_s16_general),
              TEST(test_add_s16_pot), TEST(test_add_s16_pot_first_shifted),
              TEST(test_add_s8_6d_broadcast), TEST(test_add_u8_scalar), TEST(test_add_s8_all_pairs),
              TEST(test_add_errors))
