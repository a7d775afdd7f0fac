/* LOGICAL_AND / LOGICAL_OR / LOGICAL_NOT reference kernels. */
#include <stdint.h>

#include "ops/logical/logical.h"

void tfl_logical_and_b8__ref(const void *p, const void *a, int as, const void *b, int bs,
                             void *out, size_t n)
{
    const uint8_t *x = a, *y = b;
    uint8_t *o = out;
    (void)p;
    for (size_t i = 0; i < n; ++i)
        o[i] = x[i * as] && y[i * bs];
}

void tfl_logical_or_b8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                            size_t n)
{
    const uint8_t *x = a, *y = b;
    uint8_t *o = out;
    (void)p;
    for (size_t i = 0; i < n; ++i)
        o[i] = x[i * as] || y[i * bs];
}

void tfl_logical_not_b8__ref(const void *p, const void *in, void *out, size_t start, size_t end)
{
    const uint8_t *x = in;
    uint8_t *o = out;
    (void)p;
    for (size_t i = start; i < end; ++i)
        o[i] = !x[i];
}
