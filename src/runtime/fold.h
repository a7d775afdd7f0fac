/* Constant folding at interpreter creation. */
#ifndef TFL_RUNTIME_FOLD_H
#define TFL_RUNTIME_FOLD_H

#include "ops/op.h"

/* A DEQUANTIZE whose input is a constant (float16 weights, or int8 weights
 * a converter left behind a DEQUANTIZE) is run once, by its own prepare and
 * eval, into the model's packed-weight cache: its output becomes a constant
 * there, shared by every interpreter over the model, and the node is elided.
 * The ops that read it then see constant weights, which they pack at prepare
 * as they pack any other, instead of widening and repacking them at every
 * invoke. The values are the bytes the node itself would write.
 *
 * Skipped (the node stays and runs as before): outputs that are graph
 * outputs or variables, and nodes whose prepare refuses them (the same error
 * then comes from allocate, where it always did). *folded_bytes grows by
 * what the folded constants hold. Returns TFL_OK, or TFL_ERROR_NO_MEMORY /
 * the node's eval status with the message set. */
tfl_status tfl__fold_constants(tfl__ctx *ctx, tfl__node *nodes, int num_nodes,
                               const int32_t *graph_outputs, int num_graph_outputs,
                               size_t *folded_bytes);

#endif
