/* RESIZE_BILINEAR kernels: NHWC image to a new height and width. Kernels
 * compute output rows [start, end) of the flattened (batch, out_y) range. */
#ifndef TFL_OPS_RESIZE_BILINEAR_H
#define TFL_OPS_RESIZE_BILINEAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tfl_resize_bilinear_params {
    int batches;
    int in_h, in_w, channels; /* input [batches, in_h, in_w, channels] */
    int out_h, out_w;         /* output [batches, out_h, out_w, channels] */
    bool half_pixel_centers;
    /* Float path (float32, uint8): source step per output pixel. */
    float scale_h, scale_w;
    /* Integer path (int8, int16): the same step in 1/1024 pixels. */
    int32_t scale10_h, scale10_w;
} tfl_resize_bilinear_params;

/* One output coordinate on the integer path, in 1/1024 pixels. */
typedef struct {
    int32_t w1, w0; /* weights of hi and lo, summing to 1024 */
    int32_t lo, hi; /* neighbors; lo may pass the last pixel, see below */
} tfl_resize_coord_i;

static inline tfl_resize_coord_i tfl_resize_map_i(int v, int32_t scale10, bool half, int32_t size)
{
    int32_t src = half ? v * scale10 + scale10 / 2 - (1 << 9) : v * scale10;
    int32_t lo = src / (1 << 10); /* truncates toward zero, as TFLite */
    int32_t hi = (src + (1 << 10) - 1) / (1 << 10);
    tfl_resize_coord_i c;
    c.lo = lo > 0 ? lo : 0;
    c.hi = hi < size - 1 ? hi : size - 1;
    c.w1 = src - (1 << 10) * c.lo;
    c.w0 = (1 << 10) - c.w1;
    return c;
}

/* When upscaling many times, the rounded 1/1024 step overshoots and `lo`
 * passes the last row or column; TFLite then reads the pixel at that flat
 * offset (the start of the next row or image). Do the same while it lies
 * inside the tensor; past its end TFLite reads foreign memory, and we read
 * the last row or column instead. */
static inline size_t tfl_resize_pixel_at(const tfl_resize_bilinear_params *p, size_t b, int32_t y, int32_t x,
                       size_t total_pixels)
{
    size_t at = (b * (size_t)p->in_h + (size_t)y) * (size_t)p->in_w + (size_t)x;
    if (at < total_pixels)
        return at;
    y = y < p->in_h - 1 ? y : p->in_h - 1;
    x = x < p->in_w - 1 ? x : p->in_w - 1;
    return (b * (size_t)p->in_h + (size_t)y) * (size_t)p->in_w + (size_t)x;
}


typedef void (*tfl_resize_bilinear_fn)(const tfl_resize_bilinear_params *p, const void *input,
                                       void *output, size_t start, size_t end);

/* Float weights; uint8 adds 0.5 and truncates, as TFLite's reference. */
void tfl_resize_bilinear_f32__ref(const tfl_resize_bilinear_params *p, const void *input,
                                  void *output, size_t start, size_t end);
void tfl_resize_bilinear_u8__ref(const tfl_resize_bilinear_params *p, const void *input,
                                 void *output, size_t start, size_t end);
/* Integer weights in 1/1024 (ResizeBilinearInteger). */
void tfl_resize_bilinear_s8__ref(const tfl_resize_bilinear_params *p, const void *input,
                                 void *output, size_t start, size_t end);
void tfl_resize_bilinear_s16__ref(const tfl_resize_bilinear_params *p, const void *input,
                                  void *output, size_t start, size_t end);

/* AVX-512BW int8, the integer path (resize_bilinear_avx512.c). */
void tfl_resize_bilinear_s8__avx512(const tfl_resize_bilinear_params *p, const void *input,
                                    void *output, size_t start, size_t end);
/* AVX2 float32 and uint8, the float-weight path (resize_bilinear_avx2.c). */
void tfl_resize_bilinear_f32__avx2(const tfl_resize_bilinear_params *p, const void *input,
                                   void *output, size_t start, size_t end);
void tfl_resize_bilinear_u8__avx2(const tfl_resize_bilinear_params *p, const void *input,
                                  void *output, size_t start, size_t end);

/* The op's kernel records, best first (resize_bilinear.c); a record's kind
 * is its input tfl_type. */
#include "ops/kernel.h"
extern const tfl__kernel tfl__resize_bilinear_kernels[];
extern const size_t tfl__resize_bilinear_num_kernels;

#endif
