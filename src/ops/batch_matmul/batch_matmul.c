/* BATCH_MATMUL (126): out[..., m, n] = sum over k of lhs[..., m, k] *
 * rhs[..., k, n], lhs read as [..., k, m] with adj_x (option 0) and rhs as
 * [..., n, k] with adj_y (option 1); the batch dimensions broadcast (NumPy
 * rules), ranks 2 to 5 as TFLite. float32 sums each output over k in order
 * (the reference's order, so the same bytes); int8 (per-tensor) sums
 * (lhs - zp) * (rhs - zp) in int32 and rescales by lhs * rhs / output
 * scale; int16 sums in int64 (zero points 0). Reference kernel only (no
 * SIMD record yet); hybrid (float lhs, int8 rhs) is not supported. */
#include <stdlib.h>
#include <string.h>

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
} bmm_data;

static tfl_status bmm_init(tfl__ctx *ctx, tfl__node *node)
{
    bmm_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->adj_x = tfl__fb_u8(&node->options, 0, 0) != 0;
    d->adj_y = tfl__fb_u8(&node->options, 1, 0) != 0;
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
    if (b->type != a->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "lhs %s and rhs %s: mixed (hybrid) types are not supported",
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

static tfl_status bmm_eval(tfl__ctx *ctx, tfl__node *node)
{
    const bmm_data *d = node->data;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    size_t batches = 1;
    for (int x = 0; x < d->nb; ++x)
        batches *= (size_t)d->bdims[x];
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
