/* SOFTMAX kernels over the last dimension: fn(params, in, out, start, end)
 * computes rows [start, end) of depth elements each. */
#ifndef TFL_OPS_SOFTMAX_H
#define TFL_OPS_SOFTMAX_H

#include <stddef.h>
#include <stdint.h>

#include "kernels/lut.h"

typedef struct tfl_softmax_params {
    size_t depth; /* elements per row (the last dimension) */
    float beta;   /* float32 */
    /* 8-bit inputs: (x - row max) * beta * scale as Q5.26 via multiplier and
     * left shift; differences below diff_min give 0. */
    int32_t input_multiplier;
    int input_left_shift;
    int32_t diff_min;
    /* exp of each difference -d, d in [0, 255] (an 8-bit row's whole range),
     * in Q0: filled by tfl_softmax_exp_table once the three above are set,
     * so a row costs lookups instead of two fixed-point exps per element. */
    int32_t exp8[256];
    /* int16: differences rescaled so [-65535, 0] spans [-10, 0], then exp and
     * 1 / (1 + x) read from interpolated tables. */
    int32_t s16_multiplier;
    int s16_shift;
    int16_t exp_lut[TFL__LUT16_SIZE];
    int16_t recip_lut[TFL__LUT16_SIZE];
} tfl_softmax_params;

void tfl_softmax_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
/* Fills p->exp8 from input_multiplier, input_left_shift and diff_min. */
void tfl_softmax_exp_table(tfl_softmax_params *p);
/* 8-bit input -> 8-bit (same type) or int16 output. The output is 1/256
 * (1/65536 for int16) units offset by the type's minimum, whatever its
 * scale (as TFLite). */
void tfl_softmax_u8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_softmax_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_softmax_u8_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_softmax_s8_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
/* int16 -> int16 (zero points 0, output scale 2^-15). */
void tfl_softmax_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);

#endif
