/* Portable RESIZE_BILINEAR kernels, bit-exact with TFLite's
 * reference_ops::ResizeBilinear (float32, uint8) and ResizeBilinearInteger
 * (int8, int16): same source coordinates, weights and rounding. */
#include "ops/resize_bilinear/resize_bilinear.h"

#include <math.h>

#include "kernels/quant.h"

/* One output coordinate on the float path: the source position `src` and
 * the two neighbors lo <= hi (clamped to the image). */
typedef struct {
    float d;        /* src - lo: weight of hi */
    int32_t lo, hi; /* neighbors to read */
} coord_f;

static coord_f map_f(int v, float scale, bool half, int32_t size)
{
    float src = half ? ((float)v + 0.5f) * scale - 0.5f : (float)v * scale;
    int32_t lo = (int32_t)floorf(src);
    int32_t hi = (int32_t)ceilf(src);
    coord_f c;
    c.lo = lo > 0 ? lo : 0;
    c.hi = hi < size - 1 ? hi : size - 1;
    c.d = src - (float)c.lo;
    if (c.lo > size - 1) /* never for valid sizes; keeps reads in bounds */
        c.lo = size - 1;
    return c;
}

/* Float-path interpolation, summed in TFLite's order; ROUND is 0.5 for
 * integer outputs (then truncated) and 0 for float. */
#define BILINEAR_F(T, p, input, output, start, end, ROUND, STORE)                                  \
    do {                                                                                           \
        const T *in_ = (input);                                                                    \
        T *out_ = (output);                                                                        \
        const size_t row_len_ = (size_t)(p)->in_w * (size_t)(p)->channels;                         \
        for (size_t row_ = (start); row_ < (end); ++row_) {                                        \
            const size_t b_ = row_ / (size_t)(p)->out_h;                                           \
            const int y_ = (int)(row_ % (size_t)(p)->out_h);                                       \
            const coord_f cy_ = map_f(y_, (p)->scale_h, (p)->half_pixel_centers, (p)->in_h);       \
            const T *r0_ = in_ + (b_ * (size_t)(p)->in_h + (size_t)cy_.lo) * row_len_;             \
            const T *r1_ = in_ + (b_ * (size_t)(p)->in_h + (size_t)cy_.hi) * row_len_;             \
            T *o_ = out_ + row_ * (size_t)(p)->out_w * (size_t)(p)->channels;                      \
            for (int x_ = 0; x_ < (p)->out_w; ++x_) {                                              \
                const coord_f cx_ = map_f(x_, (p)->scale_w, (p)->half_pixel_centers, (p)->in_w);   \
                const size_t a0_ = (size_t)cx_.lo * (size_t)(p)->channels;                         \
                const size_t a1_ = (size_t)cx_.hi * (size_t)(p)->channels;                         \
                const float wy0_ = 1 - cy_.d, wx0_ = 1 - cx_.d;                                    \
                for (int c_ = 0; c_ < (p)->channels; ++c_) {                                       \
                    float v = (float)r0_[a0_ + (size_t)c_] * wy0_ * wx0_ +                         \
                              (float)r1_[a0_ + (size_t)c_] * cy_.d * wx0_ +                        \
                              (float)r0_[a1_ + (size_t)c_] * wy0_ * cx_.d +                        \
                              (float)r1_[a1_ + (size_t)c_] * cy_.d * cx_.d + (ROUND);              \
                    STORE;                                                                         \
                    ++o_;                                                                          \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    } while (0)

void tfl_resize_bilinear_f32__ref(const tfl_resize_bilinear_params *p, const void *input,
                                  void *output, size_t start, size_t end)
{
    /* input [batches, in_h, in_w, channels], output [batches, out_h, out_w, channels] */
    BILINEAR_F(float, p, input, output, start, end, 0.0f, *o_ = v);
}

void tfl_resize_bilinear_u8__ref(const tfl_resize_bilinear_params *p, const void *input,
                                 void *output, size_t start, size_t end)
{
    /* input [batches, in_h, in_w, channels], output [batches, out_h, out_w, channels].
     * v is within [0, 255.5] for valid weights; the clamp only guards the
     * float-to-integer conversion. */
    BILINEAR_F(uint8_t, p, input, output, start, end, 0.5f,
               *o_ = (uint8_t)(v <= 0.0f ? 0 : (v >= 255.0f ? 255 : (int)v)));
}

static inline int64_t round_20(int64_t v)
{
#if TFL_SINGLE_ROUNDING
    return (v + (1 << 19)) >> 20;
#else
    return (v + (v > 0 ? (1 << 19) : -(1 << 19))) / (1 << 20);
#endif
}

#define BILINEAR_I(T, p, input, output, start, end)                                                \
    do {                                                                                           \
        const T *in_ = (input);                                                                    \
        T *o_ = (T *)(output) + (start) * (size_t)(p)->out_w * (size_t)(p)->channels;              \
        const size_t ch_ = (size_t)(p)->channels;                                                  \
        const size_t total_ = (size_t)(p)->batches * (size_t)(p)->in_h * (size_t)(p)->in_w;        \
        for (size_t row_ = (start); row_ < (end); ++row_) {                                        \
            const size_t b_ = row_ / (size_t)(p)->out_h;                                           \
            const int y_ = (int)(row_ % (size_t)(p)->out_h);                                       \
            const tfl_resize_coord_i cy_ = tfl_resize_map_i(y_, (p)->scale10_h, (p)->half_pixel_centers, (p)->in_h);     \
            for (int x_ = 0; x_ < (p)->out_w; ++x_) {                                              \
                const tfl_resize_coord_i cx_ = tfl_resize_map_i(x_, (p)->scale10_w, (p)->half_pixel_centers, (p)->in_w); \
                const T *p00_ = in_ + tfl_resize_pixel_at(p, b_, cy_.lo, cx_.lo, total_) * ch_;               \
                const T *p10_ = in_ + tfl_resize_pixel_at(p, b_, cy_.hi, cx_.lo, total_) * ch_;               \
                const T *p01_ = in_ + tfl_resize_pixel_at(p, b_, cy_.lo, cx_.hi, total_) * ch_;               \
                const T *p11_ = in_ + tfl_resize_pixel_at(p, b_, cy_.hi, cx_.hi, total_) * ch_;               \
                for (size_t c_ = 0; c_ < ch_; ++c_) {                                              \
                    int64_t v = (int64_t)p00_[c_] * cy_.w0 * cx_.w0 +                              \
                                (int64_t)p10_[c_] * cy_.w1 * cx_.w0 +                              \
                                (int64_t)p01_[c_] * cy_.w0 * cx_.w1 +                              \
                                (int64_t)p11_[c_] * cy_.w1 * cx_.w1;                               \
                    *o_++ = (T)round_20(v);                                                        \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    } while (0)

void tfl_resize_bilinear_s8__ref(const tfl_resize_bilinear_params *p, const void *input,
                                 void *output, size_t start, size_t end)
{
    /* input [batches, in_h, in_w, channels], output [batches, out_h, out_w, channels] */
    BILINEAR_I(int8_t, p, input, output, start, end);
}

void tfl_resize_bilinear_s16__ref(const tfl_resize_bilinear_params *p, const void *input,
                                  void *output, size_t start, size_t end)
{
    /* input [batches, in_h, in_w, channels], output [batches, out_h, out_w, channels] */
    BILINEAR_I(int16_t, p, input, output, start, end);
}
