/* See fold.h. */
#include "runtime/fold.h"

#include <string.h>

#include "core/packed.h"
#include "core/tensor.h"

enum { DEQUANTIZE = 6 };

/* The cache key of a folded constant: (subgraph, node, this address). */
static const char fold_key = 0;

typedef struct fold_job {
    tfl__ctx *ctx;
    tfl__node *node;
    tfl_tensor *out;
    tfl_status status;
} fold_job;

static void run_node(void *arg, void *buf)
{
    fold_job *j = arg;
    j->out->data = buf;
    j->status = j->node->op->eval(j->ctx, j->node);
}

static bool all_inputs_constant(const tfl__ctx *ctx, const tfl__node *node)
{
    for (int i = 0; i < node->num_inputs; ++i) {
        int t = node->inputs[i];
        if (t >= 0 && ctx->tensors[t].alloc != TFL__ALLOC_CONST)
            return false;
    }
    return node->num_inputs > 0;
}

static bool foldable(const tfl__ctx *ctx, const tfl__node *node, const int32_t *graph_outputs,
                     int num_graph_outputs)
{
    if (node->builtin_code != DEQUANTIZE || node->elided || node->num_outputs != 1 ||
        !node->op->prepare || !all_inputs_constant(ctx, node))
        return false;
    const tfl_tensor *out = &ctx->tensors[node->outputs[0]];
    if (out->is_variable || out->alloc != TFL__ALLOC_NONE)
        return false;
    for (int i = 0; i < num_graph_outputs; ++i)
        if (graph_outputs[i] == node->outputs[0])
            return false; /* callers may expect to find it in the arena */
    return true;
}

tfl_status tfl__fold_constants(tfl__ctx *ctx, tfl__node *nodes, int num_nodes,
                               const int32_t *graph_outputs, int num_graph_outputs,
                               size_t *folded_bytes)
{
    for (int n = 0; n < num_nodes; ++n) {
        tfl__node *node = &nodes[n];
        if (!foldable(ctx, node, graph_outputs, num_graph_outputs))
            continue;
        tfl_tensor *out = &ctx->tensors[node->outputs[0]];
        ctx->node = node;
        if (node->op->prepare(ctx, node) != TFL_OK) {
            ctx->error[0] = 0; /* allocate will say it again */
            continue;
        }
        size_t bytes = out->bytes;
        if (ctx->mem_limit && (bytes > ctx->mem_limit || ctx->mem_used > ctx->mem_limit - bytes))
            return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY,
                                "%zu bytes of folded constant, more than the %zu-byte memory "
                                "limit (tfl_options.max_memory) leaves",
                                bytes, ctx->mem_limit);
        fold_job j = {ctx, node, out, TFL_OK};
        const void *buf;
        if (ctx->packed) {
            int made;
            buf = tfl__packed_cache_get(ctx->packed, ctx->subgraph, node->index, &fold_key, bytes,
                                        run_node, &j, &made);
        } else {
            continue; /* no model to hold it (op tests): the node stays */
        }
        if (!buf)
            return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY,
                                "out of memory for %zu bytes of folded constant", bytes);
        if (j.status != TFL_OK)
            return j.status;
        out->data = (uint8_t *)buf; /* never written again: constants are read-only */
        out->alloc = TFL__ALLOC_CONST;
        node->elided = true;
        ctx->mem_used += bytes;
        *folded_bytes += bytes;
    }
    ctx->node = NULL;
    return TFL_OK;
}
