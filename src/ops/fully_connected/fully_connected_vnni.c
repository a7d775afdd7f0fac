/* FULLY_CONNECTED int8 and uint8 with AVX-512 VNNI, identical to
 * tfl_fully_connected_s8__ref / _u8__ref. The filter is packed as the
 * VNNI convolution packs it (conv_2d_vnni.c: 16 output channels per block,
 * four taps per lane, top bit flipped so the input is used as stored) and
 * the signedness difference returns through the row's input sum S and a
 * per-channel constant, in wrapping int32:
 *   dot = sum x (w ^ 0x80) = sum x w -/+ 128 S (int8: w + 128, uint8: w - 128)
 *   sum (x + off)(w + fo) = dot + m S + c, with m = fo - 128 (int8) or
 *   fo + 128 (uint8) and c = off sum(w as packed, signed) + K off (fo + 128)
 *   for uint8, off sum w + K off fo for int8.
 * Then the reference's double rescale: round(acc * scale) half away from
 * zero (rebuilt from truncation, exact in double), vcvttpd2dq's INT32_MIN
 * for out-of-range results, the offset with int32 wrap-around, the clamp.
 * Work items are (batch row, group of 64 output channels), so a single
 * row still spreads over the threads. */
#include "ops/fully_connected/fully_connected.h"

#include "ops/kernel.h"

#if TFL__X86_SIMD
#include <immintrin.h>
#include <string.h>

#include "kernels/pack_vnni.h"

#define TARGET __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")))
#define BLOCK 16 /* output channels per packed block */
#define GROUP 4  /* blocks per work item */

static size_t quads(const tfl_fully_connected_params *p) { return ((size_t)p->accum_depth + 3) / 4; }
static size_t blocks(const tfl_fully_connected_params *p)
{
    return ((size_t)p->out_depth + BLOCK - 1) / BLOCK;
}

bool tfl_fully_connected_vnni_supports(const tfl_fully_connected_params *p)
{
    return p->const_weights && p->accum_depth > 0 && p->accum_depth < (1 << 24);
}

size_t tfl_fully_connected_vnni_groups(const tfl_fully_connected_params *p)
{
    return (blocks(p) + GROUP - 1) / GROUP;
}

size_t tfl_fully_connected_vnni_packed_bytes(const tfl_fully_connected_params *p)
{
    return blocks(p) * quads(p) * BLOCK * 4 + blocks(p) * BLOCK * sizeof(int32_t);
}

void tfl_fully_connected_vnni_pack(const tfl_fully_connected_params *p, bool u8,
                                   const void *filter, const void *bias, void *packed)
{
    const size_t k = (size_t)p->accum_depth, nq = quads(p), nb = blocks(p);
    const uint8_t *w = filter; /* [out_depth, accum_depth], bytes */
    const int32_t *bs = bias;  /* [out_depth] or NULL */
    uint8_t *pw = packed;
    int32_t *cst = (int32_t *)(pw + nb * nq * BLOCK * 4);
    const uint32_t off = (uint32_t)p->input_offset, fo = (uint32_t)p->filter_offset;
    for (size_t blk = 0; blk < nb; ++blk) {
        uint32_t sums[BLOCK];
        tfl__pack_vnni_block(w, (size_t)p->out_depth, k, nq, blk, u8, pw + blk * nq * BLOCK * 4,
                             sums);
        for (size_t e = 0; e < BLOCK; ++e) {
            const size_t oc = blk * BLOCK + e;
            const uint32_t c = u8 ? off * sums[e] + (uint32_t)k * off * (fo + 128u)
                                  : off * sums[e] + (uint32_t)k * off * fo;
            cst[oc] = oc < (size_t)p->out_depth ? (int32_t)(c + (uint32_t)(bs ? bs[oc] : 0)) : 0;
        }
    }
}

/* Signed (int8) or unsigned sum of x[0, len). */
TARGET static inline int32_t row_sum(const uint8_t *x, size_t len, bool u8)
{
    const __m512i flip = _mm512_set1_epi8(u8 ? 0 : (char)0x80);
    __m512i s = _mm512_setzero_si512();
    size_t chunks = 0;
    for (size_t i = 0; i < len; i += 64, ++chunks) {
        const __mmask64 m = len - i >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << (len - i)) - 1);
        const __m512i v = _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, x + i), flip);
        s = _mm512_add_epi64(s, _mm512_sad_epu8(v, _mm512_setzero_si512()));
    }
    const int64_t total = _mm512_reduce_add_epi64(s);
    return (int32_t)(uint32_t)(uint64_t)(u8 ? total : total - 8192 * (int64_t)chunks);
}

/* round(acc * scale) as the reference: 8 lanes in double. */
TARGET static inline __m256i rescale8(__m256i acc, __m512d scale)
{
    const __m512d x = _mm512_mul_pd(_mm512_cvtepi32_pd(acc), scale);
    const __m512d t = _mm512_roundscale_pd(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m512d frac = _mm512_abs_pd(_mm512_sub_pd(x, t));
    const __mmask8 up = _mm512_cmp_pd_mask(frac, _mm512_set1_pd(0.5), _CMP_GE_OQ);
    const __m512d one = _mm512_castsi512_pd(_mm512_or_si512(
        _mm512_castpd_si512(_mm512_set1_pd(1.0)),
        _mm512_and_si512(_mm512_castpd_si512(x), _mm512_set1_epi64(INT64_MIN))));
    return _mm512_cvttpd_epi32(_mm512_mask_add_pd(t, up, t, one));
}

#define DOT(u8, acc, x, w) ((u8) ? _mm512_dpbusd_epi32(acc, x, w) : _mm512_dpbusd_epi32(acc, w, x))

TARGET static inline __attribute__((always_inline)) void
fc(const tfl_fully_connected_params *p, bool u8, const uint8_t *in, const uint8_t *pw,
   uint8_t *out, size_t start, size_t end)
{
    const size_t k = (size_t)p->accum_depth, nq = quads(p), nb = blocks(p), full = k / 4;
    const size_t groups = tfl_fully_connected_vnni_groups(p);
    const int32_t *cst = (const int32_t *)(pw + nb * nq * BLOCK * 4);
    const uint32_t fo = (uint32_t)p->filter_offset;
    const uint32_t m = u8 ? fo + 128u : fo - 128u;
    const __m512i out_off = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->act_min), hi = _mm512_set1_epi32(p->act_max);
    for (size_t item = start; item < end; ++item) {
        const size_t b = item / groups, g = item % groups;
        const uint8_t *x = in + b * k;
        const size_t b0 = g * GROUP, nblk = nb - b0 < GROUP ? nb - b0 : GROUP;
        const __m512i extra = _mm512_set1_epi32((int32_t)(m * (uint32_t)row_sum(x, k, u8)));
        /* The last partial quad, padded with zeros (their weights are 0). */
        int32_t tail = 0;
        memcpy(&tail, x + 4 * full, k - 4 * full);
        const uint8_t *w = pw + b0 * nq * BLOCK * 4;
        const size_t bs = nq * BLOCK * 4; /* bytes per block */
        __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
        for (size_t kq = 0; kq < nq; ++kq) {
            int32_t v = tail;
            if (kq < full)
                memcpy(&v, x + 4 * kq, 4);
            const __m512i xv = _mm512_set1_epi32(v);
            const uint8_t *wq = w + kq * BLOCK * 4;
            a0 = DOT(u8, a0, xv, _mm512_loadu_si512(wq));
            if (nblk > 1)
                a1 = DOT(u8, a1, xv, _mm512_loadu_si512(wq + bs));
            if (nblk > 2)
                a2 = DOT(u8, a2, xv, _mm512_loadu_si512(wq + 2 * bs));
            if (nblk > 3)
                a3 = DOT(u8, a3, xv, _mm512_loadu_si512(wq + 3 * bs));
        }
        const __m512i acc[GROUP] = {a0, a1, a2, a3};
        for (size_t h = 0; h < nblk; ++h) {
            const size_t c = (b0 + h) * BLOCK;
            const int nc = p->out_depth - (int)c < BLOCK ? p->out_depth - (int)c : BLOCK;
            const __mmask16 mask = (__mmask16)((1u << nc) - 1);
            __m512i v = _mm512_add_epi32(_mm512_add_epi32(acc[h], extra),
                                         _mm512_loadu_si512(cst + c));
            const __m512d s0 = _mm512_maskz_loadu_pd((__mmask8)mask, p->scale + c);
            const __m512d s1 = _mm512_maskz_loadu_pd((__mmask8)(mask >> 8), p->scale + c + 8);
            const __m256i r0 = rescale8(_mm512_castsi512_si256(v), s0);
            const __m256i r1 = rescale8(_mm512_extracti64x4_epi64(v, 1), s1);
            v = _mm512_inserti64x4(_mm512_castsi256_si512(r0), r1, 1);
            v = _mm512_add_epi32(v, out_off);
            v = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
            _mm512_mask_cvtepi32_storeu_epi8(out + b * (size_t)p->out_depth + c, mask, v);
        }
    }
}

TARGET void tfl_fully_connected_s8__vnni(const tfl_fully_connected_params *p, const void *input,
                                         const void *packed, const void *bias, void *output,
                                         size_t start, size_t end)
{
    (void)bias; /* packed with the weights */
    fc(p, false, input, packed, output, start, end);
}

TARGET void tfl_fully_connected_u8__vnni(const tfl_fully_connected_params *p, const void *input,
                                         const void *packed, const void *bias, void *output,
                                         size_t start, size_t end)
{
    (void)bias; /* packed with the weights */
    fc(p, true, input, packed, output, start, end);
}
#endif
