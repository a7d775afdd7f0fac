/* BIDIRECTIONAL_SEQUENCE_RNN (46): a forward and a backward basic RNN cell
 * (rnn_step.c) over the time axis, as TFLite's kernel.
 *
 * Inputs: 0 input [time, batch, n] (time_major) or [batch, time, n];
 * forward 1 weights, 2 recurrent weights, 3 bias, 4 hidden state
 * (variable); backward 5-8 likewise; 9 auxiliary input, 10-11 forward and
 * backward auxiliary weights (all optional). With auxiliary weights both
 * cells add W_aux aux; an auxiliary input without weights is ignored, as
 * LiteRT's kernel does (its source describes a "non-stacking" mode where the
 * backward cell would read it instead; the released kernel does not).
 * Outputs: forward [.., fw_units] and backward
 * [.., bw_units], or one [.., fw_units + bw_units] with merge_outputs.
 * Options: time_major (0), activation (1), merge_outputs (2),
 * asymmetric_quantize_inputs (3). float32, or hybrid (int8 weights). */
#include <stdlib.h>

#include "ops/rnn/rnn_step.h"

enum { IN, FW_W, FW_R, FW_B, FW_H, BW_W, BW_R, BW_B, BW_H, AUX, FW_AUX_W, BW_AUX_W };

typedef struct birnn_data {
    bool time_major, merge, asymmetric;
    int activation;
    int n_batch, n_time, n_input, n_aux;
    bool use_aux_weights;
    tfl__rnn_cell fw, bw;
    size_t step_bytes; /* per cell step; row sums follow */
} birnn_data;

static tfl_status birnn_init(tfl__ctx *ctx, tfl__node *node)
{
    birnn_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->time_major = tfl__fb_u8(&node->options, 0, 0) != 0;
    d->activation = tfl__fb_i8(&node->options, 1, 0);
    d->merge = tfl__fb_u8(&node->options, 2, 0) != 0;
    d->asymmetric = tfl__fb_u8(&node->options, 3, 0) != 0;
    return TFL_OK;
}

static tfl_status check_state(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *h,
                              int n_batch, int units)
{
    if (!h || h->type != TFL_FLOAT32 || h->ndim != 2 || h->dims[0] != n_batch ||
        h->dims[1] != units)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "hidden state must be float32 [%d, %d]", n_batch, units);
    if (!h->is_variable)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "hidden states must be variables");
    return TFL_OK;
}

static tfl_status setup_cell(tfl__ctx *ctx, const tfl__node *node, birnn_data *d,
                             tfl__rnn_cell *c, int w, int aux_w)
{
    tfl_status s = tfl__rnn_cell_setup(ctx, node, c, tfl__input(ctx, node, w),
                                       tfl__input(ctx, node, w + 1), tfl__input(ctx, node, w + 2),
                                       d->n_input, d->activation, d->asymmetric);
    if (s != TFL_OK || !d->use_aux_weights)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, aux_w);
    if ((s = tfl__rnn_check_weights(ctx, node, a, "auxiliary weights", c->hybrid, c->n_units,
                                    d->n_aux)) != TFL_OK)
        return s;
    c->n_aux = d->n_aux;
    c->aux_t = a;
    c->aux_w = a->data;
    c->aux_scale = a->scale;
    return TFL_OK;
}

static tfl_status birnn_prepare(tfl__ctx *ctx, tfl__node *node)
{
    birnn_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 12, 12, d->merge ? 1 : 2);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, IN), *aux = tfl__input(ctx, node, AUX);
    if (!in || in->type != TFL_FLOAT32 || in->ndim != 3)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "input must be float32 and 3-D");
    const bool fw_aux = tfl__input(ctx, node, FW_AUX_W) != NULL;
    if (fw_aux != (tfl__input(ctx, node, BW_AUX_W) != NULL))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "auxiliary weights must be given for both directions or neither");
    d->use_aux_weights = fw_aux;
    if (fw_aux && !aux)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "auxiliary weights without input");
    d->n_time = in->dims[d->time_major ? 0 : 1];
    d->n_batch = in->dims[d->time_major ? 1 : 0];
    d->n_input = in->dims[2];
    d->n_aux = 0;
    if (aux) {
        if (aux->type != TFL_FLOAT32 || aux->ndim != 3 || aux->dims[0] != in->dims[0] ||
            aux->dims[1] != in->dims[1])
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "the auxiliary input must be float32 with the input's first "
                                "two dimensions");
        d->n_aux = aux->dims[2];
        /* TFLite steps through a time-major auxiliary input by the input's
         * size: only equal sizes come out right. */
        if (d->time_major && d->use_aux_weights && d->n_aux != d->n_input)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "an auxiliary input of %d features with a %d-feature input is "
                                "not supported here (TFLite reads it by the input's size)",
                                d->n_aux, d->n_input);
    }
    if ((s = setup_cell(ctx, node, d, &d->fw, FW_W, FW_AUX_W)) != TFL_OK ||
        (s = setup_cell(ctx, node, d, &d->bw, BW_W, BW_AUX_W)) != TFL_OK)
        return s;
    if (d->fw.hybrid != d->bw.hybrid)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "forward and backward weights have different types");
    if ((s = check_state(ctx, node, tfl__input(ctx, node, FW_H), d->n_batch, d->fw.n_units)) !=
            TFL_OK ||
        (s = check_state(ctx, node, tfl__input(ctx, node, BW_H), d->n_batch, d->bw.n_units)) !=
            TFL_OK)
        return s;
    const int rows = d->time_major ? d->n_batch : 1;
    size_t step = tfl__rnn_scratch_bytes(&d->fw, rows), bstep = tfl__rnn_scratch_bytes(&d->bw, rows);
    d->step_bytes = ((step > bstep ? step : bstep) + 15) & ~(size_t)15;
    const int units = d->fw.n_units > d->bw.n_units ? d->fw.n_units : d->bw.n_units;
    node->scratch_bytes =
        d->step_bytes + (d->fw.asymmetric ? 3 * (size_t)units * sizeof(int32_t) : 0);
    node->work = tfl__work((uint64_t)d->n_time * d->n_batch,
                           (uint64_t)d->fw.n_units + d->bw.n_units,
                           (uint64_t)d->n_input + d->n_aux + units);
    tfl_tensor *fw_out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_type(ctx, node, fw_out, "output", TFL_FLOAT32)) != TFL_OK)
        return s;
    int32_t dims[3] = {in->dims[0], in->dims[1],
                       d->merge ? d->fw.n_units + d->bw.n_units : d->fw.n_units};
    if ((s = tfl__resize(ctx, node, fw_out, dims, 3)) != TFL_OK || d->merge)
        return s;
    tfl_tensor *bw_out = tfl__output(ctx, node, 1);
    if ((s = tfl__check_type(ctx, node, bw_out, "backward output", TFL_FLOAT32)) != TFL_OK)
        return s;
    dims[2] = d->bw.n_units;
    return tfl__resize(ctx, node, bw_out, dims, 3);
}

/* One direction over the sequence: t runs forward or backward. */
static void run_cell(const birnn_data *d, const tfl__rnn_cell *c, bool forward, const float *x,
                     const float *aux, float *h, float *out, int out_step, void *scratch)
{
    const int ni = d->n_input, na = d->n_aux, nt = d->n_time;
    if (d->time_major) {
        for (int k = 0; k < nt; ++k) {
            const int t = forward ? k : nt - 1 - k;
            /* TFLite offsets the auxiliary input by the input's size here. */
            tfl__rnn_step(c, x + (size_t)t * ni * d->n_batch,
                          aux ? aux + (size_t)t * ni * d->n_batch : NULL, d->n_batch, h,
                          out + (size_t)t * out_step * d->n_batch, out_step, scratch);
        }
        return;
    }
    for (int b = 0; b < d->n_batch; ++b)
        for (int k = 0; k < nt; ++k) {
            const int t = forward ? k : nt - 1 - k;
            const size_t row = (size_t)b * nt + (size_t)t;
            tfl__rnn_step(c, x + row * ni, aux ? aux + row * na : NULL, 1,
                          h + (size_t)b * c->n_units, out + row * out_step, out_step, scratch);
        }
}

static tfl_status birnn_eval(tfl__ctx *ctx, tfl__node *node)
{
    const birnn_data *d = node->data;
    const float *x = (const float *)(const void *)tfl__input(ctx, node, IN)->data;
    const tfl_tensor *aux_t = tfl__input(ctx, node, AUX);
    const float *aux = aux_t ? (const float *)(const void *)aux_t->data : NULL;
    float *fw_out = (float *)(void *)tfl__output(ctx, node, 0)->data;
    float *bw_out = d->merge ? fw_out + d->fw.n_units
                             : (float *)(void *)tfl__output(ctx, node, 1)->data;
    const int out_step = d->merge ? d->fw.n_units + d->bw.n_units : d->fw.n_units;
    const int bw_step = d->merge ? out_step : d->bw.n_units;
    tfl__rnn_cell fw = d->fw, bw = d->bw;
    tfl__rnn_cell_bind(&fw);
    tfl__rnn_cell_bind(&bw);
    int32_t *sums = (int32_t *)(void *)((uint8_t *)ctx->scratch + d->step_bytes);
    const float *real_aux = d->use_aux_weights ? aux : NULL;
    if (fw.asymmetric) {
        tfl__rnn_row_sums(&fw, sums);
        fw.row_sums = sums;
    }
    run_cell(d, &fw, true, x, real_aux, (float *)(void *)tfl__input(ctx, node, FW_H)->data,
             fw_out, out_step, ctx->scratch);
    if (bw.asymmetric) {
        tfl__rnn_row_sums(&bw, sums);
        bw.row_sums = sums;
    }
    run_cell(d, &bw, false, x, real_aux,
             (float *)(void *)tfl__input(ctx, node, BW_H)->data, bw_out, bw_step, ctx->scratch);
    return TFL_OK;
}

const tfl__op tfl__op_bidirectional_sequence_rnn = {
    .builtin_code = 46,
    .min_version = 1,
    .max_version = 3,
    .init = birnn_init,
    .prepare = birnn_prepare,
    .eval = birnn_eval,
    .free = free,
};
