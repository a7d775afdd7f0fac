/* DEPTHWISE_CONV_2D float32 with AVX-512F, depth multiplier 1: 16 channels
 * per vector, the filter read as stored ([1, f_h, f_w, out_c] is already
 * channel-innermost), the taps of each output pixel in the reference's
 * order with fused multiply-adds, taps outside the image skipped as the
 * reference skips them, then bias and the fused activation. Results can
 * differ from tfl_depthwise_conv_2d_f32__ref in the last bits (the fused
 * rounding); the walker compares them exactly on integer-valued data. */
#include "ops/depthwise_conv_2d/depthwise_conv_2d.h"

#if TFL__X86_SIMD
#include <immintrin.h>

#include "kernels/requant_avx512.h"

#define MAX_TAPS 64 /* f_h * f_w, and f_h, this record takes */

bool tfl_depthwise_conv_2d_f32_avx512_supports(const tfl_depthwise_conv_2d_params *p)
{
    return p->depth_multiplier == 1 && (size_t)p->f_h * p->f_w <= MAX_TAPS;
}

TFL_TARGET_AVX512 void tfl_depthwise_conv_2d_f32__avx512(const tfl_depthwise_conv_2d_params *p,
                                                         const void *input, const void *filter,
                                                         const void *bias, void *output,
                                                         size_t start, size_t end)
{
    const float *in = input; /* [batches, in_h, in_w, in_c] */
    const float *w = filter; /* [1, f_h, f_w, out_c] */
    const float *bs = bias;  /* [out_c] or NULL */
    float *out = output;     /* [batches, out_h, out_w, out_c] */
    const size_t oc = (size_t)p->out_c;
    const __m512 lo = _mm512_set1_ps(p->act_min_f), hi = _mm512_set1_ps(p->act_max_f);
    const int taps = p->f_h * p->f_w;
    const bool three = p->f_h == 3 && p->f_w == 3;
    /* Output columns [x_lo, x_hi) whose taps lie inside horizontally. */
    const int x_lo_raw = (p->pad_w + p->stride_w - 1) / p->stride_w;
    const int last = p->in_w - 1 + p->pad_w - (p->f_w - 1) * p->dilation_w;
    const int x_hi_raw = last < 0 ? 0 : last / p->stride_w + 1;
    const int x_lo = x_lo_raw < p->out_w ? x_lo_raw : p->out_w;
    const int x_hi = x_hi_raw < x_lo ? x_lo : (x_hi_raw < p->out_w ? x_hi_raw : p->out_w);
    for (size_t row = start; row < end; ++row) {
        const int b = (int)(row / (size_t)p->out_h), oy = (int)(row % (size_t)p->out_h);
        /* The window's input lines (NULL outside the image). */
        const float *lines[MAX_TAPS];
        for (int fy = 0; fy < p->f_h; ++fy) {
            const int iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
            lines[fy] = iy >= 0 && iy < p->in_h
                            ? in + ((size_t)b * p->in_h + (size_t)iy) * p->in_w * oc
                            : NULL;
        }
        float *orow = out + row * (size_t)p->out_w * oc;
        bool rows_inside = true;
        for (int fy = 0; fy < p->f_h; ++fy)
            rows_inside = rows_inside && lines[fy];
        /* Channel block outer, pixels inner: the block's weights stay in
         * registers (or at least in L1) along the row. */
        for (size_t c = 0; c < oc; c += 16) {
            const __mmask16 m =
                oc - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (oc - c)) - 1);
            __m512 wv[MAX_TAPS];
            for (int t = 0; t < taps; ++t)
                wv[t] = _mm512_maskz_loadu_ps(m, w + (size_t)t * oc + c);
            const __m512 bv = bs ? _mm512_maskz_loadu_ps(m, bs + c) : _mm512_setzero_ps();
            if (three && rows_inside) {
                /* 3x3, the window's rows inside: the columns [x_lo, x_hi)
                 * whose taps are all inside run unrolled, the weights in
                 * registers, no bounds to check. */
                for (int ox = x_lo; ox < x_hi; ++ox) {
                    const size_t ix = (size_t)(ox * p->stride_w - p->pad_w) * oc + c;
                    const size_t dx = (size_t)p->dilation_w * oc;
                    __m512 acc = _mm512_setzero_ps();
                    for (int fy = 0; fy < 3; ++fy) {
                        const float *l = lines[fy] + ix;
                        acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, l), wv[fy * 3], acc);
                        acc =
                            _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, l + dx), wv[fy * 3 + 1], acc);
                        acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, l + 2 * dx), wv[fy * 3 + 2],
                                              acc);
                    }
                    const __m512 r = _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc, bv)));
                    _mm512_mask_storeu_ps(orow + (size_t)ox * oc + c, m, r);
                }
            }
            for (int ox = 0; ox < p->out_w; ++ox) {
                if (three && rows_inside && ox >= x_lo && ox < x_hi)
                    continue; /* done above */
                __m512 acc = _mm512_setzero_ps();
                const int ix0 = ox * p->stride_w - p->pad_w;
                for (int fy = 0; fy < p->f_h; ++fy) {
                    if (!lines[fy])
                        continue;
                    for (int fx = 0; fx < p->f_w; ++fx) {
                        const int ix = ix0 + fx * p->dilation_w;
                        if (ix < 0 || ix >= p->in_w)
                            continue;
                        const __m512 x = _mm512_maskz_loadu_ps(m, lines[fy] + (size_t)ix * oc + c);
                        acc = _mm512_fmadd_ps(x, wv[fy * p->f_w + fx], acc);
                    }
                }
                /* max/min return their second operand for a NaN, keeping
                 * it as tfl__clamp_f32 does. */
                const __m512 r = _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc, bv)));
                _mm512_mask_storeu_ps(orow + (size_t)ox * oc + c, m, r);
            }
        }
    }
}
#endif
