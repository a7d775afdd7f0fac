/* FLOOR_MOD kernels: broadcast row kernels (kernels/broadcast.h) computing
 * the remainder of floor division, with the divisor's sign. Integer divisors
 * are nonzero (eval checks). params is unused. */
#ifndef TFL_OPS_FLOOR_MOD_H
#define TFL_OPS_FLOOR_MOD_H

#include <stddef.h>

/* fmodf, then shifted by the divisor when the signs differ. */
void tfl_floor_mod_f32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                            size_t n);
void tfl_floor_mod_s64__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                            size_t n);
void tfl_floor_mod_s32__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                            size_t n);
void tfl_floor_mod_s16__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                            size_t n);
void tfl_floor_mod_s8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                           size_t n);

#endif
