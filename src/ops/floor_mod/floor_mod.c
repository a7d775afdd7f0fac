/* FLOOR_MOD (builtin 95): a - floor(a / b) * b with broadcasting for float32,
 * int64, int32, int16 and int8 (quantization is ignored as in TFLite). An
 * integer zero divisor fails at eval; float x mod 0 is nan. */
#include <stdlib.h>

#include "ops/elementwise.h"
#include "ops/floor_mod/floor_mod.h"

/* Best first; the reference kernel of each type is last. */
static const tfl__typed_binary kernels[] = {
    {TFL_FLOAT32, tfl_floor_mod_f32__ref}, {TFL_INT64, tfl_floor_mod_s64__ref},
    {TFL_INT32, tfl_floor_mod_s32__ref},   {TFL_INT16, tfl_floor_mod_s16__ref},
    {TFL_INT8, tfl_floor_mod_s8__ref},
};

static tfl_status floor_mod_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, kernels, sizeof kernels / sizeof kernels[0],
                                     "float32, int64, int32, int16, int8");
}

static tfl_status floor_mod_eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl__typed_binary_data *d = node->data;
    const tfl_tensor *b = tfl__input(ctx, node, 1);
    long z = b->type == TFL_FLOAT32 ? -1 : tfl__find_zero(b, 0);
    if (z >= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME, "division by zero (input 2 element %ld)",
                            z);
    tfl__binary_run(ctx, &d->plan, d->fn, NULL, tfl__input(ctx, node, 0), b,
                    tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_floor_mod = {
    .builtin_code = 95,
    .min_version = 1,
    .max_version = 2,
    .init = tfl__typed_binary_init,
    .prepare = floor_mod_prepare,
    .eval = floor_mod_eval,
    .free = free,
};
