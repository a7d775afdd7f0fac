/* CONV_3D (132), float32: input [n, d, h, w, c_in], filter [f_d, f_h, f_w,
 * c_in, c_out] (TFLite's layout), optional bias [c_out]. Options: padding
 * (0), stride_d (1), stride_w (2), stride_h (3), fused activation (4),
 * dilation_d (5), dilation_w (6), dilation_h (7). TFLite's reference: each
 * output sums its taps in (depth, row, column, input channel) order, taps
 * outside the input skipped, then the bias and the activation, so the
 * results are the same bytes. Quantized CONV_3D is not supported (TFLite
 * has none). Reference kernel only (no SIMD record yet). */
#include <stdlib.h>

#include "kernels/quant.h"
#include "ops/conv_2d/conv_common.h"
#include "ops/shape_common.h"

typedef struct conv3d_data {
    tfl__conv_window hw, dw; /* dw: depth as the "height" axis */
    int activation;
    int out_d, pad_d;
    tfl__conv_geom g;
    float lo, hi;
} conv3d_data;

static tfl_status conv3d_init(tfl__ctx *ctx, tfl__node *node)
{
    conv3d_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    const tfl__fb_table *o = &node->options;
    d->hw.padding = d->dw.padding = tfl__fb_i8(o, 0, 0);
    d->dw.stride_h = tfl__fb_i32(o, 1, 0);
    d->hw.stride_w = tfl__fb_i32(o, 2, 0);
    d->hw.stride_h = tfl__fb_i32(o, 3, 0);
    d->activation = tfl__fb_i8(o, 4, 0);
    d->dw.dilation_h = tfl__fb_i32(o, 5, 1);
    d->hw.dilation_w = tfl__fb_i32(o, 6, 1);
    d->hw.dilation_h = tfl__fb_i32(o, 7, 1);
    d->dw.stride_w = d->dw.dilation_w = 1;
    tfl_status s = tfl__conv_check_window(ctx, node, &d->hw);
    return s != TFL_OK ? s : tfl__conv_check_window(ctx, node, &d->dw);
}

static tfl_status conv3d_prepare(tfl__ctx *ctx, tfl__node *node)
{
    conv3d_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 3, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *f = tfl__input(ctx, node, 1);
    const tfl_tensor *bias = node->num_inputs > 2 ? tfl__input(ctx, node, 2) : NULL;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in || !f)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input or filter is missing");
    if (in->type != TFL_FLOAT32 || f->type != TFL_FLOAT32 || (bias && bias->type != TFL_FLOAT32))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "float32 only (input %s, filter %s)", tfl_type_name(in->type),
                            tfl_type_name(f->type));
    if ((s = tfl__check_type(ctx, node, out, "output", TFL_FLOAT32)) != TFL_OK)
        return s;
    if (in->ndim != 5 || f->ndim != 5)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input and filter must be 5-D");
    if (in->dims[4] != f->dims[3])
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "input has %d channels, the filter %d", (int)in->dims[4],
                            (int)f->dims[3]);
    if (bias && (bias->ndim != 1 || bias->dims[0] != f->dims[4]))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "bias must have %d elements",
                            (int)f->dims[4]);
    if ((s = tfl__conv_geometry(ctx, node, &d->hw, in->dims[2], in->dims[3], f->dims[1],
                                f->dims[2], &d->g)) != TFL_OK)
        return s;
    tfl__conv_geom gd;
    if ((s = tfl__conv_geometry(ctx, node, &d->dw, in->dims[1], 1, f->dims[0], 1, &gd)) !=
        TFL_OK)
        return s;
    d->out_d = gd.out_h;
    d->pad_d = gd.pad_h;
    if ((s = tfl__act_range_f32(ctx, node, d->activation, &d->lo, &d->hi)) != TFL_OK)
        return s;
    const int32_t dims[5] = {in->dims[0], d->out_d, d->g.out_h, d->g.out_w, f->dims[4]};
    node->work = (uint64_t)dims[0] * dims[1] * dims[2] * dims[3] * dims[4] * f->dims[0] *
                 f->dims[1] * f->dims[2] * f->dims[3];
    return tfl__resize(ctx, node, out, dims, 5);
}

static tfl_status conv3d_eval(tfl__ctx *ctx, tfl__node *node)
{
    const conv3d_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *f = tfl__input(ctx, node, 1);
    const tfl_tensor *bias = node->num_inputs > 2 ? tfl__input(ctx, node, 2) : NULL;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const float *x = (const float *)(const void *)in->data;
    const float *w = (const float *)(const void *)f->data;
    const float *bs = bias ? (const float *)(const void *)bias->data : NULL;
    float *o = (float *)(void *)out->data;
    const int N = in->dims[0], ID = in->dims[1], IH = in->dims[2], IW = in->dims[3];
    const int IC = in->dims[4], FD = f->dims[0], FH = f->dims[1], FW = f->dims[2];
    const int OC = f->dims[4], OD = d->out_d, OH = d->g.out_h, OW = d->g.out_w;
    for (int b = 0; b < N; ++b)
        for (int od = 0; od < OD; ++od)
            for (int oy = 0; oy < OH; ++oy)
                for (int ox = 0; ox < OW; ++ox)
                    for (int oc = 0; oc < OC; ++oc) {
                        float total = 0.0f;
                        for (int fd = 0; fd < FD; ++fd) {
                            const int id = od * d->dw.stride_h - d->pad_d + fd * d->dw.dilation_h;
                            if (id < 0 || id >= ID)
                                continue;
                            for (int fy = 0; fy < FH; ++fy) {
                                const int iy = oy * d->hw.stride_h - d->g.pad_h +
                                               fy * d->hw.dilation_h;
                                if (iy < 0 || iy >= IH)
                                    continue;
                                for (int fx = 0; fx < FW; ++fx) {
                                    const int ix = ox * d->hw.stride_w - d->g.pad_w +
                                                   fx * d->hw.dilation_w;
                                    if (ix < 0 || ix >= IW)
                                        continue;
                                    const float *xp =
                                        x + ((((size_t)b * ID + id) * IH + iy) * IW + ix) * IC;
                                    const float *wp =
                                        w + (((size_t)fd * FH + fy) * FW + fx) * IC * OC + oc;
                                    for (int ic = 0; ic < IC; ++ic)
                                        total += xp[ic] * wp[(size_t)ic * OC];
                                }
                            }
                        }
                        const float v = bs ? total + bs[oc] : total;
                        o[((((size_t)b * OD + od) * OH + oy) * OW + ox) * OC + oc] =
                            tfl__clamp_f32(v, d->lo, d->hi);
                    }
    return TFL_OK;
}

const tfl__op tfl__op_conv_3d = {
    .builtin_code = 132,
    .min_version = 1,
    .max_version = 1,
    .init = conv3d_init,
    .prepare = conv3d_prepare,
    .eval = conv3d_eval,
    .free = free,
};
