/* RANGE (96): start, start + delta, ... while short of limit, for int32,
 * int64 or float32 scalars of one type. As TFLite: delta must be nonzero and
 * point from start towards limit; the count is ceil(|limit - start| /
 * |delta|) (in integers for the integer types); each value adds delta to
 * the previous one (so float values accumulate rounding as TFLite's do). The
 * output length is fixed at prepare for constant inputs, else at eval. */
#include <math.h>
#include <stdlib.h>

#include "ops/shape_common.h"

static double scalar(const tfl_tensor *t)
{
    switch (t->type) {
    case TFL_INT32: return (double)*(const int32_t *)t->data;
    case TFL_INT64: return (double)*(const int64_t *)t->data;
    default: return (double)*(const float *)t->data;
    }
}

/* The element count, or -1 with the message set. */
static int64_t count(tfl__ctx *ctx, const tfl__node *node, tfl_status bad, tfl_status *st)
{
    const tfl_tensor *t0 = tfl__input(ctx, node, 0), *t1 = tfl__input(ctx, node, 1);
    const tfl_tensor *t2 = tfl__input(ctx, node, 2);
    int64_t n;
    bool ok;
    if (t0->type == TFL_FLOAT32) {
        const float start = *(const float *)t0->data, limit = *(const float *)t1->data;
        const float delta = *(const float *)t2->data;
        ok = delta != 0.0f && ((start >= limit && delta < 0) || (start <= limit && delta > 0));
        const float c = ceilf(fabsf((limit - start) / delta));
        ok = ok && c < 2147483648.0f;
        n = ok ? (int64_t)c : 0;
    } else {
        const int64_t start = t0->type == TFL_INT32 ? *(const int32_t *)t0->data
                                                    : *(const int64_t *)t0->data;
        const int64_t limit = t0->type == TFL_INT32 ? *(const int32_t *)t1->data
                                                    : *(const int64_t *)t1->data;
        const int64_t delta = t0->type == TFL_INT32 ? *(const int32_t *)t2->data
                                                    : *(const int64_t *)t2->data;
        ok = delta != 0 && ((start >= limit && delta < 0) || (start <= limit && delta > 0)) &&
             delta != INT64_MIN;
        if (ok) {
            const uint64_t span = start < limit ? (uint64_t)limit - (uint64_t)start
                                                : (uint64_t)start - (uint64_t)limit;
            const uint64_t step = delta < 0 ? (uint64_t)-delta : (uint64_t)delta;
            const uint64_t c = span / step + (span % step != 0);
            ok = c < ((uint64_t)1 << 31);
            n = (int64_t)c;
        } else {
            n = 0;
        }
    }
    if (!ok) {
        *st = tfl__op_fail(ctx, node, bad,
                           "start %g, limit %g, delta %g: delta must be nonzero, point towards "
                           "limit, and give fewer than 2^31 values",
                           scalar(t0), scalar(t1), scalar(t2));
        return -1;
    }
    return n;
}

static tfl_status resize_out(tfl__ctx *ctx, tfl__node *node, tfl_status bad)
{
    tfl_status s = TFL_OK;
    const int64_t n = count(ctx, node, bad, &s);
    if (n < 0)
        return s;
    const int32_t dims[1] = {(int32_t)n};
    return tfl__resize(ctx, node, tfl__output(ctx, node, 0), dims, 1);
}

static bool all_const(tfl__ctx *ctx, const tfl__node *node)
{
    for (int i = 0; i < 3; ++i)
        if (!tfl__is_const(tfl__input(ctx, node, i)))
            return false;
    return true;
}

static tfl_status range_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 3, 3, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in[3];
    static const char *const roles[3] = {"start", "limit", "delta"};
    for (int i = 0; i < 3; ++i) {
        in[i] = tfl__input(ctx, node, i);
        if (!in[i])
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is missing", roles[i]);
        if (tfl__num_elements(in[i]) != 1 || in[i]->ndim > 1)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s must be a scalar", roles[i]);
    }
    if (in[0]->type != TFL_INT32 && in[0]->type != TFL_INT64 && in[0]->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (int32, int64, float32)",
                            tfl_type_name(in[0]->type));
    for (int i = 1; i < 3; ++i)
        if ((s = tfl__check_same_type(ctx, node, in[0], "start", in[i], roles[i])) != TFL_OK)
            return s;
    if ((s = tfl__check_same_type(ctx, node, in[0], "start", tfl__output(ctx, node, 0),
                                  "output")) != TFL_OK)
        return s;
    if (!all_const(ctx, node)) {
        tfl__set_dynamic(tfl__output(ctx, node, 0));
        return TFL_OK;
    }
    return resize_out(ctx, node, TFL_ERROR_BAD_MODEL);
}

#define FILL_RANGE(T)                                                                              \
    do {                                                                                           \
        T value = *(const T *)t0->data;                                                            \
        const T delta = *(const T *)t2->data;                                                      \
        T *o = (T *)(void *)out->data;                                                             \
        for (size_t i = 0; i < n; ++i) {                                                           \
            o[i] = value;                                                                          \
            value = (T)(value + delta);                                                            \
        }                                                                                          \
    } while (0)

static tfl_status range_eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s;
    if (!all_const(ctx, node) && (s = resize_out(ctx, node, TFL_ERROR_RUNTIME)) != TFL_OK)
        return s;
    const tfl_tensor *t0 = tfl__input(ctx, node, 0), *t2 = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t n = tfl__num_elements(out);
    switch (out->type) {
    case TFL_INT32: {
        /* In unsigned arithmetic: the last step past limit may leave int32. */
        uint32_t value = (uint32_t)*(const int32_t *)t0->data;
        const uint32_t delta = (uint32_t)*(const int32_t *)t2->data;
        int32_t *o = (int32_t *)(void *)out->data;
        for (size_t i = 0; i < n; ++i, value += delta)
            o[i] = (int32_t)value;
        break;
    }
    case TFL_INT64: {
        uint64_t value = (uint64_t)*(const int64_t *)t0->data;
        const uint64_t delta = (uint64_t)*(const int64_t *)t2->data;
        int64_t *o = (int64_t *)(void *)out->data;
        for (size_t i = 0; i < n; ++i, value += delta)
            o[i] = (int64_t)value;
        break;
    }
    default: FILL_RANGE(float); break;
    }
    return TFL_OK;
}

const tfl__op tfl__op_range = {
    .builtin_code = 96,
    .min_version = 1,
    .max_version = 2,
    .prepare = range_prepare,
    .eval = range_eval,
};
