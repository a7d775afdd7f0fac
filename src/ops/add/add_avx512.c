/* ADD and SUB int8/uint8 (general scales) with AVX-512BW: the AVX2
 * records' arithmetic (add_avx2.c; requant_avx512.h is requant_avx2.h one
 * register wider) on 32 elements per step, two 16-lane halves, with masked
 * loads and stores for the tail instead of copies. Byte-identical to
 * tfl_add_s8__ref / _u8__ref and tfl_sub_s8__ref / _u8__ref. */
#include "ops/add/add.h"

#include "ops/kernel.h"

#if TFL__X86_SIMD
#include <immintrin.h>

#include "kernels/requant_avx2.h"
#include "kernels/requant_avx512.h"

#define TARGET TFL_TARGET_AVX512

typedef struct rescale16 {
    __m512i mult, left, right;
} rescale16;

TARGET static inline rescale16 rescale_of(int32_t mult, int shift)
{
    int32_t q[4];
    tfl__requant_pack(q, 1, 1, &mult, &(int32_t){shift}, NULL);
    return (rescale16){_mm512_set1_epi32(q[0]), _mm512_set1_epi32(q[1]), _mm512_set1_epi32(q[2])};
}

TARGET static inline __m512i apply(__m512i v, const rescale16 *r)
{
    return rdbypot16(srdhm16(_mm512_sllv_epi32(v, r->left), r->mult), r->right);
}

/* 16 bytes as int32 lanes. */
TARGET static inline __m512i widen(__m128i v, bool u8)
{
    return u8 ? _mm512_cvtepu8_epi32(v) : _mm512_cvtepi8_epi32(v);
}

TARGET static inline __attribute__((always_inline)) void add(const tfl_add_params *p, bool u8,
                                                             bool subtract, const uint8_t *a,
                                                             int as, const uint8_t *b, int bs,
                                                             uint8_t *o, size_t n)
{
    const rescale16 r1 = rescale_of(p->in1_mult, p->in1_shift);
    const rescale16 r2 = rescale_of(p->in2_mult, p->in2_shift);
    const rescale16 ro = rescale_of(p->out_mult, p->out_shift);
    const __m512i off1 = _mm512_set1_epi32(p->in1_offset), off2 = _mm512_set1_epi32(p->in2_offset);
    const __m512i left = _mm512_set1_epi32(p->left_shift);
    const __m512i out_off = _mm512_set1_epi32(p->out_offset);
    const __m512i lo = _mm512_set1_epi32(p->act_min), hi = _mm512_set1_epi32(p->act_max);
    /* A broadcast input (step 0) is one byte repeated. */
    const __m256i sa = as ? _mm256_setzero_si256() : _mm256_set1_epi8((char)a[0]);
    const __m256i sb = bs ? _mm256_setzero_si256() : _mm256_set1_epi8((char)b[0]);
    for (size_t i = 0; i < n; i += 32) {
        const size_t m = n - i < 32 ? n - i : 32;
        const __mmask32 k = m == 32 ? ~(__mmask32)0 : (((__mmask32)1 << m) - 1);
        const __m256i va = as ? _mm256_maskz_loadu_epi8(k, a + i) : sa;
        const __m256i vb = bs ? _mm256_maskz_loadu_epi8(k, b + i) : sb;
        __m512i res[2];
        for (int h = 0; h < 2; ++h) {
            const __m512i x =
                widen(h ? _mm256_extracti128_si256(va, 1) : _mm256_castsi256_si128(va), u8);
            const __m512i y =
                widen(h ? _mm256_extracti128_si256(vb, 1) : _mm256_castsi256_si128(vb), u8);
            const __m512i sx = _mm512_sllv_epi32(_mm512_add_epi32(x, off1), left);
            const __m512i sy = _mm512_sllv_epi32(_mm512_add_epi32(y, off2), left);
            const __m512i rx = apply(sx, &r1), ry = apply(sy, &r2);
            const __m512i raw = subtract ? _mm512_sub_epi32(rx, ry) : _mm512_add_epi32(rx, ry);
            const __m512i v = _mm512_add_epi32(apply(raw, &ro), out_off);
            res[h] = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
        }
        /* Clamped to the output type already: narrowing cannot saturate. */
        const __m256i bytes = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm512_cvtepi32_epi8(res[0])), _mm512_cvtepi32_epi8(res[1]), 1);
        _mm256_mask_storeu_epi8(o + i, k, bytes);
    }
}

#define ADD_SUB(NAME, U8, SUBTRACT)                                                                \
    TARGET void NAME(const void *p, const void *a, int as, const void *b, int bs, void *out,       \
                     size_t n)                                                                     \
    {                                                                                              \
        add(p, U8, SUBTRACT, a, as, b, bs, out, n);                                                \
    }
ADD_SUB(tfl_add_s8__avx512, false, false)
ADD_SUB(tfl_add_u8__avx512, true, false)
ADD_SUB(tfl_sub_s8__avx512, false, true)
ADD_SUB(tfl_sub_u8__avx512, true, true)
#include "kernels/binary_f32_avx512.h"

TFL_BINARY_F32_AVX512(tfl_add_f32__avx512, tfl_add_params, _mm512_add_ps)
TFL_BINARY_F32_AVX512(tfl_sub_f32__avx512, tfl_add_params, _mm512_sub_ps)
#endif
