/* STRIDED_SLICE kernel: the output walks a strided box of the input. Along
 * axis k it takes count[k] elements, moving step[k] input elements each time,
 * from the input element at offset `base`. Kernels cover output rows (all
 * axes but the last) [start, end). */
#ifndef TFL_OPS_STRIDED_SLICE_H
#define TFL_OPS_STRIDED_SLICE_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

typedef struct tfl_strided_slice_params {
    int ndim;                    /* axes walked (>= 1); shrunk axes have count 1 */
    int32_t count[TFL_MAX_DIMS]; /* output [count] (before shrinking axes away) */
    int64_t step[TFL_MAX_DIMS];  /* input elements per step along axis k (may be < 0) */
    int64_t base;                /* input element of the first output element */
    size_t esize;                /* bytes per element */
} tfl_strided_slice_params;

typedef void (*tfl_strided_slice_fn)(const tfl_strided_slice_params *p, const void *input,
                                     void *output, size_t start, size_t end);

/* Any element type. */
void tfl_strided_slice_any__ref(const tfl_strided_slice_params *p, const void *input, void *output,
                                size_t start, size_t end);

struct tfl__ctx;
/* Copies the whole box with the best kernel for p->esize, output rows split
 * across the context's workers. SLICE, REVERSE_V2 and BROADCAST_TO plan their
 * box into these params and share this with STRIDED_SLICE. */
void tfl__strided_slice_run(struct tfl__ctx *ctx, const tfl_strided_slice_params *p,
                            const void *input, void *output);

#endif
