/* ARG_MAX / ARG_MIN int8/uint8 along the innermost axis (at most 64 long)
 * with AVX-512BW, identical to tfl_arg_min_max_u8__ref / _s8__ref: the
 * extreme of the row by a vector reduction, then the first lane equal to
 * it, which is the reference's first index on ties. Rows are read with
 * masked loads whose missing lanes hold a value that cannot win. Other
 * shapes (known only at eval when the axis is dynamic) go to the
 * reference. */
#include "ops/arg_min_max/arg_min_max.h"

#include "ops/kernel.h"

#if TFL__X86_SIMD
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,avx512f,avx512bw")))

/* Max or min of 64 unsigned bytes (signed inputs arrive flipped by 0x80). */
TARGET static inline uint8_t reduce(__m512i v, bool is_max)
{
#define STEP(shuffled) v = is_max ? _mm512_max_epu8(v, shuffled) : _mm512_min_epu8(v, shuffled)
    STEP(_mm512_shuffle_i64x2(v, v, 0x4E));
    STEP(_mm512_shuffle_i64x2(v, v, 0xB1));
    STEP(_mm512_bsrli_epi128(v, 8));
    STEP(_mm512_bsrli_epi128(v, 4));
    STEP(_mm512_bsrli_epi128(v, 2));
    STEP(_mm512_bsrli_epi128(v, 1));
#undef STEP
    return (uint8_t)_mm_cvtsi128_si32(_mm512_castsi512_si128(v));
}

TARGET static inline __attribute__((always_inline)) void
arg(const tfl_arg_min_max_params *p, bool u8, const uint8_t *in, void *output, size_t start,
    size_t end)
{
    const size_t n = p->axis_size;
    const __mmask64 valid = n == 64 ? ~(__mmask64)0 : (((__mmask64)1 << n) - 1);
    /* Compared unsigned: int8 is flipped by 0x80, which keeps the order. */
    const __m512i flip = _mm512_set1_epi8(u8 ? 0 : (char)0x80);
    const __m512i loser = _mm512_set1_epi8(p->is_max ? 0 : (char)0xFF); /* after the flip */
    for (size_t o = start; o < end; ++o) {
        __m512i v = _mm512_maskz_loadu_epi8(valid, in + o * n);
        v = _mm512_mask_blend_epi8(valid, loser, _mm512_xor_si512(v, flip));
        const uint8_t best = reduce(v, p->is_max);
        const __mmask64 hit = _mm512_cmpeq_epu8_mask(v, _mm512_set1_epi8((char)best)) & valid;
        const size_t at = (size_t)__builtin_ctzll(hit); /* never 0: best is a lane */
        if (p->out64)
            ((int64_t *)output)[o] = (int64_t)at;
        else
            ((int32_t *)output)[o] = (int32_t)at;
    }
}

TARGET void tfl_arg_min_max_u8__avx512(const tfl_arg_min_max_params *p, const void *input,
                                       void *output, size_t start, size_t end)
{
    if (p->inner != 1 || p->axis_size > 64)
        tfl_arg_min_max_u8__ref(p, input, output, start, end);
    else
        arg(p, true, input, output, start, end);
}

TARGET void tfl_arg_min_max_s8__avx512(const tfl_arg_min_max_params *p, const void *input,
                                       void *output, size_t start, size_t end)
{
    if (p->inner != 1 || p->axis_size > 64)
        tfl_arg_min_max_s8__ref(p, input, output, start, end);
    else
        arg(p, false, input, output, start, end);
}
#endif
