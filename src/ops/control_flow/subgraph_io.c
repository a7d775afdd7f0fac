/* Tensor traffic between a control-flow node and the subgraphs it runs. */
#include <string.h>

#include "ops/control_flow/subgraph_io.h"

tfl_interpreter *tfl__cf_child(tfl__ctx *ctx, const tfl__node *node, int index, const char *role,
                               int n_in, int n_out)
{
    tfl_interpreter *child = tfl__subgraph_interpreter(ctx, node, index);
    if (!child)
        return NULL;
    const int in = tfl_interpreter_num_inputs(child), out = tfl_interpreter_num_outputs(child);
    if ((n_in >= 0 && in != n_in) || (n_out >= 0 && out != n_out)) {
        tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                     "%s subgraph %d has %d inputs and %d outputs, expected %d and %d", role,
                     index, in, out, n_in, n_out);
        return NULL;
    }
    return child;
}

bool tfl__cf_same_shape(const tfl_tensor *a, const tfl_tensor *b)
{
    if (a->ndim != b->ndim)
        return false;
    for (int i = 0; i < a->ndim; ++i)
        if (a->dims[i] != b->dims[i])
            return false;
    return true;
}

static bool movable(tfl_type t) { return t != TFL_STRING && t != TFL_VARIANT; }

tfl_status tfl__cf_set_input_shape(tfl__ctx *ctx, const tfl__node *node, tfl_interpreter *child,
                                   const char *role, int i, const tfl_tensor *src, bool *changed)
{
    tfl_tensor *dst = tfl_interpreter_input(child, i);
    if (dst->type != src->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%s subgraph input %d is %s, the value passed is %s", role, i,
                            tfl_type_name(dst->type), tfl_type_name(src->type));
    if (!movable(src->type))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "%s tensors through control flow are not supported yet",
                            tfl_type_name(src->type));
    if (tfl__cf_same_shape(dst, src))
        return TFL_OK;
    *changed = true;
    tfl_status s = tfl_interpreter_resize_input(child, i, src->dims, src->ndim);
    if (s != TFL_OK)
        return tfl__op_fail(ctx, node, s, "%s subgraph: %s", role,
                            tfl_interpreter_last_error(child));
    return TFL_OK;
}

tfl_status tfl__cf_prepare_inputs(tfl__ctx *ctx, const tfl__node *node, tfl_interpreter *child,
                                  const char *role, const tfl_tensor *const *srcs, int n,
                                  bool force)
{
    bool changed = force;
    for (int i = 0; i < n; ++i) {
        tfl_status s = tfl__cf_set_input_shape(ctx, node, child, role, i, srcs[i], &changed);
        if (s != TFL_OK)
            return s;
    }
    if (!changed)
        return TFL_OK;
    tfl_status s = tfl_interpreter_allocate(child);
    if (s != TFL_OK)
        return tfl__op_fail(ctx, node, s, "%s subgraph: %s", role,
                            tfl_interpreter_last_error(child));
    return TFL_OK;
}

void tfl__cf_copy_inputs(tfl_interpreter *child, const tfl_tensor *const *srcs, int n)
{
    for (int i = 0; i < n; ++i) {
        tfl_tensor *dst = tfl_interpreter_input(child, i);
        if (dst->bytes && dst->data != srcs[i]->data)
            memcpy(dst->data, srcs[i]->data, dst->bytes);
    }
}

tfl_status tfl__cf_invoke(tfl__ctx *ctx, const tfl__node *node, tfl_interpreter *child,
                          const char *role)
{
    tfl_status s = tfl_interpreter_invoke(child);
    if (s != TFL_OK)
        return tfl__op_fail(ctx, node, s, "%s subgraph: %s", role,
                            tfl_interpreter_last_error(child));
    return TFL_OK;
}

tfl_status tfl__cf_copy_out(tfl__ctx *ctx, const tfl__node *node, tfl_tensor *dst,
                            const tfl_tensor *src)
{
    if (dst->type != src->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output is %s, the subgraph gives %s",
                            tfl_type_name(dst->type), tfl_type_name(src->type));
    if (!tfl__cf_same_shape(dst, src)) {
        if (dst->alloc != TFL__ALLOC_DYNAMIC)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "the subgraph changed the shape of an output planned as static");
        tfl_status s = tfl__resize(ctx, node, dst, src->dims, src->ndim);
        if (s != TFL_OK)
            return s;
    } else if (dst->alloc == TFL__ALLOC_DYNAMIC && !dst->data) {
        tfl_status s = tfl__resize(ctx, node, dst, src->dims, src->ndim);
        if (s != TFL_OK)
            return s;
    }
    if (dst->bytes && dst->data != src->data)
        memcpy(dst->data, src->data, dst->bytes);
    return TFL_OK;
}
