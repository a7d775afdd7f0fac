/* DEPTHWISE_CONV_2D int8 (per-channel) and uint8 (per-tensor, filter zero
 * point), depth multiplier 1, with AVX2; byte-identical to
 * tfl_depthwise_conv_2d_s8__ref / _u8__ref.
 *
 * 16 channels at a time. The taps are taken in pairs: the two taps' inputs
 * (x + input_offset, as int16; 0 for a tap outside the image, which the
 * reference skips) are interleaved channel by channel and multiplied with
 * the packed, equally interleaved filter (w + filter_offset) by vpmaddwd,
 * which adds each pair into an int32 lane. Both factors are at most 255 in
 * magnitude, so a pair sum fits int32, and int32 sums wrap exactly as the
 * reference's int64 sum wrapped once. The requantization is the shared
 * per-lane double-rounding arithmetic. */
#include "ops/depthwise_conv_2d/depthwise_conv_2d.h"

#if TFL__X86_SIMD
#include <immintrin.h>
#include <string.h>

#include "kernels/requant_avx2.h"

#define LANES 16 /* channels per step */

static size_t chans(const tfl_depthwise_conv_2d_params *p)
{
    return ((size_t)p->out_c + LANES - 1) / LANES * LANES;
}
static size_t taps(const tfl_depthwise_conv_2d_params *p) { return (size_t)p->f_h * p->f_w; }
static size_t tap_pairs(const tfl_depthwise_conv_2d_params *p) { return (taps(p) + 1) / 2; }

bool tfl_depthwise_conv_2d_avx2_supports(const tfl_depthwise_conv_2d_params *p)
{
    return p->depth_multiplier == 1;
}

/* Packed (shared with the AVX-512 record, which uses lanes = 32): for each
 * block of `lanes` channels and each pair of taps, two vectors of `lanes`
 * int16 laid out as vpunpcklwd / vpunpckhwd of the two taps' filter rows
 * would lay them out (per 128-bit lane); then the requantization arrays. */
static size_t pair_chans(const tfl_depthwise_conv_2d_params *p, size_t lanes)
{
    return ((size_t)p->out_c + lanes - 1) / lanes * lanes;
}

size_t tfl_depthwise_conv_2d_pair_packed_bytes(const tfl_depthwise_conv_2d_params *p, size_t lanes)
{
    const size_t n = pair_chans(p, lanes);
    return n * tap_pairs(p) * 2 * sizeof(int16_t) + 4 * n * sizeof(int32_t);
}

void tfl_depthwise_conv_2d_pair_pack(const tfl_depthwise_conv_2d_params *p, bool u8, size_t lanes,
                                     const void *filter, const void *bias, void *packed)
{
    const size_t n = pair_chans(p, lanes), t = taps(p), np = tap_pairs(p), oc = (size_t)p->out_c;
    int16_t *pw = packed;
    for (size_t blk = 0; blk < n / lanes; ++blk)
        for (size_t j = 0; j < np; ++j)
            for (size_t half = 0; half < 2; ++half)
                for (size_t e = 0; e < lanes; ++e) {
                    /* Element e of the unpacked vector: 128-bit lane e / 8,
                     * channel pair index (e % 8) / 2, tap e % 2. */
                    const size_t c = blk * lanes + e / 8 * 8 + half * 4 + e % 8 / 2;
                    const size_t k = 2 * j + e % 2;
                    int16_t v = 0;
                    if (c < oc && k < t) {
                        const size_t i = k * oc + c; /* filter [1, f_h, f_w, out_c] */
                        v = u8 ? (int16_t)(((const uint8_t *)filter)[i] + p->filter_offset)
                               : ((const int8_t *)filter)[i];
                    }
                    *pw++ = v;
                }
    tfl__requant_pack((int32_t *)pw, n, oc, p->mult, p->shift, bias);
}

size_t tfl_depthwise_conv_2d_avx2_packed_bytes(const tfl_depthwise_conv_2d_params *p)
{
    return tfl_depthwise_conv_2d_pair_packed_bytes(p, LANES);
}

void tfl_depthwise_conv_2d_avx2_pack(const tfl_depthwise_conv_2d_params *p, bool u8,
                                     const void *filter, const void *bias, void *packed)
{
    tfl_depthwise_conv_2d_pair_pack(p, u8, LANES, filter, bias, packed);
}

/* 16 channels from x (only `valid` of them readable) as int16. */
TFL_TARGET_AVX2 static inline __m256i load16(const void *x, bool u8, int valid)
{
    __m128i v;
    if (valid >= LANES) {
        v = _mm_loadu_si128((const __m128i *)x);
    } else {
        uint8_t tmp[LANES] = {0};
        memcpy(tmp, x, (size_t)valid);
        v = _mm_loadu_si128((const __m128i *)tmp);
    }
    return u8 ? _mm256_cvtepu8_epi16(v) : _mm256_cvtepi8_epi16(v);
}

TFL_TARGET_AVX2 static inline __attribute__((always_inline)) void
depthwise(const tfl_depthwise_conv_2d_params *p, bool u8, const void *input, const void *packed,
          void *output, size_t start, size_t end)
{
    const uint8_t *in = input;  /* [batches, in_h, in_w, in_c], bytes */
    const int16_t *pw = packed; /* see tfl_depthwise_conv_2d_avx2_pack */
    uint8_t *out = output;      /* [batches, out_h, out_w, out_c], bytes */
    const size_t n = chans(p), np = tap_pairs(p);
    const int32_t *q = (const int32_t *)(pw + n / LANES * np * 2 * LANES);
    const __m256i off = _mm256_set1_epi16((int16_t)p->input_offset);
    const __m256i out_off = _mm256_set1_epi32(p->output_offset);
    const __m256i lo = _mm256_set1_epi32(p->act_min), hi = _mm256_set1_epi32(p->act_max);
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        for (int ox = 0; ox < p->out_w; ++ox) {
            uint8_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
            for (size_t c = 0; c < (size_t)p->out_c; c += LANES) {
                const int valid = p->out_c - (int)c < LANES ? p->out_c - (int)c : LANES;
                const __m256i *wv = (const __m256i *)(pw + c / LANES * np * 2 * LANES);
                __m256i acc_a = _mm256_setzero_si256(), acc_b = acc_a, pending = acc_a;
                int have_pending = 0;
                /* Every tap in the reference's order, skipped ones as 0, so
                 * the pairs line up with the packed filter. */
                for (int fy = 0; fy < p->f_h; ++fy) {
                    const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
                    const bool row_in = iy >= 0 && iy < p->in_h;
                    for (int fx = 0; fx < p->f_w; ++fx) {
                        const int ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
                        __m256i xv = _mm256_setzero_si256();
                        if (row_in && ix >= 0 && ix < p->in_w) {
                            const uint8_t *x = in + (((size_t)b * p->in_h + (size_t)iy) * p->in_w +
                                                     (size_t)ix) * (size_t)p->in_c + c;
                            xv = _mm256_add_epi16(load16(x, u8, valid), off);
                        }
                        if (!have_pending) {
                            pending = xv;
                            have_pending = 1;
                            continue;
                        }
                        acc_a = _mm256_add_epi32(
                            acc_a, _mm256_madd_epi16(_mm256_unpacklo_epi16(pending, xv), wv[0]));
                        acc_b = _mm256_add_epi32(
                            acc_b, _mm256_madd_epi16(_mm256_unpackhi_epi16(pending, xv), wv[1]));
                        wv += 2;
                        have_pending = 0;
                    }
                }
                if (have_pending) { /* odd tap count: the last pair's second tap is 0 */
                    const __m256i z = _mm256_setzero_si256();
                    acc_a = _mm256_add_epi32(
                        acc_a, _mm256_madd_epi16(_mm256_unpacklo_epi16(pending, z), wv[0]));
                    acc_b = _mm256_add_epi32(
                        acc_b, _mm256_madd_epi16(_mm256_unpackhi_epi16(pending, z), wv[1]));
                }
                /* acc_a holds channels 0-3 | 8-11, acc_b 4-7 | 12-15. */
                const __m256i s0 = _mm256_permute2x128_si256(acc_a, acc_b, 0x20);
                const __m256i s1 = _mm256_permute2x128_si256(acc_a, acc_b, 0x31);
                const __m256i r0 = requant8(s0, q, n, c, out_off, lo, hi);
                const __m256i r1 = requant8(s1, q, n, c + 8, out_off, lo, hi);
                /* int32 lanes (in the output type's range) -> 16 bytes in
                 * channel order; the packs saturate nothing that matters
                 * because every lane already fits. */
                const __m256i w16 = _mm256_permute4x64_epi64(_mm256_packs_epi32(r0, r1), 0xD8);
                const __m128i b8 =
                    u8 ? _mm_packus_epi16(_mm256_castsi256_si128(w16),
                                          _mm256_extracti128_si256(w16, 1))
                       : _mm_packs_epi16(_mm256_castsi256_si128(w16),
                                         _mm256_extracti128_si256(w16, 1));
                if (valid == LANES) {
                    _mm_storeu_si128((__m128i *)(o + c), b8);
                } else {
                    uint8_t tmp[LANES];
                    _mm_storeu_si128((__m128i *)tmp, b8);
                    memcpy(o + c, tmp, (size_t)valid);
                }
            }
        }
    }
}

TFL_TARGET_AVX2 void tfl_depthwise_conv_2d_s8__avx2(const tfl_depthwise_conv_2d_params *p,
                                                    const void *input, const void *packed,
                                                    const void *bias, void *output, size_t start,
                                                    size_t end)
{
    (void)bias; /* packed with the weights */
    depthwise(p, false, input, packed, output, start, end);
}

TFL_TARGET_AVX2 void tfl_depthwise_conv_2d_u8__avx2(const tfl_depthwise_conv_2d_params *p,
                                                    const void *input, const void *packed,
                                                    const void *bias, void *output, size_t start,
                                                    size_t end)
{
    (void)bias; /* packed with the weights */
    depthwise(p, true, input, packed, output, start, end);
}
#endif
