/* GATHER_ND kernel: indices viewed as [n_slices, nd] pick, for each slice,
 * the params sub-array at those nd leading coordinates; the output is
 * [n_slices, slice] with slice = product of params dims nd.. . Indices are
 * checked before the kernel runs. Kernels cover slices [start, end). */
#ifndef TFL_OPS_GATHER_ND_H
#define TFL_OPS_GATHER_ND_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

typedef struct tfl_gather_nd_params {
    int nd;                      /* coordinates per index (indices' last dim) */
    size_t stride[TFL_MAX_DIMS]; /* bytes between steps of params dim j < nd */
    size_t slice_bytes;          /* bytes copied per index */
    tfl_type index_type;         /* int16, int32 or int64 */
} tfl_gather_nd_params;

typedef void (*tfl_gather_nd_fn)(const tfl_gather_nd_params *p, const void *params,
                                 const void *indices, void *output, size_t start, size_t end);

/* Any element type. */
void tfl_gather_nd_any__ref(const tfl_gather_nd_params *p, const void *params, const void *indices,
                            void *output, size_t start, size_t end);

#endif
