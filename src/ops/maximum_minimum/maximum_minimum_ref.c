/* MAXIMUM and MINIMUM reference kernels, bit-exact with TFLite's: a and b
 * are read at i * as and i * bs (steps 0 or 1). */
#include <stdint.h>

#include "ops/maximum_minimum/maximum_minimum.h"

#define MAXMIN(OP, SUFFIX, T, CMP)                                                                 \
    void tfl_##OP##_##SUFFIX##__ref(const void *p, const void *a, int as, const void *b, int bs,   \
                                    void *out, size_t n)                                           \
    {                                                                                              \
        const T *x = a, *y = b;                                                                    \
        T *o = out;                                                                                \
        (void)p;                                                                                   \
        for (size_t i = 0; i < n; ++i) {                                                           \
            const T u = x[i * as], v = y[i * bs];                                                  \
            o[i] = u CMP v ? u : v;                                                                \
        }                                                                                          \
    }

#define BOTH(SUFFIX, T) MAXMIN(maximum, SUFFIX, T, >) MAXMIN(minimum, SUFFIX, T, <)

BOTH(f32, float)
BOTH(u8, uint8_t)
BOTH(s8, int8_t)
BOTH(s16, int16_t)
BOTH(s32, int32_t)
BOTH(s64, int64_t)
