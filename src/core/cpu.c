/* Run-time CPU feature detection (see cpu.h). x86: cpuid leaves 1 and 7,
 * XGETBV for the register state the OS saves, and on Linux the AMX tile-data
 * permission request; Arm: getauxval hwcaps. Other targets report none. */
/* syscall() is not POSIX. */
#define _DEFAULT_SOURCE
#include "core/cpu.h"

#include "tfl.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#endif

static const char *const names[TFL__CPU_NUM_FEATURES] = {
    "sse4.1",  "avx2",     "fma",      "f16c",     "avx512f", "avx512bw", "avx512vl", "avx512vnni",
    "avxvnni", "amx-tile", "amx-int8", "amx-bf16", "neon",    "dotprod",  "i8mm",     "avx512vbmi"};

#if defined(__x86_64__) || defined(__i386__)
static uint64_t xgetbv0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

/* Linux keeps AMX tile data off until a process asks (arch_prctl
 * ARCH_REQ_XCOMP_PERM for XFEATURE_XTILEDATA); without it the first tile
 * instruction faults. */
static int amx_permitted(void)
{
#if defined(__linux__) && defined(SYS_arch_prctl)
    return syscall(SYS_arch_prctl, 0x1023 /* ARCH_REQ_XCOMP_PERM */, 18 /* XTILEDATA */) == 0;
#else
    return 0;
#endif
}

static uint32_t detect(void)
{
    uint32_t a, b, c, d, f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    const int osxsave = (c >> 27) & 1;
    if ((c >> 19) & 1)
        f |= TFL__CPU_SSE41;
    const int fma = (c >> 12) & 1, f16c = (c >> 29) & 1, avx = (c >> 28) & 1;
    uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    const int ymm = (xcr0 & 0x6) == 0x6;            /* SSE + AVX state */
    const int zmm = ymm && (xcr0 & 0xe0) == 0xe0;   /* opmask + ZMM hi256 + hi16 */
    const int tiles = (xcr0 & 0x60000) == 0x60000;  /* XTILECFG + XTILEDATA */
    uint32_t b7 = 0, c7 = 0, d7 = 0, a71 = 0;
    if (__get_cpuid_count(7, 0, &a, &b7, &c7, &d7)) {
        uint32_t bb, cc, dd;
        if (a >= 1 && __get_cpuid_count(7, 1, &a71, &bb, &cc, &dd) == 0)
            a71 = 0;
    }
    if (avx && ymm) {
        if ((b7 >> 5) & 1)
            f |= TFL__CPU_AVX2;
        if (fma)
            f |= TFL__CPU_FMA;
        if (f16c)
            f |= TFL__CPU_F16C;
        if ((a71 >> 4) & 1)
            f |= TFL__CPU_AVXVNNI;
    }
    if (zmm && ((b7 >> 16) & 1)) {
        f |= TFL__CPU_AVX512F;
        if ((b7 >> 30) & 1)
            f |= TFL__CPU_AVX512BW;
        if ((b7 >> 31) & 1)
            f |= TFL__CPU_AVX512VL;
        if ((c7 >> 11) & 1)
            f |= TFL__CPU_AVX512VNNI;
        if ((c7 >> 1) & 1)
            f |= TFL__CPU_AVX512VBMI;
    }
    if (tiles && ((d7 >> 24) & 1) && amx_permitted()) {
        f |= TFL__CPU_AMX_TILE;
        if ((d7 >> 25) & 1)
            f |= TFL__CPU_AMX_INT8;
        if ((d7 >> 22) & 1)
            f |= TFL__CPU_AMX_BF16;
    }
    return f;
}
#elif defined(__aarch64__) && defined(__linux__)
static uint32_t detect(void)
{
    /* Bit positions from Linux's arch/arm64 uapi hwcap.h. */
    unsigned long hw = getauxval(AT_HWCAP), hw2 = getauxval(AT_HWCAP2);
    uint32_t f = 0;
    if (hw & (1ul << 1)) /* HWCAP_ASIMD */
        f |= TFL__CPU_NEON;
    if (hw & (1ul << 20)) /* HWCAP_ASIMDDP */
        f |= TFL__CPU_DOTPROD;
    if (hw2 & (1ul << 13)) /* HWCAP2_I8MM */
        f |= TFL__CPU_I8MM;
    return f;
}
#elif defined(__aarch64__) || (defined(__ARM_NEON) && defined(__ARM_ARCH) && __ARM_ARCH >= 7)
static uint32_t detect(void)
{
    return TFL__CPU_NEON; /* built for a NEON target: the compiler already assumes it */
}
#else
static uint32_t detect(void) { return 0; }
#endif

static pthread_once_t once = PTHREAD_ONCE_INIT;
static uint32_t features;

static void detect_once(void) { features = detect(); }

uint32_t tfl__cpu_features(void)
{
    pthread_once(&once, detect_once);
    return features;
}

static pthread_once_t text_once = PTHREAD_ONCE_INIT;
static char text[256];

static void format_once(void) { tfl__cpu_format(tfl__cpu_features(), text, sizeof text); }

const char *tfl_cpu_features(void)
{
    pthread_once(&text_once, format_once);
    return text;
}

const char *tfl__cpu_feature_name(uint32_t bit)
{
    for (int i = 0; i < TFL__CPU_NUM_FEATURES; ++i)
        if (bit == (1u << i))
            return names[i];
    return NULL;
}

uint32_t tfl__cpu_feature_bit(const char *name)
{
    for (int i = 0; i < TFL__CPU_NUM_FEATURES; ++i)
        if (strcmp(name, names[i]) == 0)
            return 1u << i;
    return 0;
}

const char *tfl__cpu_format(uint32_t f, char *buf, size_t size)
{
    size_t n = 0;
    if (size)
        buf[0] = 0;
    for (int i = 0; i < TFL__CPU_NUM_FEATURES; ++i) {
        if (!(f & (1u << i)) || n >= size)
            continue;
        int w = snprintf(buf + n, size - n, "%s%s", n ? " " : "", names[i]);
        if (w > 0)
            n += (size_t)w;
    }
    if (!f && size)
        snprintf(buf, size, "none");
    return buf;
}

static const struct {
    const char *name;
    int isa;
} isa_names[] = {{"ref", TFL__ISA_REF},     {"avx2", TFL__ISA_AVX2}, {"avx512", TFL__ISA_AVX512},
                 {"vnni", TFL__ISA_VNNI},   {"amx", TFL__ISA_AMX},   {"best", TFL__ISA_BEST},
                 {"neon", TFL__ISA_AVX2},   {"dotprod", TFL__ISA_AVX512},
                 {"i8mm", TFL__ISA_VNNI}};

int tfl__isa_parse(const char *name)
{
    for (size_t i = 0; name && i < sizeof isa_names / sizeof isa_names[0]; ++i)
        if (strcmp(name, isa_names[i].name) == 0)
            return isa_names[i].isa;
    return -1;
}

const char *tfl__isa_name(int isa)
{
    return isa >= TFL__ISA_REF && isa <= TFL__ISA_AMX ? isa_names[isa].name : "unknown";
}
