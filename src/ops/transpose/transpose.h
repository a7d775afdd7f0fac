/* TRANSPOSE kernel: output dimension k is input dimension perm[k]. Kernels
 * cover output rows (all dimensions but the last) [start, end). */
#ifndef TFL_OPS_TRANSPOSE_H
#define TFL_OPS_TRANSPOSE_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

typedef struct tfl_transpose_params {
    int ndim;                       /* >= 1 (a scalar is moved as [1]) */
    int32_t out_dims[TFL_MAX_DIMS]; /* output [out_dims] */
    size_t in_stride[TFL_MAX_DIMS]; /* input elements skipped per step of output dimension k */
    size_t esize;                   /* bytes per element */
} tfl_transpose_params;

typedef void (*tfl_transpose_fn)(const tfl_transpose_params *p, const void *input, void *output,
                                 size_t start, size_t end);

/* Any element type. */
void tfl_transpose_any__ref(const tfl_transpose_params *p, const void *input, void *output,
                            size_t start, size_t end);
/* Any element type, ndim == 2 (a matrix transpose, or any permutation that
 * tfl_transpose_simplify reduced to one, such as NCHW -> NHWC): in tiles
 * that keep both the reads and the writes in cache. */
void tfl_transpose_2d_any__ref(const tfl_transpose_params *p, const void *input, void *output,
                               size_t start, size_t end);

/* Drops dimensions of size 1 and merges neighbouring output dimensions that
 * are also neighbours, in order, in the input, leaving the fewest
 * dimensions that describe the same permutation (at least one). */
void tfl_transpose_simplify(tfl_transpose_params *p);

#endif
