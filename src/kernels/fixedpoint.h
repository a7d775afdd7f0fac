/* gemmlowp-style fixed-point arithmetic beyond quant.h: 16-bit primitives,
 * exp on negative values, 1/(1+x), reciprocals, and the small helpers
 * TFLite's quantized activations use. Values are raw integers; a "Qm" value
 * has m integer bits, so an int32 Qm holds raw / 2^(31-m). */
#ifndef TFL_KERNELS_FIXEDPOINT_H
#define TFL_KERNELS_FIXEDPOINT_H

#include <math.h>
#include <stdint.h>

#include "kernels/quant.h"

/* Leading zero bits of x (32 for 0). */
static inline int tfl__clz32(uint32_t x)
{
    if (x == 0)
        return 32;
#if defined(__GNUC__)
    return __builtin_clz(x);
#else
    int n = 0;
    while (!(x & 0x80000000u)) {
        x <<= 1;
        ++n;
    }
    return n;
#endif
}

/* Redundant sign bits of x (31 for 0 and -1), as TFLite CountLeadingSignBits. */
static inline int tfl__clrsb32(int32_t x)
{
    uint32_t u = x < 0 ? ~(uint32_t)x : (uint32_t)x;
    return tfl__clz32(u) - 1;
}

/* gemmlowp SaturatingRoundingDoublingHighMul for int16: (a*b*2 + 2^15) >> 16
 * rounded half away from zero; -32768^2 saturates. */
static inline int16_t tfl__srdhm16(int16_t a, int16_t b)
{
    if (a == b && a == INT16_MIN)
        return INT16_MAX;
    int32_t ab = (int32_t)a * (int32_t)b;
    int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (int16_t)((ab + nudge) / (1 << 15));
}

/* gemmlowp RoundingDivideByPOT on an int16 value. The mask is built in 64 bits
 * and truncated to 16, so exponents above 15 behave as gemmlowp's do (the
 * mask becomes -1). */
static inline int16_t tfl__rdbypot16(int16_t x, int exponent)
{
    int16_t mask = (int16_t)(((int64_t)1 << exponent) - 1);
    int16_t remainder = (int16_t)(x & mask);
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    int32_t shifted = exponent > 31 ? (x < 0 ? -1 : 0) : ((int32_t)x >> exponent);
    return (int16_t)(shifted + (remainder > threshold ? 1 : 0));
}

static inline int16_t tfl__sat_add16(int16_t a, int16_t b)
{
    int32_t s = (int32_t)a + b;
    return (int16_t)(s > INT16_MAX ? INT16_MAX : (s < INT16_MIN ? INT16_MIN : s));
}

/* gemmlowp SaturatingRoundingMultiplyByPOT<exponent> on int32: a saturating
 * left shift for exponent > 0, a rounding right shift for exponent < 0. */
static inline int32_t tfl__fp_mul_pot(int32_t x, int exponent)
{
    if (exponent == 0)
        return x;
    if (exponent < 0)
        return tfl__rdbypot(x, -exponent);
    int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold)
        return INT32_MAX;
    if (x < -threshold)
        return INT32_MIN;
    return (int32_t)((uint32_t)x << exponent);
}

/* gemmlowp RoundingHalfSum: (a + b) / 2 rounded half away from zero. */
static inline int32_t tfl__fp_half_sum(int32_t a, int32_t b)
{
    int64_t sum = (int64_t)a + b;
    return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* exp(a) for a Q0 value a in [-1/4, 0), result Q0 (Taylor series around -1/8). */
static inline int32_t tfl__fp_exp_quarter(int32_t a)
{
    const int32_t exp_minus_one_eighth = 1895147668; /* exp(-1/8) in Q0 */
    const int32_t one_third = 715827883;             /* 1/3 in Q0 */
    int32_t x = a + (1 << 28);                       /* a + 1/8 */
    int32_t x2 = tfl__srdhm(x, x);
    int32_t x3 = tfl__srdhm(x2, x);
    int32_t x4 = tfl__srdhm(x2, x2);
    int32_t x4_over_4 = tfl__rdbypot(x4, 2);
    int32_t poly = tfl__rdbypot(tfl__srdhm(x4_over_4 + x3, one_third) + x2, 1);
    return exp_minus_one_eighth + tfl__srdhm(exp_minus_one_eighth, x + poly);
}

/* exp(a) for a <= 0 given as a Q(integer_bits) value; result Q0 (exp(0) is
 * the largest Q0 value). */
static inline int32_t tfl__fp_exp_on_negative_values(int32_t a, int integer_bits)
{
    /* exp(-2^k) for k = -2..4 in Q0; applied per set bit of the remainder. */
    static const int32_t barrel[7] = {1672461947, 1302514674, 790015084, 290630308,
                                      39332535,   720401,     242};
    const int frac_bits = 31 - integer_bits;
    const int32_t one_quarter = (int32_t)1 << (frac_bits - 2);
    int32_t a_mod_quarter_minus_quarter = (a & (one_quarter - 1)) - one_quarter;
    int32_t result =
        tfl__fp_exp_quarter(tfl__fp_mul_pot(a_mod_quarter_minus_quarter, integer_bits));
    int32_t remainder = a_mod_quarter_minus_quarter - a;
    for (int e = -2; e <= 4; ++e) {
        if (integer_bits > e && (remainder & ((int32_t)1 << (frac_bits + e))))
            result = tfl__srdhm(result, barrel[e + 2]);
    }
    if (integer_bits > 5) {
        int32_t clamp = -((int32_t)1 << (36 - integer_bits)); /* -32 */
        if (a < clamp)
            result = 0;
    }
    return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + a) for a Q0 value a in [0, 1); result Q0 (Newton-Raphson). */
static inline int32_t tfl__fp_one_over_one_plus_x(int32_t a)
{
    const int32_t c48_17 = 1515870810;      /* 48/17 in Q2 */
    const int32_t c_neg32_17 = -1010580540; /* -32/17 in Q2 */
    const int32_t one_q2 = 1 << 29;
    int32_t half_den = tfl__fp_half_sum(a, INT32_MAX);
    int32_t x = c48_17 + tfl__srdhm(half_den, c_neg32_17);
    for (int i = 0; i < 3; ++i) {
        int32_t one_minus = one_q2 - tfl__srdhm(half_den, x);
        x = x + tfl__fp_mul_pot(tfl__srdhm(x, one_minus), 2);
    }
    return tfl__fp_mul_pot(x, 1);
}

/* TFLite GetReciprocal: for x > 0 with x_integer_digits integer bits, returns
 * a Q0 scale and *num_bits_over_unit such that 1/x = scale * 2^-bits. */
static inline int32_t tfl__fp_reciprocal(int32_t x, int x_integer_digits, int *num_bits_over_unit)
{
    /* x == 0 is outside the contract; keep the shift defined. */
    int headroom_plus_one = x ? tfl__clz32((uint32_t)x) : 31;
    *num_bits_over_unit = x_integer_digits - headroom_plus_one;
    int32_t shifted_minus_one = (int32_t)(((uint32_t)x << headroom_plus_one) - ((uint32_t)1 << 31));
    return tfl__fp_one_over_one_plus_x(shifted_minus_one);
}

/* TFLite CheckedLog2: *log2 = round(log2(x)); true when x is (within 1e-3 in
 * the exponent) a power of two. Computed in float as TFLite does. */
static inline int tfl__checked_log2(float x, int *log2_result)
{
    /* A scale that is not a positive finite number (a hostile model) has no
     * exponent; its log would be NaN, which no int can hold. */
    if (!(x > 0.0f) || !isfinite(x)) {
        *log2_result = 0;
        return 0;
    }
    float x_log2 = logf(x) * (1.0f / logf(2.0f));
    float rounded = roundf(x_log2);
    *log2_result = (int)rounded;
    return fabsf(x_log2 - rounded) < 1e-3f;
}

/* TFLite CalculateInputRadius: the largest input magnitude (in input units)
 * that does not saturate a Q(integer_bits) value after left_shift. */
static inline int tfl__input_radius(int integer_bits, int left_shift, int total_signed_bits)
{
    double max_rescaled = 1.0 * ((1 << integer_bits) - 1) *
                          (double)((int64_t)1 << (total_signed_bits - integer_bits)) /
                          (double)((int64_t)1 << left_shift);
    return (int)floor(max_rescaled);
}

/* static_cast<int32_t>(float) as TFLite's x86 builds execute it (cvttss2si):
 * truncation, and INT32_MIN for NaN and values outside the int32 range (C
 * leaves those undefined). */
static inline int32_t tfl__f2i_trunc(float f)
{
    if (!(f >= -2147483648.0f && f < 2147483648.0f))
        return INT32_MIN;
    return (int32_t)f;
}

/* TFLite DownScaleInt32ToInt16Multiplier. */
static inline int16_t tfl__downscale_multiplier16(int32_t m)
{
    if (m >= INT32_MAX - (1 << 15))
        return INT16_MAX;
    return (int16_t)((m + (1 << 15)) >> 16);
}

/* TFLite GetInvSqrtQuantizedMultiplierExp(input, kReverseShift): 1/sqrt(x)
 * as mult * 2^(shift - 31), by five Newton-Raphson steps in gemmlowp Q3
 * fixed point. */
static inline void tfl__fp_inv_sqrt_multiplier(int32_t input, int32_t *mult, int *shift)
{
    if (input <= 1) {
        *mult = INT32_MAX;
        *shift = 0;
        return;
    }
    int right_shift = 11;
    while (input >= (1 << 29)) {
        input /= 4;
        ++right_shift;
    }
    /* Normalize into [2^27, 2^29) by an even shift. */
    int pairs = (tfl__clz32((uint32_t)input) - 1) / 2 - 1;
    right_shift -= pairs;
    input = (int32_t)((uint32_t)input << (2 * pairs));
    const int32_t half_input = tfl__rdbypot(input >> 1, 1); /* Q3 */
    const int32_t three_halves = (1 << 28) + (1 << 27);     /* 1.5 in Q3 */
    int32_t x = 1 << 28;                                    /* 1.0 in Q3 */
    for (int i = 0; i < 5; ++i) {
        /* x^3 is Q9 after two products; back to Q3. */
        int32_t x3 = tfl__fp_mul_pot(tfl__srdhm(tfl__srdhm(x, x), x), 6);
        /* 1.5 x - x^3 / 2 in Q6, back to Q3 (the subtraction wraps as int32). */
        uint32_t diff =
            (uint32_t)tfl__srdhm(three_halves, x) - (uint32_t)tfl__srdhm(half_input, x3);
        x = tfl__fp_mul_pot((int32_t)diff, 3);
    }
    x = tfl__srdhm(x, 1518500250); /* times sqrt(2)/2 in Q0 */
    if (right_shift < 0) {
        x = (int32_t)((uint32_t)x << -right_shift);
        right_shift = 0;
    }
    *mult = x;
    *shift = -right_shift;
}

/* gemmlowp RoundingHalfSum for int32 is tfl__fp_half_sum; the saturating
 * int32 add and subtract of TFLite's SaturatingAddNonGemmlowp / SaturatingSub. */
static inline int32_t tfl__fp_sat_add(int32_t a, int32_t b)
{
    int64_t s = (int64_t)a + b;
    return (int32_t)(s > INT32_MAX ? INT32_MAX : (s < INT32_MIN ? INT32_MIN : s));
}

static inline int32_t tfl__fp_sat_sub(int32_t a, int32_t b)
{
    int64_t s = (int64_t)a - b;
    return (int32_t)(s > INT32_MAX ? INT32_MAX : (s < INT32_MIN ? INT32_MIN : s));
}

/* Wrapping int32 add and subtract (gemmlowp's FixedPoint + and -). */
static inline int32_t tfl__fp_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static inline int32_t tfl__fp_sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }

/* TFLite log_x_for_x_greater_than_or_equal_to_1<5>(x) for x a Q12 value:
 * log(x) as Q5, by the power of two (the leading zeros) plus a rational
 * approximation of the rest, accumulated with 6 integer bits. */
static inline int32_t tfl__fp_log_q12_to_q5(int32_t x)
{
    enum { IN_BITS = 12, ACC_BITS = 6 };
    const int32_t log_2 = 1488522236, sqrt_sqrt_half = 1805811301, sqrt_half = 1518500250;
    const int32_t alpha_n = 117049297, alpha_d = 127690142, alpha_i = 1057819769,
                  alpha_f = 638450708;
    const int32_t shifted_quarter = tfl__rdbypot(536870912, ACC_BITS); /* 1/4 as Q6 */
    const int32_t z_a = x; /* read as Q0: the shift is worked out here */
    const int z_a_headroom_plus_1 = tfl__clz32((uint32_t)z_a);
    const int32_t r_a_tmp = tfl__fp_mul_pot(z_a, z_a_headroom_plus_1 - 1);
    const int32_t r_a_raw = tfl__fp_mul_pot(tfl__srdhm(r_a_tmp, sqrt_half), 1);
    const int32_t z_a_pow_2_adj = tfl__fp_sat_add(
        tfl__fp_mul_pot(IN_BITS - z_a_headroom_plus_1, 31 - ACC_BITS), shifted_quarter);
    const int32_t z_b = tfl__srdhm(z_a, sqrt_half);
    const int z_b_headroom = tfl__clz32((uint32_t)z_b) - 1;
    const int32_t r_b_raw = tfl__fp_mul_pot(z_a, z_b_headroom);
    const int32_t z_b_pow_2_adj = tfl__fp_sat_sub(
        tfl__fp_mul_pot(IN_BITS - z_b_headroom, 31 - ACC_BITS), shifted_quarter);
    const int32_t r = r_a_raw < r_b_raw ? r_a_raw : r_b_raw;
    const int32_t z_pow_2_adj = z_a_pow_2_adj > z_b_pow_2_adj ? z_a_pow_2_adj : z_b_pow_2_adj;
    const int32_t p = tfl__fp_half_sum(r, sqrt_sqrt_half);
    int32_t q = tfl__fp_sub(r, sqrt_sqrt_half);
    q = tfl__fp_add(q, q);
    const int32_t common_sq = tfl__srdhm(q, q);
    const int32_t num =
        tfl__fp_add(tfl__srdhm(q, r), tfl__srdhm(tfl__srdhm(q, common_sq), alpha_n));
    const int32_t denom_minus_one =
        tfl__fp_add(tfl__srdhm(p, tfl__fp_add(tfl__fp_add(alpha_i, q),
                                              tfl__srdhm(alpha_d, common_sq))),
                    tfl__srdhm(alpha_f, q));
    const int32_t recip_denom = tfl__fp_one_over_one_plus_x(denom_minus_one);
    const int32_t num_scaled = tfl__rdbypot(num, ACC_BITS); /* Q0 -> Q6 */
    const int32_t sum =
        tfl__fp_add(tfl__srdhm(z_pow_2_adj, log_2), tfl__srdhm(num_scaled, recip_denom));
    return tfl__fp_mul_pot(sum, ACC_BITS - 5); /* Q6 -> Q5 */
}

#endif
