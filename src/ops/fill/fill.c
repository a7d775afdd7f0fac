/* FILL (94): an output of the shape in `dims` (an int32 or int64 vector,
 * constant or fed) with every element the scalar `value` (any fixed-size
 * type; the output takes it). ZEROS_LIKE (93): an output of the input's
 * shape and type, all zero bytes. */
#include <stdlib.h>
#include <string.h>

#include "ops/elementwise.h"
#include "ops/shape_common.h"

/* FILL's output shape from dims; `bad` is the status of bad data. */
static tfl_status fill_shape(tfl__ctx *ctx, tfl__node *node, tfl_status bad)
{
    const tfl_tensor *dims = tfl__input(ctx, node, 0);
    int32_t shape[TFL_MAX_DIMS];
    const size_t n = tfl__num_elements(dims);
    for (size_t i = 0; i < n; ++i) {
        const int64_t v = tfl__int_at(dims, i);
        if (v < 0 || v > INT32_MAX)
            return tfl__op_fail(ctx, node, bad, "dimension %zu is %lld: must be in [0, 2^31)", i,
                                (long long)v);
        shape[i] = (int32_t)v;
    }
    return tfl__resize(ctx, node, tfl__output(ctx, node, 0), shape, (int)n);
}

static tfl_status fill_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *dims = tfl__input(ctx, node, 0), *value = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_index_tensor(ctx, node, dims, "dims", 1u << TFL_INT32 | 1u << TFL_INT64)) !=
        TFL_OK)
        return s;
    if (!value)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "value is missing");
    if ((s = tfl__check_movable(ctx, node, value, "value")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, value, "value", out, "output")) != TFL_OK)
        return s;
    if (dims->ndim != 1 || dims->dims[0] > TFL_MAX_DIMS)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "dims must be a vector of at most %d values", TFL_MAX_DIMS);
    if (value->ndim != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "value must be a scalar (rank %d)",
                            value->ndim);
    if (!tfl__is_const(dims)) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return fill_shape(ctx, node, TFL_ERROR_BAD_MODEL);
}

static tfl_status fill_eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s;
    if (!tfl__is_const(tfl__input(ctx, node, 0)) &&
        (s = fill_shape(ctx, node, TFL_ERROR_RUNTIME)) != TFL_OK)
        return s;
    const tfl_tensor *value = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t es = tfl_type_size(out->type), n = tfl__num_elements(out);
    for (size_t i = 0; i < n; ++i)
        memcpy(out->data + i * es, value->data, es);
    return TFL_OK;
}

static tfl_status zeros_like_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK)
        return s;
    return tfl__check_out_type(ctx, node, in, tfl__output(ctx, node, 0));
}

static tfl_status zeros_like_eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl_tensor *out = tfl__output(ctx, node, 0);
    memset(out->data, 0, out->bytes);
    return TFL_OK;
}

const tfl__op tfl__op_fill = {
    .builtin_code = 94,
    .min_version = 1,
    .max_version = 4,
    .prepare = fill_prepare,
    .eval = fill_eval,
};

const tfl__op tfl__op_zeros_like = {
    .builtin_code = 93,
    .min_version = 1,
    .max_version = 1,
    .prepare = zeros_like_prepare,
    .eval = zeros_like_eval,
};
