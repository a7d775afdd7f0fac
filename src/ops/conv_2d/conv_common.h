/* Pieces shared by CONV_2D, DEPTHWISE_CONV_2D and (operand and type checks,
 * scale checks) FULLY_CONNECTED: window options, TFLite's padding rules
 * (tflite/kernels/padding.h) and the requantization setup of
 * PopulateConvolutionQuantizationParams (tflite/kernels/kernel_util.cc). */
#ifndef TFL_OPS_CONV_COMMON_H
#define TFL_OPS_CONV_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "ops/op.h"

/* Schema Padding enum. */
enum { TFL__PADDING_SAME = 0, TFL__PADDING_VALID = 1 };

/* Which reference kernel family a conv-like op runs, picked from the operand
 * types. S16 accumulates in int64 (int64 bias), S16_B32 in int32 (int32
 * bias). HYBRID: float32 input and output with an int8 filter (dynamic-range
 * quantization; the input is quantized per batch at eval, kernels/hybrid.h). */
typedef enum {
    TFL__CONV_F32,
    TFL__CONV_U8,
    TFL__CONV_S8,
    TFL__CONV_S16,
    TFL__CONV_S16_B32,
    TFL__CONV_HYBRID
} tfl__conv_kind;

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

/* Checks the input/output counts (2 or 3 inputs, 1 output) of a conv-like
 * node and that input and filter are present; bias may come back NULL. */
tfl_status tfl__conv_operands(tfl__ctx *ctx, const tfl__node *node, tfl_tensor **in,
                              tfl_tensor **filter, tfl_tensor **bias, tfl_tensor **out);

/* CONV_2D / DEPTHWISE_CONV_2D: input and filter of rank 4, output of the
 * input's type. */
tfl_status tfl__conv_check_image(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *in,
                                 const tfl_tensor *filter, const tfl_tensor *out);

/* Filter and bias types for the input type, and the kernel kind they select.
 * Hybrid (float input, integer filter) and output type checks are the
 * caller's, made first. int16 input: with s16_int32_bias the bias may be
 * int32 or int64 and must agree with quantized_bias_type (TensorType, 0 = not
 * set), which picks the accumulator when there is no bias; without it the
 * bias must be int64. */
tfl_status tfl__conv_check_types(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *in,
                                 const tfl_tensor *filter, const tfl_tensor *bias,
                                 bool s16_int32_bias, int quantized_bias_type,
                                 tfl__conv_kind *kind);

/* Input and output scales > 0 and finite, a quantized filter with finite
 * scales >= 0. */
tfl_status tfl__conv_check_scales(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *input,
                                  const tfl_tensor *filter, const tfl_tensor *output);

/* Per-channel multipliers a node owns across prepares: grown, never shrunk. */
typedef struct tfl__conv_requant {
    int32_t *mult, *shift; /* [capacity], owned */
    int capacity;
} tfl__conv_requant;

void tfl__conv_requant_free(tfl__conv_requant *r);

/* What the quantized CONV_2D / DEPTHWISE_CONV_2D kernels need. Offsets are
 * -zero_point for input and filter, +zero_point for the output. */
typedef struct tfl__conv_quant {
    const int32_t *mult, *shift; /* [channels], in the tfl__conv_requant */
    int32_t input_offset, filter_offset, output_offset;
    int32_t act_min, act_max;
} tfl__conv_quant;

/* The whole quantized setup of CONV_2D / DEPTHWISE_CONV_2D: zero point
 * checks (int8/int16 filter zero points must be 0 only where
 * check_filter_zero_points: CONV_2D checks them, DEPTHWISE_CONV_2D does not),
 * the multipliers of tfl__conv_multipliers into r, offsets and the fused
 * activation's range. */
tfl_status tfl__conv_quant_setup(tfl__ctx *ctx, const tfl__node *node, tfl__conv_requant *r,
                                 bool check_filter_zero_points, int activation,
                                 const tfl_tensor *in, const tfl_tensor *filter,
                                 const tfl_tensor *bias, const tfl_tensor *out, int channels,
                                 tfl__conv_quant *q);

#endif
