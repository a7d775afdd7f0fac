/* Reference TRANSPOSE kernel: walks the output in order and gathers each
 * element from its strided input position. */
#include <string.h>

#include "ops/transpose/transpose.h"

void tfl_transpose_any__ref(const tfl_transpose_params *p, const void *input, void *output,
                            size_t start, size_t end)
{
    const int last = p->ndim - 1;
    const size_t es = p->esize;
    const size_t row = (size_t)p->out_dims[last];
    const size_t step = p->in_stride[last] * es;
    for (size_t r = start; r < end; ++r) {
        uint8_t *out = (uint8_t *)output + r * row * es; /* [out_dims[last]] of output row r */
        size_t rem = r, off = 0;
        for (int k = last - 1; k >= 0; --k) {
            off += (rem % (size_t)p->out_dims[k]) * p->in_stride[k];
            rem /= (size_t)p->out_dims[k];
        }
        const uint8_t *in = (const uint8_t *)input + off * es; /* first input element of the row */
        switch (es) {
        case 1:
            for (size_t i = 0; i < row; ++i)
                out[i] = in[i * step];
            break;
        case 2:
            for (size_t i = 0; i < row; ++i)
                memcpy(out + 2 * i, in + i * step, 2);
            break;
        case 4:
            for (size_t i = 0; i < row; ++i)
                memcpy(out + 4 * i, in + i * step, 4);
            break;
        case 8:
            for (size_t i = 0; i < row; ++i)
                memcpy(out + 8 * i, in + i * step, 8);
            break;
        default:
            for (size_t i = 0; i < row; ++i)
                memcpy(out + es * i, in + i * step, es);
            break;
        }
    }
}

/* Rows and columns per tile: 64 x 64 elements of up to 8 bytes stay well
 * inside L1 for both the input and the output side. */
#define TILE 64

#define COPY_TILE(T)                                                                               \
    for (size_t r = r0; r < r1; ++r) {                                                             \
        T *o = (T *)output + r * cols;                                                             \
        const T *x = (const T *)input + r * s_row;                                                 \
        for (size_t i = i0; i < i1; ++i)                                                           \
            o[i] = x[i * s_col];                                                                   \
    }

void tfl_transpose_2d_any__ref(const tfl_transpose_params *p, const void *input, void *output,
                               size_t start, size_t end)
{
    const size_t cols = (size_t)p->out_dims[1], s_row = p->in_stride[0], s_col = p->in_stride[1];
    const size_t es = p->esize;
    for (size_t r0 = start; r0 < end; r0 += TILE) {
        const size_t r1 = r0 + TILE < end ? r0 + TILE : end;
        for (size_t i0 = 0; i0 < cols; i0 += TILE) {
            const size_t i1 = i0 + TILE < cols ? i0 + TILE : cols;
            switch (es) {
            case 1: COPY_TILE(uint8_t) break;
            case 2: COPY_TILE(uint16_t) break;
            case 4: COPY_TILE(uint32_t) break;
            case 8: COPY_TILE(uint64_t) break;
            default:
                for (size_t r = r0; r < r1; ++r)
                    for (size_t i = i0; i < i1; ++i)
                        memcpy((uint8_t *)output + (r * cols + i) * es,
                               (const uint8_t *)input + (r * s_row + i * s_col) * es, es);
                break;
            }
        }
    }
}

void tfl_transpose_simplify(tfl_transpose_params *p)
{
    int n = 0;
    for (int k = 0; k < p->ndim; ++k) {
        if (p->out_dims[k] == 1)
            continue;
        /* Output dimension k continues the previous one in the input (and
         * the merged size still fits an int: prepare runs this before the
         * memory limit refuses absurd shapes). */
        if (n > 0 && p->in_stride[n - 1] == p->in_stride[k] * (size_t)p->out_dims[k] &&
            (int64_t)p->out_dims[n - 1] * p->out_dims[k] <= INT32_MAX) {
            p->out_dims[n - 1] *= p->out_dims[k];
            p->in_stride[n - 1] = p->in_stride[k];
            continue;
        }
        p->out_dims[n] = p->out_dims[k];
        p->in_stride[n] = p->in_stride[k];
        ++n;
    }
    if (n == 0) {
        p->out_dims[0] = 1;
        p->in_stride[0] = 1;
        n = 1;
    }
    p->ndim = n;
}
