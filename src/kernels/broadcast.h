/* NumPy-style broadcasting for binary elementwise ops: the output shape, and a
 * loop plan that walks the output in contiguous runs so that kernels only
 * ever see three cases: a[i] op b[i], a[0] op b[i] and a[i] op b[0]. */
#ifndef TFL_KERNELS_BROADCAST_H
#define TFL_KERNELS_BROADCAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

/* A row kernel: out[i] = a[i * a_step] op b[i * b_step] for i in [0, n),
 * with a_step and b_step 0 (broadcast) or 1. */
typedef void (*tfl__binary_fn)(const void *params, const void *a, int a_step, const void *b,
                               int b_step, void *out, size_t n);

typedef struct tfl__bcast {
    size_t total;                  /* output elements */
    size_t inner;                  /* elements per contiguous run (>= 1) */
    int a_step, b_step;            /* step through a and b within a run */
    int nloops;                    /* outer loops, outermost first */
    size_t extent[TFL_MAX_DIMS];   /* runs per outer loop */
    size_t a_stride[TFL_MAX_DIMS]; /* elements of a per step of that loop */
    size_t b_stride[TFL_MAX_DIMS];
} tfl__bcast;

/* Output shape of broadcasting a against b (dims aligned at the end; a
 * dimension of 1 stretches, 0 against 1 gives 0). False when incompatible. */
bool tfl__bcast_shape(const int32_t *a, int an, const int32_t *b, int bn, int32_t *out, int *on);

/* Builds the plan for shapes that tfl__bcast_shape accepted. Adjacent
 * dimensions that broadcast the same way are merged, so equal shapes give a
 * single run. */
void tfl__bcast_plan(tfl__bcast *p, const int32_t *a, int an, const int32_t *b, int bn);

/* Output elements [start, end) of a planned op. a/b/out are the tensors'
 * data; in_size and out_size their element sizes. */
void tfl__bcast_range(const tfl__bcast *p, tfl__binary_fn fn, const void *params, const void *a,
                      const void *b, void *out, size_t in_size, size_t out_size, size_t start,
                      size_t end);

#endif
