/* ARG_MAX (builtin 56) and ARG_MIN (builtin 79): ArgMaxOptions /
 * ArgMinOptions (output_type), the axis (at prepare when constant, else at
 * eval) and the output shape; eval runs the kernel over outer rows. */
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "ops/arg_min_max/arg_min_max.h"
#include "ops/op.h"

/* ArgMaxOptions / ArgMinOptions fields (schema order). */
enum { F_OUTPUT_TYPE = 0 };

#define REF(kind, fn) {#fn, kind, TFL__ISA_REF, 0, NULL, NULL, NULL, NULL, (tfl__kernel_fn)fn, 0}
#define AVX512_FEATURES (TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW)

/* Best first per input type; the reference record is last. */
const tfl__kernel tfl__arg_min_max_kernels[] = {
#if TFL__X86_SIMD
    {"tfl_arg_min_max_u8__avx512", TFL_UINT8, TFL__ISA_AVX512, AVX512_FEATURES, NULL, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_arg_min_max_u8__avx512, 0},
    {"tfl_arg_min_max_s8__avx512", TFL_INT8, TFL__ISA_AVX512, AVX512_FEATURES, NULL, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_arg_min_max_s8__avx512, 0},
#endif
    REF(TFL_FLOAT32, tfl_arg_min_max_f32__ref),
    REF(TFL_UINT8, tfl_arg_min_max_u8__ref),
    REF(TFL_INT8, tfl_arg_min_max_s8__ref),
    REF(TFL_INT16, tfl_arg_min_max_s16__ref),
    REF(TFL_INT32, tfl_arg_min_max_s32__ref),
    REF(TFL_BOOL, tfl_arg_min_max_b8__ref),
};
const size_t tfl__arg_min_max_num_kernels =
    sizeof tfl__arg_min_max_kernels / sizeof tfl__arg_min_max_kernels[0];

typedef struct arg_data {
    int output_type; /* TensorType from the options; -1 = no options table */
    bool dynamic;    /* axis known only at eval */
    tfl_arg_min_max_params p;
    tfl_arg_min_max_fn fn;
} arg_data;

static tfl_status arg_init(tfl__ctx *ctx, tfl__node *node, bool is_max)
{
    arg_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->p.is_max = is_max;
    /* The schema default of output_type is FLOAT32, which TFLite rejects. */
    d->output_type = node->options.buf ? tfl__fb_i8(&node->options, F_OUTPUT_TYPE, 0) : -1;
    if (d->output_type >= 0 && d->output_type != TFL_INT32 && d->output_type != TFL_INT64)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output_type %s not supported (expected int32 or int64)",
                            tfl_type_name((tfl_type)d->output_type));
    return TFL_OK;
}

static tfl_status arg_max_init(tfl__ctx *ctx, tfl__node *node)
{
    return arg_init(ctx, node, true);
}

static tfl_status arg_min_init(tfl__ctx *ctx, tfl__node *node)
{
    return arg_init(ctx, node, false);
}

/* Reads and checks the axis, sets the output shape and the kernel's view.
 * `bad` is the status for a bad axis value: BAD_MODEL at prepare, RUNTIME at
 * eval. */
static tfl_status setup(tfl__ctx *ctx, tfl__node *node, arg_data *d, tfl_status bad)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    const tfl_tensor *axis = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!axis->data)
        return tfl__op_fail(ctx, node, bad, "axis tensor has no data");
    int64_t a;
    if (axis->type == TFL_INT32) {
        int32_t v;
        memcpy(&v, axis->data, sizeof v);
        a = v;
    } else {
        memcpy(&a, axis->data, sizeof a);
    }
    int64_t v = a < 0 ? a + in->ndim : a;
    if (v < 0 || v >= in->ndim)
        return tfl__op_fail(ctx, node, bad, "axis %lld is out of range for input rank %d",
                            (long long)a, in->ndim);
    int ax = (int)v;
    if (in->dims[ax] <= 0)
        return tfl__op_fail(ctx, node, bad, "cannot reduce over the empty axis %d", ax);
    int32_t dims[TFL_MAX_DIMS];
    int odim = 0;
    d->p.outer = d->p.inner = 1;
    for (int i = 0; i < in->ndim; ++i) {
        if (i == ax)
            continue;
        dims[odim++] = in->dims[i];
        if (i < ax)
            d->p.outer *= (size_t)in->dims[i];
        else
            d->p.inner *= (size_t)in->dims[i];
    }
    d->p.axis_size = (size_t)in->dims[ax];
    return tfl__resize(ctx, node, out, dims, odim);
}

static tfl_status arg_prepare(tfl__ctx *ctx, tfl__node *node)
{
    arg_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *axis = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in || !axis)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is missing", in ? "axis" : "input");
    if (axis->type != TFL_INT32 && axis->type != TFL_INT64)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "axis type %s, expected int32 or int64",
                            tfl_type_name(axis->type));
    if (tfl__num_elements(axis) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "axis must have 1 element, got %zu",
                            tfl__num_elements(axis));
    if (in->ndim < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input must have rank >= 1");
    if (d->output_type >= 0 && (int)out->type != d->output_type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output type %s does not match output_type %s",
                            tfl_type_name(out->type), tfl_type_name((tfl_type)d->output_type));
    if (out->type != TFL_INT32 && out->type != TFL_INT64)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output type %s, expected int32 or int64", tfl_type_name(out->type));
    d->p.out64 = out->type == TFL_INT64;
    const tfl__kernel *k = tfl__kernel_pick(ctx, tfl__arg_min_max_kernels,
                                            tfl__arg_min_max_num_kernels, (int)in->type, &d->p);
    d->fn = k ? (tfl_arg_min_max_fn)k->fn : NULL;
    if (!d->fn)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input type %s not supported (expected float32, uint8, int8, int16, "
                            "int32 or bool)",
                            tfl_type_name(in->type));
    d->dynamic = !tfl__is_const(axis);
    if (d->dynamic) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return setup(ctx, node, d, TFL_ERROR_BAD_MODEL);
}

typedef struct arg_job {
    const arg_data *d;
    const void *in;
    void *out;
} arg_job;

static void arg_rows(void *arg, size_t start, size_t end, int worker)
{
    const arg_job *j = arg;
    j->d->fn(&j->d->p, j->in, j->out, start, end);
}

static tfl_status arg_eval(tfl__ctx *ctx, tfl__node *node)
{
    arg_data *d = node->data;
    if (d->dynamic) {
        tfl_status s = setup(ctx, node, d, TFL_ERROR_RUNTIME);
        if (s != TFL_OK)
            return s;
    }
    if (d->p.outer == 0 || d->p.inner == 0)
        return TFL_OK;
    arg_job j = {d, tfl__input(ctx, node, 0)->data, tfl__output(ctx, node, 0)->data};
    size_t min_chunk = 4096 / (d->p.axis_size * d->p.inner) + 1;
    tfl__parallel_for(ctx, d->p.outer, min_chunk, arg_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_arg_max = {
    .builtin_code = 56,
    .min_version = 1,
    .max_version = 3,
    .init = arg_max_init,
    .prepare = arg_prepare,
    .eval = arg_eval,
    .free = free,
};

const tfl__op tfl__op_arg_min = {
    .builtin_code = 79,
    .min_version = 1,
    .max_version = 3,
    .init = arg_min_init,
    .prepare = arg_prepare,
    .eval = arg_eval,
    .free = free,
};
