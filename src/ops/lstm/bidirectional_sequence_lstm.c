/* BIDIRECTIONAL_SEQUENCE_LSTM (52), float32 and hybrid: two LSTM cells over one
 * sequence (TFLite's bidirectional_sequence_lstm.cc over lstm_eval.cc's
 * EvalFloat / EvalHybrid), the forward one from the first time step, the
 * backward one from the last, each run by the float cell of lstm_f32.c.
 * Hybrid models have int8 weights (one scale each, constant) in both cells
 * and float32 activations, biases and states; asymmetric_quantize_inputs
 * picks the per-row input quantization.
 *
 * Inputs (48): 0 input ([time, batch, n_input] with time_major, else
 * [batch, time, n_input]); forward cell 1-17 and backward cell 18-34, each
 * in UNIDIRECTIONAL_SEQUENCE_LSTM's order (input weights i f c o, recurrent
 * weights i f c o, peepholes i f o, biases i f c o, projection weights and
 * bias; input gate parts omitted for CIFG); 35-36 forward output and cell
 * state, 37-38 backward (variables, carried across invokes); 39 auxiliary
 * input; 40-43 forward and 44-47 backward auxiliary-input weights (i f c o).
 * No layer norm (TFLite passes none).
 *
 * With auxiliary weights both cells add A aux to their gates. With an
 * auxiliary input but no auxiliary weights TFLite's source runs the
 * backward cell over the auxiliary input instead of the input (stacking
 * after another bidirectional layer without cross links).
 *
 * Outputs: the forward output, and the backward one of the same shape; with
 * merge_outputs one output whose rows hold the forward then the backward
 * values. Options: activation (0; every fused activation, a value outside
 * the enum meaning NONE, as TFLite parses it), cell_clip (1), proj_clip (2),
 * merge_outputs (3), time_major (4, true unless given as false; false when
 * the options table itself is missing, as TFLite parses it),
 * asymmetric_quantize_inputs (5, hybrid only).
 *
 * TFLite checks both cells' tensors against the forward cell's sizes, so the
 * two cells must have the same cell and output sizes. Refused where LiteRT
 * runs something undefined: uint8 hybrid weights (it reads them as int8),
 * per-channel ones (it applies one scale), a missing input gate bias or
 * auxiliary input-gate weights of a cell with an input gate (it crashes).
 * With merge_outputs, batch-major and several batches, LiteRT offsets its
 * state rows by the merged width and overruns its state tensors; tfl keeps
 * each batch row's state in place (its output is the two separate outputs
 * side by side). */
#include <stdio.h>
#include <stdlib.h>

#include "ops/lstm/lstm_f32.h"
#include "ops/op.h"
#include "ops/shape_common.h"

enum {
    IN = 0,
    FW = 1, /* 1-17: the forward cell */
    BW = 18, /* 18-34: the backward cell */
    FW_H = 35,
    FW_C = 36,
    BW_H = 37,
    BW_C = 38,
    AUX = 39,
    FW_AUX_W = 40, /* 40-43 */
    BW_AUX_W = 44, /* 44-47 */
    NUM_INPUTS = 48
};

/* Offsets within a cell's 17 slots. */
enum { C_W = 0, C_R = 4, C_P = 8, C_B = 11, C_PROJ_W = 15, C_PROJ_B = 16 };

#define OPTIONS_TYPE 69 /* BuiltinOptions_BidirectionalSequenceLSTMOptions */

typedef struct bilstm_data {
    int activation;
    float cell_clip, proj_clip;
    bool merge, time_major, asymmetric;
    bool hybrid; /* int8 weights (float32 activations) */
    int n_batch, n_time, n_input, n_aux, n_cell, n_output;
    bool aux_weights; /* both cells add auxiliary-input products */
    bool bw_reads_aux; /* the backward cell runs over the auxiliary input */
} bilstm_data;

static tfl_status bilstm_init(tfl__ctx *ctx, tfl__node *node)
{
    bilstm_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    const bool has_options = node->options.buf && node->options_type == OPTIONS_TYPE;
    const tfl__fb_table *o = &node->options;
    d->activation = has_options ? tfl__fb_i8(o, 0, 0) : 0;
    d->cell_clip = has_options ? tfl__fb_f32(o, 1, 0.0f) : 0.0f;
    d->proj_clip = has_options ? tfl__fb_f32(o, 2, 0.0f) : 0.0f;
    d->merge = has_options && tfl__fb_u8(o, 3, 0) != 0;
    d->time_major = has_options && tfl__fb_u8(o, 4, 1) != 0;
    d->asymmetric = has_options && tfl__fb_u8(o, 5, 0) != 0;
    if (!(d->cell_clip >= 0.0f) || !(d->proj_clip >= 0.0f))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "clips must be >= 0");
    /* TFLite's ConvertActivation turns a value outside the enum into NONE. */
    if (d->activation < TFL__ACT_NONE || d->activation > TFL__ACT_SIGN_BIT)
        d->activation = TFL__ACT_NONE;
    return TFL_OK;
}

static const char *cell_name(int base)
{
    return base == FW ? "forward" : "backward";
}

/* Input slot i (NULL allowed when optional) has the given type and shape
 * [d0] or [d0, d1] (d1 < 0: 1-D); int8 (hybrid weights) with one scale and
 * constant. */
static tfl_status check_typed(tfl__ctx *ctx, const tfl__node *node, int i, bool optional,
                              int32_t d0, int32_t d1, const char *what, tfl_type type)
{
    const tfl_tensor *t = tfl__input(ctx, node, i);
    if (!t)
        return optional ? TFL_OK
                        : tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s (input %d) is missing",
                                       what, i);
    if (t->type != type)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "%s (input %d) is %s, expected %s",
                            what, i, tfl_type_name(t->type), tfl_type_name(type));
    if (type == TFL_INT8 && t->quant.count != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "hybrid %s (input %d) need one scale (TFLite applies one; got %d)",
                            what, i, t->quant.count);
    if (type == TFL_INT8 && tfl__num_elements(t) > 0 && !tfl__is_const(t))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "hybrid %s (input %d) must be constant", what, i);
    const int nd = d1 < 0 ? 1 : 2;
    if (t->ndim != nd || t->dims[0] != d0 || (nd == 2 && t->dims[1] != d1)) {
        if (nd == 1)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s (input %d) must be [%d]", what,
                                i, (int)d0);
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s (input %d) must be [%d, %d]",
                            what, i, (int)d0, (int)d1);
    }
    return TFL_OK;
}

static tfl_status check(tfl__ctx *ctx, const tfl__node *node, int i, bool optional, int32_t d0,
                        int32_t d1, const char *what)
{
    return check_typed(ctx, node, i, optional, d0, d1, what, TFL_FLOAT32);
}

/* One cell's 17 tensors, with TFLite's all-or-none rules. */
static tfl_status check_cell(tfl__ctx *ctx, const tfl__node *node, const bilstm_data *d, int base)
{
    const int nc = d->n_cell, ni = d->n_input, no = d->n_output;
    const char *name = cell_name(base);
    char what[64];
    static const char *const gates = "ifco";
    const bool cifg = tfl__input(ctx, node, base + C_W) == NULL;
    const tfl_type wt = d->hybrid ? TFL_INT8 : TFL_FLOAT32;
    tfl_status s;
    for (int k = 0; k < 4; ++k) {
        snprintf(what, sizeof what, "the %s input weights %c", name, gates[k]);
        if ((s = check_typed(ctx, node, base + C_W + k, k == 0, nc, ni, what, wt)) != TFL_OK)
            return s;
        snprintf(what, sizeof what, "the %s recurrent weights %c", name, gates[k]);
        if ((s = check_typed(ctx, node, base + C_R + k, k == 0, nc, no, what, wt)) != TFL_OK)
            return s;
        snprintf(what, sizeof what, "the %s gate bias %c", name, gates[k]);
        if ((s = check(ctx, node, base + C_B + k, k == 0, nc, -1, what)) != TFL_OK)
            return s;
    }
    for (int k = 0; k < 3; ++k) {
        snprintf(what, sizeof what, "the %s peephole %c", name, "ifo"[k]);
        if ((s = check_typed(ctx, node, base + C_P + k, true, nc, -1, what, wt)) != TFL_OK)
            return s;
    }
    snprintf(what, sizeof what, "the %s projection weights", name);
    if ((s = check_typed(ctx, node, base + C_PROJ_W, true, no, nc, what, wt)) != TFL_OK)
        return s;
    snprintf(what, sizeof what, "the %s projection bias", name);
    if ((s = check(ctx, node, base + C_PROJ_B, true, no, -1, what)) != TFL_OK)
        return s;
    const bool p_i = tfl__input(ctx, node, base + C_P) != NULL;
    const bool p_f = tfl__input(ctx, node, base + C_P + 1) != NULL;
    const bool p_o = tfl__input(ctx, node, base + C_P + 2) != NULL;
    const bool proj = tfl__input(ctx, node, base + C_PROJ_W) != NULL;
    const char *why = NULL;
    if (cifg != (tfl__input(ctx, node, base + C_R) == NULL))
        why = "input gate's input and recurrent weights must both be given or both omitted";
    else if (!(((p_i || cifg) && p_f && p_o) || (!p_i && !p_f && !p_o)))
        why = "peephole weights must all be given or all omitted";
    else if (cifg != (tfl__input(ctx, node, base + C_B) == NULL))
        why = "input gate bias must be given exactly when the input gate is";
    else if (!proj && tfl__input(ctx, node, base + C_PROJ_B))
        why = "projection bias needs projection weights";
    else if (!proj && no != nc)
        why = "output size must be the cell size without projection";
    if (why)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the %s cell's %s", name, why);
    return TFL_OK;
}

/* A state: a float32 variable of n_batch x n elements (1-D or 2-D). */
static tfl_status check_state(tfl__ctx *ctx, const tfl__node *node, int i, int n_batch, int n,
                              const char *what)
{
    const tfl_tensor *t = tfl__input(ctx, node, i);
    if (!t)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the %s (input %d) is missing", what,
                            i);
    if (!t->is_variable)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "the %s (input %d) must be a variable", what, i);
    if (t->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "the %s (input %d) is %s, expected %s",
                            what, i, tfl_type_name(t->type), tfl_type_name(TFL_FLOAT32));
    if (t->ndim < 1 || t->ndim > 2 || tfl__num_elements(t) != (size_t)n_batch * (size_t)n)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "the %s (input %d) must hold %d x %d elements", what, i, n_batch, n);
    return TFL_OK;
}

/* The auxiliary input and weights. */
static tfl_status check_aux(tfl__ctx *ctx, const tfl__node *node, bilstm_data *d)
{
    const tfl_tensor *in = tfl__input(ctx, node, IN), *aux = tfl__input(ctx, node, AUX);
    int given = 0;
    for (int base = FW_AUX_W; base <= BW_AUX_W; base += 4)
        for (int k = 1; k < 4; ++k)
            given += tfl__input(ctx, node, base + k) != NULL;
    if (given != 0 && given != 6)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "the auxiliary weights f, c, o must be given for both cells or "
                            "omitted");
    d->aux_weights = given == 6;
    d->bw_reads_aux = false;
    d->n_aux = 0;
    if (!aux) {
        if (d->aux_weights)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "auxiliary weights need an auxiliary input (input %d)", AUX);
        return TFL_OK;
    }
    if (aux->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "the auxiliary input is %s, expected float32",
                            tfl_type_name(aux->type));
    if (aux->ndim != 3 || aux->dims[0] != in->dims[0] || aux->dims[1] != in->dims[1] ||
        (!d->aux_weights && aux->dims[2] != d->n_input))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            d->aux_weights ? "the auxiliary input must be 3-D with the input's "
                                             "first two dimensions"
                                           : "an auxiliary input without auxiliary weights must "
                                             "have the input's shape");
    if (!d->aux_weights) {
        d->bw_reads_aux = true;
        return TFL_OK;
    }
    d->n_aux = aux->dims[2];
    for (int base = FW_AUX_W; base <= BW_AUX_W; base += 4) {
        const char *name = base == FW_AUX_W ? "forward" : "backward";
        const bool cifg = tfl__input(ctx, node, (base == FW_AUX_W ? FW : BW) + C_W) == NULL;
        char what[64];
        for (int k = 0; k < 4; ++k) {
            if (k == 0 && !cifg && !tfl__input(ctx, node, base))
                return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                    "the %s cell has an input gate: its auxiliary weights i "
                                    "(input %d) are missing",
                                    name, base);
            snprintf(what, sizeof what, "the %s auxiliary weights %c", name, "ifco"[k]);
            tfl_status s = check_typed(ctx, node, base + k, k == 0, d->n_cell, d->n_aux, what,
                                       d->hybrid ? TFL_INT8 : TFL_FLOAT32);
            if (s != TFL_OK)
                return s;
        }
    }
    return TFL_OK;
}

static tfl_status bilstm_prepare(tfl__ctx *ctx, tfl__node *node)
{
    bilstm_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, NUM_INPUTS, NUM_INPUTS, d->merge ? 1 : 2);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, IN);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the input is missing");
    if (in->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "input type %s not supported (float32)",
                            tfl_type_name(in->type));
    if (in->ndim != 3)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the input must be 3-D, got %d-D",
                            in->ndim);
    d->n_time = in->dims[d->time_major ? 0 : 1];
    d->n_batch = in->dims[d->time_major ? 1 : 0];
    d->n_input = in->dims[2];
    int n_cell[2], n_output[2];
    for (int k = 0; k < 2; ++k) {
        const int base = k ? BW : FW;
        const tfl_tensor *wo = tfl__input(ctx, node, base + C_W + 3);
        const tfl_tensor *ro = tfl__input(ctx, node, base + C_R + 3);
        if (!wo || !ro)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "the %s cell's output gate weights are missing", cell_name(base));
        if (k == 0)
            d->hybrid = wo->type == TFL_INT8;
        if (wo->type != (d->hybrid ? TFL_INT8 : TFL_FLOAT32))
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "the %s cell's weights are %s (float32, or int8 for a hybrid "
                                "LSTM, for both cells)",
                                cell_name(base), tfl_type_name(wo->type));
        if (wo->ndim != 2 || ro->ndim != 2)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the %s cell's weights must be 2-D",
                                cell_name(base));
        n_cell[k] = wo->dims[0];
        n_output[k] = ro->dims[1];
    }
    if (n_cell[0] != n_cell[1] || n_output[0] != n_output[1])
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "the backward cell (%d cells, %d outputs) must have the forward "
                            "cell's sizes (%d, %d), as TFLite checks",
                            n_cell[1], n_output[1], n_cell[0], n_output[0]);
    d->n_cell = n_cell[0];
    d->n_output = n_output[0];
    if ((s = check_cell(ctx, node, d, FW)) != TFL_OK || (s = check_cell(ctx, node, d, BW)) != TFL_OK ||
        (s = check_aux(ctx, node, d)) != TFL_OK)
        return s;
    if ((s = check_state(ctx, node, FW_H, d->n_batch, d->n_output, "forward output state")) !=
            TFL_OK ||
        (s = check_state(ctx, node, FW_C, d->n_batch, d->n_cell, "forward cell state")) != TFL_OK ||
        (s = check_state(ctx, node, BW_H, d->n_batch, d->n_output, "backward output state")) !=
            TFL_OK ||
        (s = check_state(ctx, node, BW_C, d->n_batch, d->n_cell, "backward cell state")) != TFL_OK)
        return s;
    const int64_t width = d->merge ? 2 * (int64_t)d->n_output : d->n_output;
    if (width > INT32_MAX)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the merged output is too wide");
    const int32_t dims[3] = {in->dims[0], in->dims[1], (int32_t)width};
    for (int k = 0; k < (d->merge ? 1 : 2); ++k) {
        tfl_tensor *out = tfl__output(ctx, node, k);
        if ((s = tfl__check_type(ctx, node, out, k ? "backward output" : "output", TFL_FLOAT32)) !=
                TFL_OK ||
            (s = tfl__resize(ctx, node, out, dims, 3)) != TFL_OK)
            return s;
    }
    const uint64_t per_row = 4 * ((uint64_t)d->n_input + (uint64_t)d->n_aux +
                                  (uint64_t)d->n_output) + 8;
    node->work = tfl__work(2 * (uint64_t)d->n_time * (uint64_t)d->n_batch, (uint64_t)d->n_cell,
                           per_row);
    const tfl__lstm_hybrid hy = {0};
    const tfl__lstm_f32 l = {.n_batch = d->n_batch, .n_cell = d->n_cell,
                             .n_input = d->n_input, .n_aux = d->n_aux,
                             .n_output = d->n_output, .hybrid = d->hybrid ? &hy : NULL};
    node->scratch_bytes = tfl__lstm_f32_scratch_bytes(&l);
    if (node->scratch_bytes == SIZE_MAX)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "scratch size overflows");
    return TFL_OK;
}

static const float *fdata(const tfl_tensor *t)
{
    return t ? (const float *)(const void *)t->data : NULL;
}

static const int8_t *qdata(const tfl_tensor *t, float *scale)
{
    if (!t)
        return NULL;
    *scale = t->quant.scales[0];
    return (const int8_t *)t->data;
}

static float *state(tfl__ctx *ctx, const tfl__node *node, int i)
{
    return (float *)(void *)tfl__input(ctx, node, i)->data;
}

static tfl_status bilstm_eval(tfl__ctx *ctx, tfl__node *node)
{
    const bilstm_data *d = node->data;
    const float *x = fdata(tfl__input(ctx, node, IN));
    const float *aux = fdata(tfl__input(ctx, node, AUX));
    float *out = (float *)(void *)tfl__output(ctx, node, 0)->data;
    const size_t stride = d->merge ? 2 * (size_t)d->n_output : (size_t)d->n_output;
    for (int k = 0; k < 2; ++k) {
        const int base = k ? BW : FW, aux_base = k ? BW_AUX_W : FW_AUX_W;
        tfl__lstm_f32 l = {.n_batch = d->n_batch, .n_time = d->n_time, .n_input = d->n_input,
                           .n_aux = d->n_aux, .n_cell = d->n_cell, .n_output = d->n_output,
                           .activation = d->activation, .cell_clip = d->cell_clip,
                           .proj_clip = d->proj_clip, .time_major = d->time_major,
                           .forward = k == 0, .tflite_act_none = true};
        for (int g = 0; g < 4; ++g)
            l.bias[g] = fdata(tfl__input(ctx, node, base + C_B + g));
        l.proj_b = fdata(tfl__input(ctx, node, base + C_PROJ_B));
        tfl__lstm_hybrid hy = {.asymmetric = d->asymmetric};
        if (d->hybrid) {
            for (int g = 0; g < 4; ++g) {
                hy.w[g] = qdata(tfl__input(ctx, node, base + C_W + g), &hy.w_scale[g]);
                hy.r[g] = qdata(tfl__input(ctx, node, base + C_R + g), &hy.r_scale[g]);
                if (d->aux_weights)
                    hy.aux_w[g] = qdata(tfl__input(ctx, node, aux_base + g), &hy.aux_scale[g]);
            }
            hy.peephole[0] = qdata(tfl__input(ctx, node, base + C_P), &hy.peephole_scale[0]);
            hy.peephole[1] = qdata(tfl__input(ctx, node, base + C_P + 1), &hy.peephole_scale[1]);
            hy.peephole[3] = qdata(tfl__input(ctx, node, base + C_P + 2), &hy.peephole_scale[3]);
            hy.proj_w = qdata(tfl__input(ctx, node, base + C_PROJ_W), &hy.proj_scale);
            /* As for float cells below. */
            if (d->n_input == 0)
                hy.w[0] = NULL;
            l.hybrid = &hy;
        } else {
            for (int g = 0; g < 4; ++g) {
                l.w[g] = fdata(tfl__input(ctx, node, base + C_W + g));
                l.r[g] = fdata(tfl__input(ctx, node, base + C_R + g));
                if (d->aux_weights)
                    l.aux_w[g] = fdata(tfl__input(ctx, node, aux_base + g));
            }
            /* LstmStepFloat takes a cell whose input-gate weights have no
             * data for CIFG: with no input features, LiteRT's empty constant
             * has a null data pointer. */
            if (d->n_input == 0)
                l.w[0] = NULL;
            l.peephole[0] = fdata(tfl__input(ctx, node, base + C_P));
            l.peephole[1] = fdata(tfl__input(ctx, node, base + C_P + 1));
            l.peephole[3] = fdata(tfl__input(ctx, node, base + C_P + 2));
            l.proj_w = fdata(tfl__input(ctx, node, base + C_PROJ_W));
        }
        const float *cell_in = k == 1 && d->bw_reads_aux ? aux : x;
        float *cell_out = out;
        if (k == 1)
            cell_out = d->merge ? out + d->n_output
                                : (float *)(void *)tfl__output(ctx, node, 1)->data;
        tfl__lstm_f32_run(&l, cell_in, d->aux_weights ? aux : NULL,
                          state(ctx, node, k ? BW_H : FW_H), state(ctx, node, k ? BW_C : FW_C),
                          cell_out, stride, ctx->scratch);
    }
    return TFL_OK;
}

const tfl__op tfl__op_bidirectional_sequence_lstm = {
    .builtin_code = 52,
    .min_version = 1,
    .max_version = 3,
    .init = bilstm_init,
    .prepare = bilstm_prepare,
    .eval = bilstm_eval,
    .free = free,
};
