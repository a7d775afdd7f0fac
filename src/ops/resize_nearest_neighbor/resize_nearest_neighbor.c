/* RESIZE_NEAREST_NEIGHBOR (builtin 97): ResizeNearestNeighborOptions, the
 * size tensor (at prepare when constant, else at eval) and the per-axis
 * steps; eval runs the kernel over output rows. Values are copied, never
 * requantized, as in TFLite. */
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"
#include "ops/resize_bilinear/resize_common.h"
#include "ops/resize_nearest_neighbor/resize_nearest_neighbor.h"

/* ResizeNearestNeighborOptions fields (schema order). */
enum { F_ALIGN_CORNERS = 0, F_HALF_PIXEL_CENTERS = 1 };

/* Best first per dtype; the reference kernel is last. */
static const struct {
    tfl_type type;
    tfl_resize_nearest_neighbor_fn fn;
} kernels[] = {
    {TFL_FLOAT32, tfl_resize_nearest_neighbor_f32__ref},
    {TFL_INT32, tfl_resize_nearest_neighbor_f32__ref},
    {TFL_UINT8, tfl_resize_nearest_neighbor_u8__ref},
    {TFL_INT8, tfl_resize_nearest_neighbor_u8__ref},
    {TFL_BOOL, tfl_resize_nearest_neighbor_u8__ref},
    {TFL_INT16, tfl_resize_nearest_neighbor_s16__ref},
};

typedef struct nearest_data {
    bool dynamic; /* size known only at eval */
    tfl_resize_nearest_neighbor_params p;
    tfl_resize_nearest_neighbor_fn fn;
} nearest_data;

static tfl_status nearest_init(tfl__ctx *ctx, tfl__node *node)
{
    nearest_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->p.align_corners = tfl__fb_u8(&node->options, F_ALIGN_CORNERS, 0) != 0;
    d->p.half_pixel_centers = tfl__fb_u8(&node->options, F_HALF_PIXEL_CENTERS, 0) != 0;
    return TFL_OK;
}

/* (in-1)/(out-1) with align_corners, else in/out, in float as TFLite. */
static float step(bool align, int32_t in, int32_t out)
{
    if (align && out > 1)
        return (float)(in - 1) / (float)(out - 1);
    return (float)in / (float)out;
}

/* Reads the size tensor, sets the output shape and the steps. `bad` is the
 * status for bad sizes: BAD_MODEL at prepare, RUNTIME at eval. */
static tfl_status setup(tfl__ctx *ctx, tfl__node *node, nearest_data *d, tfl_status bad)
{
    const tfl_tensor *size = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    tfl_resize_nearest_neighbor_params *p = &d->p;
    if (!size->data)
        return tfl__op_fail(ctx, node, bad, "size tensor has no data");
    int32_t hw[2];
    memcpy(hw, size->data, sizeof hw);
    if (hw[0] < 0 || hw[1] < 0)
        return tfl__op_fail(ctx, node, bad, "output size %dx%d is negative", (int)hw[0],
                            (int)hw[1]);
    p->out_h = hw[0];
    p->out_w = hw[1];
    p->scale_h = step(p->align_corners, p->in_h, p->out_h);
    p->scale_w = step(p->align_corners, p->in_w, p->out_w);
    int32_t dims[4] = {p->batches, p->out_h, p->out_w, p->channels};
    return tfl__resize(ctx, node, out, dims, 4);
}

static tfl_status nearest_prepare(tfl__ctx *ctx, tfl__node *node)
{
    nearest_data *d = node->data;
    tfl_resize_nearest_neighbor_params *p = &d->p;
    tfl_status s = tfl__resize_check_operands(ctx, node);
    if (s != TFL_OK)
        return s;
    tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *size = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    char b1[64];
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].type == in->type)
            d->fn = kernels[i].fn;
    if (!d->fn)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input type %s not supported (expected float32, int32, uint8, int8, "
                            "int16 or bool)",
                            tfl_type_name(in->type));
    p->batches = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->channels = in->dims[3];
    if (p->batches < 0 || p->channels < 0 || p->in_h <= 0 || p->in_w <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %s has an empty image",
                            tfl__describe(in, b1, sizeof b1));
    d->dynamic = !tfl__is_const(size);
    if (d->dynamic) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return setup(ctx, node, d, TFL_ERROR_BAD_MODEL);
}

typedef struct nearest_job {
    const nearest_data *d;
    const void *in;
    void *out;
} nearest_job;

static void nearest_rows(void *arg, size_t start, size_t end, int worker)
{
    const nearest_job *j = arg;
    j->d->fn(&j->d->p, j->in, j->out, start, end);
}

static tfl_status nearest_eval(tfl__ctx *ctx, tfl__node *node)
{
    nearest_data *d = node->data;
    if (d->dynamic) {
        tfl_status s = setup(ctx, node, d, TFL_ERROR_RUNTIME);
        if (s != TFL_OK)
            return s;
    }
    size_t rows = (size_t)d->p.batches * (size_t)d->p.out_h;
    if (rows == 0 || d->p.out_w == 0 || d->p.channels == 0)
        return TFL_OK;
    nearest_job j = {d, tfl__input(ctx, node, 0)->data, tfl__output(ctx, node, 0)->data};
    tfl__parallel_for(ctx, rows, 1, nearest_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_resize_nearest_neighbor = {
    .builtin_code = 97,
    .min_version = 1,
    .max_version = 4,
    .init = nearest_init,
    .prepare = nearest_prepare,
    .eval = nearest_eval,
    .free = free,
};
