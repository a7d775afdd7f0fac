/* BATCH_TO_SPACE_ND kernel on NHWC (a 3-D NHC input is NH1C), the inverse of
 * SPACE_TO_BATCH_ND: output pixel (b, y, x) comes from input batch
 * (off_h * block_w + off_w) * out_b + b at (yy / block_h, xx / block_w), where
 * yy = y + crop_top, xx = x + crop_left, off_h = yy % block_h, off_w = xx %
 * block_w. Kernels cover output rows (batch * out_h) [start, end). */
#ifndef TFL_OPS_BATCH_TO_SPACE_ND_H
#define TFL_OPS_BATCH_TO_SPACE_ND_H

#include <stddef.h>

typedef struct tfl_batch_to_space_nd_params {
    int in_b, in_h, in_w, depth; /* input [in_b, in_h, in_w, depth] */
    int out_b, out_h, out_w;     /* output [out_b, out_h, out_w, depth] */
    int block_h, block_w;
    int crop_top, crop_left;
    size_t esize; /* bytes per element */
} tfl_batch_to_space_nd_params;

typedef void (*tfl_batch_to_space_nd_fn)(const tfl_batch_to_space_nd_params *p, const void *input,
                                         void *output, size_t start, size_t end);

/* Any element type. */
void tfl_batch_to_space_nd_any__ref(const tfl_batch_to_space_nd_params *p, const void *input,
                                    void *output, size_t start, size_t end);

#endif
