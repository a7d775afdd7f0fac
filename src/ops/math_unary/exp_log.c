/* EXP (builtin 47) and LOG (73): float32 directly; int8 reads a 256-entry
 * table and int16 (zero points 0) an interpolated 513-entry table, both
 * built at prepare in float as TFLite's LUTPopulate. Quantized LOG maps
 * inputs <= 0 to the lowest output. */
#include <math.h>

#include "ops/math_unary/math_unary.h"

typedef enum { K_F32, K_LUT8, K_LUT16 } kernel_kind;

/* Best first; the reference kernel of each kind is last. */
static const struct {
    int log;
    kernel_kind kind;
    tfl__unary_fn fn;
} kernels[] = {
    {0, K_F32, tfl_exp_f32__ref},         {0, K_LUT8, tfl_unary_lut_s8__ref},
    {0, K_LUT16, tfl_unary_lut_s16__ref}, {1, K_F32, tfl_log_f32__ref},
    {1, K_LUT8, tfl_unary_lut_s8__ref},   {1, K_LUT16, tfl_unary_lut_s16__ref},
};

static float exp_fn(float x, const void *arg)
{
    (void)arg;
    return expf(x);
}

/* arg: the float value of the lowest quantized output. */
static float log_fn(float x, const void *arg)
{
    if (x <= 0.0f)
        return *(const float *)arg;
    return logf(x);
}

static tfl_status exp_log_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl__math_unary_data *d = node->data;
    const int is_log = node->builtin_code == 73;
    const tfl_tensor *in;
    tfl_tensor *out;
    tfl_status s = tfl__math_unary_begin(ctx, node, &in, &out);
    if (s != TFL_OK)
        return s;
    kernel_kind kind;
    d->params = NULL;
    switch (in->type) {
    case TFL_FLOAT32: kind = K_F32; break;
    case TFL_INT8:
    case TFL_INT16: {
        if ((s = tfl__math_unary_check_quant(ctx, node, in, out)) != TFL_OK)
            return s;
        const int32_t qmin = in->type == TFL_INT8 ? INT8_MIN : INT16_MIN;
        const float out_min = (float)(qmin - out->zero_point) * out->scale;
        if (in->type == TFL_INT8) {
            tfl__lut_populate8(in->scale, in->zero_point, out->scale, out->zero_point, true,
                               is_log ? log_fn : exp_fn, &out_min, d->lut8);
            d->params = d->lut8;
            kind = K_LUT8;
        } else {
            tfl__lut_populate16_f32(in->scale, in->zero_point, out->scale, out->zero_point,
                                    is_log ? log_fn : exp_fn, &out_min, d->lut16);
            d->params = d->lut16;
            kind = K_LUT16;
        }
        break;
    }
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int8, int16)",
                            tfl_type_name(in->type));
    }
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].log == is_log && kernels[i].kind == kind)
            d->fn = kernels[i].fn;
    return TFL_OK;
}

/* Version 2 of both adds int8 and int16. */
const tfl__op tfl__op_exp = {
    .builtin_code = 47,
    .min_version = 1,
    .max_version = 2,
    .init = tfl__math_unary_init,
    .prepare = exp_log_prepare,
    .eval = tfl__math_unary_eval,
    .free = tfl__math_unary_free,
};

const tfl__op tfl__op_log = {
    .builtin_code = 73,
    .min_version = 1,
    .max_version = 2,
    .init = tfl__math_unary_init,
    .prepare = exp_log_prepare,
    .eval = tfl__math_unary_eval,
    .free = tfl__math_unary_free,
};
