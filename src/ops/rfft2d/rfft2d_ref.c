/* Reference RFFT2D kernel: iterative radix-2 complex FFTs in double on split
 * real / imaginary arrays, the input loaded in bit-reversed order. See
 * tfl__rfft2d_run in rfft2d.h for how rows and columns are transformed. */
#include <stdbool.h>

#include "ops/rfft2d/rfft2d.h"

size_t tfl_rfft2d_work_doubles(const tfl_rfft2d_params *p)
{
    const size_t line = p->fft_w > p->fft_h ? p->fft_w : p->fft_h;
    return 2 * (p->fft_h * (p->fft_w / 2 + 1) + line);
}

static void fft_ref(double *re, double *im, size_t n, const double *tw_re, const double *tw_im)
{
    for (size_t h = 1; h < n; h <<= 1) {
        const double *wr = tw_re + h - 1, *wi = tw_im + h - 1;
        for (size_t i = 0; i < n; i += 2 * h) {
            double *ar = re + i, *ai = im + i, *br = re + i + h, *bi = im + i + h;
            for (size_t k = 0; k < h; ++k) {
                const double vr = br[k] * wr[k] - bi[k] * wi[k];
                const double vi = br[k] * wi[k] + bi[k] * wr[k];
                const double ur = ar[k], ui = ai[k];
                ar[k] = ur + vr;
                ai[k] = ui + vi;
                br[k] = ur - vr;
                bi[k] = ui - vi;
            }
        }
    }
}

/* Element (r, c) of a slice zero-padded (or cropped) to fft_h x fft_w. */
static double at(const tfl_rfft2d_params *p, const float *in /* [in_h, in_w] */, size_t r, size_t c)
{
    return r < p->in_h && c < p->in_w ? (double)in[r * p->in_w + c] : 0.0;
}

/* Rows a and b (NULL: zeros) of fft_w points into re / im, bit-reversed, and
 * their FFT. */
static void two_rows(const tfl_rfft2d_params *p, const float *a, size_t ra, const float *b,
                     size_t rb, double *re, double *im, tfl__fft_fn fft)
{
    const size_t W = p->fft_w;
    for (size_t c = 0; c < W; ++c) {
        re[p->rev_w[c]] = a ? at(p, a, ra, c) : 0.0;
        im[p->rev_w[c]] = b ? at(p, b, rb, c) : 0.0;
    }
    fft(re, im, W, p->tw_re, p->tw_im);
}

/* With Z = FFT(a + i b): A[k] = (Z[k] + conj Z[-k]) / 2 and
 * B[k] = (Z[k] - conj Z[-k]) / 2i. */
#define SEPARATE(k, AR, AI, BR, BI)                                                                \
    do {                                                                                           \
        const size_t m_ = (W - (k)) & (W - 1);                                                     \
        const double zr = re[k], zi = im[k], mr = re[m_], mi = im[m_];                             \
        AR = 0.5 * (zr + mr);                                                                      \
        AI = 0.5 * (zi - mi);                                                                      \
        BR = 0.5 * (zi + mi);                                                                      \
        BI = 0.5 * (mr - zr);                                                                      \
    } while (0)

void tfl__rfft2d_run(const tfl_rfft2d_params *p, const float *input, float *output, double *work,
                     size_t start, size_t end, tfl__fft_fn fft)
{
    const size_t H = p->fft_h, W = p->fft_w, K = W / 2 + 1;
    const size_t slice_in = p->in_h * p->in_w, slice_out = 2 * H * K;
    double *spec = work;                        /* [H, K][2]: rows transformed */
    const size_t line = W > H ? W : H;
    double *re = work + 2 * H * K, *im = re + line; /* [max(W, H)] each */
    if (H == 1) {
        /* One row per slice: two slices per FFT, straight to the output (a
         * 1-point column FFT changes nothing). */
        for (size_t s = start; s < end; s += 2) {
            const bool pair = s + 1 < end;
            two_rows(p, input + s * slice_in, 0, pair ? input + (s + 1) * slice_in : NULL, 0, re,
                     im, fft);
            float *oa = output + s * slice_out, *ob = oa + slice_out;
            for (size_t k = 0; k < K; ++k) {
                double ar, ai, br, bi;
                SEPARATE(k, ar, ai, br, bi);
                oa[2 * k] = (float)ar;
                oa[2 * k + 1] = (float)ai;
                if (pair) {
                    ob[2 * k] = (float)br;
                    ob[2 * k + 1] = (float)bi;
                }
            }
        }
        return;
    }
    for (size_t s = start; s < end; ++s) {
        const float *in = input + s * slice_in; /* [in_h, in_w] */
        float *out = output + s * slice_out;    /* [H, K][2] */
        for (size_t r = 0; r < H; r += 2) {     /* H is a power of two above 1: even */
            two_rows(p, in, r, in, r + 1, re, im, fft);
            double *sa = spec + 2 * r * K, *sb = sa + 2 * K;
            for (size_t k = 0; k < K; ++k)
                SEPARATE(k, sa[2 * k], sa[2 * k + 1], sb[2 * k], sb[2 * k + 1]);
        }
        for (size_t k = 0; k < K; ++k) {
            for (size_t r = 0; r < H; ++r) {
                re[p->rev_h[r]] = spec[2 * (r * K + k)];
                im[p->rev_h[r]] = spec[2 * (r * K + k) + 1];
            }
            fft(re, im, H, p->tw_re, p->tw_im);
            for (size_t r = 0; r < H; ++r) {
                out[2 * (r * K + k)] = (float)re[r];
                out[2 * (r * K + k) + 1] = (float)im[r];
            }
        }
    }
}

void tfl_rfft2d_f32__ref(const tfl_rfft2d_params *p, const float *in, float *out, double *work,
                         size_t start, size_t end)
{
    tfl__rfft2d_run(p, in, out, work, start, end, fft_ref);
}
