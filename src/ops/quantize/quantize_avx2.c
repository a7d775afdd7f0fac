/* QUANTIZE with AVX2: requantization between int8 and uint8 (the shared
 * fixed-point arithmetic of requant_avx2.h, bit for bit), and float32 ->
 * int8/uint8 per tensor, byte-identical to tfl_quantize_f32_s8__ref / _u8__ref: the same float division, roundf's
 * half-away-from-zero rounding rebuilt exactly from truncation (the
 * fraction x - trunc(x) is exact in float), and vcvttps2dq, which turns
 * NaN and out-of-range values into INT32_MIN as TFLite's x86 build does;
 * then the zero point with int32 wrap-around and saturation. */
#include "ops/quantize/quantize.h"

#include "ops/kernel.h"

#if TFL__X86_SIMD
#include <immintrin.h>
#include <string.h>

#include "kernels/requant_avx2.h"

#define TARGET TFL_TARGET_AVX2

/* 8 floats -> 8 saturated int32 lanes in [lo, hi]. */
TARGET static inline __m256i quantize8(__m256 x, __m256 scale, __m256i zp, __m256i lo, __m256i hi)
{
    const __m256 y = _mm256_div_ps(x, scale);
    const __m256 t = _mm256_round_ps(y, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256 sign = _mm256_and_ps(y, _mm256_set1_ps(-0.0f));
    const __m256 frac = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), _mm256_sub_ps(y, t));
    const __m256 up = _mm256_cmp_ps(frac, _mm256_set1_ps(0.5f), _CMP_GE_OQ);
    const __m256 r = _mm256_add_ps(t, _mm256_and_ps(up, _mm256_or_ps(sign, _mm256_set1_ps(1.0f))));
    const __m256i q = _mm256_add_epi32(_mm256_cvttps_epi32(r), zp);
    return _mm256_min_epi32(_mm256_max_epi32(q, lo), hi);
}

TARGET static inline __attribute__((always_inline)) void
quantize(const tfl_quantize_params *p, bool u8, const float *x, uint8_t *o, size_t start,
         size_t end)
{
    const __m256 scale = _mm256_set1_ps(p->scale);
    const __m256i zp = _mm256_set1_epi32(p->zero_point);
    const __m256i lo = _mm256_set1_epi32(u8 ? 0 : -128), hi = _mm256_set1_epi32(u8 ? 255 : 127);
    size_t i = start;
    for (; i < end; i += 16) {
        float tmp[16];
        const size_t n = end - i < 16 ? end - i : 16;
        const float *src = x + i;
        if (n < 16) {
            memset(tmp, 0, sizeof tmp);
            memcpy(tmp, src, n * sizeof *tmp);
            src = tmp;
        }
        const __m256i a = quantize8(_mm256_loadu_ps(src), scale, zp, lo, hi);
        const __m256i b = quantize8(_mm256_loadu_ps(src + 8), scale, zp, lo, hi);
        /* Lanes fit the output type, so the saturating packs only reorder. */
        const __m256i w = _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xD8);
        const __m128i lo16 = _mm256_castsi256_si128(w), hi16 = _mm256_extracti128_si256(w, 1);
        const __m128i bytes = u8 ? _mm_packus_epi16(lo16, hi16) : _mm_packs_epi16(lo16, hi16);
        if (n == 16) {
            _mm_storeu_si128((__m128i *)(o + i), bytes);
        } else {
            uint8_t out[16];
            _mm_storeu_si128((__m128i *)out, bytes);
            memcpy(o + i, out, n);
        }
    }
}

/* The last n < 16 elements of a stream through a 16-byte buffer. */
TARGET static inline void store16(uint8_t *o, __m128i bytes, size_t n)
{
    if (n == 16) {
        _mm_storeu_si128((__m128i *)o, bytes);
    } else {
        uint8_t tmp[16];
        _mm_storeu_si128((__m128i *)tmp, bytes);
        memcpy(o, tmp, n);
    }
}

/* (x - in_zp) * mult * 2^shift + out_zp, saturated: tfl_quantize_<in>_<out>__ref. */
TARGET static inline __attribute__((always_inline)) void
requantize(const tfl_quantize_params *p, bool in_u8, bool out_u8, const uint8_t *x, uint8_t *o,
           size_t start, size_t end)
{
    int32_t q[4];
    tfl__requant_pack(q, 1, 1, &p->mult, &(int32_t){p->shift}, NULL);
    const __m256i mult = _mm256_set1_epi32(q[0]), left = _mm256_set1_epi32(q[1]);
    const __m256i right = _mm256_set1_epi32(q[2]);
    const __m256i in_zp = _mm256_set1_epi32(p->in_zp), out_zp = _mm256_set1_epi32(p->out_zp);
    const __m256i lo = _mm256_set1_epi32(out_u8 ? 0 : -128);
    const __m256i hi = _mm256_set1_epi32(out_u8 ? 255 : 127);
    for (size_t i = start; i < end; i += 16) {
        const size_t n = end - i < 16 ? end - i : 16;
        uint8_t tmp[16] = {0};
        const uint8_t *src = x + i;
        if (n < 16) {
            memcpy(tmp, src, n);
            src = tmp;
        }
        const __m128i raw = _mm_loadu_si128((const __m128i *)src);
        __m256i v[2];
        for (int h = 0; h < 2; ++h) {
            const __m128i part = h ? _mm_srli_si128(raw, 8) : raw;
            __m256i a = in_u8 ? _mm256_cvtepu8_epi32(part) : _mm256_cvtepi8_epi32(part);
            a = _mm256_sllv_epi32(_mm256_sub_epi32(a, in_zp), left);
            a = _mm256_add_epi32(rdbypot8(srdhm8(a, mult), right), out_zp);
            v[h] = _mm256_min_epi32(_mm256_max_epi32(a, lo), hi);
        }
        const __m256i w = _mm256_permute4x64_epi64(_mm256_packs_epi32(v[0], v[1]), 0xD8);
        const __m128i lo16 = _mm256_castsi256_si128(w), hi16 = _mm256_extracti128_si256(w, 1);
        store16(o + i, out_u8 ? _mm_packus_epi16(lo16, hi16) : _mm_packs_epi16(lo16, hi16), n);
    }
}

#define REQUANTIZE(NAME, IN_U8, OUT_U8)                                                            \
    TARGET void NAME(const void *p, const void *in, void *out, size_t start, size_t end)           \
    {                                                                                              \
        requantize(p, IN_U8, OUT_U8, in, out, start, end);                                         \
    }
REQUANTIZE(tfl_quantize_u8_u8__avx2, true, true)
REQUANTIZE(tfl_quantize_u8_s8__avx2, true, false)
REQUANTIZE(tfl_quantize_s8_u8__avx2, false, true)
REQUANTIZE(tfl_quantize_s8_s8__avx2, false, false)

TARGET void tfl_quantize_f32_s8__avx2(const void *p, const void *in, void *out, size_t start,
                                      size_t end)
{
    quantize(p, false, in, out, start, end);
}

TARGET void tfl_quantize_f32_u8__avx2(const void *p, const void *in, void *out, size_t start,
                                      size_t end)
{
    quantize(p, true, in, out, start, end);
}
#endif
