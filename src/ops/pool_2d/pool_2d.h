/* AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D kernels: NHWC input, a filter_h x filter_w
 * window per channel. Kernels compute output rows [start, end) of the
 * flattened (batch, out_y) range. */
#ifndef TFL_OPS_POOL_2D_H
#define TFL_OPS_POOL_2D_H

#include <stddef.h>
#include <stdint.h>

typedef struct tfl_pool_2d_params {
    int batches;
    int in_h, in_w, channels; /* input [batches, in_h, in_w, channels] */
    int out_h, out_w;         /* output [batches, out_h, out_w, channels] */
    int filter_h, filter_w;
    int stride_h, stride_w;
    int pad_h, pad_w;           /* padding before the first row / column */
    float act_min_f, act_max_f; /* float fused activation */
    int32_t act_min, act_max;   /* quantized fused activation (output units) */
} tfl_pool_2d_params;

/* One signature for every dtype so kernels fit in one table; the element
 * types are in each kernel's name and shape comments. Pooling never
 * rescales: quantized outputs share the input's scale and zero point. */
typedef void (*tfl_pool_2d_fn)(const tfl_pool_2d_params *p, const void *input, void *output,
                               size_t start, size_t end);

void tfl_average_pool_2d_f32__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                                  size_t start, size_t end);
void tfl_average_pool_2d_u8__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                                 size_t start, size_t end);
void tfl_average_pool_2d_s8__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                                 size_t start, size_t end);
void tfl_average_pool_2d_s16__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                                  size_t start, size_t end);

void tfl_max_pool_2d_f32__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                              size_t start, size_t end);
void tfl_max_pool_2d_u8__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                             size_t start, size_t end);
void tfl_max_pool_2d_s8__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                             size_t start, size_t end);
void tfl_max_pool_2d_s16__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                              size_t start, size_t end);

/* sqrt(mean of the squares) over the window clipped to the image (padding
 * never counts), summed in row-major window order as TFLite's L2Pool. */
void tfl_l2_pool_2d_f32__ref(const tfl_pool_2d_params *p, const void *input, void *output,
                             size_t start, size_t end);

#endif
