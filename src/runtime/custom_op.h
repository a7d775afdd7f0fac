/* Caller-implemented custom ops (tfl.h "Custom ops"): the interpreter looks
 * a CUSTOM node's code up in the resolver of its options and runs a match
 * through this adapter op (node->custom names the definition). */
#ifndef TFL_RUNTIME_CUSTOM_OP_H
#define TFL_RUNTIME_CUSTOM_OP_H

#include "ops/op.h"

const tfl_custom_op *tfl__resolver_find(const tfl_op_resolver *r, const char *name);
extern const tfl__op tfl__custom_op_adapter;

#endif
