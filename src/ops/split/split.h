/* SPLIT / SPLIT_V / UNPACK kernel: for each outer index (the dimensions
 * before the axis) the input's contiguous row is cut into one chunk per
 * output. Kernels cover outer indices [start, end). */
#ifndef TFL_OPS_SPLIT_H
#define TFL_OPS_SPLIT_H

#include <stddef.h>

#include "ops/op.h"

typedef struct tfl_split_params {
    int num_outputs;
    size_t esize;        /* bytes per element */
    const size_t *chunk; /* [num_outputs] elements output i takes per outer index */
    size_t in_chunk;     /* sum of chunk[]: input elements per outer index */
} tfl_split_params;

/* input: [outer, in_chunk] elements; outputs[i]: [outer, chunk[i]]. */
typedef void (*tfl_split_fn)(const tfl_split_params *p, const void *input, void *const *outputs,
                             size_t start, size_t end);

/* Any element type. */
void tfl_split_any__ref(const tfl_split_params *p, const void *input, void *const *outputs,
                        size_t start, size_t end);

/* Op-side state shared by SPLIT, SPLIT_V and UNPACK: per-output chunk sizes
 * and data pointers, allocated once at init so eval does not allocate. */
typedef struct tfl__split_state {
    int n; /* outputs */
    size_t *chunk;
    void **ptrs;
} tfl__split_state;

tfl_status tfl__split_state_init(tfl__ctx *ctx, const tfl__node *node, tfl__split_state *s);
void tfl__split_state_free(tfl__split_state *s);
/* Cuts `in` along axis into the node's outputs, whose shapes are set:
 * each output takes (its element count / outer) elements of every row. */
void tfl__split_run(tfl__ctx *ctx, const tfl__node *node, tfl__split_state *s, const tfl_tensor *in,
                    int axis);

/* Node data of SPLIT and SPLIT_V, whose options both hold num_splits
 * (field 0) and nothing else. */
typedef struct tfl__split_data {
    int num_splits;
    tfl__split_state st;
    int axis; /* resolved at the last resize */
} tfl__split_data;

/* init: reads num_splits (> 0) and sizes the state; frees its own data on
 * failure, since the interpreter frees node data only after a successful
 * init. */
tfl_status tfl__split_data_init(tfl__ctx *ctx, tfl__node *node);
void tfl__split_data_free(void *data);

/* Prepare checks after the op's own input checks: a one-element axis, an
 * input of rank >= 1 and outputs of the input's type. */
tfl_status tfl__split_check_common(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *axis,
                                   const tfl_tensor *in);

#endif
