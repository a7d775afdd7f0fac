/* Helpers shared by the shape and data-movement ops: integer tensor reads,
 * axis normalization and the usual type/quantization checks. */
#include "ops/shape_common.h"

#include <string.h>

int64_t tfl__int_at(const tfl_tensor *t, size_t i)
{
    switch (t->type) {
    case TFL_INT8: return ((const int8_t *)t->data)[i];
    case TFL_INT16: {
        int16_t v;
        memcpy(&v, t->data + 2 * i, 2);
        return v;
    }
    case TFL_INT32: {
        int32_t v;
        memcpy(&v, t->data + 4 * i, 4);
        return v;
    }
    case TFL_INT64: {
        int64_t v;
        memcpy(&v, t->data + 8 * i, 8);
        return v;
    }
    default: return 0;
    }
}

tfl_status tfl__check_index_tensor(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                                   const char *role, unsigned types)
{
    if (!t)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is missing", role);
    if (!tfl__is_int_type(t->type) || !(types & (1u << t->type))) {
        /* "int32", "int32 or int64", "int16, int32 or int64" */
        static const tfl_type order[] = {TFL_INT8, TFL_INT16, TFL_INT32, TFL_INT64};
        const char *names[4];
        int n = 0;
        for (size_t k = 0; k < sizeof order / sizeof order[0]; ++k)
            if (types & (1u << order[k]))
                names[n++] = tfl_type_name(order[k]);
        char want[64] = "";
        for (int k = 0; k < n; ++k) {
            if (k > 0)
                strncat(want, k == n - 1 ? " or " : ", ", sizeof want - strlen(want) - 1);
            strncat(want, names[k], sizeof want - strlen(want) - 1);
        }
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "%s type %s not supported (expected %s)", role, tfl_type_name(t->type),
                            want);
    }
    return TFL_OK;
}

tfl_status tfl__read_scalar_i32(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                                const char *role, int32_t *v)
{
    char b[64];
    if (tfl__num_elements(t) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s %s must have one element", role,
                            tfl__describe(t, b, sizeof b));
    int64_t x = tfl__int_at(t, 0);
    if (x < INT32_MIN || x > INT32_MAX)
        return tfl__op_fail(ctx, node, tfl__data_status(t), "%s value %lld is out of range", role,
                            (long long)x);
    *v = (int32_t)x;
    return TFL_OK;
}

tfl_status tfl__normalize_axis(tfl__ctx *ctx, const tfl__node *node, tfl_status status,
                               const char *role, int32_t axis, int rank, int *out)
{
    if (axis < -rank || axis >= rank)
        return tfl__op_fail(ctx, node, status,
                            "%s %d is out of range for rank %d (expected %d to %d)", role,
                            (int)axis, rank, -rank, rank - 1);
    *out = axis < 0 ? axis + rank : axis;
    return TFL_OK;
}

tfl_status tfl__check_movable(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                              const char *role)
{
    if (tfl_type_size(t->type) == 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "%s type %s not supported", role,
                            tfl_type_name(t->type));
    return TFL_OK;
}

tfl_status tfl__check_same_type(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *a,
                                const char *a_role, const tfl_tensor *b, const char *b_role)
{
    if (a->type != b->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s type %s does not match %s type %s",
                            b_role, tfl_type_name(b->type), a_role, tfl_type_name(a->type));
    return TFL_OK;
}

tfl_status tfl__check_same_quant(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *a,
                                 const char *a_role, const tfl_tensor *b, const char *b_role)
{
    if (a->scale != b->scale || a->zero_point != b->zero_point)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%s quantization (scale %g, zero point %d) differs from %s (scale %g, "
                            "zero point %d)",
                            b_role, (double)b->scale, (int)b->zero_point, a_role, (double)a->scale,
                            (int)a->zero_point);
    return TFL_OK;
}

size_t tfl__dims_product(const int32_t *dims, int from, int to)
{
    size_t n = 1;
    for (int i = from; i < to; ++i)
        n *= (size_t)dims[i];
    return n;
}

size_t tfl__rows_per_chunk(size_t row_bytes)
{
    size_t target = 32 * 1024;
    if (row_bytes == 0 || row_bytes >= target)
        return 1;
    return target / row_bytes;
}

void tfl__copy_tensor_data(const tfl_tensor *in, tfl_tensor *out)
{
    if (out->data != in->data && in->bytes)
        memmove(out->data, in->data, in->bytes);
}
