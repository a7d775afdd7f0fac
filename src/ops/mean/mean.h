/* MEAN and SUM kernels: reduce an N-D tensor over a set of axes. Kernels
 * compute output elements [start, end); each output sums its input elements
 * in increasing memory order, the order TFLite's reference Reduce adds them,
 * so float results round identically. */
#ifndef TFL_OPS_MEAN_H
#define TFL_OPS_MEAN_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

typedef struct tfl_reduce_params {
    /* Kept (output) dimensions and their input strides, outermost first. */
    int nk;
    int32_t kdims[TFL_MAX_DIMS];
    size_t kstride[TFL_MAX_DIMS];
    /* Reduced dimensions and their input strides, outermost first. */
    int nr;
    int32_t rdims[TFL_MAX_DIMS];
    size_t rstride[TFL_MAX_DIMS];
    int64_t count; /* input elements per output (> 0 when a kernel runs) */
    /* > 0 when the input is [outer, count, inner] and the output [outer,
     * inner] (a mean over H and W of NHWC, say): inner is then the size of
     * the innermost, unreduced dimension, and the kernels sum whole rows. */
    size_t inner;
    /* Integer rescale: out = zp_out + rescale(sum - count * zp_in). MEAN
     * folds 1 / count into mult/shift at prepare, as TFLite does. */
    int32_t in_zp, out_zp;
    int32_t mult;
    int shift;
    float scale; /* int8 SUM: input_scale / output_scale */
    /* Quantized REDUCE_PROD of no elements: 1.0 in the output's
     * quantization (TFLite leaves such an output unwritten). */
    int32_t empty_prod;
    /* Float SUM start value: -0.0 when every axis is reduced (TFLite then
     * starts from the first element, which -0.0 + x reproduces), else +0.0
     * (TFLite zero-fills the output first). */
    float sum_init;
} tfl_reduce_params;

typedef void (*tfl_reduce_fn)(const tfl_reduce_params *p, const void *input, void *output,
                              size_t start, size_t end);

/* MEAN: float sums divided by the count; int32/int64 truncate the int64 sum
 * divided by the count; uint8/int8/int16 rescale the int32 sum. */
void tfl_mean_f32__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                       size_t end);
void tfl_mean_s32__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                       size_t end);
void tfl_mean_s64__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                       size_t end);
void tfl_mean_u8__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end);
void tfl_mean_s8__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end);
void tfl_mean_s16__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                       size_t end);

/* SUM: float adds from sum_init; int32/int64 wrap;
 * uint8 rescales the int32 sum in fixed point (as MEAN, without 1 / count);
 * int8 rescales in float as TFLite's builtin kernel does. */
void tfl_sum_f32__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end);
void tfl_sum_s32__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end);
void tfl_sum_s64__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end);
void tfl_sum_u8__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                     size_t end);
void tfl_sum_s8__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                     size_t end);
void tfl_sum_s16__ref(const tfl_reduce_params *p, const void *input, void *output, size_t start,
                      size_t end);

/* REDUCE_MAX / REDUCE_MIN (float32, uint8, int8, int16, int32, int64; raw
 * values), REDUCE_PROD (float32, int32, int64), REDUCE_ANY / REDUCE_ALL
 * (bool) (reduce_ref.c). */
#define TFL_REDUCE_DECLARE(NAME)                                                                   \
    void NAME(const tfl_reduce_params *p, const void *input, void *output, size_t start,           \
              size_t end);
#define TFL_REDUCE_MAXMIN_DECLARE(SUFFIX)                                                          \
    TFL_REDUCE_DECLARE(tfl_reduce_max_##SUFFIX##__ref) TFL_REDUCE_DECLARE(tfl_reduce_min_##SUFFIX##__ref)
TFL_REDUCE_MAXMIN_DECLARE(f32)
TFL_REDUCE_MAXMIN_DECLARE(u8)
TFL_REDUCE_MAXMIN_DECLARE(s8)
TFL_REDUCE_MAXMIN_DECLARE(s16)
TFL_REDUCE_MAXMIN_DECLARE(s32)
TFL_REDUCE_MAXMIN_DECLARE(s64)
TFL_REDUCE_DECLARE(tfl_reduce_prod_f32__ref)
TFL_REDUCE_DECLARE(tfl_reduce_prod_s32__ref)
TFL_REDUCE_DECLARE(tfl_reduce_prod_s64__ref)
/* Unquantized uint8 / int8 / int16 products, wrapping at every step. */
TFL_REDUCE_DECLARE(tfl_reduce_prod_u8__ref)
TFL_REDUCE_DECLARE(tfl_reduce_prod_s8_raw__ref)
TFL_REDUCE_DECLARE(tfl_reduce_prod_s16_raw__ref)
/* Quantized int8 / int16 (TFLite's QuantizedReduceProd: p->mult/shift is
 * the per-step rescale, in_zp / out_zp the zero points). */
TFL_REDUCE_DECLARE(tfl_reduce_prod_s8__ref)
TFL_REDUCE_DECLARE(tfl_reduce_prod_s16__ref)
TFL_REDUCE_DECLARE(tfl_reduce_any_b8__ref)
TFL_REDUCE_DECLARE(tfl_reduce_all_b8__ref)

#endif
