/* Hybrid CONV_2D reference kernel: int8 filter over an input TFLite
 * quantized per batch image (conv_2d.c does that at eval), float output.
 * Per-channel filters follow reference_ops::HybridConvPerChannel: the
 * asymmetric input offset subtracted inside the sum, padding skipped, then
 * acc * channel_scale * input_scale + bias. Per-tensor filters follow
 * optimized_ops::HybridConv: symmetric input (offset 0, padding reads 0),
 * 0 + acc * (input_scale * filter_scale), then + bias. */
#include "kernels/quant.h"
#include "ops/conv_2d/conv_2d.h"

void tfl_conv_2d_hybrid__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                             const void *bias, void *output, size_t start, size_t end,
                             void *scratch)
{
    (void)scratch;
    const int8_t *in = input;       /* [batches, in_h, in_w, in_c] */
    const int8_t *w = filter;       /* [out_c, f_h, f_w, f_c] */
    const float *b = bias;          /* [out_c] or NULL */
    float *out = output;            /* [batches, out_h, out_w, out_c] */
    const int groups = p->in_c / p->f_c, per_group = p->out_c / groups;
    for (size_t row = start; row < end; ++row) {
        const int batch = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        const int32_t zp = p->hybrid_offset[batch];
        const float in_scale = p->hybrid_scale[batch];
        for (int ox = 0; ox < p->out_w; ++ox)
            for (int oc = 0; oc < p->out_c; ++oc) {
                const int g = oc / per_group;
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
                        const int8_t *ip =
                            in + (((size_t)batch * p->in_h + y) * p->in_w + x) * p->in_c +
                            (size_t)g * p->f_c;
                        const int8_t *wp = w + (((size_t)oc * p->f_h + fy) * p->f_w + fx) * p->f_c;
                        for (int c = 0; c < p->f_c; ++c)
                            acc += (int32_t)wp[c] * ((int32_t)ip[c] - zp);
                    }
                }
                float v;
                if (p->channel_scale) {
                    v = (float)acc * p->channel_scale[oc] * in_scale;
                    if (b)
                        v += b[oc];
                } else {
                    v = 0.0f + (float)acc * in_scale;
                    if (b)
                        v += b[oc];
                }
                out[(((size_t)batch * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
                    tfl__clamp_f32(v, p->act_min_f, p->act_max_f);
            }
    }
}
