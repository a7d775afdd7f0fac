/* GELU (150), float32: 0.5 x erfc(-x / sqrt 2) (TFLite's form of
 * 0.5 x (1 + erf(x / sqrt 2)), which keeps large negative inputs from
 * cancelling to 0), or with `approximate` (option 0)
 * 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) with libm's tanhf, where
 * TFLite uses Eigen's rational tanh: the two differ by up to about 1e-7
 * absolute for large negative x. int8 and uint8 read a 256-entry table and
 * int16 a 513-entry interpolated one, built at prepare from the same float
 * functions as TFLite's LUTPopulate builds them. */
#include <math.h>
#include <stdlib.h>

#include "kernels/lut.h"
#include "ops/activations/activations.h"
#include "ops/elementwise.h"
#include "ops/math_unary/math_unary.h"

typedef struct gelu_data {
    bool approximate;
    tfl__unary_fn fn;
    uint8_t lut8[256];
    int16_t lut16[TFL__LUT16_SIZE];
} gelu_data;

/* TFLite's GeluTransform and GeluTransformApproximate, element by element. */
static float gelu_exact_fn(float x, const void *arg)
{
    (void)arg;
    return 0.5f * x * erfcf(x * -0.70710678118654752440f);
}

static float gelu_tanh_fn(float x, const void *arg)
{
    (void)arg;
    const float k = 0.79788456080286535588f; /* sqrt(2 / pi) */
    return 0.5f * x * (1.0f + tanhf(k * (x + 0.044715f * x * x * x)));
}

static void gelu_exact(const void *p, const void *in, void *out, size_t start, size_t end)
{
    const float *x = in;
    float *o = out;
    (void)p;
    for (size_t i = start; i < end; ++i)
        o[i] = 0.5f * x[i] * erfcf(x[i] * -0.70710678118654752440f);
}

static void gelu_tanh(const void *p, const void *in, void *out, size_t start, size_t end)
{
    const float *x = in;
    float *o = out;
    (void)p;
    const float k = 0.79788456080286535588f; /* sqrt(2 / pi) */
    for (size_t i = start; i < end; ++i) {
        const float v = x[i];
        o[i] = 0.5f * v * (1.0f + tanhf(k * (v + 0.044715f * v * v * v)));
    }
}

static tfl_status gelu_init(tfl__ctx *ctx, tfl__node *node)
{
    gelu_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->approximate = tfl__fb_u8(&node->options, 0, 0) != 0;
    return TFL_OK;
}

static tfl_status gelu_prepare(tfl__ctx *ctx, tfl__node *node)
{
    gelu_data *d = node->data;
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, in, out)) != TFL_OK)
        return s;
    tfl__lut_fn_f32 fn = d->approximate ? gelu_tanh_fn : gelu_exact_fn;
    switch (in->type) {
    case TFL_FLOAT32: d->fn = d->approximate ? gelu_tanh : gelu_exact; return TFL_OK;
    case TFL_INT8:
    case TFL_UINT8:
    case TFL_INT16: break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int8, uint8, int16)",
                            tfl_type_name(in->type));
    }
    if (!tfl__is_quantized(in) || !tfl__is_quantized(out) || !(out->scale > 0.0f))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%s input and output need quantization (scales %g, %g)",
                            tfl_type_name(in->type), (double)in->scale, (double)out->scale);
    if (in->type == TFL_INT16) {
        tfl__lut_populate16_f32(in->scale, in->zero_point, out->scale, out->zero_point, fn, NULL,
                                d->lut16);
        d->fn = tfl_unary_lut_s16__ref;
    } else {
        tfl__lut_populate8(in->scale, in->zero_point, out->scale, out->zero_point,
                           in->type == TFL_INT8, fn, NULL, d->lut8);
        d->fn = tfl_lut8__ref;
    }
    return TFL_OK;
}

static tfl_status gelu_eval(tfl__ctx *ctx, tfl__node *node)
{
    const gelu_data *d = node->data;
    const void *params = d->fn == tfl_unary_lut_s16__ref ? (const void *)d->lut16
                                                         : (const void *)d->lut8;
    tfl__unary_run(ctx, d->fn, params, tfl__input(ctx, node, 0), tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_gelu = {
    .builtin_code = 150,
    .min_version = 1,
    .max_version = 2,
    .init = gelu_init,
    .prepare = gelu_prepare,
    .eval = gelu_eval,
    .free = free,
};
