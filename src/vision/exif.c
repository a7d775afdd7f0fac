/* EXIF orientation (tag 0x0112 in IFD0), bounds-checked, and the eight
 * orientations applied the way Pillow's ImageOps.exif_transpose does. */
#include "vision/exif.h"

#include <stdlib.h>
#include <string.h>

static uint32_t rd(const uint8_t *p, int n, int big_endian)
{
    uint32_t v = 0;
    for (int i = 0; i < n; ++i)
        v |= (uint32_t)p[big_endian ? i : n - 1 - i] << (8 * (n - 1 - i));
    return v;
}

int tfl__exif_orientation(const uint8_t *app1, size_t size)
{
    if (size < 14 || memcmp(app1, "Exif\0\0", 6) != 0)
        return 1;
    const uint8_t *tiff = app1 + 6;
    size_t n = size - 6;
    int be;
    if (memcmp(tiff, "II*\0", 4) == 0)
        be = 0;
    else if (memcmp(tiff, "MM\0*", 4) == 0)
        be = 1;
    else
        return 1;
    uint32_t ifd = rd(tiff + 4, 4, be);
    if (ifd > n || n - ifd < 2)
        return 1;
    uint32_t count = rd(tiff + ifd, 2, be);
    for (uint32_t i = 0; i < count; ++i) {
        uint64_t e = (uint64_t)ifd + 2 + 12ull * i;
        if (e + 12 > n)
            return 1;
        if (rd(tiff + e, 2, be) == 0x0112) {
            uint32_t v = rd(tiff + e + 8, 2, be); /* SHORT, left-justified */
            return v >= 1 && v <= 8 ? (int)v : 1;
        }
    }
    return 1;
}

tfl_status tfl__exif_apply(tfl_image *img, int orientation)
{
    if (orientation <= 1 || orientation > 8)
        return TFL_OK;
    int w = img->width, h = img->height, c = img->channels;
    int swap = orientation >= 5;
    int ow = swap ? h : w, oh = swap ? w : h;
    uint8_t *dst = malloc((size_t)w * (size_t)h * (size_t)c);
    if (!dst)
        return TFL_ERROR_NO_MEMORY;
    for (int y = 0; y < oh; ++y) {
        for (int x = 0; x < ow; ++x) {
            int sx, sy;
            switch (orientation) {
            case 2: sx = w - 1 - x; sy = y; break;
            case 3: sx = w - 1 - x; sy = h - 1 - y; break;
            case 4: sx = x; sy = h - 1 - y; break;
            case 5: sx = y; sy = x; break;
            case 6: sx = y; sy = h - 1 - x; break;
            case 7: sx = w - 1 - y; sy = h - 1 - x; break;
            default: sx = w - 1 - y; sy = x; break; /* 8 */
            }
            memcpy(dst + ((size_t)y * (size_t)ow + (size_t)x) * (size_t)c,
                   img->pixels + ((size_t)sy * (size_t)w + (size_t)sx) * (size_t)c, (size_t)c);
        }
    }
    free(img->pixels);
    img->pixels = dst;
    img->width = ow;
    img->height = oh;
    return TFL_OK;
}
