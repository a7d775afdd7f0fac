/* SCATTER_ND (122): an output of `shape` (a constant or fed int32 vector),
 * zero except where indices ([..., k], int32) point: there the update slices
 * ([..., shape[k:]]) are added, duplicates summing in order (float32 in
 * float, integers wrapping), as TFLite. float32, uint8, int8, int32, int64
 * and bool (a duplicate ors). An index outside the shape fails at invoke. */
#include <stdlib.h>
#include <string.h>

#include "ops/shape_common.h"

static tfl_status sc_shape(tfl__ctx *ctx, tfl__node *node, tfl_status bad)
{
    const tfl_tensor *idx = tfl__input(ctx, node, 0), *upd = tfl__input(ctx, node, 1);
    const tfl_tensor *shape = tfl__input(ctx, node, 2);
    const int nd = (int)tfl__num_elements(shape), k = idx->dims[idx->ndim - 1];
    if (nd > TFL_MAX_DIMS || k > nd || k < 0)
        return tfl__op_fail(ctx, node, bad, "indices of depth %d cannot address rank %d", k, nd);
    int32_t dims[TFL_MAX_DIMS];
    for (int i = 0; i < nd; ++i) {
        const int64_t v = tfl__int_at(shape, (size_t)i);
        if (v < 0 || v > INT32_MAX)
            return tfl__op_fail(ctx, node, bad, "shape[%d] is %lld", i, (long long)v);
        dims[i] = (int32_t)v;
    }
    /* updates: indices' leading dims, then shape[k:]. */
    const int lead = idx->ndim - 1;
    if (upd->ndim != lead + nd - k)
        return tfl__op_fail(ctx, node, bad, "updates have rank %d, expected %d", upd->ndim,
                            lead + nd - k);
    for (int i = 0; i < upd->ndim; ++i) {
        const int32_t want = i < lead ? idx->dims[i] : dims[k + i - lead];
        if (upd->dims[i] != want)
            return tfl__op_fail(ctx, node, bad, "updates dimension %d is %d, expected %d", i,
                                (int)upd->dims[i], (int)want);
    }
    return tfl__resize(ctx, node, tfl__output(ctx, node, 0), dims, nd);
}

static tfl_status sc_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 3, 3, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *idx = tfl__input(ctx, node, 0), *upd = tfl__input(ctx, node, 1);
    const tfl_tensor *shape = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_index_tensor(ctx, node, idx, "indices", 1u << TFL_INT32)) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, shape, "shape", 1u << TFL_INT32)) != TFL_OK)
        return s;
    if (!upd)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "updates is missing");
    switch (upd->type) {
    case TFL_FLOAT32: case TFL_UINT8: case TFL_INT8: case TFL_INT32: case TFL_INT64:
    case TFL_BOOL: break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, uint8, int8, int32, int64, bool)",
                            tfl_type_name(upd->type));
    }
    if ((s = tfl__check_same_type(ctx, node, upd, "updates", out, "output")) != TFL_OK)
        return s;
    if (idx->ndim < 1 || shape->ndim != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "indices need rank 1 or more and shape must be a vector");
    if (!tfl__is_const(shape)) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return sc_shape(ctx, node, TFL_ERROR_BAD_MODEL);
}

static tfl_status sc_eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s;
    if (!tfl__is_const(tfl__input(ctx, node, 2)) &&
        (s = sc_shape(ctx, node, TFL_ERROR_RUNTIME)) != TFL_OK)
        return s;
    const tfl_tensor *idx = tfl__input(ctx, node, 0), *upd = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    memset(out->data, 0, out->bytes);
    const int k = idx->dims[idx->ndim - 1];
    const size_t n = k ? tfl__num_elements(idx) / (size_t)k : tfl__num_elements(idx);
    const size_t slice = tfl__dims_product(out->dims, k, out->ndim);
    const int32_t *ix = (const int32_t *)(const void *)idx->data;
    for (size_t i = 0; i < (k ? n : 0); ++i) {
        size_t at = 0;
        for (int d = 0; d < k; ++d) {
            const int32_t v = ix[i * (size_t)k + d];
            if (v < 0 || v >= out->dims[d])
                return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME,
                                    "index %d (row %zu, dimension %d) is outside [0, %d)",
                                    (int)v, i, d, (int)out->dims[d]);
            at = at * (size_t)out->dims[d] + (size_t)v;
        }
        at *= slice;
        for (size_t j = 0; j < slice; ++j) {
            const size_t u = i * slice + j;
            switch (out->type) {
            case TFL_FLOAT32:
                ((float *)(void *)out->data)[at + j] += ((const float *)(const void *)upd->data)[u];
                break;
            case TFL_INT32:
                ((uint32_t *)(void *)out->data)[at + j] +=
                    ((const uint32_t *)(const void *)upd->data)[u];
                break;
            case TFL_INT64:
                ((uint64_t *)(void *)out->data)[at + j] +=
                    ((const uint64_t *)(const void *)upd->data)[u];
                break;
            case TFL_BOOL: out->data[at + j] = out->data[at + j] || upd->data[u]; break;
            default: out->data[at + j] = (uint8_t)(out->data[at + j] + upd->data[u]); break;
            }
        }
    }
    return TFL_OK;
}

const tfl__op tfl__op_scatter_nd = {
    .builtin_code = 122,
    .min_version = 1,
    .max_version = 1,
    .prepare = sc_prepare,
    .eval = sc_eval,
};
