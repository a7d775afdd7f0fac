/* TILE kernel: output row r (all dimensions but the last) repeats the input
 * row at the same coordinates modulo the input shape. Kernels cover output
 * rows [start, end). */
#ifndef TFL_OPS_TILE_H
#define TFL_OPS_TILE_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

typedef struct tfl_tile_params {
    int ndim;                       /* >= 1 (a scalar is tiled as [1]) */
    int32_t in_dims[TFL_MAX_DIMS];  /* input [in_dims] */
    int32_t out_dims[TFL_MAX_DIMS]; /* output [out_dims] = in_dims * multiples */
    size_t esize;                   /* bytes per element */
} tfl_tile_params;

typedef void (*tfl_tile_fn)(const tfl_tile_params *p, const void *input, void *output, size_t start,
                            size_t end);

/* Any element type. */
void tfl_tile_any__ref(const tfl_tile_params *p, const void *input, void *output, size_t start,
                       size_t end);

#endif
