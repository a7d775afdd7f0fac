/* RESIZE_NEAREST_NEIGHBOR against goldens from TFLite's BUILTIN_REF
 * resolver (ai-edge-litert 2.3.0, one-op models built by hand): every element
 * size and option combination, plus bad parameters. */
#include <math.h>
#include <stdint.h>

#include "ops/op.h"
#include "ops/op_harness.h"
#include "test.h"

extern const tfl__op tfl__op_resize_nearest_neighbor;
#define OP tfl__op_resize_nearest_neighbor
#define OP_NAME "RESIZE_NEAREST_NEIGHBOR"
#define ALIGN_FIELD 0 /* ResizeNearestNeighborOptions: align_corners, then half_pixel_centers */

/* Inputs are formulas of the flat index, shared with the golden generator. */
static void fill(tfl_type t, void *buf, int n)
{
    for (int i = 0; i < n; ++i) {
        long long k = i;
        switch (t) {
        case TFL_FLOAT32: ((float *)buf)[i] = (float)((k * 37 + 11) % 101 - 50) / 8.0f; break;
        case TFL_UINT8: ((uint8_t *)buf)[i] = (uint8_t)((k * 53 + 7) % 256); break;
        case TFL_INT8: ((int8_t *)buf)[i] = (int8_t)((k * 37 + 11) % 256 - 128); break;
        case TFL_INT16: ((int16_t *)buf)[i] = (int16_t)((k * 7919 + 13) % 65536 - 32768); break;
        case TFL_INT32: ((int32_t *)buf)[i] = (int32_t)((k * 7919 + 13) % 2001 - 1000); break;
        default: break;
        }
    }
}

static double elem(tfl_type t, const void *p, int i)
{
    switch (t) {
    case TFL_FLOAT32: return ((const float *)p)[i];
    case TFL_UINT8: return ((const uint8_t *)p)[i];
    case TFL_INT8: return ((const int8_t *)p)[i];
    case TFL_INT16: return ((const int16_t *)p)[i];
    default: return ((const int32_t *)p)[i];
    }
}

typedef struct resize_case {
    const char *name;
    tfl_type type;
    int32_t in[4];
    int32_t size[2];
    int align_corners, half_pixel_centers;
    int check_batches; /* batches to compare (the rest is not checked) */
    const void *expected;
} resize_case;

/* Input 0, size 1 (constant unless size_const is false), output 2. */
static void setup(op_harness *h, tfl_type type, const int32_t *in_dims, const void *data,
                  const int32_t *size, bool size_const, int align, int half)
{
    h_init(h, &OP, OP_NAME);
    static const int32_t two[1] = {2}, one[4] = {1, 1, 1, 1};
    float scale = type == TFL_FLOAT32 || type == TFL_INT32 ? 0.0f : 0.5f;
    int in = h_input(h, type, 4, in_dims, data, scale, 0);
    int sz = size_const ? h_tensor(h, TFL_INT32, 1, two, size, 0, 0)
                        : h_input(h, TFL_INT32, 1, two, size, 0, 0);
    int out = h_tensor(h, type, 4, one, NULL, scale, 0);
    int ins[2] = {in, sz};
    h_io(h, 2, ins, 1, &out);
    if (align >= 0)
        h_opt_u8(h, ALIGN_FIELD, (uint8_t)align);
    if (half >= 0)
        h_opt_u8(h, ALIGN_FIELD + 1, (uint8_t)half);
}

static void run_cases(const resize_case *list, size_t n)
{
    for (size_t k = 0; k < n; ++k) {
        const resize_case *c = &list[k];
        int count = c->in[0] * c->in[1] * c->in[2] * c->in[3];
        int m = c->check_batches * c->size[0] * c->size[1] * c->in[3];
        static int32_t buf[256];
        fill(c->type, buf, count);
        op_harness h;
        setup(&h, c->type, c->in, buf, c->size, true, c->align_corners, c->half_pixel_centers);
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        const tfl_tensor *o = &h.tensors[2];
        CHECK_EQ_INT(o->dims[0], c->in[0]);
        CHECK_EQ_INT(o->dims[1], c->size[0]);
        CHECK_EQ_INT(o->dims[2], c->size[1]);
        CHECK_EQ_INT(o->dims[3], c->in[3]);
        int bad = 0;
        for (int i = 0; i < m && o->data; ++i) {
            double got = elem(c->type, o->data, i), want = elem(c->type, c->expected, i);
            double tol = c->type == TFL_FLOAT32 ? 1e-5 * (fabs(want) + 1) : 0;
            if (fabs(got - want) > tol && bad++ < 3)
                fprintf(stderr, "%s[%d]: got %g, want %g\n", c->name, i, got, want);
        }
        if (bad)
            fprintf(stderr, "case %s failed\n", c->name);
        CHECK_EQ_INT(bad, 0);
        h_free(&h);
    }
}

static void expect_fail(op_harness *h, tfl_status want, const char *msg)
{
    CHECK_EQ_INT(h_run(h), want);
    CHECK_CONTAINS(h->error, msg);
    h_free(h);
}

/* Goldens: BUILTIN_REF outputs. */
/* nn_f32: [1, 3, 4, 2] -> [1, 5, 7, 2] align_corners 0 half_pixel_centers 0 */
static const float nn_f32_expected[] = {
    -4.875, -0.25,  -4.875, -0.25,  4.375,  -3.625, 4.375, -3.625, 1.0,    5.625,  1.0, 5.625,
    -2.375, 2.25,   -4.875, -0.25,  -4.875, -0.25,  4.375, -3.625, 4.375,  -3.625, 1.0, 5.625,
    1.0,    5.625,  -2.375, 2.25,   -5.75,  -1.125, -5.75, -1.125, 3.5,    -4.5,   3.5, -4.5,
    0.125,  4.75,   0.125,  4.75,   -3.25,  1.375,  -5.75, -1.125, -5.75,  -1.125, 3.5, -4.5,
    3.5,    -4.5,   0.125,  4.75,   0.125,  4.75,   -3.25, 1.375,  6.0,    -2.0,   6.0, -2.0,
    2.625,  -5.375, 2.625,  -5.375, -0.75,  3.875,  -0.75, 3.875,  -4.125, 0.5};
/* nn_u8_align: [1, 4, 4, 1] -> [1, 3, 3, 1] align_corners 1 half_pixel_centers 0 */
static const uint8_t nn_u8_align_expected[] = {7, 113, 166, 175, 25, 78, 131, 237, 34};
/* nn_s8_half: [2, 3, 3, 2] -> [2, 7, 4, 2] align_corners 0 half_pixel_centers 1 */
static const int8_t nn_s8_half_expected[] = {
    -117, -80,  -43,  -6,   -43,  -6,   31,   68,   -117, -80,  -43,  -6,   -43,  -6,   31,   68,
    105,  -114, -77,  -40,  -77,  -40,  -3,   34,   105,  -114, -77,  -40,  -77,  -40,  -3,   34,
    105,  -114, -77,  -40,  -77,  -40,  -3,   34,   71,   108,  -111, -74,  -111, -74,  -37,  0,
    71,   108,  -111, -74,  -111, -74,  -37,  0,    37,   74,   111,  -108, 111,  -108, -71,  -34,
    37,   74,   111,  -108, 111,  -108, -71,  -34,  3,    40,   77,   114,  77,   114,  -105, -68,
    3,    40,   77,   114,  77,   114,  -105, -68,  3,    40,   77,   114,  77,   114,  -105, -68,
    -31,  6,    43,   80,   43,   80,   117,  -102, -31,  6,    43,   80,   43,   80,   117,  -102};
/* nn_s16_both: [1, 2, 5, 1] -> [1, 4, 9, 1] align_corners 1 half_pixel_centers 1 */
static const int16_t nn_s16_both_expected[] = {
    -32755, -24836, -24836, -16917, -16917, -8998,  -8998, -1079, -1079, 6840,  14759,  14759,
    22678,  22678,  30597,  30597,  -27020, -27020, 6840,  14759, 14759, 22678, 22678,  30597,
    30597,  -27020, -27020, 6840,   14759,  14759,  22678, 22678, 30597, 30597, -27020, -27020};
/* nn_s32: [1, 3, 2, 1] -> [1, 2, 5, 1] align_corners 0 half_pixel_centers 0 */
static const int32_t nn_s32_expected[] = {-987, -987, -987, 929, 929, 844, 844, 844, 759, 759};

static const resize_case golden_cases[] = {
    {"nn_f32", TFL_FLOAT32, {1, 3, 4, 2}, {5, 7}, 0, 0, 1, nn_f32_expected},
    {"nn_u8_align", TFL_UINT8, {1, 4, 4, 1}, {3, 3}, 1, 0, 1, nn_u8_align_expected},
    {"nn_s8_half", TFL_INT8, {2, 3, 3, 2}, {7, 4}, 0, 1, 2, nn_s8_half_expected},
    {"nn_s16_both", TFL_INT16, {1, 2, 5, 1}, {4, 9}, 1, 1, 1, nn_s16_both_expected},
    {"nn_s32", TFL_INT32, {1, 3, 2, 1}, {2, 5}, 0, 0, 1, nn_s32_expected},
};

static void test_goldens(void)
{
    run_cases(golden_cases, sizeof golden_cases / sizeof golden_cases[0]);
}

/* Hand-derived: 3 -> 2 columns pick floor(x * 1.5) = 0, 1; with
 * half_pixel_centers floor((x + 0.5) * 1.5) = 0, 2; with align_corners
 * round(x * 2) = 0, 2. A zero size gives an empty output. */
static void test_indices(void)
{
    op_harness h;
    static const int32_t d[4] = {1, 1, 3, 1}, size[2] = {1, 2}, empty[2] = {0, 2};
    static const uint8_t x[3] = {10, 20, 30};
    static const struct {
        int align, half;
        uint8_t a, b;
    } want[3] = {{0, 0, 10, 20}, {0, 1, 10, 30}, {1, 0, 10, 30}};
    for (int k = 0; k < 3; ++k) {
        setup(&h, TFL_UINT8, d, x, size, true, want[k].align, want[k].half);
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        const uint8_t *o = h_data(&h, 2);
        CHECK_EQ_INT(o[0], want[k].a);
        CHECK_EQ_INT(o[1], want[k].b);
        h_free(&h);
    }
    /* No options table: both flags off. */
    setup(&h, TFL_UINT8, d, x, size, true, -1, -1);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(((const uint8_t *)h_data(&h, 2))[1], 20);
    h_free(&h);

    setup(&h, TFL_UINT8, d, x, empty, true, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].dims[1], 0);
    h_free(&h);
}

static void test_dynamic_size(void)
{
    op_harness h;
    static const int32_t d[4] = {1, 2, 2, 1}, size[2] = {4, 4}, neg[2] = {-2, 4};
    static const float x[4] = {1, 2, 3, 4};
    setup(&h, TFL_FLOAT32, d, x, size, false, 0, 0);
    CHECK_EQ_INT(h_prepare(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].alloc, TFL__ALLOC_DYNAMIC);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    const float *o = h_data(&h, 2);
    CHECK_EQ_INT(h.tensors[2].dims[2], 4);
    CHECK(o[0] == 1 && o[1] == 1 && o[2] == 2 && o[3] == 2 && o[8] == 3 && o[15] == 4);
    h_free(&h);

    setup(&h, TFL_FLOAT32, d, x, neg, false, 0, 0);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "RESIZE_NEAREST_NEIGHBOR (node 0): output size -2x4 is negative");
    h_free(&h);
}

static void test_errors(void)
{
    op_harness h;
    static const int32_t d[4] = {1, 2, 2, 1}, size[2] = {3, 3}, neg[2] = {3, -1};
    static const float x[4] = {0};

    setup(&h, TFL_FLOAT32, d, x, neg, true, 0, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "output size 3x-1 is negative");

    setup(&h, TFL_INT64, d, x, size, true, 0, 0);
    expect_fail(&h, TFL_ERROR_UNSUPPORTED, "input type int64 not supported");

    static const int32_t d3[3] = {2, 2, 1}, one[1] = {1}, two[1] = {2};
    h_init(&h, &OP, OP_NAME);
    int ins[2] = {h_input(&h, TFL_FLOAT32, 3, d3, x, 0, 0),
                  h_tensor(&h, TFL_INT32, 1, two, size, 0, 0)};
    int out = h_tensor(&h, TFL_FLOAT32, 1, one, NULL, 0, 0);
    h_io(&h, 2, ins, 1, &out);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "input float32[2,2,1] must have rank 4");

    static const float sizef[2] = {3, 3};
    h_init(&h, &OP, OP_NAME);
    ins[0] = h_input(&h, TFL_FLOAT32, 4, d, x, 0, 0);
    ins[1] = h_tensor(&h, TFL_FLOAT32, 1, two, sizef, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, one, NULL, 0, 0);
    h_io(&h, 2, ins, 1, &out);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "size type float32, expected int32");

    h_init(&h, &OP, OP_NAME);
    ins[0] = h_input(&h, TFL_FLOAT32, 4, d, x, 0, 0);
    ins[1] = h_tensor(&h, TFL_INT32, 1, two, size, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, one, NULL, 0, 0);
    h_io(&h, 1, ins, 1, &out);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "expects 2 inputs, got 1");

    static const int32_t d0[4] = {1, 2, 0, 1};
    setup(&h, TFL_FLOAT32, d0, x, size, true, 0, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "has an empty image");
}

TFL_TEST_MAIN(TEST(test_goldens), TEST(test_indices), TEST(test_dynamic_size), TEST(test_errors))
