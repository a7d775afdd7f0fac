/* DIV kernels: broadcast row kernels (kernels/broadcast.h) computing
 * out[i] = a[i*a_step] / b[i*b_step] for i in [0, n). Integer kernels expect
 * nonzero divisors (eval checks them first). */
#ifndef TFL_OPS_DIV_H
#define TFL_OPS_DIV_H

#include <stddef.h>
#include <stdint.h>

typedef struct tfl_div_params {
    float act_min_f, act_max_f; /* float32 */
    int32_t act_min, act_max;   /* int32 and the quantized types */
    /* Quantized: in1 + in1_offset divided by in2 + in2_offset, rescaled by
     * out_mult * 2^(out_shift - 31), plus out_offset. */
    int32_t in1_offset, in2_offset, out_offset, out_mult;
    int out_shift;
} tfl_div_params;

void tfl_div_f32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
/* Truncating division; INT32_MIN / -1 saturates to INT32_MAX. */
void tfl_div_s32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
/* Quantized: fixed-point reciprocal of the divisor times the dividend. */
void tfl_div_u8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                     size_t n);
void tfl_div_s8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                     size_t n);
void tfl_div_s16__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);

#endif
