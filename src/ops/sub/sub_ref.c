/* SUB reference kernels: portable C, bit-exact with TFLite's reference SUB.
 * a and b are read at i * as and i * bs (steps 0 or 1), out at i. */
#include "kernels/fixedpoint.h"
#include "ops/sub/sub.h"

void tfl_sub_f32__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const tfl_add_params *p = params;
    const float *x = a; /* [n] or [1] */
    const float *y = b; /* [n] or [1] */
    float *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = tfl__clamp_f32(x[i * as] - y[i * bs], p->act_min_f, p->act_max_f);
}

void tfl_sub_s32__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const tfl_add_params *p = params;
    const int32_t *x = a; /* [n] or [1] */
    const int32_t *y = b; /* [n] or [1] */
    int32_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i) {
        /* Wraps on overflow, as TFLite's int32 subtract does in practice. */
        int32_t s = (int32_t)((uint32_t)x[i * as] - (uint32_t)y[i * bs]);
        o[i] = tfl__clamp_i32(s, p->act_min, p->act_max);
    }
}

void tfl_sub_s64__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const tfl_add_params *p = params;
    const int64_t *x = a; /* [n] or [1] */
    const int64_t *y = b; /* [n] or [1] */
    int64_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i) {
        int64_t s = (int64_t)((uint64_t)x[i * as] - (uint64_t)y[i * bs]);
        o[i] = s < p->act_min64 ? p->act_min64 : (s > p->act_max64 ? p->act_max64 : s);
    }
}

void tfl_sub_u8__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                     size_t n)
{
    const uint8_t *x = a; /* [n] or [1] */
    const uint8_t *y = b; /* [n] or [1] */
    uint8_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = (uint8_t)tfl__addsub_q(params, x[i * as], y[i * bs], 1);
}

void tfl_sub_s8__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                     size_t n)
{
    const int8_t *x = a; /* [n] or [1] */
    const int8_t *y = b; /* [n] or [1] */
    int8_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = (int8_t)tfl__addsub_q(params, x[i * as], y[i * bs], 1);
}

void tfl_sub_s16__ref(const void *params, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const int16_t *x = a; /* [n] or [1] */
    const int16_t *y = b; /* [n] or [1] */
    int16_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i)
        o[i] = (int16_t)tfl__addsub_q(params, x[i * as], y[i * bs], 1);
}

void tfl_sub_s16_pot__ref(const void *params, const void *a, int as, const void *b, int bs,
                          void *out, size_t n)
{
    const tfl_add_params *p = params;
    const int16_t *x = a; /* [n] or [1] */
    const int16_t *y = b; /* [n] or [1] */
    int16_t *o = out;     /* [n] */
    for (size_t i = 0; i < n; ++i) {
        /* One input is already on the output scale (shift 0 is identity). */
        int32_t s = (int32_t)tfl__rdbypot16(x[i * as], -p->in1_shift) -
                    tfl__rdbypot16(y[i * bs], -p->in2_shift);
        o[i] = (int16_t)tfl__clamp_i32(s, p->act_min, p->act_max);
    }
}
