/* DEPTHWISE_CONV_2D (builtin 4): options, checks, output shape and
 * requantization setup; eval runs the kernel picked at prepare over output
 * rows. */
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "ops/conv_2d/conv_common.h"
#include "kernels/hybrid.h"
#include "ops/depthwise_conv_2d/depthwise_conv_2d.h"
#include "ops/op.h"

/* DepthwiseConv2DOptions fields (schema order). depth_multiplier (field 3)
 * is redundant with the shapes and, as in TFLite, not used. */
enum {
    F_PADDING = 0,
    F_STRIDE_W = 1,
    F_STRIDE_H = 2,
    F_ACTIVATION = 4,
    F_DILATION_W = 5,
    F_DILATION_H = 6
};

#if TFL__X86_SIMD
static bool avx2_supports(const void *p)
{
    const tfl_depthwise_conv_2d_params *dp = p;
    return dp->const_weights && tfl_depthwise_conv_2d_avx2_supports(dp);
}
static size_t avx2_packed_bytes(const void *p)
{
    return tfl_depthwise_conv_2d_avx2_packed_bytes(p);
}
static void s8_avx2_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_depthwise_conv_2d_avx2_pack(p, false, w, b, out);
}
static void u8_avx2_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_depthwise_conv_2d_avx2_pack(p, true, w, b, out);
}

static bool avx512_supports(const void *p)
{
    const tfl_depthwise_conv_2d_params *dp = p;
    return dp->const_weights && tfl_depthwise_conv_2d_avx512_supports(dp);
}
static size_t avx512_packed_bytes(const void *p)
{
    return tfl_depthwise_conv_2d_avx512_packed_bytes(p);
}
static void s8_avx512_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_depthwise_conv_2d_avx512_pack(p, false, w, b, out);
}
static void u8_avx512_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_depthwise_conv_2d_avx512_pack(p, true, w, b, out);
}

#define AVX512_FEATURES (TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL)
#define VNNI_FEATURES (AVX512_FEATURES | TFL__CPU_AVX512VNNI)
static bool f32_avx512_supports(const void *p)
{
    const tfl_depthwise_conv_2d_params *dp = p;
    return dp->const_weights && tfl_depthwise_conv_2d_f32_avx512_supports(dp);
}
static size_t f32_avx512_packed_bytes(const void *p)
{
    return tfl_depthwise_conv_2d_f32_avx512_packed_bytes(p);
}
static void f32_avx512_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_depthwise_conv_2d_f32_avx512_pack(p, w, b, out);
}
#endif

#define REF(kind, fn) {#fn, kind, TFL__ISA_REF, 0, NULL, NULL, NULL, NULL, (tfl__kernel_fn)fn, 0}

/* Best first; the reference record of each kind is last and always usable.
 * int16 takes only an int64 bias here, so there is no TFL__CONV_S16_B32. */
const tfl__kernel tfl__depthwise_conv_2d_kernels[] = {
#if TFL__X86_SIMD
    {"tfl_depthwise_conv_2d_f32__avx512", TFL__CONV_F32, TFL__ISA_AVX512, AVX512_FEATURES,
     f32_avx512_supports, f32_avx512_packed_bytes, f32_avx512_pack, NULL,
     (tfl__kernel_fn)tfl_depthwise_conv_2d_f32__avx512, 0},
    {"tfl_depthwise_conv_2d_s8__vnni", TFL__CONV_S8, TFL__ISA_VNNI, VNNI_FEATURES, avx512_supports,
     avx512_packed_bytes, s8_avx512_pack, NULL, (tfl__kernel_fn)tfl_depthwise_conv_2d_s8__vnni, 0},
    {"tfl_depthwise_conv_2d_u8__vnni", TFL__CONV_U8, TFL__ISA_VNNI, VNNI_FEATURES, avx512_supports,
     avx512_packed_bytes, u8_avx512_pack, NULL, (tfl__kernel_fn)tfl_depthwise_conv_2d_u8__vnni, 0},
    {"tfl_depthwise_conv_2d_s8__avx512", TFL__CONV_S8, TFL__ISA_AVX512, AVX512_FEATURES,
     avx512_supports, avx512_packed_bytes, s8_avx512_pack, NULL,
     (tfl__kernel_fn)tfl_depthwise_conv_2d_s8__avx512, 0},
    {"tfl_depthwise_conv_2d_u8__avx512", TFL__CONV_U8, TFL__ISA_AVX512, AVX512_FEATURES,
     avx512_supports, avx512_packed_bytes, u8_avx512_pack, NULL,
     (tfl__kernel_fn)tfl_depthwise_conv_2d_u8__avx512, 0},
    {"tfl_depthwise_conv_2d_s8__avx2", TFL__CONV_S8, TFL__ISA_AVX2, TFL__CPU_AVX2,
     avx2_supports, avx2_packed_bytes, s8_avx2_pack, NULL,
     (tfl__kernel_fn)tfl_depthwise_conv_2d_s8__avx2, 0},
    {"tfl_depthwise_conv_2d_u8__avx2", TFL__CONV_U8, TFL__ISA_AVX2, TFL__CPU_AVX2,
     avx2_supports, avx2_packed_bytes, u8_avx2_pack, NULL,
     (tfl__kernel_fn)tfl_depthwise_conv_2d_u8__avx2, 0},
#endif
    REF(TFL__CONV_F32, tfl_depthwise_conv_2d_f32__ref),
    REF(TFL__CONV_U8, tfl_depthwise_conv_2d_u8__ref),
    REF(TFL__CONV_S8, tfl_depthwise_conv_2d_s8__ref),
    REF(TFL__CONV_S16, tfl_depthwise_conv_2d_s16__ref),
    REF(TFL__CONV_HYBRID, tfl_depthwise_conv_2d_hybrid__ref),
};
const size_t tfl__depthwise_conv_2d_num_kernels =
    sizeof tfl__depthwise_conv_2d_kernels / sizeof tfl__depthwise_conv_2d_kernels[0];

typedef struct dw_data {
    tfl__conv_window win;
    int activation;
    tfl_depthwise_conv_2d_params p;
    tfl__kernel_choice k;
    tfl__conv_requant rq; /* [out_c] multipliers */
} dw_data;

static tfl_status dw_init(tfl__ctx *ctx, tfl__node *node)
{
    dw_data *d = calloc(1, sizeof *d);
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
    tfl_status s = tfl__conv_check_window(ctx, node, &d->win);
    if (s != TFL_OK)
        return s;
    /* TFLite's depthwise kernels keep these in int16. */
    if (d->win.stride_h > INT16_MAX || d->win.stride_w > INT16_MAX ||
        d->win.dilation_h > INT16_MAX || d->win.dilation_w > INT16_MAX)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "strides %dx%d and dilations %dx%d must be <= %d", d->win.stride_h,
                            d->win.stride_w, d->win.dilation_h, d->win.dilation_w, INT16_MAX);
    return TFL_OK;
}

static void dw_free(void *data)
{
    dw_data *d = data;
    if (!d)
        return;
    tfl__conv_requant_free(&d->rq);
    free(d->k.owned);
    free(d);
}

/* A hybrid depthwise convolution's operands: an int8 filter with one scale
 * per output channel (TFLite requires as many as the quantized dimension
 * has), float32 bias and output. */
static tfl_status hybrid_check(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *filter,
                               const tfl_tensor *bias, const tfl_tensor *out)
{
    if (filter->type != TFL_INT8)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "hybrid depthwise convolution with a %s filter is not supported "
                            "(int8 is)",
                            tfl_type_name(filter->type));
    if (out->type != TFL_FLOAT32 || (bias && bias->type != TFL_FLOAT32))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "hybrid depthwise convolution needs float32 output and bias");
    const int qd = filter->quant.quantized_dimension;
    if (filter->quant.count < 1 || qd != 3 || filter->quant.count != filter->dims[3])
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "a hybrid depthwise filter needs one scale per output channel on "
                            "dimension 3 (has %d on dimension %d)",
                            filter->quant.count, qd);
    return TFL_OK;
}

static tfl_status dw_prepare(tfl__ctx *ctx, tfl__node *node)
{
    dw_data *d = node->data;
    tfl_tensor *in, *filter, *bias, *out;
    tfl_status s = tfl__conv_operands(ctx, node, &in, &filter, &bias, &out);
    if (s == TFL_OK)
        s = tfl__conv_check_image(ctx, node, in, filter, out);
    if (s != TFL_OK)
        return s;
    /* TFLite's int16 depthwise kernel has no int32-bias variant. */
    tfl__conv_kind kind = TFL__CONV_F32;
    const bool hybrid = in->type == TFL_FLOAT32 && filter->type != TFL_FLOAT32;
    if (hybrid) {
        if ((s = hybrid_check(ctx, node, filter, bias, out)) != TFL_OK)
            return s;
        kind = TFL__CONV_HYBRID;
    } else if ((s = tfl__conv_check_types(ctx, node, in, filter, bias, false, 0, &kind)) !=
               TFL_OK) {
        return s;
    }

    char b1[64], b2[64];
    tfl_depthwise_conv_2d_params *p = &d->p;
    memset(p, 0, sizeof *p);
    p->batches = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->in_c = in->dims[3];
    p->f_h = filter->dims[1];
    p->f_w = filter->dims[2];
    p->out_c = filter->dims[3];
    if (p->in_h <= 0 || p->in_w <= 0 || p->in_c <= 0 || p->batches < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %s has an empty dimension",
                            tfl__describe(in, b1, sizeof b1));
    if (filter->dims[0] != 1 || p->f_h <= 0 || p->f_w <= 0 || p->out_c <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "filter %s must be [1, height, width, channels]",
                            tfl__describe(filter, b1, sizeof b1));
    if (p->out_c % p->in_c != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "filter channels %d are not a multiple of input depth %d (input "
                            "%s, filter %s)",
                            p->out_c, p->in_c, tfl__describe(in, b1, sizeof b1),
                            tfl__describe(filter, b2, sizeof b2));
    p->depth_multiplier = p->out_c / p->in_c;
    if (bias && (bias->ndim != 1 || bias->dims[0] != p->out_c))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "bias %s must be [%d] (output channels)",
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
        p->channel_scale = hybrid ? filter->quant.scales : NULL;
    } else {
        /* Unlike CONV_2D, signed filter zero points are not checked. */
        tfl__conv_quant q = {0};
        s = tfl__conv_quant_setup(ctx, node, &d->rq, false, d->activation, in, filter, bias, out,
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
    s = tfl__kernel_setup(ctx, node, tfl__depthwise_conv_2d_kernels,
                          tfl__depthwise_conv_2d_num_kernels, (int)kind, p, filter->data,
                          bias ? bias->data : NULL, &d->k);
    if (s != TFL_OK)
        return s;

    if (hybrid) /* the input quantized per batch, then scales and offsets */
        node->scratch_bytes = (((size_t)p->batches * p->in_h * p->in_w * p->in_c + 15) &
                               ~(size_t)15) +
                              (size_t)p->batches * (sizeof(float) + sizeof(int32_t));
    int32_t dims[4] = {p->batches, p->out_h, p->out_w, p->out_c};
    s = tfl__resize(ctx, node, out, dims, 4);
    node->work = tfl__work(tfl__num_elements(out), (uint64_t)p->f_h, (uint64_t)p->f_w);
    return s;
}

typedef struct dw_job {
    const dw_data *d;
    const void *in, *filter, *bias;
    void *out;
} dw_job;

static void dw_rows(void *arg, size_t start, size_t end, int worker)
{
    const dw_job *j = arg;
    tfl_depthwise_conv_2d_fn fn = (tfl_depthwise_conv_2d_fn)j->d->k.kernel->fn;
    fn(&j->d->p, j->in, j->filter, j->bias, j->out, start, end);
}

typedef struct hybrid_dw_job {
    const tfl_depthwise_conv_2d_params *p;
    const int8_t *q;
    const void *filter, *bias;
    void *out;
} hybrid_dw_job;

static void hybrid_rows(void *arg, size_t start, size_t end, int worker)
{
    (void)worker;
    const hybrid_dw_job *j = arg;
    tfl_depthwise_conv_2d_hybrid__ref(j->p, j->q, j->filter, j->bias, j->out, start, end);
}

/* TFLite quantizes each batch image asymmetrically, then runs the kernel. */
static tfl_status hybrid_eval(tfl__ctx *ctx, tfl__node *node, const dw_data *d)
{
    tfl_depthwise_conv_2d_params p = d->p;
    const size_t in_size = (size_t)p.in_h * p.in_w * p.in_c;
    const float *x = (const float *)(const void *)tfl__input(ctx, node, 0)->data;
    int8_t *q = ctx->scratch;
    float *scale = (float *)(void *)((uint8_t *)ctx->scratch +
                                     (((size_t)p.batches * in_size + 15) & ~(size_t)15));
    int32_t *offset = (int32_t *)(void *)(scale + p.batches);
    tfl__hybrid_quantize(x, p.batches, (int)in_size, true, q, scale, offset);
    p.hybrid_scale = scale;
    p.hybrid_offset = offset;
    const tfl_tensor *bias = tfl__input(ctx, node, 2);
    hybrid_dw_job j = {&p, q, tfl__input(ctx, node, 1)->data, bias ? bias->data : NULL,
                       tfl__output(ctx, node, 0)->data};
    tfl__parallel_for(ctx, (size_t)p.batches * (size_t)p.out_h, 1, hybrid_rows, &j);
    return TFL_OK;
}

static tfl_status dw_eval(tfl__ctx *ctx, tfl__node *node)
{
    const dw_data *d = node->data;
    if (d->k.kernel->kind == TFL__CONV_HYBRID)
        return d->p.batches && d->p.out_h && d->p.out_w ? hybrid_eval(ctx, node, d) : TFL_OK;
    tfl_tensor *bias = tfl__input(ctx, node, 2);
    dw_job j = {d, tfl__input(ctx, node, 0)->data,
                d->k.packed ? d->k.packed : tfl__input(ctx, node, 1)->data,
                bias ? bias->data : NULL, tfl__output(ctx, node, 0)->data};
    size_t rows = (size_t)d->p.batches * (size_t)d->p.out_h;
    if (rows == 0 || d->p.out_w == 0)
        return TFL_OK;
    tfl__parallel_for(ctx, rows, 1, dw_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_depthwise_conv_2d = {
    .builtin_code = 4,
    .min_version = 1,
    .max_version = 6,
    .init = dw_init,
    .prepare = dw_prepare,
    .eval = dw_eval,
    .free = dw_free,
};
