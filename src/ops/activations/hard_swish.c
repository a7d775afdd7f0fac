/* HARD_SWISH (builtin 117): x * relu6(x + 3) / 6 for float32, uint8 and
 * int8 (TFLite's fixed-point reference with 16-bit multipliers). */
#include <math.h>
#include <stdlib.h>

#include "kernels/fixedpoint.h"
#include "ops/activations/activations.h"
#include "ops/elementwise.h"

typedef enum { K_F32, K_U8, K_S8 } kernel_kind;

/* Best first; the reference kernel of each kind is last. */
static const struct {
    kernel_kind kind;
    tfl__unary_fn fn;
} kernels[] = {
    {K_F32, tfl_hard_swish_f32__ref},
    {K_U8, tfl_hard_swish_u8__ref},
    {K_S8, tfl_hard_swish_s8__ref},
};

typedef struct hard_swish_data {
    tfl_hard_swish_params p;
    tfl__unary_fn fn;
} hard_swish_data;

static tfl_status hard_swish_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(hard_swish_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static tfl_status hard_swish_prepare(tfl__ctx *ctx, tfl__node *node)
{
    hard_swish_data *d = node->data;
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, in, out)) != TFL_OK)
        return s;
    kernel_kind kind;
    switch (in->type) {
    case TFL_FLOAT32: kind = K_F32; break;
    case TFL_UINT8: kind = K_U8; break;
    case TFL_INT8: kind = K_S8; break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, uint8, int8)",
                            tfl_type_name(in->type));
    }
    if (kind != K_F32) {
        tfl_hard_swish_params *p = &d->p;
        if (!tfl__is_quantized(in) || !tfl__is_quantized(out) || !(in->scale > 0.0f) ||
            !(out->scale > 0.0f))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "%s input and output need positive scales (got %g, %g)",
                                tfl_type_name(in->type), (double)in->scale, (double)out->scale);
        p->in_zp = in->zero_point;
        p->out_zp = out->zero_point;
        /* All in float as TFLite: the input on a 2^7 finer scale, and the
         * "reluish" scale on which 3.0 is 32768. */
        const float hires_scale = (1.0f / 128.0f) * in->scale;
        const float reluish_scale = 3.0f / 32768.0f;
        const float out_real = hires_scale / out->scale;
        const float reluish_real = hires_scale / reluish_scale;
        int32_t m;
        if ((s = tfl__op_multiplier(ctx, node, "input/output", (double)out_real, &m,
                                    &p->out_exp)) != TFL_OK)
            return s;
        p->out_mult = tfl__downscale_multiplier16(m);
        if (p->out_exp > 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "output scale %g is too small for input scale %g",
                                (double)out->scale, (double)in->scale);
        if ((s = tfl__op_multiplier(ctx, node, "input/reluish", (double)reluish_real, &m,
                                    &p->reluish_exp)) != TFL_OK)
            return s;
        p->reluish_mult = tfl__downscale_multiplier16(m);
    }
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].kind == kind)
            d->fn = kernels[i].fn;
    return TFL_OK;
}

static tfl_status hard_swish_eval(tfl__ctx *ctx, tfl__node *node)
{
    hard_swish_data *d = node->data;
    tfl__unary_run(ctx, d->fn, &d->p, tfl__input(ctx, node, 0), tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_hard_swish = {
    .builtin_code = 117,
    .min_version = 1,
    .max_version = 1,
    .init = hard_swish_init,
    .prepare = hard_swish_prepare,
    .eval = hard_swish_eval,
    .free = free,
};
