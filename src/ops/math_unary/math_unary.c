/* Shared node data and eval of the one-input math ops, and the ops whose
 * kernel depends only on the element type: SIN (66), COS (108), SQUARE (92),
 * FLOOR (8), CEIL (104), ROUND (116) on float32 and NEG (59) on float32,
 * int8, int16, int32, int64. */
#include "ops/math_unary/math_unary.h"

#include <stdlib.h>

#include "ops/shape_common.h"

tfl_status tfl__math_unary_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(tfl__math_unary_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

void tfl__math_unary_free(void *data)
{
    free(data);
}

tfl_status tfl__math_unary_begin(tfl__ctx *ctx, tfl__node *node, const tfl_tensor **in,
                                 tfl_tensor **out)
{
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    *in = tfl__input(ctx, node, 0);
    *out = tfl__output(ctx, node, 0);
    return tfl__check_out_type(ctx, node, *in, *out);
}

tfl_status tfl__math_unary_check_quant(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *in,
                                       const tfl_tensor *out)
{
    const char *type = tfl_type_name(in->type);
    if (!tfl__is_quantized(in) || !tfl__is_quantized(out))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%s input and output need quantization parameters", type);
    if (!(in->scale > 0.0f) || !(out->scale > 0.0f))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%s scales must be positive (input %g, output %g)", type,
                            (double)in->scale, (double)out->scale);
    if (in->type == TFL_INT16 && (in->zero_point != 0 || out->zero_point != 0))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "int16 zero points must be 0 (got %d, %d)", (int)in->zero_point,
                            (int)out->zero_point);
    return TFL_OK;
}

tfl_status tfl__math_unary_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl__math_unary_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (d->check_min) {
        const size_t n = tfl__num_elements(in);
        for (size_t i = 0; i < n; ++i) {
            int64_t v = tfl__int_at(in, i);
            if (v < d->min_value)
                return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME,
                                    "input element %zu is %lld, below the zero point %d: only "
                                    "non-negative values are allowed",
                                    i, (long long)v, (int)d->min_value);
        }
    }
    if (out->bytes)
        tfl__unary_run(ctx, d->fn, d->params, in, out);
    return TFL_OK;
}

/* Best first per (op, type); the reference kernel of each is last. */
static const struct {
    int builtin;
    tfl_type type;
    tfl__unary_fn fn;
} typed_kernels[] = {
    {66, TFL_FLOAT32, tfl_sin_f32__ref},    {108, TFL_FLOAT32, tfl_cos_f32__ref},
    {92, TFL_FLOAT32, tfl_square_f32__ref}, {8, TFL_FLOAT32, tfl_floor_f32__ref},
    {104, TFL_FLOAT32, tfl_ceil_f32__ref},  {116, TFL_FLOAT32, tfl_round_f32__ref},
    {59, TFL_FLOAT32, tfl_neg_f32__ref},    {59, TFL_INT8, tfl_neg_s8__ref},
    {59, TFL_INT16, tfl_neg_s16__ref},      {59, TFL_INT32, tfl_neg_s32__ref},
    {59, TFL_INT64, tfl_neg_s64__ref},      {158, TFL_FLOAT32, tfl_sign_f32__ref},
    {158, TFL_INT32, tfl_sign_s32__ref},
};

static tfl_status typed_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl__math_unary_data *d = node->data;
    const tfl_tensor *in;
    tfl_tensor *out;
    tfl_status s = tfl__math_unary_begin(ctx, node, &in, &out);
    if (s != TFL_OK)
        return s;
    d->fn = NULL;
    for (size_t i = 0; i < sizeof typed_kernels / sizeof typed_kernels[0] && !d->fn; ++i)
        if (typed_kernels[i].builtin == node->builtin_code && typed_kernels[i].type == in->type)
            d->fn = typed_kernels[i].fn;
    if (!d->fn)
        return tfl__op_fail(
            ctx, node, TFL_ERROR_UNSUPPORTED, "type %s not supported (%s)", tfl_type_name(in->type),
            node->builtin_code == 59    ? "float32, int8, int16, int32, int64"
            : node->builtin_code == 158 ? "float32, int32"
                                        : "float32");
    return TFL_OK;
}

#define TYPED_OP(sym, code)                                                                        \
    const tfl__op tfl__op_##sym = {                                                                \
        .builtin_code = code,                                                                      \
        .min_version = 1,                                                                          \
        .max_version = 1,                                                                          \
        .init = tfl__math_unary_init,                                                              \
        .prepare = typed_prepare,                                                                  \
        .eval = tfl__math_unary_eval,                                                              \
        .free = tfl__math_unary_free,                                                              \
    };

TYPED_OP(sin, 66)
TYPED_OP(cos, 108)
TYPED_OP(square, 92)
TYPED_OP(floor, 8)
TYPED_OP(ceil, 104)
TYPED_OP(round, 116)
TYPED_OP(neg, 59)
TYPED_OP(sign, 158)
