/* TOPK_V2 (48): the k largest values of each row (the last dimension) and
 * their int32 indices, largest first, equal values by lower index first (as
 * TFLite's TopContainer orders them). float32, uint8, int8, int16, int32,
 * int64 (values copied, quantization kept); k a scalar int32, constant or
 * fed, in [0, row length]. NaN values have no defined place. */
#include <stdlib.h>
#include <string.h>

#include "ops/shape_common.h"

typedef struct topk_data {
    int32_t k;
    bool dynamic;
} topk_data;

static tfl_status topk_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(topk_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

/* Output shapes from k; `bad` for a k out of range. */
static tfl_status shape_outputs(tfl__ctx *ctx, tfl__node *node, topk_data *d, tfl_status bad)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0), *kt = tfl__input(ctx, node, 1);
    tfl_status s = tfl__read_scalar_i32(ctx, node, kt, "k", &d->k);
    if (s != TFL_OK)
        return s;
    const int32_t n = in->dims[in->ndim - 1];
    if (d->k < 0 || d->k > n)
        return tfl__op_fail(ctx, node, bad, "k %d is outside [0, %d] (the row length)",
                            (int)d->k, (int)n);
    int32_t dims[TFL_MAX_DIMS];
    memcpy(dims, in->dims, sizeof dims);
    dims[in->ndim - 1] = d->k;
    if ((s = tfl__resize(ctx, node, tfl__output(ctx, node, 0), dims, in->ndim)) != TFL_OK)
        return s;
    return tfl__resize(ctx, node, tfl__output(ctx, node, 1), dims, in->ndim);
}

static tfl_status topk_prepare(tfl__ctx *ctx, tfl__node *node)
{
    topk_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 2);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *kt = tfl__input(ctx, node, 1);
    tfl_tensor *values = tfl__output(ctx, node, 0), *indices = tfl__output(ctx, node, 1);
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
    if ((s = tfl__check_same_type(ctx, node, in, "input", values, "values")) != TFL_OK ||
        (s = tfl__check_type(ctx, node, indices, "indices", TFL_INT32)) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, kt, "k", 1u << TFL_INT32)) != TFL_OK)
        return s;
    if (in->ndim < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input needs rank 1 or more");
    /* Merge-sort indices and their buffer, one row at a time. */
    node->scratch_bytes = 2 * (size_t)in->dims[in->ndim - 1] * sizeof(int32_t);
    /* A merge sort per row: about log2(n) passes over the input. */
    node->work = tfl__work(tfl__num_elements(in), 32, 1);
    d->dynamic = !tfl__is_const(kt);
    if (d->dynamic) {
        tfl__set_dynamic(values);
        tfl__set_dynamic(indices);
        return TFL_OK;
    }
    return shape_outputs(ctx, node, d, TFL_ERROR_BAD_MODEL);
}

/* a before b: the larger value first, then the lower index. */
#define BEFORE(T, v, a, b) ((v)[a] > (v)[b] || (!((v)[b] > (v)[a]) && (a) < (b)))

#define SORT_ROW(T)                                                                                \
    do {                                                                                           \
        const T *v = (const T *)row;                                                               \
        for (int32_t i = 0; i < n; ++i)                                                            \
            idx[i] = i;                                                                            \
        /* Bottom-up merge sort: stable, O(n log n), no recursion. */                              \
        int32_t *src = idx, *dst = tmp;                                                            \
        for (int32_t w = 1; w < n; w *= 2, src = src == idx ? tmp : idx,                           \
                     dst = dst == idx ? tmp : idx) {                                               \
            for (int32_t lo = 0; lo < n; lo += 2 * w) {                                            \
                int32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;       \
                int32_t i = lo, j = mid, o = lo;                                                   \
                while (i < mid && j < hi)                                                          \
                    dst[o++] = BEFORE(T, v, src[j], src[i]) ? src[j++] : src[i++];                 \
                while (i < mid)                                                                    \
                    dst[o++] = src[i++];                                                           \
                while (j < hi)                                                                     \
                    dst[o++] = src[j++];                                                           \
            }                                                                                      \
        }                                                                                          \
        sorted = src;                                                                              \
    } while (0)

static tfl_status topk_eval(tfl__ctx *ctx, tfl__node *node)
{
    topk_data *d = node->data;
    tfl_status s;
    if (d->dynamic && (s = shape_outputs(ctx, node, d, TFL_ERROR_RUNTIME)) != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *values = tfl__output(ctx, node, 0), *indices = tfl__output(ctx, node, 1);
    const int32_t n = in->dims[in->ndim - 1], k = d->k;
    if (n == 0)
        return TFL_OK;
    const size_t rows = tfl__num_elements(in) / (size_t)n, es = tfl_type_size(in->type);
    int32_t *idx = ctx->scratch, *tmp = idx + n;
    for (size_t r = 0; r < rows; ++r) {
        const uint8_t *row = in->data + r * (size_t)n * es;
        const int32_t *sorted = idx;
        switch (in->type) {
        case TFL_FLOAT32: SORT_ROW(float); break;
        case TFL_UINT8: SORT_ROW(uint8_t); break;
        case TFL_INT8: SORT_ROW(int8_t); break;
        case TFL_INT16: SORT_ROW(int16_t); break;
        case TFL_INT32: SORT_ROW(int32_t); break;
        default: SORT_ROW(int64_t); break;
        }
        int32_t *oi = (int32_t *)(void *)indices->data + r * (size_t)k;
        uint8_t *ov = values->data + r * (size_t)k * es;
        for (int32_t i = 0; i < k; ++i) {
            oi[i] = sorted[i];
            memcpy(ov + (size_t)i * es, row + (size_t)sorted[i] * es, es);
        }
    }
    return TFL_OK;
}

const tfl__op tfl__op_top_k_v2 = {
    .builtin_code = 48,
    .min_version = 1,
    .max_version = 3,
    .init = topk_init,
    .prepare = topk_prepare,
    .eval = topk_eval,
    .free = free,
};
