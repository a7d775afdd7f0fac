/* Fuzz target: any bytes as an image (JPEG with EXIF, PNG, BMP), then into
 * an input tensor. The first byte chooses the tensor (low 3 bits: type and
 * layout, below) and the preprocessing (bit 3: mean/std, bit 4: center
 * crop); the rest is the image file. The tensors are built directly (the
 * interpreter is not under test here), small so each run stays fast.
 * fuzz-needs: vision */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"
#include "tfl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct tensor_spec {
    tfl_type type;
    int ndim;
    int32_t dims[4];
    float scale;
    int32_t zero_point;
} tensor_spec;

static const tensor_spec k_specs[8] = {
    {TFL_UINT8, 4, {1, 8, 8, 3}, 0.0f, 0},           /* NHWC RGB, raw pixels */
    {TFL_INT8, 4, {1, 7, 5, 1}, 1.0f / 128, -1},     /* NHWC gray, quantized */
    {TFL_FLOAT32, 4, {1, 3, 6, 4}, 0.0f, 0},         /* NCHW RGB */
    {TFL_INT16, 3, {6, 6, 1}, 1.0f / 256, 0},        /* HWC, no batch */
    {TFL_FLOAT32, 4, {1, 16, 16, 1}, 0.0f, 0},       /* upscaling most images */
    {TFL_UINT8, 4, {1, 1, 1, 3}, 0.0f, 0},           /* a single pixel */
    {TFL_INT8, 4, {1, 1, 9, 9}, 0.02f, 3},           /* NCHW gray */
    {TFL_FLOAT32, 4, {1, 4, 4, 2}, 0.0f, 0},         /* 2 channels: refused */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t sel = data[0];
    tfl_image img;
    tfl_error err;
    if (tfl_image_load_buffer(data + 1, size - 1, &img, &err) != TFL_OK) {
        if (img.pixels || !err.message[0])
            abort(); /* a failure leaves no image and says why */
        return 0;
    }
    if (img.width <= 0 || img.height <= 0 || (img.channels != 1 && img.channels != 3))
        abort();
    /* Every pixel is readable: ASan checks the buffer has the claimed size. */
    volatile unsigned sum = 0;
    size_t n = (size_t)img.width * (size_t)img.height * (size_t)img.channels;
    for (size_t i = 0; i < n; ++i)
        sum += img.pixels[i];

    const tensor_spec *s = &k_specs[sel & 7];
    float qscale[1] = {s->scale};
    int64_t qzero[1] = {s->zero_point};
    tfl_tensor t;
    memset(&t, 0, sizeof t);
    t.type = s->type;
    t.ndim = s->ndim;
    size_t count = 1;
    for (int d = 0; d < s->ndim; ++d) {
        t.dims[d] = s->dims[d];
        count *= (size_t)s->dims[d];
    }
    t.bytes = count * tfl_type_size(s->type);
    t.name = "image";
    if (s->scale != 0.0f) {
        t.scale = s->scale;
        t.zero_point = s->zero_point;
        t.quant.count = 1;
        t.quant.scales = qscale;
        t.quant.zero_points = qzero;
    }
    t.data = malloc(t.bytes); /* exact size: ASan sees writes past the tensor */
    t.alloc = TFL__ALLOC_ARENA;
    if (t.data) {
        tfl_preprocess pp;
        memset(&pp, 0, sizeof pp);
        if (sel & 8) {
            pp.norm_count = 3;
            pp.mean[0] = 127.5f, pp.mean[1] = 120.0f, pp.mean[2] = 0.0f;
            pp.std[0] = 127.5f, pp.std[1] = 64.0f, pp.std[2] = 1.0f;
        }
        if (sel & 16)
            pp.center_crop = (sel & 32) ? 0.875f : 0.01f; /* 0.01: a crop of one pixel */
        tfl_status st = tfl_image_to_tensor(&img, &t, &pp, &err);
        if (st != TFL_OK && !err.message[0])
            abort();
        if ((sel & 7) != 7 && st != TFL_OK)
            abort(); /* every other tensor is a valid image input */
        int x, y, w, h;
        tfl_image_crop_box(img.width, img.height, pp.center_crop, &x, &y, &w, &h);
        if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > img.width || y + h > img.height)
            abort();
        free(t.data);
    }
    (void)sum;
    tfl_image_free(&img);
    return 0;
}
