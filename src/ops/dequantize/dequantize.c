/* DEQUANTIZE (builtin 6): uint8/int8/int16 to float32 with the input's scale
 * and zero point (per channel for uint8/int8), and float16 to float32. */
#include <stdlib.h>

#include "core/cpu.h"
#include "ops/dequantize/dequantize.h"
#include "ops/elementwise.h"

#define K TFL_DEQUANTIZE_KIND
#define REF(kind, fn) {#fn, kind, TFL__ISA_REF, 0, NULL, NULL, NULL, NULL, (tfl__kernel_fn)fn, 0}

/* Best first; the reference record of each conversion is last. */
const tfl__kernel tfl__dequantize_kernels[] = {
#if TFL__X86_SIMD
    {"tfl_dequantize_f16__avx512", K(TFL_FLOAT16, 0), TFL__ISA_AVX512,
     TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL, NULL, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_dequantize_f16__avx512, 0},
#endif
    REF(K(TFL_UINT8, 0), tfl_dequantize_u8__ref),    REF(K(TFL_INT8, 0), tfl_dequantize_s8__ref),
    REF(K(TFL_INT16, 0), tfl_dequantize_s16__ref),   REF(K(TFL_UINT8, 1), tfl_dequantize_pc_u8__ref),
    REF(K(TFL_INT8, 1), tfl_dequantize_pc_s8__ref),  REF(K(TFL_FLOAT16, 0), tfl_dequantize_f16__ref),
};
const size_t tfl__dequantize_num_kernels =
    sizeof tfl__dequantize_kernels / sizeof tfl__dequantize_kernels[0];

typedef struct dequantize_data {
    tfl_dequantize_params p;
    tfl_dequantize_fn fn;
} dequantize_data;

static tfl_status dequantize_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(dequantize_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

static tfl_status dequantize_prepare(tfl__ctx *ctx, tfl__node *node)
{
    dequantize_data *d = node->data;
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_type(ctx, node, out, "output", TFL_FLOAT32)) != TFL_OK)
        return s;
    tfl_dequantize_params *p = &d->p;
    int per_channel = 0;
    if (in->type != TFL_FLOAT16) {
        if (in->type != TFL_UINT8 && in->type != TFL_INT8 && in->type != TFL_INT16)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "input type %s not supported (uint8, int8, int16, float16)",
                                tfl_type_name(in->type));
        if (!tfl__is_quantized(in))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input (%s) has no quantization",
                                tfl_type_name(in->type));
        if (in->type == TFL_INT16 && in->zero_point != 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "int16 zero point must be 0 (got %d)", (int)in->zero_point);
        p->scale = (double)in->scale;
        p->zero_point = in->zero_point;
        if (in->quant.count > 1) {
            int qd = in->quant.quantized_dimension;
            if (in->type == TFL_INT16)
                return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                    "per-channel int16 input not supported");
            if (qd < 0 || qd >= in->ndim || in->dims[qd] != in->quant.count)
                return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                    "%d per-channel scales do not match dimension %d of the "
                                    "input",
                                    in->quant.count, qd);
            per_channel = 1;
            p->scales = in->quant.scales;
            p->zero_points = in->quant.zero_points;
            p->channels = (size_t)in->quant.count;
            p->inner = 1;
            for (int i = qd + 1; i < in->ndim; ++i)
                p->inner *= (size_t)in->dims[i];
        }
    }
    const tfl__kernel *k = tfl__kernel_pick(ctx, tfl__dequantize_kernels,
                                            tfl__dequantize_num_kernels,
                                            TFL_DEQUANTIZE_KIND(in->type, per_channel), p);
    d->fn = (tfl_dequantize_fn)k->fn; /* every accepted conversion has a reference record */
    return TFL_OK;
}

static tfl_status dequantize_eval(tfl__ctx *ctx, tfl__node *node)
{
    dequantize_data *d = node->data;
    tfl__unary_run(ctx, d->fn, &d->p, tfl__input(ctx, node, 0), tfl__output(ctx, node, 0));
    return TFL_OK;
}

const tfl__op tfl__op_dequantize = {
    .builtin_code = 6,
    .min_version = 1,
    .max_version = 9,
    .init = dequantize_init,
    .prepare = dequantize_prepare,
    .eval = dequantize_eval,
    .free = free,
};
