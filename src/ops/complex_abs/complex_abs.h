/* Kernels of the complex-to-real ops COMPLEX_ABS, REAL and IMAG: elements
 * [start, end) of a flat complex input (re, im pairs) to the same positions of
 * a real output, as tfl__unary_fn. complex64 -> float32, complex128 -> float64. */
#ifndef TFL_OPS_COMPLEX_ABS_H
#define TFL_OPS_COMPLEX_ABS_H

#include <stddef.h>

void tfl_complex_abs_c64__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_complex_abs_c128__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_real_c64__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_real_c128__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_imag_c64__ref(const void *p, const void *in, void *out, size_t start, size_t end);
void tfl_imag_c128__ref(const void *p, const void *in, void *out, size_t start, size_t end);

#endif
