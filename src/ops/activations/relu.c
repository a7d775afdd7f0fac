/* RELU (19), RELU_N1_TO_1 (20), RELU6 (21) and RELU_0_TO_1 (152): clamp to
 * [0, inf), [-1, 1], [0, 6], [0, 1]. Quantized inputs are rescaled to the
 * output scale and clamped to the range quantized with the output's
 * parameters (TFLite's ReluX). */
#include <math.h>
#include <stdlib.h>

#include "kernels/quant.h"
#include "ops/activations/activations.h"
#include "ops/elementwise.h"

typedef enum { K_F32, K_U8, K_S8, K_S16 } kernel_kind;

/* Best first; the reference kernel of each kind is last. */
static const struct {
    kernel_kind kind;
    tfl__unary_fn fn;
} kernels[] = {
    {K_F32, tfl_relu_f32__ref},
    {K_U8, tfl_relu_u8__ref},
    {K_S8, tfl_relu_s8__ref},
    {K_S16, tfl_relu_s16__ref},
};

typedef struct relu_data {
    tfl_relu_params p;
    tfl__unary_fn fn;
} relu_data;

static tfl_status relu_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(relu_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

/* zero_point + round(v / scale) in float as TFLite, saturated to int32. */
static int32_t quantize_bound(float v, float scale, int32_t zero_point)
{
    double q = (double)roundf(v / scale) + zero_point;
    return q <= INT32_MIN ? INT32_MIN : (q >= INT32_MAX ? INT32_MAX : (int32_t)q);
}

static tfl_status relu_prepare(tfl__ctx *ctx, tfl__node *node)
{
    relu_data *d = node->data;
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, in, out)) != TFL_OK)
        return s;
    float lo = 0.0f, hi = INFINITY;
    int int16_ok = 1;
    switch (node->builtin_code) {
    case 20:
        lo = -1.0f;
        hi = 1.0f;
        int16_ok = 0;
        break;
    case 21: hi = 6.0f; break;
    case 152:
        hi = 1.0f;
        int16_ok = 0;
        break;
    default: break;
    }
    tfl_relu_params *p = &d->p;
    p->lo_f = lo;
    p->hi_f = hi;
    kernel_kind kind;
    int32_t tmin = 0, tmax = 0;
    switch (in->type) {
    case TFL_FLOAT32: kind = K_F32; break;
    case TFL_UINT8:
        kind = K_U8;
        tmin = 0;
        tmax = 255;
        break;
    case TFL_INT8:
        kind = K_S8;
        tmin = -128;
        tmax = 127;
        break;
    case TFL_INT16:
        if (int16_ok) {
            kind = K_S16;
            tmin = INT16_MIN;
            tmax = INT16_MAX;
            break;
        }
        /* fall through */
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "type %s not supported (%s)",
                            tfl_type_name(in->type),
                            int16_ok ? "float32, uint8, int8, int16" : "float32, uint8, int8");
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
        /* The scale ratio is a float division in TFLite. */
        float real = in->scale / out->scale;
        if ((s = tfl__op_multiplier(ctx, node, "input/output", (double)real, &p->mult,
                                    &p->shift)) != TFL_OK)
            return s;
        p->in_zp = in->zero_point;
        p->out_zp = out->zero_point;
        int32_t qlo = quantize_bound(lo, out->scale, out->zero_point);
        p->q_lo = qlo > tmin ? qlo : tmin;
        if (isinf(hi)) {
            p->q_hi = tmax;
        } else {
            int32_t qhi = quantize_bound(hi, out->scale, out->zero_point);
            p->q_hi = qhi < tmax ? qhi : tmax;
        }
    }
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].kind == kind)
            d->fn = kernels[i].fn;
    return TFL_OK;
}

static tfl_status relu_eval(tfl__ctx *ctx, tfl__node *node)
{
    relu_data *d = node->data;
    tfl__unary_run(ctx, d->fn, &d->p, tfl__input(ctx, node, 0), tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_relu = {
    .builtin_code = 19,
    .min_version = 1,
    .max_version = 3,
    .init = relu_init,
    .prepare = relu_prepare,
    .eval = relu_eval,
    .free = free,
};

const tfl__op tfl__op_relu_n1_to_1 = {
    .builtin_code = 20,
    .min_version = 1,
    .max_version = 1,
    .init = relu_init,
    .prepare = relu_prepare,
    .eval = relu_eval,
    .free = free,
};

const tfl__op tfl__op_relu6 = {
    .builtin_code = 21,
    .min_version = 1,
    .max_version = 3,
    .init = relu_init,
    .prepare = relu_prepare,
    .eval = relu_eval,
    .free = free,
};

const tfl__op tfl__op_relu_0_to_1 = {
    .builtin_code = 152,
    .min_version = 1,
    .max_version = 1,
    .init = relu_init,
    .prepare = relu_prepare,
    .eval = relu_eval,
    .free = free,
};
