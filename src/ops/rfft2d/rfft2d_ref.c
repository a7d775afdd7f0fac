/* Reference RFFT2D kernel: iterative radix-2 complex FFTs in double. Rows are
 * transformed two at a time as one complex sequence (real row a + i * row b)
 * and separated by conjugate symmetry; then each of the fft_w / 2 + 1 kept
 * columns gets a complex FFT of length fft_h. */
#include "ops/rfft2d/rfft2d.h"

size_t tfl_rfft2d_work_doubles(const tfl_rfft2d_params *p)
{
    const size_t line = p->fft_w > p->fft_h ? p->fft_w : p->fft_h;
    return 2 * (p->fft_h * (p->fft_w / 2 + 1) + line);
}

/* In-place forward FFT of n complex values (n a power of two), decimation in
 * time after a bit-reversal permutation. */
static void fft(double *z /* [n][2] */, size_t n, const double *tw /* [tw_n/2][2] */, size_t tw_n)
{
    for (size_t i = 1, j = 0; i < n; ++i) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j |= bit;
        if (i < j) {
            double re = z[2 * i], im = z[2 * i + 1];
            z[2 * i] = z[2 * j];
            z[2 * i + 1] = z[2 * j + 1];
            z[2 * j] = re;
            z[2 * j + 1] = im;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        const size_t half = len / 2, step = tw_n / len;
        for (size_t i = 0; i < n; i += len) {
            double *a = z + 2 * i, *b = z + 2 * (i + half);
            for (size_t k = 0; k < half; ++k) {
                const double wr = tw[2 * k * step], wi = tw[2 * k * step + 1];
                const double vr = b[2 * k] * wr - b[2 * k + 1] * wi;
                const double vi = b[2 * k] * wi + b[2 * k + 1] * wr;
                const double ur = a[2 * k], ui = a[2 * k + 1];
                a[2 * k] = ur + vr;
                a[2 * k + 1] = ui + vi;
                b[2 * k] = ur - vr;
                b[2 * k + 1] = ui - vi;
            }
        }
    }
}

/* Row r of the fft_h x fft_w zero-padded (or cropped) input slice. */
static double at(const tfl_rfft2d_params *p, const float *in /* [in_h, in_w] */, size_t r, size_t c)
{
    return r < p->in_h && c < p->in_w ? (double)in[r * p->in_w + c] : 0.0;
}

void tfl_rfft2d_f32__ref(const tfl_rfft2d_params *p, const float *input, float *output,
                         double *work, size_t start, size_t end)
{
    const size_t H = p->fft_h, W = p->fft_w, K = W / 2 + 1;
    double *spec = work;             /* [H, K][2]: rows transformed */
    double *line = work + 2 * H * K; /* [max(W, H)][2] */
    for (size_t s = start; s < end; ++s) {
        const float *in = input + s * p->in_h * p->in_w; /* [in_h, in_w] */
        float *out = output + s * H * K * 2;             /* [H, K][2] */
        for (size_t r = 0; r < H; r += 2) {
            for (size_t c = 0; c < W; ++c) {
                line[2 * c] = at(p, in, r, c);
                line[2 * c + 1] = r + 1 < H ? at(p, in, r + 1, c) : 0.0;
            }
            fft(line, W, p->tw, p->tw_n);
            /* With Z = FFT(a + i b): A[k] = (Z[k] + conj Z[-k]) / 2 and
             * B[k] = (Z[k] - conj Z[-k]) / 2i. */
            for (size_t k = 0; k < K; ++k) {
                const size_t m = (W - k) & (W - 1);
                const double zr = line[2 * k], zi = line[2 * k + 1];
                const double mr = line[2 * m], mi = line[2 * m + 1];
                spec[2 * (r * K + k)] = 0.5 * (zr + mr);
                spec[2 * (r * K + k) + 1] = 0.5 * (zi - mi);
                if (r + 1 < H) {
                    spec[2 * ((r + 1) * K + k)] = 0.5 * (zi + mi);
                    spec[2 * ((r + 1) * K + k) + 1] = 0.5 * (mr - zr);
                }
            }
        }
        for (size_t k = 0; k < K; ++k) {
            for (size_t r = 0; r < H; ++r) {
                line[2 * r] = spec[2 * (r * K + k)];
                line[2 * r + 1] = spec[2 * (r * K + k) + 1];
            }
            fft(line, H, p->tw, p->tw_n);
            for (size_t r = 0; r < H; ++r) {
                out[2 * (r * K + k)] = (float)line[2 * r];
                out[2 * (r * K + k) + 1] = (float)line[2 * r + 1];
            }
        }
    }
}
