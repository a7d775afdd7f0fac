/* ADD_N (builtin 106): the elementwise sum of two or more float32 or int32
 * inputs of one shape. As TFLite's kernel on one thread: input 0, then each
 * further input added in order through its ADD with the activation range of
 * the whole type, so a float sum that overflows is clamped to +-FLT_MAX
 * (infinite inputs too, once added; NaN passes). int32 wraps around. */
#include <float.h>
#include <string.h>

#include "ops/op.h"
#include "ops/shape_common.h"

static tfl_status prepare(tfl__ctx *ctx, tfl__node *node)
{
    if (node->num_inputs < 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "expects at least 2 inputs, got %d",
                            node->num_inputs);
    tfl_status s = tfl__check_io(ctx, node, 2, node->num_inputs, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *x0 = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    char b1[64], b2[64];
    if (!x0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input 0 is missing");
    if (x0->type != TFL_FLOAT32 && x0->type != TFL_INT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int32)", tfl_type_name(x0->type));
    if ((s = tfl__check_same_type(ctx, node, x0, "input 0", out, "output")) != TFL_OK)
        return s;
    for (int i = 1; i < node->num_inputs; ++i) {
        const tfl_tensor *x = tfl__input(ctx, node, i);
        if (!x)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %d is missing", i);
        if (x->type != x0->type || !tfl__same_shape(x, x0))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "input %d is %s, input 0 is %s: all must match", i,
                                tfl__describe(x, b1, sizeof b1),
                                tfl__describe(x0, b2, sizeof b2));
    }
    return tfl__resize(ctx, node, out, x0->dims, x0->ndim);
}

typedef struct job {
    tfl__ctx *ctx;
    const tfl__node *node;
    tfl_tensor *out;
} job;

static void sum_range(void *arg, size_t start, size_t end, int worker)
{
    (void)worker;
    const job *j = arg;
    const int n = j->node->num_inputs;
    if (j->out->type == TFL_FLOAT32) {
        float *o = (float *)j->out->data;
        for (size_t e = start; e < end; ++e) {
            float acc = ((const float *)tfl__input(j->ctx, j->node, 0)->data)[e];
            for (int i = 1; i < n; ++i) {
                acc += ((const float *)tfl__input(j->ctx, j->node, i)->data)[e];
                /* std::min(std::max(x, lo), hi): NaN stays NaN. */
                acc = acc < -FLT_MAX ? -FLT_MAX : acc;
                acc = FLT_MAX < acc ? FLT_MAX : acc;
            }
            o[e] = acc;
        }
    } else {
        int32_t *o = (int32_t *)j->out->data;
        for (size_t e = start; e < end; ++e) {
            uint32_t acc = 0;
            for (int i = 0; i < n; ++i)
                acc += (uint32_t)((const int32_t *)tfl__input(j->ctx, j->node, i)->data)[e];
            o[e] = (int32_t)acc;
        }
    }
}

static tfl_status eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl_tensor *out = tfl__output(ctx, node, 0);
    job j = {ctx, node, out};
    tfl__parallel_for(ctx, tfl__num_elements(out), 4096, sum_range, &j);
    return TFL_OK;
}

const tfl__op tfl__op_add_n = {
    .builtin_code = 106,
    .min_version = 1,
    .max_version = 1,
    .prepare = prepare,
    .eval = eval,
};
