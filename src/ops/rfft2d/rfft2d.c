/* RFFT2D (builtin 131): 2-D real FFT over the two innermost dimensions.
 * float32 input [..., H, W] and a constant int32 fft_length [2] (powers of
 * two, as TFLite's fft2d requires) give complex64 [..., fft_length[0],
 * fft_length[1] / 2 + 1]; each slice is cropped or zero-padded to fft_length
 * first. Twiddles and bit-reversal tables are computed once in prepare. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/cpu.h"
#include "ops/op.h"
#include "ops/rfft2d/rfft2d.h"

/* Largest accepted fft_length entry: far beyond any real use, small enough
 * that the twiddle table and work memory stay reasonable. */
#define MAX_FFT_LENGTH (1 << 20)

#define REF(kind, fn) {#fn, kind, TFL__ISA_REF, 0, NULL, NULL, NULL, NULL, (tfl__kernel_fn)fn, 0}

/* Best first; the reference record is last. */
const tfl__kernel tfl__rfft2d_kernels[] = {
#if TFL__X86_SIMD
    {"tfl_rfft2d_f32__avx512", TFL_FLOAT32, TFL__ISA_AVX512,
     TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL, NULL, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_rfft2d_f32__avx512, 0},
#endif
    REF(TFL_FLOAT32, tfl_rfft2d_f32__ref),
};
const size_t tfl__rfft2d_num_kernels = sizeof tfl__rfft2d_kernels / sizeof tfl__rfft2d_kernels[0];

typedef struct rfft2d_data {
    tfl_rfft2d_params p;
    size_t tw_n;               /* points the tables are made for */
    double *tw_re, *tw_im;     /* owned; p.tw_re / p.tw_im point here */
    uint32_t *rev_w, *rev_h;   /* owned; p.rev_w / p.rev_h */
    size_t rev_w_n, rev_h_n;
    size_t slices, workers, work_doubles;
    tfl_rfft2d_fn fn;
} rfft2d_data;

static tfl_status rfft2d_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(rfft2d_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static void rfft2d_free(void *data)
{
    rfft2d_data *d = data;
    if (d) {
        free(d->tw_re);
        free(d->tw_im);
        free(d->rev_w);
        free(d->rev_h);
    }
    free(d);
}

/* The stage twiddles for FFTs of up to tw_n points (reallocating only when
 * the size changes): stage h at [h - 1, 2h - 1), tw_n - 1 in all. */
static tfl_status make_twiddles(tfl__ctx *ctx, tfl__node *node, rfft2d_data *d, size_t tw_n)
{
    if (d->tw_re && d->tw_n == tw_n)
        return TFL_OK;
    free(d->tw_re);
    free(d->tw_im);
    d->tw_n = 0;
    const size_t count = tw_n > 1 ? tw_n - 1 : 1;
    d->tw_re = malloc(count * sizeof(double));
    d->tw_im = malloc(count * sizeof(double));
    if (!d->tw_re || !d->tw_im)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory for twiddles");
    const double two_pi = 6.283185307179586476925286766559;
    for (size_t h = 1; h < tw_n; h <<= 1)
        for (size_t k = 0; k < h; ++k) {
            const double a = two_pi * (double)k / (double)(2 * h);
            d->tw_re[h - 1 + k] = cos(a);
            d->tw_im[h - 1 + k] = -sin(a);
        }
    d->tw_n = tw_n;
    return TFL_OK;
}

/* *rev <- the bit-reversal permutation of n points (n a power of two). */
static tfl_status make_reversal(tfl__ctx *ctx, tfl__node *node, uint32_t **rev, size_t *have,
                                size_t n)
{
    if (*rev && *have == n)
        return TFL_OK;
    free(*rev);
    *have = 0;
    *rev = malloc(n * sizeof **rev);
    if (!*rev)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory for FFT tables");
    int bits = 0;
    while (((size_t)1 << bits) < n)
        ++bits;
    for (size_t i = 0; i < n; ++i) {
        uint32_t r = 0;
        for (int b = 0; b < bits; ++b)
            r |= (uint32_t)((i >> b) & 1) << (bits - 1 - b);
        (*rev)[i] = r;
    }
    *have = n;
    return TFL_OK;
}

static tfl_status rfft2d_prepare(tfl__ctx *ctx, tfl__node *node)
{
    rfft2d_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *len = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in || !len)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is missing",
                            in ? "fft_length" : "input");
    char b[64];
    if (in->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input type %s not supported (float32)", tfl_type_name(in->type));
    if (in->ndim < 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %s needs rank 2 or more",
                            tfl__describe(in, b, sizeof b));
    if (out->type != TFL_COMPLEX64)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output type %s is not complex64",
                            tfl_type_name(out->type));
    if (len->type != TFL_INT32 || len->ndim != 1 || len->dims[0] != 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "fft_length %s must be int32[2]",
                            tfl__describe(len, b, sizeof b));
    if (!tfl__is_const(len) || !len->data || len->bytes < 2 * sizeof(int32_t))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "fft_length must be a constant tensor");
    const int32_t *fl = (const int32_t *)len->data;
    for (int i = 0; i < 2; ++i)
        if (fl[i] <= 0 || (fl[i] & (fl[i] - 1)) != 0 || fl[i] > MAX_FFT_LENGTH)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "fft_length [%d, %d] must be powers of two up to %d", (int)fl[0],
                                (int)fl[1], MAX_FFT_LENGTH);
    /* fft2d's real transform needs at least 2 points: TFLite returns wrong
     * values for fft_length[1] == 1 (verified against LiteRT), so refuse it
     * rather than give a different answer. */
    if (fl[1] < 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "fft_length[1] 1 not supported (TFLite needs at least 2)");

    int32_t dims[TFL_MAX_DIMS];
    for (int i = 0; i < in->ndim; ++i)
        dims[i] = in->dims[i];
    dims[in->ndim - 2] = fl[0];
    dims[in->ndim - 1] = fl[1] / 2 + 1;
    if ((s = tfl__resize(ctx, node, out, dims, in->ndim)) != TFL_OK)
        return s;

    tfl_rfft2d_params *p = &d->p;
    p->in_h = (size_t)in->dims[in->ndim - 2];
    p->in_w = (size_t)in->dims[in->ndim - 1];
    p->fft_h = (size_t)fl[0];
    p->fft_w = (size_t)fl[1];
    if ((s = make_twiddles(ctx, node, d, p->fft_h > p->fft_w ? p->fft_h : p->fft_w)) != TFL_OK ||
        (s = make_reversal(ctx, node, &d->rev_w, &d->rev_w_n, p->fft_w)) != TFL_OK ||
        (s = make_reversal(ctx, node, &d->rev_h, &d->rev_h_n, p->fft_h)) != TFL_OK)
        return s;
    p->tw_re = d->tw_re;
    p->tw_im = d->tw_im;
    p->rev_w = d->rev_w;
    p->rev_h = d->rev_h;
    d->slices = 1;
    for (int i = 0; i < in->ndim - 2; ++i)
        d->slices *= (size_t)in->dims[i];
    /* Each worker transforms a share of the slices in its own work memory. */
    d->workers = (size_t)(ctx->num_threads > 1 ? ctx->num_threads : 1);
    if (d->workers > d->slices)
        d->workers = d->slices ? d->slices : 1;
    d->work_doubles = tfl_rfft2d_work_doubles(p);
    if (d->work_doubles > SIZE_MAX / sizeof(double) / d->workers)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "work memory size overflows");
    node->scratch_bytes = d->workers * d->work_doubles * sizeof(double);
    uint64_t points = (uint64_t)p->fft_h * p->fft_w, passes = 1;
    while ((1ull << passes) < points)
        ++passes;
    node->work = tfl__work(d->slices, points, passes);
    const tfl__kernel *k =
        tfl__kernel_pick(ctx, tfl__rfft2d_kernels, tfl__rfft2d_num_kernels, TFL_FLOAT32, p);
    d->fn = (tfl_rfft2d_fn)k->fn; /* the reference record always fits */
    return TFL_OK;
}

typedef struct rfft2d_job {
    const rfft2d_data *d;
    const float *in;
    float *out;
    double *work;
} rfft2d_job;

/* Workers [start, end): worker w takes slices [w * S / n, (w + 1) * S / n). */
static void rfft2d_workers(void *arg, size_t start, size_t end, int worker)
{
    const rfft2d_job *j = arg;
    const rfft2d_data *d = j->d;
    for (size_t w = start; w < end; ++w) {
        size_t s0 = w * d->slices / d->workers, s1 = (w + 1) * d->slices / d->workers;
        d->fn(&d->p, j->in, j->out, j->work + w * d->work_doubles, s0, s1);
    }
}

static tfl_status rfft2d_eval(tfl__ctx *ctx, tfl__node *node)
{
    const rfft2d_data *d = node->data;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (out->bytes == 0)
        return TFL_OK;
    rfft2d_job j = {d, (const float *)tfl__input(ctx, node, 0)->data, (float *)out->data,
                    ctx->scratch};
    tfl__parallel_for(ctx, d->workers, 1, rfft2d_workers, &j);
    return TFL_OK;
}

const tfl__op tfl__op_rfft2d = {
    .builtin_code = 131,
    .min_version = 1,
    .max_version = 1,
    .init = rfft2d_init,
    .prepare = rfft2d_prepare,
    .eval = rfft2d_eval,
    .free = rfft2d_free,
};
