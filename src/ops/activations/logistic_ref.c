/* LOGISTIC and TANH reference kernels: float, the 8-bit table lookup, and
 * the int16 fixed-point path over TFLite's sigmoid table. */
#include <math.h>
#include <stdlib.h>

#include "ops/activations/activations.h"

/* sigmoid(i / 24) in unsigned 0.16 fixed point, i = 0..255: TFLite's table
 * (its values are tuned, not plain roundings, so they are kept verbatim).
 * tanh(x) = 2 * sigmoid(2x) - 1 reads the same table. */
static const uint16_t sigmoid_table[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794,
    41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443,
    48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169, 53581, 53983, 54374,
    54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007, 58280, 58544,
    58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279,
    61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990,
    63090, 63186, 63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030,
    64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652,
    64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019,
    65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234,
    65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360,
    65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476,
    65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498, 65500, 65501,
    65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516,
    65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529,
    65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532,
    65532, 65532, 65532, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65534, 65534,
    65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
};

void tfl_lut8__ref(const void *lut, const void *in, void *out, size_t start, size_t end)
{
    const uint8_t *t = lut; /* [256] */
    const uint8_t *x = in;  /* [n] bytes of uint8 or int8 */
    uint8_t *o = out;       /* [n] */
    for (size_t i = start; i < end; ++i)
        o[i] = t[x[i]];
}

void tfl_logistic_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end)
{
    /* TFLite's cutoffs: 1 above, exp(x) below (the exact value underflows). */
    const float cutoff_upper = 16.619047164916992188f;
    const float cutoff_lower = -9.f;
    const float *x = in; /* [n] */
    float *o = out;      /* [n] */
    (void)p;
    for (size_t i = start; i < end; ++i) {
        float v = x[i];
        if (v > cutoff_upper)
            o[i] = 1.0f;
        else if (v < cutoff_lower)
            o[i] = expf(v);
        else
            o[i] = 1.0f / (1.0f + expf(-v));
    }
}

void tfl_tanh_f32__ref(const void *p, const void *in, void *out, size_t start, size_t end)
{
    const float *x = in; /* [n] */
    float *o = out;      /* [n] */
    (void)p;
    for (size_t i = start; i < end; ++i)
        o[i] = tanhf(x[i]);
}

/* Input rescaled to 1/4096 units over 3/4 of the range (wrapping as
 * TFLite's int32 arithmetic does for absurd scales). */
static inline int32_t sigmoid16_input(const tfl_sigmoid16_params *p, int16_t x)
{
    int32_t round = p->left_shift > 0 ? (int32_t)1 << (p->left_shift - 1) : 0;
    int32_t v = (int32_t)((uint32_t)(int32_t)x * (uint32_t)p->mult + (uint32_t)round);
    return v >> p->left_shift;
}

void tfl_logistic_s16__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const int16_t *x = in; /* [n], Q3.12 after rescale */
    int16_t *o = out;      /* [n], Q0.15 */
    for (size_t i = start; i < end; ++i) {
        int32_t v = sigmoid16_input(params, x[i]);
        uint32_t a = (uint32_t)abs(v);
        uint32_t seg = a >> 9;
        uint32_t r;
        if (seg >= 255) {
            r = 0x7FFFu << 10;
        } else {
            uint32_t ua = sigmoid_table[seg], ub = sigmoid_table[seg + 1];
            r = (ua << 9) + (a & 0x1ff) * (ub - ua); /* interpolate on 9 bits */
        }
        /* sigmoid(-x) = 1 - sigmoid(x) */
        r = v >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1;
        o[i] = (int16_t)(r >> 10);
    }
}

void tfl_tanh_s16__ref(const void *params, const void *in, void *out, size_t start, size_t end)
{
    const int16_t *x = in; /* [n], Q3.12 after rescale */
    int16_t *o = out;      /* [n], Q0.15 */
    for (size_t i = start; i < end; ++i) {
        int32_t v = sigmoid16_input(params, x[i]);
        uint32_t a = (uint32_t)abs(v);
        uint32_t seg = a >> 8;
        int32_t r;
        if (seg >= 255) {
            r = 0xFFFF << 8;
        } else {
            uint32_t ua = sigmoid_table[seg], ub = sigmoid_table[seg + 1];
            r = (int32_t)((ua << 8) + (a & 0xff) * (ub - ua)); /* sigmoid(2x), 8 bits */
        }
        /* tanh = 2 * sigmoid(2x) - 1, odd */
        r = v >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
        o[i] = (int16_t)(r >> 8);
    }
}
