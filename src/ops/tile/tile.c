/* TILE (builtin 69): repeats the input multiples[i] times along each
 * dimension i (multiples: int32 or int64 vector). Computed multiples make the
 * output sized at eval. */
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"
#include "ops/shape_common.h"
#include "ops/tile/tile.h"

/* Best first: a kernel serves element size `esize` (0: any); the reference
 * kernel is last and always usable. */
static const struct {
    size_t esize;
    tfl_tile_fn fn;
} kernels[] = {
    {0, tfl_tile_any__ref},
};

static tfl_tile_fn pick_kernel(size_t esize)
{
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; ++i)
        if (kernels[i].esize == 0 || kernels[i].esize == esize)
            return kernels[i].fn;
    return tfl_tile_any__ref;
}

typedef struct tile_data {
    tfl_tile_params p;
    tfl_tile_fn fn; /* picked at prepare */
} tile_data;

static tfl_status tile_init(tfl__ctx *ctx, tfl__node *node)
{
    tile_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    return TFL_OK;
}

static void tile_free(void *data)
{
    free(data);
}

static tfl_status resize_output(tfl__ctx *ctx, tfl__node *node)
{
    tile_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *mult = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    tfl_status bad = tfl__data_status(mult);
    tfl_tile_params *p = &d->p;
    int32_t dims[TFL_MAX_DIMS];
    for (int k = 0; k < in->ndim; ++k) {
        int64_t m = tfl__int_at(mult, (size_t)k);
        if (m < 0)
            return tfl__op_fail(ctx, node, bad, "multiples entry %d is %lld, expected >= 0", k,
                                (long long)m);
        if (in->dims[k] > 0 && m > INT32_MAX / in->dims[k])
            return tfl__op_fail(ctx, node, bad, "tiled dimension %d (%d x %lld) is too large", k,
                                (int)in->dims[k], (long long)m);
        dims[k] = (int32_t)(in->dims[k] * m);
        p->in_dims[k] = in->dims[k];
        p->out_dims[k] = dims[k];
    }
    p->ndim = in->ndim;
    if (p->ndim == 0) {
        p->ndim = 1;
        p->in_dims[0] = p->out_dims[0] = 1;
    }
    return tfl__resize(ctx, node, out, dims, in->ndim);
}

static tfl_status tile_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tile_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *mult = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, mult, "multiples",
                                     1u << TFL_INT32 | 1u << TFL_INT64)) != TFL_OK)
        return s;
    char b1[64], b2[64];
    if (tfl__num_elements(mult) != (size_t)in->ndim || mult->ndim > 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "multiples %s must be a vector of %d entries (the rank of input %s)",
                            tfl__describe(mult, b1, sizeof b1), in->ndim,
                            tfl__describe(in, b2, sizeof b2));
    d->p.esize = tfl_type_size(in->type);
    d->fn = pick_kernel(d->p.esize);
    if (!tfl__is_const(mult)) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return resize_output(ctx, node);
}

typedef struct tile_job {
    const tfl_tile_params *p;
    const void *in;
    void *out;
    tfl_tile_fn fn;
} tile_job;

static void tile_rows(void *arg, size_t start, size_t end, int worker)
{
    const tile_job *j = arg;
    j->fn(j->p, j->in, j->out, start, end);
}

static tfl_status tile_eval(tfl__ctx *ctx, tfl__node *node)
{
    tile_data *d = node->data;
    tfl_status s;
    if (!tfl__is_const(tfl__input(ctx, node, 1)) && (s = resize_output(ctx, node)) != TFL_OK)
        return s;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (out->bytes == 0)
        return TFL_OK;
    const tfl_tile_params *p = &d->p;
    size_t rows = tfl__dims_product(p->out_dims, 0, p->ndim - 1);
    tile_job j = {p, tfl__input(ctx, node, 0)->data, out->data, d->fn};
    tfl__parallel_for(ctx, rows, tfl__rows_per_chunk((size_t)p->out_dims[p->ndim - 1] * p->esize),
                      tile_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_tile = {
    .builtin_code = 69,
    .min_version = 1,
    .max_version = 3,
    .init = tile_init,
    .prepare = tile_prepare,
    .eval = tile_eval,
    .free = tile_free,
};
