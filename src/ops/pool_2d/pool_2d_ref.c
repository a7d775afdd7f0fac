/* Portable AVERAGE_POOL_2D / MAX_POOL_2D kernels, bit-exact with TFLite's
 * reference_ops and reference_integer_ops pooling (same window clipping,
 * summation order and rounding). */
#include "ops/pool_2d/pool_2d.h"

#include <float.h>

#include "kernels/quant.h"

/* Walks output rows [start, end) of (batch, out_y). For each output pixel and
 * channel c, the window is clipped to the image (padding is never counted),
 * INIT runs, BODY runs for each input element at offset `at` (row-major over
 * the window, as TFLite), then STORE writes output element `o`. */
#define POOL_LOOP(p, start, end, INIT, BODY, STORE)                                                \
    do {                                                                                           \
        for (size_t row_ = (start); row_ < (end); ++row_) {                                        \
            const size_t b_ = row_ / (size_t)(p)->out_h;                                           \
            const int oy_ = (int)(row_ % (size_t)(p)->out_h);                                      \
            const int iy0_ = oy_ * (p)->stride_h - (p)->pad_h;                                     \
            const int fy0_ = iy0_ < 0 ? -iy0_ : 0;                                                 \
            const int fy1_ = (p)->in_h - iy0_ < (p)->filter_h ? (p)->in_h - iy0_ : (p)->filter_h;  \
            for (int ox_ = 0; ox_ < (p)->out_w; ++ox_) {                                           \
                const int ix0_ = ox_ * (p)->stride_w - (p)->pad_w;                                 \
                const int fx0_ = ix0_ < 0 ? -ix0_ : 0;                                             \
                const int fx1_ =                                                                   \
                    (p)->in_w - ix0_ < (p)->filter_w ? (p)->in_w - ix0_ : (p)->filter_w;           \
                for (int c = 0; c < (p)->channels; ++c) {                                          \
                    const size_t o =                                                               \
                        (row_ * (size_t)(p)->out_w + (size_t)ox_) * (size_t)(p)->channels +        \
                        (size_t)c;                                                                 \
                    INIT;                                                                          \
                    for (int fy_ = fy0_; fy_ < fy1_; ++fy_) {                                      \
                        for (int fx_ = fx0_; fx_ < fx1_; ++fx_) {                                  \
                            const size_t at = ((b_ * (size_t)(p)->in_h + (size_t)(iy0_ + fy_)) *   \
                                                   (size_t)(p)->in_w +                             \
                                               (size_t)(ix0_ + fx_)) *                             \
                                                  (size_t)(p)->channels +                          \
                                              (size_t)c;                                           \
                            BODY;                                                                  \
                        }                                                                          \
                    }                                                                              \
                    STORE;                                                                         \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/* TFLite sums in int32, which wraps for windows of millions of elements;
 * sum in int64 and wrap once for the same bits without undefined behavior. */
static inline int32_t wrap32(int64_t v)
{
    return (int32_t)(uint32_t)(uint64_t)v;
}

/* Integer average rounded half away from zero, then clamped. The window is
 * never empty: prepare's geometry keeps at least one pixel in every window. */
static inline int32_t avg_round(int64_t sum, int count, int32_t lo, int32_t hi)
{
    int64_t acc = wrap32(sum);
    int64_t half = count / 2;
    int64_t r = acc > 0 ? (acc + half) / count : (acc - half) / count;
    return r < lo ? lo : (r > hi ? hi : (int32_t)r);
}

void tfl_average_pool_2d_f32__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                                  size_t start, size_t end)
{
    const float *in = input; /* [batches, in_h, in_w, channels] */
    float *out = output;     /* [batches, out_h, out_w, channels] */
    /* The count is a float incremented per element, as TFLite's. */
    POOL_LOOP(p, start, end, float total = 0.0f;
              float count = 0.0f, (total += in[at], count += 1.0f),
              out[o] = tfl__clamp_f32(total / count, p->act_min_f, p->act_max_f));
}

void tfl_average_pool_2d_u8__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                                 size_t start, size_t end)
{
    const uint8_t *in = input; /* [batches, in_h, in_w, channels] */
    uint8_t *out = output;     /* [batches, out_h, out_w, channels] */
    POOL_LOOP(p, start, end, int64_t sum = 0;
              int count = 0, (sum += in[at], ++count),
              out[o] = (uint8_t)avg_round(sum, count, p->act_min, p->act_max));
}

void tfl_average_pool_2d_s8__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                                 size_t start, size_t end)
{
    const int8_t *in = input; /* [batches, in_h, in_w, channels] */
    int8_t *out = output;     /* [batches, out_h, out_w, channels] */
    POOL_LOOP(p, start, end, int64_t sum = 0;
              int count = 0, (sum += in[at], ++count),
              out[o] = (int8_t)avg_round(sum, count, p->act_min, p->act_max));
}

void tfl_average_pool_2d_s16__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                                  size_t start, size_t end)
{
    const int16_t *in = input; /* [batches, in_h, in_w, channels] */
    int16_t *out = output;     /* [batches, out_h, out_w, channels] */
    POOL_LOOP(p, start, end, int64_t sum = 0;
              int count = 0, (sum += in[at], ++count),
              out[o] = (int16_t)avg_round(sum, count, p->act_min, p->act_max));
}

void tfl_max_pool_2d_f32__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                              size_t start, size_t end)
{
    const float *in = input; /* [batches, in_h, in_w, channels] */
    float *out = output;     /* [batches, out_h, out_w, channels] */
    /* Starts at the lowest float and keeps the current maximum unless the
     * element compares greater, so NaN elements are skipped (std::max). */
    POOL_LOOP(p, start, end, float m = -FLT_MAX, m = m < in[at] ? in[at] : m,
              out[o] = tfl__clamp_f32(m, p->act_min_f, p->act_max_f));
}

/* Quantized max: start at the type's lowest value, then clamp to the fused
 * activation range in output units. */
#define QMAX_BODY(T, lowest)                                                                       \
    POOL_LOOP(p, start, end, int32_t m = (lowest), m = m < in[at] ? in[at] : m,                    \
              out[o] = (T)tfl__clamp_i32(m, p->act_min, p->act_max))

void tfl_max_pool_2d_u8__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                             size_t start, size_t end)
{
    const uint8_t *in = input; /* [batches, in_h, in_w, channels] */
    uint8_t *out = output;     /* [batches, out_h, out_w, channels] */
    QMAX_BODY(uint8_t, 0);
}

void tfl_max_pool_2d_s8__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                             size_t start, size_t end)
{
    const int8_t *in = input; /* [batches, in_h, in_w, channels] */
    int8_t *out = output;     /* [batches, out_h, out_w, channels] */
    QMAX_BODY(int8_t, INT8_MIN);
}

void tfl_max_pool_2d_s16__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                              size_t start, size_t end)
{
    const int16_t *in = input; /* [batches, in_h, in_w, channels] */
    int16_t *out = output;     /* [batches, out_h, out_w, channels] */
    QMAX_BODY(int16_t, INT16_MIN);
}
