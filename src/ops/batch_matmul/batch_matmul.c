/* BATCH_MATMUL (126): out[..., m, n] = sum over k of lhs[..., m, k] *
 * rhs[..., k, n], lhs read as [..., k, m] with adj_x (option 0) and rhs as
 * [..., n, k] with adj_y (option 1); the batch dimensions broadcast (NumPy
 * rules), ranks 2 to 5 as TFLite. float32 sums each output over k in order
 * (the reference's order, so the same bytes); int8 (per-tensor) sums
 * (lhs - zp) * (rhs - zp) in int32 and rescales by lhs * rhs / output
 * scale; int16 sums in int64 (zero points 0). Reference kernel only (no
 * SIMD record yet).
 *
 * Hybrid (dynamic range: float32 lhs and output, int8 rhs as TFLite's
 * EvalHybrid): each lhs row of k values is quantized to int8 on the fly,
 * symmetric or asymmetric (option 2, asymmetric_quantize_inputs), the
 * rhs columns are the weight rows (transposed unless adj_y) with their
 * row sums for the asymmetric offset, and
 *   out[i][j] = (float)(q_i . w_j - row_sum_j * offset_i)
 *               * (scale_i * rhs_scale, or scale_i * rhs_scale[j])
 * with one rhs scale, or one per output column (quantized dimension the
 * rhs's column axis). The rhs zero point is ignored, as TFLite does. Each
 * lhs row uses its own scale and offset and each rhs matrix its own row
 * sums; LiteRT's reference indexes them by the sum of the batch indices
 * instead (wrong with two batch dimensions above 1) and computes the row
 * sums once, at the first invoke, even for an rhs that changes. */
#include <stdlib.h>
#include <string.h>

#include "kernels/hybrid.h"
#include "kernels/quant.h"
#include "ops/elementwise.h"
#include "ops/shape_common.h"

#define MAX_RANK 5

typedef struct bmm_data {
    bool adj_x, adj_y;
    int nb; /* output batch dimensions */
    int32_t bdims[MAX_RANK];
    size_t lstride[MAX_RANK], rstride[MAX_RANK]; /* matrices, 0 where broadcast */
    int32_t m, n, k;
    int32_t lhs_offset, rhs_offset, out_offset, mult, act_min, act_max;
    int shift;
    /* Hybrid: float32 lhs, int8 rhs. */
    bool hybrid, asymmetric;
    size_t lhs_mats, rhs_mats; /* matrices in each operand */
    float rhs_scale;
    const float *channel_scale; /* per output column, or NULL */
    size_t q_off, scale_off, offset_off, wt_off, sums_off; /* in the scratch */
} bmm_data;

static tfl_status bmm_init(tfl__ctx *ctx, tfl__node *node)
{
    bmm_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->adj_x = tfl__fb_u8(&node->options, 0, 0) != 0;
    d->adj_y = tfl__fb_u8(&node->options, 1, 0) != 0;
    d->asymmetric = tfl__fb_u8(&node->options, 2, 0) != 0;
    return TFL_OK;
}

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

/* The hybrid operands' checks and the scratch plan: quantized lhs rows,
 * their scales and offsets, the rhs as weight rows [n][k] (unless adj_y
 * stores it so) and their row sums. */
static tfl_status hybrid_prepare(tfl__ctx *ctx, tfl__node *node, bmm_data *d,
                                 const tfl_tensor *a, const tfl_tensor *b)
{
    const int count = b->quant.count;
    if (count < 1 || !(b->scale > 0))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "the int8 rhs of a hybrid matmul is not quantized (scale > 0)");
    const int col_axis = d->adj_y ? b->ndim - 2 : b->ndim - 1;
    if (count > 1 && (b->quant.quantized_dimension != col_axis || count != d->n))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "rhs has %d scales on dimension %d, expected 1 or %d on dimension %d "
                            "(the output columns)",
                            count, b->quant.quantized_dimension, (int)d->n, col_axis);
    for (int c = 0; c < count; ++c)
        if (!(b->quant.scales[c] > 0))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "rhs scale %d is not > 0", c);
    d->hybrid = true;
    d->rhs_scale = b->scale;
    d->channel_scale = count > 1 ? b->quant.scales : NULL;
    d->lhs_mats = d->rhs_mats = 1;
    for (int i = 0; i < a->ndim - 2; ++i)
        d->lhs_mats *= (size_t)a->dims[i];
    for (int i = 0; i < b->ndim - 2; ++i)
        d->rhs_mats *= (size_t)b->dims[i];
    const size_t rows = d->lhs_mats * (size_t)d->m;
    const size_t wsize = d->rhs_mats * (size_t)d->n * (size_t)d->k;
    d->q_off = 0;
    d->scale_off = align16(rows * (size_t)d->k);
    d->offset_off = d->scale_off + align16(rows * sizeof(float));
    d->wt_off = d->offset_off + align16(rows * sizeof(int32_t));
    d->sums_off = d->wt_off + (d->adj_y ? 0 : align16(wsize));
    node->scratch_bytes = d->sums_off + d->rhs_mats * (size_t)d->n * sizeof(int32_t);
    /* adj_x: each worker gathers one lhs column (a row of the product). */
    node->worker_scratch_bytes = d->adj_x ? (size_t)d->k * sizeof(float) : 0;
    return TFL_OK;
}

static tfl_status bmm_prepare(tfl__ctx *ctx, tfl__node *node)
{
    bmm_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!a || !b)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "an input is missing");
    if (a->type != TFL_FLOAT32 && a->type != TFL_INT8 && a->type != TFL_INT16)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int8, int16)",
                            tfl_type_name(a->type));
    d->hybrid = false;
    node->scratch_bytes = node->worker_scratch_bytes = 0;
    const bool hybrid = a->type == TFL_FLOAT32 && b->type == TFL_INT8;
    if (b->type != a->type && !hybrid)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "lhs %s and rhs %s: mixed types are not supported (float32 x int8 "
                            "hybrid is)",
                            tfl_type_name(a->type), tfl_type_name(b->type));
    if ((s = tfl__check_same_type(ctx, node, a, "lhs", out, "output")) != TFL_OK)
        return s;
    if (a->ndim < 2 || b->ndim < 2 || a->ndim > MAX_RANK || b->ndim > MAX_RANK)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "ranks %d and %d: both must be 2 to %d", a->ndim, b->ndim, MAX_RANK);
    const int32_t am = a->dims[a->ndim - 2], ak = a->dims[a->ndim - 1];
    const int32_t bk = b->dims[b->ndim - 2], bn = b->dims[b->ndim - 1];
    d->m = d->adj_x ? ak : am;
    d->k = d->adj_x ? am : ak;
    const int32_t rk = d->adj_y ? bn : bk;
    d->n = d->adj_y ? bk : bn;
    if (rk != d->k)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "lhs contracts %d values, rhs %d", (int)d->k, (int)rk);
    const int na = a->ndim - 2, nbb = b->ndim - 2;
    d->nb = na > nbb ? na : nbb;
    size_t sa = (size_t)am * ak, sb = (size_t)bk * bn;
    int32_t dims[MAX_RANK];
    for (int i = d->nb - 1; i >= 0; --i) {
        const int ia = i - (d->nb - na), ib = i - (d->nb - nbb);
        const int32_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
        if (da != db && da != 1 && db != 1)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "batch dimensions %d and %d do not broadcast", (int)da, (int)db);
        d->bdims[i] = da > db ? da : db;
        d->lstride[i] = da == 1 ? 0 : sa;
        d->rstride[i] = db == 1 ? 0 : sb;
        sa *= (size_t)da;
        sb *= (size_t)db;
        dims[i] = d->bdims[i];
    }
    dims[d->nb] = d->m;
    dims[d->nb + 1] = d->n;
    if ((s = tfl__resize(ctx, node, out, dims, d->nb + 2)) != TFL_OK)
        return s;
    node->work = (uint64_t)tfl__num_elements(out) * (uint64_t)(d->k > 0 ? d->k : 1);
    if (hybrid)
        return hybrid_prepare(ctx, node, d, a, b);
    if (a->type == TFL_FLOAT32)
        return TFL_OK;
    if (!tfl__is_quantized(a) || !tfl__is_quantized(b) || !tfl__is_quantized(out) ||
        !(a->scale > 0) || !(b->scale > 0) || !(out->scale > 0) || a->quant.count > 1 ||
        b->quant.count > 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%s lhs, rhs and output need per-tensor scales > 0",
                            tfl_type_name(a->type));
    if (a->type == TFL_INT16 &&
        (a->zero_point != 0 || b->zero_point != 0 || out->zero_point != 0))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "int16 zero points must be 0");
    d->lhs_offset = -a->zero_point;
    d->rhs_offset = -b->zero_point;
    d->out_offset = out->zero_point;
    d->act_min = a->type == TFL_INT8 ? -128 : -32768;
    d->act_max = a->type == TFL_INT8 ? 127 : 32767;
    const double real = (double)a->scale * (double)b->scale / (double)out->scale;
    return tfl__op_multiplier(ctx, node, "lhs * rhs / output", real, &d->mult, &d->shift);
}

/* out element (bi, i, j): lhs row i and rhs column j of batch bi, whose
 * matrices start at la and lb. */
#define MATMUL(T, ACC, BODY, STORE)                                                                \
    do {                                                                                           \
        const T *A = (const T *)(const void *)a->data, *B = (const T *)(const void *)b->data;      \
        T *O = (T *)(void *)out->data;                                                             \
        for (size_t bi = 0; bi < batches; ++bi) {                                                  \
            size_t la = 0, lb = 0, rest = bi;                                                      \
            for (int x = d->nb - 1; x >= 0; --x) {                                                 \
                const size_t c = rest % (size_t)d->bdims[x];                                       \
                rest /= (size_t)d->bdims[x];                                                       \
                la += c * d->lstride[x];                                                           \
                lb += c * d->rstride[x];                                                           \
            }                                                                                      \
            for (int32_t i = 0; i < d->m; ++i)                                                     \
                for (int32_t j = 0; j < d->n; ++j) {                                               \
                    ACC acc = 0;                                                                   \
                    for (int32_t t = 0; t < d->k; ++t) {                                           \
                        const T u = A[la + (d->adj_x ? (size_t)t * d->m + i                        \
                                                     : (size_t)i * d->k + t)];                     \
                        const T v = B[lb + (d->adj_y ? (size_t)j * d->k + t                        \
                                                     : (size_t)t * d->n + j)];                     \
                        BODY;                                                                      \
                    }                                                                              \
                    O[(bi * (size_t)d->m + (size_t)i) * d->n + j] = STORE;                         \
                }                                                                                  \
        }                                                                                          \
    } while (0)

typedef struct hybrid_job {
    const tfl__ctx *ctx;
    const tfl__node *node;
    const bmm_data *d;
    const float *x; /* lhs [lhs_mats][m][k], or [lhs_mats][k][m] with adj_x */
    const int8_t *w; /* weight rows [rhs_mats][n][k] */
    uint8_t *scratch;
    float *out; /* [batches][m][n] */
} hybrid_job;

/* lhs rows [start, end) of all lhs matrices: TFLite's BatchQuantizeFloats,
 * the scale times the rhs's when it has one. */
static void hybrid_quantize_rows(void *arg, size_t start, size_t end, int worker)
{
    const hybrid_job *j = arg;
    const bmm_data *d = j->d;
    const size_t m = (size_t)d->m, k = (size_t)d->k;
    int8_t *q = (int8_t *)(j->scratch + d->q_off);
    float *scale = (float *)(void *)(j->scratch + d->scale_off);
    int32_t *offset = (int32_t *)(void *)(j->scratch + d->offset_off);
    float *col = d->adj_x ? tfl__worker_scratch(j->ctx, j->node, worker) : NULL;
    for (size_t r = start; r < end; ++r) {
        const float *row = j->x + r * k;
        if (d->adj_x) {
            const float *mat = j->x + (r / m) * m * k; /* [k][m] */
            for (size_t t = 0; t < k; ++t)
                col[t] = mat[t * m + r % m];
            row = col;
        }
        tfl__hybrid_quantize(row, 1, (int)k, d->asymmetric, q + r * k, &scale[r], &offset[r]);
        if (!d->channel_scale)
            scale[r] *= d->rhs_scale;
    }
}

/* Output rows [start, end) of [batches * m]: row i of output batch bi
 * against every weight row of the batch's rhs matrix. */
static void hybrid_out_rows(void *arg, size_t start, size_t end, int worker)
{
    (void)worker;
    const hybrid_job *j = arg;
    const bmm_data *d = j->d;
    const size_t m = (size_t)d->m, n = (size_t)d->n, k = (size_t)d->k;
    const int8_t *q = (const int8_t *)(j->scratch + d->q_off);
    const float *scale = (const float *)(const void *)(j->scratch + d->scale_off);
    const int32_t *offset = (const int32_t *)(const void *)(j->scratch + d->offset_off);
    const int32_t *sums = (const int32_t *)(const void *)(j->scratch + d->sums_off);
    for (size_t r = start; r < end; ++r) {
        size_t la = 0, lb = 0, rest = r / m;
        for (int x = d->nb - 1; x >= 0; --x) {
            const size_t c = rest % (size_t)d->bdims[x];
            rest /= (size_t)d->bdims[x];
            la += c * d->lstride[x];
            lb += c * d->rstride[x];
        }
        const size_t lrow = (m * k > 0 ? la / (m * k) : 0) * m + r % m; /* quantized lhs row */
        const size_t wmat = n * k > 0 ? lb / (n * k) : 0;                 /* rhs matrix */
        float *o = j->out + r * n;
        for (size_t c = 0; c < n; ++c)
            o[c] = 0.0f;
        tfl__hybrid_matvec_acc(j->w + wmat * n * k, (int)n, (int)k, q + lrow * k, &scale[lrow],
                               d->asymmetric ? &offset[lrow] : NULL,
                               d->asymmetric ? sums + wmat * n : NULL, d->channel_scale, 1, o);
    }
}

static void hybrid_eval(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *a,
                        const tfl_tensor *b, tfl_tensor *out, size_t batches)
{
    const bmm_data *d = node->data;
    const size_t n = (size_t)d->n, k = (size_t)d->k;
    uint8_t *scratch = ctx->scratch;
    const int8_t *w = (const int8_t *)b->data;
    if (!d->adj_y) { /* rhs [k][n] per matrix -> weight rows [n][k] */
        int8_t *wt = (int8_t *)(scratch + d->wt_off);
        for (size_t mat = 0; mat < d->rhs_mats; ++mat)
            for (size_t t = 0; t < k; ++t)
                for (size_t c = 0; c < n; ++c)
                    wt[(mat * n + c) * k + t] = w[(mat * k + t) * n + c];
        w = wt;
    }
    if (d->asymmetric)
        for (size_t mat = 0; mat < d->rhs_mats; ++mat)
            tfl__hybrid_row_sums(w + mat * n * k, (int)n, (int)k,
                                 (int32_t *)(void *)(scratch + d->sums_off) + mat * n);
    hybrid_job j = {ctx, node, d, (const float *)(const void *)a->data, w, scratch,
                    (float *)(void *)out->data};
    tfl__parallel_for(ctx, d->lhs_mats * (size_t)d->m, 1, hybrid_quantize_rows, &j);
    tfl__parallel_for(ctx, batches * (size_t)d->m, 1, hybrid_out_rows, &j);
}

static tfl_status bmm_eval(tfl__ctx *ctx, tfl__node *node)
{
    const bmm_data *d = node->data;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    size_t batches = 1;
    for (int x = 0; x < d->nb; ++x)
        batches *= (size_t)d->bdims[x];
    if (d->hybrid) {
        hybrid_eval(ctx, node, a, b, out, batches);
        return TFL_OK;
    }
    switch (a->type) {
    case TFL_FLOAT32: MATMUL(float, float, acc += u * v, acc); break;
    case TFL_INT8:
        MATMUL(int8_t, uint32_t, acc += (uint32_t)((u + d->lhs_offset) * (v + d->rhs_offset)),
               (int8_t)tfl__clamp_i32(tfl__mbqm((int32_t)acc, d->mult, d->shift) + d->out_offset,
                                      d->act_min, d->act_max));
        break;
    default:
        MATMUL(int16_t, int64_t, acc += (int64_t)u * v,
               (int16_t)tfl__clamp_i32(tfl__mbqm64(acc, d->mult, d->shift), d->act_min,
                                       d->act_max));
        break;
    }
    return TFL_OK;
}

const tfl__op tfl__op_batch_matmul = {
    .builtin_code = 126,
    .min_version = 1,
    .max_version = 4,
    .init = bmm_init,
    .prepare = bmm_prepare,
    .eval = bmm_eval,
    .free = free,
};
