/* EMBEDDING_LOOKUP (builtin 7): output row i is row ids[i] of the table
 * (int32 ids, a table of rank >= 2). A table of any fixed-size type is
 * copied as is into an output of its type; an int8/uint8 table with a
 * float32 or float16 output is dequantized ("hybrid"), one scale per tensor or per row
 * (quantized_dimension 0), zero points 0. An id outside the table is a
 * runtime error found before anything is written. */
#include <string.h>

#include "ops/op.h"
#include "ops/shape_common.h"

/* The hybrid row: TFLite reads the table through an int8 pointer whatever
 * its type, so uint8 entries above 127 count as negative there, and so they
 * do here (real = (int8)q * scale, in float). */
static void dequantize_row(const uint8_t *row, size_t n, float scale, float *out)
{
    for (size_t j = 0; j < n; ++j)
        out[j] = (float)(int8_t)row[j] * scale;
}

/* float to IEEE half, rounding to nearest even (TFLite's half type: NaN
 * becomes the quiet NaN 0x7e00, 65520 and up infinity). */
static uint16_t to_half(float f)
{
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    const uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    x &= 0x7fffffffu;
    if (x > 0x7f800000u)
        return sign | 0x7e00;
    if (x >= 0x477ff000u)
        return sign | 0x7c00;
    uint32_t r, rem, half;
    if (x < 0x38800000u) { /* a half subnormal: units of 2^-24 */
        if (x <= 0x33000000u)
            return sign; /* at most 2^-25: to zero (the tie goes to even 0) */
        const uint32_t mant = (x & 0x7fffffu) | 0x800000u, shift = 126 - (x >> 23);
        r = mant >> shift;
        rem = mant & ((1u << shift) - 1);
        half = 1u << (shift - 1);
    } else { /* rebias the exponent from 127 to 15, drop 13 mantissa bits */
        const uint32_t base = x - 0x38000000u;
        r = base >> 13;
        rem = base & 0x1fffu;
        half = 0x1000u;
    }
    if (rem > half || (rem == half && (r & 1)))
        ++r;
    return sign | (uint16_t)r;
}

static tfl_status prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *ids = tfl__input(ctx, node, 0), *table = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    char b[64];
    if ((s = tfl__check_type(ctx, node, ids, "ids", TFL_INT32)) != TFL_OK)
        return s;
    if (ids->ndim != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "ids must be a vector, got %s",
                            tfl__describe(ids, b, sizeof b));
    if (!table)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "table is missing");
    if ((s = tfl__check_movable(ctx, node, table, "table")) != TFL_OK)
        return s;
    if (table->ndim < 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "table must have rank >= 2, got %s",
                            tfl__describe(table, b, sizeof b));
    const bool hybrid = table->type != out->type;
    if (hybrid) {
        if ((table->type != TFL_INT8 && table->type != TFL_UINT8) ||
            (out->type != TFL_FLOAT32 && out->type != TFL_FLOAT16))
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "table type %s with output type %s not supported (same types, "
                                "or an int8/uint8 table with a float32/float16 output)",
                                tfl_type_name(table->type), tfl_type_name(out->type));
        /* The per-tensor scale (0 when unquantized, as in TFLite) or one per row. */
        const tfl_quantization *q = &table->quant;
        if (q->count > 0 && q->zero_points[0] != 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "hybrid lookup needs zero point 0, table has %lld",
                                (long long)q->zero_points[0]);
        if (q->count > 1) {
            if (q->quantized_dimension != 0 || q->count != table->dims[0])
                return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                    "per-channel table needs one scale per row along dimension "
                                    "0 (%d rows), got %d along dimension %d",
                                    table->dims[0], q->count, q->quantized_dimension);
        }
    } else if (table->quant.count > 1) {
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "a per-channel table needs a float32/float16 output, got %s",
                            tfl_type_name(out->type));
    }
    int32_t dims[TFL_MAX_DIMS];
    memcpy(dims, table->dims, sizeof(int32_t) * (size_t)table->ndim);
    dims[0] = ids->dims[0];
    return tfl__resize(ctx, node, out, dims, table->ndim);
}

static tfl_status eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *ids = tfl__input(ctx, node, 0), *table = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t n = (size_t)ids->dims[0], rows = (size_t)table->dims[0];
    const size_t cols = tfl__dims_product(table->dims, 1, table->ndim);
    const int32_t *id = (const int32_t *)ids->data;
    for (size_t i = 0; i < n; ++i)
        if (id[i] < 0 || (size_t)id[i] >= rows)
            return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME,
                                "id %d (ids element %zu) is out of range [0, %zu)", id[i], i,
                                rows);
    if (table->type == out->type) {
        const size_t row_bytes = cols * tfl_type_size(table->type);
        for (size_t i = 0; i < n; ++i)
            memcpy(out->data + i * row_bytes, table->data + (size_t)id[i] * row_bytes, row_bytes);
        return TFL_OK;
    }
    const tfl_quantization *q = &table->quant;
    float *o = (float *)out->data;
    for (size_t i = 0; i < n; ++i) {
        const float scale = q->count > 1 ? q->scales[id[i]] : table->scale;
        const uint8_t *row = table->data + (size_t)id[i] * cols;
        if (out->type == TFL_FLOAT32) {
            dequantize_row(row, cols, scale, o + i * cols);
        } else {
            for (size_t j = 0; j < cols; ++j) {
                const uint16_t h = to_half((float)(int8_t)row[j] * scale);
                memcpy(out->data + (i * cols + j) * 2, &h, 2);
            }
        }
    }
    return TFL_OK;
}

const tfl__op tfl__op_embedding_lookup = {
    .builtin_code = 7,
    .min_version = 1,
    .max_version = 5,
    .prepare = prepare,
    .eval = eval,
};
