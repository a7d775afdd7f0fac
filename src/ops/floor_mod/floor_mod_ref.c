/* FLOOR_MOD reference kernels: truncated remainder, moved into the divisor's
 * sign when it has the other one. */
#include <math.h>
#include <stdint.h>

#include "ops/floor_mod/floor_mod.h"

/* x % -1 is 0 (the C expression would trap for the most negative x). */
#define FLOOR_MOD_INT(NAME, T)                                                                     \
    void NAME(const void *p, const void *a, int as, const void *b, int bs, void *out, size_t n)    \
    {                                                                                              \
        const T *x = a; /* [n] or [1] */                                                           \
        const T *y = b; /* [n] or [1], nonzero */                                                  \
        T *o = out;     /* [n] */                                                                  \
        (void)p;                                                                                   \
        for (size_t i = 0; i < n; ++i) {                                                           \
            T u = x[i * as], v = y[i * bs];                                                        \
            T r = v == -1 ? 0 : (T)(u % v);                                                        \
            o[i] = (r != 0 && ((v < 0) != (r < 0))) ? (T)(r + v) : r;                              \
        }                                                                                          \
    }

FLOOR_MOD_INT(tfl_floor_mod_s64__ref, int64_t)
FLOOR_MOD_INT(tfl_floor_mod_s32__ref, int32_t)
FLOOR_MOD_INT(tfl_floor_mod_s16__ref, int16_t)
FLOOR_MOD_INT(tfl_floor_mod_s8__ref, int8_t)

void tfl_floor_mod_f32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                            size_t n)
{
    const float *x = a; /* [n] or [1] */
    const float *y = b; /* [n] or [1] */
    float *o = out;     /* [n] */
    (void)p;
    for (size_t i = 0; i < n; ++i) {
        float v = y[i * bs];
        float r = fmodf(x[i * as], v);
        o[i] = (r != 0 && ((v < 0) != (r < 0))) ? r + v : r;
    }
}
