/* STRIDED_SLICE (builtin 45): begin/end/strides int32 vectors with
 * begin/end/ellipsis/new_axis/shrink_axis masks and the offset option,
 * following TFLite's strided_slice.cc (BuildStridedSliceParams: ellipsis
 * and new axes are folded into an effective input shape and masks) and the
 * StartForAxis / EndForAxis clamping of reference/strided_slice.h. Computed
 * begin/end/strides make the output sized at eval. */
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"
#include "ops/shape_common.h"
#include "ops/strided_slice/strided_slice.h"

/* StridedSliceOptions fields (schema order). */
enum {
    F_BEGIN_MASK = 0,
    F_END_MASK = 1,
    F_ELLIPSIS_MASK = 2,
    F_NEW_AXIS_MASK = 3,
    F_SHRINK_AXIS_MASK = 4,
    F_OFFSET = 5
};

/* Best first: a kernel serves element size `esize` (0: any); the reference
 * kernel is last and always usable. */
static const struct {
    size_t esize;
    tfl_strided_slice_fn fn;
} kernels[] = {
    {0, tfl_strided_slice_any__ref},
};

static tfl_strided_slice_fn pick_kernel(size_t esize)
{
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; ++i)
        if (kernels[i].esize == 0 || kernels[i].esize == esize)
            return kernels[i].fn;
    return tfl_strided_slice_any__ref;
}

typedef struct ss_data {
    uint32_t begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask;
    bool offset;
    tfl_strided_slice_params p;
} ss_data;

static tfl_status ss_init(tfl__ctx *ctx, tfl__node *node)
{
    ss_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    const tfl__fb_table *o = &node->options;
    d->begin_mask = (uint32_t)tfl__fb_i32(o, F_BEGIN_MASK, 0);
    d->end_mask = (uint32_t)tfl__fb_i32(o, F_END_MASK, 0);
    d->ellipsis_mask = (uint32_t)tfl__fb_i32(o, F_ELLIPSIS_MASK, 0);
    d->new_axis_mask = (uint32_t)tfl__fb_i32(o, F_NEW_AXIS_MASK, 0);
    d->shrink_axis_mask = (uint32_t)tfl__fb_i32(o, F_SHRINK_AXIS_MASK, 0);
    d->offset = tfl__fb_u8(o, F_OFFSET, 0) != 0;
    return TFL_OK;
}

static void ss_free(void *data)
{
    free(data);
}

static bool bit(uint32_t mask, int i)
{
    return i >= 0 && i < 32 && (mask >> i) & 1u;
}

static bool shape_known(tfl__ctx *ctx, const tfl__node *node)
{
    return tfl__is_const(tfl__input(ctx, node, 1)) && tfl__is_const(tfl__input(ctx, node, 2)) &&
           tfl__is_const(tfl__input(ctx, node, 3));
}

/* One axis of the effective (ellipsis- and new-axis-expanded) slice. */
typedef struct ss_axis {
    int32_t size; /* effective input dimension */
    int64_t begin, end;
    int32_t stride;
    bool begin_mask, end_mask, shrink;
    int orig; /* index into begin/end/strides, -1 when synthesized */
} ss_axis;

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* TFLite's StartForAxis (DynamicStridedSliceParams). */
static int64_t start_for_axis(const ss_axis *a)
{
    int64_t start = a->begin;
    if (start < 0)
        start += a->size;
    start = a->stride > 0 ? clamp64(start, 0, a->size) : clamp64(start, -1, (int64_t)a->size - 1);
    if (a->begin_mask)
        start = a->stride > 0 ? 0 : (int64_t)a->size - 1;
    return start;
}

/* TFLite's EndForAxis. */
static int64_t end_for_axis(const ss_axis *a, int64_t start, bool offset)
{
    if (a->shrink)
        return start >= a->size ? start : start + 1;
    int64_t end = a->end;
    if (offset)
        end += start;
    if (end < 0)
        end += a->size;
    end = a->stride > 0 ? clamp64(end, 0, a->size) : clamp64(end, -1, (int64_t)a->size - 1);
    if (a->end_mask)
        end = a->stride > 0 ? a->size : -1;
    return end;
}

/* Builds the effective axes as BuildStridedSliceParams does, checking every
 * index it uses (TFLite trusts the masks). Returns the effective rank or -1. */
static int build_axes(const ss_data *d, const tfl_tensor *in, const tfl_tensor *begin,
                      const tfl_tensor *end, const tfl_tensor *strides, ss_axis *ax)
{
    const int count = begin->dims[0];
    int num_add_axis = 0;
    for (int i = 0; i < count; ++i)
        if (!bit(d->ellipsis_mask, i) && bit(d->new_axis_mask, i))
            ++num_add_axis;
    const int eff = in->ndim + num_add_axis;
    if (eff > TFL_MAX_DIMS)
        return -1;

    /* Which effective axes the ellipsis covers and which are new. */
    uint32_t eff_ellipsis = 0, eff_new_axis = 0;
    int ellipsis_start = eff, expanded = 0;
    for (int i = 0; i < eff;) {
        if (bit(d->ellipsis_mask, i)) {
            ellipsis_start = i;
            int stop = i + 1 + num_add_axis + in->ndim - count;
            if (stop > eff)
                stop = eff;
            if (stop < i + 1)
                stop = i + 1;
            expanded = stop - ellipsis_start - 1;
            for (; i < stop; ++i)
                eff_ellipsis |= 1u << i;
            continue;
        }
        if (bit(d->new_axis_mask, i - expanded))
            eff_new_axis |= 1u << i;
        ++i;
    }

    int added_ellipsis = 0, added_axes = 0;
    for (int i = 0; i < eff; ++i) {
        ss_axis *a = &ax[i];
        memset(a, 0, sizeof *a);
        a->stride = 1;
        a->orig = -1;
        int src = i - added_axes; /* input dimension behind effective axis i */
        if (bit(eff_ellipsis, i)) {
            added_ellipsis = i - ellipsis_start > 0 ? i - ellipsis_start : 0;
            a->begin_mask = a->end_mask = true;
        } else if (bit(eff_new_axis, i)) {
            a->size = 1;
            a->end = 1;
            ++added_axes;
            continue;
        } else if (i >= count + expanded) {
            a->begin_mask = a->end_mask = true;
        } else {
            const int o = i - added_ellipsis;
            if (o < 0 || o >= count)
                return -1;
            a->orig = o;
            a->begin = tfl__int_at(begin, (size_t)o);
            a->end = tfl__int_at(end, (size_t)o);
            a->stride = (int32_t)tfl__int_at(strides, (size_t)o);
            a->begin_mask = bit(d->begin_mask, o);
            a->end_mask = bit(d->end_mask, o);
            a->shrink = bit(d->shrink_axis_mask, o);
        }
        if (src < 0 || src >= in->ndim)
            return -1;
        a->size = in->dims[src];
    }
    return eff;
}

/* Computes the walk and the output shape, and resizes the output. */
static tfl_status plan(tfl__ctx *ctx, tfl__node *node)
{
    ss_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *begin = tfl__input(ctx, node, 1);
    const tfl_tensor *end = tfl__input(ctx, node, 2);
    const tfl_tensor *strides = tfl__input(ctx, node, 3);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    tfl_status bad = shape_known(ctx, node) ? TFL_ERROR_BAD_MODEL : TFL_ERROR_RUNTIME;
    ss_axis ax[TFL_MAX_DIMS];
    char b[64];
    const int eff = build_axes(d, in, begin, end, strides, ax);
    if (eff < 0)
        return tfl__op_fail(
            ctx, node, TFL_ERROR_BAD_MODEL,
            "masks (ellipsis 0x%x, new_axis 0x%x) and %d indices do not fit input %s",
            (unsigned)d->ellipsis_mask, (unsigned)d->new_axis_mask, (int)begin->dims[0],
            tfl__describe(in, b, sizeof b));

    tfl_strided_slice_params *p = &d->p;
    int64_t in_stride[TFL_MAX_DIMS];
    for (int k = eff - 1; k >= 0; --k)
        in_stride[k] = k == eff - 1 ? 1 : in_stride[k + 1] * ax[k + 1].size;
    int32_t dims[TFL_MAX_DIMS];
    int out_rank = 0;
    p->base = 0;
    for (int k = 0; k < eff; ++k) {
        const ss_axis *a = &ax[k];
        if (a->stride == 0)
            return tfl__op_fail(ctx, node, bad, "stride of axis %d is 0", k);
        if (!a->shrink && a->stride == INT32_MIN)
            return tfl__op_fail(ctx, node, bad, "stride of axis %d is INT32_MIN", k);
        const int64_t s0 = start_for_axis(a), s1 = end_for_axis(a, s0, d->offset);
        /* Elements the loop `for (i = s0; stride > 0 ? i < s1 : i > s1; i += stride)`
         * visits, which is what TFLite writes. */
        int64_t n = 0;
        if (a->stride > 0 && s1 > s0)
            n = (s1 - s0 + a->stride - 1) / a->stride;
        else if (a->stride < 0 && s0 > s1)
            n = (s0 - s1 - (int64_t)a->stride - 1) / -(int64_t)a->stride;
        if (a->shrink) {
            /* TFLite writes nothing for these (the element stays
             * uninitialized); refuse them. */
            if (n != 1 && a->stride < 0)
                return tfl__op_fail(ctx, node, bad,
                                    "shrunk axis %d has negative stride %d, which TFLite does not "
                                    "support",
                                    k, (int)a->stride);
            if (n != 1)
                return tfl__op_fail(ctx, node, bad,
                                    "shrunk axis %d: index %lld is out of range for size %d", k,
                                    (long long)a->begin, (int)a->size);
        } else {
            /* With offset, TFLite sizes the output from end (the slice size)
             * without clamping; refuse what it would leave unwritten. */
            if (d->offset && a->orig >= 0) {
                int64_t want = tfl__int_at(end, (size_t)a->orig);
                if ((want < 0) != (a->stride < 0) || want == 0)
                    want = 0;
                else if (a->stride < 0)
                    want = (want + 1) / a->stride + 1;
                else
                    want = (want - 1) / a->stride + 1;
                if (want != n)
                    return tfl__op_fail(ctx, node, bad,
                                        "slice of axis %d (begin %lld, size %lld) exceeds the "
                                        "input dimension %d",
                                        k, (long long)a->begin,
                                        (long long)tfl__int_at(end, (size_t)a->orig), (int)a->size);
            }
            if (n > INT32_MAX)
                return tfl__op_fail(ctx, node, bad, "output dimension %d is too large", k);
            dims[out_rank++] = (int32_t)n;
        }
        p->count[k] = (int32_t)n;
        p->step[k] = (int64_t)a->stride * in_stride[k];
        if (n > 0)
            p->base += s0 * in_stride[k];
    }
    p->ndim = eff;
    if (eff == 0) {
        /* A scalar input sliced by nothing is copied. */
        p->ndim = 1;
        p->count[0] = 1;
        p->step[0] = 0;
    }
    return tfl__resize(ctx, node, out, dims, out_rank);
}

static tfl_status ss_prepare(tfl__ctx *ctx, tfl__node *node)
{
    ss_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 4, 4, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *begin = tfl__input(ctx, node, 1);
    const tfl_tensor *end = tfl__input(ctx, node, 2);
    const tfl_tensor *strides = tfl__input(ctx, node, 3);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, begin, "begin", 1u << TFL_INT32)) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, end, "end", 1u << TFL_INT32)) != TFL_OK ||
        (s = tfl__check_index_tensor(ctx, node, strides, "strides", 1u << TFL_INT32)) != TFL_OK)
        return s;
    char b1[64], b2[64], b3[64];
    if (begin->ndim != 1 || end->ndim != 1 || strides->ndim != 1 ||
        end->dims[0] != begin->dims[0] || strides->dims[0] != begin->dims[0])
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "begin %s, end %s and strides %s must be vectors of one length",
                            tfl__describe(begin, b1, sizeof b1), tfl__describe(end, b2, sizeof b2),
                            tfl__describe(strides, b3, sizeof b3));
    if (begin->dims[0] > 31)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%d indices, at most 31 supported",
                            (int)begin->dims[0]);
    d->p.esize = tfl_type_size(in->type);
    if (!shape_known(ctx, node)) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return plan(ctx, node);
}

typedef struct ss_job {
    const tfl_strided_slice_params *p;
    const void *in;
    void *out;
    tfl_strided_slice_fn fn;
} ss_job;

static void ss_rows(void *arg, size_t start, size_t end, int worker)
{
    const ss_job *j = arg;
    (void)worker;
    j->fn(j->p, j->in, j->out, start, end);
}

void tfl__strided_slice_run(tfl__ctx *ctx, const tfl_strided_slice_params *p, const void *input,
                            void *output)
{
    size_t rows = 1;
    for (int k = 0; k < p->ndim - 1; ++k)
        rows *= (size_t)p->count[k];
    ss_job j = {p, input, output, pick_kernel(p->esize)};
    tfl__parallel_for(ctx, rows, tfl__rows_per_chunk((size_t)p->count[p->ndim - 1] * p->esize),
                      ss_rows, &j);
}

static tfl_status ss_eval(tfl__ctx *ctx, tfl__node *node)
{
    ss_data *d = node->data;
    tfl_status s;
    if (!shape_known(ctx, node) && (s = plan(ctx, node)) != TFL_OK)
        return s;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (out->bytes > 0)
        tfl__strided_slice_run(ctx, &d->p, tfl__input(ctx, node, 0)->data, out->data);
    return TFL_OK;
}

const tfl__op tfl__op_strided_slice = {
    .builtin_code = 45,
    .min_version = 1,
    .max_version = 8,
    .init = ss_init,
    .prepare = ss_prepare,
    .eval = ss_eval,
    .free = ss_free,
};
