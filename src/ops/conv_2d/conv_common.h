/* Pieces shared by CONV_2D and DEPTHWISE_CONV_2D: window options, TFLite's
 * padding rules (tflite/kernels/padding.h) and the requantization setup of
 * PopulateConvolutionQuantizationParams (tflite/kernels/kernel_util.cc). */
#ifndef TFL_OPS_CONV_COMMON_H
#define TFL_OPS_CONV_COMMON_H

#include <stdint.h>

#include "ops/op.h"

/* Schema Padding enum. */
enum { TFL__PADDING_SAME = 0, TFL__PADDING_VALID = 1 };

/* Window options as read from Conv2DOptions / DepthwiseConv2DOptions. */
typedef struct tfl__conv_window {
    int padding;
    int stride_h, stride_w;
    int dilation_h, dilation_w;
} tfl__conv_window;

/* Output size and top/left padding of one spatial axis pair. */
typedef struct tfl__conv_geom {
    int out_h, out_w;
    int pad_h, pad_w; /* padding before the first row / column */
} tfl__conv_geom;

/* Checks the window options (init time): known padding, strides and
 * dilations > 0. */
tfl_status tfl__conv_check_window(tfl__ctx *ctx, const tfl__node *node, const tfl__conv_window *w);

/* Output size and padding for an in_h x in_w image and an f_h x f_w filter,
 * as TFLite's ComputePaddingHeightWidth: SAME gives ceil(in / stride) and
 * puts the odd padding pixel after the image; VALID gives no padding. */
tfl_status tfl__conv_geometry(tfl__ctx *ctx, const tfl__node *node, const tfl__conv_window *w,
                              int32_t in_h, int32_t in_w, int32_t f_h, int32_t f_w,
                              tfl__conv_geom *g);

/* Per-output-channel fixed-point multipliers for a quantized convolution.
 * int8/int16 inputs: input_scale * filter_scale[c] / output_scale computed in
 * double for each channel (a single filter scale is broadcast). uint8 input:
 * the legacy per-tensor path, whose input * filter scale product is rounded to
 * float first, and which requires the bias scale to be within 2% (of the
 * output scale) of that product. Fills mult[channels] and shift[channels]
 * (shift > 0 is a left shift) and checks the quantization parameters. */
tfl_status tfl__conv_multipliers(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *input,
                                 const tfl_tensor *filter, const tfl_tensor *bias,
                                 const tfl_tensor *output, int channels, int32_t *mult,
                                 int32_t *shift);

#endif
