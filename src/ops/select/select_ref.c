/* SELECT / SELECT_V2 reference kernel: TFLite's Select, RankOneSelect and
 * BroadcastSelect in one walk (see select.h). Values are copied, never
 * converted, so every type is exact; a condition byte is true when nonzero. */
#include <string.h>

#include "ops/select/select.h"

#define ROW(T)                                                                                     \
    do {                                                                                           \
        const T *xs = (const T *)x + xo, *ys = (const T *)y + yo;                                  \
        T *os = (T *)out + oo;                                                                     \
        for (size_t i = 0; i < n; ++i)                                                             \
            os[i] = cond[co + i * sc] ? xs[i * sx] : ys[i * sy];                                   \
    } while (0)

void tfl_select__ref(const tfl_select_params *p, const uint8_t *cond, const void *x, const void *y,
                     void *out, size_t start, size_t end)
{
    const int last = p->ndim - 1;
    const size_t n = (size_t)p->dims[last];
    const size_t sc = p->cond_stride[last], sx = p->x_stride[last], sy = p->y_stride[last];
    for (size_t row = start; row < end; ++row) {
        /* The row's offset in each operand, from its coordinates. */
        size_t co = 0, xo = 0, yo = 0, rest = row;
        for (int d = last - 1; d >= 0; --d) {
            const size_t c = rest % (size_t)p->dims[d];
            rest /= (size_t)p->dims[d];
            co += c * p->cond_stride[d];
            xo += c * p->x_stride[d];
            yo += c * p->y_stride[d];
        }
        const size_t oo = row * n;
        switch (p->elem_size) {
        case 1: ROW(uint8_t); break;
        case 2: ROW(uint16_t); break;
        case 4: ROW(uint32_t); break;
        default: ROW(uint64_t); break;
        }
    }
}
