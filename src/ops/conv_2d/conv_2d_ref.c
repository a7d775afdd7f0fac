/* Portable CONV_2D kernels, bit-exact with TFLite's reference_ops::Conv and
 * reference_integer_ops::ConvPerChannel: same loop order, so float sums
 * round identically too. Taps outside the image are skipped (zero padding in
 * real terms). */
#include "ops/conv_2d/conv_2d.h"

#include "kernels/quant.h"

/* TFLite accumulates in int32 and wraps on overflow; sum in int64 and wrap
 * once at the end, which gives the same bits without undefined behavior. */
static inline int32_t wrap32(int64_t v)
{
    return (int32_t)(uint32_t)(uint64_t)v;
}

/* Offset of input pixel (b, y, x), channel 0. */
static inline size_t in_pixel(const tfl_conv_2d_params *p, int b, int y, int x)
{
    return (((size_t)b * (size_t)p->in_h + (size_t)y) * (size_t)p->in_w + (size_t)x) *
           (size_t)p->in_c;
}

/* Offset of filter tap (oc, fy, fx), channel 0. */
static inline size_t tap(const tfl_conv_2d_params *p, int oc, int fy, int fx)
{
    return (((size_t)oc * (size_t)p->f_h + (size_t)fy) * (size_t)p->f_w + (size_t)fx) *
           (size_t)p->f_c;
}

void tfl_conv_2d_f32__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                          const void *bias, void *output, size_t start, size_t end, void *scratch)
{
    const float *in = input; /* [batches, in_h, in_w, in_c] */
    const float *w = filter; /* [out_c, f_h, f_w, f_c] */
    const float *bs = bias;  /* [out_c] or NULL */
    float *out = output;     /* [batches, out_h, out_w, out_c]; rows = batches * out_h */
    const int per_group = p->out_c / (p->in_c / p->f_c);
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        for (int ox = 0; ox < p->out_w; ++ox) {
            float *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
            for (int oc = 0; oc < p->out_c; ++oc) {
                const size_t first = (size_t)(oc / per_group) * (size_t)p->f_c;
                float total = 0.0f;
                for (int fy = 0; fy < p->f_h; ++fy) {
                    const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
                    if (iy < 0 || iy >= p->in_h)
                        continue;
                    for (int fx = 0; fx < p->f_w; ++fx) {
                        const int ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
                        if (ix < 0 || ix >= p->in_w)
                            continue;
                        const float *x = in + in_pixel(p, b, iy, ix) + first;
                        const float *k = w + tap(p, oc, fy, fx);
                        for (int ic = 0; ic < p->f_c; ++ic)
                            total += x[ic] * k[ic];
                    }
                }
                o[oc] = tfl__clamp_f32(total + (bs ? bs[oc] : 0.0f), p->act_min_f, p->act_max_f);
            }
        }
    }
}

void tfl_conv_2d_u8__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                         const void *bias, void *output, size_t start, size_t end, void *scratch)
{
    const uint8_t *in = input; /* [batches, in_h, in_w, in_c] */
    const uint8_t *w = filter; /* [out_c, f_h, f_w, f_c] */
    const int32_t *bs = bias;  /* [out_c] or NULL */
    uint8_t *out = output;     /* [batches, out_h, out_w, out_c]; rows = batches * out_h */
    const int per_group = p->out_c / (p->in_c / p->f_c);
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        for (int ox = 0; ox < p->out_w; ++ox) {
            uint8_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
            for (int oc = 0; oc < p->out_c; ++oc) {
                const size_t first = (size_t)(oc / per_group) * (size_t)p->f_c;
                int64_t acc = 0;
                for (int fy = 0; fy < p->f_h; ++fy) {
                    const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
                    if (iy < 0 || iy >= p->in_h)
                        continue;
                    for (int fx = 0; fx < p->f_w; ++fx) {
                        const int ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
                        if (ix < 0 || ix >= p->in_w)
                            continue;
                        const uint8_t *x = in + in_pixel(p, b, iy, ix) + first;
                        const uint8_t *k = w + tap(p, oc, fy, fx);
                        for (int ic = 0; ic < p->f_c; ++ic)
                            acc += (k[ic] + p->filter_offset) * (x[ic] + p->input_offset);
                    }
                }
                int32_t v = wrap32(acc + (bs ? bs[oc] : 0));
                v = tfl__mbqm(v, p->mult[oc], (int)p->shift[oc]) + p->output_offset;
                o[oc] = (uint8_t)tfl__clamp_i32(v, p->act_min, p->act_max);
            }
        }
    }
}

void tfl_conv_2d_s8__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                         const void *bias, void *output, size_t start, size_t end, void *scratch)
{
    const int8_t *in = input; /* [batches, in_h, in_w, in_c] */
    const int8_t *w = filter; /* [out_c, f_h, f_w, f_c] */
    const int32_t *bs = bias; /* [out_c] or NULL */
    int8_t *out = output;     /* [batches, out_h, out_w, out_c]; rows = batches * out_h */
    const int per_group = p->out_c / (p->in_c / p->f_c);
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        for (int ox = 0; ox < p->out_w; ++ox) {
            int8_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
            for (int oc = 0; oc < p->out_c; ++oc) {
                const size_t first = (size_t)(oc / per_group) * (size_t)p->f_c;
                int64_t acc = 0;
                for (int fy = 0; fy < p->f_h; ++fy) {
                    const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
                    if (iy < 0 || iy >= p->in_h)
                        continue;
                    for (int fx = 0; fx < p->f_w; ++fx) {
                        const int ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
                        if (ix < 0 || ix >= p->in_w)
                            continue;
                        const int8_t *x = in + in_pixel(p, b, iy, ix) + first;
                        const int8_t *k = w + tap(p, oc, fy, fx);
                        for (int ic = 0; ic < p->f_c; ++ic)
                            acc += k[ic] * (x[ic] + p->input_offset);
                    }
                }
                int32_t v = wrap32(acc + (bs ? bs[oc] : 0));
                v = tfl__mbqm(v, p->mult[oc], (int)p->shift[oc]) + p->output_offset;
                o[oc] = (int8_t)tfl__clamp_i32(v, p->act_min, p->act_max);
            }
        }
    }
}

/* The int16 kernels ignore zero points (prepare requires them to be 0) and,
 * as TFLite, add no output offset. */
void tfl_conv_2d_s16__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                          const void *bias, void *output, size_t start, size_t end, void *scratch)
{
    const int16_t *in = input; /* [batches, in_h, in_w, in_c] */
    const int8_t *w = filter;  /* [out_c, f_h, f_w, f_c] */
    const int64_t *bs = bias;  /* [out_c] or NULL */
    int16_t *out = output;     /* [batches, out_h, out_w, out_c]; rows = batches * out_h */
    const int per_group = p->out_c / (p->in_c / p->f_c);
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        for (int ox = 0; ox < p->out_w; ++ox) {
            int16_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
            for (int oc = 0; oc < p->out_c; ++oc) {
                const size_t first = (size_t)(oc / per_group) * (size_t)p->f_c;
                int64_t acc = 0;
                for (int fy = 0; fy < p->f_h; ++fy) {
                    const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
                    if (iy < 0 || iy >= p->in_h)
                        continue;
                    for (int fx = 0; fx < p->f_w; ++fx) {
                        const int ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
                        if (ix < 0 || ix >= p->in_w)
                            continue;
                        const int16_t *x = in + in_pixel(p, b, iy, ix) + first;
                        const int8_t *k = w + tap(p, oc, fy, fx);
                        for (int ic = 0; ic < p->f_c; ++ic)
                            acc += k[ic] * x[ic];
                    }
                }
                if (bs)
                    acc += bs[oc];
                int32_t v = tfl__mbqm64(acc, p->mult[oc], (int)p->shift[oc]);
                o[oc] = (int16_t)tfl__clamp_i32(v, p->act_min, p->act_max);
            }
        }
    }
}

void tfl_conv_2d_s16_b32__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                              const void *bias, void *output, size_t start, size_t end, void *scratch)
{
    const int16_t *in = input; /* [batches, in_h, in_w, in_c] */
    const int8_t *w = filter;  /* [out_c, f_h, f_w, f_c] */
    const int32_t *bs = bias;  /* [out_c] or NULL */
    int16_t *out = output;     /* [batches, out_h, out_w, out_c]; rows = batches * out_h */
    const int per_group = p->out_c / (p->in_c / p->f_c);
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        for (int ox = 0; ox < p->out_w; ++ox) {
            int16_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
            for (int oc = 0; oc < p->out_c; ++oc) {
                const size_t first = (size_t)(oc / per_group) * (size_t)p->f_c;
                int64_t acc = 0;
                for (int fy = 0; fy < p->f_h; ++fy) {
                    const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
                    if (iy < 0 || iy >= p->in_h)
                        continue;
                    for (int fx = 0; fx < p->f_w; ++fx) {
                        const int ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
                        if (ix < 0 || ix >= p->in_w)
                            continue;
                        const int16_t *x = in + in_pixel(p, b, iy, ix) + first;
                        const int8_t *k = w + tap(p, oc, fy, fx);
                        for (int ic = 0; ic < p->f_c; ++ic)
                            acc += k[ic] * x[ic];
                    }
                }
                int32_t v = wrap32(acc + (bs ? bs[oc] : 0));
                v = tfl__mbqm(v, p->mult[oc], (int)p->shift[oc]);
                o[oc] = (int16_t)tfl__clamp_i32(v, p->act_min, p->act_max);
            }
        }
    }
}
