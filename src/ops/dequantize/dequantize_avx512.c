/* DEQUANTIZE float16 -> float32 with AVX-512F: vcvtph2ps, sixteen halves
 * per step and a masked tail. The conversion is exact, as the reference's
 * bit manipulation, so the results are the same bytes; a signalling NaN
 * comes out quiet where the reference keeps its bits. Runs mostly once per
 * model, when the interpreter folds the DEQUANTIZE of constant weights
 * (runtime/fold.h), where it is most of a float16 model's load. */
#include "ops/dequantize/dequantize.h"

#if TFL__X86_SIMD
#include <immintrin.h>

#include "kernels/requant_avx512.h"

TFL_TARGET_AVX512 void tfl_dequantize_f16__avx512(const void *params, const void *in, void *out,
                                                  size_t start, size_t end)
{
    const uint16_t *x = in; /* [n] IEEE half */
    float *o = out;         /* [n] */
    (void)params;
    for (size_t i = start; i < end; i += 16) {
        const __mmask16 m =
            end - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (end - i)) - 1);
        const __m256i h = _mm256_maskz_loadu_epi16(m, x + i);
        _mm512_mask_storeu_ps(o + i, m, _mm512_cvtph_ps(h));
    }
}
#endif
