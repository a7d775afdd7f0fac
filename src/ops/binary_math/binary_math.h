/* SQUARED_DIFFERENCE, ATAN2 and POW kernels: binary kernels (ops/elementwise.h)
 * over one type, TFLite's formulas. */
#ifndef TFL_OPS_BINARY_MATH_H
#define TFL_OPS_BINARY_MATH_H

#include <stddef.h>
#include <stdint.h>

#define TFL_BINARY_MATH_DECLARE(NAME)                                                              \
    void NAME(const void *p, const void *a, int as, const void *b, int bs, void *out, size_t n);

/* (a - b) * (a - b); int32 wraps. */
TFL_BINARY_MATH_DECLARE(tfl_squared_difference_f32__ref)
TFL_BINARY_MATH_DECLARE(tfl_squared_difference_s32__ref)
/* int8 as TFLite's quantized SQUARED_DIFFERENCE: both inputs rescaled to
 * twice the larger input scale (after a left shift of 7), the difference
 * squared in int32, then rescaled to the output. */
typedef struct tfl_squared_difference_q8_params {
    int32_t in1_offset, in2_offset, out_offset;
    int32_t in1_mult, in2_mult, out_mult;
    int in1_shift, in2_shift, out_shift; /* <= 0 */
} tfl_squared_difference_q8_params;
TFL_BINARY_MATH_DECLARE(tfl_squared_difference_s8__ref)
/* atan2(a, b): a is y, b is x. */
TFL_BINARY_MATH_DECLARE(tfl_atan2_f32__ref)
/* powf(a, b); int32: pow in double converted back, an out-of-range result
 * giving INT32_MIN as x86's conversion does (negative exponents are refused
 * before the kernel runs). */
TFL_BINARY_MATH_DECLARE(tfl_pow_f32__ref)
TFL_BINARY_MATH_DECLARE(tfl_pow_s32__ref)

#endif
