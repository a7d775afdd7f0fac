/* Densifying sparse constants, as TFLite's FormatConverter::SparseToDense:
 * the levels are walked in traversal order, a dense level enumerating its
 * dense_size positions, a CSR level the indices its segments give for the
 * parent position; at the last level the original index is rebuilt (block
 * levels multiply into their dimension) and the next stored value written
 * there. Every array, index and count is checked against the shape. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "model/sparse.h"

#define MAX_LEVELS (2 * TFL_MAX_DIMS)

enum { DIM_DENSE = 0, DIM_SPARSE_CSR = 1 };

/* One SparseIndexVector: int32, uint16 or uint8 values. */
typedef struct index_vec {
    tfl__fb_vec v;
    int kind; /* 1 int32, 2 uint16, 3 uint8 */
} index_vec;

typedef struct level_meta {
    int format;
    int32_t dense_size;
    index_vec segments, indices;
} level_meta;

typedef struct walk {
    int orig_rank, levels;
    int32_t traversal[MAX_LEVELS];
    int32_t block_map[TFL_MAX_DIMS];
    int32_t block_size[TFL_MAX_DIMS];
    const int32_t *dims;
    level_meta lv[MAX_LEVELS];
    const uint8_t *values;
    size_t n_values, next, esize;
    uint8_t *dense;
    size_t dense_count;
    int32_t idx[MAX_LEVELS];
    char *why;
    size_t why_size;
    bool failed;
} walk;

static int fail(walk *w, const char *fmt, ...)
{
    if (!w->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(w->why, w->why_size, fmt, ap);
        va_end(ap);
    }
    w->failed = true;
    return -1;
}

static int64_t vec_at(const index_vec *iv, uint32_t i)
{
    switch (iv->kind) {
    case 1: return tfl__fb_vec_i32(&iv->v, i);
    case 2: return (uint16_t)(tfl__fb_vec_u8(&iv->v, 2 * i) | (tfl__fb_vec_u8(&iv->v, 2 * i + 1) << 8));
    default: return tfl__fb_vec_u8(&iv->v, i);
    }
}

/* The union's table: a `values` vector (field 0) of the kind's width. */
static int read_index_vec(walk *w, const tfl__fb_table *dm, int type_field, int field,
                          index_vec *out, const char *what, int at)
{
    const int kind = tfl__fb_u8(dm, type_field, 0);
    tfl__fb_table t;
    if (kind < 1 || kind > 3 || tfl__fb_table_field(dm, field, &t) <= 0)
        return fail(w, "sparse level %d has no %s array", at, what);
    const size_t width = kind == 1 ? 4 : kind == 2 ? 2 : 1;
    if (tfl__fb_vec_field(&t, 0, width, &out->v) <= 0)
        return fail(w, "sparse level %d: %s values are missing", at, what);
    out->kind = kind;
    return 0;
}

static int read_vec_i32(walk *w, const tfl__fb_table *sp, int field, int32_t *out, int max,
                        int *count, const char *what)
{
    tfl__fb_vec v;
    int r = tfl__fb_vec_field(sp, field, 4, &v);
    if (r < 0)
        return fail(w, "sparsity %s is corrupt", what);
    if (r == 0) {
        *count = 0;
        return 0;
    }
    if (v.count > (uint32_t)max)
        return fail(w, "sparsity %s has %u entries (at most %d)", what, v.count, max);
    for (uint32_t i = 0; i < v.count; ++i)
        out[i] = tfl__fb_vec_i32(&v, i);
    *count = (int)v.count;
    return 0;
}

static int setup(walk *w, const tfl__fb_table *sp)
{
    int nt = 0, nb = 0;
    if (read_vec_i32(w, sp, 0, w->traversal, MAX_LEVELS, &nt, "traversal_order") < 0 ||
        read_vec_i32(w, sp, 1, w->block_map, TFL_MAX_DIMS, &nb, "block_map") < 0)
        return -1;
    if (nt != w->orig_rank + nb)
        return fail(w, "traversal order has %d levels, expected %d (rank %d, %d blocks)", nt,
                    w->orig_rank + nb, w->orig_rank, nb);
    w->levels = nt;
    bool seen[MAX_LEVELS] = {false};
    for (int i = 0; i < nt; ++i) {
        if (w->traversal[i] < 0 || w->traversal[i] >= nt || seen[w->traversal[i]])
            return fail(w, "traversal order is not a permutation of 0..%d", nt - 1);
        seen[w->traversal[i]] = true;
        /* The original dimensions come first, their blocks after (TFLite
         * indexes the dense shape with the first rank entries). */
        if ((i < w->orig_rank) != (w->traversal[i] < w->orig_rank))
            return fail(w, "traversal order must list the %d dimensions before their blocks",
                        w->orig_rank);
    }
    for (int i = 0; i < nb; ++i)
        if (w->block_map[i] < 0 || w->block_map[i] >= w->orig_rank ||
            (i > 0 && w->block_map[i] <= w->block_map[i - 1]))
            return fail(w, "block map entry %d names dimension %d of %d (or is out of order)", i, w->block_map[i],
                        w->orig_rank);
    tfl__fb_vec dm;
    if (tfl__fb_vec_field(sp, 2, 4, &dm) <= 0 || dm.count != (uint32_t)nt)
        return fail(w, "sparsity needs %d dim_metadata entries", nt);
    for (int i = 0; i < nt; ++i) {
        tfl__fb_table t;
        if (tfl__fb_vec_table(&dm, (uint32_t)i, &t) < 0)
            return fail(w, "dim_metadata %d is corrupt", i);
        level_meta *l = &w->lv[i];
        l->format = tfl__fb_i8(&t, 0, DIM_DENSE);
        l->dense_size = tfl__fb_i32(&t, 1, 0);
        if (l->format == DIM_DENSE) {
            if (l->dense_size < 0)
                return fail(w, "dense level %d has size %d", i, (int)l->dense_size);
        } else if (l->format == DIM_SPARSE_CSR) {
            if (read_index_vec(w, &t, 2, 3, &l->segments, "segments", i) < 0 ||
                read_index_vec(w, &t, 4, 5, &l->indices, "indices", i) < 0)
                return -1;
        } else {
            return fail(w, "level %d has unknown format %d", i, l->format);
        }
    }
    /* Block levels are dense, and their sizes divide their dimension. */
    int32_t blocked[TFL_MAX_DIMS];
    for (int d = 0; d < w->orig_rank; ++d)
        blocked[d] = w->dims[d];
    for (int b = 0; b < nb; ++b) {
        /* As TFLite's FormatConverter: block b's size is on the level the
         * traversal order names at position rank + b (the inverse
         * permutation for the block-level orders real converters write). */
        const level_meta *l = &w->lv[w->traversal[w->orig_rank + b]];
        const int d = w->block_map[b];
        if (l->format != DIM_DENSE || l->dense_size <= 0 || blocked[d] % l->dense_size != 0)
            return fail(w, "block %d (size %d) does not divide dimension %d (%d)", b,
                        (int)l->dense_size, d, (int)w->dims[d]);
        w->block_size[b] = l->dense_size;
        blocked[d] /= l->dense_size;
    }
    /* A dense level's size is its (blocked) dimension's. */
    for (int i = 0; i < nt; ++i) {
        const int t = w->traversal[i];
        const int32_t size = t < w->orig_rank ? blocked[t] : w->block_size[t - w->orig_rank];
        if (w->lv[i].format == DIM_DENSE && w->lv[i].dense_size != size)
            return fail(w, "dense level %d has size %d, its dimension %d", i,
                        (int)w->lv[i].dense_size, (int)size);
        w->lv[i].dense_size = size; /* bound for CSR indices too */
    }
    return 0;
}

static void store(walk *w)
{
    int64_t orig[TFL_MAX_DIMS] = {0};
    int i = 0;
    for (; i < w->orig_rank; ++i)
        orig[w->traversal[i]] = w->idx[i];
    for (; i < w->levels; ++i) {
        const int b = w->traversal[i] - w->orig_rank;
        const int d = w->block_map[b];
        orig[d] = orig[d] * w->block_size[b] + w->idx[i];
    }
    size_t flat = 0;
    for (int d = 0; d < w->orig_rank; ++d) {
        if (orig[d] < 0 || orig[d] >= w->dims[d]) {
            fail(w, "a sparse element lands outside dimension %d", d);
            return;
        }
        flat = flat * (size_t)w->dims[d] + (size_t)orig[d];
    }
    if (w->next >= w->n_values) {
        fail(w, "the sparse structure needs more than the %zu stored values", w->n_values);
        return;
    }
    memcpy(w->dense + flat * w->esize, w->values + w->next * w->esize, w->esize);
    ++w->next;
}

static void populate(walk *w, int depth, int64_t prev)
{
    if (w->failed)
        return;
    if (depth == w->levels) {
        store(w);
        return;
    }
    const level_meta *l = &w->lv[depth];
    if (l->format == DIM_DENSE) {
        for (int32_t i = 0; i < l->dense_size && !w->failed; ++i) {
            w->idx[depth] = i;
            populate(w, depth + 1, prev * l->dense_size + i);
        }
        return;
    }
    /* TFLite skips a parent position its segments do not reach. */
    if (prev < 0 || prev + 1 >= (int64_t)l->segments.v.count)
        return;
    const int64_t begin = vec_at(&l->segments, (uint32_t)prev);
    const int64_t end = vec_at(&l->segments, (uint32_t)prev + 1);
    if (begin < 0 || end < begin || end > (int64_t)l->indices.v.count) {
        fail(w, "sparse level %d: segment [%lld, %lld) is out of order or past the %u indices",
             depth, (long long)begin, (long long)end, l->indices.v.count);
        return;
    }
    for (int64_t i = begin; i < end && !w->failed; ++i) {
        const int64_t index = vec_at(&l->indices, (uint32_t)i);
        if (index < 0 || index >= l->dense_size) {
            fail(w, "sparse level %d: index %lld is outside [0, %d)", depth, (long long)index,
                 (int)l->dense_size);
            return;
        }
        w->idx[depth] = (int32_t)index;
        populate(w, depth + 1, i);
    }
}

int tfl__sparse_densify(const tfl__fb_table *sp, const int32_t *dims, int ndim,
                        const uint8_t *values, size_t n_values, size_t esize, uint8_t *dense,
                        char *why, size_t why_size)
{
    walk w;
    memset(&w, 0, sizeof w);
    w.orig_rank = ndim;
    w.dims = dims;
    w.values = values;
    w.n_values = n_values;
    w.esize = esize;
    w.dense = dense;
    w.why = why;
    w.why_size = why_size;
    w.dense_count = 1;
    for (int d = 0; d < ndim; ++d)
        w.dense_count *= (size_t)dims[d];
    memset(dense, 0, w.dense_count * esize);
    if (setup(&w, sp) < 0)
        return -1;
    populate(&w, 0, 0);
    return w.failed ? -1 : 0;
}
