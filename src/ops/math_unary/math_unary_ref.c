/* Reference kernels of the one-input math ops: float32 math, integer NEG and
 * ABS, quantized ABS and SQRT, and the int8/int16 table lookups. */
#include <math.h>

#include "kernels/fixedpoint.h"
#include "ops/math_unary/math_unary.h"

/* A float32 kernel applying expression F to each element v. */
#define FLOAT_KERNEL(name, F)                                                                      \
    void name(const void *p, const void *in, void *out, size_t start, size_t end)                  \
    {                                                                                              \
        const float *x = in; /* [n] */                                                             \
        float *o = out;      /* [n] */                                                             \
        (void)p;                                                                                   \
        for (size_t i = start; i < end; ++i) {                                                     \
            const float v = x[i];                                                                  \
            o[i] = (F);                                                                            \
        }                                                                                          \
    }

FLOAT_KERNEL(tfl_sqrt_f32__ref, sqrtf(v))
FLOAT_KERNEL(tfl_rsqrt_f32__ref, 1.0f / sqrtf(v))
FLOAT_KERNEL(tfl_log_f32__ref, logf(v))
FLOAT_KERNEL(tfl_exp_f32__ref, expf(v))
FLOAT_KERNEL(tfl_abs_f32__ref, fabsf(v))
FLOAT_KERNEL(tfl_neg_f32__ref, -v)
FLOAT_KERNEL(tfl_square_f32__ref, v *v)
FLOAT_KERNEL(tfl_sin_f32__ref, sinf(v))
FLOAT_KERNEL(tfl_cos_f32__ref, cosf(v))
FLOAT_KERNEL(tfl_floor_f32__ref, floorf(v))
FLOAT_KERNEL(tfl_ceil_f32__ref, ceilf(v))
/* ROUND: half to even, keeping the sign (-0.3 gives -0), as LiteRT's ROUND
 * does; rintf rounds that way in the default rounding mode. */
FLOAT_KERNEL(tfl_round_f32__ref, rintf(v))

/* Integer negation and absolute value in unsigned arithmetic: the most
 * negative value maps to itself, without undefined behaviour. */
#define INT_KERNEL(name, T, F)                                                                     \
    void name(const void *p, const void *in, void *out, size_t start, size_t end)                  \
    {                                                                                              \
        const T *x = in; /* [n] */                                                                 \
        T *o = out;      /* [n] */                                                                 \
        (void)p;                                                                                   \
        for (size_t i = start; i < end; ++i) {                                                     \
            const T v = x[i];                                                                      \
            o[i] = (T)(F);                                                                         \
        }                                                                                          \
    }

INT_KERNEL(tfl_neg_s8__ref, int8_t, (uint8_t)(0u - (uint8_t)v))
INT_KERNEL(tfl_neg_s16__ref, int16_t, (uint16_t)(0u - (uint16_t)v))
INT_KERNEL(tfl_neg_s32__ref, int32_t, 0u - (uint32_t)v)
INT_KERNEL(tfl_neg_s64__ref, int64_t, (uint64_t)0 - (uint64_t)v)

/* SIGN: (v > 0) - (v < 0), as TFLite's; a float NaN gives 0. */
FLOAT_KERNEL(tfl_sign_f32__ref, (float)((v > 0.0f) - (v < 0.0f)))
INT_KERNEL(tfl_sign_s32__ref, int32_t, (uint32_t)((v > 0) - (v < 0)))
INT_KERNEL(tfl_abs_s16__ref, int16_t, v < 0 ? (uint16_t)(0u - (uint16_t)v) : (uint16_t)v)
INT_KERNEL(tfl_abs_s32__ref, int32_t, v < 0 ? 0u - (uint32_t)v : (uint32_t)v)

static inline int32_t abs_q(const tfl_abs_q_params *p, int32_t x, int32_t lo, int32_t hi)
{
    int32_t value = x - p->in_zp;
    value = value < 0 ? -value : value;
    if (p->rescale)
        value = tfl__mbqm(value, p->mult, p->shift);
    /* Wraps as TFLite's int32 sum would for absurd multipliers. */
    int32_t q = (int32_t)((uint32_t)value + (uint32_t)p->out_zp);
    return tfl__clamp_i32(q, lo, hi);
}

void tfl_abs_s8__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const int8_t *x = in; /* [n] */
    int8_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (int8_t)abs_q(params, x[i], INT8_MIN, INT8_MAX);
}

void tfl_abs_q16__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const int16_t *x = in; /* [n] */
    int16_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (int16_t)abs_q(params, x[i], INT16_MIN, INT16_MAX);
}

static inline int32_t sqrt_q(const tfl_sqrt_q_params *p, int32_t x, int32_t lo, int32_t hi)
{
    float f = sqrtf(p->in_scale * (float)(x - p->in_zp));
    /* Truncation (x86 semantics past the int32 range), then a wrapping sum. */
    int32_t q = (int32_t)((uint32_t)tfl__f2i_trunc(f / p->out_scale) + (uint32_t)p->out_zp);
    return tfl__clamp_i32(q, lo, hi);
}

void tfl_sqrt_s8__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const int8_t *x = in; /* [n], each >= in_zp */
    int8_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (int8_t)sqrt_q(params, x[i], INT8_MIN, INT8_MAX);
}

void tfl_sqrt_s16__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const int16_t *x = in; /* [n], each >= in_zp */
    int16_t *o = out;      /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (int16_t)sqrt_q(params, x[i], INT16_MIN, INT16_MAX);
}

void tfl_unary_lut_s8__ref(const void *lut, const void *in, void *out, size_t start, size_t end)
{
    const uint8_t *t = lut; /* [256], indexed by the input's bit pattern */
    const uint8_t *x = in;  /* [n] int8 bytes */
    uint8_t *o = out;       /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = t[x[i]];
}

void tfl_unary_lut_s16__ref(const void *lut, const void *in, void *out, size_t start, size_t end)
{
    const int16_t *t = lut; /* [TFL__LUT16_SIZE] */
    const int16_t *x = in;  /* [n] */
    int16_t *o = out;       /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = tfl__lut_lookup16(x[i], t);
}
