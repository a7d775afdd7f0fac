/* SELECT (64) and SELECT_V2 (123): out = condition ? x : y for bool,
 * float32, uint8, int8, int16, int32 and int64 (values copied, quantization
 * ignored, as in TFLite). SELECT takes a condition of x's shape, a scalar,
 * or a vector over x's first dimension (x and y of one shape); SELECT_V2
 * broadcasts all three against each other (NumPy rules). */
#include <stdlib.h>
#include <string.h>

#include "ops/elementwise.h"
#include "ops/select/select.h"

typedef struct select_data {
    tfl_select_params p;
    size_t rows;
} select_data;

static tfl_status select_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(select_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

/* Strides of t broadcast (right-aligned) over the output's ndim dims. */
static void broadcast_strides(const tfl_tensor *t, const int32_t *dims, int ndim, size_t *stride)
{
    size_t s = 1;
    for (int d = ndim - 1; d >= 0; --d) {
        const int td = d - (ndim - t->ndim);
        const int32_t size = td >= 0 ? t->dims[td] : 1;
        stride[d] = size == 1 && dims[d] != 1 ? 0 : s;
        s *= (size_t)size;
    }
}

static tfl_status select_prepare(tfl__ctx *ctx, tfl__node *node)
{
    select_data *d = node->data;
    const bool v2 = node->builtin_code == 123;
    tfl_status s = tfl__check_io(ctx, node, 3, 3, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *c = tfl__input(ctx, node, 0), *x = tfl__input(ctx, node, 1);
    const tfl_tensor *y = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!c || !x || !y)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "an input is missing");
    if ((s = tfl__check_type(ctx, node, c, "condition", TFL_BOOL)) != TFL_OK)
        return s;
    if (x->type != y->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "x type %s and y type %s differ",
                            tfl_type_name(x->type), tfl_type_name(y->type));
    switch (x->type) {
    case TFL_BOOL:
    case TFL_FLOAT32:
    case TFL_UINT8:
    case TFL_INT8:
    case TFL_INT16:
    case TFL_INT32:
    case TFL_INT64: break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (bool, float32, uint8, int8, int16, int32, "
                            "int64)",
                            tfl_type_name(x->type));
    }
    if ((s = tfl__check_type(ctx, node, out, "output", x->type)) != TFL_OK)
        return s;
    tfl_select_params *p = &d->p;
    memset(p, 0, sizeof *p);
    p->elem_size = tfl_type_size(x->type);
    if (!v2 || (tfl__same_shape(c, x) && tfl__same_shape(x, y))) {
        if (!tfl__same_shape(x, y))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "x and y shapes differ (SELECT does not broadcast them)");
        const bool scalar = c->ndim == 0;
        const bool rows = c->ndim == 1 && x->ndim >= 1 && c->dims[0] == x->dims[0];
        if (!tfl__same_shape(c, x) && !scalar && !rows)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "condition must have x's shape, be a scalar, or a vector over "
                                "x's first dimension");
        p->ndim = x->ndim > 0 ? x->ndim : 1;
        for (int i = 0; i < p->ndim; ++i)
            p->dims[i] = x->ndim > 0 ? x->dims[i] : 1;
        broadcast_strides(x, p->dims, p->ndim, p->x_stride);
        broadcast_strides(y, p->dims, p->ndim, p->y_stride);
        if (tfl__same_shape(c, x)) {
            broadcast_strides(c, p->dims, p->ndim, p->cond_stride);
        } else if (rows) { /* along the first dimension only */
            p->cond_stride[0] = 1;
        } /* scalar: all strides 0 */
    } else {
        int nd = c->ndim > x->ndim ? c->ndim : x->ndim;
        nd = y->ndim > nd ? y->ndim : nd;
        p->ndim = nd > 0 ? nd : 1;
        const tfl_tensor *ts[3] = {c, x, y};
        for (int i = 0; i < p->ndim; ++i) {
            int32_t dim = 1;
            for (int k = 0; k < 3; ++k) {
                const int td = i - (p->ndim - ts[k]->ndim);
                const int32_t v = td >= 0 ? ts[k]->dims[td] : 1;
                if (v != 1 && dim != 1 && v != dim)
                    return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                        "shapes do not broadcast (dimension %d: %d and %d)", i,
                                        (int)dim, (int)v);
                if (v != 1)
                    dim = v;
            }
            p->dims[i] = dim;
        }
        broadcast_strides(c, p->dims, p->ndim, p->cond_stride);
        broadcast_strides(x, p->dims, p->ndim, p->x_stride);
        broadcast_strides(y, p->dims, p->ndim, p->y_stride);
    }
    /* The output's own rank (a scalar stays a scalar; the walk uses 1-D). */
    int out_ndim = x->ndim;
    if (v2 && !(tfl__same_shape(c, x) && tfl__same_shape(x, y))) {
        out_ndim = c->ndim > x->ndim ? c->ndim : x->ndim;
        out_ndim = y->ndim > out_ndim ? y->ndim : out_ndim;
    }
    if ((s = tfl__resize(ctx, node, out, p->dims, out_ndim)) != TFL_OK)
        return s;
    d->rows = 1;
    for (int i = 0; i + 1 < p->ndim; ++i)
        d->rows *= (size_t)p->dims[i];
    if (p->dims[p->ndim - 1] == 0)
        d->rows = 0;
    return TFL_OK;
}

static tfl_status select_eval(tfl__ctx *ctx, tfl__node *node)
{
    select_data *d = node->data;
    const tfl_tensor *c = tfl__input(ctx, node, 0);
    if (d->rows)
        tfl_select__ref(&d->p, c->data, tfl__input(ctx, node, 1)->data,
                        tfl__input(ctx, node, 2)->data, tfl__output(ctx, node, 0)->data, 0,
                        d->rows);
    return TFL_OK;
}

const tfl__op tfl__op_select = {
    .builtin_code = 64,
    .min_version = 1,
    .max_version = 4,
    .init = select_init,
    .prepare = select_prepare,
    .eval = select_eval,
    .free = free,
};

const tfl__op tfl__op_select_v2 = {
    .builtin_code = 123,
    .min_version = 1,
    .max_version = 2,
    .init = select_init,
    .prepare = select_prepare,
    .eval = select_eval,
    .free = free,
};
