/* MATRIX_DIAG (113): [..., n] -> [..., n, n] with the input on the main
 * diagonal and zeros elsewhere. MATRIX_SET_DIAG (115): the input [..., r, c]
 * with its main diagonal replaced by the diagonal input [..., min(r, c)].
 * float32, int8, uint8, int16, int32, int64: TFLite's list. TFLite runs any
 * other type as float32 (reading past a narrower one) and never checks the
 * diagonal's type or shape (reading past a short one); tfl refuses them. */
#include <string.h>

#include "ops/shape_common.h"

static tfl_status check_type(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *in)
{
    if (in->type != TFL_FLOAT32 && in->type != TFL_INT8 && in->type != TFL_UINT8 &&
        in->type != TFL_INT16 && in->type != TFL_INT32 && in->type != TFL_INT64)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int8, uint8, int16, int32, int64)",
                            tfl_type_name(in->type));
    return TFL_OK;
}

static tfl_status diag_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = check_type(ctx, node, in)) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK)
        return s;
    if (in->ndim < 1 || in->ndim >= TFL_MAX_DIMS)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input rank %d not in [1, %d]",
                            in->ndim, TFL_MAX_DIMS - 1);
    int32_t dims[TFL_MAX_DIMS];
    memcpy(dims, in->dims, sizeof(int32_t) * (size_t)in->ndim);
    dims[in->ndim] = in->dims[in->ndim - 1];
    return tfl__resize(ctx, node, out, dims, in->ndim + 1);
}

/* out = base (or zeros when base is NULL) with diag on each matrix's main
 * diagonal; out has rank >= 2. */
static void fill_diag(const tfl_tensor *base, const tfl_tensor *diag, tfl_tensor *out)
{
    if (out->bytes == 0)
        return;
    const size_t es = tfl_type_size(out->type);
    const size_t rows = (size_t)out->dims[out->ndim - 2], cols = (size_t)out->dims[out->ndim - 1];
    const size_t batch = tfl__dims_product(out->dims, 0, out->ndim - 2);
    const size_t n = rows < cols ? rows : cols;
    if (base)
        memmove(out->data, base->data, out->bytes);
    else
        memset(out->data, 0, out->bytes);
    const uint8_t *dg = diag->data;
    uint8_t *y = out->data;
    for (size_t b = 0; b < batch; ++b)
        for (size_t i = 0; i < n; ++i)
            memcpy(y + ((b * rows + i) * cols + i) * es, dg + (b * n + i) * es, es);
}

static tfl_status diag_eval(tfl__ctx *ctx, tfl__node *node)
{
    fill_diag(NULL, tfl__input(ctx, node, 0), tfl__output(ctx, node, 0));
    return TFL_OK;
}

static tfl_status set_diag_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *diag = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in || !diag)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is missing",
                            in ? "diagonal" : "input");
    if ((s = check_type(ctx, node, in)) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", diag, "diagonal")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK)
        return s;
    if (in->ndim < 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input rank %d is below 2", in->ndim);
    const int32_t r = in->dims[in->ndim - 2], c = in->dims[in->ndim - 1];
    bool ok = diag->ndim == in->ndim - 1 && diag->dims[diag->ndim - 1] == (r < c ? r : c);
    for (int i = 0; ok && i < in->ndim - 2; ++i)
        ok = diag->dims[i] == in->dims[i];
    if (!ok)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "diagonal shape must be the input's batch dims and min(%d, %d)", r, c);
    return tfl__resize(ctx, node, out, in->dims, in->ndim);
}

static tfl_status set_diag_eval(tfl__ctx *ctx, tfl__node *node)
{
    fill_diag(tfl__input(ctx, node, 0), tfl__input(ctx, node, 1), tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_matrix_diag = {
    .builtin_code = 113,
    .min_version = 1,
    .max_version = 1,
    .prepare = diag_prepare,
    .eval = diag_eval,
};

const tfl__op tfl__op_matrix_set_diag = {
    .builtin_code = 115,
    .min_version = 1,
    .max_version = 1,
    .prepare = set_diag_prepare,
    .eval = set_diag_eval,
};
