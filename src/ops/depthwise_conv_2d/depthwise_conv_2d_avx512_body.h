/* The body of the AVX-512 DEPTHWISE_CONV_2D records, included by
 * depthwise_conv_2d_avx512.c once per target: with BODY_TARGET the AVX-512BW
 * target and MAC a vpmaddwd and an add, then the VNNI target and MAC a
 * vpdpwssd. (A function with fewer target features cannot inline one with
 * more, so the body is compiled twice rather than shared.) BODY(name)
 * gives each copy its own names. */

/* One pair of taps (a, b; NULL: outside the image) into the accumulators;
 * the offset is added to the inputs unless the caller folds it (inner). */
BODY_TARGET static inline __attribute__((always_inline)) void
BODY(pair)(const uint8_t *a, const uint8_t *b, bool u8, bool inner, int valid, __m512i off,
     const __m512i *w, __m512i *acc_a, __m512i *acc_b)
{
    const __m512i z = _mm512_setzero_si512();
    __m512i xa = a ? load32(a, u8, valid) : z, xb = b ? load32(b, u8, valid) : z;
    if (!inner) {
        xa = a ? _mm512_add_epi16(xa, off) : z;
        xb = b ? _mm512_add_epi16(xb, off) : z;
    }
    *acc_a = MAC(*acc_a, _mm512_unpacklo_epi16(xa, xb), w[0]);
    *acc_b = MAC(*acc_b, _mm512_unpackhi_epi16(xa, xb), w[1]);
}

/* A 3x3 filter's nine taps of an inner pixel over a whole block of 32
 * channels, unrolled: no missing taps, no masks, no pair loop. */
BODY_TARGET static inline __attribute__((always_inline)) void
BODY(block3x3)(const uint8_t *const *tap, size_t c, bool u8, const __m512i *w, __m512i *acc_a,
               __m512i *acc_b)
{
    __m512i x[10];
    for (int k = 0; k < 9; ++k) {
        const __m256i v = _mm256_loadu_si256((const __m256i *)(tap[k] + c));
        x[k] = u8 ? _mm512_cvtepu8_epi16(v) : _mm512_cvtepi8_epi16(v);
    }
    x[9] = _mm512_setzero_si512();
    __m512i a = *acc_a, b = *acc_b;
    for (int j = 0; j < 5; ++j) {
        a = MAC(a, _mm512_unpacklo_epi16(x[2 * j], x[2 * j + 1]), w[2 * j]);
        b = MAC(b, _mm512_unpackhi_epi16(x[2 * j], x[2 * j + 1]), w[2 * j + 1]);
    }
    *acc_a = a;
    *acc_b = b;
}

#include "ops/depthwise_conv_2d/depthwise_conv_2d_avx512_rows.h"

/* Output pixels in pairs, at most 16 channels (two_pixels). */
BODY_TARGET static inline __attribute__((always_inline)) void
BODY(depthwise_two)(const tfl_depthwise_conv_2d_params *p, bool u8, const uint8_t *in,
              const int16_t *pw, uint8_t *out, size_t start, size_t end)
{
    const size_t np = tap_pairs(p);
    const int32_t *q = (const int32_t *)(pw + np * 2 * LANES);
    const __m512i offw = _mm512_loadu_si512(q + 4 * LANES);
    const __m512i off = _mm512_set1_epi16((int16_t)p->input_offset);
    const __m512i out_off = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->act_min), hi = _mm512_set1_epi32(p->act_max);
    const __mmask16 m = (__mmask16)((1u << p->out_c) - 1);
    const tfl__rq16 *rq = packed_rq16(p, pw); /* channels 0-15: both pixels' */
    const uint8_t *ta[MAX_TAPS + 1], *tb[MAX_TAPS + 1];
    inner_window w;
    inner_window_init(p, &w);
    const narrow_block *nb = packed_narrow(p, pw); /* NULL: no narrow kernel */
    const int group = LANES / p->out_c;             /* its pixels per vector */
    const size_t row_bytes = (size_t)p->in_w * (size_t)p->in_c;
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        const uint8_t *irow = inner_row(p, in, b, oy);
        for (int ox = 0; ox < p->out_w;) {
            if (nb && irow && ox >= w.x_lo && ox + group <= w.x_hi) {
                /* `group` inner pixels at once: at each filter column
                 * their taps are one contiguous run of 32 bytes. */
                __m512i a = _mm512_setzero_si512(), bacc = a;
                for (int fx = 0; fx < 3; ++fx) {
                    const BODY(column) k = BODY(load_column)(
                        irow + (size_t)(ox + fx) * (size_t)p->in_c, row_bytes, u8, ~(__mmask32)0);
                    BODY(mac_column)(&k, nb->cols, fx, &a, &bacc);
                }
                const __m512i s0 = _mm512_add_epi32(_mm512_permutex2var_epi64(a, FIRST, bacc),
                                                    _mm512_loadu_si512(nb->offw));
                const __m512i s1 = _mm512_add_epi32(_mm512_permutex2var_epi64(a, SECOND, bacc),
                                                    _mm512_loadu_si512(nb->offw + 16));
                uint8_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
                _mm_storeu_si128((__m128i *)o, _mm512_cvtepi32_epi8(tfl__rq16_apply(
                                                   &nb->rq[0], s0, out_off, lo, hi)));
                _mm_storeu_si128((__m128i *)(o + 16), _mm512_cvtepi32_epi8(tfl__rq16_apply(
                                                          &nb->rq[1], s1, out_off, lo, hi)));
                ox += group;
                continue;
            }
            const bool two = ox + 1 < p->out_w;
            bool inner = pixel_taps(p, &w, in, irow, b, oy, ox, ta);
            if (two) {
                inner = pixel_taps(p, &w, in, irow, b, oy, ox + 1, tb) && inner;
            } else {
                inner = false;
                for (size_t k = 0; k <= taps(p); ++k)
                    tb[k] = NULL;
            }
            const __m512i *wv = (const __m512i *)pw;
            __m512i acc_a = _mm512_setzero_si512(), acc_b = acc_a;
            if (inner) {
                for (size_t j = 0; j < np; ++j, wv += 2) {
                    const __m512i x0 = load_two(ta[2 * j], tb[2 * j], u8, true, m, off);
                    const __m512i x1 = load_two(ta[2 * j + 1], tb[2 * j + 1], u8, true, m, off);
                    acc_a = MAC(acc_a, _mm512_unpacklo_epi16(x0, x1), wv[0]);
                    acc_b = MAC(acc_b, _mm512_unpackhi_epi16(x0, x1), wv[1]);
                }
            } else {
                for (size_t j = 0; j < np; ++j, wv += 2) {
                    const __m512i x0 = load_two(ta[2 * j], tb[2 * j], u8, false, m, off);
                    const __m512i x1 = load_two(ta[2 * j + 1], tb[2 * j + 1], u8, false, m, off);
                    acc_a = MAC(acc_a, _mm512_unpacklo_epi16(x0, x1), wv[0]);
                    acc_b = MAC(acc_b, _mm512_unpackhi_epi16(x0, x1), wv[1]);
                }
            }
            /* s0: the first pixel's channels, s1: the second's. */
            __m512i s0 = _mm512_permutex2var_epi64(acc_a, FIRST, acc_b);
            __m512i s1 = _mm512_permutex2var_epi64(acc_a, SECOND, acc_b);
            if (inner) {
                s0 = _mm512_add_epi32(s0, offw);
                s1 = _mm512_add_epi32(s1, offw);
            }
            uint8_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
            _mm512_mask_cvtepi32_storeu_epi8(o, m, tfl__rq16_apply(rq, s0, out_off, lo, hi));
            if (two)
                _mm512_mask_cvtepi32_storeu_epi8(o + p->out_c, m,
                                                 tfl__rq16_apply(rq, s1, out_off, lo, hi));
            ox += two ? 2 : 1;
        }
    }
}

/* Output pixel (b, oy, ox) for the channel blocks from c0 on, tap by tap. */
BODY_TARGET static inline __attribute__((always_inline)) void
BODY(pixel)(const tfl_depthwise_conv_2d_params *p, bool u8, const uint8_t *in, const int16_t *pw,
            const inner_window *w, const uint8_t *irow, size_t row, int b, int oy, int ox,
            size_t c0, uint8_t *out, const tfl__rq16 *rq, const int32_t *offw, __m512i off,
            __m512i out_off, __m512i lo, __m512i hi)
{
    const size_t np = tap_pairs(p);
    const bool three_by_three = p->f_h == 3 && p->f_w == 3;
    const uint8_t *tap[MAX_TAPS + 1];
    const bool inner = pixel_taps(p, w, in, irow, b, oy, ox, tap);
    uint8_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
    for (size_t c = c0; c < (size_t)p->out_c; c += LANES) {
        const int valid = p->out_c - (int)c < LANES ? p->out_c - (int)c : LANES;
        const __m512i *wv = (const __m512i *)(pw + c / LANES * np * 2 * LANES);
        __m512i acc_a = _mm512_setzero_si512(), acc_b = acc_a;
        if (inner && three_by_three && valid == LANES)
            BODY(block3x3)(tap, c, u8, wv, &acc_a, &acc_b);
        else if (inner)
            for (size_t j = 0; j < np; ++j, wv += 2)
                BODY(pair)(tap[2 * j] + c, tap[2 * j + 1] ? tap[2 * j + 1] + c : NULL, u8, true,
                           valid, off, wv, &acc_a, &acc_b);
        else
            for (size_t j = 0; j < np; ++j, wv += 2)
                BODY(pair)(tap[2 * j] ? tap[2 * j] + c : NULL,
                           tap[2 * j + 1] ? tap[2 * j + 1] + c : NULL, u8, false, valid, off, wv,
                           &acc_a, &acc_b);
        __m512i s0 = _mm512_permutex2var_epi64(acc_a, FIRST, acc_b);
        __m512i s1 = _mm512_permutex2var_epi64(acc_a, SECOND, acc_b);
        if (inner) {
            s0 = _mm512_add_epi32(s0, _mm512_loadu_si512(offw + c));
            s1 = _mm512_add_epi32(s1, _mm512_loadu_si512(offw + c + 16));
        }
        const __m512i r0 = tfl__rq16_apply(&rq[c / 16], s0, out_off, lo, hi);
        const __m512i r1 = tfl__rq16_apply(&rq[c / 16 + 1], s1, out_off, lo, hi);
        const int v0 = valid < 16 ? valid : 16, v1 = valid - v0;
        _mm512_mask_cvtepi32_storeu_epi8(o + c, (__mmask16)((1u << v0) - 1), r0);
        if (v1 > 0)
            _mm512_mask_cvtepi32_storeu_epi8(o + c + 16, (__mmask16)((1u << v1) - 1), r1);
    }
}

BODY_TARGET static inline __attribute__((always_inline)) void
BODY(depthwise)(const tfl_depthwise_conv_2d_params *p, bool u8, const void *input,
          const void *packed, void *output, size_t start, size_t end)
{
    const uint8_t *in = input;  /* [batches, in_h, in_w, in_c], bytes */
    const int16_t *pw = packed; /* see tfl_depthwise_conv_2d_avx512_pack */
    uint8_t *out = output;      /* [batches, out_h, out_w, out_c], bytes */
    const size_t n = chans(p), np = tap_pairs(p);
    const int32_t *q = (const int32_t *)(pw + n / LANES * np * 2 * LANES);
    const int32_t *offw = q + 4 * n;
    const __m512i off = _mm512_set1_epi16((int16_t)p->input_offset);
    const __m512i out_off = _mm512_set1_epi32(p->output_offset);
    const __m512i lo = _mm512_set1_epi32(p->act_min), hi = _mm512_set1_epi32(p->act_max);
    if (two_pixels(p)) {
        BODY(depthwise_two)(p, u8, in, pw, out, start, end);
        return;
    }
    const tfl__rq16 *rq = packed_rq16(p, pw);
    const __m512i *cols = packed_columns(p, pw); /* NULL: not a 3x3 the row kernel takes */
    /* The input zero point as int16 lanes: what a tap outside reads. */
    const __m512i zpw = _mm512_set1_epi16((int16_t)-p->input_offset);
    inner_window w;
    inner_window_init(p, &w);
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        const uint8_t *irow = inner_row(p, in, b, oy);
        if (!cols) {
            for (int ox = 0; ox < p->out_w; ++ox)
                BODY(pixel)(p, u8, in, pw, &w, irow, row, b, oy, ox, 0, out, rq, offw, off,
                            out_off, lo, hi);
            continue;
        }
        uint8_t *orow = out + row * (size_t)p->out_w * (size_t)p->out_c;
        const size_t cv = column_vectors(p);
        const int K = p->f_h;
        /* The window's input rows (NULL outside the image), at channel 0. */
        const uint8_t *rows[5];
        for (int fy = 0; fy < K; ++fy) {
            const int iy = oy * p->stride_h - p->pad_h + fy;
            rows[fy] = iy >= 0 && iy < p->in_h
                           ? in + ((size_t)b * p->in_h + (size_t)iy) * (size_t)p->in_w * p->in_c
                           : NULL;
        }
        /* Inner rows: the column kernels between the side borders. */
        const int x_lo = irow ? w.x_lo : p->out_w, x_hi = irow ? w.x_hi : p->out_w;
        for (size_t c = 0; c < (size_t)p->out_c; c += LANES) {
            const int valid = p->out_c - (int)c < LANES ? p->out_c - (int)c : LANES;
            const __m512i *cw = cols + c / LANES * cv;
            const uint8_t *rc[5];
            for (int fy = 0; fy < K; ++fy)
                rc[fy] = rows[fy] ? rows[fy] + c : NULL;
            if (K == 3) {
                BODY(row_edge)(p, u8, 3, rc, 0, x_lo, c, valid, cw, offw, rq, orow, zpw, out_off,
                               lo, hi);
                if (x_lo < x_hi) {
                    if (valid == LANES)
                        BODY(row3x3)(p, u8, irow, x_lo, x_hi, c, LANES, cw, offw, rq, orow,
                                     out_off, lo, hi);
                    else
                        BODY(row3x3)(p, u8, irow, x_lo, x_hi, c, valid, cw, offw, rq, orow,
                                     out_off, lo, hi);
                }
                BODY(row_edge)(p, u8, 3, rc, x_hi, p->out_w, c, valid, cw, offw, rq, orow, zpw,
                               out_off, lo, hi);
            } else {
                BODY(row_edge)(p, u8, 5, rc, 0, x_lo, c, valid, cw, offw, rq, orow, zpw, out_off,
                               lo, hi);
                if (x_lo < x_hi)
                    BODY(row5x5)(p, u8, irow, x_lo, x_hi, c, valid, cw, offw, rq, orow, out_off,
                                 lo, hi);
                BODY(row_edge)(p, u8, 5, rc, x_hi, p->out_w, c, valid, cw, offw, rq, orow, zpw,
                               out_off, lo, hi);
            }
        }
    }
}
