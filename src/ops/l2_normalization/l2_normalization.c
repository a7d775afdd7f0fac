/* L2_NORMALIZATION (11) over the last dimension, as TFLite's reference:
 * float32 x / max(sqrt(sum of x^2 in order), 1e-6); uint8 and int8 (output
 * scale 1/128, zero point 128 or 0, as TFLite requires) by the integer
 * inverse square root of the sum of squared differences from the zero
 * point. Only the NONE fused activation (TFLite's only one). */
#include <math.h>
#include <stdlib.h>

#include "kernels/fixedpoint.h"
#include "ops/elementwise.h"

static tfl_status l2_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, in, out)) != TFL_OK)
        return s;
    if (in->type == TFL_UINT8 || in->type == TFL_INT8) {
        const int32_t zp = in->type == TFL_UINT8 ? 128 : 0;
        if ((double)out->scale != 1.0 / 128.0 || out->zero_point != zp)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "%s output needs scale 1/128 and zero point %d (got %g, %d)",
                                tfl_type_name(out->type), (int)zp, (double)out->scale,
                                (int)out->zero_point);
    } else if (in->type != TFL_FLOAT32) {
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, uint8, int8)",
                            tfl_type_name(in->type));
    }
    if (in->ndim < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input needs rank 1 or more");
    int act;
    if ((s = tfl__read_activation(ctx, node, 0, &act)) != TFL_OK)
        return s;
    if (act != TFL__ACT_NONE)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "fused activation %d not supported (TFLite takes NONE only)", act);
    return TFL_OK;
}

/* Rows of uint8 or int8: TFLite's reference_ops / reference_integer_ops
 * L2Normalization. */
static void l2_quantized(const tfl_tensor *in, tfl_tensor *out, size_t rows, size_t depth)
{
    const bool u8 = in->type == TFL_UINT8;
    const int32_t zp = in->zero_point;
    for (size_t r = 0; r < rows; ++r) {
        const size_t o = r * depth;
        uint32_t acc = 0; /* an int32 sum in TFLite; wraps alike */
        for (size_t c = 0; c < depth; ++c) {
            const int32_t v = (u8 ? (int32_t)in->data[o + c] : (int32_t)(int8_t)in->data[o + c]) - zp;
            acc += (uint32_t)(v * v);
        }
        int32_t mult;
        int shift;
        tfl__fp_inv_sqrt_multiplier((int32_t)acc, &mult, &shift);
        for (size_t c = 0; c < depth; ++c) {
            const int32_t v = (u8 ? (int32_t)in->data[o + c] : (int32_t)(int8_t)in->data[o + c]) - zp;
            if (u8) {
                const int32_t y = 128 + tfl__mbqm_small(128 * v, mult, shift);
                out->data[o + c] = (uint8_t)tfl__clamp_i32(y, 0, 255);
            } else {
                const int32_t y = tfl__mbqm(v, mult, shift + 7);
                out->data[o + c] = (uint8_t)(int8_t)tfl__clamp_i32(y, INT8_MIN, INT8_MAX);
            }
        }
    }
}

static tfl_status l2_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t depth = (size_t)in->dims[in->ndim - 1];
    if (depth == 0)
        return TFL_OK;
    const size_t rows = tfl__num_elements(in) / depth;
    if (in->type != TFL_FLOAT32) {
        l2_quantized(in, out, rows, depth);
        return TFL_OK;
    }
    const float *x = (const float *)(const void *)in->data;
    float *o = (float *)(void *)out->data;
    for (size_t r = 0; r < rows; ++r, x += depth, o += depth) {
        float sq = 0.0f;
        for (size_t c = 0; c < depth; ++c)
            sq += x[c] * x[c];
        float norm = sqrtf(sq);
        norm = norm > 1e-6f ? norm : 1e-6f;
        for (size_t c = 0; c < depth; ++c)
            o[c] = x[c] / norm;
    }
    return TFL_OK;
}

const tfl__op tfl__op_l2_normalization = {
    .builtin_code = 11,
    .min_version = 1,
    .max_version = 2,
    .prepare = l2_prepare,
    .eval = l2_eval,
};
