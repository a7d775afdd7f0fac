/* Checks shared by SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND, whose inputs
 * have the same layout: data, block_shape and a [spatial, 2] table of
 * paddings (SPACE_TO_BATCH_ND) or crops (BATCH_TO_SPACE_ND). */
#ifndef TFL_OPS_SPACE_BATCH_COMMON_H
#define TFL_OPS_SPACE_BATCH_COMMON_H

#include <stdbool.h>

#include "ops/op.h"

/* Prepare's checks: 3 inputs and 1 output, a movable rank 3 or 4 input of
 * the output's type (and quantization; int16 with zero point 0), an int32 or
 * int64 block_shape of one entry per spatial dimension and an int32 or int64
 * [spatial, 2] third input, called `amounts` ("paddings" or "crops") in
 * messages. */
tfl_status tfl__space_batch_check(tfl__ctx *ctx, const tfl__node *node, const char *amounts);

/* Whether block_shape and the paddings/crops are constant, so the output
 * shape is known at prepare. */
bool tfl__space_batch_shape_known(tfl__ctx *ctx, const tfl__node *node);

#endif
