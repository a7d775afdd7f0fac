/* Operand checks shared by RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR, which
 * both take an NHWC image and an int32 [height, width] size tensor. */
#ifndef TFL_OPS_RESIZE_COMMON_H
#define TFL_OPS_RESIZE_COMMON_H

#include "ops/op.h"

/* 2 inputs and 1 output, both inputs present, a rank 4 input, an int32 size
 * of shape [2] and an output of the input's type. The input's element type
 * is left to the op, whose kernels differ. */
tfl_status tfl__resize_check_operands(tfl__ctx *ctx, const tfl__node *node);

#endif
