/* Portable RESIZE_NEAREST_NEIGHBOR kernels, matching TFLite's
 * reference_ops::ResizeNearestNeighbor index computation exactly. */
#include "ops/resize_nearest_neighbor/resize_nearest_neighbor.h"

#include <math.h>
#include <string.h>

/* Source index of output coordinate v (GetNearestNeighbor): floor of
 * (v + offset) * scale, or rounded half away from zero with align_corners;
 * clamped to the last pixel, and to 0 with half_pixel_centers. */
static int32_t source(int v, float scale, bool align, bool half, int32_t size)
{
    float pos = ((float)v + (half ? 0.5f : 0.0f)) * scale;
    int32_t i = (int32_t)(align ? roundf(pos) : floorf(pos));
    if (i > size - 1)
        i = size - 1;
    if (half && i < 0)
        i = 0;
    return i;
}

static void resize_bytes(const tfl_resize_nearest_neighbor_params *p, const uint8_t *in,
                         uint8_t *out, size_t esize, size_t start, size_t end)
{
    /* in [batches, in_h, in_w, channels], out [batches, out_h, out_w, channels] */
    const size_t pixel = (size_t)p->channels * esize;
    for (size_t row = start; row < end; ++row) {
        const size_t b = row / (size_t)p->out_h;
        const int y = (int)(row % (size_t)p->out_h);
        const int32_t sy = source(y, p->scale_h, p->align_corners, p->half_pixel_centers, p->in_h);
        const uint8_t *src_row = in + (b * (size_t)p->in_h + (size_t)sy) * (size_t)p->in_w * pixel;
        uint8_t *dst = out + row * (size_t)p->out_w * pixel;
        for (int x = 0; x < p->out_w; ++x) {
            const int32_t sx =
                source(x, p->scale_w, p->align_corners, p->half_pixel_centers, p->in_w);
            memcpy(dst, src_row + (size_t)sx * pixel, pixel);
            dst += pixel;
        }
    }
}

void tfl_resize_nearest_neighbor_u8__ref(const tfl_resize_nearest_neighbor_params *p,
                                         const void *input, void *output, size_t start, size_t end)
{
    resize_bytes(p, input, output, 1, start, end);
}

void tfl_resize_nearest_neighbor_s16__ref(const tfl_resize_nearest_neighbor_params *p,
                                          const void *input, void *output, size_t start, size_t end)
{
    resize_bytes(p, input, output, 2, start, end);
}

void tfl_resize_nearest_neighbor_f32__ref(const tfl_resize_nearest_neighbor_params *p,
                                          const void *input, void *output, size_t start, size_t end)
{
    resize_bytes(p, input, output, 4, start, end);
}
