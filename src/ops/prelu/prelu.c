/* PRELU (54): x for x >= 0, alpha * x below, alpha broadcast against the
 * input. float32; uint8 and int8 as TFLite's reference: with q = x - x_zp,
 * q >= 0 rescales q by in_scale / out_scale, else q * (alpha - alpha_zp) by
 * in_scale * alpha_scale / out_scale, then the output zero point and the
 * type's range. */
#include <stdlib.h>

#include "kernels/quant.h"
#include "ops/elementwise.h"

typedef struct prelu_params {
    int32_t in_offset, alpha_offset, out_offset; /* offsets: -zp, -zp, +zp */
    int32_t mult1, mult2;
    int shift1, shift2;
    int32_t lo, hi;
} prelu_params;

typedef struct prelu_data {
    tfl__bcast plan;
    tfl__binary_fn fn;
    prelu_params p;
} prelu_data;

static void prelu_f32(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n)
{
    const float *x = a, *al = b;
    float *o = out;
    (void)p;
    for (size_t i = 0; i < n; ++i) {
        const float v = x[i * as];
        o[i] = v >= 0.0f ? v : v * al[i * bs];
    }
}

#define PRELU_Q(NAME, T)                                                                           \
    static void NAME(const void *params, const void *a, int as, const void *b, int bs, void *out,  \
                     size_t n)                                                                     \
    {                                                                                              \
        const prelu_params *p = params;                                                            \
        const T *x = a, *al = b;                                                                   \
        T *o = out;                                                                                \
        for (size_t i = 0; i < n; ++i) {                                                           \
            const int32_t v = p->in_offset + x[i * as];                                            \
            int32_t r;                                                                             \
            if (v >= 0) {                                                                          \
                r = tfl__mbqm(v, p->mult1, p->shift1);                                             \
            } else {                                                                               \
                const int32_t w = p->alpha_offset + al[i * bs];                                    \
                r = tfl__mbqm(v * w, p->mult2, p->shift2);                                         \
            }                                                                                      \
            o[i] = (T)tfl__clamp_i32(r + p->out_offset, p->lo, p->hi);                             \
        }                                                                                          \
    }
PRELU_Q(prelu_u8, uint8_t)
PRELU_Q(prelu_s8, int8_t)

static tfl_status prelu_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(prelu_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static tfl_status prelu_prepare(tfl__ctx *ctx, tfl__node *node)
{
    prelu_data *d = node->data;
    tfl_status s = tfl__binary_prepare(ctx, node, &d->plan);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *alpha = tfl__input(ctx, node, 1);
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, in, out)) != TFL_OK)
        return s;
    switch (in->type) {
    case TFL_FLOAT32: d->fn = prelu_f32; return TFL_OK;
    case TFL_UINT8: d->fn = prelu_u8; break;
    case TFL_INT8: d->fn = prelu_s8; break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, uint8, int8)",
                            tfl_type_name(in->type));
    }
    if (!tfl__is_quantized(in) || !tfl__is_quantized(alpha) || !tfl__is_quantized(out) ||
        !(in->scale > 0.0f) || !(alpha->scale > 0.0f) || !(out->scale > 0.0f))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%s input, alpha and output need positive scales",
                            tfl_type_name(in->type));
    prelu_params *p = &d->p;
    p->in_offset = -in->zero_point;
    p->alpha_offset = -alpha->zero_point;
    p->out_offset = out->zero_point;
    p->lo = in->type == TFL_UINT8 ? 0 : -128;
    p->hi = in->type == TFL_UINT8 ? 255 : 127;
    /* TFLite computes both ratios in double. */
    const double r1 = (double)in->scale / (double)out->scale;
    const double r2 = (double)in->scale * (double)alpha->scale / (double)out->scale;
    if ((s = tfl__op_multiplier(ctx, node, "identity", r1, &p->mult1, &p->shift1)) != TFL_OK ||
        (s = tfl__op_multiplier(ctx, node, "alpha", r2, &p->mult2, &p->shift2)) != TFL_OK)
        return s;
    return TFL_OK;
}

static tfl_status prelu_eval(tfl__ctx *ctx, tfl__node *node)
{
    prelu_data *d = node->data;
    tfl__binary_run(ctx, &d->plan, d->fn, &d->p, tfl__input(ctx, node, 0),
                    tfl__input(ctx, node, 1), tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_prelu = {
    .builtin_code = 54,
    .min_version = 1,
    .max_version = 1,
    .init = prelu_init,
    .prepare = prelu_prepare,
    .eval = prelu_eval,
    .free = free,
};
