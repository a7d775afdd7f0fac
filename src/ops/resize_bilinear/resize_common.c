/* Operand checks shared by RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR. */
#include "ops/resize_bilinear/resize_common.h"

tfl_status tfl__resize_check_operands(tfl__ctx *ctx, const tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *size = tfl__input(ctx, node, 1);
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    char b1[64];
    if (!in || !size)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is missing", in ? "size" : "input");
    if (in->ndim != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %s must have rank 4",
                            tfl__describe(in, b1, sizeof b1));
    if ((s = tfl__check_type(ctx, node, size, "size", TFL_INT32)) != TFL_OK)
        return s;
    if (size->ndim != 1 || size->dims[0] != 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "size %s must have shape [2] (height, width)",
                            tfl__describe(size, b1, sizeof b1));
    if (out->type != in->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output type %s does not match input type %s", tfl_type_name(out->type),
                            tfl_type_name(in->type));
    return TFL_OK;
}
