/* See lut8_map.h. */
#include "ops/lut8_map.h"

#include "core/cpu.h"
#include "ops/kernel.h"

void tfl__lut8_map__ref(const uint8_t table[256], const uint8_t *in, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        out[i] = table[in[i]];
}

void tfl__lut8_map_periodic__ref(const uint8_t *tables, unsigned period, unsigned phase,
                                 const uint8_t *in, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        out[i] = tables[(size_t)phase * 256 + in[i]];
        if (++phase == period)
            phase = 0;
    }
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
/* 256-entry lookup of 64 bytes in the table held by t[0..3]. */
TARGET static inline __m512i lookup64(const __m512i *t, __m512i x)
{
    const __m512i lo = _mm512_permutex2var_epi8(t[0], x, t[1]);
    const __m512i hi = _mm512_permutex2var_epi8(t[2], x, t[3]);
    return _mm512_mask_blend_epi8(_mm512_movepi8_mask(x), lo, hi);
}

TARGET static inline __attribute__((always_inline)) void
periodic(const uint8_t *tables, const unsigned period, unsigned phase, const uint8_t *in,
         uint8_t *out, size_t n)
{
    __m512i t[TFL__LUT8_PERIODIC_MAX][4];
    for (unsigned p = 0; p < period; ++p)
        for (int q = 0; q < 4; ++q)
            t[p][q] = _mm512_loadu_si512(tables + (size_t)p * 256 + (size_t)q * 64);
    /* masks[s][p]: the lanes of a vector starting at phase s that are in
     * phase p. */
    __mmask64 masks[TFL__LUT8_PERIODIC_MAX][TFL__LUT8_PERIODIC_MAX];
    for (unsigned s = 0; s < period; ++s)
        for (unsigned p = 0; p < period; ++p) {
            uint64_t m = 0;
            for (unsigned l = 0; l < 64; ++l)
                if ((s + l) % period == p)
                    m |= (uint64_t)1 << l;
            masks[s][p] = (__mmask64)m;
        }
    const unsigned step = 64 % period;
    for (size_t i = 0; i < n; i += 64) {
        const __mmask64 m = n - i >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << (n - i)) - 1);
        const __m512i x = _mm512_maskz_loadu_epi8(m, in + i);
        __m512i y = lookup64(t[0], x);
        for (unsigned p = 1; p < period; ++p) /* phase-0 lanes keep table 0's */
            y = _mm512_mask_mov_epi8(y, masks[phase][p], lookup64(t[p], x));
        _mm512_mask_storeu_epi8(out + i, m, y);
        phase += step;
        if (phase >= period)
            phase -= period;
    }
}

TARGET void tfl__lut8_map_periodic__vbmi(const uint8_t *tables, unsigned period, unsigned phase,
                                         const uint8_t *in, uint8_t *out, size_t n)
{
    switch (period) { /* a constant period each, so the tables stay in registers */
    case 2: periodic(tables, 2, phase, in, out, n); break;
    case 3: periodic(tables, 3, phase, in, out, n); break;
    case 4: periodic(tables, 4, phase, in, out, n); break;
    default: tfl__lut8_map_periodic__ref(tables, period, phase, in, out, n); break;
    }
}
#else
void tfl__lut8_map__vbmi(const uint8_t table[256], const uint8_t *in, uint8_t *out, size_t n)
{
    tfl__lut8_map__ref(table, in, out, n); /* never picked off x86 */
}

void tfl__lut8_map_periodic__vbmi(const uint8_t *tables, unsigned period, unsigned phase,
                                  const uint8_t *in, uint8_t *out, size_t n)
{
    tfl__lut8_map_periodic__ref(tables, period, phase, in, out, n); /* never picked off x86 */
}
#endif

static bool vbmi_runnable(const tfl__ctx *ctx)
{
#if TFL__X86_SIMD
    const tfl__kernel vbmi = {"tfl__lut8_map__vbmi", 0, TFL__ISA_AVX512, VBMI_FEATURES, NULL, NULL,
                              NULL, NULL, (tfl__kernel_fn)tfl__lut8_map__vbmi, 0};
    return tfl__kernel_runnable(&vbmi, ctx->cpu_features, ctx->isa_cap);
#else
    (void)ctx;
    return false;
#endif
}

tfl__lut8_map_periodic_fn tfl__lut8_map_periodic_pick(const tfl__ctx *ctx)
{
    return vbmi_runnable(ctx) ? tfl__lut8_map_periodic__vbmi : tfl__lut8_map_periodic__ref;
}

tfl__lut8_map_fn tfl__lut8_map_pick(const tfl__ctx *ctx)
{
    return vbmi_runnable(ctx) ? tfl__lut8_map__vbmi : tfl__lut8_map__ref;
}
