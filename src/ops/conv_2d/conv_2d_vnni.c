/* CONV_2D int8 (per-channel) and uint8 (per-tensor, filter zero point)
 * with AVX-512 VNNI (vpdpbusd: unsigned bytes times signed bytes, four
 * products summed into each int32 lane), byte-identical to
 * tfl_conv_2d_s8__ref / tfl_conv_2d_u8__ref.
 *
 * vpdpbusd wants one unsigned and one signed operand. The input stays as
 * stored, so a 1x1 convolution reads it in place; the filter is packed in
 * the other signedness by flipping its top bit (w ^ 0x80 = w -/+ 128), and
 * the difference comes back through the per-pixel tap sum S = sum x and
 * per-channel constants, all in wrapping int32 arithmetic (which is what
 * the reference's int64 sum, wrapped once, amounts to):
 *   int8:  dot(w + 128, x) = sum w x + 128 S, so
 *          sum (x + off) w = dot - 128 S + off sum w;
 *   uint8: dot(x, w - 128) = sum x w - 128 S, so with m = 128 + wo,
 *          sum (x + xo)(w + wo) = dot + m S + xo sum(w - 128) + K xo m.
 * A tap outside the image, which the reference skips, is gathered as the
 * input value whose (x + offset) is 0, so it adds nothing on either side.
 * The requantization is the reference's double rounding, per lane. */
#include "ops/conv_2d/conv_2d.h"

#if TFL__X86_SIMD
#include <immintrin.h>

#include "kernels/pack_vnni.h"
#include "kernels/requant_avx2.h"
#include "kernels/requant_avx512.h"
#include "ops/conv_2d/conv_gather.h"

#define TARGET __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")))
#define PIXELS 8 /* output pixels per tile */
#define BLOCK 16 /* output channels per packed block (one zmm of int32) */

static size_t taps(const tfl_conv_2d_params *p)
{
    return (size_t)p->f_h * p->f_w * p->f_c;
}
static size_t quads(const tfl_conv_2d_params *p)
{
    return (taps(p) + 3) / 4;
}
static size_t blocks(const tfl_conv_2d_params *p)
{
    return ((size_t)p->out_c + BLOCK - 1) / BLOCK;
}
/* A gathered row: the taps, then zeros up to a multiple of 64 bytes. */
static size_t row_bytes(const tfl_conv_2d_params *p)
{
    return (taps(p) + 63) & ~(size_t)63;
}

/* 1x1 without padding and whole quads: rows are the input pixels. */
static bool in_place(const tfl_conv_2d_params *p)
{
    /* The last output pixel's tap inside too: a PAD fused into the conv
     * (runtime/fuse.h) may pad the bottom or right with no top or left. */
    return p->f_h == 1 && p->f_w == 1 && p->pad_h == 0 && p->pad_w == 0 && taps(p) % 4 == 0 &&
           (int64_t)(p->out_h - 1) * p->stride_h < p->in_h &&
           (int64_t)(p->out_w - 1) * p->stride_w < p->in_w;
}

bool tfl_conv_2d_vnni_supports(const tfl_conv_2d_params *p)
{
    return p->in_c == p->f_c && taps(p) < ((size_t)1 << 24);
}

/* Packed: per block of 16 channels, per quad of taps, 16 lanes of 4 bytes
 * (the filter with its top bit flipped); then the requantization arrays
 * with the constants folded into the bias. */
/* After the requantization arrays, at a 64-byte boundary, the same
 * constants worked out per block of 16 channels (tfl__rq16). */
static size_t rq16_offset(const tfl_conv_2d_params *p)
{
    const size_t b = blocks(p) * quads(p) * BLOCK * 4 + 4 * blocks(p) * BLOCK * sizeof(int32_t);
    return (b + 63) / 64 * 64;
}

size_t tfl_conv_2d_vnni_packed_bytes(const tfl_conv_2d_params *p)
{
    return rq16_offset(p) + blocks(p) * sizeof(tfl__rq16);
}

TARGET static void pack_rq16(const tfl_conv_2d_params *p, const int32_t *q, void *packed)
{
    tfl__rq16 *rq = (tfl__rq16 *)((uint8_t *)packed + rq16_offset(p));
    const size_t n = blocks(p) * BLOCK;
    for (size_t blk = 0; blk < blocks(p); ++blk)
        rq[blk] = tfl__rq16_load(q, n, blk * BLOCK);
}

void tfl_conv_2d_vnni_pack(const tfl_conv_2d_params *p, bool u8, const void *filter,
                           const void *bias, void *packed)
{
    const size_t k = taps(p), nq = quads(p), nb = blocks(p), n = nb * BLOCK;
    const uint8_t *w = filter; /* [out_c, f_h, f_w, f_c], bytes */
    uint8_t *pw = packed;
    int32_t *q = (int32_t *)(pw + nb * nq * BLOCK * 4);
    tfl__requant_pack(q, n, (size_t)p->out_c, p->mult, p->shift, bias);
    const uint32_t off = (uint32_t)p->input_offset, m = 128u + (uint32_t)p->filter_offset;
    for (size_t blk = 0; blk < nb; ++blk) {
        uint32_t sums[BLOCK];
        tfl__pack_vnni_block(w, (size_t)p->out_c, k, nq, blk, u8, pw + blk * nq * BLOCK * 4, sums);
        for (size_t e = 0; e < BLOCK; ++e) {
            const size_t oc = blk * BLOCK + e;
            if (oc < (size_t)p->out_c) {
                const uint32_t extra =
                    u8 ? off * sums[e] + (uint32_t)k * off * m : off * sums[e];
                q[3 * n + oc] = (int32_t)((uint32_t)q[3 * n + oc] + extra);
            }
        }
    }
    pack_rq16(p, q, packed);
}

size_t tfl_conv_2d_vnni_scratch(const tfl_conv_2d_params *p)
{
    return PIXELS * row_bytes(p) + 64;
}

/* Sum of the taps at x (len bytes, readable exactly), signed for int8. */
TARGET static inline int32_t tap_sum(const uint8_t *x, size_t len, bool u8)
{
    const __m512i flip = _mm512_set1_epi8(u8 ? 0 : (char)0x80);
    __m512i s = _mm512_setzero_si512();
    size_t chunks = 0;
    for (size_t i = 0; i < len; i += 64, ++chunks) {
        const __mmask64 m = len - i >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << (len - i)) - 1);
        /* Missing lanes load 0, which adds 0 either way after the -128s. */
        const __m512i v = _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, x + i), flip);
        s = _mm512_add_epi64(s, _mm512_sad_epu8(v, _mm512_setzero_si512()));
    }
    const int64_t total = _mm512_reduce_add_epi64(s);
    return (int32_t)(uint32_t)(uint64_t)(u8 ? total : total - 8192 * (int64_t)chunks);
}

/* vpdpbusd with the operands in the dtype's roles: uint8 input unsigned,
 * int8 input signed (then the flipped filter is the unsigned one). */
#define DOT(u8, acc, x, w) ((u8) ? _mm512_dpbusd_epi32(acc, x, w) : _mm512_dpbusd_epi32(acc, w, x))

/* Accumulators of PIXELS rows times two blocks (w1 NULL: one block, the
 * second's accumulators stay zero). Kept in named registers. */
TARGET static inline __attribute__((always_inline)) void tile(bool u8, const uint8_t *const *rows,
                                                              const uint8_t *w0, const uint8_t *w1,
                                                              size_t nq, __m512i *out)
{
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0,
            a7 = a0;
    __m512i b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
    const uint8_t *r0 = rows[0], *r1 = rows[1], *r2 = rows[2], *r3 = rows[3], *r4 = rows[4],
                  *r5 = rows[5], *r6 = rows[6], *r7 = rows[7];
    if (w1) {
        for (size_t kq = 0; kq < nq; ++kq) {
            const __m512i wa = _mm512_loadu_si512(w0 + kq * BLOCK * 4);
            const __m512i wb = _mm512_loadu_si512(w1 + kq * BLOCK * 4);
            int32_t v;
#define PIX(i)                                                                                     \
    memcpy(&v, r##i + kq * 4, 4);                                                                  \
    {                                                                                              \
        const __m512i x = _mm512_set1_epi32(v);                                                    \
        a##i = DOT(u8, a##i, x, wa);                                                               \
        b##i = DOT(u8, b##i, x, wb);                                                               \
    }
            PIX(0) PIX(1) PIX(2) PIX(3) PIX(4) PIX(5) PIX(6) PIX(7)
#undef PIX
        }
    } else { /* one block: half the work */
        for (size_t kq = 0; kq < nq; ++kq) {
            const __m512i wa = _mm512_loadu_si512(w0 + kq * BLOCK * 4);
            int32_t v;
#define PIX(i)                                                                                     \
    memcpy(&v, r##i + kq * 4, 4);                                                                  \
    a##i = DOT(u8, a##i, _mm512_set1_epi32(v), wa);
            PIX(0) PIX(1) PIX(2) PIX(3) PIX(4) PIX(5) PIX(6) PIX(7)
#undef PIX
        }
    }
    out[0] = a0, out[1] = a1, out[2] = a2, out[3] = a3, out[4] = a4, out[5] = a5, out[6] = a6,
    out[7] = a7;
    out[8] = b0, out[9] = b1, out[10] = b2, out[11] = b3, out[12] = b4, out[13] = b5, out[14] = b6,
    out[15] = b7;
}

TARGET static inline __attribute__((always_inline)) void conv(const tfl_conv_2d_params *p, bool u8,
                                                              const void *input, const void *packed,
                                                              void *output, size_t start,
                                                              size_t end, void *scratch)
{
    const uint8_t *in = input;  /* [batches, in_h, in_w, in_c], bytes */
    const uint8_t *pw = packed; /* see tfl_conv_2d_vnni_pack */
    uint8_t *out = output;      /* [batches, out_h, out_w, out_c], bytes */
    const size_t nq = quads(p), nb = blocks(p), rb = row_bytes(p), k = taps(p);
    const tfl__rq16 *rq = (const tfl__rq16 *)(pw + rq16_offset(p));
    uint8_t *buf = (uint8_t *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63); /* [PIXELS][rb] */
    const bool direct = in_place(p);
    /* Per-pixel factor of the tap sum (see the top of the file). */
    const uint32_t m = u8 ? 128u + (uint32_t)p->filter_offset : (uint32_t)-128;
    const __m512i out_off = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->act_min), hi = _mm512_set1_epi32(p->act_max);
    if (!direct)
        for (int i = 0; i < PIXELS; ++i) /* row tails stay zero: gather writes only taps */
            memset(buf + (size_t)i * rb + k, 0, rb - k);
    /* Flat output pixels; a tile of PIXELS may span rows. */
    const size_t ow = (size_t)p->out_w;
    const size_t first = p->flat_pixels ? start : start * ow;
    const size_t stop = p->flat_pixels ? end : end * ow;
    for (size_t px0 = first; px0 < stop; px0 += PIXELS) {
        const int np = stop - px0 < PIXELS ? (int)(stop - px0) : PIXELS;
        const uint8_t *rows[PIXELS];
        int32_t extra[PIXELS];
        for (int i = 0; i < PIXELS; ++i) {
            const size_t px = px0 + (size_t)(i < np ? i : 0); /* spare lanes redo pixel 0 */
            const size_t row = px / ow;
            const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
            const int ox = (int)(px % ow);
            if (direct) {
                rows[i] = in + (((size_t)b * p->in_h + (size_t)(oy * p->stride_h)) * p->in_w +
                                (size_t)(ox * p->stride_w)) *
                                   k;
            } else {
                rows[i] = buf + (size_t)i * rb;
            }
        }
        for (int i = 0; !direct && i < np;) { /* gathered in runs along output rows */
            const size_t px = px0 + (size_t)i, row = px / ow, ox = px % ow;
            const int run = (int)(ow - ox < (size_t)(np - i) ? ow - ox : (size_t)(np - i));
            tfl__conv_gather_run(p, in, (int)(row / (size_t)p->out_h),
                                 (int)(row % (size_t)p->out_h), (int)ox, run,
                                 buf + (size_t)i * rb, rb);
            i += run;
        }
        /* Summed after all the gathers: reading a row right after
         * writing it stalls on the stores, which cannot forward. */
        for (int i = 0; i < np; ++i)
            extra[i] = (int32_t)(m * (uint32_t)tap_sum(rows[i], k, u8));
        for (size_t blk = 0; blk < nb; blk += 2) {
            const int nblk = blk + 1 < nb ? 2 : 1;
            const uint8_t *w0 = pw + blk * nq * BLOCK * 4;
            __m512i acc[2 * PIXELS];
            tile(u8, rows, w0, nblk == 2 ? w0 + nq * BLOCK * 4 : NULL, nq, acc);
            for (int h = 0; h < nblk; ++h) {
                const size_t c = (blk + (size_t)h) * BLOCK;
                const int nc = p->out_c - (int)c < BLOCK ? p->out_c - (int)c : BLOCK;
                const __mmask16 store = (__mmask16)((1u << nc) - 1);
                const tfl__rq16 *r = &rq[blk + (size_t)h];
                for (int i = 0; i < np; ++i) {
                    __m512i v = _mm512_add_epi32(acc[h * PIXELS + i], _mm512_set1_epi32(extra[i]));
                    const __m128i bytes =
                        _mm512_cvtepi32_epi8(tfl__rq16_apply(r, v, out_off, lo, hi));
                    uint8_t *o = out + (px0 + (size_t)i) * (size_t)p->out_c + c;
                    if (nc == BLOCK)
                        _mm_storeu_si128((__m128i *)o, bytes);
                    else
                        _mm_mask_storeu_epi8(o, store, bytes);
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
