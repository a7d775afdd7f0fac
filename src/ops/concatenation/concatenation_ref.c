/* Reference CONCATENATION kernels: chunk copies, with TFLite's float-based
 * requantization for uint8/int8 inputs whose scale or zero point differs
 * from the output's. */
#include <math.h>
#include <string.h>

#include "ops/concatenation/concatenation.h"

void tfl_concatenation_any__ref(const tfl_concatenation_params *p, const void *const *inputs,
                                void *output, size_t start, size_t end)
{
    const size_t es = p->esize;
    for (size_t k = start; k < end; ++k) {
        uint8_t *out = (uint8_t *)output + k * p->out_chunk * es; /* [out_chunk] of row k */
        for (int i = 0; i < p->num_inputs; ++i) {
            size_t n = p->chunk[i] * es;
            const uint8_t *in = (const uint8_t *)inputs[i] + k * n; /* [chunk[i]] of row k */
            if (n)
                memcpy(out, in, n);
            out += n;
        }
    }
}

void tfl_concatenation_f32__ref(const tfl_concatenation_params *p, const void *const *inputs,
                                void *output, size_t start, size_t end)
{
    for (size_t k = start; k < end; ++k) {
        float *out = (float *)output + k * p->out_chunk; /* [out_chunk] of row k */
        for (int i = 0; i < p->num_inputs; ++i) {
            size_t n = p->chunk[i];
            const float *in = (const float *)inputs[i] + k * n; /* [chunk[i]] of row k */
            for (size_t j = 0; j < n; ++j) {
                float v = in[j];
                out[j] = v < p->act_min ? p->act_min : (v > p->act_max ? p->act_max : v);
            }
            out += n;
        }
    }
}

/* One rescaled value as ConcatenationWithScaling computes it: the product and
 * sum are float operations, rounded half away from zero. A rounded value
 * outside int32 (absurd scale ratios) becomes INT32_MIN and the zero point
 * is added with wraparound, as TFLite's conversion and addition do on x86. */
static inline int32_t rescale(int32_t q, float scale, float bias, int32_t zp)
{
    float prod = (float)q * scale;
    float sum = prod + bias;
    float r = roundf(sum);
    int32_t v = (r >= -2147483648.0f && r < 2147483648.0f) ? (int32_t)r : INT32_MIN;
    return (int32_t)((uint32_t)v + (uint32_t)zp);
}

void tfl_concatenation_u8__ref(const tfl_concatenation_params *p, const void *const *inputs,
                               void *output, size_t start, size_t end)
{
    for (size_t k = start; k < end; ++k) {
        uint8_t *out = (uint8_t *)output + k * p->out_chunk; /* [out_chunk] of row k */
        for (int i = 0; i < p->num_inputs; ++i) {
            size_t n = p->chunk[i];
            const uint8_t *in = (const uint8_t *)inputs[i] + k * n; /* [chunk[i]] of row k */
            if (!p->requant[i]) {
                if (n)
                    memcpy(out, in, n);
            } else {
                for (size_t j = 0; j < n; ++j) {
                    int32_t v = rescale(in[j], p->scale[i], p->bias[i], p->out_zero_point);
                    out[j] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
                }
            }
            out += n;
        }
    }
}

void tfl_concatenation_s8__ref(const tfl_concatenation_params *p, const void *const *inputs,
                               void *output, size_t start, size_t end)
{
    for (size_t k = start; k < end; ++k) {
        int8_t *out = (int8_t *)output + k * p->out_chunk; /* [out_chunk] of row k */
        for (int i = 0; i < p->num_inputs; ++i) {
            size_t n = p->chunk[i];
            const int8_t *in = (const int8_t *)inputs[i] + k * n; /* [chunk[i]] of row k */
            if (!p->requant[i]) {
                if (n)
                    memcpy(out, in, n);
            } else {
                for (size_t j = 0; j < n; ++j) {
                    int32_t v = rescale(in[j], p->scale[i], p->bias[i], p->out_zero_point);
                    out[j] = (int8_t)(v < -128 ? -128 : (v > 127 ? 127 : v));
                }
            }
            out += n;
        }
    }
}
