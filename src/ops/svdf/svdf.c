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
 * Hybrid SVDF (float input, int8 weights) is refused (not yet). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/quant.h"
#include "ops/elementwise.h"

enum { IN, W_FEATURE, W_TIME, BIAS, STATE };

typedef struct svdf_data {
    int rank, activation;
    int n_batch, n_input, n_filter, n_unit, n_memory;
    bool integer;
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
    if (in->type == TFL_FLOAT32 && wf->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "hybrid SVDF (float32 input, %s weights) is not supported yet",
                            tfl_type_name(wf->type));
    const tfl_type f = d->integer ? TFL_INT8 : TFL_FLOAT32;
    const tfl_type h = d->integer ? TFL_INT16 : TFL_FLOAT32;
    if ((s = expect(ctx, node, in, "input", f, 2)) != TFL_OK ||
        (s = expect(ctx, node, wf, "feature weights", f, 2)) != TFL_OK ||
        (s = expect(ctx, node, wt, "time weights", h, 2)) != TFL_OK ||
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
    /* Per batch row: the filters' outputs. */
    node->scratch_bytes = (size_t)d->n_batch * d->n_filter * (d->integer ? sizeof(int32_t)
                                                                         : sizeof(float));
    node->work = tfl__work((uint64_t)d->n_batch, (uint64_t)d->n_filter,
                           (uint64_t)d->n_input + (uint64_t)d->n_memory);
    const int32_t dims[2] = {d->n_batch, d->n_unit};
    return tfl__resize(ctx, node, out, dims, 2);
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
    if (d->integer)
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
