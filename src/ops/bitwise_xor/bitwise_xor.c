/* BITWISE_XOR (160): a ^ b with broadcasting, inputs and output of one type:
 * int8, uint8, int16, uint16, int32, uint32 (TFLite's list; signed and
 * unsigned share the bits, so one kernel per width). TFLite broadcasts with
 * its 4-D kernel (and aborts above 4-D); tfl broadcasts up to 8-D. */
#include <stdint.h>
#include <stdlib.h>

#include "ops/elementwise.h"

#define XOR(NAME, T)                                                                               \
    static void NAME(const void *p, const void *a, int as, const void *b, int bs, void *out,       \
                     size_t n)                                                                     \
    {                                                                                              \
        const T *x = a, *y = b;                                                                    \
        T *o = out;                                                                                \
        (void)p;                                                                                   \
        for (size_t i = 0; i < n; ++i)                                                             \
            o[i] = (T)(x[i * as] ^ y[i * bs]);                                                     \
    }

XOR(xor_8, uint8_t)
XOR(xor_16, uint16_t)
XOR(xor_32, uint32_t)

static const tfl__typed_binary kernels[] = {
    {TFL_INT8, xor_8},    {TFL_UINT8, xor_8},  {TFL_INT16, xor_16},
    {TFL_UINT16, xor_16}, {TFL_INT32, xor_32}, {TFL_UINT32, xor_32},
};

static tfl_status xor_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, kernels, sizeof kernels / sizeof kernels[0],
                                     "int8, uint8, int16, uint16, int32, uint32");
}

const tfl__op tfl__op_bitwise_xor = {
    .builtin_code = 160,
    .min_version = 1,
    .max_version = 1,
    .init = tfl__typed_binary_init,
    .prepare = xor_prepare,
    .eval = tfl__typed_binary_eval,
    .free = free,
};
