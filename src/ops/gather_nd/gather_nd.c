/* GATHER_ND (builtin 107): gathers slices of params at index tuples given by
 * the last dimension of an int16/int32/int64 indices tensor; the output is
 * indices.shape[:-1] + params.shape[nd:]. Params of any fixed-size type are
 * moved as bytes. Every coordinate is checked against its dimension before
 * anything is read: an index out of range is a runtime error, as in TFLite. */
#include <stdlib.h>

#include "ops/gather_nd/gather_nd.h"
#include "ops/op.h"
#include "ops/shape_common.h"

/* Best first: a kernel serves slices of `slice_bytes` bytes (0: any); the
 * reference kernel is last and always usable. */
static const struct {
    size_t slice_bytes;
    tfl_gather_nd_fn fn;
} kernels[] = {
    {0, tfl_gather_nd_any__ref},
};

static tfl_gather_nd_fn pick_kernel(size_t slice_bytes)
{
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; ++i)
        if (kernels[i].slice_bytes == 0 || kernels[i].slice_bytes == slice_bytes)
            return kernels[i].fn;
    return tfl_gather_nd_any__ref;
}

typedef struct gather_nd_data {
    tfl_gather_nd_params p;
    size_t n_slices;
    tfl_gather_nd_fn fn; /* picked at prepare */
} gather_nd_data;

static tfl_status gather_nd_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(gather_nd_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static void gather_nd_free(void *data)
{
    free(data);
}

static tfl_status gather_nd_prepare(tfl__ctx *ctx, tfl__node *node)
{
    gather_nd_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *params = tfl__input(ctx, node, 0);
    const tfl_tensor *idx = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!params)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "params is missing");
    if ((s = tfl__check_movable(ctx, node, params, "params")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, params, "params", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, idx, "indices",
                                     1u << TFL_INT16 | 1u << TFL_INT32 | 1u << TFL_INT64)) !=
            TFL_OK)
        return s;
    if (params->ndim < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "params must be at least a vector");
    if (idx->ndim < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "indices must be at least a vector");
    const int nd = idx->dims[idx->ndim - 1];
    if (nd < 0 || nd > params->ndim)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "indices last dimension %d is out of range [0, %d] (params rank)", nd,
                            params->ndim);
    const int rank = idx->ndim - 1 + params->ndim - nd;
    if (rank > TFL_MAX_DIMS)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "output rank %d exceeds %d", rank,
                            TFL_MAX_DIMS);
    int32_t dims[TFL_MAX_DIMS];
    int n = 0;
    for (int k = 0; k < idx->ndim - 1; ++k)
        dims[n++] = idx->dims[k];
    for (int k = nd; k < params->ndim; ++k)
        dims[n++] = params->dims[k];

    const size_t esize = tfl_type_size(params->type);
    d->p.nd = nd;
    for (int j = 0; j < nd; ++j)
        d->p.stride[j] = tfl__dims_product(params->dims, j + 1, params->ndim) * esize;
    d->p.slice_bytes = tfl__dims_product(params->dims, nd, params->ndim) * esize;
    d->p.index_type = idx->type;
    d->n_slices = tfl__dims_product(idx->dims, 0, idx->ndim - 1);
    d->fn = pick_kernel(d->p.slice_bytes);
    return tfl__resize(ctx, node, out, dims, n);
}

typedef struct gather_nd_job {
    const tfl_gather_nd_params *p;
    const void *params, *idx;
    void *out;
    tfl_gather_nd_fn fn;
} gather_nd_job;

static void gather_nd_slices(void *arg, size_t start, size_t end, int worker)
{
    const gather_nd_job *j = arg;
    j->fn(j->p, j->params, j->idx, j->out, start, end);
}

static tfl_status gather_nd_eval(tfl__ctx *ctx, tfl__node *node)
{
    const gather_nd_data *d = node->data;
    const tfl_tensor *params = tfl__input(ctx, node, 0);
    const tfl_tensor *idx = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t n = tfl__num_elements(idx);
    if (n > 0 && tfl__num_elements(params) == 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME,
                            "cannot gather from empty params with non-empty indices");
    for (size_t i = 0; i < n; ++i) {
        const int j = (int)(i % (size_t)d->p.nd); /* n > 0 implies nd > 0 */
        const int64_t v = tfl__int_at(idx, i);
        if (v < 0 || v >= params->dims[j])
            return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME,
                                "index %lld (indices element %zu) is out of range [0, %d) for "
                                "params dimension %d",
                                (long long)v, i, (int)params->dims[j], j);
    }
    if (out->bytes == 0)
        return TFL_OK;
    gather_nd_job job = {&d->p, params->data, idx->data, out->data, d->fn};
    tfl__parallel_for(ctx, d->n_slices, tfl__rows_per_chunk(d->p.slice_bytes), gather_nd_slices,
                      &job);
    return TFL_OK;
}

/* Version 3 adds int16 params, 4 int16 indices, 5 bool params (strings, in
 * version 2, and float8 in 6 are not supported). */
const tfl__op tfl__op_gather_nd = {
    .builtin_code = 107,
    .min_version = 1,
    .max_version = 5,
    .init = gather_nd_init,
    .prepare = gather_nd_prepare,
    .eval = gather_nd_eval,
    .free = gather_nd_free,
};
