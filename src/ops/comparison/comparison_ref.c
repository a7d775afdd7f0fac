/* Comparison reference kernels, bit-exact with TFLite's reference
 * comparisons: a and b are read at i * as and i * bs (steps 0 or 1), one
 * bool byte (0 or 1) out per element. */
#include <stdbool.h>

#include "kernels/quant.h"
#include "ops/comparison/comparison.h"

/* One op over one plain type T (bool read as bytes). */
#define PLAIN(NAME, T, EXPR)                                                                       \
    void NAME(const void *p, const void *a, int as, const void *b, int bs, void *out, size_t n)    \
    {                                                                                              \
        const T *x = a, *y = b;                                                                    \
        uint8_t *o = out;                                                                          \
        (void)p;                                                                                   \
        for (size_t i = 0; i < n; ++i) {                                                           \
            const T u = x[i * as], v = y[i * bs];                                                  \
            o[i] = (EXPR) ? 1 : 0;                                                                 \
        }                                                                                          \
    }

/* uint8 / int8: both sides rescaled to a common fixed-point scale first. */
#define RESCALED(NAME, T, EXPR)                                                                    \
    void NAME(const void *params, const void *a, int as, const void *b, int bs, void *out,         \
              size_t n)                                                                            \
    {                                                                                              \
        const tfl_compare_q8_params *p = params;                                                   \
        const T *x = a, *y = b;                                                                    \
        uint8_t *o = out;                                                                          \
        for (size_t i = 0; i < n; ++i) {                                                           \
            const int32_t u = tfl__mbqm_small((p->in1_offset + x[i * as]) * 256, p->in1_mult,      \
                                              p->in1_shift);                                       \
            const int32_t v = tfl__mbqm_small((p->in2_offset + y[i * bs]) * 256, p->in2_mult,      \
                                              p->in2_shift);                                       \
            o[i] = (EXPR) ? 1 : 0;                                                                 \
        }                                                                                          \
    }

#define OP_KERNELS(OP, EXPR)                                                                       \
    PLAIN(tfl_##OP##_f32__ref, float, EXPR)                                                        \
    PLAIN(tfl_##OP##_s16__ref, int16_t, EXPR)                                                      \
    PLAIN(tfl_##OP##_s32__ref, int32_t, EXPR)                                                      \
    PLAIN(tfl_##OP##_s64__ref, int64_t, EXPR)                                                      \
    PLAIN(tfl_##OP##_b8__ref, uint8_t, EXPR)                                                       \
    RESCALED(tfl_##OP##_u8__ref, uint8_t, EXPR)                                                    \
    RESCALED(tfl_##OP##_s8__ref, int8_t, EXPR)

OP_KERNELS(equal, u == v)
OP_KERNELS(not_equal, u != v)
OP_KERNELS(less, u < v)
OP_KERNELS(less_equal, u <= v)
OP_KERNELS(greater, u > v)
OP_KERNELS(greater_equal, u >= v)
