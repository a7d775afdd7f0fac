/* Reference CAST kernel: each element is read as a float or a 64-bit
 * integer and written with the destination type's conversion rule. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ops/cast/cast.h"

int tfl_cast_type_supported(tfl_type t)
{
    switch (t) {
    case TFL_FLOAT32:
    case TFL_BOOL:
    case TFL_UINT8:
    case TFL_INT8:
    case TFL_INT16:
    case TFL_UINT16:
    case TFL_INT32:
    case TFL_UINT32:
    case TFL_INT64: return 1;
    default: return 0;
    }
}

typedef struct value {
    int is_float;
    float f;
    int64_t i;
} value;

static value load(tfl_type t, const uint8_t *p)
{
    value v = {0, 0.0f, 0};
    switch (t) {
    case TFL_FLOAT32:
        v.is_float = 1;
        memcpy(&v.f, p, 4);
        break;
    case TFL_BOOL: v.i = p[0] != 0; break;
    case TFL_UINT8: v.i = p[0]; break;
    case TFL_INT8: v.i = (int8_t)p[0]; break;
    case TFL_INT16: {
        int16_t x;
        memcpy(&x, p, 2);
        v.i = x;
        break;
    }
    case TFL_UINT16: {
        uint16_t x;
        memcpy(&x, p, 2);
        v.i = x;
        break;
    }
    case TFL_INT32: {
        int32_t x;
        memcpy(&x, p, 4);
        v.i = x;
        break;
    }
    case TFL_UINT32: {
        uint32_t x;
        memcpy(&x, p, 4);
        v.i = x;
        break;
    }
    case TFL_INT64: memcpy(&v.i, p, 8); break;
    default: break;
    }
    return v;
}

/* TFLite's SafeCast: NaN -> max, below min -> min, at or above max + 1 ->
 * max, else truncation toward zero. `max_exclusive` is max + 1, exact as a
 * float (a power of two). */
static int64_t saturate(float f, int64_t min, float max_exclusive, int64_t max)
{
    if (isnan(f))
        return max;
    if (f < (float)min)
        return min;
    if (f >= max_exclusive)
        return max;
    return (int64_t)f;
}

static void store(tfl_type t, uint8_t *p, value v)
{
    switch (t) {
    case TFL_FLOAT32: {
        float f = v.is_float ? v.f : (float)v.i;
        memcpy(p, &f, 4);
        break;
    }
    case TFL_BOOL: p[0] = v.is_float ? v.f != 0.0f : v.i != 0; break;
    case TFL_UINT8: p[0] = (uint8_t)(v.is_float ? saturate(v.f, 0, 256.0f, UINT8_MAX) : v.i); break;
    case TFL_INT8: {
        int8_t x = (int8_t)(v.is_float ? saturate(v.f, INT8_MIN, 128.0f, INT8_MAX) : (uint8_t)v.i);
        memcpy(p, &x, 1);
        break;
    }
    case TFL_INT16: {
        int16_t x =
            (int16_t)(v.is_float ? saturate(v.f, INT16_MIN, 32768.0f, INT16_MAX) : (uint16_t)v.i);
        memcpy(p, &x, 2);
        break;
    }
    case TFL_UINT16: {
        uint16_t x = (uint16_t)(v.is_float ? saturate(v.f, 0, 65536.0f, UINT16_MAX) : v.i);
        memcpy(p, &x, 2);
        break;
    }
    case TFL_INT32: {
        int32_t x = (int32_t)(v.is_float ? saturate(v.f, INT32_MIN, 2147483648.0f, INT32_MAX)
                                         : (uint32_t)v.i);
        memcpy(p, &x, 4);
        break;
    }
    case TFL_UINT32: {
        uint32_t x = (uint32_t)(v.is_float ? saturate(v.f, 0, 4294967296.0f, UINT32_MAX) : v.i);
        memcpy(p, &x, 4);
        break;
    }
    case TFL_INT64: {
        int64_t x = v.is_float ? saturate(v.f, INT64_MIN, 9223372036854775808.0f, INT64_MAX) : v.i;
        memcpy(p, &x, 8);
        break;
    }
    default: break;
    }
}

void tfl_cast_any__ref(const tfl_cast_params *p, const void *input, void *output, size_t start,
                       size_t end)
{
    const size_t in_es = tfl_type_size(p->from), out_es = tfl_type_size(p->to);
    const uint8_t *in = (const uint8_t *)input; /* [n] elements of p->from */
    uint8_t *out = (uint8_t *)output;           /* [n] elements of p->to */
    for (size_t i = start; i < end; ++i)
        store(p->to, out + i * out_es, load(p->from, in + i * in_es));
}

#define TO_FLOAT(NAME, T)                                                                          \
    void NAME(const tfl_cast_params *p, const void *input, void *output, size_t start,             \
              size_t end)                                                                          \
    {                                                                                              \
        (void)p;                                                                                   \
        const T *in = (const T *)input; /* [n] */                                                  \
        float *out = (float *)output;   /* [n] */                                                  \
        for (size_t i = start; i < end; ++i)                                                       \
            out[i] = (float)in[i];                                                                 \
    }
TO_FLOAT(tfl_cast_u8_f32__ref, uint8_t)
TO_FLOAT(tfl_cast_s8_f32__ref, int8_t)
TO_FLOAT(tfl_cast_s16_f32__ref, int16_t)
TO_FLOAT(tfl_cast_s32_f32__ref, int32_t)
