/* SPARSE_TO_DENSE (builtin 68): an output of `output_shape` (at most 4-D)
 * filled with `default_value`, then values[i] (or the scalar value) written
 * at indices[i]: a scalar or vector of indices into a vector output, or an
 * [n, rank] matrix of coordinates. Later duplicates win. An index outside
 * the output is an error at invoke (TFLite fails too; its validate_indices
 * option is ignored there, and here). Values f32, s32, s64, s8, u8. */
#include <string.h>

#include "ops/op.h"
#include "ops/shape_common.h"

static tfl_status set_shape(tfl__ctx *ctx, tfl__node *node, tfl_status bad)
{
    const tfl_tensor *shape = tfl__input(ctx, node, 1);
    int32_t dims[4];
    const size_t n = tfl__num_elements(shape);
    for (size_t i = 0; i < n; ++i) {
        const int64_t v = tfl__int_at(shape, i);
        if (v < 0 || v > INT32_MAX)
            return tfl__op_fail(ctx, node, bad, "output_shape[%zu] is %lld: must be in [0, 2^31)",
                                i, (long long)v);
        dims[i] = (int32_t)v;
    }
    return tfl__resize(ctx, node, tfl__output(ctx, node, 0), dims, (int)n);
}

static tfl_status prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 4, 4, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *idx = tfl__input(ctx, node, 0), *shape = tfl__input(ctx, node, 1);
    const tfl_tensor *val = tfl__input(ctx, node, 2), *def = tfl__input(ctx, node, 3);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    char b1[64], b2[64];
    const unsigned i32_64 = 1u << TFL_INT32 | 1u << TFL_INT64;
    if ((s = tfl__check_index_tensor(ctx, node, idx, "indices", i32_64)) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, shape, "output_shape", i32_64)) != TFL_OK)
        return s;
    if (!val || !def)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is missing",
                            val ? "default_value" : "values");
    if (val->type != TFL_FLOAT32 && val->type != TFL_INT32 && val->type != TFL_INT64 &&
        val->type != TFL_INT8 && val->type != TFL_UINT8)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "values type %s not supported (float32, int32, int64, int8, uint8)",
                            tfl_type_name(val->type));
    if ((s = tfl__check_same_type(ctx, node, val, "values", def, "default_value")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, val, "values", out, "output")) != TFL_OK)
        return s;
    if (idx->ndim > 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "indices must be a scalar, vector or matrix, got %s",
                            tfl__describe(idx, b1, sizeof b1));
    if (shape->ndim != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output_shape must be a vector, got %s",
                            tfl__describe(shape, b1, sizeof b1));
    if (val->ndim > 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "values must be a scalar or vector, got %s",
                            tfl__describe(val, b1, sizeof b1));
    if (tfl__num_elements(def) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "default_value must have one element, got %s",
                            tfl__describe(def, b1, sizeof b1));
    const size_t rank = (size_t)shape->dims[0];
    const size_t count = idx->ndim < 2 ? tfl__num_elements(idx) : (size_t)idx->dims[0];
    if (idx->ndim < 2 ? rank != 1 : (size_t)idx->dims[1] != rank)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "indices %s do not fit output_shape %s (%s)",
                            tfl__describe(idx, b1, sizeof b1),
                            tfl__describe(shape, b2, sizeof b2),
                            idx->ndim < 2 ? "a scalar or vector of indices needs a 1-D output"
                                          : "a matrix needs one column per output dimension");
    if (rank > 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "output rank %zu not supported (at most 4)", rank);
    if (val->ndim == 1 && tfl__num_elements(val) != count)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "values %s must have one value per index (%zu), or be a scalar",
                            tfl__describe(val, b1, sizeof b1), count);
    if (!tfl__is_const(shape)) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return set_shape(ctx, node, TFL_ERROR_BAD_MODEL);
}

static tfl_status eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *idx = tfl__input(ctx, node, 0), *shape = tfl__input(ctx, node, 1);
    const tfl_tensor *val = tfl__input(ctx, node, 2), *def = tfl__input(ctx, node, 3);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    tfl_status s;
    if (!tfl__is_const(shape) && (s = set_shape(ctx, node, TFL_ERROR_RUNTIME)) != TFL_OK)
        return s;
    const int rank = out->ndim;
    const size_t count = idx->ndim < 2 ? tfl__num_elements(idx) : (size_t)idx->dims[0];
    /* Check every index before writing, so a bad one leaves nothing half done. */
    for (size_t i = 0; i < count; ++i)
        for (int d = 0; d < rank; ++d) {
            const int64_t v = tfl__int_at(idx, i * (size_t)rank + (size_t)d);
            if (v < 0 || v >= out->dims[d])
                return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME,
                                    "index %lld (indices row %zu, dimension %d) is out of "
                                    "range [0, %d)",
                                    (long long)v, i, d, out->dims[d]);
        }
    const size_t es = tfl_type_size(out->type), n = tfl__num_elements(out);
    for (size_t e = 0; e < n; ++e)
        memcpy(out->data + e * es, def->data, es);
    for (size_t i = 0; i < count; ++i) {
        size_t off = 0;
        for (int d = 0; d < rank; ++d)
            off = off * (size_t)out->dims[d] + (size_t)tfl__int_at(idx, i * (size_t)rank + (size_t)d);
        memcpy(out->data + off * es, val->data + (val->ndim == 0 ? 0 : i * es), es);
    }
    return TFL_OK;
}

const tfl__op tfl__op_sparse_to_dense = {
    .builtin_code = 68,
    .min_version = 1,
    .max_version = 3,
    .prepare = prepare,
    .eval = eval,
};
