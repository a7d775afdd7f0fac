/* One step of TFLite's basic RNN cell (kernel_utils RnnBatchStep), shared by
 * RNN, UNIDIRECTIONAL_SEQUENCE_RNN and BIDIRECTIONAL_SEQUENCE_RNN:
 *
 *   out = act(bias + W x (+ W_aux aux) + R h);  h = out
 *
 * in float32, or hybrid: int8 weights with one scale each, x, aux and h
 * quantized per batch row on the fly (kernels/hybrid.h). */
#ifndef TFL_OPS_RNN_STEP_H
#define TFL_OPS_RNN_STEP_H

#include "ops/op.h"

typedef struct tfl__rnn_cell {
    int n_input, n_aux, n_units; /* n_aux 0: no auxiliary input */
    int activation;
    bool hybrid, asymmetric;
    /* float32 weights, or int8 ones with their scales (hybrid) */
    const void *w, *aux_w, *r; /* [n_units][n_input], [n_units][n_aux], [n_units][n_units] */
    float w_scale, aux_scale, r_scale;
    const float *bias; /* [n_units] */
    /* hybrid, asymmetric: the weights' row sums, [3][n_units] */
    const int32_t *row_sums;
    /* The tensors behind w, aux_w, r and bias: weights fed by other ops get
     * their memory after prepare, so eval rebinds (tfl__rnn_cell_bind). */
    const tfl_tensor *w_t, *aux_t, *r_t, *bias_t;
} tfl__rnn_cell;

/* Points w, aux_w, r and bias at their tensors' current data (call at eval
 * on the copy of the cell that runs). */
void tfl__rnn_cell_bind(tfl__rnn_cell *c);

/* Scratch one step over n_batch rows needs (hybrid only; 0 for float). */
size_t tfl__rnn_scratch_bytes(const tfl__rnn_cell *c, int n_batch);

/* Fills sums [3][n_units] for an asymmetric hybrid cell. */
void tfl__rnn_row_sums(const tfl__rnn_cell *c, int32_t *sums);

/* n_batch rows: x [n_batch][n_input], aux [n_batch][n_aux] (or NULL),
 * h [n_batch][n_units] updated in place, out rows out_stride apart. */
void tfl__rnn_step(const tfl__rnn_cell *c, const float *x, const float *aux, int n_batch,
                   float *h, float *out, int out_stride, void *scratch);

/* Checks weights [n_units, n_in] of the cell's type (float32, or int8 with
 * one scale when hybrid); role names them in errors. */
tfl_status tfl__rnn_check_weights(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *w,
                                  const char *role, bool hybrid, int n_units, int n_in);

/* Fills c from weights w [n_units, n_input], recurrent r [n_units, n_units]
 * and bias [n_units] (checked: float32 cell, or hybrid when w is int8;
 * bias always float32), with activation and asymmetric as given. */
tfl_status tfl__rnn_cell_setup(tfl__ctx *ctx, const tfl__node *node, tfl__rnn_cell *c,
                               const tfl_tensor *w, const tfl_tensor *r, const tfl_tensor *bias,
                               int n_input, int activation, bool asymmetric);

#endif
