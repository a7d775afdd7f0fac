/* SQUARED_DIFFERENCE (99: float32, int32), ATAN2 (156: float32) and POW
 * (78: float32, int32; a negative int32 exponent fails at invoke, as in
 * TFLite): elementwise with broadcasting, inputs and output of one type.
 * Quantized SQUARED_DIFFERENCE is not supported yet. */
#include <stdlib.h>

#include "ops/binary_math/binary_math.h"
#include "ops/elementwise.h"

static const tfl__typed_binary sqdiff_kernels[] = {
    {TFL_FLOAT32, tfl_squared_difference_f32__ref},
    {TFL_INT32, tfl_squared_difference_s32__ref},
};
static const tfl__typed_binary atan2_kernels[] = {{TFL_FLOAT32, tfl_atan2_f32__ref}};
static const tfl__typed_binary pow_kernels[] = {
    {TFL_FLOAT32, tfl_pow_f32__ref},
    {TFL_INT32, tfl_pow_s32__ref},
};

static tfl_status sqdiff_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, sqdiff_kernels, 2,
                                     "float32, int32; quantized types not yet");
}

static tfl_status atan2_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, atan2_kernels, 1, "float32");
}

static tfl_status pow_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, pow_kernels, 2, "float32, int32");
}

static tfl_status run(tfl__ctx *ctx, tfl__node *node)
{
    tfl__typed_binary_data *d = node->data;
    tfl__binary_run(ctx, &d->plan, d->fn, NULL, tfl__input(ctx, node, 0), tfl__input(ctx, node, 1),
                    tfl__output(ctx, node, 0));
    return TFL_OK;
}

static tfl_status pow_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *e = tfl__input(ctx, node, 1);
    if (e->type == TFL_INT32) {
        const int32_t *v = (const int32_t *)e->data;
        for (size_t i = 0; i < tfl__num_elements(e); ++i)
            if (v[i] < 0)
                return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME,
                                    "int32 exponent element %zu is %d: negative exponents are not "
                                    "supported for int32 (as TFLite)",
                                    i, (int)v[i]);
    }
    return run(ctx, node);
}

#define OP(NAME, CODE, PREPARE, EVAL, MAXV)                                                        \
    const tfl__op tfl__op_##NAME = {                                                               \
        .builtin_code = CODE,                                                                      \
        .min_version = 1,                                                                          \
        .max_version = MAXV,                                                                       \
        .init = tfl__typed_binary_init,                                                            \
        .prepare = PREPARE,                                                                        \
        .eval = EVAL,                                                                              \
        .free = free,                                                                              \
    };

OP(squared_difference, 99, sqdiff_prepare, run, 2)
OP(atan2, 156, atan2_prepare, run, 1)
OP(pow, 78, pow_prepare, pow_eval, 1)
