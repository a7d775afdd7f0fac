/* GATHER kernel: input viewed as [batch, outer, axis_size, inner], indices
 * as [batch, coords]; output [batch, outer, coords, inner] takes input slice
 * indices[b, i] along the axis. Indices are checked before the kernel runs.
 * Kernels cover (batch * outer) rows [start, end). */
#ifndef TFL_OPS_GATHER_H
#define TFL_OPS_GATHER_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

typedef struct tfl_gather_params {
    size_t outer;        /* product of input dimensions between batch_dims and axis */
    size_t axis_size;    /* input dimension `axis` */
    size_t inner;        /* product of input dimensions after axis */
    size_t coords;       /* indices per batch */
    size_t esize;        /* bytes per element */
    tfl_type index_type; /* int16, int32 or int64 */
} tfl_gather_params;

typedef void (*tfl_gather_fn)(const tfl_gather_params *p, const void *input, const void *indices,
                              void *output, size_t start, size_t end);

/* Any element type. */
void tfl_gather_any__ref(const tfl_gather_params *p, const void *input, const void *indices,
                         void *output, size_t start, size_t end);

#endif
