/* TFLite's fixed-point requantization (kernels/quant.h, double rounding) on
 * 8 int32 lanes with AVX2, bit for bit. Included by the AVX2 kernel files
 * only; every function carries the AVX2 target attribute, so callers build
 * with portable flags. Per-channel parameters come as four int32 arrays of
 * n entries each, q = [mult | left shift | right shift | bias], as the
 * kernels pack them (see tfl__requant_pack). */
#ifndef TFL_KERNELS_REQUANT_AVX2_H
#define TFL_KERNELS_REQUANT_AVX2_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#define TFL_TARGET_AVX2 __attribute__((target("avx2,fma")))

/* Fills q[4 * n] from per-channel multipliers and exponents (shift > 0 is a
 * left shift) and an optional bias, for channels [0, count); the padding
 * channels up to n get zeros. */
static inline void tfl__requant_pack(int32_t *q, size_t n, size_t count, const int32_t *mult,
                                     const int32_t *shift, const int32_t *bias)
{
    for (size_t c = 0; c < n; ++c) {
        int in_range = c < count;
        int sh = in_range ? (int)shift[c] : 0;
        int right = sh > 0 ? 0 : -sh;
        /* A right shift past 31 rounds every value to 0, as a zero
         * multiplier does. */
        q[c] = in_range && right <= 31 ? mult[c] : 0;
        q[n + c] = (sh > 0 ? sh : 0) & 31; /* x86 TFLite takes the count mod 32 */
        q[2 * n + c] = right <= 31 ? right : 0;
        q[3 * n + c] = in_range && bias ? bias[c] : 0;
    }
}

/* srdhm on 8 lanes: trunc((a*b + nudge) / 2^31), nudge = ±2^30 toward the
 * product's sign. Worked on magnitudes (unsigned 32x32->64 products), so
 * only logical 64-bit shifts are needed; b is a multiplier in [0, 2^31), so
 * INT32_MIN * INT32_MIN, the one saturating case, cannot occur. */
TFL_TARGET_AVX2 static inline __m256i srdhm8(__m256i a, __m256i b)
{
    const __m256i neg = _mm256_srai_epi32(_mm256_xor_si256(a, b), 31);
    const __m256i ua = _mm256_abs_epi32(a), ub = _mm256_abs_epi32(b);
    __m256i neg_even = _mm256_and_si256(neg, _mm256_set1_epi64x(1));
    __m256i neg_odd = _mm256_and_si256(_mm256_srli_epi64(neg, 32), _mm256_set1_epi64x(1));
    __m256i pe = _mm256_mul_epu32(ua, ub);
    __m256i po = _mm256_mul_epu32(_mm256_srli_epi64(ua, 32), _mm256_srli_epi64(ub, 32));
    const __m256i half = _mm256_set1_epi64x((int64_t)1 << 30);
    pe = _mm256_srli_epi64(_mm256_sub_epi64(_mm256_add_epi64(pe, half), neg_even), 31);
    po = _mm256_srli_epi64(_mm256_sub_epi64(_mm256_add_epi64(po, half), neg_odd), 31);
    __m256i mag = _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
    return _mm256_sub_epi32(_mm256_xor_si256(mag, neg), neg);
}

/* rdbypot on 8 lanes with per-lane exponents in [0, 31]. */
TFL_TARGET_AVX2 static inline __m256i rdbypot8(__m256i x, __m256i e)
{
    const __m256i one = _mm256_set1_epi32(1);
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, e), one);
    const __m256i rem = _mm256_and_si256(x, mask);
    const __m256i thr = _mm256_sub_epi32(_mm256_srai_epi32(mask, 1), _mm256_srai_epi32(x, 31));
    const __m256i up = _mm256_cmpgt_epi32(rem, thr);
    return _mm256_sub_epi32(_mm256_srav_epi32(x, e), up);
}

/* acc + bias -> int8 with TFLite's requantization and activation clamp. */
TFL_TARGET_AVX2 static inline __m256i requant8(__m256i acc, const int32_t *q, size_t n, size_t c,
                                      __m256i out_off, __m256i lo, __m256i hi)
{
    const __m256i mult = _mm256_loadu_si256((const __m256i *)(q + c));
    const __m256i left = _mm256_loadu_si256((const __m256i *)(q + n + c));
    const __m256i right = _mm256_loadu_si256((const __m256i *)(q + 2 * n + c));
    const __m256i bias = _mm256_loadu_si256((const __m256i *)(q + 3 * n + c));
    __m256i v = _mm256_add_epi32(acc, bias);
    v = _mm256_sllv_epi32(v, left);
    v = rdbypot8(srdhm8(v, mult), right);
    v = _mm256_add_epi32(v, out_off);
    return _mm256_min_epi32(_mm256_max_epi32(v, lo), hi);
}

#endif
