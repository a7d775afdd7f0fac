/* SELECT / SELECT_V2 kernel: out = cond ? x : y element by element, each
 * operand read through its own strides over the output's dimensions (0
 * along a dimension it is broadcast over), the output walked row by row of
 * its innermost dimension. */
#ifndef TFL_OPS_SELECT_H
#define TFL_OPS_SELECT_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

typedef struct tfl_select_params {
    int ndim;                 /* of the output, >= 1 */
    int32_t dims[TFL_MAX_DIMS];
    /* element strides of cond, x, y per output dimension */
    size_t cond_stride[TFL_MAX_DIMS], x_stride[TFL_MAX_DIMS], y_stride[TFL_MAX_DIMS];
    size_t elem_size; /* of x, y and the output: 1, 2, 4 or 8 */
} tfl_select_params;

/* Output rows [start, end) (a row: the innermost dimension). */
void tfl_select__ref(const tfl_select_params *p, const uint8_t *cond, const void *x, const void *y,
                     void *out, size_t start, size_t end);

#endif
