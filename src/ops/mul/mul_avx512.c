/* MUL int8/uint8 with AVX-512BW, byte-identical to tfl_mul_s8__ref /
 * _u8__ref: 32 elements per step as two 16-lane halves, each input plus its
 * offset in int32 (at most 255 in magnitude, so the product fits), the
 * product rescaled with TFLite's double rounding (requant_avx512.h, the
 * same arithmetic as kernels/quant.h), offset and clamped. An input with
 * step 0 (broadcast scalar) is splat once; tails use masked loads and
 * stores. */
#include "ops/mul/mul.h"

#if TFL__X86_SIMD
#include <immintrin.h>

#include "kernels/requant_avx2.h"
#include "kernels/requant_avx512.h"

#define TARGET TFL_TARGET_AVX512

bool tfl_mul_q8_avx512_supports(const tfl_mul_params *p)
{
    /* Shifts one int32 lane can take (requant_avx2.h's packing). */
    return p->out_shift >= -31 && p->out_shift <= 31;
}

TARGET static inline __m512i widen(__m128i v, bool u8)
{
    return u8 ? _mm512_cvtepu8_epi32(v) : _mm512_cvtepi8_epi32(v);
}

TARGET static inline __attribute__((always_inline)) void
mul(const tfl_mul_params *p, bool u8, const uint8_t *a, int as, const uint8_t *b, int bs,
    uint8_t *o, size_t n)
{
    int32_t q[4];
    tfl__requant_pack(q, 1, 1, &p->out_mult, &(int32_t){p->out_shift}, NULL);
    const __m512i mult = _mm512_set1_epi32(q[0]), left = _mm512_set1_epi32(q[1]);
    const __m512i right = _mm512_set1_epi32(q[2]);
    const __m512i off1 = _mm512_set1_epi32(p->in1_offset), off2 = _mm512_set1_epi32(p->in2_offset);
    const __m512i out_off = _mm512_set1_epi32(p->out_offset);
    const __m512i lo = _mm512_set1_epi32(p->act_min), hi = _mm512_set1_epi32(p->act_max);
    const __m256i sa = as ? _mm256_setzero_si256() : _mm256_set1_epi8((char)a[0]);
    const __m256i sb = bs ? _mm256_setzero_si256() : _mm256_set1_epi8((char)b[0]);
    for (size_t i = 0; i < n; i += 32) {
        const size_t m = n - i < 32 ? n - i : 32;
        const __mmask32 k = m == 32 ? ~(__mmask32)0 : (((__mmask32)1 << m) - 1);
        const __m256i va = as ? _mm256_maskz_loadu_epi8(k, a + i) : sa;
        const __m256i vb = bs ? _mm256_maskz_loadu_epi8(k, b + i) : sb;
        __m128i res[2];
        for (int h = 0; h < 2; ++h) {
            const __m512i x = _mm512_add_epi32(
                widen(h ? _mm256_extracti128_si256(va, 1) : _mm256_castsi256_si128(va), u8), off1);
            const __m512i y = _mm512_add_epi32(
                widen(h ? _mm256_extracti128_si256(vb, 1) : _mm256_castsi256_si128(vb), u8), off2);
            const __m512i prod = _mm512_sllv_epi32(_mm512_mullo_epi32(x, y), left);
            const __m512i v = _mm512_add_epi32(rdbypot16(srdhm16(prod, mult), right), out_off);
            /* Clamped to the output type's range: narrowing cannot saturate. */
            res[h] = _mm512_cvtepi32_epi8(_mm512_min_epi32(_mm512_max_epi32(v, lo), hi));
        }
        _mm256_mask_storeu_epi8(o + i, k,
                                _mm256_inserti128_si256(_mm256_castsi128_si256(res[0]), res[1], 1));
    }
}

TARGET void tfl_mul_s8__avx512(const void *p, const void *a, int as, const void *b, int bs,
                               void *out, size_t n)
{
    mul(p, false, a, as, b, bs, out, n);
}

TARGET void tfl_mul_u8__avx512(const void *p, const void *a, int as, const void *b, int bs,
                               void *out, size_t n)
{
    mul(p, true, a, as, b, bs, out, n);
}
#include "kernels/binary_f32_avx512.h"

TFL_BINARY_F32_AVX512(tfl_mul_f32__avx512, tfl_mul_params, _mm512_mul_ps)
#endif
