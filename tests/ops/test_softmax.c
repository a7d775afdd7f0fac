/* SOFTMAX tests: float with beta, the 8-bit fixed-point and int16 table paths
 * against LiteRT's reference outputs, very long rows, and bad models. */
#include <math.h>
#include <stdint.h>

#include "ops/elementwise_cases.h"
#include "test.h"

extern const tfl__op tfl__op_softmax;

static void test_softmax_f32(void)
{
    /* Rows [1,2,3], [0,0] and [2,0]; beta 1 then 0.5. */
    static const float a[3] = {1.0f, 2.0f, 3.0f};
    static const float want_a[3] = {0.0900305732f, 0.244728471f, 0.665240956f};
    const ew_tensor in_a[1] = {{TFL_FLOAT32, 2, {1, 3}, 0, 0, a}};
    const ew_tensor out_a = {TFL_FLOAT32, 2, {1, 3}, 0, 0, NULL};
    const ew_opt beta1[] = {{0, 4, 0x3f800000u}};
    ew_check_floats(&tfl__op_softmax, "SOFTMAX", in_a, 1, &out_a, beta1, 1, want_a, 1e-6f);

    static const float b[2][2] = {{0.0f, 0.0f}, {2.0f, 0.0f}};
    static const float want_b[4] = {0.5f, 0.5f, 0.731058579f, 0.268941421f};
    const ew_tensor in_b[1] = {{TFL_FLOAT32, 2, {2, 2}, 0, 0, b}};
    const ew_tensor out_b = {TFL_FLOAT32, 2, {2, 2}, 0, 0, NULL};
    const ew_opt beta_half[] = {{0, 4, 0x3f000000u}};
    ew_check_floats(&tfl__op_softmax, "SOFTMAX", in_b, 1, &out_b, beta_half, 1, want_b, 1e-6f);
}

static void test_softmax_s8_long_row(void)
{
    /* 600 equal entries: each is 1/600, under half of 1/256, so all round to
     * the minimum (TFLite aborts on rows whose sum needs more than 8 extra
     * bits; we finish the computation). */
    static int8_t x[600];
    static int8_t want[600];
    for (int i = 0; i < 600; ++i) {
        x[i] = 5;
        want[i] = -128;
    }
    const ew_tensor in[1] = {{TFL_INT8, 1, {600}, 0.1f, 0, x}};
    const ew_tensor out = {TFL_INT8, 1, {600}, 1.0f / 256, -128, NULL};
    const ew_opt beta1[] = {{0, 4, 0x3f800000u}};
    ew_check_ints(&tfl__op_softmax, "SOFTMAX", in, 1, &out, beta1, 1, want);
    /* 300 equal entries: 256 / 300 rounds to 1. */
    for (int i = 0; i < 300; ++i)
        want[i] = -127;
    const ew_tensor in300[1] = {{TFL_INT8, 1, {300}, 0.1f, 0, x}};
    const ew_tensor out300 = {TFL_INT8, 1, {300}, 1.0f / 256, -128, NULL};
    ew_check_ints(&tfl__op_softmax, "SOFTMAX", in300, 1, &out300, beta1, 1, want);
}

static void test_softmax_errors(void)
{
    static const int8_t d8[4] = {0};
    const ew_opt beta1[] = {{0, 4, 0x3f800000u}};
    {
        const ew_tensor in[1] = {{TFL_INT8, 1, {4}, 0.1f, 0, d8}};
        const ew_tensor out = {TFL_INT8, 1, {4}, 1.0f / 256, 0, NULL};
        ew_check_fails(&tfl__op_softmax, "SOFTMAX", in, 1, &out, beta1, 1, TFL_ERROR_BAD_MODEL,
                       "int8 output must have scale 1/256 and zero point -128");
        /* beta 0 (the default without options) cannot drive the fixed-point path. */
        const ew_tensor good = {TFL_INT8, 1, {4}, 1.0f / 256, -128, NULL};
        ew_check_fails(&tfl__op_softmax, "SOFTMAX", in, 1, &good, NULL, 0, TFL_ERROR_UNSUPPORTED,
                       "too small for the fixed-point path");
    }
    {
        static const float f[1] = {0};
        const ew_tensor in[1] = {{TFL_FLOAT32, 0, {0}, 0, 0, f}};
        const ew_tensor out = {TFL_FLOAT32, 0, {0}, 0, 0, NULL};
        ew_check_fails(&tfl__op_softmax, "SOFTMAX", in, 1, &out, beta1, 1, TFL_ERROR_BAD_MODEL,
                       "input must have at least 1 dimension");
    }
    {
        static const int16_t d16[4] = {0};
        const ew_tensor in[1] = {{TFL_INT16, 1, {4}, 0.001f, 0, d16}};
        const ew_tensor out = {TFL_INT16, 1, {4}, 1.0f / 256, 0, NULL};
        ew_check_fails(&tfl__op_softmax, "SOFTMAX", in, 1, &out, beta1, 1, TFL_ERROR_BAD_MODEL,
                       "int16 output must have scale 1/32768 and zero point 0");
        const ew_tensor out8 = {TFL_INT8, 1, {4}, 1.0f / 256, -128, NULL};
        ew_check_fails(&tfl__op_softmax, "SOFTMAX", in, 1, &out8, beta1, 1, TFL_ERROR_BAD_MODEL,
                       "output type int8 does not match input type int16");
    }
}

/* uint8 [2,3,10] -> uint8, beta 1, input scale 0.1 (expected: LiteRT BUILTIN_REF) */
static void test_softmax_u8(void)
{
    static const uint8_t in0[60] = {
        9,   177, 108, 164, 67,  32,  155, 29,  30,  167, 168, 218, 111, 51,  51,
        55,  27,  183, 195, 120, 175, 106, 187, 89,  122, 16,  48,  116, 39,  77,
        4,   99,  35,  138, 85,  174, 20,  159, 11,  190, 74,  4,   70,  167, 74,
        138, 242, 217, 28,  240, 119, 3,   55,  212, 199, 64,  44,  159, 116, 195,
    };
    static const uint8_t want[60] = {
        0,  146, 0,   40, 0, 0, 16,  0,  0, 54,  2, 225, 0, 0,   0,  0,  0, 7, 23, 0,
        59, 0,   196, 0,  0, 0, 0,   0,  0, 0,   0, 0,   0, 1,   0,  41, 0, 9, 0,  204,
        0,  0,   0,   0,  0, 0, 135, 11, 0, 110, 0, 0,   0, 175, 48, 0,  0, 1, 0,  32,
    };
    const ew_tensor in[1] = {
        {TFL_UINT8, 3, {2, 3, 10}, 0.100000001f, 37, in0},
    };
    const ew_tensor out = {TFL_UINT8, 3, {2, 3, 10}, 0.00390625f, 0, NULL};
    const ew_opt opts[] = {{0, 4, 0x3f800000u /* 1 */}};
    ew_check_ints(&tfl__op_softmax, "SOFTMAX", in, 1, &out, opts, 1, want);
}
/* int8 [3,33] -> int8, beta 0.5, input scale 0.05 (expected: LiteRT BUILTIN_REF) */
static void test_softmax_s8_beta(void)
{
    static const int8_t in0[99] = {
        -128, 88,  21,   112,  -118, 34,  -104, 91,   88,   -1,   -86, -69,  17,  -88,  14,
        -1,   73,  62,   119,  -13,  -24, 46,   -61,  -96,  -40,  120, 121,  -7,  81,   83,
        -116, 58,  -120, 71,   -104, -30, 119,  -100, -112, -12,  23,  -44,  -35, -26,  -80,
        126,  -58, -49,  -68,  72,   54,  -86,  96,   23,   12,   -40, -106, -66, -120, -28,
        -34,  111, -85,  20,   28,   4,   2,    77,   101,  0,    -36, -100, -29, -95,  -9,
        55,   92,  -9,   79,   -75,  0,   119,  -31,  -59,  -128, 72,  -59,  -47, 14,   63,
        -17,  7,   100,  -119, -103, 54,  66,   -54,  89,
    };
    static const int8_t want[99] = {
        -128, -113, -125, -100, -128, -124, -128, -111, -113, -126, -128, -128, -125, -128, -126,
        -126, -117, -120, -95,  -127, -127, -123, -128, -128, -127, -94,  -93,  -127, -115, -114,
        -128, -121, -128, -113, -128, -127, -78,  -128, -128, -126, -123, -127, -127, -127, -128,
        -69,  -127, -127, -128, -113, -118, -128, -100, -123, -125, -127, -128, -128, -128, -127,
        -127, -87,  -128, -124, -123, -125, -126, -112, -100, -126, -127, -128, -127, -128, -126,
        -119, -105, -126, -112, -128, -126, -83,  -127, -127, -128, -114, -127, -127, -125, -117,
        -127, -125, -100, -128, -128, -119, -116, -127, -107,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 2, {3, 33}, 0.0500000007f, -3, in0},
    };
    const ew_tensor out = {TFL_INT8, 2, {3, 33}, 0.00390625f, -128, NULL};
    const ew_opt opts[] = {{0, 4, 0x3f000000u /* 0.5 */}};
    ew_check_ints(&tfl__op_softmax, "SOFTMAX", in, 1, &out, opts, 1, want);
}
/* int8 [2,7] -> int8, large beta * scale (most entries below diff_min) (expected: LiteRT
 * BUILTIN_REF) */
static void test_softmax_s8_peaked(void)
{
    static const int8_t in0[14] = {
        1, 2, 3, 4, 5, 6, 7, 100, 100, 99, 90, -128, 127, 126,
    };
    static const int8_t want[14] = {
        -128, -127, -125, -120, -106, -68, 34, -128, -128, -128, -128, -128, 59, -59,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 2, {2, 7}, 0.5f, 0, in0},
    };
    const ew_tensor out = {TFL_INT8, 2, {2, 7}, 0.00390625f, -128, NULL};
    const ew_opt opts[] = {{0, 4, 0x40000000u /* 2 */}};
    ew_check_ints(&tfl__op_softmax, "SOFTMAX", in, 1, &out, opts, 1, want);
}
/* uint8 [2,9] -> int16, beta 1 (expected: LiteRT BUILTIN_REF) */
static void test_softmax_u8_to_s16(void)
{
    static const uint8_t in0[18] = {
        111, 253, 182, 236, 254, 237, 114, 3, 172, 37, 124, 200, 170, 206, 40, 2, 254, 146,
    };
    static const int16_t want[18] = {
        -32503, -13972, -30534, -21481, -13400, -21137, -32478, -32758, -31113,
        -32706, -31928, -24551, -29427, -22930, -32700, -32746, 8754,   -31142,
    };
    const ew_tensor in[1] = {
        {TFL_UINT8, 2, {2, 9}, 0.0299999993f, 0, in0},
    };
    const ew_tensor out = {TFL_INT16, 2, {2, 9}, 1.52587891e-05f, -32768, NULL};
    const ew_opt opts[] = {{0, 4, 0x3f800000u /* 1 */}};
    ew_check_ints(&tfl__op_softmax, "SOFTMAX", in, 1, &out, opts, 1, want);
}
/* int8 [4,5] -> int16, beta 1 (expected: LiteRT BUILTIN_REF) */
static void test_softmax_s8_to_s16(void)
{
    static const int8_t in0[20] = {
        -92, -107, 42,   30,   -112, 58,  -106, -88, 95,  4,
        63,  -111, -104, -112, -57,  -20, -111, -88, 111, -16,
    };
    static const int16_t want[20] = {
        -32764, -32767, 13002,  -13008, -32767, -28202, -32768, -32768, 28098, -32664,
        32752,  -32768, -32767, -32768, -32753, -32761, -32768, -32768, 32752, -32759,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 2, {4, 5}, 0.0700000003f, 4, in0},
    };
    const ew_tensor out = {TFL_INT16, 2, {4, 5}, 1.52587891e-05f, -32768, NULL};
    const ew_opt opts[] = {{0, 4, 0x3f800000u /* 1 */}};
    ew_check_ints(&tfl__op_softmax, "SOFTMAX", in, 1, &out, opts, 1, want);
}
/* int16 [3,20] -> int16, beta 1, input scale 0.0005 (expected: LiteRT BUILTIN_REF) */
static void test_softmax_s16(void)
{
    static const int16_t in0[60] = {
        22715,  -11662, 18138,  26285,  13004,  -27725, 11299, 31361,  -30618, 19112,
        -29060, 21712,  -13049, -7221,  5044,   -10693, 21574, 26013,  -3755,  16035,
        -16438, 12923,  8809,   28465,  29614,  18013,  -953,  -12146, 4071,   -28185,
        -13770, -4229,  16611,  21396,  -23182, -30528, 11112, 17767,  -18445, 7225,
        11495,  20411,  130,    -17057, 21293,  -12526, 4353,  -30021, 26682,  29056,
        -3220,  -23817, -31780, 17529,  31145,  -17089, 17607, -4578,  21130,  -18447,
    };
    static const int16_t want[60] = {
        367, 2,   37,   2192, 3,    2, 2, 27735, 2,     61,    2,  223, 2, 2,   2,
        2,   207, 1913, 2,    14,   1, 5, 1,     11620, 20639, 62, 1,   1, 1,   1,
        1,   1,   31,   340,  1,    1, 2, 55,    1,     1,     1,  103, 1, 1,   161,
        1,   1,   1,    2376, 7787, 1, 1, 1,     24,    22129, 1,  25,  1, 148, 1,
    };
    const ew_tensor in[1] = {
        {TFL_INT16, 2, {3, 20}, 0.000500000024f, 0, in0},
    };
    const ew_tensor out = {TFL_INT16, 2, {3, 20}, 3.05175781e-05f, 0, NULL};
    const ew_opt opts[] = {{0, 4, 0x3f800000u /* 1 */}};
    ew_check_ints(&tfl__op_softmax, "SOFTMAX", in, 1, &out, opts, 1, want);
}
/* int16 [40] -> int16, beta 0.25, input scale 0.003 (expected: LiteRT BUILTIN_REF) */
static void test_softmax_s16_beta(void)
{
    static const int16_t in0[40] = {
        21486,  10736,  -24493, 26570,  24539,  25439,  -27256, -6721, -12520, 24185,
        -22277, 6559,   -1120,  -10728, -20339, 31783,  -18929, 325,   5194,   -905,
        -22190, 23284,  -1184,  32600,  12706,  27047,  -31743, -9489, 25188,  6348,
        16676,  -14996, 16505,  -32398, 14681,  -11217, 30223,  -8834, -23319, -25262,
    };
    static const int16_t want[40] = {
        5, 1,  1, 203,   44, 87,  1, 1, 1,  34, 1, 1, 1, 1, 1, 10134, 1,    1, 1, 1,
        1, 17, 1, 18703, 1,  291, 1, 1, 72, 1,  1, 1, 1, 1, 1, 1,     3146, 1, 1, 1,
    };
    const ew_tensor in[1] = {
        {TFL_INT16, 1, {40}, 0.00300000003f, 0, in0},
    };
    const ew_tensor out = {TFL_INT16, 1, {40}, 3.05175781e-05f, 0, NULL};
    const ew_opt opts[] = {{0, 4, 0x3e800000u /* 0.25 */}};
    ew_check_ints(&tfl__op_softmax, "SOFTMAX", in, 1, &out, opts, 1, want);
}
/* int8 [5,1] -> int8: a single element is probability 1 (expected: LiteRT BUILTIN_REF) */
static void test_softmax_s8_depth1(void)
{
    static const int8_t in0[5] = {
        -128, -1, 0, 1, 127,
    };
    static const int8_t want[5] = {
        127, 127, 127, 127, 127,
    };
    const ew_tensor in[1] = {
        {TFL_INT8, 2, {5, 1}, 0.100000001f, 0, in0},
    };
    const ew_tensor out = {TFL_INT8, 2, {5, 1}, 0.00390625f, -128, NULL};
    const ew_opt opts[] = {{0, 4, 0x3f800000u /* 1 */}};
    ew_check_ints(&tfl__op_softmax, "SOFTMAX", in, 1, &out, opts, 1, want);
}

/* int8 -> int16, every difference 0..255 in one row: [1, 256] beta 0.7, input scale 0.0235 zp 3
 * (expected: LiteRT BUILTIN_REF) */
static const int16_t softmax_s8_s16_all_diffs[256] = {
    -32752, -32687, -32370, -32739, -32625, -32060, -32716, -32513, -32749, -32676, -32314, -32735,
    -32604, -31961, -32709, -32477, -32747, -32663, -32250, -32730, -32581, -31847, -32701, -32436,
    -32744, -32648, -32177, -32725, -32555, -31718, -32691, -32389, -32740, -32631, -32094, -32719,
    -32525, -32750, -32680, -32336, -32736, -32612, -32000, -32712, -32491, -32748, -32668, -32275,
    -32732, -32590, -31892, -32704, -32452, -32745, -32654, -32206, -32727, -32565, -31768, -32695,
    -32407, -32742, -32638, -32127, -32721, -32537, -32751, -32685, -32357, -32738, -32620, -32037,
    -32715, -32504, -32749, -32673, -32299, -32734, -32599, -31934, -32707, -32467, -32746, -32660,
    -32233, -32729, -32575, -31816, -32698, -32425, -32743, -32644, -32158, -32723, -32548, -31683,
    -32689, -32377, -32739, -32627, -32072, -32717, -32517, -32750, -32677, -32322, -32735, -32607,
    -31974, -32710, -32482, -32747, -32665, -32259, -32731, -32584, -31862, -32702, -32441, -32744,
    -32650, -32187, -32726, -32559, -31735, -32692, -32395, -32741, -32634, -32105, -32720, -32529,
    -32751, -32682, -32343, -32737, -32615, -32012, -32713, -32495, -32748, -32670, -32283, -32733,
    -32593, -31906, -32705, -32457, -32745, -32656, -32215, -32728, -32569, -31785, -32696, -32413,
    -32742, -32640, -32137, -32722, -32541, -32751, -32686, -32364, -32738, -32622, -32049, -32715,
    -32509, -32749, -32674, -32307, -32734, -32602, -31947, -32708, -32472, -32746, -32661, -32242,
    -32730, -32578, -31832, -32700, -32430, -32743, -32646, -32168, -32724, -32552, -31700, -32690,
    -32383, -32740, -32629, -32083, -32718, -32521, -32750, -32679, -32329, -32736, -32610, -31987,
    -32711, -32486, -32747, -32666, -32267, -32731, -32587, -31877, -32703, -32447, -32745, -32652,
    -32197, -32726, -32562, -31752, -32694, -32402, -32741, -32636, -32116, -32720, -32533, -32751,
    -32683, -32350, -32737, -32617, -32025, -32714, -32500, -32748, -32671, -32291, -32733, -32596,
    -31920, -32706, -32462, -32746, -32658, -32224, -32728, -32572, -31801, -32697, -32419, -32742,
    -32642, -32148, -32723, -32544};

/* Every one of the 256 possible differences from the row maximum, so each
 * entry of the exp table (tfl_softmax_exp_table) shows in the output. */
static void test_softmax_s8_s16_all_diffs(void)
{
    int8_t x[256];
    for (int k = 0; k < 256; ++k)
        x[k] = (int8_t)((k * 97) % 256 - 128);
    const ew_tensor in[1] = {{TFL_INT8, 2, {1, 256}, 0.0235f, 3, x}};
    const ew_tensor out = {TFL_INT16, 2, {1, 256}, 1.0f / 65536, -32768, NULL};
    const ew_opt beta[] = {{0, 4, 0x3f333333u}}; /* 0.7f */
    ew_check_ints(&tfl__op_softmax, "SOFTMAX", in, 1, &out, beta, 1, softmax_s8_s16_all_diffs);
}

TFL_TEST_MAIN(TEST(test_softmax_s8_s16_all_diffs), TEST(test_softmax_f32), TEST(test_softmax_u8),
              TEST(test_softmax_s8_beta), TEST(test_softmax_s8_peaked),
              TEST(test_softmax_u8_to_s16), TEST(test_softmax_s8_to_s16), TEST(test_softmax_s16),
              TEST(test_softmax_s16_beta), TEST(test_softmax_s8_depth1),
              TEST(test_softmax_s8_long_row), TEST(test_softmax_errors))
