/* The column kernels of the AVX-512 DEPTHWISE_CONV_2D records, included by
 * depthwise_conv_2d_avx512_body.h (itself once per target, see there): 3x3
 * and 5x5 filters with dilation 1 along a row of output pixels, each input
 * column widened and paired once for every window that holds it, and the
 * image border on the same weights. */

/* One input column of a 3x3 window for 32 channels: rows 0 and 1
 * interleaved (lo/hi as vpunpck*wd lays them out), row 2 with zeros. */
typedef struct BODY(column) {
    __m512i u_lo, u_hi, v_lo, v_hi;
} BODY(column);

BODY_TARGET static inline __attribute__((always_inline)) BODY(column)
BODY(load_column)(const uint8_t *x, size_t row_bytes, bool u8, __mmask32 m)
{
    const __m256i a = _mm256_maskz_loadu_epi8(m, x);
    const __m256i b = _mm256_maskz_loadu_epi8(m, x + row_bytes);
    const __m256i c = _mm256_maskz_loadu_epi8(m, x + 2 * row_bytes);
    const __m512i r0 = u8 ? _mm512_cvtepu8_epi16(a) : _mm512_cvtepi8_epi16(a);
    const __m512i r1 = u8 ? _mm512_cvtepu8_epi16(b) : _mm512_cvtepi8_epi16(b);
    const __m512i r2 = u8 ? _mm512_cvtepu8_epi16(c) : _mm512_cvtepi8_epi16(c);
    const __m512i z = _mm512_setzero_si512();
    BODY(column) k = {_mm512_unpacklo_epi16(r0, r1), _mm512_unpackhi_epi16(r0, r1),
                      _mm512_unpacklo_epi16(r2, z), _mm512_unpackhi_epi16(r2, z)};
    return k;
}

/* Column k of the window at filter column fx (w: the 12 column-pair weight
 * vectors of the block, see pack_columns). */
BODY_TARGET static inline __attribute__((always_inline)) void
BODY(mac_column)(const BODY(column) *k, const __m512i *w, int fx, __m512i *a, __m512i *b)
{
    *a = MAC(*a, k->u_lo, w[4 * fx]);
    *b = MAC(*b, k->u_hi, w[4 * fx + 1]);
    *a = MAC(*a, k->v_lo, w[4 * fx + 2]);
    *b = MAC(*b, k->v_hi, w[4 * fx + 3]);
}

/* The end of one output pixel of a row kernel: the accumulators (a, b:
 * the vpunpck*wd halves) in channel order, plus the input offset term,
 * requantized, narrowed and stored for the `valid` channels of the block
 * at c. Inlined with a constant `valid` for whole blocks. */
BODY_TARGET static inline __attribute__((always_inline)) void
BODY(finish32)(__m512i a, __m512i b, int valid, const int32_t *offw, const tfl__rq16 *rq,
               size_t c, uint8_t *dst, __m512i out_off, __m512i lo, __m512i hi)
{
    const __m512i s0 =
        _mm512_add_epi32(_mm512_permutex2var_epi64(a, FIRST, b), _mm512_loadu_si512(offw + c));
    const __m512i s1 = _mm512_add_epi32(_mm512_permutex2var_epi64(a, SECOND, b),
                                        _mm512_loadu_si512(offw + c + 16));
    const __m128i b0 = _mm512_cvtepi32_epi8(tfl__rq16_apply(&rq[c / 16], s0, out_off, lo, hi));
    const __m128i b1 =
        _mm512_cvtepi32_epi8(tfl__rq16_apply(&rq[c / 16 + 1], s1, out_off, lo, hi));
    if (valid == LANES) {
        _mm_storeu_si128((__m128i *)dst, b0);
        _mm_storeu_si128((__m128i *)(dst + 16), b1);
        return;
    }
    const int v0 = valid < 16 ? valid : 16, v1 = valid - v0;
    _mm_mask_storeu_epi8(dst, (__mmask16)((1u << v0) - 1), b0);
    if (v1 > 0)
        _mm_mask_storeu_epi8(dst + 16, (__mmask16)((1u << v1) - 1), b1);
}

/* 3x3, dilation 1, stride 1 or 2: output columns [x0, x1) of one row, all
 * of whose taps are inside, for the block of 32 channels at c (`valid` of
 * them real: masked loads and stores for the last, partial block). Each
 * input column is widened and interleaved once and used by every output
 * pixel whose window holds it (three at stride 1, 1.5 at stride 2), where
 * the per-pixel path redoes it for each. */
BODY_TARGET static inline __attribute__((always_inline)) void
BODY(row3x3)(const tfl_depthwise_conv_2d_params *p, bool u8, const uint8_t *irow, int x0, int x1,
             size_t c, int valid, const __m512i *w, const int32_t *offw, const tfl__rq16 *rq,
             uint8_t *o, __m512i out_off, __m512i lo, __m512i hi)
{
    const __mmask32 m = valid == LANES ? ~(__mmask32)0 : (((__mmask32)1 << valid) - 1);
    const size_t in_c = (size_t)p->in_c, row_bytes = (size_t)p->in_w * in_c;
    const size_t oc = (size_t)p->out_c;
    const uint8_t *x = irow + c; /* column 0 of the padded row */
    if (p->stride_w == 1) {
        BODY(column) k0 = BODY(load_column)(x + (size_t)x0 * in_c, row_bytes, u8, m);
        BODY(column) k1 = BODY(load_column)(x + (size_t)(x0 + 1) * in_c, row_bytes, u8, m);
        for (int ox = x0; ox < x1; ++ox) {
            const BODY(column) k2 = BODY(load_column)(x + (size_t)(ox + 2) * in_c, row_bytes, u8, m);
            __m512i a = _mm512_setzero_si512(), b = a;
            BODY(mac_column)(&k0, w, 0, &a, &b);
            BODY(mac_column)(&k1, w, 1, &a, &b);
            BODY(mac_column)(&k2, w, 2, &a, &b);
            BODY(finish32)(a, b, valid, offw, rq, c, o + (size_t)ox * oc + c, out_off, lo, hi);
            k0 = k1;
            k1 = k2;
        }
    } else { /* stride 2: a window's last column is the next one's first */
        BODY(column) k0 = BODY(load_column)(x + (size_t)(2 * x0) * in_c, row_bytes, u8, m);
        for (int ox = x0; ox < x1; ++ox) {
            const size_t ix = (size_t)(2 * ox);
            const BODY(column) k1 = BODY(load_column)(x + (ix + 1) * in_c, row_bytes, u8, m);
            const BODY(column) k2 = BODY(load_column)(x + (ix + 2) * in_c, row_bytes, u8, m);
            __m512i a = _mm512_setzero_si512(), b = a;
            BODY(mac_column)(&k0, w, 0, &a, &b);
            BODY(mac_column)(&k1, w, 1, &a, &b);
            BODY(mac_column)(&k2, w, 2, &a, &b);
            BODY(finish32)(a, b, valid, offw, rq, c, o + (size_t)ox * oc + c, out_off, lo, hi);
            k0 = k2;
        }
    }
}

/* One input column of a 5x5 window for 32 channels: rows (0, 1), (2, 3)
 * and (4, zero) interleaved. */
typedef struct BODY(column5) {
    __m512i lo[3], hi[3];
} BODY(column5);

BODY_TARGET static inline __attribute__((always_inline)) void
BODY(load_column5)(const uint8_t *x, size_t row_bytes, bool u8, __mmask32 m, BODY(column5) *k)
{
    __m512i r[6];
    for (int fy = 0; fy < 5; ++fy) {
        const __m256i v = _mm256_maskz_loadu_epi8(m, x + (size_t)fy * row_bytes);
        r[fy] = u8 ? _mm512_cvtepu8_epi16(v) : _mm512_cvtepi8_epi16(v);
    }
    r[5] = _mm512_setzero_si512();
    for (int j = 0; j < 3; ++j) {
        k->lo[j] = _mm512_unpacklo_epi16(r[2 * j], r[2 * j + 1]);
        k->hi[j] = _mm512_unpackhi_epi16(r[2 * j], r[2 * j + 1]);
    }
}

/* 5x5, dilation 1, stride 1 or 2, as row3x3: each input column widened
 * and paired once into a ring of the five a window holds (slot: column
 * index mod 5), used by every output pixel whose window holds it. */
BODY_TARGET static inline __attribute__((always_inline)) void
BODY(row5x5)(const tfl_depthwise_conv_2d_params *p, bool u8, const uint8_t *irow, int x0, int x1,
             size_t c, int valid, const __m512i *w, const int32_t *offw, const tfl__rq16 *rq,
             uint8_t *o, __m512i out_off, __m512i lo, __m512i hi)
{
    const size_t in_c = (size_t)p->in_c, row_bytes = (size_t)p->in_w * in_c;
    const size_t oc = (size_t)p->out_c, s = (size_t)p->stride_w;
    const __mmask32 m = valid == LANES ? ~(__mmask32)0 : (((__mmask32)1 << valid) - 1);
    const uint8_t *x = irow + c; /* column 0 of the padded row */
    BODY(column5) ring[5];
    size_t loaded = (size_t)x0 * s; /* columns [x0 * s, loaded) are in the ring */
    for (int ox = x0; ox < x1; ++ox) {
        const size_t first = (size_t)ox * s;
        for (; loaded < first + 5; ++loaded)
            BODY(load_column5)(x + loaded * in_c, row_bytes, u8, m, &ring[loaded % 5]);
        __m512i a = _mm512_setzero_si512(), b = a;
        for (int fx = 0; fx < 5; ++fx) {
            const BODY(column5) *k = &ring[(first + (size_t)fx) % 5];
            for (int j = 0; j < 3; ++j) {
                a = MAC(a, k->lo[j], w[6 * fx + 2 * j]);
                b = MAC(b, k->hi[j], w[6 * fx + 2 * j + 1]);
            }
        }
        BODY(finish32)(a, b, valid, offw, rq, c, o + (size_t)ox * oc + c, out_off, lo, hi);
    }
}

/* Output pixels [x0, x1) of one row, for a K x K filter (3 or 5, dilation
 * 1), where taps fall outside the image: row fy of the window is rows[fy]
 * (its column 0 at channel c) or NULL outside, and a column outside is
 * recognised from its index. A missing tap reads the input's zero point
 * (zpb, as int16), which then cancels against offw's input_offset * sum(w)
 * exactly as the reference's skip: (zp - zp) * w = 0. So the image border
 * runs on the column weights too, instead of the tap-by-tap path. */
BODY_TARGET static inline __attribute__((always_inline)) void
BODY(row_edge)(const tfl_depthwise_conv_2d_params *p, bool u8, const int K,
               const uint8_t *const *rows, int x0, int x1, size_t c, int valid, const __m512i *w,
               const int32_t *offw, const tfl__rq16 *rq, uint8_t *o, __m512i zpw, __m512i out_off,
               __m512i lo, __m512i hi)
{
    const __mmask32 m = valid == LANES ? ~(__mmask32)0 : (((__mmask32)1 << valid) - 1);
    const size_t in_c = (size_t)p->in_c, oc = (size_t)p->out_c;
    const int pairs = (K + 1) / 2;
    for (int ox = x0; ox < x1; ++ox) {
        __m512i a = _mm512_setzero_si512(), bacc = a;
        for (int fx = 0; fx < K; ++fx) {
            const int col = ox * p->stride_w - p->pad_w + fx;
            const bool col_ok = col >= 0 && col < p->in_w;
            __m512i r[6];
            for (int fy = 0; fy < K; ++fy) {
                if (col_ok && rows[fy]) {
                    const __m256i v = _mm256_maskz_loadu_epi8(m, rows[fy] + (size_t)col * in_c);
                    r[fy] = u8 ? _mm512_cvtepu8_epi16(v) : _mm512_cvtepi8_epi16(v);
                } else {
                    r[fy] = zpw;
                }
            }
            r[K] = _mm512_setzero_si512(); /* the odd row's partner */
            for (int j = 0; j < pairs; ++j) {
                a = MAC(a, _mm512_unpacklo_epi16(r[2 * j], r[2 * j + 1]), w[2 * pairs * fx + 2 * j]);
                bacc = MAC(bacc, _mm512_unpackhi_epi16(r[2 * j], r[2 * j + 1]),
                           w[2 * pairs * fx + 2 * j + 1]);
            }
        }
        BODY(finish32)(a, bacc, valid, offw, rq, c, o + (size_t)ox * oc + c, out_off, lo, hi);
    }
}

