/* TransformTensorBilinear (MediaPipe custom op, face mesh with attention):
 * samples a float32 tensor [1, H, W, C] through a transform matrix into
 * [1, output_height, output_width, C].
 *
 * Input 1 is a 4x4 float32 matrix (16 floats, row-major); only its first two
 * rows are used: output pixel (x, y) reads the input at
 *   sx = m00 * x + m01 * y + m02 * 0 + m03,  sy = m10 * x + m11 * y + m12 * 0 + m13.
 * Version 2 (what MediaPipe registers) aligns pixel centres first: m03 and
 * m13 become m03 + (m00 + m01 - 1) / 2 and m13 + (m10 + m11 - 1) / 2.
 * Version 1 uses the matrix as it is.
 *
 * A sample point outside [0, W - 1] x [0, H - 1] (or not a number) gives 0;
 * inside, the four neighbours floor/floor + 1 are blended bilinearly (a
 * neighbour past the last row or column counts as 0, and has weight 0).
 *
 * Options (FlexBuffers map): version 2 has output_height and output_width;
 * version 1 has output_size [h, w] and, optionally, mode, which must be
 * "bilinear". */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ops/mediapipe/mediapipe.h"

typedef struct ttb_data {
    int32_t out_h, out_w;
    bool align_corners;
    int32_t in_h, in_w, channels; /* from prepare */
} ttb_data;

static tfl_status ttb_options(tfl__ctx *ctx, tfl__node *node, ttb_data *d)
{
    tfl__flex_map m;
    bool present, fh = false, fw = false;
    tfl_status s = tfl__mp_flex_map(ctx, node, false, &m, &present);
    if (s != TFL_OK)
        return s;
    if (node->version >= 2) {
        d->align_corners = true;
        if ((s = tfl__mp_opt_int(ctx, node, &m, "output_height", &d->out_h, &fh)) ||
            (s = tfl__mp_opt_int(ctx, node, &m, "output_width", &d->out_w, &fw)))
            return s;
        if (!fh || !fw)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "custom option '%s' is missing",
                                fh ? "output_width" : "output_height");
    } else {
        const char *mode;
        int32_t size[2];
        size_t n;
        if ((s = tfl__mp_opt_str(ctx, node, &m, "mode", &mode)))
            return s;
        if (mode && strcmp(mode, "bilinear") != 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "mode '%s' not supported (only bilinear)", mode);
        if ((s = tfl__mp_opt_int_vec(ctx, node, &m, "output_size", size, 2, &n)))
            return s;
        if (n != 2)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "custom option 'output_size' must be [height, width]");
        d->out_h = size[0];
        d->out_w = size[1];
    }
    if (d->out_h < 1 || d->out_w < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output size must be at least 1 x 1, got %d x %d", (int)d->out_h,
                            (int)d->out_w);
    return TFL_OK;
}

static tfl_status ttb_init(tfl__ctx *ctx, tfl__node *node)
{
    ttb_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    tfl_status s = ttb_options(ctx, node, d);
    if (s != TFL_OK) {
        free(d);
        return s;
    }
    node->data = d;
    return TFL_OK;
}

static void ttb_free(void *data)
{
    free(data);
}

static tfl_status ttb_prepare(tfl__ctx *ctx, tfl__node *node)
{
    ttb_data *d = node->data;
    tfl_status s;
    char buf[96];
    if ((s = tfl__check_io(ctx, node, 2, 2, 1)) != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__mp_check_f32(ctx, node, in, "input", 4)) ||
        (s = tfl__mp_check_matrix(ctx, node, tfl__input(ctx, node, 1))) ||
        (s = tfl__check_type(ctx, node, out, "output", TFL_FLOAT32)))
        return s;
    if (in->dims[0] != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input %s must have batch 1 (one matrix per op)",
                            tfl__describe(in, buf, sizeof buf));
    d->in_h = in->dims[1];
    d->in_w = in->dims[2];
    d->channels = in->dims[3];
    const int32_t dims[4] = {1, d->out_h, d->out_w, d->channels};
    return tfl__resize(ctx, node, out, dims, 4);
}

typedef struct ttb_job {
    const ttb_data *d;
    const float *in;
    float *out;
    float mx[4], my[4];
} ttb_job;

static void ttb_rows(void *arg, size_t start, size_t end, int worker)
{
    const ttb_job *j = arg;
    const ttb_data *d = j->d;
    const int64_t c = d->channels, ih = d->in_h, iw = d->in_w;
    const float max_x = (float)(iw - 1), max_y = (float)(ih - 1);
    for (size_t oy = start; oy < end; ++oy) {
        const float fy = (float)oy;
        for (int64_t ox = 0; ox < d->out_w; ++ox) {
            const float fx = (float)ox;
            /* The dot products of the first two matrix rows with (x, y, 0, 1),
             * summed in this order. */
            const float sx = j->mx[0] * fx + j->mx[1] * fy + j->mx[2] * 0.0f + j->mx[3] * 1.0f;
            const float sy = j->my[0] * fx + j->my[1] * fy + j->my[2] * 0.0f + j->my[3] * 1.0f;
            float *dst = j->out + ((size_t)oy * (size_t)d->out_w + (size_t)ox) * (size_t)c;
            if (!(sx >= 0.0f && sx <= max_x && sy >= 0.0f && sy <= max_y)) {
                for (int64_t ch = 0; ch < c; ++ch)
                    dst[ch] = 0.0f;
                continue;
            }
            const float flx = floorf(sx), fly = floorf(sy);
            const int64_t x0 = (int64_t)flx, y0 = (int64_t)fly;
            const bool has_x1 = x0 + 1 < iw, has_y1 = y0 + 1 < ih;
            const float right = sx - flx, lower_w = sy - fly;
            const float *r0 = j->in + (y0 * iw + x0) * c;
            const float *r1 = has_y1 ? r0 + iw * c : r0;
            for (int64_t ch = 0; ch < c; ++ch) {
                const float q11 = r0[ch];
                const float q21 = has_x1 ? r0[c + ch] : 0.0f;
                const float q12 = has_y1 ? r1[ch] : 0.0f;
                const float q22 = has_x1 && has_y1 ? r1[c + ch] : 0.0f;
                /* MediaPipe blends with (1.0 - w) in double. */
                const float upper = (float)((1.0 - right) * q11 + (double)(right * q21));
                const float lower = (float)((1.0 - right) * q12 + (double)(right * q22));
                dst[ch] = (float)((double)(lower_w * lower) + (1.0 - lower_w) * upper);
            }
        }
    }
}

static tfl_status ttb_eval(tfl__ctx *ctx, tfl__node *node)
{
    const ttb_data *d = node->data;
    const float *m = (const float *)tfl__input(ctx, node, 1)->data;
    ttb_job j = {d, (const float *)tfl__input(ctx, node, 0)->data,
                 (float *)tfl__output(ctx, node, 0)->data,
                 {m[0], m[1], m[2], m[3]},
                 {m[4], m[5], m[6], m[7]}};
    if (d->align_corners) {
        /* Shift by half a pixel on both sides of the transform, in double as
         * MediaPipe's CPU kernel does. */
        j.mx[3] = (float)((double)m[3] + ((double)m[0] * 0.5 + (double)m[1] * 0.5 - 0.5));
        j.my[3] = (float)((double)m[7] + ((double)m[4] * 0.5 + (double)m[5] * 0.5 - 0.5));
    }
    if (d->channels == 0)
        return TFL_OK;
    tfl__parallel_for(ctx, (size_t)d->out_h, 1, ttb_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_transform_tensor_bilinear = {
    .builtin_code = TFL__CUSTOM,
    .custom_code = "TransformTensorBilinear",
    .min_version = 1,
    .max_version = 2,
    .init = ttb_init,
    .prepare = ttb_prepare,
    .eval = ttb_eval,
    .free = ttb_free,
};
