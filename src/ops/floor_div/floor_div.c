/* FLOOR_DIV (builtin 90): floor(a / b) with broadcasting for float32, int32,
 * int16 and int8 (quantization, if any, is ignored as in TFLite). A zero
 * divisor fails at eval. */
#include <stdlib.h>

#include "ops/elementwise.h"
#include "ops/floor_div/floor_div.h"

/* Best first; the reference kernel of each type is last. */
static const tfl__typed_binary kernels[] = {
    {TFL_FLOAT32, tfl_floor_div_f32__ref},
    {TFL_INT32, tfl_floor_div_s32__ref},
    {TFL_INT16, tfl_floor_div_s16__ref},
    {TFL_INT8, tfl_floor_div_s8__ref},
};

static tfl_status floor_div_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, kernels, sizeof kernels / sizeof kernels[0],
                                     "float32, int32, int16, int8");
}

static tfl_status floor_div_eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl__typed_binary_data *d = node->data;
    const tfl_tensor *b = tfl__input(ctx, node, 1);
    long z = tfl__find_zero(b, 0);
    if (z >= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME, "division by zero (input 2 element %ld)",
                            z);
    tfl__binary_run(ctx, &d->plan, d->fn, NULL, tfl__input(ctx, node, 0), b,
                    tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_floor_div = {
    .builtin_code = 90,
    .min_version = 1,
    .max_version = 3,
    .init = tfl__typed_binary_init,
    .prepare = floor_div_prepare,
    .eval = floor_div_eval,
    .free = free,
};
