/* FULLY_CONNECTED float32 with AVX-512F: the filter packed per block of 16
 * output units as [depth][16] (one aligned load per input element and
 * block), four blocks (64 units) per work item so that a batch of one
 * still splits over the threads; fused multiply-adds in the reference's
 * order over the depth, then bias and the fused activation. As the float
 * convolution records, results can differ from the reference in the last
 * bits; the walker compares them exactly on integer-valued data. */
#include "ops/fully_connected/fully_connected.h"

#if TFL__X86_SIMD
#include <immintrin.h>

#include "kernels/requant_avx512.h"

#define BLOCK 16
#define GROUP 4 /* blocks per work item */

static size_t blocks(const tfl_fully_connected_params *p)
{
    return ((size_t)p->out_depth + BLOCK - 1) / BLOCK;
}

size_t tfl_fully_connected_f32_avx512_groups(const tfl_fully_connected_params *p)
{
    return (blocks(p) + GROUP - 1) / GROUP;
}

size_t tfl_fully_connected_f32_avx512_packed_bytes(const tfl_fully_connected_params *p)
{
    return blocks(p) * (size_t)p->accum_depth * BLOCK * sizeof(float);
}

void tfl_fully_connected_f32_avx512_pack(const tfl_fully_connected_params *p, const void *filter,
                                         void *packed)
{
    const float *w = filter; /* [out_depth, accum_depth] */
    float *pw = packed;      /* [block][depth][16], units past out_depth zero */
    const size_t depth = (size_t)p->accum_depth;
    for (size_t blk = 0; blk < blocks(p); ++blk)
        for (size_t d = 0; d < depth; ++d)
            for (size_t e = 0; e < BLOCK; ++e) {
                const size_t u = blk * BLOCK + e;
                *pw++ = u < (size_t)p->out_depth ? w[u * depth + d] : 0.0f;
            }
}

TFL_TARGET_AVX512 void tfl_fully_connected_f32__avx512(const tfl_fully_connected_params *p,
                                                       const void *input, const void *packed,
                                                       const void *bias, void *output, size_t start,
                                                       size_t end)
{
    const float *in = input;  /* [batches, accum_depth] */
    const float *pw = packed; /* see tfl_fully_connected_f32_avx512_pack */
    const float *bs = bias;   /* [out_depth] or NULL */
    float *out = output;      /* [batches, out_depth] */
    const size_t depth = (size_t)p->accum_depth, units = (size_t)p->out_depth;
    const size_t nb = blocks(p), groups = p->groups;
    const __m512 lo = _mm512_set1_ps(p->act_min_f), hi = _mm512_set1_ps(p->act_max_f);
    for (size_t item = start; item < end; ++item) {
        const size_t b = item / groups, b0 = item % groups * GROUP;
        const size_t nblk = nb - b0 < GROUP ? nb - b0 : GROUP;
        const float *x = in + b * depth;
        const float *w = pw + b0 * depth * BLOCK;
        __m512 acc[GROUP] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                             _mm512_setzero_ps()};
        if (nblk == GROUP) {
            for (size_t d = 0; d < depth; ++d) {
                const __m512 v = _mm512_set1_ps(x[d]);
                for (int j = 0; j < GROUP; ++j)
                    acc[j] = _mm512_fmadd_ps(v, _mm512_load_ps(w + ((size_t)j * depth + d) * BLOCK),
                                             acc[j]);
            }
        } else {
            for (size_t d = 0; d < depth; ++d) {
                const __m512 v = _mm512_set1_ps(x[d]);
                for (size_t j = 0; j < nblk; ++j)
                    acc[j] =
                        _mm512_fmadd_ps(v, _mm512_load_ps(w + (j * depth + d) * BLOCK), acc[j]);
            }
        }
        for (size_t j = 0; j < nblk; ++j) {
            const size_t u = (b0 + j) * BLOCK;
            const __mmask16 m =
                units - u >= BLOCK ? (__mmask16)0xFFFF : (__mmask16)((1u << (units - u)) - 1);
            const __m512 bv = bs ? _mm512_maskz_loadu_ps(m, bs + u) : _mm512_setzero_ps();
            /* max/min return their second operand for a NaN, as tfl__clamp_f32. */
            const __m512 r = _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc[j], bv)));
            _mm512_mask_storeu_ps(out + b * units + u, m, r);
        }
    }
}
#endif
