/* Option parsing and checks shared by the MediaPipe custom ops. */
#include "ops/mediapipe/mediapipe.h"

#include <math.h>
#include <string.h>

int32_t tfl__mp_raw_i32(const tfl__node *node, size_t i)
{
    const uint8_t *p = node->custom_options + 4 * i;
    uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                 (uint32_t)p[3] << 24;
    return (int32_t)u;
}

tfl_status tfl__mp_pool_params(tfl__ctx *ctx, tfl__node *node, tfl__mp_pool *out)
{
    if (!node->custom_options || node->custom_options_size < 24)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom options must hold TfLitePoolParams (at least 24 bytes), "
                            "got %zu bytes",
                            node->custom_options ? node->custom_options_size : (size_t)0);
    out->padding = tfl__mp_raw_i32(node, 0);
    out->stride_w = tfl__mp_raw_i32(node, 1);
    out->stride_h = tfl__mp_raw_i32(node, 2);
    out->filter_w = tfl__mp_raw_i32(node, 3);
    out->filter_h = tfl__mp_raw_i32(node, 4);
    out->activation = tfl__mp_raw_i32(node, 5);
    if (out->stride_w < 1 || out->stride_h < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "strides must be >= 1, got %d x %d (height x width)",
                            (int)out->stride_h, (int)out->stride_w);
    if (out->filter_w < 1 || out->filter_h < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "filter size must be >= 1, got %d x %d (height x width)",
                            (int)out->filter_h, (int)out->filter_w);
    return TFL_OK;
}

tfl_status tfl__mp_flex_map(tfl__ctx *ctx, tfl__node *node, bool allow_empty,
                            tfl__flex_map *m, bool *present)
{
    tfl__flex_ref root;
    *present = false;
    memset(m, 0, sizeof *m);
    if (!node->custom_options || node->custom_options_size == 0) {
        if (allow_empty)
            return TFL_OK;
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "custom options are missing");
    }
    if (tfl__flex_root(node->custom_options, node->custom_options_size, &root) != 1 ||
        tfl__flex_as_map(&root, m) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom options are not a valid FlexBuffers map");
    *present = true;
    return TFL_OK;
}

/* 1 found, 0 absent (or null), -1 failed (error set). */
static int lookup(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m, const char *key,
                  tfl__flex_ref *r)
{
    if (!m->keys.buf)
        return 0;
    int s = tfl__flex_map_get(m, key, r);
    if (s < 0) {
        tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                     "custom options are malformed (looking up '%s')", key);
        return -1;
    }
    return s == 1 && r->type != TFL__FLEX_NULL;
}

tfl_status tfl__mp_opt_int(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m,
                           const char *key, int32_t *out, bool *found)
{
    tfl__flex_ref r;
    int s = lookup(ctx, node, m, key, &r);
    if (found)
        *found = s == 1;
    if (s < 0)
        return TFL_ERROR_BAD_MODEL;
    if (s == 0)
        return TFL_OK;
    int64_t v;
    if (tfl__flex_as_i64(&r, &v) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' is not a valid number", key);
    if (v < INT32_MIN || v > INT32_MAX)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' = %lld is out of range", key, (long long)v);
    *out = (int32_t)v;
    return TFL_OK;
}

tfl_status tfl__mp_opt_float(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m,
                             const char *key, float *out, bool *found)
{
    tfl__flex_ref r;
    int s = lookup(ctx, node, m, key, &r);
    if (found)
        *found = s == 1;
    if (s < 0)
        return TFL_ERROR_BAD_MODEL;
    if (s == 0)
        return TFL_OK;
    double v;
    if (tfl__flex_as_f64(&r, &v) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' is not a valid number", key);
    float f = (float)v;
    if (!isfinite(f))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' = %g is not a finite float", key, v);
    *out = f;
    return TFL_OK;
}

tfl_status tfl__mp_opt_int_vec(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m,
                               const char *key, int32_t *out, size_t max_count, size_t *count)
{
    tfl__flex_ref r, e;
    tfl__flex_vec v;
    *count = 0;
    int s = lookup(ctx, node, m, key, &r);
    if (s < 0)
        return TFL_ERROR_BAD_MODEL;
    if (s == 0)
        return TFL_OK;
    if (r.type == TFL__FLEX_MAP || tfl__flex_as_vec(&r, &v) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' is not a vector of integers", key);
    if (v.count > max_count)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' has %zu entries (at most %zu)", key, v.count,
                            max_count);
    for (size_t i = 0; i < v.count; ++i) {
        int64_t x;
        if (tfl__flex_vec_at(&v, i, &e) != 1 || tfl__flex_as_i64(&e, &x) != 1)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "custom option '%s' entry %zu is not a valid number", key, i);
        if (x < INT32_MIN || x > INT32_MAX)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "custom option '%s' entry %zu = %lld is out of range", key, i,
                                (long long)x);
        out[i] = (int32_t)x;
    }
    *count = v.count;
    return TFL_OK;
}

tfl_status tfl__mp_opt_str(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m,
                           const char *key, const char **out)
{
    tfl__flex_ref r;
    size_t n;
    *out = NULL;
    int s = lookup(ctx, node, m, key, &r);
    if (s < 0)
        return TFL_ERROR_BAD_MODEL;
    if (s == 0)
        return TFL_OK;
    if (tfl__flex_as_str(&r, out, &n) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' is not a string", key);
    return TFL_OK;
}

tfl_status tfl__mp_check_f32(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                             const char *role, int rank)
{
    tfl_status s = tfl__check_type(ctx, node, t, role, TFL_FLOAT32);
    if (s != TFL_OK)
        return s;
    if (rank >= 0 && t->ndim != rank) {
        char buf[96];
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s must have rank %d, got %s",
                            role, rank, tfl__describe(t, buf, sizeof buf));
    }
    for (int i = 0; i < t->ndim; ++i)
        if (t->dims[i] < 0) {
            char buf[96];
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s has a negative dimension: %s",
                                role, tfl__describe(t, buf, sizeof buf));
        }
    return TFL_OK;
}

tfl_status tfl__mp_check_matrix(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t)
{
    tfl_status s = tfl__mp_check_f32(ctx, node, t, "transform matrix", -1);
    if (s != TFL_OK)
        return s;
    if (tfl__num_elements(t) != 16) {
        char buf[96];
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "transform matrix must hold 16 floats (4x4), got %s",
                            tfl__describe(t, buf, sizeof buf));
    }
    return TFL_OK;
}
