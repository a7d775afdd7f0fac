/* REDUCE_MAX, REDUCE_MIN, REDUCE_PROD, REDUCE_ANY and REDUCE_ALL reference
 * kernels, bit-exact with TFLite's reference ReduceGeneric: each output
 * starts from the reduction's neutral element (the type's lowest value for
 * max, its largest for min, 1, false, true) and folds its input elements in
 * increasing memory order. Max and min keep the current value unless the
 * new one is strictly greater (smaller), so NaN never wins and of +0 and -0
 * the first stays; integer products wrap. */
#include <float.h>
#include <stdint.h>

#include "kernels/quant.h"
#include "ops/mean/reduce_each.h"

#define MAX_MIN(SUFFIX, T, LOWEST, HIGHEST)                                                        \
    void tfl_reduce_max_##SUFFIX##__ref(const tfl_reduce_params *p, const void *input,             \
                                        void *output, size_t start, size_t end)                    \
    {                                                                                              \
        const T *in = input;                                                                       \
        T *out = output;                                                                           \
        REDUCE_EACH(p, start, end, T acc = LOWEST, acc = in[at] > acc ? in[at] : acc,              \
                    out[o] = acc);                                                                 \
    }                                                                                              \
    void tfl_reduce_min_##SUFFIX##__ref(const tfl_reduce_params *p, const void *input,             \
                                        void *output, size_t start, size_t end)                    \
    {                                                                                              \
        const T *in = input;                                                                       \
        T *out = output;                                                                           \
        REDUCE_EACH(p, start, end, T acc = HIGHEST, acc = in[at] < acc ? in[at] : acc,             \
                    out[o] = acc);                                                                 \
    }

MAX_MIN(f32, float, -FLT_MAX, FLT_MAX)
MAX_MIN(u8, uint8_t, 0, UINT8_MAX)
MAX_MIN(s8, int8_t, INT8_MIN, INT8_MAX)
MAX_MIN(s16, int16_t, INT16_MIN, INT16_MAX)
MAX_MIN(s32, int32_t, INT32_MIN, INT32_MAX)
MAX_MIN(s64, int64_t, INT64_MIN, INT64_MAX)

void tfl_reduce_prod_f32__ref(const tfl_reduce_params *p, const void *input, void *output,
                              size_t start, size_t end)
{
    const float *in = input;
    float *out = output;
    REDUCE_EACH(p, start, end, float acc = 1.0f, acc = in[at] * acc, out[o] = acc);
}

void tfl_reduce_prod_s32__ref(const tfl_reduce_params *p, const void *input, void *output,
                              size_t start, size_t end)
{
    const int32_t *in = input;
    int32_t *out = output;
    REDUCE_EACH(p, start, end, uint32_t acc = 1, acc = (uint32_t)in[at] * acc,
                out[o] = (int32_t)acc);
}

void tfl_reduce_prod_s64__ref(const tfl_reduce_params *p, const void *input, void *output,
                              size_t start, size_t end)
{
    const int64_t *in = input;
    int64_t *out = output;
    REDUCE_EACH(p, start, end, uint64_t acc = 1, acc = (uint64_t)in[at] * acc,
                out[o] = (int64_t)acc);
}

/* Plain products of unquantized 8- and 16-bit tensors, wrapping to the type
 * at every step as TFLite's generic kernel does. */
#define PROD_RAW(SUFFIX, T)                                                                        \
    void tfl_reduce_prod_##SUFFIX##__ref(const tfl_reduce_params *p, const void *input,            \
                                         void *output, size_t start, size_t end)                   \
    {                                                                                              \
        const T *in = input;                                                                       \
        T *out = output;                                                                           \
        REDUCE_EACH(p, start, end, T acc = 1, acc = (T)((uint32_t)in[at] * (uint32_t)acc),         \
                    out[o] = acc);                                                                 \
    }
PROD_RAW(u8, uint8_t)
PROD_RAW(s8_raw, int8_t)
PROD_RAW(s16_raw, int16_t)

/* Quantized int8 / int16 products, as TFLite's QuantizedReduceProd: the
 * first element minus the zero point, then each step's product rescaled by
 * input_scale / output_scale^(1/count), the total rescaled once more. */
#define PROD_Q(SUFFIX, T, LO, HI)                                                                  \
    void tfl_reduce_prod_##SUFFIX##__ref(const tfl_reduce_params *p, const void *input,            \
                                         void *output, size_t start, size_t end)                   \
    {                                                                                              \
        const T *in = input;                                                                       \
        T *out = output;                                                                           \
        REDUCE_EACH(p, start, end, int32_t acc = 0; int64_t n_ = 0,                                \
                    acc = n_++ == 0 ? (int32_t)in[at] - p->in_zp                                   \
                                    : tfl__mbqm64((int64_t)acc * ((int32_t)in[at] - p->in_zp),     \
                                                  p->mult, p->shift),                              \
                    out[o] = (T)tfl__clamp_i32(n_ == 0 ? p->empty_prod                             \
                                                       : tfl__mbqm64(acc, p->mult, p->shift) +     \
                                                             p->out_zp,                            \
                                               LO, HI));                                           \
    }
PROD_Q(s8, int8_t, INT8_MIN, INT8_MAX)
PROD_Q(s16, int16_t, INT16_MIN, INT16_MAX)

void tfl_reduce_any_b8__ref(const tfl_reduce_params *p, const void *input, void *output,
                            size_t start, size_t end)
{
    const uint8_t *in = input;
    uint8_t *out = output;
    REDUCE_EACH(p, start, end, uint8_t acc = 0, acc = (uint8_t)(acc || in[at]), out[o] = acc);
}

void tfl_reduce_all_b8__ref(const tfl_reduce_params *p, const void *input, void *output,
                            size_t start, size_t end)
{
    const uint8_t *in = input;
    uint8_t *out = output;
    REDUCE_EACH(p, start, end, uint8_t acc = 1, acc = (uint8_t)(acc && in[at]), out[o] = acc);
}
