/* RELU-family and LEAKY_RELU reference kernels, bit-exact with TFLite. */
#include "kernels/quant.h"
#include "ops/activations/activations.h"

void tfl_relu_f32__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const tfl_relu_params *p = params;
    const float *x = in; /* [n] */
    float *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i) {
        float v = x[i];
        o[i] = v > p->hi_f ? p->hi_f : (v < p->lo_f ? p->lo_f : v);
    }
}

/* Rescale to the output and clamp (TFLite ReluX). */
static inline int32_t relu_q(const tfl_relu_params *p, int32_t v)
{
    int32_t r = p->out_zp + tfl__mbqm(v - p->in_zp, p->mult, p->shift);
    return tfl__clamp_i32(r, p->q_lo, p->q_hi);
}

void tfl_relu_u8__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const uint8_t *x = in; /* [n] */
    uint8_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (uint8_t)relu_q(params, x[i]);
}

void tfl_relu_s8__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const int8_t *x = in; /* [n] */
    int8_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (int8_t)relu_q(params, x[i]);
}

void tfl_relu_s16__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const int16_t *x = in; /* [n] */
    int16_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (int16_t)relu_q(params, x[i]);
}

void tfl_leaky_relu_f32__ref(const void *params, const void *in, void *out, size_t start,
                             size_t end)
{
    const tfl_leaky_relu_params *p = params;
    const float *x = in; /* [n] */
    float *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = x[i] > 0 ? x[i] : x[i] * p->alpha;
}

/* Identity multiplier for x >= in_zp, alpha's for the rest; the alpha
 * multiplier's magnitude is applied and its sign restored after rounding. */
static inline int32_t leaky_q(const tfl_leaky_relu_params *p, int32_t x, int32_t lo, int32_t hi)
{
    int32_t v = x - p->in_zp;
    int32_t r = p->out_zp;
    if (v >= 0) {
        r += tfl__mbqm(v, p->id_mult, p->id_shift);
    } else {
        int32_t s = tfl__mbqm(v, p->alpha_mult, p->alpha_shift);
        r += p->alpha_negative ? -s : s;
    }
    return tfl__clamp_i32(r, lo, hi);
}

void tfl_leaky_relu_u8__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const uint8_t *x = in; /* [n] */
    uint8_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (uint8_t)leaky_q(params, x[i], 0, 255);
}

void tfl_leaky_relu_s8__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const int8_t *x = in; /* [n] */
    int8_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (int8_t)leaky_q(params, x[i], -128, 127);
}

void tfl_leaky_relu_s16__ref(const void *params, const void *in, void *out, size_t start,
                             size_t end)
{
    const int16_t *x = in; /* [n] */
    int16_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (int16_t)leaky_q(params, x[i], INT16_MIN, INT16_MAX);
}
