/* PACK (builtin 83): stacks values_count same-shaped inputs along a new
 * axis. It is a concatenation whose chunks are the inputs' trailing parts,
 * so it runs the CONCATENATION copy kernel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/concatenation/concatenation.h"
#include "ops/op.h"
#include "ops/shape_common.h"

/* PackOptions fields (schema order). */
enum { F_VALUES_COUNT = 0, F_AXIS = 1 };

typedef struct pack_data {
    int values_count;
    int axis_opt; /* as written; may be negative */
    size_t outer;
    tfl_concatenation_params p;
    size_t *chunk;
    const void **ptrs;
} pack_data;

static void pack_free(void *data)
{
    pack_data *d = data;
    if (!d)
        return;
    free(d->chunk);
    free(d->ptrs);
    free(d);
}

static tfl_status pack_init_data(tfl__ctx *ctx, tfl__node *node)
{
    pack_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->values_count = tfl__fb_i32(&node->options, F_VALUES_COUNT, 0);
    d->axis_opt = tfl__fb_i32(&node->options, F_AXIS, 0);
    if (d->values_count <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "values_count is %d, expected > 0",
                            d->values_count);
    /* Checked here, before the per-value arrays: an option of 2^30 on a node
     * of two inputs would otherwise ask for gigabytes. */
    if (d->values_count != node->num_inputs)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "values_count is %d but the node has %d inputs", d->values_count,
                            node->num_inputs);
    d->chunk = calloc((size_t)d->values_count, sizeof *d->chunk);
    d->ptrs = calloc((size_t)d->values_count, sizeof *d->ptrs);
    if (!d->chunk || !d->ptrs)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static tfl_status pack_prepare(tfl__ctx *ctx, tfl__node *node)
{
    pack_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, d->values_count, d->values_count, 1);
    if (s != TFL_OK)
        return s;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const tfl_tensor *t0 = tfl__input(ctx, node, 0);
    for (int i = 0; i < d->values_count; ++i)
        if (!tfl__input(ctx, node, i))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %d is missing", i);
    if ((s = tfl__check_movable(ctx, node, t0, "input 0")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, t0, "input 0", out, "output")) != TFL_OK)
        return s;
    const int rank = t0->ndim;
    if (rank + 1 > TFL_MAX_DIMS)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "output rank %d exceeds %d", rank + 1,
                            TFL_MAX_DIMS);
    int axis;
    if ((s = tfl__normalize_axis(ctx, node, TFL_ERROR_BAD_MODEL, "axis", d->axis_opt, rank + 1,
                                 &axis)) != TFL_OK)
        return s;
    char b1[64], b2[64];
    for (int i = 0; i < d->values_count; ++i) {
        const tfl_tensor *t = tfl__input(ctx, node, i);
        if (t->type != t0->type)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "input %d type %s does not match input 0 type %s", i,
                                tfl_type_name(t->type), tfl_type_name(t0->type));
        if (!tfl__same_shape(t, t0))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "input %d %s does not match input 0 %s", i,
                                tfl__describe(t, b1, sizeof b1), tfl__describe(t0, b2, sizeof b2));
        /* Values are moved, not rescaled (as TFLite). */
        char role[32];
        snprintf(role, sizeof role, "input %d", i);
        if ((s = tfl__check_same_quant(ctx, node, out, "output", t, role)) != TFL_OK)
            return s;
    }
    int32_t dims[TFL_MAX_DIMS];
    for (int k = 0, j = 0; k <= rank; ++k)
        dims[k] = k == axis ? d->values_count : t0->dims[j++];

    size_t inner = tfl__dims_product(t0->dims, axis, rank);
    d->outer = tfl__dims_product(t0->dims, 0, axis);
    memset(&d->p, 0, sizeof d->p);
    d->p.num_inputs = d->values_count;
    d->p.esize = tfl_type_size(t0->type);
    d->p.chunk = d->chunk;
    for (int i = 0; i < d->values_count; ++i)
        d->chunk[i] = inner;
    d->p.out_chunk = inner * (size_t)d->values_count;
    return tfl__resize(ctx, node, out, dims, rank + 1);
}

static tfl_status pack_eval(tfl__ctx *ctx, tfl__node *node)
{
    pack_data *d = node->data;
    tfl__concatenation_run(ctx, node, tfl_concatenation_any__ref, &d->p, d->ptrs, d->outer);
    return TFL_OK;
}

/* The interpreter frees node data only after a successful init, so a
 * failed init releases its own. */
static tfl_status pack_init(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = pack_init_data(ctx, node);
    if (s != TFL_OK) {
        pack_free(node->data);
        node->data = NULL;
    }
    return s;
}

const tfl__op tfl__op_pack = {
    .builtin_code = 83,
    .min_version = 1,
    .max_version = 4,
    .init = pack_init,
    .prepare = pack_prepare,
    .eval = pack_eval,
    .free = pack_free,
};
