/* Reference PAD kernel: row by row, filling the padding with the padding
 * element and copying input rows into place. */
#include <string.h>

#include "ops/pad/pad.h"

/* n padding elements at dst. */
static void fill(const tfl_pad_params *p, uint8_t *dst, size_t n)
{
    if (n == 0)
        return;
    if (p->value_is_zero) {
        memset(dst, 0, n * p->esize);
    } else if (p->esize == 1) {
        memset(dst, p->value[0], n);
    } else {
        for (size_t i = 0; i < n; ++i)
            memcpy(dst + i * p->esize, p->value, p->esize);
    }
}

void tfl_pad_any__ref(const tfl_pad_params *p, const void *input, void *output, size_t start,
                      size_t end)
{
    const int last = p->ndim - 1;
    const size_t es = p->esize;
    const size_t out_row = (size_t)p->out_dims[last];
    const size_t in_row = (size_t)p->in_dims[last];
    const size_t left = (size_t)p->before[last];
    for (size_t r = start; r < end; ++r) {
        uint8_t *out = (uint8_t *)output + r * out_row * es; /* [out_row] of output row r */
        /* Coordinates of row r, last-but-one dimension fastest. */
        size_t rem = r, in_r = 0, in_stride = 1;
        int inside = 1;
        for (int k = last - 1; k >= 0; --k) {
            size_t c = rem % (size_t)p->out_dims[k];
            rem /= (size_t)p->out_dims[k];
            if (c < (size_t)p->before[k] || c >= (size_t)p->before[k] + (size_t)p->in_dims[k]) {
                inside = 0;
                break;
            }
            in_r += (c - (size_t)p->before[k]) * in_stride;
            in_stride *= (size_t)p->in_dims[k];
        }
        if (!inside) {
            fill(p, out, out_row);
            continue;
        }
        const uint8_t *in = (const uint8_t *)input + in_r * in_row * es; /* [in_row] of input row */
        fill(p, out, left);
        if (in_row)
            memcpy(out + left * es, in, in_row * es);
        fill(p, out + (left + in_row) * es, out_row - left - in_row);
    }
}
