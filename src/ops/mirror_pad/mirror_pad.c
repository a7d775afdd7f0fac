/* MIRROR_PAD (100): pads each dimension by mirroring the input at its
 * edges, REFLECT (mode 0: the edge itself not repeated; at most dim - 1 per
 * side) or SYMMETRIC (mode 1: the edge repeated; at most dim per side).
 * paddings: a constant [rank, 2] int32 or int64 tensor. Any fixed-size
 * type, copied. */
#include <stdlib.h>
#include <string.h>

#include "ops/shape_common.h"

typedef struct mirror_data {
    int mode; /* 0 REFLECT, 1 SYMMETRIC */
    int ndim;
    int32_t before[TFL_MAX_DIMS];
} mirror_data;

static tfl_status mirror_init(tfl__ctx *ctx, tfl__node *node)
{
    mirror_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->mode = tfl__fb_i8(&node->options, 0, 0);
    if (d->mode != 0 && d->mode != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "mode %d is neither REFLECT nor "
                            "SYMMETRIC", d->mode);
    return TFL_OK;
}

static tfl_status mirror_prepare(tfl__ctx *ctx, tfl__node *node)
{
    mirror_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *pads = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, pads, "paddings",
                                     1u << TFL_INT32 | 1u << TFL_INT64)) != TFL_OK)
        return s;
    if (!tfl__is_const(pads))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "paddings must be a constant tensor");
    if (pads->ndim != 2 || pads->dims[0] != in->ndim || pads->dims[1] != 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "paddings must be [%d, 2]",
                            in->ndim);
    int32_t dims[TFL_MAX_DIMS];
    d->ndim = in->ndim;
    for (int k = 0; k < in->ndim; ++k) {
        const int64_t lo = tfl__int_at(pads, (size_t)k * 2), hi = tfl__int_at(pads, (size_t)k * 2 + 1);
        const int64_t limit = d->mode == 0 ? in->dims[k] - 1 : in->dims[k];
        if (lo < 0 || hi < 0 || lo > limit || hi > limit)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "paddings %lld, %lld of dimension %d (size %d) must be in [0, %lld] "
                                "for %s",
                                (long long)lo, (long long)hi, k, (int)in->dims[k],
                                (long long)limit, d->mode == 0 ? "REFLECT" : "SYMMETRIC");
        d->before[k] = (int32_t)lo;
        dims[k] = (int32_t)(in->dims[k] + lo + hi);
    }
    return tfl__resize(ctx, node, out, dims, in->ndim);
}

/* The input index an output index o of a padded dimension reads. */
static int64_t source(int64_t o, int64_t before, int64_t n, int mode)
{
    int64_t i = o - before;
    if (i < 0)
        i = mode == 0 ? -i : -i - 1;
    else if (i >= n)
        i = mode == 0 ? 2 * n - 2 - i : 2 * n - 1 - i;
    return i;
}

static tfl_status mirror_eval(tfl__ctx *ctx, tfl__node *node)
{
    const mirror_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t es = tfl_type_size(in->type), total = tfl__num_elements(out);
    if (total == 0)
        return TFL_OK;
    size_t in_stride[TFL_MAX_DIMS];
    size_t st = 1;
    for (int k = d->ndim - 1; k >= 0; --k) {
        in_stride[k] = st;
        st *= (size_t)in->dims[k];
    }
    int32_t idx[TFL_MAX_DIMS] = {0};
    for (size_t o = 0; o < total; ++o) {
        size_t at = 0;
        for (int k = 0; k < d->ndim; ++k)
            at += (size_t)source(idx[k], d->before[k], in->dims[k], d->mode) * in_stride[k];
        memcpy(out->data + o * es, in->data + at * es, es);
        for (int k = d->ndim - 1; k >= 0; --k) {
            if (++idx[k] < out->dims[k])
                break;
            idx[k] = 0;
        }
    }
    return TFL_OK;
}

const tfl__op tfl__op_mirror_pad = {
    .builtin_code = 100,
    .min_version = 1,
    .max_version = 3,
    .init = mirror_init,
    .prepare = mirror_prepare,
    .eval = mirror_eval,
    .free = free,
};
