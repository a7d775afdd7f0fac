/* Landmarks2TransformMatrix (MediaPipe custom op, face mesh with attention):
 * builds the 4x4 float32 matrix [1, 4, 4] that TransformTensorBilinear and
 * TransformLandmarks use, from a set of landmarks (x, y, z triples, read from
 * the input as one flat float32 list).
 *
 * Version 2 (what MediaPipe registers), input rank 3, options (FlexBuffers
 * map): subset_idxs (landmark indices; an odd count repeats the last one),
 * left_rotation_idx, right_rotation_idx, target_rotation_radians,
 * output_height, output_width, scale_x, scale_y.
 *   r = target_rotation_radians - atan2(right.y - left.y, right.x - left.x)
 *   rotate the subset's (x, y) by r; its bounding box there has size
 *   (w, h) and centre c, rotated back by -r to (cx, cy)
 *   matrix = T(cx, cy) * R(-r) * S(scale_x * w / output_width,
 *            scale_y * h / output_height) * T(-output_width / 2, -output_height / 2)
 * with R(a) the rotation by a in the xy plane.
 *
 * Version 1, input rank 4, options: input_hw, output_hw ([h, w] each),
 * dimensions (must be 3), landmarks_range, bbox_size_multiplier,
 * left_rotation_idx, right_rotation_idx, subset (as subset_idxs).
 *   a = -atan((right.y - left.y) / (right.x - left.x)); the subset rotated
 *   by a has the box [min, max] (clamped to +-100000), size
 *   s = (max - min) * bbox_size_multiplier and centre m rotated back by -a
 *   M = A * [R(-a) | m / range * 2 - 1] * diag(s / range, 1) * Rel
 *   with A = [(in_w - 1) / 2, 0, (in_w - 1) / 2; 0, (in_h - 1) / 2, (in_h - 1) / 2; 0 0 1]
 *   and Rel = [2 / (out_w - 1), 0, -1; 0, 2 / (out_h - 1), -1; 0 0 1], written
 *   out as [M00 M01 0 M02; M10 M11 0 M12; M20 M21 M22 0; 0 0 0 1].
 *
 * Arithmetic is float32 in MediaPipe's order. Every landmark index must lie
 * inside the input (MediaPipe does not check). */
#include <math.h>
#include <stdlib.h>

#include "ops/mediapipe/mediapipe.h"

enum { L2T_MAX_SUBSET = 4096 };

typedef struct l2t_data {
    int32_t subset[L2T_MAX_SUBSET];
    size_t subset_n;
    int32_t left, right;
    int32_t max_index; /* largest landmark index used */
    /* version 2 */
    float target_rotation, scale_x, scale_y;
    int32_t out_h, out_w;
    /* version 1 */
    int32_t in_hw[2], out_hw[2], landmarks_range;
    float bbox_mult;
} l2t_data;

static tfl_status need(tfl__ctx *ctx, tfl__node *node, bool found, const char *key)
{
    if (!found)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "custom option '%s' is missing", key);
    return TFL_OK;
}

static tfl_status hw_option(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m,
                            const char *key, int32_t *hw, int32_t min)
{
    size_t n;
    tfl_status s = tfl__mp_opt_int_vec(ctx, node, m, key, hw, 2, &n);
    if (s != TFL_OK)
        return s;
    if (n != 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' must be [height, width]", key);
    if (hw[0] < min || hw[1] < min)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' = [%d, %d] must be at least %d", key, (int)hw[0],
                            (int)hw[1], (int)min);
    return TFL_OK;
}

static tfl_status l2t_options(tfl__ctx *ctx, tfl__node *node, l2t_data *d)
{
    tfl__flex_map m;
    bool present, f1 = true, f2 = true, f3 = true, f4 = true;
    tfl_status s = tfl__mp_flex_map(ctx, node, false, &m, &present);
    if (s != TFL_OK)
        return s;
    const bool v2 = node->version >= 2;
    const char *subset_key = v2 ? "subset_idxs" : "subset";
    if ((s = tfl__mp_opt_int_vec(ctx, node, &m, subset_key, d->subset, L2T_MAX_SUBSET,
                                 &d->subset_n)) ||
        (s = tfl__mp_opt_int(ctx, node, &m, "left_rotation_idx", &d->left, NULL)) ||
        (s = tfl__mp_opt_int(ctx, node, &m, "right_rotation_idx", &d->right, NULL)))
        return s;
    if (d->subset_n == 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' is missing or empty", subset_key);
    d->max_index = d->left > d->right ? d->left : d->right;
    if (d->left < 0 || d->right < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "rotation landmark indices must be >= 0, got %d and %d",
                            (int)d->left, (int)d->right);
    for (size_t i = 0; i < d->subset_n; ++i) {
        if (d->subset[i] < 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "custom option '%s' entry %zu = %d is negative", subset_key, i,
                                (int)d->subset[i]);
        if (d->subset[i] > d->max_index)
            d->max_index = d->subset[i];
    }
    if (v2) {
        if ((s = tfl__mp_opt_float(ctx, node, &m, "target_rotation_radians",
                                   &d->target_rotation, NULL)) ||
            (s = tfl__mp_opt_int(ctx, node, &m, "output_height", &d->out_h, &f1)) ||
            (s = tfl__mp_opt_int(ctx, node, &m, "output_width", &d->out_w, &f2)) ||
            (s = tfl__mp_opt_float(ctx, node, &m, "scale_x", &d->scale_x, &f3)) ||
            (s = tfl__mp_opt_float(ctx, node, &m, "scale_y", &d->scale_y, &f4)) ||
            (s = need(ctx, node, f1, "output_height")) ||
            (s = need(ctx, node, f2, "output_width")) || (s = need(ctx, node, f3, "scale_x")) ||
            (s = need(ctx, node, f4, "scale_y")))
            return s;
        if (d->out_h < 1 || d->out_w < 1)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "output size must be at least 1 x 1, got %d x %d",
                                (int)d->out_h, (int)d->out_w);
        if (!(d->scale_x > 0.0f) || !(d->scale_y > 0.0f))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "scale_x and scale_y must be > 0, got %g and %g",
                                (double)d->scale_x, (double)d->scale_y);
        return TFL_OK;
    }
    int32_t dims = 0;
    if ((s = hw_option(ctx, node, &m, "input_hw", d->in_hw, 1)) ||
        (s = hw_option(ctx, node, &m, "output_hw", d->out_hw, 2)) ||
        (s = tfl__mp_opt_int(ctx, node, &m, "dimensions", &dims, &f1)) ||
        (s = tfl__mp_opt_int(ctx, node, &m, "landmarks_range", &d->landmarks_range, &f2)) ||
        (s = tfl__mp_opt_float(ctx, node, &m, "bbox_size_multiplier", &d->bbox_mult, &f3)) ||
        (s = need(ctx, node, f2, "landmarks_range")) ||
        (s = need(ctx, node, f3, "bbox_size_multiplier")))
        return s;
    if (dims != 3)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option 'dimensions' must be 3, got %d", (int)dims);
    if (d->landmarks_range < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option 'landmarks_range' must be > 0, got %d",
                            (int)d->landmarks_range);
    if (d->bbox_mult == 0.0f)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option 'bbox_size_multiplier' must not be 0");
    return TFL_OK;
}

static tfl_status l2t_init(tfl__ctx *ctx, tfl__node *node)
{
    l2t_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    tfl_status s = l2t_options(ctx, node, d);
    if (s != TFL_OK) {
        free(d);
        return s;
    }
    node->data = d;
    return TFL_OK;
}

static void l2t_free(void *data)
{
    free(data);
}

static tfl_status l2t_prepare(tfl__ctx *ctx, tfl__node *node)
{
    const l2t_data *d = node->data;
    tfl_status s;
    char buf[96];
    if ((s = tfl__check_io(ctx, node, 1, 1, 1)) != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__mp_check_f32(ctx, node, in, "landmarks", node->version >= 2 ? 3 : 4)) ||
        (s = tfl__check_type(ctx, node, out, "output", TFL_FLOAT32)))
        return s;
    size_t n = tfl__num_elements(in) / 3;
    if ((size_t)d->max_index >= n)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "landmark index %d is out of range: landmarks %s hold %zu (x, y, z) "
                            "triples",
                            (int)d->max_index, tfl__describe(in, buf, sizeof buf), n);
    const int32_t dims[3] = {1, 4, 4};
    return tfl__resize(ctx, node, out, dims, 3);
}

/* Row-major products, each sum from 0 in k order. */
static void mat_mul(const float *a, const float *b, float *out, int n)
{
    float r[16];
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            float sum = 0.0f;
            for (int k = 0; k < n; ++k)
                sum += a[i * n + k] * b[k * n + j];
            r[i * n + j] = sum;
        }
    for (int i = 0; i < n * n; ++i)
        out[i] = r[i];
}

static void mat3_vec(const float *a, const float *v, float *out)
{
    float r[3];
    for (int i = 0; i < 3; ++i) {
        float sum = 0.0f;
        for (int k = 0; k < 3; ++k)
            sum += a[i * 3 + k] * v[k];
        r[i] = sum;
    }
    out[0] = r[0];
    out[1] = r[1];
    out[2] = r[2];
}

static void eval_v2(const l2t_data *d, const float *lm, float *out)
{
    const float *l = lm + 3 * (size_t)d->left, *rt = lm + 3 * (size_t)d->right;
    const float r = d->target_rotation - atan2f(rt[1] - l[1], rt[0] - l[0]);
    const float rot[9] = {cosf(r), -sinf(r), 0.0f, sinf(r), cosf(r), 0.0f, 0.0f, 0.0f, 1.0f};
    const float inv[9] = {cosf(-r), -sinf(-r), 0.0f, sinf(-r), cosf(-r), 0.0f, 0.0f, 0.0f, 1.0f};
    float lo[3] = {0}, hi[3] = {0};
    /* An odd count's last index is repeated; a repeat cannot move the box. */
    for (size_t i = 0; i < d->subset_n; ++i) {
        const float *p = lm + 3 * (size_t)d->subset[i];
        const float v[3] = {p[0], p[1], 1.0f};
        float q[3];
        mat3_vec(rot, v, q);
        if (i == 0) {
            lo[0] = hi[0] = q[0];
            lo[1] = hi[1] = q[1];
            lo[2] = hi[2] = q[2];
            continue;
        }
        if (hi[0] < q[0])
            hi[0] = q[0];
        if (hi[1] < q[1])
            hi[1] = q[1];
        if (lo[0] > q[0])
            lo[0] = q[0];
        if (lo[1] > q[1])
            lo[1] = q[1];
    }
    const float crop_w = hi[0] - lo[0], crop_h = hi[1] - lo[1];
    float centre[3] = {(lo[0] + hi[0]) / 2.0f, (lo[1] + hi[1]) / 2.0f, lo[2]};
    mat3_vec(inv, centre, centre);
    float t[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    const float shift[16] = {1, 0, 0, centre[0], 0, 1, 0, centre[1], 0, 0, 1, 0, 0, 0, 0, 1};
    mat_mul(t, shift, t, 4);
    const float a = -r;
    const float rot4[16] = {cosf(a), -sinf(a), 0, 0, sinf(a), cosf(a), 0, 0,
                            0,       0,        1, 0, 0,       0,       0, 1};
    mat_mul(t, rot4, t, 4);
    const float sx = d->scale_x * crop_w / (float)d->out_w;
    const float sy = d->scale_y * crop_h / (float)d->out_h;
    const float scale[16] = {sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    mat_mul(t, scale, t, 4);
    const float hx = (float)(-1.0 * (d->out_w / 2.0)), hy = (float)(-1.0 * (d->out_h / 2.0));
    const float shift2[16] = {1, 0, 0, hx, 0, 1, 0, hy, 0, 0, 1, 0, 0, 0, 0, 1};
    mat_mul(t, shift2, out, 4);
}

static void eval_v1(const l2t_data *d, const float *lm, float *out)
{
    const float *l = lm + 3 * (size_t)d->left, *rt = lm + 3 * (size_t)d->right;
    const float alpha = -atanf((rt[1] - l[1]) / (rt[0] - l[0]));
    const float ca = cosf(alpha), sa = sinf(alpha);
    float hi[2] = {-100000.0f, -100000.0f}, lo[2] = {100000.0f, 100000.0f};
    for (size_t i = 0; i < d->subset_n; ++i) {
        const float *p = lm + 3 * (size_t)d->subset[i];
        const float x = p[0] * ca - p[1] * sa, y = p[0] * sa + p[1] * ca;
        hi[0] = hi[0] < x ? x : hi[0];
        hi[1] = hi[1] < y ? y : hi[1];
        lo[0] = x < lo[0] ? x : lo[0];
        lo[1] = y < lo[1] ? y : lo[1];
    }
    const float range = (float)d->landmarks_range;
    const float bw = (hi[0] - lo[0]) * d->bbox_mult, bh = (hi[1] - lo[1]) * d->bbox_mult;
    const float scale[9] = {bw / range, 0, 0, 0, bh / range, 0, 0, 0, 1};
    const float mx = (float)((hi[0] + lo[0]) / 2.0), my = (float)((hi[1] + lo[1]) / 2.0);
    const float cn = cosf(-alpha), sn = sinf(-alpha);
    const float rmx = mx * cn - my * sn, rmy = mx * sn + my * cn;
    const float rot[9] = {cn, -sn, (float)((rmx / range) * 2.0 - 1.0),
                          sn, cn,  (float)((rmy / range) * 2.0 - 1.0),
                          0,  0,   1};
    const float rel[9] = {(float)(2.0 / (d->out_hw[1] - 1.0)), 0, -1,
                          0, (float)(2.0 / (d->out_hw[0] - 1.0)), -1,
                          0, 0, 1};
    const float aw = (float)((d->in_hw[1] - 1.0) / 2.0), ah = (float)((d->in_hw[0] - 1.0) / 2.0);
    const float abs_m[9] = {aw, 0, aw, 0, ah, ah, 0, 0, 1};
    float m[9];
    mat_mul(abs_m, rot, m, 3);
    mat_mul(m, scale, m, 3);
    mat_mul(m, rel, m, 3);
    const float res[16] = {m[0], m[1], 0, m[2], m[3], m[4], 0, m[5],
                           m[6], m[7], m[8], 0, 0, 0, 0, 1};
    for (int i = 0; i < 16; ++i)
        out[i] = res[i];
}

static tfl_status l2t_eval(tfl__ctx *ctx, tfl__node *node)
{
    const l2t_data *d = node->data;
    const float *lm = (const float *)tfl__input(ctx, node, 0)->data;
    float *out = (float *)tfl__output(ctx, node, 0)->data;
    if (node->version >= 2)
        eval_v2(d, lm, out);
    else
        eval_v1(d, lm, out);
    return TFL_OK;
}

const tfl__op tfl__op_landmarks_2_transform_matrix = {
    .builtin_code = TFL__CUSTOM,
    .custom_code = "Landmarks2TransformMatrix",
    .min_version = 1,
    .max_version = 2,
    .init = l2t_init,
    .prepare = l2t_prepare,
    .eval = l2t_eval,
    .free = l2t_free,
};
