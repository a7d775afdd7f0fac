/* BITCAST (159): the input's bytes reinterpreted as the output's type, any
 * two fixed-size types. Shapes as TFLite: a narrower output type appends a
 * dimension of in_size / out_size; a wider one needs the last dimension to
 * be out_size / in_size and drops it; equal sizes keep the shape. tfl also
 * refuses a scalar input to a wider type (TFLite reads the dimension before
 * the first) and an output above 8-D. */
#include <string.h>

#include "ops/shape_common.h"

static tfl_status bitcast_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_movable(ctx, node, out, "output")) != TFL_OK)
        return s;
    const size_t is = tfl_type_size(in->type), os = tfl_type_size(out->type);
    int32_t dims[TFL_MAX_DIMS];
    int ndim = in->ndim;
    memcpy(dims, in->dims, sizeof(int32_t) * (size_t)in->ndim);
    if (is > os) {
        if (in->ndim >= TFL_MAX_DIMS)
            return tfl__op_fail(
                ctx, node, TFL_ERROR_UNSUPPORTED, "%s to %s adds a dimension to rank %d (max %d)",
                tfl_type_name(in->type), tfl_type_name(out->type), in->ndim, TFL_MAX_DIMS);
        dims[ndim++] = (int32_t)(is / os);
    } else if (is < os) {
        if (in->ndim == 0 || in->dims[in->ndim - 1] != (int32_t)(os / is))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "%s to %s needs a last dimension of %d, the input has %s %d",
                                tfl_type_name(in->type), tfl_type_name(out->type), (int)(os / is),
                                in->ndim == 0 ? "rank" : "size",
                                in->ndim == 0 ? 0 : in->dims[in->ndim - 1]);
        --ndim;
    }
    return tfl__resize(ctx, node, out, dims, ndim);
}

static tfl_status bitcast_eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl__copy_tensor_data(tfl__input(ctx, node, 0), tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_bitcast = {
    .builtin_code = 159,
    .min_version = 1,
    .max_version = 1,
    .prepare = bitcast_prepare,
    .eval = bitcast_eval,
};
