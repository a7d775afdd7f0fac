/* Float32 binary elementwise records with AVX-512F (ADD, SUB, MUL): sixteen
 * lanes per step and a masked tail, a and b read at i * as and i * bs (steps
 * 0 or 1), then the fused activation. Byte-identical to the reference loops
 * (tfl__clamp_f32(x OP y, lo, hi)): the lanes do the same IEEE operation,
 * and min(hi, max(lo, v)) is tfl__clamp_f32 bit for bit, NaN (max/min return
 * their second operand when either is NaN), -0.0 and infinities included.
 * Where both inputs are NaN, which one comes out (its sign and payload)
 * follows the compiler's operand order, here as in the reference. */
#ifndef TFL_KERNELS_BINARY_F32_AVX512_H
#define TFL_KERNELS_BINARY_F32_AVX512_H

#include <immintrin.h>
#include <stddef.h>

#include "kernels/requant_avx512.h"

/* Defines NAME(params, a, as, b, bs, out, n) for a params struct PT with
 * act_min_f / act_max_f, and _mm512 operation OP (_mm512_add_ps, ...). */
#define TFL_BINARY_F32_AVX512(NAME, PT, OP)                                                        \
    TFL_TARGET_AVX512 void NAME(const void *params, const void *a, int as, const void *b,       \
                                int bs, void *out, size_t n)                                      \
    {                                                                                             \
        const PT *p = params;                                                                     \
        const float *x = a, *y = b;                                                               \
        float *o = out;                                                                           \
        const __m512 lo = _mm512_set1_ps(p->act_min_f), hi = _mm512_set1_ps(p->act_max_f);       \
        const __m512 xs = as ? _mm512_setzero_ps() : _mm512_set1_ps(n ? x[0] : 0.0f);              \
        const __m512 ys = bs ? _mm512_setzero_ps() : _mm512_set1_ps(n ? y[0] : 0.0f);              \
        for (size_t i = 0; i < n; i += 16) {                                                      \
            const __mmask16 m =                                                                   \
                n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);               \
            const __m512 u = as ? _mm512_maskz_loadu_ps(m, x + i) : xs;                           \
            const __m512 v = bs ? _mm512_maskz_loadu_ps(m, y + i) : ys;                           \
            _mm512_mask_storeu_ps(o + i, m, _mm512_min_ps(hi, _mm512_max_ps(lo, OP(u, v))));       \
        }                                                                                         \
    }

#endif
