/* MEAN and SUM against goldens from TFLite's BUILTIN_REF resolver
 * (ai-edge-litert 2.3.0, one-op models built by hand; int8 SUM from the
 * BUILTIN resolver, see tfl_sum_s8__ref), plus hand-derived edge cases and
 * bad-parameter checks. */
#include <math.h>
#include <stdint.h>

#include "core/pool.h"
#include "ops/op.h"
#include "ops/op_harness.h"
#include "test.h"

extern const tfl__op tfl__op_mean;
extern const tfl__op tfl__op_sum;

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

/* mean_f32: [2, 3, 4, 5] axes [1, 2] keep 1 -> [2, 1, 1, 5] */
static const float mean_f32_expected[] = {
    0.2708333432674408,  0.6875, 0.0520833320915699, -0.5833333134651184, -0.1666666716337204,
    0.02083333395421505, 0.4375, 0.8541666865348816, -0.8333333134651184, -0.4166666567325592};
/* mean_f32_dup: [3, 4, 5] axes [-1, 0, -1] keep 0 -> [4] */
static const float mean_f32_dup_expected[] = {0.0833333358168602, -0.3583333194255829,
                                              0.0416666679084301, 0.4416666626930237};
/* mean_u8: [2, 5, 3, 4] axes [1, 2] keep 1 -> [2, 1, 1, 4] */
static const uint8_t mean_u8_expected[] = {159, 115, 118, 143, 120, 146, 148, 128};
/* mean_u8_global: [1, 7, 7, 6] axes [2, 1] keep 1 -> [1, 1, 1, 6] */
static const uint8_t mean_u8_global_expected[] = {131, 132, 128, 123, 124, 125};
/* mean_u8_noaxis: [2, 3] axes [] keep 0 -> [2, 3] */
static const uint8_t mean_u8_noaxis_expected[] = {0, 100, 206, 255, 255, 12};
/* mean_s8: [2, 3, 4, 5] axes [3] keep 0 -> [2, 3, 4] */
static const int8_t mean_s8_expected[] = {-128, -33, 124,  25,  -74, 83, 127, -115,
                                          42,   127, 100,  1,   -98, 59, -40, -128,
                                          18,   127, -128, -23, 127, 35, -64, 93};
/* mean_s8_sat: [4, 3, 6] axes [0, 2] keep 1 -> [1, 3, 1] */
static const int8_t mean_s8_sat_expected[] = {127, -128, -128};
/* mean_s16: [2, 4, 3, 3] axes [1] keep 1 -> [2, 1, 3, 3] */
static const int16_t mean_s16_expected[] = {-32639, -21937, -11236, -535,   10167,  20868,
                                            31570,  -2010,  -13450, -1639,  9063,   19764,
                                            30466,  -3114,  -14554, -25993, -15291, -4590};
/* mean_s32: [3, 5] axes [1] keep 0 -> [3] */
static const int32_t mean_s32_expected[] = {443, 419, -6};
/* sum_f32_all: [2, 3, 4] axes [0, 1, 2] keep 0 -> [] */
static const float sum_f32_all_expected[] = {-2.0};
/* sum_s32: [3, 4] axes [0] keep 1 -> [1, 4] */
static const int32_t sum_s32_expected[] = {21, 1767, 1512, 1257};
/* sum_u8: [2, 3, 4] axes [1] keep 0 -> [2, 4] */
static const uint8_t sum_u8_expected[] = {103, 79, 55, 95, 68, 108, 148, 124};
/* sum_s8: [2, 3, 4] axes [-1] keep 1 -> [2, 3, 1] */
static const int8_t sum_s8_expected[] = {-128, 45, -72, -19, 34, -83};

typedef struct reduce_case {
    const char *name;
    int sum; /* 0 = MEAN, 1 = SUM */
    tfl_type type;
    int ndim;
    int32_t in[4];
    int naxis;
    int32_t axis[3];
    int keep;
    int odim;
    int32_t out[4];
    float in_scale;
    int32_t in_zp;
    float out_scale;
    int32_t out_zp;
    const void *expected;
} reduce_case;

static const reduce_case reduce_cases[] = {
    {"mean_f32",
     0,
     TFL_FLOAT32,
     4,
     {2, 3, 4, 5},
     2,
     {1, 2},
     1,
     4,
     {2, 1, 1, 5},
     0,
     0,
     0,
     0,
     mean_f32_expected},
    {"mean_f32_dup",
     0,
     TFL_FLOAT32,
     3,
     {3, 4, 5},
     3,
     {-1, 0, -1},
     0,
     1,
     {4},
     0,
     0,
     0,
     0,
     mean_f32_dup_expected},
    {"mean_u8",
     0,
     TFL_UINT8,
     4,
     {2, 5, 3, 4},
     2,
     {1, 2},
     1,
     4,
     {2, 1, 1, 4},
     0.5f,
     103,
     0.37f,
     105,
     mean_u8_expected},
    {"mean_u8_global",
     0,
     TFL_UINT8,
     4,
     {1, 7, 7, 6},
     2,
     {2, 1},
     1,
     4,
     {1, 1, 1, 6},
     0.02f,
     128,
     0.02f,
     128,
     mean_u8_global_expected},
    {"mean_u8_noaxis",
     0,
     TFL_UINT8,
     2,
     {2, 3},
     0,
     {0},
     0,
     2,
     {2, 3},
     0.5f,
     10,
     0.25f,
     0,
     mean_u8_noaxis_expected},
    {"mean_s8",
     0,
     TFL_INT8,
     4,
     {2, 3, 4, 5},
     1,
     {3},
     0,
     3,
     {2, 3, 4},
     0.05f,
     -3,
     0.01f,
     10,
     mean_s8_expected},
    {"mean_s8_sat",
     0,
     TFL_INT8,
     3,
     {4, 3, 6},
     2,
     {0, 2},
     1,
     3,
     {1, 3, 1},
     1.0f,
     0,
     0.001f,
     -128,
     mean_s8_sat_expected},
    {"mean_s16",
     0,
     TFL_INT16,
     4,
     {2, 4, 3, 3},
     1,
     {1},
     1,
     4,
     {2, 1, 3, 3},
     0.5f,
     0,
     0.37f,
     0,
     mean_s16_expected},
    {"mean_s32", 0, TFL_INT32, 2, {3, 5}, 1, {1}, 0, 1, {3}, 0, 0, 0, 0, mean_s32_expected},
    {"sum_f32_all",
     1,
     TFL_FLOAT32,
     3,
     {2, 3, 4},
     3,
     {0, 1, 2},
     0,
     0,
     {0},
     0,
     0,
     0,
     0,
     sum_f32_all_expected},
    {"sum_s32", 1, TFL_INT32, 2, {3, 4}, 1, {0}, 1, 2, {1, 4}, 0, 0, 0, 0, sum_s32_expected},
    {"sum_u8", 1, TFL_UINT8, 3, {2, 3, 4}, 1, {1}, 0, 2, {2, 4}, 0.5f, 3, 2.0f, 5, sum_u8_expected},
    {"sum_s8",
     1,
     TFL_INT8,
     3,
     {2, 3, 4},
     1,
     {-1},
     1,
     3,
     {2, 3, 1},
     0.5f,
     3,
     0.75f,
     -7,
     sum_s8_expected},
};

/* Sets up input 0, axis 1 (constant unless axis_const is false), output 2. */
static void setup(op_harness *h, int sum, tfl_type type, int ndim, const int32_t *dims,
                  const void *data, float in_scale, int32_t in_zp, const int32_t *axis, int naxis,
                  bool axis_const, int keep, tfl_type out_type, float out_scale, int32_t out_zp)
{
    h_init(h, sum ? &tfl__op_sum : &tfl__op_mean, sum ? "SUM" : "MEAN");
    static const int32_t one[1] = {1};
    int32_t adims[1] = {naxis};
    int in = h_input(h, type, ndim, dims, data, in_scale, in_zp);
    int ax = axis_const ? h_tensor(h, TFL_INT32, 1, adims, axis, 0, 0)
                        : h_input(h, TFL_INT32, 1, adims, axis, 0, 0);
    int out = h_tensor(h, out_type, 1, one, NULL, out_scale, out_zp);
    int ins[2] = {in, ax};
    h_io(h, 2, ins, 1, &out);
    if (keep >= 0)
        h_opt_u8(h, 0, (uint8_t)keep);
}

static double elem(tfl_type t, const void *p, int i)
{
    switch (t) {
    case TFL_FLOAT32: return ((const float *)p)[i];
    case TFL_UINT8: return ((const uint8_t *)p)[i];
    case TFL_INT8: return ((const int8_t *)p)[i];
    case TFL_INT16: return ((const int16_t *)p)[i];
    case TFL_INT32: return ((const int32_t *)p)[i];
    default: return ((const int64_t *)p)[i];
    }
}

static void test_goldens(void)
{
    for (size_t k = 0; k < sizeof reduce_cases / sizeof reduce_cases[0]; ++k) {
        const reduce_case *c = &reduce_cases[k];
#if TFL_SINGLE_ROUNDING
        /* The goldens come from the oracle's double-rounding build. */
        if (c->type == TFL_UINT8 || c->type == TFL_INT8 || c->type == TFL_INT16)
            continue;
#endif
        int n = 1, m = 1;
        for (int d = 0; d < c->ndim; ++d)
            n *= c->in[d];
        for (int d = 0; d < c->odim; ++d)
            m *= c->out[d];
        static int32_t buf[256];
        fill(c->type, buf, n);
        op_harness h;
        setup(&h, c->sum, c->type, c->ndim, c->in, buf, c->in_scale, c->in_zp, c->axis, c->naxis,
              true, c->keep, c->type, c->out_scale, c->out_zp);
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        const tfl_tensor *o = &h.tensors[2];
        CHECK_EQ_INT(o->ndim, c->odim);
        for (int d = 0; d < c->odim; ++d)
            CHECK_EQ_INT(o->dims[d], c->out[d]);
        int bad = 0;
        for (int i = 0; i < m && o->data; ++i) {
            double got = elem(c->type, o->data, i), want = elem(c->type, c->expected, i);
            double tol = c->type == TFL_FLOAT32 ? 1e-6 * (fabs(want) + 1) : 0;
            if (fabs(got - want) > tol && bad++ < 3)
                fprintf(stderr, "%s[%d]: got %g, want %g\n", c->name, i, got, want);
        }
        if (bad)
            fprintf(stderr, "case %s failed\n", c->name);
        CHECK_EQ_INT(bad, 0);
        h_free(&h);
    }
}

/* Hand-derived cases. */
static void test_int64_and_scalar(void)
{
    op_harness h;
    static const int32_t d23[2] = {2, 3}, ax1[1] = {1}, ax_bad[1] = {5};
    static const int64_t x64[6] = {INT64_MAX, 1, 0, -7, -8, 2};
    setup(&h, 1, TFL_INT64, 2, d23, x64, 0, 0, ax1, 1, true, 0, TFL_INT64, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    const int64_t *o = h_data(&h, 2);
    CHECK(o[0] == INT64_MIN); /* wraps, as TFLite's sum */
    CHECK(o[1] == -13);
    h_free(&h);

    setup(&h, 0, TFL_INT64, 2, d23, x64, 0, 0, ax1, 1, true, 1, TFL_INT64, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    o = h_data(&h, 2);
    CHECK_EQ_INT(h.tensors[2].ndim, 2);
    CHECK_EQ_INT(h.tensors[2].dims[1], 1);
    CHECK(o[1] == -4); /* -13 / 3 truncates toward zero */
    h_free(&h);

    /* A scalar input ignores the axis values, even out-of-range ones. */
    static const float s = 3.5f;
    setup(&h, 0, TFL_FLOAT32, 0, d23, &s, 0, 0, ax_bad, 1, true, 0, TFL_FLOAT32, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].ndim, 0);
    CHECK(*(const float *)h_data(&h, 2) == 3.5f);
    h_free(&h);
}

/* SUM over every axis starts from the first element (keeps -0.0); over some
 * axes it starts from +0.0, as TFLite (checked against the oracle). */
static void test_signed_zero(void)
{
    op_harness h;
    static const int32_t d21[2] = {2, 1}, all[2] = {0, 1}, ax1[1] = {1};
    static const float nz[2] = {-0.0f, -0.0f};
    setup(&h, 1, TFL_FLOAT32, 2, d21, nz, 0, 0, all, 2, true, 0, TFL_FLOAT32, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(signbit(*(const float *)h_data(&h, 2)));
    h_free(&h);
    setup(&h, 1, TFL_FLOAT32, 2, d21, nz, 0, 0, ax1, 1, true, 0, TFL_FLOAT32, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(!signbit(((const float *)h_data(&h, 2))[0]));
    h_free(&h);
}

/* Empty inputs: MEAN gives NaN for float and 0 (not the zero point) for
 * quantized outputs; SUM gives zeros. */
static void test_empty_input(void)
{
    op_harness h;
    static const int32_t d03[2] = {0, 3}, ax0[1] = {0};
    static const float none[1] = {0};
    setup(&h, 0, TFL_FLOAT32, 2, d03, none, 0, 0, ax0, 1, true, 0, TFL_FLOAT32, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].dims[0], 3);
    CHECK(isnan(((const float *)h_data(&h, 2))[2]));
    h_free(&h);
    setup(&h, 0, TFL_UINT8, 2, d03, none, 0.5f, 7, ax0, 1, true, 0, TFL_UINT8, 0.5f, 7);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(((const uint8_t *)h_data(&h, 2))[1], 0);
    h_free(&h);
    setup(&h, 1, TFL_FLOAT32, 2, d03, none, 0, 0, ax0, 1, true, 0, TFL_FLOAT32, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(((const float *)h_data(&h, 2))[0] == 0.0f);
    h_free(&h);
}

/* A non-constant axis tensor: the output is dynamic and shaped at eval. */
static void test_dynamic_axis(void)
{
    op_harness h;
    static const int32_t d[3] = {2, 3, 2}, ax[2] = {-1, 0};
    static const float x[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    setup(&h, 0, TFL_FLOAT32, 3, d, x, 0, 0, ax, 2, false, 1, TFL_FLOAT32, 0, 0);
    CHECK_EQ_INT(h_prepare(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].alloc, TFL__ALLOC_DYNAMIC);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    const tfl_tensor *o = &h.tensors[2];
    CHECK_EQ_INT(o->ndim, 3);
    CHECK_EQ_INT(o->dims[0], 1);
    CHECK_EQ_INT(o->dims[1], 3);
    CHECK_EQ_INT(o->dims[2], 1);
    const float *y = (const float *)o->data;
    CHECK_NEAR(y[0], (1 + 2 + 7 + 8) / 4.0, 1e-6);
    CHECK_NEAR(y[2], (5 + 6 + 11 + 12) / 4.0, 1e-6);
    h_free(&h);

    static const int32_t bad[1] = {3};
    setup(&h, 0, TFL_FLOAT32, 3, d, x, 0, 0, bad, 1, false, 1, TFL_FLOAT32, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "MEAN (node 0): axis 3 is out of range for input rank 3");
    h_free(&h);
}

/* The row-sum path (an [outer, count, inner] input, e.g. NHWC over H and
 * W) against the general one on the same numbers laid out [outer, inner,
 * count] (reduced innermost): every 8- and 16-bit type, MEAN and SUM, an
 * inner size above the kernel's 256-output rows, 1 and 2 threads. */
static void test_rows_match_general(void)
{
    enum { B = 2, H = 6, W = 5, C = 300 };
    static int16_t a16[B * H * W * C], t16[B * C * H * W];
    static uint8_t a8[B * H * W * C], t8[B * C * H * W];
    const tfl_type types[3] = {TFL_UINT8, TFL_INT8, TFL_INT16};
    tfl__pool *pool = tfl__pool_create(2);
    for (int ti = 0; ti < 3; ++ti)
        for (int sum = 0; sum < 2; ++sum)
            for (int threads = 1; threads <= 2; ++threads) {
                const tfl_type t = types[ti];
                if (sum && t == TFL_INT16)
                    continue; /* no int16 SUM */
                const bool wide = t == TFL_INT16;
                void *a = wide ? (void *)a16 : (void *)a8, *tr = wide ? (void *)t16 : (void *)t8;
                fill(t, a, B * H * W * C);
                for (int b = 0; b < B; ++b)
                    for (int y = 0; y < H * W; ++y)
                        for (int c = 0; c < C; ++c) {
                            const int i = (b * H * W + y) * C + c, j = (b * C + c) * H * W + y;
                            if (wide)
                                t16[j] = a16[i];
                            else
                                t8[j] = a8[i];
                        }
                const int32_t zp = wide ? 0 : (t == TFL_UINT8 ? 131 : -7);
                const int32_t ozp = wide ? 0 : (t == TFL_UINT8 ? 120 : 3);
                static const int32_t dims_a[4] = {B, H, W, C}, dims_t[4] = {B, C, H, W};
                static const int32_t ax_a[2] = {1, 2}, ax_t[2] = {2, 3};
                op_harness h1, h2;
                setup(&h1, sum, t, 4, dims_a, a, 0.05f, zp, ax_a, 2, true, 0, t, 0.03f, ozp);
                setup(&h2, sum, t, 4, dims_t, tr, 0.05f, zp, ax_t, 2, true, 0, t, 0.03f, ozp);
                if (threads == 2) {
                    h1.ctx.pool = pool;
                    h1.ctx.num_threads = 2;
                }
                CHECK_EQ_INT(h_run(&h1), TFL_OK);
                CHECK_EQ_INT(h_run(&h2), TFL_OK);
                const size_t bytes = (size_t)B * C * tfl_type_size(t);
                CHECK_EQ_INT(h1.tensors[2].bytes, bytes);
                CHECK_EQ_INT(h2.tensors[2].bytes, bytes);
                if (h1.tensors[2].bytes == bytes && h2.tensors[2].bytes == bytes)
                    CHECK(memcmp(h1.tensors[2].data, h2.tensors[2].data, bytes) == 0);
                h_free(&h1);
                h_free(&h2);
            }
    tfl__pool_free(pool);
}

static void expect_fail(op_harness *h, tfl_status want, const char *msg)
{
    CHECK_EQ_INT(h_run(h), want);
    CHECK_CONTAINS(h->error, msg);
    h_free(h);
}

static void test_errors(void)
{
    op_harness h;
    static const int32_t d[3] = {2, 3, 2}, ax[1] = {-4}, ax0[1] = {0};
    static const int16_t x[12] = {0};

    setup(&h, 0, TFL_FLOAT32, 3, d, x, 0, 0, ax, 1, true, 0, TFL_FLOAT32, 0, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "axis -4 is out of range for input rank 3");

    setup(&h, 1, TFL_BOOL, 3, d, x, 0, 0, ax0, 1, true, 0, TFL_BOOL, 0, 0);
    expect_fail(&h, TFL_ERROR_UNSUPPORTED, "input type bool not supported");

    setup(&h, 0, TFL_INT16, 3, d, x, 0.5f, 1, ax0, 1, true, 0, TFL_INT16, 0.5f, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "int16 input and output need zero point 0, got 1 and 0");

    setup(&h, 0, TFL_INT8, 3, d, x, 0.0f, 0, ax0, 1, true, 0, TFL_INT8, 0.5f, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "need scales > 0");

    setup(&h, 0, TFL_INT8, 3, d, x, 0.5f, 0, ax0, 1, true, 0, TFL_UINT8, 0.5f, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "output type uint8 does not match input type int8");

    setup(&h, 0, TFL_BOOL, 3, d, x, 0, 0, ax0, 1, true, 0, TFL_BOOL, 0, 0);
    expect_fail(&h, TFL_ERROR_UNSUPPORTED, "input type bool not supported");

    h_init(&h, &tfl__op_mean, "MEAN");
    static const int32_t one[1] = {1};
    static const int64_t ax64[1] = {0};
    int ins[2] = {h_input(&h, TFL_FLOAT32, 3, d, x, 0, 0),
                  h_tensor(&h, TFL_INT64, 1, one, ax64, 0, 0)};
    int out = h_tensor(&h, TFL_FLOAT32, 1, one, NULL, 0, 0);
    h_io(&h, 2, ins, 1, &out);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "axis type int64, expected int32");

    h_init(&h, &tfl__op_sum, "SUM");
    ins[0] = h_input(&h, TFL_FLOAT32, 3, d, x, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, one, NULL, 0, 0);
    h_io(&h, 1, ins, 1, &out);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "SUM (node 0): expects 2 inputs, got 1");
}

TFL_TEST_MAIN(TEST(test_goldens), TEST(test_int64_and_scalar), TEST(test_signed_zero),
              TEST(test_empty_input), TEST(test_dynamic_axis), TEST(test_rows_match_general),
              TEST(test_errors))
