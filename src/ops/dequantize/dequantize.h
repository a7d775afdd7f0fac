/* DEQUANTIZE kernels: uint8/int8/int16 (per tensor; uint8/int8 also per
 * channel) and float16 to float32. fn(params, in, out, start, end). */
#ifndef TFL_OPS_DEQUANTIZE_H
#define TFL_OPS_DEQUANTIZE_H

#include <stddef.h>
#include <stdint.h>

#include "ops/kernel.h"

typedef struct tfl_dequantize_params {
    double scale; /* per tensor: (float)(scale * (q - zero_point)) in double */
    int32_t zero_point;
    /* per channel: (float)scale[c] * (q - zp[c]) in float, c = (i / inner) % channels */
    const float *scales;
    const int64_t *zero_points;
    size_t channels, inner;
} tfl_dequantize_params;

typedef void (*tfl_dequantize_fn)(const void *p, const void *in, void *out, size_t start,
                                  size_t end);

void tfl_dequantize_u8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_dequantize_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_dequantize_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_dequantize_pc_u8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_dequantize_pc_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
/* IEEE half to float (exact). */
void tfl_dequantize_f16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
/* The same with AVX-512F's vcvtph2ps, sixteen at a time (dequantize_avx512.c):
 * exact too, so byte-identical, except that a signalling NaN comes out
 * quiet (the reference keeps its bits). */
void tfl_dequantize_f16__avx512(const void *p, const void *in, void *out, size_t start,
                                size_t end);

/* Record kinds: the input type, times 2, plus 1 for per-channel. */
#define TFL_DEQUANTIZE_KIND(type, per_channel) ((int)(type) * 2 + ((per_channel) ? 1 : 0))

/* The op's kernel records, best first (dequantize.c). */
extern const tfl__kernel tfl__dequantize_kernels[];
extern const size_t tfl__dequantize_num_kernels;

#endif
