/* CONV_2D int8 (per-channel) and uint8 (per-tensor, filter zero point)
 * with AVX2, byte-identical to tfl_conv_2d_s8__ref / tfl_conv_2d_u8__ref.
 * Each worker gathers the taps of 4 output pixels into int16 rows
 * ((x + input_offset), 0 for padding: the reference skips those taps), then
 * multiplies them with the packed filter ((w + filter_offset) as int16, so
 * both dtypes share one inner loop) 8 channels at a time using vpmaddwd.
 * |x + offset| and |w + offset| are at most 255, so a pair of products
 * (at most 2 * 255 * 255) fits int32. Products fit int16 x int16 and int32 sums wrap exactly as
 * the reference's final wrap to int32, so the accumulators agree bit for
 * bit; the requantization is the reference's double-rounding arithmetic
 * done per lane. Compiled with function target attributes, so the file
 * builds with the project's portable flags and runs only where AVX2 is. */
#include "ops/conv_2d/conv_2d.h"

#if TFL__X86_SIMD
#include <immintrin.h>
#include <string.h>

#include "kernels/requant_avx2.h"

#define TARGET TFL_TARGET_AVX2
#define PIXELS 4 /* output pixels per tile */
#define BLOCK 8  /* output channels per packed block */

/* Packed layout: blocks of 8 output channels; in each, for every pair of
 * taps k, k+1, 8 lanes of (w[c][k], w[c][k+1]) int16 pairs. Then per
 * padded channel: multiplier, left shift, right shift, bias (int32). */
static size_t taps(const tfl_conv_2d_params *p) { return (size_t)p->f_h * p->f_w * p->f_c; }
static size_t taps_even(const tfl_conv_2d_params *p) { return (taps(p) + 1) & ~(size_t)1; }
static size_t blocks(const tfl_conv_2d_params *p) { return ((size_t)p->out_c + BLOCK - 1) / BLOCK; }

bool tfl_conv_2d_avx2_supports(const tfl_conv_2d_params *p)
{
    /* Grouped convolutions stay on the reference; kernel sizes must fit the
     * int16 pair indexing below. */
    return p->in_c == p->f_c && taps(p) < ((size_t)1 << 24);
}

size_t tfl_conv_2d_avx2_packed_bytes(const tfl_conv_2d_params *p)
{
    return blocks(p) * taps_even(p) * BLOCK * sizeof(int16_t) +
           4 * blocks(p) * BLOCK * sizeof(int32_t);
}

/* Filter value i as the int16 the products use. */
static inline int16_t filter_at(const void *filter, bool u8, int32_t offset, size_t i)
{
    return u8 ? (int16_t)(((const uint8_t *)filter)[i] + offset) : ((const int8_t *)filter)[i];
}

void tfl_conv_2d_avx2_pack(const tfl_conv_2d_params *p, bool u8, const void *filter,
                           const void *bias, void *packed)
{
    const void *w = filter; /* [out_c, f_h, f_w, f_c] */
    const int32_t fo = p->filter_offset;
    const int32_t *bs = bias; /* [out_c] or NULL */
    const size_t k = taps(p), ke = taps_even(p), nb = blocks(p);
    int16_t *pw = packed;
    for (size_t b = 0; b < nb; ++b)
        for (size_t kk = 0; kk < ke; kk += 2)
            for (int lane = 0; lane < BLOCK; ++lane) {
                size_t oc = b * BLOCK + (size_t)lane;
                int16_t *dst = pw + ((b * ke + kk) * BLOCK) + 2 * (size_t)lane;
                dst[0] = oc < (size_t)p->out_c ? filter_at(w, u8, fo, oc * k + kk) : 0;
                dst[1] = oc < (size_t)p->out_c && kk + 1 < k ? filter_at(w, u8, fo, oc * k + kk + 1)
                                                              : 0;
            }
    int32_t *q = (int32_t *)(pw + nb * ke * BLOCK);
    tfl__requant_pack(q, nb * BLOCK, (size_t)p->out_c, p->mult, p->shift, bs);
}

size_t tfl_conv_2d_avx2_scratch(const tfl_conv_2d_params *p)
{
    return PIXELS * taps_even(p) * sizeof(int16_t) + 64;
}

/* Writes the low byte of 8 int32 lanes (already in the output type's
 * range) to o[0..n). */
TARGET static inline void store8(uint8_t *o, __m256i v, int n)
{
    int32_t tmp[8];
    _mm256_storeu_si256((__m256i *)tmp, v);
    for (int i = 0; i < n; ++i)
        o[i] = (uint8_t)tmp[i];
}

/* Taps of output pixel (b, oy, ox) as int16 (x + offset), 0 outside the image. */
static inline __attribute__((always_inline)) void gather(const tfl_conv_2d_params *p,
                                                         const void *in, bool u8, int b, int oy,
                                                         int ox, int16_t *row)
{
    const int fc = p->f_c;
    int16_t *r = row;
    for (int fy = 0; fy < p->f_h; ++fy) {
        const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
        for (int fx = 0; fx < p->f_w; ++fx, r += fc) {
            const int ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
            if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) {
                memset(r, 0, (size_t)fc * sizeof *r);
                continue;
            }
            const size_t at =
                (((size_t)b * p->in_h + (size_t)iy) * p->in_w + (size_t)ix) * (size_t)p->in_c;
            if (u8) {
                const uint8_t *x = (const uint8_t *)in + at;
                for (int c = 0; c < fc; ++c)
                    r[c] = (int16_t)(x[c] + p->input_offset);
            } else {
                const int8_t *x = (const int8_t *)in + at;
                for (int c = 0; c < fc; ++c)
                    r[c] = (int16_t)(x[c] + p->input_offset);
            }
        }
    }
    if (taps(p) & 1)
        *r = 0;
}

/* Two adjacent int16 taps as one int32, for a broadcast. */
static inline int32_t tap_pair(const int16_t *row, size_t kp)
{
    int32_t v;
    memcpy(&v, row + 2 * kp, sizeof v);
    return v;
}

TARGET static inline __attribute__((always_inline)) void
conv(const tfl_conv_2d_params *p, bool u8, const void *input, const void *packed, void *output,
     size_t start, size_t end, void *scratch)
{
    const void *in = input;     /* [batches, in_h, in_w, in_c] */
    const int16_t *pw = packed; /* see tfl_conv_2d_avx2_pack */
    uint8_t *out = output;      /* [batches, out_h, out_w, out_c], bytes */
    const size_t ke = taps_even(p), nb = blocks(p), n = nb * BLOCK, pairs = ke / 2;
    const int32_t *q = (const int32_t *)(pw + nb * ke * BLOCK);
    int16_t *rows = (int16_t *)(((uintptr_t)scratch + 31) & ~(uintptr_t)31); /* [PIXELS][ke] */
    const __m256i out_off = _mm256_set1_epi32(p->output_offset);
    const __m256i lo = _mm256_set1_epi32(p->act_min), hi = _mm256_set1_epi32(p->act_max);
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        for (int ox0 = 0; ox0 < p->out_w; ox0 += PIXELS) {
            const int np = p->out_w - ox0 < PIXELS ? p->out_w - ox0 : PIXELS;
            for (int i = 0; i < PIXELS; ++i)
                gather(p, in, u8, b, oy, ox0 + (i < np ? i : 0), rows + (size_t)i * ke);
            const int16_t *r0 = rows, *r1 = rows + ke, *r2 = rows + 2 * ke, *r3 = rows + 3 * ke;
            for (size_t blk = 0; blk < nb; ++blk) {
                const __m256i *wv = (const __m256i *)(pw + blk * ke * BLOCK);
                __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
                for (size_t kp = 0; kp < pairs; ++kp) {
                    const __m256i w = _mm256_loadu_si256(wv + kp);
                    a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(_mm256_set1_epi32(tap_pair(r0, kp)), w));
                    a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(_mm256_set1_epi32(tap_pair(r1, kp)), w));
                    a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(_mm256_set1_epi32(tap_pair(r2, kp)), w));
                    a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(_mm256_set1_epi32(tap_pair(r3, kp)), w));
                }
                const size_t c = blk * BLOCK;
                const int nc = p->out_c - (int)c < BLOCK ? p->out_c - (int)c : BLOCK;
                __m256i acc[PIXELS] = {a0, a1, a2, a3};
                for (int i = 0; i < np; ++i) {
                    uint8_t *o = out + (row * (size_t)p->out_w + (size_t)(ox0 + i)) * p->out_c + c;
                    store8(o, requant8(acc[i], q, n, c, out_off, lo, hi), nc);
                }
            }
        }
    }
}

TARGET void tfl_conv_2d_s8__avx2(const tfl_conv_2d_params *p, const void *input, const void *packed,
                                 const void *bias, void *output, size_t start, size_t end,
                                 void *scratch)
{
    (void)bias; /* packed with the weights */
    conv(p, false, input, packed, output, start, end, scratch);
}

TARGET void tfl_conv_2d_u8__avx2(const tfl_conv_2d_params *p, const void *input, const void *packed,
                                 const void *bias, void *output, size_t start, size_t end,
                                 void *scratch)
{
    (void)bias; /* packed with the weights */
    conv(p, true, input, packed, output, start, end, scratch);
}
#endif
