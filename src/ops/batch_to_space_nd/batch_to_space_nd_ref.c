/* Reference BATCH_TO_SPACE_ND kernel: gathers each output pixel (depth
 * elements) from its input batch and position. */
#include <stdint.h>
#include <string.h>

#include "ops/batch_to_space_nd/batch_to_space_nd.h"

void tfl_batch_to_space_nd_any__ref(const tfl_batch_to_space_nd_params *p, const void *input,
                                    void *output, size_t start, size_t end)
{
    const size_t px = (size_t)p->depth * p->esize; /* bytes per pixel */
    for (size_t r = start; r < end; ++r) {
        const int b = (int)(r / (size_t)p->out_h), y = (int)(r % (size_t)p->out_h);
        const int yy = y + p->crop_top;
        const int iy = yy / p->block_h, off_h = yy % p->block_h;
        uint8_t *out = (uint8_t *)output + r * (size_t)p->out_w * px; /* [out_w, depth] of row r */
        for (int x = 0; x < p->out_w; ++x) {
            const int xx = x + p->crop_left;
            const int ix = xx / p->block_w, off_w = xx % p->block_w;
            const int ib = (off_h * p->block_w + off_w) * p->out_b + b;
            const uint8_t *in = (const uint8_t *)input +
                                (((size_t)ib * p->in_h + iy) * p->in_w + ix) * px; /* [depth] */
            memcpy(out + (size_t)x * px, in, px);
        }
    }
}
