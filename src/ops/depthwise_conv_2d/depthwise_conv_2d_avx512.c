/* DEPTHWISE_CONV_2D int8 (per-channel) and uint8, depth multiplier 1, with
 * AVX-512BW: the AVX2 record's arithmetic (tap pairs through vpmaddwd, see
 * depthwise_conv_2d_avx2.c) on 32 channels at a time, with each output
 * pixel's tap addresses worked out once for all its channel blocks. With
 * at most 16 channels the upper half of the vector would idle, so the
 * packed filter holds them twice and two output pixels share a vector.
 * Output pixels whose taps all lie inside the image skip the input offset
 * and add input_offset * sum(w) per channel instead (the same int32 sum,
 * wrapped). The VNNI records fuse each multiply-add pair into vpdpwssd.
 * Byte-identical to tfl_depthwise_conv_2d_s8__ref / _u8__ref. */
#include "ops/depthwise_conv_2d/depthwise_conv_2d.h"

#if TFL__X86_SIMD
#include <immintrin.h>
#include <string.h>

#include "kernels/requant_avx512.h"

/* Everything here inlines into both the AVX-512BW and the VNNI entry points. */
#define TARGET_VNNI __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")))

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

/* Packed: the tap-pair layout (tfl_depthwise_conv_2d_pair_pack), then
 * per channel input_offset * sum of the filter over all taps, which an
 * output pixel whose taps are all inside the image adds instead of adding
 * the offset to every input, then at a 64-byte boundary the requantization
 * constants of every 16 channels worked out (tfl__rq16), so a pixel's
 * requantization is a few instructions on constants read from memory. */
static size_t rq16_offset(const tfl_depthwise_conv_2d_params *p)
{
    const size_t b = tfl_depthwise_conv_2d_pair_packed_bytes(p, LANES) + chans(p) * sizeof(int32_t);
    return (b + 63) / 64 * 64;
}

/* 3x3 and 5x5 filters with dilation 1 and a column stride of 1 or 2 also
 * get the weights the row kernels (row3x3, row5x5) pair by input column:
 * per block and filter column fx, rows (0, 1), (2, 3), ... as tap pairs, a
 * last odd row with a zero, each pair as two vectors (the vpunpcklwd /
 * vpunpckhwd halves). */
static bool row_kernel(const tfl_depthwise_conv_2d_params *p)
{
    return (p->f_h == 3 || p->f_h == 5) && p->f_w == p->f_h && p->dilation_h == 1 &&
           p->dilation_w == 1 && (p->stride_w == 1 || p->stride_w == 2) && !(p->out_c <= 16);
}

#define COLUMN_VECTORS 12 /* per 3x3 block: 3 filter columns x 2 pairs x 2 halves */

/* Column weight vectors per block: K columns x ceil(K / 2) pairs x 2. */
static size_t column_vectors(const tfl_depthwise_conv_2d_params *p)
{
    return (size_t)p->f_w * (size_t)((p->f_h + 1) / 2) * 2;
}

static size_t columns_offset(const tfl_depthwise_conv_2d_params *p)
{
    return rq16_offset(p) + chans(p) / 16 * sizeof(tfl__rq16);
}

/* 3x3, dilation 1, stride 1 with a channel count that divides 32 (at most
 * 16): 32 / out_c neighbouring output pixels fill one vector, their taps
 * at one filter position being one contiguous load. The packed weights,
 * requantization constants and offset sums then repeat with period out_c
 * over the 32 lanes (narrow_block). */
static bool narrow_kernel(const tfl_depthwise_conv_2d_params *p)
{
    return p->f_h == 3 && p->f_w == 3 && p->dilation_h == 1 && p->dilation_w == 1 &&
           p->stride_w == 1 && p->out_c <= 16 && LANES % p->out_c == 0;
}

/* The narrow kernel's constants (in the place of the column weights). */
typedef struct narrow_block {
    __m512i cols[COLUMN_VECTORS];
    tfl__rq16 rq[2];
    int32_t offw[LANES];
} narrow_block;

size_t tfl_depthwise_conv_2d_avx512_packed_bytes(const tfl_depthwise_conv_2d_params *p)
{
    const size_t cols = row_kernel(p) ? chans(p) / LANES * column_vectors(p) * 64
                                      : (narrow_kernel(p) ? sizeof(narrow_block) : 0);
    return columns_offset(p) + cols;
}

static inline const narrow_block *packed_narrow(const tfl_depthwise_conv_2d_params *p,
                                                const void *packed)
{
    return narrow_kernel(p) ? (const narrow_block *)((const uint8_t *)packed + columns_offset(p))
                            : NULL;
}

static inline const __m512i *packed_columns(const tfl_depthwise_conv_2d_params *p,
                                            const void *packed)
{
    return row_kernel(p) ? (const __m512i *)((const uint8_t *)packed + columns_offset(p)) : NULL;
}

/* Column weights for every block; narrow: one block whose lane (virtual
 * channel) v holds channel v % out_c. */
static void pack_columns(const tfl_depthwise_conv_2d_params *p, bool u8, bool narrow,
                         const void *filter, void *packed)
{
    const size_t oc = (size_t)p->out_c;
    const int K = p->f_h, pieces = 2 * ((K + 1) / 2); /* (pair, half) per column */
    int16_t *v = (int16_t *)((uint8_t *)packed + columns_offset(p));
    for (size_t blk = 0; blk < (narrow ? 1 : chans(p) / LANES); ++blk)
        for (int fx = 0; fx < K; ++fx)
            for (int piece = 0; piece < pieces; ++piece) { /* pair 0 lo, hi, pair 1 lo, ... */
                const size_t half = (size_t)(piece & 1);
                for (size_t e = 0; e < LANES; ++e) {
                    /* As tfl_depthwise_conv_2d_pair_pack: lane e / 8,
                     * channel (e % 8) / 2 of the half, partner e % 2
                     * (rows 2 * pair and 2 * pair + 1; past the last: 0). */
                    const size_t vc = blk * LANES + e / 8 * 8 + half * 4 + e % 8 / 2;
                    const size_t c = narrow ? vc % oc : vc;
                    const int fy = piece / 2 * 2 + (int)(e % 2);
                    int16_t x = 0;
                    if (c < oc && fy < K) {
                        const size_t i = ((size_t)fy * (size_t)K + (size_t)fx) * oc + c;
                        x = u8 ? (int16_t)(((const uint8_t *)filter)[i] + p->filter_offset)
                               : ((const int8_t *)filter)[i];
                    }
                    *v++ = x;
                }
            }
}

static inline const tfl__rq16 *packed_rq16(const tfl_depthwise_conv_2d_params *p,
                                           const void *packed)
{
    return (const tfl__rq16 *)((const uint8_t *)packed + rq16_offset(p));
}

TFL_TARGET_AVX512 static void pack_rq16(const tfl_depthwise_conv_2d_params *p, const int32_t *q,
                                        void *packed)
{
    tfl__rq16 *rq = (tfl__rq16 *)((uint8_t *)packed + rq16_offset(p));
    const size_t n = chans(p);
    for (size_t c = 0; c < n; c += 16)
        rq[c / 16] = tfl__rq16_load(q, n, c);
}

TFL_TARGET_AVX512 static void pack_narrow_rq16(const int32_t *qn, narrow_block *nb)
{
    nb->rq[0] = tfl__rq16_load(qn, LANES, 0);
    nb->rq[1] = tfl__rq16_load(qn, LANES, 16);
}

/* At most 16 channels: two pixels per vector. */
static bool two_pixels(const tfl_depthwise_conv_2d_params *p) { return p->out_c <= 16; }

void tfl_depthwise_conv_2d_avx512_pack(const tfl_depthwise_conv_2d_params *p, bool u8,
                                       const void *filter, const void *bias, void *packed)
{
    tfl_depthwise_conv_2d_pair_pack(p, u8, LANES, filter, bias, packed);
    const size_t n = chans(p), np = tap_pairs(p), t = taps(p), oc = (size_t)p->out_c;
    int16_t *pw = packed;
    int32_t *q = (int32_t *)(pw + n / LANES * np * 2 * LANES);
    int32_t *offw = q + 4 * n;
    for (size_t c = 0; c < n; ++c) {
        uint32_t sum = 0;
        for (size_t k = 0; c < oc && k < t; ++k) {
            const size_t i = k * oc + c; /* filter [1, f_h, f_w, out_c] */
            sum += u8 ? (uint32_t)(((const uint8_t *)filter)[i] + p->filter_offset)
                      : (uint32_t)(int32_t)((const int8_t *)filter)[i];
        }
        offw[c] = (int32_t)(sum * (uint32_t)p->input_offset);
    }
    if (two_pixels(p)) {
        /* One block: lanes 16-31 of every vector, and channels 16-31 of
         * the per-channel arrays, repeat lanes / channels 0-15. */
        for (size_t v = 0; v < 2 * np; ++v)
            memcpy(pw + v * LANES + 16, pw + v * LANES, 16 * sizeof *pw);
        for (size_t a = 0; a < 5; ++a)
            memcpy(q + a * LANES + 16, q + a * LANES, 16 * sizeof *q);
    }
    pack_rq16(p, q, packed);
    if (row_kernel(p))
        pack_columns(p, u8, false, filter, packed);
    if (narrow_kernel(p)) {
        pack_columns(p, u8, true, filter, packed);
        narrow_block *nb = (narrow_block *)((uint8_t *)packed + columns_offset(p));
        int32_t qn[4 * LANES]; /* the requantization arrays, period out_c */
        for (size_t a = 0; a < 4; ++a)
            for (size_t c = 0; c < LANES; ++c)
                qn[a * LANES + c] = q[a * n + c % oc];
        for (size_t c = 0; c < LANES; ++c)
            nb->offw[c] = offw[c % oc];
        pack_narrow_rq16(qn, nb);
    }
}

/* 32 channels from x (only `valid` of them readable) as int16. */
TFL_TARGET_AVX512 static inline __m512i load32(const uint8_t *x, bool u8, int valid)
{
    const __mmask32 m = valid >= LANES ? ~(__mmask32)0 : (((__mmask32)1 << valid) - 1);
    const __m256i v = _mm256_maskz_loadu_epi8(m, x);
    return u8 ? _mm512_cvtepu8_epi16(v) : _mm512_cvtepi8_epi16(v);
}

/* The input address of each tap of output pixel (b, oy, ox), NULL outside
 * the image, and a NULL after the last (the odd count's missing partner).
 * True when every tap is inside. */
static inline bool tap_addresses(const tfl_depthwise_conv_2d_params *p, const uint8_t *in, int b,
                                 int oy, int ox, const uint8_t **tap)
{
    size_t k = 0;
    bool inside = true;
    for (int fy = 0; fy < p->f_h; ++fy) {
        const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
        for (int fx = 0; fx < p->f_w; ++fx, ++k) {
            const int ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
            const bool in_image = iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w;
            inside = inside && in_image;
            tap[k] = in_image ? in + (((size_t)b * p->in_h + (size_t)iy) * p->in_w + (size_t)ix) *
                                         (size_t)p->in_c
                              : NULL;
        }
    }
    tap[k] = NULL;
    return inside;
}

/* Where every tap of an output pixel is inside the image, its addresses
 * are the window origin plus offsets fixed for the op: computing them that
 * way, instead of bounds-checking each tap, takes the scalar work per pixel
 * from dozens of instructions to one add per tap. */
typedef struct inner_window {
    ptrdiff_t off[MAX_TAPS]; /* of each tap from the window origin, in bytes */
    int x_lo, x_hi;          /* output columns [x_lo, x_hi) inside horizontally */
} inner_window;

static void inner_window_init(const tfl_depthwise_conv_2d_params *p, inner_window *w)
{
    size_t k = 0;
    for (int fy = 0; fy < p->f_h; ++fy)
        for (int fx = 0; fx < p->f_w; ++fx, ++k)
            w->off[k] = ((ptrdiff_t)fy * p->dilation_h * p->in_w + (ptrdiff_t)fx * p->dilation_w) *
                        p->in_c;
    /* ox * stride - pad >= 0 and ox * stride - pad + (f_w - 1) * dilation < in_w */
    const int lo = (p->pad_w + p->stride_w - 1) / p->stride_w;
    const int last = p->in_w - 1 + p->pad_w - (p->f_w - 1) * p->dilation_w;
    const int hi = last < 0 ? 0 : last / p->stride_w + 1;
    w->x_lo = lo < p->out_w ? lo : p->out_w;
    w->x_hi = hi < p->out_w ? hi : p->out_w;
    if (w->x_hi < w->x_lo)
        w->x_hi = w->x_lo;
}

/* The window origin of output row (b, oy) at column 0 (an address only
 * formed, never read, outside the image), or NULL when some tap row of oy
 * falls outside. */
static inline const uint8_t *inner_row(const tfl_depthwise_conv_2d_params *p, const uint8_t *in,
                                       int b, int oy)
{
    const int iy = oy * p->stride_h - p->pad_h;
    if (iy < 0 || iy + (p->f_h - 1) * p->dilation_h >= p->in_h)
        return NULL;
    return in + ((ptrdiff_t)((size_t)b * p->in_h + (size_t)iy) * p->in_w - p->pad_w) * p->in_c;
}

/* tap_addresses for a pixel known to be inside: row from inner_row. */
static inline void inner_taps(const tfl_depthwise_conv_2d_params *p, const inner_window *w,
                              const uint8_t *row, int ox, const uint8_t **tap)
{
    const uint8_t *origin = row + (ptrdiff_t)ox * p->stride_w * p->in_c;
    const size_t t = taps(p);
    for (size_t k = 0; k < t; ++k)
        tap[k] = origin + w->off[k];
    tap[t] = NULL;
}

/* Taps of output pixel (b, oy, ox) by the fastest valid route; true when
 * every tap is inside. */
static inline bool pixel_taps(const tfl_depthwise_conv_2d_params *p, const inner_window *w,
                              const uint8_t *in, const uint8_t *row, int b, int oy, int ox,
                              const uint8_t **tap)
{
    if (row && ox >= w->x_lo && ox < w->x_hi) {
        inner_taps(p, w, row, ox, tap);
        return true;
    }
    return tap_addresses(p, in, b, oy, ox, tap);
}

/* 16 channels of two pixels' taps (either NULL: zeros) as 32 int16 lanes,
 * with the offset unless inner. */
TFL_TARGET_AVX512 static inline __m512i load_two(const uint8_t *a, const uint8_t *b, bool u8,
                                                 bool inner, __mmask16 m, __m512i off)
{
    const __m128i va = a ? _mm_maskz_loadu_epi8(m, a) : _mm_setzero_si128();
    const __m128i vb = b ? _mm_maskz_loadu_epi8(m, b) : _mm_setzero_si128();
    const __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(va), vb, 1);
    const __m512i w = u8 ? _mm512_cvtepu8_epi16(v) : _mm512_cvtepi8_epi16(v);
    if (inner)
        return w;
    /* A missing tap must add nothing: zero after the offset too. */
    const __mmask32 present = (a ? (__mmask32)0xFFFF : 0) | (b ? (__mmask32)0xFFFF0000 : 0);
    return _mm512_maskz_add_epi16(present, w, off);
}

/* 64-bit lanes of (acc_a, acc_b) in channel order: each 128-bit lane L of
 * acc_a holds channels 8L..8L+3, of acc_b 8L+4..8L+7. */
#define FIRST _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0)
#define SECOND _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4)

/* The kernel body, once without VNNI and once with (see the header). Both
 * MACs add the pairs of x times w to acc with int32 wrap-around. */
#define BODY_TARGET TFL_TARGET_AVX512
#define BODY(name) name##_avx512
#define MAC(acc, x, w) _mm512_add_epi32(acc, _mm512_madd_epi16(x, w))
#include "ops/depthwise_conv_2d/depthwise_conv_2d_avx512_body.h"
#undef BODY_TARGET
#undef BODY
#undef MAC
#define BODY_TARGET TARGET_VNNI
#define BODY(name) name##_vnni
#define MAC(acc, x, w) _mm512_dpwssd_epi32(acc, x, w)
#include "ops/depthwise_conv_2d/depthwise_conv_2d_avx512_body.h"
#undef BODY_TARGET
#undef BODY
#undef MAC

#define ENTRY(NAME, TGT, U8, BODY_FN)                                                              \
    TGT void NAME(const tfl_depthwise_conv_2d_params *p, const void *input, const void *packed,    \
                  const void *bias, void *output, size_t start, size_t end)                        \
    {                                                                                              \
        (void)bias; /* packed with the weights */                                                  \
        BODY_FN(p, U8, input, packed, output, start, end);                                         \
    }
ENTRY(tfl_depthwise_conv_2d_s8__avx512, TFL_TARGET_AVX512, false, depthwise_avx512)
ENTRY(tfl_depthwise_conv_2d_u8__avx512, TFL_TARGET_AVX512, true, depthwise_avx512)
ENTRY(tfl_depthwise_conv_2d_s8__vnni, TARGET_VNNI, false, depthwise_vnni)
ENTRY(tfl_depthwise_conv_2d_u8__vnni, TARGET_VNNI, true, depthwise_vnni)
#endif
