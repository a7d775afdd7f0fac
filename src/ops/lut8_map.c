/* See lut8_map.h. */
#include "ops/lut8_map.h"

#include "core/cpu.h"
#include "ops/kernel.h"

void tfl__lut8_map__ref(const uint8_t table[256], const uint8_t *in, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        out[i] = table[in[i]];
}

#if TFL__X86_SIMD
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512vbmi")))
#define VBMI_FEATURES                                                                              \
    (TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL | TFL__CPU_AVX512VBMI)

TARGET void tfl__lut8_map__vbmi(const uint8_t table[256], const uint8_t *in, uint8_t *out,
                                size_t n)
{
    const __m512i t0 = _mm512_loadu_si512(table), t1 = _mm512_loadu_si512(table + 64);
    const __m512i t2 = _mm512_loadu_si512(table + 128), t3 = _mm512_loadu_si512(table + 192);
    for (size_t i = 0; i < n; i += 64) {
        const __mmask64 m = n - i >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << (n - i)) - 1);
        const __m512i x = _mm512_maskz_loadu_epi8(m, in + i);
        /* The low 7 bits index 128 entries; the top bit picks the half. */
        const __m512i lo = _mm512_permutex2var_epi8(t0, x, t1);
        const __m512i hi = _mm512_permutex2var_epi8(t2, x, t3);
        const __m512i y = _mm512_mask_blend_epi8(_mm512_movepi8_mask(x), lo, hi);
        _mm512_mask_storeu_epi8(out + i, m, y);
    }
}
#else
void tfl__lut8_map__vbmi(const uint8_t table[256], const uint8_t *in, uint8_t *out, size_t n)
{
    tfl__lut8_map__ref(table, in, out, n); /* never picked off x86 */
}
#endif

tfl__lut8_map_fn tfl__lut8_map_pick(const tfl__ctx *ctx)
{
#if TFL__X86_SIMD
    const tfl__kernel vbmi = {"tfl__lut8_map__vbmi", 0, TFL__ISA_AVX512, VBMI_FEATURES, NULL, NULL,
                              NULL, NULL, (tfl__kernel_fn)tfl__lut8_map__vbmi, 0};
    if (tfl__kernel_runnable(&vbmi, ctx->cpu_features, ctx->isa_cap))
        return tfl__lut8_map__vbmi;
#else
    (void)ctx;
#endif
    return tfl__lut8_map__ref;
}
