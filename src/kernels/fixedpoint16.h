/* gemmlowp's 16-bit fixed-point logistic and tanh (FixedPoint<int16_t, N>),
 * as TFLite's integer LSTM applies them to its int16 gates and cell state.
 * A "Qm" int16 value has m integer bits: real = raw / 2^(15-m). Every sum
 * wraps to int16 exactly where gemmlowp's int16 arithmetic does, and the
 * int32 constants of the 32-bit algorithm are rounded down to 16 bits as
 * gemmlowp's RescaleConstantInitializer does. */
#ifndef TFL_KERNELS_FIXEDPOINT16_H
#define TFL_KERNELS_FIXEDPOINT16_H

#include <stdint.h>

#include "kernels/fixedpoint.h"

/* A 32-bit fixed-point constant as the 16-bit algorithm sees it. */
static inline int16_t tfl__fp16_const(int32_t raw32) { return (int16_t)tfl__rdbypot(raw32, 16); }

/* SaturatingRoundingMultiplyByPOT on int16: saturating left shift for
 * exponent > 0, rounding right shift for exponent < 0. */
static inline int16_t tfl__fp16_mul_pot(int16_t x, int exponent)
{
    if (exponent == 0)
        return x;
    if (exponent < 0)
        return tfl__rdbypot16(x, -exponent);
    const int32_t threshold = (1 << (15 - exponent)) - 1;
    if (x > threshold)
        return INT16_MAX;
    if (x < -threshold)
        return INT16_MIN;
    return (int16_t)(x * (1 << exponent));
}

/* exp(a) for a Q0 value a in [-1/4, 0), result Q0 (Taylor series at -1/8). */
static inline int16_t tfl__fp16_exp_quarter(int16_t a)
{
    const int16_t exp_minus_one_eighth = tfl__fp16_const(1895147668);
    const int16_t one_third = tfl__fp16_const(715827883);
    int16_t x = (int16_t)(a + (1 << 12)); /* a + 1/8 */
    int16_t x2 = tfl__srdhm16(x, x);
    int16_t x3 = tfl__srdhm16(x2, x);
    int16_t x4 = tfl__srdhm16(x2, x2);
    int16_t x4_over_4 = tfl__rdbypot16(x4, 2);
    int16_t poly = tfl__rdbypot16(
        (int16_t)(tfl__srdhm16((int16_t)(x4_over_4 + x3), one_third) + x2), 1);
    return tfl__sat_add16(exp_minus_one_eighth,
                          tfl__srdhm16(exp_minus_one_eighth, (int16_t)(x + poly)));
}

/* exp(a) for a <= 0 given as a Q(integer_bits) value (0..13); result Q0. */
static inline int16_t tfl__fp16_exp_on_negative_values(int16_t a, int integer_bits)
{
    /* exp(-2^k) for k = -2..4 in 32-bit Q0; one factor per set bit. */
    static const int32_t barrel[7] = {1672461947, 1302514674, 790015084, 290630308,
                                      39332535,   720401,     242};
    const int frac_bits = 15 - integer_bits;
    const int16_t one_quarter = (int16_t)(1 << (frac_bits - 2));
    int16_t a_mod_quarter_minus_quarter = (int16_t)((a & (one_quarter - 1)) - one_quarter);
    int16_t result =
        tfl__fp16_exp_quarter(tfl__fp16_mul_pot(a_mod_quarter_minus_quarter, integer_bits));
    int16_t remainder = (int16_t)(a_mod_quarter_minus_quarter - a);
    for (int e = -2; e <= 4; ++e)
        if (integer_bits > e && (remainder & (1 << (frac_bits + e))))
            result = tfl__srdhm16(result, tfl__fp16_const(barrel[e + 2]));
    if (integer_bits > 5 && a < tfl__fp16_const(-(1 << (36 - integer_bits)))) /* below -32 */
        result = 0;
    return a == 0 ? INT16_MAX : result;
}

/* Three Newton-Raphson steps towards 1 / (1 + a) for a Q0 a in [0, 1):
 * the Q2 estimate of 1 / ((1 + a) / 2). */
static inline int16_t tfl__fp16_half_reciprocal_q2(int16_t a)
{
    const int16_t c48_17 = tfl__fp16_const(1515870810);      /* 48/17 in Q2 */
    const int16_t c_neg32_17 = tfl__fp16_const(-1010580540); /* -32/17 in Q2 */
    const int16_t one_q2 = 1 << 13;
    int32_t sum = (int32_t)a + INT16_MAX; /* gemmlowp RoundingHalfSum */
    int16_t half_den = (int16_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    int16_t x = (int16_t)(c48_17 + tfl__srdhm16(half_den, c_neg32_17));
    for (int i = 0; i < 3; ++i) {
        int16_t one_minus = (int16_t)(one_q2 - tfl__srdhm16(half_den, x));
        x = (int16_t)(x + tfl__fp16_mul_pot(tfl__srdhm16(x, one_minus), 2));
    }
    return x;
}

/* logistic(a) for a Q(integer_bits) value; result Q0 (0.5 at a == 0). */
static inline int16_t tfl__fp16_logistic(int16_t a, int integer_bits)
{
    if (a == 0)
        return tfl__fp16_const(1 << 30);
    int16_t abs_a = a > 0 ? a : (int16_t)-a;
    int16_t e = tfl__fp16_exp_on_negative_values((int16_t)-abs_a, integer_bits);
    /* 1 / (1 + e): the Q2 half-reciprocal read as Q1, rescaled to Q0. */
    int16_t pos = tfl__fp16_mul_pot(tfl__fp16_half_reciprocal_q2(e), 1);
    return a > 0 ? pos : (int16_t)(INT16_MAX - pos);
}

/* tanh(a) for a Q(integer_bits) value (0..6); result Q0. */
static inline int16_t tfl__fp16_tanh(int16_t a, int integer_bits)
{
    if (a == 0)
        return 0;
    int16_t neg_abs = a < 0 ? a : (int16_t)-a;
    /* exp(-2|a|): the same raw bits read with one more integer bit. */
    int16_t e = tfl__fp16_exp_on_negative_values(neg_abs, integer_bits + 1);
    /* (1 - e) / (1 + e) = 2 / (1 + e) - 1, from the Q2 half-reciprocal. */
    int16_t t = tfl__fp16_mul_pot((int16_t)(tfl__fp16_half_reciprocal_q2(e) - (1 << 13)), 2);
    return a < 0 ? (int16_t)-t : t;
}

#endif
