/* Kernels of RFFT2D: the 2-D FFT of real float32 slices, computed in double
 * (as TFLite's fft2d path) and stored as complex64. */
#ifndef TFL_OPS_RFFT2D_H
#define TFL_OPS_RFFT2D_H

#include <stddef.h>

typedef struct tfl_rfft2d_params {
    size_t in_h, in_w;   /* input slice, cropped or zero-padded to fft_h x fft_w */
    size_t fft_h, fft_w; /* powers of two */
    /* exp(-2 pi i k / tw_n) for k < tw_n / 2, as (re, im) pairs, with
     * tw_n = max(fft_h, fft_w); a length-n FFT reads every (tw_n / n)-th. */
    const double *tw;
    size_t tw_n;
} tfl_rfft2d_params;

/* Doubles of work memory one call needs. */
size_t tfl_rfft2d_work_doubles(const tfl_rfft2d_params *p);

/* Transforms slices [start, end): in [slices, in_h, in_w] float32 ->
 * out [slices, fft_h, fft_w / 2 + 1] complex64 (re, im float pairs).
 * work holds tfl_rfft2d_work_doubles(p) doubles. */
typedef void (*tfl_rfft2d_fn)(const tfl_rfft2d_params *p, const float *in, float *out, double *work,
                              size_t start, size_t end);

void tfl_rfft2d_f32__ref(const tfl_rfft2d_params *p, const float *in, float *out, double *work,
                         size_t start, size_t end);

#endif
