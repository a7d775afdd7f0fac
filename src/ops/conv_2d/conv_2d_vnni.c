/* CONV_2D int8 (per-channel) and uint8 (per-tensor, filter zero point)
 * with AVX-512 VNNI (vpdpbusd: unsigned bytes times signed bytes, four
 * products summed into each int32 lane), byte-identical to
 * tfl_conv_2d_s8__ref / tfl_conv_2d_u8__ref.
 *
 * vpdpbusd wants one unsigned and one signed operand, so both dtypes are
 * brought to (u8 input, s8 filter) and the difference is folded into
 * per-channel constants, all in wrapping int32 arithmetic (which is what
 * the reference's int64 sum, wrapped once, amounts to):
 *   int8:  x + off = xu - 128 + off with xu = x ^ 0x80, so
 *          sum (x + off) w = dot(xu, w) + (off - 128) sum w.
 *   uint8: w + wo = ws + m with ws = w ^ 0x80 (w - 128), m = 128 + wo, so
 *          sum (x + xo)(w + wo) = dot(x, ws) + m sum x + xo sum ws + K xo m,
 *          where sum x is per output pixel (added after the dot product)
 *          and the rest per channel (folded into the bias).
 * A tap outside the image, which the reference skips, is gathered as the
 * input value whose (x + offset) is 0, so it adds nothing on either side.
 * The requantization is the reference's double rounding, per lane. */
#include "ops/conv_2d/conv_2d.h"

#if TFL__X86_SIMD
#include <immintrin.h>
#include <string.h>

#include "kernels/requant_avx2.h"
#include "kernels/requant_avx512.h"

#define TARGET __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")))
#define PIXELS 8 /* output pixels per tile */
#define BLOCK 16 /* output channels per packed block (one zmm of int32) */

static size_t taps(const tfl_conv_2d_params *p) { return (size_t)p->f_h * p->f_w * p->f_c; }
static size_t quads(const tfl_conv_2d_params *p) { return (taps(p) + 3) / 4; }
static size_t blocks(const tfl_conv_2d_params *p) { return ((size_t)p->out_c + BLOCK - 1) / BLOCK; }
/* A gathered row: the taps, then zeros up to a multiple of 64 bytes. */
static size_t row_bytes(const tfl_conv_2d_params *p) { return (taps(p) + 63) & ~(size_t)63; }

bool tfl_conv_2d_vnni_supports(const tfl_conv_2d_params *p)
{
    return p->in_c == p->f_c && taps(p) < ((size_t)1 << 24);
}

/* Packed: per block of 16 channels, per quad of taps, 16 lanes of 4 signed
 * bytes; then the requantization arrays with the folded bias. */
size_t tfl_conv_2d_vnni_packed_bytes(const tfl_conv_2d_params *p)
{
    return blocks(p) * quads(p) * BLOCK * 4 + 4 * blocks(p) * BLOCK * sizeof(int32_t);
}

void tfl_conv_2d_vnni_pack(const tfl_conv_2d_params *p, bool u8, const void *filter,
                           const void *bias, void *packed)
{
    const size_t k = taps(p), nq = quads(p), nb = blocks(p), n = nb * BLOCK;
    int8_t *pw = packed;
    for (size_t b = 0; b < nb; ++b)
        for (size_t kq = 0; kq < nq; ++kq)
            for (size_t lane = 0; lane < BLOCK; ++lane)
                for (size_t j = 0; j < 4; ++j) {
                    const size_t oc = b * BLOCK + lane, t = kq * 4 + j;
                    int8_t v = 0;
                    if (oc < (size_t)p->out_c && t < k) {
                        const size_t i = oc * k + t; /* filter [out_c, f_h, f_w, f_c] */
                        v = u8 ? (int8_t)(((const uint8_t *)filter)[i] ^ 0x80)
                               : ((const int8_t *)filter)[i];
                    }
                    pw[((b * nq + kq) * BLOCK + lane) * 4 + j] = v;
                }
    int32_t *q = (int32_t *)(pw + nb * nq * BLOCK * 4);
    tfl__requant_pack(q, n, (size_t)p->out_c, p->mult, p->shift, bias);
    /* The per-channel constants, in wrapping uint32 arithmetic. */
    const uint32_t off = (uint32_t)p->input_offset, m = 128u + (uint32_t)p->filter_offset;
    for (size_t oc = 0; oc < (size_t)p->out_c; ++oc) {
        uint32_t sum_w = 0;
        for (size_t t = 0; t < k; ++t)
            sum_w += (uint32_t)(int32_t)pw[(((oc / BLOCK) * nq + t / 4) * BLOCK + oc % BLOCK) * 4 +
                                           t % 4];
        uint32_t extra = u8 ? off * sum_w + (uint32_t)k * off * m : (off - 128u) * sum_w;
        q[3 * n + oc] = (int32_t)((uint32_t)q[3 * n + oc] + extra);
    }
}

size_t tfl_conv_2d_vnni_scratch(const tfl_conv_2d_params *p)
{
    return PIXELS * row_bytes(p) + PIXELS * sizeof(int32_t) + 64;
}

/* The unsigned taps of output pixel (b, oy, ox) into row (row_bytes long,
 * its tail past the taps already zero); returns the sum of the taps (uint8
 * only: the per-pixel term). Taps are copied as stored and an int8 row is
 * flipped to unsigned afterwards in whole vectors (the tail's flipped zeros
 * meet zero weights), so no masked or partial vector stores are needed. */
TARGET static inline __attribute__((always_inline)) uint32_t
gather(const tfl_conv_2d_params *p, const uint8_t *in, bool u8, int b, int oy, int ox,
       uint8_t *row)
{
    const size_t fc = (size_t)p->f_c, rb = row_bytes(p);
    /* The stored input value whose x + offset is 0. */
    const uint8_t pad = (uint8_t)-p->input_offset;
    uint8_t *r = row;
    for (int fy = 0; fy < p->f_h; ++fy) {
        const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
        for (int fx = 0; fx < p->f_w; ++fx, r += fc) {
            const int ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
            const bool inside = iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w;
            const uint8_t *x =
                inside ? in + (((size_t)b * p->in_h + (size_t)iy) * p->in_w + (size_t)ix) * fc
                       : NULL;
            if (fc >= 16) { /* worth a library call */
                if (x)
                    memcpy(r, x, fc);
                else
                    memset(r, pad, fc);
            } else {
                for (size_t c = 0; c < fc; ++c)
                    r[c] = x ? x[c] : pad;
            }
        }
    }
    if (!u8) {
        const __m512i flip = _mm512_set1_epi8((char)0x80);
        for (size_t i = 0; i < rb; i += 64)
            _mm512_store_si512(row + i, _mm512_xor_si512(_mm512_load_si512(row + i), flip));
        return 0;
    }
    __m512i s = _mm512_setzero_si512();
    for (size_t i = 0; i < rb; i += 64)
        s = _mm512_add_epi64(s, _mm512_sad_epu8(_mm512_load_si512(row + i), _mm512_setzero_si512()));
    return (uint32_t)_mm512_reduce_add_epi64(s);
}

/* PIXELS rows times nblk (1 or 2) blocks of 16 channels. */
TARGET static inline __attribute__((always_inline)) void
tile(const tfl_conv_2d_params *p, const uint8_t *const *rows, const int8_t *w0, size_t nq,
     __m512i *acc, int nblk)
{
    for (int i = 0; i < 2 * PIXELS; ++i)
        acc[i] = _mm512_setzero_si512();
    const int8_t *w1 = w0 + nq * BLOCK * 4;
    for (size_t kq = 0; kq < nq; ++kq) {
        const __m512i wa = _mm512_loadu_si512(w0 + kq * BLOCK * 4);
        const __m512i wb = nblk == 2 ? _mm512_loadu_si512(w1 + kq * BLOCK * 4) : wa;
        for (int i = 0; i < PIXELS; ++i) {
            int32_t quad;
            memcpy(&quad, rows[i] + kq * 4, sizeof quad);
            const __m512i x = _mm512_set1_epi32(quad);
            acc[i] = _mm512_dpbusd_epi32(acc[i], x, wa);
            if (nblk == 2)
                acc[PIXELS + i] = _mm512_dpbusd_epi32(acc[PIXELS + i], x, wb);
        }
    }
    (void)p;
}

TARGET static inline __attribute__((always_inline)) void
conv(const tfl_conv_2d_params *p, bool u8, const void *input, const void *packed, void *output,
     size_t start, size_t end, void *scratch)
{
    const uint8_t *in = input; /* [batches, in_h, in_w, in_c], bytes */
    const int8_t *pw = packed; /* see tfl_conv_2d_vnni_pack */
    uint8_t *out = output;     /* [batches, out_h, out_w, out_c], bytes */
    const size_t nq = quads(p), nb = blocks(p), n = nb * BLOCK, rb = row_bytes(p);
    const int32_t *q = (const int32_t *)(pw + nb * nq * BLOCK * 4);
    uint8_t *buf = (uint8_t *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63); /* [PIXELS][rb] */
    uint32_t *sums = (uint32_t *)(buf + PIXELS * rb);
    const uint32_t m = 128u + (uint32_t)p->filter_offset;
    const __m512i out_off = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->act_min), hi = _mm512_set1_epi32(p->act_max);
    /* Row tails stay zero: gather writes only the taps (int8 flips them). */
    for (int i = 0; i < PIXELS; ++i)
        memset(buf + (size_t)i * rb + taps(p), 0, rb - taps(p));
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        for (int ox0 = 0; ox0 < p->out_w; ox0 += PIXELS) {
            const int np = p->out_w - ox0 < PIXELS ? p->out_w - ox0 : PIXELS;
            const uint8_t *rows[PIXELS];
            for (int i = 0; i < PIXELS; ++i) {
                if (i < np) {
                    sums[i] = gather(p, in, u8, b, oy, ox0 + i, buf + (size_t)i * rb);
                    rows[i] = buf + (size_t)i * rb;
                } else {
                    rows[i] = buf; /* computed and dropped */
                }
            }
            for (size_t blk = 0; blk < nb; blk += 2) {
                const int nblk = blk + 1 < nb ? 2 : 1;
                __m512i acc[2 * PIXELS];
                if (nblk == 2)
                    tile(p, rows, pw + blk * nq * BLOCK * 4, nq, acc, 2);
                else
                    tile(p, rows, pw + blk * nq * BLOCK * 4, nq, acc, 1);
                for (int h = 0; h < nblk; ++h) {
                    const size_t c = (blk + (size_t)h) * BLOCK;
                    const int nc = p->out_c - (int)c < BLOCK ? p->out_c - (int)c : BLOCK;
                    const __mmask16 store = (__mmask16)((1u << nc) - 1);
                    for (int i = 0; i < np; ++i) {
                        __m512i v = acc[h * PIXELS + i];
                        if (u8)
                            v = _mm512_add_epi32(v, _mm512_set1_epi32((int32_t)(m * sums[i])));
                        v = requant16(v, q, n, c, out_off, lo, hi);
                        uint8_t *o = out + (row * (size_t)p->out_w + (size_t)(ox0 + i)) * p->out_c + c;
                        _mm512_mask_cvtepi32_storeu_epi8(o, store, v);
                    }
                }
            }
        }
    }
}

TARGET void tfl_conv_2d_s8__vnni(const tfl_conv_2d_params *p, const void *input, const void *packed,
                                 const void *bias, void *output, size_t start, size_t end,
                                 void *scratch)
{
    (void)bias; /* packed with the weights */
    conv(p, false, input, packed, output, start, end, scratch);
}

TARGET void tfl_conv_2d_u8__vnni(const tfl_conv_2d_params *p, const void *input, const void *packed,
                                 const void *bias, void *output, size_t start, size_t end,
                                 void *scratch)
{
    (void)bias; /* packed with the weights */
    conv(p, true, input, packed, output, start, end, scratch);
}
#endif
