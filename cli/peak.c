/* `tfl bench --peak`: what one core of this CPU multiply-accumulates per
 * second at best, measured, so that a model's GMAC/s can be read as a share
 * of it. Twelve independent accumulator chains (more than FMA latency x
 * issue width on any x86 core) of the widest float32 FMA and int8 dot
 * product the CPU has, each run for about 50 ms after a warm-up that lets
 * the clock settle. This counts what the core sustains, turbo included,
 * which is what a kernel competes against; a nominal clock times a
 * datasheet width is what it is not. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "peak.h"
#include "tfl.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

enum { CHAINS = 12 };

/* Twelve named accumulators (an array would live on the stack), each
 * updated by OP(acc) once per iteration. */
#define CHAIN12(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
#define DECL(i) VEC a##i = INIT(i);
#define STEP(i) a##i = OP(a##i);
#define SUM(i) total = ADD(total, a##i);

/* Each returns the MACs it did; `sink` keeps the chains alive. */
#define VEC __m512
#define INIT(i) _mm512_set1_ps((float)(i))
#define OP(a) _mm512_fmadd_ps(a, m, c)
#define ADD _mm512_add_ps
__attribute__((target("avx512f"))) static double fma_avx512(long iters, float *sink)
{
    const __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
    CHAIN12(DECL)
    for (long k = 0; k < iters; ++k) {
        CHAIN12(STEP)
    }
    VEC total = _mm512_setzero_ps();
    CHAIN12(SUM)
    *sink += _mm512_reduce_add_ps(total);
    return (double)iters * CHAINS * 16;
}
#undef VEC
#undef INIT
#undef OP
#undef ADD

#define VEC __m256
#define INIT(i) _mm256_set1_ps((float)(i))
#define OP(a) _mm256_fmadd_ps(a, m, c)
#define ADD _mm256_add_ps
__attribute__((target("avx2,fma"))) static double fma_avx2(long iters, float *sink)
{
    const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
    CHAIN12(DECL)
    for (long k = 0; k < iters; ++k) {
        CHAIN12(STEP)
    }
    VEC total = _mm256_setzero_ps();
    CHAIN12(SUM)
    float out[8];
    _mm256_storeu_ps(out, total);
    *sink += out[0];
    return (double)iters * CHAINS * 8;
}
#undef VEC
#undef INIT
#undef OP
#undef ADD

#define VEC __m512i
#define INIT(i) _mm512_set1_epi32(i)
#define OP(a) _mm512_dpbusd_epi32(a, x, y)
#define ADD _mm512_add_epi32
__attribute__((target("avx512f,avx512vnni"))) static double dot_vnni(long iters, float *sink)
{
    const __m512i x = _mm512_set1_epi8(3), y = _mm512_set1_epi8(-2);
    CHAIN12(DECL)
    for (long k = 0; k < iters; ++k) {
        CHAIN12(STEP)
    }
    VEC total = _mm512_setzero_si512();
    CHAIN12(SUM)
    *sink += (float)_mm512_reduce_add_epi32(total);
    return (double)iters * CHAINS * 64;
}
#undef VEC
#undef INIT
#undef OP
#undef ADD

/* AVX2 int8: vpmaddubsw (32 u8*s8 products into 16 pairs), vpmaddwd by
 * ones and an add: the sequence int8 GEMMs without VNNI use. */
#define VEC __m256i
#define INIT(i) _mm256_set1_epi32(i)
/* The empty asm makes x new for every chain, so that the product is not
 * computed once and shared by all twelve. */
#define OP(a)                                                                                   \
    _mm256_add_epi32(a, _mm256_madd_epi16(_mm256_maddubs_epi16(x, y), ones));                   \
    __asm__ volatile("" : "+x"(x))
#define ADD _mm256_add_epi32
__attribute__((target("avx2"))) static double dot_avx2(long iters, float *sink)
{
    __m256i x = _mm256_set1_epi8(3), y = _mm256_set1_epi8(-2);
    const __m256i ones = _mm256_set1_epi16(1);
    CHAIN12(DECL)
    for (long k = 0; k < iters; ++k) {
        CHAIN12(STEP)
    }
    VEC total = _mm256_setzero_si256();
    CHAIN12(SUM)
    int32_t out[8];
    _mm256_storeu_si256((__m256i *)out, total);
    *sink += (float)out[0];
    return (double)iters * CHAINS * 32;
}
#undef VEC
#undef INIT
#undef OP
#undef ADD
#endif

/* GMAC/s of fn: a 20 ms warm-up, then the best of three ~50 ms runs. */
static double measure(double (*fn)(long, float *))
{
    float sink = 0;
    long iters = 1 << 16;
    double t0 = now_s();
    while (now_s() - t0 < 0.02)
        fn(iters, &sink);
    double best = 0;
    for (int r = 0; r < 3; ++r) {
        double t = now_s(), macs = 0;
        while (now_s() - t < 0.05)
            macs += fn(iters, &sink);
        double g = macs / (now_s() - t) * 1e-9;
        best = g > best ? g : best;
    }
    return sink == 12345.f ? best + 0 : best; /* reads sink: nothing is dead code */
}

static bool has(const char *features, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = features; (p = strstr(p, name)) != NULL; p += n)
        if ((p == features || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
            return true;
    return false;
}

cli_peak cli_measure_peak(void)
{
    cli_peak pk = {0, 0, "none", "none"};
#if defined(__x86_64__) && defined(__GNUC__)
    const char *f = tfl_cpu_features();
    if (has(f, "avx512f")) {
        pk.f32_gmacs = measure(fma_avx512);
        pk.f32_isa = "avx512f vfmadd231ps zmm";
    } else if (has(f, "avx2") && has(f, "fma")) {
        pk.f32_gmacs = measure(fma_avx2);
        pk.f32_isa = "avx2 vfmadd231ps ymm";
    }
    if (has(f, "avx512vnni")) {
        pk.int8_gmacs = measure(dot_vnni);
        pk.int8_isa = "avx512vnni vpdpbusd zmm";
    } else if (has(f, "avx2")) {
        pk.int8_gmacs = measure(dot_avx2);
        pk.int8_isa = "avx2 vpmaddubsw+vpmaddwd ymm";
    }
#endif
    return pk;
}
