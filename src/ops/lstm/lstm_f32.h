/* The float32 LSTM cell of TFLite's lstm_eval.cc (EvalFloat / LstmStepFloat
 * with the portable tensor utilities), shared by UNIDIRECTIONAL_SEQUENCE_LSTM,
 * LSTM and BIDIRECTIONAL_SEQUENCE_LSTM: one pass over the time axis, forward
 * or backward, with optional auxiliary-input weights, writing its output rows
 * with a stride (a merged bidirectional output). */
#ifndef TFL_OPS_LSTM_F32_H
#define TFL_OPS_LSTM_F32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The gates' sigmoid, beside the schema's activation codes (TFLite's
 * kTfLiteActSigmoid, which a model cannot name). */
enum { TFL__LSTM_ACT_SIGMOID = -1 };

/* Hybrid weights (TFLite's EvalHybrid): int8 with one scale each, the
 * input, auxiliary input, output state and (for the projection) the output
 * quantized per batch row on the fly, symmetric or asymmetric
 * (kernels/hybrid.h); biases, states and gates stay float32. */
typedef struct tfl__lstm_hybrid {
    bool asymmetric;
    const int8_t *w[4], *aux_w[4], *r[4], *peephole[4], *proj_w;
    float w_scale[4], aux_scale[4], r_scale[4], peephole_scale[4], proj_scale;
} tfl__lstm_hybrid;

/* One cell, gates indexed i, f, c, o. NULL marks what is absent: w[0], r[0],
 * bias[0] (CIFG), every peephole (peephole[2] always), aux_w (no auxiliary
 * input), ln (no layer norm), proj_w / proj_b. Without projection n_output
 * must equal n_cell. */
typedef struct tfl__lstm_f32 {
    int n_batch, n_time, n_input, n_aux, n_cell, n_output;
    int activation; /* fused activation of the cell gate and the output */
    float cell_clip, proj_clip; /* 0 = no clipping */
    bool time_major;
    bool forward; /* false: the last time step first */
    /* Reproduce TFLite's EvalFloat with activation NONE, whose
     * ApplyActivationToVector returns without writing its destination: the
     * cell gate keeps the partial sum its scratch held (bias, or bias + W x
     * + A aux, when an even number of the input and auxiliary products ran;
     * TFLite skips a product over an all-zero input; hybrid cells apply
     * their activations in place and keep the whole sum) and the output
     * takes the output gate times the cell gate instead of the cell state. */
    bool tflite_act_none;
    const float *w[4];     /* [n_cell][n_input] */
    const float *aux_w[4]; /* [n_cell][n_aux] */
    const float *r[4];     /* [n_cell][n_output] */
    const float *peephole[4], *bias[4], *ln[4]; /* [n_cell] */
    const float *proj_w; /* [n_output][n_cell] */
    const float *proj_b; /* [n_output] */
    /* NULL: float32 weights above; else the int8 ones (the float weight
     * pointers are then unused, NULL). */
    const tfl__lstm_hybrid *hybrid;
} tfl__lstm_f32;

/* Scratch bytes tfl__lstm_f32_run needs (SIZE_MAX on overflow). */
size_t tfl__lstm_f32_scratch_bytes(const tfl__lstm_f32 *l);

/* Runs the sequence: x holds n_batch x n_time rows of n_input (time-major
 * [time][batch] or batch-major [batch][time]), aux the same rows of n_aux
 * (NULL when aux_w is absent), h [n_batch][n_output] and c [n_batch][n_cell]
 * are updated in place, and the output of row k goes to
 * out + k * out_stride (n_output values). Batch-major inputs run one batch
 * row at a time, as TFLite does. */
void tfl__lstm_f32_run(const tfl__lstm_f32 *l, const float *x, const float *aux, float *h,
                       float *c, float *out, size_t out_stride, void *scratch);

#endif
