/* COMPLEX_ABS (135), REAL (134) and IMAG (133): magnitude, real part and
 * imaginary part of each element; complex64 -> float32 and complex128 ->
 * float64, same shape. */
#include <stdint.h>
#include <stdlib.h>

#include "ops/complex_abs/complex_abs.h"
#include "ops/elementwise.h"

enum { OP_IMAG = 133, OP_REAL = 134, OP_ABS = 135 };

/* Best first; the reference kernel of each (op, input type) is last. */
static const struct {
    int op;
    tfl_type type;
    tfl__unary_fn fn;
} kernels[] = {
    {OP_ABS, TFL_COMPLEX64, tfl_complex_abs_c64__ref},
    {OP_ABS, TFL_COMPLEX128, tfl_complex_abs_c128__ref},
    {OP_REAL, TFL_COMPLEX64, tfl_real_c64__ref},
    {OP_REAL, TFL_COMPLEX128, tfl_real_c128__ref},
    {OP_IMAG, TFL_COMPLEX64, tfl_imag_c64__ref},
    {OP_IMAG, TFL_COMPLEX128, tfl_imag_c128__ref},
};

typedef struct complex_data {
    tfl__unary_fn fn;
} complex_data;

static tfl_status complex_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(complex_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static tfl_status complex_prepare(tfl__ctx *ctx, tfl__node *node)
{
    complex_data *d = node->data;
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    tfl_type want;
    switch (in->type) {
    case TFL_COMPLEX64: want = TFL_FLOAT32; break;
    case TFL_COMPLEX128: want = TFL_FLOAT64; break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input type %s not supported (complex64, complex128)",
                            tfl_type_name(in->type));
    }
    if (out->type != want)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output type %s does not match input type %s (expected %s)",
                            tfl_type_name(out->type), tfl_type_name(in->type), tfl_type_name(want));
    d->fn = NULL;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0] && !d->fn; ++i)
        if (kernels[i].op == node->builtin_code && kernels[i].type == in->type)
            d->fn = kernels[i].fn;
    if (!d->fn)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "builtin code %d not handled",
                            node->builtin_code);
    return TFL_OK;
}

static tfl_status complex_eval(tfl__ctx *ctx, tfl__node *node)
{
    const complex_data *d = node->data;
    tfl__unary_run(ctx, d->fn, NULL, tfl__input(ctx, node, 0), tfl__output(ctx, node, 0));
    return TFL_OK;
}

#define COMPLEX_OP(SYM, CODE)                                                                      \
    const tfl__op tfl__op_##SYM = {                                                                \
        .builtin_code = CODE,                                                                      \
        .min_version = 1,                                                                          \
        .max_version = 1,                                                                          \
        .init = complex_init,                                                                      \
        .prepare = complex_prepare,                                                                \
        .eval = complex_eval,                                                                      \
        .free = free,                                                                              \
    }

COMPLEX_OP(complex_abs, OP_ABS);
COMPLEX_OP(real, OP_REAL);
COMPLEX_OP(imag, OP_IMAG);
