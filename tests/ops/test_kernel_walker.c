/* The kernel walker: every record of an op's kernel table that this CPU can
 * run is compared with the op's reference record on sweeps of shapes and
 * parameters (odd sizes, channel tails, padding, strides, dilation, extreme
 * zero points and scales, per-channel multipliers with left and right
 * shifts) and on 1 to 3 threads; integer outputs must be byte-identical.
 * Records this CPU cannot run print SKIP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "core/pool.h"
#include "ops/conv_2d/conv_2d.h"
#include "ops/conv_2d/conv_common.h"
#include "ops/conv_test_util.h"
#include "ops/kernel.h"
#include "test.h"

#include "ops/depthwise_conv_2d/depthwise_conv_2d.h"
#include "ops/mul/mul.h"
#include "kernels/quant.h"
#include "ops/quantize/quantize.h"
#include "kernels/broadcast.h"
#include "ops/add/add.h"
#include "ops/sub/sub.h"
#include "ops/fully_connected/fully_connected.h"
#include "ops/activations/activations.h"
#include "ops/elementwise.h"
#include "ops/arg_min_max/arg_min_max.h"
#include "ops/dequantize/dequantize.h"
#include "ops/resize_bilinear/resize_bilinear.h"
#include "ops/rfft2d/rfft2d.h"
#include <math.h>

extern const tfl__op tfl__op_conv_2d;
extern const tfl__op tfl__op_rfft2d;
extern const tfl__op tfl__op_depthwise_conv_2d;
extern const tfl__op tfl__op_fully_connected;

static uint32_t rng_state = 12345;
static int rnd(int lo, int hi)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return lo + (int)((rng_state >> 8) % (uint32_t)(hi - lo + 1));
}

typedef struct conv_shape {
    int batches, in_h, in_w, in_c, out_c, f_h, f_w;
    int stride_h, stride_w, dil_h, dil_w, padding, act;
    int u8;                /* uint8 (per-tensor filter with a zero point), else int8 */
    int in_zp, out_zp, filter_zp;
    float in_scale, out_scale;
    float filter_scales[64]; /* per output channel */
    int with_bias;
} conv_shape;

/* Runs CONV_2D (or DEPTHWISE_CONV_2D) int8 per-channel or uint8 with only
 * `kernel` allowed; returns the output bytes (malloc'd) or NULL when prepare
 * failed. */
/* A CONV_2D or DEPTHWISE_CONV_2D harness limited to `kernel` (NULL: the
 * best record) on `threads` workers, with the input and filter dims of c. */
static void conv_harness(op_harness *h, const conv_shape *c, const char *kernel, int threads,
                         tfl__pool *pool, int depthwise, int32_t in_dims[4], int32_t f_dims[4])
{
    if (depthwise)
        h_init(h, &tfl__op_depthwise_conv_2d, "DEPTHWISE_CONV_2D");
    else
        h_init(h, &tfl__op_conv_2d, "CONV_2D");
    h->ctx.cpu_features = tfl__cpu_features();
    h->ctx.isa_cap = TFL__ISA_BEST;
    h->ctx.only_kernel = kernel;
    h->ctx.num_threads = threads;
    h->ctx.pool = threads > 1 ? pool : NULL;
    const int32_t in[4] = {c->batches, c->in_h, c->in_w, c->in_c};
    /* Depthwise: [1, f_h, f_w, out_c] with out_c = in_c * multiplier. */
    const int32_t f[4] = {depthwise ? 1 : c->out_c, c->f_h, c->f_w, depthwise ? c->out_c : c->in_c};
    memcpy(in_dims, in, sizeof in);
    memcpy(f_dims, f, sizeof f);
}

/* Conv2DOptions, or DepthwiseConv2DOptions (depth_multiplier at 3). */
static void conv_options(op_harness *h, const conv_shape *c, int depthwise, int act)
{
    const int shift = depthwise ? 1 : 0;
    h_opt_u8(h, 0, (uint8_t)c->padding);
    h_opt_i32(h, 1, c->stride_w);
    h_opt_i32(h, 2, c->stride_h);
    if (depthwise)
        h_opt_i32(h, 3, c->out_c / c->in_c);
    h_opt_u8(h, 3 + shift, (uint8_t)act);
    h_opt_i32(h, 4 + shift, c->dil_w);
    h_opt_i32(h, 5 + shift, c->dil_h);
}

/* Prepares and runs the op, frees the harness and returns a copy of output
 * tensor `to` (NULL with the error in err). */
static void *conv_eval_copy(op_harness *h, int to, size_t *n_out, char *err, size_t err_size)
{
    void *result = NULL;
    tfl_status s = h_prepare(h);
    if (s == TFL_OK) {
        h->ctx.scratch = h->scratch;
        h->ctx.node = &h->node;
        s = h->node.op->eval(&h->ctx, &h->node);
    }
    if (s == TFL_OK) {
        *n_out = h->tensors[to].bytes;
        result = malloc(*n_out ? *n_out : 1);
        memcpy(result, h->tensors[to].data, *n_out);
    } else {
        snprintf(err, err_size, "%s", h->error);
    }
    h_free(h);
    return result;
}

static int8_t *run_conv(const conv_shape *c, const char *kernel, int threads, tfl__pool *pool,
                        size_t *n_out, char *err, size_t err_size, int depthwise)
{
    op_harness h;
    int32_t in_dims[4], f_dims[4];
    conv_harness(&h, c, kernel, threads, pool, depthwise, in_dims, f_dims);
    int32_t b_dims[1] = {c->out_c};
    int n_in = dims_count(4, in_dims), n_f = dims_count(4, f_dims);
    const tfl_type type = c->u8 ? TFL_UINT8 : TFL_INT8;
    int8_t *x = malloc((size_t)n_in), *w = malloc((size_t)n_f);
    int32_t *bias = malloc((size_t)c->out_c * sizeof *bias);
    fill_pat(x, type, n_in, 1, c->u8 ? 0 : -128, c->u8 ? 255 : 127, 1);
    fill_pat(w, type, n_f, 2, c->u8 ? 0 : -127, c->u8 ? 255 : 127, 1);
    fill_pat(bias, TFL_INT32, c->out_c, 3, -20000, 20000, 1);
    int ti = h_tensor(&h, type, 4, in_dims, x, c->in_scale, c->in_zp);
    const float *scales = c->filter_scales;
    int tf = h_tensor(&h, type, 4, f_dims, w, scales[0], c->u8 ? c->filter_zp : 0);
    if (!c->u8)
        h_per_channel(&h, tf, c->out_c, scales, NULL, depthwise ? 3 : 0);
    int tb = c->with_bias ? h_tensor(&h, TFL_INT32, 1, b_dims, bias, c->in_scale * scales[0], 0)
                          : -1;
    int to = h_tensor(&h, type, 4, in_dims, NULL, c->out_scale, c->out_zp);
    if (tb >= 0 && !c->u8) {
        float bs[64];
        for (int i = 0; i < c->out_c && i < 64; ++i)
            bs[i] = c->in_scale * scales[i];
        h_per_channel(&h, tb, c->out_c, bs, NULL, 0);
    }
    int ins[3] = {ti, tf, tb};
    h_io(&h, tb >= 0 ? 3 : 2, ins, 1, &to);
    conv_options(&h, c, depthwise, c->act);
    int8_t *result = conv_eval_copy(&h, to, n_out, err, err_size);
    free(x);
    free(w);
    free(bias);
    return result;
}

static conv_shape random_shape(int i, int u8)
{
    conv_shape c;
    memset(&c, 0, sizeof c);
    c.u8 = u8;
    c.batches = rnd(1, 2);
    c.in_h = rnd(1, 9);
    c.in_w = rnd(1, 11);
    c.in_c = rnd(1, 19);
    c.out_c = rnd(1, 37);
    c.f_h = rnd(1, 3);
    c.f_w = rnd(1, 3);
    if (i % 5 == 0)
        c.f_h = c.f_w = 1; /* the pointwise case */
    if (i % 9 == 0)
        c.in_c = rnd(60, 140); /* rows longer than one 64-byte vector */
    if (i % 7 == 3) { /* several 32-pixel tiles and 32-channel blocks */
        c.in_h = rnd(5, 14);
        c.in_w = rnd(5, 14);
        c.out_c = rnd(33, 64);
    }
    c.stride_h = rnd(1, 2);
    c.stride_w = rnd(1, 3);
    c.dil_h = rnd(1, 2);
    c.dil_w = rnd(1, 2);
    c.padding = rnd(0, 1);
    if (i % 35 == 10) /* pointwise, stride 1, several tiles: read in place */
        c.stride_h = c.stride_w = 1;
    c.act = (int[]){0, 1, 3}[rnd(0, 2)];
    c.in_zp = (int[]){-128, 127, 0, -3}[rnd(0, 3)] + (u8 ? 128 : 0);
    c.out_zp = (int[]){-128, 127, 0, 5}[rnd(0, 3)] + (u8 ? 128 : 0);
    c.filter_zp = (int[]){0, 255, 128, 37}[rnd(0, 3)];
    c.in_scale = (float[]){0.5f, 0.01f, 1.0f / 255}[rnd(0, 2)];
    c.out_scale = (float[]){0.05f, 1e-3f, 20.0f}[rnd(0, 2)];
    /* Scale ratios both below and above 1 give right and left shifts. */
    float lo = (float[]){1e-4f, 0.01f, 2.0f}[rnd(0, 2)], hi = lo * (float)rnd(1, 50);
    for (int k = 0; k < 64; ++k) /* every channel a sweep may use */
        c.filter_scales[k] = lo + (hi - lo) * (float)rnd(0, 1000) / 1000.0f;
    c.with_bias = rnd(0, 3) != 0;
    return c;
}

/* The reference record of `kind` in the table. */
static const char *reference_of(const tfl__kernel *table, size_t count, int kind)
{
    for (size_t r = 0; r < count; ++r)
        if (table[r].isa == TFL__ISA_REF && table[r].kind == kind)
            return table[r].name;
    return NULL;
}

/* Walks one op's int8 and uint8 records against the reference record of
 * their kind. */
/* How run_conv_f32 fills its data. */
enum {
    /* Integer values (inputs in [-8, 8], weights in [-4, 4], biases in
     * [-50, 50]): every product and partial sum is exact in float, so any
     * summation order, fused or not, gives the same bytes. */
    F32_INTEGERS,
    /* Values with all their bits ([-1, 1] in steps of 1/997): the records
     * then round differently from the reference (fused multiply-adds). */
    F32_FRACTIONS,
    /* The same draws as F32_FRACTIONS, made absolute, and no activation:
     * the reference's output is then |b| + sum |x * w| over each output's
     * taps, the scale of its rounding error. */
    F32_ABS
};

/* The float32 CONV_2D (or DEPTHWISE_CONV_2D) of shape c with only `kernel`
 * allowed, on data filled as `fill` says. NULL when prepare failed. */
static float *run_conv_f32(const conv_shape *c, const char *kernel, int threads, tfl__pool *pool,
                           size_t *n_out, char *err, size_t err_size, int depthwise, int fill)
{
    op_harness h;
    int32_t in_dims[4], f_dims[4];
    conv_harness(&h, c, kernel, threads, pool, depthwise, in_dims, f_dims);
    int32_t b_dims[1] = {c->out_c};
    int n_in = dims_count(4, in_dims), n_f = dims_count(4, f_dims);
    float *x = malloc((size_t)n_in * sizeof *x), *w = malloc((size_t)n_f * sizeof *w);
    float *bias = malloc((size_t)c->out_c * sizeof *bias);
    for (int i = 0; i < n_in; ++i)
        x[i] = fill == F32_INTEGERS ? (float)rnd(-8, 8) : (float)rnd(-997, 997) / 997.0f;
    for (int i = 0; i < n_f; ++i)
        w[i] = fill == F32_INTEGERS ? (float)rnd(-4, 4) : (float)rnd(-997, 997) / 997.0f;
    for (int i = 0; i < c->out_c; ++i)
        bias[i] = fill == F32_INTEGERS ? (float)rnd(-50, 50) : (float)rnd(-997, 997) / 997.0f;
    if (fill == F32_ABS) {
        for (int i = 0; i < n_in; ++i)
            x[i] = fabsf(x[i]);
        for (int i = 0; i < n_f; ++i)
            w[i] = fabsf(w[i]);
        for (int i = 0; i < c->out_c; ++i)
            bias[i] = fabsf(bias[i]);
    }
    int ti = h_tensor(&h, TFL_FLOAT32, 4, in_dims, x, 0, 0);
    int tf = h_tensor(&h, TFL_FLOAT32, 4, f_dims, w, 0, 0);
    int tb = c->with_bias ? h_tensor(&h, TFL_FLOAT32, 1, b_dims, bias, 0, 0) : -1;
    int to = h_tensor(&h, TFL_FLOAT32, 4, in_dims, NULL, 0, 0);
    int ins[3] = {ti, tf, tb};
    h_io(&h, tb >= 0 ? 3 : 2, ins, 1, &to);
    conv_options(&h, c, depthwise, fill == F32_ABS ? 0 : c->act);
    float *result = conv_eval_copy(&h, to, n_out, err, err_size);
    free(x);
    free(w);
    free(bias);
    return result;
}

/* Largest |got - want| / ((taps + 1) * 2^-24 * (|b| + sum |x * w|)) over n
 * floats: the difference of a record from the reference in units of the
 * classic bound for a sum of taps + 1 terms in any order, fused or not
 * (each of the two results is within it of the exact value; the clamp only
 * brings them closer), so at most 2. */
static double error_in_bounds(const float *got, const float *want, const float *abs_sum, size_t n,
                              double taps)
{
    double worst = 0;
    for (size_t i = 0; i < n; ++i) {
        const double bound = (taps + 1) * ldexp(1.0, -24) * (double)abs_sum[i] + 1e-37;
        const double e = fabs((double)got[i] - (double)want[i]) / bound;
        worst = e > worst ? e : worst;
    }
    return worst;
}

/* float32 records against the reference on the shapes of walk(): exactly
 * on integer-valued data, and on fractional data within twice the rounding
 * bound (see run_conv_f32 and error_in_bounds). */
static void walk_f32(const tfl__kernel *table, size_t count, int depthwise)
{
    const uint32_t cpu = tfl__cpu_features();
    tfl__pool *pools[4] = {NULL, NULL, tfl__pool_create(2), tfl__pool_create(3)};
    for (size_t r = 0; r < count; ++r) {
        const tfl__kernel *k = &table[r];
        if (k->isa == TFL__ISA_REF || k->kind != TFL__CONV_F32)
            continue;
        const char *ref = reference_of(table, count, k->kind);
        CHECK(ref != NULL);
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        int compared = 0, mismatched = 0, out_of_bounds = 0;
        double worst = 0;
        for (int i = 0; i < 300; ++i) {
            conv_shape c = random_shape(i, 0);
            if (depthwise) {
                int mult = i % 7 == 0 ? 2 : 1;
                if (c.in_c * mult > 64)
                    c.in_c = 64 / mult;
                c.out_c = c.in_c * mult;
            }
            const int threads = 1 + i % 3;
            char e1[512] = "", e2[512] = "";
            size_t n1 = 0, n2 = 0;
            const uint32_t seed = rng_state; /* the same data for both runs */
            float *want =
                run_conv_f32(&c, ref, 1, NULL, &n1, e1, sizeof e1, depthwise, F32_INTEGERS);
            rng_state = seed;
            float *got = run_conv_f32(&c, k->name, threads, pools[threads], &n2, e2, sizeof e2,
                                      depthwise, F32_INTEGERS);
            CHECK((want == NULL) == (got == NULL));
            if (!want || !got) {
                CHECK(strcmp(e1, e2) == 0);
            } else {
                ++compared;
                CHECK_EQ_INT(n1, n2);
                if (n1 == n2 && memcmp(want, got, n1) != 0 && ++mismatched <= 3)
                    fprintf(stderr, "%s: case %d (in %dx%dx%dx%d, out_c %d, f %dx%d, s %d/%d, "
                                    "d %d/%d, pad %d) differs\n",
                            k->name, i, c.batches, c.in_h, c.in_w, c.in_c, c.out_c, c.f_h, c.f_w,
                            c.stride_h, c.stride_w, c.dil_h, c.dil_w, c.padding);
            }
            free(want);
            free(got);
            /* Fractional data: within twice the bound of each output. */
            const uint32_t seed2 = rng_state;
            want = run_conv_f32(&c, ref, 1, NULL, &n1, e1, sizeof e1, depthwise, F32_FRACTIONS);
            rng_state = seed2;
            got = run_conv_f32(&c, k->name, threads, pools[threads], &n2, e2, sizeof e2,
                               depthwise, F32_FRACTIONS);
            rng_state = seed2;
            float *sums =
                run_conv_f32(&c, ref, 1, NULL, &n2, e2, sizeof e2, depthwise, F32_ABS);
            if (want && got && sums && n1 == n2) {
                const double taps = (double)c.f_h * c.f_w * (depthwise ? 1 : c.in_c);
                const double e = error_in_bounds(got, want, sums, n1 / sizeof(float), taps);
                worst = e > worst ? e : worst;
                if (e > 2.0 && ++out_of_bounds <= 3)
                    fprintf(stderr, "%s: case %d: error %.3g bounds on fractional data\n",
                            k->name, i, e);
            }
            free(want);
            free(got);
            free(sums);
        }
        CHECK_EQ_INT(mismatched, 0);
        CHECK_EQ_INT(out_of_bounds, 0);
        CHECK(compared > 100);
        printf("%s: %d cases identical to the reference on integers; on fractions within %.3f "
               "of the rounding bound\n",
               k->name, compared, worst);
    }
    tfl__pool_free(pools[2]);
    tfl__pool_free(pools[3]);
}

static void walk(const tfl__kernel *table, size_t count, int depthwise)
{
    const uint32_t cpu = tfl__cpu_features();
    /* A pool per thread count: worker indices must stay below num_threads. */
    tfl__pool *pools[4] = {NULL, NULL, tfl__pool_create(2), tfl__pool_create(3)};
    for (size_t r = 0; r < count; ++r) {
        const tfl__kernel *k = &table[r];
        if (k->isa == TFL__ISA_REF || (k->kind != TFL__CONV_S8 && k->kind != TFL__CONV_U8))
            continue;
        const char *ref = reference_of(table, count, k->kind);
        CHECK(ref != NULL);
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        int compared = 0, mismatched = 0;
        for (int i = 0; i < 300; ++i) {
            conv_shape c = random_shape(i, k->kind == TFL__CONV_U8);
            if (depthwise) {
                /* out_c = in_c * multiplier: mostly 1 (the fast records'
                 * case); every fourth case spans several 16-lane blocks. */
                int mult = i % 7 == 0 ? 2 : 1;
                if (i % 4 == 0)
                    c.in_c = 32 + i % 33;
                if (i % 3 == 1) {
                    /* The 3x3 and 5x5 row kernels: dilation 1, column
                     * stride 1 or 2, rows wide enough for inner pixels,
                     * whole and partial 32-channel blocks. */
                    c.f_h = c.f_w = i % 2 ? 3 : 5;
                    c.dil_h = c.dil_w = 1;
                    c.stride_w = rnd(1, 2);
                    c.in_h = rnd(c.f_h, 9);
                    c.in_w = rnd(c.f_w, 24);
                    c.in_c = rnd(17, 64);
                }
                if (i % 3 == 2 && i % 7 != 0) {
                    /* The narrow 3x3 kernel: stride 1 along rows, a
                     * channel count dividing 32, rows holding whole groups
                     * of 32 / channels pixels and partial ones. */
                    c.f_h = c.f_w = 3;
                    c.dil_h = c.dil_w = 1;
                    c.stride_w = 1;
                    c.in_c = (int[]){1, 2, 4, 8, 16}[rnd(0, 4)];
                    c.in_h = rnd(3, 6);
                    c.in_w = rnd(4, 40);
                }
                if (c.in_c * mult > 64)
                    c.in_c = 64 / mult;
                c.out_c = c.in_c * mult;
            }
            int threads = 1 + i % 3;
            char e1[512] = "", e2[512] = "";
            size_t n1 = 0, n2 = 0;
            int8_t *want = run_conv(&c, ref, 1, NULL, &n1, e1, sizeof e1, depthwise);
            int8_t *got =
                run_conv(&c, k->name, threads, pools[threads], &n2, e2, sizeof e2, depthwise);
            /* Both refuse the same parameters (e.g. a filter bigger than
             * the padded input) with the same message. */
            CHECK((want == NULL) == (got == NULL));
            if (!want || !got) {
                CHECK(strcmp(e1, e2) == 0);
            } else {
                ++compared;
                CHECK_EQ_INT(n1, n2);
                if (n1 == n2 && memcmp(want, got, n1) != 0) {
                    ++mismatched;
                    if (mismatched <= 3) {
                        size_t j = 0;
                        while (want[j] == got[j])
                            ++j;
                        fprintf(stderr,
                                "%s: case %d (in %dx%dx%dx%d, out_c %d, f %dx%d, s %d/%d, d %d/%d, "
                                "pad %d, zp %d/%d): byte %zu %d vs %d\n",
                                k->name, i, c.batches, c.in_h, c.in_w, c.in_c, c.out_c, c.f_h,
                                c.f_w, c.stride_h, c.stride_w, c.dil_h, c.dil_w, c.padding,
                                c.in_zp, c.out_zp, j, got[j], want[j]);
                    }
                }
            }
            free(want);
            free(got);
        }
        CHECK_EQ_INT(mismatched, 0);
        CHECK(compared > 100);
        printf("%s: %d cases byte-identical to the reference\n", k->name, compared);
    }
    tfl__pool_free(pools[2]);
    tfl__pool_free(pools[3]);
}

static void walk_conv_2d(void)
{
    walk(tfl__conv_2d_kernels, tfl__conv_2d_num_kernels, 0);
    walk_f32(tfl__conv_2d_kernels, tfl__conv_2d_num_kernels, 0);
}

static void walk_depthwise_conv_2d(void)
{
    walk_f32(tfl__depthwise_conv_2d_kernels, tfl__depthwise_conv_2d_num_kernels, 1);
    walk(tfl__depthwise_conv_2d_kernels, tfl__depthwise_conv_2d_num_kernels, 1);
}

/* QUANTIZE records are called directly. float input: edge values (NaN,
 * infinities, halves, the int32 limits, subnormals) and random floats of
 * every magnitude, at several scales and zero points. Integer input: every
 * byte value and random ones, at scale ratios giving left and right shifts,
 * with extreme zero points. Each over random ranges. */
static void walk_quantize(void)
{
    const uint32_t cpu = tfl__cpu_features();
    enum { N = 1000 };
    float x[N];
    const float edge[] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 0.5f, -0.5f, 1.5f, -2.5f,
                          0.49999997f, -0.49999997f, 127.5f, -128.5f, 2147483648.0f,
                          -2147483648.0f, 2147483520.0f, 1e-45f, -1e-45f, 3e38f, -3e38f};
    const size_t n_edge = sizeof edge / sizeof edge[0];
    for (int i = 0; i < N; ++i) {
        float mag = powf(10.0f, (float)rnd(-8, 12) / 2.0f);
        x[i] = i < (int)n_edge ? edge[i] : mag * ((float)rnd(-100000, 100000) / 1000.0f);
    }
    uint8_t xb[N];
    for (int i = 0; i < N; ++i)
        xb[i] = (uint8_t)(i < 256 ? i : rnd(0, 255));
    const float scales[] = {1.0f / 255, 0.0078125f, 0.1f, 3.7f, 1e-6f, 1e6f, 1.0f};
    const int32_t zps[] = {0, -128, 127, 255, 5, INT32_MAX, INT32_MIN};
    /* in_scale / out_scale for the integer conversions */
    const double ratios[] = {1.0, 0.5, 2.0, 1.0 / 255, 300.0, 0.9999, 1e-9};
    for (size_t r = 0; r < tfl__quantize_num_kernels; ++r) {
        const tfl__kernel *k = &tfl__quantize_kernels[r];
        if (k->isa == TFL__ISA_REF)
            continue;
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        const char *ref_name = reference_of(tfl__quantize_kernels, tfl__quantize_num_kernels,
                                            k->kind);
        CHECK(ref_name != NULL);
        tfl_quantize_fn ref = NULL, fn = (tfl_quantize_fn)k->fn;
        for (size_t j = 0; j < tfl__quantize_num_kernels; ++j)
            if (ref_name && strcmp(tfl__quantize_kernels[j].name, ref_name) == 0)
                ref = (tfl_quantize_fn)tfl__quantize_kernels[j].fn;
        int cases = 0, mismatched = 0;
        const bool from_float = (k->kind >> 8) == TFL_FLOAT32;
        const void *input = from_float ? (const void *)x : (const void *)xb;
        for (size_t si = 0; ref && si < sizeof scales / sizeof scales[0]; ++si)
            for (size_t zi = 0; zi < sizeof zps / sizeof zps[0]; ++zi)
                for (int t = 0; t < 4; ++t) {
                    tfl_quantize_params p = {.scale = scales[si], .zero_point = zps[zi]};
                    int32_t mult;
                    int shift;
                    if (tfl__quantize_multiplier(ratios[si], &mult, &shift) != 0)
                        continue; /* every ratio in the list is representable */
                    p.mult = mult;
                    p.shift = shift;
                    p.in_zp = (k->kind >> 8) == TFL_UINT8 ? (int32_t)(t * 85) : (int32_t)(t * 85 - 128);
                    p.out_zp = zps[zi] == INT32_MAX || zps[zi] == INT32_MIN ? 0 : zps[zi];
                    size_t start = t == 0 ? 0 : (size_t)rnd(0, 40);
                    size_t end = t == 0 ? N : start + (size_t)rnd(0, N - 41);
                    uint8_t want[N], got[N];
                    memset(want, 0xAA, sizeof want);
                    memset(got, 0xAA, sizeof got);
                    if (!from_float) /* 8-bit -> 8-bit: the lookup record's table */
                        tfl_quantize_fill_lut8(&p, ref);
                    ref(&p, input, want, start, end);
                    fn(&p, input, got, start, end);
                    ++cases;
                    if (memcmp(want, got, N) != 0 && ++mismatched <= 3) {
                        size_t j = 0;
                        while (want[j] == got[j])
                            ++j;
                        fprintf(stderr, "%s: scale %g zp %d mult %d shift %d in_zp %d out_zp %d "
                                        "[%zu, %zu): element %zu: %d vs %d\n",
                                k->name, (double)p.scale, (int)p.zero_point, (int)p.mult, p.shift,
                                (int)p.in_zp, (int)p.out_zp, start, end, j, got[j], want[j]);
                    }
                }
        CHECK_EQ_INT(mismatched, 0);
        printf("%s: %d cases byte-identical to the reference\n", k->name, cases);
    }
}

/* The reference function of a record's kind. */
static tfl__kernel_fn reference_fn(const tfl__kernel *table, size_t count, int kind)
{
    for (size_t r = 0; r < count; ++r)
        if (table[r].isa == TFL__ISA_REF && table[r].kind == kind)
            return table[r].fn;
    return NULL;
}

/* ADD and SUB int8/uint8 records, called directly: random multipliers and shifts
 * (left and right output shifts), extreme offsets and activation ranges,
 * both inputs full or one broadcast, lengths with tails. */
static void walk_add_sub(const tfl__kernel *table, size_t count)
{
    const uint32_t cpu = tfl__cpu_features();
    enum { N = 300 };
    uint8_t a[N], b[N];
    for (int i = 0; i < N; ++i) {
        a[i] = (uint8_t)(i < 256 ? i : rnd(0, 255));
        b[i] = (uint8_t)rnd(0, 255);
    }
    for (size_t r = 0; r < count; ++r) {
        const tfl__kernel *k = &table[r];
        if (k->isa == TFL__ISA_REF || (k->kind != TFL_ADD_U8 && k->kind != TFL_ADD_S8))
            continue; /* float records: walk_float_binary */
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        tfl__binary_fn ref = (tfl__binary_fn)reference_fn(table, count, k->kind);
        tfl__binary_fn fn = (tfl__binary_fn)k->fn;
        CHECK(ref != NULL);
        const bool u8 = k->kind == TFL_ADD_U8;
        int cases = 0, mismatched = 0;
        for (int i = 0; ref && i < 400; ++i) {
            tfl_add_params p;
            memset(&p, 0, sizeof p);
            p.left_shift = 20;
            const int zps[] = {-128, 127, 0, -3, 100};
            p.in1_offset = -(zps[rnd(0, 4)] + (u8 ? 128 : 0));
            p.in2_offset = -(zps[rnd(0, 4)] + (u8 ? 128 : 0));
            p.out_offset = zps[rnd(0, 4)] + (u8 ? 128 : 0);
            p.in1_mult = rnd(1 << 30, INT32_MAX);
            p.in2_mult = rnd(1 << 30, INT32_MAX);
            p.out_mult = rnd(1 << 30, INT32_MAX);
            p.in1_shift = -rnd(0, 12);
            p.in2_shift = -rnd(0, 12);
            p.out_shift = rnd(-31, 3);
            const int tlo = u8 ? 0 : -128, thi = u8 ? 255 : 127;
            p.act_min = rnd(0, 3) ? tlo : rnd(tlo, thi);
            p.act_max = rnd(0, 3) ? thi : rnd(p.act_min, thi);
            if (!tfl_add_q8_avx2_supports(&p))
                continue;
            const int as = i % 3 == 1 ? 0 : 1, bs = i % 3 == 2 ? 0 : 1;
            const size_t n = (size_t)rnd(0, N);
            uint8_t want[N], got[N];
            memset(want, 0xAA, sizeof want);
            memset(got, 0xAA, sizeof got);
            ref(&p, a, as, b, bs, want, n);
            fn(&p, a, as, b, bs, got, n);
            ++cases;
            if (memcmp(want, got, N) != 0 && ++mismatched <= 3) {
                size_t j = 0;
                while (want[j] == got[j])
                    ++j;
                fprintf(stderr, "%s: case %d, element %zu: %d vs %d\n", k->name, i, j, got[j],
                        want[j]);
            }
        }
        CHECK_EQ_INT(mismatched, 0);
        CHECK(cases > 300);
        printf("%s: %d cases byte-identical to the reference\n", k->name, cases);
    }
}

/* MUL int8/uint8 records, called directly: random multipliers with right
 * and left shifts, extreme offsets and activation ranges, both inputs full
 * or one broadcast, lengths with tails. */
static void walk_mul(void)
{
    const uint32_t cpu = tfl__cpu_features();
    enum { N = 300 };
    uint8_t a[N], b[N];
    for (int i = 0; i < N; ++i) {
        a[i] = (uint8_t)(i < 256 ? i : rnd(0, 255));
        b[i] = (uint8_t)rnd(0, 255);
    }
    for (size_t r = 0; r < tfl__mul_num_kernels; ++r) {
        const tfl__kernel *k = &tfl__mul_kernels[r];
        if (k->isa == TFL__ISA_REF || (k->kind != TFL_MUL_U8 && k->kind != TFL_MUL_S8))
            continue; /* float records: walk_float_binary */
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        tfl__binary_fn ref =
            (tfl__binary_fn)reference_fn(tfl__mul_kernels, tfl__mul_num_kernels, k->kind);
        tfl__binary_fn fn = (tfl__binary_fn)k->fn;
        CHECK(ref != NULL);
        const bool u8 = k->kind == TFL_MUL_U8;
        int cases = 0, mismatched = 0;
        for (int i = 0; ref && i < 400; ++i) {
            tfl_mul_params p;
            memset(&p, 0, sizeof p);
            const int zps[] = {-128, 127, 0, -3, 100};
            p.in1_offset = -(zps[rnd(0, 4)] + (u8 ? 128 : 0));
            p.in2_offset = -(zps[rnd(0, 4)] + (u8 ? 128 : 0));
            p.out_offset = zps[rnd(0, 4)] + (u8 ? 128 : 0);
            p.out_mult = rnd(1 << 30, INT32_MAX);
            p.out_shift = rnd(-31, 8);
            const int tlo = u8 ? 0 : -128, thi = u8 ? 255 : 127;
            p.act_min = rnd(0, 3) ? tlo : rnd(tlo, thi);
            p.act_max = rnd(0, 3) ? thi : rnd(p.act_min, thi);
            if (k->supports && !k->supports(&p))
                continue;
            const int as = i % 3 == 1 ? 0 : 1, bs = i % 3 == 2 ? 0 : 1;
            const size_t n = (size_t)rnd(0, N);
            uint8_t want[N], got[N];
            memset(want, 0xAA, sizeof want);
            memset(got, 0xAA, sizeof got);
            ref(&p, a, as, b, bs, want, n);
            fn(&p, a, as, b, bs, got, n);
            ++cases;
            if (memcmp(want, got, N) != 0 && ++mismatched <= 3) {
                size_t j = 0;
                while (want[j] == got[j])
                    ++j;
                fprintf(stderr, "%s: case %d, element %zu: %d vs %d\n", k->name, i, j, got[j],
                        want[j]);
            }
        }
        CHECK_EQ_INT(mismatched, 0);
        CHECK(cases > 300);
        printf("%s: %d cases byte-identical to the reference\n", k->name, cases);
    }
}

/* n floats equal bit for bit, except that any NaN equals any NaN: which
 * operand's NaN (sign, payload) a commutative operation returns depends on
 * how the compiler ordered the operands, in the reference as much as in a
 * record, and neither C nor TFLite specifies it. */
static bool same_floats(const float *a, const float *b, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (memcmp(&a[i], &b[i], sizeof a[i]) != 0 && !(isnan(a[i]) && isnan(b[i])))
            return false;
    return true;
}

/* float32 ADD / SUB / MUL records (params start with act_min_f,
 * act_max_f), called directly: random values mixed with NaN, infinities,
 * signed zeros, subnormals and values at the clamp bounds; no activation,
 * RELU, RELU6 and RELU_N1_TO_1 ranges; both inputs full or one broadcast;
 * lengths with tails. Byte for byte, NaNs aside (same_floats). */
static void walk_binary_f32(const tfl__kernel *table, size_t count, int kind, void *params,
                            float *act /* &params.act_min_f: act[0], act[1] */)
{
    const uint32_t cpu = tfl__cpu_features();
    enum { N = 300 };
    static float a[N], b[N];
    const float edge[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e-45f, -1e-40f, 6.0f,
                          -1.0f, 1.0f, 3e38f, -3e38f};
    const int ne = (int)(sizeof edge / sizeof edge[0]);
    for (int i = 0; i < N; ++i) {
        a[i] = rnd(0, 3) ? (float)rnd(-100000, 100000) / 3331.0f : edge[rnd(0, ne - 1)];
        b[i] = rnd(0, 3) ? (float)rnd(-100000, 100000) / 2917.0f : edge[rnd(0, ne - 1)];
    }
    const float ranges[4][2] = {{-INFINITY, INFINITY}, {0.0f, INFINITY}, {0.0f, 6.0f}, {-1.0f, 1.0f}};
    for (size_t r = 0; r < count; ++r) {
        const tfl__kernel *k = &table[r];
        if (k->isa == TFL__ISA_REF || k->kind != kind)
            continue;
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        tfl__binary_fn ref = (tfl__binary_fn)reference_fn(table, count, k->kind);
        tfl__binary_fn fn = (tfl__binary_fn)k->fn;
        CHECK(ref != NULL);
        int cases = 0, mismatched = 0;
        for (int i = 0; ref && i < 200; ++i) {
            act[0] = ranges[i % 4][0];
            act[1] = ranges[i % 4][1];
            const int as = i % 3 == 1 ? 0 : 1, bs = i % 3 == 2 ? 0 : 1;
            const size_t n = (size_t)rnd(0, N);
            const size_t off = (size_t)rnd(0, N - (int)n); /* broadcast values vary too */
            float want[N], got[N];
            memset(want, 0xAA, sizeof want);
            memset(got, 0xAA, sizeof got);
            ref(params, a + off, as, b + off, bs, want, n);
            fn(params, a + off, as, b + off, bs, got, n);
            ++cases;
            if (!same_floats(want, got, N) && ++mismatched <= 3)
                fprintf(stderr, "%s: case %d (n %zu, steps %d/%d) differs\n", k->name, i, n, as,
                        bs);
        }
        CHECK_EQ_INT(mismatched, 0);
        printf("%s: %d cases byte-identical to the reference\n", k->name, cases);
    }
}

static void walk_float_binary(void)
{
    tfl_add_params pa;
    memset(&pa, 0, sizeof pa);
    walk_binary_f32(tfl__add_kernels, tfl__add_num_kernels, TFL_ADD_F32, &pa, &pa.act_min_f);
    walk_binary_f32(tfl__sub_kernels, tfl__sub_num_kernels, TFL_ADD_F32, &pa, &pa.act_min_f);
    tfl_mul_params pm;
    memset(&pm, 0, sizeof pm);
    walk_binary_f32(tfl__mul_kernels, tfl__mul_num_kernels, TFL_MUL_F32, &pm, &pm.act_min_f);
}

/* Distance in ulps between two floats (the count of floats between them),
 * 0 for two NaNs, huge for a NaN against a number. */
static uint64_t ulps(float a, float b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b) ? 0 : UINT64_MAX;
    int32_t ia, ib;
    memcpy(&ia, &a, 4);
    memcpy(&ib, &b, 4);
    /* Floats ordered as integers: negative ones mirrored below zero. */
    const int64_t oa = ia < 0 ? (int64_t)INT32_MIN - ia : ia;
    const int64_t ob = ib < 0 ? (int64_t)INT32_MIN - ib : ib;
    return (uint64_t)(oa > ob ? oa - ob : ob - oa);
}

/* Most ulps a float LOGISTIC / TANH record may differ from the reference
 * by (libm's expf / tanhf), as docs/ops.md states. */
#define SIGMOID_MAX_ULPS 4

/* Float LOGISTIC and TANH records against the references: edge values
 * (NaN, infinities, signed zeros, subnormals, the cutoffs and the branch
 * points of the records) and every 271st float of [-128, 128], about 8
 * million values with every exponent; worst ulp distance at most
 * SIGMOID_MAX_ULPS. */
static void walk_sigmoid_f32(void)
{
    const uint32_t cpu = tfl__cpu_features();
    static const float edge[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e-45f, -1e-45f,
                                 1e-38f, -1e-38f, 16.619047164916992188f, 16.61905f, -9.0f,
                                 -9.000001f, 0.625f, -0.625f, 0.62499994f, 0x1p-12f, -0x1p-12f,
                                 44.0f, -44.0f, 88.72f, 88.73f, -87.4f, -103.9f, -104.0f, 104.0f,
                                 1e30f, -1e30f, 3.4e38f, -3.4e38f};
    enum { NE = sizeof edge / sizeof edge[0] };
    static float x[NE + (1 << 23)], want[NE + (1 << 23)], got[NE + (1 << 23)];
    size_t n = 0;
    for (; n < NE; ++n)
        x[n] = edge[n];
    for (int sign = 0; sign < 2; ++sign) {
        uint32_t hi;
        const float top = 128.0f;
        memcpy(&hi, &top, 4);
        for (uint32_t b = 0; b < hi && n < sizeof x / sizeof x[0]; b += 271) {
            float v;
            memcpy(&v, &b, 4);
            x[n++] = sign ? -v : v;
        }
    }
    for (size_t r = 0; r < tfl__logistic_num_kernels; ++r) {
        const tfl__kernel *k = &tfl__logistic_kernels[r];
        if (k->isa == TFL__ISA_REF)
            continue;
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        tfl__unary_fn ref = (tfl__unary_fn)reference_fn(tfl__logistic_kernels,
                                                        tfl__logistic_num_kernels, k->kind);
        tfl__unary_fn fn = (tfl__unary_fn)k->fn;
        CHECK(ref != NULL);
        if (!ref)
            continue;
        ref(NULL, x, want, 0, n);
        /* Odd splits too: the tails and starts of a parallel-for. */
        fn(NULL, x, got, 0, 7);
        fn(NULL, x, got, 7, n);
        uint64_t worst = 0;
        size_t at = 0;
        for (size_t i = 0; i < n; ++i) {
            const uint64_t u = ulps(got[i], want[i]);
            if (u > worst) {
                worst = u;
                at = i;
            }
        }
        if (worst > SIGMOID_MAX_ULPS)
            fprintf(stderr, "%s: %llu ulps at x = %.9g (%.9g, reference %.9g)\n", k->name,
                    (unsigned long long)worst, (double)x[at], (double)got[at], (double)want[at]);
        CHECK(worst <= SIGMOID_MAX_ULPS);
        printf("%s: %zu values within %llu ulps of the reference\n", k->name, n,
               (unsigned long long)worst);
    }
}

/* DEQUANTIZE float16 records on all 65536 halves (and at odd starts and
 * ends): the same bytes as the reference, NaNs aside (a signalling NaN
 * comes out quiet from the hardware conversion). */
static void walk_dequantize_f16(void)
{
    const uint32_t cpu = tfl__cpu_features();
    enum { N = 65536 + 19 };
    static uint16_t h[N];
    static float want[N], got[N];
    for (int i = 0; i < N; ++i)
        h[i] = (uint16_t)(i < 65536 ? i : rnd(0, 65535));
    for (size_t r = 0; r < tfl__dequantize_num_kernels; ++r) {
        const tfl__kernel *k = &tfl__dequantize_kernels[r];
        if (k->isa == TFL__ISA_REF)
            continue;
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        tfl_dequantize_fn ref = (tfl_dequantize_fn)reference_fn(
            tfl__dequantize_kernels, tfl__dequantize_num_kernels, k->kind);
        tfl_dequantize_fn fn = (tfl_dequantize_fn)k->fn;
        CHECK(ref != NULL);
        if (!ref)
            continue;
        memset(want, 0xAA, sizeof want);
        memset(got, 0xAA, sizeof got);
        ref(NULL, h, want, 3, N - 5);
        fn(NULL, h, got, 3, 20);
        fn(NULL, h, got, 20, N - 5);
        CHECK(same_floats(want, got, N));
        printf("%s: every half the same as the reference\n", k->name);
    }
}

static void walk_add(void) { walk_add_sub(tfl__add_kernels, tfl__add_num_kernels); }
static void walk_sub(void) { walk_add_sub(tfl__sub_kernels, tfl__sub_num_kernels); }

/* RESIZE_BILINEAR float-path records (float32, uint8), called directly on
 * random images, up- and downscaling, with and without half-pixel centers
 * and aligned corners, channel counts around the vector width. */
/* RFFT2D of a random [slices, in_h, in_w] input through the op with only
 * `kernel` allowed; NULL when prepare failed. */
static float *run_rfft2d(const char *kernel, int threads, tfl__pool *pool, const int32_t *dims,
                         const float *x, const int32_t fft[2], size_t *n_out)
{
    op_harness h;
    h_init(&h, &tfl__op_rfft2d, "RFFT2D");
    h.ctx.cpu_features = tfl__cpu_features();
    h.ctx.isa_cap = TFL__ISA_BEST;
    h.ctx.only_kernel = kernel;
    h.ctx.num_threads = threads;
    h.ctx.pool = threads > 1 ? pool : NULL;
    int in = h_input(&h, TFL_FLOAT32, 3, dims, x, 0, 0);
    int len = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, fft, 0, 0);
    int out = h_tensor(&h, TFL_COMPLEX64, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, len}, 1, &out);
    float *result = NULL;
    if (h_run(&h) == TFL_OK) {
        *n_out = h.tensors[out].bytes;
        result = malloc(*n_out ? *n_out : 1);
        memcpy(result, h_data(&h, out), *n_out);
    }
    h_free(&h);
    return result;
}

/* RFFT2D records against the reference, byte for byte: slices of one row
 * (paired across slices) and of several, cropped and zero-padded, FFT
 * lengths from 2 to 1024, over 1 to 3 threads. */
static void walk_rfft2d(void)
{
    const uint32_t cpu = tfl__cpu_features();
    tfl__pool *pools[4] = {NULL, NULL, tfl__pool_create(2), tfl__pool_create(3)};
    enum { MAX_IN = 5 * 20 * 1100 };
    static float x[MAX_IN];
    for (int i = 0; i < MAX_IN; ++i)
        x[i] = (float)rnd(-100000, 100000) / 777.0f;
    for (size_t r = 0; r < tfl__rfft2d_num_kernels; ++r) {
        const tfl__kernel *k = &tfl__rfft2d_kernels[r];
        if (k->isa == TFL__ISA_REF)
            continue;
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        const char *ref = reference_of(tfl__rfft2d_kernels, tfl__rfft2d_num_kernels, k->kind);
        CHECK(ref != NULL);
        int cases = 0, mismatched = 0;
        for (int i = 0; ref && i < 120; ++i) {
            const int32_t fft[2] = {1 << rnd(0, 4), 1 << rnd(1, 10)};
            const int32_t dims[3] = {rnd(1, 5), rnd(1, 20), rnd(1, 1100)};
            const int threads = 1 + i % 3;
            size_t n1 = 0, n2 = 0;
            float *want = run_rfft2d(ref, 1, NULL, dims, x, fft, &n1);
            float *got = run_rfft2d(k->name, threads, pools[threads], dims, x, fft, &n2);
            CHECK(want != NULL && got != NULL);
            if (want && got) {
                ++cases;
                CHECK_EQ_INT(n1, n2);
                if (n1 == n2 && memcmp(want, got, n1) != 0 && ++mismatched <= 3)
                    fprintf(stderr, "%s: case %d (in %dx%dx%d, fft %dx%d) differs\n", k->name,
                            i, dims[0], dims[1], dims[2], fft[0], fft[1]);
            }
            free(want);
            free(got);
        }
        CHECK_EQ_INT(mismatched, 0);
        printf("%s: %d cases byte-identical to the reference\n", k->name, cases);
    }
    tfl__pool_free(pools[2]);
    tfl__pool_free(pools[3]);
}

static void walk_resize_bilinear(void)
{
    const uint32_t cpu = tfl__cpu_features();
    enum { MAX_IN = 2 * 9 * 9 * 20, MAX_OUT = 2 * 25 * 25 * 20 };
    static float xf[MAX_IN], want[MAX_OUT], got[MAX_OUT];
    static int8_t x8[MAX_IN];
    for (int i = 0; i < MAX_IN; ++i) {
        xf[i] = (float)rnd(-100000, 100000) / 777.0f;
        x8[i] = (int8_t)rnd(-128, 127);
    }
    for (size_t r = 0; r < tfl__resize_bilinear_num_kernels; ++r) {
        const tfl__kernel *k = &tfl__resize_bilinear_kernels[r];
        if (k->isa == TFL__ISA_REF)
            continue;
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        tfl_resize_bilinear_fn ref = (tfl_resize_bilinear_fn)reference_fn(
            tfl__resize_bilinear_kernels, tfl__resize_bilinear_num_kernels, k->kind);
        tfl_resize_bilinear_fn fn = (tfl_resize_bilinear_fn)k->fn;
        CHECK(ref != NULL);
        const size_t es = k->kind == TFL_UINT8 || k->kind == TFL_INT8 ? 1 : 4;
        /* int8 takes the integer path, on its own random bytes. */
        const void *input = k->kind == TFL_INT8 ? (const void *)x8 : (const void *)xf;
        int cases = 0, mismatched = 0;
        for (int i = 0; ref && i < 300; ++i) {
            tfl_resize_bilinear_params p = {0};
            p.batches = rnd(1, 2);
            p.in_h = rnd(1, 9);
            p.in_w = rnd(1, 9);
            p.channels = (int[]){1, 3, 7, 8, 9, 16, 17, 20}[rnd(0, 7)];
            p.out_h = rnd(1, 25);
            p.out_w = rnd(1, 25);
            const int align = rnd(0, 2) == 0;
            p.half_pixel_centers = !align && rnd(0, 1);
            p.scale_h = align && p.out_h > 1 ? (float)(p.in_h - 1) / (float)(p.out_h - 1)
                                             : (float)p.in_h / (float)p.out_h;
            p.scale_w = align && p.out_w > 1 ? (float)(p.in_w - 1) / (float)(p.out_w - 1)
                                             : (float)p.in_w / (float)p.out_w;
            /* The integer steps as the op sets them (1/1024 pixels). */
            p.scale10_h = align && p.out_h > 1
                              ? ((1 << 10) * (p.in_h - 1) + (p.out_h - 1) / 2) / (p.out_h - 1)
                              : ((1 << 10) * p.in_h + p.out_h / 2) / p.out_h;
            p.scale10_w = align && p.out_w > 1
                              ? ((1 << 10) * (p.in_w - 1) + (p.out_w - 1) / 2) / (p.out_w - 1)
                              : ((1 << 10) * p.in_w + p.out_w / 2) / p.out_w;
            const size_t rows = (size_t)p.batches * (size_t)p.out_h;
            const size_t n = rows * (size_t)p.out_w * (size_t)p.channels * es;
            const size_t start = (size_t)rnd(0, (int)rows - 1), end = (size_t)rnd((int)start, (int)rows);
            memset(want, 0xAA, n);
            memset(got, 0xAA, n);
            ref(&p, input, want, start, end);
            fn(&p, input, got, start, end);
            ++cases;
            if (memcmp(want, got, n) != 0 && ++mismatched <= 3)
                fprintf(stderr, "%s: case %d (in %dx%dx%dx%d, out %dx%d, half %d) differs\n",
                        k->name, i, p.batches, p.in_h, p.in_w, p.channels, p.out_h, p.out_w,
                        (int)p.half_pixel_centers);
        }
        CHECK_EQ_INT(mismatched, 0);
        printf("%s: %d cases byte-identical to the reference\n", k->name, cases);
    }
}

/* ARG_MAX / ARG_MIN records, called directly: axes from 1 to past the
 * vector width, innermost or not, values with many ties and the type's
 * extremes, int32 and int64 indices. */
static void walk_arg_min_max(void)
{
    const uint32_t cpu = tfl__cpu_features();
    enum { N = 70 * 40 * 2 };
    static uint8_t x[N];
    static int64_t want[N], got[N];
    for (size_t r = 0; r < tfl__arg_min_max_num_kernels; ++r) {
        const tfl__kernel *k = &tfl__arg_min_max_kernels[r];
        if (k->isa == TFL__ISA_REF)
            continue;
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        tfl_arg_min_max_fn ref = (tfl_arg_min_max_fn)reference_fn(
            tfl__arg_min_max_kernels, tfl__arg_min_max_num_kernels, k->kind);
        tfl_arg_min_max_fn fn = (tfl_arg_min_max_fn)k->fn;
        CHECK(ref != NULL);
        int cases = 0, mismatched = 0;
        for (int i = 0; ref && i < 400; ++i) {
            const int spread = (int[]){1, 3, 256}[rnd(0, 2)];
            const int base = (int[]){0, 127, 253, 126}[rnd(0, 3)];
            for (int j = 0; j < N; ++j)
                x[j] = (uint8_t)(base + rnd(0, spread - 1));
            tfl_arg_min_max_params p = {0};
            p.axis_size = (size_t)(i % 7 == 0 ? rnd(1, 70) : rnd(1, 64));
            p.inner = i % 5 == 0 ? 2 : 1;
            p.outer = (size_t)rnd(1, 40);
            p.is_max = rnd(0, 1);
            p.out64 = rnd(0, 1);
            const size_t start = (size_t)rnd(0, (int)p.outer - 1);
            const size_t end = (size_t)rnd((int)start, (int)p.outer);
            memset(want, 0xAA, sizeof want);
            memset(got, 0xAA, sizeof got);
            ref(&p, x, want, start, end);
            fn(&p, x, got, start, end);
            ++cases;
            if (memcmp(want, got, sizeof want) != 0 && ++mismatched <= 3)
                fprintf(stderr, "%s: case %d (axis %zu, inner %zu, max %d) differs\n", k->name, i,
                        p.axis_size, p.inner, (int)p.is_max);
        }
        CHECK_EQ_INT(mismatched, 0);
        printf("%s: %d cases identical to the reference\n", k->name, cases);
    }
}

#if TFL__X86_SIMD
#include "kernels/fixedpoint.h"
#include "kernels/requant_avx2.h"
#include "kernels/requant_avx512.h"

/* The vector fixed-point helpers against the scalar ones, on extreme and
 * random values: every product sign, INT32_MIN/MAX, multipliers over
 * [0, 2^31) and every right shift. */
TFL_TARGET_AVX512 static void requant_avx512_lanes(const int32_t *a, const int32_t *b,
                                                   const int32_t *e, int32_t *srdhm,
                                                   int32_t *rdbypot)
{
    _mm512_storeu_si512(srdhm, srdhm16(_mm512_loadu_si512(a), _mm512_loadu_si512(b)));
    _mm512_storeu_si512(rdbypot, rdbypot16(_mm512_loadu_si512(a), _mm512_loadu_si512(e)));
}

/* The hoisted form (tfl__rq16_load/apply) on q = [mult | left | right |
 * bias] of 16 channels, without offset or clamp. */
TFL_TARGET_AVX512 static void rq16_lanes(const int32_t *a, const int32_t *q, int32_t *out)
{
    const tfl__rq16 r = tfl__rq16_load(q, 16, 0);
    _mm512_storeu_si512(out, tfl__rq16_apply(&r, _mm512_loadu_si512(a), _mm512_setzero_si512(),
                                             _mm512_set1_epi32(INT32_MIN),
                                             _mm512_set1_epi32(INT32_MAX)));
}

TFL_TARGET_AVX2 static void requant_avx2_lanes(const int32_t *a, const int32_t *b,
                                               const int32_t *e, int32_t *srdhm, int32_t *rdbypot)
{
    for (int h = 0; h < 16; h += 8) {
        const __m256i va = _mm256_loadu_si256((const __m256i *)(a + h));
        _mm256_storeu_si256((__m256i *)(srdhm + h),
                            srdhm8(va, _mm256_loadu_si256((const __m256i *)(b + h))));
        _mm256_storeu_si256((__m256i *)(rdbypot + h),
                            rdbypot8(va, _mm256_loadu_si256((const __m256i *)(e + h))));
    }
}

static void walk_requant(void)
{
    const uint32_t cpu = tfl__cpu_features();
    const int32_t edge[] = {INT32_MIN, INT32_MIN + 1, INT32_MAX, 0, 1, -1, 1 << 30, -(1 << 30),
                            (1 << 30) + 1, -(1 << 30) - 1, 3 << 29, -(3 << 29), 12345, -12345};
    const int32_t mults[] = {0, 1, 1 << 30, INT32_MAX, (1 << 30) + 1, 1518500250, 2};
    const size_t ne = sizeof edge / sizeof edge[0], nm = sizeof mults / sizeof mults[0];
    const bool has512 = (cpu & (TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL)) ==
                        (TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL);
    const bool has2 = (cpu & TFL__CPU_AVX2) != 0;
    if (!has2)
        printf("SKIP requant_avx2.h (this CPU lacks AVX2)\n");
    if (!has512)
        printf("SKIP requant_avx512.h (this CPU lacks AVX-512)\n");
    int mismatched = 0, lanes = 0;
    for (int round = 0; round < 20000 && (has2 || has512); ++round) {
        int32_t a[16], b[16], e[16], want_s[16], want_r[16], got_s[16], got_r[16];
        for (int i = 0; i < 16; ++i) {
            const int pick = rnd(0, 3);
            a[i] = pick == 0 ? edge[(size_t)rnd(0, (int)ne - 1)]
                             : (int32_t)((uint32_t)rnd(0, 65535) << 16 | (uint32_t)rnd(0, 65535));
            b[i] = rnd(0, 2) == 0 ? mults[(size_t)rnd(0, (int)nm - 1)]
                                  : (int32_t)((uint32_t)rnd(0, 32767) << 16 | (uint32_t)rnd(0, 65535));
            e[i] = rnd(0, 31);
            want_s[i] = tfl__srdhm(a[i], b[i]);
            want_r[i] = tfl__rdbypot(a[i], e[i]);
        }
        for (int isa = 0; isa < 2; ++isa) {
            if (isa == 0 ? !has2 : !has512)
                continue;
            if (isa == 0)
                requant_avx2_lanes(a, b, e, got_s, got_r);
            else
                requant_avx512_lanes(a, b, e, got_s, got_r);
            for (int i = 0; i < 16; ++i, ++lanes)
                if ((got_s[i] != want_s[i] || got_r[i] != want_r[i]) && ++mismatched <= 3)
                    fprintf(stderr, "%s: a %d b %d e %d: srdhm %d vs %d, rdbypot %d vs %d\n",
                            isa ? "avx512" : "avx2", (int)a[i], (int)b[i], (int)e[i],
                            (int)got_s[i], (int)want_s[i], (int)got_r[i], (int)want_r[i]);
        }
        if (has512) { /* bias, left shift, multiply and shift in one */
            int32_t q[64], want[16], got[16];
            for (int i = 0; i < 16; ++i) {
                q[i] = b[i];
                q[16 + i] = rnd(0, 3) == 0 ? rnd(0, 31) : 0;
                q[32 + i] = e[i];
                q[48 + i] = rnd(0, 1) ? 0 : edge[(size_t)rnd(0, (int)ne - 1)];
                const int32_t v = (int32_t)(((uint32_t)a[i] + (uint32_t)q[48 + i]) << q[16 + i]);
                want[i] = tfl__rdbypot(tfl__srdhm(v, b[i]), e[i]);
            }
            rq16_lanes(a, q, got);
            for (int i = 0; i < 16; ++i, ++lanes)
                if (got[i] != want[i] && ++mismatched <= 3)
                    fprintf(stderr, "rq16: a %d bias %d left %d mult %d e %d: %d vs %d\n",
                            (int)a[i], (int)q[48 + i], (int)q[16 + i], (int)b[i], (int)e[i],
                            (int)got[i], (int)want[i]);
        }
    }
    CHECK_EQ_INT(mismatched, 0);
    printf("requantization helpers: %d lanes identical to the scalar ones\n", lanes);
}
#else
static void walk_requant(void) { printf("SKIP requantization helpers (no x86 SIMD build)\n"); }
#endif

/* One FULLY_CONNECTED case through the op with only `kernel` allowed;
 * returns the output bytes (malloc'd) or NULL with the error. */
static uint8_t *run_fc(int u8, int per_channel, int batches, int depth, int units, int in_zp,
                       int filter_zp, int out_zp, float in_scale, float out_scale,
                       const float *scales, int with_bias, int act, const char *kernel, int threads,
                       tfl__pool *pool, size_t *n_out, char *err, size_t err_size)
{
    op_harness h;
    h_init(&h, &tfl__op_fully_connected, "FULLY_CONNECTED");
    h.ctx.cpu_features = tfl__cpu_features();
    h.ctx.isa_cap = TFL__ISA_BEST;
    h.ctx.only_kernel = kernel;
    h.ctx.num_threads = threads;
    h.ctx.pool = threads > 1 ? pool : NULL;
    const tfl_type type = u8 ? TFL_UINT8 : TFL_INT8;
    int32_t in_dims[2] = {batches, depth}, f_dims[2] = {units, depth}, b_dims[1] = {units};
    int32_t out_dims[2] = {batches, units};
    uint8_t *x = malloc((size_t)(batches * depth)), *w = malloc((size_t)(units * depth));
    int32_t *bias = malloc((size_t)units * sizeof *bias);
    fill_pat(x, type, batches * depth, 1, u8 ? 0 : -128, u8 ? 255 : 127, 1);
    fill_pat(w, type, units * depth, 2, u8 ? 0 : -127, u8 ? 255 : 127, 1);
    fill_pat(bias, TFL_INT32, units, 3, -30000, 30000, 1);
    int ti = h_tensor(&h, type, 2, in_dims, x, in_scale, in_zp);
    int tf = h_tensor(&h, type, 2, f_dims, w, scales[0], filter_zp);
    if (per_channel)
        h_per_channel(&h, tf, units, scales, NULL, 0);
    int tb = with_bias ? h_tensor(&h, TFL_INT32, 1, b_dims, bias, in_scale * scales[0], 0) : -1;
    if (tb >= 0 && per_channel) {
        float bs[96];
        for (int i = 0; i < units; ++i)
            bs[i] = in_scale * scales[i];
        h_per_channel(&h, tb, units, bs, NULL, 0);
    }
    int to = h_tensor(&h, type, 2, out_dims, NULL, out_scale, out_zp);
    int ins[3] = {ti, tf, tb};
    h_io(&h, tb >= 0 ? 3 : 2, ins, 1, &to);
    h_opt_u8(&h, 0, (uint8_t)act);
    uint8_t *result = NULL;
    tfl_status s = h_prepare(&h);
    if (s == TFL_OK) {
        h.ctx.scratch = h.scratch;
        h.ctx.node = &h.node;
        s = h.node.op->eval(&h.ctx, &h.node);
    }
    if (s == TFL_OK) {
        *n_out = h.tensors[to].bytes;
        result = malloc(*n_out ? *n_out : 1);
        memcpy(result, h.tensors[to].data, *n_out);
    } else {
        snprintf(err, err_size, "%s", h.error);
    }
    h_free(&h);
    free(x);
    free(w);
    free(bias);
    return result;
}

/* FULLY_CONNECTED int8 (per-tensor and per-channel) and uint8 records:
 * depths with and without whole quads, unit counts across block and group
 * edges, batches 1 to 4, extreme zero points and scales, 1 to 3 threads. */
/* The float32 FULLY_CONNECTED record called directly against the
 * reference, exactly, on integer-valued data (see run_conv_f32): depths and
 * unit counts around its 16-unit blocks and 64-unit work items, with and
 * without bias, split over work items at random. */
static void walk_fully_connected_f32(void)
{
#if TFL__X86_SIMD
    const uint32_t cpu = tfl__cpu_features();
    const uint32_t need = TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL;
    if ((cpu & need) != need) {
        printf("SKIP tfl_fully_connected_f32__avx512 (this CPU lacks it)\n");
        return;
    }
    int cases = 0, mismatched = 0;
    for (int i = 0; i < 200; ++i) {
        tfl_fully_connected_params p;
        memset(&p, 0, sizeof p);
        p.batches = rnd(1, 3);
        p.accum_depth = i % 5 == 0 ? rnd(1, 5) : rnd(1, 300);
        p.out_depth = i % 4 == 0 ? rnd(1, 17) : rnd(1, 150);
        p.act_min_f = i % 3 == 0 ? 0.0f : -INFINITY;
        p.act_max_f = i % 3 == 0 ? 6.0f : INFINITY;
        p.const_weights = true;
        const size_t nx = (size_t)p.batches * p.accum_depth;
        const size_t nw = (size_t)p.out_depth * p.accum_depth, no = (size_t)p.batches * p.out_depth;
        float *x = malloc(nx * sizeof *x), *w = malloc(nw * sizeof *w);
        float *b = malloc((size_t)p.out_depth * sizeof *b);
        float *want = malloc(no * sizeof *want), *got = malloc(no * sizeof *got);
        void *packed = aligned_alloc(64, (tfl_fully_connected_f32_avx512_packed_bytes(&p) + 63) /
                                             64 * 64);
        for (size_t k = 0; k < nx; ++k)
            x[k] = (float)rnd(-8, 8);
        for (size_t k = 0; k < nw; ++k)
            w[k] = (float)rnd(-4, 4);
        for (int k = 0; k < p.out_depth; ++k)
            b[k] = (float)rnd(-50, 50);
        const float *bias = i % 2 ? b : NULL;
        p.groups = 1;
        tfl_fully_connected_f32__ref(&p, x, w, bias, want, 0, (size_t)p.batches);
        tfl_fully_connected_f32_avx512_pack(&p, w, packed);
        p.groups = tfl_fully_connected_f32_avx512_groups(&p);
        const size_t items = (size_t)p.batches * p.groups, cut = (size_t)rnd(0, (int)items);
        tfl_fully_connected_f32__avx512(&p, x, packed, bias, got, 0, cut);
        tfl_fully_connected_f32__avx512(&p, x, packed, bias, got, cut, items);
        ++cases;
        if (memcmp(want, got, no * sizeof *got) != 0 && ++mismatched <= 3)
            fprintf(stderr, "tfl_fully_connected_f32__avx512: batches %d depth %d units %d differ\n",
                    p.batches, p.accum_depth, p.out_depth);
        free(x);
        free(w);
        free(b);
        free(want);
        free(got);
        free(packed);
    }
    CHECK_EQ_INT(mismatched, 0);
    printf("tfl_fully_connected_f32__avx512: %d cases identical to the reference\n", cases);
#else
    printf("SKIP tfl_fully_connected_f32__avx512 (no x86 SIMD build)\n");
#endif
}

static void walk_fully_connected(void)
{
    const uint32_t cpu = tfl__cpu_features();
    tfl__pool *pools[4] = {NULL, NULL, tfl__pool_create(2), tfl__pool_create(3)};
    for (size_t r = 0; r < tfl__fully_connected_num_kernels; ++r) {
        const tfl__kernel *k = &tfl__fully_connected_kernels[r];
        if (k->isa == TFL__ISA_REF || (k->kind != TFL__CONV_S8 && k->kind != TFL__CONV_U8))
            continue;
        if (!tfl__kernel_runnable(k, cpu, TFL__ISA_BEST)) {
            printf("SKIP %s (this CPU lacks it)\n", k->name);
            continue;
        }
        const char *ref = reference_of(tfl__fully_connected_kernels,
                                       tfl__fully_connected_num_kernels, k->kind);
        const int u8 = k->kind == TFL__CONV_U8;
        int compared = 0, mismatched = 0;
        for (int i = 0; i < 300; ++i) {
            const int per_channel = !u8 && rnd(0, 1);
            const int batches = rnd(1, 4), depth = i % 6 == 0 ? rnd(60, 300) : rnd(1, 70);
            const int units = rnd(1, 96), threads = 1 + i % 3;
            const int in_zp = (int[]){-128, 127, 0, -3}[rnd(0, 3)] + (u8 ? 128 : 0);
            const int out_zp = (int[]){-128, 127, 0, 5}[rnd(0, 3)] + (u8 ? 128 : 0);
            const int filter_zp = u8 ? (int[]){0, 255, 128, 37}[rnd(0, 3)]
                                     : (per_channel ? 0 : (int[]){0, 0, 5, -7}[rnd(0, 3)]);
            const float in_scale = (float[]){0.5f, 0.01f, 1.0f / 255}[rnd(0, 2)];
            const float out_scale = (float[]){0.05f, 1e-3f, 20.0f, 1e-6f}[rnd(0, 3)];
            float scales[96];
            const float lo = (float[]){1e-4f, 0.01f, 2.0f}[rnd(0, 2)];
            for (int c = 0; c < 96; ++c)
                scales[c] = per_channel ? lo * (1.0f + (float)rnd(0, 1000) / 100.0f) : lo;
            const int with_bias = rnd(0, 3) != 0, act = (int[]){0, 1, 3}[rnd(0, 2)];
            char e1[512] = "", e2[512] = "";
            size_t n1 = 0, n2 = 0;
            uint8_t *want = run_fc(u8, per_channel, batches, depth, units, in_zp, filter_zp, out_zp,
                                   in_scale, out_scale, scales, with_bias, act, ref, 1, NULL, &n1,
                                   e1, sizeof e1);
            uint8_t *got = run_fc(u8, per_channel, batches, depth, units, in_zp, filter_zp, out_zp,
                                  in_scale, out_scale, scales, with_bias, act, k->name, threads,
                                  pools[threads], &n2, e2, sizeof e2);
            CHECK((want == NULL) == (got == NULL));
            if (want && got) {
                ++compared;
                CHECK_EQ_INT(n1, n2);
                if (n1 == n2 && memcmp(want, got, n1) != 0 && ++mismatched <= 3)
                    fprintf(stderr, "%s: case %d (batches %d, depth %d, units %d) differs\n",
                            k->name, i, batches, depth, units);
            } else {
                CHECK(strcmp(e1, e2) == 0);
            }
            free(want);
            free(got);
        }
        CHECK_EQ_INT(mismatched, 0);
        CHECK(compared > 250);
        printf("%s: %d cases byte-identical to the reference\n", k->name, compared);
    }
    tfl__pool_free(pools[2]);
    tfl__pool_free(pools[3]);
}

TFL_TEST_MAIN(TEST(walk_fully_connected), TEST(walk_fully_connected_f32), TEST(walk_requant), TEST(walk_arg_min_max), TEST(walk_resize_bilinear), TEST(walk_rfft2d), TEST(walk_conv_2d), TEST(walk_depthwise_conv_2d), TEST(walk_quantize),
              TEST(walk_add), TEST(walk_sub), TEST(walk_mul), TEST(walk_float_binary), TEST(walk_sigmoid_f32), TEST(walk_dequantize_f16))
