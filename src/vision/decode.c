/* Image decoding: JPEG through libjpeg-turbo (with EXIF orientation), PNG
 * through libpng's simplified API, BMP by a small bounds-checked reader
 * (uncompressed only). Output: 8-bit gray (1 channel) or RGB (3 channels). */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "tfl.h"
#include "core/error.h"
#include "vision/exif.h"

/* Pixel budget: refuse images larger than this rather than allocate
 * whatever a header claims. 2^26 = 67 megapixels (8192 x 8192): a decoded
 * image then takes at most 256 MiB while decoding (PNG reads 4 bytes per
 * pixel), far above what image models take, and a 60000 x 60000 header is
 * refused before anything is allocated. Documented in tfl.h. */
#define MAX_PIXELS ((size_t)1 << 26)
/* A progressive JPEG may have any number of scans, each a pass over the
 * whole image: a small file with thousands of them takes minutes. Real
 * encoders write about ten; libjpeg-turbo's own tools stop at 500. */
#define MAX_JPEG_SCANS 500
/* Deflate expands at most about 1032:1, so a PNG whose pixel rows need more
 * than this many times its file size cannot be complete: refused before the
 * image is allocated (a truncated file or a decompression bomb). */
#define MAX_DEFLATE_RATIO 1032

static tfl_status alloc_image(tfl_image *out, int w, int h, int c, tfl_error *err)
{
    if (w <= 0 || h <= 0 || (size_t)w * (size_t)h > MAX_PIXELS)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "image size %dx%d is not supported", w, h);
    out->pixels = malloc((size_t)w * (size_t)h * (size_t)c);
    if (!out->pixels)
        return tfl__error_set(err, TFL_ERROR_NO_MEMORY, "out of memory for a %dx%d image", w, h);
    out->width = w;
    out->height = h;
    out->channels = c;
    return TFL_OK;
}

/* ---- JPEG ---------------------------------------------------------------- */

typedef struct jpeg_fail {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} jpeg_fail;

static void jpeg_on_error(j_common_ptr cinfo)
{
    jpeg_fail *f = (jpeg_fail *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, f->message);
    longjmp(f->jump, 1);
}

/* Warnings (e.g. premature end of data) are errors here: a truncated file
 * must not quietly decode to gray rows. */
static void jpeg_on_warning(j_common_ptr cinfo, int level)
{
    if (level < 0)
        jpeg_on_error(cinfo);
}

static void jpeg_on_progress(j_common_ptr cinfo)
{
    if (cinfo->is_decompressor &&
        ((j_decompress_ptr)cinfo)->input_scan_number > MAX_JPEG_SCANS) {
        jpeg_fail *f = (jpeg_fail *)cinfo->err;
        snprintf(f->message, sizeof f->message, "more than %d progressive scans",
                 MAX_JPEG_SCANS);
        longjmp(f->jump, 1);
    }
}

static int exif_orientation(struct jpeg_decompress_struct *cinfo)
{
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m; m = m->next)
        if (m->marker == JPEG_APP0 + 1)
            return tfl__exif_orientation(m->data, m->data_length);
    return 1;
}

static tfl_status decode_jpeg(const uint8_t *data, size_t size, tfl_image *out, tfl_error *err)
{
    struct jpeg_decompress_struct cinfo;
    jpeg_fail jf;
    /* volatile: modified between setjmp and longjmp */
    uint8_t *volatile pixels = NULL;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&jf.mgr);
    jf.mgr.error_exit = jpeg_on_error;
    jf.mgr.emit_message = jpeg_on_warning;
    if (setjmp(jf.jump)) {
        free(pixels);
        jpeg_destroy_decompress(&cinfo);
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "corrupt JPEG: %s", jf.message);
    }
    struct jpeg_progress_mgr progress = {.progress_monitor = jpeg_on_progress};
    jpeg_create_decompress(&cinfo);
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&cinfo, TRUE);
    /* Checked before jpeg_start_decompress, which allocates whole-image
     * buffers for progressive files. */
    if ((size_t)cinfo.image_width * (size_t)cinfo.image_height > MAX_PIXELS) {
        int iw = (int)cinfo.image_width, ih = (int)cinfo.image_height;
        jpeg_destroy_decompress(&cinfo);
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT,
                              "JPEG of %dx%d is too large (limit %zu pixels)", iw, ih, MAX_PIXELS);
    }
    int gray = cinfo.jpeg_color_space == JCS_GRAYSCALE;
    cinfo.out_color_space = gray ? JCS_GRAYSCALE : JCS_RGB;
    /* Pillow's defaults, so the Python reference pipeline decodes alike. */
    cinfo.dct_method = JDCT_ISLOW;
    jpeg_start_decompress(&cinfo);
    int w = (int)cinfo.output_width, h = (int)cinfo.output_height, c = cinfo.output_components;
    if (w <= 0 || h <= 0 || (size_t)w * (size_t)h > MAX_PIXELS || (c != 1 && c != 3)) {
        jpeg_destroy_decompress(&cinfo);
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "JPEG of %dx%dx%d is not supported", w, h, c);
    }
    pixels = malloc((size_t)w * (size_t)h * (size_t)c);
    if (!pixels) {
        jpeg_destroy_decompress(&cinfo);
        return tfl__error_set(err, TFL_ERROR_NO_MEMORY, "out of memory for a %dx%d image", w, h);
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * (size_t)w * (size_t)c;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    int orientation = exif_orientation(&cinfo);
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    tfl_image img = {w, h, c, pixels};
    tfl_status st = tfl__exif_apply(&img, orientation);
    if (st != TFL_OK) {
        free(img.pixels);
        return tfl__error_set(err, st, "out of memory rotating the image");
    }
    *out = img;
    return TFL_OK;
}

/* ---- PNG ----------------------------------------------------------------- */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Bytes of the filtered pixel rows the IHDR chunk describes (interlacing
 * only adds to them), or 0 when the header is not one libpng would take. */
static uint64_t png_raw_bytes(const uint8_t *data, size_t size)
{
    if (size < 29 || memcmp(data + 12, "IHDR", 4) != 0)
        return 0;
    uint64_t w = be32(data + 16), h = be32(data + 20);
    unsigned depth = data[24], color = data[25];
    static const unsigned channels[7] = {1, 0, 3, 1, 2, 0, 4};
    if (color > 6 || channels[color] == 0)
        return 0;
    uint64_t bits = (uint64_t)depth * channels[color];
    return h * (1 + (w * bits + 7) / 8);
}

static tfl_status decode_png(const uint8_t *data, size_t size, tfl_image *out, tfl_error *err)
{
    png_image png;
    memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&png, data, size))
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "corrupt PNG: %s", png.message);
    int gray = (png.format & PNG_FORMAT_FLAG_COLOR) == 0;
    /* Read with alpha, then drop it (as Pillow's convert('RGB') / ('L')). */
    png.format = gray ? PNG_FORMAT_GA : PNG_FORMAT_RGBA;
    uint32_t pw = png.width, ph = png.height;
    if (pw == 0 || ph == 0 || (uint64_t)pw * ph > MAX_PIXELS) {
        png_image_free(&png);
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT,
                              "PNG of %lux%lu is too large (limit %zu pixels)", (unsigned long)pw,
                              (unsigned long)ph, MAX_PIXELS);
    }
    int w = (int)pw, h = (int)ph, c = gray ? 1 : 3, cin = gray ? 2 : 4;
    uint64_t raw = png_raw_bytes(data, size);
    if (raw / MAX_DEFLATE_RATIO > size) {
        png_image_free(&png);
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT,
                              "PNG of %dx%d cannot fit in %zu bytes (truncated, or a "
                              "decompression bomb)",
                              w, h, size);
    }
    uint8_t *buf = malloc((size_t)w * (size_t)h * (size_t)cin);
    if (!buf) {
        png_image_free(&png);
        return tfl__error_set(err, TFL_ERROR_NO_MEMORY, "out of memory for a %dx%d image", w, h);
    }
    if (!png_image_finish_read(&png, NULL, buf, 0, NULL)) {
        free(buf);
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "corrupt PNG: %s", png.message);
    }
    tfl_status st = alloc_image(out, w, h, c, err);
    if (st == TFL_OK) {
        size_t n = (size_t)w * (size_t)h;
        for (size_t i = 0; i < n; ++i)
            memcpy(out->pixels + i * (size_t)c, buf + i * (size_t)cin, (size_t)c);
    }
    free(buf);
    return st;
}

/* ---- BMP ----------------------------------------------------------------- */

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static tfl_status decode_bmp(const uint8_t *data, size_t size, tfl_image *out, tfl_error *err)
{
    if (size < 54)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "corrupt BMP: %zu bytes is too short", size);
    uint32_t pixel_offset = le32(data + 10), header_size = le32(data + 14);
    if (header_size < 40 || header_size > size - 14)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "BMP header of %u bytes is not supported",
                    header_size);
    int32_t w = (int32_t)le32(data + 18), h = (int32_t)le32(data + 22);
    int bpp = le16(data + 28);
    uint32_t compression = le32(data + 30), colors = le32(data + 46);
    /* BI_RGB, or BI_BITFIELDS with the standard masks for 32-bit. */
    if (compression != 0 && !(compression == 3 && (bpp == 32 || bpp == 16)))
        return tfl__error_set(err, TFL_ERROR_UNSUPPORTED, "compressed BMP (method %u) is not supported",
                    compression);
    if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 24 && bpp != 32)
        return tfl__error_set(err, TFL_ERROR_UNSUPPORTED, "%d-bit BMP is not supported", bpp);
    bool top_down = h < 0;
    if (h == INT32_MIN || w <= 0 || h == 0)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "corrupt BMP: size %dx%d", (int)w, (int)h);
    if (top_down)
        h = -h;
    if ((size_t)w * (size_t)h > MAX_PIXELS)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT,
                              "BMP of %dx%d is too large (limit %zu pixels)", (int)w, (int)h,
                              MAX_PIXELS);
    const uint8_t *palette = NULL;
    uint32_t num_colors = 0;
    if (bpp <= 8) {
        num_colors = colors ? colors : (1u << bpp);
        if (num_colors > 256 || 14 + (uint64_t)header_size + 4ull * num_colors > size)
            return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "corrupt BMP: bad palette");
        palette = data + 14 + header_size;
    }
    uint64_t stride = (((uint64_t)w * (uint64_t)bpp + 31) / 32) * 4;
    if (pixel_offset > size || stride * (uint64_t)h > size - pixel_offset)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT,
                    "corrupt BMP: pixel data is truncated (%zu bytes)", size);
    /* Gray when every palette entry is gray (as Pillow's 'L' BMPs). */
    bool gray = palette != NULL;
    for (uint32_t i = 0; gray && i < num_colors; ++i)
        gray = palette[4 * i] == palette[4 * i + 1] && palette[4 * i + 1] == palette[4 * i + 2];
    int c = gray ? 1 : 3;
    tfl_status st = alloc_image(out, (int)w, (int)h, c, err);
    if (st != TFL_OK)
        return st;
    for (int32_t y = 0; y < h; ++y) {
        const uint8_t *row = data + pixel_offset + stride * (uint64_t)(top_down ? y : h - 1 - y);
        uint8_t *dst = out->pixels + (size_t)y * (size_t)w * (size_t)c;
        for (int32_t x = 0; x < w; ++x) {
            uint8_t r, g, b;
            if (bpp <= 8) {
                uint32_t bit = (uint32_t)x * (uint32_t)bpp;
                uint32_t idx = (row[bit / 8] >> (8 - bpp - bit % 8)) & ((1u << bpp) - 1);
                if (idx >= num_colors)
                    idx = 0;
                b = palette[4 * idx];
                g = palette[4 * idx + 1];
                r = palette[4 * idx + 2];
            } else {
                const uint8_t *px = row + (size_t)x * (size_t)(bpp / 8);
                b = px[0];
                g = px[1];
                r = px[2];
            }
            if (gray) {
                dst[x] = r;
            } else {
                dst[3 * x] = r;
                dst[3 * x + 1] = g;
                dst[3 * x + 2] = b;
            }
        }
    }
    return TFL_OK;
}

tfl_status tfl_image_load_buffer(const void *data, size_t size, tfl_image *out, tfl_error *err)
{
    if (err) {
        err->status = TFL_OK;
        err->message[0] = 0;
    }
    if (!out)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "no output image");
    memset(out, 0, sizeof *out);
    const uint8_t *d = data;
    if (!d || size < 4)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "not an image: %zu bytes", size);
    if (d[0] == 0xFF && d[1] == 0xD8)
        return decode_jpeg(d, size, out, err);
    if (size >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return decode_png(d, size, out, err);
    if (d[0] == 'B' && d[1] == 'M')
        return decode_bmp(d, size, out, err);
    return tfl__error_set(err, TFL_ERROR_UNSUPPORTED, "not a JPEG, PNG or BMP image");
}

tfl_status tfl_image_load_file(const char *path, tfl_image *out, tfl_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!path)
        return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "image path is NULL");
    FILE *f = fopen(path, "rb");
    if (!f)
        return tfl__error_set(err, TFL_ERROR_IO, "cannot open '%s': %s", path, strerror(errno));
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            if (cap > ((size_t)1 << 31)) {
                free(buf);
                fclose(f);
                return tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "'%s' is too large", path);
            }
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return tfl__error_set(err, TFL_ERROR_NO_MEMORY, "out of memory reading '%s'", path);
            }
            buf = nb;
        }
        size_t r = fread(buf + len, 1, cap - len, f);
        len += r;
        if (r == 0)
            break;
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(buf);
        return tfl__error_set(err, TFL_ERROR_IO, "cannot read '%s'", path);
    }
    tfl_status st = tfl_image_load_buffer(buf, len, out, err);
    free(buf);
    if (st != TFL_OK && err) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%.200s: %s", path, err->message);
        memcpy(err->message, msg, sizeof msg);
    }
    return st;
}

void tfl_image_free(tfl_image *img)
{
    if (!img)
        return;
    free(img->pixels);
    img->pixels = NULL;
    img->width = img->height = img->channels = 0;
}
