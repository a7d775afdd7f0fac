/* Reference GATHER_ND kernel: one slice copy per index tuple. */
#include <string.h>

#include "ops/gather_nd/gather_nd.h"

/* Indices of constant tensors point into the model's bytes, which need not
 * be aligned for their type: read through memcpy. */
static size_t coord_at(const void *indices, tfl_type t, size_t i)
{
    const uint8_t *b = indices;
    switch (t) {
    case TFL_INT16: {
        int16_t v;
        memcpy(&v, b + i * sizeof v, sizeof v);
        return (size_t)v;
    }
    case TFL_INT32: {
        int32_t v;
        memcpy(&v, b + i * sizeof v, sizeof v);
        return (size_t)v;
    }
    default: {
        int64_t v;
        memcpy(&v, b + i * sizeof v, sizeof v);
        return (size_t)v;
    }
    }
}

void tfl_gather_nd_any__ref(const tfl_gather_nd_params *p, const void *params, const void *indices,
                            void *output, size_t start, size_t end)
{
    const uint8_t *in = params; /* params, nd leading dims addressed by p->stride */
    uint8_t *out = output;      /* [n_slices, slice_bytes] */
    /* indices: [n_slices, nd], all in range */
    for (size_t s = start; s < end; ++s) {
        size_t offset = 0;
        for (int j = 0; j < p->nd; ++j)
            offset +=
                coord_at(indices, p->index_type, s * (size_t)p->nd + (size_t)j) * p->stride[j];
        memcpy(out + s * p->slice_bytes, in + offset, p->slice_bytes);
    }
}
