/* GELU (150), float32: 0.5 x erfc(-x / sqrt 2) (TFLite's form of
 * 0.5 x (1 + erf(x / sqrt 2)), which keeps large negative inputs from
 * cancelling to 0), or with `approximate` (option 0)
 * 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) with libm's tanhf, where
 * TFLite uses Eigen's rational tanh: the two differ by up to about 1e-7
 * absolute for large negative x. Quantized GELU is not supported yet. */
#include <math.h>
#include <stdlib.h>

#include "ops/elementwise.h"

typedef struct gelu_data {
    bool approximate;
} gelu_data;

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
    return tfl__float_unary_prepare(ctx, node, "GELU");
}

static tfl_status gelu_eval(tfl__ctx *ctx, tfl__node *node)
{
    const gelu_data *d = node->data;
    tfl__unary_run(ctx, d->approximate ? gelu_tanh : gelu_exact, NULL, tfl__input(ctx, node, 0),
                   tfl__output(ctx, node, 0));
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
