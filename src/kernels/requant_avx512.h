/* TFLite's fixed-point requantization (kernels/quant.h, double rounding) on
 * 16 int32 lanes with AVX-512F, bit for bit: the same arithmetic as
 * requant_avx2.h, one register wider. Per-channel parameters come as
 * q = [mult | left shift | right shift | bias], n entries each (see
 * tfl__requant_pack in requant_avx2.h). */
#ifndef TFL_KERNELS_REQUANT_AVX512_H
#define TFL_KERNELS_REQUANT_AVX512_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#define TFL_TARGET_AVX512 __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl")))

/* srdhm on 16 lanes. With b >= 0 (a multiplier in [0, 2^31)), gemmlowp's
 * (a*b + nudge) / 2^31, truncated, with nudge = 2^30 or 1 - 2^30 by the
 * product's sign, equals floor((a*b + 2^30) / 2^31) for either sign: for a
 * negative product the truncation's +(2^31 - 1) and the nudge add up to
 * 2^30. The 64-bit sums fit, and so does the result, in 32 bits, which are
 * bits 31..62 of the sum: shifted down for the even lanes, up by one for
 * the odd lanes (whose high half the blend keeps). */
TFL_TARGET_AVX512 static inline __m512i srdhm16(__m512i a, __m512i b)
{
    const __m512i half = _mm512_set1_epi64((int64_t)1 << 30);
    const __m512i pe = _mm512_add_epi64(_mm512_mul_epi32(a, b), half);
    const __m512i po = _mm512_add_epi64(
        _mm512_mul_epi32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(b, 32)), half);
    return _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(pe, 31), _mm512_slli_epi64(po, 1));
}

/* rdbypot on 16 lanes with per-lane exponents in [0, 31]. */
TFL_TARGET_AVX512 static inline __m512i rdbypot16(__m512i x, __m512i e)
{
    const __m512i one = _mm512_set1_epi32(1);
    const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, e), one);
    const __m512i rem = _mm512_and_si512(x, mask);
    const __m512i thr = _mm512_sub_epi32(_mm512_srai_epi32(mask, 1), _mm512_srai_epi32(x, 31));
    const __mmask16 up = _mm512_cmpgt_epi32_mask(rem, thr);
    const __m512i shifted = _mm512_srav_epi32(x, e);
    return _mm512_mask_add_epi32(shifted, up, shifted, one);
}

/* acc + bias -> the output type with TFLite's requantization and the
 * activation clamp (lo/hi already in the output type's range). */
TFL_TARGET_AVX512 static inline __m512i requant16(__m512i acc, const int32_t *q, size_t n, size_t c,
                                                 __m512i out_off, __m512i lo, __m512i hi)
{
    const __m512i mult = _mm512_loadu_si512(q + c);
    const __m512i left = _mm512_loadu_si512(q + n + c);
    const __m512i right = _mm512_loadu_si512(q + 2 * n + c);
    const __m512i bias = _mm512_loadu_si512(q + 3 * n + c);
    __m512i v = _mm512_add_epi32(acc, bias);
    v = _mm512_sllv_epi32(v, left);
    v = rdbypot16(srdhm16(v, mult), right);
    v = _mm512_add_epi32(v, out_off);
    return _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
}

#endif
