/* CONV_2D float32 with AVX-512F: a register-blocked GEMM of up to 8 output
 * pixels by 32 output channels (16 accumulators), the filter packed per
 * block of 16 channels as [tap][16] so that each tap is one aligned load,
 * every tap of a pixel one broadcast and one fused multiply-add per block.
 * A pixel whose window lies inside the image reads its taps in place, one
 * contiguous run per window row (f_w * f_c floats; all of them for 1x1);
 * the others, and any pixel of a window dilated horizontally, from a row
 * gathered with 0 for taps outside the image. Bias and the fused activation
 * in the epilogue.
 *
 * Loop order: a chunk of pixels whose rows fit in L2 (CHUNK_BYTES), then
 * each pair of weight blocks over all the chunk's tiles. A pair of blocks
 * is read from memory once per chunk and reused from cache by every tile,
 * where the tile-outer order streamed the whole filter once per 8 pixels
 * (a 7x7x1024 -> 1024 layer: 4 MB, seven times). A tile holds only the
 * pixels there are: a 1x1 image does one pixel's work, not eight.
 *
 * Not byte-identical to tfl_conv_2d_f32__ref: the products are summed tap by
 * tap with fused multiply-adds where the reference multiplies and adds
 * separately in the same order, so a result can differ in its last bits
 * (the walker checks the records exactly on integer-valued data, where no
 * rounding happens, and the conformance suite checks whole models within
 * its float tolerance). A padding tap adds 0 * w, which differs from the
 * reference's skip only for a non-finite weight. */
#include "ops/conv_2d/conv_2d.h"

#if TFL__X86_SIMD
#include <immintrin.h>

#include "kernels/requant_avx512.h"

#define TARGET TFL_TARGET_AVX512
#define PIXELS 8 /* output pixels per tile */
#define BLOCK 16 /* output channels per packed block (one zmm of float) */
#define CHUNK_BYTES (192 * 1024) /* a chunk's rows: well inside L2 */
#define CHUNK_MAX 256            /* pixels per chunk at most */
#define MAX_SEG 16               /* window rows read in place at most */

static size_t taps(const tfl_conv_2d_params *p)
{
    return (size_t)p->f_h * p->f_w * p->f_c;
}
static size_t blocks(const tfl_conv_2d_params *p)
{
    return ((size_t)p->out_c + BLOCK - 1) / BLOCK;
}

bool tfl_conv_2d_f32_avx512_supports(const tfl_conv_2d_params *p)
{
    return p->in_c == p->f_c && taps(p) < ((size_t)1 << 24);
}

size_t tfl_conv_2d_f32_avx512_packed_bytes(const tfl_conv_2d_params *p)
{
    return blocks(p) * taps(p) * BLOCK * sizeof(float);
}

/* [block][tap][16], channels past out_c zero. */
void tfl_conv_2d_f32_avx512_pack(const tfl_conv_2d_params *p, const void *filter, void *packed)
{
    const float *w = filter; /* [out_c, f_h, f_w, f_c] */
    float *pw = packed;
    const size_t k = taps(p);
    for (size_t blk = 0; blk < blocks(p); ++blk)
        for (size_t t = 0; t < k; ++t)
            for (size_t e = 0; e < BLOCK; ++e) {
                const size_t oc = blk * BLOCK + e;
                *pw++ = oc < (size_t)p->out_c ? w[oc * k + t] : 0.0f;
            }
}

/* Pixels per chunk: a multiple of PIXELS whose rows take CHUNK_BYTES at
 * most (one tile when a single row is larger). */
static size_t chunk_pixels(const tfl_conv_2d_params *p)
{
    size_t n = CHUNK_BYTES / (taps(p) * sizeof(float)) / PIXELS * PIXELS;
    return n < PIXELS ? PIXELS : n > CHUNK_MAX ? CHUNK_MAX : n;
}

/* Segments of a pixel's taps: one per window row when a window row's taps
 * are contiguous in the input (dilation_w 1), so a pixel whose window is
 * inside the image reads them in place; else one, always gathered. */
static int segments(const tfl_conv_2d_params *p)
{
    return p->dilation_w == 1 && p->f_h <= MAX_SEG ? p->f_h : 1;
}

/* Per chunk: a gathered row per pixel, and each pixel's segment pointers. */
size_t tfl_conv_2d_f32_avx512_scratch(const tfl_conv_2d_params *p)
{
    return chunk_pixels(p) * (taps(p) * sizeof(float) + MAX_SEG * sizeof(float *)) + 128;
}

/* n floats from src (NULL: zeros) to dst, 16 at a time under masks: the few
 * floats of a filter row (9 for a 3x3 over RGB) without a library call. */
TARGET static inline void copy_floats(float *dst, const float *src, size_t n)
{
    for (size_t i = 0; i < n; i += 16) {
        const __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(dst + i, m,
                              src ? _mm512_maskz_loadu_ps(m, src + i) : _mm512_setzero_ps());
    }
}

/* The taps of output pixel (b, oy, ox) into row, 0 outside the image; a
 * filter row inside the image (dilation 1) is one contiguous copy. */
TARGET static void gather(const tfl_conv_2d_params *p, const float *in, int b, int oy, int ox,
                          float *row)
{
    const size_t fc = (size_t)p->f_c, span = (size_t)p->f_w * fc;
    const int ix0 = ox * p->stride_w - p->pad_w;
    const bool cols_inside = p->dilation_w == 1 && ix0 >= 0 && ix0 + p->f_w - 1 < p->in_w;
    for (int fy = 0; fy < p->f_h; ++fy, row += span) {
        const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
        if (iy < 0 || iy >= p->in_h) {
            copy_floats(row, NULL, span);
            continue;
        }
        const float *line = in + ((size_t)b * p->in_h + (size_t)iy) * p->in_w * fc;
        if (cols_inside) {
            copy_floats(row, line + (size_t)ix0 * fc, span);
            continue;
        }
        for (int fx = 0; fx < p->f_w; ++fx) {
            const int ix = ix0 + fx * p->dilation_w;
            copy_floats(row + (size_t)fx * fc,
                        ix >= 0 && ix < p->in_w ? line + (size_t)ix * fc : NULL, fc);
        }
    }
}

/* Sums of np pixels' taps times one or two blocks of packed weights. The
 * taps of pixel i are nseg segments of span floats, segment g at
 * seg[g * stride + i]. np is a constant at every call (see TILE), so only
 * live accumulators exist. */
TARGET static inline __attribute__((always_inline)) void
tile(const float *const *seg, size_t stride, int nseg, size_t span, const float *w0,
     const float *w1, __m512 *acc, const int np)
{
    __m512 a[PIXELS], b[PIXELS];
    for (int i = 0; i < np; ++i)
        a[i] = b[i] = _mm512_setzero_ps();
    for (int g = 0; g < nseg; ++g) {
        const float *r[PIXELS];
        for (int i = 0; i < np; ++i)
            r[i] = seg[(size_t)g * stride + (size_t)i];
        const float *x0p = w0 + (size_t)g * span * BLOCK;
        if (w1) {
            const float *x1p = w1 + (size_t)g * span * BLOCK;
            for (size_t t = 0; t < span; ++t) {
                const __m512 x0 = _mm512_load_ps(x0p + t * BLOCK);
                const __m512 x1 = _mm512_load_ps(x1p + t * BLOCK);
                for (int i = 0; i < np; ++i) {
                    const __m512 v = _mm512_set1_ps(r[i][t]);
                    a[i] = _mm512_fmadd_ps(v, x0, a[i]);
                    b[i] = _mm512_fmadd_ps(v, x1, b[i]);
                }
            }
        } else {
            for (size_t t = 0; t < span; ++t) {
                const __m512 x0 = _mm512_load_ps(x0p + t * BLOCK);
                for (int i = 0; i < np; ++i)
                    a[i] = _mm512_fmadd_ps(_mm512_set1_ps(r[i][t]), x0, a[i]);
            }
        }
    }
    for (int i = 0; i < np; ++i) {
        acc[i] = a[i];
        acc[PIXELS + i] = b[i];
    }
}

/* One block of packed weights (the last of an odd count) for up to
 * 2 * PIXELS pixels: as many accumulators as a two-block tile, so that each
 * weight load still feeds 16 multiply-adds instead of 8. */
TARGET static inline __attribute__((always_inline)) void
tile_one(const float *const *seg, size_t stride, int nseg, size_t span, const float *w0,
         __m512 *acc, const int np)
{
    __m512 a[2 * PIXELS];
    for (int i = 0; i < np; ++i)
        a[i] = _mm512_setzero_ps();
    for (int g = 0; g < nseg; ++g) {
        const float *r[2 * PIXELS];
        for (int i = 0; i < np; ++i)
            r[i] = seg[(size_t)g * stride + (size_t)i];
        const float *x0p = w0 + (size_t)g * span * BLOCK;
        for (size_t t = 0; t < span; ++t) {
            const __m512 x0 = _mm512_load_ps(x0p + t * BLOCK);
            for (int i = 0; i < np; ++i)
                a[i] = _mm512_fmadd_ps(_mm512_set1_ps(r[i][t]), x0, a[i]);
        }
    }
    for (int i = 0; i < np; ++i)
        acc[i] = a[i];
}

/* The output channels of one block for np pixels: bias, clamp, store. */
TARGET static inline __attribute__((always_inline)) void
store_block(const __m512 *acc, __m512 bv, __m512 lo, __m512 hi, __mmask16 m, float *out,
            size_t oc, int np)
{
    for (int i = 0; i < np; ++i) {
        /* The reference's order: sum, then bias, then clamp (a NaN stays
         * NaN: max/min return their second operand when either is NaN, as
         * tfl__clamp_f32 does). */
        const __m512 v = _mm512_add_ps(acc[i], bv);
        _mm512_mask_storeu_ps(out + (size_t)i * oc, m, _mm512_min_ps(hi, _mm512_max_ps(lo, v)));
    }
}

TARGET void tfl_conv_2d_f32__avx512(const tfl_conv_2d_params *p, const void *input,
                                    const void *packed, const void *bias, void *output,
                                    size_t start, size_t end, void *scratch)
{
    const float *in = input;  /* [batches, in_h, in_w, in_c] */
    const float *pw = packed; /* see tfl_conv_2d_f32_avx512_pack */
    const float *bs = bias;   /* [out_c] or NULL */
    float *out = output;      /* [batches, out_h, out_w, out_c] */
    const size_t k = taps(p), ow = (size_t)p->out_w, oc = (size_t)p->out_c;
    const size_t oc_end = (size_t)p->oc_end, chunk = chunk_pixels(p);
    const size_t b_begin = (size_t)p->oc_begin / BLOCK, b_end = (oc_end + BLOCK - 1) / BLOCK;
    float *buf = (float *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63); /* [chunk][k] */
    const float **seg = (const float **)(buf + chunk * k); /* [nseg][chunk] */
    const int nseg = segments(p);
    const size_t span = k / (size_t)nseg, fc = (size_t)p->f_c;
    /* Each segment one run of the input: a window row undilated (or of one
     * column), one segment per window row. */
    const bool contiguous = nseg == p->f_h && (p->dilation_w == 1 || p->f_w == 1);
    const __m512 lo = _mm512_set1_ps(p->act_min_f), hi = _mm512_set1_ps(p->act_max_f);
    const size_t first = p->flat_pixels ? start : start * ow;
    const size_t stop = p->flat_pixels ? end : end * ow;
    for (size_t c0 = first; c0 < stop; c0 += chunk) {
        const size_t n = stop - c0 < chunk ? stop - c0 : chunk;
        /* The chunk's first pixel by division, the rest by stepping: a
         * division per pixel cost more than gathering a 3x3 RGB window. */
        const size_t row0 = c0 / ow;
        int b = (int)(row0 / (size_t)p->out_h), oy = (int)(row0 % (size_t)p->out_h);
        int ox = (int)(c0 % ow);
        for (size_t i = 0; i < n; ++i) {
            if (i > 0 && ++ox == p->out_w) {
                ox = 0;
                if (++oy == p->out_h) {
                    oy = 0;
                    ++b;
                }
            }
            /* In place when the whole window is inside (nseg window rows,
             * each f_w * f_c contiguous floats), else gathered. */
            const int ix0 = ox * p->stride_w - p->pad_w, iy0 = oy * p->stride_h - p->pad_h;
            const bool inside = contiguous && ix0 >= 0 && ix0 + p->f_w - 1 < p->in_w &&
                                iy0 >= 0 && iy0 + (p->f_h - 1) * p->dilation_h < p->in_h;
            if (inside) {
                const float *at = in + (((size_t)b * p->in_h + (size_t)iy0) * p->in_w +
                                        (size_t)ix0) *
                                           fc;
                const size_t line = (size_t)p->dilation_h * p->in_w * fc;
                for (int g = 0; g < nseg; ++g)
                    seg[(size_t)g * chunk + i] = at + (size_t)g * line;
            } else {
                gather(p, in, b, oy, ox, buf + i * k);
                for (int g = 0; g < nseg; ++g)
                    seg[(size_t)g * chunk + i] = buf + i * k + (size_t)g * span;
            }
        }
        for (size_t blk = b_begin; blk < b_end; blk += 2) {
            const bool two = blk + 1 < b_end;
            const float *w0 = pw + blk * k * BLOCK, *w1 = two ? w0 + k * BLOCK : NULL;
            const size_t c = blk * BLOCK;
            const size_t nc0 = oc_end - c < BLOCK ? oc_end - c : BLOCK;
            const size_t nc1 = two ? (oc_end - c - BLOCK < BLOCK ? oc_end - c - BLOCK : BLOCK) : 0;
            const __mmask16 m0 = (__mmask16)((1u << nc0) - 1), m1 = (__mmask16)((1u << nc1) - 1);
            const __m512 bv0 = bs ? _mm512_maskz_loadu_ps(m0, bs + c) : _mm512_setzero_ps();
            const __m512 bv1 = bs && two ? _mm512_maskz_loadu_ps(m1, bs + c + BLOCK)
                                         : _mm512_setzero_ps();
            if (!two) {
                for (size_t t0 = 0; t0 < n; t0 += 2 * PIXELS) {
                    const int np = n - t0 < 2 * PIXELS ? (int)(n - t0) : 2 * PIXELS;
                    float *o = out + (c0 + t0) * oc + c;
                    __m512 acc[2 * PIXELS];
#define ONE(N)                                                                                  \
    case N:                                                                                     \
        tile_one(seg + t0, chunk, nseg, span, w0, acc, N);                                      \
        store_block(acc, bv0, lo, hi, m0, o, oc, N);                                            \
        break;
                    switch (np) {
                        ONE(1) ONE(2) ONE(3) ONE(4) ONE(5) ONE(6) ONE(7) ONE(8)
                        ONE(9) ONE(10) ONE(11) ONE(12) ONE(13) ONE(14) ONE(15) ONE(16)
                    }
#undef ONE
                }
                continue;
            }
            for (size_t t0 = 0; t0 < n; t0 += PIXELS) {
                const int np = n - t0 < PIXELS ? (int)(n - t0) : PIXELS;
                float *o = out + (c0 + t0) * oc + c;
                __m512 acc[2 * PIXELS];
                /* One specialization per pixel count: the loops over pixels
                 * unroll, and no lane computes a pixel that is not there. */
#define TILE(N)                                                                                 \
    case N:                                                                                     \
        tile(seg + t0, chunk, nseg, span, w0, w1, acc, N);                                      \
        store_block(acc, bv0, lo, hi, m0, o, oc, N);                                            \
        store_block(acc + PIXELS, bv1, lo, hi, m1, o + BLOCK, oc, N);                           \
        break;
                switch (np) {
                    TILE(1) TILE(2) TILE(3) TILE(4) TILE(5) TILE(6) TILE(7) TILE(8)
                }
#undef TILE
            }
        }
    }
}
#endif
