/* RESIZE_NEAREST_NEIGHBOR kernels: each output pixel copies the channels of
 * one input pixel. Kernels compute output rows [start, end) of the flattened
 * (batch, out_y) range; they copy bytes, so one kernel serves every type of
 * its element size. */
#ifndef TFL_OPS_RESIZE_NEAREST_NEIGHBOR_H
#define TFL_OPS_RESIZE_NEAREST_NEIGHBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tfl_resize_nearest_neighbor_params {
    int batches;
    int in_h, in_w, channels; /* input [batches, in_h, in_w, channels] */
    int out_h, out_w;         /* output [batches, out_h, out_w, channels] */
    bool align_corners, half_pixel_centers;
    float scale_h, scale_w; /* source step per output pixel */
} tfl_resize_nearest_neighbor_params;

typedef void (*tfl_resize_nearest_neighbor_fn)(const tfl_resize_nearest_neighbor_params *p,
                                               const void *input, void *output, size_t start,
                                               size_t end);

/* 1-byte elements (uint8, int8, bool). */
void tfl_resize_nearest_neighbor_u8__ref(const tfl_resize_nearest_neighbor_params *p,
                                         const void *input, void *output, size_t start, size_t end);
/* 2-byte elements (int16). */
void tfl_resize_nearest_neighbor_s16__ref(const tfl_resize_nearest_neighbor_params *p,
                                          const void *input, void *output, size_t start,
                                          size_t end);
/* 4-byte elements (float32, int32). */
void tfl_resize_nearest_neighbor_f32__ref(const tfl_resize_nearest_neighbor_params *p,
                                          const void *input, void *output, size_t start,
                                          size_t end);

#endif
