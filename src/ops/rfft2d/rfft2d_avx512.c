/* RFFT2D with AVX-512F: the reference's slice loop (tfl__rfft2d_run) with
 * butterfly stages of half-length 8 and more done eight lanes at a time.
 * Each lane does the reference's multiplies, adds and subtracts in the same
 * order (the build never fuses them), so the results are byte-identical;
 * the first three stages stay scalar. */
#include "ops/rfft2d/rfft2d.h"

#if TFL__X86_SIMD
#include <immintrin.h>

#include "kernels/requant_avx512.h"

TFL_TARGET_AVX512 static void fft_avx512(double *re, double *im, size_t n, const double *tw_re,
                                         const double *tw_im)
{
    for (size_t h = 1; h < n; h <<= 1) {
        const double *wr = tw_re + h - 1, *wi = tw_im + h - 1;
        for (size_t i = 0; i < n; i += 2 * h) {
            double *ar = re + i, *ai = im + i, *br = re + i + h, *bi = im + i + h;
            size_t k = 0;
            for (; h >= 8 && k < h; k += 8) {
                const __m512d xr = _mm512_loadu_pd(br + k), xi = _mm512_loadu_pd(bi + k);
                const __m512d cr = _mm512_loadu_pd(wr + k), ci = _mm512_loadu_pd(wi + k);
                const __m512d vr = _mm512_sub_pd(_mm512_mul_pd(xr, cr), _mm512_mul_pd(xi, ci));
                const __m512d vi = _mm512_add_pd(_mm512_mul_pd(xr, ci), _mm512_mul_pd(xi, cr));
                const __m512d ur = _mm512_loadu_pd(ar + k), ui = _mm512_loadu_pd(ai + k);
                _mm512_storeu_pd(ar + k, _mm512_add_pd(ur, vr));
                _mm512_storeu_pd(ai + k, _mm512_add_pd(ui, vi));
                _mm512_storeu_pd(br + k, _mm512_sub_pd(ur, vr));
                _mm512_storeu_pd(bi + k, _mm512_sub_pd(ui, vi));
            }
            for (; k < h; ++k) {
                const double vr = br[k] * wr[k] - bi[k] * wi[k];
                const double vi = br[k] * wi[k] + bi[k] * wr[k];
                const double ur = ar[k], ui = ai[k];
                ar[k] = ur + vr;
                ai[k] = ui + vi;
                br[k] = ur - vr;
                bi[k] = ui - vi;
            }
        }
    }
}

void tfl_rfft2d_f32__avx512(const tfl_rfft2d_params *p, const float *in, float *out,
                            double *work, size_t start, size_t end)
{
    tfl__rfft2d_run(p, in, out, work, start, end, fft_avx512);
}
#endif
