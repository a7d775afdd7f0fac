/* SQUARED_DIFFERENCE (99: float32, int32), ATAN2 (156: float32) and POW
 * (78: float32, int32; a negative int32 exponent fails at invoke, as in
 * TFLite): elementwise with broadcasting, inputs and output of one type.
 * SQUARED_DIFFERENCE also takes int8 (TFLite's quantized kernel). */
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

/* SQUARED_DIFFERENCE's node data: the typed binary data, then the int8
 * rescale parameters its kernel reads. */
typedef struct sqdiff_data {
    tfl__typed_binary_data base;
    tfl_squared_difference_q8_params q;
    bool quantized;
} sqdiff_data;

static tfl_status sqdiff_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(sqdiff_data));
    return node->data ? TFL_OK : tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
}

/* TFLite QuantizeMultiplierSmallerThanOneExp: a ratio above 1 is refused
 * (TFLite aborts on it). */
static tfl_status smaller_than_one(tfl__ctx *ctx, const tfl__node *node, const char *what,
                                   double real, int32_t *mult, int *shift)
{
    tfl_status s = tfl__op_multiplier(ctx, node, what, real, mult, shift);
    if (s == TFL_OK && *shift > 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "%s rescale %g is above 1 (check the quantization scales)", what,
                            real);
    return s;
}

static tfl_status sqdiff_q8_prepare(tfl__ctx *ctx, tfl__node *node, sqdiff_data *d)
{
    tfl_status s = tfl__binary_prepare(ctx, node, &d->base.plan);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_type(ctx, node, out, "output", TFL_INT8)) != TFL_OK)
        return s;
    if (!tfl__is_quantized(a) || !tfl__is_quantized(b) || !tfl__is_quantized(out))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "int8 inputs and output need scales");
    /* In TFLite: the larger scale doubled in float, the ratios in double. */
    const float larger = a->scale > b->scale ? a->scale : b->scale;
    const double twice = (double)(2 * larger);
    tfl_squared_difference_q8_params *q = &d->q;
    q->in1_offset = -a->zero_point;
    q->in2_offset = -b->zero_point;
    q->out_offset = out->zero_point;
    if ((s = smaller_than_one(ctx, node, "input 1", (double)a->scale / twice, &q->in1_mult,
                              &q->in1_shift)) != TFL_OK ||
        (s = smaller_than_one(ctx, node, "input 2", (double)b->scale / twice, &q->in2_mult,
                              &q->in2_shift)) != TFL_OK ||
        (s = smaller_than_one(ctx, node, "output", twice * twice / (double)((1 << 14) * out->scale),
                              &q->out_mult, &q->out_shift)) != TFL_OK)
        return s;
    d->base.fn = tfl_squared_difference_s8__ref;
    return TFL_OK;
}

static tfl_status sqdiff_prepare(tfl__ctx *ctx, tfl__node *node)
{
    sqdiff_data *d = node->data;
    const tfl_tensor *a = tfl__input(ctx, node, 0);
    d->quantized = a && a->type == TFL_INT8;
    if (d->quantized)
        return sqdiff_q8_prepare(ctx, node, d);
    return tfl__typed_binary_prepare(ctx, node, sqdiff_kernels, 2, "float32, int32, int8");
}

static tfl_status sqdiff_run(tfl__ctx *ctx, tfl__node *node)
{
    sqdiff_data *d = node->data;
    tfl__binary_run(ctx, &d->base.plan, d->base.fn, d->quantized ? &d->q : NULL,
                    tfl__input(ctx, node, 0), tfl__input(ctx, node, 1),
                    tfl__output(ctx, node, 0));
    return TFL_OK;
}

static tfl_status atan2_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, atan2_kernels, 1, "float32");
}

static tfl_status pow_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, pow_kernels, 2, "float32, int32");
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
    return tfl__typed_binary_eval(ctx, node);
}

#define OP(NAME, CODE, INIT, PREPARE, EVAL, MAXV)                                                  \
    const tfl__op tfl__op_##NAME = {                                                               \
        .builtin_code = CODE,                                                                      \
        .min_version = 1,                                                                          \
        .max_version = MAXV,                                                                       \
        .init = INIT,                                                                              \
        .prepare = PREPARE,                                                                        \
        .eval = EVAL,                                                                              \
        .free = free,                                                                              \
    };

OP(squared_difference, 99, sqdiff_init, sqdiff_prepare, sqdiff_run, 2)
OP(atan2, 156, tfl__typed_binary_init, atan2_prepare, tfl__typed_binary_eval, 1)
OP(pow, 78, tfl__typed_binary_init, pow_prepare, pow_eval, 1)
