/* The float32 LSTM cell (lstm_f32.h), in the order and with the operations
 * of TFLite's float path:
 *
 *   gate = bias + W x (+ A aux) + R h (+ p .* c for a peephole), each matrix
 *   product a dot product per row added to the gate; layer norm (when its
 *   coefficients are given) normalizes the sum first and adds the bias
 *   after; sigmoid for the input, forget and output gates, the fused
 *   activation for the cell gate;
 *   c = f .* c + g .* i (CIFG, no input gate: i = 1 - f), clipped by
 *   cell_clip; the output gate's peephole reads the new c;
 *   h = o .* act(c), then the projection (P h + bias, clipped by proj_clip).
 *
 * Hybrid cells (TFLite's LstmStepHybrid) quantize x, aux and h per batch
 * row once a step (skipping an all-zero one and its products), each product
 * an int32 dot product scaled by row scale x weight scale; the peepholes are
 * dequantized (scale * p) first; the projection quantizes o .* act(c). */
#include "ops/lstm/lstm_f32.h"

#include <math.h>
#include <string.h>

#include "kernels/hybrid.h"
#include "ops/op.h"

static float act(int a, float x)
{
    switch (a) {
    case TFL__ACT_RELU: return x > 0.0f ? x : 0.0f;
    case TFL__ACT_RELU6: return x > 0.0f ? (x < 6.0f ? x : 6.0f) : 0.0f;
    case TFL__ACT_RELU_N1_TO_1: {
        const float m = 1.0f < x ? 1.0f : x; /* std::max(-1, std::min(x, 1)) */
        return -1.0f < m ? m : -1.0f;
    }
    case TFL__ACT_TANH: return tanhf(x);
    case TFL__ACT_SIGN_BIT: return signbit(x) ? 1.0f : 0.0f;
    case TFL__LSTM_ACT_SIGMOID: return 1.0f / (1.0f + expf(-x));
    default: return x;
    }
}

/* gate[b][r] += sum over c of m[r][c] * v[b][c] (a dot product per row). */
static void matvec_acc(const float *m, int rows, int cols, const float *v, int n_batch, float *gate)
{
    for (int b = 0; b < n_batch; ++b)
        for (int r = 0; r < rows; ++r) {
            float dot = 0.0f;
            for (int c = 0; c < cols; ++c)
                dot += m[(size_t)r * cols + c] * v[(size_t)b * cols + c];
            gate[(size_t)b * rows + r] += dot;
        }
}

/* TFLite's MeanStddevNormalization: (x - mean) / sqrt(variance + 1e-8). */
static void layer_norm(float *g, int n)
{
    float sum = 0.0f, sum_sq = 0.0f;
    for (int i = 0; i < n; ++i) {
        sum += g[i];
        sum_sq += g[i] * g[i];
    }
    const float mean = sum / (float)n;
    const float variance = sum_sq / (float)n - mean * mean;
    const float inv = 1.0f / sqrtf(variance + 1e-8f);
    for (int i = 0; i < n; ++i)
        g[i] = (g[i] - mean) * inv;
}

static bool all_zero(const float *v, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (v[i] != 0.0f)
            return false;
    return true;
}

/* One gate k for nb rows: bias (or 0 with layer norm) + W x (+ A aux) + R h
 * (+ p .* c), then layer norm and bias, then the activation. */
static void gate(const tfl__lstm_f32 *l, int k, float *g, const float *x, const float *aux,
                 const float *h, const float *c, int nb, int activation)
{
    const int nc = l->n_cell;
    const float *bias = l->bias[k], *ln = l->ln[k], *p = c ? l->peephole[k] : NULL;
    for (int b = 0; b < nb; ++b)
        for (int i = 0; i < nc; ++i)
            g[(size_t)b * nc + i] = ln ? 0.0f : bias[i];
    int products = 0;
    if (!l->tflite_act_none || !all_zero(x, (size_t)nb * l->n_input)) {
        matvec_acc(l->w[k], nc, l->n_input, x, nb, g);
        ++products;
    }
    if (aux && (!l->tflite_act_none || !all_zero(aux, (size_t)nb * l->n_aux))) {
        matvec_acc(l->aux_w[k], nc, l->n_aux, aux, nb, g);
        ++products;
    }
    /* TFLite's sum then lands in its other buffer, which NONE never copies
     * back (see lstm_f32.h). */
    if (l->tflite_act_none && activation == TFL__ACT_NONE && products % 2 == 0)
        return;
    matvec_acc(l->r[k], nc, l->n_output, h, nb, g);
    if (p)
        for (int b = 0; b < nb; ++b)
            for (int i = 0; i < nc; ++i)
                g[(size_t)b * nc + i] += p[i] * c[(size_t)b * nc + i];
    if (ln)
        for (int b = 0; b < nb; ++b) {
            float *gb = g + (size_t)b * nc;
            layer_norm(gb, nc);
            for (int i = 0; i < nc; ++i)
                gb[i] = gb[i] * ln[i] + bias[i];
        }
    for (size_t i = 0; i < (size_t)nb * nc; ++i)
        g[i] = act(activation, g[i]);
}

static void clip(float *v, size_t n, float limit)
{
    if (limit > 0.0f)
        for (size_t i = 0; i < n; ++i)
            v[i] = v[i] > limit ? limit : (v[i] < -limit ? -limit : v[i]);
}

/* Hybrid per-step state in the scratch (see scratch_layout). */
typedef struct hy_scratch {
    float *sf_x, *sf_a, *sf_h, *sf_s, *scale, *peephole;
    int32_t *zp_x, *zp_a, *zp_h, *zp_s;
    int32_t *w_sums[4], *aux_sums[4], *r_sums[4], *proj_sums;
    int8_t *qx, *qa, *qh, *qs;
    bool x_zero, a_zero, h_zero;
} hy_scratch;

/* gate[b][r] += int8 product of m and the quantized rows q (scales sf[b] x
 * m_scale, offsets zp and row sums when asymmetric). */
static void hy_matvec(const tfl__lstm_hybrid *hy, const int8_t *m, float m_scale,
                      const int32_t *sums, int rows, int cols, const int8_t *q, const float *sf,
                      const int32_t *zp, int nb, float *scale, float *gate)
{
    for (int b = 0; b < nb; ++b)
        scale[b] = sf[b] * m_scale;
    tfl__hybrid_matvec_acc(m, rows, cols, q, scale, hy->asymmetric ? zp : NULL,
                           hy->asymmetric ? sums : NULL, NULL, nb, gate);
}

/* Hybrid gate k: TFLite's CalculateLstmGateHybrid (activation in place). */
static void gate_hybrid(const tfl__lstm_f32 *l, int k, float *g, hy_scratch *hs, const float *c,
                        int nb, int activation)
{
    const tfl__lstm_hybrid *hy = l->hybrid;
    const int nc = l->n_cell;
    const float *bias = l->bias[k], *ln = l->ln[k];
    for (int b = 0; b < nb; ++b)
        for (int i = 0; i < nc; ++i)
            g[(size_t)b * nc + i] = ln ? 0.0f : bias[i];
    if (!hs->x_zero)
        hy_matvec(hy, hy->w[k], hy->w_scale[k], hs->w_sums[k], nc, l->n_input, hs->qx, hs->sf_x,
                  hs->zp_x, nb, hs->scale, g);
    if (!hs->a_zero)
        hy_matvec(hy, hy->aux_w[k], hy->aux_scale[k], hs->aux_sums[k], nc, l->n_aux, hs->qa,
                  hs->sf_a, hs->zp_a, nb, hs->scale, g);
    if (!hs->h_zero)
        hy_matvec(hy, hy->r[k], hy->r_scale[k], hs->r_sums[k], nc, l->n_output, hs->qh, hs->sf_h,
                  hs->zp_h, nb, hs->scale, g);
    if (c && hy->peephole[k]) {
        for (int i = 0; i < nc; ++i)
            hs->peephole[i] = hy->peephole_scale[k] * (float)hy->peephole[k][i];
        for (int b = 0; b < nb; ++b)
            for (int i = 0; i < nc; ++i)
                g[(size_t)b * nc + i] += hs->peephole[i] * c[(size_t)b * nc + i];
    }
    if (ln)
        for (int b = 0; b < nb; ++b) {
            float *gb = g + (size_t)b * nc;
            layer_norm(gb, nc);
            for (int i = 0; i < nc; ++i)
                gb[i] = gb[i] * ln[i] + bias[i];
        }
    for (size_t i = 0; i < (size_t)nb * nc; ++i)
        g[i] = act(activation, g[i]);
}

/* One time step for nb rows. */
static void step(const tfl__lstm_f32 *l, const float *x, const float *aux, int nb, float *h,
                 float *c, float *out, size_t out_stride, float *scratch, hy_scratch *hs)
{
    const int nc = l->n_cell, no = l->n_output;
    const size_t n = (size_t)nb * nc;
    float *ig = scratch, *fg = ig + n, *cg = fg + n, *og = cg + n, *sc = og + n;
    const tfl__lstm_hybrid *hy = l->hybrid;
    const bool cifg = hy ? hy->w[0] == NULL : l->w[0] == NULL;
    if (hy) {
        hs->x_zero = all_zero(x, (size_t)nb * l->n_input);
        hs->a_zero = !aux || all_zero(aux, (size_t)nb * l->n_aux);
        hs->h_zero = all_zero(h, (size_t)nb * no);
        if (!hs->x_zero)
            tfl__hybrid_quantize(x, nb, l->n_input, hy->asymmetric, hs->qx, hs->sf_x, hs->zp_x);
        if (!hs->a_zero)
            tfl__hybrid_quantize(aux, nb, l->n_aux, hy->asymmetric, hs->qa, hs->sf_a, hs->zp_a);
        if (!hs->h_zero)
            tfl__hybrid_quantize(h, nb, no, hy->asymmetric, hs->qh, hs->sf_h, hs->zp_h);
        if (!cifg)
            gate_hybrid(l, 0, ig, hs, c, nb, TFL__LSTM_ACT_SIGMOID);
        gate_hybrid(l, 1, fg, hs, c, nb, TFL__LSTM_ACT_SIGMOID);
        gate_hybrid(l, 2, cg, hs, NULL, nb, l->activation);
    } else {
        if (!cifg)
            gate(l, 0, ig, x, aux, h, c, nb, TFL__LSTM_ACT_SIGMOID);
        gate(l, 1, fg, x, aux, h, c, nb, TFL__LSTM_ACT_SIGMOID);
        gate(l, 2, cg, x, aux, h, NULL, nb, l->activation);
    }
    for (size_t i = 0; i < n; ++i)
        c[i] = fg[i] * c[i];
    for (size_t i = 0; i < n; ++i)
        c[i] += cg[i] * (cifg ? 1.0f - fg[i] : ig[i]);
    clip(c, n, l->cell_clip);
    if (hy)
        gate_hybrid(l, 3, og, hs, c, nb, TFL__LSTM_ACT_SIGMOID);
    else
        gate(l, 3, og, x, aux, h, c, nb, TFL__LSTM_ACT_SIGMOID);
    if (l->tflite_act_none && l->activation == TFL__ACT_NONE)
        for (size_t i = 0; i < n; ++i)
            sc[i] = og[i] * cg[i];
    else
        for (size_t i = 0; i < n; ++i)
            sc[i] = og[i] * act(l->activation, c[i]);
    if (hy ? hy->proj_w != NULL : l->proj_w != NULL) {
        for (int b = 0; b < nb; ++b)
            for (int i = 0; i < no; ++i)
                h[(size_t)b * no + i] = l->proj_b ? l->proj_b[i] : 0.0f;
        if (!hy) {
            matvec_acc(l->proj_w, no, nc, sc, nb, h);
        } else if (!all_zero(sc, n)) {
            tfl__hybrid_quantize(sc, nb, nc, hy->asymmetric, hs->qs, hs->sf_s, hs->zp_s);
            hy_matvec(hy, hy->proj_w, hy->proj_scale, hs->proj_sums, no, nc, hs->qs, hs->sf_s,
                      hs->zp_s, nb, hs->scale, h);
        }
        clip(h, (size_t)nb * no, l->proj_clip);
    } else if (n > 0) {
        memcpy(h, sc, n * sizeof *h);
    }
    if (no > 0)
        for (int b = 0; b < nb; ++b)
            memcpy(out + (size_t)b * out_stride, h + (size_t)b * no, (size_t)no * sizeof *out);
}

/* Saturating size arithmetic. */
static size_t mul(size_t a, size_t b)
{
    return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

static size_t add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* The scratch: four gates and the output before projection per batch row,
 * then for a hybrid cell the row scales, the dequantized peephole, the
 * offsets, the weights' row sums and the quantized rows. Fills hs when
 * given (base non-NULL). */
static size_t scratch_layout(const tfl__lstm_f32 *l, char *base, hy_scratch *hs)
{
    const size_t nb = (size_t)(l->n_batch > 0 ? l->n_batch : 0);
    const size_t nc = (size_t)(l->n_cell > 0 ? l->n_cell : 0);
    const size_t no = (size_t)(l->n_output > 0 ? l->n_output : 0);
    const size_t ni = (size_t)(l->n_input > 0 ? l->n_input : 0);
    const size_t na = (size_t)(l->n_aux > 0 ? l->n_aux : 0);
    size_t off = mul(mul(nb, 5), mul(nc, sizeof(float)));
    if (!l->hybrid)
        return off;
#define TAKE(field, type, count)                                                       \
    do {                                                                                \
        if (base)                                                                       \
            hs->field = (type *)(void *)(base + off);                                   \
        off = add(off, mul((count), sizeof(type)));                                     \
    } while (0)
    TAKE(sf_x, float, nb);
    TAKE(sf_a, float, nb);
    TAKE(sf_h, float, nb);
    TAKE(sf_s, float, nb);
    TAKE(scale, float, nb);
    TAKE(peephole, float, nc);
    TAKE(zp_x, int32_t, nb);
    TAKE(zp_a, int32_t, nb);
    TAKE(zp_h, int32_t, nb);
    TAKE(zp_s, int32_t, nb);
    for (int k = 0; k < 4; ++k) {
        TAKE(w_sums[k], int32_t, nc);
        TAKE(aux_sums[k], int32_t, nc);
        TAKE(r_sums[k], int32_t, nc);
    }
    TAKE(proj_sums, int32_t, no);
    TAKE(qx, int8_t, mul(nb, ni));
    TAKE(qa, int8_t, mul(nb, na));
    TAKE(qh, int8_t, mul(nb, no));
    TAKE(qs, int8_t, mul(nb, nc));
#undef TAKE
    return off;
}

size_t tfl__lstm_f32_scratch_bytes(const tfl__lstm_f32 *l)
{
    return scratch_layout(l, NULL, NULL);
}

void tfl__lstm_f32_run(const tfl__lstm_f32 *l, const float *x, const float *aux, float *h,
                       float *c, float *out, size_t out_stride, void *scratch)
{
    const int nt = l->n_time, nbatch = l->n_batch, no = l->n_output, nc = l->n_cell;
    const int groups = l->time_major ? 1 : nbatch, nb = l->time_major ? nbatch : 1;
    if (nt <= 0 || nbatch <= 0)
        return; /* nothing to run (and the tensors may have no data) */
    const tfl__lstm_hybrid *hy = l->hybrid;
    if (hy ? !hy->aux_w[1] : !l->aux_w[1])
        aux = NULL;
    hy_scratch hs = {0};
    if (hy) {
        scratch_layout(l, scratch, &hs);
        for (int k = 0; k < 4; ++k) {
            if (!hy->asymmetric || !hy->w[k])
                continue;
            tfl__hybrid_row_sums(hy->w[k], nc, l->n_input, hs.w_sums[k]);
            tfl__hybrid_row_sums(hy->r[k], nc, no, hs.r_sums[k]);
            if (aux)
                tfl__hybrid_row_sums(hy->aux_w[k], nc, l->n_aux, hs.aux_sums[k]);
        }
        if (hy->asymmetric && hy->proj_w)
            tfl__hybrid_row_sums(hy->proj_w, no, nc, hs.proj_sums);
    }
    for (int grp = 0; grp < groups; ++grp)
        for (int t = 0; t < nt; ++t) {
            const int tr = l->forward ? t : nt - 1 - t;
            const size_t row = l->time_major ? (size_t)tr * nbatch : (size_t)grp * nt + (size_t)tr;
            step(l, x + row * (size_t)l->n_input, aux ? aux + row * (size_t)l->n_aux : NULL, nb,
                 h + (size_t)grp * no, c + (size_t)grp * nc, out + row * out_stride, out_stride,
                 scratch, &hs);
        }
}
