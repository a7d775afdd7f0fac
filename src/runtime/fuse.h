/* Graph rewrites at interpreter creation that change no output byte. */
#ifndef TFL_RUNTIME_FUSE_H
#define TFL_RUNTIME_FUSE_H

#include "ops/op.h"

/* PAD (or PADV2 with the zero point as its value) of height and width only,
 * on an 8-bit tensor, read by nothing but one CONV_2D or DEPTHWISE_CONV_2D
 * with VALID padding: the convolution reads the PAD's input instead and
 * treats the padding as taps outside the image, which the kernels skip
 * exactly as they would add (zero point - zero point) * w = 0. The PAD is
 * elided, and its output, read by no one, gets no memory. Returns -1 when
 * out of memory (nothing half-done stays). graph_outputs: the subgraph's. */
int tfl__fuse_pads(tfl__node *nodes, int num_nodes, const tfl_tensor *tensors,
                   const int32_t *graph_outputs, int num_graph_outputs);

#endif
