/* DEQUANTIZE reference kernels, bit-exact with TFLite's reference DEQUANTIZE. */
#include <math.h>
#include <string.h>

#include "ops/dequantize/dequantize.h"

#define DEQUANTIZE(NAME, PC_NAME, TI)                                                              \
    void NAME(const void *params, const void *in, void *out, size_t start, size_t end)             \
    {                                                                                              \
        const tfl_dequantize_params *p = params;                                                   \
        const TI *x = in; /* [n] */                                                                \
        float *o = out;   /* [n] */                                                                \
        for (size_t i = start; i < end; ++i)                                                       \
            o[i] = (float)(p->scale * (double)((int32_t)x[i] - p->zero_point));                    \
    }                                                                                              \
    void PC_NAME(const void *params, const void *in, void *out, size_t start, size_t end)          \
    {                                                                                              \
        const tfl_dequantize_params *p = params;                                                   \
        const TI *x = in; /* [outer, channels, inner] */                                           \
        float *o = out;   /* [outer, channels, inner] */                                           \
        for (size_t i = start; i < end; ++i) {                                                     \
            size_t c = (i / p->inner) % p->channels;                                               \
            o[i] = p->scales[c] * (float)((int32_t)x[i] - (int32_t)p->zero_points[c]);             \
        }                                                                                          \
    }

DEQUANTIZE(tfl_dequantize_u8__ref, tfl_dequantize_pc_u8__ref, uint8_t)
DEQUANTIZE(tfl_dequantize_s8__ref, tfl_dequantize_pc_s8__ref, int8_t)

void tfl_dequantize_s16__ref(const void *params, const void *in, void *out, size_t start,
                             size_t end)
{
    const tfl_dequantize_params *p = params;
    const int16_t *x = in; /* [n] */
    float *o = out;        /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = (float)(p->scale * (double)((int32_t)x[i] - p->zero_point));
}

static float half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (man << 13); /* inf / nan */
    } else if (exp != 0) {
        bits = sign | ((exp + 112) << 23) | (man << 13);
    } else {
        /* zero or subnormal: man * 2^-24, exact in float */
        float f = ldexpf((float)man, -24);
        return sign ? -f : f;
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

void tfl_dequantize_f16__ref(const void *params, const void *in, void *out, size_t start,
                             size_t end)
{
    const uint16_t *x = in; /* [n] IEEE half */
    float *o = out;         /* [n] */
    (void)params;
    for (size_t i = start; i < end; ++i)
        o[i] = half_to_float(x[i]);
}
