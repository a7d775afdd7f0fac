/* WHILE (119): runs the body subgraph on the loop values while the cond
 * subgraph says true, as TFLite's while kernel: cond and body take the n
 * loop values as inputs; cond gives one bool, body gives the n next values.
 * Outputs keep the inputs' shapes when the body does; otherwise they are
 * dynamic and take whatever shapes the last iteration produced. A loop
 * running more than TFL__MAX_LOOP_ITERATIONS times in one invoke fails
 * with an error instead of running forever. Options: cond_subgraph_index
 * (0), body_subgraph_index (1). */
#include <stdlib.h>

#include "ops/control_flow/subgraph_io.h"

typedef struct while_data {
    tfl_interpreter *cond, *body;
    bool dynamic; /* the body changes shapes: outputs sized at eval */
} while_data;

static tfl_status while_init(tfl__ctx *ctx, tfl__node *node)
{
    while_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    const int cond = tfl__fb_i32(&node->options, 0, 0), body = tfl__fb_i32(&node->options, 1, 0);
    const int n = node->num_inputs;
    if (node->num_outputs != n)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%d inputs but %d outputs", n,
                            node->num_outputs);
    if (cond == body)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "cond and body are the same subgraph %d", cond);
    if (!(d->cond = tfl__cf_child(ctx, node, cond, "cond", n, 1)) ||
        !(d->body = tfl__cf_child(ctx, node, body, "body", n, n)))
        return TFL_ERROR_BAD_MODEL;
    return TFL_OK;
}

static tfl_status check_cond_output(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *c)
{
    if (c->type != TFL_BOOL || tfl__num_elements(c) != 1 || c->ndim > 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "cond must give one bool (got %s with %zu elements)",
                            tfl_type_name(c->type), tfl__num_elements(c));
    return TFL_OK;
}

static tfl_status while_prepare(tfl__ctx *ctx, tfl__node *node)
{
    while_data *d = node->data;
    const int n = node->num_inputs;
    const tfl_tensor *in[TFL__MAX_CF_VALUES];
    if (n > TFL__MAX_CF_VALUES)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "more than %d loop values",
                            TFL__MAX_CF_VALUES);
    for (int i = 0; i < n; ++i)
        if (!(in[i] = tfl__input(ctx, node, i)))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %d is missing", i);
    tfl_status s = tfl__cf_prepare_inputs(ctx, node, d->cond, "cond", in, n, true);
    if (s == TFL_OK)
        s = tfl__cf_prepare_inputs(ctx, node, d->body, "body", in, n, true);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *c = tfl_interpreter_output(d->cond, 0);
    if (c->alloc != TFL__ALLOC_DYNAMIC && (s = check_cond_output(ctx, node, c)) != TFL_OK)
        return s;
    d->dynamic = false;
    for (int i = 0; i < n; ++i) {
        const tfl_tensor *bo = tfl_interpreter_output(d->body, i);
        if (bo->type != in[i]->type)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "body output %d is %s, loop value %d is %s", i,
                                tfl_type_name(bo->type), i, tfl_type_name(in[i]->type));
        if (bo->alloc == TFL__ALLOC_DYNAMIC || !tfl__cf_same_shape(bo, in[i]))
            d->dynamic = true;
    }
    for (int i = 0; i < n; ++i) {
        tfl_tensor *out = tfl__output(ctx, node, i);
        if (out->type != in[i]->type)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output %d is %s, input %d is %s",
                                i, tfl_type_name(out->type), i, tfl_type_name(in[i]->type));
        if (d->dynamic)
            tfl__set_dynamic(out);
        else if ((s = tfl__resize(ctx, node, out, in[i]->dims, in[i]->ndim)) != TFL_OK)
            return s;
    }
    return TFL_OK;
}

static tfl_status while_eval(tfl__ctx *ctx, tfl__node *node)
{
    while_data *d = node->data;
    const int n = node->num_inputs;
    const tfl_tensor *vals[TFL__MAX_CF_VALUES];
    tfl_status s;
    /* The loop values live in the outputs: they start as the inputs. */
    for (int i = 0; i < n; ++i) {
        tfl_tensor *out = tfl__output(ctx, node, i);
        if ((s = tfl__cf_copy_out(ctx, node, out, tfl__input(ctx, node, i))) != TFL_OK)
            return s;
        vals[i] = out;
    }
    for (uint32_t iter = 0;; ++iter) {
        if ((s = tfl__cf_prepare_inputs(ctx, node, d->cond, "cond", vals, n, false)) != TFL_OK)
            return s;
        tfl__cf_copy_inputs(d->cond, vals, n);
        if ((s = tfl__cf_invoke(ctx, node, d->cond, "cond")) != TFL_OK)
            return s;
        const tfl_tensor *c = tfl_interpreter_output(d->cond, 0);
        if ((s = check_cond_output(ctx, node, c)) != TFL_OK)
            return s;
        if (!c->data[0])
            return TFL_OK;
        if (iter == TFL__MAX_LOOP_ITERATIONS)
            return tfl__op_fail(ctx, node, TFL_ERROR_INVALID_ARGUMENT,
                                "the loop ran %u times without its condition turning false "
                                "(a runaway loop?)",
                                (unsigned)TFL__MAX_LOOP_ITERATIONS);
        if ((s = tfl__cf_prepare_inputs(ctx, node, d->body, "body", vals, n, false)) != TFL_OK)
            return s;
        tfl__cf_copy_inputs(d->body, vals, n);
        if ((s = tfl__cf_invoke(ctx, node, d->body, "body")) != TFL_OK)
            return s;
        for (int i = 0; i < n; ++i)
            if ((s = tfl__cf_copy_out(ctx, node, tfl__output(ctx, node, i),
                                      tfl_interpreter_output(d->body, i))) != TFL_OK)
                return s;
    }
}

const tfl__op tfl__op_while = {
    .builtin_code = 119,
    .min_version = 1,
    .max_version = 1,
    .init = while_init,
    .prepare = while_prepare,
    .eval = while_eval,
    .free = free,
};
