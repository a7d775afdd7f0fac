/* LOG_SOFTMAX (50) over the last dimension. float32 in TFLite's reference
 * order: the row's max, then the sum of exp(x - max) in order, then
 * x - max - log(sum). uint8 and int8 (output scale 16/256, zero point 255
 * or 127, as TFLite requires) in TFLite's reference fixed point: input
 * differences from the row's max scaled into Q5, exps summed in Q12, the
 * log of the sum back in Q5, and differences too far below it clamped to
 * the lowest output. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "kernels/fixedpoint.h"
#include "ops/elementwise.h"

typedef struct log_softmax_data {
    int32_t input_multiplier, reverse_multiplier;
    int input_left_shift, reverse_shift; /* reverse_shift <= 0 */
    int32_t diff_min;
} log_softmax_data;

/* TFLite PreprocessLogSoftmaxScalingExp with beta 1 and 5 integer bits. */
static tfl_status setup_quantized(tfl__ctx *ctx, const tfl__node *node, log_softmax_data *d,
                                  const tfl_tensor *in, const tfl_tensor *out)
{
    const bool u8 = in->type == TFL_UINT8;
    if ((double)out->scale != 16.0 / 256.0 || out->zero_point != (u8 ? 255 : 127))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "%s output needs scale 16/256 and zero point %d (got %g, %d)",
                            tfl_type_name(out->type), u8 ? 255 : 127, (double)out->scale,
                            (int)out->zero_point);
    if (!(in->scale > 0.0f) || !isfinite(in->scale))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input needs a positive scale");
    const double max_real =
        TFL_SINGLE_ROUNDING ? (double)((1LL << 30) - 1) : (double)((1LL << 31) - 1);
    double real = (double)in->scale * (double)(1 << (31 - 5));
    if (real > max_real)
        real = max_real;
    if (!(real > 1.0))
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "input scale %g is too small for the fixed-point path",
                            (double)in->scale);
    tfl_status s = tfl__op_multiplier(ctx, node, "input scale", real, &d->input_multiplier,
                                      &d->input_left_shift);
    if (s != TFL_OK)
        return s;
    const double reverse =
        (double)(1 << (31 - d->input_left_shift)) / (double)d->input_multiplier;
    if ((s = tfl__op_multiplier(ctx, node, "reverse scaling", reverse, &d->reverse_multiplier,
                                &d->reverse_shift)) != TFL_OK)
        return s;
    if (d->reverse_shift > 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "reverse scaling %g is above 1", reverse);
    d->diff_min = -tfl__input_radius(5, d->input_left_shift, 31);
    return TFL_OK;
}

static tfl_status log_softmax_init(tfl__ctx *ctx, tfl__node *node)
{
    node->data = calloc(1, sizeof(log_softmax_data));
    return node->data ? TFL_OK : tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
}

static tfl_status log_softmax_prepare(tfl__ctx *ctx, tfl__node *node)
{
    tfl_status s = tfl__unary_prepare(ctx, node);
    if (s != TFL_OK)
        return s;
    const tfl_tensor *in = tfl__input(ctx, node, 0), *out = tfl__output(ctx, node, 0);
    if ((s = tfl__check_out_type(ctx, node, in, out)) != TFL_OK)
        return s;
    if (in->ndim < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input needs rank 1 or more");
    if (in->type == TFL_UINT8 || in->type == TFL_INT8)
        return setup_quantized(ctx, node, node->data, in, out);
    if (in->type != TFL_FLOAT32)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "type %s not supported (float32, uint8, int8)",
                            tfl_type_name(in->type));
    return TFL_OK;
}

static void log_softmax_f32(const float *x, float *o, size_t rows, size_t depth)
{
    for (size_t r = 0; r < rows; ++r, x += depth, o += depth) {
        float max = -FLT_MAX;
        for (size_t c = 0; c < depth; ++c)
            max = x[c] > max ? x[c] : max;
        float sum = 0.0f;
        for (size_t c = 0; c < depth; ++c)
            sum += expf(x[c] - max);
        const float log_sum = logf(sum);
        for (size_t c = 0; c < depth; ++c)
            o[c] = x[c] - max - log_sum;
    }
}

/* TFLite's reference_ops (uint8) / reference_integer_ops (int8) LogSoftmax;
 * the two differ only in the element type and the output's zero point. */
static void log_softmax_q8(const log_softmax_data *d, bool u8, const uint8_t *in, uint8_t *out,
                           size_t rows, size_t depth)
{
    const int32_t top = u8 ? 255 : 127, lowest = u8 ? 0 : -128;
    for (size_t r = 0; r < rows; ++r, in += depth, out += depth) {
        int32_t max = lowest;
        for (size_t c = 0; c < depth; ++c) {
            const int32_t v = u8 ? in[c] : (int8_t)in[c];
            max = v > max ? v : max;
        }
        int32_t sum_q12 = 0;
        for (size_t c = 0; c < depth; ++c) {
            const int32_t diff = (u8 ? in[c] : (int8_t)in[c]) - max;
            if (diff >= d->diff_min) {
                const int32_t q5 = tfl__mbqm(diff, d->input_multiplier, d->input_left_shift);
                sum_q12 = tfl__fp_add(sum_q12,
                                      tfl__rdbypot(tfl__fp_exp_on_negative_values(q5, 5), 12));
            }
        }
        const int32_t log_sum_q5 = tfl__fp_log_q12_to_q5(sum_q12);
        const int32_t shifted = tfl__fp_add(log_sum_q5, INT32_MIN);
        const int32_t scaled = tfl__mbqm(shifted, d->reverse_multiplier, d->reverse_shift);
        const int32_t adjusted_min = d->diff_min - 1 > scaled ? d->diff_min - 1 : scaled;
        for (size_t c = 0; c < depth; ++c) {
            const int32_t diff = (u8 ? in[c] : (int8_t)in[c]) - max;
            int32_t v = lowest;
            if (diff > adjusted_min) {
                const int32_t q5 = tfl__mbqm(diff, d->input_multiplier, d->input_left_shift);
                v = tfl__rdbypot(tfl__fp_sub(q5, log_sum_q5), 31 - 5 - 4) + top;
                v = tfl__clamp_i32(v, lowest, top);
            }
            out[c] = (uint8_t)v;
        }
    }
}

static tfl_status log_softmax_eval(tfl__ctx *ctx, tfl__node *node)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const size_t depth = (size_t)in->dims[in->ndim - 1];
    if (depth == 0)
        return TFL_OK;
    const size_t rows = tfl__num_elements(in) / depth;
    if (in->type == TFL_FLOAT32)
        log_softmax_f32((const float *)(const void *)in->data, (float *)(void *)out->data, rows,
                        depth);
    else
        log_softmax_q8(node->data, in->type == TFL_UINT8, in->data, out->data, rows, depth);
    return TFL_OK;
}

const tfl__op tfl__op_log_softmax = {
    .builtin_code = 50,
    .min_version = 1,
    .max_version = 2,
    .init = log_softmax_init,
    .prepare = log_softmax_prepare,
    .eval = log_softmax_eval,
    .free = free,
};
