/* MAXIMUM and MINIMUM kernels: binary kernels (ops/elementwise.h) over one
 * type, TFLite's el1 > el2 ? el1 : el2 (and el1 < el2 ? el1 : el2). So
 * max(x, NaN) is NaN, max(NaN, x) is x, and of +0 and -0 the second comes
 * out, as in TFLite; quantized types compare raw values. */
#ifndef TFL_OPS_MAXIMUM_MINIMUM_H
#define TFL_OPS_MAXIMUM_MINIMUM_H

#include <stddef.h>

#define TFL_MAXMIN_DECLARE(OP, T)                                                                  \
    void tfl_##OP##_##T##__ref(const void *p, const void *a, int as, const void *b, int bs,        \
                               void *out, size_t n);
#define TFL_MAXMIN_TYPES(OP)                                                                       \
    TFL_MAXMIN_DECLARE(OP, f32)                                                                    \
    TFL_MAXMIN_DECLARE(OP, u8)                                                                     \
    TFL_MAXMIN_DECLARE(OP, s8)                                                                     \
    TFL_MAXMIN_DECLARE(OP, s16)                                                                    \
    TFL_MAXMIN_DECLARE(OP, s32)                                                                    \
    TFL_MAXMIN_DECLARE(OP, s64)

TFL_MAXMIN_TYPES(maximum)
TFL_MAXMIN_TYPES(minimum)

#endif
