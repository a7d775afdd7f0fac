/* SQRT (builtin 75) and RSQRT (76). float32 directly (negative inputs give
 * NaN). Quantized SQRT (int8, int16) works per element in float, truncating
 * the result. RSQRT int8 follows TFLite's integer path (a Newton-Raphson
 * inverse square root and two rescales), tabulated here for all 256 inputs;
 * RSQRT int16 reads an interpolated table. Quantized inputs below the zero
 * point are a runtime error, as in TFLite. */
#include <math.h>

#include "kernels/fixedpoint.h"
#include "ops/math_unary/math_unary.h"

typedef enum { K_F32, K_Q8, K_Q16, K_LUT8, K_LUT16 } kernel_kind;

/* Best first; the reference kernel of each kind is last. */
static const struct {
    int rsqrt;
    kernel_kind kind;
    tfl__unary_fn fn;
} kernels[] = {
    {0, K_F32, tfl_sqrt_f32__ref},      {0, K_Q8, tfl_sqrt_s8__ref},
    {0, K_Q16, tfl_sqrt_s16__ref},      {1, K_F32, tfl_rsqrt_f32__ref},
    {1, K_LUT8, tfl_unary_lut_s8__ref}, {1, K_LUT16, tfl_unary_lut_s16__ref},
};

/* The int8 RSQRT output for every input at or above the zero point. */
static tfl_status rsqrt_table_s8(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *in,
                                 const tfl_tensor *out, uint8_t lut[256])
{
    int32_t mult;
    int shift;
    tfl_status s = tfl__op_multiplier(ctx, node, "1 / (sqrt(input) * output)",
                                      1.0 / (double)(sqrtf(in->scale) * out->scale), &mult, &shift);
    if (s != TFL_OK)
        return s;
    const int extra = 20; /* keeps the intermediate an integer */
    for (int v = -128; v <= 127; ++v) {
        int32_t value = v - in->zero_point;
        int32_t q;
        if (value < 0) {
            q = 0; /* rejected at eval */
        } else if (value == 0) {
            q = 127; /* TFLite takes 1/sqrt(0) as the largest output */
        } else {
            int32_t inv_mult;
            int inv_shift;
            tfl__fp_inv_sqrt_multiplier(value, &inv_mult, &inv_shift);
            int32_t data = tfl__mbqm(1, inv_mult, inv_shift + extra);
            q = tfl__mbqm(data, mult, shift - extra) + out->zero_point;
            q = tfl__clamp_i32(q, -128, 127);
        }
        lut[(uint8_t)v] = (uint8_t)(int8_t)q;
    }
    return TFL_OK;
}

static float rsqrt_s16_fn(float x, const void *arg)
{
    if (x <= 0.0f)
        return 32767 * *(const float *)arg; /* the largest output */
    return 1.0f / sqrtf(x);
}

static tfl_status sqrt_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl__math_unary_data *d = node->data;
    const int rsqrt = node->builtin_code == 76;
    const tfl_tensor *in;
    tfl_tensor *out;
    tfl_status s = tfl__math_unary_begin(ctx, node, &in, &out);
    if (s != TFL_OK)
        return s;
    kernel_kind kind;
    d->params = NULL;
    d->check_min = false;
    switch (in->type) {
    case TFL_FLOAT32: kind = K_F32; break;
    case TFL_INT8:
    case TFL_INT16:
        if ((s = tfl__math_unary_check_quant(ctx, node, in, out)) != TFL_OK)
            return s;
        d->check_min = true;
        d->min_value = in->zero_point;
        if (!rsqrt) {
            d->sqrt = (tfl_sqrt_q_params){in->scale, out->scale, in->zero_point, out->zero_point};
            d->params = &d->sqrt;
            kind = in->type == TFL_INT8 ? K_Q8 : K_Q16;
        } else if (in->type == TFL_INT8) {
            if ((s = rsqrt_table_s8(ctx, node, in, out, d->lut8)) != TFL_OK)
                return s;
            d->params = d->lut8;
            kind = K_LUT8;
        } else {
            float out_scale = out->scale;
            tfl__lut_populate16_f32(in->scale, in->zero_point, out->scale, out->zero_point,
                                    rsqrt_s16_fn, &out_scale, d->lut16);
            d->params = d->lut16;
            kind = K_LUT16;
        }
        break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int8, int16)",
                            tfl_type_name(in->type));
    }
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].rsqrt == rsqrt && kernels[i].kind == kind)
            d->fn = kernels[i].fn;
    return TFL_OK;
}

/* SQRT version 2 and RSQRT versions 2-3 add int8 and int16. */
const tfl__op tfl__op_sqrt = {
    .builtin_code = 75,
    .min_version = 1,
    .max_version = 2,
    .init = tfl__math_unary_init,
    .prepare = sqrt_prepare,
    .eval = tfl__math_unary_eval,
    .free = tfl__math_unary_free,
};

const tfl__op tfl__op_rsqrt = {
    .builtin_code = 76,
    .min_version = 1,
    .max_version = 3,
    .init = tfl__math_unary_init,
    .prepare = sqrt_prepare,
    .eval = tfl__math_unary_eval,
    .free = tfl__math_unary_free,
};
