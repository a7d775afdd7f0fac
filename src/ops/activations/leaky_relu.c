/* LEAKY_RELU (builtin 98): x for x > 0, alpha * x otherwise; float32 and
 * quantized uint8/int8/int16 with separate identity and alpha multipliers. */
#include <math.h>
#include <stdlib.h>

#include "kernels/quant.h"
#include "ops/activations/activations.h"
#include "ops/elementwise.h"

/* LeakyReluOptions fields (schema order). */
enum { F_ALPHA = 0 };

typedef enum { K_F32, K_U8, K_S8, K_S16 } kernel_kind;

/* Best first; the reference kernel of each kind is last. */
static const struct {
    kernel_kind kind;
    tfl__unary_fn fn;
} kernels[] = {
    {K_F32, tfl_leaky_relu_f32__ref},
    {K_U8, tfl_leaky_relu_u8__ref},
    {K_S8, tfl_leaky_relu_s8__ref},
    {K_S16, tfl_leaky_relu_s16__ref},
};

typedef struct leaky_relu_data {
    tfl_leaky_relu_params p;
    tfl__unary_fn fn;
} leaky_relu_data;

static tfl_status leaky_relu_init(tfl__ctx *ctx, tfl__node *node)
{
    leaky_relu_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->p.alpha = tfl__fb_f32(&node->options, F_ALPHA, 0.0f);
    if (!isfinite(d->p.alpha))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "alpha %g is not finite",
                            (double)d->p.alpha);
    return TFL_OK;
}

static tfl_status leaky_relu_prepare(tfl__ctx *ctx, tfl__node *node)
{
    leaky_relu_data *d = node->data;
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, in, out)) != TFL_OK)
        return s;
    tfl_leaky_relu_params *p = &d->p;
    kernel_kind kind;
    switch (in->type) {
    case TFL_FLOAT32: kind = K_F32; break;
    case TFL_UINT8: kind = K_U8; break;
    case TFL_INT8: kind = K_S8; break;
    case TFL_INT16: kind = K_S16; break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, uint8, int8, int16)",
                            tfl_type_name(in->type));
    }
    if (kind != K_F32) {
        if (!tfl__is_quantized(in) || !tfl__is_quantized(out) || !(in->scale > 0.0f) ||
            !(out->scale > 0.0f))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "%s input and output need positive scales (got %g, %g)",
                                tfl_type_name(in->type), (double)in->scale, (double)out->scale);
        if (kind == K_S16 && (in->zero_point != 0 || out->zero_point != 0))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "int16 zero points must be 0 (got %d, %d)", (int)in->zero_point,
                                (int)out->zero_point);
        /* Both ratios are float expressions in TFLite. */
        float alpha_real = in->scale * p->alpha / out->scale;
        float id_real = in->scale / out->scale;
        if ((s = tfl__op_multiplier(ctx, node, "alpha", (double)alpha_real, &p->alpha_mult,
                                    &p->alpha_shift)) ||
            (s = tfl__op_multiplier(ctx, node, "input/output", (double)id_real, &p->id_mult,
                                    &p->id_shift)))
            return s;
        p->alpha_negative = p->alpha_mult < 0;
        if (p->alpha_negative)
            p->alpha_mult = p->alpha_mult == INT32_MIN ? INT32_MAX : -p->alpha_mult;
        p->in_zp = in->zero_point;
        p->out_zp = out->zero_point;
    }
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].kind == kind)
            d->fn = kernels[i].fn;
    return TFL_OK;
}

static tfl_status leaky_relu_eval(tfl__ctx *ctx, tfl__node *node)
{
    leaky_relu_data *d = node->data;
    tfl__unary_run(ctx, d->fn, &d->p, tfl__input(ctx, node, 0), tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_leaky_relu = {
    .builtin_code = 98,
    .min_version = 1,
    .max_version = 2,
    .init = leaky_relu_init,
    .prepare = leaky_relu_prepare,
    .eval = leaky_relu_eval,
    .free = free,
};
