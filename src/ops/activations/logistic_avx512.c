/* LOGISTIC and TANH float32 with AVX-512F: sixteen lanes, the reference's
 * formulas (and LOGISTIC's cutoffs) with a vector exp in place of libm's.
 * Not byte-identical to tfl_logistic_f32__ref / tfl_tanh_f32__ref: within
 * the few ulp that test_kernel_walker.c measures over edge values and a
 * dense sweep, and states (docs/ops.md). NaN stays NaN, +-0, infinities and
 * subnormal inputs give the reference's values.
 *
 * exp(x): n = round(x / ln 2), r = x - n ln 2 in two parts (Cody-Waite), a
 * degree-6 polynomial for e^r on [-ln2/2, ln2/2] (Cephes' expf
 * coefficients), then scalef(p, n) = p * 2^n, which gives infinity past the
 * top, and subnormals and 0 below, without a special case. */
#include "ops/activations/activations.h"

#if TFL__X86_SIMD
#include <immintrin.h>
#include <stdint.h>

#include "kernels/requant_avx512.h"

#define TARGET TFL_TARGET_AVX512

TARGET static inline __m512 exp16(__m512 x)
{
    const __m512 log2e = _mm512_set1_ps(1.44269504088896341f);
    const __m512 ln2_hi = _mm512_set1_ps(0.693359375f), ln2_lo = _mm512_set1_ps(-2.12194440e-4f);
    /* Past +-104 every float exp is inf or 0: clamping keeps r finite for
     * infinite x (inf - inf would be NaN) and changes no result. */
    const __m512 xc = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-104.0f)),
                                    _mm512_set1_ps(104.0f));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(xc, log2e),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, ln2_hi, xc);
    r = _mm512_fnmadd_ps(n, ln2_lo, r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r);
    p = _mm512_add_ps(p, _mm512_set1_ps(1.0f));
    /* max/min return their second operand for a NaN x, which makes the
     * clamp give a bound: put the NaN back. */
    const __mmask16 nan = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
    return _mm512_mask_mov_ps(_mm512_scalef_ps(p, n), nan, x);
}

TARGET void tfl_logistic_f32__avx512(const void *params, const void *in, void *out,
                                     size_t start, size_t end)
{
    const float *x = in; /* [n] */
    float *o = out;      /* [n] */
    (void)params;
    const __m512 upper = _mm512_set1_ps(16.619047164916992188f), lower = _mm512_set1_ps(-9.0f);
    const __m512 one = _mm512_set1_ps(1.0f);
    for (size_t i = start; i < end; i += 16) {
        const __mmask16 m =
            end - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (end - i)) - 1);
        const __m512 v = _mm512_maskz_loadu_ps(m, x + i);
        /* The reference: v > upper -> 1; v < lower -> exp(v); else
         * 1 / (1 + exp(-v)) (NaN there too). */
        const __mmask16 hi = _mm512_cmp_ps_mask(v, upper, _CMP_GT_OQ);
        const __mmask16 lo = _mm512_cmp_ps_mask(v, lower, _CMP_LT_OQ);
        const __m512 e = exp16(_mm512_mask_sub_ps(v, (__mmask16)~lo, _mm512_setzero_ps(), v));
        __m512 r = _mm512_div_ps(one, _mm512_add_ps(one, e));
        r = _mm512_mask_mov_ps(r, lo, e);
        r = _mm512_mask_mov_ps(r, hi, one);
        _mm512_mask_storeu_ps(o + i, m, r);
    }
}

TARGET void tfl_tanh_f32__avx512(const void *params, const void *in, void *out, size_t start,
                                 size_t end)
{
    const float *x = in; /* [n] */
    float *o = out;      /* [n] */
    (void)params;
    const __m512 one = _mm512_set1_ps(1.0f), two = _mm512_set1_ps(2.0f);
    const __m512i sign_bit = _mm512_set1_epi32(INT32_MIN);
    for (size_t i = start; i < end; i += 16) {
        const __mmask16 m =
            end - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (end - i)) - 1);
        const __m512 v = _mm512_maskz_loadu_ps(m, x + i);
        const __m512i vi = _mm512_castps_si512(v);
        const __m512 a = _mm512_castsi512_ps(_mm512_andnot_si512(sign_bit, vi)); /* |v| */
        /* |v| >= 0.625: 1 - 2 / (exp(2|v|) + 1), the sign put back (exp
         * overflows to inf past 44: 1 exactly, as tanhf). */
        __m512 big = _mm512_sub_ps(one, _mm512_div_ps(two, _mm512_add_ps(exp16(_mm512_add_ps(a, a)), one)));
        big = _mm512_castsi512_ps(
            _mm512_or_si512(_mm512_castps_si512(big), _mm512_and_si512(vi, sign_bit)));
        /* |v| < 0.625: Cephes' odd polynomial, v + v z P(z) with z = v^2. */
        const __m512 z = _mm512_mul_ps(v, v);
        __m512 p = _mm512_set1_ps(-5.70498872745e-3f);
        p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(2.06390887954e-2f));
        p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(-5.37397155531e-2f));
        p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(1.33314422036e-1f));
        p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(-3.33332819422e-1f));
        const __m512 small = _mm512_fmadd_ps(_mm512_mul_ps(p, z), v, v);
        const __mmask16 is_small = _mm512_cmp_ps_mask(a, _mm512_set1_ps(0.625f), _CMP_LT_OQ);
        /* Below 2^-12 tanh(v) rounds to v (and v keeps the sign of a zero). */
        const __mmask16 tiny = _mm512_cmp_ps_mask(a, _mm512_set1_ps(0x1p-12f), _CMP_LT_OQ);
        __m512 r = _mm512_mask_mov_ps(big, is_small, small);
        r = _mm512_mask_mov_ps(r, tiny, v);
        _mm512_mask_storeu_ps(o + i, m, r);
    }
}
#endif
