/* Kernels of the activation ops (RELU family, LEAKY_RELU, LOGISTIC, TANH,
 * HARD_SWISH). Every kernel maps elements [start, end) of a flat input to the
 * same positions of the output: fn(params, in, out, start, end). */
#ifndef TFL_OPS_ACTIVATIONS_H
#define TFL_OPS_ACTIVATIONS_H

#include <stddef.h>
#include <stdint.h>

#include "ops/kernel.h"

/* RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1. */
typedef struct tfl_relu_params {
    float lo_f, hi_f; /* float clamp */
    /* Quantized: out = out_zp + (in - in_zp) * mult * 2^(shift - 31),
     * clamped to [q_lo, q_hi]. */
    int32_t in_zp, out_zp, mult;
    int shift;
    int32_t q_lo, q_hi;
} tfl_relu_params;

void tfl_relu_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_relu_u8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_relu_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_relu_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);

typedef struct tfl_leaky_relu_params {
    float alpha;
    /* Quantized: (in - in_zp) rescaled by the identity multiplier when >= 0,
     * by the alpha multiplier (sign kept apart) when < 0. */
    int32_t in_zp, out_zp;
    int32_t id_mult, alpha_mult;
    int id_shift, alpha_shift;
    int alpha_negative;
} tfl_leaky_relu_params;

void tfl_leaky_relu_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_leaky_relu_u8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_leaky_relu_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_leaky_relu_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);

/* 8-bit table lookup (LOGISTIC and TANH on uint8/int8): params is the
 * 256-byte table indexed by the input byte. */
void tfl_lut8__ref(const void *lut, const void *in, void *out, size_t start, size_t end);

/* int16 LOGISTIC / TANH: the input is rescaled by mult >> left_shift to
 * units of 1/4096 (in 3/4 of the range), then read from a sigmoid table. */
typedef struct tfl_sigmoid16_params {
    int32_t mult;
    int left_shift;
} tfl_sigmoid16_params;

void tfl_logistic_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_logistic_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_tanh_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_tanh_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
/* float32 with AVX-512F and a vector exp: within a few ulp of the
 * references (logistic_avx512.c). */
void tfl_logistic_f32__avx512(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_tanh_f32__avx512(const void *p, const void *in, void *out, size_t start, size_t end);
/* LOGISTIC's and TANH's kernel records, best first (logistic.c); kinds
 * 0-2 LOGISTIC float / 8-bit table / int16, 3-5 TANH's. */
extern const tfl__kernel tfl__logistic_kernels[];
extern const size_t tfl__logistic_num_kernels;

typedef struct tfl_hard_swish_params {
    int32_t in_zp, out_zp;
    int16_t out_mult, reluish_mult; /* Q0.15 */
    int out_exp, reluish_exp;       /* power-of-two exponents of the two */
} tfl_hard_swish_params;

void tfl_hard_swish_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_hard_swish_u8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_hard_swish_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);

#endif
