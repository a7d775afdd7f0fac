/* EXPAND_DIMS (builtin 70): inserts a size-1 dimension at the position given
 * by the axis input (int32 or int64, negative counts from the back of the
 * output). The bytes are unchanged. */
#include "ops/op.h"
#include "ops/shape_common.h"

static tfl_status resize_output(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *axis_t = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    int32_t axis;
    tfl_status s = tfl__read_scalar_i32(ctx, node, axis_t, "axis", &axis);
    if (s != TFL_OK)
        return s;
    if (in->ndim + 1 > TFL_MAX_DIMS)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "output rank %d exceeds %d",
                            in->ndim + 1, TFL_MAX_DIMS);
    int pos;
    if ((s = tfl__normalize_axis(ctx, node, tfl__data_status(axis_t), "axis", axis, in->ndim + 1,
                                 &pos)) != TFL_OK)
        return s;
    int32_t dims[TFL_MAX_DIMS];
    for (int i = 0, k = 0; i <= in->ndim; ++i)
        dims[i] = i == pos ? 1 : in->dims[k++];
    return tfl__resize(ctx, node, out, dims, in->ndim + 1);
}

static tfl_status expand_dims_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *axis = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_same_quant(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, axis, "axis", 1u << TFL_INT32 | 1u << TFL_INT64)) !=
            TFL_OK)
        return s;
    if (in->type == TFL_INT16 && in->zero_point != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "int16 input zero point %d, expected 0",
                            (int)in->zero_point);
    char b[64];
    if (tfl__num_elements(axis) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "axis %s must have one element",
                            tfl__describe(axis, b, sizeof b));
    if (!tfl__is_const(axis)) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return resize_output(ctx, node);
}

static tfl_status expand_dims_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!tfl__is_const(tfl__input(ctx, node, 1))) {
        tfl_status s = resize_output(ctx, node);
        if (s != TFL_OK)
            return s;
    }
    tfl__copy_tensor_data(in, out);
    return TFL_OK;
}

const tfl__op tfl__op_expand_dims = {
    .builtin_code = 70,
    .min_version = 1,
    .max_version = 1,
    .prepare = expand_dims_prepare,
    .eval = expand_dims_eval,
};
