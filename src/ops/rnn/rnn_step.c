/* TFLite's RnnBatchStep, float and hybrid (see rnn_step.h). */
#include <string.h>

#include "kernels/hybrid.h"
#include "ops/elementwise.h"
#include "ops/rnn/rnn_step.h"

static int max3(int a, int b, int c)
{
    int m = a > b ? a : b;
    return m > c ? m : c;
}

size_t tfl__rnn_scratch_bytes(const tfl__rnn_cell *c, int n_batch)
{
    if (!c->hybrid)
        return 0;
    const size_t q = ((size_t)n_batch * max3(c->n_input, c->n_aux, c->n_units) + 15) & ~(size_t)15;
    return q + (size_t)n_batch * (sizeof(float) + sizeof(int32_t));
}

void tfl__rnn_row_sums(const tfl__rnn_cell *c, int32_t *sums)
{
    tfl__hybrid_row_sums(c->w, c->n_units, c->n_input, sums);
    if (c->n_aux)
        tfl__hybrid_row_sums(c->aux_w, c->n_units, c->n_aux, sums + c->n_units);
    tfl__hybrid_row_sums(c->r, c->n_units, c->n_units, sums + 2 * (size_t)c->n_units);
}

/* out[b][u] += W[u] . v[b] (a dot product per row, then added). */
static void matvec_acc_f32(const float *w, int rows, int cols, const float *v, int n_batch,
                           float *out, int out_stride)
{
    for (int b = 0; b < n_batch; ++b)
        for (int r = 0; r < rows; ++r) {
            float dot = 0.0f;
            for (int k = 0; k < cols; ++k)
                dot += w[(size_t)r * cols + k] * v[(size_t)b * cols + k];
            out[(size_t)b * out_stride + r] += dot;
        }
}

/* The hybrid product of one operand: skipped when all of v is zero, as in
 * TFLite; otherwise v quantized per row, the weight scale folded in. */
static void matvec_acc_hybrid(const tfl__rnn_cell *c, const int8_t *w, float w_scale,
                              const int32_t *row_sums, int cols, const float *v, int n_batch,
                              float *out, int out_stride, void *scratch)
{
    if (tfl__all_zero_f32(v, (size_t)n_batch * cols))
        return;
    const int units = c->n_units;
    int8_t *q = scratch;
    const size_t qbytes =
        ((size_t)n_batch * max3(c->n_input, c->n_aux, c->n_units) + 15) & ~(size_t)15;
    float *scale = (float *)(void *)((uint8_t *)scratch + qbytes);
    int32_t *offset = (int32_t *)(void *)(scale + n_batch);
    tfl__hybrid_quantize(v, n_batch, cols, c->asymmetric, q, scale, offset);
    for (int b = 0; b < n_batch; ++b) {
        scale[b] *= w_scale;
        tfl__hybrid_matvec_acc(w, units, cols, q + (size_t)b * cols, &scale[b],
                               c->asymmetric ? &offset[b] : NULL,
                               c->asymmetric ? row_sums : NULL, NULL, 1,
                               out + (size_t)b * out_stride);
    }
}

void tfl__rnn_step(const tfl__rnn_cell *c, const float *x, const float *aux, int n_batch,
                   float *h, float *out, int out_stride, void *scratch)
{
    const int units = c->n_units;
    if (units == 0)
        return; /* no outputs (and empty tensors have no data to copy from) */
    for (int b = 0; b < n_batch; ++b)
        memcpy(out + (size_t)b * out_stride, c->bias, (size_t)units * sizeof *out);
    if (c->hybrid) {
        const int32_t *rs = c->row_sums;
        matvec_acc_hybrid(c, c->w, c->w_scale, rs, c->n_input, x, n_batch, out, out_stride,
                          scratch);
        if (aux && c->n_aux)
            matvec_acc_hybrid(c, c->aux_w, c->aux_scale, rs ? rs + units : NULL, c->n_aux, aux,
                              n_batch, out, out_stride, scratch);
        matvec_acc_hybrid(c, c->r, c->r_scale, rs ? rs + 2 * (size_t)units : NULL, units, h,
                          n_batch, out, out_stride, scratch);
    } else {
        matvec_acc_f32(c->w, units, c->n_input, x, n_batch, out, out_stride);
        if (aux && c->n_aux)
            matvec_acc_f32(c->aux_w, units, c->n_aux, aux, n_batch, out, out_stride);
        matvec_acc_f32(c->r, units, units, h, n_batch, out, out_stride);
    }
    for (int b = 0; b < n_batch; ++b) {
        float *o = out + (size_t)b * out_stride;
        tfl__vector_activation_f32(c->activation, o, (size_t)units);
        memcpy(h + (size_t)b * units, o, (size_t)units * sizeof *h);
    }
}

tfl_status tfl__rnn_check_weights(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *w,
                                  const char *role, bool hybrid, int n_units, int n_in)
{
    if (!w)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s are missing", role);
    const tfl_type want = hybrid ? TFL_INT8 : TFL_FLOAT32;
    if (w->type != want)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "%s are %s, expected %s", role,
                            tfl_type_name(w->type), tfl_type_name(want));
    if (w->ndim != 2 || w->dims[0] != n_units || w->dims[1] != n_in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s must be [%d, %d]", role, n_units,
                            n_in);
    if (hybrid && w->quant.count != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "hybrid %s need one scale (TFLite applies one; got %d)", role,
                            w->quant.count);
    if (hybrid && !tfl__is_const(w))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "hybrid %s must be constant", role);
    return TFL_OK;
}

tfl_status tfl__rnn_cell_setup(tfl__ctx *ctx, const tfl__node *node, tfl__rnn_cell *c,
                               const tfl_tensor *w, const tfl_tensor *r, const tfl_tensor *bias,
                               int n_input, int activation, bool asymmetric)
{
    memset(c, 0, sizeof *c);
    if (!w || !r || !bias)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "weights or bias missing");
    if (w->ndim != 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "weights must be 2-D");
    c->hybrid = w->type == TFL_INT8;
    c->n_input = n_input;
    c->n_units = w->dims[0];
    c->activation = activation;
    c->asymmetric = c->hybrid && asymmetric;
    tfl_status s = tfl__vector_activation_check(ctx, node, activation);
    if (s == TFL_OK)
        s = tfl__rnn_check_weights(ctx, node, w, "input weights", c->hybrid, c->n_units, n_input);
    if (s == TFL_OK)
        s = tfl__rnn_check_weights(ctx, node, r, "recurrent weights", c->hybrid, c->n_units,
                                   c->n_units);
    if (s != TFL_OK)
        return s;
    if (bias->type != TFL_FLOAT32 || bias->ndim != 1 || bias->dims[0] != c->n_units)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "bias must be float32 [%d]",
                            c->n_units);
    c->w_t = w;
    c->r_t = r;
    c->bias_t = bias;
    tfl__rnn_cell_bind(c);
    c->w_scale = w->scale;
    c->r_scale = r->scale;
    return TFL_OK;
}

void tfl__rnn_cell_bind(tfl__rnn_cell *c)
{
    c->w = c->w_t ? c->w_t->data : NULL;
    c->r = c->r_t ? c->r_t->data : NULL;
    c->bias = c->bias_t ? (const float *)(const void *)c->bias_t->data : NULL;
    c->aux_w = c->aux_t ? c->aux_t->data : NULL;
}
