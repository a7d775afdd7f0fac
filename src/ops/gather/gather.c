/* GATHER (builtin 36): picks slices along `axis` by an int16/int32/int64
 * indices tensor, with leading batch_dims shared by input and indices. An
 * index outside [0, axis size) is a runtime error (TFLite rejects negative
 * indices too), found before anything is read. */
#include <stdlib.h>
#include <string.h>

#include "ops/gather/gather.h"
#include "ops/op.h"
#include "ops/shape_common.h"

/* GatherOptions fields (schema order). */
enum { F_AXIS = 0, F_BATCH_DIMS = 1 };

/* Best first: a kernel serves element size `esize` (0: any); the reference
 * kernel is last and always usable. */
static const struct {
    size_t esize;
    tfl_gather_fn fn;
} kernels[] = {
    {0, tfl_gather_any__ref},
};

static tfl_gather_fn pick_kernel(size_t esize)
{
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; ++i)
        if (kernels[i].esize == 0 || kernels[i].esize == esize)
            return kernels[i].fn;
    return tfl_gather_any__ref;
}

typedef struct gather_data {
    int axis_opt, batch_dims_opt; /* as written; may be negative */
    size_t batch;
    tfl_gather_params p;
    tfl_gather_fn fn; /* picked at prepare */
} gather_data;

static tfl_status gather_init(tfl__ctx *ctx, tfl__node *node)
{
    gather_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->axis_opt = tfl__fb_i32(&node->options, F_AXIS, 0);
    d->batch_dims_opt = tfl__fb_i32(&node->options, F_BATCH_DIMS, 0);
    return TFL_OK;
}

static void gather_free(void *data)
{
    free(data);
}

static tfl_status gather_prepare(tfl__ctx *ctx, tfl__node *node)
{
    gather_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *idx = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, idx, "indices",
                                     1u << TFL_INT16 | 1u << TFL_INT32 | 1u << TFL_INT64)) !=
            TFL_OK)
        return s;
    char b1[64], b2[64];
    if (in->ndim == 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "cannot gather from a scalar input");
    int axis;
    if ((s = tfl__normalize_axis(ctx, node, TFL_ERROR_BAD_MODEL, "axis", d->axis_opt, in->ndim,
                                 &axis)) != TFL_OK)
        return s;
    int bd = d->batch_dims_opt < 0 ? d->batch_dims_opt + idx->ndim : d->batch_dims_opt;
    if (bd < 0 || bd > axis || bd > idx->ndim)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "batch_dims %d is out of range (axis %d, indices rank %d)",
                            d->batch_dims_opt, axis, idx->ndim);
    for (int k = 0; k < bd; ++k)
        if (in->dims[k] != idx->dims[k])
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "batch dimension %d differs between input %s and indices %s", k,
                                tfl__describe(in, b1, sizeof b1),
                                tfl__describe(idx, b2, sizeof b2));
    int rank = in->ndim + idx->ndim - 1 - bd;
    if (rank > TFL_MAX_DIMS)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "output rank %d exceeds %d", rank,
                            TFL_MAX_DIMS);
    int32_t dims[TFL_MAX_DIMS];
    int n = 0;
    for (int k = 0; k < axis; ++k)
        dims[n++] = in->dims[k];
    for (int k = bd; k < idx->ndim; ++k)
        dims[n++] = idx->dims[k];
    for (int k = axis + 1; k < in->ndim; ++k)
        dims[n++] = in->dims[k];

    d->batch = tfl__dims_product(in->dims, 0, bd);
    d->p.outer = tfl__dims_product(in->dims, bd, axis);
    d->p.axis_size = (size_t)in->dims[axis];
    d->p.inner = tfl__dims_product(in->dims, axis + 1, in->ndim);
    d->p.coords = tfl__dims_product(idx->dims, bd, idx->ndim);
    d->p.esize = tfl_type_size(in->type);
    d->fn = pick_kernel(d->p.esize);
    d->p.index_type = idx->type;
    return tfl__resize(ctx, node, out, dims, n);
}

typedef struct gather_job {
    const tfl_gather_params *p;
    const void *in, *idx;
    void *out;
    tfl_gather_fn fn;
} gather_job;

static void gather_rows(void *arg, size_t start, size_t end, int worker)
{
    const gather_job *j = arg;
    j->fn(j->p, j->in, j->idx, j->out, start, end);
}

static tfl_status gather_eval(tfl__ctx *ctx, tfl__node *node)
{
    const gather_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *idx = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t n = tfl__num_elements(idx);
    for (size_t i = 0; i < n; ++i) {
        int64_t v = tfl__int_at(idx, i);
        if (v < 0 || (uint64_t)v >= d->p.axis_size)
            return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME,
                                "index %lld (indices element %zu) is out of range [0, %zu)",
                                (long long)v, i, d->p.axis_size);
    }
    if (out->bytes == 0)
        return TFL_OK;
    gather_job j = {&d->p, in->data, idx->data, out->data, d->fn};
    tfl__parallel_for(ctx, d->batch * d->p.outer,
                      tfl__rows_per_chunk(d->p.coords * d->p.inner * d->p.esize), gather_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_gather = {
    .builtin_code = 36,
    .min_version = 1,
    .max_version = 6,
    .init = gather_init,
    .prepare = gather_prepare,
    .eval = gather_eval,
    .free = gather_free,
};
