/* ADD (builtin 0): elementwise a + b with broadcasting and a fused
 * activation; float32, int32, int64, int16, and quantized uint8/int8/int16
 * with TFLite's rescale (left shift 20, or 15 for int16; power-of-two int16
 * scales take the LSTM path). */
#include <math.h>
#include <stdlib.h>

#include "kernels/fixedpoint.h"
#include "ops/add/add.h"
#include "core/cpu.h"
#include "ops/binary_lut8.h"
#include "ops/elementwise.h"

/* AddOptions fields (schema order). */
enum { F_ACTIVATION = 0, F_POT_SCALE_INT16 = 1 };

#if TFL__X86_SIMD
#define AVX512_FEATURES (TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL)
static bool q8_avx2_supports(const void *p) { return tfl_add_q8_avx2_supports(p); }
#endif

#define REF(kind, fn) {#fn, kind, TFL__ISA_REF, 0, NULL, NULL, NULL, NULL, (tfl__kernel_fn)fn, 0}

/* Best first; the reference record of each kind is last. */
const tfl__kernel tfl__add_kernels[] = {
#if TFL__X86_SIMD
    {"tfl_add_f32__avx512", TFL_ADD_F32, TFL__ISA_AVX512, AVX512_FEATURES, NULL, NULL, NULL, NULL,
     (tfl__kernel_fn)tfl_add_f32__avx512, 0},
    {"tfl_add_u8__avx512", TFL_ADD_U8, TFL__ISA_AVX512, AVX512_FEATURES, q8_avx2_supports,
     NULL, NULL, NULL, (tfl__kernel_fn)tfl_add_u8__avx512, 0},
    {"tfl_add_s8__avx512", TFL_ADD_S8, TFL__ISA_AVX512, AVX512_FEATURES, q8_avx2_supports,
     NULL, NULL, NULL, (tfl__kernel_fn)tfl_add_s8__avx512, 0},
    {"tfl_add_u8__avx2", TFL_ADD_U8, TFL__ISA_AVX2, TFL__CPU_AVX2, q8_avx2_supports, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_add_u8__avx2, 0},
    {"tfl_add_s8__avx2", TFL_ADD_S8, TFL__ISA_AVX2, TFL__CPU_AVX2, q8_avx2_supports, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_add_s8__avx2, 0},
#endif
    REF(TFL_ADD_F32, tfl_add_f32__ref),
    REF(TFL_ADD_S32, tfl_add_s32__ref),
    REF(TFL_ADD_S64, tfl_add_s64__ref),
    REF(TFL_ADD_S16_INT, tfl_add_s16_int__ref),
    REF(TFL_ADD_U8, tfl_add_u8__ref),
    REF(TFL_ADD_S8, tfl_add_s8__ref),
    REF(TFL_ADD_S16, tfl_add_s16__ref),
    REF(TFL_ADD_S16_POT, tfl_add_s16_pot__ref),
};
const size_t tfl__add_num_kernels = sizeof tfl__add_kernels / sizeof tfl__add_kernels[0];

typedef struct add_data {
    int activation;
    int pot_scale_int16;
    tfl__bcast plan;
    tfl_add_params p;
    tfl__binary_fn fn;
    tfl__lut8_binary lut; /* 8-bit types with a small operand: lookups */
} add_data;

static tfl_status add_init(tfl__ctx *ctx, tfl__node *node)
{
    add_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    /* Without an options table TFLite's parameters are zeroed, so the
     * power-of-two int16 path is off; the schema default is on. */
    d->pot_scale_int16 = node->options.buf ? tfl__fb_u8(&node->options, F_POT_SCALE_INT16, 1) : 0;
    return tfl__read_activation(ctx, node, F_ACTIVATION, &d->activation);
}

static tfl_status check_scale(tfl__ctx *ctx, const tfl__node *node, const char *role,
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

tfl_status tfl__add_quant_setup(tfl__ctx *ctx, const tfl__node *node, int activation,
                                const tfl_tensor *a, const tfl_tensor *b, const tfl_tensor *out,
                                int allow_big_output, tfl_add_params *p)
{
    tfl_status s;
    if ((s = check_scale(ctx, node, "input 1", a)) != TFL_OK ||
        (s = check_scale(ctx, node, "input 2", b)) != TFL_OK ||
        (s = check_scale(ctx, node, "output", out)) != TFL_OK)
        return s;
    p->left_shift = out->type == TFL_INT16 ? 15 : 20;
    p->in1_offset = -a->zero_point;
    p->in2_offset = -b->zero_point;
    p->out_offset = out->zero_point;
    /* TFLite: twice the larger scale in float, ratios in double; the output
     * denominator (1 << left_shift) * scale is a float product. */
    const double twice_max = (double)(2.0f * (a->scale > b->scale ? a->scale : b->scale));
    const double real1 = (double)a->scale / twice_max;
    const double real2 = (double)b->scale / twice_max;
    const double real_out = twice_max / (double)((float)(1 << p->left_shift) * out->scale);
    if ((s = tfl__op_multiplier(ctx, node, "input 1", real1, &p->in1_mult, &p->in1_shift)) ||
        (s = tfl__op_multiplier(ctx, node, "input 2", real2, &p->in2_mult, &p->in2_shift)) ||
        (s = tfl__op_multiplier(ctx, node, "output", real_out, &p->out_mult, &p->out_shift)))
        return s;
    if (p->in1_shift > 0 || p->in2_shift > 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input scales %g and %g rescale "
                            "out of range",
                            (double)a->scale, (double)b->scale);
    if (!(real_out > 0.0) || (!allow_big_output && (real_out >= 1.0 || p->out_shift > 0)))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "output scale %g is too small for input scale %g (rescale %g >= 1)",
                            (double)out->scale, twice_max / 2, real_out);
    return tfl__act_range_q(ctx, node, activation, out, &p->act_min, &p->act_max);
}

int tfl__add_pot_shifts(const tfl_tensor *a, const tfl_tensor *b, const tfl_tensor *out,
                        int *shift1, int *shift2)
{
    int l1, l2, lo;
    int pot = tfl__checked_log2(a->scale, &l1) & tfl__checked_log2(b->scale, &l2) &
              tfl__checked_log2(out->scale, &lo);
    *shift1 = l1 - lo;
    *shift2 = l2 - lo;
    return pot;
}

void tfl__add_int_range(int act, tfl_add_params *p, int64_t type_min, int64_t type_max)
{
    tfl__act_range_int(act, type_min, type_max, &p->act_min64, &p->act_max64);
    p->act_min = (int32_t)(p->act_min64 < INT32_MIN ? INT32_MIN : p->act_min64);
    p->act_max = (int32_t)(p->act_max64 > INT32_MAX ? INT32_MAX : p->act_max64);
}

tfl_status tfl__add_s16_setup(tfl__ctx *ctx, const tfl__node *node, int activation,
                              bool pot_scale_int16, const tfl_tensor *a, const tfl_tensor *b,
                              const tfl_tensor *out, int allow_big_output, tfl_add_params *p,
                              bool *pot)
{
    if (a->zero_point != 0 || b->zero_point != 0 || out->zero_point != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "int16 zero points must be 0 (got %d, %d, %d)", (int)a->zero_point,
                            (int)b->zero_point, (int)out->zero_point);
    *pot = false;
    if (pot_scale_int16 && tfl__add_pot_shifts(a, b, out, &p->in1_shift, &p->in2_shift)) {
        if ((p->in1_shift != 0 && p->in2_shift != 0) || p->in1_shift > 0 || p->in2_shift > 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "power-of-two int16 scales %g, %g -> %g: one input must "
                                "have the output scale and the other a smaller one",
                                (double)a->scale, (double)b->scale, (double)out->scale);
        *pot = true;
        return tfl__act_range_q(ctx, node, activation, out, &p->act_min, &p->act_max);
    }
    return tfl__add_quant_setup(ctx, node, activation, a, b, out, allow_big_output, p);
}

static tfl_status add_prepare(tfl__ctx *ctx, tfl__node *node)
{
    add_data *d = node->data;
    tfl_status s = tfl__binary_prepare(ctx, node, &d->plan);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    const tfl_tensor *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, a, out)) != TFL_OK)
        return s;
    tfl_add_params *p = &d->p;
    tfl_add_kind kind;
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
        if ((s = tfl__add_quant_setup(ctx, node, d->activation, a, b, out, 0, p)) != TFL_OK)
            return s;
        kind = out->type == TFL_UINT8 ? TFL_ADD_U8 : TFL_ADD_S8;
        break;
    case TFL_INT16:
        if (!tfl__is_quantized(out)) {
            tfl__add_int_range(d->activation, p, INT16_MIN, INT16_MAX);
            kind = TFL_ADD_S16_INT;
            break;
        }
        bool pot = false;
        if ((s = tfl__add_s16_setup(ctx, node, d->activation, d->pot_scale_int16, a, b, out, 0, p,
                                    &pot)) != TFL_OK)
            return s;
        kind = pot ? TFL_ADD_S16_POT : TFL_ADD_S16;
        break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, int32, int64, uint8, int8, int16)",
                            tfl_type_name(out->type));
    }
    const tfl__kernel *k =
        tfl__kernel_pick(ctx, tfl__add_kernels, tfl__add_num_kernels, (int)kind, p);
    d->fn = (tfl__binary_fn)k->fn; /* every kind has a reference record */
    tfl__lut8_binary_prepare(ctx, &d->lut, d->fn, &d->p, a, b, out);
    return TFL_OK;
}

static tfl_status add_eval(tfl__ctx *ctx, tfl__node *node)
{
    add_data *d = node->data;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!tfl__lut8_binary_run(ctx, &d->lut, d->fn, &d->p, a, b, out))
        tfl__binary_run(ctx, &d->plan, d->fn, &d->p, a, b, out);
    return TFL_OK;
}

const tfl__op tfl__op_add = {
    .builtin_code = 0,
    .min_version = 1,
    .max_version = 5,
    .init = add_init,
    .prepare = add_prepare,
    .eval = add_eval,
    .free = free,
};
