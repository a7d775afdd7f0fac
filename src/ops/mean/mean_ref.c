/* Portable MEAN / SUM kernels, bit-exact with TFLite's reference_ops::Mean,
 * reference_ops::QuantizedMeanOrSum and ReduceGeneric (and, for int8 SUM,
 * optimized_ops::QuantizedMeanOrSum, see tfl_sum_s8__ref). */
#include "ops/mean/mean.h"

#include "kernels/quant.h"
#include "ops/mean/reduce_each.h"

/* TFLite sums integers with wrap-around in the accumulator type. */
static inline int32_t wrap32(int64_t v)
{
    return (int32_t)(uint32_t)(uint64_t)v;
}
static inline int64_t add_wrap64(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

/* QuantizedMeanOrSum's rescale of one int32 sum: the zero-point correction
 * is computed in int64 and truncated to int32, then rescaled. */
static inline int32_t rescale(const tfl_reduce_params *p, int64_t sum, int32_t lo, int32_t hi)
{
    int32_t shifted = wrap32((int64_t)wrap32(sum) - (int64_t)p->in_zp * p->count);
    int32_t v = tfl__mbqm(shifted, p->mult, p->shift) + p->out_zp;
    return tfl__clamp_i32(v, lo, hi);
}

void tfl_mean_f32__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                       size_t end)
{
    const float *in = input; /* input shape, row-major */
    float *out = output;     /* [num_out] */
    const float n = (float)p->count;
    REDUCE_EACH(p, start, end, float acc = 0.0f, acc += in[at], out[o] = acc / n);
}

void tfl_mean_s32__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                       size_t end)
{
    const int32_t *in = input; /* input shape, row-major */
    int32_t *out = output;     /* [num_out] */
    REDUCE_EACH(p, start, end, int64_t acc = 0, acc = add_wrap64(acc, in[at]),
                out[o] = (int32_t)(acc / p->count));
}

void tfl_mean_s64__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                       size_t end)
{
    const int64_t *in = input; /* input shape, row-major */
    int64_t *out = output;     /* [num_out] */
    REDUCE_EACH(p, start, end, int64_t acc = 0, acc = add_wrap64(acc, in[at]),
                out[o] = acc / p->count);
}

/* Outputs [start, end) of an [outer, count, inner] input (p->inner > 0):
 * sums whole rows of up to ROW_SUMS outputs at once, in uint32 (the same
 * wrapped int32 sum rescale takes from the int64 one), a loop compilers
 * vectorize. */
#define ROW_SUMS 256
#define REDUCE_ROWS(T, p, in, out, start, end, lo, hi)                                             \
    do {                                                                                           \
        const size_t inner_ = (p)->inner, count_ = (size_t)(p)->count;                             \
        for (size_t o_ = (start); o_ < (end);) {                                                   \
            const size_t outer_ = o_ / inner_, i0_ = o_ % inner_;                                  \
            size_t n_ = inner_ - i0_;                                                              \
            if (n_ > (end)-o_)                                                                     \
                n_ = (end)-o_;                                                                     \
            if (n_ > ROW_SUMS)                                                                     \
                n_ = ROW_SUMS;                                                                     \
            uint32_t acc_[ROW_SUMS] = {0};                                                         \
            const T *row_ = (in) + outer_ * count_ * inner_ + i0_;                                 \
            for (size_t r_ = 0; r_ < count_; ++r_, row_ += inner_)                                 \
                for (size_t i_ = 0; i_ < n_; ++i_)                                                 \
                    acc_[i_] += (uint32_t)(int32_t)row_[i_];                                       \
            for (size_t i_ = 0; i_ < n_; ++i_)                                                     \
                (out)[o_ + i_] = (T)rescale((p), (int32_t)acc_[i_], (lo), (hi));                   \
            o_ += n_;                                                                              \
        }                                                                                          \
    } while (0)

void tfl_mean_u8__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end)
{
    const uint8_t *in = input; /* input shape, row-major */
    uint8_t *out = output;     /* [num_out] */
    if (p->inner) {
        REDUCE_ROWS(uint8_t, p, in, out, start, end, 0, 255);
        return;
    }
    REDUCE_EACH(p, start, end, int64_t acc = 0, acc += in[at],
                out[o] = (uint8_t)rescale(p, acc, 0, 255));
}

void tfl_mean_s8__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end)
{
    const int8_t *in = input; /* input shape, row-major */
    int8_t *out = output;     /* [num_out] */
    if (p->inner) {
        REDUCE_ROWS(int8_t, p, in, out, start, end, -128, 127);
        return;
    }
    REDUCE_EACH(p, start, end, int64_t acc = 0, acc += in[at],
                out[o] = (int8_t)rescale(p, acc, -128, 127));
}

void tfl_mean_s16__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                       size_t end)
{
    const int16_t *in = input; /* input shape, row-major */
    int16_t *out = output;     /* [num_out] */
    if (p->inner) {
        REDUCE_ROWS(int16_t, p, in, out, start, end, -32768, 32767);
        return;
    }
    REDUCE_EACH(p, start, end, int64_t acc = 0, acc += in[at],
                out[o] = (int16_t)rescale(p, acc, -32768, 32767));
}

void tfl_sum_f32__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end)
{
    const float *in = input; /* input shape, row-major */
    float *out = output;     /* [num_out] */
    REDUCE_EACH(p, start, end, float acc = p->sum_init, acc += in[at], out[o] = acc);
}

void tfl_sum_s32__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end)
{
    const int32_t *in = input; /* input shape, row-major */
    int32_t *out = output;     /* [num_out] */
    REDUCE_EACH(p, start, end, int64_t acc = 0, acc += in[at], out[o] = wrap32(acc));
}

void tfl_sum_s64__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end)
{
    const int64_t *in = input; /* input shape, row-major */
    int64_t *out = output;     /* [num_out] */
    REDUCE_EACH(p, start, end, int64_t acc = 0, acc = add_wrap64(acc, in[at]), out[o] = acc);
}

void tfl_sum_u8__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                     size_t end)
{
    tfl_mean_u8__ref(p, input, output, start, end);
}

/* TFLite's reference SUM reads int8 and int16 data as uint8 (a bug), so
 * they follow the builtin (optimized) kernel instead: the sum wraps in int32,
 * then round(sum * scale + bias) in float, bias = -zp_in * scale * count. */
#define SUM_FLOAT_RESCALE(T, LO, HI)                                                               \
    do {                                                                                           \
        const T *in = input; /* input shape, row-major */                                          \
        T *out = output;     /* [num_out] */                                                       \
        const float bias = (float)-p->in_zp * p->scale * (float)p->count;                          \
        REDUCE_EACH(p, start, end, int64_t acc = 0, acc += in[at], {                               \
            float f = roundf((float)wrap32(acc) * p->scale + bias);                                \
            /* Out-of-range conversions give INT32_MIN on x86, as TFLite's. */                     \
            int32_t v = f >= -2147483648.0f && f < 2147483648.0f ? (int32_t)f : INT32_MIN;         \
            out[o] = (T)tfl__clamp_i32(wrap32((int64_t)v + p->out_zp), LO, HI);                    \
        });                                                                                        \
    } while (0)

void tfl_sum_s8__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                     size_t end)
{
    SUM_FLOAT_RESCALE(int8_t, -128, 127);
}

void tfl_sum_s16__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end)
{
    SUM_FLOAT_RESCALE(int16_t, -32768, 32767);
}
