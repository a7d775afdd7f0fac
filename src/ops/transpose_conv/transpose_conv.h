/* TRANSPOSE_CONV kernels beside transpose_conv.c (which keeps the float and
 * integer scatter loops inline). */
#ifndef TFL_OPS_TRANSPOSE_CONV_H
#define TFL_OPS_TRANSPOSE_CONV_H

#include <stddef.h>
#include <stdint.h>

typedef struct tfl_transpose_conv_hybrid_params {
    int batches, in_h, in_w, in_c;
    int out_h, out_w, out_c;
    int f_h, f_w;
    int stride_h, stride_w, pad_h, pad_w;
    /* Filter scales: channel_scale[oc * scale_step], scale_step 0 for a
     * per-tensor filter and 1 for one scale per output channel. */
    const float *channel_scale;
    int scale_step;
    /* The input quantized per batch (asymmetric), set at eval. */
    const float *input_scale;
    const int32_t *input_offset;
    float act_min, act_max;
} tfl_transpose_conv_hybrid_params;

/* Hybrid (float32 input and output, int8 filter) as TFLite's
 * reference_ops::HybridTransposeConv, over output rows [start, end) of the
 * batches * out_h rows: input [batches, in_h, in_w, in_c] int8 (already
 * quantized), filter [out_c, f_h, f_w, in_c], bias [out_c] or NULL. */
void tfl_transpose_conv_hybrid__ref(const tfl_transpose_conv_hybrid_params *p,
                                    const int8_t *input, const int8_t *filter, const float *bias,
                                    float *output, size_t start, size_t end);

#endif
