/* Resource variables, as TFLite's var_handle, read_variable and
 * assign_variable kernels (the variables themselves live in the
 * interpreter family, shared by every subgraph; see runtime/family.c):
 *
 *   VAR_HANDLE (142): output 0, a resource tensor holding the int32 id of
 *     the variable named (container, shared_name) (options 0, 1);
 *   ASSIGN_VARIABLE (144): inputs (resource id, value), no outputs: the
 *     variable takes the value's type, shape and bytes;
 *   READ_VARIABLE (143): input resource id, output the value (dynamic
 *     unless the model gives the output a rank; then the sizes must agree).
 *
 * Reading a variable never assigned is an error at invoke, as in TFLite.
 * reset_all_variables leaves them alone (TFLite resets only variable
 * tensors). */
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"

static tfl_status var_handle_init(tfl__ctx *ctx, tfl__node *node)
{
    const char *container = NULL, *name = NULL;
    if (tfl__fb_str_field(&node->options, 0, &container, NULL) < 0 ||
        tfl__fb_str_field(&node->options, 1, &name, NULL) < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "bad container or shared_name");
    int id = tfl__resource_id(ctx, node, container, name);
    if (id < 0)
        return TFL_ERROR_NO_MEMORY;
    int *d = malloc(sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    *d = id;
    node->data = d;
    return TFL_OK;
}

static tfl_status var_handle_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 0, 0, 1);
    if (s != TFL_OK)
        return s;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (out->type != TFL_RESOURCE && out->type != TFL_INT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output must be a resource, not %s",
                            tfl_type_name(out->type));
    const int32_t one = 1;
    return tfl__resize(ctx, node, out, &one, 1);
}

static tfl_status var_handle_eval(tfl__ctx *ctx, tfl__node *node)
{
    int32_t id = *(const int *)node->data;
    memcpy(tfl__output(ctx, node, 0)->data, &id, sizeof id);
    return TFL_OK;
}

/* The id a resource input holds (checked at prepare: one int32 element). */
static tfl_status check_handle(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *h)
{
    if (!h || (h->type != TFL_RESOURCE && h->type != TFL_INT32) || tfl__num_elements(h) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "input 0 must be one resource id (a VAR_HANDLE output)");
    return TFL_OK;
}

static int32_t handle_id(const tfl_tensor *h)
{
    int32_t id;
    memcpy(&id, h->data, sizeof id);
    return id;
}

static tfl_status assign_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 0);
    if (s != TFL_OK)
        return s;
    if ((s = check_handle(ctx, node, tfl__input(ctx, node, 0))) != TFL_OK)
        return s;
    const tfl_tensor *v = tfl__input(ctx, node, 1);
    if (!v)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the value is missing");
    if (v->type == TFL_STRING || v->type == TFL_RESOURCE || v->type == TFL_VARIANT)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "%s variables are not supported",
                            tfl_type_name(v->type));
    return TFL_OK;
}

static tfl_status assign_eval(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__resource_assign(ctx, node, handle_id(tfl__input(ctx, node, 0)),
                                tfl__input(ctx, node, 1));
}

static tfl_status read_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    if ((s = check_handle(ctx, node, tfl__input(ctx, node, 0))) != TFL_OK)
        return s;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (out->ndim == 0)
        tfl__set_dynamic(out);
    return TFL_OK;
}

static tfl_status read_eval(tfl__ctx *ctx, tfl__node *node)
{
    const int32_t id = handle_id(tfl__input(ctx, node, 0));
    const tfl_tensor *v = tfl__resource_value(ctx, id);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!v)
        return tfl__op_fail(ctx, node, TFL_ERROR_STATE,
                            "variable %d is read before any ASSIGN_VARIABLE gave it a value", id);
    if (v->type != out->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "variable %d is %s, the output %s",
                            id, tfl_type_name(v->type), tfl_type_name(out->type));
    if (out->alloc == TFL__ALLOC_DYNAMIC) {
        tfl_status s = tfl__resize(ctx, node, out, v->dims, v->ndim);
        if (s != TFL_OK)
            return s;
    } else if (out->bytes != v->bytes) {
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "variable %d holds %zu bytes, the output %zu", id, v->bytes,
                            out->bytes);
    }
    if (v->bytes)
        memcpy(out->data, v->data, v->bytes);
    return TFL_OK;
}

const tfl__op tfl__op_var_handle = {
    .builtin_code = 142,
    .min_version = 1,
    .max_version = 1,
    .init = var_handle_init,
    .prepare = var_handle_prepare,
    .eval = var_handle_eval,
    .free = free,
};

const tfl__op tfl__op_assign_variable = {
    .builtin_code = 144,
    .min_version = 1,
    .max_version = 1,
    .prepare = assign_prepare,
    .eval = assign_eval,
};

const tfl__op tfl__op_read_variable = {
    .builtin_code = 143,
    .min_version = 1,
    .max_version = 1,
    .prepare = read_prepare,
    .eval = read_eval,
};
