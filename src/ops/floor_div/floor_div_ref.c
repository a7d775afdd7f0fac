/* FLOOR_DIV reference kernels: floor of the quotient computed in double. */
#include <math.h>
#include <stdint.h>

#include "ops/floor_div/floor_div.h"

/* Integer floor division through double, wrapped to the output width. */
#define FLOOR_DIV_INT(NAME, T, UT)                                                                 \
    void NAME(const void *p, const void *a, int as, const void *b, int bs, void *out, size_t n)    \
    {                                                                                              \
        const T *x = a; /* [n] or [1] */                                                           \
        const T *y = b; /* [n] or [1], nonzero */                                                  \
        T *o = out;     /* [n] */                                                                  \
        (void)p;                                                                                   \
        for (size_t i = 0; i < n; ++i) {                                                           \
            double q = floor((double)x[i * as] / (double)y[i * bs]);                               \
            o[i] = (T)(UT)(int64_t)q;                                                              \
        }                                                                                          \
    }

FLOOR_DIV_INT(tfl_floor_div_s32__ref, int32_t, uint32_t)
FLOOR_DIV_INT(tfl_floor_div_s16__ref, int16_t, uint16_t)
FLOOR_DIV_INT(tfl_floor_div_s8__ref, int8_t, uint8_t)

void tfl_floor_div_f32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                            size_t n)
{
    const float *x = a; /* [n] or [1] */
    const float *y = b; /* [n] or [1], nonzero */
    float *o = out;     /* [n] */
    (void)p;
    for (size_t i = 0; i < n; ++i)
        o[i] = (float)floor((double)x[i * as] / (double)y[i * bs]);
}
