/* BROADCAST_ARGS (145): the broadcast (NumPy rules) of two shapes given as
 * int32 or int64 vectors of one type; the output vector has the longer
 * one's length. Computed at prepare for constant inputs, else at eval. */
#include <stdlib.h>

#include "ops/shape_common.h"

static tfl_status bargs_shape(tfl__ctx *ctx, tfl__node *node, bool write, tfl_status bad)
{
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t na = tfl__num_elements(a), nb = tfl__num_elements(b);
    const size_t n = na > nb ? na : nb;
    if (!write) {
        const int32_t dims[1] = {(int32_t)n};
        return tfl__resize(ctx, node, out, dims, 1);
    }
    for (size_t i = 0; i < n; ++i) {
        const int64_t x = i + na >= n ? tfl__int_at(a, i + na - n) : 1;
        const int64_t y = i + nb >= n ? tfl__int_at(b, i + nb - n) : 1;
        if (x != y && x != 1 && y != 1)
            return tfl__op_fail(ctx, node, bad, "shapes do not broadcast (%lld and %lld)",
                                (long long)x, (long long)y);
        const int64_t v = x == 1 ? y : x;
        if (out->type == TFL_INT32)
            ((int32_t *)(void *)out->data)[i] = (int32_t)v;
        else
            ((int64_t *)(void *)out->data)[i] = v;
    }
    return TFL_OK;
}

static tfl_status bargs_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    const unsigned idx = 1u << TFL_INT32 | 1u << TFL_INT64;
    if ((s = tfl__check_index_tensor(ctx, node, a, "shape 1", idx)) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, b, "shape 2", idx)) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, a, "shape 1", b, "shape 2")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, a, "shape 1", out, "output")) != TFL_OK)
        return s;
    if (a->ndim != 1 || b->ndim != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "shapes must be vectors");
    return bargs_shape(ctx, node, false, TFL_ERROR_BAD_MODEL);
}

static tfl_status bargs_eval(tfl__ctx *ctx, tfl__node *node)
{
    return bargs_shape(ctx, node, true, TFL_ERROR_RUNTIME);
}

const tfl__op tfl__op_broadcast_args = {
    .builtin_code = 145,
    .min_version = 1,
    .max_version = 1,
    .prepare = bargs_prepare,
    .eval = bargs_eval,
};
