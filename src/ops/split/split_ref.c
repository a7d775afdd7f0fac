/* Reference SPLIT kernel: chunk copies from each input row. */
#include <stdint.h>
#include <string.h>

#include "ops/split/split.h"

void tfl_split_any__ref(const tfl_split_params *p, const void *input, void *const *outputs,
                        size_t start, size_t end)
{
    const size_t es = p->esize;
    for (size_t k = start; k < end; ++k) {
        const uint8_t *in = (const uint8_t *)input + k * p->in_chunk * es; /* [in_chunk] of row k */
        for (int i = 0; i < p->num_outputs; ++i) {
            size_t n = p->chunk[i] * es;
            uint8_t *out = (uint8_t *)outputs[i] + k * n; /* [chunk[i]] of row k */
            if (n)
                memcpy(out, in, n);
            in += n;
        }
    }
}
