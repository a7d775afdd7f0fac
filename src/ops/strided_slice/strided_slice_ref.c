/* Reference STRIDED_SLICE kernel: writes the output in order, gathering
 * each row's elements at a fixed input step. */
#include <string.h>

#include "ops/strided_slice/strided_slice.h"

void tfl_strided_slice_any__ref(const tfl_strided_slice_params *p, const void *input, void *output,
                                size_t start, size_t end)
{
    const int last = p->ndim - 1;
    const size_t es = p->esize;
    const size_t row = (size_t)p->count[last];
    const int64_t step = p->step[last];
    for (size_t r = start; r < end; ++r) {
        uint8_t *out = (uint8_t *)output + r * row * es; /* [count[last]] of output row r */
        size_t rem = r;
        int64_t off = p->base;
        for (int k = last - 1; k >= 0; --k) {
            off += (int64_t)(rem % (size_t)p->count[k]) * p->step[k];
            rem /= (size_t)p->count[k];
        }
        if (step == 1) {
            memcpy(out, (const uint8_t *)input + off * (int64_t)es, row * es);
            continue;
        }
        for (size_t i = 0; i < row; ++i, off += step)
            memcpy(out + i * es, (const uint8_t *)input + off * (int64_t)es, es);
    }
}
