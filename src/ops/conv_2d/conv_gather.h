/* Gathering one output pixel's taps into a contiguous row, for the CONV_2D
 * kernels that multiply rows of taps by packed weights (VNNI, AMX). */
#ifndef TFL_OPS_CONV_2D_CONV_GATHER_H
#define TFL_OPS_CONV_2D_CONV_GATHER_H

#include <stdint.h>
#include <string.h>

#include "ops/conv_2d/conv_2d.h"

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
            memcpy(row, line + (size_t)ix0 * fc, span);
            continue;
        }
        for (int fx = 0; fx < p->f_w; ++fx) {
            const int ix = ix0 + fx * p->dilation_w;
            if (ix >= 0 && ix < p->in_w)
                memcpy(row + (size_t)fx * fc, line + (size_t)ix * fc, fc);
            else
                memset(row + (size_t)fx * fc, pad, fc);
        }
    }
}

#endif
