/* DYNAMIC_UPDATE_SLICE (builtin 151): the operand with `update` written over
 * it at `start` (int32 or int64, one per dimension; XLA semantics). Each
 * start is clamped into [0, operand dim - update dim] as TFLite does, so a
 * start out of range moves the window instead of failing. Any fixed-size
 * element type; the update has the operand's rank and no larger dims. */
#include <string.h>

#include "ops/op.h"
#include "ops/shape_common.h"

static tfl_status prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 3, 3, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *up = tfl__input(ctx, node, 1);
    const tfl_tensor *start = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    char b1[64], b2[64];
    if (!in || !up)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is missing",
                            in ? "update" : "operand");
    if ((s = tfl__check_movable(ctx, node, in, "operand")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "operand", up, "update")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "operand", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, start, "start indices",
                                     1u << TFL_INT32 | 1u << TFL_INT64)) != TFL_OK)
        return s;
    if (start->ndim != 1 || start->dims[0] != in->ndim)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "start indices must be a vector of %d values (the operand's rank), "
                            "got %s",
                            in->ndim, tfl__describe(start, b1, sizeof b1));
    if (up->ndim != in->ndim)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "update %s must have the rank of operand %s",
                            tfl__describe(up, b1, sizeof b1), tfl__describe(in, b2, sizeof b2));
    for (int i = 0; i < in->ndim; ++i)
        if (up->dims[i] > in->dims[i])
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "update %s is larger than operand %s in dimension %d",
                                tfl__describe(up, b1, sizeof b1),
                                tfl__describe(in, b2, sizeof b2), i);
    return tfl__resize(ctx, node, out, in->dims, in->ndim);
}

static tfl_status eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0), *up = tfl__input(ctx, node, 1);
    const tfl_tensor *start = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    memcpy(out->data, in->data, out->bytes);
    const size_t n = tfl__num_elements(up);
    if (n == 0)
        return TFL_OK;
    const int rank = in->ndim;
    /* Clamped starts, output strides in elements; a scalar is one element. */
    size_t first[TFL_MAX_DIMS], ostride[TFL_MAX_DIMS];
    size_t stride = 1;
    for (int d = rank - 1; d >= 0; --d) {
        int64_t v = tfl__int_at(start, (size_t)d), hi = (int64_t)in->dims[d] - up->dims[d];
        first[d] = (size_t)(v < 0 ? 0 : v > hi ? hi : v);
        ostride[d] = stride;
        stride *= (size_t)in->dims[d];
    }
    const size_t es = tfl_type_size(in->type);
    if (rank == 0) {
        memcpy(out->data, up->data, es);
        return TFL_OK;
    }
    /* Copy innermost rows of the update; coord walks its other dims. */
    const size_t row = (size_t)up->dims[rank - 1] * es, rows = n / (size_t)up->dims[rank - 1];
    int32_t coord[TFL_MAX_DIMS] = {0};
    for (size_t r = 0; r < rows; ++r) {
        size_t off = first[rank - 1];
        for (int d = 0; d < rank - 1; ++d)
            off += (first[d] + (size_t)coord[d]) * ostride[d];
        memcpy(out->data + off * es, up->data + r * row, row);
        for (int d = rank - 2; d >= 0 && ++coord[d] == up->dims[d]; --d)
            coord[d] = 0;
    }
    return TFL_OK;
}

const tfl__op tfl__op_dynamic_update_slice = {
    .builtin_code = 151,
    .min_version = 1,
    .max_version = 6,
    .prepare = prepare,
    .eval = eval,
};
