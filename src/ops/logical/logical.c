/* LOGICAL_AND (86), LOGICAL_OR (84): bool inputs with broadcasting, a bool
 * output; LOGICAL_NOT (87): bool to bool of the same shape. */
#include <stdlib.h>

#include "ops/elementwise.h"
#include "ops/logical/logical.h"

static const tfl__typed_binary and_kernels[] = {{TFL_BOOL, tfl_logical_and_b8__ref}};
static const tfl__typed_binary or_kernels[] = {{TFL_BOOL, tfl_logical_or_b8__ref}};

static tfl_status and_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, and_kernels, 1, "bool");
}

static tfl_status or_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, or_kernels, 1, "bool");
}

static tfl_status not_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_type(ctx, node, in, "input", TFL_BOOL)) != TFL_OK)
        return s;
    return tfl__check_type(ctx, node, out, "output", TFL_BOOL);
}

static tfl_status not_eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl__unary_run(ctx, tfl_logical_not_b8__ref, NULL, tfl__input(ctx, node, 0),
                   tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_logical_and = {
    .builtin_code = 86,
    .min_version = 1,
    .max_version = 1,
    .init = tfl__typed_binary_init,
    .prepare = and_prepare,
    .eval = tfl__typed_binary_eval,
    .free = free,
};

const tfl__op tfl__op_logical_or = {
    .builtin_code = 84,
    .min_version = 1,
    .max_version = 1,
    .init = tfl__typed_binary_init,
    .prepare = or_prepare,
    .eval = tfl__typed_binary_eval,
    .free = free,
};

const tfl__op tfl__op_logical_not = {
    .builtin_code = 87,
    .min_version = 1,
    .max_version = 1,
    .prepare = not_prepare,
    .eval = not_eval,
};
