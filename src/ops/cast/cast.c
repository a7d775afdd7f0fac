/* CAST (builtin 53): element type conversion between float32, bool, uint8,
 * int8, int16, uint16, int32, uint32 and int64 with TFLite's rules
 * (see cast.h). The options' in/out types are not checked, as in TFLite:
 * the tensors' types decide. */
#include "ops/cast/cast.h"
#include "ops/op.h"
#include "ops/shape_common.h"

/* Best first: a kernel serves one (from, to) pair, -1 meaning any type; the
 * reference kernel is last and always usable. */
static const struct {
    int from, to;
    tfl_cast_fn fn;
} kernels[] = {
    {TFL_UINT8, TFL_FLOAT32, tfl_cast_u8_f32__ref},
    {TFL_INT8, TFL_FLOAT32, tfl_cast_s8_f32__ref},
    {TFL_INT16, TFL_FLOAT32, tfl_cast_s16_f32__ref},
    {TFL_INT32, TFL_FLOAT32, tfl_cast_s32_f32__ref},
    {-1, -1, tfl_cast_any__ref},
};

static tfl_cast_fn pick_kernel(tfl_type from, tfl_type to)
{
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; ++i)
        if ((kernels[i].from < 0 || kernels[i].from == (int)from) &&
            (kernels[i].to < 0 || kernels[i].to == (int)to))
            return kernels[i].fn;
    return tfl_cast_any__ref;
}

static tfl_status cast_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if (!tfl_cast_type_supported(in->type) || !tfl_cast_type_supported(out->type))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "cast from %s to %s not supported",
                            tfl_type_name(in->type), tfl_type_name(out->type));
    return tfl__resize(ctx, node, out, in->dims, in->ndim);
}

typedef struct cast_job {
    tfl_cast_params p;
    tfl_cast_fn fn;
    const void *in;
    void *out;
} cast_job;

static void cast_range(void *arg, size_t start, size_t end, int worker)
{
    const cast_job *j = arg;
    j->fn(&j->p, j->in, j->out, start, end);
}

static tfl_status cast_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    /* Picked here rather than at prepare: the choice is two compares and
     * CAST keeps no per-node data. */
    cast_job j = {{in->type, out->type}, pick_kernel(in->type, out->type), in->data, out->data};
    tfl__parallel_for(ctx, tfl__num_elements(in), 8192, cast_range, &j);
    return TFL_OK;
}

const tfl__op tfl__op_cast = {
    .builtin_code = 53,
    .min_version = 1,
    .max_version = 4,
    .prepare = cast_prepare,
    .eval = cast_eval,
};
