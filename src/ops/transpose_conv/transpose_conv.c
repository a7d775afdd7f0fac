/* TRANSPOSE_CONV (67): inputs output_shape (int32 [4]), filter [out_c, f_h,
 * f_w, in_c], input [n, h, w, in_c] and an optional bias; options padding
 * (0), stride_w (1), stride_h (2), fused_activation_function (3).
 *
 * As TFLite's reference kernels: the padding is the one a CONV_2D from the
 * output to the input would take; every input element, in order (batch,
 * row, column, channel), adds its products with the filter taps (row,
 * column, output channel) into the outputs it reaches; then the bias and the
 * activation. float32 sums into the output in that order (so the results
 * are the same bytes); uint8 (per-tensor), int8 (per-channel) and int16
 * activations with int8 weights (int64 bias) sum into int32 / int64
 * accumulators and requantize per output channel.
 *
 * Hybrid (float32 input, bias and output with an int8 filter, per tensor or
 * per output channel, as TensorFlow's converter writes in dynamic-range
 * mode): TFLite quantizes each batch image asymmetrically at eval, then
 * scatters as above in float (transpose_conv_hybrid_ref.c). */
#include <stdlib.h>
#include <string.h>

#include "kernels/hybrid.h"
#include "kernels/quant.h"
#include "ops/conv_2d/conv_common.h"
#include "ops/shape_common.h"
#include "ops/transpose_conv/transpose_conv.h"

enum { F_PADDING = 0, F_STRIDE_W = 1, F_STRIDE_H = 2, F_ACTIVATION = 3 };

typedef struct tconv_data {
    tfl__conv_window win;
    int activation;
    tfl__conv_kind kind;
    tfl__conv_requant rq;
    tfl__conv_quant q;
    float act_min_f, act_max_f;
    int pad_h, pad_w;
    bool dynamic;
    /* Quantized accumulators, one per output element (int32, or int64 for
     * int16), owned: a fed output_shape sizes them only at eval. */
    void *acc;
    size_t acc_bytes;
} tconv_data;

static tfl_status tconv_init(tfl__ctx *ctx, tfl__node *node)
{
    tconv_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->win.padding = tfl__fb_i8(&node->options, F_PADDING, 0);
    d->win.stride_w = tfl__fb_i32(&node->options, F_STRIDE_W, 0);
    d->win.stride_h = tfl__fb_i32(&node->options, F_STRIDE_H, 0);
    d->win.dilation_w = d->win.dilation_h = 1;
    d->activation = tfl__fb_i8(&node->options, F_ACTIVATION, 0);
    return tfl__conv_check_window(ctx, node, &d->win);
}

static void tconv_free(void *data)
{
    tconv_data *d = data;
    if (d) {
        tfl__conv_requant_free(&d->rq);
        free(d->acc);
    }
    free(d);
}

/* The output shape from output_shape, checked against the filter; then
 * padding and the quantization. */
static tfl_status plan(tfl__ctx *ctx, tfl__node *node, tconv_data *d, tfl_status bad)
{
    const tfl_tensor *shape = tfl__input(ctx, node, 0), *filter = tfl__input(ctx, node, 1);
    const tfl_tensor *in = tfl__input(ctx, node, 2);
    const tfl_tensor *bias = node->num_inputs > 3 ? tfl__input(ctx, node, 3) : NULL;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    int32_t dims[4];
    for (int i = 0; i < 4; ++i) {
        const int64_t v = tfl__int_at(shape, (size_t)i);
        if (v < 0 || v > INT32_MAX)
            return tfl__op_fail(ctx, node, bad, "output_shape[%d] is %lld", i, (long long)v);
        dims[i] = (int32_t)v;
    }
    if (dims[0] != in->dims[0] || dims[3] != filter->dims[0])
        return tfl__op_fail(ctx, node, bad,
                            "output_shape [%d, %d, %d, %d] does not match the input's batch %d "
                            "and the filter's %d output channels",
                            (int)dims[0], (int)dims[1], (int)dims[2], (int)dims[3],
                            (int)in->dims[0], (int)filter->dims[0]);
    tfl_status s = tfl__resize(ctx, node, out, dims, 4);
    if (s != TFL_OK)
        return s;
    /* Every input element meets f_h * f_w * out_c taps (for max_work). */
    node->work = tfl__work(tfl__num_elements(in), (uint64_t)filter->dims[1] * filter->dims[2],
                           (uint64_t)filter->dims[0]);
    tfl__conv_geom g;
    if ((s = tfl__conv_geometry(ctx, node, &d->win, dims[1], dims[2], filter->dims[1],
                                filter->dims[2], &g)) != TFL_OK)
        return s;
    d->pad_h = g.pad_h;
    d->pad_w = g.pad_w;
    if (d->kind == TFL__CONV_F32 || d->kind == TFL__CONV_HYBRID)
        return tfl__act_range_f32(ctx, node, d->activation, &d->act_min_f, &d->act_max_f);
    if ((s = tfl__conv_check_scales(ctx, node, in, filter, out)) != TFL_OK)
        return s;
    s = tfl__conv_quant_setup(ctx, node, &d->rq, true, d->activation, in, filter, bias, out,
                              dims[3], &d->q);
    if (s != TFL_OK)
        return s;
    const size_t need = tfl__num_elements(out) * (d->kind == TFL__CONV_S16 ? 8 : 4);
    if (need > d->acc_bytes) {
        if (ctx->mem_limit && need > ctx->mem_limit)
            return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY,
                                "%zu bytes of accumulators, more than the %zu-byte memory limit",
                                need, ctx->mem_limit);
        void *p = realloc(d->acc, need);
        if (!p)
            return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory for %zu bytes of "
                                "accumulators", need);
        d->acc = p;
        d->acc_bytes = need;
    }
    return TFL_OK;
}

/* A hybrid transpose convolution's operands: an int8 filter with one scale,
 * or one per output channel on dimension 0 (TFLite indexes the scales by
 * output channel), float32 bias. TFLite ignores the filter's zero points. */
static tfl_status hybrid_check(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *filter,
                               const tfl_tensor *bias)
{
    if (filter->type != TFL_INT8)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "hybrid transpose convolution with a %s filter is not supported "
                            "(int8 is)",
                            tfl_type_name(filter->type));
    if (bias && bias->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "hybrid transpose convolution needs a float32 bias, not %s",
                            tfl_type_name(bias->type));
    const int count = filter->quant.count;
    if (count < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the int8 filter is not quantized");
    if (count > 1 && (count != filter->dims[0] || filter->quant.quantized_dimension != 0))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "filter has %d scales on dimension %d, expected 1, or %d on "
                            "dimension 0",
                            count, filter->quant.quantized_dimension, (int)filter->dims[0]);
    return TFL_OK;
}

static tfl_status tconv_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tconv_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 3, 4, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *shape = tfl__input(ctx, node, 0), *filter = tfl__input(ctx, node, 1);
    const tfl_tensor *in = tfl__input(ctx, node, 2);
    const tfl_tensor *bias = node->num_inputs > 3 ? tfl__input(ctx, node, 3) : NULL;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!filter || !in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "filter or input is missing");
    if ((s = tfl__check_index_tensor(ctx, node, shape, "output_shape", 1u << TFL_INT32)) !=
        TFL_OK)
        return s;
    if (shape->ndim != 1 || shape->dims[0] != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output_shape must be int32[4]");
    if (in->ndim != 4 || filter->ndim != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input and filter must be 4-D");
    if (in->dims[3] != filter->dims[3])
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "input has %d channels, the filter %d", (int)in->dims[3],
                            (int)filter->dims[3]);
    if (out->type != in->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output type %s does not match input type %s",
                            tfl_type_name(out->type), tfl_type_name(in->type));
    if (in->type == TFL_FLOAT32 && filter->type != TFL_FLOAT32) {
        if ((s = hybrid_check(ctx, node, filter, bias)) != TFL_OK)
            return s;
        d->kind = TFL__CONV_HYBRID;
    } else if ((s = tfl__conv_check_types(ctx, node, in, filter, bias, false, 0, &d->kind)) !=
               TFL_OK) {
        return s;
    }
    if (bias && (bias->ndim != 1 || bias->dims[0] != filter->dims[0]))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "bias must have %d elements",
                            (int)filter->dims[0]);
    if (d->kind == TFL__CONV_HYBRID) /* the input quantized per batch, scales, offsets */
        node->scratch_bytes = ((tfl__num_elements(in) + 15) & ~(size_t)15) +
                              (size_t)in->dims[0] * (sizeof(float) + sizeof(int32_t));
    d->dynamic = !tfl__is_const(shape);
    if (d->dynamic) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return plan(ctx, node, d, TFL_ERROR_BAD_MODEL);
}

/* The scatter loop every type shares: for each input element and filter
 * tap, ACC(out_index, input_index, filter_index). */
#define SCATTER(ACC)                                                                               \
    for (int b = 0; b < n; ++b)                                                                    \
        for (int iy = 0; iy < ih; ++iy)                                                            \
            for (int ix = 0; ix < iw; ++ix)                                                        \
                for (int ic = 0; ic < ic_n; ++ic) {                                                \
                    const size_t ii = (((size_t)b * ih + iy) * iw + ix) * ic_n + ic;                \
                    const int oy0 = iy * sh - d->pad_h, ox0 = ix * sw - d->pad_w;                  \
                    for (int fy = 0; fy < fh; ++fy) {                                              \
                        const int oy = oy0 + fy;                                                   \
                        if (oy < 0 || oy >= oh)                                                    \
                            continue;                                                              \
                        for (int fx = 0; fx < fw; ++fx) {                                          \
                            const int ox = ox0 + fx;                                               \
                            if (ox < 0 || ox >= ow)                                                \
                                continue;                                                          \
                            const size_t ob = (((size_t)b * oh + oy) * ow + ox) * oc_n;            \
                            for (int oc = 0; oc < oc_n; ++oc) {                                    \
                                const size_t fi =                                                  \
                                    (((size_t)oc * fh + fy) * fw + fx) * ic_n + ic;                \
                                ACC(ob + oc, ii, fi);                                              \
                            }                                                                      \
                        }                                                                          \
                    }                                                                              \
                }

typedef struct hybrid_job {
    const tfl_transpose_conv_hybrid_params *p;
    const int8_t *q, *filter;
    const float *bias;
    float *out;
} hybrid_job;

static void hybrid_rows(void *arg, size_t start, size_t end, int worker)
{
    (void)worker;
    const hybrid_job *j = arg;
    tfl_transpose_conv_hybrid__ref(j->p, j->q, j->filter, j->bias, j->out, start, end);
}

/* TFLite quantizes each batch image asymmetrically, then scatters. */
static tfl_status hybrid_eval(tfl__ctx *ctx, tfl__node *node, const tconv_data *d)
{
    const tfl_tensor *filter = tfl__input(ctx, node, 1), *in = tfl__input(ctx, node, 2);
    const tfl_tensor *bias = node->num_inputs > 3 ? tfl__input(ctx, node, 3) : NULL;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    tfl_transpose_conv_hybrid_params p = {
        .batches = in->dims[0], .in_h = in->dims[1], .in_w = in->dims[2], .in_c = in->dims[3],
        .out_h = out->dims[1], .out_w = out->dims[2], .out_c = out->dims[3],
        .f_h = filter->dims[1], .f_w = filter->dims[2],
        .stride_h = d->win.stride_h, .stride_w = d->win.stride_w,
        .pad_h = d->pad_h, .pad_w = d->pad_w,
        .channel_scale = filter->quant.scales, .scale_step = filter->quant.count > 1,
        .act_min = d->act_min_f, .act_max = d->act_max_f,
    };
    const size_t in_size = (size_t)p.in_h * p.in_w * p.in_c;
    int8_t *q = ctx->scratch;
    float *scale = (float *)(void *)((uint8_t *)ctx->scratch +
                                     (((size_t)p.batches * in_size + 15) & ~(size_t)15));
    int32_t *offset = (int32_t *)(void *)(scale + p.batches);
    tfl__hybrid_quantize((const float *)(const void *)in->data, p.batches, (int)in_size, true, q,
                         scale, offset);
    p.input_scale = scale;
    p.input_offset = offset;
    hybrid_job j = {&p, q, (const int8_t *)(const void *)filter->data,
                    bias ? (const float *)(const void *)bias->data : NULL,
                    (float *)(void *)out->data};
    tfl__parallel_for(ctx, (size_t)p.batches * (size_t)p.out_h, 1, hybrid_rows, &j);
    return TFL_OK;
}

static tfl_status tconv_eval(tfl__ctx *ctx, tfl__node *node)
{
    tconv_data *d = node->data;
    tfl_status s;
    if (d->dynamic && (s = plan(ctx, node, d, TFL_ERROR_RUNTIME)) != TFL_OK)
        return s;
    const tfl_tensor *filter = tfl__input(ctx, node, 1), *in = tfl__input(ctx, node, 2);
    const tfl_tensor *bias = node->num_inputs > 3 ? tfl__input(ctx, node, 3) : NULL;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const int n = in->dims[0], ih = in->dims[1], iw = in->dims[2], ic_n = in->dims[3];
    const int oh = out->dims[1], ow = out->dims[2], oc_n = out->dims[3];
    const int fh = filter->dims[1], fw = filter->dims[2];
    const int sh = d->win.stride_h, sw = d->win.stride_w;
    const size_t total = tfl__num_elements(out);
    if (total == 0)
        return TFL_OK;
    if (d->kind == TFL__CONV_HYBRID)
        return hybrid_eval(ctx, node, d);
    if (d->kind == TFL__CONV_F32) {
        float *o = (float *)(void *)out->data;
        const float *x = (const float *)(const void *)in->data;
        const float *w = (const float *)(const void *)filter->data;
        memset(o, 0, total * sizeof *o);
#define ACC_F(oi, ii, fi) o[oi] += x[ii] * w[fi]
        SCATTER(ACC_F)
        const float *bs = bias ? (const float *)(const void *)bias->data : NULL;
        for (size_t i = 0; i < total; ++i) {
            float v = bs ? o[i] + bs[i % (size_t)oc_n] : o[i];
            o[i] = tfl__clamp_f32(v, d->act_min_f, d->act_max_f);
        }
        return TFL_OK;
    }
    const tfl__conv_quant *q = &d->q;
    const int32_t in_off = q->input_offset, f_off = q->filter_offset;
    if (d->kind == TFL__CONV_S16) {
        int64_t *acc = d->acc;
        const int16_t *x = (const int16_t *)(const void *)in->data;
        const int8_t *w = (const int8_t *)(const void *)filter->data;
        memset(acc, 0, total * sizeof *acc);
#define ACC_S16(oi, ii, fi) acc[oi] += (int64_t)x[ii] * w[fi]
        SCATTER(ACC_S16)
        const int64_t *bs = bias ? (const int64_t *)(const void *)bias->data : NULL;
        int16_t *o = (int16_t *)(void *)out->data;
        for (size_t i = 0; i < total; ++i) {
            const size_t c = i % (size_t)oc_n;
            const int64_t a = bs ? acc[i] + bs[c] : acc[i];
            const int32_t v = tfl__mbqm64(a, q->mult[c], q->shift[c]);
            o[i] = (int16_t)tfl__clamp_i32(v, q->act_min, q->act_max);
        }
        return TFL_OK;
    }
    /* int32 sums in unsigned arithmetic: they wrap as TFLite's do in
     * practice, without undefined behaviour. */
    uint32_t *acc = d->acc;
    memset(acc, 0, total * sizeof *acc);
    const uint8_t *x8 = in->data, *w8 = filter->data;
    if (in->type == TFL_UINT8) {
#define ACC_U8(oi, ii, fi) acc[oi] += (uint32_t)((x8[ii] + in_off) * (w8[fi] + f_off))
        SCATTER(ACC_U8)
    } else {
        const int8_t *xs = (const int8_t *)x8, *ws = (const int8_t *)w8;
#define ACC_S8(oi, ii, fi) acc[oi] += (uint32_t)((xs[ii] + in_off) * ws[fi])
        SCATTER(ACC_S8)
    }
    const int32_t *bs = bias ? (const int32_t *)(const void *)bias->data : NULL;
    for (size_t i = 0; i < total; ++i) {
        const size_t c = i % (size_t)oc_n;
        const int32_t a = (int32_t)(bs ? acc[i] + (uint32_t)bs[c] : acc[i]);
        const int32_t v = tfl__mbqm(a, q->mult[c], q->shift[c]) + q->output_offset;
        const int32_t r = tfl__clamp_i32(v, q->act_min, q->act_max);
        if (in->type == TFL_UINT8)
            out->data[i] = (uint8_t)r;
        else
            ((int8_t *)(void *)out->data)[i] = (int8_t)r;
    }
    return TFL_OK;
}

const tfl__op tfl__op_transpose_conv = {
    .builtin_code = 67,
    .min_version = 1,
    .max_version = 5,
    .init = tconv_init,
    .prepare = tconv_prepare,
    .eval = tconv_eval,
    .free = tconv_free,
};
