/* HARD_SWISH reference kernels: x * relu6(x + 3) / 6, the quantized ones in
 * TFLite's 16-bit fixed point. */
#include "kernels/fixedpoint.h"
#include "ops/activations/activations.h"

void tfl_hard_swish_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end)
{
    const float *x = in; /* [n] */
    float *o = out;      /* [n] */
    (void)p;
    for (size_t i = start; i < end; ++i) {
        float v = x[i];
        float r = 0.0f < v + 3 ? v + 3 : 0.0f; /* std::max(0, v + 3) */
        r = r < 6.0f ? r : 6.0f;               /* std::min(6, r) */
        o[i] = v * r / 6;
    }
}

static int16_t sat_shift_left16(int16_t v, int amount)
{
    int64_t r = (int64_t)v * ((int64_t)1 << (amount > 40 ? 40 : amount));
    return (int16_t)(r > INT16_MAX ? INT16_MAX : (r < INT16_MIN ? INT16_MIN : r));
}

/* SQDMULH: (a * b) / 2^15 truncated toward zero; -1 * -1 saturates. */
static int16_t sat_doubling_high_mul16(int16_t a, int16_t b)
{
    if (a == b && a == INT16_MIN)
        return INT16_MAX;
    return (int16_t)(((int32_t)a * b) / (1 << 15));
}

/* One element: x (already minus the input zero point) to the output scale,
 * before the output zero point. */
static inline int32_t hard_swish_q(const tfl_hard_swish_params *p, int32_t x)
{
    int16_t hires = (int16_t)((int16_t)x * (1 << 7));
    int16_t preshift_out = tfl__srdhm16(hires, p->out_mult);
    /* relu6(x + 3) / 6 as a Q0.15 value in [0, 1]: x rescaled so that 3
     * maps to 32768 (left shifts saturate; all but the last bit of the shift
     * happen before the multiply so saturation cannot affect the result). */
    int16_t reluish = hires;
    if (p->reluish_exp > 0)
        reluish = sat_shift_left16(reluish, p->reluish_exp - 1);
    reluish = tfl__srdhm16(reluish, p->reluish_mult);
    if (p->reluish_exp > 0)
        reluish = sat_shift_left16(reluish, 1);
    if (p->reluish_exp < 0)
        reluish = tfl__rdbypot16(reluish, -p->reluish_exp);
    reluish = (int16_t)((reluish + (1 << 15)) >> 1);
    int16_t r = sat_doubling_high_mul16(reluish, preshift_out);
    r = tfl__rdbypot16(r, -p->out_exp);
    return (int16_t)(r + p->out_zp);
}

void tfl_hard_swish_u8__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const tfl_hard_swish_params *p = params;
    const uint8_t *x = in; /* [n] */
    uint8_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (uint8_t)tfl__clamp_i32(hard_swish_q(p, x[i] - p->in_zp), 0, 255);
}

void tfl_hard_swish_s8__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const tfl_hard_swish_params *p = params;
    const int8_t *x = in; /* [n] */
    int8_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (int8_t)tfl__clamp_i32(hard_swish_q(p, x[i] - p->in_zp), -128, 127);
}
