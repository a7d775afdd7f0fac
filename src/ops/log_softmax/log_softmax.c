/* LOG_SOFTMAX (50), float32 over the last dimension, TFLite's reference
 * order: the row's max, then the sum of exp(x - max) in order, then
 * x - max - log(sum). Quantized LOG_SOFTMAX is not supported yet. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "ops/elementwise.h"

static tfl_status log_softmax_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__float_unary_prepare(ctx, node, "LOG_SOFTMAX");
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    if (in->ndim < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input needs rank 1 or more");
    return TFL_OK;
}

static tfl_status log_softmax_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t depth = (size_t)in->dims[in->ndim - 1];
    if (depth == 0)
        return TFL_OK;
    const size_t rows = tfl__num_elements(in) / depth;
    const float *x = (const float *)(const void *)in->data;
    float *o = (float *)(void *)out->data;
    for (size_t r = 0; r < rows; ++r, x += depth, o += depth) {
        float max = -FLT_MAX;
        for (size_t c = 0; c < depth; ++c)
            max = x[c] > max ? x[c] : max;
        float sum = 0.0f;
        for (size_t c = 0; c < depth; ++c)
            sum += expf(x[c] - max);
        const float log_sum = logf(sum);
        for (size_t c = 0; c < depth; ++c)
            o[c] = x[c] - max - log_sum;
    }
    return TFL_OK;
}

const tfl__op tfl__op_log_softmax = {
    .builtin_code = 50,
    .min_version = 1,
    .max_version = 2,
    .prepare = log_softmax_prepare,
    .eval = log_softmax_eval,
};
