/* SEGMENT_SUM (125) and UNSORTED_SEGMENT_SUM / _PROD / _MAX / _MIN (155,
 * 153, 154, 157): rows of the data (over the segment_ids' dimensions)
 * folded into the output row their id names, in order. SEGMENT_SUM's ids
 * are a vector starting at 0 that steps by 0 or 1 (as TFLite requires) and
 * give last id + 1 output rows; the unsorted ones take num_segments rows (a
 * scalar int32), need every id below it (as TFLite) and skip negative ids.
 * Rows no id names hold the fold's start: 0 for sums, 1 for products, the
 * type's lowest (highest) value for max (min). float32 and int32 (integer
 * sums and products wrap). The output shape is set at prepare when ids (and
 * num_segments) are constants, else at eval. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "ops/shape_common.h"

typedef enum { SEG_SUM, SEG_PROD, SEG_MAX, SEG_MIN } seg_op;

typedef struct seg_data {
    seg_op op;
    bool sorted; /* SEGMENT_SUM */
    int32_t rows_out;
} seg_data;

static seg_op op_of(int code)
{
    switch (code) {
    case 153: return SEG_PROD;
    case 154: return SEG_MAX;
    case 157: return SEG_MIN;
    default: return SEG_SUM;
    }
}

static tfl_status seg_init(tfl__ctx *ctx, tfl__node *node)
{
    seg_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->op = op_of(node->builtin_code);
    d->sorted = node->builtin_code == 125;
    return TFL_OK;
}

static bool all_const(tfl__ctx *ctx, const tfl__node *node)
{
    for (int i = 1; i < node->num_inputs; ++i)
        if (!tfl__is_const(tfl__input(ctx, node, i)))
            return false;
    return true;
}

/* Output rows from the ids (or num_segments), and the output shape. */
static tfl_status shape_out(tfl__ctx *ctx, tfl__node *node, seg_data *d, tfl_status bad)
{
    const tfl_tensor *data = tfl__input(ctx, node, 0), *ids = tfl__input(ctx, node, 1);
    const size_t n = tfl__num_elements(ids);
    const int32_t *id = (const int32_t *)(const void *)ids->data;
    tfl_status s;
    if (d->sorted) {
        /* As TFLite: 0, then each id the previous one or one more. */
        for (size_t i = 0; i < n; ++i)
            if (i == 0 ? id[0] != 0 : (id[i] != id[i - 1] && id[i] != id[i - 1] + 1))
                return tfl__op_fail(ctx, node, bad,
                                    "segment_ids must start at 0 and step by 0 or 1 (element "
                                    "%zu is %d)",
                                    i, (int)id[i]);
        d->rows_out = n ? id[n - 1] + 1 : 0;
    } else {
        if ((s = tfl__read_scalar_i32(ctx, node, tfl__input(ctx, node, 2), "num_segments",
                                      &d->rows_out)) != TFL_OK)
            return s;
        if (d->rows_out < 0)
            return tfl__op_fail(ctx, node, bad, "num_segments %d is negative",
                                (int)d->rows_out);
        for (size_t i = 0; i < n; ++i) /* as TFLite: every id below num_segments */
            if (id[i] >= d->rows_out)
                return tfl__op_fail(ctx, node, bad,
                                    "segment id %d (element %zu) is not below num_segments %d",
                                    (int)id[i], i, (int)d->rows_out);
    }
    int32_t dims[TFL_MAX_DIMS];
    const int rest = data->ndim - ids->ndim;
    dims[0] = d->rows_out;
    for (int i = 0; i < rest; ++i)
        dims[1 + i] = data->dims[ids->ndim + i];
    return tfl__resize(ctx, node, tfl__output(ctx, node, 0), dims, 1 + rest);
}

static tfl_status seg_prepare(tfl__ctx *ctx, tfl__node *node)
{
    seg_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, d->sorted ? 2 : 3, d->sorted ? 2 : 3, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *data = tfl__input(ctx, node, 0), *ids = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!data)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "data is missing");
    if (data->type != TFL_FLOAT32 && data->type != TFL_INT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int32)", tfl_type_name(data->type));
    if ((s = tfl__check_same_type(ctx, node, data, "data", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, ids, "segment_ids", 1u << TFL_INT32)) != TFL_OK)
        return s;
    if (!d->sorted && (s = tfl__check_index_tensor(ctx, node, tfl__input(ctx, node, 2),
                                                   "num_segments", 1u << TFL_INT32)) != TFL_OK)
        return s;
    if (d->sorted && ids->ndim != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "segment_ids must be a vector");
    if (ids->ndim > data->ndim || data->ndim < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "segment_ids must cover data's leading dimensions");
    for (int i = 0; i < ids->ndim; ++i)
        if (ids->dims[i] != data->dims[i])
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "segment_ids dimension %d is %d, data's %d", i,
                                (int)ids->dims[i], (int)data->dims[i]);
    if (!all_const(ctx, node)) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return shape_out(ctx, node, d, TFL_ERROR_BAD_MODEL);
}

#define FOLD(T, LOWEST, HIGHEST)                                                                   \
    do {                                                                                           \
        const T *x = (const T *)(const void *)data->data;                                          \
        T *o = (T *)(void *)out->data;                                                             \
        const T start = d->op == SEG_SUM ? (T)0 : d->op == SEG_PROD ? (T)1                         \
                        : d->op == SEG_MAX ? LOWEST : HIGHEST;                                     \
        for (size_t i = 0; i < (size_t)d->rows_out * inner; ++i)                                   \
            o[i] = start;                                                                          \
        for (size_t r = 0; r < rows_in; ++r) {                                                     \
            const int32_t s_ = id[r];                                                              \
            if (s_ < 0 || s_ >= d->rows_out)                                                       \
                continue;                                                                          \
            T *dst = o + (size_t)s_ * inner;                                                       \
            const T *src = x + r * inner;                                                          \
            for (size_t j = 0; j < inner; ++j)                                                     \
                dst[j] = COMBINE(T, dst[j], src[j]);                                               \
        }                                                                                          \
    } while (0)

static float combine_f32(seg_op op, float a, float b)
{
    switch (op) {
    case SEG_SUM: return a + b;
    case SEG_PROD: return a * b;
    case SEG_MAX: return b > a ? b : a;
    default: return b < a ? b : a;
    }
}

static int32_t combine_s32(seg_op op, int32_t a, int32_t b)
{
    switch (op) {
    case SEG_SUM: return (int32_t)((uint32_t)a + (uint32_t)b);
    case SEG_PROD: return (int32_t)((uint32_t)a * (uint32_t)b);
    case SEG_MAX: return b > a ? b : a;
    default: return b < a ? b : a;
    }
}

static tfl_status seg_eval(tfl__ctx *ctx, tfl__node *node)
{
    seg_data *d = node->data;
    tfl_status s;
    if (!all_const(ctx, node) && (s = shape_out(ctx, node, d, TFL_ERROR_RUNTIME)) != TFL_OK)
        return s;
    const tfl_tensor *data = tfl__input(ctx, node, 0), *ids = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const int32_t *id = (const int32_t *)(const void *)ids->data;
    const size_t rows_in = tfl__num_elements(ids);
    const size_t inner = tfl__dims_product(data->dims, ids->ndim, data->ndim);
    if (data->type == TFL_FLOAT32) {
#define COMBINE(T, a, b) combine_f32(d->op, a, b)
        FOLD(float, -FLT_MAX, FLT_MAX);
#undef COMBINE
    } else {
#define COMBINE(T, a, b) combine_s32(d->op, a, b)
        FOLD(int32_t, INT32_MIN, INT32_MAX);
#undef COMBINE
    }
    return TFL_OK;
}

#define SEG_OP(NAME, CODE)                                                                         \
    const tfl__op tfl__op_##NAME = {                                                               \
        .builtin_code = CODE,                                                                      \
        .min_version = 1,                                                                          \
        .max_version = 1,                                                                          \
        .init = seg_init,                                                                          \
        .prepare = seg_prepare,                                                                    \
        .eval = seg_eval,                                                                          \
        .free = free,                                                                              \
    };

SEG_OP(segment_sum, 125)
SEG_OP(unsorted_segment_sum, 155)
SEG_OP(unsorted_segment_prod, 153)
SEG_OP(unsorted_segment_max, 154)
SEG_OP(unsorted_segment_min, 157)
