/* SQUEEZE (builtin 43): drops size-1 dimensions, those listed in
 * SqueezeOptions.squeeze_dims (negative counts from the back) or all of them
 * when the list is empty. The bytes are unchanged. */
#include <stdlib.h>

#include "model/flatbuf.h"
#include "ops/op.h"
#include "ops/shape_common.h"

/* SqueezeOptions fields (schema order). */
enum { F_SQUEEZE_DIMS = 0 };

typedef struct squeeze_data {
    int num; /* entries of squeeze_dims; 0 = every size-1 dimension */
    int32_t dims[TFL_MAX_DIMS];
} squeeze_data;

static tfl_status squeeze_init_data(tfl__ctx *ctx, tfl__node *node)
{
    squeeze_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    tfl__fb_vec v;
    int r = tfl__fb_vec_field(&node->options, F_SQUEEZE_DIMS, 4, &v);
    if (r < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "malformed squeeze_dims option");
    if (r == 0)
        return TFL_OK;
    if (v.count > TFL_MAX_DIMS)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "squeeze_dims has %u entries, at most %d supported", (unsigned)v.count,
                            TFL_MAX_DIMS);
    d->num = (int)v.count;
    for (uint32_t i = 0; i < v.count; ++i)
        d->dims[i] = tfl__fb_vec_i32(&v, i);
    return TFL_OK;
}

static tfl_status squeeze_prepare(tfl__ctx *ctx, tfl__node *node)
{
    const squeeze_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK)
        return s;
    bool drop[TFL_MAX_DIMS] = {false};
    char b[64];
    if (d->num == 0) {
        for (int i = 0; i < in->ndim; ++i)
            drop[i] = in->dims[i] == 1;
    } else {
        for (int k = 0; k < d->num; ++k) {
            int axis;
            if ((s = tfl__normalize_axis(ctx, node, TFL_ERROR_BAD_MODEL, "squeeze dimension",
                                         d->dims[k], in->ndim, &axis)) != TFL_OK)
                return s;
            if (in->dims[axis] != 1)
                return tfl__op_fail(
                    ctx, node, TFL_ERROR_BAD_MODEL,
                    "cannot squeeze dimension %d of input %s: its size is %d, not 1", axis,
                    tfl__describe(in, b, sizeof b), (int)in->dims[axis]);
            drop[axis] = true;
        }
    }
    int32_t dims[TFL_MAX_DIMS];
    int n = 0;
    for (int i = 0; i < in->ndim; ++i)
        if (!drop[i])
            dims[n++] = in->dims[i];
    return tfl__resize(ctx, node, out, dims, n);
}

static tfl_status squeeze_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    tfl__copy_tensor_data(in, out);
    return TFL_OK;
}

static void squeeze_free(void *data)
{
    free(data);
}

/* The interpreter frees node data only after a successful init, so a
 * failed init releases its own. */
static tfl_status squeeze_init(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = squeeze_init_data(ctx, node);
    if (s != TFL_OK) {
        squeeze_free(node->data);
        node->data = NULL;
    }
    return s;
}

const tfl__op tfl__op_squeeze = {
    .builtin_code = 43,
    .min_version = 1,
    .max_version = 1,
    .init = squeeze_init,
    .prepare = squeeze_prepare,
    .eval = squeeze_eval,
    .free = squeeze_free,
};
