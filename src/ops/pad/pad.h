/* PAD / PADV2 kernel: output rows (all dimensions but the last) are either
 * entirely padding or padding, one input row, padding. Kernels cover output
 * rows [start, end). */
#ifndef TFL_OPS_PAD_H
#define TFL_OPS_PAD_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

typedef struct tfl_pad_params {
    int ndim;                       /* >= 1 (a scalar is padded as [1]) */
    int32_t in_dims[TFL_MAX_DIMS];  /* input [in_dims] */
    int32_t out_dims[TFL_MAX_DIMS]; /* output [out_dims] = before + in_dims + after */
    int32_t before[TFL_MAX_DIMS];   /* padding before the input, per dimension */
    size_t esize;                   /* bytes per element */
    uint8_t value[16];              /* the padding element's bytes */
    int value_is_zero;              /* every byte of value is 0 */
} tfl_pad_params;

typedef void (*tfl_pad_fn)(const tfl_pad_params *p, const void *input, void *output, size_t start,
                           size_t end);

/* Any element type. */
void tfl_pad_any__ref(const tfl_pad_params *p, const void *input, void *output, size_t start,
                      size_t end);

#endif
