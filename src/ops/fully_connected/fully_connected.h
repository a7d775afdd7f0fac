/* FULLY_CONNECTED kernels: output[b, u] = sum_d input[b, d] * filter[u, d]
 * + bias[u]. Kernels compute batch rows [start, end). */
#ifndef TFL_OPS_FULLY_CONNECTED_H
#define TFL_OPS_FULLY_CONNECTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tfl_fully_connected_params {
    int batches;     /* input [batches, accum_depth] (leading dims flattened) */
    int accum_depth; /* filter [out_depth, accum_depth] */
    int out_depth;   /* output [batches, out_depth] */
    /* float */
    float act_min_f, act_max_f;
    /* quantized: offsets are -zero_point for input/filter, +zero_point for
     * the output */
    int32_t input_offset, filter_offset, output_offset;
    int32_t act_min, act_max;
    /* [out_depth] input_scale * filter_scale / output_scale. TFLite's
     * reference kernels rescale in double: round(acc * scale). */
    const double *scale;
    bool const_weights; /* filter and bias are model constants (packable) */
    /* Work items per batch row: kernels compute items [start, end) of
     * batches * groups; 1 for every kernel but those that split a row's
     * output channels into groups. */
    size_t groups;
} tfl_fully_connected_params;

typedef void (*tfl_fully_connected_fn)(const tfl_fully_connected_params *p, const void *input,
                                       const void *filter, const void *bias, void *output,
                                       size_t start, size_t end);

/* float: float bias (optional). */
void tfl_fully_connected_f32__ref(const tfl_fully_connected_params *p, const void *input,
                                  const void *filter, const void *bias, void *output, size_t start,
                                  size_t end);
/* uint8 legacy quantization, int32 bias. */
void tfl_fully_connected_u8__ref(const tfl_fully_connected_params *p, const void *input,
                                 const void *filter, const void *bias, void *output, size_t start,
                                 size_t end);
/* int8, per-tensor or per-channel int8 filter, int32 bias. */
void tfl_fully_connected_s8__ref(const tfl_fully_connected_params *p, const void *input,
                                 const void *filter, const void *bias, void *output, size_t start,
                                 size_t end);
/* int16 activations, int8 filter, int64 bias and accumulator. */
void tfl_fully_connected_s16__ref(const tfl_fully_connected_params *p, const void *input,
                                  const void *filter, const void *bias, void *output, size_t start,
                                  size_t end);
/* int16 activations, int8 filter, int32 bias and (wrapping) accumulator. */
void tfl_fully_connected_s16_b32__ref(const tfl_fully_connected_params *p, const void *input,
                                      const void *filter, const void *bias, void *output,
                                      size_t start, size_t end);

/* AVX-512 VNNI int8 and uint8: packed filter and bias, work items of 64
 * output channels (fully_connected_vnni.c). */
void tfl_fully_connected_s8__vnni(const tfl_fully_connected_params *p, const void *input,
                                  const void *packed, const void *bias, void *output, size_t start,
                                  size_t end);
void tfl_fully_connected_u8__vnni(const tfl_fully_connected_params *p, const void *input,
                                  const void *packed, const void *bias, void *output, size_t start,
                                  size_t end);
bool tfl_fully_connected_vnni_supports(const tfl_fully_connected_params *p);
size_t tfl_fully_connected_vnni_groups(const tfl_fully_connected_params *p);
size_t tfl_fully_connected_vnni_packed_bytes(const tfl_fully_connected_params *p);
void tfl_fully_connected_vnni_pack(const tfl_fully_connected_params *p, bool u8,
                                   const void *filter, const void *bias, void *packed);

/* The op's kernel records, best first (fully_connected.c); kinds are
 * tfl__conv_kind. */
#include "ops/kernel.h"
extern const tfl__kernel tfl__fully_connected_kernels[];
extern const size_t tfl__fully_connected_num_kernels;

/* float32 with AVX-512F: 64 units per work item (p->groups items per batch
 * row), the filter packed per 16 units (fully_connected_f32_avx512.c). */
void tfl_fully_connected_f32__avx512(const tfl_fully_connected_params *p, const void *input,
                                     const void *packed, const void *bias, void *output,
                                     size_t start, size_t end);
size_t tfl_fully_connected_f32_avx512_groups(const tfl_fully_connected_params *p);
size_t tfl_fully_connected_f32_avx512_packed_bytes(const tfl_fully_connected_params *p);
void tfl_fully_connected_f32_avx512_pack(const tfl_fully_connected_params *p, const void *filter,
                                         void *packed);

#endif
