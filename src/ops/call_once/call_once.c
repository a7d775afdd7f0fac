/* CALL_ONCE (129): runs its init subgraph (no inputs, no outputs: it
 * typically assigns resource variables and imports hash tables) the first
 * time any CALL_ONCE of the interpreter naming that subgraph runs, and
 * never again, as TFLite's call_once kernel (reset_all_variables does not
 * rerun it). Options: init_subgraph_index (0). */
#include "ops/control_flow/subgraph_io.h"

static tfl_status call_once_init(tfl__ctx *ctx, tfl__node *node)
{
    if (node->num_inputs != 0 || node->num_outputs != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "takes no inputs and no outputs");
    tfl_interpreter *child =
        tfl__cf_child(ctx, node, tfl__fb_i32(&node->options, 0, 0), "init", 0, 0);
    if (!child)
        return TFL_ERROR_BAD_MODEL;
    node->data = child; /* owned by the interpreter family */
    return TFL_OK;
}

static tfl_status call_once_eval(tfl__ctx *ctx, tfl__node *node)
{
    bool *done = tfl__subgraph_done(ctx, tfl__fb_i32(&node->options, 0, 0));
    if (*done)
        return TFL_OK;
    tfl_interpreter *child = node->data;
    tfl_status s = tfl_interpreter_allocate(child);
    if (s != TFL_OK)
        return tfl__op_fail(ctx, node, s, "init subgraph: %s", tfl_interpreter_last_error(child));
    if ((s = tfl__cf_invoke(ctx, node, child, "init")) != TFL_OK)
        return s;
    *done = true;
    return TFL_OK;
}

const tfl__op tfl__op_call_once = {
    .builtin_code = 129,
    .min_version = 1,
    .max_version = 1,
    .init = call_once_init,
    .eval = call_once_eval,
};
