/* SPACE_TO_BATCH_ND kernel on NHWC (a 3-D NHC input is NH1C): output batch
 * b = (shift_h * block_w + shift_w) * in_batch + in_b takes the pixels at
 * (out_y * block_h + shift_h - pad_top, out_x * block_w + shift_w - pad_left)
 * of input batch in_b, or padding outside the input. Kernels cover output
 * rows (batch * out_h) [start, end). */
#ifndef TFL_OPS_SPACE_TO_BATCH_ND_H
#define TFL_OPS_SPACE_TO_BATCH_ND_H

#include <stddef.h>
#include <stdint.h>

typedef struct tfl_space_to_batch_nd_params {
    int in_b, in_h, in_w, depth; /* input [in_b, in_h, in_w, depth] */
    int out_b, out_h, out_w;     /* output [out_b, out_h, out_w, depth] */
    int block_h, block_w;
    int pad_top, pad_left;
    size_t esize;     /* bytes per element */
    uint8_t pad_byte; /* padding fills every byte with this */
} tfl_space_to_batch_nd_params;

typedef void (*tfl_space_to_batch_nd_fn)(const tfl_space_to_batch_nd_params *p, const void *input,
                                         void *output, size_t start, size_t end);

/* Any element type. */
void tfl_space_to_batch_nd_any__ref(const tfl_space_to_batch_nd_params *p, const void *input,
                                    void *output, size_t start, size_t end);

#endif
