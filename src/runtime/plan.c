/* Greedy-by-size arena planning (see plan.h). For each tensor, largest first,
 * take the lowest offset that fits between already placed tensors whose
 * lifetimes overlap its own. O(n^2) in tensors, which is fine for models of
 * thousands of tensors and runs only at allocate. */
#include "runtime/plan.h"

#include <stdint.h>
#include <stdlib.h>

static size_t align_up(size_t v, size_t a) { return (v + a - 1) / a * a; }

static int by_size_desc(const void *a, const void *b, void *items_v)
{
    const tfl__plan_item *items = items_v;
    int ia = *(const int *)a, ib = *(const int *)b;
    if (items[ia].size != items[ib].size)
        return items[ia].size > items[ib].size ? -1 : 1;
    return ia - ib; /* stable: earlier tensors first on ties */
}

/* qsort has no context argument in C11; a small insertion sort keeps this
 * portable and deterministic (n is the number of activation tensors). */
static void sort_indices(int *idx, int n, tfl__plan_item *items)
{
    for (int i = 1; i < n; ++i) {
        int v = idx[i], j = i - 1;
        while (j >= 0 && by_size_desc(&idx[j], &v, items) > 0) {
            idx[j + 1] = idx[j];
            --j;
        }
        idx[j + 1] = v;
    }
}

static int cmp_offset(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : (x[0] > y[0] ? 1 : 0);
}

size_t tfl__plan(tfl__plan_item *items, int n, size_t align)
{
    if (n <= 0)
        return 0;
    int *order = malloc((size_t)n * sizeof *order);
    int *placed = malloc((size_t)n * sizeof *placed);
    size_t *spans = malloc((size_t)n * 2 * sizeof *spans);
    if (!order || !placed || !spans) {
        free(order);
        free(placed);
        free(spans);
        return (size_t)-1;
    }
    for (int i = 0; i < n; ++i)
        order[i] = i;
    sort_indices(order, n, items);
    size_t total = 0;
    int num_placed = 0;
    for (int k = 0; k < n; ++k) {
        tfl__plan_item *it = &items[order[k]];
        size_t need = align_up(it->size, align);
        /* Collect [offset, end) of placed tensors alive at the same time. */
        int ns = 0;
        for (int j = 0; j < num_placed; ++j) {
            const tfl__plan_item *o = &items[placed[j]];
            if (o->last < it->first || it->last < o->first)
                continue;
            spans[2 * ns] = o->offset;
            spans[2 * ns + 1] = o->offset + align_up(o->size, align);
            ++ns;
        }
        qsort(spans, (size_t)ns, 2 * sizeof *spans, cmp_offset);
        size_t cand = 0;
        for (int s = 0; s < ns; ++s) {
            if (spans[2 * s] >= cand + need && spans[2 * s] - cand >= need)
                break;
            if (spans[2 * s + 1] > cand)
                cand = spans[2 * s + 1];
        }
        it->offset = cand;
        if (cand + need > total)
            total = cand + need;
        placed[num_placed++] = order[k];
    }
    free(order);
    free(placed);
    free(spans);
    return total;
}
