/* ABS (builtin 101): float32, int32 and unquantized int16 directly; int8 and
 * quantized int16 take |in - in_zp| and rescale it by in_scale / out_scale
 * when the scales differ (TFLite's elementwise.cc). */
#include "kernels/quant.h"
#include "ops/math_unary/math_unary.h"

typedef enum { K_F32, K_S16, K_S32, K_Q8, K_Q16 } kernel_kind;

/* Best first; the reference kernel of each kind is last. */
static const struct {
    kernel_kind kind;
    tfl__unary_fn fn;
} kernels[] = {
    {K_F32, tfl_abs_f32__ref}, {K_S16, tfl_abs_s16__ref}, {K_S32, tfl_abs_s32__ref},
    {K_Q8, tfl_abs_s8__ref},   {K_Q16, tfl_abs_q16__ref},
};

static tfl_status abs_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl__math_unary_data *d = node->data;
    const tfl_tensor *in;
    tfl_tensor *out;
    tfl_status s = tfl__math_unary_begin(ctx, node, &in, &out);
    if (s != TFL_OK)
        return s;
    kernel_kind kind;
    d->params = NULL;
    switch (in->type) {
    case TFL_FLOAT32: kind = K_F32; break;
    case TFL_INT32: kind = K_S32; break;
    case TFL_INT8:
    case TFL_INT16:
        if (in->type == TFL_INT16 && !tfl__is_quantized(in)) {
            kind = K_S16;
            break;
        }
        if ((s = tfl__math_unary_check_quant(ctx, node, in, out)) != TFL_OK)
            return s;
        d->abs.in_zp = in->zero_point;
        d->abs.out_zp = out->zero_point;
        d->abs.rescale = in->scale != out->scale;
        d->abs.mult = 0;
        d->abs.shift = 0;
        if (d->abs.rescale &&
            (s = tfl__op_multiplier(ctx, node, "input/output", (double)(in->scale / out->scale),
                                    &d->abs.mult, &d->abs.shift)) != TFL_OK)
            return s;
        d->params = &d->abs;
        kind = in->type == TFL_INT8 ? K_Q8 : K_Q16;
        break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int8, int16, int32)",
                            tfl_type_name(in->type));
    }
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].kind == kind)
            d->fn = kernels[i].fn;
    return TFL_OK;
}

/* Versions 1-3 are float32, int8 and quantized int16 (what TFLite's
 * reference resolver registers); 4 adds unquantized int16 and 5 int32, as
 * TFLite's default resolver runs them. */
const tfl__op tfl__op_abs = {
    .builtin_code = 101,
    .min_version = 1,
    .max_version = 5,
    .init = tfl__math_unary_init,
    .prepare = abs_prepare,
    .eval = tfl__math_unary_eval,
    .free = tfl__math_unary_free,
};
