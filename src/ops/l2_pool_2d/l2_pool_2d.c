/* L2_POOL_2D (12): float32 NHWC; each output is sqrt(mean of the squares)
 * over its window clipped to the image (padding never counts), summed in
 * float in row-major window order as TFLite's reference L2Pool, then the
 * fused activation. Pool2DOptions as AVERAGE_POOL_2D; the geometry is
 * TFLite's ComputePaddingHeightWidth (as in pool_2d.c). TFLite takes a
 * filter of size 0 (NaN outputs); tfl refuses it as the other pools do. */
#include <math.h>
#include <stdlib.h>

#include "ops/op.h"
#include "ops/pool_2d/pool_2d.h"

enum { F_PADDING, F_STRIDE_W, F_STRIDE_H, F_FILTER_W, F_FILTER_H, F_ACTIVATION };
enum { PADDING_SAME = 0, PADDING_VALID = 1 };

typedef struct l2_data {
    int padding, activation;
    tfl_pool_2d_params p;
} l2_data;

static tfl_status l2_init(tfl__ctx *ctx, tfl__node *node)
{
    l2_data *d = calloc(1, sizeof *d);
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

/* One axis: SAME gives ceil(in / stride), the odd padding pixel after the
 * image; VALID (in - filter) / stride + 1, false when negative (TFLite then
 * empties the output). */
static bool pool_axis(int padding, int32_t in, int filter, int stride, int *out, int *pad)
{
    int64_t n = padding == PADDING_SAME ? ((int64_t)in + stride - 1) / stride
                                        : ((int64_t)in + stride - filter) / stride;
    *out = *pad = 0;
    if (n < 0)
        return false;
    int64_t total = (n - 1) * stride + filter - in;
    *out = (int)n;
    *pad = total > 0 ? (int)(total / 2) : 0;
    return true;
}

static tfl_status l2_prepare(tfl__ctx *ctx, tfl__node *node)
{
    l2_data *d = node->data;
    tfl_pool_2d_params *p = &d->p;
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    char b1[64];
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if (in->ndim != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %s must have rank 4",
                            tfl__describe(in, b1, sizeof b1));
    if (in->type != TFL_FLOAT32 || out->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "types %s -> %s not supported (float32 only)", tfl_type_name(in->type),
                            tfl_type_name(out->type));
    for (int i = 0; i < 4; ++i)
        if (in->dims[i] < 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %s has a negative size",
                                tfl__describe(in, b1, sizeof b1));
    p->batches = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->channels = in->dims[3];
    /* The kernel indexes with int: keep window coordinates far from overflow. */
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
    if ((s = tfl__act_range_f32(ctx, node, d->activation, &p->act_min_f, &p->act_max_f)) != TFL_OK)
        return s;
    int32_t dims[4] = {p->batches, p->out_h, p->out_w, p->channels};
    s = tfl__resize(ctx, node, out, dims, 4);
    node->work = tfl__work(tfl__num_elements(out), (uint64_t)p->filter_h, (uint64_t)p->filter_w);
    return s;
}

typedef struct l2_job {
    const tfl_pool_2d_params *p;
    const float *in;
    float *out;
} l2_job;

/* Output rows [start, end) of (batch, out_y). */
static void l2_rows(void *arg, size_t start, size_t end, int worker)
{
    (void)worker;
    const l2_job *j = arg;
    const tfl_pool_2d_params *p = j->p;
    const size_t ch = (size_t)p->channels;
    for (size_t row = start; row < end; ++row) {
        const size_t b = row / (size_t)p->out_h;
        const int iy0 = (int)(row % (size_t)p->out_h) * p->stride_h - p->pad_h;
        const int fy0 = iy0 < 0 ? -iy0 : 0;
        const int fy1 = p->in_h - iy0 < p->filter_h ? p->in_h - iy0 : p->filter_h;
        for (int ox = 0; ox < p->out_w; ++ox) {
            const int ix0 = ox * p->stride_w - p->pad_w;
            const int fx0 = ix0 < 0 ? -ix0 : 0;
            const int fx1 = p->in_w - ix0 < p->filter_w ? p->in_w - ix0 : p->filter_w;
            const int n = (fy1 - fy0) * (fx1 - fx0);
            float *o = j->out + (row * (size_t)p->out_w + (size_t)ox) * ch;
            for (size_t c = 0; c < ch; ++c) {
                float sum = 0.f;
                for (int fy = fy0; fy < fy1; ++fy)
                    for (int fx = fx0; fx < fx1; ++fx) {
                        const float v =
                            j->in[((b * (size_t)p->in_h + (size_t)(iy0 + fy)) * (size_t)p->in_w +
                                   (size_t)(ix0 + fx)) *
                                      ch +
                                  c];
                        sum += v * v;
                    }
                float r = sqrtf(sum / (float)n);
                /* std::min(std::max(r, lo), hi): NaN passes through. */
                r = r < p->act_min_f ? p->act_min_f : r;
                o[c] = p->act_max_f < r ? p->act_max_f : r;
            }
        }
    }
}

static tfl_status l2_eval(tfl__ctx *ctx, tfl__node *node)
{
    const l2_data *d = node->data;
    l2_job j = {&d->p, (const float *)(const void *)tfl__input(ctx, node, 0)->data,
                (float *)(void *)tfl__output(ctx, node, 0)->data};
    const size_t rows = (size_t)d->p.batches * (size_t)d->p.out_h;
    if (rows == 0 || d->p.out_w == 0 || d->p.channels == 0)
        return TFL_OK;
    tfl__parallel_for(ctx, rows, 1, l2_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_l2_pool_2d = {
    .builtin_code = 12,
    .min_version = 1,
    .max_version = 1,
    .init = l2_init,
    .prepare = l2_prepare,
    .eval = l2_eval,
    .free = free,
};
