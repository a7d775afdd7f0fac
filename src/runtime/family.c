/* Interpreter families: the subgraphs control-flow ops call, and the
 * resource variables and CALL_ONCE flags they share (see family.h). */
#include <stdlib.h>
#include <string.h>

#include "core/tensor.h"
#include "model/model.h"
#include "runtime/family.h"

enum { NOT_BUILT, BUILDING, READY };

typedef struct resource {
    char *container, *name;
    bool assigned;
    tfl_tensor value; /* owns value.data */
} resource;

struct tfl__family {
    const tfl_model *model;
    tfl_options opt;
    int isa_cap;
    struct tfl__pool *pool;
    int num;
    tfl_interpreter **graphs; /* [num]; the root at its own index */
    unsigned char *state;     /* [num] */
    bool *done;               /* [num], CALL_ONCE */
    tfl_interpreter *root;
    resource *res;
    int num_res, cap_res;
};

tfl__family *tfl__family_create(const tfl_model *m, const tfl_options *opt, int isa_cap,
                                struct tfl__pool *pool, tfl_interpreter *root, int root_index)
{
    tfl__family *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->model = m;
    f->opt = *opt;
    f->isa_cap = isa_cap;
    f->pool = pool;
    f->root = root;
    f->num = m->num_subgraphs;
    f->graphs = calloc((size_t)f->num + 1, sizeof *f->graphs);
    f->state = calloc((size_t)f->num + 1, 1);
    f->done = calloc((size_t)f->num + 1, sizeof *f->done);
    if (!f->graphs || !f->state || !f->done) {
        tfl__family_free(f);
        return NULL;
    }
    f->graphs[root_index] = root;
    f->state[root_index] = BUILDING;
    return f;
}

void tfl__family_root_ready(tfl__family *f, int root_index) { f->state[root_index] = READY; }

void tfl__family_free(tfl__family *f)
{
    if (!f)
        return;
    for (int i = f->num - 1; i >= 0 && f->graphs; --i)
        if (f->graphs[i] && f->graphs[i] != f->root)
            tfl_interpreter_free(f->graphs[i]);
    for (int i = 0; i < f->num_res; ++i) {
        free(f->res[i].container);
        free(f->res[i].name);
        free(f->res[i].value.data);
    }
    free(f->res);
    free(f->graphs);
    free(f->state);
    free(f->done);
    free(f);
}

void tfl__family_reset_children(tfl__family *f)
{
    for (int i = 0; f && i < f->num; ++i)
        if (f->graphs[i] && f->graphs[i] != f->root)
            tfl_interpreter_reset_variables(f->graphs[i]);
}

tfl_interpreter *tfl__subgraph_interpreter(tfl__ctx *ctx, const tfl__node *node, int index)
{
    tfl__family *f = ctx->family;
    if (!f || index < 0 || index >= f->num) {
        tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "subgraph %d does not exist (model has %d)",
                     index, f ? f->num : 0);
        return NULL;
    }
    if (index == ctx->subgraph || f->state[index] == BUILDING) {
        tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                     "subgraph %d calls itself, directly or through other subgraphs "
                     "(recursive control flow is not supported)",
                     index);
        return NULL;
    }
    if (f->state[index] == READY)
        return f->graphs[index];
    f->state[index] = BUILDING;
    tfl_error err;
    tfl_interpreter *child = tfl__interpreter_create_child(f->model, &f->opt, f->isa_cap, f->pool,
                                                           f, index, &err);
    if (!child) {
        f->state[index] = NOT_BUILT;
        tfl__op_fail(ctx, node, err.status, "subgraph %d: %s", index, err.message);
        return NULL;
    }
    f->graphs[index] = child;
    f->state[index] = READY;
    return child;
}

bool *tfl__subgraph_done(tfl__ctx *ctx, int index)
{
    tfl__family *f = ctx->family;
    return f && index >= 0 && index < f->num ? &f->done[index] : NULL;
}

static char *dup_or_empty(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s ? s : "", n);
        d[n] = 0;
    }
    return d;
}

int tfl__resource_id(tfl__ctx *ctx, const tfl__node *node, const char *container,
                     const char *name)
{
    tfl__family *f = ctx->family;
    if (!f) {
        tfl__op_fail(ctx, node, TFL_ERROR_STATE, "no interpreter family for resource variables");
        return -1;
    }
    container = container ? container : "";
    name = name ? name : "";
    for (int i = 0; i < f->num_res; ++i)
        if (!strcmp(f->res[i].container, container) && !strcmp(f->res[i].name, name))
            return i;
    if (f->num_res == f->cap_res) {
        int cap = f->cap_res ? 2 * f->cap_res : 8;
        resource *r = realloc(f->res, (size_t)cap * sizeof *r);
        if (!r)
            goto oom;
        f->res = r;
        f->cap_res = cap;
    }
    resource *r = &f->res[f->num_res];
    memset(r, 0, sizeof *r);
    r->container = dup_or_empty(container);
    r->name = dup_or_empty(name);
    if (!r->container || !r->name) {
        free(r->container);
        free(r->name);
        goto oom;
    }
    return f->num_res++;
oom:
    tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory for a resource variable");
    return -1;
}

const tfl_tensor *tfl__resource_value(tfl__ctx *ctx, int id)
{
    tfl__family *f = ctx->family;
    if (!f || id < 0 || id >= f->num_res || !f->res[id].assigned)
        return NULL;
    return &f->res[id].value;
}

tfl_status tfl__resource_assign(tfl__ctx *ctx, const tfl__node *node, int id,
                                const tfl_tensor *value)
{
    tfl__family *f = ctx->family;
    if (!f || id < 0 || id >= f->num_res)
        return tfl__op_fail(ctx, node, TFL_ERROR_INVALID_ARGUMENT,
                            "resource id %d names no variable", id);
    resource *r = &f->res[id];
    if (!r->assigned || r->value.bytes != value->bytes) {
        /* The variable's memory counts against the interpreter's limit. */
        size_t held = r->assigned ? r->value.bytes : 0;
        size_t others = ctx->mem_used - (held <= ctx->mem_used ? held : 0);
        if (ctx->mem_limit &&
            (value->bytes > ctx->mem_limit || others > ctx->mem_limit - value->bytes))
            return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY,
                                "resource variable of %zu bytes exceeds the memory limit",
                                value->bytes);
        void *p = realloc(r->value.data, value->bytes ? value->bytes : 1);
        if (!p)
            return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY,
                                "out of memory for a resource variable");
        r->value.data = p;
        ctx->mem_used = others + value->bytes;
    }
    uint8_t *data = r->value.data;
    r->value = *value;
    r->value.data = data;
    r->value.alloc = TFL__ALLOC_PERSIST;
    r->value.is_variable = true;
    r->value.owner = NULL;
    if (value->bytes)
        memcpy(data, value->data, value->bytes);
    r->assigned = true;
    return TFL_OK;
}
