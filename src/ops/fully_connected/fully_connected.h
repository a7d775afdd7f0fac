/* FULLY_CONNECTED kernels: output[b, u] = sum_d input[b, d] * filter[u, d]
 * + bias[u]. Kernels compute batch rows [start, end). */
#ifndef TFL_OPS_FULLY_CONNECTED_H
#define TFL_OPS_FULLY_CONNECTED_H

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

#endif
