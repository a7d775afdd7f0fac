/* BUCKETIZE (147): for each input value the number of boundaries (a float
 * vector in the options) that are <= it, i.e. the index std::upper_bound
 * gives; float32, float64, int32, int64 input, int32 output. As TFLite:
 * the boundaries must be sorted as std::is_sorted sees it (no b[i+1] <
 * b[i], so NaN boundaries pass), the comparison is C++'s `value < boundary`
 * (an integer converted to float, a float boundary to double), and the
 * search is the libstdc++ upper_bound binary search step for step, so NaN
 * inputs and boundaries give TFLite's indices. No options table (or one of
 * another type) means no boundaries; a table without the vector is refused
 * as TFLite's parser does. */
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"

#define BUCKETIZE_OPTIONS 115 /* BuiltinOptions_BucketizeOptions */

typedef struct bucketize_data {
    uint32_t n;
    float *bounds;
} bucketize_data;

static void bucketize_free(void *p)
{
    bucketize_data *d = p;
    if (d)
        free(d->bounds);
    free(d);
}

static tfl_status bucketize_init(tfl__ctx *ctx, tfl__node *node)
{
    bucketize_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    if (!node->options.buf || node->options_type != BUCKETIZE_OPTIONS)
        return TFL_OK;
    tfl__fb_vec v;
    const int r = tfl__fb_vec_field(&node->options, 0, sizeof(float), &v);
    if (r < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "boundaries vector is malformed");
    if (r == 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "boundaries array not provided");
    if (v.count > INT32_MAX)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "%u boundaries are too many",
                            (unsigned)v.count);
    d->n = v.count;
    d->bounds = malloc(sizeof(float) * (d->n ? d->n : 1));
    if (!d->bounds)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    for (uint32_t i = 0; i < d->n; ++i) {
        d->bounds[i] = tfl__fb_vec_f32(&v, i);
        if (i > 0 && d->bounds[i] < d->bounds[i - 1])
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "expected sorted boundaries: %g after %g", (double)d->bounds[i],
                                (double)d->bounds[i - 1]);
    }
    return TFL_OK;
}

static tfl_status bucketize_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if (in->type != TFL_FLOAT32 && in->type != TFL_FLOAT64 && in->type != TFL_INT32 &&
        in->type != TFL_INT64)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, float64, int32, int64)",
                            tfl_type_name(in->type));
    if ((s = tfl__check_type(ctx, node, out, "output", TFL_INT32)) != TFL_OK)
        return s;
    return tfl__resize(ctx, node, out, in->dims, in->ndim);
}

/* std::upper_bound over b[0, n) with comp(value, b[i]) = value LESS b[i]. */
#define UPPER_BOUND(NAME, T, LESS)                                                                 \
    static void NAME(const void *in, const float *b, uint32_t n, int32_t *out, size_t count)       \
    {                                                                                              \
        const T *x = in;                                                                           \
        for (size_t i = 0; i < count; ++i) {                                                       \
            uint32_t first = 0, len = n;                                                           \
            while (len > 0) {                                                                      \
                const uint32_t half = len >> 1, mid = first + half;                                \
                if (LESS(x[i], b[mid]))                                                            \
                    len = half;                                                                    \
                else {                                                                             \
                    first = mid + 1;                                                               \
                    len = len - half - 1;                                                          \
                }                                                                                  \
            }                                                                                      \
            out[i] = (int32_t)first;                                                               \
        }                                                                                          \
    }

#define LESS_F32(v, b) ((v) < (b))
#define LESS_F64(v, b) ((v) < (double)(b))
#define LESS_INT(v, b) ((float)(v) < (b))

UPPER_BOUND(bucketize_f32, float, LESS_F32)
UPPER_BOUND(bucketize_f64, double, LESS_F64)
UPPER_BOUND(bucketize_s32, int32_t, LESS_INT)
UPPER_BOUND(bucketize_s64, int64_t, LESS_INT)

static tfl_status bucketize_eval(tfl__ctx *ctx, tfl__node *node)
{
    const bucketize_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t n = tfl__num_elements(in);
    int32_t *o = (int32_t *)(void *)out->data;
    if (n == 0)
        return TFL_OK;
    switch (in->type) {
    case TFL_FLOAT32: bucketize_f32(in->data, d->bounds, d->n, o, n); break;
    case TFL_FLOAT64: bucketize_f64(in->data, d->bounds, d->n, o, n); break;
    case TFL_INT32: bucketize_s32(in->data, d->bounds, d->n, o, n); break;
    default: bucketize_s64(in->data, d->bounds, d->n, o, n); break;
    }
    return TFL_OK;
}

const tfl__op tfl__op_bucketize = {
    .builtin_code = 147,
    .min_version = 1,
    .max_version = 1,
    .init = bucketize_init,
    .prepare = bucketize_prepare,
    .eval = bucketize_eval,
    .free = bucketize_free,
};
