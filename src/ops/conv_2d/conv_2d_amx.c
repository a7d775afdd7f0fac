/* CONV_2D int8 (per-channel) with AMX (tdpbssd: signed bytes times signed
 * bytes, four products summed into each int32 element of a 16x16 tile),
 * byte-identical to tfl_conv_2d_s8__ref.
 *
 * Both operands are signed, so the input is used as stored and the input
 * offset comes back as one per-channel constant folded into the bias:
 * sum (x + off) w = dot(x, w) + off sum w. A tap outside the image, which
 * the reference skips, is gathered as x = -off, which adds nothing.
 *
 * Each step computes 32 output pixels times 32 channels in four
 * accumulator tiles (tmm0-3) from two tiles of 16 pixels x 64 taps
 * (tmm4-5, rows of the input itself for a 1x1 stride-1 convolution,
 * otherwise rows gathered into scratch) and two tiles of 16 tap quads x 16
 * channels (tmm6-7, packed weights). Output pixels are taken in their flat
 * order across output rows, so narrow images fill whole tiles. The sums go
 * through the reference's double-rounding requantization in AVX-512. */
#include "ops/conv_2d/conv_2d.h"

#if TFL__X86_SIMD
#include <immintrin.h>
#include <string.h>

#include "kernels/requant_avx2.h"
#include "kernels/requant_avx512.h"
#include "ops/conv_2d/conv_gather.h"

#define TARGET __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,amx-tile,amx-int8")))
#define PIXELS 32   /* output pixels per step: two tiles of 16 rows */
#define CHANNELS 32 /* output channels per step: two tiles of 16 columns */
#define KBYTES 64   /* taps per tile row */
#define BTILE 1024  /* bytes of one weight tile: 16 quads x 16 channels x 4 */

static size_t taps(const tfl_conv_2d_params *p) { return (size_t)p->f_h * p->f_w * p->f_c; }
static size_t kchunks(const tfl_conv_2d_params *p) { return (taps(p) + KBYTES - 1) / KBYTES; }
static size_t cblocks(const tfl_conv_2d_params *p)
{
    return ((size_t)p->out_c + CHANNELS - 1) / CHANNELS;
}
static size_t row_bytes(const tfl_conv_2d_params *p) { return kchunks(p) * KBYTES; }

/* 1x1, stride 1, no padding: output pixel i reads input pixel i. */
static bool in_place(const tfl_conv_2d_params *p)
{
    return p->f_h == 1 && p->f_w == 1 && p->stride_h == 1 && p->stride_w == 1 && p->pad_h == 0 &&
           p->pad_w == 0 && p->out_h == p->in_h && p->out_w == p->in_w; /* no fused pad */
}

bool tfl_conv_2d_amx_supports(const tfl_conv_2d_params *p)
{
    /* Tile rows are addressed with a 32-bit-safe stride. */
    return p->in_c == p->f_c && taps(p) < ((size_t)1 << 24);
}

/* Packed: per block of 32 channels, per chunk of 64 taps, two weight tiles
 * (channels 0-15, 16-31 of the block), each row a quad of taps over 16
 * channels (4 bytes per channel); then the requantization arrays with
 * off * sum(w) folded into the bias. */
size_t tfl_conv_2d_amx_packed_bytes(const tfl_conv_2d_params *p)
{
    return cblocks(p) * kchunks(p) * 2 * BTILE + 4 * cblocks(p) * CHANNELS * sizeof(int32_t);
}

void tfl_conv_2d_amx_pack(const tfl_conv_2d_params *p, const void *filter, const void *bias,
                          void *packed)
{
    const size_t k = taps(p), nk = kchunks(p), nb = cblocks(p), n = nb * CHANNELS;
    const int8_t *w = filter; /* [out_c, f_h, f_w, f_c] */
    int8_t *pw = packed;
    int32_t *q = (int32_t *)(pw + nb * nk * 2 * BTILE);
    memset(pw, 0, nb * nk * 2 * BTILE);
    tfl__requant_pack(q, n, (size_t)p->out_c, p->mult, p->shift, bias);
    for (size_t oc = 0; oc < (size_t)p->out_c; ++oc) {
        const size_t blk = oc / CHANNELS, half = oc % CHANNELS / 16, col = oc % 16;
        uint32_t sum = 0;
        for (size_t t = 0; t < k; ++t) {
            const size_t chunk = t / KBYTES, quad = t % KBYTES / 4;
            pw[((blk * nk + chunk) * 2 + half) * BTILE + (quad * 16 + col) * 4 + t % 4] =
                w[oc * k + t];
            sum += (uint32_t)(int32_t)w[oc * k + t];
        }
        q[3 * n + oc] = (int32_t)((uint32_t)q[3 * n + oc] + (uint32_t)p->input_offset * sum);
    }
}

/* Gathered rows of two steps, the int32 sums of two steps, and 63 bytes to
 * align them. */
size_t tfl_conv_2d_amx_scratch(const tfl_conv_2d_params *p)
{
    return 2 * PIXELS * row_bytes(p) + 2 * PIXELS * CHANNELS * sizeof(int32_t) + 64;
}

/* The tile shapes: every tile 16 rows of 64 bytes. */
typedef struct tile_config {
    uint8_t palette, start_row, reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
} tile_config;

/* Tiles 0-7: 16 rows of 64 bytes (palette 1). */
static const tile_config config = {
    .palette = 1,
    .colsb = {64, 64, 64, 64, 64, 64, 64, 64},
    .rows = {16, 16, 16, 16, 16, 16, 16, 16},
};

/* 32 pixels (rows at a, `stride` bytes apart) times one block's 32
 * channels (weights at b) into the accumulator tiles. */
TARGET static inline void multiply(const int8_t *a, size_t stride, const int8_t *b, size_t nk)
{
    _tile_zero(0);
    _tile_zero(1);
    _tile_zero(2);
    _tile_zero(3);
    for (size_t c = 0; c < nk; ++c, b += 2 * BTILE) {
        _tile_loadd(4, a + c * KBYTES, stride);
        _tile_loadd(5, a + 16 * stride + c * KBYTES, stride);
        _tile_loadd(6, b, 64);
        _tile_loadd(7, b + BTILE, 64);
        _tile_dpbssd(0, 4, 6);
        _tile_dpbssd(1, 4, 7);
        _tile_dpbssd(2, 5, 6);
        _tile_dpbssd(3, 5, 7);
    }
}

/* The accumulator tiles into sums[32][32]. */
TARGET static inline void store_sums(int32_t *sums)
{
    const size_t ld = CHANNELS * sizeof(int32_t);
    _tile_stored(0, sums, ld);
    _tile_stored(1, sums + 16, ld);
    _tile_stored(2, sums + 16 * CHANNELS, ld);
    _tile_stored(3, sums + 16 * CHANNELS + 16, ld);
}

/* A step whose sums wait for requantization. */
typedef struct pending {
    size_t px, np, blk; /* first flat output pixel, pixels, channel block */
    const int32_t *sums;
} pending;

/* Requantizes a finished step into the output. */
TARGET static inline void finish(const tfl_conv_2d_params *p, const int32_t *q, size_t n,
                                 const pending *s, int8_t *out)
{
    const size_t oc = (size_t)p->out_c, c0 = s->blk * CHANNELS;
    const __m512i out_off = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->act_min), hi = _mm512_set1_epi32(p->act_max);
    for (size_t h = 0; h < CHANNELS && c0 + h < oc; h += 16) {
        const size_t c = c0 + h, nc = oc - c < 16 ? oc - c : 16;
        const __mmask16 m = (__mmask16)((1u << nc) - 1);
        const tfl__rq16 r = tfl__rq16_load(q, n, c);
        const int32_t *v = s->sums + h;
        int8_t *o = out + s->px * oc + c;
        /* Narrowed in a register and stored plainly where all 16 channels
         * exist: vpmovdb straight to memory under a mask is several times
         * slower, and this loop is most of a small-K convolution's time. */
        if (nc == 16)
            for (size_t i = 0; i < s->np; ++i, v += CHANNELS, o += oc)
                _mm_storeu_si128((__m128i *)o, _mm512_cvtepi32_epi8(tfl__rq16_apply(
                                                   &r, _mm512_loadu_si512(v), out_off, lo, hi)));
        else
            for (size_t i = 0; i < s->np; ++i, v += CHANNELS, o += oc)
                _mm512_mask_cvtepi32_storeu_epi8(
                    o, m, tfl__rq16_apply(&r, _mm512_loadu_si512(v), out_off, lo, hi));
    }
}

/* The A operand of the step at flat pixel px: the input itself (1x1, stride
 * 1, and its 64-byte chunks inside the input) or np rows gathered into
 * buffer `slot` of the two at base. */
typedef struct step_rows {
    const int8_t *a;
    size_t stride;
} step_rows;

static inline step_rows stage(const tfl_conv_2d_params *p, const int8_t *in, bool direct,
                              size_t in_bytes, size_t px, size_t np, int8_t *base, int slot,
                              bool *tails)
{
    const size_t k = taps(p), rb = row_bytes(p), ow = (size_t)p->out_w;
    int8_t *buf = base + (size_t)slot * PIXELS * rb;
    if (direct && np == PIXELS && (px + PIXELS - 1) * k + rb <= in_bytes)
        return (step_rows){in + px * k, k};
    if (!*tails) {
        /* Both buffers' row tails past the taps, zero for the whole call
         * (the gather writes only taps); done on the first gather only,
         * as a call over a few in-place steps never needs them. */
        for (size_t i = 0; i < 2 * PIXELS; ++i)
            memset(base + i * rb + k, 0, rb - k);
        *tails = true;
    }
    for (size_t i = 0; i < np;) { /* in runs along output rows */
        const size_t row = (px + i) / ow, ox = (px + i) % ow;
        const size_t run = ow - ox < np - i ? ow - ox : np - i;
        tfl__conv_gather_run(p, (const uint8_t *)in, (int)(row / (size_t)p->out_h),
                             (int)(row % (size_t)p->out_h), (int)ox, (int)run,
                             (uint8_t *)buf + i * rb, rb);
        i += run;
    }
    return (step_rows){buf, rb};
}

TARGET void tfl_conv_2d_s8__amx(const tfl_conv_2d_params *p, const void *input, const void *packed,
                                const void *bias, void *output, size_t start, size_t end,
                                void *scratch)
{
    (void)bias; /* packed with the weights */
    const int8_t *in = input;   /* [batches, in_h, in_w, in_c] */
    const int8_t *pw = packed;  /* see tfl_conv_2d_amx_pack */
    int8_t *out = output;       /* [batches, out_h, out_w, out_c] */
    const size_t k = taps(p), nk = kchunks(p), nb = cblocks(p), n = nb * CHANNELS;
    const size_t rb = row_bytes(p), ow = (size_t)p->out_w;
    const int32_t *q = (const int32_t *)(pw + nb * nk * 2 * BTILE);
    int8_t *buf = (int8_t *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63); /* 2 x [PIXELS][rb] */
    int32_t *sums = (int32_t *)(buf + 2 * PIXELS * rb); /* two [PIXELS][CHANNELS] */
    const bool direct = in_place(p);
    /* The blocks of the channel range (whole blocks: CHANNELS is the
     * split unit TFL_CONV_CHANNEL_SPLIT). */
    const size_t blk_begin = (size_t)p->oc_begin / CHANNELS;
    const size_t blk_end = ((size_t)p->oc_end + CHANNELS - 1) / CHANNELS;
    /* A direct step reads whole 64-byte chunks of its 32 input rows: the
     * last chunk may run past the input's end, so those steps gather. */
    const size_t in_bytes = (size_t)p->batches * p->in_h * p->in_w * k;
    bool tails = false; /* zeroed by the first gather (stage) */
    _tile_loadconfig(&config);
    /* Each step's requantization runs while the tiles compute the next. */
    pending last = {0, 0, 0, NULL};
    int which = 0;
    /* Flat output pixels. */
    const size_t first = p->flat_pixels ? start : start * ow;
    const size_t stop = p->flat_pixels ? end : end * ow;
    /* The next step's rows are gathered into the other buffer while the
     * tiles multiply this step's: written well before the tile loads read
     * them (a load right after the stores would wait for them), and the
     * gather overlaps the multiply. */
    int slot = 0;
    step_rows cur = {NULL, 0};
    if (first < stop)
        cur = stage(p, in, direct, in_bytes, first, stop - first < PIXELS ? stop - first : PIXELS,
                    buf, slot, &tails);
    for (size_t px = first; px < stop; px += PIXELS) {
        const size_t np = stop - px < PIXELS ? stop - px : PIXELS;
        const size_t next = px + PIXELS;
        step_rows upcoming = {NULL, 0};
        for (size_t blk = blk_begin; blk < blk_end; ++blk) {
            multiply(cur.a, cur.stride, pw + blk * nk * 2 * BTILE, nk);
            if (blk == blk_begin && next < stop)
                upcoming = stage(p, in, direct, in_bytes, next,
                                 stop - next < PIXELS ? stop - next : PIXELS, buf, slot ^ 1,
                                 &tails);
            if (last.sums)
                finish(p, q, n, &last, out);
            int32_t *dst = sums + (size_t)which * PIXELS * CHANNELS;
            store_sums(dst);
            last = (pending){px, np, blk, dst};
            which ^= 1;
        }
        cur = upcoming;
        slot ^= 1;
    }
    if (last.sums)
        finish(p, q, n, &last, out);
    _tile_release();
}
#endif
