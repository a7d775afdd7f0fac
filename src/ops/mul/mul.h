/* MUL kernels: broadcast row kernels (kernels/broadcast.h) computing
 * out[i] = a[i*a_step] * b[i*b_step] for i in [0, n). */
#ifndef TFL_OPS_MUL_H
#define TFL_OPS_MUL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ops/kernel.h"

/* Record kinds. */
typedef enum {
    TFL_MUL_F32,
    TFL_MUL_S32,
    TFL_MUL_S64,
    TFL_MUL_S16_INT,
    TFL_MUL_U8,
    TFL_MUL_S8,
    TFL_MUL_S16,
    TFL_MUL_S16_S8,
    TFL_MUL_S16_U8
} tfl_mul_kind;

typedef struct tfl_mul_params {
    float act_min_f, act_max_f;   /* float32 */
    int32_t act_min, act_max;     /* int32, int16 and the quantized types */
    int64_t act_min64, act_max64; /* int64 */
    /* Quantized: out = out_offset + (in1 + in1_offset) * (in2 + in2_offset)
     * rescaled by out_mult * 2^(out_shift - 31). */
    int32_t in1_offset, in2_offset, out_offset, out_mult;
    int out_shift;
} tfl_mul_params;

void tfl_mul_f32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
/* Integers without quantization: wrapping multiply, then clamp. */
void tfl_mul_s32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
void tfl_mul_s64__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
void tfl_mul_s16_int__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                          size_t n);
/* Quantized, same type in and out (int16: zero points 0). */
void tfl_mul_u8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                     size_t n);
void tfl_mul_s8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                     size_t n);
void tfl_mul_s16__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
/* int16 inputs read as Q0.15, product to 8 bits (TFLite's LSTM path; the
 * scales are not used, only the output zero point and activation range). */
void tfl_mul_s16_s8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                         size_t n);
void tfl_mul_s16_u8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                         size_t n);

/* AVX-512BW int8/uint8: 32 elements per step, the product rescaled with
 * the per-lane double rounding of requant_avx512.h (mul_avx512.c). */
/* float32 with AVX-512F, byte-identical to tfl_mul_f32__ref
 * (kernels/binary_f32_avx512.h). */
void tfl_mul_f32__avx512(const void *p, const void *a, int as, const void *b, int bs, void *out,
                         size_t n);
void tfl_mul_s8__avx512(const void *p, const void *a, int as, const void *b, int bs, void *out,
                        size_t n);
void tfl_mul_u8__avx512(const void *p, const void *a, int as, const void *b, int bs, void *out,
                        size_t n);
bool tfl_mul_q8_avx512_supports(const tfl_mul_params *p);

/* The op's kernel records, best first (mul.c). */
extern const tfl__kernel tfl__mul_kernels[];
extern const size_t tfl__mul_num_kernels;

#endif
