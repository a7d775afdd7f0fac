/* MUL reference kernels: portable C, bit-exact with TFLite's reference MUL.
 * a and b are read at i * as and i * bs (steps 0 or 1), out at i. */
#include "kernels/fixedpoint.h"
#include "ops/mul/mul.h"

void tfl_mul_f32__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const tfl_mul_params *p = params;
    const float *x = a; /* [n] or [1] */
    const float *y = b; /* [n] or [1] */
    float *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = tfl__clamp_f32(x[i * as] * y[i * bs], p->act_min_f, p->act_max_f);
}

void tfl_mul_s32__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const tfl_mul_params *p = params;
    const int32_t *x = a; /* [n] or [1] */
    const int32_t *y = b; /* [n] or [1] */
    int32_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i) {
        int32_t v = (int32_t)((uint32_t)x[i * as] * (uint32_t)y[i * bs]);
        o[i] = tfl__clamp_i32(v, p->act_min, p->act_max);
    }
}

void tfl_mul_s64__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const tfl_mul_params *p = params;
    const int64_t *x = a; /* [n] or [1] */
    const int64_t *y = b; /* [n] or [1] */
    int64_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i) {
        int64_t v = (int64_t)((uint64_t)x[i * as] * (uint64_t)y[i * bs]);
        o[i] = v < p->act_min64 ? p->act_min64 : (v > p->act_max64 ? p->act_max64 : v);
    }
}

void tfl_mul_s16_int__ref(const void *params, const void *a, int as, const void *b, int bs,
                          void *out, size_t n)
{
    const tfl_mul_params *p = params;
    const int16_t *x = a; /* [n] or [1] */
    const int16_t *y = b; /* [n] or [1] */
    int16_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i) {
        int16_t v = (int16_t)(uint16_t)((uint32_t)(uint16_t)x[i * as] * (uint16_t)y[i * bs]);
        o[i] = (int16_t)tfl__clamp_i32(v, p->act_min, p->act_max);
    }
}

static inline int32_t mul_q(const tfl_mul_params *p, int32_t x, int32_t y)
{
    int32_t prod = (x + p->in1_offset) * (y + p->in2_offset);
    int32_t r = p->out_offset + tfl__mbqm(prod, p->out_mult, p->out_shift);
    return tfl__clamp_i32(r, p->act_min, p->act_max);
}

void tfl_mul_u8__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                     size_t n)
{
    const uint8_t *x = a; /* [n] or [1] */
    const uint8_t *y = b; /* [n] or [1] */
    uint8_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = (uint8_t)mul_q(params, x[i * as], y[i * bs]);
}

void tfl_mul_s8__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                     size_t n)
{
    const int8_t *x = a; /* [n] or [1] */
    const int8_t *y = b; /* [n] or [1] */
    int8_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = (int8_t)mul_q(params, x[i * as], y[i * bs]);
}

void tfl_mul_s16__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const int16_t *x = a; /* [n] or [1] */
    const int16_t *y = b; /* [n] or [1] */
    int16_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = (int16_t)mul_q(params, x[i * as], y[i * bs]);
}

/* Q0.15 product, rounded down to 8 bits, clamped around the output zero point. */
static inline int32_t mul_s16_to_8(const tfl_mul_params *p, int16_t x, int16_t y)
{
    int16_t r = tfl__rdbypot16(tfl__srdhm16(x, y), 8);
    int16_t hi = (int16_t)(p->act_max - p->out_offset);
    int16_t lo = (int16_t)(p->act_min - p->out_offset);
    r = r < hi ? r : hi;
    r = r > lo ? r : lo;
    return p->out_offset + r;
}

void tfl_mul_s16_s8__ref(const void *params, const void *a, int as, const void *b, int bs,
                         void *out, size_t n)
{
    const int16_t *x = a; /* [n] or [1] */
    const int16_t *y = b; /* [n] or [1] */
    int8_t *o = out;      /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = (int8_t)mul_s16_to_8(params, x[i * as], y[i * bs]);
}

void tfl_mul_s16_u8__ref(const void *params, const void *a, int as, const void *b, int bs,
                         void *out, size_t n)
{
    const int16_t *x = a; /* [n] or [1] */
    const int16_t *y = b; /* [n] or [1] */
    uint8_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = (uint8_t)mul_s16_to_8(params, x[i * as], y[i * bs]);
}
