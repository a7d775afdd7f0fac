/* LOGICAL_AND, LOGICAL_OR (binary, ops/elementwise.h) and LOGICAL_NOT (unary)
 * on bool bytes: any nonzero byte is true, the output 0 or 1. */
#ifndef TFL_OPS_LOGICAL_H
#define TFL_OPS_LOGICAL_H

#include <stddef.h>

void tfl_logical_and_b8__ref(const void *p, const void *a, int as, const void *b, int bs,
                             void *out, size_t n);
void tfl_logical_or_b8__ref(const void *p, const void *a, int as, const void *b, int bs, void *out,
                            size_t n);
void tfl_logical_not_b8__ref(const void *p, const void *in, void *out, size_t start, size_t end);

#endif
