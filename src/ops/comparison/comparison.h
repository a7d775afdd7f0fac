/* Kernels of EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL:
 * binary kernels (ops/elementwise.h's tfl__binary_fn) writing bool bytes.
 * uint8 and int8 compare each input rescaled by its own scale, as TFLite's
 * ComparisonWithScaling does: (q - zero_point) << 8 times the scale's
 * fixed-point multiplier. */
#ifndef TFL_OPS_COMPARISON_H
#define TFL_OPS_COMPARISON_H

#include <stddef.h>
#include <stdint.h>

typedef struct tfl_compare_q8_params {
    int32_t in1_offset, in1_mult, in2_offset, in2_mult; /* offsets: -zero_point */
    int in1_shift, in2_shift;                           /* <= 0 */
} tfl_compare_q8_params;

#define TFL_COMPARE_DECLARE(OP)                                                                    \
    void tfl_##OP##_f32__ref(const void *p, const void *a, int as, const void *b, int bs,          \
                             void *out, size_t n);                                                 \
    void tfl_##OP##_s16__ref(const void *p, const void *a, int as, const void *b, int bs,          \
                             void *out, size_t n);                                                 \
    void tfl_##OP##_s32__ref(const void *p, const void *a, int as, const void *b, int bs,          \
                             void *out, size_t n);                                                 \
    void tfl_##OP##_s64__ref(const void *p, const void *a, int as, const void *b, int bs,          \
                             void *out, size_t n);                                                 \
    void tfl_##OP##_b8__ref(const void *p, const void *a, int as, const void *b, int bs,           \
                            void *out, size_t n);                                                  \
    void tfl_##OP##_u8__ref(const void *p, const void *a, int as, const void *b, int bs,           \
                            void *out, size_t n);                                                  \
    void tfl_##OP##_s8__ref(const void *p, const void *a, int as, const void *b, int bs,           \
                            void *out, size_t n);

TFL_COMPARE_DECLARE(equal)
TFL_COMPARE_DECLARE(not_equal)
TFL_COMPARE_DECLARE(less)
TFL_COMPARE_DECLARE(less_equal)
TFL_COMPARE_DECLARE(greater)
TFL_COMPARE_DECLARE(greater_equal)

#endif
