/* Convolution2DTransposeBias (MediaPipe custom op, selfie segmentation and
 * hair segmentation): a float32 transposed convolution with a bias, from the
 * days before TRANSPOSE_CONV took one.
 *
 * Inputs: the input [N, H, W, Cin], the weights [Cout, fh, fw, Cin] (OHWI)
 * and the bias [Cout]; the output shape is computed, not fed. Options: the
 * leading fields of TfLiteTransposeConvParams as raw bytes (padding,
 * stride_width, stride_height: three little-endian int32).
 *
 * Per axis: total padding P = SAME ? max(0, f - (in - 1) % s - 1) : 0,
 * output size s * (in - 1) + f - P, and input pixel i spreads its
 * contributions over outputs i * s - P / 2 + [0, f). Every output starts at
 * the bias and adds its contributions in input order (row, column, input
 * channel), the order of MediaPipe's reference loop, so the sums round the
 * same way; this kernel gathers them per output element instead of
 * scattering, which lets the rows run in parallel. */
#include <stdlib.h>

#include "ops/mediapipe/mediapipe.h"

typedef struct ctb_data {
    int32_t padding, stride_w, stride_h;
    /* From prepare. */
    int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c, fh, fw;
    int64_t pad_h, pad_w;
} ctb_data;

static tfl_status ctb_init(tfl__ctx *ctx, tfl__node *node)
{
    if (!node->custom_options || node->custom_options_size < 12)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom options must hold TfLiteTransposeConvParams (at least 12 "
                            "bytes), got %zu bytes",
                            node->custom_options ? node->custom_options_size : (size_t)0);
    ctb_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    d->padding = tfl__mp_raw_i32(node, 0);
    d->stride_w = tfl__mp_raw_i32(node, 1);
    d->stride_h = tfl__mp_raw_i32(node, 2);
    tfl_status s = TFL_OK;
    if (d->padding != TFL__MP_PAD_SAME && d->padding != TFL__MP_PAD_VALID)
        s = tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "padding %d is not SAME (1) or VALID (2)",
                         (int)d->padding);
    else if (d->stride_w < 1 || d->stride_h < 1)
        s = tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                         "strides must be >= 1, got %d x %d (height x width)", (int)d->stride_h,
                         (int)d->stride_w);
    if (s != TFL_OK) {
        free(d);
        return s;
    }
    node->data = d;
    return TFL_OK;
}

static void ctb_free(void *data)
{
    free(data);
}

static int64_t total_pad(int padding, int64_t in, int64_t f, int64_t s)
{
    if (padding != TFL__MP_PAD_SAME)
        return 0;
    int64_t p = f - (in - 1) % s - 1;
    return p > 0 ? p : 0;
}

static tfl_status ctb_prepare(tfl__ctx *ctx, tfl__node *node)
{
    ctb_data *d = node->data;
    tfl_status s;
    char buf[96], buf2[96];
    if ((s = tfl__check_io(ctx, node, 3, 3, 1)) != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *w = tfl__input(ctx, node, 1),
                     *bias = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__mp_check_f32(ctx, node, in, "input", 4)) ||
        (s = tfl__mp_check_f32(ctx, node, w, "weights", 4)) ||
        (s = tfl__mp_check_f32(ctx, node, bias, "bias", 1)) ||
        (s = tfl__check_type(ctx, node, out, "output", TFL_FLOAT32)))
        return s;
    if (w->dims[3] != in->dims[3])
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "weights %s must be [out channels, h, w, %d] for input %s",
                            tfl__describe(w, buf, sizeof buf), (int)in->dims[3],
                            tfl__describe(in, buf2, sizeof buf2));
    if (bias->dims[0] != w->dims[0])
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "bias %s must have one value per output channel (%d)",
                            tfl__describe(bias, buf, sizeof buf), (int)w->dims[0]);
    if (in->dims[1] < 1 || in->dims[2] < 1 || w->dims[1] < 1 || w->dims[2] < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "input %s and weights %s need a height and width of at least 1",
                            tfl__describe(in, buf, sizeof buf),
                            tfl__describe(w, buf2, sizeof buf2));
    d->batches = in->dims[0];
    d->in_h = in->dims[1];
    d->in_w = in->dims[2];
    d->in_c = in->dims[3];
    d->out_c = w->dims[0];
    d->fh = w->dims[1];
    d->fw = w->dims[2];
    int64_t ph = total_pad(d->padding, d->in_h, d->fh, d->stride_h);
    int64_t pw = total_pad(d->padding, d->in_w, d->fw, d->stride_w);
    int64_t oh = (int64_t)d->stride_h * (d->in_h - 1) + d->fh - ph;
    int64_t ow = (int64_t)d->stride_w * (d->in_w - 1) + d->fw - pw;
    if (oh > INT32_MAX || ow > INT32_MAX)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output size %lld x %lld is too large", (long long)oh,
                            (long long)ow);
    d->out_h = (int32_t)oh;
    d->out_w = (int32_t)ow;
    d->pad_h = ph / 2;
    d->pad_w = pw / 2;
    const int32_t dims[4] = {d->batches, d->out_h, d->out_w, d->out_c};
    if ((s = tfl__resize(ctx, node, out, dims, 4)) != TFL_OK)
        return s;
    node->work = tfl__work(tfl__num_elements(in), (uint64_t)d->fh * (uint64_t)d->fw,
                           (uint64_t)d->out_c);
    return TFL_OK;
}

typedef struct ctb_job {
    const ctb_data *d;
    const float *in, *w, *bias;
    float *out;
} ctb_job;

/* First input index i >= 0 with i * s - pad <= o, i.e. the window of input i
 * (starting at i * s - pad, f long) can reach o: i * s - pad > o - f. */
static int64_t first_in(int64_t o, int64_t pad, int64_t f, int64_t s)
{
    int64_t num = o + pad - f + 1; /* need i * s >= num */
    if (num <= 0)
        return 0;
    return (num + s - 1) / s;
}

static void ctb_rows(void *arg, size_t start, size_t end, int worker)
{
    const ctb_job *j = arg;
    const ctb_data *d = j->d;
    const int64_t ic = d->in_c, oc = d->out_c, iw = d->in_w, ih = d->in_h;
    const int64_t sh = d->stride_h, sw = d->stride_w;
    for (size_t row = start; row < end; ++row) {
        const int64_t b = (int64_t)(row / (size_t)d->out_h), oy = (int64_t)(row % (size_t)d->out_h);
        int64_t iy0 = first_in(oy, d->pad_h, d->fh, sh);
        int64_t iy1 = (oy + d->pad_h) / sh + 1; /* i * s - pad <= o */
        if (iy1 > ih)
            iy1 = ih;
        for (int64_t ox = 0; ox < d->out_w; ++ox) {
            int64_t ix0 = first_in(ox, d->pad_w, d->fw, sw);
            int64_t ix1 = (ox + d->pad_w) / sw + 1;
            if (ix1 > iw)
                ix1 = iw;
            float *dst = j->out + (((size_t)row * (size_t)d->out_w) + (size_t)ox) * (size_t)oc;
            for (int64_t o = 0; o < oc; ++o) {
                float acc = j->bias[o];
                for (int64_t iy = iy0; iy < iy1; ++iy) {
                    const int64_t fy = oy + d->pad_h - iy * sh;
                    for (int64_t ix = ix0; ix < ix1; ++ix) {
                        const int64_t fx = ox + d->pad_w - ix * sw;
                        const float *x = j->in + ((b * ih + iy) * iw + ix) * ic;
                        const float *wt = j->w + ((o * d->fh + fy) * d->fw + fx) * ic;
                        for (int64_t c = 0; c < ic; ++c)
                            acc += x[c] * wt[c];
                    }
                }
                dst[o] = acc;
            }
        }
    }
}

static tfl_status ctb_eval(tfl__ctx *ctx, tfl__node *node)
{
    const ctb_data *d = node->data;
    ctb_job j = {d, (const float *)tfl__input(ctx, node, 0)->data,
                 (const float *)tfl__input(ctx, node, 1)->data,
                 (const float *)tfl__input(ctx, node, 2)->data,
                 (float *)tfl__output(ctx, node, 0)->data};
    size_t rows = (size_t)d->batches * (size_t)d->out_h;
    if (rows == 0 || d->out_w == 0 || d->out_c == 0)
        return TFL_OK;
    tfl__parallel_for(ctx, rows, 1, ctb_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_convolution_2d_transpose_bias = {
    .builtin_code = TFL__CUSTOM,
    .custom_code = "Convolution2DTransposeBias",
    .min_version = 1,
    .max_version = 1,
    .init = ctb_init,
    .prepare = ctb_prepare,
    .eval = ctb_eval,
    .free = ctb_free,
};
