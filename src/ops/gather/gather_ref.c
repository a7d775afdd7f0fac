/* Reference GATHER kernel: one inner slice copy per index. */
#include <string.h>

#include "ops/gather/gather.h"

/* memcpy: constant indices sit in the model file, not always aligned. */
static size_t index_at(const void *indices, tfl_type t, size_t i)
{
    const uint8_t *p = indices;
    switch (t) {
    case TFL_INT16: {
        int16_t v;
        memcpy(&v, p + 2 * i, 2);
        return (size_t)v;
    }
    case TFL_INT32: {
        int32_t v;
        memcpy(&v, p + 4 * i, 4);
        return (size_t)v;
    }
    default: {
        int64_t v;
        memcpy(&v, p + 8 * i, 8);
        return (size_t)v;
    }
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
