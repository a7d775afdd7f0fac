/* SPLIT (builtin 49): cuts the input (input 1) into num_splits equal parts
 * along the axis given by input 0 (a scalar; when it is computed, the
 * outputs are sized at eval). Also the node data and checks shared with
 * SPLIT_V, and the run helper of SPLIT_V and UNPACK. */
#include <stdlib.h>

#include "ops/op.h"
#include "ops/shape_common.h"
#include "ops/split/split.h"

/* SplitOptions and SplitVOptions fields (schema order; the same for both). */
enum { F_NUM_SPLITS = 0 };

/* Best first: a kernel serves element size `esize` (0: any); the reference
 * kernel is last and always usable. */
static const struct {
    size_t esize;
    tfl_split_fn fn;
} kernels[] = {
    {0, tfl_split_any__ref},
};

static tfl_split_fn pick_kernel(size_t esize)
{
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; ++i)
        if (kernels[i].esize == 0 || kernels[i].esize == esize)
            return kernels[i].fn;
    return tfl_split_any__ref;
}

tfl_status tfl__split_state_init(tfl__ctx *ctx, const tfl__node *node, tfl__split_state *s)
{
    s->n = node->num_outputs;
    size_t n = s->n > 0 ? (size_t)s->n : 1;
    s->chunk = calloc(n, sizeof *s->chunk);
    s->ptrs = calloc(n, sizeof *s->ptrs);
    if (!s->chunk || !s->ptrs)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

void tfl__split_state_free(tfl__split_state *s)
{
    free(s->chunk);
    free(s->ptrs);
}

typedef struct split_job {
    tfl_split_params p;
    tfl_split_fn fn;
    const void *in;
    void *const *outs;
} split_job;

static void split_rows(void *arg, size_t start, size_t end, int worker)
{
    const split_job *j = arg;
    j->fn(&j->p, j->in, j->outs, start, end);
}

void tfl__split_run(tfl__ctx *ctx, const tfl__node *node, tfl__split_state *s, const tfl_tensor *in,
                    int axis)
{
    size_t outer = tfl__dims_product(in->dims, 0, axis);
    const size_t esize = tfl_type_size(in->type);
    split_job j = {{s->n, esize, s->chunk, 0}, pick_kernel(esize), in->data, s->ptrs};
    for (int i = 0; i < s->n; ++i) {
        const tfl_tensor *o = tfl__output(ctx, node, i);
        s->chunk[i] = outer ? tfl__num_elements(o) / outer : 0;
        s->ptrs[i] = o->data;
        j.p.in_chunk += s->chunk[i];
    }
    if (j.p.in_chunk == 0)
        return;
    tfl__parallel_for(ctx, outer, tfl__rows_per_chunk(j.p.in_chunk * j.p.esize), split_rows, &j);
}

void tfl__split_data_free(void *data)
{
    tfl__split_data *d = data;
    if (!d)
        return;
    tfl__split_state_free(&d->st);
    free(d);
}

static tfl_status split_data_init(tfl__ctx *ctx, tfl__node *node)
{
    tfl__split_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->num_splits = tfl__fb_i32(&node->options, F_NUM_SPLITS, 0);
    if (d->num_splits <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "num_splits is %d, expected > 0",
                            d->num_splits);
    return tfl__split_state_init(ctx, node, &d->st);
}

tfl_status tfl__split_data_init(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = split_data_init(ctx, node);
    if (s != TFL_OK) {
        tfl__split_data_free(node->data);
        node->data = NULL;
    }
    return s;
}

tfl_status tfl__split_check_common(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *axis,
                                   const tfl_tensor *in)
{
    char b[64];
    if (tfl__num_elements(axis) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "axis %s must have one element",
                            tfl__describe(axis, b, sizeof b));
    if (in->ndim == 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "cannot split a scalar input");
    for (int i = 0; i < node->num_outputs; ++i) {
        const tfl_tensor *o = tfl__output(ctx, node, i);
        if (o->type != in->type)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "output %d type %s does not match input type %s", i,
                                tfl_type_name(o->type), tfl_type_name(in->type));
    }
    return TFL_OK;
}

/* Reads the axis and gives every output its equal share. */
static tfl_status resize_outputs(tfl__ctx *ctx, tfl__node *node)
{
    tfl__split_data *d = node->data;
    const tfl_tensor *axis_t = tfl__input(ctx, node, 0);
    const tfl_tensor *in = tfl__input(ctx, node, 1);
    int32_t axis;
    tfl_status s = tfl__read_scalar_i32(ctx, node, axis_t, "axis", &axis);
    if (s != TFL_OK)
        return s;
    tfl_status bad = tfl__data_status(axis_t);
    if ((s = tfl__normalize_axis(ctx, node, bad, "axis", axis, in->ndim, &d->axis)) != TFL_OK)
        return s;
    int32_t size = in->dims[d->axis];
    char b[64];
    if (size % d->num_splits != 0)
        return tfl__op_fail(
            ctx, node, bad,
            "dimension %d of input %s (size %d) cannot be split into %d equal parts", d->axis,
            tfl__describe(in, b, sizeof b), (int)size, d->num_splits);
    int32_t dims[TFL_MAX_DIMS];
    for (int k = 0; k < in->ndim; ++k)
        dims[k] = in->dims[k];
    dims[d->axis] = size / d->num_splits;
    for (int i = 0; i < node->num_outputs; ++i)
        if ((s = tfl__resize(ctx, node, tfl__output(ctx, node, i), dims, in->ndim)) != TFL_OK)
            return s;
    return TFL_OK;
}

static tfl_status split_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl__split_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, d->num_splits);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *axis = tfl__input(ctx, node, 0);
    const tfl_tensor *in = tfl__input(ctx, node, 1);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_index_tensor(ctx, node, axis, "axis", 1u << TFL_INT32 | 1u << TFL_INT64)) !=
            TFL_OK ||
        (s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK)
        return s;
    if ((s = tfl__split_check_common(ctx, node, axis, in)) != TFL_OK)
        return s;
    if (!tfl__is_const(axis)) {
        for (int i = 0; i < node->num_outputs; ++i)
            tfl__set_dynamic(tfl__output(ctx, node, i));
        return TFL_OK;
    }
    return resize_outputs(ctx, node);
}

static tfl_status split_eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl__split_data *d = node->data;
    if (!tfl__is_const(tfl__input(ctx, node, 0))) {
        tfl_status s = resize_outputs(ctx, node);
        if (s != TFL_OK)
            return s;
    }
    tfl__split_run(ctx, node, &d->st, tfl__input(ctx, node, 1), d->axis);
    return TFL_OK;
}

const tfl__op tfl__op_split = {
    .builtin_code = 49,
    .min_version = 1,
    .max_version = 4,
    .init = tfl__split_data_init,
    .prepare = split_prepare,
    .eval = split_eval,
    .free = tfl__split_data_free,
};
