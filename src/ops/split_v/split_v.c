/* SPLIT_V (builtin 102): cuts the input into parts of the sizes listed in
 * size_splits (int32 or int64, one -1 entry takes the rest) along the axis
 * given by input 2. When either is computed, the outputs are sized at eval. */
#include "ops/op.h"
#include "ops/shape_common.h"
#include "ops/split/split.h"

static bool shapes_known(tfl__ctx *ctx, const tfl__node *node)
{
    return tfl__is_const(tfl__input(ctx, node, 1)) && tfl__is_const(tfl__input(ctx, node, 2));
}

/* Reads axis and sizes (TFLite's rules: at most one -1, which takes what the
 * others leave; otherwise they must add up to the dimension) and resizes the
 * outputs. Other negative sizes are rejected (TFLite does not check). */
static tfl_status resize_outputs(tfl__ctx *ctx, tfl__node *node)
{
    tfl__split_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *sizes = tfl__input(ctx, node, 1);
    const tfl_tensor *axis_t = tfl__input(ctx, node, 2);
    int32_t axis;
    tfl_status s = tfl__read_scalar_i32(ctx, node, axis_t, "axis", &axis);
    if (s != TFL_OK)
        return s;
    if ((s = tfl__normalize_axis(ctx, node, tfl__data_status(axis_t), "axis", axis, in->ndim,
                                 &d->axis)) != TFL_OK)
        return s;
    tfl_status bad = tfl__data_status(sizes);
    const int32_t size = in->dims[d->axis];
    int minus_one = -1;
    int64_t sum = 0;
    for (int i = 0; i < d->num_splits; ++i) {
        int64_t v = tfl__int_at(sizes, (size_t)i);
        if (v == -1) {
            if (minus_one >= 0)
                return tfl__op_fail(ctx, node, bad,
                                    "size_splits has more than one -1 (entries %d and %d)",
                                    minus_one, i);
            minus_one = i;
        } else if (v < 0 || v > INT32_MAX) {
            return tfl__op_fail(ctx, node, bad, "size_splits entry %d is %lld", i, (long long)v);
        } else {
            sum += v;
        }
    }
    char b[64];
    if (minus_one >= 0 ? sum > size : sum != size)
        return tfl__op_fail(ctx, node, bad,
                            "size_splits add up to %lld, but dimension %d of input %s is %d",
                            (long long)sum, d->axis, tfl__describe(in, b, sizeof b), (int)size);
    int32_t dims[TFL_MAX_DIMS];
    for (int k = 0; k < in->ndim; ++k)
        dims[k] = in->dims[k];
    for (int i = 0; i < d->num_splits; ++i) {
        dims[d->axis] =
            i == minus_one ? (int32_t)(size - sum) : (int32_t)tfl__int_at(sizes, (size_t)i);
        if ((s = tfl__resize(ctx, node, tfl__output(ctx, node, i), dims, in->ndim)) != TFL_OK)
            return s;
    }
    return TFL_OK;
}

static tfl_status split_v_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl__split_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 3, 3, d->num_splits);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *sizes = tfl__input(ctx, node, 1);
    const tfl_tensor *axis = tfl__input(ctx, node, 2);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    unsigned ints = 1u << TFL_INT32 | 1u << TFL_INT64;
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, sizes, "size_splits", ints)) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, axis, "axis", ints)) != TFL_OK)
        return s;
    char b[64];
    if (sizes->ndim != 1 || sizes->dims[0] != d->num_splits)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "size_splits %s must be a vector of %d entries (one per output)",
                            tfl__describe(sizes, b, sizeof b), d->num_splits);
    if ((s = tfl__split_check_common(ctx, node, axis, in)) != TFL_OK)
        return s;
    if (!shapes_known(ctx, node)) {
        for (int i = 0; i < node->num_outputs; ++i)
            tfl__set_dynamic(tfl__output(ctx, node, i));
        return TFL_OK;
    }
    return resize_outputs(ctx, node);
}

static tfl_status split_v_eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl__split_data *d = node->data;
    if (!shapes_known(ctx, node)) {
        tfl_status s = resize_outputs(ctx, node);
        if (s != TFL_OK)
            return s;
    }
    tfl__split_run(ctx, node, &d->st, tfl__input(ctx, node, 0), d->axis);
    return TFL_OK;
}

const tfl__op tfl__op_split_v = {
    .builtin_code = 102,
    .min_version = 1,
    .max_version = 2,
    .init = tfl__split_data_init,
    .prepare = split_v_prepare,
    .eval = split_v_eval,
    .free = tfl__split_data_free,
};
