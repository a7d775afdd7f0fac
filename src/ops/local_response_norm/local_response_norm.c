/* LOCAL_RESPONSE_NORMALIZATION (13), float32 over the last dimension, as
 * TFLite's reference: x * (bias + alpha * (sum of x^2 over channels
 * [c - radius, c + radius), in order))^-beta, with powf. The window is
 * TFLite's, one channel short of symmetric (TensorFlow's includes
 * c + radius). Options: radius (0), bias (1), alpha (2), beta (3). */
#include <math.h>
#include <stdlib.h>

#include "ops/elementwise.h"

typedef struct lrn_data {
    int radius;
    float bias, alpha, beta;
} lrn_data;

static tfl_status lrn_init(tfl__ctx *ctx, tfl__node *node)
{
    lrn_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->radius = tfl__fb_i32(&node->options, 0, 0);
    d->bias = tfl__fb_f32(&node->options, 1, 0.0f);
    d->alpha = tfl__fb_f32(&node->options, 2, 0.0f);
    d->beta = tfl__fb_f32(&node->options, 3, 0.0f);
    if (d->radius < 0 || d->radius > (1 << 20))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "radius %d out of range", d->radius);
    return TFL_OK;
}

static tfl_status lrn_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__float_unary_prepare(ctx, node, "LOCAL_RESPONSE_NORMALIZATION");
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    if (in->ndim != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input must be 4-D (rank %d)",
                            in->ndim);
    const lrn_data *d = node->data;
    node->work = tfl__work(tfl__num_elements(in), 2 * (uint64_t)d->radius + 1, 1);
    return TFL_OK;
}

static tfl_status lrn_eval(tfl__ctx *ctx, tfl__node *node)
{
    const lrn_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const int depth = in->dims[3];
    if (depth == 0)
        return TFL_OK;
    const size_t rows = tfl__num_elements(in) / (size_t)depth;
    const float *x = (const float *)(const void *)in->data;
    float *o = (float *)(void *)out->data;
    for (size_t r = 0; r < rows; ++r, x += depth, o += depth)
        for (int c = 0; c < depth; ++c) {
            const int lo = c - d->radius > 0 ? c - d->radius : 0;
            const int hi = c + d->radius < depth ? c + d->radius : depth;
            float acc = 0.0f;
            for (int i = lo; i < hi; ++i)
                acc += x[i] * x[i];
            o[c] = x[c] * powf(d->bias + d->alpha * acc, -d->beta);
        }
    return TFL_OK;
}

const tfl__op tfl__op_local_response_normalization = {
    .builtin_code = 13,
    .min_version = 1,
    .max_version = 1,
    .init = lrn_init,
    .prepare = lrn_prepare,
    .eval = lrn_eval,
    .free = free,
};
