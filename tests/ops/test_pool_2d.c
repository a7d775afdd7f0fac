/* AVERAGE_POOL_2D and MAX_POOL_2D against goldens from TFLite's BUILTIN_REF
 * resolver (ai-edge-litert 2.3.0, one-op models built by hand), plus
 * hand-derived rounding cases and bad-parameter checks. */
#include <float.h>
#include <stdint.h>

#include "ops/op.h"
#include "ops/op_harness.h"
#include "test.h"

extern const tfl__op tfl__op_average_pool_2d;
extern const tfl__op tfl__op_max_pool_2d;

/* Inputs are formulas of the flat index so that the oracle script used the
 * same data (see gen_input in the golden generator). */
static void fill(tfl_type t, void *buf, int n)
{
    for (int i = 0; i < n; ++i) {
        long long k = i;
        switch (t) {
        case TFL_FLOAT32: ((float *)buf)[i] = (float)((k * 37 + 11) % 101 - 50) / 8.0f; break;
        case TFL_UINT8: ((uint8_t *)buf)[i] = (uint8_t)((k * 53 + 7) % 256); break;
        case TFL_INT8: ((int8_t *)buf)[i] = (int8_t)((k * 37 + 11) % 256 - 128); break;
        case TFL_INT16: ((int16_t *)buf)[i] = (int16_t)((k * 7919 + 13) % 65536 - 32768); break;
        default: break;
        }
    }
}

/* Goldens: BUILTIN_REF outputs for the cases below. */
/* avg_f32: [1, 5, 7, 3] -> [1, 3, 3, 3] */
static const float avg_f32_expected[] = {0.125,
                                         -1.5625,
                                         3.0625,
                                         -2.4375,
                                         2.1875,
                                         0.5,
                                         0.6875,
                                         -1.0,
                                         -2.6875,
                                         0.625,
                                         1.0416666269302368,
                                         -0.6458333134651184,
                                         0.1666666716337204,
                                         0.5833333134651184,
                                         1.0,
                                         -0.9166666865348816,
                                         -0.5,
                                         -0.0833333358168602,
                                         1.125,
                                         -0.5625,
                                         0.90625,
                                         -1.4375,
                                         3.1875,
                                         -1.65625,
                                         1.6875,
                                         0.0,
                                         -1.6875};
/* avg_u8: [2, 4, 5, 3] -> [2, 3, 2, 3] */
static const uint8_t avg_u8_expected[] = {
    120, 147, 120, 156, 124, 134, 121, 132, 142, 141, 151, 120, 148, 120, 126, 125, 135, 120,
    120, 127, 138, 136, 120, 120, 144, 120, 122, 121, 120, 141, 128, 139, 120, 120, 120, 126};
/* avg_s8: [1, 6, 5, 5] -> [1, 3, 3, 5] */
static const int8_t avg_s8_expected[] = {5,   -1,  -7,  -10, 25,  12, 20,  -10, 9,   -10, 5,  -1,
                                         -7,  31,  -10, 20,  -10, 9,  3,   -3,  13,  -7,  2,  -10,
                                         -10, -10, 15,  9,   3,   -3, -10, 15,  -10, 25,  -2, 21,
                                         15,  10,  4,   -2,  -10, -6, 31,  4,   41};
/* avg_s16: [2, 3, 4, 2] -> [2, 3, 4, 2] */
static const int16_t avg_s16_expected[] = {
    -9544, -18009, -10090, -2171, 5748,  13667,  13667,  21586,  4656,  -20193, -12274, -4355,
    3564,  11483,  11483,  19402, 3564,  -21285, -13366, -5447,  2472,  10391,  10391,  18310,
    288,   -8177,  -16642, -8723, -804,  7115,   7115,   15034,  -1896, 6023,   -18826, -10907,
    -2988, 4931,   4931,   12850, -2988, 4931,   -19918, -11999, -4080, 3839,   3839,   11758};
/* avg_u8_global: [1, 7, 7, 8] -> [1, 1, 1, 8] */
static const uint8_t avg_u8_global_expected[] = {136, 127, 122, 133, 124, 124, 130, 121};
/* max_f32: [2, 5, 4, 3] -> [2, 3, 4, 3] */
static const float max_f32_expected[] = {
    1.375, 6.0,   5.625, 2.625, 6.0,   5.625, 3.875, 6.0,   5.625, 3.875, 3.5,   0.5,
    5.125, 3.375, 3.0,   5.125, 4.625, 4.25,  1.25,  5.875, 5.5,   1.25,  5.875, 5.5,
    3.75,  0.0,   0.375, 5.0,   0.0,   1.625, 6.25,  0.0,   2.875, 6.25,  0.0,   2.875,
    1.125, 5.75,  5.375, 2.375, 5.75,  5.375, 3.625, 5.75,  5.375, 3.625, 3.25,  0.25,
    6.125, 3.125, 2.75,  6.125, 4.375, 4.0,   6.125, 5.625, 5.25,  1.0,   5.625, 5.25,
    3.5,   0.0,   0.125, 4.75,  0.0,   1.375, 6.0,   0.0,   2.625, 6.0,   0.0,   2.625};
/* max_u8: [1, 5, 5, 4] -> [1, 2, 2, 4] */
static const uint8_t max_u8_expected[] = {210, 210, 185, 210, 210, 210, 210, 210,
                                          210, 204, 210, 210, 210, 210, 169, 210};
/* max_s8: [1, 4, 6, 3] -> [1, 2, 3, 3] */
static const int8_t max_s8_expected[] = {37, 74,  111, 114, 40, 77, 80,  117, 43,
                                         89, 126, 120, 55,  92, 86, 123, 58,  95};
/* max_s16: [1, 5, 3, 2] -> [1, 5, 3, 2] */
static const int16_t max_s16_expected[] = {14759, 22678, 30597, 0,    0,     6840,  14759, 22678,
                                           30597, 20494, 28413, 6840, 14759, 22678, 30597, 20494,
                                           28413, 18310, 26229, 4656, 12575, 20494, 28413, 18310,
                                           26229, 0,     0,     2472, 10391, 18310};

typedef struct pool_case {
    const char *name;
    int max; /* 0 = AVERAGE_POOL_2D, 1 = MAX_POOL_2D */
    tfl_type type;
    int32_t in[4], out[4];
    int fh, fw, sh, sw, padding, act;
    float scale;
    int32_t zp;
    const void *expected;
} pool_case;

static const pool_case pool_cases[] = {
    {"avg_f32",
     0,
     TFL_FLOAT32,
     {1, 5, 7, 3},
     {1, 3, 3, 3},
     3,
     2,
     2,
     3,
     0,
     0,
     0,
     0,
     avg_f32_expected},
    {"avg_u8",
     0,
     TFL_UINT8,
     {2, 4, 5, 3},
     {2, 3, 2, 3},
     2,
     3,
     1,
     2,
     1,
     1,
     0.5f,
     120,
     avg_u8_expected},
    {"avg_s8",
     0,
     TFL_INT8,
     {1, 6, 5, 5},
     {1, 3, 3, 5},
     3,
     3,
     2,
     2,
     0,
     3,
     0.05f,
     -10,
     avg_s8_expected},
    {"avg_s16",
     0,
     TFL_INT16,
     {2, 3, 4, 2},
     {2, 3, 4, 2},
     2,
     2,
     1,
     1,
     0,
     0,
     1.0f / 256,
     0,
     avg_s16_expected},
    {"avg_u8_global",
     0,
     TFL_UINT8,
     {1, 7, 7, 8},
     {1, 1, 1, 8},
     7,
     7,
     1,
     1,
     1,
     0,
     0.1f,
     3,
     avg_u8_global_expected},
    {"max_f32",
     1,
     TFL_FLOAT32,
     {2, 5, 4, 3},
     {2, 3, 4, 3},
     2,
     3,
     2,
     1,
     0,
     1,
     0,
     0,
     max_f32_expected},
    {"max_u8",
     1,
     TFL_UINT8,
     {1, 5, 5, 4},
     {1, 2, 2, 4},
     3,
     3,
     2,
     2,
     1,
     3,
     0.03f,
     10,
     max_u8_expected},
    {"max_s8", 1, TFL_INT8, {1, 4, 6, 3}, {1, 2, 3, 3}, 2, 2, 2, 2, 0, 0, 0.1f, 0, max_s8_expected},
    {"max_s16",
     1,
     TFL_INT16,
     {1, 5, 3, 2},
     {1, 5, 3, 2},
     3,
     1,
     1,
     1,
     0,
     1,
     0.5f,
     0,
     max_s16_expected},
};

static void setup(op_harness *h, int max, tfl_type type, const int32_t *in_dims, const void *data,
                  float scale, int32_t zp, int fh, int fw, int sh, int sw, int padding, int act)
{
    h_init(h, max ? &tfl__op_max_pool_2d : &tfl__op_average_pool_2d,
           max ? "MAX_POOL_2D" : "AVERAGE_POOL_2D");
    static const int32_t one[4] = {1, 1, 1, 1};
    int in = h_input(h, type, 4, in_dims, data, scale, zp);
    int out = h_tensor(h, type, 4, one, NULL, scale, zp);
    h_io(h, 1, &in, 1, &out);
    h_opt_u8(h, 0, (uint8_t)padding);
    h_opt_i32(h, 1, sw);
    h_opt_i32(h, 2, sh);
    h_opt_i32(h, 3, fw);
    h_opt_i32(h, 4, fh);
    h_opt_u8(h, 5, (uint8_t)act);
}

static void test_goldens(void)
{
    for (size_t k = 0; k < sizeof pool_cases / sizeof pool_cases[0]; ++k) {
        const pool_case *c = &pool_cases[k];
        int n = c->in[0] * c->in[1] * c->in[2] * c->in[3];
        int m = c->out[0] * c->out[1] * c->out[2] * c->out[3];
        static float buf[512];
        fill(c->type, buf, n);
        op_harness h;
        setup(&h, c->max, c->type, c->in, buf, c->scale, c->zp, c->fh, c->fw, c->sh, c->sw,
              c->padding, c->act);
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        const tfl_tensor *o = &h.tensors[h.outputs[0]];
        CHECK_EQ_INT(o->ndim, 4);
        for (int d = 0; d < 4; ++d)
            CHECK_EQ_INT(o->dims[d], c->out[d]);
        int bad = 0;
        for (int i = 0; i < m && o->data; ++i) {
            double got, want;
            switch (c->type) {
            case TFL_FLOAT32:
                got = ((float *)o->data)[i];
                want = ((const float *)c->expected)[i];
                break;
            case TFL_UINT8:
                got = o->data[i];
                want = ((const uint8_t *)c->expected)[i];
                break;
            case TFL_INT8:
                got = ((int8_t *)o->data)[i];
                want = ((const int8_t *)c->expected)[i];
                break;
            default:
                got = ((int16_t *)o->data)[i];
                want = ((const int16_t *)c->expected)[i];
                break;
            }
            double tol = c->type == TFL_FLOAT32 ? 1e-6 * (fabs(want) + 1) : 0;
            if (fabs(got - want) > tol && bad++ < 3)
                fprintf(stderr, "%s[%d]: got %g, want %g\n", c->name, i, got, want);
        }
        CHECK_EQ_INT(bad, 0);
        h_free(&h);
    }
}

/* Hand-derived: integer averages round half away from zero. */
static void test_rounding(void)
{
    static const int32_t dims[4] = {1, 1, 6, 1};
    static const int8_t s8[6] = {-3, 0, -1, 0, 3, 0};
    op_harness h;
    setup(&h, 0, TFL_INT8, dims, s8, 1.0f, 0, 1, 2, 1, 2, 1, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    const int8_t *o8 = h_data(&h, 1);
    CHECK_EQ_INT(h.tensors[1].dims[2], 3);
    CHECK_EQ_INT(o8[0], -2); /* -1.5 */
    CHECK_EQ_INT(o8[1], -1); /* -0.5 */
    CHECK_EQ_INT(o8[2], 2);  /* 1.5 */
    h_free(&h);

    static const uint8_t u8[6] = {1, 2, 255, 254, 0, 1};
    setup(&h, 0, TFL_UINT8, dims, u8, 1.0f, 0, 1, 2, 1, 2, 1, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    const uint8_t *o = h_data(&h, 1);
    CHECK_EQ_INT(o[0], 2);
    CHECK_EQ_INT(o[1], 255);
    CHECK_EQ_INT(o[2], 1);
    h_free(&h);

    /* SAME padding: edge windows average only the pixels inside the image. */
    static const int16_t s16[6] = {-32768, -32768, 32767, 32767, 100, -101};
    setup(&h, 0, TFL_INT16, dims, s16, 1.0f, 0, 1, 3, 1, 1, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    const int16_t *o16 = h_data(&h, 1);
    CHECK_EQ_INT(h.tensors[1].dims[2], 6);
    CHECK_EQ_INT(o16[0], -32768);
    CHECK_EQ_INT(o16[1], -10923); /* -32769 / 3 = -10923 */
    CHECK_EQ_INT(o16[2], 10922);
    CHECK_EQ_INT(o16[3], 21878); /* (32767 + 32767 + 100) / 3 = 21878 */
    CHECK_EQ_INT(o16[4], 10922); /* 32766 / 3 */
    CHECK_EQ_INT(o16[5], -1);    /* -0.5 -> -1 */
    h_free(&h);
}

/* A VALID window larger than the image gives an empty output, as TFLite
 * (both checked against the oracle). */
static void test_empty_output(void)
{
    static const int32_t dims[4] = {1, 2, 3, 1};
    static const float x[6] = {0};
    op_harness h;
    setup(&h, 1, TFL_FLOAT32, dims, x, 0, 0, 3, 3, 1, 1, 1, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[1].dims[1], 0);
    CHECK_EQ_INT(h.tensors[1].dims[2], 1);
    h_free(&h);
    /* An invalid width empties the height too (TFLite's order of checks). */
    setup(&h, 0, TFL_FLOAT32, dims, x, 0, 0, 1, 5, 1, 1, 1, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[1].dims[1], 0);
    CHECK_EQ_INT(h.tensors[1].dims[2], 0);
    h_free(&h);
}

static void expect_fail(op_harness *h, tfl_status want, const char *msg)
{
    CHECK_EQ_INT(h_run(h), want);
    CHECK_CONTAINS(h->error, msg);
    h_free(h);
}

static void test_errors(void)
{
    static const int32_t d4[4] = {1, 2, 2, 1}, d3[3] = {2, 2, 1};
    static const float x[4] = {0};
    op_harness h;

    setup(&h, 0, TFL_FLOAT32, d4, x, 0, 0, 2, 2, 0, 1, 0, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "strides must be > 0, got 0x1");

    setup(&h, 1, TFL_FLOAT32, d4, x, 0, 0, 2, 0, 1, 1, 0, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "filter size must be > 0, got 2x0");

    setup(&h, 0, TFL_FLOAT32, d4, x, 0, 0, 2, 2, 1, 1, 2, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "padding 2 is not SAME (0) or VALID (1)");

    setup(&h, 0, TFL_FLOAT32, d4, x, 0, 0, 2, 2, 1, 1, 0, 4);
    expect_fail(&h, TFL_ERROR_UNSUPPORTED, "fused activation 4 not supported");

    setup(&h, 1, TFL_INT32, d4, x, 0, 0, 2, 2, 1, 1, 0, 0);
    expect_fail(&h, TFL_ERROR_UNSUPPORTED, "input type int32 not supported");

    h_init(&h, &tfl__op_max_pool_2d, "MAX_POOL_2D");
    int in = h_input(&h, TFL_FLOAT32, 3, d3, x, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 3, d3, NULL, 0, 0);
    h_io(&h, 1, &in, 1, &out);
    h_opt_i32(&h, 1, 1);
    h_opt_i32(&h, 2, 1);
    h_opt_i32(&h, 3, 1);
    h_opt_i32(&h, 4, 1);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "input float32[2,2,1] must have rank 4");

    h_init(&h, &tfl__op_average_pool_2d, "AVERAGE_POOL_2D");
    in = h_input(&h, TFL_UINT8, 4, d4, x, 0.5f, 0);
    out = h_tensor(&h, TFL_INT8, 4, d4, NULL, 0.5f, 0);
    h_io(&h, 1, &in, 1, &out);
    h_opt_i32(&h, 1, 1);
    h_opt_i32(&h, 2, 1);
    h_opt_i32(&h, 3, 1);
    h_opt_i32(&h, 4, 1);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "output type int8 does not match input type uint8");

    /* No options table: strides default to 0, as TFLite's. */
    h_init(&h, &tfl__op_average_pool_2d, "AVERAGE_POOL_2D");
    in = h_input(&h, TFL_FLOAT32, 4, d4, x, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 4, d4, NULL, 0, 0);
    h_io(&h, 1, &in, 1, &out);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "AVERAGE_POOL_2D (node 0): strides must be > 0");

    h_init(&h, &tfl__op_average_pool_2d, "AVERAGE_POOL_2D");
    in = h_input(&h, TFL_FLOAT32, 4, d4, x, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 4, d4, NULL, 0, 0);
    int ins[2] = {in, in};
    h_io(&h, 2, ins, 1, &out);
    h_opt_i32(&h, 1, 1);
    h_opt_i32(&h, 2, 1);
    h_opt_i32(&h, 3, 1);
    h_opt_i32(&h, 4, 1);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "expects 1 inputs, got 2");
}

TFL_TEST_MAIN(TEST(test_goldens), TEST(test_rounding), TEST(test_empty_output), TEST(test_errors))
