/* TransformLandmarks (MediaPipe custom op, face mesh with attention): maps
 * landmark coordinates through a transform matrix. Input 1 is a 4x4 float32
 * matrix (16 floats, row-major) of which the first two rows are used; every
 * landmark (x, y[, z]) becomes
 *   x' = m00 * x + m01 * y + m02 * 0 + m03 * t,  y' = m10 * x + m11 * y + m12 * 0 + m13 * t,
 * z unchanged.
 *
 * Version 2 (what MediaPipe registers): the input is [N, L, D] with D 2 or 3
 * landmark components, t = 1, no options. Version 1: the input is
 * [N, H, W, C] holding C / D landmarks per pixel, D from the "dimensions"
 * option (2 or 3, default 3), t from "scale" (default 1, not 0). The output
 * has the input's shape. MediaPipe's kernels only fill the first batch row;
 * here every landmark of the tensor is transformed with the same matrix. */
#include <stdlib.h>

#include "ops/mediapipe/mediapipe.h"

typedef struct tlm_data {
    int32_t dims; /* version 1: from the options; version 2: from the shape */
    float scale;
    size_t landmarks; /* from prepare */
} tlm_data;

static tfl_status tlm_init(tfl__ctx *ctx, tfl__node *node)
{
    tlm_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    d->dims = 3;
    d->scale = 1.0f;
    tfl_status s = TFL_OK;
    if (node->version < 2) {
        tfl__flex_map m;
        bool present;
        if (!(s = tfl__mp_flex_map(ctx, node, true, &m, &present)) &&
            !(s = tfl__mp_opt_int(ctx, node, &m, "dimensions", &d->dims, NULL)) &&
            !(s = tfl__mp_opt_float(ctx, node, &m, "scale", &d->scale, NULL))) {
            if (d->dims != 2 && d->dims != 3)
                s = tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                 "custom option 'dimensions' must be 2 or 3, got %d",
                                 (int)d->dims);
            else if (d->scale == 0.0f)
                s = tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                 "custom option 'scale' must not be 0");
        }
    }
    if (s != TFL_OK) {
        free(d);
        return s;
    }
    node->data = d;
    return TFL_OK;
}

static void tlm_free(void *data)
{
    free(data);
}

static tfl_status tlm_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tlm_data *d = node->data;
    tfl_status s;
    char buf[96];
    if ((s = tfl__check_io(ctx, node, 2, 2, 1)) != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const int rank = node->version >= 2 ? 3 : 4;
    if ((s = tfl__mp_check_f32(ctx, node, in, "landmarks", rank)) ||
        (s = tfl__mp_check_matrix(ctx, node, tfl__input(ctx, node, 1))) ||
        (s = tfl__check_type(ctx, node, out, "output", TFL_FLOAT32)))
        return s;
    const int32_t last = in->dims[rank - 1];
    if (node->version >= 2) {
        if (last != 2 && last != 3)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "landmarks %s must be [n, landmarks, 2 or 3]",
                                tfl__describe(in, buf, sizeof buf));
        d->dims = last;
    } else if (last % d->dims != 0) {
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "landmarks %s: the last dimension is not a multiple of %d "
                            "(the 'dimensions' option)",
                            tfl__describe(in, buf, sizeof buf), (int)d->dims);
    }
    d->landmarks = tfl__num_elements(in) / (size_t)d->dims;
    return tfl__resize(ctx, node, out, in->dims, in->ndim);
}

static tfl_status tlm_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tlm_data *d = node->data;
    const float *in = (const float *)tfl__input(ctx, node, 0)->data;
    const float *m = (const float *)tfl__input(ctx, node, 1)->data;
    float *out = (float *)tfl__output(ctx, node, 0)->data;
    const float tx = node->version >= 2 ? m[3] : m[3] * d->scale;
    const float ty = node->version >= 2 ? m[7] : m[7] * d->scale;
    const size_t step = (size_t)d->dims;
    for (size_t i = 0; i < d->landmarks; ++i) {
        const float *p = in + i * step;
        float *q = out + i * step;
        const float x = p[0], y = p[1];
        const float nx = m[0] * x + m[1] * y + m[2] * 0.0f + tx * 1.0f;
        const float ny = m[4] * x + m[5] * y + m[6] * 0.0f + ty * 1.0f;
        q[0] = nx;
        q[1] = ny;
        if (step == 3)
            q[2] = p[2];
    }
    return TFL_OK;
}

const tfl__op tfl__op_transform_landmarks = {
    .builtin_code = TFL__CUSTOM,
    .custom_code = "TransformLandmarks",
    .min_version = 1,
    .max_version = 2,
    .init = tlm_init,
    .prepare = tlm_prepare,
    .eval = tlm_eval,
    .free = tlm_free,
};
