/* Hybrid DEPTHWISE_CONV_2D reference kernel, as TFLite's
 * reference_integer_ops::DepthwiseConvHybridPerChannel: an int8 filter over
 * an input quantized per batch (asymmetric; depthwise_conv_2d.c does that at
 * eval), the offset subtracted inside the sum, padding skipped, then
 * acc * (channel_scale * input_scale) + bias. */
#include "kernels/quant.h"
#include "ops/depthwise_conv_2d/depthwise_conv_2d.h"

void tfl_depthwise_conv_2d_hybrid__ref(const tfl_depthwise_conv_2d_params *p, const void *input,
                                       const void *filter, const void *bias, void *output,
                                       size_t start, size_t end)
{
    const int8_t *in = input; /* [batches, in_h, in_w, in_c] */
    const int8_t *w = filter; /* [1, f_h, f_w, out_c] */
    const float *b = bias;    /* [out_c] or NULL */
    float *out = output;      /* [batches, out_h, out_w, out_c] */
    for (size_t row = start; row < end; ++row) {
        const int batch = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        const int32_t zp = p->hybrid_offset[batch];
        const float in_scale = p->hybrid_scale[batch];
        for (int ox = 0; ox < p->out_w; ++ox)
            for (int ic = 0; ic < p->in_c; ++ic)
                for (int m = 0; m < p->depth_multiplier; ++m) {
                    const int oc = ic * p->depth_multiplier + m;
                    const int y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
                    int32_t acc = 0;
                    for (int fy = 0; fy < p->f_h; ++fy) {
                        const int y = y0 + p->dilation_h * fy;
                        if (y < 0 || y >= p->in_h)
                            continue;
                        for (int fx = 0; fx < p->f_w; ++fx) {
                            const int x = x0 + p->dilation_w * fx;
                            if (x < 0 || x >= p->in_w)
                                continue;
                            const int32_t v =
                                in[(((size_t)batch * p->in_h + y) * p->in_w + x) * p->in_c + ic];
                            acc += (int32_t)w[((size_t)fy * p->f_w + fx) * p->out_c + oc] * (v - zp);
                        }
                    }
                    float v = (float)acc;
                    v *= p->channel_scale[oc] * in_scale;
                    if (b)
                        v += b[oc];
                    out[(((size_t)batch * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
                        tfl__clamp_f32(v, p->act_min_f, p->act_max_f);
                }
    }
}
