/* SUB kernels: broadcast row kernels (kernels/broadcast.h) computing
 * out[i] = a[i*a_step] - b[i*b_step]; parameters as ADD's (ops/add/add.h). */
#ifndef TFL_OPS_SUB_H
#define TFL_OPS_SUB_H

#include "ops/add/add.h"

void tfl_sub_f32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
void tfl_sub_s32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
void tfl_sub_s64__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
/* Quantized, general scales (the output multiplier may exceed one). */
void tfl_sub_u8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                     size_t n);
void tfl_sub_s8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                     size_t n);
void tfl_sub_s16__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                      size_t n);
/* Quantized int16 with power-of-two scales. */
void tfl_sub_s16_pot__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                          size_t n);

/* The op's kernel records, best first (sub.c); kinds are tfl_add_kind. */
extern const tfl__kernel tfl__sub_kernels[];
extern const size_t tfl__sub_num_kernels;

#endif
