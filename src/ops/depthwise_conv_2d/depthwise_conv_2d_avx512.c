/* DEPTHWISE_CONV_2D int8 (per-channel) and uint8, depth multiplier 1, with
 * AVX-512BW: the AVX2 record's arithmetic (tap pairs through vpmaddwd, see
 * depthwise_conv_2d_avx2.c) on 32 channels at a time, with each output
 * pixel's tap addresses worked out once for all its channel blocks. With
 * at most 16 channels the upper half of the vector would idle, so the
 * packed filter holds them twice and two output pixels share a vector.
 * Byte-identical to tfl_depthwise_conv_2d_s8__ref / _u8__ref. */
#include "ops/depthwise_conv_2d/depthwise_conv_2d.h"

#if TFL__X86_SIMD
#include <immintrin.h>
#include <string.h>

#include "kernels/requant_avx512.h"

#define LANES 32    /* channels per step */
#define MAX_TAPS 64 /* f_h * f_w this record takes (tap addresses on the stack) */

static size_t chans(const tfl_depthwise_conv_2d_params *p)
{
    return ((size_t)p->out_c + LANES - 1) / LANES * LANES;
}
static size_t taps(const tfl_depthwise_conv_2d_params *p) { return (size_t)p->f_h * p->f_w; }
static size_t tap_pairs(const tfl_depthwise_conv_2d_params *p) { return (taps(p) + 1) / 2; }

bool tfl_depthwise_conv_2d_avx512_supports(const tfl_depthwise_conv_2d_params *p)
{
    return p->depth_multiplier == 1 && taps(p) <= MAX_TAPS;
}

size_t tfl_depthwise_conv_2d_avx512_packed_bytes(const tfl_depthwise_conv_2d_params *p)
{
    return tfl_depthwise_conv_2d_pair_packed_bytes(p, LANES);
}

/* At most 16 channels: two pixels per vector. */
static bool two_pixels(const tfl_depthwise_conv_2d_params *p) { return p->out_c <= 16; }

void tfl_depthwise_conv_2d_avx512_pack(const tfl_depthwise_conv_2d_params *p, bool u8,
                                       const void *filter, const void *bias, void *packed)
{
    tfl_depthwise_conv_2d_pair_pack(p, u8, LANES, filter, bias, packed);
    if (!two_pixels(p))
        return;
    /* One block: lanes 16-31 of every vector, and channels 16-31 of the
     * requantization arrays, repeat lanes / channels 0-15. */
    int16_t *pw = packed;
    const size_t np = tap_pairs(p);
    for (size_t v = 0; v < 2 * np; ++v)
        memcpy(pw + v * LANES + 16, pw + v * LANES, 16 * sizeof *pw);
    int32_t *q = (int32_t *)(pw + 2 * np * LANES);
    for (size_t a = 0; a < 4; ++a)
        memcpy(q + a * LANES + 16, q + a * LANES, 16 * sizeof *q);
}

/* 32 channels from x (only `valid` of them readable) as int16. */
TFL_TARGET_AVX512 static inline __m512i load32(const uint8_t *x, bool u8, int valid)
{
    const __mmask32 m = valid >= LANES ? ~(__mmask32)0 : (((__mmask32)1 << valid) - 1);
    const __m256i v = _mm256_maskz_loadu_epi8(m, x);
    return u8 ? _mm512_cvtepu8_epi16(v) : _mm512_cvtepi8_epi16(v);
}

/* One pair of taps (a, b; NULL: outside the image) into the accumulators. */
TFL_TARGET_AVX512 static inline __attribute__((always_inline)) void
pair(const uint8_t *a, const uint8_t *b, bool u8, int valid, __m512i off, const __m512i *w,
     __m512i *acc_a, __m512i *acc_b)
{
    const __m512i z = _mm512_setzero_si512();
    const __m512i xa = a ? _mm512_add_epi16(load32(a, u8, valid), off) : z;
    const __m512i xb = b ? _mm512_add_epi16(load32(b, u8, valid), off) : z;
    *acc_a = _mm512_add_epi32(*acc_a, _mm512_madd_epi16(_mm512_unpacklo_epi16(xa, xb), w[0]));
    *acc_b = _mm512_add_epi32(*acc_b, _mm512_madd_epi16(_mm512_unpackhi_epi16(xa, xb), w[1]));
}

/* The input address of each tap of output pixel (b, oy, ox), NULL outside
 * the image, and a NULL after the last (the odd count's missing partner). */
static inline void tap_addresses(const tfl_depthwise_conv_2d_params *p, const uint8_t *in, int b,
                                 int oy, int ox, const uint8_t **tap)
{
    size_t k = 0;
    for (int fy = 0; fy < p->f_h; ++fy) {
        const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
        for (int fx = 0; fx < p->f_w; ++fx, ++k) {
            const int ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
            tap[k] = iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w
                         ? in + (((size_t)b * p->in_h + (size_t)iy) * p->in_w + (size_t)ix) *
                                    (size_t)p->in_c
                         : NULL;
        }
    }
    tap[k] = NULL;
}

/* 16 channels of two pixels' taps (either NULL: zeros) as 32 int16 lanes. */
TFL_TARGET_AVX512 static inline __m512i load_two(const uint8_t *a, const uint8_t *b, bool u8,
                                                 __mmask16 m, __m512i off)
{
    const __m128i va = a ? _mm_maskz_loadu_epi8(m, a) : _mm_setzero_si128();
    const __m128i vb = b ? _mm_maskz_loadu_epi8(m, b) : _mm_setzero_si128();
    const __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(va), vb, 1);
    const __m512i w = u8 ? _mm512_cvtepu8_epi16(v) : _mm512_cvtepi8_epi16(v);
    /* A missing tap must add nothing: zero after the offset too. */
    const __mmask32 present = (a ? (__mmask32)0xFFFF : 0) | (b ? (__mmask32)0xFFFF0000 : 0);
    return _mm512_maskz_add_epi16(present, w, off);
}

/* Output pixels in pairs, at most 16 channels (two_pixels). */
TFL_TARGET_AVX512 static inline __attribute__((always_inline)) void
depthwise_two(const tfl_depthwise_conv_2d_params *p, bool u8, const uint8_t *in,
              const int16_t *pw, uint8_t *out, size_t start, size_t end)
{
    const size_t np = tap_pairs(p);
    const int32_t *q = (const int32_t *)(pw + np * 2 * LANES);
    const __m512i off = _mm512_set1_epi16((int16_t)p->input_offset);
    const __m512i out_off = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->act_min), hi = _mm512_set1_epi32(p->act_max);
    const __m512i first = _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0);
    const __m512i second = _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4);
    const __mmask16 m = (__mmask16)((1u << p->out_c) - 1);
    const uint8_t *ta[MAX_TAPS + 1], *tb[MAX_TAPS + 1];
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        for (int ox = 0; ox < p->out_w; ox += 2) {
            const bool pair = ox + 1 < p->out_w;
            tap_addresses(p, in, b, oy, ox, ta);
            if (pair)
                tap_addresses(p, in, b, oy, ox + 1, tb);
            else
                for (size_t k = 0; k <= taps(p); ++k)
                    tb[k] = NULL;
            const __m512i *wv = (const __m512i *)pw;
            __m512i acc_a = _mm512_setzero_si512(), acc_b = acc_a;
            for (size_t j = 0; j < np; ++j, wv += 2) {
                const __m512i x0 = load_two(ta[2 * j], tb[2 * j], u8, m, off);
                const __m512i x1 = load_two(ta[2 * j + 1], tb[2 * j + 1], u8, m, off);
                acc_a = _mm512_add_epi32(acc_a, _mm512_madd_epi16(_mm512_unpacklo_epi16(x0, x1), wv[0]));
                acc_b = _mm512_add_epi32(acc_b, _mm512_madd_epi16(_mm512_unpackhi_epi16(x0, x1), wv[1]));
            }
            /* s0: the first pixel's channels, s1: the second's. */
            const __m512i s0 = _mm512_permutex2var_epi64(acc_a, first, acc_b);
            const __m512i s1 = _mm512_permutex2var_epi64(acc_a, second, acc_b);
            uint8_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
            _mm512_mask_cvtepi32_storeu_epi8(o, m, requant16(s0, q, LANES, 0, out_off, lo, hi));
            if (pair)
                _mm512_mask_cvtepi32_storeu_epi8(o + p->out_c, m,
                                                 requant16(s1, q, LANES, 16, out_off, lo, hi));
        }
    }
}

TFL_TARGET_AVX512 static inline __attribute__((always_inline)) void
depthwise(const tfl_depthwise_conv_2d_params *p, bool u8, const void *input, const void *packed,
          void *output, size_t start, size_t end)
{
    const uint8_t *in = input;  /* [batches, in_h, in_w, in_c], bytes */
    const int16_t *pw = packed; /* see tfl_depthwise_conv_2d_pair_pack */
    uint8_t *out = output;      /* [batches, out_h, out_w, out_c], bytes */
    const size_t n = chans(p), np = tap_pairs(p);
    const int32_t *q = (const int32_t *)(pw + n / LANES * np * 2 * LANES);
    const __m512i off = _mm512_set1_epi16((int16_t)p->input_offset);
    const __m512i out_off = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->act_min), hi = _mm512_set1_epi32(p->act_max);
    /* 64-bit lanes of (acc_a, acc_b) in channel order: each 128-bit lane L
     * of acc_a holds channels 8L..8L+3, of acc_b 8L+4..8L+7. */
    const __m512i first = _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0);
    const __m512i second = _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4);
    if (two_pixels(p)) {
        depthwise_two(p, u8, in, pw, out, start, end);
        return;
    }
    const uint8_t *tap[MAX_TAPS + 1];
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        for (int ox = 0; ox < p->out_w; ++ox) {
            tap_addresses(p, in, b, oy, ox, tap);
            uint8_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
            for (size_t c = 0; c < (size_t)p->out_c; c += LANES) {
                const int valid = p->out_c - (int)c < LANES ? p->out_c - (int)c : LANES;
                const __m512i *wv = (const __m512i *)(pw + c / LANES * np * 2 * LANES);
                __m512i acc_a = _mm512_setzero_si512(), acc_b = acc_a;
                for (size_t j = 0; j < np; ++j, wv += 2)
                    pair(tap[2 * j] ? tap[2 * j] + c : NULL,
                         tap[2 * j + 1] ? tap[2 * j + 1] + c : NULL, u8, valid, off, wv, &acc_a,
                         &acc_b);
                const __m512i s0 = _mm512_permutex2var_epi64(acc_a, first, acc_b);
                const __m512i s1 = _mm512_permutex2var_epi64(acc_a, second, acc_b);
                const __m512i r0 = requant16(s0, q, n, c, out_off, lo, hi);
                const __m512i r1 = requant16(s1, q, n, c + 16, out_off, lo, hi);
                const int v0 = valid < 16 ? valid : 16, v1 = valid - v0;
                _mm512_mask_cvtepi32_storeu_epi8(o + c, (__mmask16)((1u << v0) - 1), r0);
                if (v1 > 0)
                    _mm512_mask_cvtepi32_storeu_epi8(o + c + 16, (__mmask16)((1u << v1) - 1), r1);
            }
        }
    }
}

TFL_TARGET_AVX512 void tfl_depthwise_conv_2d_s8__avx512(const tfl_depthwise_conv_2d_params *p,
                                                        const void *input, const void *packed,
                                                        const void *bias, void *output,
                                                        size_t start, size_t end)
{
    (void)bias; /* packed with the weights */
    depthwise(p, false, input, packed, output, start, end);
}

TFL_TARGET_AVX512 void tfl_depthwise_conv_2d_u8__avx512(const tfl_depthwise_conv_2d_params *p,
                                                        const void *input, const void *packed,
                                                        const void *bias, void *output,
                                                        size_t start, size_t end)
{
    (void)bias; /* packed with the weights */
    depthwise(p, true, input, packed, output, start, end);
}
#endif
