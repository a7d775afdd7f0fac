/* LOGISTIC (builtin 14) and TANH (28). float32 computes directly; uint8 and
 * int8 read a 256-entry table built at prepare in float (as TFLite's
 * reference kernels); int16 (zero points 0, output scale 2^-15) rescales the
 * input and interpolates TFLite's sigmoid table. */
#include <math.h>
#include <stdlib.h>

#include "kernels/fixedpoint.h"
#include "core/cpu.h"
#include "kernels/lut.h"
#include "ops/activations/activations.h"
#include "ops/elementwise.h"
#include "ops/kernel.h"

typedef enum { K_F32, K_LUT8, K_S16 } kernel_kind;

/* Record kinds: LOGISTIC's, then TANH's (3 + kernel_kind). */
#define KIND(tanh, kind) ((tanh) * 3 + (int)(kind))
#define REF(kind, fn) {#fn, kind, TFL__ISA_REF, 0, NULL, NULL, NULL, NULL, (tfl__kernel_fn)fn, 0}

/* Best first; the reference record of each kind is last. */
const tfl__kernel tfl__logistic_kernels[] = {
#if TFL__X86_SIMD
    {"tfl_logistic_f32__avx512", KIND(0, K_F32), TFL__ISA_AVX512,
     TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL, NULL, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_logistic_f32__avx512, 0},
    {"tfl_tanh_f32__avx512", KIND(1, K_F32), TFL__ISA_AVX512,
     TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL, NULL, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_tanh_f32__avx512, 0},
#endif
    REF(KIND(0, K_F32), tfl_logistic_f32__ref), REF(KIND(0, K_LUT8), tfl_lut8__ref),
    REF(KIND(0, K_S16), tfl_logistic_s16__ref), REF(KIND(1, K_F32), tfl_tanh_f32__ref),
    REF(KIND(1, K_LUT8), tfl_lut8__ref),        REF(KIND(1, K_S16), tfl_tanh_s16__ref),
};
const size_t tfl__logistic_num_kernels =
    sizeof tfl__logistic_kernels / sizeof tfl__logistic_kernels[0];

typedef struct sigmoid_data {
    uint8_t lut[256];
    tfl_sigmoid16_params p16;
    tfl__unary_fn fn;
    const void *params;
} sigmoid_data;

static tfl_status sigmoid_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(sigmoid_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static float logistic_fn(float x, const void *arg)
{
    (void)arg;
    return 1.0f / (1.0f + expf(-x));
}

static float tanh_fn(float x, const void *arg)
{
    (void)arg;
    return tanhf(x);
}

/* int16 input rescale: a power-of-two input scale of 2^-12 (or 2^-11 for
 * TANH) multiplies by 3 << shift; any other scale gets a multiplier in
 * (2^14, 2^15] with a right shift. */
static void setup_s16_input(float scale, int is_tanh, tfl_sigmoid16_params *p)
{
    int log2_scale;
    int pot = tfl__checked_log2(scale, &log2_scale);
    int shift = (15 - 3) + log2_scale;
    pot = pot && (shift == 0 || (is_tanh && shift == 1));
    if (pot) {
        p->mult = 3 << shift;
        p->left_shift = 0;
        return;
    }
    double multiplier = (double)scale * 4096.0 * 3.0;
    shift = 0;
    while (multiplier <= 32767.0 / 2.0 && shift <= 30) {
        ++shift;
        multiplier *= 2.0;
    }
    p->mult = multiplier >= 2147483647.0 ? INT32_MAX : (int32_t)multiplier;
    p->left_shift = shift;
}

static tfl_status sigmoid_prepare(tfl__ctx *ctx, tfl__node *node)
{
    sigmoid_data *d = node->data;
    const int is_tanh = node->builtin_code == 28;
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, in, out)) != TFL_OK)
        return s;
    kernel_kind kind;
    d->params = NULL;
    switch (in->type) {
    case TFL_FLOAT32: kind = K_F32; break;
    case TFL_UINT8:
    case TFL_INT8:
        if (!tfl__is_quantized(in) || !tfl__is_quantized(out) || !(out->scale > 0.0f))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "%s input and output need quantization (scales %g, %g)",
                                tfl_type_name(in->type), (double)in->scale, (double)out->scale);
        if (!is_tanh && out->scale != 1.0f / 256)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output scale %g must be 1/256",
                                (double)out->scale);
        tfl__lut_populate8(in->scale, in->zero_point, out->scale, out->zero_point,
                           in->type == TFL_INT8, is_tanh ? tanh_fn : logistic_fn, NULL, d->lut);
        d->params = d->lut;
        kind = K_LUT8;
        break;
    case TFL_INT16: {
        if (!tfl__is_quantized(in) || !tfl__is_quantized(out) || !(in->scale > 0.0f))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "int16 input and output need quantization (scales %g, %g)",
                                (double)in->scale, (double)out->scale);
        if (in->zero_point != 0 || out->zero_point != 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "int16 zero points must be 0 (got %d, %d)", (int)in->zero_point,
                                (int)out->zero_point);
        int log2_out;
        if (!tfl__checked_log2(out->scale, &log2_out) || log2_out != -15 ||
            (!is_tanh && out->scale != 1.0f / 32768))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "int16 output scale %g must be 2^-15", (double)out->scale);
        setup_s16_input(in->scale, is_tanh, &d->p16);
        d->params = &d->p16;
        kind = K_S16;
        break;
    }
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, uint8, int8, int16)",
                            tfl_type_name(in->type));
    }
    const tfl__kernel *k = tfl__kernel_pick(ctx, tfl__logistic_kernels, tfl__logistic_num_kernels,
                                            KIND(is_tanh, kind), d->params);
    d->fn = (tfl__unary_fn)k->fn; /* a reference record fits every kind */
    return TFL_OK;
}

static tfl_status sigmoid_eval(tfl__ctx *ctx, tfl__node *node)
{
    sigmoid_data *d = node->data;
    tfl__unary_run(ctx, d->fn, d->params, tfl__input(ctx, node, 0), tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_logistic = {
    .builtin_code = 14,
    .min_version = 1,
    .max_version = 3,
    .init = sigmoid_init,
    .prepare = sigmoid_prepare,
    .eval = sigmoid_eval,
    .free = free,
};

const tfl__op tfl__op_tanh = {
    .builtin_code = 28,
    .min_version = 1,
    .max_version = 3,
    .init = sigmoid_init,
    .prepare = sigmoid_prepare,
    .eval = sigmoid_eval,
    .free = free,
};
