/* Image -> input tensor: channel conversion, optional center crop, bilinear
 * resize with half-pixel centers (TFLite RESIZE_BILINEAR's formula, in
 * float32 and in the same order of operations, so a NumPy reimplementation
 * gives identical values), then normalization and quantization by dtype. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"
#include "core/error.h"

/* Pillow's "L" conversion: ITU-R 601-2 luma in 16-bit fixed point. */
static uint8_t luma(const uint8_t *rgb)
{
    return (uint8_t)((rgb[0] * 19595u + rgb[1] * 38470u + rgb[2] * 7471u + 0x8000u) >> 16);
}

/* Source pixel (x, y, channel c) of the image converted to `want` channels. */
static float pixel(const tfl_image *img, int x, int y, int c, int want)
{
    const uint8_t *p =
        img->pixels + ((size_t)y * (size_t)img->width + (size_t)x) * (size_t)img->channels;
    if (img->channels == want)
        return p[c];
    if (want == 1)
        return luma(p);
    return p[0]; /* gray -> RGB: replicate */
}

/* TFLite ComputeInterpolationValues with half_pixel_centers = true. */
static void interp(int out, float scale, int in_size, float *v, int *lo, int *hi)
{
    *v = ((float)out + 0.5f) * scale - 0.5f;
    float f = floorf(*v);
    *lo = (int)f > 0 ? (int)f : 0;
    int c = (int)ceilf(*v);
    *hi = c < in_size - 1 ? c : in_size - 1;
}

void tfl_image_crop_box(int width, int height, float center_crop, int *x, int *y, int *w,
                        int *h)
{
    *x = 0, *y = 0, *w = width, *h = height;
    if (center_crop > 0.0f && center_crop < 1.0f) {
        int cw = (int)((float)width * center_crop + 0.5f);
        int ch = (int)((float)height * center_crop + 0.5f);
        *w = cw < 1 ? 1 : cw;
        *h = ch < 1 ? 1 : ch;
        *x = (width - *w) / 2;
        *y = (height - *h) / 2;
    }
}

tfl_status tfl_image_to_tensor(const tfl_image *img, tfl_tensor *t, const tfl_preprocess *pp,
                               tfl_error *err)
{
    if (err) {
        err->status = TFL_OK;
        err->message[0] = 0;
    }
    if (!img || !img->pixels || !t)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "image or tensor is missing");
    if (img->channels != 1 && img->channels != 3)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "image has %d channels", img->channels);
    if (!t->data)
        return tfl__error_set(err, TFL_ERROR_STATE, "input tensor has no memory: allocate first");
    char desc[128];
    int H, W, C;
    bool nchw = false;
    if (t->ndim == 4 && t->dims[0] == 1 && (t->dims[3] == 1 || t->dims[3] == 3)) {
        H = t->dims[1], W = t->dims[2], C = t->dims[3];
    } else if (t->ndim == 4 && t->dims[0] == 1 && (t->dims[1] == 1 || t->dims[1] == 3)) {
        C = t->dims[1], H = t->dims[2], W = t->dims[3];
        nchw = true;
    } else if (t->ndim == 3 && (t->dims[2] == 1 || t->dims[2] == 3)) {
        H = t->dims[0], W = t->dims[1], C = t->dims[2];
    } else {
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT,
                    "input %s is not an image tensor ([1,H,W,C] or [1,C,H,W] with C = 1 or 3)",
                    tfl__describe(t, desc, sizeof desc));
    }
    if (H <= 0 || W <= 0)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "input %s has an empty image size",
                    tfl__describe(t, desc, sizeof desc));
    if (t->type != TFL_UINT8 && t->type != TFL_FLOAT32 && t->type != TFL_INT8 &&
        t->type != TFL_INT16)
        return tfl__error_set(err, TFL_ERROR_UNSUPPORTED, "image input of type %s is not supported",
                    tfl_type_name(t->type));
    if (t->type != TFL_UINT8 && t->type != TFL_FLOAT32 && t->quant.count == 0)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "%s input is not quantized",
                    tfl_type_name(t->type));
    float mean[3] = {0, 0, 0}, stdv[3] = {1, 1, 1};
    if (pp && pp->norm_count > 0) {
        for (int c = 0; c < 3; ++c) {
            int k = pp->norm_count == 1 ? 0 : (c < pp->norm_count ? c : pp->norm_count - 1);
            mean[c] = pp->mean[k];
            stdv[c] = pp->std[k];
            if (!(stdv[c] != 0.0f))
                return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "normalization std is zero");
        }
    }
    int cx, cy, cw, ch;
    tfl_image_crop_box(img->width, img->height, pp ? pp->center_crop : 0.0f, &cx, &cy, &cw, &ch);
    float sy = (float)ch / (float)H, sx = (float)cw / (float)W;
    float qscale = t->scale;
    int32_t zp = t->zero_point;
    for (int y = 0; y < H; ++y) {
        float iy;
        int y0, y1;
        interp(y, sy, ch, &iy, &y0, &y1);
        for (int x = 0; x < W; ++x) {
            float ix;
            int x0, x1;
            interp(x, sx, cw, &ix, &x0, &x1);
            for (int c = 0; c < C; ++c) {
                float v = pixel(img, cx + x0, cy + y0, c, C) * (1 - (iy - (float)y0)) *
                              (1 - (ix - (float)x0)) +
                          pixel(img, cx + x0, cy + y1, c, C) * (iy - (float)y0) *
                              (1 - (ix - (float)x0)) +
                          pixel(img, cx + x1, cy + y0, c, C) * (1 - (iy - (float)y0)) *
                              (ix - (float)x0) +
                          pixel(img, cx + x1, cy + y1, c, C) * (iy - (float)y0) * (ix - (float)x0);
                size_t idx = nchw ? ((size_t)c * (size_t)H + (size_t)y) * (size_t)W + (size_t)x
                                  : ((size_t)y * (size_t)W + (size_t)x) * (size_t)C + (size_t)c;
                if (t->type == TFL_UINT8) {
                    float r = floorf(v + 0.5f);
                    t->data[idx] = (uint8_t)(r < 0 ? 0 : (r > 255 ? 255 : r));
                    continue;
                }
                float f = (v - mean[c]) / stdv[c];
                if (t->type == TFL_FLOAT32) {
                    memcpy(t->data + 4 * idx, &f, 4);
                    continue;
                }
                int32_t lo = t->type == TFL_INT8 ? -128 : -32768;
                int32_t hi = t->type == TFL_INT8 ? 127 : 32767;
                float r = roundf(f / qscale);
                int64_t q = r > 1e9f ? hi : (r < -1e9f ? lo : (int64_t)r + zp);
                q = q < lo ? lo : (q > hi ? hi : q);
                if (t->type == TFL_INT8) {
                    ((int8_t *)t->data)[idx] = (int8_t)q;
                } else {
                    int16_t s = (int16_t)q;
                    memcpy(t->data + 2 * idx, &s, 2);
                }
            }
        }
    }
    return TFL_OK;
}
