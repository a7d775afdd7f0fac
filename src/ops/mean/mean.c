/* The reductions: MEAN (40), SUM (74), REDUCE_PROD (81), REDUCE_MAX (82),
 * REDUCE_MIN (89), REDUCE_ANY (91), REDUCE_ALL (140). ReducerOptions, axis
 * resolution, output shape (at prepare for a constant axis tensor, else at
 * eval) and, for MEAN and SUM, TFLite's rescale setup; eval runs the kernel
 * over output elements. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/quant.h"
#include "ops/elementwise.h"
#include "ops/mean/mean.h"
#include "ops/op.h"

/* ReducerOptions fields (schema order). */
enum { F_KEEP_DIMS = 0 };

typedef enum { OP_MEAN, OP_SUM, OP_PROD, OP_MAX, OP_MIN, OP_ANY, OP_ALL } reduce_op;

/* Best first per (op, dtype); the reference kernel is last. */
static const struct {
    reduce_op op;
    tfl_type type;
    tfl_reduce_fn fn;
} kernels[] = {
    {OP_MEAN, TFL_FLOAT32, tfl_mean_f32__ref}, {OP_MEAN, TFL_INT32, tfl_mean_s32__ref},
    {OP_MEAN, TFL_INT64, tfl_mean_s64__ref},   {OP_MEAN, TFL_UINT8, tfl_mean_u8__ref},
    {OP_MEAN, TFL_INT8, tfl_mean_s8__ref},     {OP_MEAN, TFL_INT16, tfl_mean_s16__ref},
    {OP_SUM, TFL_FLOAT32, tfl_sum_f32__ref},   {OP_SUM, TFL_INT32, tfl_sum_s32__ref},
    {OP_SUM, TFL_INT64, tfl_sum_s64__ref},     {OP_SUM, TFL_UINT8, tfl_sum_u8__ref},
    {OP_SUM, TFL_INT8, tfl_sum_s8__ref},     {OP_SUM, TFL_INT16, tfl_sum_s16__ref},
    {OP_PROD, TFL_FLOAT32, tfl_reduce_prod_f32__ref}, {OP_PROD, TFL_INT32, tfl_reduce_prod_s32__ref},
    {OP_PROD, TFL_INT64, tfl_reduce_prod_s64__ref}, {OP_PROD, TFL_UINT8, tfl_reduce_prod_u8__ref},
    {OP_PROD, TFL_INT8, tfl_reduce_prod_s8_raw__ref},
    {OP_PROD, TFL_INT16, tfl_reduce_prod_s16_raw__ref},
    {OP_MAX, TFL_FLOAT32, tfl_reduce_max_f32__ref}, {OP_MAX, TFL_UINT8, tfl_reduce_max_u8__ref},
    {OP_MAX, TFL_INT8, tfl_reduce_max_s8__ref},     {OP_MAX, TFL_INT16, tfl_reduce_max_s16__ref},
    {OP_MAX, TFL_INT32, tfl_reduce_max_s32__ref},   {OP_MAX, TFL_INT64, tfl_reduce_max_s64__ref},
    {OP_MIN, TFL_FLOAT32, tfl_reduce_min_f32__ref}, {OP_MIN, TFL_UINT8, tfl_reduce_min_u8__ref},
    {OP_MIN, TFL_INT8, tfl_reduce_min_s8__ref},     {OP_MIN, TFL_INT16, tfl_reduce_min_s16__ref},
    {OP_MIN, TFL_INT32, tfl_reduce_min_s32__ref},   {OP_MIN, TFL_INT64, tfl_reduce_min_s64__ref},
    {OP_ANY, TFL_BOOL, tfl_reduce_any_b8__ref},     {OP_ALL, TFL_BOOL, tfl_reduce_all_b8__ref},
};

/* What each reduction takes, for the refusal message. */
static const char *const supported[] = {
    [OP_MEAN] = "float32, int32, int64, uint8, int8 or int16",
    [OP_SUM] = "float32, int32, int64, uint8, int8 or int16",
    [OP_PROD] = "float32, int32, int64, uint8, int8 or int16",
    [OP_MAX] = "float32, uint8, int8, int16, int32 or int64",
    [OP_MIN] = "float32, uint8, int8, int16, int32 or int64",
    [OP_ANY] = "bool",
    [OP_ALL] = "bool",
};

typedef struct reduce_data {
    reduce_op op;
    bool keep_dims;
    bool dynamic;      /* axis known only at eval */
    bool quantized;    /* uint8/int8/int16 rescale */
    bool quantized_prod; /* REDUCE_PROD of a quantized int8/int16 input */
    float in_scale, out_scale;
    int32_t base_mult; /* input_scale / output_scale in fixed point */
    int base_shift;
    size_t num_out;
    tfl_reduce_params p;
    tfl_reduce_fn fn;
} reduce_data;

static tfl_status reduce_init(tfl__ctx *ctx, tfl__node *node, reduce_op op)
{
    reduce_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->op = op;
    d->keep_dims = tfl__fb_u8(&node->options, F_KEEP_DIMS, 0) != 0;
    return TFL_OK;
}

static tfl_status mean_init(tfl__ctx *ctx, tfl__node *node)
{
    return reduce_init(ctx, node, OP_MEAN);
}

static tfl_status sum_init(tfl__ctx *ctx, tfl__node *node)
{
    return reduce_init(ctx, node, OP_SUM);
}

#define INIT(NAME, OP)                                                                             \
    static tfl_status NAME##_init(tfl__ctx *ctx, tfl__node *node)                                  \
    {                                                                                              \
        return reduce_init(ctx, node, OP);                                                         \
    }
INIT(prod, OP_PROD)
INIT(max, OP_MAX)
INIT(min, OP_MIN)
INIT(any, OP_ANY)
INIT(all, OP_ALL)
#undef INIT

/* Resolves the axis values (negative ones count from the back, duplicates
 * are ignored; a scalar input ignores them all, as TFLite), sets the output
 * shape and the kernel's strides, count and rescale. `bad` is the status for
 * an out-of-range axis: BAD_MODEL at prepare, RUNTIME at eval. */
static tfl_status setup(tfl__ctx *ctx, tfl__node *node, reduce_data *d, tfl_status bad)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *axis = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const int ndim = in->ndim;
    bool reduced[TFL_MAX_DIMS] = {false};
    int nres = 0;
    size_t naxis = tfl__num_elements(axis);
    if (naxis > 0 && !axis->data)
        return tfl__op_fail(ctx, node, bad, "axis tensor has no data");
    for (size_t i = 0; i < naxis && ndim > 0; ++i) {
        int32_t a;
        memcpy(&a, axis->data + i * sizeof a, sizeof a);
        int32_t v = a < 0 ? a + ndim : a;
        if (v < 0 || v >= ndim)
            return tfl__op_fail(ctx, node, bad, "axis %d is out of range for input rank %d", (int)a,
                                ndim);
        if (!reduced[v])
            ++nres;
        reduced[v] = true;
    }

    int32_t dims[TFL_MAX_DIMS];
    int odim = 0;
    for (int i = 0; i < ndim; ++i) {
        if (!reduced[i])
            dims[odim++] = in->dims[i];
        else if (d->keep_dims)
            dims[odim++] = 1;
    }
    tfl_status s = tfl__resize(ctx, node, out, dims, odim);
    if (s != TFL_OK)
        return s;

    tfl_reduce_params *p = &d->p;
    p->nk = p->nr = 0;
    p->count = 1;
    d->num_out = 1;
    size_t stride = 1;
    for (int i = ndim - 1; i >= 0; --i) {
        if (reduced[i]) {
            p->rdims[p->nr] = in->dims[i];
            p->rstride[p->nr++] = stride;
            p->count *= in->dims[i];
        } else {
            p->kdims[p->nk] = in->dims[i];
            p->kstride[p->nk++] = stride;
            d->num_out *= (size_t)in->dims[i];
        }
        stride *= (size_t)in->dims[i];
    }
    /* Collected innermost first; kernels want outermost first. */
    for (int i = 0, j = p->nr - 1; i < j; ++i, --j) {
        int32_t t = p->rdims[i];
        p->rdims[i] = p->rdims[j];
        p->rdims[j] = t;
        size_t u = p->rstride[i];
        p->rstride[i] = p->rstride[j];
        p->rstride[j] = u;
    }
    for (int i = 0, j = p->nk - 1; i < j; ++i, --j) {
        int32_t t = p->kdims[i];
        p->kdims[i] = p->kdims[j];
        p->kdims[j] = t;
        size_t u = p->kstride[i];
        p->kstride[i] = p->kstride[j];
        p->kstride[j] = u;
    }
    p->sum_init = nres == ndim ? -0.0f : 0.0f;
    /* [outer, count, inner]: the reduced dimensions one contiguous run
     * just outside the innermost kept one, at most one kept outside. */
    p->inner = 0;
    if (p->nk >= 1 && p->nk <= 2 && p->nr >= 1 && p->kstride[p->nk - 1] == 1) {
        const size_t inner = (size_t)p->kdims[p->nk - 1];
        bool run = p->rstride[p->nr - 1] == inner;
        for (int i = 0; run && i < p->nr - 1; ++i)
            run = p->rstride[i] == p->rstride[i + 1] * (size_t)p->rdims[i + 1];
        if (run && p->nk == 2)
            run = p->kstride[0] == (size_t)p->count * inner;
        if (run)
            p->inner = inner;
    }

    p->mult = d->base_mult;
    p->shift = d->base_shift;
    if (d->quantized_prod && p->count > 0) {
        /* TFLite's GetQuantProdScaling: each step is rescaled by the input
         * scale over the count-th root of the output scale. */
        const double scaling =
            (double)d->in_scale / pow((double)d->out_scale, 1.0 / (double)p->count);
        if ((s = tfl__op_multiplier(ctx, node, "product", scaling, &p->mult, &p->shift)) != TFL_OK)
            return s;
        if (p->shift < -31 || p->shift > 7)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "product rescale %g is out of TFLite's range", scaling);
    }
    if (d->quantized && d->op == OP_MEAN && p->count > 0) {
        /* QuantizedMeanOrSum folds 1 / count into the multiplier: scale it
         * up by 2^floor(log2(count)) (at most 32, and keeping the shift
         * >= -31), divide by count, and shift back. */
        int sh = 0;
        while (sh < 63 && ((uint64_t)p->count >> (sh + 1)) != 0)
            ++sh;
        if (sh > 32)
            sh = 32;
        if (sh > 31 + d->base_shift)
            sh = 31 + d->base_shift;
        p->mult = (int32_t)(((int64_t)d->base_mult << sh) / p->count);
        p->shift = d->base_shift - sh;
    }
    return TFL_OK;
}

static bool good_scale(float s)
{
    return s > 0.0f && isfinite(s);
}

static tfl_status reduce_prepare(tfl__ctx *ctx, tfl__node *node)
{
    reduce_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *axis = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in || !axis)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is missing", in ? "axis" : "input");
    if ((s = tfl__check_type(ctx, node, axis, "axis", TFL_INT32)) != TFL_OK)
        return s;
    if (out->type != in->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output type %s does not match input type %s", tfl_type_name(out->type),
                            tfl_type_name(in->type));
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].op == d->op && kernels[i].type == in->type)
            d->fn = kernels[i].fn;
    if (!d->fn)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input type %s not supported (expected %s)", tfl_type_name(in->type),
                            supported[d->op]);

    /* MEAN and SUM rescale 8- and 16-bit sums; the others copy raw values. */
    d->quantized = (d->op == OP_MEAN || d->op == OP_SUM) &&
                   (in->type == TFL_UINT8 || in->type == TFL_INT8 || in->type == TFL_INT16);
    d->base_mult = 0;
    d->base_shift = 0;
    if (d->quantized) {
        if (!good_scale(in->scale) || !good_scale(out->scale))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "quantized input and output need scales > 0, got %g and %g",
                                (double)in->scale, (double)out->scale);
        if (in->type == TFL_INT16 && (in->zero_point != 0 || out->zero_point != 0))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "int16 input and output need zero point 0, got %d and %d",
                                (int)in->zero_point, (int)out->zero_point);
        if ((s = tfl__op_multiplier(ctx, node, "input/output",
                                    (double)in->scale / (double)out->scale, &d->base_mult,
                                    &d->base_shift)) != TFL_OK)
            return s;
        d->p.in_zp = in->zero_point;
        d->p.out_zp = out->zero_point;
        d->p.scale = in->scale / out->scale;
    }

    /* REDUCE_PROD rescales quantized int8 / int16 products step by step. */
    d->quantized_prod = d->op == OP_PROD && (in->type == TFL_INT8 || in->type == TFL_INT16) &&
                        tfl__is_quantized(in);
    if (d->quantized_prod) {
        if (!good_scale(in->scale) || !good_scale(out->scale))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "quantized input and output need scales > 0, got %g and %g",
                                (double)in->scale, (double)out->scale);
        if (in->type == TFL_INT16 && (in->zero_point != 0 || out->zero_point != 0))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "int16 input and output need zero point 0, got %d and %d",
                                (int)in->zero_point, (int)out->zero_point);
        d->fn = in->type == TFL_INT8 ? tfl_reduce_prod_s8__ref : tfl_reduce_prod_s16__ref;
        d->in_scale = in->scale;
        d->out_scale = out->scale;
        d->p.in_zp = in->zero_point;
        d->p.out_zp = out->zero_point;
        const float one = roundf(1.0f / out->scale) + (float)out->zero_point;
        d->p.empty_prod = one > 32767.0f ? 32767 : (int32_t)one;
    } else if (d->op == OP_PROD && in->type == TFL_UINT8 && tfl__is_quantized(in)) {
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "quantized uint8 REDUCE_PROD is not supported (TFLite refuses it)");
    }

    d->dynamic = !tfl__is_const(axis);
    if (d->dynamic) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return setup(ctx, node, d, TFL_ERROR_BAD_MODEL);
}

typedef struct reduce_job {
    const reduce_data *d;
    const void *in;
    void *out;
} reduce_job;

static void reduce_range(void *arg, size_t start, size_t end, int worker)
{
    const reduce_job *j = arg;
    j->d->fn(&j->d->p, j->in, j->out, start, end);
}

static tfl_status reduce_eval(tfl__ctx *ctx, tfl__node *node)
{
    reduce_data *d = node->data;
    if (d->dynamic) {
        tfl_status s = setup(ctx, node, d, TFL_ERROR_RUNTIME);
        if (s != TFL_OK)
            return s;
    }
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (d->num_out == 0)
        return TFL_OK;
    if (d->p.count == 0 && d->op >= OP_PROD) {
        /* Nothing to fold: the kernels store their neutral element. */
        reduce_job j = {d, NULL, out->data};
        reduce_range(&j, 0, d->num_out, 0);
        return TFL_OK;
    }
    if (d->p.count == 0) {
        /* Empty input: TFLite fills MEAN's float output with NaN and every
         * other output with zeros (not the zero point). */
        if (d->op == OP_MEAN && out->type == TFL_FLOAT32) {
            for (size_t i = 0; i < d->num_out; ++i)
                ((float *)out->data)[i] = NAN;
        } else {
            memset(out->data, 0, out->bytes);
        }
        return TFL_OK;
    }
    reduce_job j = {d, tfl__input(ctx, node, 0)->data, out->data};
    size_t min_chunk = (size_t)(4096 / d->p.count) + 1;
    tfl__parallel_for(ctx, d->num_out, min_chunk, reduce_range, &j);
    return TFL_OK;
}

const tfl__op tfl__op_mean = {
    .builtin_code = 40,
    .min_version = 1,
    .max_version = 3,
    .init = mean_init,
    .prepare = reduce_prepare,
    .eval = reduce_eval,
    .free = free,
};

const tfl__op tfl__op_sum = {
    .builtin_code = 74,
    .min_version = 1,
    .max_version = 2,
    .init = sum_init,
    .prepare = reduce_prepare,
    .eval = reduce_eval,
    .free = free,
};

#define REDUCE_OP(NAME, CODE)                                                                      \
    const tfl__op tfl__op_reduce_##NAME = {                                                        \
        .builtin_code = CODE,                                                                      \
        .min_version = 1,                                                                          \
        .max_version = 3,                                                                          \
        .init = NAME##_init,                                                                       \
        .prepare = reduce_prepare,                                                                 \
        .eval = reduce_eval,                                                                       \
        .free = free,                                                                              \
    };
REDUCE_OP(prod, 81)
REDUCE_OP(max, 82)
REDUCE_OP(min, 89)
REDUCE_OP(any, 91)
REDUCE_OP(all, 140)
