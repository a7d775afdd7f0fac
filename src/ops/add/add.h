/* ADD kernels (also the parameter block SUB shares). Each kernel is a
 * broadcast row kernel (kernels/broadcast.h): out[i] = a[i*a_step] + b[i*b_step]
 * for i in [0, n). */
#ifndef TFL_OPS_ADD_H
#define TFL_OPS_ADD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernels/quant.h"
#include "ops/op.h"

typedef struct tfl_add_params {
    float act_min_f, act_max_f;   /* float32 */
    int32_t act_min, act_max;     /* int32, int16 and the quantized types */
    int64_t act_min64, act_max64; /* int64 */
    /* Quantized, general scales: each input (q + offset) is shifted left by
     * left_shift (20 for 8-bit, 15 for int16) and rescaled to a common scale;
     * the sum is rescaled to the output. Shifts are <= 0 (right shifts),
     * except a SUB output multiplier above one. */
    int left_shift;
    int32_t in1_offset, in1_mult, in2_offset, in2_mult, out_offset, out_mult;
    int in1_shift, in2_shift, out_shift;
    /* int16 power-of-two scales: in1_shift / in2_shift are <= 0 and at most
     * one of them is nonzero. */
} tfl_add_params;

/* Fills the general quantized rescale (TFLite's left_shift 20/15 scheme) and
 * the activation range. Shared with SUB, which allows an output multiplier
 * above one (allow_big_output). */
tfl_status tfl__add_quant_setup(tfl__ctx *ctx, const tfl__node *node, int activation,
                                const tfl_tensor *a, const tfl_tensor *b, const tfl_tensor *out,
                                int allow_big_output, tfl_add_params *p);

/* Power-of-two int16 scales (TFLite's LSTM path): true when all three scales
 * are powers of two; the shifts are log2(input scale) - log2(output scale). */
int tfl__add_pot_shifts(const tfl_tensor *a, const tfl_tensor *b, const tfl_tensor *out,
                        int *shift1, int *shift2);

/* Activation range for the unquantized integer kernels of ADD and SUB. */
void tfl__add_int_range(int act, tfl_add_params *p, int64_t type_min, int64_t type_max);

/* Quantized int16 setup of ADD and SUB: zero points must be 0; with
 * pot_scale_int16 and power-of-two scales, TFLite's shift-only path (*pot set),
 * else tfl__add_quant_setup. */
tfl_status tfl__add_s16_setup(tfl__ctx *ctx, const tfl__node *node, int activation,
                              bool pot_scale_int16, const tfl_tensor *a, const tfl_tensor *b,
                              const tfl_tensor *out, int allow_big_output, tfl_add_params *p,
                              bool *pot);

/* The general quantized step for one element pair (q values, not offset):
 * rescale both inputs to the common scale, add (or subtract) and rescale to
 * the output, then clamp. */
static inline int32_t tfl__addsub_q(const tfl_add_params *p, int32_t x, int32_t y, int subtract)
{
    int32_t sx = (int32_t)((uint32_t)(x + p->in1_offset) << p->left_shift);
    int32_t sy = (int32_t)((uint32_t)(y + p->in2_offset) << p->left_shift);
    int32_t rx = tfl__mbqm_small(sx, p->in1_mult, p->in1_shift);
    int32_t ry = tfl__mbqm_small(sy, p->in2_mult, p->in2_shift);
    int32_t raw = subtract ? rx - ry : rx + ry;
    /* An output multiplier above one (SUB only) makes TFLite's double-rounding
     * kernel shift by a negative amount, which is undefined (x86 results
     * depend on vectorization); we rescale exactly, as its single-rounding
     * build does. */
    int32_t r = (p->out_shift > 0 ? tfl__mbqm(raw, p->out_mult, p->out_shift)
                                  : tfl__mbqm_small(raw, p->out_mult, p->out_shift)) +
                p->out_offset;
    return tfl__clamp_i32(r, p->act_min, p->act_max);
}

void tfl_add_f32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
void tfl_add_s32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
void tfl_add_s64__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
/* int16 without quantization: wrapping add, then clamp. */
void tfl_add_s16_int__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                          size_t n);
/* Quantized, general scales. */
void tfl_add_u8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                     size_t n);
void tfl_add_s8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                     size_t n);
void tfl_add_s16__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
/* Quantized int16 with power-of-two scales. */
void tfl_add_s16_pot__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                          size_t n);

/* AVX2 int8/uint8, general scales, ADD and SUB (add_avx2.c). */
void tfl_add_s8__avx2(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
void tfl_add_u8__avx2(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
void tfl_sub_s8__avx2(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
void tfl_sub_u8__avx2(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
bool tfl_add_q8_avx2_supports(const tfl_add_params *p);
/* The same with AVX-512BW, 32 elements per step, same predicate
 * (add_avx512.c). */
void tfl_add_s8__avx512(const void *p, const void *a, int as, const void *b, int bs, void *out,
                        size_t n);
void tfl_add_u8__avx512(const void *p, const void *a, int as, const void *b, int bs, void *out,
                        size_t n);
/* float32 with AVX-512F, byte-identical to tfl_add_f32__ref / tfl_sub_f32__ref
 * (kernels/binary_f32_avx512.h). */
void tfl_add_f32__avx512(const void *p, const void *a, int as, const void *b, int bs, void *out,
                         size_t n);
void tfl_sub_f32__avx512(const void *p, const void *a, int as, const void *b, int bs, void *out,
                         size_t n);
void tfl_sub_s8__avx512(const void *p, const void *a, int as, const void *b, int bs, void *out,
                        size_t n);
void tfl_sub_u8__avx512(const void *p, const void *a, int as, const void *b, int bs, void *out,
                        size_t n);

/* The op's kernel records, best first (add.c); kinds are tfl_add_kind. */
#include "ops/kernel.h"
typedef enum {
    TFL_ADD_F32,
    TFL_ADD_S32,
    TFL_ADD_S64,
    TFL_ADD_S16_INT,
    TFL_ADD_U8,
    TFL_ADD_S8,
    TFL_ADD_S16,
    TFL_ADD_S16_POT
} tfl_add_kind;
extern const tfl__kernel tfl__add_kernels[];
extern const size_t tfl__add_num_kernels;

#endif
