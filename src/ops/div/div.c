/* DIV (builtin 42): elementwise a / b with broadcasting and a fused
 * activation (which clamps, so x / 0 gives +-FLT_MAX); float32, int32
 * (truncating) and quantized uint8/int8/int16. Integer divisors equal to
 * the zero point fail at eval with a division-by-zero error. */
#include <math.h>
#include <stdlib.h>

#include "kernels/quant.h"
#include "ops/div/div.h"
#include "ops/elementwise.h"

/* DivOptions fields (schema order). */
enum { F_ACTIVATION = 0 };

typedef enum { K_F32, K_S32, K_U8, K_S8, K_S16 } kernel_kind;

/* Best first; the reference kernel of each kind is last. */
static const struct {
    kernel_kind kind;
    tfl__binary_fn fn;
} kernels[] = {
    {K_F32, tfl_div_f32__ref}, {K_S32, tfl_div_s32__ref}, {K_U8, tfl_div_u8__ref},
    {K_S8, tfl_div_s8__ref},   {K_S16, tfl_div_s16__ref},
};

typedef struct div_data {
    int activation;
    tfl__bcast plan;
    tfl_div_params p;
    tfl__binary_fn fn;
} div_data;

static tfl_status div_init(tfl__ctx *ctx, tfl__node *node)
{
    div_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    return tfl__read_activation(ctx, node, F_ACTIVATION, &d->activation);
}

static tfl_status check_quantized(tfl__ctx *ctx, const tfl__node *node, const char *role,
                                  const tfl_tensor *t)
{
    if (!tfl__is_quantized(t))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s (%s) has no quantization", role,
                            tfl_type_name(t->type));
    if (t->quant.count > 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "%s has per-channel quantization (%d scales)", role, t->quant.count);
    if (!(t->scale > 0.0f) || !isfinite(t->scale))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s scale %g is not positive", role,
                            (double)t->scale);
    return TFL_OK;
}

static tfl_status div_prepare(tfl__ctx *ctx, tfl__node *node)
{
    div_data *d = node->data;
    tfl_status s = tfl__binary_prepare(ctx, node, &d->plan);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, a, out)) != TFL_OK)
        return s;
    tfl_div_params *p = &d->p;
    kernel_kind kind;
    switch (out->type) {
    case TFL_FLOAT32:
        if ((s = tfl__act_range_f32(ctx, node, d->activation, &p->act_min_f, &p->act_max_f)))
            return s;
        kind = K_F32;
        break;
    case TFL_INT32: {
        int64_t lo, hi;
        tfl__act_range_int(d->activation, INT32_MIN, INT32_MAX, &lo, &hi);
        p->act_min = (int32_t)lo;
        p->act_max = (int32_t)hi;
        kind = K_S32;
        break;
    }
    case TFL_UINT8:
    case TFL_INT8:
    case TFL_INT16: {
        if ((s = check_quantized(ctx, node, "input 1", a)) != TFL_OK ||
            (s = check_quantized(ctx, node, "input 2", b)) != TFL_OK ||
            (s = check_quantized(ctx, node, "output", out)) != TFL_OK)
            return s;
        if ((s = tfl__act_range_q(ctx, node, d->activation, out, &p->act_min, &p->act_max)))
            return s;
        /* TFLite computes the ratio of scales in float. */
        float real = a->scale / (b->scale * out->scale);
        if ((s = tfl__op_multiplier(ctx, node, "output", (double)real, &p->out_mult,
                                    &p->out_shift)) != TFL_OK)
            return s;
        p->in1_offset = -a->zero_point;
        p->in2_offset = -b->zero_point;
        p->out_offset = out->zero_point;
        kind = out->type == TFL_UINT8 ? K_U8 : (out->type == TFL_INT8 ? K_S8 : K_S16);
        break;
    }
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int32, uint8, int8, int16)",
                            tfl_type_name(out->type));
    }
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].kind == kind)
            d->fn = kernels[i].fn;
    return TFL_OK;
}

static tfl_status div_eval(tfl__ctx *ctx, tfl__node *node)
{
    div_data *d = node->data;
    const tfl_tensor *b = tfl__input(ctx, node, 1);
    long z = b->type == TFL_FLOAT32 ? -1 : tfl__find_zero(b, b->zero_point);
    if (z >= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME, "division by zero (input 2 element %ld)",
                            z);
    tfl__binary_run(ctx, &d->plan, d->fn, &d->p, tfl__input(ctx, node, 0), b,
                    tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_div = {
    .builtin_code = 42,
    .min_version = 1,
    .max_version = 2,
    .init = div_init,
    .prepare = div_prepare,
    .eval = div_eval,
    .free = free,
};
