/* L2_NORMALIZATION (11), float32 over the last dimension, as TFLite's
 * reference: x / max(sqrt(sum of x^2 in order), 1e-6). Only the NONE fused
 * activation (TFLite's only one); quantized types not supported yet. */
#include <math.h>
#include <stdlib.h>

#include "ops/elementwise.h"

static tfl_status l2_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__float_unary_prepare(ctx, node, "L2_NORMALIZATION");
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    if (in->ndim < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input needs rank 1 or more");
    int act;
    if ((s = tfl__read_activation(ctx, node, 0, &act)) != TFL_OK)
        return s;
    if (act != TFL__ACT_NONE)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "fused activation %d not supported (TFLite takes NONE only)", act);
    return TFL_OK;
}

static tfl_status l2_eval(tfl__ctx *ctx, tfl__node *node)
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
        float sq = 0.0f;
        for (size_t c = 0; c < depth; ++c)
            sq += x[c] * x[c];
        float norm = sqrtf(sq);
        norm = norm > 1e-6f ? norm : 1e-6f;
        for (size_t c = 0; c < depth; ++c)
            o[c] = x[c] / norm;
    }
    return TFL_OK;
}

const tfl__op tfl__op_l2_normalization = {
    .builtin_code = 11,
    .min_version = 1,
    .max_version = 2,
    .prepare = l2_prepare,
    .eval = l2_eval,
};
