/* ARG_MAX / ARG_MIN kernels: the index of the largest / smallest value along
 * one axis, the first one on ties. The input is viewed as
 * [outer, axis_size, inner]; kernels compute outer rows [start, end). */
#ifndef TFL_OPS_ARG_MIN_MAX_H
#define TFL_OPS_ARG_MIN_MAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tfl_arg_min_max_params {
    size_t outer, axis_size, inner; /* axis_size > 0 */
    bool is_max;
    bool out64; /* int64 output indices, else int32 */
} tfl_arg_min_max_params;

typedef void (*tfl_arg_min_max_fn)(const tfl_arg_min_max_params *p, const void *input, void *output,
                                   size_t start, size_t end);

/* float: NaN never wins and any number replaces a NaN, so an all-NaN run
 * gives index 0 (TFLite's NaN-aware comparison). bool compares false < true. */
void tfl_arg_min_max_f32__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                              size_t start, size_t end);
void tfl_arg_min_max_u8__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                             size_t start, size_t end);
void tfl_arg_min_max_s8__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                             size_t start, size_t end);
void tfl_arg_min_max_s16__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                              size_t start, size_t end);
void tfl_arg_min_max_s32__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                              size_t start, size_t end);
void tfl_arg_min_max_b8__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                             size_t start, size_t end);

/* AVX-512BW uint8/int8 along an innermost axis of at most 64, other shapes
 * through the reference (arg_min_max_avx512.c). */
void tfl_arg_min_max_u8__avx512(const tfl_arg_min_max_params *p, const void *input, void *output,
                                size_t start, size_t end);
void tfl_arg_min_max_s8__avx512(const tfl_arg_min_max_params *p, const void *input, void *output,
                                size_t start, size_t end);

/* The op's kernel records, best first (arg_min_max.c); a record's kind is
 * its input tfl_type. */
#include "ops/kernel.h"
extern const tfl__kernel tfl__arg_min_max_kernels[];
extern const size_t tfl__arg_min_max_num_kernels;

#endif
