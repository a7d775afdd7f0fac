/* MAXIMUM (55) and MINIMUM (57): elementwise with broadcasting, both inputs
 * and the output of one type: float32, uint8, int8, int16, int32, int64
 * (quantized types compare raw values, their parameters ignored, as in
 * TFLite). */
#include <stdlib.h>

#include "ops/elementwise.h"
#include "ops/maximum_minimum/maximum_minimum.h"

#define TYPES "float32, uint8, int8, int16, int32, int64"

static const tfl__typed_binary maximum_kernels[] = {
    {TFL_FLOAT32, tfl_maximum_f32__ref}, {TFL_UINT8, tfl_maximum_u8__ref},
    {TFL_INT8, tfl_maximum_s8__ref},     {TFL_INT16, tfl_maximum_s16__ref},
    {TFL_INT32, tfl_maximum_s32__ref},   {TFL_INT64, tfl_maximum_s64__ref},
};
static const tfl__typed_binary minimum_kernels[] = {
    {TFL_FLOAT32, tfl_minimum_f32__ref}, {TFL_UINT8, tfl_minimum_u8__ref},
    {TFL_INT8, tfl_minimum_s8__ref},     {TFL_INT16, tfl_minimum_s16__ref},
    {TFL_INT32, tfl_minimum_s32__ref},   {TFL_INT64, tfl_minimum_s64__ref},
};

static tfl_status maximum_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, maximum_kernels,
                                     sizeof maximum_kernels / sizeof maximum_kernels[0], TYPES);
}

static tfl_status minimum_prepare(tfl__ctx *ctx, tfl__node *node)
{
    return tfl__typed_binary_prepare(ctx, node, minimum_kernels,
                                     sizeof minimum_kernels / sizeof minimum_kernels[0], TYPES);
}

const tfl__op tfl__op_maximum = {
    .builtin_code = 55,
    .min_version = 1,
    .max_version = 4,
    .init = tfl__typed_binary_init,
    .prepare = maximum_prepare,
    .eval = tfl__typed_binary_eval,
    .free = free,
};

const tfl__op tfl__op_minimum = {
    .builtin_code = 57,
    .min_version = 1,
    .max_version = 4,
    .init = tfl__typed_binary_init,
    .prepare = minimum_prepare,
    .eval = tfl__typed_binary_eval,
    .free = free,
};
