/* SLICE (65): the box [begin, begin + size) of the input, size -1 meaning
 * "to the end" of that dimension, begin and size int32 or int64 vectors of
 * the input's rank (up to 5, as TFLite). Any fixed-size type, copied
 * (quantization kept). The output shape is set at prepare when begin and
 * size are constants, else at eval. Runs on STRIDED_SLICE's kernel. */
#include <stdlib.h>

#include "ops/shape_common.h"
#include "ops/strided_slice/strided_slice.h"

#define MAX_RANK 5

typedef struct slice_data {
    tfl_strided_slice_params p;
    bool dynamic;
} slice_data;

static tfl_status slice_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(slice_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

/* Reads begin and size, checks the box, sets the output shape and the walk. */
static tfl_status plan(tfl__ctx *ctx, tfl__node *node, slice_data *d)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0), *begin = tfl__input(ctx, node, 1);
    const tfl_tensor *size = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const tfl_status bad = tfl__data_status(tfl__is_const(begin) ? size : begin);
    int32_t dims[TFL_MAX_DIMS];
    tfl_strided_slice_params *p = &d->p;
    int64_t base = 0, stride = 1;
    for (int k = in->ndim - 1; k >= 0; --k) {
        const int64_t b = tfl__int_at(begin, (size_t)k), s = tfl__int_at(size, (size_t)k);
        const int64_t n = in->dims[k];
        const int64_t len = s == -1 ? n - b : s;
        if (b < 0 || b > n || len < 0 || len > n - b)
            return tfl__op_fail(ctx, node, bad,
                                "begin %lld and size %lld do not fit dimension %d of size %lld",
                                (long long)b, (long long)s, k, (long long)n);
        dims[k] = (int32_t)len;
        p->count[k] = (int32_t)len;
        p->step[k] = stride;
        base += b * stride;
        stride *= n;
    }
    p->ndim = in->ndim > 0 ? in->ndim : 1;
    if (in->ndim == 0) {
        p->count[0] = 1;
        p->step[0] = 1;
    }
    p->base = base;
    return tfl__resize(ctx, node, out, dims, in->ndim);
}

static tfl_status slice_prepare(tfl__ctx *ctx, tfl__node *node)
{
    slice_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 3, 3, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *begin = tfl__input(ctx, node, 1);
    const tfl_tensor *size = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    const unsigned idx = 1u << TFL_INT32 | 1u << TFL_INT64;
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, begin, "begin", idx)) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, size, "size", idx)) != TFL_OK)
        return s;
    if (in->ndim > MAX_RANK)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input rank %d, at most %d supported (as TFLite)", in->ndim, MAX_RANK);
    if (begin->ndim != 1 || size->ndim != 1 || begin->dims[0] != in->ndim ||
        size->dims[0] != in->ndim)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "begin and size must be vectors of the input's rank %d", in->ndim);
    d->p.esize = tfl_type_size(in->type);
    d->dynamic = !tfl__is_const(begin) || !tfl__is_const(size);
    if (d->dynamic) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return plan(ctx, node, d);
}

static tfl_status slice_eval(tfl__ctx *ctx, tfl__node *node)
{
    slice_data *d = node->data;
    tfl_status s;
    if (d->dynamic && (s = plan(ctx, node, d)) != TFL_OK)
        return s;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (out->bytes == 0)
        return TFL_OK;
    tfl__strided_slice_run(ctx, &d->p, tfl__input(ctx, node, 0)->data, out->data);
    return TFL_OK;
}

const tfl__op tfl__op_slice = {
    .builtin_code = 65,
    .min_version = 1,
    .max_version = 6,
    .init = slice_init,
    .prepare = slice_prepare,
    .eval = slice_eval,
    .free = free,
};
