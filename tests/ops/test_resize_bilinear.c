/* RESIZE_BILINEAR against goldens from TFLite's BUILTIN_REF resolver
 * (ai-edge-litert 2.3.0, one-op models built by hand): float32 and uint8 on
 * the float path, int8 and int16 on the integer path, every option, plus
 * bad parameters. */
#include <math.h>
#include <stdint.h>

#include "ops/op.h"
#include "ops/op_harness.h"
#include "test.h"

extern const tfl__op tfl__op_resize_bilinear;
#define OP tfl__op_resize_bilinear
#define OP_NAME "RESIZE_BILINEAR"
#define ALIGN_FIELD 2 /* ResizeBilinearOptions: align_corners, then half_pixel_centers */

/* Inputs are formulas of the flat index, shared with the golden generator. */
static void fill(tfl_type t, void *buf, int n)
{
    for (int i = 0; i < n; ++i) {
        long long k = i;
        switch (t) {
        case TFL_FLOAT32: ((float *)buf)[i] = (float)((k * 37 + 11) % 101 - 50) / 8.0f; break;
        case TFL_UINT8: ((uint8_t *)buf)[i] = (uint8_t)((k * 53 + 7) % 256); break;
        case TFL_INT8: ((int8_t *)buf)[i] = (int8_t)((k * 37 + 11) % 256 - 128); break;
        case TFL_INT16: ((int16_t *)buf)[i] = (int16_t)((k * 7919 + 13) % 65536 - 32768); break;
        case TFL_INT32: ((int32_t *)buf)[i] = (int32_t)((k * 7919 + 13) % 2001 - 1000); break;
        default: break;
        }
    }
}

static double elem(tfl_type t, const void *p, int i)
{
    switch (t) {
    case TFL_FLOAT32: return ((const float *)p)[i];
    case TFL_UINT8: return ((const uint8_t *)p)[i];
    case TFL_INT8: return ((const int8_t *)p)[i];
    case TFL_INT16: return ((const int16_t *)p)[i];
    default: return ((const int32_t *)p)[i];
    }
}

typedef struct resize_case {
    const char *name;
    tfl_type type;
    int32_t in[4];
    int32_t size[2];
    int align_corners, half_pixel_centers;
    int check_batches; /* batches to compare (the rest is not checked) */
    const void *expected;
} resize_case;

/* Input 0, size 1 (constant unless size_const is false), output 2. */
static void setup(op_harness *h, tfl_type type, const int32_t *in_dims, const void *data,
                  const int32_t *size, bool size_const, int align, int half)
{
    h_init(h, &OP, OP_NAME);
    static const int32_t two[1] = {2}, one[4] = {1, 1, 1, 1};
    float scale = type == TFL_FLOAT32 || type == TFL_INT32 ? 0.0f : 0.5f;
    int in = h_input(h, type, 4, in_dims, data, scale, 0);
    int sz = size_const ? h_tensor(h, TFL_INT32, 1, two, size, 0, 0)
                        : h_input(h, TFL_INT32, 1, two, size, 0, 0);
    int out = h_tensor(h, type, 4, one, NULL, scale, 0);
    int ins[2] = {in, sz};
    h_io(h, 2, ins, 1, &out);
    if (align >= 0)
        h_opt_u8(h, ALIGN_FIELD, (uint8_t)align);
    if (half >= 0)
        h_opt_u8(h, ALIGN_FIELD + 1, (uint8_t)half);
}

static void run_cases(const resize_case *list, size_t n)
{
    for (size_t k = 0; k < n; ++k) {
        const resize_case *c = &list[k];
        int count = c->in[0] * c->in[1] * c->in[2] * c->in[3];
        int m = c->check_batches * c->size[0] * c->size[1] * c->in[3];
        static int32_t buf[256];
        fill(c->type, buf, count);
        op_harness h;
        setup(&h, c->type, c->in, buf, c->size, true, c->align_corners, c->half_pixel_centers);
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        const tfl_tensor *o = &h.tensors[2];
        CHECK_EQ_INT(o->dims[0], c->in[0]);
        CHECK_EQ_INT(o->dims[1], c->size[0]);
        CHECK_EQ_INT(o->dims[2], c->size[1]);
        CHECK_EQ_INT(o->dims[3], c->in[3]);
        int bad = 0;
        for (int i = 0; i < m && o->data; ++i) {
            double got = elem(c->type, o->data, i), want = elem(c->type, c->expected, i);
            double tol = c->type == TFL_FLOAT32 ? 1e-5 * (fabs(want) + 1) : 0;
            if (fabs(got - want) > tol && bad++ < 3)
                fprintf(stderr, "%s[%d]: got %g, want %g\n", c->name, i, got, want);
        }
        if (bad)
            fprintf(stderr, "case %s failed\n", c->name);
        CHECK_EQ_INT(bad, 0);
        h_free(&h);
    }
}

static void expect_fail(op_harness *h, tfl_status want, const char *msg)
{
    CHECK_EQ_INT(h_run(h), want);
    CHECK_CONTAINS(h->error, msg);
    h_free(h);
}

/* Goldens: BUILTIN_REF outputs. */
/* bl_f32: [1, 3, 4, 2] -> [1, 5, 7, 2] align_corners 0 half_pixel_centers 0 */
static const float bl_f32_expected[] = {-4.875,
                                        -0.25,
                                        0.41071438789367676,
                                        -2.1785717010498047,
                                        3.892857074737549,
                                        -2.3035709857940674,
                                        1.9642852544784546,
                                        2.982144355773926,
                                        0.035713911056518555,
                                        4.660714149475098,
                                        -1.892857313156128,
                                        2.732142686843872,
                                        -2.375,
                                        2.25,
                                        -5.400000095367432,
                                        -0.7749999761581421,
                                        -0.11428558826446533,
                                        -2.7035715579986572,
                                        3.367856979370117,
                                        -2.82857084274292,
                                        1.4392852783203125,
                                        2.457144260406494,
                                        -0.48928606510162354,
                                        4.135714054107666,
                                        -2.4178574085235596,
                                        2.2071425914764404,
                                        -2.9000000953674316,
                                        1.725000023841858,
                                        -3.3999996185302734,
                                        -1.3000000715255737,
                                        0.44285738468170166,
                                        -3.228571891784668,
                                        2.8428568840026855,
                                        -3.3535714149475098,
                                        0.9142851829528809,
                                        1.9321441650390625,
                                        -1.0142861604690552,
                                        3.6107137203216553,
                                        -2.942857265472412,
                                        1.6821426153182983,
                                        -3.424999952316284,
                                        1.1999999284744263,
                                        3.65000057220459,
                                        -1.8250000476837158,
                                        3.164285659790039,
                                        -3.7535715103149414,
                                        2.317857027053833,
                                        -3.878571033477783,
                                        0.38928520679473877,
                                        1.4071440696716309,
                                        -1.5392861366271973,
                                        3.0857136249542236,
                                        -3.4678573608398438,
                                        1.1571426391601562,
                                        -3.9499998092651367,
                                        0.6749998927116394,
                                        6.0,
                                        -2.0,
                                        4.071428298950195,
                                        -3.9285717010498047,
                                        2.142857074737549,
                                        -4.053570747375488,
                                        0.21428526937961578,
                                        1.2321441173553467,
                                        -1.7142860889434814,
                                        2.9107141494750977,
                                        -3.642857551574707,
                                        0.9821426272392273,
                                        -4.125,
                                        0.5};
/* bl_f32_align: [2, 4, 4, 1] -> [2, 2, 3, 1] align_corners 1 half_pixel_centers 0 */
static const float bl_f32_align_expected[] = {-4.875, 2.0625, -3.625, 0.125,  0.75, 1.375,
                                              6.0,    0.3125, -5.375, -1.625, -1.0, -0.375};
/* bl_u8_half: [1, 2, 3, 3] -> [1, 4, 5, 3] align_corners 0 half_pixel_centers 1 */
static const uint8_t bl_u8_half_expected[] = {
    7,   60, 113, 71,  124, 74,  166, 219, 16,  108, 161, 111, 69, 122, 175,
    62,  51, 104, 100, 115, 91,  157, 210, 71,  99,  152, 128, 60, 113, 166,
    173, 34, 87,  160, 97,  125, 140, 193, 182, 82,  135, 162, 43, 96,  149,
    228, 25, 78,  189, 89,  142, 131, 184, 237, 73,  126, 179, 34, 87,  140};
/* bl_u8: [1, 3, 3, 2] -> [1, 7, 5, 2] align_corners 0 half_pixel_centers 0 */
static const uint8_t bl_u8_expected[] = {
    7,   60,  71,  124, 134, 136, 198, 46,  219, 16, 34,  87,  97,  150, 139, 163, 137, 73,
    136, 43,  60,  113, 124, 177, 143, 189, 75,  99, 53,  69,  87,  140, 150, 159, 163, 157,
    73,  111, 43,  96,  113, 166, 177, 120, 189, 96, 99,  116, 69,  122, 131, 184, 195, 94,
    207, 55,  117, 119, 87,  140, 131, 184, 195, 94, 207, 55,  117, 119, 87,  140};
/* bl_u8_align: [1, 3, 3, 2] -> [1, 7, 5, 2] align_corners 1 half_pixel_centers 0 */
static const uint8_t bl_u8_align_expected[] = {
    7,   60,  60,  113, 113, 166, 166, 91,  219, 16,  28,  81,  81,  134, 134, 187, 144, 112,
    154, 37,  48,  101, 101, 154, 154, 207, 122, 132, 90,  57,  69,  122, 122, 175, 175, 228,
    100, 153, 25,  78,  90,  143, 143, 153, 196, 163, 121, 131, 46,  99,  110, 163, 163, 131,
    216, 99,  141, 109, 66,  119, 131, 184, 184, 109, 237, 34,  162, 87,  87,  140};
/* bl_s8_half: [1, 3, 2, 3] -> [1, 6, 5, 3] align_corners 0 half_pixel_centers 1 */
static const int8_t bl_s8_half_expected[] = {
    -117, -80, -43, -106, -69, -32,  -61, -24, 13,   -17, 20,  57,  -6,  31,   68,  -62, -89, -52,
    -57,  -77, -40, -38,  -33, 4,    -19, 12,  49,   -15, 23,  60,  50,  -106, -69, 41,  -94, -57,
    9,    -50, -13, -24,  -5,  32,   -32, 6,   43,   97,  -59, -86, 82,  -54,  -74, 24,  -35, -30,
    -34,  -16, 15,  -49,  -12, 26,   80,  53,  -103, 65,  44,  -91, 7,   12,   -47, -51, -21, -2,
    -66,  -29, 9,   71,   108, -111, 56,  93,  -100, -2,  35,  -55, -60, -23,  -11, -74, -37, 0};
/* bl_s8_align: [2, 2, 2, 2] -> [2, 3, 7, 2] align_corners 1 half_pixel_centers 0 */
static const int8_t bl_s8_align_expected[] = {
    -117, -80, -105, -68, -92, -55, -80, -43,  -68, -31, -55, -18, -43, -6,  -43,  -6,  -31,
    -15,  -18, -24,  -6,  -33, 6,   -42, 19,   -51, 31,  -60, 31,  68,  43,  38,   56,  7,
    68,   -23, 80,   -54, 93,  -84, 105, -114, -77, -40, -65, -28, -52, -15, -40,  -3,  -28,
    9,    -15, 22,   -3,  34,  -3,  34,  -12,  25,  -21, 16,  -30, 7,   -39, -2,   -48, -11,
    -57,  -20, 71,   108, 41,  78,  10,  47,   -20, 17,  -51, -14, -81, -44, -111, -74};
/* bl_s16: [1, 4, 3, 2] -> [1, 5, 4, 2] align_corners 0 half_pixel_centers 0 */
static const int16_t bl_s16_expected[] = {
    -32755, -24836, -20877, -12958, -8998,  -1079, -1079, 6840,  5247,  13166,
    17125,  -14268, 2796,   -15493, -15493, -7574, 3953,  11872, 15831, 4070,
    14590,  -10259, 9389,   -21988, -10461, -2542, 1417,  9336,  13296, 1535,
    21215,  -10226, -21285, -13366, -9407,  -1488, 2472,  10391, 10391, 18310};
/* bl_s8_overshoot: [2, 1, 3, 1] -> [1, 62, 3, 1] align_corners 0 half_pixel_centers 0 */
static const int8_t bl_s8_overshoot_expected[] = {
    -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43,
    -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43,
    -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43,
    -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43,
    -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43,
    -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43,
    -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43,
    -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43,
    -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43,
    -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43, -117, -80, -43,
    -117, -80, -43, -7,   30,  67};

static const resize_case golden_cases[] = {
    {"bl_f32", TFL_FLOAT32, {1, 3, 4, 2}, {5, 7}, 0, 0, 1, bl_f32_expected},
    {"bl_f32_align", TFL_FLOAT32, {2, 4, 4, 1}, {2, 3}, 1, 0, 2, bl_f32_align_expected},
    {"bl_u8_half", TFL_UINT8, {1, 2, 3, 3}, {4, 5}, 0, 1, 1, bl_u8_half_expected},
    {"bl_u8", TFL_UINT8, {1, 3, 3, 2}, {7, 5}, 0, 0, 1, bl_u8_expected},
    {"bl_u8_align", TFL_UINT8, {1, 3, 3, 2}, {7, 5}, 1, 0, 1, bl_u8_align_expected},
    {"bl_s8_half", TFL_INT8, {1, 3, 2, 3}, {6, 5}, 0, 1, 1, bl_s8_half_expected},
    {"bl_s8_align", TFL_INT8, {2, 2, 2, 2}, {3, 7}, 1, 0, 2, bl_s8_align_expected},
    {"bl_s16", TFL_INT16, {1, 4, 3, 2}, {5, 4}, 0, 0, 1, bl_s16_expected},
    /* 1 -> 62 rows: the rounded 1/1024 step overshoots, and TFLite reads the
     * next image's first row for the last rows of image 0 (image 1 reads
     * past the tensor and is not compared). */
    {"bl_s8_overshoot", TFL_INT8, {2, 1, 3, 1}, {62, 3}, 0, 0, 1, bl_s8_overshoot_expected},
};

static void test_goldens(void)
{
    for (size_t k = 0; k < sizeof golden_cases / sizeof golden_cases[0]; ++k) {
        tfl_type t = golden_cases[k].type;
        /* The integer-path goldens come from the oracle's double-rounding
         * build. */
        if (TFL_SINGLE_ROUNDING && (t == TFL_INT8 || t == TFL_INT16))
            continue;
        run_cases(&golden_cases[k], 1);
    }
}

/* Integer path, hand-derived: 2 -> 4 columns put x = 1 halfway between the
 * two pixels (step 512/1024), so -3 and 0 give -1.5: -2 with TFLite's
 * default rounding (half away from zero), -1 with single rounding. */
static void test_integer_rounding(void)
{
    op_harness h;
    static const int32_t d[4] = {1, 1, 2, 1}, size[2] = {1, 4};
    static const int8_t x[2] = {-3, 0};
    setup(&h, TFL_INT8, d, x, size, true, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    const int8_t *o = h_data(&h, 2);
    CHECK_EQ_INT(o[0], -3);
    CHECK_EQ_INT(o[1], TFL_SINGLE_ROUNDING ? -1 : -2);
    CHECK_EQ_INT(o[2], 0);
    CHECK_EQ_INT(o[3], 0);
    h_free(&h);
}

/* A non-constant size tensor: the output is dynamic and shaped at eval. */
static void test_dynamic_size(void)
{
    op_harness h;
    static const int32_t d[4] = {1, 2, 2, 1}, size[2] = {3, 3}, bad[2] = {0, 3};
    static const float x[4] = {0, 3, 6, 9};
    setup(&h, TFL_FLOAT32, d, x, size, false, 1, 0);
    CHECK_EQ_INT(h_prepare(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].alloc, TFL__ALLOC_DYNAMIC);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].dims[1], 3);
    /* align_corners: the centre is the mean of the four corners. */
    static const float want[9] = {0, 1.5f, 3, 3, 4.5f, 6, 6, 7.5f, 9};
    for (int i = 0; i < 9; ++i)
        CHECK_NEAR(((const float *)h_data(&h, 2))[i], want[i], 1e-6);
    h_free(&h);

    setup(&h, TFL_FLOAT32, d, x, bad, false, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "RESIZE_BILINEAR (node 0): output size 0x3 must be positive");
    h_free(&h);
}

static void test_errors(void)
{
    op_harness h;
    static const int32_t d[4] = {1, 2, 2, 1}, size[2] = {3, 3}, neg[2] = {3, -1};
    static const float x[4] = {0};

    setup(&h, TFL_FLOAT32, d, x, size, true, 1, 1);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "align_corners and half_pixel_centers cannot both be set");

    setup(&h, TFL_FLOAT32, d, x, neg, true, 0, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "output size 3x-1 must be positive");

    setup(&h, TFL_INT32, d, x, size, true, 0, 0);
    expect_fail(&h, TFL_ERROR_UNSUPPORTED, "input type int32 not supported");

    static const int32_t d3[3] = {2, 2, 1}, one[1] = {1}, two[1] = {2}, three[1] = {3};
    h_init(&h, &OP, OP_NAME);
    int ins[2] = {h_input(&h, TFL_FLOAT32, 3, d3, x, 0, 0),
                  h_tensor(&h, TFL_INT32, 1, two, size, 0, 0)};
    int out = h_tensor(&h, TFL_FLOAT32, 1, one, NULL, 0, 0);
    h_io(&h, 2, ins, 1, &out);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "input float32[2,2,1] must have rank 4");

    static const int32_t size3[3] = {1, 2, 3};
    h_init(&h, &OP, OP_NAME);
    ins[0] = h_input(&h, TFL_FLOAT32, 4, d, x, 0, 0);
    ins[1] = h_tensor(&h, TFL_INT32, 1, three, size3, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, one, NULL, 0, 0);
    h_io(&h, 2, ins, 1, &out);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "size int32[3] must have shape [2] (height, width)");

    static const int64_t size64[2] = {3, 3};
    h_init(&h, &OP, OP_NAME);
    ins[0] = h_input(&h, TFL_FLOAT32, 4, d, x, 0, 0);
    ins[1] = h_tensor(&h, TFL_INT64, 1, two, size64, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, one, NULL, 0, 0);
    h_io(&h, 2, ins, 1, &out);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "size type int64, expected int32");

    h_init(&h, &OP, OP_NAME);
    ins[0] = h_input(&h, TFL_UINT8, 4, d, x, 0.5f, 0);
    ins[1] = h_tensor(&h, TFL_INT32, 1, two, size, 0, 0);
    out = h_tensor(&h, TFL_INT8, 1, one, NULL, 0.5f, 0);
    h_io(&h, 2, ins, 1, &out);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "output type int8 does not match input type uint8");

    static const int32_t d0[4] = {1, 0, 2, 1};
    setup(&h, TFL_FLOAT32, d0, x, size, true, 0, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "input float32[1,0,2,1] has an empty image");
}

TFL_TEST_MAIN(TEST(test_goldens), TEST(test_integer_rounding), TEST(test_dynamic_size),
              TEST(test_errors))
