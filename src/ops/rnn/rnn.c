/* RNN (24) and UNIDIRECTIONAL_SEQUENCE_RNN (35): TFLite's basic RNN cell
 * (rnn_step.c) once per invoke, or over the time axis.
 *
 * RNN inputs: 0 input [batch, n_input], 1 weights [units, n_input],
 * 2 recurrent weights [units, units], 3 bias [units], 4 hidden state
 * (variable) [batch, units]; output [batch, units]. RNNOptions:
 * activation (0), asymmetric_quantize_inputs (1).
 *
 * UNIDIRECTIONAL_SEQUENCE_RNN: input [time, batch, n_input] (time_major) or
 * [batch, time, n_input], output [..., units]; batch-major inputs run one
 * batch row at a time, as in TFLite. SequenceRNNOptions: time_major (0),
 * activation (1), asymmetric_quantize_inputs (2).
 *
 * float32, or hybrid: int8 weights with one scale each (float input, state
 * and output). */
#include <stdlib.h>

#include "ops/rnn/rnn_step.h"

typedef struct rnn_data {
    bool sequence, time_major;
    int activation;
    bool asymmetric;
    int n_batch, n_time;
    tfl__rnn_cell cell;
    size_t row_sums_offset; /* in the scratch, hybrid asymmetric */
} rnn_data;

static tfl_status rnn_init_common(tfl__ctx *ctx, tfl__node *node, bool sequence)
{
    rnn_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->sequence = sequence;
    const tfl__fb_table *o = &node->options;
    if (sequence) {
        d->time_major = tfl__fb_u8(o, 0, 0) != 0;
        d->activation = tfl__fb_i8(o, 1, 0);
        d->asymmetric = tfl__fb_u8(o, 2, 0) != 0;
    } else {
        d->activation = tfl__fb_i8(o, 0, 0);
        d->asymmetric = tfl__fb_u8(o, 1, 0) != 0;
    }
    return TFL_OK;
}

static tfl_status rnn_init(tfl__ctx *ctx, tfl__node *node)
{
    return rnn_init_common(ctx, node, false);
}

static tfl_status sequence_rnn_init(tfl__ctx *ctx, tfl__node *node)
{
    return rnn_init_common(ctx, node, true);
}

static tfl_status rnn_prepare(tfl__ctx *ctx, tfl__node *node)
{
    rnn_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 5, 5, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *h = tfl__input(ctx, node, 4);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in || !h)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input or hidden state missing");
    if (in->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input type %s not supported (float32, with float32 or int8 "
                            "weights)",
                            tfl_type_name(in->type));
    const int rank = d->sequence ? 3 : 2;
    if (in->ndim != rank)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input must be %d-D", rank);
    d->n_time = d->sequence ? in->dims[d->time_major ? 0 : 1] : 1;
    d->n_batch = d->sequence ? in->dims[d->time_major ? 1 : 0] : in->dims[0];
    const int n_input = in->dims[rank - 1];
    if ((s = tfl__rnn_cell_setup(ctx, node, &d->cell, tfl__input(ctx, node, 1),
                                 tfl__input(ctx, node, 2), tfl__input(ctx, node, 3), n_input,
                                 d->activation, d->asymmetric)) != TFL_OK)
        return s;
    const int units = d->cell.n_units;
    if (h->type != TFL_FLOAT32 || h->ndim != 2 || h->dims[0] != d->n_batch || h->dims[1] != units)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "hidden state must be float32 [%d, %d]", d->n_batch, units);
    if (!h->is_variable)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the hidden state must be a variable");
    if ((s = tfl__check_type(ctx, node, out, "output", TFL_FLOAT32)) != TFL_OK)
        return s;
    /* Batch-major sequences run one row at a time. */
    const int step_rows = d->sequence && !d->time_major ? 1 : d->n_batch;
    const size_t step = tfl__rnn_scratch_bytes(&d->cell, step_rows);
    d->row_sums_offset = (step + 15) & ~(size_t)15;
    node->scratch_bytes = d->row_sums_offset +
                          (d->cell.asymmetric ? 3 * (size_t)units * sizeof(int32_t) : 0);
    node->work = tfl__work((uint64_t)d->n_time * (uint64_t)d->n_batch, (uint64_t)units,
                           (uint64_t)n_input + (uint64_t)units);
    int32_t dims[3] = {in->dims[0], in->dims[1], units};
    if (!d->sequence)
        dims[1] = units;
    return tfl__resize(ctx, node, out, dims, rank);
}

static tfl_status rnn_eval(tfl__ctx *ctx, tfl__node *node)
{
    rnn_data *d = node->data;
    tfl__rnn_cell c = d->cell;
    tfl__rnn_cell_bind(&c);
    const int units = c.n_units, ni = c.n_input;
    const float *x = (const float *)(const void *)tfl__input(ctx, node, 0)->data;
    float *h = (float *)(void *)tfl__input(ctx, node, 4)->data;
    float *out = (float *)(void *)tfl__output(ctx, node, 0)->data;
    if (c.asymmetric) {
        int32_t *sums = (int32_t *)(void *)((uint8_t *)ctx->scratch + d->row_sums_offset);
        tfl__rnn_row_sums(&c, sums);
        c.row_sums = sums;
    }
    if (!d->sequence || d->time_major) {
        for (int t = 0; t < d->n_time; ++t)
            tfl__rnn_step(&c, x + (size_t)t * d->n_batch * ni, NULL, d->n_batch, h,
                          out + (size_t)t * d->n_batch * units, units, ctx->scratch);
        return TFL_OK;
    }
    for (int b = 0; b < d->n_batch; ++b)
        for (int t = 0; t < d->n_time; ++t) {
            const size_t row = (size_t)b * d->n_time + (size_t)t;
            tfl__rnn_step(&c, x + row * ni, NULL, 1, h + (size_t)b * units, out + row * units,
                          units, ctx->scratch);
        }
    return TFL_OK;
}

const tfl__op tfl__op_rnn = {
    .builtin_code = 24,
    .min_version = 1,
    .max_version = 3,
    .init = rnn_init,
    .prepare = rnn_prepare,
    .eval = rnn_eval,
    .free = free,
};

const tfl__op tfl__op_unidirectional_sequence_rnn = {
    .builtin_code = 35,
    .min_version = 1,
    .max_version = 3,
    .init = sequence_rnn_init,
    .prepare = rnn_prepare,
    .eval = rnn_eval,
    .free = free,
};
