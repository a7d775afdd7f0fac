/* DEPTHWISE_CONV_2D kernels: NHWC input, [1, f_h, f_w, out_c] filter, output
 * channel ic * depth_multiplier + m reads input channel ic. Kernels compute
 * output rows [start, end) of the flattened (batch, out_y) range. */
#ifndef TFL_OPS_DEPTHWISE_CONV_2D_H
#define TFL_OPS_DEPTHWISE_CONV_2D_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ops/kernel.h"

typedef struct tfl_depthwise_conv_2d_params {
    int batches;
    int in_h, in_w, in_c;    /* input [batches, in_h, in_w, in_c] */
    int f_h, f_w;            /* filter [1, f_h, f_w, out_c] */
    int depth_multiplier;    /* out_c = in_c * depth_multiplier */
    int out_h, out_w, out_c; /* output [batches, out_h, out_w, out_c] */
    int stride_h, stride_w;
    int dilation_h, dilation_w;
    int pad_h, pad_w; /* padding before the first row / column */
    /* float */
    float act_min_f, act_max_f;
    /* quantized: offsets are -zero_point for input/filter, +zero_point for
     * the output */
    int32_t input_offset, filter_offset, output_offset;
    int32_t act_min, act_max;
    const int32_t *mult;  /* [out_c] fixed-point multiplier */
    const int32_t *shift; /* [out_c] exponent, > 0 = left shift */
    bool const_weights;   /* filter and bias are model constants (packable) */
    /* Hybrid (TFL__CONV_HYBRID): the input arrives as int8, quantized per
     * batch (asymmetric) with hybrid_scale[b] and hybrid_offset[b] (set at
     * eval); channel_scale [out_c] holds the filter's scales. */
    const float *hybrid_scale;
    const int32_t *hybrid_offset;
    const float *channel_scale;
} tfl_depthwise_conv_2d_params;

typedef void (*tfl_depthwise_conv_2d_fn)(const tfl_depthwise_conv_2d_params *p, const void *input,
                                         const void *filter, const void *bias, void *output,
                                         size_t start, size_t end);

/* float32 input quantized per batch x int8 per-channel filter, float bias
 * and output: TFLite's reference DepthwiseConvHybridPerChannel. */
void tfl_depthwise_conv_2d_hybrid__ref(const tfl_depthwise_conv_2d_params *p, const void *input,
                                       const void *filter, const void *bias, void *output,
                                       size_t start, size_t end);
/* float: float bias (optional). */
void tfl_depthwise_conv_2d_f32__ref(const tfl_depthwise_conv_2d_params *p, const void *input,
                                    const void *filter, const void *bias, void *output,
                                    size_t start, size_t end);
/* uint8 legacy quantization, int32 bias, one multiplier for all channels;
 * always gemmlowp's double rounding, as TFLite's DepthwiseConvBasicKernel. */
void tfl_depthwise_conv_2d_u8__ref(const tfl_depthwise_conv_2d_params *p, const void *input,
                                   const void *filter, const void *bias, void *output, size_t start,
                                   size_t end);
/* int8 with per-channel int8 filter (zero point ignored), int32 bias. */
void tfl_depthwise_conv_2d_s8__ref(const tfl_depthwise_conv_2d_params *p, const void *input,
                                   const void *filter, const void *bias, void *output, size_t start,
                                   size_t end);
/* int16 activations, int8 filter, int64 bias and accumulator. */
void tfl_depthwise_conv_2d_s16__ref(const tfl_depthwise_conv_2d_params *p, const void *input,
                                    const void *filter, const void *bias, void *output,
                                    size_t start, size_t end);

/* AVX2 int8 per-channel and uint8, depth multiplier 1, packed filter, bias
 * and requantization (depthwise_conv_2d_avx2.c). The helpers serve both
 * dtypes; pack takes which one (u8) because the uint8 filter carries a zero
 * point. */
void tfl_depthwise_conv_2d_s8__avx2(const tfl_depthwise_conv_2d_params *p, const void *input,
                                    const void *packed, const void *bias, void *output,
                                    size_t start, size_t end);
void tfl_depthwise_conv_2d_u8__avx2(const tfl_depthwise_conv_2d_params *p, const void *input,
                                    const void *packed, const void *bias, void *output,
                                    size_t start, size_t end);
bool tfl_depthwise_conv_2d_avx2_supports(const tfl_depthwise_conv_2d_params *p);
size_t tfl_depthwise_conv_2d_avx2_packed_bytes(const tfl_depthwise_conv_2d_params *p);
void tfl_depthwise_conv_2d_avx2_pack(const tfl_depthwise_conv_2d_params *p, bool u8,
                                     const void *filter, const void *bias, void *packed);

/* The tap-pair packing both SIMD records use, `lanes` channels per block
 * (depthwise_conv_2d_avx2.c). */
size_t tfl_depthwise_conv_2d_pair_packed_bytes(const tfl_depthwise_conv_2d_params *p, size_t lanes);
void tfl_depthwise_conv_2d_pair_pack(const tfl_depthwise_conv_2d_params *p, bool u8, size_t lanes,
                                     const void *filter, const void *bias, void *packed);

/* AVX-512BW int8 per-channel and uint8, depth multiplier 1, at most 64 taps
 * (depthwise_conv_2d_avx512.c). */
void tfl_depthwise_conv_2d_s8__avx512(const tfl_depthwise_conv_2d_params *p, const void *input,
                                      const void *packed, const void *bias, void *output,
                                      size_t start, size_t end);
void tfl_depthwise_conv_2d_u8__avx512(const tfl_depthwise_conv_2d_params *p, const void *input,
                                      const void *packed, const void *bias, void *output,
                                      size_t start, size_t end);
/* The same with AVX-512 VNNI (vpdpwssd); the AVX-512 helpers serve it. */
void tfl_depthwise_conv_2d_s8__vnni(const tfl_depthwise_conv_2d_params *p, const void *input,
                                    const void *packed, const void *bias, void *output,
                                    size_t start, size_t end);
void tfl_depthwise_conv_2d_u8__vnni(const tfl_depthwise_conv_2d_params *p, const void *input,
                                    const void *packed, const void *bias, void *output,
                                    size_t start, size_t end);
bool tfl_depthwise_conv_2d_avx512_supports(const tfl_depthwise_conv_2d_params *p);
size_t tfl_depthwise_conv_2d_avx512_packed_bytes(const tfl_depthwise_conv_2d_params *p);
void tfl_depthwise_conv_2d_avx512_pack(const tfl_depthwise_conv_2d_params *p, bool u8,
                                       const void *filter, const void *bias, void *packed);

/* float32 with AVX-512F, depth multiplier 1, the filter and bias packed
 * per block of 16 channels (depthwise_conv_2d_f32_avx512.c). */
void tfl_depthwise_conv_2d_f32__avx512(const tfl_depthwise_conv_2d_params *p, const void *input,
                                       const void *packed, const void *bias, void *output,
                                       size_t start, size_t end);
bool tfl_depthwise_conv_2d_f32_avx512_supports(const tfl_depthwise_conv_2d_params *p);
size_t tfl_depthwise_conv_2d_f32_avx512_packed_bytes(const tfl_depthwise_conv_2d_params *p);
void tfl_depthwise_conv_2d_f32_avx512_pack(const tfl_depthwise_conv_2d_params *p,
                                           const void *filter, const void *bias, void *packed);

/* The op's kernel records, best first (depthwise_conv_2d.c). */
extern const tfl__kernel tfl__depthwise_conv_2d_kernels[];
extern const size_t tfl__depthwise_conv_2d_num_kernels;

#endif
