/* SHAPE (builtin 77): writes the input's dimensions as an int32 or int64
 * vector. The values depend only on the input's shape; they are written at
 * eval because the output is planned like any activation. */
#include <string.h>

#include "ops/op.h"

/* ShapeOptions fields (schema order). */
enum { F_OUT_TYPE = 0 };

static tfl_status shape_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if (out->type != TFL_INT32 && out->type != TFL_INT64)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "output type %s not supported (expected int32 or int64)",
                            tfl_type_name(out->type));
    /* out_type defaults to FLOAT32 (0) in the schema, so an absent field
     * means "not stated": the output tensor's type decides. */
    if (tfl__fb_has(&node->options, F_OUT_TYPE)) {
        int t = tfl__fb_i8(&node->options, F_OUT_TYPE, 0);
        if (t != (int)out->type)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "out_type option %s does not match output type %s",
                                tfl_type_name((tfl_type)t), tfl_type_name(out->type));
    }
    int32_t dims[1] = {in->ndim};
    return tfl__resize(ctx, node, out, dims, 1);
}

static tfl_status shape_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    for (int i = 0; i < in->ndim; ++i) {
        if (out->type == TFL_INT32) {
            int32_t v = in->dims[i];
            memcpy(out->data + 4 * (size_t)i, &v, 4);
        } else {
            int64_t v = in->dims[i];
            memcpy(out->data + 8 * (size_t)i, &v, 8);
        }
    }
    return TFL_OK;
}

const tfl__op tfl__op_shape = {
    .builtin_code = 77,
    .min_version = 1,
    .max_version = 1,
    .prepare = shape_prepare,
    .eval = shape_eval,
};
