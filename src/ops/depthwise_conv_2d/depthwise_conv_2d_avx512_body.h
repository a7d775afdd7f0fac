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
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        const uint8_t *irow = inner_row(p, in, b, oy);
        for (int ox = 0; ox < p->out_w; ox += 2) {
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
        }
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
    const uint8_t *tap[MAX_TAPS + 1];
    inner_window w;
    inner_window_init(p, &w);
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        const uint8_t *irow = inner_row(p, in, b, oy);
        for (int ox = 0; ox < p->out_w; ++ox) {
            const bool inner = pixel_taps(p, &w, in, irow, b, oy, ox, tap);
            uint8_t *o = out + (row * (size_t)p->out_w + (size_t)ox) * (size_t)p->out_c;
            for (size_t c = 0; c < (size_t)p->out_c; c += LANES) {
                const int valid = p->out_c - (int)c < LANES ? p->out_c - (int)c : LANES;
                const __m512i *wv = (const __m512i *)(pw + c / LANES * np * 2 * LANES);
                __m512i acc_a = _mm512_setzero_si512(), acc_b = acc_a;
                if (inner)
                    for (size_t j = 0; j < np; ++j, wv += 2)
                        BODY(pair)(tap[2 * j] + c, tap[2 * j + 1] ? tap[2 * j + 1] + c : NULL, u8,
                             true, valid, off, wv, &acc_a, &acc_b);
                else
                    for (size_t j = 0; j < np; ++j, wv += 2)
                        BODY(pair)(tap[2 * j] ? tap[2 * j] + c : NULL,
                             tap[2 * j + 1] ? tap[2 * j + 1] + c : NULL, u8, false, valid,
                             off, wv, &acc_a, &acc_b);
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
    }
}

