/* Portable FULLY_CONNECTED kernels, bit-exact with TFLite's reference
 * kernels as the BUILTIN_REF resolver runs them: quantized results are
 * rescaled in double (round(acc * scale)), not with a fixed-point
 * multiplier. */
#include "ops/fully_connected/fully_connected.h"

#include <math.h>

#include "kernels/quant.h"

/* TFLite accumulates in int32 and wraps on overflow; sum in int64 and wrap
 * once at the end, which gives the same bits without undefined behavior. */
static inline int32_t wrap32(int64_t v)
{
    return (int32_t)(uint32_t)(uint64_t)v;
}

/* static_cast<int32_t>(round(acc * scale)) + output_offset as TFLite's x86
 * build computes it: an out-of-range conversion yields INT32_MIN (what
 * cvttsd2si returns) and the offset addition wraps. */
static inline int32_t rescale(double acc, double scale, int32_t output_offset)
{
    double r = round(acc * scale);
    int32_t v = (r >= -2147483648.0 && r < 2147483648.0) ? (int32_t)r : INT32_MIN;
    return (int32_t)((uint32_t)v + (uint32_t)output_offset);
}

void tfl_fully_connected_f32__ref(const tfl_fully_connected_params *p, const void *input,
                                  const void *filter, const void *bias, void *output, size_t start,
                                  size_t end)
{
    const float *in = input; /* [batches, accum_depth] */
    const float *w = filter; /* [out_depth, accum_depth] */
    const float *bs = bias;  /* [out_depth] or NULL */
    float *out = output;     /* [batches, out_depth] */
    const size_t depth = (size_t)p->accum_depth;
    for (size_t b = start; b < end; ++b) {
        const float *x = in + b * depth;
        for (int u = 0; u < p->out_depth; ++u) {
            const float *wu = w + (size_t)u * depth;
            float total = 0.0f;
            for (size_t d = 0; d < depth; ++d)
                total += x[d] * wu[d];
            out[b * (size_t)p->out_depth + (size_t)u] =
                tfl__clamp_f32(total + (bs ? bs[u] : 0.0f), p->act_min_f, p->act_max_f);
        }
    }
}

void tfl_fully_connected_u8__ref(const tfl_fully_connected_params *p, const void *input,
                                 const void *filter, const void *bias, void *output, size_t start,
                                 size_t end)
{
    const uint8_t *in = input; /* [batches, accum_depth] */
    const uint8_t *w = filter; /* [out_depth, accum_depth] */
    const int32_t *bs = bias;  /* [out_depth] or NULL */
    uint8_t *out = output;     /* [batches, out_depth] */
    const size_t depth = (size_t)p->accum_depth;
    for (size_t b = start; b < end; ++b) {
        const uint8_t *x = in + b * depth;
        for (int u = 0; u < p->out_depth; ++u) {
            const uint8_t *wu = w + (size_t)u * depth;
            int64_t acc = 0;
            for (size_t d = 0; d < depth; ++d)
                acc += (int32_t)(wu[d] + p->filter_offset) * (int32_t)(x[d] + p->input_offset);
            int32_t a = wrap32(acc + (bs ? bs[u] : 0));
            int32_t v = rescale((double)a, p->scale[u], p->output_offset);
            out[b * (size_t)p->out_depth + (size_t)u] =
                (uint8_t)tfl__clamp_i32(v, p->act_min, p->act_max);
        }
    }
}

void tfl_fully_connected_s8__ref(const tfl_fully_connected_params *p, const void *input,
                                 const void *filter, const void *bias, void *output, size_t start,
                                 size_t end)
{
    const int8_t *in = input; /* [batches, accum_depth] */
    const int8_t *w = filter; /* [out_depth, accum_depth] */
    const int32_t *bs = bias; /* [out_depth] or NULL */
    int8_t *out = output;     /* [batches, out_depth] */
    const size_t depth = (size_t)p->accum_depth;
    for (size_t b = start; b < end; ++b) {
        const int8_t *x = in + b * depth;
        for (int u = 0; u < p->out_depth; ++u) {
            const int8_t *wu = w + (size_t)u * depth;
            int64_t acc = 0;
            for (size_t d = 0; d < depth; ++d)
                acc += (int32_t)(wu[d] + p->filter_offset) * (int32_t)(x[d] + p->input_offset);
            int32_t a = wrap32(acc + (bs ? bs[u] : 0));
            int32_t v = rescale((double)a, p->scale[u], p->output_offset);
            out[b * (size_t)p->out_depth + (size_t)u] =
                (int8_t)tfl__clamp_i32(v, p->act_min, p->act_max);
        }
    }
}

void tfl_fully_connected_s16__ref(const tfl_fully_connected_params *p, const void *input,
                                  const void *filter, const void *bias, void *output, size_t start,
                                  size_t end)
{
    const int16_t *in = input; /* [batches, accum_depth] */
    const int8_t *w = filter;  /* [out_depth, accum_depth] */
    const int64_t *bs = bias;  /* [out_depth] or NULL */
    int16_t *out = output;     /* [batches, out_depth] */
    const size_t depth = (size_t)p->accum_depth;
    for (size_t b = start; b < end; ++b) {
        const int16_t *x = in + b * depth;
        for (int u = 0; u < p->out_depth; ++u) {
            const int8_t *wu = w + (size_t)u * depth;
            int64_t acc = 0;
            for (size_t d = 0; d < depth; ++d)
                acc += (int32_t)(wu[d] + p->filter_offset) * (int32_t)(x[d] + p->input_offset);
            if (bs)
                acc += bs[u];
            int32_t v = rescale((double)acc, p->scale[u], p->output_offset);
            out[b * (size_t)p->out_depth + (size_t)u] =
                (int16_t)tfl__clamp_i32(v, p->act_min, p->act_max);
        }
    }
}

void tfl_fully_connected_s16_b32__ref(const tfl_fully_connected_params *p, const void *input,
                                      const void *filter, const void *bias, void *output,
                                      size_t start, size_t end)
{
    const int16_t *in = input; /* [batches, accum_depth] */
    const int8_t *w = filter;  /* [out_depth, accum_depth] */
    const int32_t *bs = bias;  /* [out_depth] or NULL */
    int16_t *out = output;     /* [batches, out_depth] */
    const size_t depth = (size_t)p->accum_depth;
    for (size_t b = start; b < end; ++b) {
        const int16_t *x = in + b * depth;
        for (int u = 0; u < p->out_depth; ++u) {
            const int8_t *wu = w + (size_t)u * depth;
            int64_t acc = 0;
            for (size_t d = 0; d < depth; ++d)
                acc += (int32_t)(wu[d] + p->filter_offset) * (int32_t)(x[d] + p->input_offset);
            int32_t a = wrap32(acc + (bs ? bs[u] : 0));
            int32_t v = rescale((double)a, p->scale[u], p->output_offset);
            out[b * (size_t)p->out_depth + (size_t)u] =
                (int16_t)tfl__clamp_i32(v, p->act_min, p->act_max);
        }
    }
}
