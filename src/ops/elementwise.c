/* Prepare checks and parallel drivers shared by elementwise ops. */
#include "ops/elementwise.h"

#include <math.h>
#include <stdlib.h>

/* Work below this many elements stays on one thread. */
#define MIN_CHUNK 4096

tfl_status tfl__check_out_type(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *in,
                               const tfl_tensor *out)
{
    if (out->type != in->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output type %s does not match input type %s", tfl_type_name(out->type),
                            tfl_type_name(in->type));
    return TFL_OK;
}

tfl_status tfl__float_unary_prepare(tfl__ctx *ctx, tfl__node *node, const char *op)
{
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, in, out)) != TFL_OK)
        return s;
    if (in->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32; quantized %s not yet)",
                            tfl_type_name(in->type), op);
    return TFL_OK;
}

tfl_status tfl__binary_prepare(tfl__ctx *ctx, tfl__node *node, tfl__bcast *plan)
{
    tfl_status s = tfl__check_io(ctx, node, 2, 2, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *b = tfl__input(ctx, node, 1);
    if (!a || !b)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input %d is missing", a ? 1 : 0);
    if (a->type != b->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "input 2 type %s does not match input 1 type %s",
                            tfl_type_name(b->type), tfl_type_name(a->type));
    int32_t dims[TFL_MAX_DIMS];
    int ndim;
    if (!tfl__bcast_shape(a->dims, a->ndim, b->dims, b->ndim, dims, &ndim)) {
        char da[96], db[96];
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "shapes %s and %s are not broadcastable",
                            tfl__describe(a, da, sizeof da), tfl__describe(b, db, sizeof db));
    }
    s = tfl__resize(ctx, node, tfl__output(ctx, node, 0), dims, ndim);
    if (s != TFL_OK)
        return s;
    tfl__bcast_plan(plan, a->dims, a->ndim, b->dims, b->ndim);
    return TFL_OK;
}

typedef struct binary_job {
    const tfl__bcast *plan;
    tfl__binary_fn fn;
    const void *params;
    const void *a, *b;
    void *out;
    size_t in_size, out_size;
} binary_job;

tfl_status tfl__read_activation(tfl__ctx *ctx, const tfl__node *node, int field, int *act)
{
    *act = tfl__fb_i8(&node->options, field, TFL__ACT_NONE);
    if (*act < TFL__ACT_NONE || *act > TFL__ACT_SIGN_BIT)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "unknown fused activation %d", *act);
    return TFL_OK;
}

tfl_status tfl__typed_binary_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(tfl__typed_binary_data));
    if (!node->data)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    return TFL_OK;
}

tfl_status tfl__typed_binary_prepare(tfl__ctx *ctx, tfl__node *node,
                                     const tfl__typed_binary *kernels, size_t count,
                                     const char *supported)
{
    tfl__typed_binary_data *d = node->data;
    tfl_status s = tfl__binary_prepare(ctx, node, &d->plan);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *a = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, a, out)) != TFL_OK)
        return s;
    d->fn = NULL;
    for (size_t i = 0; i < count && !d->fn; ++i)
        if (kernels[i].type == a->type)
            d->fn = kernels[i].fn;
    if (!d->fn)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "type %s not supported (%s)",
                            tfl_type_name(a->type), supported);
    return TFL_OK;
}

static void binary_range(void *arg, size_t start, size_t end, int worker)
{
    const binary_job *j = arg;
    tfl__bcast_range(j->plan, j->fn, j->params, j->a, j->b, j->out, j->in_size, j->out_size, start,
                     end);
}

void tfl__binary_run(tfl__ctx *ctx, const tfl__bcast *plan, tfl__binary_fn fn, const void *params,
                     const tfl_tensor *a, const tfl_tensor *b, tfl_tensor *out)
{
    binary_job j = {plan,
                    fn,
                    params,
                    a->data,
                    b->data,
                    out->data,
                    tfl_type_size(a->type),
                    tfl_type_size(out->type)};
    tfl__parallel_for(ctx, plan->total, MIN_CHUNK, binary_range, &j);
}

tfl_status tfl__unary_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__check_io(ctx, node, 1, 1, 1);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    if (!in)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input 0 is missing");
    return tfl__resize(ctx, node, tfl__output(ctx, node, 0), in->dims, in->ndim);
}

typedef struct unary_job {
    tfl__unary_fn fn;
    const void *params;
    const void *in;
    void *out;
} unary_job;

static void unary_range(void *arg, size_t start, size_t end, int worker)
{
    const unary_job *j = arg;
    j->fn(j->params, j->in, j->out, start, end);
}

void tfl__unary_run(tfl__ctx *ctx, tfl__unary_fn fn, const void *params, const tfl_tensor *in,
                    tfl_tensor *out)
{
    unary_job j = {fn, params, in->data, out->data};
    tfl__parallel_for(ctx, tfl__num_elements(out), MIN_CHUNK, unary_range, &j);
}

long tfl__find_zero(const tfl_tensor *t, int64_t zero)
{
    size_t n = tfl__num_elements(t);
    for (size_t i = 0; i < n; ++i) {
        int64_t v;
        switch (t->type) {
        case TFL_FLOAT32:
            if (((const float *)t->data)[i] == 0.0f)
                return (long)i;
            continue;
        case TFL_INT64: v = ((const int64_t *)t->data)[i]; break;
        case TFL_INT32: v = ((const int32_t *)t->data)[i]; break;
        case TFL_UINT8: v = ((const uint8_t *)t->data)[i]; break;
        case TFL_INT8: v = ((const int8_t *)t->data)[i]; break;
        case TFL_INT16: v = ((const int16_t *)t->data)[i]; break;
        default: return -1;
        }
        if (v == zero)
            return (long)i;
    }
    return -1;
}

tfl_status tfl__vector_activation_check(tfl__ctx *ctx, const tfl__node *node, int act)
{
    switch (act) {
    case TFL__ACT_NONE:
    case TFL__ACT_RELU:
    case TFL__ACT_RELU_N1_TO_1:
    case TFL__ACT_RELU6:
    case TFL__ACT_TANH:
    case TFL__ACT_SIGN_BIT: return TFL_OK;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "activation %d not supported", act);
    }
}

void tfl__vector_activation_f32(int act, float *v, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        const float x = v[i];
        switch (act) {
        case TFL__ACT_RELU: v[i] = x < 0.0f ? 0.0f : x; break;
        case TFL__ACT_RELU_N1_TO_1: v[i] = x < -1.0f ? -1.0f : (x > 1.0f ? 1.0f : x); break;
        case TFL__ACT_RELU6: v[i] = x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x); break;
        case TFL__ACT_TANH: v[i] = tanhf(x); break;
        case TFL__ACT_SIGN_BIT: v[i] = signbit(x) ? 1.0f : 0.0f; break;
        default: break;
        }
    }
}

tfl_status tfl__typed_binary_eval(tfl__ctx *ctx, tfl__node *node)
{
    tfl__typed_binary_data *d = node->data;
    tfl__binary_run(ctx, &d->plan, d->fn, NULL, tfl__input(ctx, node, 0), tfl__input(ctx, node, 1),
                    tfl__output(ctx, node, 0));
    return TFL_OK;
}
