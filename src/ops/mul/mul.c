/* MUL (builtin 18): elementwise a * b with broadcasting and a fused
 * activation; float32, int32, int64, int16, quantized uint8/int8/int16, and
 * int16 x int16 -> int8/uint8 (Q0.15 inputs). */
#include <math.h>
#include <stdlib.h>

#include "kernels/quant.h"
#include "ops/binary_lut8.h"
#include "ops/elementwise.h"
#include "ops/mul/mul.h"
#include "core/cpu.h"

/* MulOptions fields (schema order). */
enum { F_ACTIVATION = 0 };

#define REF(kind, fn) {#fn, kind, TFL__ISA_REF, 0, NULL, NULL, NULL, NULL, (tfl__kernel_fn)fn, 0}

#if TFL__X86_SIMD
#define AVX512_FEATURES (TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL)
static bool q8_avx512_supports(const void *p) { return tfl_mul_q8_avx512_supports(p); }
#endif

/* Best first; the reference record of each kind is last. */
const tfl__kernel tfl__mul_kernels[] = {
#if TFL__X86_SIMD
    {"tfl_mul_f32__avx512", TFL_MUL_F32, TFL__ISA_AVX512, AVX512_FEATURES, NULL, NULL, NULL, NULL,
     (tfl__kernel_fn)tfl_mul_f32__avx512, 0},
    {"tfl_mul_u8__avx512", TFL_MUL_U8, TFL__ISA_AVX512, AVX512_FEATURES, q8_avx512_supports, NULL,
     NULL, NULL, (tfl__kernel_fn)tfl_mul_u8__avx512, 0},
    {"tfl_mul_s8__avx512", TFL_MUL_S8, TFL__ISA_AVX512, AVX512_FEATURES, q8_avx512_supports, NULL,
     NULL, NULL, (tfl__kernel_fn)tfl_mul_s8__avx512, 0},
#endif
    REF(TFL_MUL_F32, tfl_mul_f32__ref),       REF(TFL_MUL_S32, tfl_mul_s32__ref),
    REF(TFL_MUL_S64, tfl_mul_s64__ref),       REF(TFL_MUL_S16_INT, tfl_mul_s16_int__ref),
    REF(TFL_MUL_U8, tfl_mul_u8__ref),         REF(TFL_MUL_S8, tfl_mul_s8__ref),
    REF(TFL_MUL_S16, tfl_mul_s16__ref),       REF(TFL_MUL_S16_S8, tfl_mul_s16_s8__ref),
    REF(TFL_MUL_S16_U8, tfl_mul_s16_u8__ref),
};
const size_t tfl__mul_num_kernels = sizeof tfl__mul_kernels / sizeof tfl__mul_kernels[0];

typedef struct mul_data {
    int activation;
    tfl__bcast plan;
    tfl_mul_params p;
    tfl__binary_fn fn;
    tfl__lut8_binary lut; /* 8-bit types with a small operand: lookups */
} mul_data;

static tfl_status mul_init(tfl__ctx *ctx, tfl__node *node)
{
    mul_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    return tfl__read_activation(ctx, node, F_ACTIVATION, &d->activation);
}

static void int_range(int act, tfl_mul_params *p, int64_t type_min, int64_t type_max)
{
    tfl__act_range_int(act, type_min, type_max, &p->act_min64, &p->act_max64);
    p->act_min = (int32_t)(p->act_min64 < INT32_MIN ? INT32_MIN : p->act_min64);
    p->act_max = (int32_t)(p->act_max64 > INT32_MAX ? INT32_MAX : p->act_max64);
}

static tfl_status check_quantized(tfl__ctx *ctx, const tfl__node *node, const char *role,
                                  const tfl_tensor *t)
{
    if (!tfl__is_quantized(t))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s (%s) has no quantization", role,
                            tfl_type_name(t->type));
    if (!(t->scale > 0.0f) || !isfinite(t->scale))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s scale %g is not positive", role,
                            (double)t->scale);
    return TFL_OK;
}

/* Multiplier and activation range of the quantized paths. */
static tfl_status quant_setup(tfl__ctx *ctx, const tfl__node *node, mul_data *d,
                              const tfl_tensor *a, const tfl_tensor *b, const tfl_tensor *out)
{
    tfl_mul_params *p = &d->p;
    tfl_status s;
    if ((s = check_quantized(ctx, node, "input 1", a)) != TFL_OK ||
        (s = check_quantized(ctx, node, "input 2", b)) != TFL_OK ||
        (s = check_quantized(ctx, node, "output", out)) != TFL_OK)
        return s;
    if ((s = tfl__act_range_q(ctx, node, d->activation, out, &p->act_min, &p->act_max)))
        return s;
    /* TFLite multiplies and divides the scales in float. */
    float real = a->scale * b->scale / out->scale;
    if ((s = tfl__op_multiplier(ctx, node, "output", (double)real, &p->out_mult,
                                &p->out_shift)) != TFL_OK)
        return s;
    p->in1_offset = -a->zero_point;
    p->in2_offset = -b->zero_point;
    p->out_offset = out->zero_point;
    return TFL_OK;
}

static tfl_status mul_prepare(tfl__ctx *ctx, tfl__node *node)
{
    mul_data *d = node->data;
    tfl_status s = tfl__binary_prepare(ctx, node, &d->plan);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    tfl_mul_params *p = &d->p;
    tfl_mul_kind kind;
    if (a->type == TFL_INT16 && (out->type == TFL_INT8 || out->type == TFL_UINT8)) {
        if ((s = quant_setup(ctx, node, d, a, b, out)) != TFL_OK)
            return s;
        kind = out->type == TFL_INT8 ? TFL_MUL_S16_S8 : TFL_MUL_S16_U8;
    } else {
        if ((s = tfl__check_out_type(ctx, node, a, out)) != TFL_OK)
            return s;
        switch (out->type) {
        case TFL_FLOAT32:
            if ((s = tfl__act_range_f32(ctx, node, d->activation, &p->act_min_f, &p->act_max_f)))
                return s;
            kind = TFL_MUL_F32;
            break;
        case TFL_INT32:
            int_range(d->activation, p, INT32_MIN, INT32_MAX);
            kind = TFL_MUL_S32;
            break;
        case TFL_INT64:
            int_range(d->activation, p, INT64_MIN, INT64_MAX);
            kind = TFL_MUL_S64;
            break;
        case TFL_UINT8:
        case TFL_INT8:
            if ((s = quant_setup(ctx, node, d, a, b, out)) != TFL_OK)
                return s;
            kind = out->type == TFL_UINT8 ? TFL_MUL_U8 : TFL_MUL_S8;
            break;
        case TFL_INT16:
            if (!tfl__is_quantized(out)) {
                int_range(d->activation, p, INT16_MIN, INT16_MAX);
                kind = TFL_MUL_S16_INT;
                break;
            }
            if (a->zero_point != 0 || b->zero_point != 0 || out->zero_point != 0)
                return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                    "int16 zero points must be 0 (got %d, %d, %d)",
                                    (int)a->zero_point, (int)b->zero_point, (int)out->zero_point);
            if ((s = quant_setup(ctx, node, d, a, b, out)) != TFL_OK)
                return s;
            kind = TFL_MUL_S16;
            break;
        default:
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "type %s not supported (float32, int32, int64, uint8, int8, "
                                "int16)",
                                tfl_type_name(out->type));
        }
    }
    const tfl__kernel *k = tfl__kernel_pick(ctx, tfl__mul_kernels, tfl__mul_num_kernels, (int)kind, p);
    d->fn = (tfl__binary_fn)k->fn; /* every kind has a reference record */
    tfl__lut8_binary_prepare(ctx, &d->lut, d->fn, &d->p, a, b, out);
    return TFL_OK;
}

static tfl_status mul_eval(tfl__ctx *ctx, tfl__node *node)
{
    mul_data *d = node->data;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!tfl__lut8_binary_run(ctx, &d->lut, d->fn, &d->p, a, b, out))
        tfl__binary_run(ctx, &d->plan, d->fn, &d->p, a, b, out);
    return TFL_OK;
}

const tfl__op tfl__op_mul = {
    .builtin_code = 18,
    .min_version = 1,
    .max_version = 7,
    .init = mul_init,
    .prepare = mul_prepare,
    .eval = mul_eval,
    .free = free,
};
