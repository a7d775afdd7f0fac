/* UNIDIRECTIONAL_SEQUENCE_LSTM (44) and LSTM (16, one step over [batch,
 * input]), float32: TFLite's LSTM cell stepped over the time axis, run by
 * the float cell shared with BIDIRECTIONAL_SEQUENCE_LSTM (lstm_f32.c).
 *
 * Inputs: 0 input ([time, batch, n_input] with time_major, else [batch,
 * time, n_input]), 1-4 input weights (i, f, c, o; i optional), 5-8
 * recurrent weights, 9-11 peepholes (optional), 12-15 biases, 16-17
 * projection weights and bias (optional), 18-19 output and cell state
 * (variables, carried across invokes), 20-23 layer norm coefficients
 * (optional). Options: activation (0), cell_clip (1), proj_clip (2),
 * time_major (3). Activation NONE is computed as TFLite's float and hybrid
 * cells do it (tflite_act_none in lstm_f32.h), which is not a plain
 * identity.
 *
 * int8 models run TFLite's integer cell (lstm_q8.c): int8 weights and
 * output state, int16 cell state and peepholes and layer norm, int32
 * biases, and 5 intermediate tensors carrying the gate and hidden scales.
 * Hybrid models (float32 input, states, biases, layer norm and output;
 * int8 input, recurrent, peephole and projection weights with one scale
 * each) run the float cell's hybrid arithmetic (TFLite's EvalHybrid):
 * options field 4 is asymmetric_quantize_inputs. TFLite caches the
 * weights' row sums from the first invoke after a prepare; tfl recomputes
 * them every invoke, which gives the same sums for constant weights (and
 * hybrid weights must be constant). */
#include <stdint.h>
#include <stdlib.h>

#include "ops/elementwise.h"
#include "ops/lstm/lstm.h"
#include "ops/lstm/lstm_f32.h"
#include "ops/shape_common.h"

enum {
    IN = 0,
    W_I = 1,
    W_F,
    W_C,
    W_O,
    R_I = 5,
    R_F,
    R_C,
    R_O,
    P_I = 9,
    P_F,
    P_O,
    B_I = 12,
    B_F,
    B_C,
    B_O,
    PROJ_W = 16,
    PROJ_B = 17,
    H_STATE = 18,
    C_STATE = 19,
    LN_I = 20,
    LN_F,
    LN_C,
    LN_O
};

typedef struct lstm_data {
    int activation;
    float cell_clip, proj_clip;
    bool time_major;
    bool single_step; /* LSTM (16): input [batch, n_input], one step */
    int n_batch, n_time, n_input, n_cell, n_output;
    bool integer;  /* int8 activations: the integer cell */
    bool hybrid;   /* float32 activations, int8 weights */
    bool asymmetric; /* hybrid: asymmetric_quantize_inputs */
    tfl__lstm_q8 q; /* its constants */
} lstm_data;

static void lstm_free(void *data)
{
    lstm_data *d = data;
    if (d)
        tfl__lstm_q8_free(&d->q);
    free(d);
}

static tfl_status lstm_init_common(tfl__ctx *ctx, tfl__node *node, bool single_step)
{
    lstm_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->single_step = single_step;
    d->activation = tfl__fb_i8(&node->options, 0, 0);
    d->cell_clip = tfl__fb_f32(&node->options, 1, 0.0f);
    d->proj_clip = tfl__fb_f32(&node->options, 2, 0.0f);
    if (single_step) {
        /* LSTMOptions field 3 is kernel_type: FULL (0) or BASIC (1). */
        if (tfl__fb_i8(&node->options, 3, 0) != 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "the BASIC LSTM kernel is not supported (FULL is)");
        d->time_major = true;
    } else {
        d->time_major = tfl__fb_u8(&node->options, 3, 0) != 0;
    }
    d->asymmetric = tfl__fb_u8(&node->options, 4, 0) != 0;
    if (!(d->cell_clip >= 0.0f) || !(d->proj_clip >= 0.0f))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "clips must be >= 0");
    switch (d->activation) {
    case TFL__ACT_NONE:
    case TFL__ACT_RELU:
    case TFL__ACT_RELU6:
    case TFL__ACT_TANH: break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "activation %d not supported",
                            d->activation);
    }
    return TFL_OK;
}

static tfl_status lstm_init(tfl__ctx *ctx, tfl__node *node)
{
    return lstm_init_common(ctx, node, false);
}

static tfl_status single_lstm_init(tfl__ctx *ctx, tfl__node *node)
{
    return lstm_init_common(ctx, node, true);
}

/* t has the given type and shape (ndim 1 or 2). */
static tfl_status check(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t, int i,
                        tfl_type type, int32_t d0, int32_t d1)
{
    const int nd = d1 < 0 ? 1 : 2;
    if (t->type != type)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "input %d is %s, expected %s", i,
                            tfl_type_name(t->type), tfl_type_name(type));
    if (t->ndim != nd || t->dims[0] != d0 || (nd == 2 && t->dims[1] != d1))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %d has the wrong shape", i);
    return TFL_OK;
}

/* Hybrid weights: TFLite reads one scale (a per-channel tensor's legacy
 * scale is 0, so it would zero the products) and tfl folds row sums from
 * the data at each invoke, so the weights must be constant. */
static tfl_status check_hybrid_weights(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                                       int i)
{
    if (t->quant.count != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "hybrid weights (input %d) need one scale (TFLite applies one; got %d)",
                            i, t->quant.count);
    if (tfl__num_elements(t) > 0 && !tfl__is_const(t))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "hybrid weights (input %d) must be constant", i);
    return TFL_OK;
}

/* The type each input slot holds in a float, hybrid or integer LSTM. */
static tfl_type slot_type(int i, const lstm_data *d)
{
    const bool weights = (i >= W_I && i <= P_O) || i == PROJ_W;
    if (d->hybrid)
        return weights ? TFL_INT8 : TFL_FLOAT32;
    if (!d->integer)
        return TFL_FLOAT32;
    if (i >= P_I && i <= P_O)
        return TFL_INT16;
    if ((i >= B_I && i <= B_O) || i == PROJ_B)
        return TFL_INT32;
    if (i >= LN_I || i == C_STATE)
        return TFL_INT16;
    return TFL_INT8;
}

/* A state may be 1-D or 2-D, as long as it holds n_batch rows of n. */
static tfl_status check_state(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t, int i,
                              const lstm_data *d, int n_batch, int n)
{
    if (t->type != slot_type(i, d))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "input %d is %s, expected %s", i,
                            tfl_type_name(t->type), tfl_type_name(slot_type(i, d)));
    if (t->ndim < 1 || t->ndim > 2 || tfl__num_elements(t) != (size_t)n_batch * (size_t)n)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "state %d must hold %d x %d elements", i, n_batch, n);
    return TFL_OK;
}

/* TFLite's all-or-none rules for the optional parts. */
static tfl_status check_optional_parts(tfl__ctx *ctx, const tfl__node *node)
{
    const bool cifg = tfl__input(ctx, node, W_I) == NULL;
    const bool ln = tfl__input(ctx, node, LN_F) != NULL;
    const bool any_peephole = tfl__input(ctx, node, P_I) || tfl__input(ctx, node, P_F) ||
                              tfl__input(ctx, node, P_O);
    const bool all_peephole = (cifg || tfl__input(ctx, node, P_I)) && tfl__input(ctx, node, P_F) &&
                              tfl__input(ctx, node, P_O);
    const char *why = NULL;
    if (cifg != (tfl__input(ctx, node, R_I) == NULL))
        why = "the input gate's input and recurrent weights must both be given or both omitted";
    else if (cifg && tfl__input(ctx, node, P_I))
        why = "a CIFG LSTM has no input gate peephole";
    else if (any_peephole && !all_peephole)
        why = "peephole weights must all be given or all omitted";
    else if (cifg != (tfl__input(ctx, node, B_I) == NULL))
        why = "the input gate bias must be given exactly when the input gate is";
    else if (!tfl__input(ctx, node, PROJ_W) && tfl__input(ctx, node, PROJ_B))
        why = "a projection bias needs projection weights";
    else if (ln && (!tfl__input(ctx, node, LN_C) || !tfl__input(ctx, node, LN_O) ||
                    cifg != (tfl__input(ctx, node, LN_I) == NULL)))
        why = "layer norm coefficients must be given for every gate there is";
    return why ? tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s", why) : TFL_OK;
}

static tfl_status lstm_prepare(tfl__ctx *ctx, tfl__node *node)
{
    lstm_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 20, 24, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, IN), *wf = tfl__input(ctx, node, W_F);
    const tfl_tensor *rf = tfl__input(ctx, node, R_F);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in || !wf || !rf)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input or a weight is missing");
    d->integer = in->type == TFL_INT8;
    if (in->type != TFL_FLOAT32 && !d->integer)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input type %s not supported (float32 or int8)",
                            tfl_type_name(in->type));
    d->hybrid = !d->integer && wf->type == TFL_INT8;
    if (!d->integer && !d->hybrid && wf->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "weights of type %s not supported with a float32 input (float32, or "
                            "int8 for a hybrid LSTM)",
                            tfl_type_name(wf->type));
    const int rank = d->single_step ? 2 : 3;
    if (in->ndim != rank || wf->ndim != 2 || rf->ndim != 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "input must be %d-D and the weights 2-D", rank);
    d->n_time = d->single_step ? 1 : in->dims[d->time_major ? 0 : 1];
    d->n_batch = in->dims[d->single_step || !d->time_major ? 0 : 1];
    d->n_input = in->dims[rank - 1];
    d->n_cell = wf->dims[0];
    d->n_output = rf->dims[1];
    const int nc = d->n_cell, ni = d->n_input, no = d->n_output;
    const bool cifg = tfl__input(ctx, node, W_I) == NULL;
    for (int i = W_I; i <= W_O; ++i) {
        const tfl_tensor *t = tfl__input(ctx, node, i);
        if (!t && !(cifg && i == W_I))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input weights %d missing", i);
        if (t && (s = check(ctx, node, t, i, slot_type(i, d), nc, ni)) != TFL_OK)
            return s;
    }
    for (int i = R_I; i <= R_O; ++i) {
        const tfl_tensor *t = tfl__input(ctx, node, i);
        if (!t && !(cifg && i == R_I))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "recurrent weights %d missing", i);
        if (t && (s = check(ctx, node, t, i, slot_type(i, d), nc, no)) != TFL_OK)
            return s;
    }
    for (int i = P_I; i <= P_O; ++i) {
        const tfl_tensor *t = tfl__input(ctx, node, i);
        if (t && (s = check(ctx, node, t, i, slot_type(i, d), nc, -1)) != TFL_OK)
            return s;
    }
    for (int i = B_I; i <= B_O; ++i) {
        const tfl_tensor *t = tfl__input(ctx, node, i);
        if (!t && !(cifg && i == B_I))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "gate bias %d missing", i);
        if (t && (s = check(ctx, node, t, i, slot_type(i, d), nc, -1)) != TFL_OK)
            return s;
    }
    if ((s = check_optional_parts(ctx, node)) != TFL_OK)
        return s;
    const tfl_tensor *pw = tfl__input(ctx, node, PROJ_W), *pb = tfl__input(ctx, node, PROJ_B);
    if (pw && (s = check(ctx, node, pw, PROJ_W, slot_type(PROJ_W, d), no, nc)) != TFL_OK)
        return s;
    if (pb && (s = check(ctx, node, pb, PROJ_B, slot_type(PROJ_B, d), no, -1)) != TFL_OK)
        return s;
    if (!pw && no != nc)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "without projection the output size %d must be the cell size %d", no,
                            nc);
    for (int i = LN_I; i <= LN_O && i < node->num_inputs; ++i) {
        const tfl_tensor *t = tfl__input(ctx, node, i);
        if (t && (s = check(ctx, node, t, i, slot_type(i, d), nc, -1)) != TFL_OK)
            return s;
    }
    for (int i = W_I; d->hybrid && i <= PROJ_W; ++i) {
        const tfl_tensor *t = tfl__input(ctx, node, i);
        const bool weights = i <= P_O || i == PROJ_W;
        if (t && weights && (s = check_hybrid_weights(ctx, node, t, i)) != TFL_OK)
            return s;
    }
    const tfl_tensor *h = tfl__input(ctx, node, H_STATE), *c = tfl__input(ctx, node, C_STATE);
    if (!h || !c)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output or cell state missing");
    if ((s = check_state(ctx, node, h, H_STATE, d, d->n_batch, no)) != TFL_OK ||
        (s = check_state(ctx, node, c, C_STATE, d, d->n_batch, nc)) != TFL_OK)
        return s;
    if (!h->is_variable || !c->is_variable)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the states must be variables");
    if ((s = tfl__check_type(ctx, node, out, "output", d->integer ? TFL_INT8 : TFL_FLOAT32)) !=
        TFL_OK)
        return s;
    const int32_t dims[3] = {in->dims[0], d->single_step ? no : in->dims[1], no};
    node->work = tfl__work((uint64_t)d->n_time * (uint64_t)d->n_batch, (uint64_t)nc,
                           4 * ((uint64_t)ni + (uint64_t)no) + 8);
    if ((s = tfl__resize(ctx, node, out, dims, rank)) != TFL_OK)
        return s;
    if (d->integer) {
        /* TFLite runs batch-major inputs one batch row at a time. */
        const int nb = d->time_major ? d->n_batch : 1;
        if ((s = tfl__lstm_q8_prepare(ctx, node, &d->q, nb, d->cell_clip, d->proj_clip)) != TFL_OK)
            return s;
        node->scratch_bytes = tfl__lstm_q8_scratch_bytes(&d->q, nb);
        return TFL_OK;
    }
    const tfl__lstm_hybrid hy = {0};
    const tfl__lstm_f32 l = {.n_batch = d->n_batch, .n_cell = nc, .n_input = ni,
                             .n_output = no, .hybrid = d->hybrid ? &hy : NULL};
    node->scratch_bytes = tfl__lstm_f32_scratch_bytes(&l);
    if (node->scratch_bytes == SIZE_MAX)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "scratch size overflows");
    return TFL_OK;
}

static const float *fdata(const tfl_tensor *t)
{
    return t ? (const float *)(const void *)t->data : NULL;
}

/* An int8 weight tensor's data and its one scale (NULL when absent). */
static const int8_t *qdata(const tfl_tensor *t, float *scale)
{
    if (!t)
        return NULL;
    *scale = t->quant.scales[0];
    return (const int8_t *)t->data;
}

/* The hybrid cell's int8 weights (no auxiliary input here). */
static void hybrid_weights_of(tfl__ctx *ctx, const tfl__node *node, const lstm_data *d,
                              tfl__lstm_hybrid *hy)
{
    hy->asymmetric = d->asymmetric;
    for (int k = 0; k < 4; ++k) {
        hy->w[k] = qdata(tfl__input(ctx, node, W_I + k), &hy->w_scale[k]);
        hy->r[k] = qdata(tfl__input(ctx, node, R_I + k), &hy->r_scale[k]);
    }
    hy->peephole[0] = qdata(tfl__input(ctx, node, P_I), &hy->peephole_scale[0]);
    hy->peephole[1] = qdata(tfl__input(ctx, node, P_F), &hy->peephole_scale[1]);
    hy->peephole[3] = qdata(tfl__input(ctx, node, P_O), &hy->peephole_scale[3]);
    hy->proj_w = qdata(tfl__input(ctx, node, PROJ_W), &hy->proj_scale);
}

/* The integer cell over time, time-major or one batch row at a time. */
static void lstm_eval_q8(tfl__ctx *ctx, const tfl__node *node, const lstm_data *d)
{
    const int no = d->n_output;
    const int8_t *x_all = (const int8_t *)tfl__input(ctx, node, IN)->data;
    int8_t *hs = (int8_t *)tfl__input(ctx, node, H_STATE)->data;
    int16_t *cs = (int16_t *)(void *)tfl__input(ctx, node, C_STATE)->data;
    int8_t *out = (int8_t *)tfl__output(ctx, node, 0)->data;
    tfl__lstm_q8_weights w;
    tfl__lstm_q8_weights_of(ctx, node, &w);
    const int groups = d->time_major ? 1 : d->n_batch, nb = d->time_major ? d->n_batch : 1;
    for (int grp = 0; grp < groups; ++grp)
        for (int t = 0; t < d->n_time; ++t) {
            const size_t row =
                d->time_major ? (size_t)t * d->n_batch : (size_t)grp * d->n_time + (size_t)t;
            tfl__lstm_q8_step(&d->q, &w, x_all + row * (size_t)d->n_input, nb,
                              hs + (size_t)grp * no, cs + (size_t)grp * d->n_cell,
                              out + row * (size_t)no, ctx->scratch);
        }
}

static tfl_status lstm_eval(tfl__ctx *ctx, tfl__node *node)
{
    const lstm_data *d = node->data;
    if (d->integer) {
        lstm_eval_q8(ctx, node, d);
        return TFL_OK;
    }
    tfl__lstm_f32 l = {.n_batch = d->n_batch, .n_time = d->n_time, .n_input = d->n_input,
                       .n_cell = d->n_cell, .n_output = d->n_output,
                       .activation = d->activation, .cell_clip = d->cell_clip,
                       .proj_clip = d->proj_clip, .time_major = d->time_major,
                       .forward = true, .tflite_act_none = true};
    for (int k = 0; k < 4; ++k) {
        l.bias[k] = fdata(tfl__input(ctx, node, B_I + k));
        l.ln[k] = fdata(tfl__input(ctx, node, LN_I + k));
    }
    l.proj_b = fdata(tfl__input(ctx, node, PROJ_B));
    tfl__lstm_hybrid hy = {0};
    if (d->hybrid) {
        hybrid_weights_of(ctx, node, d, &hy);
        l.hybrid = &hy;
    } else {
        for (int k = 0; k < 4; ++k) {
            l.w[k] = fdata(tfl__input(ctx, node, W_I + k));
            l.r[k] = fdata(tfl__input(ctx, node, R_I + k));
        }
        l.peephole[0] = fdata(tfl__input(ctx, node, P_I));
        l.peephole[1] = fdata(tfl__input(ctx, node, P_F));
        l.peephole[3] = fdata(tfl__input(ctx, node, P_O));
        l.proj_w = fdata(tfl__input(ctx, node, PROJ_W));
    }
    /* TFLite's step takes a cell whose input-gate weights have no data for
     * CIFG: with no input features, LiteRT's empty constant has a null data
     * pointer (as in BIDIRECTIONAL_SEQUENCE_LSTM). */
    if (d->n_input == 0) {
        l.w[0] = NULL;
        hy.w[0] = NULL;
    }
    tfl__lstm_f32_run(&l, fdata(tfl__input(ctx, node, IN)), NULL,
                      (float *)(void *)tfl__input(ctx, node, H_STATE)->data,
                      (float *)(void *)tfl__input(ctx, node, C_STATE)->data,
                      (float *)(void *)tfl__output(ctx, node, 0)->data, (size_t)d->n_output,
                      ctx->scratch);
    return TFL_OK;
}

/* LSTM (16): the same cell for one step over [batch, n_input] (TFLite's
 * full kernel; LSTMOptions activation 0, cell_clip 1, proj_clip 2). */
const tfl__op tfl__op_lstm = {
    .builtin_code = 16,
    .min_version = 1,
    .max_version = 4,
    .init = single_lstm_init,
    .prepare = lstm_prepare,
    .eval = lstm_eval,
    .free = lstm_free,
};

const tfl__op tfl__op_unidirectional_sequence_lstm = {
    .builtin_code = 44,
    .min_version = 1,
    .max_version = 4,
    .init = lstm_init,
    .prepare = lstm_prepare,
    .eval = lstm_eval,
    .free = lstm_free,
};
