/* MaxUnpooling2D (MediaPipe custom op, selfie segmentation): the inverse of
 * MaxPoolingWithArgmax2D. Input 0 holds values [N, H, W, C], input 1 (same
 * shape, float32) the window positions MaxPoolingWithArgmax2D wrote; the
 * output is [N, H * filter_h, W * filter_w, C], zero except where a value
 * lands.
 *
 * Options: TfLitePoolParams as raw bytes; only the strides and the filter
 * size are used (MediaPipe ignores the padding and the activation here).
 * Input pixel (y, x) covers the output window starting at
 * (y * stride_h - pad_h, x * stride_w - pad_w), pad = max(0, ((H - 1) *
 * stride + filter - H * filter) / 2); its index, truncated to an integer k,
 * puts the value at window row k / filter_w, column k % filter_w. Positions
 * outside the output (reachable when stride > filter) are skipped. Values are
 * written in input order, so when two inputs land on the same output element
 * the later one wins. An index that is not finite or truncates outside
 * [0, filter_h * filter_w) fails the invoke. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ops/mediapipe/mediapipe.h"

typedef struct mup_data {
    tfl__mp_pool p;
    int32_t batches, in_h, in_w, channels, out_h, out_w;
    int64_t pad_h, pad_w;
} mup_data;

static tfl_status mup_init(tfl__ctx *ctx, tfl__node *node)
{
    mup_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    tfl_status s = tfl__mp_pool_params(ctx, node, &d->p);
    if (s != TFL_OK) {
        free(d);
        return s;
    }
    node->data = d;
    return TFL_OK;
}

static void mup_free(void *data)
{
    free(data);
}

static tfl_status mup_prepare(tfl__ctx *ctx, tfl__node *node)
{
    mup_data *d = node->data;
    tfl_status s;
    char buf[96], buf2[96];
    if ((s = tfl__check_io(ctx, node, 2, 2, 1)) != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *idx = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__mp_check_f32(ctx, node, in, "input", 4)) ||
        (s = tfl__mp_check_f32(ctx, node, idx, "indices", 4)) ||
        (s = tfl__check_type(ctx, node, out, "output", TFL_FLOAT32)))
        return s;
    if (!tfl__same_shape(in, idx))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "indices %s must have the input's shape %s",
                            tfl__describe(idx, buf, sizeof buf),
                            tfl__describe(in, buf2, sizeof buf2));
    d->batches = in->dims[0];
    d->in_h = in->dims[1];
    d->in_w = in->dims[2];
    d->channels = in->dims[3];
    int64_t oh = (int64_t)d->in_h * d->p.filter_h, ow = (int64_t)d->in_w * d->p.filter_w;
    if (oh > INT32_MAX || ow > INT32_MAX)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output size %lld x %lld (input %s times the %d x %d filter) is too "
                            "large",
                            (long long)oh, (long long)ow, tfl__describe(in, buf, sizeof buf),
                            (int)d->p.filter_h, (int)d->p.filter_w);
    d->out_h = (int32_t)oh;
    d->out_w = (int32_t)ow;
    int64_t ph = ((int64_t)(d->in_h - 1) * d->p.stride_h + d->p.filter_h - oh) / 2;
    int64_t pw = ((int64_t)(d->in_w - 1) * d->p.stride_w + d->p.filter_w - ow) / 2;
    d->pad_h = ph > 0 ? ph : 0;
    d->pad_w = pw > 0 ? pw : 0;
    const int32_t dims[4] = {d->batches, d->out_h, d->out_w, d->channels};
    return tfl__resize(ctx, node, out, dims, 4);
}

static tfl_status mup_eval(tfl__ctx *ctx, tfl__node *node)
{
    const mup_data *d = node->data;
    const tfl_tensor *tin = tfl__input(ctx, node, 0);
    const float *in = (const float *)tin->data;
    const float *idx = (const float *)tfl__input(ctx, node, 1)->data;
    tfl_tensor *tout = tfl__output(ctx, node, 0);
    float *out = (float *)tout->data;
    const size_t n = tfl__num_elements(tin);
    const double window = (double)d->p.filter_h * (double)d->p.filter_w;
    /* Check every index before writing anything. */
    for (size_t i = 0; i < n; ++i) {
        float v = idx[i];
        if (!(v > -1.0f) || !((double)truncf(v) < window))
            return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME,
                                "index %g at element %zu is outside the %d x %d window "
                                "[0, %.0f)",
                                (double)v, i, (int)d->p.filter_h, (int)d->p.filter_w, window);
    }
    if (tout->bytes)
        memset(out, 0, tout->bytes);
    const int64_t c = d->channels, fw = d->p.filter_w;
    size_t i = 0;
    for (int64_t b = 0; b < d->batches; ++b)
        for (int64_t y = 0; y < d->in_h; ++y)
            for (int64_t x = 0; x < d->in_w; ++x)
                for (int64_t ch = 0; ch < c; ++ch, ++i) {
                    int64_t k = (int64_t)idx[i];
                    int64_t oy = y * d->p.stride_h - d->pad_h + k / fw;
                    int64_t ox = x * d->p.stride_w - d->pad_w + k % fw;
                    if (oy < 0 || oy >= d->out_h || ox < 0 || ox >= d->out_w)
                        continue;
                    out[((b * d->out_h + oy) * d->out_w + ox) * c + ch] = in[i];
                }
    return TFL_OK;
}

const tfl__op tfl__op_max_unpooling_2d = {
    .builtin_code = TFL__CUSTOM,
    .custom_code = "MaxUnpooling2D",
    .min_version = 1,
    .max_version = 1,
    .init = mup_init,
    .prepare = mup_prepare,
    .eval = mup_eval,
    .free = mup_free,
};
