/* RESIZE_BILINEAR int8 (TFLite's integer path) with AVX-512BW,
 * byte-identical to tfl_resize_bilinear_s8__ref: 16 channels at a time in
 * int32 lanes. The reference sums the four weighted neighbours in int64;
 * here in int32, which holds every such sum: a pixel is at most 128 in
 * magnitude, the weights of one axis (1/1024 units, extrapolating at the
 * border) at most 1536 each and 2048 together, so a sum stays below
 * 128 * 2048 * 2048 = 2^29. Then the same rounding (half away from zero,
 * 20 bits) and the same wrap to 8 bits. */
#include "ops/resize_bilinear/resize_bilinear.h"

#include "ops/kernel.h"

#if TFL__X86_SIMD
#include <immintrin.h>

#include "kernels/requant_avx512.h"

/* (v + (v > 0 ? 2^19 : -2^19)) / 2^20, truncating: round_20 of the reference. */
TFL_TARGET_AVX512 static inline __m512i round_20(__m512i v)
{
    const __mmask16 pos = _mm512_cmpgt_epi32_mask(v, _mm512_setzero_si512());
    const __m512i t = _mm512_mask_blend_epi32(pos, _mm512_set1_epi32(-(1 << 19)),
                                              _mm512_set1_epi32(1 << 19));
    const __m512i s = _mm512_add_epi32(v, t);
    const __m512i mag = _mm512_srli_epi32(_mm512_abs_epi32(s), 20);
    const __mmask16 neg = _mm512_cmplt_epi32_mask(s, _mm512_setzero_si512());
    return _mm512_mask_sub_epi32(mag, neg, _mm512_setzero_si512(), mag);
}

TFL_TARGET_AVX512 static inline __m512i load16(const int8_t *x, __mmask16 m)
{
    return _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, x));
}

TFL_TARGET_AVX512 void tfl_resize_bilinear_s8__avx512(const tfl_resize_bilinear_params *p,
                                                      const void *input, void *output,
                                                      size_t start, size_t end)
{
    const int8_t *in = input; /* [batches, in_h, in_w, channels] */
    const size_t ch = (size_t)p->channels;
    int8_t *o = (int8_t *)output + start * (size_t)p->out_w * ch; /* [.., out_w, channels] */
    const size_t total = (size_t)p->batches * (size_t)p->in_h * (size_t)p->in_w;
    for (size_t row = start; row < end; ++row) {
        const size_t b = row / (size_t)p->out_h;
        const int y = (int)(row % (size_t)p->out_h);
        const tfl_resize_coord_i cy = tfl_resize_map_i(y, p->scale10_h, p->half_pixel_centers, p->in_h);
        for (int x = 0; x < p->out_w; ++x, o += ch) {
            const tfl_resize_coord_i cx =
                tfl_resize_map_i(x, p->scale10_w, p->half_pixel_centers, p->in_w);
            const int8_t *p00 = in + tfl_resize_pixel_at(p, b, cy.lo, cx.lo, total) * ch;
            const int8_t *p10 = in + tfl_resize_pixel_at(p, b, cy.hi, cx.lo, total) * ch;
            const int8_t *p01 = in + tfl_resize_pixel_at(p, b, cy.lo, cx.hi, total) * ch;
            const int8_t *p11 = in + tfl_resize_pixel_at(p, b, cy.hi, cx.hi, total) * ch;
            const __m512i w00 = _mm512_set1_epi32(cy.w0 * cx.w0);
            const __m512i w10 = _mm512_set1_epi32(cy.w1 * cx.w0);
            const __m512i w01 = _mm512_set1_epi32(cy.w0 * cx.w1);
            const __m512i w11 = _mm512_set1_epi32(cy.w1 * cx.w1);
            for (size_t c = 0; c < ch; c += 16) {
                const __mmask16 m =
                    ch - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (ch - c)) - 1);
                /* The reference's order of the four products. */
                __m512i v = _mm512_mullo_epi32(load16(p00 + c, m), w00);
                v = _mm512_add_epi32(v, _mm512_mullo_epi32(load16(p10 + c, m), w10));
                v = _mm512_add_epi32(v, _mm512_mullo_epi32(load16(p01 + c, m), w01));
                v = _mm512_add_epi32(v, _mm512_mullo_epi32(load16(p11 + c, m), w11));
                /* (T) of the reference: the low byte. */
                _mm_mask_storeu_epi8(o + c, m, _mm512_cvtepi32_epi8(round_20(v)));
            }
        }
    }
}
#endif
