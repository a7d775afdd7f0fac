/* CAST kernel: converts elements [start, end) between float32, bool and the
 * integer types as TFLite does: float to integer truncates toward zero and
 * saturates (NaN gives the maximum), integer to integer wraps, anything to
 * bool tests != 0. */
#ifndef TFL_OPS_CAST_H
#define TFL_OPS_CAST_H

#include <stddef.h>

#include "tfl.h"

typedef struct tfl_cast_params {
    tfl_type from, to;
} tfl_cast_params;

typedef void (*tfl_cast_fn)(const tfl_cast_params *p, const void *input, void *output, size_t start,
                            size_t end);

/* True when the kernel handles the type (as source and as destination). */
int tfl_cast_type_supported(tfl_type t);

/* input [n] of p->from, output [n] of p->to. */
void tfl_cast_any__ref(const tfl_cast_params *p, const void *input, void *output, size_t start,
                       size_t end);
/* Integer to float32 (exact below 2^24, else rounded to nearest, as C and
 * the general kernel convert): one typed loop each, which compilers
 * vectorize, for the casts models put on their image inputs. */
void tfl_cast_u8_f32__ref(const tfl_cast_params *p, const void *input, void *output, size_t start,
                          size_t end);
void tfl_cast_s8_f32__ref(const tfl_cast_params *p, const void *input, void *output, size_t start,
                          size_t end);
void tfl_cast_s16_f32__ref(const tfl_cast_params *p, const void *input, void *output,
                           size_t start, size_t end);
void tfl_cast_s32_f32__ref(const tfl_cast_params *p, const void *input, void *output,
                           size_t start, size_t end);

#endif
