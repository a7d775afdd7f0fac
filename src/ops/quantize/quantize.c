/* QUANTIZE (builtin 114): float32 to uint8/int8/int16 (per tensor, or per
 * channel along the output's quantized dimension), and requantization
 * uint8/int8 -> uint8/int8/int16, int16 -> int8/int16/int32 and
 * int32 -> int8/int16 with TFLite's fixed-point multiplier. */
#include <math.h>
#include <stdlib.h>

#include "kernels/quant.h"
#include "ops/elementwise.h"
#include "core/cpu.h"
#include "ops/quantize/quantize.h"

#define REF(in, out, pc, fn)                                                                       \
    {#fn, (int)(in) << 8 | (int)(out) << 1 | (pc), TFL__ISA_REF, 0, NULL, NULL, NULL, NULL,        \
     (tfl__kernel_fn)fn, 0}

/* Best first; the reference record of each conversion is last. */
const tfl__kernel tfl__quantize_kernels[] = {
#if TFL__X86_SIMD
#define VBMI(in, out)                                                                              \
    {"tfl_quantize_q8_q8__vbmi", (int)(in) << 8 | (int)(out) << 1, TFL__ISA_AVX512,                \
     TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL |                    \
         TFL__CPU_AVX512VBMI,                                                                      \
     NULL, NULL, NULL, NULL, (tfl__kernel_fn)tfl_quantize_q8_q8__vbmi, 0}
    VBMI(TFL_UINT8, TFL_UINT8),
    VBMI(TFL_UINT8, TFL_INT8),
    VBMI(TFL_INT8, TFL_UINT8),
    VBMI(TFL_INT8, TFL_INT8),
    {"tfl_quantize_f32_u8__avx2", TFL_FLOAT32 << 8 | TFL_UINT8 << 1, TFL__ISA_AVX2, TFL__CPU_AVX2,
     NULL, NULL, NULL, NULL, (tfl__kernel_fn)tfl_quantize_f32_u8__avx2, 0},
    {"tfl_quantize_f32_s8__avx2", TFL_FLOAT32 << 8 | TFL_INT8 << 1, TFL__ISA_AVX2, TFL__CPU_AVX2,
     NULL, NULL, NULL, NULL, (tfl__kernel_fn)tfl_quantize_f32_s8__avx2, 0},
#define AVX2(in, out, fn)                                                                          \
    {#fn, (int)(in) << 8 | (int)(out) << 1, TFL__ISA_AVX2, TFL__CPU_AVX2, NULL, NULL, NULL, NULL,  \
     (tfl__kernel_fn)fn, 0}
    AVX2(TFL_UINT8, TFL_UINT8, tfl_quantize_u8_u8__avx2),
    AVX2(TFL_UINT8, TFL_INT8, tfl_quantize_u8_s8__avx2),
    AVX2(TFL_INT8, TFL_UINT8, tfl_quantize_s8_u8__avx2),
    AVX2(TFL_INT8, TFL_INT8, tfl_quantize_s8_s8__avx2),
#endif
    REF(TFL_FLOAT32, TFL_UINT8, 0, tfl_quantize_f32_u8__ref),
    REF(TFL_FLOAT32, TFL_INT8, 0, tfl_quantize_f32_s8__ref),
    REF(TFL_FLOAT32, TFL_INT16, 0, tfl_quantize_f32_s16__ref),
    REF(TFL_FLOAT32, TFL_UINT8, 1, tfl_quantize_pc_f32_u8__ref),
    REF(TFL_FLOAT32, TFL_INT8, 1, tfl_quantize_pc_f32_s8__ref),
    REF(TFL_FLOAT32, TFL_INT16, 1, tfl_quantize_pc_f32_s16__ref),
    REF(TFL_UINT8, TFL_UINT8, 0, tfl_quantize_u8_u8__ref),
    REF(TFL_UINT8, TFL_INT8, 0, tfl_quantize_u8_s8__ref),
    REF(TFL_UINT8, TFL_INT16, 0, tfl_quantize_u8_s16__ref),
    REF(TFL_INT8, TFL_UINT8, 0, tfl_quantize_s8_u8__ref),
    REF(TFL_INT8, TFL_INT8, 0, tfl_quantize_s8_s8__ref),
    REF(TFL_INT8, TFL_INT16, 0, tfl_quantize_s8_s16__ref),
    REF(TFL_INT16, TFL_INT8, 0, tfl_quantize_s16_s8__ref),
    REF(TFL_INT16, TFL_INT16, 0, tfl_quantize_s16_s16__ref),
    REF(TFL_INT16, TFL_INT32, 0, tfl_quantize_s16_s32__ref),
    REF(TFL_INT32, TFL_INT8, 0, tfl_quantize_s32_s8__ref),
    REF(TFL_INT32, TFL_INT16, 0, tfl_quantize_s32_s16__ref),
};
const size_t tfl__quantize_num_kernels = sizeof tfl__quantize_kernels / sizeof tfl__quantize_kernels[0];

typedef struct quantize_data {
    tfl_quantize_params p;
    tfl_quantize_fn fn;
} quantize_data;

static tfl_status quantize_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(quantize_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static tfl_status check_scale(tfl__ctx *ctx, const tfl__node *node, const char *role,
                              const tfl_tensor *t)
{
    if (!tfl__is_quantized(t) || !(t->scale > 0.0f) || !isfinite(t->scale))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s (%s) needs a positive scale", role,
                            tfl_type_name(t->type));
    return TFL_OK;
}

static tfl_status quantize_prepare(tfl__ctx *ctx, tfl__node *node)
{
    quantize_data *d = node->data;
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    tfl_quantize_params *p = &d->p;
    if (!tfl__is_quantized(out))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output (%s) has no quantization",
                            tfl_type_name(out->type));
    int per_channel = 0;
    if (in->type == TFL_FLOAT32) {
        /* Scales are used as given (TFLite does not check them either). */
        p->scale = out->scale;
        p->zero_point = out->zero_point;
        if (out->quant.count > 1) {
            int qd = out->quant.quantized_dimension;
            if (qd < 0 || qd >= out->ndim || out->dims[qd] != out->quant.count)
                return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                    "%d per-channel scales do not match dimension %d of the "
                                    "output",
                                    out->quant.count, qd);
            per_channel = 1;
            p->scales = out->quant.scales;
            p->zero_points = out->quant.zero_points;
            p->channels = (size_t)out->quant.count;
            p->inner = 1;
            for (int i = qd + 1; i < out->ndim; ++i)
                p->inner *= (size_t)out->dims[i];
        }
    } else {
        if ((s = check_scale(ctx, node, "input", in)) != TFL_OK ||
            (s = check_scale(ctx, node, "output", out)) != TFL_OK)
            return s;
        if (in->type == TFL_INT16 && out->type == TFL_INT16 &&
            (in->zero_point != 0 || out->zero_point != 0))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "int16 zero points must be 0 (got %d, %d)", (int)in->zero_point,
                                (int)out->zero_point);
        if ((s = tfl__op_multiplier(ctx, node, "input/output",
                                    (double)in->scale / (double)out->scale, &p->mult,
                                    &p->shift)) != TFL_OK)
            return s;
        p->in_zp = in->zero_point;
        p->out_zp = out->zero_point;
    }
    const int kind = tfl_quantize_kind(in->type, out->type, per_channel);
    const bool bytes = (in->type == TFL_UINT8 || in->type == TFL_INT8) &&
                       (out->type == TFL_UINT8 || out->type == TFL_INT8);
    if (bytes) /* the lookup record's table, from the reference record */
        for (size_t i = 0; i < tfl__quantize_num_kernels; ++i)
            if (tfl__quantize_kernels[i].kind == kind &&
                tfl__quantize_kernels[i].isa == TFL__ISA_REF)
                tfl_quantize_fill_lut8(p, (tfl_quantize_fn)tfl__quantize_kernels[i].fn);
    const tfl__kernel *k =
        tfl__kernel_pick(ctx, tfl__quantize_kernels, tfl__quantize_num_kernels, kind, p);
    d->fn = k ? (tfl_quantize_fn)k->fn : NULL;
    if (!d->fn)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "%s to %s not supported",
                            tfl_type_name(in->type), tfl_type_name(out->type));
    return TFL_OK;
}

static tfl_status quantize_eval(tfl__ctx *ctx, tfl__node *node)
{
    quantize_data *d = node->data;
    tfl__unary_run(ctx, d->fn, &d->p, tfl__input(ctx, node, 0), tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_quantize = {
    .builtin_code = 114,
    .min_version = 1,
    .max_version = 6,
    .init = quantize_init,
    .prepare = quantize_prepare,
    .eval = quantize_eval,
    .free = free,
};
