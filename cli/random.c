/* Seeded random tensor contents for `tfl run` and `tfl bench` (documented in
 * `tfl run --help`): one splitmix64 stream over all inputs in order, so
 * `tfl run --seed N -o DIR` saves exactly the inputs `tfl bench --seed N` times. */
#include <string.h>

#include "cli.h"

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* float -> IEEE half, round to nearest even (values here are in [-1, 1)). */
static uint16_t f32_to_f16(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u;
    int32_t exp = (int32_t)((x >> 23) & 0xff) - 127 + 15;
    uint32_t mant = x & 0x7fffffu;
    if (((x >> 23) & 0xff) == 0xff)
        return (uint16_t)(sign | 0x7c00u | (mant ? 0x200u : 0));
    if (exp >= 31)
        return (uint16_t)(sign | 0x7c00u);
    if (exp <= 0) {
        if (exp < -10)
            return (uint16_t)sign;
        mant |= 0x800000u;
        uint32_t shift = (uint32_t)(14 - exp);
        uint32_t h = mant >> shift, rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (h & 1)))
            ++h;
        return (uint16_t)(sign | h);
    }
    uint32_t h = ((uint32_t)exp << 10) | (mant >> 13), rem = mant & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1)))
        ++h; /* may carry into the exponent, which is still correct */
    return (uint16_t)(sign | h);
}

/* Fills n elements of type t; false for types with no random form. */
bool cli_fill_random(tfl_type t, void *data, size_t n, uint64_t *state)
{
    unsigned char *p = data;
    for (size_t i = 0; i < n; ++i) {
        uint64_t r = splitmix64(state);
        /* 24 (float) / 53 (double) high bits give an exact uniform grid in [0, 1). */
        float uf = (float)(r >> 40) * (1.0f / 16777216.0f) * 2.0f - 1.0f;
        switch (t) {
        case TFL_UINT8:
        case TFL_INT8: p[i] = (unsigned char)(r >> 56); break;
        case TFL_BOOL: p[i] = (unsigned char)(r >> 63); break;
        case TFL_INT16:
        case TFL_UINT16: {
            uint16_t v = (uint16_t)(r >> 48);
            memcpy(p + 2 * i, &v, 2);
            break;
        }
        case TFL_INT32:
        case TFL_UINT32: {
            int32_t v = (int32_t)(r % 100);
            memcpy(p + 4 * i, &v, 4);
            break;
        }
        case TFL_INT64:
        case TFL_UINT64: {
            int64_t v = (int64_t)(r % 100);
            memcpy(p + 8 * i, &v, 8);
            break;
        }
        case TFL_FLOAT32: memcpy(p + 4 * i, &uf, 4); break;
        case TFL_FLOAT16: {
            uint16_t v = f32_to_f16(uf);
            memcpy(p + 2 * i, &v, 2);
            break;
        }
        case TFL_FLOAT64: {
            double v = (double)(r >> 11) * (1.0 / 9007199254740992.0) * 2.0 - 1.0;
            memcpy(p + 8 * i, &v, 8);
            break;
        }
        default: return false;
        }
    }
    return true;
}
