/* EQUAL (71), NOT_EQUAL (72), LESS (58), LESS_EQUAL (63), GREATER (61) and
 * GREATER_EQUAL (62): elementwise with broadcasting, both inputs of one
 * type, a bool output. float32, int16, int32, int64, bool (EQUAL and
 * NOT_EQUAL only), and uint8 / int8 compared after rescaling each side by
 * its own scale (TFLite's ComparisonWithScaling, which needs quantized
 * inputs with scales in (0, 1)). Strings are not supported. */
#include <stdlib.h>

#include "kernels/quant.h"
#include "ops/comparison/comparison.h"
#include "ops/elementwise.h"

typedef struct compare_kernels {
    int builtin_code;
    bool takes_bool;
    /* by type: float32, int16, int32, int64, bool, uint8, int8 */
    tfl__binary_fn f32, s16, s32, s64, b8, u8, s8;
} compare_kernels;

#define KERNELS(CODE, OP, BOOL)                                                                    \
    {CODE,                 BOOL,                 tfl_##OP##_f32__ref, tfl_##OP##_s16__ref,         \
     tfl_##OP##_s32__ref,  tfl_##OP##_s64__ref,  tfl_##OP##_b8__ref,  tfl_##OP##_u8__ref,          \
     tfl_##OP##_s8__ref}

static const compare_kernels ops[] = {
    KERNELS(71, equal, true),         KERNELS(72, not_equal, true), KERNELS(58, less, false),
    KERNELS(63, less_equal, false),   KERNELS(61, greater, false),
    KERNELS(62, greater_equal, false),
};

typedef struct compare_data {
    tfl__bcast plan;
    tfl__binary_fn fn;
    tfl_compare_q8_params q;
} compare_data;

static tfl_status compare_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(compare_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

/* QuantizeMultiplierSmallerThanOneExp of an input's scale, which TFLite
 * requires in (0, 1) and aborts on otherwise (an unquantized input has
 * scale 0): refused here with a message instead. */
static tfl_status input_multiplier(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                                   int which, int32_t *mult, int *shift)
{
    if (!tfl__is_quantized(t))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "input %d (%s) has no quantization: %s comparisons rescale by the "
                            "input's scale",
                            which, tfl_type_name(t->type), tfl_type_name(t->type));
    const double scale = (double)t->scale;
    if (!(scale > 0.0 && scale < 1.0))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input %d scale %g not supported (%s comparisons need a scale in "
                            "(0, 1), as TFLite's)",
                            which, scale, tfl_type_name(t->type));
    if (tfl__quantize_multiplier(scale, mult, shift) != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %d scale %g is not finite",
                            which, scale);
    return TFL_OK;
}

static tfl_status compare_prepare(tfl__ctx *ctx, tfl__node *node)
{
    compare_data *d = node->data;
    tfl_status s = tfl__binary_prepare(ctx, node, &d->plan);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_type(ctx, node, out, "output", TFL_BOOL)) != TFL_OK)
        return s;
    const compare_kernels *k = NULL;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; ++i)
        if (ops[i].builtin_code == node->builtin_code)
            k = &ops[i];
    if (!k)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "not a comparison");
    switch (a->type) {
    case TFL_FLOAT32: d->fn = k->f32; break;
    case TFL_INT16: d->fn = k->s16; break;
    case TFL_INT32: d->fn = k->s32; break;
    case TFL_INT64: d->fn = k->s64; break;
    case TFL_BOOL: d->fn = k->takes_bool ? k->b8 : NULL; break;
    case TFL_UINT8:
    case TFL_INT8:
        d->fn = a->type == TFL_UINT8 ? k->u8 : k->s8;
        d->q.in1_offset = -a->zero_point;
        d->q.in2_offset = -b->zero_point;
        if ((s = input_multiplier(ctx, node, a, 1, &d->q.in1_mult, &d->q.in1_shift)) != TFL_OK ||
            (s = input_multiplier(ctx, node, b, 2, &d->q.in2_mult, &d->q.in2_shift)) != TFL_OK)
            return s;
        break;
    default: d->fn = NULL; break;
    }
    if (!d->fn)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int16, int32, int64, uint8, int8%s)",
                            tfl_type_name(a->type), k->takes_bool ? ", bool" : "");
    return TFL_OK;
}

static tfl_status compare_eval(tfl__ctx *ctx, tfl__node *node)
{
    compare_data *d = node->data;
    tfl__binary_run(ctx, &d->plan, d->fn, &d->q, tfl__input(ctx, node, 0),
                    tfl__input(ctx, node, 1), tfl__output(ctx, node, 0));
    return TFL_OK;
}

#define COMPARISON_OP(NAME, CODE)                                                                  \
    const tfl__op tfl__op_##NAME = {                                                               \
        .builtin_code = CODE,                                                                      \
        .min_version = 1,                                                                          \
        .max_version = 4,                                                                          \
        .init = compare_init,                                                                      \
        .prepare = compare_prepare,                                                                \
        .eval = compare_eval,                                                                      \
        .free = free,                                                                              \
    };

COMPARISON_OP(equal, 71)
COMPARISON_OP(not_equal, 72)
COMPARISON_OP(less, 58)
COMPARISON_OP(less_equal, 63)
COMPARISON_OP(greater, 61)
COMPARISON_OP(greater_equal, 62)
