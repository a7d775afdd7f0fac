/* RESIZE_BILINEAR kernels: NHWC image to a new height and width. Kernels
 * compute output rows [start, end) of the flattened (batch, out_y) range. */
#ifndef TFL_OPS_RESIZE_BILINEAR_H
#define TFL_OPS_RESIZE_BILINEAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tfl_resize_bilinear_params {
    int batches;
    int in_h, in_w, channels; /* input [batches, in_h, in_w, channels] */
    int out_h, out_w;         /* output [batches, out_h, out_w, channels] */
    bool half_pixel_centers;
    /* Float path (float32, uint8): source step per output pixel. */
    float scale_h, scale_w;
    /* Integer path (int8, int16): the same step in 1/1024 pixels. */
    int32_t scale10_h, scale10_w;
} tfl_resize_bilinear_params;

typedef void (*tfl_resize_bilinear_fn)(const tfl_resize_bilinear_params *p, const void *input,
                                       void *output, size_t start, size_t end);

/* Float weights; uint8 adds 0.5 and truncates, as TFLite's reference. */
void tfl_resize_bilinear_f32__ref(const tfl_resize_bilinear_params *p, const void *input,
                                  void *output, size_t start, size_t end);
void tfl_resize_bilinear_u8__ref(const tfl_resize_bilinear_params *p, const void *input,
                                 void *output, size_t start, size_t end);
/* Integer weights in 1/1024 (ResizeBilinearInteger). */
void tfl_resize_bilinear_s8__ref(const tfl_resize_bilinear_params *p, const void *input,
                                 void *output, size_t start, size_t end);
void tfl_resize_bilinear_s16__ref(const tfl_resize_bilinear_params *p, const void *input,
                                  void *output, size_t start, size_t end);

/* AVX2 float32 and uint8, the float-weight path (resize_bilinear_avx2.c). */
void tfl_resize_bilinear_f32__avx2(const tfl_resize_bilinear_params *p, const void *input,
                                   void *output, size_t start, size_t end);
void tfl_resize_bilinear_u8__avx2(const tfl_resize_bilinear_params *p, const void *input,
                                  void *output, size_t start, size_t end);

/* The op's kernel records, best first (resize_bilinear.c); a record's kind
 * is its input tfl_type. */
#include "ops/kernel.h"
extern const tfl__kernel tfl__resize_bilinear_kernels[];
extern const size_t tfl__resize_bilinear_num_kernels;

#endif
