/* DENSIFY (124): the dense form of a sparse constant. The loader already
 * densified every sparse constant (model/sparse.c), so the op checks what
 * TFLite's Prepare does (one constant input that the file stored sparse, of
 * float32, float16 or int8) and copies. Constant folding runs it once. */
#include <string.h>

#include "ops/elementwise.h"
#include "ops/shape_common.h"

static tfl_status densify_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    if (!tfl__is_const(in) || !in->was_sparse)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "the input must be a constant stored sparse");
    if (in->type != TFL_FLOAT32 && in->type != TFL_FLOAT16 && in->type != TFL_INT8)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "%s input (float32, float16 or int8 only)", tfl_type_name(in->type));
    return tfl__check_out_type(ctx, node, in, tfl__output(ctx, node, 0));
}

static tfl_status densify_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    memcpy(out->data, in->data, out->bytes);
    return TFL_OK;
}

const tfl__op tfl__op_densify = {
    .builtin_code = 124,
    .min_version = 1,
    .max_version = 1,
    .prepare = densify_prepare,
    .eval = densify_eval,
};
