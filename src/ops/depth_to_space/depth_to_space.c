/* DEPTH_TO_SPACE (5) and SPACE_TO_DEPTH (26), NHWC with block size b
 * (option 0): DEPTH_TO_SPACE moves channel group (i * b + j) of pixel
 * (h, w) to pixel (h * b + i, w * b + j); SPACE_TO_DEPTH is its inverse.
 * Any fixed-size type, copied (input and output quantization must match,
 * the values are not rescaled). */
#include <stdlib.h>
#include <string.h>

#include "ops/shape_common.h"

typedef struct d2s_data {
    int block;
} d2s_data;

static tfl_status d2s_init(tfl__ctx *ctx, tfl__node *node)
{
    d2s_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->block = tfl__fb_i32(&node->options, 0, 0);
    if (d->block < 1 || d->block > 4096)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "block size %d must be in [1, 4096]",
                            d->block);
    return TFL_OK;
}

static tfl_status d2s_prepare(tfl__ctx *ctx, tfl__node *node)
{
    const d2s_data *d = node->data;
    const bool to_space = node->builtin_code == 5;
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK)
        return s;
    if (in->ndim != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input must be 4-D NHWC (rank %d)",
                            in->ndim);
    const int64_t b = d->block;
    int32_t dims[4] = {in->dims[0], in->dims[1], in->dims[2], in->dims[3]};
    if (to_space) {
        if (in->dims[3] % (b * b) != 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "%d channels are not a multiple of block %d squared",
                                (int)in->dims[3], d->block);
        if ((int64_t)in->dims[1] * b > INT32_MAX || (int64_t)in->dims[2] * b > INT32_MAX)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output is too large");
        dims[1] = (int32_t)(in->dims[1] * b);
        dims[2] = (int32_t)(in->dims[2] * b);
        dims[3] = (int32_t)(in->dims[3] / (b * b));
    } else {
        if (in->dims[1] % b != 0 || in->dims[2] % b != 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "height %d and width %d must be multiples of block %d",
                                (int)in->dims[1], (int)in->dims[2], d->block);
        if ((int64_t)in->dims[3] * b * b > INT32_MAX)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output is too large");
        dims[1] = (int32_t)(in->dims[1] / b);
        dims[2] = (int32_t)(in->dims[2] / b);
        dims[3] = (int32_t)(in->dims[3] * b * b);
    }
    return tfl__resize(ctx, node, out, dims, 4);
}

static tfl_status d2s_eval(tfl__ctx *ctx, tfl__node *node)
{
    const d2s_data *d = node->data;
    const bool to_space = node->builtin_code == 5;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t es = tfl_type_size(in->type), b = (size_t)d->block;
    /* The space side: [n, H, W, c]; the depth side: [n, H / b, W / b, b * b * c]. */
    const tfl_tensor *space = to_space ? out : in;
    const size_t n = (size_t)space->dims[0], H = (size_t)space->dims[1];
    const size_t W = (size_t)space->dims[2], c = (size_t)space->dims[3];
    const size_t run = c * es;
    for (size_t bi = 0; bi < n; ++bi)
        for (size_t y = 0; y < H; ++y)
            for (size_t x = 0; x < W; ++x) {
                const size_t sp = ((bi * H + y) * W + x) * run;
                const size_t dp = (((bi * (H / b) + y / b) * (W / b) + x / b) * b * b +
                                   (y % b) * b + x % b) *
                                  run;
                if (to_space)
                    memcpy(out->data + sp, in->data + dp, run);
                else
                    memcpy(out->data + dp, in->data + sp, run);
            }
    return TFL_OK;
}

const tfl__op tfl__op_depth_to_space = {
    .builtin_code = 5,
    .min_version = 1,
    .max_version = 2,
    .init = d2s_init,
    .prepare = d2s_prepare,
    .eval = d2s_eval,
    .free = free,
};

const tfl__op tfl__op_space_to_depth = {
    .builtin_code = 26,
    .min_version = 1,
    .max_version = 2,
    .init = d2s_init,
    .prepare = d2s_prepare,
    .eval = d2s_eval,
    .free = free,
};
