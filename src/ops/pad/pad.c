/* PAD (builtin 34) and PADV2 (builtin 60), which TFLite runs with one
 * kernel: pads each dimension by the [rank, 2] paddings tensor (int8 to
 * int64). The padding element is the optional constant_values input, else the
 * output zero point for quantized types, else zero. Computed paddings make
 * the output sized at eval. */
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"
#include "ops/pad/pad.h"
#include "ops/shape_common.h"

/* Best first: a kernel serves element size `esize` (0: any); the reference
 * kernel is last and always usable. */
static const struct {
    size_t esize;
    tfl_pad_fn fn;
} kernels[] = {
    {0, tfl_pad_any__ref},
};

static tfl_pad_fn pick_kernel(size_t esize)
{
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; ++i)
        if (kernels[i].esize == 0 || kernels[i].esize == esize)
            return kernels[i].fn;
    return tfl_pad_any__ref;
}

typedef struct pad_data {
    tfl_pad_params p;
    tfl_pad_fn fn; /* picked at prepare */
} pad_data;

static tfl_status pad_init(tfl__ctx *ctx, tfl__node *node)
{
    pad_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    return TFL_OK;
}

static void pad_free(void *data)
{
    free(data);
}

static bool is_quantized(const tfl_tensor *t)
{
    return t->scale != 0.0f || t->quant.count > 0;
}

/* The padding element, as TFLite's Pad eval picks it; constant_values data
 * is read only when read_cv is set (it has data). */
static tfl_status pad_value(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *in,
                            const tfl_tensor *cv, const tfl_tensor *out, bool read_cv,
                            tfl_pad_params *p)
{
    memset(p->value, 0, sizeof p->value);
    bool quant = in->type == TFL_UINT8 ||
                 ((in->type == TFL_INT8 || in->type == TFL_INT16) && is_quantized(in));
    if (cv) {
        if (quant && (cv->zero_point != out->zero_point || cv->scale != out->scale))
            return tfl__check_same_quant(ctx, node, out, "output", cv, "constant_values");
        if (read_cv && cv->data)
            memcpy(p->value, cv->data, p->esize);
    } else if (quant) {
        int32_t lo = in->type == TFL_UINT8 ? 0 : (in->type == TFL_INT8 ? -128 : -32768);
        int32_t hi = in->type == TFL_UINT8 ? 255 : (in->type == TFL_INT8 ? 127 : 32767);
        int32_t zp = out->zero_point;
        if (zp < lo || zp > hi)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "output zero point %d is outside the %s range", (int)zp,
                                tfl_type_name(in->type));
        if (in->type == TFL_INT16) {
            int16_t v = (int16_t)zp;
            memcpy(p->value, &v, 2);
        } else {
            p->value[0] = (uint8_t)zp;
        }
    }
    p->value_is_zero = 1;
    for (size_t i = 0; i < p->esize; ++i)
        if (p->value[i])
            p->value_is_zero = 0;
    return TFL_OK;
}

/* Reads the paddings and sizes the output. */
static tfl_status resize_output(tfl__ctx *ctx, tfl__node *node)
{
    pad_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *pads = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    tfl_status bad = tfl__data_status(pads);
    tfl_pad_params *p = &d->p;
    int32_t out_dims[TFL_MAX_DIMS];
    for (int k = 0; k < in->ndim; ++k) {
        int64_t before = tfl__int_at(pads, 2 * (size_t)k);
        int64_t after = tfl__int_at(pads, 2 * (size_t)k + 1);
        if (before < 0 || after < 0)
            return tfl__op_fail(ctx, node, bad,
                                "paddings of dimension %d are (%lld, %lld), expected >= 0", k,
                                (long long)before, (long long)after);
        int64_t size = (int64_t)in->dims[k] + before + after;
        if (size > INT32_MAX)
            return tfl__op_fail(ctx, node, bad, "padded dimension %d is too large (%lld)", k,
                                (long long)size);
        out_dims[k] = (int32_t)size;
        p->before[k] = (int32_t)before;
        p->in_dims[k] = in->dims[k];
    }
    p->ndim = in->ndim;
    if (p->ndim == 0) {
        /* A scalar is a one-element row. */
        p->ndim = 1;
        p->in_dims[0] = 1;
        p->before[0] = 0;
        p->out_dims[0] = 1;
    } else {
        memcpy(p->out_dims, out_dims, sizeof out_dims);
    }
    /* A last dimension without padding joins the one before it (NHWC with
     * padded H and W: rows become whole W * C image rows), so the kernel
     * copies fewer, longer rows. The element order is unchanged. */
    while (p->ndim > 1 && p->before[p->ndim - 1] == 0 &&
           p->in_dims[p->ndim - 1] == p->out_dims[p->ndim - 1] && p->in_dims[p->ndim - 1] > 0 &&
           (int64_t)p->out_dims[p->ndim - 2] * p->out_dims[p->ndim - 1] <= INT32_MAX) {
        const int k = p->ndim - 1;
        p->in_dims[k - 1] *= p->in_dims[k];
        p->out_dims[k - 1] *= p->out_dims[k];
        p->before[k - 1] *= p->in_dims[k];
        p->ndim = k;
    }
    return tfl__resize(ctx, node, out, out_dims, in->ndim);
}

static tfl_status pad_prepare(tfl__ctx *ctx, tfl__node *node)
{
    pad_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 3, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *pads = tfl__input(ctx, node, 1);
    const tfl_tensor *cv = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, pads, "paddings",
                                     1u << TFL_INT8 | 1u << TFL_INT16 | 1u << TFL_INT32 |
                                         1u << TFL_INT64)) != TFL_OK)
        return s;
    char b[64];
    if (pads->ndim != 2 || pads->dims[0] != in->ndim || pads->dims[1] != 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "paddings %s must have shape [%d, 2] (input rank, before/after)",
                            tfl__describe(pads, b, sizeof b), in->ndim);
    if (cv) {
        if ((s = tfl__check_same_type(ctx, node, in, "input", cv, "constant_values")) != TFL_OK)
            return s;
        if (tfl__num_elements(cv) != 1)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "constant_values %s must have one element",
                                tfl__describe(cv, b, sizeof b));
    }
    d->p.esize = tfl_type_size(in->type);
    d->fn = pick_kernel(d->p.esize);
    if (d->p.esize > sizeof d->p.value)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "input type %s not supported",
                            tfl_type_name(in->type));
    /* Checks the quantization now; a computed constant_values is read again
     * at eval. */
    if ((s = pad_value(ctx, node, in, cv, out, tfl__is_const(cv), &d->p)) != TFL_OK)
        return s;
    if (!tfl__is_const(pads)) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return resize_output(ctx, node);
}

typedef struct pad_job {
    const tfl_pad_params *p;
    const void *in;
    void *out;
    tfl_pad_fn fn;
} pad_job;

static void pad_rows(void *arg, size_t start, size_t end, int worker)
{
    const pad_job *j = arg;
    j->fn(j->p, j->in, j->out, start, end);
}

static tfl_status pad_eval(tfl__ctx *ctx, tfl__node *node)
{
    pad_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *cv = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    tfl_status s;
    if (!tfl__is_const(tfl__input(ctx, node, 1)) && (s = resize_output(ctx, node)) != TFL_OK)
        return s;
    if (cv && !tfl__is_const(cv) && (s = pad_value(ctx, node, in, cv, out, true, &d->p)) != TFL_OK)
        return s;
    size_t rows = tfl__dims_product(d->p.out_dims, 0, d->p.ndim - 1);
    size_t row_bytes = (size_t)d->p.out_dims[d->p.ndim - 1] * d->p.esize;
    if (row_bytes == 0)
        return TFL_OK;
    pad_job j = {&d->p, in->data, out->data, d->fn};
    tfl__parallel_for(ctx, rows, tfl__rows_per_chunk(row_bytes), pad_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_pad = {
    .builtin_code = 34,
    .min_version = 1,
    .max_version = 5,
    .init = pad_init,
    .prepare = pad_prepare,
    .eval = pad_eval,
    .free = pad_free,
};

const tfl__op tfl__op_padv2 = {
    .builtin_code = 60,
    .min_version = 1,
    .max_version = 5,
    .init = pad_init,
    .prepare = pad_prepare,
    .eval = pad_eval,
    .free = pad_free,
};
