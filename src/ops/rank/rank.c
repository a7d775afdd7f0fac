/* RANK (builtin 110): the input's number of dimensions as an int32 scalar.
 * It depends only on the shape; written at eval because the output is
 * planned like any activation. */
#include <string.h>

#include "ops/op.h"

static tfl_status prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    if (!tfl__input(ctx, node, 0))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_type(ctx, node, out, "output", TFL_INT32)) != TFL_OK)
        return s;
    const int32_t none[1] = {0};
    return tfl__resize(ctx, node, out, none, 0);
}

static tfl_status eval(tfl__ctx *ctx, tfl__node *node)
{
    const int32_t rank = tfl__input(ctx, node, 0)->ndim;
    memcpy(tfl__output(ctx, node, 0)->data, &rank, sizeof rank);
    return TFL_OK;
}

const tfl__op tfl__op_rank = {
    .builtin_code = 110,
    .min_version = 1,
    .max_version = 1,
    .prepare = prepare,
    .eval = eval,
};
