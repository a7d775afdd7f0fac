/* CONV_2D (builtin 3): options, checks, output shape and requantization
 * setup; eval runs the kernel picked at prepare over output rows. */
#include <stdlib.h>
#include <string.h>

#include "kernels/quant.h"
#include "ops/conv_2d/conv_2d.h"
#include "ops/conv_2d/conv_common.h"
#include "core/cpu.h"
#include "kernels/hybrid.h"
#include "ops/kernel.h"
#include "ops/op.h"

/* Conv2DOptions fields (schema order). */
enum {
    F_PADDING = 0,
    F_STRIDE_W = 1,
    F_STRIDE_H = 2,
    F_ACTIVATION = 3,
    F_DILATION_W = 4,
    F_DILATION_H = 5,
    F_QUANTIZED_BIAS_TYPE = 6
};

#if TFL__X86_SIMD
static bool avx2_supports(const void *p)
{
    const tfl_conv_2d_params *cp = p;
    return cp->const_weights && tfl_conv_2d_avx2_supports(cp);
}
static size_t avx2_packed_bytes(const void *p) { return tfl_conv_2d_avx2_packed_bytes(p); }
static void s8_avx2_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_conv_2d_avx2_pack(p, false, w, b, out);
}
static void u8_avx2_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_conv_2d_avx2_pack(p, true, w, b, out);
}
static size_t avx2_scratch(const void *p) { return tfl_conv_2d_avx2_scratch(p); }

static bool vnni_supports(const void *p)
{
    const tfl_conv_2d_params *cp = p;
    return cp->const_weights && tfl_conv_2d_vnni_supports(cp);
}
static size_t vnni_packed_bytes(const void *p) { return tfl_conv_2d_vnni_packed_bytes(p); }
static void s8_vnni_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_conv_2d_vnni_pack(p, false, w, b, out);
}
static void u8_vnni_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_conv_2d_vnni_pack(p, true, w, b, out);
}
static size_t vnni_scratch(const void *p) { return tfl_conv_2d_vnni_scratch(p); }

static bool amx_supports(const void *p)
{
    const tfl_conv_2d_params *cp = p;
    return cp->const_weights && tfl_conv_2d_amx_supports(cp);
}
static size_t amx_packed_bytes(const void *p) { return tfl_conv_2d_amx_packed_bytes(p); }
static void s8_amx_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_conv_2d_amx_pack(p, w, b, out);
}
static size_t amx_scratch(const void *p) { return tfl_conv_2d_amx_scratch(p); }

static bool f32_avx512_supports(const void *p)
{
    const tfl_conv_2d_params *cp = p;
    return cp->const_weights && tfl_conv_2d_f32_avx512_supports(cp);
}
static size_t f32_avx512_packed_bytes(const void *p) { return tfl_conv_2d_f32_avx512_packed_bytes(p); }
static void f32_avx512_pack(const void *p, const void *w, const void *b, void *out)
{
    (void)b; /* the kernel reads the bias as stored */
    tfl_conv_2d_f32_avx512_pack(p, w, out);
}
static size_t f32_avx512_scratch(const void *p) { return tfl_conv_2d_f32_avx512_scratch(p); }
#define AVX512_FEATURES (TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL)

#define VNNI_FEATURES \
    (TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL | TFL__CPU_AVX512VNNI)
#define AMX_FEATURES (VNNI_FEATURES | TFL__CPU_AMX_TILE | TFL__CPU_AMX_INT8)
#endif

#define REF(kind, fn) {#fn, kind, TFL__ISA_REF, 0, NULL, NULL, NULL, NULL, (tfl__kernel_fn)fn, 0}

/* Best first; the reference record of each kind is last and always usable. */
const tfl__kernel tfl__conv_2d_kernels[] = {
#if TFL__X86_SIMD
    {"tfl_conv_2d_f32__avx512", TFL__CONV_F32, TFL__ISA_AVX512, AVX512_FEATURES,
     f32_avx512_supports, f32_avx512_packed_bytes, f32_avx512_pack, f32_avx512_scratch,
     (tfl__kernel_fn)tfl_conv_2d_f32__avx512,
     TFL__KERNEL_SPLITS_CHANNELS | TFL__KERNEL_SPLITS_PIXELS},
    {"tfl_conv_2d_s8__amx", TFL__CONV_S8, TFL__ISA_AMX, AMX_FEATURES, amx_supports,
     amx_packed_bytes, s8_amx_pack, amx_scratch, (tfl__kernel_fn)tfl_conv_2d_s8__amx,
     TFL__KERNEL_SPLITS_CHANNELS | TFL__KERNEL_SPLITS_PIXELS},
    {"tfl_conv_2d_s8__vnni", TFL__CONV_S8, TFL__ISA_VNNI, VNNI_FEATURES, vnni_supports,
     vnni_packed_bytes, s8_vnni_pack, vnni_scratch, (tfl__kernel_fn)tfl_conv_2d_s8__vnni,
     TFL__KERNEL_SPLITS_PIXELS},
    {"tfl_conv_2d_u8__vnni", TFL__CONV_U8, TFL__ISA_VNNI, VNNI_FEATURES, vnni_supports,
     vnni_packed_bytes, u8_vnni_pack, vnni_scratch, (tfl__kernel_fn)tfl_conv_2d_u8__vnni,
     TFL__KERNEL_SPLITS_PIXELS},
    {"tfl_conv_2d_s8__avx2", TFL__CONV_S8, TFL__ISA_AVX2, TFL__CPU_AVX2, avx2_supports,
     avx2_packed_bytes, s8_avx2_pack, avx2_scratch, (tfl__kernel_fn)tfl_conv_2d_s8__avx2, 0},
    {"tfl_conv_2d_u8__avx2", TFL__CONV_U8, TFL__ISA_AVX2, TFL__CPU_AVX2, avx2_supports,
     avx2_packed_bytes, u8_avx2_pack, avx2_scratch, (tfl__kernel_fn)tfl_conv_2d_u8__avx2, 0},
#endif
    REF(TFL__CONV_F32, tfl_conv_2d_f32__ref),
    REF(TFL__CONV_U8, tfl_conv_2d_u8__ref),
    REF(TFL__CONV_S8, tfl_conv_2d_s8__ref),
    REF(TFL__CONV_S16, tfl_conv_2d_s16__ref),
    REF(TFL__CONV_S16_B32, tfl_conv_2d_s16_b32__ref),
    REF(TFL__CONV_HYBRID, tfl_conv_2d_hybrid__ref),
};
const size_t tfl__conv_2d_num_kernels = sizeof tfl__conv_2d_kernels / sizeof tfl__conv_2d_kernels[0];

typedef struct conv_data {
    tfl__conv_window win;
    int activation;
    int quantized_bias_type; /* TensorType; 0 (FLOAT32) = not set */
    tfl_conv_2d_params p;
    tfl__kernel_choice k;
    tfl__conv_requant rq; /* [out_c] multipliers */
    float filter_scale;   /* hybrid, per-tensor: folded into the input scales */
} conv_data;

static tfl_status conv_init(tfl__ctx *ctx, tfl__node *node)
{
    conv_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    const tfl__fb_table *o = &node->options;
    d->win.padding = tfl__fb_i8(o, F_PADDING, 0);
    d->win.stride_w = tfl__fb_i32(o, F_STRIDE_W, 0);
    d->win.stride_h = tfl__fb_i32(o, F_STRIDE_H, 0);
    d->win.dilation_w = tfl__fb_i32(o, F_DILATION_W, 1);
    d->win.dilation_h = tfl__fb_i32(o, F_DILATION_H, 1);
    d->activation = tfl__fb_i8(o, F_ACTIVATION, 0);
    d->quantized_bias_type = tfl__fb_i8(o, F_QUANTIZED_BIAS_TYPE, 0);
    return tfl__conv_check_window(ctx, node, &d->win);
}

static void conv_free(void *data)
{
    conv_data *d = data;
    if (!d)
        return;
    tfl__conv_requant_free(&d->rq);
    free(d->k.owned);
    free(d);
}

/* A hybrid convolution's operands: int8 filter quantized per tensor or per
 * output channel, float32 bias and output. */
static tfl_status hybrid_check(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *filter,
                               const tfl_tensor *bias, const tfl_tensor *out)
{
    if (filter->type != TFL_INT8)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "hybrid convolution with a %s filter is not supported (int8 is)",
                            tfl_type_name(filter->type));
    if (out->type != TFL_FLOAT32 || (bias && bias->type != TFL_FLOAT32))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "hybrid convolution needs float32 output and bias");
    const int count = filter->quant.count;
    if (count < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the int8 filter is not quantized");
    if (count > 1 && (count != filter->dims[0] || filter->quant.quantized_dimension != 0))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "filter has %d scales on dimension %d, expected %d on dimension 0",
                            count, filter->quant.quantized_dimension, (int)filter->dims[0]);
    return TFL_OK;
}

/* TFLite takes its per-channel path (asymmetric inputs, scales per output
 * channel) when the filter's scales differ or the convolution is grouped,
 * and its per-tensor path (symmetric inputs) otherwise. */
static tfl_status hybrid_scales(tfl__ctx *ctx, const tfl__node *node, conv_data *d,
                                const tfl_tensor *filter, int groups)
{
    const int count = filter->quant.count;
    bool differ = false;
    for (int i = 1; i < count; ++i)
        differ |= filter->quant.scales[i] != filter->quant.scales[0];
    if (groups != 1 && count == 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "a grouped hybrid convolution needs per-channel filter scales");
    d->p.channel_scale = differ || groups != 1 ? filter->quant.scales : NULL;
    d->filter_scale = filter->scale;
    return TFL_OK;
}

static tfl_status conv_prepare(tfl__ctx *ctx, tfl__node *node)
{
    conv_data *d = node->data;
    tfl_tensor *in, *filter, *bias, *out;
    tfl_status s = tfl__conv_operands(ctx, node, &in, &filter, &bias, &out);
    if (s == TFL_OK)
        s = tfl__conv_check_image(ctx, node, in, filter, out);
    if (s != TFL_OK)
        return s;
    tfl__conv_kind kind = TFL__CONV_F32;
    const bool hybrid = in->type == TFL_FLOAT32 && filter->type != TFL_FLOAT32;
    if (hybrid) {
        if ((s = hybrid_check(ctx, node, filter, bias, out)) != TFL_OK)
            return s;
        kind = TFL__CONV_HYBRID;
    } else if ((s = tfl__conv_check_types(ctx, node, in, filter, bias, true,
                                          d->quantized_bias_type, &kind)) != TFL_OK) {
        return s;
    }

    char b1[64], b2[64];
    tfl_conv_2d_params *p = &d->p;
    memset(p, 0, sizeof *p);
    p->batches = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->in_c = in->dims[3];
    p->out_c = filter->dims[0];
    p->f_h = filter->dims[1];
    p->f_w = filter->dims[2];
    p->f_c = filter->dims[3];
    if (p->in_h <= 0 || p->in_w <= 0 || p->in_c <= 0 || p->batches < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %s has an empty dimension",
                            tfl__describe(in, b1, sizeof b1));
    if (p->out_c <= 0 || p->f_h <= 0 || p->f_w <= 0 || p->f_c <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "filter %s has an empty dimension",
                            tfl__describe(filter, b1, sizeof b1));
    if (p->in_c % p->f_c != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "input depth %d is not a multiple of filter depth %d (input %s, "
                            "filter %s)",
                            p->in_c, p->f_c, tfl__describe(in, b1, sizeof b1),
                            tfl__describe(filter, b2, sizeof b2));
    int groups = p->in_c / p->f_c;
    if (p->out_c % groups != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%d output channels cannot be split into %d groups", p->out_c, groups);
    if (bias && tfl__num_elements(bias) != (size_t)p->out_c)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "bias %s must have %d elements (output channels)",
                            tfl__describe(bias, b1, sizeof b1), p->out_c);

    tfl__conv_geom g;
    if ((s = tfl__conv_geometry(ctx, node, &d->win, p->in_h, p->in_w, p->f_h, p->f_w, &g)) !=
        TFL_OK)
        return s;
    p->out_h = g.out_h;
    p->out_w = g.out_w;
    p->pad_h = g.pad_h;
    p->pad_w = g.pad_w;
    p->stride_h = d->win.stride_h;
    p->stride_w = d->win.stride_w;
    p->dilation_h = d->win.dilation_h;
    p->dilation_w = d->win.dilation_w;

    if (kind == TFL__CONV_F32 || kind == TFL__CONV_HYBRID) {
        s = tfl__act_range_f32(ctx, node, d->activation, &p->act_min_f, &p->act_max_f);
        if (s == TFL_OK && hybrid)
            s = hybrid_scales(ctx, node, d, filter, groups);
    } else {
        tfl__conv_quant q = {0};
        s = tfl__conv_quant_setup(ctx, node, &d->rq, true, d->activation, in, filter, bias, out,
                                  p->out_c, &q);
        p->mult = q.mult;
        p->shift = q.shift;
        p->input_offset = q.input_offset;
        p->filter_offset = q.filter_offset;
        p->output_offset = q.output_offset;
        p->act_min = q.act_min;
        p->act_max = q.act_max;
    }
    if (s != TFL_OK)
        return s;

    p->const_weights = tfl__is_const(filter) && (!bias || tfl__is_const(bias));
    p->oc_begin = 0;
    p->oc_end = p->out_c;
    p->flat_pixels = false;
    s = tfl__kernel_setup(ctx, node, tfl__conv_2d_kernels, tfl__conv_2d_num_kernels, (int)kind, p,
                          filter->data, bias ? bias->data : NULL, &d->k);
    if (s != TFL_OK)
        return s;

    if (hybrid) {
        /* The input quantized per batch, then each batch's scale and offset. */
        const size_t in_size = (size_t)p->in_h * p->in_w * p->in_c;
        node->scratch_bytes = (((size_t)p->batches * in_size + 15) & ~(size_t)15) +
                              (size_t)p->batches * (sizeof(float) + sizeof(int32_t));
    }
    int32_t dims[4] = {p->batches, p->out_h, p->out_w, p->out_c};
    s = tfl__resize(ctx, node, out, dims, 4);
    /* One multiply-add per output element and filter tap. */
    node->work = tfl__work(tfl__num_elements(out), (uint64_t)p->f_h * (uint64_t)p->f_w,
                           (uint64_t)p->f_c);
    return s;
}

typedef struct conv_job {
    const tfl__ctx *ctx;
    const tfl__node *node;
    const conv_data *d;
    const void *in, *filter, *bias;
    void *out;
} conv_job;

static void conv_rows(void *arg, size_t start, size_t end, int worker)
{
    const conv_job *j = arg;
    tfl_conv_2d_fn fn = (tfl_conv_2d_fn)j->d->k.kernel->fn;
    fn(&j->d->p, j->in, j->filter, j->bias, j->out, start, end,
       tfl__worker_scratch(j->ctx, j->node, worker));
}

/* Channel blocks [start, end) of TFL_CONV_CHANNEL_SPLIT, every row. */
static void conv_channels(void *arg, size_t start, size_t end, int worker)
{
    const conv_job *j = arg;
    tfl_conv_2d_fn fn = (tfl_conv_2d_fn)j->d->k.kernel->fn;
    tfl_conv_2d_params p = j->d->p;
    p.oc_begin = (int)start * TFL_CONV_CHANNEL_SPLIT;
    p.oc_end = (int)end * TFL_CONV_CHANNEL_SPLIT < p.out_c ? (int)end * TFL_CONV_CHANNEL_SPLIT
                                                           : p.out_c;
    fn(&p, j->in, j->filter, j->bias, j->out, 0, (size_t)p.batches * (size_t)p.out_h,
       tfl__worker_scratch(j->ctx, j->node, worker));
}

#define PIXEL_STEP 32 /* the AMX record's, four of the VNNI record's tiles */

/* Steps [start, end) of PIXEL_STEP flat output pixels, every channel. */
static void conv_pixels(void *arg, size_t start, size_t end, int worker)
{
    const conv_job *j = arg;
    tfl_conv_2d_fn fn = (tfl_conv_2d_fn)j->d->k.kernel->fn;
    tfl_conv_2d_params p = j->d->p;
    p.flat_pixels = true;
    const size_t pixels = (size_t)p.batches * (size_t)p.out_h * (size_t)p.out_w;
    const size_t stop = end * PIXEL_STEP < pixels ? end * PIXEL_STEP : pixels;
    fn(&p, j->in, j->filter, j->bias, j->out, start * PIXEL_STEP, stop,
       tfl__worker_scratch(j->ctx, j->node, worker));
}

/* How a layer is cut over the threads. By output pixels, which keeps each
 * thread on the part of the image it made in the previous layer and finds
 * there in its own cache: in rows, or, for a record that takes pixel
 * ranges, in its pixel step, so that a 7x7 layer still splits. Where that
 * leaves one step (a layer of one pixel, say), or too few steps to share
 * evenly (a 7x7 layer's 49 pixels are steps of 32 and 17), by channel
 * blocks, for a record that can: every thread then reads the whole input,
 * much of it from the other cores' caches, which costs more than the split
 * gains whenever there are enough pixels to split instead (measured on
 * MobileNet v2), but each reads only its share of the filter, which in such
 * late layers is the larger part. */

typedef struct hybrid_conv_job {
    const tfl_conv_2d_params *p;
    const int8_t *q;
    const void *filter, *bias;
    float *out;
} hybrid_conv_job;

static void hybrid_rows(void *arg, size_t start, size_t end, int worker)
{
    (void)worker;
    const hybrid_conv_job *j = arg;
    tfl_conv_2d_hybrid__ref(j->p, j->q, j->filter, j->bias, j->out, start, end, NULL);
}

/* Quantizes each batch image as TFLite does (asymmetric for the per-channel
 * path, symmetric with the filter scale folded in for the per-tensor one),
 * then runs the hybrid kernel over output rows. */
static tfl_status hybrid_eval(tfl__ctx *ctx, tfl__node *node, const conv_data *d)
{
    tfl_conv_2d_params p = d->p;
    const size_t in_size = (size_t)p.in_h * p.in_w * p.in_c;
    const float *x = (const float *)(const void *)tfl__input(ctx, node, 0)->data;
    int8_t *q = ctx->scratch;
    float *scale = (float *)(void *)((uint8_t *)ctx->scratch +
                                     (((size_t)p.batches * in_size + 15) & ~(size_t)15));
    int32_t *offset = (int32_t *)(void *)(scale + p.batches);
    const bool per_channel = p.channel_scale != NULL;
    for (int b = 0; b < p.batches; ++b) {
        tfl__hybrid_quantize(x + (size_t)b * in_size, 1, (int)in_size, per_channel,
                             q + (size_t)b * in_size, &scale[b], &offset[b]);
        if (!per_channel)
            scale[b] *= d->filter_scale;
    }
    p.hybrid_scale = scale;
    p.hybrid_offset = offset;
    const tfl_tensor *bias = tfl__input(ctx, node, 2);
    hybrid_conv_job j = {&p, q, tfl__input(ctx, node, 1)->data, bias ? bias->data : NULL,
                         (float *)(void *)tfl__output(ctx, node, 0)->data};
    tfl__parallel_for(ctx, (size_t)p.batches * (size_t)p.out_h, 1, hybrid_rows, &j);
    return TFL_OK;
}

static tfl_status conv_eval(tfl__ctx *ctx, tfl__node *node)
{
    const conv_data *d = node->data;
    if (d->k.kernel->kind == TFL__CONV_HYBRID)
        return d->p.batches && d->p.out_h && d->p.out_w ? hybrid_eval(ctx, node, d) : TFL_OK;
    tfl_tensor *bias = tfl__input(ctx, node, 2);
    conv_job j = {ctx, node, d, tfl__input(ctx, node, 0)->data,
                  d->k.packed ? d->k.packed : tfl__input(ctx, node, 1)->data,
                  bias ? bias->data : NULL, tfl__output(ctx, node, 0)->data};
    size_t rows = (size_t)d->p.batches * (size_t)d->p.out_h;
    if (rows == 0 || d->p.out_w == 0)
        return TFL_OK;
    const size_t pixels = rows * (size_t)d->p.out_w;
    const size_t blocks = ((size_t)d->p.out_c + TFL_CONV_CHANNEL_SPLIT - 1) / TFL_CONV_CHANNEL_SPLIT;
    const unsigned flags = d->k.kernel->flags;
    const size_t steps = (pixels + PIXEL_STEP - 1) / PIXEL_STEP;
    const size_t threads = (size_t)ctx->num_threads;
    if (threads > 1 && (flags & TFL__KERNEL_SPLITS_CHANNELS) &&
        ((steps == 1 && blocks >= threads) || (steps < 2 * threads && blocks >= 2 * threads))) {
        tfl__parallel_for(ctx, blocks, 1, conv_channels, &j);
        return TFL_OK;
    }
    if (flags & TFL__KERNEL_SPLITS_PIXELS) {
        tfl__parallel_for(ctx, steps, 1, conv_pixels, &j);
        return TFL_OK;
    }
    /* Chunks of at least 64 pixels: two steps of the widest kernels. */
    const size_t min_rows = (64 + (size_t)d->p.out_w - 1) / (size_t)d->p.out_w;
    tfl__parallel_for(ctx, rows, min_rows, conv_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_conv_2d = {
    .builtin_code = 3,
    .min_version = 1,
    .max_version = 8,
    .init = conv_init,
    .prepare = conv_prepare,
    .eval = conv_eval,
    .free = conv_free,
};
