/* Lookup-table construction for quantized activations (TFLite LUTPopulate). */
#include "kernels/lut.h"

#include <math.h>

#include "kernels/fixedpoint.h"

void tfl__lut_populate8(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                        bool is_signed, tfl__lut_fn_f32 fn, const void *arg, uint8_t lut[256])
{
    const float inverse_scale = 1.0f / out_scale;
    const int32_t minval = is_signed ? -128 : 0;
    const int32_t maxval = is_signed ? 127 : 255;
    for (int32_t val = minval; val <= maxval; ++val) {
        float dequantized = in_scale * (float)(val - in_zp);
        float transformed = fn(dequantized, arg);
        float rescaled = roundf(transformed * inverse_scale) + (float)out_zp;
        /* Saturate in float: results beyond int32 (exp of a large input is
         * inf) clamp to the type's range, as LiteRT's tables do; NaN takes
         * the minimum. */
        int32_t q = rescaled >= (float)maxval ? maxval
                    : rescaled > (float)minval ? (int32_t)rescaled
                                               : minval;
        lut[(uint8_t)val] = (uint8_t)q;
    }
}

/* One body for both precisions: T is float or double, RND its round(). */
#define TFL_LUT16_BODY(T, RND)                                                                     \
    const T input_min = in_scale * (T)(INT16_MIN - in_zp);                                         \
    const T input_max = in_scale * (T)(INT16_MAX - in_zp);                                         \
    const T output_min = out_scale * (T)(INT16_MIN - out_zp);                                      \
    const T output_max = out_scale * (T)(INT16_MAX - out_zp);                                      \
    const int nb_steps = 512;                                                                      \
    const T step = (input_max - input_min) / (T)nb_steps;                                          \
    const T half_step = step / (T)2;                                                               \
    const T scaling_inv = (T)65536 / (output_max - output_min);                                    \
    const T table_min = (T)INT16_MIN, table_max = (T)INT16_MAX;                                    \
    for (int i = 0; i < nb_steps; ++i) {                                                           \
        T val = fn(input_min + (T)i * step, arg);                                                  \
        T val_mid = fn(input_min + (T)i * step + half_step, arg);                                  \
        T val_next = fn(input_min + (T)(i + 1) * step, arg);                                       \
        T sample = RND(val * scaling_inv);                                                         \
        T mid_interp = RND((val_next * scaling_inv + RND(val * scaling_inv)) / (T)2);              \
        T mid_val = RND(val_mid * scaling_inv);                                                    \
        T bias = RND((mid_interp - mid_val) / (T)2);                                               \
        T v = sample - bias;                                                                       \
        v = v < table_min ? table_min : v;                                                         \
        v = v > table_max ? table_max : v;                                                         \
        lut[i] = v == v ? (int16_t)v : 0; /* NaN: as x86 TFLite */                                 \
    }                                                                                              \
    T last = RND(fn(input_max, arg) * scaling_inv);                                                \
    last = last < table_min ? table_min : last;                                                    \
    last = last > table_max ? table_max : last;                                                    \
    lut[nb_steps] = last == last ? (int16_t)last : 0;

void tfl__lut_populate16_f32(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                             tfl__lut_fn_f32 fn, const void *arg, int16_t lut[TFL__LUT16_SIZE])
{
    TFL_LUT16_BODY(float, roundf)
}

void tfl__lut_populate16_f64(double in_scale, int32_t in_zp, double out_scale, int32_t out_zp,
                             tfl__lut_fn_f64 fn, const void *arg, int16_t lut[TFL__LUT16_SIZE])
{
    TFL_LUT16_BODY(double, round)
}
