/* The public custom-op API (tfl.h, "Custom ops"): resolvers of
 * caller-implemented ops, and the adapter tfl__op through which the
 * interpreter runs them like any other op. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tensor.h"
#include "runtime/custom_op.h"

struct tfl_op_resolver {
    tfl_custom_op **ops; /* each a copy owning its name */
    int n, cap;
};

/* What a callback sees: the node it runs for and its state. */
struct tfl_op_context {
    tfl__ctx *ctx;
    tfl__node *node;
    struct custom_node *cn;
    bool in_prepare;
};

typedef struct custom_node {
    const tfl_custom_op *def;
    void *state;
} custom_node;

tfl_op_resolver *tfl_op_resolver_create(void) { return calloc(1, sizeof(tfl_op_resolver)); }

void tfl_op_resolver_free(tfl_op_resolver *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n; ++i) {
        free((char *)r->ops[i]->name);
        free(r->ops[i]);
    }
    free(r->ops);
    free(r);
}

tfl_status tfl_op_resolver_add(tfl_op_resolver *r, const tfl_custom_op *op)
{
    if (!r || !op || !op->name || !op->name[0] || !op->invoke)
        return TFL_ERROR_INVALID_ARGUMENT;
    tfl_custom_op *copy = malloc(sizeof *copy);
    char *name = malloc(strlen(op->name) + 1);
    if (!copy || !name) {
        free(copy);
        free(name);
        return TFL_ERROR_NO_MEMORY;
    }
    strcpy(name, op->name);
    *copy = *op;
    copy->name = name;
    for (int i = 0; i < r->n; ++i)
        if (!strcmp(r->ops[i]->name, name)) {
            free((char *)r->ops[i]->name);
            free(r->ops[i]);
            r->ops[i] = copy;
            return TFL_OK;
        }
    if (r->n == r->cap) {
        int cap = r->cap ? 2 * r->cap : 8;
        tfl_custom_op **ops = realloc(r->ops, (size_t)cap * sizeof *ops);
        if (!ops) {
            free(name);
            free(copy);
            return TFL_ERROR_NO_MEMORY;
        }
        r->ops = ops;
        r->cap = cap;
    }
    r->ops[r->n++] = copy;
    return TFL_OK;
}

const tfl_custom_op *tfl__resolver_find(const tfl_op_resolver *r, const char *name)
{
    for (int i = 0; r && name && i < r->n; ++i)
        if (!strcmp(r->ops[i]->name, name))
            return r->ops[i];
    return NULL;
}

int tfl_op_num_inputs(const tfl_op_context *c) { return c ? c->node->num_inputs : 0; }
int tfl_op_num_outputs(const tfl_op_context *c) { return c ? c->node->num_outputs : 0; }
tfl_tensor *tfl_op_input(tfl_op_context *c, int i) { return c ? tfl__input(c->ctx, c->node, i) : NULL; }
tfl_tensor *tfl_op_output(tfl_op_context *c, int i)
{
    return c ? tfl__output(c->ctx, c->node, i) : NULL;
}
const char *tfl_op_name(const tfl_op_context *c) { return c ? c->node->name : ""; }
void *tfl_op_user_data(const tfl_op_context *c) { return c ? c->cn->def->user_data : NULL; }
void *tfl_op_state(const tfl_op_context *c) { return c ? c->cn->state : NULL; }
void tfl_op_set_state(tfl_op_context *c, void *state)
{
    if (c)
        c->cn->state = state;
}

const void *tfl_op_options(const tfl_op_context *c, size_t *size)
{
    if (size)
        *size = c ? c->node->custom_options_size : 0;
    return c && c->node->custom_options_size ? c->node->custom_options : NULL;
}

tfl_status tfl_op_fail(tfl_op_context *c, tfl_status status, const char *fmt, ...)
{
    if (!c)
        return status;
    char msg[400] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
    }
    return tfl__op_fail(c->ctx, c->node, status == TFL_OK ? TFL_ERROR_RUNTIME : status, "%s",
                        msg);
}

tfl_status tfl_op_resize_output(tfl_op_context *c, int i, const int32_t *dims, int ndim)
{
    tfl_tensor *t = tfl_op_output(c, i);
    if (!t)
        return c ? tfl__op_fail(c->ctx, c->node, TFL_ERROR_INVALID_ARGUMENT,
                                "output %d does not exist", i)
                 : TFL_ERROR_INVALID_ARGUMENT;
    if (ndim < 0 || ndim > TFL_MAX_DIMS || (ndim > 0 && !dims))
        return tfl__op_fail(c->ctx, c->node, TFL_ERROR_INVALID_ARGUMENT,
                            "output %d: rank %d not supported", i, ndim);
    if (!c->in_prepare && t->alloc != TFL__ALLOC_DYNAMIC) {
        bool same = t->ndim == ndim;
        for (int k = 0; same && k < ndim; ++k)
            same = t->dims[k] == dims[k];
        if (same)
            return TFL_OK;
        return tfl__op_fail(c->ctx, c->node, TFL_ERROR_STATE,
                            "output %d is resized at invoke but was not marked dynamic in "
                            "prepare (tfl_op_set_output_dynamic)",
                            i);
    }
    return tfl__resize(c->ctx, c->node, t, dims, ndim);
}

tfl_status tfl_op_set_output_dynamic(tfl_op_context *c, int i)
{
    tfl_tensor *t = tfl_op_output(c, i);
    if (!t || !c->in_prepare)
        return c ? tfl__op_fail(c->ctx, c->node, TFL_ERROR_INVALID_ARGUMENT,
                                "output %d cannot be made dynamic here (prepare only)", i)
                 : TFL_ERROR_INVALID_ARGUMENT;
    tfl__set_dynamic(t);
    return TFL_OK;
}

/* The callbacks' status: an error without a message gets one. */
static tfl_status checked(tfl__ctx *ctx, tfl__node *node, tfl_status s, const char *stage)
{
    if (s != TFL_OK && !ctx->error[0])
        return tfl__op_fail(ctx, node, s, "custom op %s failed (%s)", stage, tfl_status_name(s));
    return s;
}

static tfl_status adapter_init(tfl__ctx *ctx, tfl__node *node)
{
    custom_node *cn = calloc(1, sizeof *cn);
    if (!cn)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    cn->def = node->custom;
    node->data = cn;
    if (!cn->def->init)
        return TFL_OK;
    tfl_op_context c = {ctx, node, cn, true};
    ctx->error[0] = 0;
    return checked(ctx, node, cn->def->init(&c), "init");
}

static tfl_status adapter_prepare(tfl__ctx *ctx, tfl__node *node)
{
    custom_node *cn = node->data;
    if (!cn->def->prepare)
        return TFL_OK;
    tfl_op_context c = {ctx, node, cn, true};
    ctx->error[0] = 0;
    return checked(ctx, node, cn->def->prepare(&c), "prepare");
}

static tfl_status adapter_eval(tfl__ctx *ctx, tfl__node *node)
{
    custom_node *cn = node->data;
    tfl_op_context c = {ctx, node, cn, false};
    ctx->error[0] = 0;
    return checked(ctx, node, cn->def->invoke(&c), "invoke");
}

static void adapter_free(void *data)
{
    custom_node *cn = data;
    if (!cn)
        return;
    if (cn->def->free)
        cn->def->free(cn->state, cn->def->user_data);
    free(cn);
}

const tfl__op tfl__custom_op_adapter = {
    .builtin_code = TFL__CUSTOM,
    .min_version = 1,
    .max_version = 1 << 30,
    .init = adapter_init,
    .prepare = adapter_prepare,
    .eval = adapter_eval,
    .free = adapter_free,
};
