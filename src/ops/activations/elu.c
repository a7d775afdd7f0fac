/* ELU (111): x for x >= 0, e^x - 1 below. float32 with expm1f (TFLite's
 * float kernel uses expm1); int8 reads a 256-entry table built at prepare
 * from exp(x) - 1 in float, as TFLite's quantized kernel builds it. uint8
 * is refused, as TFLite refuses it. */
#include <math.h>
#include <stdlib.h>

#include "kernels/lut.h"
#include "ops/activations/activations.h"
#include "ops/elementwise.h"

typedef struct elu_data {
    uint8_t lut[256];
    tfl__unary_fn fn;
} elu_data;

static void elu_f32(const void *p, const void *in, void *out, size_t start, size_t end)
{
    const float *x = in;
    float *o = out;
    (void)p;
    for (size_t i = start; i < end; ++i)
        o[i] = x[i] < 0.0f ? expm1f(x[i]) : x[i];
}

static float elu_table_fn(float x, const void *arg)
{
    (void)arg;
    return x < 0.0f ? expf(x) - 1.0f : x;
}

static tfl_status elu_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(elu_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static tfl_status elu_prepare(tfl__ctx *ctx, tfl__node *node)
{
    elu_data *d = node->data;
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, in, out)) != TFL_OK)
        return s;
    if (in->type == TFL_FLOAT32) {
        d->fn = elu_f32;
        return TFL_OK;
    }
    if (in->type != TFL_INT8)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int8)", tfl_type_name(in->type));
    if (!tfl__is_quantized(in) || !tfl__is_quantized(out) || !(out->scale > 0.0f))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%s input and output need quantization (scales %g, %g)",
                            tfl_type_name(in->type), (double)in->scale, (double)out->scale);
    tfl__lut_populate8(in->scale, in->zero_point, out->scale, out->zero_point, true, elu_table_fn,
                       NULL, d->lut);
    d->fn = tfl_lut8__ref;
    return TFL_OK;
}

static tfl_status elu_eval(tfl__ctx *ctx, tfl__node *node)
{
    elu_data *d = node->data;
    tfl__unary_run(ctx, d->fn, d->lut, tfl__input(ctx, node, 0), tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_elu = {
    .builtin_code = 111,
    .min_version = 1,
    .max_version = 2,
    .init = elu_init,
    .prepare = elu_prepare,
    .eval = elu_eval,
    .free = free,
};
