/* Window geometry, operand checks and requantization setup shared by CONV_2D,
 * DEPTHWISE_CONV_2D and FULLY_CONNECTED, following TFLite's padding.h and
 * kernel_util.cc. */
#include "ops/conv_2d/conv_common.h"

#include <math.h>
#include <stdlib.h>

#include "kernels/quant.h"

tfl_status tfl__conv_check_window(tfl__ctx *ctx, const tfl__node *node, const tfl__conv_window *w)
{
    if (w->padding != TFL__PADDING_SAME && w->padding != TFL__PADDING_VALID)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "padding %d is not SAME (0) or VALID (1)", w->padding);
    if (w->stride_h <= 0 || w->stride_w <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "strides must be > 0, got %dx%d",
                            w->stride_h, w->stride_w);
    if (w->dilation_h <= 0 || w->dilation_w <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "dilation factors must be > 0, got %dx%d", w->dilation_h,
                            w->dilation_w);
    return TFL_OK;
}

/* One axis of ComputePaddingHeightWidth. */
static tfl_status axis(tfl__ctx *ctx, const tfl__node *node, const char *name, int padding,
                       int32_t in, int32_t filter, int stride, int dilation, int *out, int *pad)
{
    int64_t extent = ((int64_t)filter - 1) * dilation + 1;
    /* Kernels index with int: keep every window coordinate far from overflow. */
    if ((int64_t)in + extent + stride > INT32_MAX / 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "%s: input %d, dilated filter %lld and stride %d are too large", name,
                            (int)in, (long long)extent, stride);
    int64_t n;
    if (padding == TFL__PADDING_SAME)
        n = ((int64_t)in + stride - 1) / stride;
    else
        n = ((int64_t)in + stride - extent) / stride; /* truncates toward zero, as TFLite */
    if (n < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%s: dilated filter size %lld exceeds input size %d", name,
                            (long long)extent, (int)in);
    int64_t total = (n - 1) * stride + extent - in;
    *out = (int)n;
    *pad = total > 0 ? (int)(total / 2) : 0;
    return TFL_OK;
}

tfl_status tfl__conv_geometry(tfl__ctx *ctx, const tfl__node *node, const tfl__conv_window *w,
                              int32_t in_h, int32_t in_w, int32_t f_h, int32_t f_w,
                              tfl__conv_geom *g)
{
    if (node->pad_fused) {
        /* A PAD taken over (runtime/fuse.h): VALID over the padded image,
         * the padding before it as this conv's own. */
        tfl_status s = axis(ctx, node, "width", TFL__PADDING_VALID,
                            in_w + node->pad_left + node->pad_right, f_w, w->stride_w,
                            w->dilation_w, &g->out_w, &g->pad_w);
        if (s == TFL_OK)
            s = axis(ctx, node, "height", TFL__PADDING_VALID,
                     in_h + node->pad_top + node->pad_bottom, f_h, w->stride_h, w->dilation_h,
                     &g->out_h, &g->pad_h);
        g->pad_w = node->pad_left;
        g->pad_h = node->pad_top;
        return s;
    }
    tfl_status s = axis(ctx, node, "width", w->padding, in_w, f_w, w->stride_w, w->dilation_w,
                        &g->out_w, &g->pad_w);
    if (s != TFL_OK)
        return s;
    return axis(ctx, node, "height", w->padding, in_h, f_h, w->stride_h, w->dilation_h, &g->out_h,
                &g->pad_h);
}

static bool good_scale(float s)
{
    return s > 0.0f && isfinite(s);
}

tfl_status tfl__conv_check_scales(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *input,
                                  const tfl_tensor *filter, const tfl_tensor *output)
{
    if (!good_scale(input->scale))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "input scale %g: quantized input needs a scale > 0",
                            (double)input->scale);
    if (!good_scale(output->scale))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output scale %g: quantized output needs a scale > 0",
                            (double)output->scale);
    int count = filter->quant.count;
    if (count < 1 || !filter->quant.scales)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "filter is not quantized");
    for (int c = 0; c < count; ++c)
        if (!(filter->quant.scales[c] >= 0.0f) || !isfinite(filter->quant.scales[c]))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "filter scale %d is %g", c,
                                (double)filter->quant.scales[c]);
    return TFL_OK;
}

tfl_status tfl__conv_multipliers(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *input,
                                 const tfl_tensor *filter, const tfl_tensor *bias,
                                 const tfl_tensor *output, int channels, int32_t *mult,
                                 int32_t *shift)
{
    tfl_status s = tfl__conv_check_scales(ctx, node, input, filter, output);
    if (s != TFL_OK)
        return s;
    int count = filter->quant.count;
    if (count > 1) {
        if (input->type != TFL_INT8 && input->type != TFL_INT16)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "per-channel filter quantization with %s input (needs int8 "
                                "or int16)",
                                tfl_type_name(input->type));
        if (filter->type != TFL_INT8)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "per-channel quantization of a %s filter (needs int8)",
                                tfl_type_name(filter->type));
        int qd = filter->quant.quantized_dimension;
        if (count != channels || qd < 0 || qd >= filter->ndim || filter->dims[qd] != channels)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "filter has %d scales on dimension %d, expected %d (one per "
                                "output channel)",
                                count, qd, channels);
    }

    if (input->type == TFL_UINT8) {
        /* Legacy per-tensor path (GetQuantizedConvolutionMultipler). */
        if (bias) {
            double product = (double)input->scale * (double)filter->scale;
            double diff = fabs(product - (double)bias->scale);
            if (!(diff / (double)output->scale <= 0.02))
                return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                    "bias scale %g does not match input scale * filter scale "
                                    "%g",
                                    (double)bias->scale, product);
        }
        float product = input->scale * filter->scale;
        double real = (double)product / (double)output->scale;
        int32_t m;
        int e;
        if ((s = tfl__op_multiplier(ctx, node, "input * filter / output", real, &m, &e)) !=
            TFL_OK)
            return s;
        for (int c = 0; c < channels; ++c) {
            mult[c] = m;
            shift[c] = e;
        }
    } else {
        for (int c = 0; c < channels; ++c) {
            float fs = filter->quant.scales[count > 1 ? c : 0];
            double real = (double)input->scale * (double)fs / (double)output->scale;
            int e;
            if ((s = tfl__op_multiplier(ctx, node, "input * filter / output", real, &mult[c],
                                        &e)) != TFL_OK)
                return s;
            shift[c] = e;
        }
    }
    /* Larger left shifts overflow TFLite's own rescale (undefined there). */
    int max_shift = input->type == TFL_INT16 ? 14 : 30;
    for (int c = 0; c < channels; ++c)
        if (shift[c] > max_shift)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "effective scale input * filter / output = %g is too large",
                                ldexp((double)mult[c], shift[c] - 31));
    return TFL_OK;
}

tfl_status tfl__conv_operands(tfl__ctx *ctx, const tfl__node *node, tfl_tensor **in,
                              tfl_tensor **filter, tfl_tensor **bias, tfl_tensor **out)
{
    tfl_status s = tfl__check_io(ctx, node, 2, 3, 1);
    if (s != TFL_OK)
        return s;
    *in = tfl__input(ctx, node, 0);
    *filter = tfl__input(ctx, node, 1);
    *bias = tfl__input(ctx, node, 2);
    *out = tfl__output(ctx, node, 0);
    if (!*in || !*filter)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is missing",
                            *in ? "filter" : "input");
    return TFL_OK;
}

tfl_status tfl__conv_check_image(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *in,
                                 const tfl_tensor *filter, const tfl_tensor *out)
{
    char b[64];
    if (in->ndim != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %s must have rank 4",
                            tfl__describe(in, b, sizeof b));
    if (filter->ndim != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "filter %s must have rank 4",
                            tfl__describe(filter, b, sizeof b));
    if (out->type != in->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output type %s does not match input type %s", tfl_type_name(out->type),
                            tfl_type_name(in->type));
    return TFL_OK;
}

static tfl_status fail_type(tfl__ctx *ctx, const tfl__node *node, const char *role,
                            const tfl_tensor *t, const char *expected)
{
    return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "%s type %s not supported (expected %s)",
                        role, tfl_type_name(t->type), expected);
}

tfl_status tfl__conv_check_types(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *in,
                                 const tfl_tensor *filter, const tfl_tensor *bias,
                                 bool s16_int32_bias, int quantized_bias_type, tfl__conv_kind *kind)
{
    switch (in->type) {
    case TFL_FLOAT32:
        if (filter->type != TFL_FLOAT32)
            return fail_type(ctx, node, "filter", filter, "float32");
        if (bias && bias->type != TFL_FLOAT32)
            return fail_type(ctx, node, "bias", bias, "float32");
        *kind = TFL__CONV_F32;
        return TFL_OK;
    case TFL_UINT8:
    case TFL_INT8:
        if (filter->type != in->type)
            return fail_type(ctx, node, "filter", filter, tfl_type_name(in->type));
        if (bias && bias->type != TFL_INT32)
            return fail_type(ctx, node, "bias", bias, "int32");
        *kind = in->type == TFL_UINT8 ? TFL__CONV_U8 : TFL__CONV_S8;
        return TFL_OK;
    case TFL_INT16:
        if (filter->type != TFL_INT8)
            return fail_type(ctx, node, "filter", filter, "int8");
        if (!s16_int32_bias) {
            if (bias && bias->type != TFL_INT64)
                return fail_type(ctx, node, "bias", bias, "int64");
            *kind = TFL__CONV_S16;
            return TFL_OK;
        }
        if (bias && bias->type != TFL_INT32 && bias->type != TFL_INT64)
            return fail_type(ctx, node, "bias", bias, "int32 or int64");
        if (quantized_bias_type != TFL_FLOAT32) {
            if (quantized_bias_type != TFL_INT32 && quantized_bias_type != TFL_INT64)
                return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                    "quantized_bias_type %d is not int32 or int64",
                                    quantized_bias_type);
            if (bias && (int)bias->type != quantized_bias_type)
                return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                    "bias type %s does not match quantized_bias_type %s",
                                    tfl_type_name(bias->type),
                                    tfl_type_name((tfl_type)quantized_bias_type));
        }
        /* The bias type sets the accumulator width (TFLite reads it from
         * quantized_bias_type, which must agree when set). */
        if (bias)
            *kind = bias->type == TFL_INT32 ? TFL__CONV_S16_B32 : TFL__CONV_S16;
        else
            *kind = quantized_bias_type == TFL_INT32 ? TFL__CONV_S16_B32 : TFL__CONV_S16;
        return TFL_OK;
    default: return fail_type(ctx, node, "input", in, "float32, uint8, int8 or int16");
    }
}

void tfl__conv_requant_free(tfl__conv_requant *r)
{
    free(r->mult);
    free(r->shift);
}

tfl_status tfl__conv_quant_setup(tfl__ctx *ctx, const tfl__node *node, tfl__conv_requant *r,
                                 bool check_filter_zero_points, int activation,
                                 const tfl_tensor *in, const tfl_tensor *filter,
                                 const tfl_tensor *bias, const tfl_tensor *out, int channels,
                                 tfl__conv_quant *q)
{
    if (bias && bias->zero_point != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "bias zero point %d, expected 0",
                            (int)bias->zero_point);
    if (check_filter_zero_points && (in->type == TFL_INT8 || in->type == TFL_INT16)) {
        for (int c = 0; c < filter->quant.count; ++c)
            if (filter->quant.zero_points && filter->quant.zero_points[c] != 0)
                return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                    "filter zero point %lld (channel %d), expected 0",
                                    (long long)filter->quant.zero_points[c], c);
    }
    if (in->type == TFL_INT16 && (in->zero_point != 0 || out->zero_point != 0))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "int16 input and output need zero point 0, got %d and %d",
                            (int)in->zero_point, (int)out->zero_point);
    /* The channel count comes from a shape the file merely declares. */
    if (ctx->mem_limit && (size_t)channels > ctx->mem_limit / (2 * sizeof(int32_t)))
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY,
                            "%d output channels need more multipliers than the %zu-byte memory "
                            "limit allows", channels, ctx->mem_limit);
    if (r->capacity < channels) {
        int32_t *m = realloc(r->mult, (size_t)channels * sizeof *m);
        if (m)
            r->mult = m;
        int32_t *s = realloc(r->shift, (size_t)channels * sizeof *s);
        if (s)
            r->shift = s;
        if (!m || !s)
            return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
        r->capacity = channels;
    }
    tfl_status s =
        tfl__conv_multipliers(ctx, node, in, filter, bias, out, channels, r->mult, r->shift);
    if (s != TFL_OK)
        return s;
    q->mult = r->mult;
    q->shift = r->shift;
    q->input_offset = -in->zero_point;
    /* Signed filters are symmetric: TFLite ignores their zero point. */
    q->filter_offset = in->type == TFL_UINT8 ? -filter->zero_point : 0;
    q->output_offset = out->zero_point;
    return tfl__act_range_q(ctx, node, activation, out, &q->act_min, &q->act_max);
}
