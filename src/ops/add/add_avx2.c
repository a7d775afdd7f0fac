/* ADD and SUB int8/uint8 (general scales) with AVX2, byte-identical to
 * tfl_add_s8__ref / _u8__ref and tfl_sub_s8__ref / _u8__ref: 16 elements at a time through the shared
 * per-lane fixed-point arithmetic (requant_avx2.h): each input's
 * (q + offset) << left_shift rescaled with its multiplier, the sum rescaled
 * (or difference) to the output, offset and clamped. An input with step 0 (broadcast
 * scalar) is splat once. */
#include "ops/add/add.h"

#include "ops/kernel.h"

#if TFL__X86_SIMD
#include <immintrin.h>
#include <string.h>

#include "kernels/requant_avx2.h"

#define TARGET TFL_TARGET_AVX2

bool tfl_add_q8_avx2_supports(const tfl_add_params *p)
{
    /* The input rescales are right shifts (MultiplyByQuantizedMultiplier-
     * SmallerThanOneExp); every shift within what one int32 lane can take. */
    return p->in1_shift <= 0 && p->in1_shift >= -31 && p->in2_shift <= 0 &&
           p->in2_shift >= -31 && p->out_shift >= -31 && p->out_shift <= 31 &&
           p->left_shift >= 0 && p->left_shift <= 31;
}

typedef struct rescale8 {
    __m256i mult, left, right;
} rescale8;

static inline rescale8 TARGET rescale_of(int32_t mult, int shift)
{
    int32_t q[4];
    tfl__requant_pack(q, 1, 1, &mult, &(int32_t){shift}, NULL);
    return (rescale8){_mm256_set1_epi32(q[0]), _mm256_set1_epi32(q[1]), _mm256_set1_epi32(q[2])};
}

TARGET static inline __m256i apply(__m256i v, const rescale8 *r)
{
    return rdbypot8(srdhm8(_mm256_sllv_epi32(v, r->left), r->mult), r->right);
}

/* 8 bytes as int32 lanes. */
TARGET static inline __m256i widen(__m128i v, bool u8)
{
    return u8 ? _mm256_cvtepu8_epi32(v) : _mm256_cvtepi8_epi32(v);
}

TARGET static inline __attribute__((always_inline)) void
add(const tfl_add_params *p, bool u8, bool subtract, const uint8_t *a, int as, const uint8_t *b, int bs,
    uint8_t *o, size_t n)
{
    const rescale8 r1 = rescale_of(p->in1_mult, p->in1_shift);
    const rescale8 r2 = rescale_of(p->in2_mult, p->in2_shift);
    const rescale8 ro = rescale_of(p->out_mult, p->out_shift);
    const __m256i off1 = _mm256_set1_epi32(p->in1_offset), off2 = _mm256_set1_epi32(p->in2_offset);
    const __m256i left = _mm256_set1_epi32(p->left_shift);
    const __m256i out_off = _mm256_set1_epi32(p->out_offset);
    const __m256i lo = _mm256_set1_epi32(p->act_min), hi = _mm256_set1_epi32(p->act_max);
    for (size_t i = 0; i < n; i += 16) {
        const size_t m = n - i < 16 ? n - i : 16;
        uint8_t ta[16] = {0}, tb[16] = {0};
        const uint8_t *pa = a, *pb = b;
        if (as == 0) {
            memset(ta, a[0], sizeof ta);
            pa = ta;
        } else if (m < 16) {
            memcpy(ta, a + i, m);
            pa = ta;
        } else {
            pa = a + i;
        }
        if (bs == 0) {
            memset(tb, b[0], sizeof tb);
            pb = tb;
        } else if (m < 16) {
            memcpy(tb, b + i, m);
            pb = tb;
        } else {
            pb = b + i;
        }
        const __m128i va = _mm_loadu_si128((const __m128i *)pa);
        const __m128i vb = _mm_loadu_si128((const __m128i *)pb);
        __m256i res[2];
        for (int h = 0; h < 2; ++h) {
            const __m256i x = widen(h ? _mm_srli_si128(va, 8) : va, u8);
            const __m256i y = widen(h ? _mm_srli_si128(vb, 8) : vb, u8);
            const __m256i sx = _mm256_sllv_epi32(_mm256_add_epi32(x, off1), left);
            const __m256i sy = _mm256_sllv_epi32(_mm256_add_epi32(y, off2), left);
            const __m256i rx = apply(sx, &r1), ry = apply(sy, &r2);
            const __m256i raw = subtract ? _mm256_sub_epi32(rx, ry) : _mm256_add_epi32(rx, ry);
            const __m256i v = _mm256_add_epi32(apply(raw, &ro), out_off);
            res[h] = _mm256_min_epi32(_mm256_max_epi32(v, lo), hi);
        }
        const __m256i w = _mm256_permute4x64_epi64(_mm256_packs_epi32(res[0], res[1]), 0xD8);
        const __m128i l16 = _mm256_castsi256_si128(w), h16 = _mm256_extracti128_si256(w, 1);
        const __m128i bytes = u8 ? _mm_packus_epi16(l16, h16) : _mm_packs_epi16(l16, h16);
        if (m == 16) {
            _mm_storeu_si128((__m128i *)(o + i), bytes);
        } else {
            uint8_t t[16];
            _mm_storeu_si128((__m128i *)t, bytes);
            memcpy(o + i, t, m);
        }
    }
}

#define ADD_SUB(NAME, U8, SUBTRACT)                                                                \
    TARGET void NAME(const void *p, const void *a, int as, const void *b, int bs, void *out,       \
                     size_t n)                                                                     \
    {                                                                                              \
        add(p, U8, SUBTRACT, a, as, b, bs, out, n);                                                \
    }
ADD_SUB(tfl_add_s8__avx2, false, false)
ADD_SUB(tfl_add_u8__avx2, true, false)
ADD_SUB(tfl_sub_s8__avx2, false, true)
ADD_SUB(tfl_sub_u8__avx2, true, true)
#endif
