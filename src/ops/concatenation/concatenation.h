/* CONCATENATION kernels, also used by PACK: for each outer index (the
 * dimensions before the axis) every input in turn contributes a contiguous
 * chunk to the output. Kernels cover outer indices [start, end). */
#ifndef TFL_OPS_CONCATENATION_H
#define TFL_OPS_CONCATENATION_H

#include <stddef.h>
#include <stdint.h>

#include "ops/op.h"

typedef struct tfl_concatenation_params {
    int num_inputs;
    size_t esize;        /* bytes per element */
    const size_t *chunk; /* [num_inputs] elements input i gives per outer index */
    size_t out_chunk;    /* sum of chunk[]: output elements per outer index */
    /* uint8/int8: inputs with requant[i] set are rescaled,
     * q_out = round(q_in * scale[i] + bias[i]) + out_zero_point, saturated;
     * the others are copied. */
    const uint8_t *requant; /* [num_inputs] */
    const float *scale;     /* [num_inputs] input scale / output scale */
    const float *bias;      /* [num_inputs] -input zero point * scale[i] */
    int32_t out_zero_point;
    /* float32 fused activation clamp */
    float act_min, act_max;
} tfl_concatenation_params;

/* inputs[i]: [outer, chunk[i]] elements; output: [outer, out_chunk]. */
typedef void (*tfl_concatenation_fn)(const tfl_concatenation_params *p, const void *const *inputs,
                                     void *output, size_t start, size_t end);

/* Any element type: plain copies. */
void tfl_concatenation_any__ref(const tfl_concatenation_params *p, const void *const *inputs,
                                void *output, size_t start, size_t end);
/* float32 with a fused activation clamp. */
void tfl_concatenation_f32__ref(const tfl_concatenation_params *p, const void *const *inputs,
                                void *output, size_t start, size_t end);
/* uint8 / int8 with per-input requantization (TFLite's
 * ConcatenationWithScaling). */
void tfl_concatenation_u8__ref(const tfl_concatenation_params *p, const void *const *inputs,
                               void *output, size_t start, size_t end);
void tfl_concatenation_s8__ref(const tfl_concatenation_params *p, const void *const *inputs,
                               void *output, size_t start, size_t end);

/* Op-side driver shared by CONCATENATION and PACK: gathers the data of the
 * node's first p->num_inputs inputs into ptrs[] and runs fn over `outer`
 * rows of p->out_chunk output elements. */
void tfl__concatenation_run(tfl__ctx *ctx, const tfl__node *node, tfl_concatenation_fn fn,
                            const tfl_concatenation_params *p, const void **ptrs, size_t outer);

#endif
