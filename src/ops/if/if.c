/* IF (118): runs the then or the else subgraph on inputs 1..n, chosen by
 * the single bool of input 0, as TFLite's if kernel. Outputs have the
 * branches' shapes when both agree on them; otherwise they are dynamic and
 * take the shapes of the branch that ran. Options: then_subgraph_index (0),
 * else_subgraph_index (1). */
#include <stdlib.h>

#include "ops/control_flow/subgraph_io.h"

typedef struct if_data {
    tfl_interpreter *branch[2]; /* else, then */
    bool dynamic;
} if_data;

static tfl_status if_init(tfl__ctx *ctx, tfl__node *node)
{
    if_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    if (node->num_inputs < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "needs the condition as input 0");
    const int n_in = node->num_inputs - 1, n_out = node->num_outputs;
    if (!(d->branch[1] = tfl__cf_child(ctx, node, tfl__fb_i32(&node->options, 0, 0), "then",
                                       n_in, n_out)) ||
        !(d->branch[0] = tfl__cf_child(ctx, node, tfl__fb_i32(&node->options, 1, 0), "else",
                                       n_in, n_out)))
        return TFL_ERROR_BAD_MODEL;
    return TFL_OK;
}

static tfl_status gather_inputs(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor **in)
{
    const int n = node->num_inputs - 1;
    if (n > TFL__MAX_CF_VALUES)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "more than %d inputs",
                            TFL__MAX_CF_VALUES);
    for (int i = 0; i < n; ++i)
        if (!(in[i] = tfl__input(ctx, node, i + 1)))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %d is missing", i + 1);
    return TFL_OK;
}

static tfl_status if_prepare(tfl__ctx *ctx, tfl__node *node)
{
    if_data *d = node->data;
    const tfl_tensor *cond = tfl__input(ctx, node, 0);
    if (!cond || cond->type != TFL_BOOL || tfl__num_elements(cond) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the condition must be one bool");
    const tfl_tensor *in[TFL__MAX_CF_VALUES];
    tfl_status s = gather_inputs(ctx, node, in);
    const int n = node->num_inputs - 1;
    for (int b = 1; b >= 0 && s == TFL_OK; --b)
        s = tfl__cf_prepare_inputs(ctx, node, d->branch[b], b ? "then" : "else", in, n, true);
    if (s != TFL_OK)
        return s;
    d->dynamic = false;
    for (int i = 0; i < node->num_outputs; ++i) {
        const tfl_tensor *t = tfl_interpreter_output(d->branch[1], i);
        const tfl_tensor *e = tfl_interpreter_output(d->branch[0], i);
        tfl_tensor *out = tfl__output(ctx, node, i);
        if (t->type != out->type || e->type != out->type)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "output %d is %s, the branches give %s and %s", i,
                                tfl_type_name(out->type), tfl_type_name(t->type),
                                tfl_type_name(e->type));
        if (t->alloc == TFL__ALLOC_DYNAMIC || e->alloc == TFL__ALLOC_DYNAMIC ||
            !tfl__cf_same_shape(t, e))
            d->dynamic = true;
    }
    for (int i = 0; i < node->num_outputs; ++i) {
        tfl_tensor *out = tfl__output(ctx, node, i);
        const tfl_tensor *t = tfl_interpreter_output(d->branch[1], i);
        if (d->dynamic)
            tfl__set_dynamic(out);
        else if ((s = tfl__resize(ctx, node, out, t->dims, t->ndim)) != TFL_OK)
            return s;
    }
    return TFL_OK;
}

static tfl_status if_eval(tfl__ctx *ctx, tfl__node *node)
{
    if_data *d = node->data;
    const int b = tfl__input(ctx, node, 0)->data[0] ? 1 : 0;
    const char *role = b ? "then" : "else";
    const tfl_tensor *in[TFL__MAX_CF_VALUES];
    const int n = node->num_inputs - 1;
    tfl_status s = gather_inputs(ctx, node, in);
    if (s == TFL_OK)
        s = tfl__cf_prepare_inputs(ctx, node, d->branch[b], role, in, n, false);
    if (s != TFL_OK)
        return s;
    tfl__cf_copy_inputs(d->branch[b], in, n);
    if ((s = tfl__cf_invoke(ctx, node, d->branch[b], role)) != TFL_OK)
        return s;
    for (int i = 0; i < node->num_outputs; ++i)
        if ((s = tfl__cf_copy_out(ctx, node, tfl__output(ctx, node, i),
                                  tfl_interpreter_output(d->branch[b], i))) != TFL_OK)
            return s;
    return TFL_OK;
}

const tfl__op tfl__op_if = {
    .builtin_code = 118,
    .min_version = 1,
    .max_version = 1,
    .init = if_init,
    .prepare = if_prepare,
    .eval = if_eval,
    .free = free,
};
