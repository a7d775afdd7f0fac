/* Shared by the LSTM ops: the input slots of TFLite's full LSTM kernel and
 * its integer (8x8->16) cell, which UNIDIRECTIONAL_SEQUENCE_LSTM runs for
 * int8 models: int8 input, weights and output state, int16 cell state,
 * int32 biases, gates in int16 Q3.12 (or the calibrated intermediates with
 * layer norm). Semantics follow TFLite's lstm_eval.cc EvalInteger8x8_16 and
 * the portable tensor utilities, operation for operation. */
#ifndef TFL_OPS_LSTM_H
#define TFL_OPS_LSTM_H

#include "ops/op.h"

enum {
    TFL__LSTM_IN = 0,
    TFL__LSTM_W = 1,  /* 1-4: input weights, gates i, f, c, o (i optional: CIFG) */
    TFL__LSTM_R = 5,  /* 5-8: recurrent weights */
    TFL__LSTM_P = 9,  /* 9-11: peepholes i, f, o (optional) */
    TFL__LSTM_B = 12, /* 12-15: gate biases */
    TFL__LSTM_PROJ_W = 16,
    TFL__LSTM_PROJ_B = 17,
    TFL__LSTM_H = 18, /* output state (variable) */
    TFL__LSTM_C = 19, /* cell state (variable) */
    TFL__LSTM_LN = 20 /* 20-23: layer norm coefficients (optional) */
};

/* The integer cell's constants, from the tensors' scales at prepare. */
typedef struct tfl__lstm_q8 {
    bool cifg, peephole, layer_norm, projection;
    int n_cell, n_input, n_output;
    int32_t in_mult[4], rec_mult[4], cell_mult[4], ln_mult[4];
    int in_shift[4], rec_shift[4], cell_shift[4], ln_shift[4];
    int32_t proj_mult, hidden_mult;
    int proj_shift, hidden_shift;
    int32_t hidden_zp, output_state_zp, variance_guard[4];
    int cell_scale; /* the cell state's scale is 2^cell_scale */
    int16_t cell_clip;
    int8_t proj_clip;
    /* Biases with the zero points folded in (bias + zp * row sums), n_cell
     * each (proj: n_output); NULL where the gate or projection is absent. */
    int32_t *in_bias[4], *rec_bias[4], *proj_bias;
} tfl__lstm_q8;

/* Checks an int8 LSTM node's tensors against TFLite's integer kernel and
 * fills q (frees what an earlier prepare left in it first). */
tfl_status tfl__lstm_q8_prepare(tfl__ctx *ctx, tfl__node *node, tfl__lstm_q8 *q, int n_batch,
                                float cell_clip, float proj_clip);
void tfl__lstm_q8_free(tfl__lstm_q8 *q);

/* Scratch bytes one step over n_batch rows needs. */
size_t tfl__lstm_q8_scratch_bytes(const tfl__lstm_q8 *q, int n_batch);

/* The node's constant weights, fetched once per invoke. */
typedef struct tfl__lstm_q8_weights {
    const int8_t *w[4], *r[4], *proj; /* [n_cell][n_input], [n_cell][n_output], [n_output][n_cell] */
    const int16_t *peephole[4], *ln[4]; /* [n_cell] */
    const int32_t *bias[4];             /* [n_cell] */
} tfl__lstm_q8_weights;

void tfl__lstm_q8_weights_of(tfl__ctx *ctx, const tfl__node *node, tfl__lstm_q8_weights *w);

/* One time step for n_batch rows: x [n_batch][n_input], h [n_batch][n_output]
 * and c [n_batch][n_cell] updated in place, out [n_batch][n_output]. */
void tfl__lstm_q8_step(const tfl__lstm_q8 *q, const tfl__lstm_q8_weights *w, const int8_t *x,
                       int n_batch, int8_t *h, int16_t *c, int8_t *out, void *scratch);

#endif
