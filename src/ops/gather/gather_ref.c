/* Reference GATHER kernel: one inner slice copy per index. */
#include <string.h>

#include "ops/gather/gather.h"

static size_t index_at(const void *indices, tfl_type t, size_t i)
{
    switch (t) {
    case TFL_INT16: return (size_t)((const int16_t *)indices)[i];
    case TFL_INT32: return (size_t)((const int32_t *)indices)[i];
    default: return (size_t)((const int64_t *)indices)[i];
    }
}

void tfl_gather_any__ref(const tfl_gather_params *p, const void *input, const void *indices,
                         void *output, size_t start, size_t end)
{
    const size_t slice = p->inner * p->esize;
    for (size_t r = start; r < end; ++r) {
        const size_t b = r / p->outer;
        /* input [axis_size, inner] and output [coords, inner] of row r */
        const uint8_t *in = (const uint8_t *)input + r * p->axis_size * slice;
        uint8_t *out = (uint8_t *)output + r * p->coords * slice;
        for (size_t i = 0; i < p->coords; ++i) {
            size_t idx = index_at(indices, p->index_type, b * p->coords + i);
            memcpy(out + i * slice, in + idx * slice, slice);
        }
    }
}
