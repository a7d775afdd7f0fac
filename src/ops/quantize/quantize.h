/* QUANTIZE kernels: float32 to uint8/int8/int16 (per tensor or per channel)
 * and requantization between integer types. fn(params, in, out, start, end)
 * converts elements [start, end). */
#ifndef TFL_OPS_QUANTIZE_H
#define TFL_OPS_QUANTIZE_H

#include <stddef.h>
#include <stdint.h>

typedef struct tfl_quantize_params {
    /* float -> integer, per tensor: round(x / scale) + zero_point. */
    float scale;
    int32_t zero_point;
    /* per channel: channel of element i is (i / inner) % channels. */
    const float *scales;
    const int64_t *zero_points;
    size_t channels, inner;
    /* integer -> integer: (x - in_zp) * mult * 2^(shift - 31) + out_zp. */
    int32_t in_zp, out_zp, mult;
    int shift;
    /* 8-bit -> 8-bit: the output byte of every input byte, made by the
     * kind's reference function (tfl_quantize_fill_lut8) for the lookup
     * record. */
    uint8_t lut8[256];
} tfl_quantize_params;

typedef void (*tfl_quantize_fn)(const void *p, const void *in, void *out, size_t start, size_t end);

/* p->lut8 from ref, the 8-bit -> 8-bit reference function of p's kind,
 * run on all 256 input bytes. */
void tfl_quantize_fill_lut8(tfl_quantize_params *p, tfl_quantize_fn ref);
/* Any 8-bit -> 8-bit requantization as lookups in p->lut8, 64 bytes per
 * step with AVX-512 VBMI (quantize_vbmi.c). */
void tfl_quantize_q8_q8__vbmi(const void *p, const void *in, void *out, size_t start,
                              size_t end);

void tfl_quantize_f32_u8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_f32_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_f32_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_pc_f32_u8__ref(const void *p, const void *in, void *out, size_t start,
                                 size_t end);
void tfl_quantize_pc_f32_s8__ref(const void *p, const void *in, void *out, size_t start,
                                 size_t end);
void tfl_quantize_pc_f32_s16__ref(const void *p, const void *in, void *out, size_t start,
                                  size_t end);

/* AVX2 float32 -> int8/uint8 per tensor (quantize_avx2.c). */
void tfl_quantize_f32_s8__avx2(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_f32_u8__avx2(const void *p, const void *in, void *out, size_t start, size_t end);
/* AVX2 requantization between int8 and uint8 (quantize_avx2.c). */
void tfl_quantize_u8_u8__avx2(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_u8_s8__avx2(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_s8_u8__avx2(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_s8_s8__avx2(const void *p, const void *in, void *out, size_t start, size_t end);

/* Requantize kernels, tfl_quantize_<in>_<out>__ref. */
void tfl_quantize_u8_u8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_u8_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_u8_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_s8_u8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_s8_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_s8_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_s16_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_s16_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_s16_s32__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_s32_s8__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_quantize_s32_s16__ref(const void *p, const void *in, void *out, size_t start, size_t end);

/* The op's kernel records, best first (quantize.c); a record's kind is
 * tfl_quantize_kind(input type, output type, per channel). */
#include "ops/kernel.h"
static inline int tfl_quantize_kind(int in, int out, int per_channel)
{
    return in << 8 | out << 1 | per_channel;
}
extern const tfl__kernel tfl__quantize_kernels[];
extern const size_t tfl__quantize_num_kernels;

#endif
