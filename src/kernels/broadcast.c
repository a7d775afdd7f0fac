/* Broadcast shapes and loop plans for binary elementwise ops. */
#include "kernels/broadcast.h"

bool tfl__bcast_shape(const int32_t *a, int an, const int32_t *b, int bn, int32_t *out, int *on)
{
    int n = an > bn ? an : bn;
    for (int i = 0; i < n; ++i) {
        int32_t da = i < an ? a[an - 1 - i] : 1;
        int32_t db = i < bn ? b[bn - 1 - i] : 1;
        if (da != db && da != 1 && db != 1)
            return false;
        out[n - 1 - i] = (da == 0 || db == 0) ? 0 : (da > db ? da : db);
    }
    *on = n;
    return true;
}

void tfl__bcast_plan(tfl__bcast *p, const int32_t *a, int an, const int32_t *b, int bn)
{
    /* Loops innermost first while building; each has an extent and the step
     * of a and b per iteration (0 where that input is broadcast). */
    size_t ext[TFL_MAX_DIMS], sa[TFL_MAX_DIMS], sb[TFL_MAX_DIMS];
    int nl = 0;
    size_t acc_a = 1, acc_b = 1, total = 1;
    int n = an > bn ? an : bn;
    for (int i = 0; i < n; ++i) {
        size_t da = (size_t)(i < an ? a[an - 1 - i] : 1);
        size_t db = (size_t)(i < bn ? b[bn - 1 - i] : 1);
        size_t dout = (da == 0 || db == 0) ? 0 : (da > db ? da : db);
        total *= dout;
        if (dout == 1)
            continue;
        size_t step_a = da == 1 ? 0 : acc_a;
        size_t step_b = db == 1 ? 0 : acc_b;
        /* Merge with the loop inside when both inputs continue it: either
         * contiguously or by staying broadcast (0 == 0 * extent). */
        if (nl > 0 && step_a == sa[nl - 1] * ext[nl - 1] && step_b == sb[nl - 1] * ext[nl - 1]) {
            ext[nl - 1] *= dout;
        } else {
            ext[nl] = dout;
            sa[nl] = step_a;
            sb[nl] = step_b;
            ++nl;
        }
        acc_a *= da;
        acc_b *= db;
    }
    p->total = total;
    if (nl == 0) {
        /* Every dimension is 1: one element. */
        p->inner = 1;
        p->a_step = p->b_step = 0;
        p->nloops = 0;
        return;
    }
    /* The innermost loop has unit steps (or 0): dimensions inside it are 1. */
    p->inner = ext[0];
    p->a_step = sa[0] ? 1 : 0;
    p->b_step = sb[0] ? 1 : 0;
    p->nloops = nl - 1;
    for (int i = 1; i < nl; ++i) {
        int o = nl - 1 - i; /* outermost first */
        p->extent[o] = ext[i];
        p->a_stride[o] = sa[i];
        p->b_stride[o] = sb[i];
    }
}

void tfl__bcast_range(const tfl__bcast *p, tfl__binary_fn fn, const void *params, const void *a,
                      const void *b, void *out, size_t in_size, size_t out_size, size_t start,
                      size_t end)
{
    if (start >= end || p->inner == 0)
        return;
    const uint8_t *pa = a, *pb = b;
    uint8_t *po = out;
    size_t row = start / p->inner, col = start % p->inner;
    size_t pos = start;
    while (pos < end) {
        /* Offsets of this run's first element in a and b. */
        size_t oa = 0, ob = 0, r = row;
        for (int l = p->nloops - 1; l >= 0; --l) {
            size_t k = r % p->extent[l];
            r /= p->extent[l];
            oa += k * p->a_stride[l];
            ob += k * p->b_stride[l];
        }
        oa += col * (size_t)p->a_step;
        ob += col * (size_t)p->b_step;
        size_t n = p->inner - col;
        if (n > end - pos)
            n = end - pos;
        fn(params, pa + oa * in_size, p->a_step, pb + ob * in_size, p->b_step, po + pos * out_size,
           n);
        pos += n;
        ++row;
        col = 0;
    }
}
