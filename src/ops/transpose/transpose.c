/* TRANSPOSE (builtin 39): permutes dimensions by the perm input (int32 or
 * int64 vector; negative entries count from the back). A computed perm makes
 * the output sized at eval. */
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"
#include "ops/shape_common.h"
#include "ops/transpose/transpose.h"

/* The tiled kernel for permutations that simplify to a matrix transpose,
 * the general one for the rest. */
static tfl_transpose_fn pick_kernel(const tfl_transpose_params *p)
{
    return p->ndim == 2 ? tfl_transpose_2d_any__ref : tfl_transpose_any__ref;
}

typedef struct transpose_data {
    tfl_transpose_params p;
    tfl_transpose_fn fn; /* picked at prepare */
} transpose_data;

static tfl_status transpose_init(tfl__ctx *ctx, tfl__node *node)
{
    transpose_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    return TFL_OK;
}

static void transpose_free(void *data)
{
    free(data);
}

static tfl_status resize_output(tfl__ctx *ctx, tfl__node *node)
{
    transpose_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *perm = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    tfl_status bad = tfl__data_status(perm);
    const int n = in->ndim;
    tfl_transpose_params *p = &d->p;
    size_t stride[TFL_MAX_DIMS];
    for (int k = n - 1; k >= 0; --k)
        stride[k] = k == n - 1 ? 1 : stride[k + 1] * (size_t)in->dims[k + 1];
    bool used[TFL_MAX_DIMS] = {false};
    int32_t dims[TFL_MAX_DIMS];
    for (int k = 0; k < n; ++k) {
        int64_t v = tfl__int_at(perm, (size_t)k);
        if (v < -n || v >= n)
            return tfl__op_fail(ctx, node, bad, "perm entry %d is %lld, out of range for rank %d",
                                k, (long long)v, n);
        int a = (int)(v < 0 ? v + n : v);
        if (used[a])
            return tfl__op_fail(ctx, node, bad,
                                "perm is not a permutation: dimension %d appears twice", a);
        used[a] = true;
        dims[k] = in->dims[a];
        p->out_dims[k] = in->dims[a];
        p->in_stride[k] = stride[a];
    }
    p->ndim = n;
    tfl_transpose_simplify(p);
    d->fn = pick_kernel(p);
    return tfl__resize(ctx, node, out, dims, n);
}

static tfl_status transpose_prepare(tfl__ctx *ctx, tfl__node *node)
{
    transpose_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *perm = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, perm, "perm", 1u << TFL_INT32 | 1u << TFL_INT64)) !=
            TFL_OK)
        return s;
    char b1[64], b2[64];
    if (perm->ndim != 1 || perm->dims[0] != in->ndim)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "perm %s must be a vector of %d entries (the rank of input %s)",
                            tfl__describe(perm, b1, sizeof b1), in->ndim,
                            tfl__describe(in, b2, sizeof b2));
    d->p.esize = tfl_type_size(in->type);
    d->fn = tfl_transpose_any__ref; /* until the perm is known */
    if (!tfl__is_const(perm)) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return resize_output(ctx, node);
}

typedef struct transpose_job {
    const tfl_transpose_params *p;
    const void *in;
    void *out;
    tfl_transpose_fn fn;
} transpose_job;

static void transpose_rows(void *arg, size_t start, size_t end, int worker)
{
    const transpose_job *j = arg;
    j->fn(j->p, j->in, j->out, start, end);
}

static tfl_status transpose_eval(tfl__ctx *ctx, tfl__node *node)
{
    transpose_data *d = node->data;
    tfl_status s;
    if (!tfl__is_const(tfl__input(ctx, node, 1)) && (s = resize_output(ctx, node)) != TFL_OK)
        return s;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (out->bytes == 0)
        return TFL_OK;
    const tfl_transpose_params *p = &d->p;
    size_t rows = tfl__dims_product(p->out_dims, 0, p->ndim - 1);
    transpose_job j = {p, tfl__input(ctx, node, 0)->data, out->data, d->fn};
    tfl__parallel_for(ctx, rows, tfl__rows_per_chunk((size_t)p->out_dims[p->ndim - 1] * p->esize),
                      transpose_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_transpose = {
    .builtin_code = 39,
    .min_version = 1,
    .max_version = 6,
    .init = transpose_init,
    .prepare = transpose_prepare,
    .eval = transpose_eval,
    .free = transpose_free,
};
