/* CPU features, detected once per process: cpuid + XGETBV on x86 (the OS
 * must save the wider registers too), hwcaps on Arm. Kernel records name the
 * features they need; the dispatcher compares them with tfl__cpu_features(). */
#ifndef TFL_CORE_CPU_H
#define TFL_CORE_CPU_H

#include <stddef.h>
#include <stdint.h>

enum {
    TFL__CPU_SSE41 = 1u << 0,
    TFL__CPU_AVX2 = 1u << 1,       /* with the OS saving YMM state */
    TFL__CPU_FMA = 1u << 2,
    TFL__CPU_F16C = 1u << 3,
    TFL__CPU_AVX512F = 1u << 4,    /* with the OS saving ZMM and opmask state */
    TFL__CPU_AVX512BW = 1u << 5,
    TFL__CPU_AVX512VL = 1u << 6,
    TFL__CPU_AVX512VNNI = 1u << 7,
    TFL__CPU_AVXVNNI = 1u << 8,    /* VEX-encoded vpdpbusd on YMM */
    TFL__CPU_AMX_TILE = 1u << 9,   /* with Linux granting the tile data permission */
    TFL__CPU_AMX_INT8 = 1u << 10,
    TFL__CPU_AMX_BF16 = 1u << 11,
    TFL__CPU_NEON = 1u << 12,
    TFL__CPU_DOTPROD = 1u << 13,   /* Armv8.2 sdot/udot */
    TFL__CPU_I8MM = 1u << 14,      /* Armv8.6 smmla */
    TFL__CPU_AVX512VBMI = 1u << 15, /* vpermb / vpermi2b: 128-byte table lookups */
    TFL__CPU_NUM_FEATURES = 16
};

/* ISA levels: each kernel record belongs to one, and a cap (TFL_ISA, or
 * tfl_options.isa) admits records at or below it. x86 and Arm names share
 * the levels by what they add: wider vectors, then int8 dot products. */
enum {
    TFL__ISA_REF = 0,    /* portable C */
    TFL__ISA_AVX2 = 1,   /* AVX2 + FMA; Arm: NEON */
    TFL__ISA_AVX512 = 2, /* AVX-512 F/BW/VL; Arm: dotprod */
    TFL__ISA_VNNI = 3,   /* AVX-512 VNNI or AVX-VNNI; Arm: i8mm */
    TFL__ISA_AMX = 4,
    TFL__ISA_BEST = TFL__ISA_AMX
};
/* "ref", "avx2", "avx512", "vnni", "amx", "best" (and "neon", "dotprod",
 * "i8mm" for the Arm levels); -1 when unknown. */
int tfl__isa_parse(const char *name);
/* The x86 name of a level ("ref" ... "amx"). */
const char *tfl__isa_name(int isa);

/* Bit set of the features this CPU and OS support (detected on first call,
 * thread-safe). */
uint32_t tfl__cpu_features(void);
/* Lower-case name of one feature bit ("avx512vnni"); NULL for an unknown bit. */
const char *tfl__cpu_feature_name(uint32_t bit);
/* Bit of a feature name, 0 when unknown. */
uint32_t tfl__cpu_feature_bit(const char *name);
/* "avx2 fma avx512f ..." for a feature set ("none" when empty). */
const char *tfl__cpu_format(uint32_t features, char *buf, size_t size);

#endif
