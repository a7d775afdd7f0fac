/* CUMSUM (128): running sums along a constant scalar int32 axis, float32,
 * int32 or int64; options exclusive (0: the sum before each element) and
 * reverse (1: from the end). Sums in order, as TFLite; integers wrap. */
#include <stdlib.h>
#include <string.h>

#include "ops/shape_common.h"

typedef struct cumsum_data {
    bool exclusive, reverse;
    int axis;
} cumsum_data;

static tfl_status cumsum_init(tfl__ctx *ctx, tfl__node *node)
{
    cumsum_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->exclusive = tfl__fb_u8(&node->options, 0, 0) != 0;
    d->reverse = tfl__fb_u8(&node->options, 1, 0) != 0;
    return TFL_OK;
}

static tfl_status cumsum_prepare(tfl__ctx *ctx, tfl__node *node)
{
    cumsum_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *axis = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if (in->type != TFL_FLOAT32 && in->type != TFL_INT32 && in->type != TFL_INT64)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int32, int64)",
                            tfl_type_name(in->type));
    if ((s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, axis, "axis", 1u << TFL_INT32)) != TFL_OK)
        return s;
    if (!tfl__is_const(axis))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "axis must be a constant tensor");
    int32_t a;
    if ((s = tfl__read_scalar_i32(ctx, node, axis, "axis", &a)) != TFL_OK ||
        (s = tfl__normalize_axis(ctx, node, TFL_ERROR_BAD_MODEL, "axis", a, in->ndim, &d->axis)) !=
            TFL_OK)
        return s;
    return tfl__resize(ctx, node, out, in->dims, in->ndim);
}

#define CUMSUM(T, ACC, INIT)                                                                       \
    do {                                                                                           \
        const T *x = (const T *)(const void *)in->data;                                            \
        T *o = (T *)(void *)out->data;                                                             \
        for (size_t a = 0; a < outer; ++a)                                                         \
            for (size_t b = 0; b < inner; ++b) {                                                   \
                ACC acc = INIT;                                                                    \
                for (size_t k = 0; k < n; ++k) {                                                   \
                    const size_t j = d->reverse ? n - 1 - k : k;                                   \
                    const size_t at = (a * n + j) * inner + b;                                     \
                    if (d->exclusive) {                                                            \
                        o[at] = (T)acc;                                                            \
                        acc += (ACC)x[at];                                                         \
                    } else {                                                                       \
                        acc += (ACC)x[at];                                                         \
                        o[at] = (T)acc;                                                            \
                    }                                                                              \
                }                                                                                  \
            }                                                                                      \
    } while (0)

static tfl_status cumsum_eval(tfl__ctx *ctx, tfl__node *node)
{
    const cumsum_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t outer = tfl__dims_product(in->dims, 0, d->axis);
    const size_t n = (size_t)in->dims[d->axis];
    const size_t inner = tfl__dims_product(in->dims, d->axis + 1, in->ndim);
    switch (in->type) {
    case TFL_FLOAT32: CUMSUM(float, float, 0.0f); break;
    case TFL_INT32: CUMSUM(int32_t, uint32_t, 0u); break;
    default: CUMSUM(int64_t, uint64_t, 0u); break;
    }
    return TFL_OK;
}

const tfl__op tfl__op_cumsum = {
    .builtin_code = 128,
    .min_version = 1,
    .max_version = 1,
    .init = cumsum_init,
    .prepare = cumsum_prepare,
    .eval = cumsum_eval,
    .free = free,
};
