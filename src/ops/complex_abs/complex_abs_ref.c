/* Reference COMPLEX_ABS, REAL and IMAG kernels. The magnitude is hypot, as
 * std::abs of std::complex (cabsf/cabs) computes it: no overflow for large
 * parts, no underflow for tiny ones. */
#include <math.h>

#include "ops/complex_abs/complex_abs.h"

void tfl_complex_abs_c64__ref(const void *p, const void *input, void *output, size_t start,
                              size_t end)
{
    const float *in = input; /* [n][2] */
    float *out = output;     /* [n] */
    for (size_t i = start; i < end; ++i)
        out[i] = hypotf(in[2 * i], in[2 * i + 1]);
}

void tfl_complex_abs_c128__ref(const void *p, const void *input, void *output, size_t start,
                               size_t end)
{
    const double *in = input; /* [n][2] */
    double *out = output;     /* [n] */
    for (size_t i = start; i < end; ++i)
        out[i] = hypot(in[2 * i], in[2 * i + 1]);
}

void tfl_real_c64__ref(const void *p, const void *input, void *output, size_t start, size_t end)
{
    const float *in = input; /* [n][2] */
    float *out = output;     /* [n] */
    for (size_t i = start; i < end; ++i)
        out[i] = in[2 * i];
}

void tfl_real_c128__ref(const void *p, const void *input, void *output, size_t start, size_t end)
{
    const double *in = input; /* [n][2] */
    double *out = output;     /* [n] */
    for (size_t i = start; i < end; ++i)
        out[i] = in[2 * i];
}

void tfl_imag_c64__ref(const void *p, const void *input, void *output, size_t start, size_t end)
{
    const float *in = input; /* [n][2] */
    float *out = output;     /* [n] */
    for (size_t i = start; i < end; ++i)
        out[i] = in[2 * i + 1];
}

void tfl_imag_c128__ref(const void *p, const void *input, void *output, size_t start, size_t end)
{
    const double *in = input; /* [n][2] */
    double *out = output;     /* [n] */
    for (size_t i = start; i < end; ++i)
        out[i] = in[2 * i + 1];
}
