/* QUANTIZE reference kernels, bit-exact with TFLite's reference QUANTIZE. */
#include <math.h>

#include "kernels/fixedpoint.h"
#include "ops/quantize/quantize.h"

/* round(x / scale) in float, converted as TFLite's x86 build does (NaN and
 * out-of-range values become INT32_MIN), plus the zero point with int32
 * wrap-around; then saturated. So +inf quantizes to the minimum unless the
 * zero point is negative. */
static inline int32_t quantize_one(float x, float scale, int32_t zp, int32_t lo, int32_t hi)
{
    int32_t q = (int32_t)((uint32_t)tfl__f2i_trunc(roundf(x / scale)) + (uint32_t)zp);
    return tfl__clamp_i32(q, lo, hi);
}

#define QUANTIZE_F32(NAME, PC_NAME, TO, LO, HI)                                                    \
    void NAME(const void *params, const void *in, void *out, size_t start, size_t end)             \
    {                                                                                              \
        const tfl_quantize_params *p = params;                                                     \
        const float *x = in; /* [n] */                                                             \
        TO *o = out;         /* [n] */                                                             \
        for (size_t i = start; i < end; ++i)                                                       \
            o[i] = (TO)quantize_one(x[i], p->scale, p->zero_point, LO, HI);                        \
    }                                                                                              \
    void PC_NAME(const void *params, const void *in, void *out, size_t start, size_t end)          \
    {                                                                                              \
        const tfl_quantize_params *p = params;                                                     \
        const float *x = in; /* [outer, channels, inner] */                                        \
        TO *o = out;         /* [outer, channels, inner] */                                        \
        for (size_t i = start; i < end; ++i) {                                                     \
            size_t c = (i / p->inner) % p->channels;                                               \
            o[i] = (TO)quantize_one(x[i], p->scales[c], (int32_t)p->zero_points[c], LO, HI);       \
        }                                                                                          \
    }

QUANTIZE_F32(tfl_quantize_f32_u8__ref, tfl_quantize_pc_f32_u8__ref, uint8_t, 0, 255)
QUANTIZE_F32(tfl_quantize_f32_s8__ref, tfl_quantize_pc_f32_s8__ref, int8_t, -128, 127)
QUANTIZE_F32(tfl_quantize_f32_s16__ref, tfl_quantize_pc_f32_s16__ref, int16_t, INT16_MIN, INT16_MAX)

/* (x - in_zp) rescaled, plus out_zp, saturated (TFLite Requantize). */
#define REQUANTIZE(NAME, TI, TO, LO, HI)                                                           \
    void NAME(const void *params, const void *in, void *out, size_t start, size_t end)             \
    {                                                                                              \
        const tfl_quantize_params *p = params;                                                     \
        const TI *x = in; /* [n] */                                                                \
        TO *o = out;      /* [n] */                                                                \
        for (size_t i = start; i < end; ++i) {                                                     \
            int32_t v = (int32_t)((uint32_t)(int32_t)x[i] - (uint32_t)p->in_zp);                   \
            int32_t r =                                                                            \
                (int32_t)((uint32_t)tfl__mbqm(v, p->mult, p->shift) + (uint32_t)p->out_zp);        \
            o[i] = (TO)tfl__clamp_i32(r, LO, HI);                                                  \
        }                                                                                          \
    }

REQUANTIZE(tfl_quantize_u8_u8__ref, uint8_t, uint8_t, 0, 255)
REQUANTIZE(tfl_quantize_u8_s8__ref, uint8_t, int8_t, -128, 127)
REQUANTIZE(tfl_quantize_u8_s16__ref, uint8_t, int16_t, INT16_MIN, INT16_MAX)
REQUANTIZE(tfl_quantize_s8_u8__ref, int8_t, uint8_t, 0, 255)
REQUANTIZE(tfl_quantize_s8_s8__ref, int8_t, int8_t, -128, 127)
REQUANTIZE(tfl_quantize_s8_s16__ref, int8_t, int16_t, INT16_MIN, INT16_MAX)
REQUANTIZE(tfl_quantize_s16_s8__ref, int16_t, int8_t, -128, 127)
REQUANTIZE(tfl_quantize_s16_s16__ref, int16_t, int16_t, INT16_MIN, INT16_MAX)
REQUANTIZE(tfl_quantize_s16_s32__ref, int16_t, int32_t, INT32_MIN, INT32_MAX)
REQUANTIZE(tfl_quantize_s32_s8__ref, int32_t, int8_t, -128, 127)
REQUANTIZE(tfl_quantize_s32_s16__ref, int32_t, int16_t, INT16_MIN, INT16_MAX)
