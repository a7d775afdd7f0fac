/* TFLite's integer LSTM cell (8x8->16): prepare-time constants and one time
 * step, bit-exact with lstm_eval.cc's LstmStepInteger8x8_16 over the
 * portable tensor utilities. Gates are int16 Q3.12 before their activation
 * and Q0.15 after; the cell state is int16 with scale 2^cell_scale. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/fixedpoint16.h"
#include "ops/lstm/lstm.h"

enum { GATE_I, GATE_F, GATE_C, GATE_O };

void tfl__lstm_q8_free(tfl__lstm_q8 *q)
{
    for (int k = 0; k < 4; ++k) {
        free(q->in_bias[k]);
        free(q->rec_bias[k]);
        q->in_bias[k] = q->rec_bias[k] = NULL;
    }
    free(q->proj_bias);
    q->proj_bias = NULL;
}

/* TFLite PrecomputeZeroPointTimesWeightWithBias: bias (or 0) + zp * the row
 * sums of a constant [rows][cols] int8 matrix, wrapping as int32. */
static int32_t *zp_times_weight_plus_bias(const tfl_tensor *w, const tfl_tensor *bias,
                                          int32_t zp)
{
    const int rows = w->dims[0], cols = w->dims[1];
    int32_t *out = malloc((size_t)(rows > 0 ? rows : 1) * sizeof *out);
    if (!out)
        return NULL;
    const int8_t *m = (const int8_t *)w->data;
    const int32_t *b = bias ? (const int32_t *)(const void *)bias->data : NULL;
    for (int r = 0; r < rows; ++r) {
        int32_t row_sum = 0;
        for (int c = 0; c < cols; ++c)
            row_sum += m[(size_t)r * cols + c];
        out[r] = (int32_t)((uint32_t)(b ? b[r] : 0) + (uint32_t)((int64_t)row_sum * zp));
    }
    return out;
}

static tfl_status multiplier(tfl__ctx *ctx, tfl__node *node, const char *what, float real,
                             int32_t *mult, int *shift)
{
    return tfl__op_multiplier(ctx, node, what, (double)real, mult, shift);
}

static tfl_status fail_memory(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
}

/* The effective biases, as TFLite folds the input and output-state zero
 * points (and the hidden zero point for the projection) into them. */
static tfl_status fold_biases(tfl__ctx *ctx, tfl__node *node, tfl__lstm_q8 *q)
{
    const int32_t in_zp = -tfl__input(ctx, node, TFL__LSTM_IN)->zero_point;
    const int32_t h_zp = -tfl__input(ctx, node, TFL__LSTM_H)->zero_point;
    for (int k = q->cifg ? GATE_F : GATE_I; k <= GATE_O; ++k) {
        /* With layer norm the gate bias is added after normalizing. */
        const tfl_tensor *bias = q->layer_norm ? NULL : tfl__input(ctx, node, TFL__LSTM_B + k);
        q->in_bias[k] = zp_times_weight_plus_bias(tfl__input(ctx, node, TFL__LSTM_W + k), bias,
                                                  in_zp);
        q->rec_bias[k] =
            zp_times_weight_plus_bias(tfl__input(ctx, node, TFL__LSTM_R + k), NULL, h_zp);
        if (!q->in_bias[k] || !q->rec_bias[k])
            return fail_memory(ctx, node);
    }
    if (q->projection) {
        q->proj_bias = zp_times_weight_plus_bias(tfl__input(ctx, node, TFL__LSTM_PROJ_W),
                                                 tfl__input(ctx, node, TFL__LSTM_PROJ_B),
                                                 q->hidden_zp);
        if (!q->proj_bias)
            return fail_memory(ctx, node);
    }
    return TFL_OK;
}

static float scale_of(tfl__ctx *ctx, const tfl__node *node, int i, bool present)
{
    return present ? tfl__input(ctx, node, i)->scale : 1.0f;
}

tfl_status tfl__lstm_q8_prepare(tfl__ctx *ctx, tfl__node *node, tfl__lstm_q8 *q, int n_batch,
                                float cell_clip, float proj_clip)
{
    (void)n_batch;
    tfl__lstm_q8_free(q);
    const tfl_tensor *in = tfl__input(ctx, node, TFL__LSTM_IN);
    const tfl_tensor *h = tfl__input(ctx, node, TFL__LSTM_H);
    const tfl_tensor *c = tfl__input(ctx, node, TFL__LSTM_C);
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    q->cifg = tfl__input(ctx, node, TFL__LSTM_W) == NULL;
    q->peephole = tfl__input(ctx, node, TFL__LSTM_P + 2) != NULL;
    q->layer_norm = tfl__input(ctx, node, TFL__LSTM_LN + GATE_F) != NULL;
    q->projection = tfl__input(ctx, node, TFL__LSTM_PROJ_W) != NULL;
    const tfl_tensor *wo = tfl__input(ctx, node, TFL__LSTM_W + GATE_O);
    const tfl_tensor *ro = tfl__input(ctx, node, TFL__LSTM_R + GATE_O);
    q->n_cell = wo->dims[0];
    q->n_input = wo->dims[1];
    q->n_output = ro->dims[1];
    if (q->peephole && q->n_output > q->n_cell)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "integer peepholes with an output size %d above the cell size %d "
                            "are not supported (TFLite reads past the cell state)",
                            q->n_output, q->n_cell);
    for (int i = TFL__LSTM_W; i <= TFL__LSTM_PROJ_B; ++i) {
        const tfl_tensor *t = tfl__input(ctx, node, i);
        if (t && !tfl__is_const(t))
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "input %d must be a constant in an integer LSTM (TFLite folds "
                                "the weights into the biases at prepare)",
                                i);
    }
    if (!(c->scale > 0.0f) || !tfl__checked_log2(c->scale, &q->cell_scale))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "the cell state's scale %g must be a power of two", (double)c->scale);
    /* TFLite's integer tanh of the cell state takes 0 to 6 integer bits. */
    if (15 + q->cell_scale < 0 || 15 + q->cell_scale > 6)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "cell state scale 2^%d not supported (2^-15 to 2^-9)", q->cell_scale);
    if (node->num_intermediates != 5)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "an integer LSTM needs 5 intermediate tensors, got %d",
                            node->num_intermediates);
    float inter_scale[5];
    for (int k = 0; k < 5; ++k) {
        const tfl_tensor *t = &ctx->tensors[node->intermediates[k]];
        if ((k == 4 || q->layer_norm) && t->quant.count < 1)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "intermediate tensor %d is not quantized", k);
        /* Without layer norm the gates are Q3.12. */
        inter_scale[k] = (k == 4 || q->layer_norm) ? t->scale : 1.0f / 4096.0f;
        if (k == 4)
            q->hidden_zp = t->zero_point;
    }
    q->output_state_zp = h->zero_point;
    q->cell_clip = 0;
    if (cell_clip > 0.0f)
        q->cell_clip = (int16_t)fminf(fmaxf(cell_clip / c->scale, -32768.0f), 32767.0f);
    q->proj_clip = 0;
    if (proj_clip > 0.0f)
        q->proj_clip = (int8_t)fminf(fmaxf(proj_clip / out->scale, -128.0f), 127.0f);

    /* Effective scales, in float as TFLite computes them. */
    const float in_scale = in->scale, h_scale = h->scale;
    tfl_status s;
    for (int k = q->cifg ? GATE_F : GATE_I; k <= GATE_O; ++k) {
        const float w_scale = tfl__input(ctx, node, TFL__LSTM_W + k)->scale;
        const float r_scale = tfl__input(ctx, node, TFL__LSTM_R + k)->scale;
        if ((s = multiplier(ctx, node, "input-to-gate", w_scale * in_scale / inter_scale[k],
                            &q->in_mult[k], &q->in_shift[k])) != TFL_OK ||
            (s = multiplier(ctx, node, "recurrent-to-gate", r_scale * h_scale / inter_scale[k],
                            &q->rec_mult[k], &q->rec_shift[k])) != TFL_OK)
            return s;
        if (q->peephole && k != GATE_C) {
            const int p = TFL__LSTM_P + (k == GATE_O ? 2 : k);
            const float eff = (float)(pow(2.0, q->cell_scale) *
                                      (double)tfl__input(ctx, node, p)->scale /
                                      (double)inter_scale[k]);
            if ((s = multiplier(ctx, node, "cell-to-gate", eff, &q->cell_mult[k],
                                &q->cell_shift[k])) != TFL_OK)
                return s;
        }
        const float ln_scale = scale_of(ctx, node, TFL__LSTM_LN + k, q->layer_norm);
        if ((s = multiplier(ctx, node, "layer norm", ln_scale, &q->ln_mult[k], &q->ln_shift[k])) !=
            TFL_OK)
            return s;
        const int32_t guard = (int32_t)(10000.0f * ln_scale);
        q->variance_guard[k] = guard > 1 ? guard : 1;
    }
    const float hidden = (float)(pow(2.0, -15) / (double)inter_scale[4] * pow(2.0, -15));
    const float proj_w_scale = scale_of(ctx, node, TFL__LSTM_PROJ_W, q->projection);
    if ((s = multiplier(ctx, node, "hidden", hidden, &q->hidden_mult, &q->hidden_shift)) !=
            TFL_OK ||
        (s = multiplier(ctx, node, "projection", proj_w_scale * inter_scale[4] / h_scale,
                        &q->proj_mult, &q->proj_shift)) != TFL_OK)
        return s;
    return fold_biases(ctx, node, q);
}

size_t tfl__lstm_q8_scratch_bytes(const tfl__lstm_q8 *q, int n_batch)
{
    /* Four int16 gates, the int16 tanh of the cell, the int8 hidden. */
    return (size_t)n_batch * q->n_cell * (5 * sizeof(int16_t) + 1);
}

void tfl__lstm_q8_weights_of(tfl__ctx *ctx, const tfl__node *node, tfl__lstm_q8_weights *w)
{
    memset(w, 0, sizeof *w);
    for (int k = 0; k < 4; ++k) {
        const tfl_tensor *t;
        if ((t = tfl__input(ctx, node, TFL__LSTM_W + k)))
            w->w[k] = (const int8_t *)t->data;
        if ((t = tfl__input(ctx, node, TFL__LSTM_R + k)))
            w->r[k] = (const int8_t *)t->data;
        if ((t = tfl__input(ctx, node, TFL__LSTM_B + k)))
            w->bias[k] = (const int32_t *)(const void *)t->data;
        if ((t = tfl__input(ctx, node, TFL__LSTM_LN + k)))
            w->ln[k] = (const int16_t *)(const void *)t->data;
        if (k != GATE_C && (t = tfl__input(ctx, node, TFL__LSTM_P + (k == GATE_O ? 2 : k))))
            w->peephole[k] = (const int16_t *)(const void *)t->data;
    }
    const tfl_tensor *p = tfl__input(ctx, node, TFL__LSTM_PROJ_W);
    w->proj = p ? (const int8_t *)p->data : NULL;
}

/* out[b][r] = clamp(mbqm(bias[r] + m[r] . x[b]) + zp + out[b][r]) to [lo, hi]
 * (TFLite's MatrixBatchVectorMultiplyAccumulate for int16 and int8 outputs). */
static int32_t dot_s8(const int8_t *a, const int8_t *b, int n)
{
    uint32_t acc = 0; /* wraps as TFLite's int32 sum does */
    for (int i = 0; i < n; ++i)
        acc += (uint32_t)((int32_t)a[i] * b[i]);
    return (int32_t)acc;
}

static void matvec_acc_s16(const int8_t *x, const int32_t *bias, const int8_t *m, int32_t mult,
                           int shift, int nb, int cols, int rows, int16_t *out)
{
    for (int b = 0; b < nb; ++b)
        for (int r = 0; r < rows; ++r) {
            int32_t acc = (int32_t)((uint32_t)bias[r] +
                                    (uint32_t)dot_s8(m + (size_t)r * cols, x + (size_t)b * cols,
                                                     cols));
            acc = tfl__mbqm(acc, mult, shift) + out[(size_t)b * rows + r];
            out[(size_t)b * rows + r] = (int16_t)tfl__clamp_i32(acc, INT16_MIN, INT16_MAX);
        }
}

static void matvec_acc_s8(const int8_t *x, const int32_t *bias, const int8_t *m, int32_t mult,
                          int shift, int nb, int cols, int rows, int32_t zp, int8_t *out)
{
    for (int b = 0; b < nb; ++b)
        for (int r = 0; r < rows; ++r) {
            int32_t acc = (int32_t)((uint32_t)bias[r] +
                                    (uint32_t)dot_s8(m + (size_t)r * cols, x + (size_t)b * cols,
                                                     cols));
            acc = tfl__mbqm(acc, mult, shift) + zp + out[(size_t)b * rows + r];
            out[(size_t)b * rows + r] = (int8_t)tfl__clamp_i32(acc, INT8_MIN, INT8_MAX);
        }
}

/* TFLite ApplyLayerNorm: per batch row, (x - mean) / stddev in fixed point,
 * times the coefficients plus the gate bias, rescaled to Q3.12. */
static void layer_norm(int16_t *g, const int16_t *weights, const int32_t *bias, int32_t mult,
                       int shift, int32_t variance_guard, int nb, int n)
{
    for (int b = 0; b < nb; ++b) {
        int16_t *row = g + (size_t)b * n;
        int64_t sum = 0, sum_sq = 0;
        for (int j = 0; j < n; ++j) {
            sum += row[j];
            sum_sq += (int32_t)row[j] * row[j];
        }
        const int32_t mean = (int32_t)(sum * 1024 / n);
        const int32_t temp = (1 << 20) / n;
        const int64_t variance = sum_sq * temp - (int64_t)mean * mean;
        int32_t variance2 = (int32_t)(variance / (1 << 20));
        if (variance2 < 1)
            variance2 = variance_guard;
        int32_t inv_mult;
        int inv_shift;
        tfl__fp_inv_sqrt_multiplier(variance2, &inv_mult, &inv_shift);
        for (int j = 0; j < n; ++j) {
            const int32_t shifted = (int32_t)((uint32_t)(1024 * (int32_t)row[j]) - (uint32_t)mean);
            const int32_t rescaled = tfl__mbqm(shifted, inv_mult, inv_shift);
            /* An int32 product and sum in TFLite, widened afterwards. */
            const int64_t val3 = (int32_t)((uint32_t)rescaled * (uint32_t)(int32_t)weights[j] +
                                           (uint32_t)bias[j]);
            const int32_t val4 = (int32_t)((val3 > 0 ? val3 + 512 : val3 - 512) / 1024);
            const int32_t val5 = tfl__mbqm(val4, mult, shift + 12);
            row[j] = (int16_t)tfl__clamp_i32(val5, INT16_MIN, INT16_MAX);
        }
    }
}

/* One gate for nb rows: W x + R h (+ peephole .* c), layer norm, activation. */
static void gate(const tfl__lstm_q8 *q, const tfl__lstm_q8_weights *w, int k, const int8_t *x,
                 const int8_t *h, const int16_t *c, int nb, int16_t *g)
{
    const int nc = q->n_cell, no = q->n_output;
    memset(g, 0, (size_t)nb * nc * sizeof *g);
    matvec_acc_s16(x, q->in_bias[k], w->w[k], q->in_mult[k], q->in_shift[k], nb, q->n_input, nc,
                   g);
    matvec_acc_s16(h, q->rec_bias[k], w->r[k], q->rec_mult[k], q->rec_shift[k], nb, no, nc, g);
    if (q->peephole && k != GATE_C) {
        /* TFLite walks n_output elements per batch row here. */
        for (size_t i = 0; i < (size_t)nb * no; ++i) {
            int32_t prod = tfl__mbqm((int32_t)w->peephole[k][i % no] * c[i], q->cell_mult[k],
                                     q->cell_shift[k]);
            g[i] = (int16_t)tfl__clamp_i32(prod + g[i], INT16_MIN, INT16_MAX);
        }
    }
    if (q->layer_norm)
        layer_norm(g, w->ln[k], w->bias[k], q->ln_mult[k], q->ln_shift[k], q->variance_guard[k],
                   nb, nc);
    const size_t n = (size_t)nb * nc;
    if (k == GATE_C)
        for (size_t i = 0; i < n; ++i)
            g[i] = tfl__fp16_tanh(g[i], 3);
    else
        for (size_t i = 0; i < n; ++i)
            g[i] = tfl__fp16_logistic(g[i], 3);
}

static int16_t mul_shift(int16_t a, int16_t b, int shift)
{
    return (int16_t)tfl__rdbypot((int32_t)a * b, shift);
}

void tfl__lstm_q8_step(const tfl__lstm_q8 *q, const tfl__lstm_q8_weights *w, const int8_t *x,
                       int nb, int8_t *h, int16_t *c, int8_t *out, void *scratch)
{
    const size_t n = (size_t)nb * q->n_cell;
    int16_t *ig = scratch, *fg = ig + n, *cg = fg + n, *og = cg + n, *tanh_c = og + n;
    int8_t *hidden = (int8_t *)(tanh_c + n);
    if (!q->cifg)
        gate(q, w, GATE_I, x, h, c, nb, ig);
    gate(q, w, GATE_F, x, h, c, nb, fg);
    gate(q, w, GATE_C, x, h, c, nb, cg);
    /* c = f .* c + i .* g (CIFG: i = 1 - f), saturating, then clipped. */
    for (size_t i = 0; i < n; ++i) {
        const int16_t input_gate = q->cifg ? (int16_t)(INT16_MAX - fg[i]) : ig[i];
        const int16_t kept = mul_shift(fg[i], c[i], 15);
        const int16_t added = mul_shift(input_gate, cg[i], 30 + q->cell_scale);
        int32_t sum = tfl__clamp_i32((int32_t)kept + added, INT16_MIN, INT16_MAX);
        if (q->cell_clip > 0)
            sum = tfl__clamp_i32(sum, -q->cell_clip, q->cell_clip);
        c[i] = (int16_t)sum;
    }
    gate(q, w, GATE_O, x, h, c, nb, og);
    for (size_t i = 0; i < n; ++i)
        tanh_c[i] = tfl__fp16_tanh(c[i], 15 + q->cell_scale);
    const size_t nh = (size_t)nb * q->n_output;
    if (q->projection) {
        /* TFLite subtracts the hidden zero point here and folds it back into
         * the projection bias. */
        for (size_t i = 0; i < n; ++i)
            hidden[i] = (int8_t)tfl__clamp_i32(
                tfl__mbqm((int32_t)og[i] * tanh_c[i], q->hidden_mult, q->hidden_shift) -
                    q->hidden_zp,
                INT8_MIN, INT8_MAX);
        memset(h, 0, nh);
        matvec_acc_s8(hidden, q->proj_bias, w->proj, q->proj_mult, q->proj_shift, nb, q->n_cell,
                      q->n_output, q->output_state_zp, h);
        if (q->proj_clip > 0)
            for (size_t i = 0; i < nh; ++i)
                h[i] = (int8_t)tfl__clamp_i32(h[i], -q->proj_clip, q->proj_clip);
    } else {
        for (size_t i = 0; i < n; ++i)
            h[i] = (int8_t)tfl__clamp_i32(
                tfl__mbqm((int32_t)og[i] * tanh_c[i], q->hidden_mult, q->hidden_shift) +
                    q->hidden_zp,
                INT8_MIN, INT8_MAX);
    }
    memcpy(out, h, nh);
}
