/* RESIZE_BILINEAR float32 and uint8 (TFLite's float-weight path) with AVX2,
 * byte-identical to tfl_resize_bilinear_f32__ref / _u8__ref: 8 channels at
 * a time with the same float products and sums in the same order (the
 * build turns off contraction into fused multiply-adds, and this file's
 * target does not even offer them), the column coordinates of a row worked
 * out once. The last vector of a row overlaps the one before it; fewer
 * than 8 channels run the reference's scalar formula. */
#include "ops/resize_bilinear/resize_bilinear.h"

#include "ops/kernel.h"

#if TFL__X86_SIMD
#include <immintrin.h>
#include <math.h>

#define TARGET __attribute__((target("avx2")))

/* The reference's map_f: source position, neighbors and weight. */
typedef struct {
    float d;
    int32_t lo, hi;
} coord;

static coord map(int v, float scale, bool half, int32_t size)
{
    float src = half ? ((float)v + 0.5f) * scale - 0.5f : (float)v * scale;
    int32_t lo = (int32_t)floorf(src);
    int32_t hi = (int32_t)ceilf(src);
    coord c;
    c.lo = lo > 0 ? lo : 0;
    c.hi = hi < size - 1 ? hi : size - 1;
    c.d = src - (float)c.lo;
    if (c.lo > size - 1)
        c.lo = size - 1;
    return c;
}

TARGET static inline __m256 load8(const void *p, bool u8)
{
    if (u8)
        return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)));
    return _mm256_loadu_ps(p);
}

TARGET static inline __attribute__((always_inline)) void
bilinear(const tfl_resize_bilinear_params *p, bool u8, const void *input, void *output,
         size_t start, size_t end)
{
    const size_t ch = (size_t)p->channels, es = u8 ? 1 : 4;
    const size_t row_len = (size_t)p->in_w * ch;
    const uint8_t *in = input; /* [batches, in_h, in_w, channels], bytes */
    uint8_t *out = output;     /* [batches, out_h, out_w, channels], bytes */
    const float round = u8 ? 0.5f : 0.0f;
    const __m256 vround = _mm256_set1_ps(round);
    const __m256 zero = _mm256_setzero_ps(), top = _mm256_set1_ps(255.0f);
    for (size_t row = start; row < end; ++row) {
        const size_t b = row / (size_t)p->out_h;
        const int y = (int)(row % (size_t)p->out_h);
        const coord cy = map(y, p->scale_h, p->half_pixel_centers, p->in_h);
        const uint8_t *r0 = in + (b * (size_t)p->in_h + (size_t)cy.lo) * row_len * es;
        const uint8_t *r1 = in + (b * (size_t)p->in_h + (size_t)cy.hi) * row_len * es;
        uint8_t *o = out + row * (size_t)p->out_w * ch * es;
        const float wy0 = 1 - cy.d;
        const __m256 vwy0 = _mm256_set1_ps(wy0), vdy = _mm256_set1_ps(cy.d);
        for (int x = 0; x < p->out_w; ++x, o += ch * es) {
            const coord cx = map(x, p->scale_w, p->half_pixel_centers, p->in_w);
            const size_t a0 = (size_t)cx.lo * ch * es, a1 = (size_t)cx.hi * ch * es;
            const float wx0 = 1 - cx.d;
            const __m256 vwx0 = _mm256_set1_ps(wx0), vdx = _mm256_set1_ps(cx.d);
            size_t c = 0;
            for (; c < ch && ch >= 8; c += 8) {
                /* A tail of the last vector recomputes a few channels; they
                 * get the same values, so the overlap is harmless. */
                if (c + 8 > ch)
                    c = ch - 8;
                const size_t at = c * es;
                __m256 v = _mm256_mul_ps(_mm256_mul_ps(load8(r0 + a0 + at, u8), vwy0), vwx0);
                v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(load8(r1 + a0 + at, u8), vdy), vwx0));
                v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(load8(r0 + a1 + at, u8), vwy0), vdx));
                v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(load8(r1 + a1 + at, u8), vdy), vdx));
                v = _mm256_add_ps(v, vround);
                if (u8) {
                    /* v <= 0 -> 0, v >= 255 -> 255, else truncated. */
                    const __m256i q = _mm256_cvttps_epi32(_mm256_min_ps(_mm256_max_ps(v, zero), top));
                    const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(q),
                                                      _mm256_extracti128_si256(q, 1));
                    _mm_storel_epi64((__m128i *)(o + c), _mm_packus_epi16(w, w));
                } else {
                    _mm256_storeu_ps((float *)(void *)(o + at), v);
                }
            }
            for (; c < ch; ++c) {
                float v00, v10, v01, v11;
                if (u8) {
                    v00 = r0[a0 + c], v10 = r1[a0 + c], v01 = r0[a1 + c], v11 = r1[a1 + c];
                } else {
                    v00 = ((const float *)(const void *)(r0 + a0))[c];
                    v10 = ((const float *)(const void *)(r1 + a0))[c];
                    v01 = ((const float *)(const void *)(r0 + a1))[c];
                    v11 = ((const float *)(const void *)(r1 + a1))[c];
                }
                float v = v00 * wy0 * wx0 + v10 * cy.d * wx0 + v01 * wy0 * cx.d +
                          v11 * cy.d * cx.d + round;
                if (u8)
                    o[c] = (uint8_t)(v <= 0.0f ? 0 : (v >= 255.0f ? 255 : (int)v));
                else
                    ((float *)(void *)o)[c] = v;
            }
        }
    }
}

TARGET void tfl_resize_bilinear_f32__avx2(const tfl_resize_bilinear_params *p, const void *input,
                                          void *output, size_t start, size_t end)
{
    bilinear(p, false, input, output, start, end);
}

TARGET void tfl_resize_bilinear_u8__avx2(const tfl_resize_bilinear_params *p, const void *input,
                                         void *output, size_t start, size_t end)
{
    bilinear(p, true, input, output, start, end);
}
#endif
