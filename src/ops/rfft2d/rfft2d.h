/* Kernels of RFFT2D: the 2-D FFT of real float32 slices, computed in double
 * (as TFLite's fft2d path) and stored as complex64. */
#ifndef TFL_OPS_RFFT2D_H
#define TFL_OPS_RFFT2D_H

#include <stddef.h>
#include <stdint.h>

#include "ops/kernel.h"

typedef struct tfl_rfft2d_params {
    size_t in_h, in_w;   /* input slice, cropped or zero-padded to fft_h x fft_w */
    size_t fft_h, fft_w; /* powers of two */
    /* Twiddles per butterfly stage: the stage of half-length h (1, 2, 4, ...
     * up to max(fft_h, fft_w) / 2) uses exp(-2 pi i k / 2h) for k < h, at
     * [h - 1 + k]; real and imaginary parts apart, so that a stage reads them
     * in order. */
    const double *tw_re, *tw_im;
    const uint32_t *rev_w, *rev_h; /* bit-reversal permutations of fft_w and fft_h points */
} tfl_rfft2d_params;

/* Doubles of work memory one call needs. */
size_t tfl_rfft2d_work_doubles(const tfl_rfft2d_params *p);

/* Transforms slices [start, end): in [slices, in_h, in_w] float32 ->
 * out [slices, fft_h, fft_w / 2 + 1] complex64 (re, im float pairs).
 * work holds tfl_rfft2d_work_doubles(p) doubles. */
typedef void (*tfl_rfft2d_fn)(const tfl_rfft2d_params *p, const float *in, float *out, double *work,
                              size_t start, size_t end);

/* The butterflies of an n-point complex FFT whose input is already in
 * bit-reversed order, in place on split re / im arrays. */
typedef void (*tfl__fft_fn)(double *re, double *im, size_t n, const double *tw_re,
                            const double *tw_im);

/* The slice loop every kernel shares (rfft2d_ref.c), given its butterflies.
 * Rows are transformed two at a time as one complex sequence (real row a +
 * i * row b) and separated by conjugate symmetry, two slices' rows at once
 * when a slice has one row; then each of the fft_w / 2 + 1 kept columns gets
 * a complex FFT of length fft_h. */
void tfl__rfft2d_run(const tfl_rfft2d_params *p, const float *in, float *out, double *work,
                     size_t start, size_t end, tfl__fft_fn fft);

void tfl_rfft2d_f32__ref(const tfl_rfft2d_params *p, const float *in, float *out, double *work,
                         size_t start, size_t end);
/* The butterflies eight lanes at a time, the same operations in the same
 * order: byte-identical to the reference (rfft2d_avx512.c). */
void tfl_rfft2d_f32__avx512(const tfl_rfft2d_params *p, const float *in, float *out,
                            double *work, size_t start, size_t end);

/* The op's kernel records, best first (rfft2d.c). */
extern const tfl__kernel tfl__rfft2d_kernels[];
extern const size_t tfl__rfft2d_num_kernels;

#endif
