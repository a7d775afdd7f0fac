/* SOFTMAX reference kernels: float, TFLite's gemmlowp fixed-point path for
 * 8-bit inputs, and its table-based int16 path. */
#include <math.h>

#include "kernels/fixedpoint.h"
#include "ops/softmax/softmax.h"

void tfl_softmax_f32__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const tfl_softmax_params *p = params;
    const size_t depth = p->depth;
    for (size_t r = start; r < end; ++r) {
        const float *x = (const float *)in + r * depth; /* [depth] */
        float *o = (float *)out + r * depth;            /* [depth] */
        float max = -INFINITY;
        for (size_t c = 0; c < depth; ++c)
            max = max < x[c] ? x[c] : max;
        float sum = 0.0f;
        for (size_t c = 0; c < depth; ++c) {
            o[c] = expf((x[c] - max) * p->beta);
            sum += o[c];
        }
        for (size_t c = 0; c < depth; ++c)
            o[c] = o[c] / sum;
    }
}

/* exp(diff * beta * scale) in Q0 for a (negative) input difference. */
static inline int32_t exp_diff(const tfl_softmax_params *p, int32_t diff)
{
    int32_t rescaled = tfl__mbqm_big(diff, p->input_multiplier, p->input_left_shift);
    return tfl__fp_exp_on_negative_values(rescaled, 5);
}

void tfl_softmax_exp_table(tfl_softmax_params *p)
{
    for (int d = 0; d < 256; ++d)
        p->exp8[d] = -d >= p->diff_min ? exp_diff(p, -d) : 0; /* 0: never read */
}

/* One row of the 8-bit path; T is the input type, the output has out_bits
 * bits and minimum out_min. */
#define SOFTMAX_8BIT(NAME, TI, TO, OUT_BITS, OUT_MIN, OUT_MAX)                                     \
    void NAME(const void *params, const void *in, void *out, size_t start, size_t end)             \
    {                                                                                              \
        const tfl_softmax_params *p = params;                                                      \
        const size_t depth = p->depth;                                                             \
        for (size_t r = start; r < end; ++r) {                                                     \
            const TI *x = (const TI *)in + r * depth; /* [depth] */                                \
            TO *o = (TO *)out + r * depth;            /* [depth] */                                \
            int32_t max = x[0];                                                                    \
            for (size_t c = 1; c < depth; ++c)                                                     \
                max = max > x[c] ? max : x[c];                                                     \
            /* Sum of exps in Q12 (wrapping as TFLite's plain int32 add). */                       \
            uint32_t sum = 0;                                                                      \
            for (size_t c = 0; c < depth; ++c) {                                                   \
                int32_t diff = x[c] - max;                                                         \
                if (diff >= p->diff_min)                                                           \
                    sum += (uint32_t)tfl__rdbypot(p->exp8[-diff], 12);                             \
            }                                                                                      \
            int bits_over_unit;                                                                    \
            int32_t scale = tfl__fp_reciprocal((int32_t)sum, 12, &bits_over_unit);                 \
            int exponent = bits_over_unit + 31 - (OUT_BITS);                                       \
            /* TFLite aborts beyond 31; every output then rounds to 0. */                          \
            int all_zero = exponent > 31;                                                          \
            exponent = exponent > 31 ? 31 : (exponent < 0 ? 0 : exponent);                         \
            for (size_t c = 0; c < depth; ++c) {                                                   \
                int32_t diff = x[c] - max;                                                         \
                if (diff < p->diff_min) {                                                          \
                    o[c] = (TO)(OUT_MIN);                                                          \
                    continue;                                                                      \
                }                                                                                  \
                int32_t v =                                                                        \
                    all_zero ? 0 : tfl__rdbypot(tfl__srdhm(scale, p->exp8[-diff]), exponent);      \
                o[c] = (TO)tfl__clamp_i32(v + (OUT_MIN), OUT_MIN, OUT_MAX);                        \
            }                                                                                      \
        }                                                                                          \
    }

SOFTMAX_8BIT(tfl_softmax_u8__ref, uint8_t, uint8_t, 8, 0, 255)
SOFTMAX_8BIT(tfl_softmax_s8__ref, int8_t, int8_t, 8, -128, 127)
SOFTMAX_8BIT(tfl_softmax_u8_s16__ref, uint8_t, int16_t, 16, INT16_MIN, INT16_MAX)
SOFTMAX_8BIT(tfl_softmax_s8_s16__ref, int8_t, int16_t, 16, INT16_MIN, INT16_MAX)

void tfl_softmax_s16__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const tfl_softmax_params *p = params;
    const size_t depth = p->depth;
    for (size_t r = start; r < end; ++r) {
        const int16_t *x = (const int16_t *)in + r * depth; /* [depth] */
        int16_t *o = (int16_t *)out + r * depth;            /* [depth], exps first */
        int16_t max = INT16_MIN;
        for (size_t c = 0; c < depth; ++c)
            max = max > x[c] ? max : x[c];
        /* exp(x - max) in Q0.15, kept in the output row; sum in Q16.15. */
        int32_t sum = 0;
        for (size_t c = 0; c < depth; ++c) {
            int32_t scaled = tfl__mbqm(x[c] - max, p->s16_multiplier, p->s16_shift);
            int32_t sym = tfl__clamp_i32(scaled + 32767, INT16_MIN, INT16_MAX);
            o[c] = tfl__lut_lookup16((int16_t)sym, p->exp_lut);
            sum = (int32_t)((uint32_t)sum + (uint32_t)o[c]);
        }
        /* 1 / sum: normalize sum into [1, 2) as x + 1 with x in [0, 1), then
         * read 1 / (1 + x) (its table input is recentred on 0). */
        int headroom_plus_one = tfl__clz32((uint32_t)sum);
        /* A sum of 0 or one that wrapped (hostile scales or rows of more
         * than 65537 elements) is undefined in TFLite; keep the shifts
         * defined. Real rows never reach these clamps. */
        headroom_plus_one = headroom_plus_one < 1 ? 1 : headroom_plus_one > 31 ? 31 : headroom_plus_one;
        int32_t shifted =
            (int32_t)((int64_t)(((uint64_t)(uint32_t)sum << (headroom_plus_one - 1)) + (1 << 13)) >>
                      14);
        int32_t sym = tfl__clamp_i32(shifted - ((1 << 15) + (1 << 16)), INT16_MIN, INT16_MAX);
        int16_t recip = tfl__lut_lookup16((int16_t)sym, p->recip_lut);
        int right_shift = 31 - headroom_plus_one;
        int64_t round = right_shift > 0 ? (int64_t)1 << (right_shift - 1) : 0;
        for (size_t c = 0; c < depth; ++c) {
            int32_t v = (int32_t)(((int64_t)o[c] * recip + round) >> right_shift);
            o[c] = (int16_t)tfl__clamp_i32(v, 0, 32767);
        }
    }
}
