/* See binary_lut8.h. */
#include "ops/binary_lut8.h"

#include "core/tensor.h"

/* Below this many output elements per table entry the ordinary kernels
 * win: building the tables is period * 256 elements of the kernel's work,
 * and a lookup costs a fraction of an element. */
#define MIN_OUTPUT_PER_ENTRY 4
/* Lookups below this many elements stay on one thread. */
#define MIN_CHUNK 32768

static bool is_byte_type(tfl_type t) { return t == TFL_UINT8 || t == TFL_INT8; }

/* True when `small`'s elements repeat with period = its element count along
 * the flat output: right-aligned against the output, every dimension from
 * its first one above 1 onwards equals the output's. */
static bool repeats_along_output(const tfl_tensor *small, const tfl_tensor *out, int *span)
{
    if (small->ndim > out->ndim)
        return false;
    const int shift = out->ndim - small->ndim;
    int first = small->ndim;
    for (int d = 0; d < small->ndim; ++d)
        if (small->dims[d] != 1) {
            first = d;
            break;
        }
    for (int d = first; d < small->ndim; ++d)
        if (small->dims[d] != out->dims[d + shift])
            return false;
    *span = small->ndim - first; /* trailing output dimensions it covers */
    return true;
}

/* True when `large` is the output with its last `span` dimensions
 * broadcast (size 1 there, the output's size elsewhere): each of its
 * elements then meets the whole small operand, one period of the output. */
static bool constant_along_span(const tfl_tensor *large, const tfl_tensor *out, int span)
{
    const int shift = out->ndim - large->ndim;
    if (shift < 0)
        return false;
    for (int d = 0; d < out->ndim; ++d) {
        const int32_t ld = d >= shift ? large->dims[d - shift] : 1;
        const bool in_span = d >= out->ndim - span;
        if (in_span ? ld != 1 : ld != out->dims[d])
            return false;
    }
    return true;
}

/* One 256-entry table per element of the small operand: the op's own
 * kernel run on every byte value against that element. */
static void fill_tables(tfl__lut8_binary *l, tfl__binary_fn fn, const void *params,
                        const tfl_tensor *a, const tfl_tensor *b)
{
    uint8_t every_byte[256];
    for (int v = 0; v < 256; ++v)
        every_byte[v] = (uint8_t)v;
    const uint8_t *small = l->a_is_small ? a->data : b->data;
    for (uint32_t p = 0; p < l->period; ++p) {
        uint8_t *t = l->tables + (size_t)p * 256;
        if (l->a_is_small)
            fn(params, small + p, 0, every_byte, 1, t, 256);
        else
            fn(params, every_byte, 1, small + p, 0, t, 256);
    }
}

void tfl__lut8_binary_prepare(const tfl__ctx *ctx, tfl__lut8_binary *l, tfl__binary_fn fn,
                              const void *params, const tfl_tensor *a, const tfl_tensor *b,
                              const tfl_tensor *out)
{
    l->active = false;
    if (!is_byte_type(a->type) || !is_byte_type(b->type) || !is_byte_type(out->type))
        return;
    const size_t na = tfl__num_elements(a), nb = tfl__num_elements(b);
    const size_t total = tfl__num_elements(out);
    const bool a_small = na < nb;
    const tfl_tensor *small = a_small ? a : b, *large_t = a_small ? b : a;
    const size_t period = a_small ? na : nb, large = a_small ? nb : na;
    int span = 0;
    if (period == 0 || period > TFL__LUT8_MAX_PERIOD ||
        total < period * 256 * MIN_OUTPUT_PER_ENTRY || !repeats_along_output(small, out, &span))
        return;
    if (large == total)
        l->outer = false;
    else if (large * period == total && constant_along_span(large_t, out, span))
        l->outer = true;
    else
        return;
    l->active = true;
    l->a_is_small = a_small;
    l->period = (uint32_t)period;
    l->map = tfl__lut8_map_pick(ctx);
    l->map_periodic = tfl__lut8_map_periodic_pick(ctx);
    l->tables_fixed = tfl__is_const(small);
    if (l->tables_fixed)
        fill_tables(l, fn, params, a, b);
}

typedef struct lookup_job {
    const uint8_t *tables;
    const uint8_t *in;
    uint8_t *out;
    uint32_t period;
    bool outer; /* in[i / period] rather than in[i] */
    tfl__lut8_map_fn map;
    tfl__lut8_map_periodic_fn map_periodic;
} lookup_job;

static void lookup_range(void *arg, size_t start, size_t end, int worker)
{
    (void)worker;
    const lookup_job *j = arg;
    /* Locals, not j->...: stores through the byte pointer `out` may alias
     * anything, so the compiler would reload the job's fields per byte. */
    const uint8_t *const in = j->in, *const tables = j->tables;
    uint8_t *const out = j->out;
    const size_t period = j->period;
    if (period == 1) {
        j->map(tables, in + start, out + start, end - start);
        return;
    }
    size_t phase = start % period;
    if (j->outer) {
        size_t r = start / period;
        for (size_t i = start; i < end; ++i) {
            out[i] = tables[phase * 256 + in[r]];
            if (++phase == period) {
                phase = 0;
                ++r;
            }
        }
        return;
    }
    if (period <= TFL__LUT8_PERIODIC_MAX) {
        j->map_periodic(tables, (unsigned)period, (unsigned)phase, in + start, out + start,
                        end - start);
        return;
    }
    for (size_t i = start; i < end; ++i) {
        out[i] = tables[phase * 256 + in[i]];
        if (++phase == period)
            phase = 0;
    }
}

bool tfl__lut8_binary_run(tfl__ctx *ctx, tfl__lut8_binary *l, tfl__binary_fn fn,
                          const void *params, const tfl_tensor *a, const tfl_tensor *b,
                          tfl_tensor *out)
{
    if (!l->active)
        return false;
    if (!l->tables_fixed)
        fill_tables(l, fn, params, a, b);
    lookup_job j = {l->tables, l->a_is_small ? b->data : a->data, out->data, l->period, l->outer,
                    l->map,   l->map_periodic};
    tfl__parallel_for(ctx, tfl__num_elements(out), MIN_CHUNK, lookup_range, &j);
    return true;
}
