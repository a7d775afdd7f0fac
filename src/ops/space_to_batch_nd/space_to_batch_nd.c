/* SPACE_TO_BATCH_ND (builtin 38): moves block_shape blocks of spatial
 * positions into the batch, after padding the spatial dimensions. 3-D (NHC)
 * and 4-D (NHWC) inputs, as TFLite. The padding is the output zero point for
 * 8-bit types and zero otherwise. Computed block_shape or paddings make the
 * output sized at eval. */
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"
#include "ops/shape_common.h"
#include "ops/space_to_batch_nd/space_batch_common.h"
#include "ops/space_to_batch_nd/space_to_batch_nd.h"

/* Best first: a kernel serves element size `esize` (0: any); the reference
 * kernel is last and always usable. */
static const struct {
    size_t esize;
    tfl_space_to_batch_nd_fn fn;
} kernels[] = {
    {0, tfl_space_to_batch_nd_any__ref},
};

static tfl_space_to_batch_nd_fn pick_kernel(size_t esize)
{
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; ++i)
        if (kernels[i].esize == 0 || kernels[i].esize == esize)
            return kernels[i].fn;
    return tfl_space_to_batch_nd_any__ref;
}

typedef struct s2b_data {
    tfl_space_to_batch_nd_params p;
    tfl_space_to_batch_nd_fn fn; /* picked at prepare */
} s2b_data;

static tfl_status s2b_init(tfl__ctx *ctx, tfl__node *node)
{
    s2b_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    return TFL_OK;
}

static void s2b_free(void *data)
{
    free(data);
}

static tfl_status resize_output(tfl__ctx *ctx, tfl__node *node)
{
    s2b_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *block = tfl__input(ctx, node, 1);
    const tfl_tensor *pads = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const int spatial = in->ndim - 2;
    int32_t dims[4];
    int64_t batch = in->dims[0];
    int32_t bs[2] = {1, 1}, before[2] = {0, 0};
    char b[64];
    /* Problems that depend on both data tensors. */
    tfl_status both = tfl__space_batch_shape_known(ctx, node) ? TFL_ERROR_BAD_MODEL : TFL_ERROR_RUNTIME;
    for (int k = 0; k < spatial; ++k) {
        int64_t bk = tfl__int_at(block, (size_t)k);
        int64_t lo = tfl__int_at(pads, 2 * (size_t)k), hi = tfl__int_at(pads, 2 * (size_t)k + 1);
        if (bk < 1 || bk > INT32_MAX)
            return tfl__op_fail(ctx, node, tfl__data_status(block),
                                "block_shape entry %d is %lld, expected >= 1", k, (long long)bk);
        if (lo < 0 || hi < 0 || lo > INT32_MAX || hi > INT32_MAX)
            return tfl__op_fail(ctx, node, tfl__data_status(pads),
                                "paddings of spatial dimension %d are (%lld, %lld), expected >= 0",
                                k, (long long)lo, (long long)hi);
        int64_t padded = (int64_t)in->dims[k + 1] + lo + hi;
        if (padded % bk != 0)
            return tfl__op_fail(ctx, node, both,
                                "padded spatial dimension %d of input %s (%lld) is not a multiple "
                                "of block size %lld",
                                k, tfl__describe(in, b, sizeof b), (long long)padded,
                                (long long)bk);
        if (padded / bk > INT32_MAX || batch * bk > INT32_MAX)
            return tfl__op_fail(ctx, node, both, "output is too large");
        dims[k + 1] = (int32_t)(padded / bk);
        batch *= bk;
        bs[k] = (int32_t)bk;
        before[k] = (int32_t)lo;
    }
    dims[0] = (int32_t)batch;
    dims[in->ndim - 1] = in->dims[in->ndim - 1];

    tfl_space_to_batch_nd_params *p = &d->p;
    p->in_b = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->ndim == 4 ? in->dims[2] : 1;
    p->depth = in->dims[in->ndim - 1];
    p->out_b = dims[0];
    p->out_h = dims[1];
    p->out_w = in->ndim == 4 ? dims[2] : 1;
    p->block_h = bs[0];
    p->block_w = bs[1];
    p->pad_top = before[0];
    p->pad_left = before[1];
    return tfl__resize(ctx, node, out, dims, in->ndim);
}

static tfl_status s2b_prepare(tfl__ctx *ctx, tfl__node *node)
{
    s2b_data *d = node->data;
    tfl_status s = tfl__space_batch_check(ctx, node, "paddings");
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    d->p.esize = tfl_type_size(in->type);
    d->fn = pick_kernel(d->p.esize);
    /* TFLite fills the padding bytewise with the zero point for 8-bit types
     * and with zeros otherwise. */
    d->p.pad_byte = d->p.esize == 1 ? (uint8_t)out->zero_point : 0;
    if (!tfl__space_batch_shape_known(ctx, node)) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return resize_output(ctx, node);
}

typedef struct s2b_job {
    const tfl_space_to_batch_nd_params *p;
    const void *in;
    void *out;
    tfl_space_to_batch_nd_fn fn;
} s2b_job;

static void s2b_rows(void *arg, size_t start, size_t end, int worker)
{
    const s2b_job *j = arg;
    j->fn(j->p, j->in, j->out, start, end);
}

static tfl_status s2b_eval(tfl__ctx *ctx, tfl__node *node)
{
    s2b_data *d = node->data;
    tfl_status s;
    if (!tfl__space_batch_shape_known(ctx, node) && (s = resize_output(ctx, node)) != TFL_OK)
        return s;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (out->bytes == 0)
        return TFL_OK;
    const tfl_space_to_batch_nd_params *p = &d->p;
    s2b_job j = {p, tfl__input(ctx, node, 0)->data, out->data, d->fn};
    tfl__parallel_for(ctx, (size_t)p->out_b * (size_t)p->out_h,
                      tfl__rows_per_chunk((size_t)p->out_w * (size_t)p->depth * p->esize), s2b_rows,
                      &j);
    return TFL_OK;
}

const tfl__op tfl__op_space_to_batch_nd = {
    .builtin_code = 38,
    .min_version = 1,
    .max_version = 4,
    .init = s2b_init,
    .prepare = s2b_prepare,
    .eval = s2b_eval,
    .free = s2b_free,
};
