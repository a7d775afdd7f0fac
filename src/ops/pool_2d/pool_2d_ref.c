/* Portable AVERAGE_POOL_2D / MAX_POOL_2D / L2_POOL_2D kernels, bit-exact
 * with TFLite's reference_ops and reference_integer_ops pooling (same window
 * clipping, summation order and rounding). */
#include "ops/pool_2d/pool_2d.h"

#include <float.h>
#include <math.h>

#include "kernels/quant.h"

/* Walks output rows [start, end) of (batch, out_y). For each output pixel,
 * the window is clipped to the image (padding is never counted), and the
 * channels go in chunks of POOL_CHUNK with one accumulator each: acc = INIT,
 * then ACC(acc, x) for each input element of the window in row-major order
 * (as TFLite, so every channel sums in the same order), then STORE(o, acc,
 * n) writes output element o, n being the window's element count. The
 * channel-innermost loops read the NHWC input contiguously and vectorize. */
#define POOL_CHUNK 64
#define POOL_LOOP(p, start, end, TACC, INIT, ACC, STORE)                                           \
    do {                                                                                           \
        const size_t ch_ = (size_t)(p)->channels;                                                  \
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
                const int n_ = (fy1_ - fy0_) * (fx1_ - fx0_);                                      \
                const size_t o0_ = (row_ * (size_t)(p)->out_w + (size_t)ox_) * ch_;                \
                for (size_t c0_ = 0; c0_ < ch_; c0_ += POOL_CHUNK) {                               \
                    const size_t nc_ = ch_ - c0_ < POOL_CHUNK ? ch_ - c0_ : POOL_CHUNK;            \
                    TACC acc_[POOL_CHUNK];                                                         \
                    for (size_t c = 0; c < nc_; ++c)                                               \
                        acc_[c] = (INIT);                                                          \
                    for (int fy_ = fy0_; fy_ < fy1_; ++fy_)                                        \
                        for (int fx_ = fx0_; fx_ < fx1_; ++fx_) {                                  \
                            const size_t base_ =                                                   \
                                ((b_ * (size_t)(p)->in_h + (size_t)(iy0_ + fy_)) *                 \
                                     (size_t)(p)->in_w +                                           \
                                 (size_t)(ix0_ + fx_)) *                                           \
                                    ch_ +                                                          \
                                c0_;                                                               \
                            for (size_t c = 0; c < nc_; ++c)                                       \
                                ACC(acc_[c], in[base_ + c]);                                       \
                        }                                                                          \
                    for (size_t c = 0; c < nc_; ++c)                                               \
                        STORE(o0_ + c0_ + c, acc_[c], n_);                                         \
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

/* Integer sums wrap in uint32 (TFLite's int32 sum, without undefined
 * behaviour); the average is then avg_round's. */
#define ACC_Q(a, x) ((a) += (uint32_t)(int32_t)(x))
#define STORE_Q(T) STORE_Q_##T
#define STORE_Q_uint8_t(o, a, n)                                                                   \
    (out[o] = (uint8_t)avg_round((int32_t)(a), (n), p->act_min, p->act_max))
#define STORE_Q_int8_t(o, a, n)                                                                    \
    (out[o] = (int8_t)avg_round((int32_t)(a), (n), p->act_min, p->act_max))
#define STORE_Q_int16_t(o, a, n)                                                                   \
    (out[o] = (int16_t)avg_round((int32_t)(a), (n), p->act_min, p->act_max))

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
    /* TFLite's count is a float incremented per element: the element
     * count, exactly (windows stay far below 2^24). */
#define ACC_F(a, x) ((a) += (x))
#define STORE_F(o, a, n) (out[o] = tfl__clamp_f32((a) / (float)(n), p->act_min_f, p->act_max_f))
    POOL_LOOP(p, start, end, float, 0.0f, ACC_F, STORE_F);
#undef ACC_F
#undef STORE_F
}

void tfl_average_pool_2d_u8__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                                 size_t start, size_t end)
{
    const uint8_t *in = input; /* [batches, in_h, in_w, channels] */
    uint8_t *out = output;     /* [batches, out_h, out_w, channels] */
    POOL_LOOP(p, start, end, uint32_t, 0u, ACC_Q, STORE_Q(uint8_t));
}

void tfl_average_pool_2d_s8__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                                 size_t start, size_t end)
{
    const int8_t *in = input; /* [batches, in_h, in_w, channels] */
    int8_t *out = output;     /* [batches, out_h, out_w, channels] */
    POOL_LOOP(p, start, end, uint32_t, 0u, ACC_Q, STORE_Q(int8_t));
}

void tfl_average_pool_2d_s16__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                                  size_t start, size_t end)
{
    const int16_t *in = input; /* [batches, in_h, in_w, channels] */
    int16_t *out = output;     /* [batches, out_h, out_w, channels] */
    POOL_LOOP(p, start, end, uint32_t, 0u, ACC_Q, STORE_Q(int16_t));
}

void tfl_max_pool_2d_f32__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                              size_t start, size_t end)
{
    const float *in = input; /* [batches, in_h, in_w, channels] */
    float *out = output;     /* [batches, out_h, out_w, channels] */
    /* Starts at the lowest float and keeps the current maximum unless the
     * element compares greater, so NaN elements are skipped (std::max). */
#define MAX_F(a, x) ((a) = (a) < (x) ? (x) : (a))
#define STORE_MAX_F(o, a, n) ((void)(n), out[o] = tfl__clamp_f32((a), p->act_min_f, p->act_max_f))
    POOL_LOOP(p, start, end, float, -FLT_MAX, MAX_F, STORE_MAX_F);
#undef MAX_F
#undef STORE_MAX_F
}

/* Quantized max: start at the type's lowest value, then clamp to the fused
 * activation range in output units. */
#define MAX_Q(a, x) ((a) = (a) < (x) ? (x) : (a))
#define STORE_MAX_Q(o, a, n) ((void)(n), out[o] = tfl__clamp_i32((a), p->act_min, p->act_max))
#define QMAX_BODY(T, lowest) POOL_LOOP(p, start, end, int32_t, (lowest), MAX_Q, STORE_MAX_Q)

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

void tfl_l2_pool_2d_f32__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                             size_t start, size_t end)
{
    const float *in = input; /* [batches, in_h, in_w, channels] */
    float *out = output;     /* [batches, out_h, out_w, channels] */
    const size_t ch = (size_t)p->channels;
    for (size_t row = start; row < end; ++row) {
        const size_t b = row / (size_t)p->out_h;
        const int iy0 = (int)(row % (size_t)p->out_h) * p->stride_h - p->pad_h;
        const int fy0 = iy0 < 0 ? -iy0 : 0;
        const int fy1 = p->in_h - iy0 < p->filter_h ? p->in_h - iy0 : p->filter_h;
        for (int ox = 0; ox < p->out_w; ++ox) {
            const int ix0 = ox * p->stride_w - p->pad_w;
            const int fx0 = ix0 < 0 ? -ix0 : 0;
            const int fx1 = p->in_w - ix0 < p->filter_w ? p->in_w - ix0 : p->filter_w;
            const int n = (fy1 - fy0) * (fx1 - fx0);
            float *o = out + (row * (size_t)p->out_w + (size_t)ox) * ch;
            for (size_t c = 0; c < ch; ++c) {
                float sum = 0.f;
                for (int fy = fy0; fy < fy1; ++fy)
                    for (int fx = fx0; fx < fx1; ++fx) {
                        const size_t at = ((b * (size_t)p->in_h + (size_t)(iy0 + fy)) *
                                               (size_t)p->in_w +
                                           (size_t)(ix0 + fx)) *
                                              ch +
                                          c;
                        sum += in[at] * in[at];
                    }
                float r = sqrtf(sum / (float)n);
                /* std::min(std::max(r, lo), hi): NaN passes through. */
                r = r < p->act_min_f ? p->act_min_f : r;
                o[c] = p->act_max_f < r ? p->act_max_f : r;
            }
        }
    }
}
