/* SVDF (27): a rank-decomposed fully-connected layer over a sliding window
 * of past activations, as TFLite's reference_ops EvalFloatSVDF and
 * EvalIntegerSVDF compute it:
 *
 *   state (variable) [batch][filters * memory] shifts left by one element,
 *   the newest slot of each filter gets feature_weights . input;
 *   out[b][u] = act(bias[u] + sum over the unit's rank filters of
 *               time_weights[f] . state[b][f]).
 *
 * Inputs: 0 input [batch, input_size], 1 feature weights [filters,
 * input_size], 2 time weights [filters, memory], 3 bias [units] (optional),
 * 4 state. Options: rank (0), activation (1). float32, or int8 input and
 * feature weights with int16 time weights and state, int32 bias and int8
 * output (TFLite requires RELU there and applies only the int8 clamp).
 *
 * Hybrid (dynamic range, TFLite's EvalHybridSVDF): float32 input, bias,
 * state and output with int8 feature and time weights, one scale each.
 * The time weights are dequantized to float (int8 x scale); each input
 * row is quantized on the fly, symmetric or asymmetric (option 2,
 * asymmetric_quantize_inputs), and the newest state slot of filter f gets
 *   (float)(wf[f] . q_b - row_sum_f * offset_b) * (scale_b * wf_scale),
 * 0 for every row when the whole input is zero (TFLite skips the product);
 * the time weights, bias and activation then run in float as above.
 * LiteRT dequantizes the time weights and takes the row sums once, at the
 * first invoke; tfl does both at every invoke (the same for constant
 * weights, which is what converters write). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/hybrid.h"
#include "kernels/quant.h"
#include "ops/elementwise.h"

enum { IN, W_FEATURE, W_TIME, BIAS, STATE };

typedef struct svdf_data {
    int rank, activation;
    int n_batch, n_input, n_filter, n_unit, n_memory;
    bool integer, hybrid, asymmetric;
    int32_t mult1, mult2; /* input x feature -> state; state x time -> output */
    int shift1, shift2;
} svdf_data;

static tfl_status svdf_init(tfl__ctx *ctx, tfl__node *node)
{
    svdf_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->rank = tfl__fb_i32(&node->options, 0, 0);
    d->activation = tfl__fb_i8(&node->options, 1, 0);
    d->asymmetric = tfl__fb_u8(&node->options, 2, 0) != 0;
    if (d->rank < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "rank %d must be >= 1", d->rank);
    tfl_status s = tfl__vector_activation_check(ctx, node, d->activation);
    if (s != TFL_OK)
        return s;
    return TFL_OK;
}

static tfl_status expect(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                         const char *role, tfl_type type, int ndim)
{
    tfl_status s = tfl__check_type(ctx, node, t, role, type);
    if (s == TFL_OK && t->ndim != ndim)
        s = tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s must be %d-D, got %d-D", role, ndim,
                         t->ndim);
    return s;
}

static tfl_status integer_scales(tfl__ctx *ctx, const tfl__node *node, svdf_data *d)
{
    const tfl_tensor *in = tfl__input(ctx, node, IN), *wf = tfl__input(ctx, node, W_FEATURE);
    const tfl_tensor *wt = tfl__input(ctx, node, W_TIME), *st = tfl__input(ctx, node, STATE);
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    if (d->activation != TFL__ACT_RELU)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "an integer SVDF must have the RELU activation (TFLite requires it)");
    const tfl_tensor *all[] = {in, wf, wt, st, out};
    for (int i = 0; i < 5; ++i)
        if (all[i]->quant.count < 1)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is not quantized",
                                i == 4 ? "the output" : i == 3 ? "the state" : "an input");
    /* In float, as TFLite computes them, then widened. */
    const float s1 = in->scale * wf->scale / st->scale;
    const float s2 = st->scale * wt->scale / out->scale;
    tfl_status s = tfl__op_multiplier(ctx, node, "input x feature weights", s1, &d->mult1,
                                      &d->shift1);
    if (s == TFL_OK)
        s = tfl__op_multiplier(ctx, node, "state x time weights", s2, &d->mult2, &d->shift2);
    return s;
}

/* The hybrid weights: int8, one scale > 0 each (TFLite reads the
 * per-tensor scale, which a per-channel tensor does not have: 0). */
static tfl_status hybrid_scales(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *wf,
                                const tfl_tensor *wt)
{
    const tfl_tensor *w[] = {wf, wt};
    for (int i = 0; i < 2; ++i) {
        const char *role = i ? "time weights" : "feature weights";
        if (w[i]->quant.count < 1 || !(w[i]->scale > 0))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "the int8 %s of a hybrid SVDF are not quantized (scale > 0)",
                                role);
        if (w[i]->quant.count > 1)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "hybrid SVDF %s with %d scales: per-channel weights are not "
                                "supported (TFLite applies one scale)",
                                role, w[i]->quant.count);
    }
    return TFL_OK;
}

/* Hybrid scratch: the filters' outputs [batch][filters] (float), the
 * dequantized time weights [filters][memory], the quantized input
 * [batch][input], its scales and offsets [batch], the row sums [filters].
 * Returns the bytes; fills the pointers when base is given. */
typedef struct hybrid_tmp {
    float *feat, *wt, *scale;
    int8_t *q;
    int32_t *offset, *sums;
} hybrid_tmp;

static size_t hybrid_layout(const svdf_data *d, uint8_t *base, hybrid_tmp *t)
{
    const size_t nb = (size_t)d->n_batch, nf = (size_t)d->n_filter;
    size_t off[6], at = 0;
    const size_t bytes[6] = {nb * nf * sizeof(float), nf * (size_t)d->n_memory * sizeof(float),
                             nb * (size_t)d->n_input, nb * sizeof(float), nb * sizeof(int32_t),
                             nf * sizeof(int32_t)};
    for (int i = 0; i < 6; ++i) {
        off[i] = at;
        at += (bytes[i] + 15) & ~(size_t)15;
    }
    if (base) {
        t->feat = (float *)(void *)(base + off[0]);
        t->wt = (float *)(void *)(base + off[1]);
        t->q = (int8_t *)(base + off[2]);
        t->scale = (float *)(void *)(base + off[3]);
        t->offset = (int32_t *)(void *)(base + off[4]);
        t->sums = (int32_t *)(void *)(base + off[5]);
    }
    return at;
}

static tfl_status svdf_prepare(tfl__ctx *ctx, tfl__node *node)
{
    svdf_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 5, 5, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, IN), *wf = tfl__input(ctx, node, W_FEATURE);
    const tfl_tensor *wt = tfl__input(ctx, node, W_TIME), *bias = tfl__input(ctx, node, BIAS);
    const tfl_tensor *st = tfl__input(ctx, node, STATE);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in || !wf || !wt || !st)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input, weights or state missing");
    d->integer = in->type == TFL_INT8;
    d->hybrid = in->type == TFL_FLOAT32 && wf->type != TFL_FLOAT32;
    if (d->hybrid && wf->type != TFL_INT8)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "hybrid SVDF with %s feature weights is not supported (int8 is)",
                            tfl_type_name(wf->type));
    const tfl_type f = d->integer ? TFL_INT8 : TFL_FLOAT32;
    const tfl_type h = d->integer ? TFL_INT16 : TFL_FLOAT32;
    if ((s = expect(ctx, node, in, "input", f, 2)) != TFL_OK ||
        (s = expect(ctx, node, wf, "feature weights", d->hybrid ? TFL_INT8 : f, 2)) != TFL_OK ||
        (s = expect(ctx, node, wt, "time weights", d->hybrid ? TFL_INT8 : h, 2)) != TFL_OK ||
        (s = expect(ctx, node, st, "state", h, 2)) != TFL_OK ||
        (bias && (s = expect(ctx, node, bias, "bias", d->integer ? TFL_INT32 : TFL_FLOAT32, 1)) !=
                     TFL_OK) ||
        (s = tfl__check_type(ctx, node, out, "output", f)) != TFL_OK)
        return s;
    d->n_batch = in->dims[0];
    d->n_input = in->dims[1];
    d->n_filter = wf->dims[0];
    d->n_memory = wt->dims[1];
    if (d->n_filter % d->rank != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%d filters are not a multiple of the rank %d", d->n_filter, d->rank);
    d->n_unit = d->n_filter / d->rank;
    if (wf->dims[1] != d->n_input || wt->dims[0] != d->n_filter || d->n_memory < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "weights [%d, %d] and time weights [%d, %d] do not fit the input's "
                            "%d features",
                            wf->dims[0], wf->dims[1], wt->dims[0], wt->dims[1], d->n_input);
    if (bias && bias->dims[0] != d->n_unit)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "bias has %d elements, expected %d",
                            bias->dims[0], d->n_unit);
    if (st->dims[0] != d->n_batch || (int64_t)st->dims[1] != (int64_t)d->n_memory * d->n_filter)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "state must be [%d, %lld]",
                            d->n_batch, (long long)d->n_memory * d->n_filter);
    if (!st->is_variable)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the state must be a variable");
    if (d->integer && (s = integer_scales(ctx, node, d)) != TFL_OK)
        return s;
    if (d->hybrid && (s = hybrid_scales(ctx, node, wf, wt)) != TFL_OK)
        return s;
    /* Per batch row: the filters' outputs (and the hybrid temporaries). */
    node->scratch_bytes = (size_t)d->n_batch * d->n_filter * (d->integer ? sizeof(int32_t)
                                                                         : sizeof(float));
    if (d->hybrid)
        node->scratch_bytes = hybrid_layout(d, NULL, NULL);
    node->work = tfl__work((uint64_t)d->n_batch, (uint64_t)d->n_filter,
                           (uint64_t)d->n_input + (uint64_t)d->n_memory);
    const int32_t dims[2] = {d->n_batch, d->n_unit};
    return tfl__resize(ctx, node, out, dims, 2);
}

/* TFLite's ApplyTimeWeightsBiasAndActivation: the filters' float time
 * weights against the state, summed over each unit's rank filters, bias,
 * activation. */
static void time_f32(const svdf_data *d, const float *wt, const float *bias, const float *state,
                     float *scratch, float *out)
{
    const int nf = d->n_filter, nm = d->n_memory;
    for (size_t i = 0; i < (size_t)d->n_batch * nf; ++i) {
        float dot = 0.0f;
        for (int m = 0; m < nm; ++m)
            dot += wt[(i % nf) * nm + m] * state[i * nm + m];
        scratch[i] = dot;
    }
    const size_t n_out = (size_t)d->n_batch * d->n_unit;
    for (size_t i = 0; i < n_out; ++i) {
        float sum = 0.0f;
        for (int r = 0; r < d->rank; ++r)
            sum += scratch[i * d->rank + r];
        if (bias)
            sum += bias[i % d->n_unit];
        out[i] = sum;
    }
    tfl__vector_activation_f32(d->activation, out, n_out);
}

static void eval_f32(const svdf_data *d, const float *x, const float *wf, const float *wt,
                     const float *bias, float *state, float *scratch, float *out)
{
    const int nf = d->n_filter, nm = d->n_memory;
    const size_t n_state = (size_t)d->n_batch * nf * nm;
    memmove(state, state + 1, (n_state - 1) * sizeof *state);
    for (int b = 0; b < d->n_batch; ++b)
        for (int f = 0; f < nf; ++f) {
            float dot = 0.0f;
            for (int c = 0; c < d->n_input; ++c)
                dot += wf[(size_t)f * d->n_input + c] * x[(size_t)b * d->n_input + c];
            state[((size_t)b * nf + f) * nm + nm - 1] = dot;
        }
    time_f32(d, wt, bias, state, scratch, out);
}

static void eval_hybrid(const svdf_data *d, const float *x, const int8_t *wf, float wf_scale,
                        const int8_t *wt, float wt_scale, const float *bias, float *state,
                        uint8_t *scratch, float *out)
{
    hybrid_tmp t;
    hybrid_layout(d, scratch, &t);
    const int nb = d->n_batch, ni = d->n_input, nf = d->n_filter, nm = d->n_memory;
    const size_t n_state = (size_t)nb * nf * nm;
    for (size_t i = 0; i < (size_t)nf * nm; ++i)
        t.wt[i] = (float)wt[i] * wt_scale;
    memmove(state, state + 1, (n_state - 1) * sizeof *state);
    for (size_t i = 0; i < (size_t)nb * nf; ++i)
        t.feat[i] = 0.0f;
    if (!tfl__all_zero_f32(x, (size_t)nb * ni)) {
        tfl__hybrid_quantize(x, nb, ni, d->asymmetric, t.q, t.scale, t.offset);
        for (int b = 0; b < nb; ++b)
            t.scale[b] *= wf_scale;
        if (d->asymmetric)
            tfl__hybrid_row_sums(wf, nf, ni, t.sums);
        tfl__hybrid_matvec_acc(wf, nf, ni, t.q, t.scale, d->asymmetric ? t.offset : NULL,
                               d->asymmetric ? t.sums : NULL, NULL, nb, t.feat);
    }
    for (size_t i = 0; i < (size_t)nb * nf; ++i)
        state[i * nm + nm - 1] = t.feat[i];
    time_f32(d, t.wt, bias, state, t.feat, out);
}

static void eval_s8(const svdf_data *d, const int8_t *x, const int8_t *wf, const int16_t *wt,
                    const int32_t *bias, int32_t in_zp, int32_t out_zp, int16_t *state,
                    int32_t *scratch, int8_t *out)
{
    const int nf = d->n_filter, nm = d->n_memory;
    const size_t n_state = (size_t)d->n_batch * nf * nm;
    memmove(state, state + 1, (n_state - 1) * sizeof *state);
    for (int b = 0; b < d->n_batch; ++b)
        for (int f = 0; f < nf; ++f) {
            uint32_t dot = 0; /* wraps as TFLite's int32 sum does */
            for (int c = 0; c < d->n_input; ++c)
                dot += (uint32_t)(wf[(size_t)f * d->n_input + c] *
                                  (x[(size_t)b * d->n_input + c] - in_zp));
            const int32_t v = tfl__mbqm((int32_t)dot, d->mult1, d->shift1);
            state[((size_t)b * nf + f) * nm + nm - 1] =
                (int16_t)tfl__clamp_i32(v, INT16_MIN, INT16_MAX);
        }
    for (size_t i = 0; i < (size_t)d->n_batch * nf; ++i) {
        uint32_t dot = 0;
        for (int m = 0; m < nm; ++m)
            dot += (uint32_t)(wt[(i % nf) * nm + m] * state[i * nm + m]);
        scratch[i] = (int32_t)dot;
    }
    for (size_t i = 0; i < (size_t)d->n_batch * d->n_unit; ++i) {
        uint32_t sum = 0;
        for (int r = 0; r < d->rank; ++r)
            sum += (uint32_t)scratch[i * d->rank + r];
        if (bias)
            sum += (uint32_t)bias[i % d->n_unit];
        const int32_t v = tfl__mbqm((int32_t)sum, d->mult2, d->shift2) + out_zp;
        out[i] = (int8_t)tfl__clamp_i32(v, INT8_MIN, INT8_MAX);
    }
}

static tfl_status svdf_eval(tfl__ctx *ctx, tfl__node *node)
{
    const svdf_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, IN), *bias = tfl__input(ctx, node, BIAS);
    const tfl_tensor *wf = tfl__input(ctx, node, W_FEATURE), *wt = tfl__input(ctx, node, W_TIME);
    tfl_tensor *st = tfl__input(ctx, node, STATE), *out = tfl__output(ctx, node, 0);
    if ((size_t)d->n_batch * d->n_filter * d->n_memory == 0)
        return TFL_OK;
    if (d->hybrid)
        eval_hybrid(d, (const float *)(const void *)in->data, (const int8_t *)wf->data, wf->scale,
                    (const int8_t *)wt->data, wt->scale,
                    bias ? (const float *)(const void *)bias->data : NULL,
                    (float *)(void *)st->data, ctx->scratch, (float *)(void *)out->data);
    else if (d->integer)
        eval_s8(d, (const int8_t *)in->data, (const int8_t *)wf->data,
                (const int16_t *)(const void *)wt->data,
                bias ? (const int32_t *)(const void *)bias->data : NULL, in->zero_point,
                out->zero_point, (int16_t *)(void *)st->data, ctx->scratch, (int8_t *)out->data);
    else
        eval_f32(d, (const float *)(const void *)in->data, (const float *)(const void *)wf->data,
                 (const float *)(const void *)wt->data,
                 bias ? (const float *)(const void *)bias->data : NULL, (float *)(void *)st->data,
                 ctx->scratch, (float *)(void *)out->data);
    return TFL_OK;
}

const tfl__op tfl__op_svdf = {
    .builtin_code = 27,
    .min_version = 1,
    .max_version = 4,
    .init = svdf_init,
    .prepare = svdf_prepare,
    .eval = svdf_eval,
    .free = free,
};
