/* Reference TILE kernel: each output row is the matching input row copied
 * multiples[last] times. */
#include <string.h>

#include "ops/tile/tile.h"

void tfl_tile_any__ref(const tfl_tile_params *p, const void *input, void *output, size_t start,
                       size_t end)
{
    const int last = p->ndim - 1;
    const size_t es = p->esize;
    const size_t in_row = (size_t)p->in_dims[last] * es;
    const size_t out_row = (size_t)p->out_dims[last] * es;
    for (size_t r = start; r < end; ++r) {
        uint8_t *out = (uint8_t *)output + r * out_row; /* [out_dims[last]] of output row r */
        size_t rem = r, in_r = 0, in_stride = 1;
        for (int k = last - 1; k >= 0; --k) {
            size_t c = rem % (size_t)p->out_dims[k];
            rem /= (size_t)p->out_dims[k];
            in_r += (c % (size_t)p->in_dims[k]) * in_stride;
            in_stride *= (size_t)p->in_dims[k];
        }
        const uint8_t *in =
            (const uint8_t *)input + in_r * in_row; /* [in_dims[last]] of input row */
        for (size_t o = 0; o < out_row; o += in_row)
            memcpy(out + o, in, in_row);
    }
}
