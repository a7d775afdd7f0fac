/* HASHTABLE_LOOKUP (builtin 10): for each int32 lookup key, the row of
 * `values` whose entry in the sorted int32 `keys` equals it (zeros when
 * none), and hits[i] = 1 or 0 (uint8). Values of any fixed-size type;
 * string tables are not supported. */
#include <string.h>

#include "ops/op.h"
#include "ops/shape_common.h"

/* TFLite searches with the C library's bsearch; glibc's halving is
 * reproduced so that an unsorted table finds what TFLite finds. Its
 * comparator subtracts the keys, which the compiled kernel evaluates as a
 * true comparison (keys 2^31 apart are found: measured), so compare here.
 * Returns the row, or -1. */
static int32_t find(const int32_t *keys, size_t n, int32_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        if (key < keys[mid])
            hi = mid;
        else if (key > keys[mid])
            lo = mid + 1;
        else
            return (int32_t)mid;
    }
    return -1;
}

static tfl_status prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 3, 3, 2);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *look = tfl__input(ctx, node, 0), *keys = tfl__input(ctx, node, 1);
    const tfl_tensor *val = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0), *hits = tfl__output(ctx, node, 1);
    char b1[64], b2[64];
    if ((s = tfl__check_type(ctx, node, look, "lookup", TFL_INT32)) != TFL_OK ||
        (s = tfl__check_type(ctx, node, keys, "keys", TFL_INT32)) != TFL_OK ||
        (s = tfl__check_type(ctx, node, hits, "hits", TFL_UINT8)) != TFL_OK)
        return s;
    if (!val)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "values is missing");
    if (val->type == TFL_STRING)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "string values not supported");
    if ((s = tfl__check_movable(ctx, node, val, "values")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, val, "values", out, "output")) != TFL_OK)
        return s;
    if (look->ndim != 1 || keys->ndim != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s must be a vector, got %s",
                            look->ndim != 1 ? "lookup" : "keys",
                            tfl__describe(look->ndim != 1 ? look : keys, b1, sizeof b1));
    if (val->ndim < 1 || val->dims[0] != keys->dims[0])
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "values %s must have one row per key (keys %s)",
                            tfl__describe(val, b1, sizeof b1), tfl__describe(keys, b2, sizeof b2));
    if (val->dims[0] == 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the table is empty");
    int32_t dims[TFL_MAX_DIMS];
    memcpy(dims, val->dims, sizeof(int32_t) * (size_t)val->ndim);
    dims[0] = look->dims[0];
    if ((s = tfl__resize(ctx, node, out, dims, val->ndim)) != TFL_OK)
        return s;
    return tfl__resize(ctx, node, hits, dims, 1);
}

static tfl_status eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *look = tfl__input(ctx, node, 0), *keys = tfl__input(ctx, node, 1);
    const tfl_tensor *val = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0), *hits = tfl__output(ctx, node, 1);
    const size_t n = (size_t)look->dims[0], rows = (size_t)keys->dims[0];
    const size_t row = tfl__dims_product(val->dims, 1, val->ndim) * tfl_type_size(val->type);
    const int32_t *l = (const int32_t *)look->data;
    for (size_t i = 0; i < n; ++i) {
        const int32_t r = find((const int32_t *)keys->data, rows, l[i]);
        if (r < 0)
            memset(out->data + i * row, 0, row);
        else
            memcpy(out->data + i * row, val->data + (size_t)r * row, row);
        hits->data[i] = r >= 0;
    }
    return TFL_OK;
}

const tfl__op tfl__op_hashtable_lookup = {
    .builtin_code = 10,
    .min_version = 1,
    .max_version = 1,
    .prepare = prepare,
    .eval = eval,
};
