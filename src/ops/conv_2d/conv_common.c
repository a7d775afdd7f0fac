/* Window geometry and requantization setup shared by CONV_2D and
 * DEPTHWISE_CONV_2D, following TFLite's padding.h and kernel_util.cc. */
#include "ops/conv_2d/conv_common.h"

#include <math.h>

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

tfl_status tfl__conv_multipliers(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *input,
                                 const tfl_tensor *filter, const tfl_tensor *bias,
                                 const tfl_tensor *output, int channels, int32_t *mult,
                                 int32_t *shift)
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
        tfl__quantize_multiplier(real, &m, &e);
        for (int c = 0; c < channels; ++c) {
            mult[c] = m;
            shift[c] = e;
        }
    } else {
        for (int c = 0; c < channels; ++c) {
            float fs = filter->quant.scales[count > 1 ? c : 0];
            double real = (double)input->scale * (double)fs / (double)output->scale;
            int e;
            tfl__quantize_multiplier(real, &mult[c], &e);
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
