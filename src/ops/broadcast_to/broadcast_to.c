/* BROADCAST_TO (130): the input broadcast (NumPy rules, right-aligned) to
 * the shape in an int32 or int64 vector, constant or fed. Any fixed-size
 * type, copied. Runs on STRIDED_SLICE's walker with a step of 0 along the
 * broadcast dimensions. */
#include <stdlib.h>

#include "ops/shape_common.h"
#include "ops/strided_slice/strided_slice.h"

typedef struct bcast_to_data {
    tfl_strided_slice_params p;
} bcast_to_data;

static tfl_status bt_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(bcast_to_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static tfl_status plan(tfl__ctx *ctx, tfl__node *node, bcast_to_data *d)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0), *shape = tfl__input(ctx, node, 1);
    const tfl_status bad = tfl__data_status(shape);
    const int nd = (int)tfl__num_elements(shape);
    if (nd > TFL_MAX_DIMS || nd < in->ndim)
        return tfl__op_fail(ctx, node, bad, "shape of rank %d cannot take an input of rank %d",
                            nd, in->ndim);
    int32_t dims[TFL_MAX_DIMS];
    tfl_strided_slice_params *p = &d->p;
    p->esize = tfl_type_size(in->type);
    int64_t stride = 1;
    for (int k = nd - 1; k >= 0; --k) {
        const int64_t v = tfl__int_at(shape, (size_t)k);
        const int ik = k - (nd - in->ndim);
        const int32_t n = ik >= 0 ? in->dims[ik] : 1;
        if (v < 0 || v > INT32_MAX || (n != 1 && n != v))
            return tfl__op_fail(ctx, node, bad,
                                "input dimension of size %d cannot broadcast to %lld", (int)n,
                                (long long)v);
        dims[k] = (int32_t)v;
        p->count[k] = (int32_t)v;
        p->step[k] = n == 1 ? 0 : stride;
        stride *= n;
    }
    p->ndim = nd > 0 ? nd : 1;
    if (nd == 0) {
        p->count[0] = 1;
        p->step[0] = 0;
    }
    p->base = 0;
    return tfl__resize(ctx, node, tfl__output(ctx, node, 0), dims, nd);
}

static tfl_status bt_prepare(tfl__ctx *ctx, tfl__node *node)
{
    bcast_to_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *shape = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, shape, "shape",
                                     1u << TFL_INT32 | 1u << TFL_INT64)) != TFL_OK)
        return s;
    if (shape->ndim != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "shape must be a vector");
    if (!tfl__is_const(shape)) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return plan(ctx, node, d);
}

static tfl_status bt_eval(tfl__ctx *ctx, tfl__node *node)
{
    bcast_to_data *d = node->data;
    tfl_status s;
    if (!tfl__is_const(tfl__input(ctx, node, 1)) && (s = plan(ctx, node, d)) != TFL_OK)
        return s;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (out->bytes == 0)
        return TFL_OK;
    tfl__strided_slice_run(ctx, &d->p, tfl__input(ctx, node, 0)->data, out->data);
    return TFL_OK;
}

const tfl__op tfl__op_broadcast_to = {
    .builtin_code = 130,
    .min_version = 1,
    .max_version = 3,
    .init = bt_init,
    .prepare = bt_prepare,
    .eval = bt_eval,
    .free = free,
};
