/* REVERSE_V2 (105): the input with the order of its elements reversed along
 * the axes of a constant int32 or int64 vector (negative axes count from the
 * back; an axis given twice is reversed once, as TFLite's set of axes).
 * Any fixed-size type, copied. Runs on STRIDED_SLICE's kernel with negative
 * steps. */
#include <stdlib.h>

#include "ops/shape_common.h"
#include "ops/strided_slice/strided_slice.h"

typedef struct reverse_data {
    tfl_strided_slice_params p;
} reverse_data;

static tfl_status reverse_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(reverse_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static tfl_status reverse_prepare(tfl__ctx *ctx, tfl__node *node)
{
    reverse_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *axis = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, axis, "axis",
                                     1u << TFL_INT32 | 1u << TFL_INT64)) != TFL_OK)
        return s;
    if (!tfl__is_const(axis))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "axis must be a constant tensor");
    if (axis->ndim != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "axis must be a vector");
    bool flip[TFL_MAX_DIMS] = {false};
    for (size_t i = 0; i < tfl__num_elements(axis); ++i) {
        int a;
        const int64_t v = tfl__int_at(axis, i);
        if (v < INT32_MIN || v > INT32_MAX)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "axis %lld is out of range",
                                (long long)v);
        if ((s = tfl__normalize_axis(ctx, node, TFL_ERROR_BAD_MODEL, "axis", (int32_t)v, in->ndim,
                                     &a)) != TFL_OK)
            return s;
        flip[a] = true;
    }
    tfl_strided_slice_params *p = &d->p;
    p->esize = tfl_type_size(in->type);
    p->ndim = in->ndim > 0 ? in->ndim : 1;
    p->count[0] = 1;
    p->step[0] = 1;
    int64_t base = 0, stride = 1;
    for (int k = in->ndim - 1; k >= 0; --k) {
        p->count[k] = in->dims[k];
        p->step[k] = flip[k] ? -stride : stride;
        if (flip[k] && in->dims[k] > 0)
            base += (int64_t)(in->dims[k] - 1) * stride;
        stride *= in->dims[k];
    }
    p->base = base;
    return tfl__resize(ctx, node, out, in->dims, in->ndim);
}

static tfl_status reverse_eval(tfl__ctx *ctx, tfl__node *node)
{
    reverse_data *d = node->data;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (out->bytes == 0)
        return TFL_OK;
    tfl__strided_slice_run(ctx, &d->p, tfl__input(ctx, node, 0)->data, out->data);
    return TFL_OK;
}

const tfl__op tfl__op_reverse_v2 = {
    .builtin_code = 105,
    .min_version = 1,
    .max_version = 3,
    .init = reverse_init,
    .prepare = reverse_prepare,
    .eval = reverse_eval,
    .free = free,
};
