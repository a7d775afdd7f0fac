/* RIGHT_SHIFT (161): a >> b with broadcasting, inputs and output of one
 * type: int8, uint8, int16, uint16, int32, uint32 (TFLite's list). As
 * TFLite's RightShift, the amount is clamped to [0, bits - 1] first (a
 * negative amount shifts by 0, a large one by bits - 1), and signed values
 * shift arithmetically (the sign fills in, as TFLite's >> on gcc/clang):
 * written with a division-free formula so no shift is out of range and no
 * implementation-defined signed shift is used. TFLite broadcasts with its
 * 4-D kernel (aborting above 4-D); tfl broadcasts up to 8-D. */
#include <stdint.h>
#include <stdlib.h>

#include "ops/elementwise.h"

/* Clamp of the amount v (of the element type) to [0, BITS - 1]; unsigned
 * amounts skip the test for negative (always false, a -Wtype-limits warning). */
#define CLAMP_1(v, BITS) ((v) < 0 ? 0 : (v) > (BITS)-1 ? (BITS)-1 : (int)(v))
#define CLAMP_0(v, BITS) ((v) > (BITS)-1 ? (BITS)-1 : (int)(v))

/* Arithmetic shift of a signed value by s in [0, BITS - 1]: shift the
 * complement of a negative value logically, which equals floor division. */
#define SHIFT_1(T, UT, x, s) ((x) < 0 ? (T) ~(T)((UT) ~(UT)(x) >> (s)) : (T)((UT)(x) >> (s)))
#define SHIFT_0(T, UT, x, s) ((T)((UT)(x) >> (s)))

#define KERNEL(NAME, T, UT, BITS, SIGNED)                                                          \
    static void NAME(const void *p, const void *a, int as, const void *b, int bs, void *out,       \
                     size_t n)                                                                     \
    {                                                                                              \
        const T *x = a, *y = b;                                                                    \
        T *o = out;                                                                                \
        (void)p;                                                                                   \
        for (size_t i = 0; i < n; ++i) {                                                           \
            const T u = x[i * as], v = y[i * bs];                                                  \
            const int s = CLAMP_##SIGNED(v, BITS);                                                 \
            o[i] = SHIFT_##SIGNED(T, UT, u, s);                                                    \
        }                                                                                          \
    }

KERNEL(shift_s8, int8_t, uint8_t, 8, 1)
KERNEL(shift_u8, uint8_t, uint8_t, 8, 0)
KERNEL(shift_s16, int16_t, uint16_t, 16, 1)
KERNEL(shift_u16, uint16_t, uint16_t, 16, 0)
KERNEL(shift_s32, int32_t, uint32_t, 32, 1)
KERNEL(shift_u32, uint32_t, uint32_t, 32, 0)

static const tfl__typed_binary kernels[] = {
    {TFL_INT8, shift_s8},    {TFL_UINT8, shift_u8},  {TFL_INT16, shift_s16},
    {TFL_UINT16, shift_u16}, {TFL_INT32, shift_s32}, {TFL_UINT32, shift_u32},
};

static tfl_status shift_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, kernels, sizeof kernels / sizeof kernels[0],
                                     "int8, uint8, int16, uint16, int32, uint32");
}

const tfl__op tfl__op_right_shift = {
    .builtin_code = 161,
    .min_version = 1,
    .max_version = 1,
    .init = tfl__typed_binary_init,
    .prepare = shift_prepare,
    .eval = tfl__typed_binary_eval,
    .free = free,
};
