/* Prepare checks shared by SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND. */
#include "ops/space_to_batch_nd/space_batch_common.h"

#include "ops/shape_common.h"

tfl_status tfl__space_batch_check(tfl__ctx *ctx, const tfl__node *node, const char *amounts)
{
    tfl_status s = tfl__check_io(ctx, node, 3, 3, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *block = tfl__input(ctx, node, 1);
    const tfl_tensor *table = tfl__input(ctx, node, 2); /* paddings or crops */
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    char b[64];
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    unsigned ints = 1u << TFL_INT32 | 1u << TFL_INT64;
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, block, "block_shape", ints)) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, table, amounts, ints)) != TFL_OK)
        return s;
    if (in->ndim != 3 && in->ndim != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "input %s must have rank 3 or 4",
                            tfl__describe(in, b, sizeof b));
    const int spatial = in->ndim - 2;
    if (block->ndim != 1 || block->dims[0] != spatial)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "block_shape %s must be a vector of %d entries",
                            tfl__describe(block, b, sizeof b), spatial);
    if (table->ndim != 2 || table->dims[0] != spatial || table->dims[1] != 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s %s must have shape [%d, 2]",
                            amounts, tfl__describe(table, b, sizeof b), spatial);
    if (in->type == TFL_UINT8 || in->type == TFL_INT8 || in->type == TFL_INT16) {
        if ((s = tfl__check_same_quant(ctx, node, in, "input", out, "output")) != TFL_OK)
            return s;
        if (in->type == TFL_INT16 && in->zero_point != 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "int16 input zero point %d, expected 0", (int)in->zero_point);
    }
    return TFL_OK;
}

bool tfl__space_batch_shape_known(tfl__ctx *ctx, const tfl__node *node)
{
    return tfl__is_const(tfl__input(ctx, node, 1)) && tfl__is_const(tfl__input(ctx, node, 2));
}
