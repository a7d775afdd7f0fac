/* UNPACK (builtin 88): slices the input along an axis into num tensors of
 * one rank less. It is a split into size-1 pieces, so it runs the SPLIT
 * copy kernel. */
#include <stdio.h>
#include <stdlib.h>

#include "ops/op.h"
#include "ops/shape_common.h"
#include "ops/split/split.h"

/* UnpackOptions fields (schema order). */
enum { F_NUM = 0, F_AXIS = 1 };

typedef struct unpack_data {
    int num;
    int axis_opt; /* as written; may be negative */
    int axis;
    tfl__split_state st;
} unpack_data;

static void unpack_free(void *data)
{
    unpack_data *d = data;
    if (!d)
        return;
    tfl__split_state_free(&d->st);
    free(d);
}

static tfl_status unpack_init_data(tfl__ctx *ctx, tfl__node *node)
{
    unpack_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->num = tfl__fb_i32(&node->options, F_NUM, 0);
    d->axis_opt = tfl__fb_i32(&node->options, F_AXIS, 0);
    if (d->num < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "num is %d, expected >= 0", d->num);
    return tfl__split_state_init(ctx, node, &d->st);
}

static tfl_status unpack_prepare(tfl__ctx *ctx, tfl__node *node)
{
    unpack_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 1, 1, d->num);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK)
        return s;
    if (in->ndim == 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "cannot unpack a scalar input");
    if ((s = tfl__normalize_axis(ctx, node, TFL_ERROR_BAD_MODEL, "axis", d->axis_opt, in->ndim,
                                 &d->axis)) != TFL_OK)
        return s;
    char b[64];
    if (in->dims[d->axis] != d->num)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "num is %d but dimension %d of input %s is %d", d->num, d->axis,
                            tfl__describe(in, b, sizeof b), (int)in->dims[d->axis]);
    int32_t dims[TFL_MAX_DIMS];
    for (int k = 0, j = 0; k < in->ndim; ++k)
        if (k != d->axis)
            dims[j++] = in->dims[k];
    for (int i = 0; i < d->num; ++i) {
        tfl_tensor *o = tfl__output(ctx, node, i);
        char role[32];
        snprintf(role, sizeof role, "output %d", i);
        if ((s = tfl__check_same_type(ctx, node, in, "input", o, role)) != TFL_OK ||
            (s = tfl__check_same_quant(ctx, node, in, "input", o, role)) != TFL_OK ||
            (s = tfl__resize(ctx, node, o, dims, in->ndim - 1)) != TFL_OK)
            return s;
    }
    return TFL_OK;
}

static tfl_status unpack_eval(tfl__ctx *ctx, tfl__node *node)
{
    unpack_data *d = node->data;
    tfl__split_run(ctx, node, &d->st, tfl__input(ctx, node, 0), d->axis);
    return TFL_OK;
}

/* The interpreter frees node data only after a successful init, so a
 * failed init releases its own. */
static tfl_status unpack_init(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = unpack_init_data(ctx, node);
    if (s != TFL_OK) {
        unpack_free(node->data);
        node->data = NULL;
    }
    return s;
}

const tfl__op tfl__op_unpack = {
    .builtin_code = 88,
    .min_version = 1,
    .max_version = 4,
    .init = unpack_init,
    .prepare = unpack_prepare,
    .eval = unpack_eval,
    .free = unpack_free,
};
