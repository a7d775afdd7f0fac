/* MaxPoolingWithArgmax2D (MediaPipe custom op, selfie segmentation):
 * float32 max pooling over NHWC that also writes, for every output element,
 * where in its window the maximum was.
 *
 * Options: TfLitePoolParams as raw bytes (padding, strides, filter size,
 * fused activation). Output 0 is the pooled tensor (activation applied),
 * output 1 (same shape, float32) the position inside the filter window,
 * window_y * filter_width + window_x, plus 0.1 so that a later float to int
 * truncation lands on the integer. The window is the one TFLite's MAX_POOL_2D
 * uses (SAME: ceil(in / stride) outputs, the padding before is
 * ((out - 1) * stride + filter - in) / 2 rounded down; VALID: no padding).
 * Positions of the window that fall in the padding are never the maximum;
 * the running maximum starts at -FLT_MAX and only a strictly greater value
 * replaces it, so the first maximum in row-major window order wins, and a
 * window holding only NaN or values <= -FLT_MAX gives -FLT_MAX and index
 * 0.1 (window position 0, even when that position is padding). */
#include <float.h>
#include <stdlib.h>

#include "ops/mediapipe/mediapipe.h"

typedef struct mpa_data {
    tfl__mp_pool p;
    float act_lo, act_hi;
    /* From prepare. */
    int32_t batches, in_h, in_w, channels, out_h, out_w;
    int64_t pad_h, pad_w;
} mpa_data;

static tfl_status mpa_init(tfl__ctx *ctx, tfl__node *node)
{
    mpa_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    tfl_status s = tfl__mp_pool_params(ctx, node, &d->p);
    if (s == TFL_OK && d->p.padding != TFL__MP_PAD_SAME && d->p.padding != TFL__MP_PAD_VALID)
        s = tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                         "padding %d is not SAME (1) or VALID (2)", (int)d->p.padding);
    if (s == TFL_OK)
        s = tfl__act_range_f32(ctx, node, d->p.activation, &d->act_lo, &d->act_hi);
    if (s != TFL_OK) {
        free(d);
        return s;
    }
    node->data = d;
    return TFL_OK;
}

static void mpa_free(void *data)
{
    free(data);
}

/* Output size along one axis; < 1 is refused by the caller. */
static int64_t out_size(int padding, int64_t in, int64_t filter, int64_t stride)
{
    if (padding == TFL__MP_PAD_SAME)
        return (in + stride - 1) / stride;
    return in >= filter ? (in - filter) / stride + 1 : 0;
}

static int64_t leading_pad(int64_t in, int64_t filter, int64_t stride, int64_t out)
{
    int64_t p = ((out - 1) * stride + filter - in) / 2;
    return p > 0 ? p : 0;
}

static tfl_status mpa_prepare(tfl__ctx *ctx, tfl__node *node)
{
    mpa_data *d = node->data;
    tfl_status s;
    char buf[96];
    if ((s = tfl__check_io(ctx, node, 1, 1, 2)) != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0), *idx = tfl__output(ctx, node, 1);
    if ((s = tfl__mp_check_f32(ctx, node, in, "input", 4)) ||
        (s = tfl__check_type(ctx, node, out, "output", TFL_FLOAT32)) ||
        (s = tfl__check_type(ctx, node, idx, "indices output", TFL_FLOAT32)))
        return s;
    d->batches = in->dims[0];
    d->in_h = in->dims[1];
    d->in_w = in->dims[2];
    d->channels = in->dims[3];
    int64_t oh = out_size(d->p.padding, d->in_h, d->p.filter_h, d->p.stride_h);
    int64_t ow = out_size(d->p.padding, d->in_w, d->p.filter_w, d->p.stride_w);
    if (oh < 1 || ow < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "input %s is smaller than the %d x %d filter (VALID padding "
                            "leaves no output)",
                            tfl__describe(in, buf, sizeof buf), (int)d->p.filter_h,
                            (int)d->p.filter_w);
    d->out_h = (int32_t)oh;
    d->out_w = (int32_t)ow;
    d->pad_h = leading_pad(d->in_h, d->p.filter_h, d->p.stride_h, oh);
    d->pad_w = leading_pad(d->in_w, d->p.filter_w, d->p.stride_w, ow);
    const int32_t dims[4] = {d->batches, d->out_h, d->out_w, d->channels};
    if ((s = tfl__resize(ctx, node, out, dims, 4)) || (s = tfl__resize(ctx, node, idx, dims, 4)))
        return s;
    /* A window never covers more than the input. */
    uint64_t fh = (uint64_t)(d->p.filter_h < d->in_h ? d->p.filter_h : d->in_h);
    uint64_t fw = (uint64_t)(d->p.filter_w < d->in_w ? d->p.filter_w : d->in_w);
    node->work = tfl__work(tfl__num_elements(out), fh, fw);
    return TFL_OK;
}

typedef struct mpa_job {
    const mpa_data *d;
    const float *in;
    float *out, *idx;
} mpa_job;

/* Rows [start, end) of batch * out_h. */
static void mpa_rows(void *arg, size_t start, size_t end, int worker)
{
    const mpa_job *j = arg;
    const mpa_data *d = j->d;
    const int64_t c = d->channels, iw = d->in_w, ih = d->in_h;
    const int64_t fw = d->p.filter_w, fh = d->p.filter_h;
    for (size_t row = start; row < end; ++row) {
        const int64_t b = (int64_t)(row / (size_t)d->out_h), oy = (int64_t)(row % (size_t)d->out_h);
        const int64_t y0 = oy * d->p.stride_h - d->pad_h;
        const int64_t fy0 = y0 < 0 ? -y0 : 0, fy1 = fh < ih - y0 ? fh : ih - y0;
        for (int64_t ox = 0; ox < d->out_w; ++ox) {
            const int64_t x0 = ox * d->p.stride_w - d->pad_w;
            const int64_t fx0 = x0 < 0 ? -x0 : 0, fx1 = fw < iw - x0 ? fw : iw - x0;
            const size_t o = (size_t)((row * (size_t)d->out_w + (size_t)ox) * (size_t)c);
            for (int64_t ch = 0; ch < c; ++ch) {
                float best = -FLT_MAX;
                int64_t at = 0;
                for (int64_t fy = fy0; fy < fy1; ++fy) {
                    const float *src = j->in + ((b * ih + y0 + fy) * iw + x0) * c + ch;
                    for (int64_t fx = fx0; fx < fx1; ++fx) {
                        float v = src[fx * c];
                        if (v > best) {
                            best = v;
                            at = fy * fw + fx;
                        }
                    }
                }
                float r = best < d->act_lo ? d->act_lo : best;
                j->out[o + (size_t)ch] = r > d->act_hi ? d->act_hi : r;
                j->idx[o + (size_t)ch] = (float)at + 0.1f;
            }
        }
    }
}

static tfl_status mpa_eval(tfl__ctx *ctx, tfl__node *node)
{
    const mpa_data *d = node->data;
    mpa_job j = {d, (const float *)tfl__input(ctx, node, 0)->data,
                 (float *)tfl__output(ctx, node, 0)->data,
                 (float *)tfl__output(ctx, node, 1)->data};
    size_t rows = (size_t)d->batches * (size_t)d->out_h;
    if (rows == 0 || d->channels == 0)
        return TFL_OK;
    tfl__parallel_for(ctx, rows, 1, mpa_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_max_pooling_with_argmax_2d = {
    .builtin_code = TFL__CUSTOM,
    .custom_code = "MaxPoolingWithArgmax2D",
    .min_version = 1,
    .max_version = 1,
    .init = mpa_init,
    .prepare = mpa_prepare,
    .eval = mpa_eval,
    .free = mpa_free,
};
