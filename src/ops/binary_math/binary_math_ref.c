/* SQUARED_DIFFERENCE, ATAN2 and POW reference kernels: a and b read at
 * i * as and i * bs (steps 0 or 1). */
#include <math.h>
#include <stdint.h>

#include "kernels/quant.h"
#include "ops/binary_math/binary_math.h"

#define BINARY(NAME, T, EXPR)                                                                      \
    void NAME(const void *p, const void *a, int as, const void *b, int bs, void *out, size_t n)    \
    {                                                                                              \
        const T *x = a, *y = b;                                                                    \
        T *o = out;                                                                                \
        (void)p;                                                                                   \
        for (size_t i = 0; i < n; ++i) {                                                           \
            const T u = x[i * as], v = y[i * bs];                                                  \
            o[i] = (EXPR);                                                                         \
        }                                                                                          \
    }

static inline float sqdiff_f32(float u, float v)
{
    const float d = u - v;
    return d * d;
}

static inline int32_t sqdiff_s32(int32_t u, int32_t v)
{
    const uint32_t d = (uint32_t)u - (uint32_t)v;
    return (int32_t)(d * d);
}

static inline int32_t pow_s32(int32_t u, int32_t v)
{
    const double r = pow((double)u, (double)v);
    return r >= -2147483648.0 && r < 2147483648.0 ? (int32_t)r : INT32_MIN;
}

BINARY(tfl_squared_difference_f32__ref, float, sqdiff_f32(u, v))
BINARY(tfl_squared_difference_s32__ref, int32_t, sqdiff_s32(u, v))
BINARY(tfl_atan2_f32__ref, float, atan2f(u, v))
BINARY(tfl_pow_f32__ref, float, powf(u, v))
BINARY(tfl_pow_s32__ref, int32_t, pow_s32(u, v))

void tfl_squared_difference_s8__ref(const void *p, const void *a, int as, const void *b, int bs,
                                    void *out, size_t n)
{
    const tfl_squared_difference_q8_params *q = p;
    const int8_t *x = a, *y = b; /* [n] with steps as, bs (0: broadcast) */
    int8_t *o = out;             /* [n] */
    for (size_t i = 0; i < n; ++i) {
        const int32_t v1 = (q->in1_offset + x[i * (size_t)as]) * (1 << 7);
        const int32_t v2 = (q->in2_offset + y[i * (size_t)bs]) * (1 << 7);
        const int32_t s1 = tfl__mbqm_small(v1, q->in1_mult, q->in1_shift);
        const int32_t s2 = tfl__mbqm_small(v2, q->in2_mult, q->in2_shift);
        const int32_t diff = s1 - s2;
        const int32_t r = tfl__mbqm_small(diff * diff, q->out_mult, q->out_shift) + q->out_offset;
        o[i] = (int8_t)tfl__clamp_i32(r, INT8_MIN, INT8_MAX);
    }
}
