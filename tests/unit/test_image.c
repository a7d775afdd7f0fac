/* Image decoding and preprocessing: synthesized BMPs (every bit depth,
 * top-down and bottom-up), EXIF orientation, the shared JPEG/PNG/BMP images
 * when present, truncated and corrupt files (errors, never crashes), and the
 * resize/normalize/quantize path into tensors. */
#include <stdio.h>
#include <stdlib.h>

#include "ops/op.h"
#include "test.h"
#include "vision/exif.h"

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        p[i] = (uint8_t)(v >> (8 * i));
}
static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* A w x h 24-bit BMP whose pixel (x, y) is (x*10, y*20, 7). */
static size_t make_bmp24(uint8_t *buf, int w, int h, int top_down)
{
    size_t stride = ((size_t)w * 3 + 3) & ~(size_t)3;
    size_t size = 54 + stride * (size_t)h;
    memset(buf, 0, size);
    buf[0] = 'B';
    buf[1] = 'M';
    put32(buf + 2, (uint32_t)size);
    put32(buf + 10, 54);
    put32(buf + 14, 40);
    put32(buf + 18, (uint32_t)w);
    put32(buf + 22, (uint32_t)(top_down ? -h : h));
    put16(buf + 26, 1);
    put16(buf + 28, 24);
    for (int y = 0; y < h; ++y) {
        int row = top_down ? y : h - 1 - y;
        for (int x = 0; x < w; ++x) {
            uint8_t *p = buf + 54 + stride * (size_t)row + 3 * (size_t)x;
            p[0] = 7;
            p[1] = (uint8_t)(y * 20);
            p[2] = (uint8_t)(x * 10);
        }
    }
    return size;
}

static void test_bmp24(void)
{
    static uint8_t buf[4096];
    for (int td = 0; td < 2; ++td) {
        size_t n = make_bmp24(buf, 5, 3, td);
        tfl_image img;
        tfl_error err;
        CHECK_EQ_INT(tfl_image_load_buffer(buf, n, &img, &err), TFL_OK);
        CHECK_EQ_INT(img.width, 5);
        CHECK_EQ_INT(img.height, 3);
        CHECK_EQ_INT(img.channels, 3);
        if (img.pixels) {
            const uint8_t *p = img.pixels + (2 * 5 + 4) * 3; /* x=4, y=2 */
            CHECK_EQ_INT(p[0], 40);
            CHECK_EQ_INT(p[1], 40);
            CHECK_EQ_INT(p[2], 7);
        }
        tfl_image_free(&img);
        /* Every truncation is an error. */
        for (size_t len = 0; len < n; ++len) {
            uint8_t *exact = malloc(len ? len : 1);
            memcpy(exact, buf, len);
            CHECK(tfl_image_load_buffer(exact, len, &img, &err) != TFL_OK);
            free(exact);
        }
    }
}

static void test_bmp_gray_palette(void)
{
    /* 8-bit, 3x2, gray palette: decodes to one channel. */
    static uint8_t buf[54 + 1024 + 8];
    memset(buf, 0, sizeof buf);
    buf[0] = 'B';
    buf[1] = 'M';
    put32(buf + 10, 54 + 1024);
    put32(buf + 14, 40);
    put32(buf + 18, 3);
    put32(buf + 22, 2);
    put16(buf + 28, 8);
    for (int i = 0; i < 256; ++i)
        buf[54 + 4 * i] = buf[55 + 4 * i] = buf[56 + 4 * i] = (uint8_t)i;
    uint8_t *px = buf + 54 + 1024;
    px[0] = 10, px[1] = 20, px[2] = 30;  /* bottom row */
    px[4] = 40, px[5] = 50, px[6] = 60;  /* top row */
    tfl_image img;
    tfl_error err;
    CHECK_EQ_INT(tfl_image_load_buffer(buf, sizeof buf, &img, &err), TFL_OK);
    CHECK_EQ_INT(img.channels, 1);
    if (img.pixels) {
        CHECK_EQ_INT(img.pixels[0], 40);
        CHECK_EQ_INT(img.pixels[5], 30);
    }
    tfl_image_free(&img);
    /* Compressed BMPs are refused with a message. */
    put32(buf + 30, 1);
    CHECK_EQ_INT(tfl_image_load_buffer(buf, sizeof buf, &img, &err), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(err.message, "compressed BMP");
}

static void test_not_an_image(void)
{
    tfl_image img;
    tfl_error err;
    CHECK(tfl_image_load_buffer("hello world", 11, &img, &err) == TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(err.message, "not a JPEG, PNG or BMP");
    CHECK(tfl_image_load_file("/nonexistent.png", &img, &err) == TFL_ERROR_IO);
    CHECK_CONTAINS(err.message, "cannot open '/nonexistent.png'");
    uint8_t bad_png[64] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};
    CHECK(tfl_image_load_buffer(bad_png, sizeof bad_png, &img, &err) != TFL_OK);
    CHECK_CONTAINS(err.message, "PNG");
    uint8_t bad_jpeg[64] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 3, 9, 9};
    CHECK(tfl_image_load_buffer(bad_jpeg, sizeof bad_jpeg, &img, &err) != TFL_OK);
    CHECK_CONTAINS(err.message, "JPEG");
    tfl_image_free(NULL);
}

/* Bitwise CRC-32 for PNG chunks. */
static uint32_t crc32_bits(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

static void put32be(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        p[i] = (uint8_t)(v >> (24 - 8 * i));
}

/* A PNG of IHDR (w x h, 8-bit, given color type), an IDAT of n_idat zero
 * bytes and IEND; returns its size. */
static size_t make_png_header(uint8_t *buf, uint32_t w, uint32_t h, uint8_t color, size_t n_idat)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memcpy(buf, sig, 8);
    size_t p = 8;
    uint8_t ihdr[13] = {0};
    put32be(ihdr, w);
    put32be(ihdr + 4, h);
    ihdr[8] = 8;
    ihdr[9] = color;
    const struct { const char *type; const uint8_t *data; size_t n; } chunks[3] = {
        {"IHDR", ihdr, sizeof ihdr}, {"IDAT", NULL, n_idat}, {"IEND", NULL, 0}};
    for (int c = 0; c < 3; ++c) {
        put32be(buf + p, (uint32_t)chunks[c].n);
        memcpy(buf + p + 4, chunks[c].type, 4);
        if (chunks[c].data)
            memcpy(buf + p + 8, chunks[c].data, chunks[c].n);
        else
            memset(buf + p + 8, 0, chunks[c].n);
        put32be(buf + p + 8 + chunks[c].n, crc32_bits(buf + p + 4, 4 + chunks[c].n));
        p += 12 + chunks[c].n;
    }
    return p;
}

/* Headers claiming huge images are refused with a message before the
 * pixels are allocated (a decompression bomb must not cost gigabytes). */
static void test_huge_headers(void)
{
    static uint8_t buf[4096];
    tfl_image img;
    tfl_error err;
    make_bmp24(buf, 1, 1, 0);
    put32(buf + 18, 60000);
    put32(buf + 22, 60000);
    CHECK_EQ_INT(tfl_image_load_buffer(buf, 64, &img, &err), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "BMP of 60000x60000 is too large (limit 67108864 pixels)");
    CHECK(img.pixels == NULL);
    /* Just over the limit, and the largest square under it but with no data. */
    put32(buf + 18, 8193);
    put32(buf + 22, 8192);
    CHECK_EQ_INT(tfl_image_load_buffer(buf, 64, &img, &err), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "too large");
    put32(buf + 18, 8192);
    CHECK_EQ_INT(tfl_image_load_buffer(buf, 64, &img, &err), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "pixel data is truncated");

    size_t n = make_png_header(buf, 60000, 60000, 2, 16);
    CHECK_EQ_INT(tfl_image_load_buffer(buf, n, &img, &err), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "PNG of 60000x60000 is too large (limit 67108864 pixels)");
    CHECK(img.pixels == NULL);
    /* Within the pixel limit, but 192 MB of RGB rows cannot come from 100 bytes. */
    n = make_png_header(buf, 8000, 8000, 2, 16);
    CHECK_EQ_INT(tfl_image_load_buffer(buf, n, &img, &err), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "PNG of 8000x8000 cannot fit in");
    CHECK_CONTAINS(err.message, "decompression bomb");

    /* SOI, SOF0 (8-bit, 60000 x 60000, one component), SOS, a little data. */
    static const uint8_t jpeg[] = {0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0xEA, 0x60, 0xEA, 0x60, 1,
                                   1, 0x11, 0, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0,
                                   0x12, 0x34, 0xFF, 0xD9};
    CHECK_EQ_INT(tfl_image_load_buffer(jpeg, sizeof jpeg, &img, &err),
                 TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "JPEG of 60000x60000 is too large (limit 67108864 pixels)");
    CHECK(img.pixels == NULL);
}

static void test_exif(void)
{
    /* Little-endian TIFF with one IFD entry: orientation = 6. */
    uint8_t app1[32] = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', '*', 0, 8, 0, 0, 0, 1, 0,
                        0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0};
    CHECK_EQ_INT(tfl__exif_orientation(app1, sizeof app1), 6);
    CHECK_EQ_INT(tfl__exif_orientation(app1, 20), 1); /* truncated entry */
    app1[10] = 0xF0;                                   /* IFD offset outside */
    CHECK_EQ_INT(tfl__exif_orientation(app1, sizeof app1), 1);
    /* 3x2 image, values = index; rotate 90 degrees clockwise (6). */
    uint8_t px[6] = {0, 1, 2, 3, 4, 5};
    tfl_image img = {3, 2, 1, malloc(6)};
    memcpy(img.pixels, px, 6);
    CHECK_EQ_INT(tfl__exif_apply(&img, 6), TFL_OK);
    CHECK_EQ_INT(img.width, 2);
    CHECK_EQ_INT(img.height, 3);
    /* rows after rotation: [3 0] [4 1] [5 2] */
    static const uint8_t want6[6] = {3, 0, 4, 1, 5, 2};
    CHECK(memcmp(img.pixels, want6, 6) == 0);
    CHECK_EQ_INT(tfl__exif_apply(&img, 8), TFL_OK); /* and back */
    CHECK(memcmp(img.pixels, px, 6) == 0);
    CHECK_EQ_INT(tfl__exif_apply(&img, 3), TFL_OK);
    static const uint8_t want3[6] = {5, 4, 3, 2, 1, 0};
    CHECK(memcmp(img.pixels, want3, 6) == 0);
    tfl_image_free(&img);
}

static void load_shared(const char *name, int w, int h, int c)
{
    char path[512];
    snprintf(path, sizeof path, "%s/images/%s", TFL_SHARED_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return; /* shared data absent: nothing to check */
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n);
    CHECK(fread(buf, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    tfl_image img;
    tfl_error err;
    CHECK_EQ_INT(tfl_image_load_buffer(buf, (size_t)n, &img, &err), TFL_OK);
    if (w > 0) {
        CHECK_EQ_INT(img.width, w);
        CHECK_EQ_INT(img.height, h);
    }
    CHECK_EQ_INT(img.channels, c);
    tfl_image_free(&img);
    /* Truncated copies: an error or a decode, never a crash or OOB read. */
    size_t step = (size_t)n / 97 + 1;
    int errors = 0;
    for (size_t len = 0; len < (size_t)n; len += step) {
        uint8_t *exact = malloc(len ? len : 1);
        memcpy(exact, buf, len);
        if (tfl_image_load_buffer(exact, len, &img, &err) != TFL_OK)
            ++errors;
        tfl_image_free(&img);
        free(exact);
    }
    CHECK(errors > 0);
    /* Corrupt bytes in the middle. */
    for (size_t i = (size_t)n / 3; i < (size_t)n / 3 + 64 && i < (size_t)n; ++i)
        buf[i] ^= 0x5A;
    if (tfl_image_load_buffer(buf, (size_t)n, &img, &err) == TFL_OK)
        tfl_image_free(&img);
    free(buf);
}

static void test_shared_images(void)
{
    load_shared("burger.jpg", 480, 325, 3);
    load_shared("sparrow.png", 0, 0, 3); /* size checked below */
    load_shared("cat.bmp", 0, 0, 3);
    load_shared("mnist_sample0.png", 28, 28, 1);
}

/* A tensor backed by test memory. */
static tfl_tensor image_tensor(tfl_type type, int h, int w, int c, void *data, float scale,
                               int32_t zp)
{
    tfl_tensor t;
    memset(&t, 0, sizeof t);
    t.type = type;
    t.ndim = 4;
    t.dims[0] = 1, t.dims[1] = h, t.dims[2] = w, t.dims[3] = c;
    t.bytes = (size_t)h * (size_t)w * (size_t)c * tfl_type_size(type);
    t.data = data;
    t.alloc = TFL__ALLOC_ARENA;
    if (scale != 0.0f) {
        static float s[1];
        static int64_t z[1];
        s[0] = scale;
        z[0] = zp;
        t.scale = scale;
        t.zero_point = zp;
        t.quant.count = 1;
        t.quant.scales = s;
        t.quant.zero_points = z;
    }
    return t;
}

static void test_to_tensor(void)
{
    /* 2x2 gray image upscaled to 4x4: half-pixel bilinear gives edge
     * replication and 1/4-3/4 blends: row 0 = 0, 25, 75, 100 for [0 100]. */
    uint8_t px[4] = {0, 100, 0, 100};
    tfl_image img = {2, 2, 1, px};
    uint8_t out[16];
    tfl_tensor t = image_tensor(TFL_UINT8, 4, 4, 1, out, 0, 0);
    tfl_error err;
    CHECK_EQ_INT(tfl_image_to_tensor(&img, &t, NULL, &err), TFL_OK);
    CHECK_EQ_INT(out[0], 0);
    CHECK_EQ_INT(out[1], 25);
    CHECK_EQ_INT(out[2], 75);
    CHECK_EQ_INT(out[3], 100);
    CHECK_EQ_INT(out[13], 25);
    /* Float with normalization: (v - 50) / 50. */
    float f[16];
    t = image_tensor(TFL_FLOAT32, 4, 4, 1, f, 0, 0);
    tfl_preprocess pp = {.norm_count = 1, .mean = {50}, .std = {50}};
    CHECK_EQ_INT(tfl_image_to_tensor(&img, &t, &pp, &err), TFL_OK);
    CHECK_NEAR(f[0], -1.0, 1e-6);
    CHECK_NEAR(f[1], -0.5, 1e-6);
    CHECK_NEAR(f[3], 1.0, 1e-6);
    /* int8 with scale 1/255 and zero point -128 after std 255: v - 128. */
    int8_t q[16];
    t = image_tensor(TFL_INT8, 4, 4, 1, q, 1.0f / 255.0f, -128);
    tfl_preprocess pp255 = {.norm_count = 1, .mean = {0}, .std = {255}};
    CHECK_EQ_INT(tfl_image_to_tensor(&img, &t, &pp255, &err), TFL_OK);
    CHECK_EQ_INT(q[0], -128);
    CHECK_EQ_INT(q[1], -103);
    CHECK_EQ_INT(q[3], -28);
    /* Gray -> RGB replicates; RGB -> gray uses Pillow's luma. */
    uint8_t rgb_out[3];
    t = image_tensor(TFL_UINT8, 1, 1, 3, rgb_out, 0, 0);
    uint8_t one[1] = {77};
    tfl_image g1 = {1, 1, 1, one};
    CHECK_EQ_INT(tfl_image_to_tensor(&g1, &t, NULL, &err), TFL_OK);
    CHECK(rgb_out[0] == 77 && rgb_out[1] == 77 && rgb_out[2] == 77);
    uint8_t red[3] = {255, 0, 0}, gray_out[1];
    tfl_image r1 = {1, 1, 3, red};
    t = image_tensor(TFL_UINT8, 1, 1, 1, gray_out, 0, 0);
    CHECK_EQ_INT(tfl_image_to_tensor(&r1, &t, NULL, &err), TFL_OK);
    CHECK_EQ_INT(gray_out[0], 76); /* (255*19595 + 32768) >> 16 */
    /* Errors: not an image shape, unquantized int8, zero std. */
    t = image_tensor(TFL_UINT8, 4, 4, 1, out, 0, 0);
    t.ndim = 2;
    CHECK_EQ_INT(tfl_image_to_tensor(&img, &t, NULL, &err), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "not an image tensor");
    t = image_tensor(TFL_INT8, 4, 4, 1, q, 0, 0);
    CHECK_EQ_INT(tfl_image_to_tensor(&img, &t, NULL, &err), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "not quantized");
    t = image_tensor(TFL_FLOAT32, 4, 4, 1, f, 0, 0);
    tfl_preprocess bad = {.norm_count = 1, .mean = {0}, .std = {0}};
    CHECK_EQ_INT(tfl_image_to_tensor(&img, &t, &bad, &err), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "std is zero");
}

static void test_crop_box(void)
{
    int x, y, w, h;
    tfl_image_crop_box(480, 325, 0.875f, &x, &y, &w, &h);
    CHECK_EQ_INT(w, 420); /* 480 * 0.875 */
    CHECK_EQ_INT(h, 284); /* 325 * 0.875 = 284.375 */
    CHECK_EQ_INT(x, 30);
    CHECK_EQ_INT(y, 20);
    tfl_image_crop_box(5, 3, 0.0f, &x, &y, &w, &h);
    CHECK(x == 0 && y == 0 && w == 5 && h == 3);
    tfl_image_crop_box(5, 3, 0.01f, &x, &y, &w, &h);
    CHECK(w == 1 && h == 1 && x == 2 && y == 1);
}

static void test_quantize_api(void)
{
    int8_t q[4];
    tfl_tensor t = image_tensor(TFL_INT8, 1, 2, 2, q, 0.5f, 3);
    float in[4] = {0.25f, -0.25f, 100.0f, -1000.0f};
    CHECK_EQ_INT(tfl_tensor_quantize(&t, in, 4), TFL_OK);
    CHECK_EQ_INT(q[0], 4);   /* round(0.5) = 1 (half away from zero) + 3 */
    CHECK_EQ_INT(q[1], 2);   /* round(-0.5) = -1 + 3 */
    CHECK_EQ_INT(q[2], 127); /* saturates */
    CHECK_EQ_INT(q[3], -128);
    float back[4];
    CHECK_EQ_INT(tfl_tensor_dequantize(&t, back, 4), TFL_OK);
    CHECK_NEAR(back[0], 0.5, 0);
    CHECK_NEAR(back[2], 62.0, 0);
    CHECK_EQ_INT(tfl_tensor_dequantize(&t, back, 3), TFL_ERROR_INVALID_ARGUMENT);
    /* Per-channel along the last dimension: channel = i % 2. */
    static const float pc_scales[2] = {0.5f, 2.0f};
    static const int64_t pc_zps[2] = {1, -1};
    t.quant.count = 2;
    t.quant.scales = pc_scales;
    t.quant.zero_points = pc_zps;
    t.quant.quantized_dimension = 3;
    float pc_in[4] = {1.0f, 4.0f, -1.0f, -4.0f};
    CHECK_EQ_INT(tfl_tensor_quantize(&t, pc_in, 4), TFL_OK);
    CHECK(q[0] == 3 && q[1] == 1 && q[2] == -1 && q[3] == -3);
    CHECK_EQ_INT(tfl_tensor_dequantize(&t, back, 4), TFL_OK);
    CHECK(back[0] == 1.0f && back[1] == 4.0f && back[2] == -1.0f && back[3] == -4.0f);
    CHECK_NEAR(tfl_tensor_dequantize_at(&t, 3), -4.0, 0);
    tfl_tensor u = image_tensor(TFL_UINT8, 1, 2, 2, q, 0, 0);
    CHECK_EQ_INT(tfl_tensor_dequantize(&u, back, 4), TFL_ERROR_INVALID_ARGUMENT);
    CHECK(!tfl_tensor_is_quantized(&u));
}

TFL_TEST_MAIN(TEST(test_bmp24), TEST(test_bmp_gray_palette), TEST(test_not_an_image),
              TEST(test_huge_headers),
              TEST(test_exif), TEST(test_shared_images), TEST(test_to_tensor),
              TEST(test_crop_box), TEST(test_quantize_api))
