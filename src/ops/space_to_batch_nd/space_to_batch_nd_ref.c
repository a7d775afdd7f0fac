/* Reference SPACE_TO_BATCH_ND kernel: one output pixel (depth elements) at a
 * time, copied from the input or filled with the padding byte. */
#include <string.h>

#include "ops/space_to_batch_nd/space_to_batch_nd.h"

void tfl_space_to_batch_nd_any__ref(const tfl_space_to_batch_nd_params *p, const void *input,
                                    void *output, size_t start, size_t end)
{
    const size_t px = (size_t)p->depth * p->esize; /* bytes per pixel */
    for (size_t r = start; r < end; ++r) {
        const int b = (int)(r / (size_t)p->out_h), y = (int)(r % (size_t)p->out_h);
        const int in_b = b % p->in_b;
        const int shift_w = (b / p->in_b) % p->block_w;
        const int shift_h = (b / p->in_b) / p->block_w;
        const int iy = y * p->block_h + shift_h - p->pad_top;
        uint8_t *out = (uint8_t *)output + r * (size_t)p->out_w * px; /* [out_w, depth] of row r */
        for (int x = 0; x < p->out_w; ++x) {
            const int ix = x * p->block_w + shift_w - p->pad_left;
            if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) {
                memset(out + (size_t)x * px, p->pad_byte, px);
            } else {
                const uint8_t *in =
                    (const uint8_t *)input +
                    (((size_t)in_b * p->in_h + iy) * p->in_w + ix) * px; /* [depth] */
                memcpy(out + (size_t)x * px, in, px);
            }
        }
    }
}
