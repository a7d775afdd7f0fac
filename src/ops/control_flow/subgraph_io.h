/* Moving tensors in and out of the subgraphs IF, WHILE and CALL_ONCE run:
 * shapes into a child's inputs (resizing it), data both ways, and the
 * child's allocate and invoke with its error carried into the node's. */
#ifndef TFL_OPS_CONTROL_FLOW_SUBGRAPH_IO_H
#define TFL_OPS_CONTROL_FLOW_SUBGRAPH_IO_H

#include "ops/op.h"

/* Values one IF or WHILE passes (a bound for the arrays that hold them). */
#define TFL__MAX_CF_VALUES 256

/* The child for subgraph `index` with n_in inputs and n_out outputs (a
 * count of -1 is not checked); NULL with the node's error set. */
tfl_interpreter *tfl__cf_child(tfl__ctx *ctx, const tfl__node *node, int index, const char *role,
                               int n_in, int n_out);

/* Gives the child's input i the type-checked shape of src; *changed is set
 * when the child must be allocated again. */
tfl_status tfl__cf_set_input_shape(tfl__ctx *ctx, const tfl__node *node, tfl_interpreter *child,
                                   const char *role, int i, const tfl_tensor *src, bool *changed);

/* Sets every child input's shape from srcs[0..n), then allocates the child
 * when anything changed (or always, with force). */
tfl_status tfl__cf_prepare_inputs(tfl__ctx *ctx, const tfl__node *node, tfl_interpreter *child,
                                  const char *role, const tfl_tensor *const *srcs, int n,
                                  bool force);

/* Copies srcs[i]'s bytes into the child's input i (shapes already set). */
void tfl__cf_copy_inputs(tfl_interpreter *child, const tfl_tensor *const *srcs, int n);

tfl_status tfl__cf_invoke(tfl__ctx *ctx, const tfl__node *node, tfl_interpreter *child,
                          const char *role);

/* Copies src into dst: a dynamic dst takes src's shape, any other must
 * already have it. Types must match. */
tfl_status tfl__cf_copy_out(tfl__ctx *ctx, const tfl__node *node, tfl_tensor *dst,
                            const tfl_tensor *src);

/* True when a and b have the same shape. */
bool tfl__cf_same_shape(const tfl_tensor *a, const tfl_tensor *b);

#endif
