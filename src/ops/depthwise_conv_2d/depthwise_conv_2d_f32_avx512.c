/* DEPTHWISE_CONV_2D float32 with AVX-512F, depth multiplier 1: 16 channels
 * per vector, the taps of each output pixel in the reference's order with
 * fused multiply-adds, then bias and the fused activation.
 *
 * The filter is packed per block of 16 channels as [tap][16] followed by
 * the bias, so that a block's weights are one contiguous run. Loops: output
 * row, then pixels, then channel blocks innermost, walking the input and
 * output in memory order. The channel-block-outer order (weights held in
 * registers along a row) was slower wherever rows are short or wide: a
 * 14x14x512 layer revisits each 64-byte column of a row 32 times, and with
 * 2 KB or 4 KB between pixels every access of a row falls in one L1 set.
 *
 * Pixels whose taps are all inside the image horizontally go four at a
 * time, each weight loaded once for four independent multiply-add chains;
 * the window sizes models use (3x3, 5x5) are unrolled. A window row outside
 * the image, and an edge pixel's columns outside it, are loaded under a
 * zero mask, so such a tap adds 0 * w, which differs from the reference's
 * skip only for a non-finite weight. Results can differ from
 * tfl_depthwise_conv_2d_f32__ref in the last bits (the fused rounding); the
 * walker compares them exactly on integer-valued data. */
#include "ops/depthwise_conv_2d/depthwise_conv_2d.h"

#if TFL__X86_SIMD
#include <immintrin.h>

#include "kernels/requant_avx512.h"

#define TARGET TFL_TARGET_AVX512
#define MAX_TAPS 64 /* f_h * f_w this record takes */
#define BLOCK 16
#define GROUP 4 /* pixels per step where all columns are inside */

static size_t blocks(const tfl_depthwise_conv_2d_params *p)
{
    return ((size_t)p->out_c + BLOCK - 1) / BLOCK;
}

/* Floats per packed block: the taps, then the bias. */
static size_t block_floats(const tfl_depthwise_conv_2d_params *p)
{
    return ((size_t)p->f_h * p->f_w + 1) * BLOCK;
}

bool tfl_depthwise_conv_2d_f32_avx512_supports(const tfl_depthwise_conv_2d_params *p)
{
    return p->depth_multiplier == 1 && p->in_c == p->out_c &&
           (size_t)p->f_h * p->f_w <= MAX_TAPS && p->f_h <= MAX_TAPS;
}

size_t tfl_depthwise_conv_2d_f32_avx512_packed_bytes(const tfl_depthwise_conv_2d_params *p)
{
    return blocks(p) * block_floats(p) * sizeof(float);
}

void tfl_depthwise_conv_2d_f32_avx512_pack(const tfl_depthwise_conv_2d_params *p,
                                           const void *filter, const void *bias, void *packed)
{
    const float *w = filter; /* [1, f_h, f_w, out_c] */
    const float *b = bias;   /* [out_c] or NULL */
    float *pw = packed;
    const size_t oc = (size_t)p->out_c, taps = (size_t)p->f_h * p->f_w;
    for (size_t blk = 0; blk < blocks(p); ++blk) {
        for (size_t t = 0; t <= taps; ++t)
            for (size_t e = 0; e < BLOCK; ++e) {
                const size_t c = blk * BLOCK + e;
                float v = 0.0f;
                if (c < oc)
                    v = t < taps ? w[t * oc + c] : b ? b[c] : 0.0f;
                *pw++ = v;
            }
    }
}

TARGET static inline __m512 finish(__m512 acc, __m512 bv, __m512 lo, __m512 hi)
{
    /* max/min return their second operand for a NaN, keeping it as
     * tfl__clamp_f32 does. */
    return _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc, bv)));
}

/* What one output row needs. lines[fy]: the input line of window row fy
 * (any line of the image when rm[fy] == 0, that row being outside). */
typedef struct row_ctx {
    const tfl_depthwise_conv_2d_params *p;
    const float *lines[MAX_TAPS];
    __mmask16 rm[MAX_TAPS]; /* all lanes, or 0 for a row outside */
    const float *pw;
    float *orow;
    __m512 lo, hi;
} row_ctx;

/* GROUP pixels from ox, every column inside; fh x fw are constants at the
 * calls that unroll. */
TARGET static inline __attribute__((always_inline)) void group(const row_ctx *r, int ox, int fh,
                                                               int fw)
{
    const tfl_depthwise_conv_2d_params *p = r->p;
    const size_t oc = (size_t)p->out_c, dx = (size_t)p->dilation_w * oc;
    const size_t sx = (size_t)p->stride_w * oc, nb = blocks(p), bf = block_floats(p);
    const size_t ix = (size_t)(ox * p->stride_w - p->pad_w) * oc;
    const size_t taps = (size_t)fh * fw;
    float *o = r->orow + (size_t)ox * oc;
    for (size_t blk = 0; blk < nb; ++blk) {
        const size_t c = blk * BLOCK;
        const __mmask16 m = oc - c >= BLOCK ? (__mmask16)0xFFFF : (__mmask16)((1u << (oc - c)) - 1);
        const float *wb = r->pw + blk * bf;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (int fy = 0; fy < fh; ++fy) {
            const __mmask16 mr = r->rm[fy] & m;
            const float *l = r->lines[fy] + ix + c;
            for (int fx = 0; fx < fw; ++fx, l += dx) {
                const __m512 k = _mm512_load_ps(wb + (size_t)(fy * fw + fx) * BLOCK);
                a0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mr, l), k, a0);
                a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mr, l + sx), k, a1);
                a2 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mr, l + 2 * sx), k, a2);
                a3 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mr, l + 3 * sx), k, a3);
            }
        }
        const __m512 bv = _mm512_load_ps(wb + taps * BLOCK);
        _mm512_mask_storeu_ps(o + c, m, finish(a0, bv, r->lo, r->hi));
        _mm512_mask_storeu_ps(o + oc + c, m, finish(a1, bv, r->lo, r->hi));
        _mm512_mask_storeu_ps(o + 2 * oc + c, m, finish(a2, bv, r->lo, r->hi));
        _mm512_mask_storeu_ps(o + 3 * oc + c, m, finish(a3, bv, r->lo, r->hi));
    }
}

/* np (at most GROUP) pixels from ox of an f x f window at stride st (1 or
 * 2), dilation 1; f and st are constants at the calls. The pixels of a
 * window row read st * (GROUP - 1) + f input columns, each loaded once for
 * every pixel that uses it (a 3x3 window at stride 1: 6 loads per row
 * instead of 12); a column outside the image loads zeros, so the edge
 * pixels take this path too. */
TARGET static inline __attribute__((always_inline)) void
group_rows(const row_ctx *r, int ox, int np, const int f, const int st, const bool edge)
{
    const tfl_depthwise_conv_2d_params *p = r->p;
    const size_t oc = (size_t)p->out_c, nb = blocks(p), bf = block_floats(p);
    enum { COLS = 2 * (GROUP - 1) + 5 };
    const int cols = st * (GROUP - 1) + f;
    __mmask16 cm[COLS];
    size_t off[COLS];
    for (int q = 0; q < cols; ++q) {
        const int ix = ox * st - p->pad_w + q;
        const bool inside = !edge || (ix >= 0 && ix < p->in_w);
        cm[q] = inside ? (__mmask16)0xFFFF : 0;
        off[q] = inside ? (size_t)ix * oc : 0;
    }
    float *o = r->orow + (size_t)ox * oc;
    for (size_t blk = 0; blk < nb; ++blk) {
        const size_t c = blk * BLOCK;
        const __mmask16 m = oc - c >= BLOCK ? (__mmask16)0xFFFF : (__mmask16)((1u << (oc - c)) - 1);
        const float *wb = r->pw + blk * bf;
        __m512 a[GROUP];
        for (int j = 0; j < GROUP; ++j)
            a[j] = _mm512_setzero_ps();
        for (int fy = 0; fy < f; ++fy) {
            const __mmask16 mr = r->rm[fy] & m;
            const float *l = r->lines[fy] + c;
            __m512 x[COLS];
            for (int q = 0; q < cols; ++q)
                x[q] = _mm512_maskz_loadu_ps(edge ? mr & cm[q] : mr, l + off[q]);
            /* Each pixel's taps in the reference's order: (fy, 0..f-1). */
            for (int fx = 0; fx < f; ++fx) {
                const __m512 k = _mm512_load_ps(wb + (size_t)(fy * f + fx) * BLOCK);
                for (int j = 0; j < GROUP; ++j)
                    a[j] = _mm512_fmadd_ps(x[st * j + fx], k, a[j]);
            }
        }
        const __m512 bv = _mm512_load_ps(wb + (size_t)(f * f) * BLOCK);
        for (int j = 0; j < np; ++j)
            _mm512_mask_storeu_ps(o + (size_t)j * oc + c, m, finish(a[j], bv, r->lo, r->hi));
    }
}

/* One pixel, any of its columns possibly outside. */
TARGET static void pixel(const row_ctx *r, int ox)
{
    const tfl_depthwise_conv_2d_params *p = r->p;
    const int fh = p->f_h, fw = p->f_w;
    const size_t oc = (size_t)p->out_c, nb = blocks(p), bf = block_floats(p);
    const size_t taps = (size_t)fh * fw;
    const int ix0 = ox * p->stride_w - p->pad_w;
    size_t at[MAX_TAPS];
    bool inside[MAX_TAPS];
    for (int fx = 0; fx < fw; ++fx) {
        const int ix = ix0 + fx * p->dilation_w;
        inside[fx] = ix >= 0 && ix < p->in_w;
        at[fx] = (inside[fx] ? (size_t)ix : 0) * oc;
    }
    float *o = r->orow + (size_t)ox * oc;
    for (size_t blk = 0; blk < nb; ++blk) {
        const size_t c = blk * BLOCK;
        const __mmask16 m = oc - c >= BLOCK ? (__mmask16)0xFFFF : (__mmask16)((1u << (oc - c)) - 1);
        const float *wb = r->pw + blk * bf;
        __m512 acc = _mm512_setzero_ps();
        for (int fy = 0; fy < fh; ++fy)
            for (int fx = 0; fx < fw; ++fx)
                acc = _mm512_fmadd_ps(
                    _mm512_maskz_loadu_ps(inside[fx] ? r->rm[fy] & m : 0,
                                          r->lines[fy] + at[fx] + c),
                    _mm512_load_ps(wb + (size_t)(fy * fw + fx) * BLOCK), acc);
        const __m512 bv = _mm512_load_ps(wb + taps * BLOCK);
        _mm512_mask_storeu_ps(o + c, m, finish(acc, bv, r->lo, r->hi));
    }
}

TARGET void tfl_depthwise_conv_2d_f32__avx512(const tfl_depthwise_conv_2d_params *p,
                                              const void *input, const void *packed,
                                              const void *bias, void *output, size_t start,
                                              size_t end)
{
    (void)bias; /* packed with the weights */
    const float *in = input; /* [batches, in_h, in_w, in_c] */
    float *out = output;     /* [batches, out_h, out_w, out_c] */
    const size_t oc = (size_t)p->out_c;
    row_ctx r;
    r.p = p;
    r.pw = packed;
    r.lo = _mm512_set1_ps(p->act_min_f);
    r.hi = _mm512_set1_ps(p->act_max_f);
    /* Output columns [x_lo, x_hi) whose taps lie inside horizontally. */
    const int x_lo_raw = (p->pad_w + p->stride_w - 1) / p->stride_w;
    const int last = p->in_w - 1 + p->pad_w - (p->f_w - 1) * p->dilation_w;
    const int x_hi_raw = last < 0 ? 0 : last / p->stride_w + 1;
    const int x_lo = x_lo_raw < p->out_w ? x_lo_raw : p->out_w;
    const int x_hi = x_hi_raw < x_lo ? x_lo : (x_hi_raw < p->out_w ? x_hi_raw : p->out_w);
    const int fh = p->f_h, fw = p->f_w;
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        const float *image = in + (size_t)b * p->in_h * p->in_w * oc;
        for (int fy = 0; fy < fh; ++fy) {
            const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
            const bool inside = iy >= 0 && iy < p->in_h;
            r.lines[fy] = inside ? image + (size_t)iy * p->in_w * oc : image;
            r.rm[fy] = inside ? (__mmask16)0xFFFF : 0;
        }
        r.orow = out + row * (size_t)p->out_w * oc;
        const int st = p->stride_w;
        if (p->dilation_w == 1 && fh == fw && (fh == 3 || fh == 5) && (st == 1 || st == 2)) {
            for (int ox = 0; ox < p->out_w; ox += GROUP) {
                const int np = p->out_w - ox < GROUP ? p->out_w - ox : GROUP;
                /* Interior groups without column masks (the common case). */
                const bool e = !(ox >= x_lo && ox + GROUP <= x_hi);
#define ROWS(F, ST)                                                                             \
    (e ? group_rows(&r, ox, np, F, ST, true) : group_rows(&r, ox, GROUP, F, ST, false))
                if (fh == 3)
                    st == 1 ? ROWS(3, 1) : ROWS(3, 2);
                else
                    st == 1 ? ROWS(5, 1) : ROWS(5, 2);
#undef ROWS
            }
            continue;
        }
        int ox = 0;
        while (ox < p->out_w) {
            if (ox >= x_lo && ox + GROUP <= x_hi) {
                if (fh == 3 && fw == 3)
                    group(&r, ox, 3, 3);
                else if (fh == 5 && fw == 5)
                    group(&r, ox, 5, 5);
                else
                    group(&r, ox, fh, fw);
                ox += GROUP;
            } else {
                pixel(&r, ox);
                ++ox;
            }
        }
    }
}
#endif
