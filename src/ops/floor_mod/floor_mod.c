/* FLOOR_MOD (builtin 95): a - floor(a / b) * b with broadcasting for float32,
 * int64, int32, int16 and int8 (quantization is ignored as in TFLite). An
 * integer zero divisor fails at eval; float x mod 0 is nan. */
#include <stdlib.h>

#include "ops/elementwise.h"
#include "ops/floor_mod/floor_mod.h"

typedef enum { K_F32, K_S64, K_S32, K_S16, K_S8 } kernel_kind;

/* Best first; the reference kernel of each kind is last. */
static const struct {
    kernel_kind kind;
    tfl__binary_fn fn;
} kernels[] = {
    {K_F32, tfl_floor_mod_f32__ref}, {K_S64, tfl_floor_mod_s64__ref},
    {K_S32, tfl_floor_mod_s32__ref}, {K_S16, tfl_floor_mod_s16__ref},
    {K_S8, tfl_floor_mod_s8__ref},
};

typedef struct floor_mod_data {
    tfl__bcast plan;
    tfl__binary_fn fn;
} floor_mod_data;

static tfl_status floor_mod_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(floor_mod_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static tfl_status floor_mod_prepare(tfl__ctx *ctx, tfl__node *node)
{
    floor_mod_data *d = node->data;
    tfl_status s = tfl__binary_prepare(ctx, node, &d->plan);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, a, out)) != TFL_OK)
        return s;
    kernel_kind kind;
    switch (a->type) {
    case TFL_FLOAT32: kind = K_F32; break;
    case TFL_INT64: kind = K_S64; break;
    case TFL_INT32: kind = K_S32; break;
    case TFL_INT16: kind = K_S16; break;
    case TFL_INT8: kind = K_S8; break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int64, int32, int16, int8)",
                            tfl_type_name(a->type));
    }
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].kind == kind)
            d->fn = kernels[i].fn;
    return TFL_OK;
}

static tfl_status floor_mod_eval(tfl__ctx *ctx, tfl__node *node)
{
    floor_mod_data *d = node->data;
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
    .init = floor_mod_init,
    .prepare = floor_mod_prepare,
    .eval = floor_mod_eval,
    .free = free,
};
