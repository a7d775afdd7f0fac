/* Helpers every op uses: tensor access, checks, error text, activation ranges. */
#include "ops/op.h"
#include "kernels/quant.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pool.h"

tfl_tensor *tfl__input(tfl__ctx *ctx, const tfl__node *node, int i)
{
    if (i < 0 || i >= node->num_inputs)
        return NULL;
    int32_t idx = node->inputs[i];
    if (idx < 0 || idx >= ctx->num_tensors)
        return NULL;
    return &ctx->tensors[idx];
}

tfl_tensor *tfl__output(tfl__ctx *ctx, const tfl__node *node, int i)
{
    if (i < 0 || i >= node->num_outputs)
        return NULL;
    int32_t idx = node->outputs[i];
    if (idx < 0 || idx >= ctx->num_tensors)
        return NULL;
    return &ctx->tensors[idx];
}

tfl_status tfl__op_fail(tfl__ctx *ctx, const tfl__node *node, tfl_status status,
                        const char *fmt, ...)
{
    if (!ctx->error || ctx->error_size == 0)
        return status;
    int n = 0;
    if (node)
        n = snprintf(ctx->error, ctx->error_size, "%s (node %d): ", node->name, node->index);
    if (n < 0)
        n = 0;
    if ((size_t)n < ctx->error_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->error + n, ctx->error_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return status;
}

tfl_status tfl__op_multiplier(tfl__ctx *ctx, const tfl__node *node, const char *what, double real,
                              int32_t *multiplier, int *shift)
{
    if (tfl__quantize_multiplier(real, multiplier, shift) != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "%s rescale %g cannot be represented as a 32-bit fixed-point "
                            "multiplier (check the quantization scales)",
                            what, real);
    return TFL_OK;
}

tfl_status tfl__check_io(tfl__ctx *ctx, const tfl__node *node, int min_in, int max_in,
                         int num_out)
{
    if (node->num_inputs < min_in || node->num_inputs > max_in) {
        if (min_in == max_in)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "expects %d inputs, got %d",
                                min_in, node->num_inputs);
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "expects %d to %d inputs, got %d",
                            min_in, max_in, node->num_inputs);
    }
    if (num_out >= 0 && node->num_outputs != num_out)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "expects %d outputs, got %d",
                            num_out, node->num_outputs);
    for (int i = 0; i < node->num_outputs; ++i)
        if (!tfl__output(ctx, node, i))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output %d is missing", i);
    return TFL_OK;
}

tfl_status tfl__check_type(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                           const char *role, tfl_type expected)
{
    if (!t)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s is missing", role);
    if (t->type != expected)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s type %s, expected %s", role,
                            tfl_type_name(t->type), tfl_type_name(expected));
    return TFL_OK;
}


void tfl__set_dynamic(tfl_tensor *t)
{
    /* A variable keeps its own buffer; tfl__resize holds it to that size. */
    if (t->alloc != TFL__ALLOC_DYNAMIC && t->alloc != TFL__ALLOC_PERSIST) {
        t->alloc = TFL__ALLOC_DYNAMIC;
        t->data = NULL;
    }
}

tfl_status tfl__resize(tfl__ctx *ctx, const tfl__node *node, tfl_tensor *t, const int32_t *dims,
                       int ndim)
{
    if (ndim < 0 || ndim > TFL_MAX_DIMS)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "output rank %d exceeds %d", ndim,
                            TFL_MAX_DIMS);
    if (t->alloc == TFL__ALLOC_CONST)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output tensor %d is constant",
                            (int)t->index);
    size_t esize = tfl__elem_size(t->type);
    if (esize == 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "output tensor %d has type %s",
                            (int)t->index, tfl_type_name(t->type));
    size_t n = 1;
    for (int i = 0; i < ndim; ++i) {
        if (dims[i] < 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output dimension %d is %d", i,
                                (int)dims[i]);
        if (dims[i] != 0 && n > ((size_t)1 << 40) / (size_t)dims[i])
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output tensor %d is too large",
                                (int)t->index);
        n *= (size_t)dims[i];
    }
    if (n > ((size_t)1 << 40) / esize)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "output tensor %d is too large",
                            (int)t->index);
    size_t bytes = n * esize;
    if (t->alloc == TFL__ALLOC_PERSIST && bytes > t->persist_bytes)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output tensor %d is a variable of %zu bytes; this op would make "
                            "it %zu bytes", (int)t->index, t->persist_bytes, bytes);
    if (t->alloc == TFL__ALLOC_DYNAMIC && (bytes != t->bytes || !t->data)) {
        size_t held = t->data ? t->bytes : 0;
        size_t others = ctx->mem_used - held;
        if (ctx->mem_limit && (bytes > ctx->mem_limit || others > ctx->mem_limit - bytes))
            return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY,
                                "output tensor %d needs %zu bytes, which with the %zu already "
                                "held exceeds the %zu-byte memory limit",
                                (int)t->index, bytes, others, ctx->mem_limit);
        void *p = realloc(t->data, bytes ? bytes : 1);
        if (!p)
            return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY,
                                "out of memory for %zu bytes", bytes);
        t->data = p;
        ctx->mem_used = others + bytes;
    }
    t->ndim = ndim;
    for (int i = 0; i < ndim; ++i)
        t->dims[i] = dims[i];
    t->bytes = bytes;
    return TFL_OK;
}

tfl_status tfl__act_range_f32(tfl__ctx *ctx, const tfl__node *node, int act, float *lo,
                              float *hi)
{
    switch (act) {
    case TFL__ACT_NONE: *lo = -FLT_MAX; *hi = FLT_MAX; return TFL_OK;
    case TFL__ACT_RELU: *lo = 0.0f; *hi = FLT_MAX; return TFL_OK;
    case TFL__ACT_RELU_N1_TO_1: *lo = -1.0f; *hi = 1.0f; return TFL_OK;
    case TFL__ACT_RELU6: *lo = 0.0f; *hi = 6.0f; return TFL_OK;
    default:
        /* TFLite silently skips a fused TANH or SIGN_BIT here (no clamp, no
         * activation); refusing is better than a quietly different result. */
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "fused activation %d not supported", act);
    }
}

tfl_status tfl__act_range_q(tfl__ctx *ctx, const tfl__node *node, int act,
                            const tfl_tensor *out, int32_t *lo, int32_t *hi)
{
    int32_t qmin, qmax;
    switch (out->type) {
    case TFL_UINT8: qmin = 0; qmax = 255; break;
    case TFL_INT8: qmin = -128; qmax = 127; break;
    case TFL_INT16: qmin = -32768; qmax = 32767; break;
    case TFL_INT32: qmin = INT32_MIN; qmax = INT32_MAX; break;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "quantized activation on %s output", tfl_type_name(out->type));
    }
    float scale = out->scale;
    int32_t zp = out->zero_point;
    /* Limits 0, 6, -1 and 1 must be representable: a tiny scale would
     * overflow the conversion (TFLite fails there too). */
    if ((act == TFL__ACT_RELU || act == TFL__ACT_RELU6 || act == TFL__ACT_RELU_N1_TO_1) &&
        !(scale > 0.0f && 6.0f / scale < 2147483647.0f - 65536.0f))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "output scale %g cannot represent the fused activation", (double)scale);
#define TFL_Q(f) (zp + (int32_t)roundf((f) / scale))
    switch (act) {
    case TFL__ACT_NONE: *lo = qmin; *hi = qmax; return TFL_OK;
    case TFL__ACT_RELU:
        *lo = TFL_Q(0.0f) > qmin ? TFL_Q(0.0f) : qmin;
        *hi = qmax;
        return TFL_OK;
    case TFL__ACT_RELU6:
        *lo = TFL_Q(0.0f) > qmin ? TFL_Q(0.0f) : qmin;
        *hi = TFL_Q(6.0f) < qmax ? TFL_Q(6.0f) : qmax;
        return TFL_OK;
    case TFL__ACT_RELU_N1_TO_1:
        *lo = TFL_Q(-1.0f) > qmin ? TFL_Q(-1.0f) : qmin;
        *hi = TFL_Q(1.0f) < qmax ? TFL_Q(1.0f) : qmax;
        return TFL_OK;
    default:
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "fused activation %d not supported", act);
    }
#undef TFL_Q
}

void tfl__parallel_for(tfl__ctx *ctx, size_t n, size_t min_chunk, tfl__range_fn fn, void *arg)
{
    if (n == 0)
        return;
    if (!ctx->pool || ctx->num_threads <= 1 || n <= min_chunk) {
        fn(arg, 0, n, 0);
        return;
    }
    tfl__pool_run(ctx->pool, n, min_chunk, fn, arg);
}

#define SCRATCH_ALIGN 64

static size_t align_up(size_t n) { return (n + SCRATCH_ALIGN - 1) / SCRATCH_ALIGN * SCRATCH_ALIGN; }

size_t tfl__node_scratch_total(const tfl__node *node, int num_threads)
{
    size_t shared = align_up(node->scratch_bytes), each = align_up(node->worker_scratch_bytes);
    size_t workers = num_threads > 1 ? (size_t)num_threads : 1;
    if (shared < node->scratch_bytes || each < node->worker_scratch_bytes ||
        (each && workers > (SIZE_MAX - shared) / each))
        return SIZE_MAX;
    return shared + workers * each;
}

void *tfl__worker_scratch(const tfl__ctx *ctx, const tfl__node *node, int worker)
{
    return (uint8_t *)ctx->scratch + align_up(node->scratch_bytes) +
           (size_t)worker * align_up(node->worker_scratch_bytes);
}
