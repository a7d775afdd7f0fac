/* CONCATENATION (builtin 2): joins inputs along an axis. uint8 (and, beyond
 * TFLite, int8) inputs whose scale or zero point differs from the output's
 * are requantized as TFLite's ConcatenationWithScaling does; float32 accepts
 * a fused activation (TFLite rejects any). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ops/concatenation/concatenation.h"
#include "ops/op.h"
#include "ops/shape_common.h"

/* ConcatenationOptions fields (schema order). */
enum { F_AXIS = 0, F_ACTIVATION = 1 };

typedef enum { K_ANY, K_F32_CLAMP, K_U8_REQUANT, K_S8_REQUANT } kernel_kind;

/* Best first; the reference kernel of each kind is last and always usable. */
static const struct {
    kernel_kind kind;
    tfl_concatenation_fn fn;
} kernels[] = {
    {K_ANY, tfl_concatenation_any__ref},
    {K_F32_CLAMP, tfl_concatenation_f32__ref},
    {K_U8_REQUANT, tfl_concatenation_u8__ref},
    {K_S8_REQUANT, tfl_concatenation_s8__ref},
};

typedef struct concat_data {
    int axis; /* as written; may be negative */
    int activation;
    int n; /* inputs */
    tfl_concatenation_params p;
    tfl_concatenation_fn fn;
    size_t outer;
    size_t *chunk;
    uint8_t *requant;
    float *scale, *bias;
    const void **ptrs; /* input data, gathered at eval */
} concat_data;

static void concat_free(void *data)
{
    concat_data *d = data;
    if (!d)
        return;
    free(d->chunk);
    free(d->requant);
    free(d->scale);
    free(d->bias);
    free(d->ptrs);
    free(d);
}

static tfl_status concat_init_data(tfl__ctx *ctx, tfl__node *node)
{
    concat_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->axis = tfl__fb_i32(&node->options, F_AXIS, 0);
    d->activation = tfl__fb_i8(&node->options, F_ACTIVATION, 0);
    d->n = node->num_inputs;
    size_t n = d->n > 0 ? (size_t)d->n : 1;
    d->chunk = calloc(n, sizeof *d->chunk);
    d->requant = calloc(n, sizeof *d->requant);
    d->scale = calloc(n, sizeof *d->scale);
    d->bias = calloc(n, sizeof *d->bias);
    d->ptrs = calloc(n, sizeof *d->ptrs);
    if (!d->chunk || !d->requant || !d->scale || !d->bias || !d->ptrs)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

/* Per-input rescaling for uint8/int8 (ConcatenationWithScaling: the scale
 * ratio uses the float reciprocal of the output scale). */
static tfl_status setup_requant(tfl__ctx *ctx, tfl__node *node, concat_data *d,
                                const tfl_tensor *out, bool *any)
{
    *any = false;
    const float inv = out->scale > 0.0f ? 1.0f / out->scale : 0.0f;
    for (int i = 0; i < d->n; ++i) {
        const tfl_tensor *t = tfl__input(ctx, node, i);
        d->requant[i] = t->zero_point != out->zero_point || t->scale != out->scale;
        if (!d->requant[i])
            continue;
        if (!(out->scale > 0.0f) || !(t->scale > 0.0f))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "input %d scale %g cannot be rescaled to output scale %g", i,
                                (double)t->scale, (double)out->scale);
        d->scale[i] = t->scale * inv;
        d->bias[i] = (float)(-t->zero_point) * d->scale[i];
        *any = true;
    }
    return TFL_OK;
}

static tfl_status concat_prepare(tfl__ctx *ctx, tfl__node *node)
{
    concat_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 1, INT_MAX, 1);
    if (s != TFL_OK)
        return s;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const tfl_tensor *t0 = tfl__input(ctx, node, 0);
    for (int i = 0; i < d->n; ++i)
        if (!tfl__input(ctx, node, i))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %d is missing", i);
    if ((s = tfl__check_movable(ctx, node, t0, "input 0")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, t0, "input 0", out, "output")) != TFL_OK)
        return s;
    const int rank = t0->ndim;
    int axis = 0;
    if (rank > 0 && (s = tfl__normalize_axis(ctx, node, TFL_ERROR_BAD_MODEL, "axis", d->axis, rank,
                                             &axis)) != TFL_OK)
        return s;
    if (rank == 0 && d->axis != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "axis %d is out of range for scalar inputs (expected 0)", d->axis);

    char b1[64], b2[64];
    int64_t axis_sum = 0;
    for (int i = 0; i < d->n; ++i) {
        const tfl_tensor *t = tfl__input(ctx, node, i);
        if (t->type != t0->type)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "input %d type %s does not match input 0 type %s", i,
                                tfl_type_name(t->type), tfl_type_name(t0->type));
        if (t->ndim != rank)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "input %d %s has rank %d, input 0 %s has rank %d", i,
                                tfl__describe(t, b1, sizeof b1), t->ndim,
                                tfl__describe(t0, b2, sizeof b2), rank);
        for (int k = 0; k < rank; ++k)
            if (k != axis && t->dims[k] != t0->dims[k])
                return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                    "input %d %s does not match input 0 %s in dimension %d "
                                    "(only axis %d may differ)",
                                    i, tfl__describe(t, b1, sizeof b1),
                                    tfl__describe(t0, b2, sizeof b2), k, axis);
        axis_sum += rank > 0 ? t->dims[axis] : 1;
        if (axis_sum > INT32_MAX)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "concatenated dimension is too large");
    }

    /* Activation: float only (TFLite accepts none at all). */
    tfl_concatenation_params *p = &d->p;
    memset(p, 0, sizeof *p);
    bool clamp = false;
    if (d->activation != TFL__ACT_NONE) {
        if (t0->type != TFL_FLOAT32)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "fused activation %d not supported for %s inputs", d->activation,
                                tfl_type_name(t0->type));
        if ((s = tfl__act_range_f32(ctx, node, d->activation, &p->act_min, &p->act_max)) != TFL_OK)
            return s;
        clamp = true;
    }

    bool requant = false;
    if (t0->type == TFL_UINT8 || t0->type == TFL_INT8) {
        if ((s = setup_requant(ctx, node, d, out, &requant)) != TFL_OK)
            return s;
    } else if (t0->type == TFL_INT16) {
        /* TFLite copies int16 without rescaling; it only insists on zero
         * points of 0. */
        for (int i = 0; i < d->n; ++i) {
            const tfl_tensor *t = tfl__input(ctx, node, i);
            if (t->zero_point != 0)
                return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                    "int16 input %d zero point %d, expected 0", i,
                                    (int)t->zero_point);
        }
        if (out->zero_point != 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "int16 output zero point %d, expected 0", (int)out->zero_point);
    }

    int32_t dims[TFL_MAX_DIMS];
    int out_rank = rank > 0 ? rank : 1;
    for (int k = 0; k < rank; ++k)
        dims[k] = t0->dims[k];
    dims[rank > 0 ? axis : 0] = (int32_t)axis_sum;

    size_t inner = rank > 0 ? tfl__dims_product(t0->dims, axis + 1, rank) : 1;
    d->outer = rank > 0 ? tfl__dims_product(t0->dims, 0, axis) : 1;
    p->num_inputs = d->n;
    p->esize = tfl_type_size(t0->type);
    p->chunk = d->chunk;
    p->out_chunk = 0;
    for (int i = 0; i < d->n; ++i) {
        const tfl_tensor *t = tfl__input(ctx, node, i);
        d->chunk[i] = (rank > 0 ? (size_t)t->dims[axis] : 1) * inner;
        p->out_chunk += d->chunk[i];
    }
    p->requant = d->requant;
    p->scale = d->scale;
    p->bias = d->bias;
    p->out_zero_point = out->zero_point;
    kernel_kind kind = K_ANY;
    if (requant)
        kind = t0->type == TFL_UINT8 ? K_U8_REQUANT : K_S8_REQUANT;
    else if (clamp)
        kind = K_F32_CLAMP;
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].kind == kind)
            d->fn = kernels[i].fn;
    return tfl__resize(ctx, node, out, dims, out_rank);
}

typedef struct concat_job {
    const tfl_concatenation_params *p;
    tfl_concatenation_fn fn;
    const void *const *ptrs;
    void *out;
} concat_job;

static void concat_rows(void *arg, size_t start, size_t end, int worker)
{
    const concat_job *j = arg;
    j->fn(j->p, j->ptrs, j->out, start, end);
}

void tfl__concatenation_run(tfl__ctx *ctx, const tfl__node *node, tfl_concatenation_fn fn,
                            const tfl_concatenation_params *p, const void **ptrs, size_t outer)
{
    for (int i = 0; i < p->num_inputs; ++i)
        ptrs[i] = tfl__input(ctx, node, i)->data;
    concat_job j = {p, fn, ptrs, tfl__output(ctx, node, 0)->data};
    if (p->out_chunk == 0)
        return;
    tfl__parallel_for(ctx, outer, tfl__rows_per_chunk(p->out_chunk * p->esize), concat_rows, &j);
}

static tfl_status concat_eval(tfl__ctx *ctx, tfl__node *node)
{
    concat_data *d = node->data;
    tfl__concatenation_run(ctx, node, d->fn, &d->p, d->ptrs, d->outer);
    return TFL_OK;
}

/* The interpreter frees node data only after a successful init, so a
 * failed init releases its own. */
static tfl_status concat_init(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = concat_init_data(ctx, node);
    if (s != TFL_OK) {
        concat_free(node->data);
        node->data = NULL;
    }
    return s;
}

const tfl__op tfl__op_concatenation = {
    .builtin_code = 2,
    .min_version = 1,
    .max_version = 4,
    .init = concat_init,
    .prepare = concat_prepare,
    .eval = concat_eval,
    .free = concat_free,
};
