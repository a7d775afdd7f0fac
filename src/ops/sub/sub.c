/* SUB (builtin 41): elementwise a - b with broadcasting and a fused
 * activation; float32, int32, int64, and quantized uint8/int8/int16 with
 * ADD's rescale scheme (see ops/add/add.h), whose output multiplier may here
 * exceed one. */
#include <stdlib.h>

#include "core/cpu.h"
#include "ops/add/add.h"
#include "ops/binary_lut8.h"
#include "ops/elementwise.h"
#include "ops/sub/sub.h"

/* SubOptions fields (schema order). */
enum { F_ACTIVATION = 0, F_POT_SCALE_INT16 = 1 };

#if TFL__X86_SIMD
#define AVX512_FEATURES (TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL)
static bool q8_avx2_supports(const void *p) { return tfl_add_q8_avx2_supports(p); }
#endif

#define REF(kind, fn) {#fn, kind, TFL__ISA_REF, 0, NULL, NULL, NULL, NULL, (tfl__kernel_fn)fn, 0}

/* Best first; the reference record of each kind is last. Kinds are ADD's
 * (tfl_add_kind); SUB has no unquantized int16. */
const tfl__kernel tfl__sub_kernels[] = {
#if TFL__X86_SIMD
    {"tfl_sub_f32__avx512", TFL_ADD_F32, TFL__ISA_AVX512, AVX512_FEATURES, NULL, NULL, NULL, NULL,
     (tfl__kernel_fn)tfl_sub_f32__avx512, 0},
    {"tfl_sub_u8__avx512", TFL_ADD_U8, TFL__ISA_AVX512, AVX512_FEATURES, q8_avx2_supports,
     NULL, NULL, NULL, (tfl__kernel_fn)tfl_sub_u8__avx512, 0},
    {"tfl_sub_s8__avx512", TFL_ADD_S8, TFL__ISA_AVX512, AVX512_FEATURES, q8_avx2_supports,
     NULL, NULL, NULL, (tfl__kernel_fn)tfl_sub_s8__avx512, 0},
    {"tfl_sub_u8__avx2", TFL_ADD_U8, TFL__ISA_AVX2, TFL__CPU_AVX2, q8_avx2_supports, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_sub_u8__avx2, 0},
    {"tfl_sub_s8__avx2", TFL_ADD_S8, TFL__ISA_AVX2, TFL__CPU_AVX2, q8_avx2_supports, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_sub_s8__avx2, 0},
#endif
    REF(TFL_ADD_F32, tfl_sub_f32__ref),
    REF(TFL_ADD_S32, tfl_sub_s32__ref),
    REF(TFL_ADD_S64, tfl_sub_s64__ref),
    REF(TFL_ADD_U8, tfl_sub_u8__ref),
    REF(TFL_ADD_S8, tfl_sub_s8__ref),
    REF(TFL_ADD_S16, tfl_sub_s16__ref),
    REF(TFL_ADD_S16_POT, tfl_sub_s16_pot__ref),
};
const size_t tfl__sub_num_kernels = sizeof tfl__sub_kernels / sizeof tfl__sub_kernels[0];

typedef struct sub_data {
    int activation;
    int pot_scale_int16;
    tfl__bcast plan;
    tfl_add_params p;
    tfl__binary_fn fn;
    tfl__lut8_binary lut; /* 8-bit types with a small operand: lookups */
} sub_data;

static tfl_status sub_init(tfl__ctx *ctx, tfl__node *node)
{
    sub_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    /* Without an options table TFLite's parameters are zeroed (no
     * power-of-two int16 path); the schema default is on. */
    d->pot_scale_int16 = node->options.buf ? tfl__fb_u8(&node->options, F_POT_SCALE_INT16, 1) : 0;
    return tfl__read_activation(ctx, node, F_ACTIVATION, &d->activation);
}

static tfl_status check_zero_point(tfl__ctx *ctx, const tfl__node *node, const char *role,
                                   const tfl_tensor *t, int32_t lo, int32_t hi)
{
    if (t->zero_point < lo || t->zero_point > hi)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s zero point %d outside [%d, %d]",
                            role, (int)t->zero_point, (int)lo, (int)hi);
    return TFL_OK;
}

static tfl_status sub_prepare(tfl__ctx *ctx, tfl__node *node)
{
    sub_data *d = node->data;
    tfl_status s = tfl__binary_prepare(ctx, node, &d->plan);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, a, out)) != TFL_OK)
        return s;
    tfl_add_params *p = &d->p;
    tfl_add_kind kind;
    int32_t lo = 0, hi = 0;
    switch (out->type) {
    case TFL_FLOAT32:
        if ((s = tfl__act_range_f32(ctx, node, d->activation, &p->act_min_f, &p->act_max_f)))
            return s;
        kind = TFL_ADD_F32;
        break;
    case TFL_INT32:
        tfl__add_int_range(d->activation, p, INT32_MIN, INT32_MAX);
        kind = TFL_ADD_S32;
        break;
    case TFL_INT64:
        tfl__add_int_range(d->activation, p, INT64_MIN, INT64_MAX);
        kind = TFL_ADD_S64;
        break;
    case TFL_UINT8:
    case TFL_INT8:
        lo = out->type == TFL_UINT8 ? 0 : -128;
        hi = out->type == TFL_UINT8 ? 255 : 127;
        if ((s = check_zero_point(ctx, node, "input 1", a, lo, hi)) != TFL_OK ||
            (s = check_zero_point(ctx, node, "input 2", b, lo, hi)) != TFL_OK ||
            (s = check_zero_point(ctx, node, "output", out, lo, hi)) != TFL_OK)
            return s;
        if ((s = tfl__add_quant_setup(ctx, node, d->activation, a, b, out, 1, p)) != TFL_OK)
            return s;
        kind = out->type == TFL_UINT8 ? TFL_ADD_U8 : TFL_ADD_S8;
        break;
    case TFL_INT16: {
        bool pot = false;
        if ((s = tfl__add_s16_setup(ctx, node, d->activation, d->pot_scale_int16, a, b, out, 1, p,
                                    &pot)) != TFL_OK)
            return s;
        kind = pot ? TFL_ADD_S16_POT : TFL_ADD_S16;
        break;
    }
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int32, int64, uint8, int8, int16)",
                            tfl_type_name(out->type));
    }
    const tfl__kernel *k =
        tfl__kernel_pick(ctx, tfl__sub_kernels, tfl__sub_num_kernels, (int)kind, p);
    d->fn = (tfl__binary_fn)k->fn; /* every kind has a reference record */
    tfl__lut8_binary_prepare(ctx, &d->lut, d->fn, &d->p, a, b, out);
    return TFL_OK;
}

static tfl_status sub_eval(tfl__ctx *ctx, tfl__node *node)
{
    sub_data *d = node->data;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!tfl__lut8_binary_run(ctx, &d->lut, d->fn, &d->p, a, b, out))
        tfl__binary_run(ctx, &d->plan, d->fn, &d->p, a, b, out);
    return TFL_OK;
}

const tfl__op tfl__op_sub = {
    .builtin_code = 41,
    .min_version = 1,
    .max_version = 5,
    .init = sub_init,
    .prepare = sub_prepare,
    .eval = sub_eval,
    .free = free,
};
