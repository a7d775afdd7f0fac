/* Gathering one output pixel's taps into a contiguous row, for the CONV_2D
 * kernels that multiply rows of taps by packed weights (VNNI, AMX). */
#ifndef TFL_OPS_CONV_2D_CONV_GATHER_H
#define TFL_OPS_CONV_2D_CONV_GATHER_H

#include <stdint.h>
#include <string.h>

#include "ops/conv_2d/conv_2d.h"

/* memcpy for the few bytes of a filter row (9 for a 3x3 over RGB): fixed-
 * size overlapping copies that stay inside [src, src + n), instead of a
 * library call per row that costs more than the copy. */
static inline void tfl__conv_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
    if (n >= 32 || n == 0) {
        memcpy(dst, src, n);
    } else if (n >= 16) {
        memcpy(dst, src, 16);
        memcpy(dst + n - 16, src + n - 16, 16);
    } else if (n >= 8) {
        memcpy(dst, src, 8);
        memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4) {
        memcpy(dst, src, 4);
        memcpy(dst + n - 4, src + n - 4, 4);
    } else {
        for (size_t i = 0; i < n; ++i)
            dst[i] = src[i];
    }
}

/* The taps of output pixel (b, oy, ox), f_h * f_w * f_c bytes as stored,
 * into row. A tap outside the image becomes the value whose
 * (x + input_offset) is 0, so it adds nothing, as the reference's skip.
 * Taps along a filter row that are contiguous in the input (dilation 1,
 * all inside) are copied at once. */
static inline void tfl__conv_gather_row(const tfl_conv_2d_params *p, const uint8_t *in, int b,
                                        int oy, int ox, uint8_t *row)
{
    const size_t fc = (size_t)p->f_c, span = (size_t)p->f_w * fc;
    const uint8_t pad = (uint8_t)-p->input_offset;
    const int ix0 = ox * p->stride_w - p->pad_w;
    const int ix_last = ix0 + (p->f_w - 1) * p->dilation_w;
    const bool row_inside = ix0 >= 0 && ix_last < p->in_w;
    for (int fy = 0; fy < p->f_h; ++fy, row += span) {
        const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
        if (iy < 0 || iy >= p->in_h) {
            memset(row, pad, span);
            continue;
        }
        const uint8_t *line = in + ((size_t)b * p->in_h + (size_t)iy) * p->in_w * fc;
        if (row_inside && p->dilation_w == 1) {
            tfl__conv_copy(row, line + (size_t)ix0 * fc, span);
            continue;
        }
        for (int fx = 0; fx < p->f_w; ++fx) {
            const int ix = ix0 + fx * p->dilation_w;
            if (ix >= 0 && ix < p->in_w)
                tfl__conv_copy(row + (size_t)fx * fc, line + (size_t)ix * fc, fc);
            else
                memset(row + (size_t)fx * fc, pad, fc);
        }
    }
}

/* tfl__conv_gather_row for `count` neighbouring pixels (b, oy, ox0 ...) of
 * one output row, into rows `stride` bytes apart: the window's input lines
 * are found once for the run, and a pixel whose taps all lie inside the
 * image is a straight copy per filter row (the first layer of a MobileNet
 * gathers 12544 of those per image). */
static inline void tfl__conv_gather_run(const tfl_conv_2d_params *p, const uint8_t *in, int b,
                                        int oy, int ox0, int count, uint8_t *rows, size_t stride)
{
    const size_t fc = (size_t)p->f_c, span = (size_t)p->f_w * fc;
    const uint8_t *lines[16];
    bool rows_inside = p->f_h <= 16 && p->dilation_w == 1;
    for (int fy = 0; rows_inside && fy < p->f_h; ++fy) {
        const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
        rows_inside = iy >= 0 && iy < p->in_h;
        lines[fy] = rows_inside ? in + ((size_t)b * p->in_h + (size_t)iy) * p->in_w * fc : NULL;
    }
    for (int i = 0; i < count; ++i) {
        const int ox = ox0 + i;
        const int ix0 = ox * p->stride_w - p->pad_w;
        uint8_t *row = rows + (size_t)i * stride;
        if (!rows_inside || ix0 < 0 || ix0 + p->f_w - 1 >= p->in_w) {
            tfl__conv_gather_row(p, in, b, oy, ox, row);
            continue;
        }
        for (int fy = 0; fy < p->f_h; ++fy)
            tfl__conv_copy(row + (size_t)fy * span, lines[fy] + (size_t)ix0 * fc, span);
    }
}

#endif
