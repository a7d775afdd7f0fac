/* Kernel record choice and packed weights (see kernel.h). */
#include "ops/kernel.h"

#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "core/packed.h"

bool tfl__kernel_runnable(const tfl__kernel *k, uint32_t cpu_features, int isa_cap)
{
    return k->isa <= isa_cap && (k->features & ~cpu_features) == 0;
}

const tfl__kernel *tfl__kernel_pick(const tfl__ctx *ctx, const tfl__kernel *table, size_t count,
                                    int kind, const void *params)
{
    const tfl__kernel *only = NULL;
    if (ctx->only_kernel)
        for (size_t i = 0; i < count; ++i)
            if (table[i].kind == kind && strcmp(table[i].name, ctx->only_kernel) == 0)
                only = &table[i];
    for (size_t i = 0; i < count; ++i) {
        const tfl__kernel *k = &table[i];
        if (k->kind != kind)
            continue;
        if (only && k != only && k->isa != TFL__ISA_REF)
            continue;
        if (!tfl__kernel_runnable(k, ctx->cpu_features, ctx->isa_cap))
            continue;
        if (k->supports && !k->supports(params))
            continue;
        return k;
    }
    return NULL;
}

typedef struct pack_job {
    const tfl__kernel *k;
    const void *params, *weights, *bias;
} pack_job;

static void do_pack(void *arg, void *buf)
{
    const pack_job *j = arg;
    j->k->pack(j->params, j->weights, j->bias, buf);
}

const void *tfl__kernel_packed(tfl__ctx *ctx, const tfl__node *node, const tfl__kernel *k,
                               const void *params, const void *weights, const void *bias,
                               void **owned)
{
    size_t bytes = k->packed_bytes(params);
    if (ctx->mem_limit && (bytes > ctx->mem_limit || ctx->mem_used > ctx->mem_limit - bytes)) {
        tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY,
                     "%s: %zu bytes of packed weights, more than the %zu-byte memory limit "
                     "(tfl_options.max_memory) leaves",
                     k->name, bytes, ctx->mem_limit);
        return NULL;
    }
    pack_job j = {k, params, weights, bias};
    const void *p;
    if (ctx->packed) {
        int made;
        p = tfl__packed_cache_get(ctx->packed, ctx->subgraph, node->index, k, bytes, do_pack, &j,
                                  &made);
    } else {
        /* No model (op tests): the node owns its copy. */
        free(*owned);
        *owned = aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
        if (*owned) {
            memset(*owned, 0, (bytes + 63) / 64 * 64 + 64);
            do_pack(&j, *owned);
        }
        p = *owned;
    }
    if (!p) {
        tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "%s: out of memory for %zu bytes of packed "
                     "weights", k->name, bytes);
        return NULL;
    }
    ctx->mem_used += bytes;
    return p;
}

tfl_status tfl__kernel_setup(tfl__ctx *ctx, tfl__node *node, const tfl__kernel *table,
                             size_t count, int kind, const void *params, const void *weights,
                             const void *bias, tfl__kernel_choice *choice)
{
    choice->kernel = tfl__kernel_pick(ctx, table, count, kind, params);
    choice->packed = NULL;
    if (!choice->kernel)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "no kernel for this type");
    if (choice->kernel->pack) {
        choice->packed =
            tfl__kernel_packed(ctx, node, choice->kernel, params, weights, bias, &choice->owned);
        if (!choice->packed)
            return TFL_ERROR_NO_MEMORY;
    }
    node->worker_scratch_bytes =
        choice->kernel->worker_scratch ? choice->kernel->worker_scratch(params) : 0;
    return TFL_OK;
}
