/* DIV reference kernels: portable C, bit-exact with TFLite's reference DIV.
 * a and b are read at i * as and i * bs (steps 0 or 1), out at i. */
#include "kernels/fixedpoint.h"
#include "ops/div/div.h"

void tfl_div_f32__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const tfl_div_params *p = params;
    const float *x = a; /* [n] or [1] */
    const float *y = b; /* [n] or [1] */
    float *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = tfl__clamp_f32(x[i * as] / y[i * bs], p->act_min_f, p->act_max_f);
}

void tfl_div_s32__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const tfl_div_params *p = params;
    const int32_t *x = a; /* [n] or [1] */
    const int32_t *y = b; /* [n] or [1], nonzero */
    int32_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i) {
        int32_t u = x[i * as], v = y[i * bs];
        /* INT32_MIN / -1 overflows; TFLite's build gives INT32_MAX. */
        int32_t q = (v == -1 && u == INT32_MIN) ? INT32_MAX : u / v;
        o[i] = tfl__clamp_i32(q, p->act_min, p->act_max);
    }
}

/* gemmlowp RoundingDivideByPOT as LiteRT's x86 build executes it for any
 * exponent: TFLite's quantized DIV can ask for shifts of 32 or more (small
 * dividends have a large headroom) or negative ones, which x86 reduces modulo
 * 64 (the 64-bit mask) and modulo 32 (the shift of x). */
static inline int32_t rdbypot_x86(int32_t x, int exponent)
{
    int32_t mask = (int32_t)(uint32_t)(((uint64_t)1 << ((unsigned)exponent & 63u)) - 1u);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> ((unsigned)exponent & 31u)) + (remainder > threshold ? 1 : 0);
}

static inline int32_t div_q(const tfl_div_params *p, int32_t x, int32_t y)
{
    int32_t num = x + p->in1_offset, den = y + p->in2_offset;
    if (den < 0) {
        /* The reciprocal multiplier must be positive. */
        num = -num;
        den = -den;
    }
    int recip_shift;
    int32_t recip = tfl__fp_reciprocal(den, 31, &recip_shift);
    int headroom = tfl__clrsb32(num);
    int32_t unscaled = tfl__mbqm_big(num, recip, headroom);
    int total_shift = p->out_shift - recip_shift - headroom;
#if TFL_SINGLE_ROUNDING
    /* Beyond a 31-bit right shift the exact result is 0. */
    int32_t q = total_shift < -31
                    ? 0
                    : tfl__mbqm(unscaled, p->out_mult, total_shift > 30 ? 30 : total_shift);
#else
    int32_t q = rdbypot_x86(tfl__srdhm(unscaled, p->out_mult), -total_shift);
#endif
    return tfl__clamp_i32(q + p->out_offset, p->act_min, p->act_max);
}

void tfl_div_u8__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                     size_t n)
{
    const uint8_t *x = a; /* [n] or [1] */
    const uint8_t *y = b; /* [n] or [1], never the zero point */
    uint8_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = (uint8_t)div_q(params, x[i * as], y[i * bs]);
}

void tfl_div_s8__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                     size_t n)
{
    const int8_t *x = a; /* [n] or [1] */
    const int8_t *y = b; /* [n] or [1], never the zero point */
    int8_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = (int8_t)div_q(params, x[i * as], y[i * bs]);
}

void tfl_div_s16__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const int16_t *x = a; /* [n] or [1] */
    const int16_t *y = b; /* [n] or [1], never the zero point */
    int16_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = (int16_t)div_q(params, x[i * as], y[i * bs]);
}
