/* ONE_HOT (85): indices (int32 or int64) and a scalar int32 depth give an
 * output with a new dimension of size depth at `axis` (option 0; -1 = last;
 * absent = 0, the schema's default), holding on_value where the index equals
 * its position and off_value elsewhere (indices outside [0, depth) give all off_value). on_value and
 * off_value are scalars of the output's type: float32, int32, int64, int8,
 * uint8 or bool. depth must be a constant. */
#include <stdlib.h>
#include <string.h>

#include "ops/shape_common.h"

typedef struct one_hot_data {
    int axis_option;
    int axis;
    int32_t depth;
} one_hot_data;

static tfl_status one_hot_init(tfl__ctx *ctx, tfl__node *node)
{
    one_hot_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->axis_option = tfl__fb_i32(&node->options, 0, 0); /* the schema's default */
    return TFL_OK;
}

static tfl_status one_hot_prepare(tfl__ctx *ctx, tfl__node *node)
{
    one_hot_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 4, 4, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *idx = tfl__input(ctx, node, 0), *depth = tfl__input(ctx, node, 1);
    const tfl_tensor *on = tfl__input(ctx, node, 2), *off = tfl__input(ctx, node, 3);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_index_tensor(ctx, node, idx, "indices",
                                     1u << TFL_INT32 | 1u << TFL_INT64)) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, depth, "depth", 1u << TFL_INT32)) != TFL_OK)
        return s;
    if (!on || !off)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "on_value or off_value is missing");
    switch (out->type) {
    case TFL_FLOAT32: case TFL_INT32: case TFL_INT64: case TFL_INT8: case TFL_UINT8:
    case TFL_BOOL: break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "output type %s not supported (float32, int32, int64, int8, uint8, "
                            "bool)",
                            tfl_type_name(out->type));
    }
    if ((s = tfl__check_same_type(ctx, node, out, "output", on, "on_value")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, out, "output", off, "off_value")) != TFL_OK)
        return s;
    if (tfl__num_elements(on) != 1 || tfl__num_elements(off) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "on_value and off_value must be scalars");
    if (!tfl__is_const(depth))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "depth must be a constant tensor");
    if ((s = tfl__read_scalar_i32(ctx, node, depth, "depth", &d->depth)) != TFL_OK)
        return s;
    if (d->depth < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "depth %d is negative",
                            (int)d->depth);
    if (idx->ndim + 1 > TFL_MAX_DIMS)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "indices rank %d is too large",
                            idx->ndim);
    const int rank = idx->ndim + 1;
    d->axis = d->axis_option == -1 ? rank - 1 : d->axis_option;
    if (d->axis < 0 || d->axis >= rank)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "axis %d is out of range for output rank %d", d->axis_option, rank);
    int32_t dims[TFL_MAX_DIMS];
    for (int i = 0, j = 0; i < rank; ++i)
        dims[i] = i == d->axis ? d->depth : idx->dims[j++];
    return tfl__resize(ctx, node, out, dims, rank);
}

static tfl_status one_hot_eval(tfl__ctx *ctx, tfl__node *node)
{
    const one_hot_data *d = node->data;
    const tfl_tensor *idx = tfl__input(ctx, node, 0);
    const tfl_tensor *on = tfl__input(ctx, node, 2), *off = tfl__input(ctx, node, 3);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t es = tfl_type_size(out->type);
    /* out [prefix, depth, suffix] over indices [prefix, suffix]. */
    const size_t prefix = tfl__dims_product(idx->dims, 0, d->axis);
    const size_t suffix = tfl__dims_product(idx->dims, d->axis, idx->ndim);
    uint8_t *o = out->data;
    for (size_t i = 0; i < prefix; ++i)
        for (int32_t k = 0; k < d->depth; ++k)
            for (size_t j = 0; j < suffix; ++j, o += es) {
                /* TFLite compares static_cast<int>(index): an int64 index
                 * is truncated to its low 32 bits first. */
                const int32_t v = (int32_t)(uint32_t)(uint64_t)tfl__int_at(idx, i * suffix + j);
                memcpy(o, v == k ? on->data : off->data, es);
            }
    return TFL_OK;
}

const tfl__op tfl__op_one_hot = {
    .builtin_code = 85,
    .min_version = 1,
    .max_version = 1,
    .init = one_hot_init,
    .prepare = one_hot_prepare,
    .eval = one_hot_eval,
    .free = free,
};
