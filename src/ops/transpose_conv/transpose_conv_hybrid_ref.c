/* Hybrid TRANSPOSE_CONV reference kernel, as TFLite's
 * reference_ops::HybridTransposeConv: every input element, in order (row,
 * column, channel), scatters into the outputs it reaches, each product
 * (q - offset) * w in int32 turned to float and scaled by the output
 * channel's filter scale and then the batch's input scale, added to the
 * output one product at a time; then the bias and the activation.
 *
 * A range of output rows only takes the taps that land in it, in the same
 * order, so every output element sees the same float sums whatever the
 * split between threads. */
#include <string.h>

#include "kernels/quant.h"
#include "ops/transpose_conv/transpose_conv.h"

static int max_i(int a, int b) { return a > b ? a : b; }
static int min_i(int a, int b) { return a < b ? a : b; }

/* Output rows [lo, hi) of batch b. */
static void batch_rows(const tfl_transpose_conv_hybrid_params *p, const int8_t *input,
                       const int8_t *filter, const float *bias, float *output, int b, int lo,
                       int hi)
{
    const int ic_n = p->in_c, oc_n = p->out_c, ow = p->out_w, fh = p->f_h, fw = p->f_w;
    const size_t row_len = (size_t)ow * oc_n;
    float *o = output + ((size_t)b * p->out_h + lo) * row_len;
    memset(o, 0, (size_t)(hi - lo) * row_len * sizeof *o);
    const int32_t zp = p->input_offset[b];
    const float in_scale = p->input_scale[b];
    const size_t w_step = (size_t)fh * fw * ic_n; /* from one output channel to the next */
    for (int iy = 0; iy < p->in_h; ++iy) {
        const int oy0 = iy * p->stride_h - p->pad_h;
        const int fy0 = max_i(0, lo - oy0), fy1 = min_i(fh, hi - oy0);
        if (fy0 >= fy1)
            continue;
        for (int ix = 0; ix < p->in_w; ++ix) {
            const int ox0 = ix * p->stride_w - p->pad_w;
            const int fx0 = max_i(0, -ox0), fx1 = min_i(fw, ow - ox0);
            const int8_t *x = input + (((size_t)b * p->in_h + iy) * p->in_w + ix) * ic_n;
            for (int ic = 0; ic < ic_n; ++ic) {
                const int32_t v = (int32_t)x[ic] - zp;
                for (int fy = fy0; fy < fy1; ++fy)
                    for (int fx = fx0; fx < fx1; ++fx) {
                        const size_t oy = (size_t)b * p->out_h + (size_t)(oy0 + fy);
                        float *out = output + (oy * ow + (size_t)(ox0 + fx)) * oc_n;
                        const int8_t *w = filter + ((size_t)fy * fw + fx) * ic_n + ic;
                        for (int oc = 0; oc < oc_n; ++oc) {
                            const int32_t acc = v * (int32_t)w[(size_t)oc * w_step];
                            /* TFLite: acc * per_channel_scale * scaling_factor,
                             * left to right, in float. */
                            out[oc] += (float)acc * p->channel_scale[oc * p->scale_step] * in_scale;
                        }
                    }
            }
        }
    }
    const size_t count = (size_t)(hi - lo) * row_len;
    for (size_t i = 0; i < count; ++i) {
        const float v = bias ? o[i] + bias[i % (size_t)oc_n] : o[i];
        o[i] = tfl__clamp_f32(v, p->act_min, p->act_max);
    }
}

void tfl_transpose_conv_hybrid__ref(const tfl_transpose_conv_hybrid_params *p,
                                    const int8_t *input, const int8_t *filter, const float *bias,
                                    float *output, size_t start, size_t end)
{
    const size_t oh = (size_t)p->out_h;
    while (start < end) {
        const size_t b = start / oh, batch_end = (b + 1) * oh;
        const size_t stop = end < batch_end ? end : batch_end;
        batch_rows(p, input, filter, bias, output, (int)b, (int)(start - b * oh),
                   (int)(stop - b * oh));
        start = stop;
    }
}
