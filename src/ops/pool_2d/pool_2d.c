/* AVERAGE_POOL_2D (builtin 1), MAX_POOL_2D (builtin 17) and L2_POOL_2D
 * (builtin 12, float32 only): Pool2DOptions, checks, TFLite's window
 * geometry (padding.h) and kernel choice; eval runs the kernel over output
 * rows. TFLite's L2Pool takes a filter of size 0 (NaN outputs); tfl
 * refuses it as for the other pools. */
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"
#include "ops/pool_2d/pool_2d.h"

/* Pool2DOptions fields (schema order). */
enum {
    F_PADDING = 0,
    F_STRIDE_W = 1,
    F_STRIDE_H = 2,
    F_FILTER_W = 3,
    F_FILTER_H = 4,
    F_ACTIVATION = 5
};

enum { PADDING_SAME = 0, PADDING_VALID = 1 };

typedef enum { POOL_AVERAGE, POOL_MAX, POOL_L2 } pool_kind;

/* Best first per (pool kind, dtype); the reference kernel is last. */
static const struct {
    pool_kind kind;
    tfl_type type;
    tfl_pool_2d_fn fn;
} kernels[] = {
    {POOL_AVERAGE, TFL_FLOAT32, tfl_average_pool_2d_f32__ref},
    {POOL_AVERAGE, TFL_UINT8, tfl_average_pool_2d_u8__ref},
    {POOL_AVERAGE, TFL_INT8, tfl_average_pool_2d_s8__ref},
    {POOL_AVERAGE, TFL_INT16, tfl_average_pool_2d_s16__ref},
    {POOL_MAX, TFL_FLOAT32, tfl_max_pool_2d_f32__ref},
    {POOL_MAX, TFL_UINT8, tfl_max_pool_2d_u8__ref},
    {POOL_MAX, TFL_INT8, tfl_max_pool_2d_s8__ref},
    {POOL_MAX, TFL_INT16, tfl_max_pool_2d_s16__ref},
    {POOL_L2, TFL_FLOAT32, tfl_l2_pool_2d_f32__ref},
};

/* What each kind takes, for the refusal message. */
static const char *const supported[] = {
    [POOL_AVERAGE] = "float32, uint8, int8 or int16",
    [POOL_MAX] = "float32, uint8, int8 or int16",
    [POOL_L2] = "float32",
};

typedef struct pool_data {
    int padding, activation;
    tfl_pool_2d_params p; /* strides and filter set at init, the rest at prepare */
    tfl_pool_2d_fn fn;
} pool_data;

static tfl_status pool_init(tfl__ctx *ctx, tfl__node *node)
{
    pool_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    const tfl__fb_table *o = &node->options;
    d->padding = tfl__fb_i8(o, F_PADDING, 0);
    d->p.stride_w = tfl__fb_i32(o, F_STRIDE_W, 0);
    d->p.stride_h = tfl__fb_i32(o, F_STRIDE_H, 0);
    d->p.filter_w = tfl__fb_i32(o, F_FILTER_W, 0);
    d->p.filter_h = tfl__fb_i32(o, F_FILTER_H, 0);
    d->activation = tfl__fb_i8(o, F_ACTIVATION, 0);
    if (d->padding != PADDING_SAME && d->padding != PADDING_VALID)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "padding %d is not SAME (0) or VALID (1)", d->padding);
    if (d->p.stride_h <= 0 || d->p.stride_w <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "strides must be > 0, got %dx%d",
                            d->p.stride_h, d->p.stride_w);
    if (d->p.filter_h <= 0 || d->p.filter_w <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "filter size must be > 0, got %dx%d",
                            d->p.filter_h, d->p.filter_w);
    return TFL_OK;
}

/* One axis of TFLite's ComputePaddingHeightWidth: SAME gives ceil(in /
 * stride) and puts the odd padding pixel after the image; VALID gives
 * (in - filter) / stride + 1. A filter larger than a VALID image makes the
 * size invalid (returns false), which TFLite turns into an empty output. */
static bool pool_axis(int padding, int32_t in, int filter, int stride, int *out, int *pad)
{
    int64_t n = padding == PADDING_SAME ? ((int64_t)in + stride - 1) / stride
                                        : ((int64_t)in + stride - filter) / stride;
    *out = 0;
    *pad = 0;
    if (n < 0)
        return false;
    int64_t total = (n - 1) * stride + filter - in;
    *out = (int)n;
    *pad = total > 0 ? (int)(total / 2) : 0;
    return true;
}

static tfl_status pool_prepare_kind(tfl__ctx *ctx, tfl__node *node, pool_kind kind)
{
    pool_data *d = node->data;
    tfl_pool_2d_params *p = &d->p;
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    char b1[64];
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if (in->ndim != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %s must have rank 4",
                            tfl__describe(in, b1, sizeof b1));
    if (out->type != in->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output type %s does not match input type %s", tfl_type_name(out->type),
                            tfl_type_name(in->type));
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].kind == kind && kernels[i].type == in->type)
            d->fn = kernels[i].fn;
    if (!d->fn)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input type %s not supported (expected %s)", tfl_type_name(in->type),
                            supported[kind]);

    for (int i = 0; i < 4; ++i)
        if (in->dims[i] < 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %s has a negative size",
                                tfl__describe(in, b1, sizeof b1));
    p->batches = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->channels = in->dims[3];
    /* Kernels index with int: keep window coordinates far from overflow. */
    if ((int64_t)p->in_h + p->filter_h + p->stride_h > INT32_MAX / 2 ||
        (int64_t)p->in_w + p->filter_w + p->stride_w > INT32_MAX / 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input %s with filter %dx%d and strides %dx%d is too large",
                            tfl__describe(in, b1, sizeof b1), p->filter_h, p->filter_w, p->stride_h,
                            p->stride_w);
    /* As TFLite: an invalid width empties both sizes, an invalid height only
     * the height. */
    if (!pool_axis(d->padding, p->in_w, p->filter_w, p->stride_w, &p->out_w, &p->pad_w))
        p->out_h = p->pad_h = 0;
    else
        pool_axis(d->padding, p->in_h, p->filter_h, p->stride_h, &p->out_h, &p->pad_h);

    if (in->type == TFL_FLOAT32)
        s = tfl__act_range_f32(ctx, node, d->activation, &p->act_min_f, &p->act_max_f);
    else
        s = tfl__act_range_q(ctx, node, d->activation, out, &p->act_min, &p->act_max);
    if (s != TFL_OK)
        return s;

    int32_t dims[4] = {p->batches, p->out_h, p->out_w, p->channels};
    s = tfl__resize(ctx, node, out, dims, 4);
    /* Every output element reads its whole window. */
    node->work = tfl__work(tfl__num_elements(out), (uint64_t)p->filter_h, (uint64_t)p->filter_w);
    return s;
}

static tfl_status average_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return pool_prepare_kind(ctx, node, POOL_AVERAGE);
}

static tfl_status max_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return pool_prepare_kind(ctx, node, POOL_MAX);
}

static tfl_status l2_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return pool_prepare_kind(ctx, node, POOL_L2);
}

typedef struct pool_job {
    const pool_data *d;
    const void *in;
    void *out;
} pool_job;

static void pool_rows(void *arg, size_t start, size_t end, int worker)
{
    const pool_job *j = arg;
    j->d->fn(&j->d->p, j->in, j->out, start, end);
}

static tfl_status pool_eval(tfl__ctx *ctx, tfl__node *node)
{
    const pool_data *d = node->data;
    pool_job j = {d, tfl__input(ctx, node, 0)->data, tfl__output(ctx, node, 0)->data};
    size_t rows = (size_t)d->p.batches * (size_t)d->p.out_h;
    if (rows == 0 || d->p.out_w == 0 || d->p.channels == 0)
        return TFL_OK;
    tfl__parallel_for(ctx, rows, 1, pool_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_average_pool_2d = {
    .builtin_code = 1,
    .min_version = 1,
    .max_version = 3,
    .init = pool_init,
    .prepare = average_prepare,
    .eval = pool_eval,
    .free = free,
};

const tfl__op tfl__op_max_pool_2d = {
    .builtin_code = 17,
    .min_version = 1,
    .max_version = 3,
    .init = pool_init,
    .prepare = max_prepare,
    .eval = pool_eval,
    .free = free,
};

const tfl__op tfl__op_l2_pool_2d = {
    .builtin_code = 12,
    .min_version = 1,
    .max_version = 1,
    .init = pool_init,
    .prepare = l2_prepare,
    .eval = pool_eval,
    .free = free,
};
