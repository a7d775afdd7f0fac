/* Elementwise math ops with one input (SQRT, RSQRT, LOG, EXP, ABS, NEG,
 * SQUARE, SIN, COS, FLOOR, CEIL, ROUND): kernels, their params and the node
 * data the ops share. Every kernel maps elements [start, end) of a flat input
 * to the same positions of the output: fn(params, in, out, start, end). */
#ifndef TFL_OPS_MATH_UNARY_H
#define TFL_OPS_MATH_UNARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernels/lut.h"
#include "ops/elementwise.h"

/* float32 kernels (params unused). */
void tfl_sqrt_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_rsqrt_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_log_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_exp_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_abs_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_neg_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_square_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_sin_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_cos_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_floor_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_ceil_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_round_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);

/* NEG on integers: plain two's complement negation (the most negative value
 * stays itself, as TFLite's wrapping arithmetic gives); quantization
 * parameters are ignored, as TFLite does. */
void tfl_neg_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_neg_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_neg_s32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_neg_s64__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_sign_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_sign_s32__ref(const void *p, const void *in, void *out, size_t start, size_t end);

/* ABS on unquantized integers (|INT_MIN| wraps to itself). */
void tfl_abs_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_abs_s32__ref(const void *p, const void *in, void *out, size_t start, size_t end);

/* Quantized ABS: out = out_zp + |in - in_zp| (times mult * 2^(shift-31)
 * when the scales differ), saturated to the type. */
typedef struct tfl_abs_q_params {
    int32_t in_zp, out_zp;
    bool rescale;
    int32_t mult;
    int shift;
} tfl_abs_q_params;

void tfl_abs_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_abs_q16__ref(const void *p, const void *in, void *out, size_t start, size_t end);

/* Quantized SQRT, in float as TFLite: sqrt(in_scale * (in - in_zp)) /
 * out_scale truncated toward zero, plus out_zp, saturated. Inputs below
 * in_zp are rejected before the kernel runs. */
typedef struct tfl_sqrt_q_params {
    float in_scale, out_scale;
    int32_t in_zp, out_zp;
} tfl_sqrt_q_params;

void tfl_sqrt_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_sqrt_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);

/* Table lookups: params is a 256-byte table indexed by the input byte
 * (int8), or a TFL__LUT16_SIZE int16 table read by tfl__lut_lookup16. */
void tfl_unary_lut_s8__ref(const void *lut, const void *in, void *out, size_t start, size_t end);
void tfl_unary_lut_s16__ref(const void *lut, const void *in, void *out, size_t start, size_t end);

/* Node data of every op here. */
typedef struct tfl__math_unary_data {
    tfl__unary_fn fn;   /* picked at prepare */
    const void *params; /* points into this struct (or NULL) */
    /* SQRT and RSQRT on quantized inputs: values below the input zero point
     * are a runtime error (TFLite fails too). */
    bool check_min;
    int32_t min_value;
    tfl_abs_q_params abs;
    tfl_sqrt_q_params sqrt;
    uint8_t lut8[256];
    int16_t lut16[TFL__LUT16_SIZE];
} tfl__math_unary_data;

tfl_status tfl__math_unary_init(tfl__ctx *ctx, tfl__node *node);
void tfl__math_unary_free(void *data);
/* Checks check_min (if set), then runs fn over the whole tensor. */
tfl_status tfl__math_unary_eval(tfl__ctx *ctx, tfl__node *node);

/* tfl__unary_prepare plus an output of the input's type: the common start
 * of every prepare here. Sets *in and *out. */
tfl_status tfl__math_unary_begin(tfl__ctx *ctx, tfl__node *node, const tfl_tensor **in,
                                 tfl_tensor **out);

/* Checks that an int8/int16 input and the output carry quantization with
 * positive scales, and (int16) zero points of 0. */
tfl_status tfl__math_unary_check_quant(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *in,
                                       const tfl_tensor *out);

#endif
