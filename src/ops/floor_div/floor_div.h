/* FLOOR_DIV kernels: broadcast row kernels (kernels/broadcast.h) computing
 * out[i] = floor(a[i*a_step] / b[i*b_step]) in double precision, as TFLite
 * does. Divisors are nonzero (eval checks). params is unused. */
#ifndef TFL_OPS_FLOOR_DIV_H
#define TFL_OPS_FLOOR_DIV_H

#include <stddef.h>

void tfl_floor_div_f32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                            size_t n);
/* Integer results wrap to the type (INT32_MIN / -1 gives INT32_MIN). */
void tfl_floor_div_s32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                            size_t n);
void tfl_floor_div_s16__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                            size_t n);
void tfl_floor_div_s8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                           size_t n);

#endif
