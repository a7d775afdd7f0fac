/* FULLY_CONNECTED: float32, uint8, int8 per-tensor (with a filter zero point)
 * and per-channel, int16 x int8 with int64 and int32 bias; leading input
 * dimensions flattened or kept (keep_num_dims), optional bias, fused
 * activations, the double-precision rescale of TFLite's reference kernel,
 * and the checks on bad models.
 *
 * The k_* goldens were produced by TFLite itself: ai-edge-litert 2.3.0 with
 * OpResolverType.BUILTIN_REF, running one-op models built from the same
 * parameters and pat() data as the tests below. */
#include <stdint.h>
#include <string.h>

#include "ops/conv_test_util.h"

extern const tfl__op tfl__op_fully_connected;

/* ---- goldens from TFLite (BUILTIN_REF) ---------------------------------- */
static const float k_f32_flatten[30] = {
    1.20898438f, 0.0f,        0.748046875f, 0.0f,        0.0f,        4.23632812f, 0.0f, 0.0f, 0.0f,
    2.00390625f, 0.18359375f, 0.0f,         2.46484375f, 0.0f,        0.0f,        0.0f, 0.0f, 0.0f,
    2.41601562f, 2.05859375f, 0.0f,         0.0f,        5.88085938f, 0.0f,        0.0f, 0.0f, 0.0f,
    4.80273438f, 0.421875f,   0.0f,
};
static const float k_f32_keep_dims[30] = {
    -0.541015625f, 1.31835938f,  2.49804688f,  -1.88476562f, -3.17773438f, 2.48632812f,
    -2.48242188f,  -0.5859375f,  -2.79492188f, 1.50390625f,  -1.56640625f, 1.42578125f,
    4.21484375f,   -0.36328125f, -4.27734375f, -2.015625f,   1.41992188f,  -2.01953125f,
    4.29101562f,   1.55859375f,  -2.3828125f,  0.853515625f, 7.63085938f,  1.5546875f,
    -6.34179688f,  -2.76757812f, 1.09765625f,  6.55273438f,  2.296875f,    -5.41992188f,
};
static const uint8_t k_u8[18] = {
    88, 94, 86, 81, 142, 116, 83, 63, 174, 105, 44, 91, 125, 153, 149, 128, 95, 146,
};
static const int8_t k_s8_per_tensor[32] = {
    111, 5,  41, 5,  10, 5, 5,  46, 5,  5, 5, 11, 43, 16, 21, 16,
    35,  76, 5,  22, 88, 5, 72, 32, 20, 5, 5, 5,  5,  64, 5,  5,
};
static const int8_t k_s8_double_rounding[16] = {
    -124, -123, -122, -121, -120, -117, -114, 102, 114, 117, 120, 121, 0, 0, 1, 1,
};
static const int8_t k_s8_per_channel[15] = {
    -4, -20, -50, 1, -43, -10, 9, -14, 27, -39, -24, 24, 44, -17, 1,
};
static const int16_t k_s16_b64[8] = {
    -15530, 10468, -7340, 787, -5878, -1001, 9808, -5187,
};
static const int16_t k_s16_b32[6] = {
    5414, 0, 8025, 25518, 0, 22264,
};
static const int8_t k_s8_keep_dims_no_bias[12] = {
    -43, 34, -128, -109, -77, -31, -24, -128, 22, 117, 100, -78,
};

enum { NONE = 0, RELU = 1, RELU_N1_TO_1 = 2, RELU6 = 3, TANH = 4 };

/* One FULLY_CONNECTED setup: tensors filled from pat(), bias scale
 * input * filter. */
typedef struct fc_case {
    tfl_type type, ftype, btype;
    int in_ndim;
    int32_t in[4], f[2];
    int in_seed, in_lo, in_hi;
    float in_div, in_scale;
    int in_zp;
    int f_seed, f_lo, f_hi;
    float f_div;
    int nfs; /* filter scales: 1 = per-tensor */
    float fs[8];
    int f_zp;
    int b_seed, b_lo, b_hi; /* b_seed 0: no bias (input omitted) */
    float b_div;
    float out_scale;
    int out_zp;
    int act, keep_dims, qbt, weights_format;
} fc_case;

typedef struct built {
    op_harness h;
    void *in, *f, *b;
    int out;
} built;

static void build(built *B, const fc_case *c)
{
    op_harness *h = &B->h;
    h_init(h, &tfl__op_fully_connected, "FULLY_CONNECTED");
    int nin = dims_count(c->in_ndim, c->in), nf = dims_count(2, c->f), nb = c->f[0];
    B->in = malloc((size_t)nin * 8 + 8);
    B->f = malloc((size_t)nf * 8 + 8);
    B->b = malloc((size_t)nb * 8 + 8);
    fill_pat(B->in, c->type, nin, c->in_seed, c->in_lo, c->in_hi, c->in_div);
    fill_pat(B->f, c->ftype, nf, c->f_seed, c->f_lo, c->f_hi, c->f_div);
    fill_pat(B->b, c->btype, nb, c->b_seed, c->b_lo, c->b_hi, c->b_div);
    bool q = c->type != TFL_FLOAT32;
    int i = h_input(h, c->type, c->in_ndim, c->in, B->in, q ? c->in_scale : 0.0f, c->in_zp);
    int f = h_tensor(h, c->ftype, 2, c->f, B->f, q ? c->fs[0] : 0.0f, c->f_zp);
    if (q && c->nfs > 1)
        h_per_channel(h, f, c->nfs, c->fs, NULL, 0);
    int b = -1;
    if (c->b_seed) {
        b = h_tensor(h, c->btype, 1, &c->f[0], B->b, q ? c->in_scale * c->fs[0] : 0.0f, 0);
        if (q && c->nfs > 1) {
            float bs[8];
            for (int k = 0; k < c->nfs; ++k)
                bs[k] = c->in_scale * c->fs[k];
            h_per_channel(h, b, c->nfs, bs, NULL, 0);
        }
    }
    B->out = h_tensor(h, c->type, 0, NULL, NULL, q ? c->out_scale : 0.0f, c->out_zp);
    h_io(h, 3, (int[]){i, f, b}, 1, &B->out);
    h_opt_u8(h, 0, (uint8_t)c->act);
    if (c->weights_format)
        h_opt_u8(h, 1, (uint8_t)c->weights_format);
    h_opt_u8(h, 2, (uint8_t)c->keep_dims);
    if (c->qbt)
        h_opt_u8(h, 4, (uint8_t)c->qbt);
}

static void unbuild(built *B)
{
    h_free(&B->h);
    free(B->in);
    free(B->f);
    free(B->b);
}

static void run_case(const fc_case *c, const void *expected, int out_ndim, const int32_t *out)
{
    built B;
    build(&B, c);
    tfl_status s = h_run(&B.h);
    CHECK_EQ_INT(s, TFL_OK);
    if (s != TFL_OK)
        fprintf(stderr, "  %s\n", B.h.error);
    else {
        check_dims(&B.h.tensors[B.out], out_ndim, out);
        check_output(&B.h, B.out, expected, dims_count(out_ndim, out));
    }
    unbuild(&B);
}

static void expect_fail(const fc_case *c, tfl_status status, const char *needle)
{
    built B;
    build(&B, c);
    CHECK_EQ_INT(h_prepare(&B.h), status);
    CHECK_CONTAINS(B.h.error, needle);
    unbuild(&B);
}

static const fc_case k_f32_base = {
    .type = TFL_FLOAT32,
    .ftype = TFL_FLOAT32,
    .btype = TFL_FLOAT32,
    .in_ndim = 3,
    .in = {2, 3, 4},
    .f = {5, 4},
    .in_seed = 51,
    .in_lo = -50,
    .in_hi = 50,
    .in_div = 16,
    .f_seed = 52,
    .f_lo = -40,
    .f_hi = 40,
    .f_div = 32,
    .b_seed = 53,
    .b_lo = -20,
    .b_hi = 20,
    .b_div = 8,
    .act = RELU,
};

static const fc_case k_s8_base = {
    .type = TFL_INT8,
    .ftype = TFL_INT8,
    .btype = TFL_INT32,
    .in_ndim = 2,
    .in = {4, 16},
    .f = {8, 16},
    .in_seed = 57,
    .in_lo = -128,
    .in_hi = 127,
    .in_scale = 0.05f,
    .in_zp = -3,
    .f_seed = 58,
    .f_lo = -128,
    .f_hi = 127,
    .nfs = 1,
    .fs = {0.02f},
    .f_zp = 3,
    .b_seed = 59,
    .b_lo = -4000,
    .b_hi = 4000,
    .out_scale = 0.5f,
    .out_zp = 5,
    .act = RELU,
};

static const fc_case k_s16_base = {
    .type = TFL_INT16,
    .ftype = TFL_INT8,
    .btype = TFL_INT64,
    .in_ndim = 2,
    .in = {2, 9},
    .f = {4, 9},
    .in_seed = 63,
    .in_lo = -32768,
    .in_hi = 32767,
    .in_scale = 0.001f,
    .f_seed = 64,
    .f_lo = -127,
    .f_hi = 127,
    .nfs = 1,
    .fs = {0.01f},
    .b_seed = 65,
    .b_lo = -500000,
    .b_hi = 500000,
    .out_scale = 0.005f,
    .act = NONE,
};

static void test_f32_flatten(void)
{
    run_case(&k_f32_base, k_f32_flatten, 2, (int32_t[]){6, 5});
}

static void test_f32_keep_dims_no_bias(void)
{
    fc_case c = k_f32_base;
    c.b_seed = 0, c.act = NONE, c.keep_dims = 1;
    run_case(&c, k_f32_keep_dims, 3, (int32_t[]){2, 3, 5});
}

static void test_u8(void)
{
    fc_case c = {
        .type = TFL_UINT8,
        .ftype = TFL_UINT8,
        .btype = TFL_INT32,
        .in_ndim = 2,
        .in = {3, 10},
        .f = {6, 10},
        .in_seed = 54,
        .in_lo = 0,
        .in_hi = 255,
        .in_scale = 0.1f,
        .in_zp = 128,
        .f_seed = 55,
        .f_lo = 0,
        .f_hi = 255,
        .nfs = 1,
        .fs = {0.05f},
        .f_zp = 120,
        .b_seed = 56,
        .b_lo = -5000,
        .b_hi = 5000,
        .out_scale = 2.0f,
        .out_zp = 110,
        .act = NONE,
    };
    run_case(&c, k_u8, 2, (int32_t[]){3, 6});
}

static void test_s8_per_tensor(void)
{
    run_case(&k_s8_base, k_s8_per_tensor, 2, (int32_t[]){4, 8});
}

/* acc * 0.0787382 lands near .5 for these accumulators: TFLite's reference
 * kernel rounds the double product, where the fixed-point rescale of its
 * optimized kernels would give one more in magnitude for all but acc = 0
 * and 7. */
static void test_s8_double_rescale(void)
{
    static const int8_t in[1] = {0};
    static const int8_t w[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    static const int32_t bias[16] = {-1581, -1568, -1555, -1543, -1530, -1492, -1454, 1301,
                                     1454,  1492,  1530,  1543,  0,     6,     7,     19};
    op_harness h;
    h_init(&h, &tfl__op_fully_connected, "FULLY_CONNECTED");
    int i = h_input(&h, TFL_INT8, 2, (int32_t[]){1, 1}, in, 0.37f, 0);
    int f = h_tensor(&h, TFL_INT8, 2, (int32_t[]){16, 1}, w, 0.0113f, 0);
    int b = h_tensor(&h, TFL_INT32, 1, (int32_t[]){16}, bias, 0.37f * 0.0113f, 0);
    int o = h_tensor(&h, TFL_INT8, 0, NULL, NULL, 0.0531f, 0);
    h_io(&h, 3, (int[]){i, f, b}, 1, &o);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    check_output(&h, o, k_s8_double_rounding, 16);
    h_free(&h);
}

static void test_s8_per_channel(void)
{
    fc_case c = {
        .type = TFL_INT8,
        .ftype = TFL_INT8,
        .btype = TFL_INT32,
        .in_ndim = 2,
        .in = {3, 12},
        .f = {5, 12},
        .in_seed = 60,
        .in_lo = -128,
        .in_hi = 127,
        .in_scale = 0.01f,
        .in_zp = 2,
        .f_seed = 61,
        .f_lo = -127,
        .f_hi = 127,
        .nfs = 5,
        .fs = {0.001f, 0.002f, 0.003f, 0.0015f, 0.0025f},
        .b_seed = 62,
        .b_lo = -30000,
        .b_hi = 30000,
        .out_scale = 0.02f,
        .out_zp = -6,
        .act = RELU_N1_TO_1,
    };
    run_case(&c, k_s8_per_channel, 2, (int32_t[]){3, 5});
}

static void test_s8_keep_dims_no_bias(void)
{
    fc_case c = {
        .type = TFL_INT8,
        .ftype = TFL_INT8,
        .in_ndim = 3,
        .in = {2, 2, 6},
        .f = {3, 6},
        .in_seed = 69,
        .in_lo = -128,
        .in_hi = 127,
        .in_scale = 0.02f,
        .in_zp = 10,
        .f_seed = 70,
        .f_lo = -127,
        .f_hi = 127,
        .nfs = 1,
        .fs = {0.01f},
        .out_scale = 0.03f,
        .out_zp = -20,
        .act = NONE,
        .keep_dims = 1,
    };
    run_case(&c, k_s8_keep_dims_no_bias, 3, (int32_t[]){2, 2, 3});
}

static void test_s16_int64_bias(void)
{
    run_case(&k_s16_base, k_s16_b64, 2, (int32_t[]){2, 4});
}

static void test_s16_int32_bias(void)
{
    fc_case c = {
        .type = TFL_INT16,
        .ftype = TFL_INT8,
        .btype = TFL_INT32,
        .in_ndim = 2,
        .in = {2, 7},
        .f = {3, 7},
        .in_seed = 66,
        .in_lo = -32768,
        .in_hi = 32767,
        .in_scale = 0.002f,
        .f_seed = 67,
        .f_lo = -127,
        .f_hi = 127,
        .nfs = 3,
        .fs = {0.004f, 0.002f, 0.003f},
        .b_seed = 68,
        .b_lo = -500000,
        .b_hi = 500000,
        .out_scale = 0.001f,
        .act = RELU,
        .qbt = TFL_INT32,
    };
    run_case(&c, k_s16_b32, 2, (int32_t[]){2, 3});
}

/* A filter with no columns gives zeros (TFLite's special case). */
static void test_zero_depth(void)
{
    fc_case c = k_f32_base;
    c.in[2] = 0, c.f[1] = 0;
    static const float zeros[30] = {0};
    built B;
    build(&B, &c);
    CHECK_EQ_INT(h_prepare(&B.h), TFL_OK);
    memset(B.h.tensors[B.out].data, 0xff, B.h.tensors[B.out].bytes);
    B.h.ctx.scratch = B.h.scratch;
    CHECK_EQ_INT(B.h.node.op->eval(&B.h.ctx, &B.h.node), TFL_OK);
    check_dims(&B.h.tensors[B.out], 2, (int32_t[]){6, 5});
    check_output(&B.h, B.out, zeros, 30);
    unbuild(&B);
}

static void test_bad_models(void)
{
    fc_case c = k_s8_base;
    c.weights_format = 1;
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "weights_format SHUFFLED4x16INT8 not supported");
    c = k_s8_base;
    c.in[1] = 15; /* 60 elements, filter depth 16 */
    expect_fail(&c, TFL_ERROR_BAD_MODEL,
                "input int8[4,15] has 60 elements, not a multiple of filter int8[8,16] depth 16");
    c = k_s8_base;
    c.keep_dims = 1, c.in_ndim = 3, c.in[0] = 2, c.in[1] = 16, c.in[2] = 2;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "last dimension must equal filter depth 16");
    c = k_s8_base;
    c.act = TANH;
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "fused activation 4 not supported");
    c = k_s8_base;
    c.nfs = 4, c.fs[1] = c.fs[2] = c.fs[3] = 0.01f;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "filter has 4 scales on dimension 0, expected 8");
    c = k_s8_base;
    c.type = TFL_FLOAT32; /* hybrid with an int32 bias */
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "hybrid fully connected needs float32 output and bias");
    c = k_s8_base;
    c.ftype = TFL_UINT8;
    expect_fail(&c, TFL_ERROR_UNSUPPORTED, "filter type uint8 not supported (expected int8)");
    c = k_s16_base;
    c.qbt = TFL_INT16;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "quantized_bias_type 7 is not int32 or int64");
    c = k_s16_base;
    c.in_zp = -1;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "int16 input and output need zero point 0");
    c = k_s8_base;
    c.in_scale = 0.0f;
    expect_fail(&c, TFL_ERROR_BAD_MODEL, "quantized input needs a scale > 0");

    built B;
    build(&B, &k_s8_base);
    B.h.tensors[1].ndim = 3;
    B.h.tensors[1].dims[2] = 1;
    CHECK_EQ_INT(h_prepare(&B.h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(B.h.error, "FULLY_CONNECTED (node 0): filter int8[8,16,1] must have rank 2");
    unbuild(&B);

    build(&B, &k_s8_base);
    B.h.tensors[2].dims[0] = 7;
    CHECK_EQ_INT(h_prepare(&B.h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(B.h.error, "bias int32[7] must have 8 elements");
    unbuild(&B);

    build(&B, &k_s8_base);
    B.h.tensors[B.out].type = TFL_INT16;
    CHECK_EQ_INT(h_prepare(&B.h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(B.h.error, "output type int16 with input type int8 not supported");
    unbuild(&B);

    /* Per-tensor bias scale must match input * filter scale (0.001) within
     * 2% of the output scale (0.5). */
    build(&B, &k_s8_base);
    B.h.tensors[2].scale = 0.02f;
    CHECK_EQ_INT(h_prepare(&B.h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(B.h.error, "bias scale 0.02 does not match input scale * filter scale");
    unbuild(&B);
}

TFL_TEST_MAIN(TEST(test_f32_flatten), TEST(test_f32_keep_dims_no_bias), TEST(test_u8),
              TEST(test_s8_per_tensor), TEST(test_s8_double_rescale), TEST(test_s8_per_channel),
              TEST(test_s8_keep_dims_no_bias), TEST(test_s16_int64_bias), TEST(test_s16_int32_bias),
              TEST(test_zero_depth), TEST(test_bad_models))
