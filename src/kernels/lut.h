/* Lookup tables for quantized activations, built exactly as TFLite's
 * LUTPopulate: 256 entries for 8-bit inputs, 513 interpolated entries for
 * int16 inputs. */
#ifndef TFL_KERNELS_LUT_H
#define TFL_KERNELS_LUT_H

#include <stdbool.h>
#include <stdint.h>

#define TFL__LUT16_SIZE 513

typedef float (*tfl__lut_fn_f32)(float x, const void *arg);
typedef double (*tfl__lut_fn_f64)(double x, const void *arg);

/* 8-bit table indexed by the raw byte of the input (int8 inputs are indexed
 * through their uint8 bit pattern). Computed in float: dequantize, apply fn,
 * round(y / out_scale) + out_zp, saturate. */
void tfl__lut_populate8(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                        bool is_signed, tfl__lut_fn_f32 fn, const void *arg, uint8_t lut[256]);

/* int16 table of 512 samples plus an end point, with TFLite's midpoint bias
 * correction; in float (the default) or double (kept by TFLite for SOFTMAX). */
void tfl__lut_populate16_f32(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                             tfl__lut_fn_f32 fn, const void *arg, int16_t lut[TFL__LUT16_SIZE]);
void tfl__lut_populate16_f64(double in_scale, int32_t in_zp, double out_scale, int32_t out_zp,
                             tfl__lut_fn_f64 fn, const void *arg, int16_t lut[TFL__LUT16_SIZE]);

/* int16 lookup: the high 9 bits pick the segment, the low 7 interpolate. */
static inline int16_t tfl__lut_lookup16(int16_t value, const int16_t *lut)
{
    unsigned index = (unsigned)(256 + (value >> 7));
    int32_t offset = value & 0x7f;
    int32_t base = lut[index];
    int32_t slope = (int16_t)(lut[index + 1] - lut[index]); /* int16 in TFLite */
    int32_t delta = (slope * offset + 64) >> 7;
    return (int16_t)(base + delta);
}

#endif
