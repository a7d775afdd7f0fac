/* Interpreter: create (resolve every op, parse options), allocate (prepare
 * ops in order, plan the activation arena), invoke, resize, free.
 *
 * Tensors whose shape depends on data (an op marks them dynamic, or they
 * feed from a dynamic tensor) get their own buffers; nodes reading dynamic
 * tensors are prepared again at each invoke, just before they run. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/bigalloc.h"
#include "core/cpu.h"
#include "core/packed.h"
#include "model/builtin_names.h"
#include "model/model.h"
#include "ops/op.h"
#include "runtime/custom_op.h"
#include "runtime/family.h"
#include "runtime/fold.h"
#include "runtime/fuse.h"
#include "runtime/plan.h"
#include "core/pool.h"

#define ARENA_ALIGN 64
/* More threads than this is a caller's mistake, not a machine. */
#define TFL__MAX_THREADS 1024

struct tfl_interpreter {
    const tfl_model *model;
    const tfl__subgraph *sg;
    int num_tensors, num_nodes;
    tfl_tensor *tensors;
    tfl__node *nodes;
    bool *deferred; /* per node: prepare at invoke time */
    tfl__ctx ctx;
    char error[512];
    uint8_t *arena;
    size_t arena_size, scratch_offset, scratch_size;
    size_t arena_alloc; /* bytes allocated for the arena, for tfl__big_free */
    size_t max_memory;
    uint64_t max_work;
    uint64_t static_work; /* work of the nodes prepared at allocate */
    size_t persist_bytes; /* variables, held from create to free */
    void *dyn_scratch; /* scratch for deferred nodes */
    size_t dyn_scratch_size;
    bool allocated;
    tfl__pool *pool;
    bool profiling;
    uint64_t *node_ns;
    bool *node_inited;
    /* Other subgraphs and resource variables. The root (the interpreter a
     * caller created) owns the family and the pool; children share both. */
    tfl__family *family;
    bool is_child;
};

static void set_error(tfl_interpreter *it, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->error, sizeof it->error, fmt, ap);
    va_end(ap);
}

tfl_options tfl_options_default(void)
{
    tfl_options o = {.num_threads = 1, .subgraph = 0, .max_memory = 0, .max_work = 0, .isa = NULL};
    return o;
}

static void init_tensor(tfl_tensor *t, const tfl__model_tensor *mt, int index)
{
    memset(t, 0, sizeof *t);
    t->index = index;
    t->type = mt->type;
    t->ndim = mt->ndim;
    memcpy(t->dims, mt->dims, sizeof t->dims);
    t->name = mt->name;
    t->is_variable = mt->is_variable;
    t->was_sparse = mt->was_sparse;
    t->quant = mt->quant;
    if (mt->quant.count > 0) {
        t->scale = mt->quant.scales[0];
        t->zero_point = (int32_t)mt->quant.zero_points[0];
    }
    if (mt->has_sig) {
        t->sig = mt->sig;
        t->sig_ndim = mt->sig_ndim;
    }
    size_t es = tfl__elem_size(t->type);
    t->bytes = es ? tfl__num_elements(t) * es : mt->data_size;
    if (mt->data && !mt->is_variable) {
        t->data = (uint8_t *)mt->data; /* used in place, never written */
        t->alloc = TFL__ALLOC_CONST;
        t->bytes = mt->data_size;
    }
}

/* Variables live across invokes in their own zeroed buffers (zero point for
 * int8, as TFLite resets them). */
static tfl_status init_variable(tfl_interpreter *it, tfl_tensor *t)
{
    if (t->bytes > it->max_memory || it->persist_bytes > it->max_memory - t->bytes) {
        set_error(it, "variable tensor %d needs %zu bytes, more than the %zu-byte memory limit "
                      "(tfl_options.max_memory) leaves",
                  (int)t->index, t->bytes, it->max_memory);
        return TFL_ERROR_NO_MEMORY;
    }
    free(t->alloc == TFL__ALLOC_PERSIST ? t->data : NULL);
    t->data = calloc(1, t->bytes ? t->bytes : 1);
    if (!t->data) {
        set_error(it, "out of memory for variable tensor %d", (int)t->index);
        return TFL_ERROR_NO_MEMORY;
    }
    t->alloc = TFL__ALLOC_PERSIST;
    t->persist_bytes = t->bytes;
    it->persist_bytes += t->bytes;
    if (t->type == TFL_INT8)
        memset(t->data, (int)(int8_t)t->zero_point, t->bytes);
    return TFL_OK;
}

/* Each op's prepare fixes the shapes its kernel will use, so a tensor's
 * shape must be final before anyone reads it: every tensor has at most one
 * writer, the writer runs before every reader (not the reader itself), and
 * nobody writes a graph input. A model breaking this (no converter writes
 * one) could otherwise make a kernel use a buffer planned for another shape. */
static tfl_status check_dataflow(tfl_interpreter *it)
{
    const tfl__subgraph *sg = it->sg;
    int *writer = malloc(((size_t)sg->num_tensors + 1) * sizeof *writer);
    if (!writer) {
        set_error(it, "out of memory creating interpreter");
        return TFL_ERROR_NO_MEMORY;
    }
    for (int t = 0; t < sg->num_tensors; ++t)
        writer[t] = -1;
    for (int i = 0; i < sg->num_inputs; ++i)
        writer[sg->inputs[i]] = -2;
    tfl_status st = TFL_OK;
    for (int n = 0; n < sg->num_ops && st == TFL_OK; ++n) {
        const tfl__model_op *mo = &sg->ops[n];
        for (int i = 0; i < mo->num_outputs; ++i) {
            int t = mo->outputs[i];
            if (writer[t] == -2) {
                set_error(it, "node %d writes tensor %d, an input of the graph", n, t);
                st = TFL_ERROR_BAD_MODEL;
                break;
            }
            if (writer[t] >= 0) {
                set_error(it, "tensor %d is written by node %d and again by node %d", t,
                          writer[t], n);
                st = TFL_ERROR_BAD_MODEL;
                break;
            }
            writer[t] = n;
        }
    }
    for (int n = 0; n < sg->num_ops && st == TFL_OK; ++n) {
        const tfl__model_op *mo = &sg->ops[n];
        for (int i = 0; i < mo->num_inputs; ++i) {
            int t = mo->inputs[i];
            if (t >= 0 && writer[t] >= n) {
                set_error(it, "node %d reads tensor %d before node %d writes it", n, t,
                          writer[t]);
                st = TFL_ERROR_BAD_MODEL;
                break;
            }
        }
    }
    free(writer);
    return st;
}

static tfl_interpreter *create(const tfl_model *m, const tfl_options *opt, int isa_cap,
                               tfl__pool *pool, tfl__family *family, int subgraph,
                               tfl_error *err);

tfl_interpreter *tfl_interpreter_create(const tfl_model *m, const tfl_options *opt, tfl_error *err)
{
    tfl_options o = opt ? *opt : tfl_options_default();
    if (err) {
        err->status = TFL_OK;
        err->message[0] = 0;
    }
    if (!m) {
        if (err) {
            err->status = TFL_ERROR_INVALID_ARGUMENT;
            snprintf(err->message, sizeof err->message, "model is NULL");
        }
        return NULL;
    }
    if (o.subgraph < 0 || o.subgraph >= m->num_subgraphs) {
        if (err) {
            err->status = TFL_ERROR_INVALID_ARGUMENT;
            snprintf(err->message, sizeof err->message, "subgraph %d out of range (model has %d)",
                     o.subgraph, m->num_subgraphs);
        }
        return NULL;
    }
    if (o.num_threads > TFL__MAX_THREADS) {
        if (err) {
            err->status = TFL_ERROR_INVALID_ARGUMENT;
            snprintf(err->message, sizeof err->message, "num_threads %d is more than %d",
                     o.num_threads, TFL__MAX_THREADS);
        }
        return NULL;
    }
    const char *isa = o.isa ? o.isa : getenv("TFL_ISA");
    int isa_cap = isa && *isa ? tfl__isa_parse(isa) : TFL__ISA_BEST;
    if (isa_cap < 0) {
        if (err) {
            err->status = TFL_ERROR_INVALID_ARGUMENT;
            snprintf(err->message, sizeof err->message,
                     "%s '%s' is not an instruction set (expected ref, avx2, avx512, vnni, amx, "
                     "neon, dotprod, i8mm or best)",
                     o.isa ? "isa option" : "TFL_ISA", isa);
        }
        return NULL;
    }
    return create(m, &o, isa_cap, NULL, NULL, o.subgraph, err);
}

tfl_interpreter *tfl__interpreter_create_child(const tfl_model *m, const tfl_options *opt,
                                               int isa_cap, struct tfl__pool *pool,
                                               tfl__family *family, int subgraph, tfl_error *err)
{
    return create(m, opt, isa_cap, pool, family, subgraph, err);
}

/* A root (family == NULL: it makes its pool and family) or a child of an
 * existing family, running subgraph `subgraph`. */
static tfl_interpreter *create(const tfl_model *m, const tfl_options *opt, int isa_cap,
                               tfl__pool *pool, tfl__family *family, int subgraph, tfl_error *err)
{
    const tfl_options o = *opt;
    if (err) {
        err->status = TFL_OK;
        err->message[0] = 0;
    }
    tfl_interpreter *it = calloc(1, sizeof *it);
    if (!it)
        goto oom;
    it->model = m;
    it->sg = &m->subgraphs[subgraph];
    it->num_tensors = it->sg->num_tensors;
    it->num_nodes = it->sg->num_ops;
    it->tensors = calloc((size_t)it->num_tensors + 1, sizeof *it->tensors);
    it->nodes = calloc((size_t)it->num_nodes + 1, sizeof *it->nodes);
    it->deferred = calloc((size_t)it->num_nodes + 1, sizeof *it->deferred);
    it->node_ns = calloc((size_t)it->num_nodes + 1, sizeof *it->node_ns);
    it->node_inited = calloc((size_t)it->num_nodes + 1, sizeof *it->node_inited);
    if (!it->tensors || !it->nodes || !it->deferred || !it->node_ns || !it->node_inited)
        goto oom;
    it->ctx.tensors = it->tensors;
    it->ctx.num_tensors = it->num_tensors;
    it->ctx.error = it->error;
    it->ctx.error_size = sizeof it->error;
    it->ctx.num_threads = o.num_threads > 0 ? o.num_threads : 1;
    it->max_memory = o.max_memory ? o.max_memory : ((size_t)16 << 30);
    it->max_work = o.max_work ? o.max_work : ((uint64_t)1 << 40);
    it->ctx.mem_limit = it->max_memory;
    it->ctx.cpu_features = tfl__cpu_features();
    it->ctx.isa_cap = isa_cap;
    it->ctx.packed = m->packed;
    it->ctx.subgraph = subgraph;
    it->is_child = family != NULL;
    it->pool = it->is_child ? pool : tfl__pool_create(it->ctx.num_threads);
    it->ctx.pool = it->pool;
    it->family = it->is_child ? family
                              : tfl__family_create(m, &o, isa_cap, it->pool, it, subgraph);
    if (!it->family)
        goto oom;
    it->ctx.family = it->family;
    tfl_status st = TFL_OK;
    for (int i = 0; i < it->num_tensors; ++i) {
        init_tensor(&it->tensors[i], &it->sg->tensors[i], i);
        it->tensors[i].owner = it;
        if (it->tensors[i].is_variable) {
            st = init_variable(it, &it->tensors[i]);
            if (st != TFL_OK)
                goto fail_status;
        }
    }
    if ((st = check_dataflow(it)) != TFL_OK)
        goto fail_status;
    for (int n = 0; n < it->num_nodes; ++n) {
        const tfl__model_op *mo = &it->sg->ops[n];
        const tfl__opcode *oc = &m->opcodes[mo->opcode_index];
        tfl__node *node = &it->nodes[n];
        node->index = n;
        node->builtin_code = oc->builtin_code;
        node->version = oc->version;
        node->name = oc->builtin_code == TFL__CUSTOM ? (oc->custom_code ? oc->custom_code : "CUSTOM")
                                                     : tfl__builtin_name(oc->builtin_code);
        node->num_inputs = mo->num_inputs;
        node->num_outputs = mo->num_outputs;
        node->num_intermediates = mo->num_intermediates;
        node->inputs = mo->inputs;
        node->outputs = mo->outputs;
        node->intermediates = mo->intermediates;
        node->options = mo->options;
        node->options_type = mo->options_type;
        node->custom_options = mo->custom_options;
        node->custom_options_size = mo->custom_options_size;
        bool bad_version = false;
        node->custom = oc->builtin_code == TFL__CUSTOM
                           ? tfl__resolver_find(o.resolver, oc->custom_code)
                           : NULL;
        node->op = node->custom ? &tfl__custom_op_adapter
                                : tfl__find_op(oc->builtin_code, oc->custom_code, oc->version,
                                               &bad_version);
        if (!node->op) {
            if (bad_version)
                set_error(it, "%s (node %d): version %d is not supported", node->name, n,
                          oc->version);
            else if (oc->builtin_code == TFL__CUSTOM)
                set_error(it, "%s (node %d): custom op is not supported", node->name, n);
            else
                set_error(it, "%s (node %d): op is not supported (builtin code %d, version %d)",
                          node->name, n, oc->builtin_code, oc->version);
            st = TFL_ERROR_UNSUPPORTED;
            goto fail_status;
        }
        for (int i = 0; i < node->num_outputs; ++i) {
            tfl_tensor *t = &it->tensors[node->outputs[i]];
            if (t->alloc == TFL__ALLOC_CONST) {
                set_error(it, "%s (node %d): output %d (tensor %d) is a constant", node->name, n,
                          i, (int)t->index);
                st = TFL_ERROR_BAD_MODEL;
                goto fail_status;
            }
        }
        /* From here on the op's free runs at teardown, also when init fails
         * half way (ops leave node->data NULL or freeable). */
        it->node_inited[n] = true;
        if (node->op->init) {
            it->ctx.node = node;
            it->error[0] = 0;
            st = node->op->init(&it->ctx, node);
            if (st != TFL_OK)
                goto fail_status;
        }
    }
    if (tfl__fuse_pads(it->nodes, it->num_nodes, it->tensors, it->sg->outputs,
                       it->sg->num_outputs) != 0)
        goto oom;
    it->ctx.mem_used = it->persist_bytes;
    st = tfl__fold_constants(&it->ctx, it->nodes, it->num_nodes, it->sg->outputs,
                             it->sg->num_outputs, &it->persist_bytes);
    if (st != TFL_OK)
        goto fail_status;
    if (!it->is_child)
        tfl__family_root_ready(it->family, subgraph);
    it->error[0] = 0;
    return it;
oom:
    if (err) {
        err->status = TFL_ERROR_NO_MEMORY;
        snprintf(err->message, sizeof err->message, "out of memory creating interpreter");
    }
    tfl_interpreter_free(it);
    return NULL;
fail_status:
    if (err) {
        err->status = st;
        snprintf(err->message, sizeof err->message, "%s", it->error);
    }
    tfl_interpreter_free(it);
    return NULL;
}

void tfl_interpreter_free(tfl_interpreter *it)
{
    if (!it)
        return;
    /* Children first: they run on the root's pool. */
    if (!it->is_child)
        tfl__family_free(it->family);
    for (int n = 0; n < it->num_nodes && it->nodes; ++n) {
        if (it->node_inited && it->node_inited[n] && it->nodes[n].op->free)
            it->nodes[n].op->free(it->nodes[n].data);
        free(it->nodes[n].own_inputs);
    }
    for (int i = 0; i < it->num_tensors && it->tensors; ++i) {
        tfl_tensor *t = &it->tensors[i];
        if (t->alloc == TFL__ALLOC_PERSIST || t->alloc == TFL__ALLOC_DYNAMIC)
            free(t->data);
    }
    if (!it->is_child)
        tfl__pool_free(it->pool);
    tfl__big_free(it->arena, it->arena_alloc);
    free(it->dyn_scratch);
    free(it->tensors);
    free(it->nodes);
    free(it->deferred);
    free(it->node_ns);
    free(it->node_inited);
    free(it);
}

/* Error text for a tensor-level call (copy in/out): names the tensor as
 * "input 0 'image'" when it is a graph input or output. */
void tfl__tensor_error(const tfl_tensor *t, const char *fmt, ...)
{
    tfl_interpreter *it = t->owner;
    if (!it)
        return;
    char role[160];
    const char *kind = "tensor";
    int pos = t->index;
    for (int i = 0; i < it->sg->num_inputs; ++i)
        if (it->sg->inputs[i] == t->index) {
            kind = "input";
            pos = i;
        }
    for (int i = 0; i < it->sg->num_outputs; ++i)
        if (it->sg->outputs[i] == t->index) {
            kind = "output";
            pos = i;
        }
    snprintf(role, sizeof role, "%s %d '%s'", kind, pos, t->name ? t->name : "");
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(it->error, sizeof it->error, "%s %s", role, msg);
}

/* Tensors the arena holds: activations that are neither constant,
 * variable, dynamic nor data-less types. */
static bool planned(const tfl_tensor *t)
{
    return t->alloc == TFL__ALLOC_NONE || t->alloc == TFL__ALLOC_ARENA;
}

static tfl_status plan_arena(tfl_interpreter *it)
{
    int nt = it->num_tensors, nn = it->num_nodes;
    int *first = malloc(((size_t)nt + 1) * sizeof *first);
    int *last = malloc(((size_t)nt + 1) * sizeof *last);
    tfl__plan_item *items = malloc(((size_t)nt + 2) * sizeof *items);
    int *item_tensor = malloc(((size_t)nt + 2) * sizeof *item_tensor);
    tfl_status st = TFL_OK;
    if (!first || !last || !items || !item_tensor) {
        set_error(it, "out of memory planning the arena");
        st = TFL_ERROR_NO_MEMORY;
        goto done;
    }
    for (int i = 0; i < nt; ++i) {
        first[i] = INT32_MAX;
        last[i] = -1;
    }
    /* Graph inputs are live from the start, outputs until the end. */
    for (int i = 0; i < it->sg->num_inputs; ++i) {
        first[it->sg->inputs[i]] = -1;
        last[it->sg->inputs[i]] = last[it->sg->inputs[i]] < 0 ? 0 : last[it->sg->inputs[i]];
    }
    for (int n = 0; n < nn; ++n) {
        const tfl__node *node = &it->nodes[n];
        if (node->elided)
            continue; /* its output, read by no one, gets no memory */
        for (int i = 0; i < node->num_inputs; ++i) {
            int t = node->inputs[i];
            if (t < 0)
                continue;
            if (first[t] == INT32_MAX)
                first[t] = n; /* read before written: live from here */
            if (last[t] < n)
                last[t] = n;
        }
        for (int i = 0; i < node->num_outputs; ++i) {
            int t = node->outputs[i];
            if (first[t] > n)
                first[t] = n;
            if (last[t] < n)
                last[t] = n;
        }
        for (int i = 0; i < node->num_intermediates; ++i) {
            int t = node->intermediates[i];
            if (first[t] > n)
                first[t] = n;
            if (last[t] < n)
                last[t] = n;
        }
    }
    /* Inputs and outputs stay live for the whole graph: callers set inputs
     * once and invoke repeatedly, and read outputs after invoke. */
    for (int i = 0; i < it->sg->num_outputs; ++i)
        last[it->sg->outputs[i]] = nn;
    for (int i = 0; i < it->sg->num_inputs; ++i)
        last[it->sg->inputs[i]] = nn;
    int count = 0;
    for (int i = 0; i < nt; ++i) {
        tfl_tensor *t = &it->tensors[i];
        if (!planned(t) || last[i] < 0 || tfl__elem_size(t->type) == 0)
            continue;
        items[count].size = t->bytes;
        items[count].first = first[i] == INT32_MAX ? 0 : first[i];
        items[count].last = last[i];
        item_tensor[count] = i;
        ++count;
    }
    size_t total = tfl__plan(items, count, ARENA_ALIGN);
    if (total == (size_t)-1) {
        set_error(it, "out of memory planning the arena");
        st = TFL_ERROR_NO_MEMORY;
        goto done;
    }
    it->scratch_offset = total;
    size_t size = total + (it->scratch_size + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    size_t held = it->ctx.mem_used; /* variables, dynamic tensors */
    if (size < total || size > it->max_memory || held > it->max_memory - size) {
        set_error(it, "the activation arena needs %zu bytes, more than the %zu-byte memory "
                      "limit (tfl_options.max_memory) leaves",
                  size, it->max_memory);
        st = TFL_ERROR_NO_MEMORY;
        goto done;
    }
    tfl__big_free(it->arena, it->arena_alloc);
    it->arena = NULL;
    it->arena_alloc = 0;
    it->arena_size = size;
    it->ctx.mem_used += size;
    /* Never empty, so that every planned tensor, even one with no elements,
     * has a real data pointer (kernels may offset it by zero). */
    if (size == 0)
        size = ARENA_ALIGN;
    /* Zeroed, for deterministic contents: ops that read an unwritten input
     * see zeros. */
    it->arena = tfl__big_zalloc(size);
    if (!it->arena) {
        set_error(it, "out of memory for a %zu-byte arena", size);
        st = TFL_ERROR_NO_MEMORY;
        goto done;
    }
    it->arena_alloc = size;
    for (int k = 0; k < count; ++k) {
        tfl_tensor *t = &it->tensors[item_tensor[k]];
        t->data = it->arena + items[k].offset;
        t->alloc = TFL__ALLOC_ARENA;
    }
done:
    free(first);
    free(last);
    free(items);
    free(item_tensor);
    return st;
}

/* The iterations a kernel's loops over t may take: its element count, but
 * with a zero dimension counted as one, since loops over the other
 * dimensions still run (a [1, 4, 2^25, 0] tensor has no elements and 2^27
 * rows). Saturates. */
static uint64_t loop_extent(const tfl_tensor *t)
{
    uint64_t n = 1;
    for (int d = 0; d < t->ndim; ++d) {
        const uint64_t k = t->dims[d] > 0 ? (uint64_t)t->dims[d] : 1;
        n = n > UINT64_MAX / k ? UINT64_MAX : n * k;
    }
    return n;
}

/* What one eval of the node costs: the op's own count, or one operation
 * per input and output element (loop_extent). Saturates instead of
 * wrapping. */
static uint64_t node_work(const tfl_interpreter *it, const tfl__node *node)
{
    if (node->work)
        return node->work;
    uint64_t w = 1;
    for (int i = 0; i < node->num_inputs; ++i)
        if (node->inputs[i] >= 0) {
            const uint64_t e = loop_extent(&it->tensors[node->inputs[i]]);
            w = e > UINT64_MAX - w ? UINT64_MAX : w + e;
        }
    for (int i = 0; i < node->num_outputs; ++i) {
        const uint64_t e = loop_extent(&it->tensors[node->outputs[i]]);
        w = e > UINT64_MAX - w ? UINT64_MAX : w + e;
    }
    return w;
}

/* Adds a node's work to *total; fails past max_work. */
static tfl_status add_work(tfl_interpreter *it, const tfl__node *node, uint64_t *total)
{
    uint64_t w = node_work(it, node);
    *total = w > UINT64_MAX - *total ? UINT64_MAX : *total + w;
    if (*total <= it->max_work)
        return TFL_OK;
    set_error(it, "%s (node %d): the graph needs at least %llu operations per invoke, more than "
                  "the limit of %llu (raise tfl_options.max_work to run it)",
              node->name, node->index, (unsigned long long)*total,
              (unsigned long long)it->max_work);
    return TFL_ERROR_LIMIT;
}

tfl_status tfl_interpreter_allocate(tfl_interpreter *it)
{
    if (!it)
        return TFL_ERROR_INVALID_ARGUMENT;
    it->error[0] = 0;
    /* Nothing changed since the last allocate: keep the plan and the data
     * (as TFLite does), so inputs already set survive. */
    if (it->allocated)
        return TFL_OK;
    /* Forget the previous plan: activations get re-planned from scratch. */
    for (int i = 0; i < it->num_tensors; ++i) {
        tfl_tensor *t = &it->tensors[i];
        if (t->alloc == TFL__ALLOC_DYNAMIC)
            free(t->data);
        if (t->alloc == TFL__ALLOC_ARENA || t->alloc == TFL__ALLOC_DYNAMIC) {
            t->data = NULL;
            t->alloc = TFL__ALLOC_NONE;
        }
    }
    it->scratch_size = 0;
    free(it->dyn_scratch);
    it->dyn_scratch = NULL;
    it->dyn_scratch_size = 0;
    it->ctx.mem_used = it->persist_bytes;
    it->static_work = 0;
    for (int n = 0; n < it->num_nodes; ++n) {
        tfl__node *node = &it->nodes[n];
        it->deferred[n] = false;
        if (node->elided)
            continue;
        bool dyn_input = false;
        for (int i = 0; i < node->num_inputs; ++i)
            if (node->inputs[i] >= 0 && it->tensors[node->inputs[i]].alloc == TFL__ALLOC_DYNAMIC)
                dyn_input = true;
        it->deferred[n] = dyn_input;
        if (dyn_input) {
            /* Shapes are known only at invoke: so are this node's outputs. */
            for (int i = 0; i < node->num_outputs; ++i)
                tfl__set_dynamic(&it->tensors[node->outputs[i]]);
            continue;
        }
        node->scratch_bytes = node->worker_scratch_bytes = 0;
        node->work = 0;
        it->ctx.node = node;
        if (node->op->prepare) {
            tfl_status st = node->op->prepare(&it->ctx, node);
            if (st != TFL_OK)
                return st;
        }
        tfl_status wst = add_work(it, node, &it->static_work);
        if (wst != TFL_OK)
            return wst;
        size_t need = tfl__node_scratch_total(node, it->ctx.num_threads);
        if (need == SIZE_MAX) {
            set_error(it, "%s (node %d): scratch size overflows", node->name, n);
            return TFL_ERROR_NO_MEMORY;
        }
        if (need > it->scratch_size)
            it->scratch_size = need;
    }
    tfl_status st = plan_arena(it);
    if (st != TFL_OK)
        return st;
    it->allocated = true;
    return TFL_OK;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

tfl_status tfl_interpreter_invoke(tfl_interpreter *it)
{
    if (!it)
        return TFL_ERROR_INVALID_ARGUMENT;
    if (!it->allocated) {
        set_error(it, "invoke called before allocate (call tfl_interpreter_allocate first, and "
                      "again after resizing an input)");
        return TFL_ERROR_STATE;
    }
    it->error[0] = 0;
    uint64_t work = it->static_work;
    for (int n = 0; n < it->num_nodes; ++n) {
        tfl__node *node = &it->nodes[n];
        if (node->elided)
            continue;
        uint64_t t0 = it->profiling ? now_ns() : 0;
        it->ctx.node = node;
        it->ctx.scratch = it->arena ? it->arena + it->scratch_offset : NULL;
        if (it->deferred[n]) {
            node->scratch_bytes = node->worker_scratch_bytes = 0;
            node->work = 0;
            if (node->op->prepare) {
                tfl_status st = node->op->prepare(&it->ctx, node);
                if (st != TFL_OK)
                    return st;
            }
            tfl_status wst = add_work(it, node, &work);
            if (wst != TFL_OK)
                return wst;
            size_t need = tfl__node_scratch_total(node, it->ctx.num_threads);
            if (need > it->scratch_size) {
                if (need > it->dyn_scratch_size) {
                    size_t want = need; /* already a multiple of 64 */
                    size_t others = it->ctx.mem_used - it->dyn_scratch_size;
                    if (want == SIZE_MAX || want > it->max_memory ||
                        others > it->max_memory - want) {
                        set_error(it, "%s (node %d): %zu bytes of scratch exceed the %zu-byte "
                                      "memory limit (tfl_options.max_memory)",
                                  node->name, n, need, it->max_memory);
                        return TFL_ERROR_NO_MEMORY;
                    }
                    free(it->dyn_scratch);
                    it->dyn_scratch = aligned_alloc(ARENA_ALIGN, want);
                    it->dyn_scratch_size = it->dyn_scratch ? want : 0;
                    it->ctx.mem_used = others + it->dyn_scratch_size;
                    if (!it->dyn_scratch) {
                        set_error(it, "%s (node %d): out of memory for scratch", node->name, n);
                        return TFL_ERROR_NO_MEMORY;
                    }
                }
                it->ctx.scratch = it->dyn_scratch;
            }
        }
        tfl_status st = node->op->eval(&it->ctx, node);
        if (st != TFL_OK) {
            if (!it->error[0])
                set_error(it, "%s (node %d): failed (%s)", node->name, n, tfl_status_name(st));
            return st;
        }
        if (it->profiling)
            it->node_ns[n] = now_ns() - t0;
    }
    return TFL_OK;
}

tfl_status tfl_interpreter_resize_input(tfl_interpreter *it, int input, const int32_t *dims,
                                        int ndim)
{
    if (!it)
        return TFL_ERROR_INVALID_ARGUMENT;
    if (input < 0 || input >= it->sg->num_inputs) {
        set_error(it, "input %d out of range (model has %d inputs)", input, it->sg->num_inputs);
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    if (ndim < 0 || ndim > TFL_MAX_DIMS || (ndim > 0 && !dims)) {
        set_error(it, "input %d: rank %d not supported", input, ndim);
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    tfl_tensor *t = &it->tensors[it->sg->inputs[input]];
    size_t n = 1;
    for (int i = 0; i < ndim; ++i) {
        if (dims[i] < 0) {
            set_error(it, "input %d: dimension %d is negative (%d)", input, i, (int)dims[i]);
            return TFL_ERROR_INVALID_ARGUMENT;
        }
        if (dims[i] && n > ((size_t)1 << 40) / (size_t)dims[i]) {
            set_error(it, "input %d: shape is too large", input);
            return TFL_ERROR_INVALID_ARGUMENT;
        }
        n *= (size_t)dims[i];
    }
    if (t->alloc == TFL__ALLOC_CONST || t->is_variable) {
        set_error(it, "input %d is not resizable", input);
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    bool same = t->ndim == ndim;
    for (int i = 0; same && i < ndim; ++i)
        same = t->dims[i] == dims[i];
    if (same)
        return TFL_OK;
    t->ndim = ndim;
    for (int i = 0; i < ndim; ++i)
        t->dims[i] = dims[i];
    t->bytes = n * tfl__elem_size(t->type);
    it->allocated = false;
    return TFL_OK;
}

tfl_status tfl_interpreter_reset_variables(tfl_interpreter *it)
{
    if (!it)
        return TFL_ERROR_INVALID_ARGUMENT;
    for (int i = 0; i < it->num_tensors; ++i) {
        tfl_tensor *t = &it->tensors[i];
        if (t->is_variable && t->data)
            memset(t->data, t->type == TFL_INT8 ? (int)(int8_t)t->zero_point : 0, t->bytes);
    }
    /* As TFLite resets every subgraph's (resource variables keep their values). */
    if (!it->is_child)
        tfl__family_reset_children(it->family);
    return TFL_OK;
}

uint64_t tfl__subgraph_work(const tfl_interpreter *child)
{
    return child && child->static_work ? child->static_work : 1;
}

const char *tfl_interpreter_last_error(const tfl_interpreter *it) { return it ? it->error : ""; }
int tfl_interpreter_num_inputs(const tfl_interpreter *it) { return it ? it->sg->num_inputs : 0; }
int tfl_interpreter_num_outputs(const tfl_interpreter *it) { return it ? it->sg->num_outputs : 0; }
int tfl_interpreter_num_tensors(const tfl_interpreter *it) { return it ? it->num_tensors : 0; }
int tfl_interpreter_num_nodes(const tfl_interpreter *it) { return it ? it->num_nodes : 0; }
size_t tfl_interpreter_arena_size(const tfl_interpreter *it) { return it ? it->arena_size : 0; }

int tfl_interpreter_input_index(const tfl_interpreter *it, int i)
{
    if (!it || i < 0 || i >= it->sg->num_inputs)
        return -1;
    return it->sg->inputs[i];
}

int tfl_interpreter_output_index(const tfl_interpreter *it, int i)
{
    if (!it || i < 0 || i >= it->sg->num_outputs)
        return -1;
    return it->sg->outputs[i];
}

tfl_tensor *tfl_interpreter_tensor(tfl_interpreter *it, int index)
{
    if (!it || index < 0 || index >= it->num_tensors)
        return NULL;
    return &it->tensors[index];
}

tfl_tensor *tfl_interpreter_input(tfl_interpreter *it, int i)
{
    return tfl_interpreter_tensor(it, tfl_interpreter_input_index(it, i));
}

tfl_tensor *tfl_interpreter_output(tfl_interpreter *it, int i)
{
    return tfl_interpreter_tensor(it, tfl_interpreter_output_index(it, i));
}

void tfl_interpreter_set_profiling(tfl_interpreter *it, int on)
{
    if (it)
        it->profiling = on != 0;
}

int tfl_interpreter_node_folded(const tfl_interpreter *it, int node)
{
    return it && node >= 0 && node < it->num_nodes && it->nodes[node].elided;
}

uint64_t tfl_interpreter_node_time_ns(const tfl_interpreter *it, int node)
{
    if (!it || node < 0 || node >= it->num_nodes)
        return 0;
    return it->node_ns[node];
}

size_t tfl_model_packed_bytes(const tfl_model *m) { return m ? tfl__packed_cache_bytes(m->packed) : 0; }
