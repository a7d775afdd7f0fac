/* RESHAPE (builtin 22): same bytes, new shape. The shape comes from the
 * optional second input when it is an int32 vector, else from
 * ReshapeOptions.new_shape (as TFLite); one -1 entry is inferred. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/flatbuf.h"
#include "ops/op.h"
#include "ops/shape_common.h"

/* ReshapeOptions fields (schema order). */
enum { F_NEW_SHAPE = 0 };

typedef struct reshape_data {
    bool has_new_shape; /* the option is present */
    int num_dims;       /* entries of new_shape */
    int32_t new_shape[TFL_MAX_DIMS];
    bool shape_at_eval; /* shape input is computed: resize in eval */
} reshape_data;

static tfl_status reshape_init_data(tfl__ctx *ctx, tfl__node *node)
{
    reshape_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    tfl__fb_vec v;
    int r = tfl__fb_vec_field(&node->options, F_NEW_SHAPE, 4, &v);
    if (r < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "malformed new_shape option");
    if (r == 0)
        return TFL_OK;
    if (v.count > TFL_MAX_DIMS)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "new_shape option has %u dimensions, at most %d supported",
                            (unsigned)v.count, TFL_MAX_DIMS);
    d->has_new_shape = true;
    d->num_dims = (int)v.count;
    for (uint32_t i = 0; i < v.count; ++i)
        d->new_shape[i] = tfl__fb_vec_i32(&v, i);
    /* Legacy converters wrote [0] for a scalar. */
    if (d->num_dims == 1 && d->new_shape[0] == 0)
        d->num_dims = 0;
    return TFL_OK;
}

/* The shape input, when TFLite would use it: present and an int32 vector. */
static const tfl_tensor *shape_input(tfl__ctx *ctx, const tfl__node *node)
{
    const tfl_tensor *s = tfl__input(ctx, node, 1);
    if (s && s->ndim == 1 && s->type == TFL_INT32)
        return s;
    return NULL;
}

/* Resolves the requested shape against the input (TFLite's
 * ResolveOutputShape: at most one -1, no other negative entry, zero-sized
 * dimensions allowed, element counts must agree) and resizes the output. */
static tfl_status resize_output(tfl__ctx *ctx, tfl__node *node, tfl_status bad)
{
    const reshape_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const tfl_tensor *shape = shape_input(ctx, node);
    int32_t dims[TFL_MAX_DIMS];
    int n;
    char b1[64], b2[64];
    if (shape) {
        if (shape->dims[0] > TFL_MAX_DIMS)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "shape input has %d entries, at most %d supported",
                                (int)shape->dims[0], TFL_MAX_DIMS);
        n = shape->dims[0];
        for (int i = 0; i < n; ++i)
            dims[i] = (int32_t)tfl__int_at(shape, (size_t)i);
    } else {
        const tfl_tensor *given = tfl__input(ctx, node, 1);
        if (given && !d->has_new_shape)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "shape input %s must be an int32 vector",
                                tfl__describe(given, b1, sizeof b1));
        n = d->num_dims;
        memcpy(dims, d->new_shape, sizeof dims);
    }

    size_t in_count = tfl__num_elements(in);
    size_t in_nonzero = 1, out_nonzero = 1, out_count = 1;
    for (int i = 0; i < in->ndim; ++i)
        if (in->dims[i] != 0)
            in_nonzero *= (size_t)in->dims[i];
    int stretch = -1;
    for (int i = 0; i < n; ++i) {
        if (dims[i] == -1) {
            if (stretch >= 0)
                return tfl__op_fail(ctx, node, bad,
                                    "new shape has more than one -1 (dimensions %d and %d)",
                                    stretch, i);
            stretch = i;
            continue;
        }
        if (dims[i] < 0)
            return tfl__op_fail(ctx, node, bad, "new shape dimension %d is %d", i, (int)dims[i]);
        if (dims[i] != 0) {
            if (out_nonzero > ((size_t)1 << 40) / (size_t)dims[i])
                return tfl__op_fail(ctx, node, bad, "new shape is too large");
            out_nonzero *= (size_t)dims[i];
        }
        out_count *= (size_t)dims[i];
    }
    if (stretch >= 0) {
        size_t inferred;
        if (in_count == 0 && out_count != 0)
            inferred = 0;
        else
            inferred = in_nonzero / out_nonzero;
        if (inferred > INT32_MAX)
            return tfl__op_fail(ctx, node, bad, "inferred dimension %zu is too large", inferred);
        dims[stretch] = (int32_t)inferred;
        out_count *= inferred;
    }
    if (out_count != in_count) {
        /* Name the request as written (with its -1) and the input. */
        int k = 0;
        b2[0] = 0;
        for (int i = 0; i < n && k >= 0 && (size_t)k < sizeof b2; ++i)
            k += snprintf(b2 + k, sizeof b2 - (size_t)k, i ? ",%d" : "%d",
                          i == stretch ? -1 : (int)dims[i]);
        return tfl__op_fail(ctx, node, bad,
                            "cannot reshape %s (%zu elements) into [%s] (%zu elements)",
                            tfl__describe(in, b1, sizeof b1), in_count, b2, out_count);
    }
    return tfl__resize(ctx, node, out, dims, n);
}

static tfl_status reshape_prepare(tfl__ctx *ctx, tfl__node *node)
{
    reshape_data *d = node->data;
    tfl_status s = tfl__check_io(ctx, node, 1, 2, 1);
    if (s != TFL_OK)
        return s;
    tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input is missing");
    if ((s = tfl__check_movable(ctx, node, in, "input")) != TFL_OK ||
        (s = tfl__check_same_type(ctx, node, in, "input", out, "output")) != TFL_OK)
        return s;
    const tfl_tensor *shape = tfl__input(ctx, node, 1);
    d->shape_at_eval = shape && !tfl__is_const(shape);
    if (d->shape_at_eval) {
        tfl__set_dynamic(out);
        return TFL_OK;
    }
    return resize_output(ctx, node, TFL_ERROR_BAD_MODEL);
}

static tfl_status reshape_eval(tfl__ctx *ctx, tfl__node *node)
{
    const reshape_data *d = node->data;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (d->shape_at_eval) {
        tfl_status s = resize_output(ctx, node, TFL_ERROR_RUNTIME);
        if (s != TFL_OK)
            return s;
    }
    tfl__copy_tensor_data(in, out);
    return TFL_OK;
}

static void reshape_free(void *data)
{
    free(data);
}

/* The interpreter frees node data only after a successful init, so a
 * failed init releases its own. */
static tfl_status reshape_init(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = reshape_init_data(ctx, node);
    if (s != TFL_OK) {
        reshape_free(node->data);
        node->data = NULL;
    }
    return s;
}

const tfl__op tfl__op_reshape = {
    .builtin_code = 22,
    .min_version = 1,
    .max_version = 1,
    .init = reshape_init,
    .prepare = reshape_prepare,
    .eval = reshape_eval,
    .free = reshape_free,
};
