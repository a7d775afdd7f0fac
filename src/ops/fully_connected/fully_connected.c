/* FULLY_CONNECTED (builtin 9): options, checks, output shape (leading input
 * dimensions flattened into batches, or kept with keep_num_dims) and
 * requantization scales; eval runs the kernel picked at prepare over batches. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "kernels/hybrid.h"
#include "kernels/quant.h"
#include "ops/conv_2d/conv_common.h"
#include "ops/fully_connected/fully_connected.h"
#include "ops/op.h"

/* FullyConnectedOptions fields (schema order). asymmetric_quantize_inputs
 * only concerns the hybrid kernel (float32 input, int8 filter). */
enum {
    F_ACTIVATION = 0,
    F_WEIGHTS_FORMAT = 1,
    F_KEEP_NUM_DIMS = 2,
    F_ASYMMETRIC_INPUTS = 3,
    F_QUANTIZED_BIAS_TYPE = 4
};

#if TFL__X86_SIMD
static bool vnni_supports(const void *p) { return tfl_fully_connected_vnni_supports(p); }
static size_t vnni_packed_bytes(const void *p) { return tfl_fully_connected_vnni_packed_bytes(p); }
static void s8_vnni_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_fully_connected_vnni_pack(p, false, w, b, out);
}
static void u8_vnni_pack(const void *p, const void *w, const void *b, void *out)
{
    tfl_fully_connected_vnni_pack(p, true, w, b, out);
}
#define VNNI_FEATURES                                                                              \
    (TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL | TFL__CPU_AVX512VNNI)
#define AVX512_FEATURES (TFL__CPU_AVX2 | TFL__CPU_AVX512F | TFL__CPU_AVX512BW | TFL__CPU_AVX512VL)
static bool f32_avx512_supports(const void *p)
{
    return ((const tfl_fully_connected_params *)p)->const_weights;
}
static size_t f32_avx512_packed_bytes(const void *p)
{
    return tfl_fully_connected_f32_avx512_packed_bytes(p);
}
static void f32_avx512_pack(const void *p, const void *w, const void *b, void *out)
{
    (void)b; /* the kernel reads the bias as stored */
    tfl_fully_connected_f32_avx512_pack(p, w, out);
}
#endif

#define REF(kind, fn) {#fn, kind, TFL__ISA_REF, 0, NULL, NULL, NULL, NULL, (tfl__kernel_fn)fn, 0}

/* Best first; the reference record of each kind is last and always usable.
 * Operand types follow the convolutions' rules (ops/conv_2d/conv_common.h). */
const tfl__kernel tfl__fully_connected_kernels[] = {
#if TFL__X86_SIMD
    {"tfl_fully_connected_f32__avx512", TFL__CONV_F32, TFL__ISA_AVX512, AVX512_FEATURES,
     f32_avx512_supports, f32_avx512_packed_bytes, f32_avx512_pack, NULL,
     (tfl__kernel_fn)tfl_fully_connected_f32__avx512, 0},
    {"tfl_fully_connected_s8__vnni", TFL__CONV_S8, TFL__ISA_VNNI, VNNI_FEATURES, vnni_supports,
     vnni_packed_bytes, s8_vnni_pack, NULL, (tfl__kernel_fn)tfl_fully_connected_s8__vnni, 0},
    {"tfl_fully_connected_u8__vnni", TFL__CONV_U8, TFL__ISA_VNNI, VNNI_FEATURES, vnni_supports,
     vnni_packed_bytes, u8_vnni_pack, NULL, (tfl__kernel_fn)tfl_fully_connected_u8__vnni, 0},
#endif
    REF(TFL__CONV_F32, tfl_fully_connected_f32__ref),
    REF(TFL__CONV_U8, tfl_fully_connected_u8__ref),
    REF(TFL__CONV_S8, tfl_fully_connected_s8__ref),
    REF(TFL__CONV_S16, tfl_fully_connected_s16__ref),
    REF(TFL__CONV_S16_B32, tfl_fully_connected_s16_b32__ref),
};
const size_t tfl__fully_connected_num_kernels =
    sizeof tfl__fully_connected_kernels / sizeof tfl__fully_connected_kernels[0];

typedef struct fc_data {
    int activation;
    bool keep_num_dims;
    int quantized_bias_type; /* TensorType; 0 (FLOAT32) = not set */
    tfl_fully_connected_params p;
    tfl__kernel_choice k;
    bool empty_depth; /* filter has 0 columns: output is all zeros */
    double *scale;    /* [out_depth], owned */
    int channels;     /* capacity of scale */
    /* Hybrid: float32 input and output, int8 filter (per-tensor, or
     * per-channel scales in channel_scale), float32 bias. */
    bool hybrid, asymmetric;
    const float *channel_scale;
    float filter_scale;
} fc_data;

static tfl_status fc_init(tfl__ctx *ctx, tfl__node *node)
{
    fc_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    node->data = d;
    const tfl__fb_table *o = &node->options;
    d->activation = tfl__fb_i8(o, F_ACTIVATION, 0);
    d->keep_num_dims = tfl__fb_u8(o, F_KEEP_NUM_DIMS, 0) != 0;
    d->quantized_bias_type = tfl__fb_i8(o, F_QUANTIZED_BIAS_TYPE, 0);
    d->asymmetric = tfl__fb_u8(o, F_ASYMMETRIC_INPUTS, 0) != 0;
    int format = tfl__fb_i8(o, F_WEIGHTS_FORMAT, 0);
    if (format == 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "weights_format SHUFFLED4x16INT8 not supported");
    if (format != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "unknown weights_format %d", format);
    return TFL_OK;
}

static void fc_free(void *data)
{
    fc_data *d = data;
    if (!d)
        return;
    free(d->scale);
    free(d->k.owned);
    free(d);
}

/* The hybrid kernel's operands: float32 input, output and bias, an int8
 * filter quantized per tensor or per output row. */
static tfl_status hybrid_setup(tfl__ctx *ctx, const tfl__node *node, fc_data *d,
                               const tfl_tensor *filter, const tfl_tensor *bias,
                               const tfl_tensor *out)
{
    if (filter->type != TFL_INT8)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "hybrid fully connected with a %s filter is not supported (int8 is)",
                            tfl_type_name(filter->type));
    if (out->type != TFL_FLOAT32 || (bias && bias->type != TFL_FLOAT32))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "hybrid fully connected needs float32 output and bias");
    const int count = filter->quant.count, units = filter->dims[0];
    if (count < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "the int8 filter is not quantized");
    if (count > 1 && (count != units || filter->quant.quantized_dimension != 0))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "filter has %d scales on dimension %d, expected %d on dimension 0",
                            count, filter->quant.quantized_dimension, units);
    d->hybrid = true;
    d->channel_scale = count > 1 ? filter->quant.scales : NULL;
    d->filter_scale = filter->scale;
    return TFL_OK;
}

static tfl_status check_types(tfl__ctx *ctx, const tfl__node *node, const fc_data *d,
                              const tfl_tensor *in, const tfl_tensor *filter,
                              const tfl_tensor *bias, const tfl_tensor *out, tfl__conv_kind *kind)
{
    if (out->type != in->type)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "output type %s with input type %s not supported",
                            tfl_type_name(out->type), tfl_type_name(in->type));
    return tfl__conv_check_types(ctx, node, in, filter, bias, true, d->quantized_bias_type, kind);
}

/* Requantization scales (in double, as TFLite's reference kernels) and the
 * checks TFLite's Prepare makes on quantization parameters. */
static tfl_status quant_setup(tfl__ctx *ctx, tfl__node *node, fc_data *d, const tfl_tensor *in,
                              const tfl_tensor *filter, const tfl_tensor *bias,
                              const tfl_tensor *out)
{
    tfl_fully_connected_params *p = &d->p;
    int units = p->out_depth;
    tfl_status s = tfl__conv_check_scales(ctx, node, in, filter, out);
    if (s != TFL_OK)
        return s;
    int count = filter->quant.count;
    if (bias && bias->zero_point != 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "bias zero point %d, expected 0",
                            (int)bias->zero_point);
    if (in->type == TFL_INT16 && (in->zero_point != 0 || out->zero_point != 0))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "int16 input and output need zero point 0, got %d and %d",
                            (int)in->zero_point, (int)out->zero_point);
    bool per_channel = count > 1;
    if (per_channel) {
        if (in->type != TFL_INT8 && in->type != TFL_INT16)
            return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                                "per-channel filter quantization with %s input (needs int8 "
                                "or int16)",
                                tfl_type_name(in->type));
        if (filter->quant.quantized_dimension != 0 || count != units)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "filter has %d scales on dimension %d, expected %d on "
                                "dimension 0",
                                count, filter->quant.quantized_dimension, units);
    } else if (bias) {
        /* GetQuantizedConvolutionMultipler's consistency check. */
        double product = (double)in->scale * (double)filter->scale;
        double diff = fabs(product - (double)bias->scale);
        if (!(diff / (double)out->scale <= 0.02))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "bias scale %g does not match input scale * filter scale %g",
                                (double)bias->scale, product);
    }
    if (d->channels < units) {
        double *sc = realloc(d->scale, (size_t)units * sizeof *sc);
        if (!sc)
            return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
        d->scale = sc;
        d->channels = units;
    }
    for (int u = 0; u < units; ++u) {
        float fs = filter->quant.scales[per_channel ? u : 0];
        d->scale[u] = (double)in->scale * (double)fs / (double)out->scale;
    }
    p->scale = d->scale;
    p->input_offset = -in->zero_point;
    /* Per-channel filters are symmetric: TFLite ignores their zero point. */
    p->filter_offset = per_channel ? 0 : -filter->zero_point;
    p->output_offset = out->zero_point;
    return tfl__act_range_q(ctx, node, d->activation, out, &p->act_min, &p->act_max);
}

static tfl_status fc_resize_output(tfl__ctx *ctx, const tfl__node *node, const fc_data *d,
                                   const tfl_tensor *in, tfl_tensor *out)
{
    const int32_t units = d->p.out_depth;
    if (d->keep_num_dims) {
        int32_t dims[TFL_MAX_DIMS];
        for (int i = 0; i < in->ndim; ++i)
            dims[i] = in->dims[i];
        dims[in->ndim - 1] = units;
        return tfl__resize(ctx, node, out, dims, in->ndim);
    }
    int32_t dims[2] = {(int32_t)d->p.batches, units};
    return tfl__resize(ctx, node, out, dims, 2);
}

/* Scratch per batch row: the quantized row, its scale and offset; then the
 * filter's row sums (asymmetric inputs). */
static size_t hybrid_row_bytes(int depth)
{
    return ((size_t)depth + sizeof(float) + sizeof(int32_t) + 15) & ~(size_t)15;
}

static tfl_status hybrid_prepare(tfl__ctx *ctx, tfl__node *node, fc_data *d, const tfl_tensor *in,
                                 tfl_tensor *out)
{
    tfl_fully_connected_params *p = &d->p;
    tfl_status s = tfl__act_range_f32(ctx, node, d->activation, &p->act_min_f, &p->act_max_f);
    if (s != TFL_OK)
        return s;
    node->scratch_bytes = (size_t)p->batches * hybrid_row_bytes(p->accum_depth) +
                          (size_t)p->out_depth * sizeof(int32_t);
    node->work = tfl__work((uint64_t)p->batches, (uint64_t)p->out_depth, (uint64_t)p->accum_depth);
    return fc_resize_output(ctx, node, d, in, out);
}

typedef struct hybrid_job {
    const fc_data *d;
    const float *in, *bias;
    const int8_t *filter;
    const int32_t *row_sums;
    uint8_t *scratch;
    float *out;
} hybrid_job;

/* Batch rows [start, end): TFLite's EvalHybridDense on each. */
static void hybrid_rows(void *arg, size_t start, size_t end, int worker)
{
    (void)worker;
    const hybrid_job *j = arg;
    const fc_data *d = j->d;
    const int depth = d->p.accum_depth, units = d->p.out_depth;
    for (size_t b = start; b < end; ++b) {
        const float *x = j->in + b * (size_t)depth;
        float *y = j->out + b * (size_t)units;
        int8_t *q = (int8_t *)(j->scratch + b * hybrid_row_bytes(depth));
        float *scale = (float *)(void *)(j->scratch + b * hybrid_row_bytes(depth) +
                                         (((size_t)depth + 3) & ~(size_t)3));
        int32_t offset;
        for (int u = 0; u < units; ++u)
            y[u] = j->bias ? j->bias[u] : 0.0f;
        tfl__hybrid_quantize(x, 1, depth, d->asymmetric, q, scale, &offset);
        if (!d->channel_scale)
            *scale *= d->filter_scale;
        tfl__hybrid_matvec_acc(j->filter, units, depth, q, scale, &offset, j->row_sums,
                               d->channel_scale, 1, y);
        for (int u = 0; u < units; ++u)
            y[u] = tfl__clamp_f32(y[u], d->p.act_min_f, d->p.act_max_f);
    }
}

static tfl_status hybrid_eval(tfl__ctx *ctx, tfl__node *node, const fc_data *d)
{
    const tfl_tensor *in = tfl__input(ctx, node, 0), *filter = tfl__input(ctx, node, 1);
    const tfl_tensor *bias = tfl__input(ctx, node, 2);
    tfl_tensor *out = tfl__output(ctx, node, 0);
    const float *x = (const float *)(const void *)in->data;
    const float *b = bias ? (const float *)(const void *)bias->data : NULL;
    float *y = (float *)(void *)out->data;
    const size_t units = (size_t)d->p.out_depth, rows = (size_t)d->p.batches;
    /* TFLite skips the product when the whole input is zero. */
    if (tfl__all_zero_f32(x, tfl__num_elements(in))) {
        for (size_t i = 0; i < rows * units; ++i)
            y[i] = tfl__clamp_f32(b ? b[i % units] : 0.0f, d->p.act_min_f, d->p.act_max_f);
        return TFL_OK;
    }
    uint8_t *scratch = ctx->scratch;
    int32_t *row_sums = (int32_t *)(void *)(scratch + rows * hybrid_row_bytes(d->p.accum_depth));
    if (d->asymmetric)
        tfl__hybrid_row_sums((const int8_t *)filter->data, (int)units, d->p.accum_depth, row_sums);
    hybrid_job j = {d, x, b, (const int8_t *)filter->data, d->asymmetric ? row_sums : NULL,
                    scratch, y};
    tfl__parallel_for(ctx, rows, 1, hybrid_rows, &j);
    return TFL_OK;
}

static tfl_status fc_prepare(tfl__ctx *ctx, tfl__node *node)
{
    fc_data *d = node->data;
    tfl_tensor *in, *filter, *bias, *out;
    tfl_status s = tfl__conv_operands(ctx, node, &in, &filter, &bias, &out);
    if (s != TFL_OK)
        return s;
    char b1[64], b2[64];
    if (filter->ndim != 2)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "filter %s must have rank 2",
                            tfl__describe(filter, b1, sizeof b1));
    if (in->ndim < 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "input must have rank >= 1");
    tfl__conv_kind kind = TFL__CONV_F32;
    d->hybrid = false;
    if (in->type == TFL_FLOAT32 && filter->type != TFL_FLOAT32) {
        if ((s = hybrid_setup(ctx, node, d, filter, bias, out)) != TFL_OK)
            return s;
    } else if ((s = check_types(ctx, node, d, in, filter, bias, out, &kind)) != TFL_OK) {
        return s;
    }

    int32_t units = filter->dims[0], depth = filter->dims[1];
    if (units < 0 || depth < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "filter %s has a negative dimension",
                            tfl__describe(filter, b1, sizeof b1));
    size_t in_size = tfl__num_elements(in);
    size_t batches;
    int32_t last = in->dims[in->ndim - 1];
    if (d->keep_num_dims && last != depth)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "input %s: last dimension must equal filter depth %d "
                            "(keep_num_dims)",
                            tfl__describe(in, b1, sizeof b1), (int)depth);
    if (depth == 0) {
        /* TFLite's special case: every output is 0, one row per leading
         * input position. */
        batches = 1;
        for (int i = 0; i < in->ndim - 1; ++i)
            batches *= (size_t)in->dims[i];
    } else {
        if (in_size % (size_t)depth != 0)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "input %s has %zu elements, not a multiple of filter %s depth "
                                "%d",
                                tfl__describe(in, b1, sizeof b1), in_size,
                                tfl__describe(filter, b2, sizeof b2), (int)depth);
        batches = in_size / (size_t)depth;
    }
    if (batches > INT32_MAX)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "%zu batches are too many", batches);
    if (bias && tfl__num_elements(bias) != (size_t)units)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "bias %s must have %d elements (filter rows)",
                            tfl__describe(bias, b1, sizeof b1), (int)units);

    tfl_fully_connected_params *p = &d->p;
    memset(p, 0, sizeof *p);
    p->batches = (int)batches;
    p->accum_depth = depth;
    p->out_depth = units;
    d->empty_depth = depth == 0;
    if (d->hybrid)
        return hybrid_prepare(ctx, node, d, in, out);
    if (kind == TFL__CONV_F32)
        s = tfl__act_range_f32(ctx, node, d->activation, &p->act_min_f, &p->act_max_f);
    else
        s = quant_setup(ctx, node, d, in, filter, bias, out);
    if (s != TFL_OK)
        return s;

    p->const_weights = tfl__is_const(filter) && (!bias || tfl__is_const(bias));
    s = tfl__kernel_setup(ctx, node, tfl__fully_connected_kernels,
                          tfl__fully_connected_num_kernels, (int)kind, p, filter->data,
                          bias ? bias->data : NULL, &d->k);
    if (s != TFL_OK)
        return s;
    p->groups = 1;
#if TFL__X86_SIMD
    if (d->k.kernel->fn == (tfl__kernel_fn)tfl_fully_connected_s8__vnni ||
        d->k.kernel->fn == (tfl__kernel_fn)tfl_fully_connected_u8__vnni)
        p->groups = tfl_fully_connected_vnni_groups(p);
    if (d->k.kernel->fn == (tfl__kernel_fn)tfl_fully_connected_f32__avx512)
        p->groups = tfl_fully_connected_f32_avx512_groups(p);
#endif

    node->work = tfl__work(batches, (uint64_t)units, (uint64_t)depth);
    return fc_resize_output(ctx, node, d, in, out);
}

typedef struct fc_job {
    const fc_data *d;
    const void *in, *filter, *bias;
    void *out;
} fc_job;

static void fc_rows(void *arg, size_t start, size_t end, int worker)
{
    const fc_job *j = arg;
    tfl_fully_connected_fn fn = (tfl_fully_connected_fn)j->d->k.kernel->fn;
    fn(&j->d->p, j->in, j->filter, j->bias, j->out, start, end);
}

static tfl_status fc_eval(tfl__ctx *ctx, tfl__node *node)
{
    const fc_data *d = node->data;
    tfl_tensor *out = tfl__output(ctx, node, 0);
    if (out->bytes == 0)
        return TFL_OK;
    if (d->empty_depth) {
        memset(out->data, 0, out->bytes);
        return TFL_OK;
    }
    if (d->hybrid)
        return hybrid_eval(ctx, node, d);
    tfl_tensor *bias = tfl__input(ctx, node, 2);
    fc_job j = {d, tfl__input(ctx, node, 0)->data,
                d->k.packed ? d->k.packed : tfl__input(ctx, node, 1)->data,
                bias ? bias->data : NULL, out->data};
    tfl__parallel_for(ctx, (size_t)d->p.batches * d->p.groups, 1, fc_rows, &j);
    return TFL_OK;
}

const tfl__op tfl__op_fully_connected = {
    .builtin_code = 9,
    .min_version = 1,
    .max_version = 14,
    .init = fc_init,
    .prepare = fc_prepare,
    .eval = fc_eval,
    .free = fc_free,
};
