/* UNIQUE (103): the distinct values of a vector in order of first
 * appearance, and for each input element the position of its value there
 * (int32 or int64, option 0 idx_out_type). float32, uint8, int8, int16,
 * int32, int64 (floats compared with ==, so NaN is never a repeat and -0
 * equals +0). The count is known only at eval: both outputs are dynamic. */
#include <stdlib.h>
#include <string.h>

#include "ops/shape_common.h"

static tfl_status unique_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 2);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *y = tfl__output(ctx, node, 0), *idx = tfl__output(ctx, node, 1);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    switch (in->type) {
    case TFL_FLOAT32: case TFL_UINT8: case TFL_INT8: case TFL_INT16: case TFL_INT32:
    case TFL_INT64: break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, uint8, int8, int16, int32, int64)",
                            tfl_type_name(in->type));
    }
    if ((s = tfl__check_same_type(ctx, node, in, "input", y, "output")) != TFL_OK)
        return s;
    if (idx->type != TFL_INT32 && idx->type != TFL_INT64)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "index output must be int32 or int64");
    if (in->ndim != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input must be a vector (rank %d)",
                            in->ndim);
    /* Positions of each element's value, sized at prepare; the uniques at eval. */
    if ((s = tfl__resize(ctx, node, idx, in->dims, 1)) != TFL_OK)
        return s;
    node->scratch_bytes = (size_t)in->dims[0] * sizeof(size_t);
    /* Each element is compared with the uniques so far: at most n^2 / 2
     * comparisons, which max_work caps. */
    node->work = tfl__work((uint64_t)in->dims[0], (uint64_t)in->dims[0] / 2 + 1, 1);
    tfl__set_dynamic(y);
    return TFL_OK;
}

static bool same(const tfl_tensor *t, size_t a, size_t b)
{
    switch (t->type) {
    case TFL_FLOAT32:
        return ((const float *)(const void *)t->data)[a] ==
               ((const float *)(const void *)t->data)[b];
    default: {
        const size_t es = tfl_type_size(t->type);
        return memcmp(t->data + a * es, t->data + b * es, es) == 0;
    }
    }
}

static tfl_status unique_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *y = tfl__output(ctx, node, 0), *idx = tfl__output(ctx, node, 1);
    const size_t n = (size_t)in->dims[0], es = tfl_type_size(in->type);
    size_t *first = ctx->scratch; /* input position of each unique value */
    size_t count = 0;
    for (size_t i = 0; i < n; ++i) {
        size_t u = 0;
        while (u < count && !same(in, first[u], i))
            ++u;
        if (u == count)
            first[count++] = i;
        if (idx->type == TFL_INT32)
            ((int32_t *)(void *)idx->data)[i] = (int32_t)u;
        else
            ((int64_t *)(void *)idx->data)[i] = (int64_t)u;
    }
    const int32_t dims[1] = {(int32_t)count};
    tfl_status s = tfl__resize(ctx, node, y, dims, 1);
    if (s != TFL_OK)
        return s;
    for (size_t u = 0; u < count; ++u)
        memcpy(y->data + u * es, in->data + first[u] * es, es);
    return TFL_OK;
}

const tfl__op tfl__op_unique = {
    .builtin_code = 103,
    .min_version = 1,
    .max_version = 1,
    .prepare = unique_prepare,
    .eval = unique_eval,
};
