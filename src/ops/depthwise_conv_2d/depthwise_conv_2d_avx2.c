/* DEPTHWISE_CONV_2D int8 (per-channel, depth multiplier 1) with AVX2,
 * byte-identical to tfl_depthwise_conv_2d_s8__ref: 16 channels at a time,
 * (x + input_offset) * w in int16 (|255 * 127| fits), widened to int32 and
 * summed per tap in the reference's order (int32 wrap equals its int64 sum
 * wrapped once), then the shared per-lane requantization. Taps outside the
 * image are skipped, as the reference skips them. */
#include "ops/depthwise_conv_2d/depthwise_conv_2d.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include <string.h>

#include "kernels/requant_avx2.h"

#define LANES 16 /* channels per step */

static size_t chans(const tfl_depthwise_conv_2d_params *p)
{
    return ((size_t)p->out_c + LANES - 1) / LANES * LANES;
}

bool tfl_depthwise_conv_2d_s8_avx2_supports(const tfl_depthwise_conv_2d_params *p)
{
    return p->depth_multiplier == 1;
}

/* Packed: int16 filter [f_h * f_w][chans], then the requantization arrays. */
size_t tfl_depthwise_conv_2d_s8_avx2_packed_bytes(const tfl_depthwise_conv_2d_params *p)
{
    return (size_t)p->f_h * p->f_w * chans(p) * sizeof(int16_t) + 4 * chans(p) * sizeof(int32_t);
}

void tfl_depthwise_conv_2d_s8_avx2_pack(const tfl_depthwise_conv_2d_params *p, const void *filter,
                                        const void *bias, void *packed)
{
    const int8_t *w = filter; /* [1, f_h, f_w, out_c] */
    const size_t n = chans(p), t = (size_t)p->f_h * p->f_w;
    int16_t *pw = packed;
    for (size_t k = 0; k < t; ++k)
        for (size_t c = 0; c < n; ++c)
            pw[k * n + c] = c < (size_t)p->out_c ? w[k * (size_t)p->out_c + c] : 0;
    tfl__requant_pack((int32_t *)(pw + t * n), n, (size_t)p->out_c, p->mult, p->shift, bias);
}

/* 16 int8 channels from x (only `valid` of them readable) as int16. */
TFL_TARGET_AVX2 static inline __m256i load16(const int8_t *x, int valid)
{
    if (valid >= LANES)
        return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)x));
    int8_t tmp[LANES] = {0};
    memcpy(tmp, x, (size_t)valid);
    return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)tmp));
}

TFL_TARGET_AVX2 void tfl_depthwise_conv_2d_s8__avx2(const tfl_depthwise_conv_2d_params *p,
                                                    const void *input, const void *packed,
                                                    const void *bias, void *output, size_t start,
                                                    size_t end)
{
    (void)bias; /* packed with the weights */
    const int8_t *in = input;   /* [batches, in_h, in_w, in_c] */
    const int16_t *pw = packed; /* [f_h * f_w][chans] then q */
    int8_t *out = output;       /* [batches, out_h, out_w, out_c] */
    const size_t n = chans(p), t = (size_t)p->f_h * p->f_w;
    const int32_t *q = (const int32_t *)(pw + t * n);
    const __m256i off = _mm256_set1_epi16((int16_t)p->input_offset);
    const __m256i out_off = _mm256_set1_epi32(p->output_offset);
    const __m256i lo = _mm256_set1_epi32(p->act_min), hi = _mm256_set1_epi32(p->act_max);
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        for (int ox = 0; ox < p->out_w; ++ox) {
            int8_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
            for (size_t c = 0; c < (size_t)p->out_c; c += LANES) {
                const int valid = p->out_c - (int)c < LANES ? p->out_c - (int)c : LANES;
                __m256i acc_lo = _mm256_setzero_si256(), acc_hi = acc_lo;
                for (int fy = 0; fy < p->f_h; ++fy) {
                    const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
                    if (iy < 0 || iy >= p->in_h)
                        continue;
                    for (int fx = 0; fx < p->f_w; ++fx) {
                        const int ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
                        if (ix < 0 || ix >= p->in_w)
                            continue;
                        const int8_t *x = in + (((size_t)b * p->in_h + (size_t)iy) * p->in_w +
                                                (size_t)ix) * (size_t)p->in_c + c;
                        const __m256i xv = _mm256_add_epi16(load16(x, valid), off);
                        const __m256i wv = _mm256_loadu_si256(
                            (const __m256i *)(pw + ((size_t)fy * p->f_w + (size_t)fx) * n + c));
                        const __m256i prod = _mm256_mullo_epi16(xv, wv);
                        acc_lo = _mm256_add_epi32(
                            acc_lo, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(prod)));
                        acc_hi = _mm256_add_epi32(
                            acc_hi, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(prod, 1)));
                    }
                }
                const __m256i r0 = requant8(acc_lo, q, n, c, out_off, lo, hi);
                const __m256i r1 = requant8(acc_hi, q, n, c + 8, out_off, lo, hi);
                /* int32 lanes (in int8 range) -> 16 bytes in channel order */
                const __m256i w16 = _mm256_permute4x64_epi64(_mm256_packs_epi32(r0, r1), 0xD8);
                const __m128i b8 = _mm_packs_epi16(_mm256_castsi256_si128(w16),
                                                   _mm256_extracti128_si256(w16, 1));
                if (valid == LANES) {
                    _mm_storeu_si128((__m128i *)(o + c), b8);
                } else {
                    int8_t tmp[LANES];
                    _mm_storeu_si128((__m128i *)tmp, b8);
                    memcpy(o + c, tmp, (size_t)valid);
                }
            }
        }
    }
}
#endif
