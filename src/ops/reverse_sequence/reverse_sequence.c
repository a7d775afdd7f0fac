/* REVERSE_SEQUENCE (112): for every batch b (along batch_dim), the first
 * seq_lengths[b] elements along seq_dim in reverse order, the rest as they
 * are. float32, uint8, int16, int32, int64 (TFLite's list: no int8), int32
 * or int64 lengths. As TFLite: seq_dim and batch_dim are non-negative and
 * distinct (no counting from the back), a length below 1 leaves its batch as
 * it is. TFLite checks only the first length against the sequence size and
 * writes out of bounds for a later one that is too long; tfl refuses every
 * length above the size. */
#include <stdlib.h>
#include <string.h>

#include "ops/shape_common.h"

typedef struct revseq_data {
    int seq_dim, batch_dim;
} revseq_data;

static tfl_status revseq_init(tfl__ctx *ctx, tfl__node *node)
{
    revseq_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->seq_dim = tfl__fb_i32(&node->options, 0, 0);
    d->batch_dim = tfl__fb_i32(&node->options, 1, 0);
    return TFL_OK;
}

/* Fails when a length exceeds the sequence size (status: bad model for a
 * constant, runtime error for a computed tensor). */
static tfl_status check_lengths(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *len,
                                int64_t size)
{
    for (size_t i = 0; i < tfl__num_elements(len); ++i) {
        const int64_t v = tfl__int_at(len, i);
        if (v > size)
            return tfl__op_fail(ctx, node, tfl__data_status(len),
                                "seq_lengths[%zu] = %lld exceeds the size %lld of seq_dim", i,
                                (long long)v, (long long)size);
    }
    return TFL_OK;
}

static tfl_status revseq_prepare(tfl__ctx *ctx, tfl__node *node)
{
    const revseq_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *len = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if (in->type != TFL_FLOAT32 && in->type != TFL_UINT8 && in->type != TFL_INT16 &&
        in->type != TFL_INT32 && in->type != TFL_INT64)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, uint8, int16, int32, int64)",
                            tfl_type_name(in->type));
    if ((s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, len, "seq_lengths",
                                     1u << TFL_INT32 | 1u << TFL_INT64)) != TFL_OK)
        return s;
    if (len->ndim != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "seq_lengths must be a vector");
    if (d->seq_dim < 0 || d->seq_dim >= in->ndim || d->batch_dim < 0 || d->batch_dim >= in->ndim ||
        d->seq_dim == d->batch_dim)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "seq_dim %d and batch_dim %d must be distinct dimensions in [0, %d)",
                            d->seq_dim, d->batch_dim, in->ndim);
    if (len->dims[0] != in->dims[d->batch_dim])
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "seq_lengths has %d elements, batch_dim has size %d", len->dims[0],
                            in->dims[d->batch_dim]);
    if (tfl__is_const(len) && (s = check_lengths(ctx, node, len, in->dims[d->seq_dim])) != TFL_OK)
        return s;
    return tfl__resize(ctx, node, out, in->dims, in->ndim);
}

static tfl_status revseq_eval(tfl__ctx *ctx, tfl__node *node)
{
    const revseq_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *len = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const int sd = d->seq_dim, bd = d->batch_dim, last = sd > bd ? sd : bd;
    const int64_t n_seq = in->dims[sd];
    tfl_status s;
    if (!tfl__is_const(len) && (s = check_lengths(ctx, node, len, n_seq)) != TFL_OK)
        return s;
    if (out->bytes == 0)
        return TFL_OK;
    /* Rows: every index over dims [0, last]; each moves the contiguous chunk
     * of the dims after. Strides of seq and batch in rows. */
    const size_t chunk = tfl__dims_product(in->dims, last + 1, in->ndim) * tfl_type_size(in->type);
    const size_t rows = tfl__dims_product(in->dims, 0, last + 1);
    const size_t s_stride = tfl__dims_product(in->dims, sd + 1, last + 1);
    const size_t b_stride = tfl__dims_product(in->dims, bd + 1, last + 1);
    const size_t n_batch = (size_t)in->dims[bd];
    const uint8_t *x = in->data;
    uint8_t *y = out->data;
    for (size_t r = 0; r < rows; ++r) {
        const int64_t j = (int64_t)((r / s_stride) % (size_t)n_seq);
        const int64_t l = tfl__int_at(len, (r / b_stride) % n_batch);
        size_t to = r;
        if (j < l) /* reversed: position l - 1 - j of the same row otherwise */
            to = r - (size_t)j * s_stride + (size_t)(l - 1 - j) * s_stride;
        memcpy(y + to * chunk, x + r * chunk, chunk);
    }
    return TFL_OK;
}

const tfl__op tfl__op_reverse_sequence = {
    .builtin_code = 112,
    .min_version = 1,
    .max_version = 1,
    .init = revseq_init,
    .prepare = revseq_prepare,
    .eval = revseq_eval,
    .free = free,
};
