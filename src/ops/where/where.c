/* WHERE (109): the coordinates of the true (nonzero) elements of the input,
 * an int64 [count, rank] matrix in row-major order. bool, float32, uint8,
 * int8, int32, int64 inputs; the count is known only at eval, so the output
 * is dynamic. */
#include <stdlib.h>
#include <string.h>

#include "ops/shape_common.h"

static bool nonzero(const tfl_tensor *t, size_t i)
{
    switch (t->type) {
    case TFL_FLOAT32: return ((const float *)(const void *)t->data)[i] != 0.0f;
    case TFL_INT32: return ((const int32_t *)(const void *)t->data)[i] != 0;
    case TFL_INT64: return ((const int64_t *)(const void *)t->data)[i] != 0;
    default: return t->data[i] != 0; /* bool, uint8, int8 */
    }
}

static tfl_status where_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    switch (in->type) {
    case TFL_BOOL: case TFL_FLOAT32: case TFL_UINT8: case TFL_INT8: case TFL_INT32:
    case TFL_INT64: break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (bool, float32, uint8, int8, int32, int64)",
                            tfl_type_name(in->type));
    }
    if ((s = tfl__check_type(ctx, node, out, "output", TFL_INT64)) != TFL_OK)
        return s;
    tfl__set_dynamic(out);
    return TFL_OK;
}

static tfl_status where_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t n = tfl__num_elements(in);
    size_t count = 0;
    for (size_t i = 0; i < n; ++i)
        count += nonzero(in, i);
    const int32_t dims[2] = {(int32_t)count, in->ndim};
    tfl_status s = tfl__resize(ctx, node, out, dims, 2);
    if (s != TFL_OK)
        return s;
    int64_t *o = (int64_t *)(void *)out->data;
    int32_t coord[TFL_MAX_DIMS] = {0};
    for (size_t i = 0; i < n; ++i) {
        if (nonzero(in, i))
            for (int d = 0; d < in->ndim; ++d)
                *o++ = coord[d];
        for (int d = in->ndim - 1; d >= 0; --d) {
            if (++coord[d] < in->dims[d])
                break;
            coord[d] = 0;
        }
    }
    return TFL_OK;
}

const tfl__op tfl__op_where = {
    .builtin_code = 109,
    .min_version = 1,
    .max_version = 2,
    .prepare = where_prepare,
    .eval = where_eval,
};
