/* SOFTMAX (builtin 25) over the last dimension with beta. float32; uint8 and
 * int8 inputs (to the same type or int16) use TFLite's reference fixed-point
 * path (exp and reciprocal in gemmlowp arithmetic); int16 uses exp and
 * 1/(1+x) tables built at prepare. */
#include <math.h>
#include <stdlib.h>

#include "kernels/fixedpoint.h"
#include "ops/elementwise.h"
#include "ops/softmax/softmax.h"

/* SoftmaxOptions fields (schema order). */
enum { F_BETA = 0 };

typedef enum { K_F32, K_U8, K_S8, K_U8_S16, K_S8_S16, K_S16 } kernel_kind;

/* Best first; the reference kernel of each kind is last. */
static const struct {
    kernel_kind kind;
    tfl__unary_fn fn;
} kernels[] = {
    {K_F32, tfl_softmax_f32__ref},       {K_U8, tfl_softmax_u8__ref},
    {K_S8, tfl_softmax_s8__ref},         {K_U8_S16, tfl_softmax_u8_s16__ref},
    {K_S8_S16, tfl_softmax_s8_s16__ref}, {K_S16, tfl_softmax_s16__ref},
};

typedef struct softmax_data {
    tfl_softmax_params p;
    tfl__unary_fn fn;
    size_t rows;
} softmax_data;

static double exp_fn(double x, const void *arg)
{
    (void)arg;
    return exp(x);
}

static double one_over_one_plus_x(double x, const void *arg)
{
    (void)arg;
    return 1.0 / (1.0 + x);
}

static tfl_status softmax_init(tfl__ctx *ctx, tfl__node *node)
{
    softmax_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    /* An absent options table leaves TFLite's beta at 0 too. */
    d->p.beta = tfl__fb_f32(&node->options, F_BETA, 0.0f);
    if (!isfinite(d->p.beta))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "beta %g is not finite",
                            (double)d->p.beta);
    return TFL_OK;
}

static tfl_status check_scale(tfl__ctx *ctx, const tfl__node *node, const char *role,
                              const tfl_tensor *t)
{
    if (!tfl__is_quantized(t) || !(t->scale > 0.0f) || !isfinite(t->scale))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s (%s) needs a positive scale", role,
                            tfl_type_name(t->type));
    return TFL_OK;
}

/* 8-bit inputs: TFLite PreprocessSoftmaxScaling with 5 integer bits. */
static tfl_status setup_8bit(tfl__ctx *ctx, const tfl__node *node, tfl_softmax_params *p,
                             float input_scale)
{
    const double max_real =
        TFL_SINGLE_ROUNDING ? (double)((1LL << 30) - 1) : (double)((1LL << 31) - 1);
    double real = (double)p->beta * (double)input_scale * (double)(1 << (31 - 5));
    if (real > max_real)
        real = max_real;
    if (!(real > 1.0))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "beta * input scale %g is too small for the fixed-point path",
                            (double)p->beta * (double)input_scale);
    tfl_status s = tfl__op_multiplier(ctx, node, "beta * input scale", real,
                                      &p->input_multiplier, &p->input_left_shift);
    if (s != TFL_OK)
        return s;
    p->diff_min = -tfl__input_radius(5, p->input_left_shift, 31);
    tfl_softmax_exp_table(p);
    return TFL_OK;
}

static tfl_status softmax_prepare(tfl__ctx *ctx, tfl__node *node)
{
    softmax_data *d = node->data;
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if (in->ndim < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input must have at least 1 dimension");
    tfl_softmax_params *p = &d->p;
    p->depth = (size_t)in->dims[in->ndim - 1];
    d->rows = p->depth ? tfl__num_elements(in) / p->depth : 0;
    kernel_kind kind;
    if ((in->type == TFL_UINT8 || in->type == TFL_INT8) && out->type == TFL_INT16)
        kind = in->type == TFL_UINT8 ? K_U8_S16 : K_S8_S16;
    else if ((s = tfl__check_out_type(ctx, node, in, out)) != TFL_OK)
        return s;
    else if (in->type == TFL_FLOAT32)
        kind = K_F32;
    else if (in->type == TFL_UINT8)
        kind = K_U8;
    else if (in->type == TFL_INT8)
        kind = K_S8;
    else if (in->type == TFL_INT16)
        kind = K_S16;
    else
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, uint8, int8, int16)",
                            tfl_type_name(in->type));
    if (kind != K_F32) {
        if ((s = check_scale(ctx, node, "input", in)) != TFL_OK ||
            (s = check_scale(ctx, node, "output", out)) != TFL_OK)
            return s;
    }
    /* Output quantization TFLite insists on (uint8 outputs are unchecked). */
    if (kind == K_S8 &&
        (out->zero_point != -128 || fabsf(out->scale - 1.0f / 256) > 0.001f * (1.0f / 256)))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "int8 output must have scale 1/256 and zero point -128 (got %g, %d)",
                            (double)out->scale, (int)out->zero_point);
    if (kind == K_S16 &&
        (out->zero_point != 0 || fabsf(out->scale - 1.0f / 32768) > 0.001f * (1.0f / 32768)))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "int16 output must have scale 1/32768 and zero point 0 (got %g, %d)",
                            (double)out->scale, (int)out->zero_point);
    if (kind == K_S16) {
        if (in->zero_point != 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "int16 input zero point must be 0 (got %d)", (int)in->zero_point);
        /* Tables in double as TFLite: exp over [-10, 0] and 1 / (1 + x) over
         * [0, 1], both to a symmetric [-1, 1] output range. */
        const double range = 65535.0;
        tfl__lut_populate16_f64(10.0 / range, INT16_MAX, 2.0 / range, 0, exp_fn, NULL, p->exp_lut);
        tfl__lut_populate16_f64(1.0 / range, INT16_MIN, 2.0 / range, 0, one_over_one_plus_x, NULL,
                                p->recip_lut);
        /* Differences rescaled so [-65535, 0] means [-10, 0]; the scale times
         * beta is a float product in TFLite. */
        float scale_beta = in->scale * p->beta;
        if ((s = tfl__op_multiplier(ctx, node, "beta * input scale",
                                    (double)scale_beta / (10.0 / 65535.0), &p->s16_multiplier,
                                    &p->s16_shift)) != TFL_OK)
            return s;
    } else if (kind != K_F32) {
        if ((s = setup_8bit(ctx, node, p, in->scale)) != TFL_OK)
            return s;
    }
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].kind == kind)
            d->fn = kernels[i].fn;
    return TFL_OK;
}

typedef struct softmax_job {
    const softmax_data *d;
    const void *in;
    void *out;
} softmax_job;

static void softmax_rows(void *arg, size_t start, size_t end, int worker)
{
    const softmax_job *j = arg;
    j->d->fn(&j->d->p, j->in, j->out, start, end);
}

static tfl_status softmax_eval(tfl__ctx *ctx, tfl__node *node)
{
    softmax_data *d = node->data;
    softmax_job j = {d, tfl__input(ctx, node, 0)->data, tfl__output(ctx, node, 0)->data};
    size_t min_rows = d->p.depth ? 16384 / d->p.depth + 1 : 1;
    tfl__parallel_for(ctx, d->rows, min_rows, softmax_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_softmax = {
    .builtin_code = 25,
    .min_version = 1,
    .max_version = 3,
    .init = softmax_init,
    .prepare = softmax_prepare,
    .eval = softmax_eval,
    .free = free,
};
