/* Helpers shared by the shape and data-movement ops (reshape, concatenation,
 * pad, transpose, strided_slice, gather, ...): reading small integer tensors
 * (shapes, axes, paddings), axis normalization and common checks. */
#ifndef TFL_OPS_SHAPE_COMMON_H
#define TFL_OPS_SHAPE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ops/op.h"

/* A problem found in the data of tensor t: a bad model when t is a model
 * constant (found at prepare), a runtime error when t is computed (found at
 * eval, where the output shape is decided). */
static inline tfl_status tfl__data_status(const tfl_tensor *t)
{
    return tfl__is_const(t) ? TFL_ERROR_BAD_MODEL : TFL_ERROR_RUNTIME;
}

/* True for int8/int16/int32/int64 (the index types these ops read). */
static inline bool tfl__is_int_type(tfl_type t)
{
    return t == TFL_INT8 || t == TFL_INT16 || t == TFL_INT32 || t == TFL_INT64;
}

/* Element i of an integer tensor (int8/int16/int32/int64), widened. The
 * caller has checked the type and that i < element count. */
int64_t tfl__int_at(const tfl_tensor *t, size_t i);

/* Checks that t (named role) is present, has one of the integer types whose
 * bit is set in `types` (1u << TFL_INT32 | 1u << TFL_INT64, ...); BAD_MODEL
 * otherwise. */
tfl_status tfl__check_index_tensor(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                                   const char *role, unsigned types);

/* Reads a scalar (one-element) integer tensor into *v, failing when it has
 * another element count or the value does not fit in int32. */
tfl_status tfl__read_scalar_i32(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                                const char *role, int32_t *v);

/* Turns axis (negative counts from the back) into [0, rank); fails with a
 * message naming role when it lies outside [-rank, rank). */
tfl_status tfl__normalize_axis(tfl__ctx *ctx, const tfl__node *node, tfl_status status,
                               const char *role, int32_t axis, int rank, int *out);

/* Checks that the element type can be moved bytewise (fixed size, not a
 * string or resource). */
tfl_status tfl__check_movable(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                              const char *role);

/* Checks b has a's type. */
tfl_status tfl__check_same_type(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *a,
                                const char *a_role, const tfl_tensor *b, const char *b_role);

/* Checks b has a's per-tensor scale and zero point (ops that move quantized
 * values without rescaling them). */
tfl_status tfl__check_same_quant(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *a,
                                 const char *a_role, const tfl_tensor *b, const char *b_role);

/* Product of dims[from, to) (1 when empty). */
size_t tfl__dims_product(const int32_t *dims, int from, int to);

/* Rows per parallel chunk so that one chunk moves about 32 KiB. */
size_t tfl__rows_per_chunk(size_t row_bytes);

/* Eval of the ops that only change the shape (RESHAPE, SQUEEZE, EXPAND_DIMS):
 * TFLite lets the output share the input's memory; our planner gives them
 * separate memory, so copy the bytes (memmove in case a planner ever makes
 * them overlap). */
void tfl__copy_tensor_data(const tfl_tensor *in, tfl_tensor *out);

#endif
