/* Reference TRANSPOSE kernel: walks the output in order and gathers each
 * element from its strided input position. */
#include <string.h>

#include "ops/transpose/transpose.h"

void tfl_transpose_any__ref(const tfl_transpose_params *p, const void *input, void *output,
                            size_t start, size_t end)
{
    const int last = p->ndim - 1;
    const size_t es = p->esize;
    const size_t row = (size_t)p->out_dims[last];
    const size_t step = p->in_stride[last] * es;
    for (size_t r = start; r < end; ++r) {
        uint8_t *out = (uint8_t *)output + r * row * es; /* [out_dims[last]] of output row r */
        size_t rem = r, off = 0;
        for (int k = last - 1; k >= 0; --k) {
            off += (rem % (size_t)p->out_dims[k]) * p->in_stride[k];
            rem /= (size_t)p->out_dims[k];
        }
        const uint8_t *in = (const uint8_t *)input + off * es; /* first input element of the row */
        switch (es) {
        case 1:
            for (size_t i = 0; i < row; ++i)
                out[i] = in[i * step];
            break;
        case 2:
            for (size_t i = 0; i < row; ++i)
                memcpy(out + 2 * i, in + i * step, 2);
            break;
        case 4:
            for (size_t i = 0; i < row; ++i)
                memcpy(out + 4 * i, in + i * step, 4);
            break;
        case 8:
            for (size_t i = 0; i < row; ++i)
                memcpy(out + 8 * i, in + i * step, 8);
            break;
        default:
            for (size_t i = 0; i < row; ++i)
                memcpy(out + es * i, in + i * step, es);
            break;
        }
    }
}
