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

/* The same requantization with its per-channel constants worked out once
 * for 16 channels (rq16_load) and applied to many pixels (rq16_apply),
 * in 64-bit lanes with a single rounding step that equals the reference's
 * two. With P = v * mult (v after bias and left shift) and e the right
 * shift, srdhm is t = floor((P + 2^30) / 2^31) (see srdhm16) and rdbypot
 * is floor((t + k) / 2^e) with k = 2^(e-1) - [t < 0] for e > 0, k = 0 for
 * e = 0. Since floor(floor(x / a) / b) = floor(x / ab) and t + k =
 * floor((P + 2^30 + k 2^31) / 2^31), the result is
 *   floor((P + 2^30 + [e > 0] 2^(30+e) - [e > 0][P < -2^30] 2^31) / 2^(31+e)),
 * where t < 0 exactly when P < -2^30. |P| <= 2^62, so nothing overflows. */
typedef struct tfl__rq16 {
    __m512i bias, left, mult_even, mult_odd;
    __m512i add_even, add_odd;   /* 2^30 + [e > 0] 2^(30+e) */
    __m512i neg_even, neg_odd;   /* [e > 0] 2^31, taken off when P < -2^30 */
    __m512i shift_even, shift_odd; /* 31 + e */
    int any_left;                /* some channel shifts left (most models: none) */
} tfl__rq16;

TFL_TARGET_AVX512 static inline tfl__rq16 tfl__rq16_load(const int32_t *q, size_t n, size_t c)
{
    tfl__rq16 r;
    const __m512i mult = _mm512_loadu_si512(q + c);
    const __m512i e = _mm512_loadu_si512(q + 2 * n + c);
    r.left = _mm512_loadu_si512(q + n + c);
    r.any_left = _mm512_test_epi32_mask(r.left, r.left) != 0;
    r.bias = _mm512_loadu_si512(q + 3 * n + c);
    r.mult_even = mult;
    r.mult_odd = _mm512_srli_epi64(mult, 32);
    const __m512i e_even = _mm512_and_si512(e, _mm512_set1_epi64(0xFFFFFFFF));
    const __m512i e_odd = _mm512_srli_epi64(e, 32);
    const __m512i half = _mm512_set1_epi64((int64_t)1 << 30);
    const __m512i top = _mm512_set1_epi64((int64_t)1 << 31);
    const __m512i zero = _mm512_setzero_si512();
    const __mmask8 pos_even = _mm512_cmpgt_epi64_mask(e_even, zero);
    const __mmask8 pos_odd = _mm512_cmpgt_epi64_mask(e_odd, zero);
    r.add_even = _mm512_mask_add_epi64(half, pos_even, half, _mm512_sllv_epi64(half, e_even));
    r.add_odd = _mm512_mask_add_epi64(half, pos_odd, half, _mm512_sllv_epi64(half, e_odd));
    r.neg_even = _mm512_maskz_mov_epi64(pos_even, top);
    r.neg_odd = _mm512_maskz_mov_epi64(pos_odd, top);
    const __m512i s31 = _mm512_set1_epi64(31);
    r.shift_even = _mm512_add_epi64(e_even, s31);
    r.shift_odd = _mm512_add_epi64(e_odd, s31);
    return r;
}

/* floor((P + add - [P < -2^30] neg) / 2^shift) of one parity's 64-bit lanes. */
TFL_TARGET_AVX512 static inline __m512i tfl__rq16_half(__m512i v, __m512i mult, __m512i add,
                                                      __m512i neg, __m512i shift)
{
    const __m512i prod = _mm512_mul_epi32(v, mult);
    const __mmask8 below = _mm512_cmplt_epi64_mask(prod, _mm512_set1_epi64(-((int64_t)1 << 30)));
    const __m512i sum = _mm512_mask_sub_epi64(_mm512_add_epi64(prod, add), below,
                                              _mm512_add_epi64(prod, add), neg);
    return _mm512_srav_epi64(sum, shift);
}

/* The shifts and 64-bit multiplies of AVX-512 issue on one port (p0 on
 * Intel), which the kernels around this also need for their multiply-adds:
 * moving the odd lanes down and the results back up is done with vpshufd,
 * a shuffle on the other port, and the left shift is skipped when no
 * channel of the 16 has one. */
TFL_TARGET_AVX512 static inline __m512i tfl__rq16_apply(const tfl__rq16 *r, __m512i acc,
                                                       __m512i out_off, __m512i lo, __m512i hi)
{
    __m512i v = _mm512_add_epi32(acc, r->bias);
    if (r->any_left)
        v = _mm512_sllv_epi32(v, r->left);
    const __m512i even =
        tfl__rq16_half(v, r->mult_even, r->add_even, r->neg_even, r->shift_even);
    /* vpmuldq reads the low dword of each qword: the odd lanes, moved
     * there (what sits in the high dwords is ignored). */
    const __m512i odd = tfl__rq16_half(_mm512_shuffle_epi32(v, (_MM_PERM_ENUM)0xF5), r->mult_odd,
                                       r->add_odd, r->neg_odd, r->shift_odd);
    /* Each result fits in its qword's low dword: copied up for the odd. */
    const __m512i res = _mm512_mask_blend_epi32(
        0xAAAA, even, _mm512_shuffle_epi32(odd, (_MM_PERM_ENUM)0xA0));
    const __m512i o = _mm512_add_epi32(res, out_off);
    return _mm512_min_epi32(_mm512_max_epi32(o, lo), hi);
}

#endif
