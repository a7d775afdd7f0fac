/* Fixed-point helpers shared by quantized kernels, with TFLite's exact
 * rounding. Two rescale builds exist in TFLite: the gemmlowp-style double
 * rounding (the default, used by the ai-edge-litert wheels) and a single
 * rounding variant (-DTFL_SINGLE_ROUNDING=1, CMake option TFL_SINGLE_ROUNDING). */
#ifndef TFL_KERNELS_QUANT_H
#define TFL_KERNELS_QUANT_H

#include <math.h>
#include <stdint.h>

#ifndef TFL_SINGLE_ROUNDING
#define TFL_SINGLE_ROUNDING 0
#endif

/* gemmlowp SaturatingRoundingDoublingHighMul: (a*b*2 + 2^31) >> 32, rounding
 * half away from zero, saturating the single overflow case INT32_MIN^2. */
static inline int32_t tfl__srdhm(int32_t a, int32_t b)
{
    if (a == b && a == INT32_MIN)
        return INT32_MAX;
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    int64_t r = ab + nudge;
    /* Division truncates toward zero, as gemmlowp's does. */
    return (int32_t)(r / ((int64_t)1 << 31));
}

/* gemmlowp RoundingDivideByPOT: x / 2^exponent rounded half away from zero. */
static inline int32_t tfl__rdbypot(int32_t x, int exponent)
{
    /* gemmlowp requires exponent <= 31; beyond that every int32 rounds to 0. */
    if (exponent > 31)
        return 0;
    if (exponent <= 0)
        return x;
    int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* TFLite MultiplyByQuantizedMultiplier(int32 x, multiplier, shift). */
static inline int32_t tfl__mbqm(int32_t x, int32_t multiplier, int shift)
{
#if TFL_SINGLE_ROUNDING
    int total_shift = 31 - shift;
    int64_t round = (int64_t)1 << (total_shift - 1);
    int64_t r = (int64_t)x * multiplier + round;
    return (int32_t)(r >> total_shift);
#else
    int left_shift = shift > 0 ? shift : 0;
    int right_shift = shift > 0 ? 0 : -shift;
    /* TFLite computes x * (1 << left_shift): it wraps, and on x86 a shift
     * count of 32 or more is taken modulo 32 (absurd multipliers in real
     * models reach this). Do the same without undefined behaviour. */
    int32_t shifted = (int32_t)((uint32_t)x << (left_shift & 31));
    return tfl__rdbypot(tfl__srdhm(shifted, multiplier), right_shift);
#endif
}

/* TFLite MultiplyByQuantizedMultiplier(int64 x, ...) used by int16 kernels. */
static inline int32_t tfl__mbqm64(int64_t x, int32_t multiplier, int shift)
{
    int32_t reduced = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
    /* TFLite assumes |x| < 2^47 and shift in [-31, 8); hostile models break
     * both. The product wraps as it does in TFLite's int64 on x86, without
     * undefined behaviour, and the shift stays in [1, 63]. */
    int total_shift = 15 - shift;
    total_shift = total_shift < 1 ? 1 : total_shift > 63 ? 63 : total_shift;
    uint64_t r = (uint64_t)x * (uint64_t)(int64_t)reduced + ((uint64_t)1 << (total_shift - 1));
    return (int32_t)((int64_t)r >> total_shift);
}

/* MultiplyByQuantizedMultiplierSmallerThanOneExp (shift <= 0). */
static inline int32_t tfl__mbqm_small(int32_t x, int32_t multiplier, int left_shift)
{
#if TFL_SINGLE_ROUNDING
    return tfl__mbqm(x, multiplier, left_shift);
#else
    return tfl__rdbypot(tfl__srdhm(x, multiplier), -left_shift);
#endif
}

/* MultiplyByQuantizedMultiplierGreaterThanOne (shift >= 0). */
static inline int32_t tfl__mbqm_big(int32_t x, int32_t multiplier, int left_shift)
{
#if TFL_SINGLE_ROUNDING
    return tfl__mbqm(x, multiplier, left_shift);
#else
    return tfl__srdhm((int32_t)((uint32_t)x << (left_shift & 31)), multiplier);
#endif
}

/* TFLite QuantizeMultiplier: real = multiplier * 2^(shift - 31).
 * Returns 0, or -1 when real is not finite (a ratio of two finite scales
 * can still overflow to infinity; converting that to an integer is
 * undefined), with multiplier and shift 0. A huge finite ratio gives a
 * shift above 31, as in TFLite, which real models have (one of the shared
 * ones has 2^102); the kernels then shift by it modulo 32, as TFLite on
 * x86 does. */
#if defined(__GNUC__)
__attribute__((warn_unused_result))
#endif
static inline int tfl__quantize_multiplier(double real, int32_t *multiplier, int *shift)
{
    *multiplier = 0;
    *shift = 0;
    if (real == 0.0)
        return 0;
    if (!isfinite(real))
        return -1;
    int e;
    double q = frexp(real, &e);
    int64_t q_fixed = (int64_t)round(q * (double)(1LL << 31));
    if (q_fixed == (1LL << 31)) {
        q_fixed /= 2;
        ++e;
    }
    if (e < -31) {
        e = 0;
        q_fixed = 0;
    }
#if TFL_SINGLE_ROUNDING
    if (e > 30) { /* TFLite clamps rather than refuses */
        e = 30;
        q_fixed = (1LL << 31) - 1;
    }
#endif
    *multiplier = (int32_t)q_fixed;
    *shift = e;
    return 0;
}

static inline int32_t tfl__clamp_i32(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

static inline float tfl__clamp_f32(float v, float lo, float hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Round half away from zero, as TfLiteRound / std::round. */
static inline float tfl__round_f32(float x) { return roundf(x); }

#endif
