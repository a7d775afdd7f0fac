/* Sparse constant tensors (TFLite's SparsityParameters: a traversal order,
 * a block map and per-level metadata, dense or CSR with segment and index
 * arrays). The loader densifies them once, so every op reads ordinary dense
 * constants (and DENSIFY just copies). */
#ifndef TFL_MODEL_SPARSE_H
#define TFL_MODEL_SPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "model/flatbuf.h"
#include "tfl.h"

/* Writes the dense form of `values` (n_values elements of esize bytes, in
 * the sparse storage order) into dense (the product of dims elements,
 * zero-filled first), following the SparsityParameters table sp. Returns 0,
 * or -1 with why[] set when the parameters are malformed or inconsistent
 * with the shape (bad order, block sizes, segments out of order, indices
 * out of range, fewer values than the structure needs). */
int tfl__sparse_densify(const tfl__fb_table *sp, const int32_t *dims, int ndim,
                        const uint8_t *values, size_t n_values, size_t esize, uint8_t *dense,
                        char *why, size_t why_size);

#endif
