/* CONV_2D kernels: NHWC input, OHWI filter, grouped when the input depth is
 * a multiple of the filter depth. Kernels compute output rows
 * [start, end) of the flattened (batch, out_y) range. */
#ifndef TFL_OPS_CONV_2D_H
#define TFL_OPS_CONV_2D_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ops/kernel.h"

typedef struct tfl_conv_2d_params {
    int batches;
    int in_h, in_w, in_c;    /* input [batches, in_h, in_w, in_c] */
    int f_h, f_w, f_c;       /* filter [out_c, f_h, f_w, f_c]; in_c = groups * f_c */
    int out_h, out_w, out_c; /* output [batches, out_h, out_w, out_c] */
    int stride_h, stride_w;
    int dilation_h, dilation_w;
    int pad_h, pad_w; /* padding before the first row / column */
    /* float */
    float act_min_f, act_max_f;
    /* quantized: real = scale * (q - zero_point); offsets are -zero_point
     * for input/filter and +zero_point for the output. */
    int32_t input_offset, filter_offset, output_offset;
    int32_t act_min, act_max;
    const int32_t *mult;  /* [out_c] fixed-point multiplier */
    const int32_t *shift; /* [out_c] exponent, > 0 = left shift */
    bool const_weights;   /* filter and bias are model constants (packable) */
    /* Output channels [oc_begin, oc_end) to compute, for the records with
     * TFL__KERNEL_SPLITS_CHANNELS (others compute all): 0 and out_c, or
     * a subrange whose start is a multiple of TFL_CONV_CHANNEL_SPLIT. */
    int oc_begin, oc_end;
    /* For the records with TFL__KERNEL_SPLITS_PIXELS: [start, end) counts
     * flat output pixels (batch, y, x) rather than rows. */
    bool flat_pixels;
    /* Hybrid (TFL__CONV_HYBRID): the input arrives quantized per batch as
     * int8 with hybrid_scale[b] and hybrid_offset[b] (set at eval);
     * channel_scale [out_c] is the filter's per-channel scales when they
     * differ (TFLite's per-channel path, asymmetric inputs), else NULL and
     * the filter's one scale is folded into hybrid_scale. */
    const float *hybrid_scale;
    const int32_t *hybrid_offset;
    const float *channel_scale;
} tfl_conv_2d_params;

/* Channel ranges of a split start at multiples of this. */
#define TFL_CONV_CHANNEL_SPLIT 32

/* One signature for every dtype so kernels fit in one table; the element
 * types are in each kernel's name and shape comments. */
typedef void (*tfl_conv_2d_fn)(const tfl_conv_2d_params *p, const void *input, const void *filter,
                               const void *bias, void *output, size_t start, size_t end, void *scratch);

/* float: float bias (optional). */
void tfl_conv_2d_f32__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                          const void *bias, void *output, size_t start, size_t end, void *scratch);
/* uint8 legacy quantization: input/filter/output zero points, int32 bias,
 * one multiplier for all channels. */
void tfl_conv_2d_u8__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                         const void *bias, void *output, size_t start, size_t end, void *scratch);
/* int8 with per-channel int8 filter (zero point 0), int32 bias. */
void tfl_conv_2d_s8__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                         const void *bias, void *output, size_t start, size_t end, void *scratch);
/* float32 input quantized per batch (see hybrid_* above) x int8 filter,
 * float bias, float output: TFLite's HybridConvPerChannel (channel_scale
 * set) or HybridConv (per-tensor, bias added after the product). */
void tfl_conv_2d_hybrid__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                             const void *bias, void *output, size_t start, size_t end,
                             void *scratch);
/* int16 activations, int8 filter, int64 bias and accumulator. */
void tfl_conv_2d_s16__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                          const void *bias, void *output, size_t start, size_t end, void *scratch);
/* int16 activations, int8 filter, int32 bias and (wrapping) accumulator. */
void tfl_conv_2d_s16_b32__ref(const tfl_conv_2d_params *p, const void *input, const void *filter,
                              const void *bias, void *output, size_t start, size_t end, void *scratch);

/* AVX2 int8 per-channel and uint8 (groups of 1): packed filter, bias and
 * requantization (conv_2d_avx2.c). The helpers serve both dtypes; pack
 * takes which one (u8) because the uint8 filter carries a zero point. */
void tfl_conv_2d_s8__avx2(const tfl_conv_2d_params *p, const void *input, const void *packed,
                          const void *bias, void *output, size_t start, size_t end, void *scratch);
void tfl_conv_2d_u8__avx2(const tfl_conv_2d_params *p, const void *input, const void *packed,
                          const void *bias, void *output, size_t start, size_t end, void *scratch);
bool tfl_conv_2d_avx2_supports(const tfl_conv_2d_params *p);
size_t tfl_conv_2d_avx2_packed_bytes(const tfl_conv_2d_params *p);
void tfl_conv_2d_avx2_pack(const tfl_conv_2d_params *p, bool u8, const void *filter,
                           const void *bias, void *packed);
size_t tfl_conv_2d_avx2_scratch(const tfl_conv_2d_params *p);

/* AVX-512 VNNI int8 per-channel and uint8 (groups of 1), vpdpbusd with the
 * signed/unsigned offsets folded into the packed bias (conv_2d_vnni.c). */
void tfl_conv_2d_s8__vnni(const tfl_conv_2d_params *p, const void *input, const void *packed,
                          const void *bias, void *output, size_t start, size_t end, void *scratch);
void tfl_conv_2d_u8__vnni(const tfl_conv_2d_params *p, const void *input, const void *packed,
                          const void *bias, void *output, size_t start, size_t end, void *scratch);
bool tfl_conv_2d_vnni_supports(const tfl_conv_2d_params *p);
size_t tfl_conv_2d_vnni_packed_bytes(const tfl_conv_2d_params *p);
void tfl_conv_2d_vnni_pack(const tfl_conv_2d_params *p, bool u8, const void *filter,
                           const void *bias, void *packed);
size_t tfl_conv_2d_vnni_scratch(const tfl_conv_2d_params *p);

/* AMX int8 per-channel (groups of 1): tdpbssd on 32x32 output tiles, the
 * input offset folded into the packed bias (conv_2d_amx.c). */
void tfl_conv_2d_s8__amx(const tfl_conv_2d_params *p, const void *input, const void *packed,
                         const void *bias, void *output, size_t start, size_t end, void *scratch);
/* float32 with AVX-512F: an 8-pixel x 32-channel register-blocked GEMM over
 * the input or gathered rows, fused multiply-adds (conv_2d_f32_avx512.c). */
void tfl_conv_2d_f32__avx512(const tfl_conv_2d_params *p, const void *input, const void *packed,
                             const void *bias, void *output, size_t start, size_t end,
                             void *scratch);
bool tfl_conv_2d_f32_avx512_supports(const tfl_conv_2d_params *p);
size_t tfl_conv_2d_f32_avx512_packed_bytes(const tfl_conv_2d_params *p);
void tfl_conv_2d_f32_avx512_pack(const tfl_conv_2d_params *p, const void *filter, void *packed);
size_t tfl_conv_2d_f32_avx512_scratch(const tfl_conv_2d_params *p);

bool tfl_conv_2d_amx_supports(const tfl_conv_2d_params *p);
size_t tfl_conv_2d_amx_packed_bytes(const tfl_conv_2d_params *p);
void tfl_conv_2d_amx_pack(const tfl_conv_2d_params *p, const void *filter, const void *bias,
                          void *packed);
size_t tfl_conv_2d_amx_scratch(const tfl_conv_2d_params *p);

/* The op's kernel records, best first (conv_2d.c); kinds are tfl__conv_kind. */
extern const tfl__kernel tfl__conv_2d_kernels[];
extern const size_t tfl__conv_2d_num_kernels;

#endif
