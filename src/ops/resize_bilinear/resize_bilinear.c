/* RESIZE_BILINEAR (builtin 23): ResizeBilinearOptions, the size tensor (at
 * prepare when constant, else at eval) and the per-axis steps; eval runs
 * the kernel over output rows. As in TFLite's reference, float32 and uint8
 * interpolate with float weights, int8 and int16 with integer weights. */
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "ops/op.h"
#include "ops/resize_bilinear/resize_bilinear.h"
#include "ops/resize_bilinear/resize_common.h"

/* ResizeBilinearOptions fields (schema order; 0 and 1 are deprecated). */
enum { F_ALIGN_CORNERS = 2, F_HALF_PIXEL_CENTERS = 3 };

#define REF(kind, fn) {#fn, kind, TFL__ISA_REF, 0, NULL, NULL, NULL, NULL, (tfl__kernel_fn)fn, 0}

/* Best first per dtype; the reference record is last. */
const tfl__kernel tfl__resize_bilinear_kernels[] = {
#if TFL__X86_SIMD
    {"tfl_resize_bilinear_f32__avx2", TFL_FLOAT32, TFL__ISA_AVX2, TFL__CPU_AVX2, NULL, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_resize_bilinear_f32__avx2, 0},
    {"tfl_resize_bilinear_s8__avx512", TFL_INT8, TFL__ISA_AVX512,
     TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL, NULL, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_resize_bilinear_s8__avx512, 0},
    {"tfl_resize_bilinear_u8__avx2", TFL_UINT8, TFL__ISA_AVX2, TFL__CPU_AVX2, NULL, NULL, NULL,
     NULL, (tfl__kernel_fn)tfl_resize_bilinear_u8__avx2, 0},
#endif
    REF(TFL_FLOAT32, tfl_resize_bilinear_f32__ref),
    REF(TFL_UINT8, tfl_resize_bilinear_u8__ref),
    REF(TFL_INT8, tfl_resize_bilinear_s8__ref),
    REF(TFL_INT16, tfl_resize_bilinear_s16__ref),
};
const size_t tfl__resize_bilinear_num_kernels =
    sizeof tfl__resize_bilinear_kernels / sizeof tfl__resize_bilinear_kernels[0];

/* The integer path computes 1024 * size in int32. */
#define MAX_INTEGER_SIZE (1 << 20)

typedef struct bilinear_data {
    bool align_corners;
    bool dynamic; /* size known only at eval */
    tfl_resize_bilinear_params p;
    tfl_resize_bilinear_fn fn;
} bilinear_data;

static tfl_status bilinear_init(tfl__ctx *ctx, tfl__node *node)
{
    bilinear_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    d->align_corners = tfl__fb_u8(&node->options, F_ALIGN_CORNERS, 0) != 0;
    d->p.half_pixel_centers = tfl__fb_u8(&node->options, F_HALF_PIXEL_CENTERS, 0) != 0;
    if (d->align_corners && d->p.half_pixel_centers)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "align_corners and half_pixel_centers cannot both be set");
    return TFL_OK;
}

/* Float step in/out (or (in-1)/(out-1) with align_corners), as TFLite. */
static float step_f(bool align, int32_t in, int32_t out)
{
    if (align && out > 1)
        return (float)(in - 1) / (float)(out - 1);
    return (float)in / (float)out;
}

/* The same step in 1/1024 pixels, rounded half up. In int64: only the
 * integer path uses it, and its sizes are checked against
 * MAX_INTEGER_SIZE, but it is worked out for every type (a float image of
 * 2^30 rows would overflow int32 here); out of int32 it saturates. */
static int32_t step_10(bool align, int32_t in, int32_t out)
{
    int64_t s;
    if (align && out > 1)
        s = ((int64_t)(1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
    else
        s = ((int64_t)(1 << 10) * in + out / 2) / out;
    return s > INT32_MAX ? INT32_MAX : (int32_t)s;
}

/* Reads the size tensor, sets the output shape and the steps. `bad` is the
 * status for bad sizes: BAD_MODEL at prepare, RUNTIME at eval. */
static tfl_status setup(tfl__ctx *ctx, tfl__node *node, bilinear_data *d, tfl_status bad)
{
    const tfl_tensor *size = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    tfl_resize_bilinear_params *p = &d->p;
    if (!size->data)
        return tfl__op_fail(ctx, node, bad, "size tensor has no data");
    int32_t hw[2];
    memcpy(hw, size->data, sizeof hw);
    if (hw[0] <= 0 || hw[1] <= 0)
        return tfl__op_fail(ctx, node, bad, "output size %dx%d must be positive", (int)hw[0],
                            (int)hw[1]);
    if (out->type != TFL_FLOAT32 && out->type != TFL_UINT8 &&
        (hw[0] > MAX_INTEGER_SIZE || hw[1] > MAX_INTEGER_SIZE))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "output size %dx%d is too large for %s (at most %d)", (int)hw[0],
                            (int)hw[1], tfl_type_name(out->type), MAX_INTEGER_SIZE);
    if (out->type != TFL_FLOAT32 && out->type != TFL_UINT8 &&
        (p->in_h > MAX_INTEGER_SIZE || p->in_w > MAX_INTEGER_SIZE))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input size %dx%d is too large for %s (at most %d)", (int)p->in_h,
                            (int)p->in_w, tfl_type_name(out->type), MAX_INTEGER_SIZE);
    p->out_h = hw[0];
    p->out_w = hw[1];
    p->scale_h = step_f(d->align_corners, p->in_h, p->out_h);
    p->scale_w = step_f(d->align_corners, p->in_w, p->out_w);
    p->scale10_h = step_10(d->align_corners, p->in_h, p->out_h);
    p->scale10_w = step_10(d->align_corners, p->in_w, p->out_w);
    int32_t dims[4] = {p->batches, p->out_h, p->out_w, p->channels};
    return tfl__resize(ctx, node, out, dims, 4);
}

static tfl_status bilinear_prepare(tfl__ctx *ctx, tfl__node *node)
{
    bilinear_data *d = node->data;
    tfl_resize_bilinear_params *p = &d->p;
    tfl_status s = tfl__resize_check_operands(ctx, node);
    if (s != TFL_OK)
        return s;
    tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *size = tfl__input(ctx, node, 1);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    char b1[64];
    const tfl__kernel *k = tfl__kernel_pick(ctx, tfl__resize_bilinear_kernels,
                                            tfl__resize_bilinear_num_kernels, (int)in->type, p);
    d->fn = k ? (tfl_resize_bilinear_fn)k->fn : NULL;
    if (!d->fn)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input type %s not supported (expected float32, uint8, int8 or "
                            "int16)",
                            tfl_type_name(in->type));
    p->batches = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->channels = in->dims[3];
    if (p->batches < 0 || p->channels < 0 || p->in_h <= 0 || p->in_w <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %s has an empty image",
                            tfl__describe(in, b1, sizeof b1));
    if (in->type != TFL_FLOAT32 && in->type != TFL_UINT8 &&
        (p->in_h > MAX_INTEGER_SIZE || p->in_w > MAX_INTEGER_SIZE))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input %s is too large (at most %d pixels a side)",
                            tfl__describe(in, b1, sizeof b1), MAX_INTEGER_SIZE);
    d->dynamic = !tfl__is_const(size);
    if (d->dynamic) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return setup(ctx, node, d, TFL_ERROR_BAD_MODEL);
}

typedef struct bilinear_job {
    const bilinear_data *d;
    const void *in;
    void *out;
} bilinear_job;

static void bilinear_rows(void *arg, size_t start, size_t end, int worker)
{
    const bilinear_job *j = arg;
    j->d->fn(&j->d->p, j->in, j->out, start, end);
}

static tfl_status bilinear_eval(tfl__ctx *ctx, tfl__node *node)
{
    bilinear_data *d = node->data;
    if (d->dynamic) {
        tfl_status s = setup(ctx, node, d, TFL_ERROR_RUNTIME);
        if (s != TFL_OK)
            return s;
    }
    size_t rows = (size_t)d->p.batches * (size_t)d->p.out_h;
    if (rows == 0 || d->p.channels == 0)
        return TFL_OK;
    bilinear_job j = {d, tfl__input(ctx, node, 0)->data, tfl__output(ctx, node, 0)->data};
    tfl__parallel_for(ctx, rows, 1, bilinear_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_resize_bilinear = {
    .builtin_code = 23,
    .min_version = 1,
    .max_version = 4,
    .init = bilinear_init,
    .prepare = bilinear_prepare,
    .eval = bilinear_eval,
    .free = free,
};
