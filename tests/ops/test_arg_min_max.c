/* ARG_MAX and ARG_MIN: hand-derived cases (ties pick the first index, NaN
 * never wins), every input type, int32/int64 outputs and axes, a dynamic
 * axis, and bad parameters. Random cases were also compared with TFLite's
 * BUILTIN_REF resolver while writing the kernels. */
#include <math.h>
#include <stdint.h>

#include "ops/op.h"
#include "ops/op_harness.h"
#include "test.h"

extern const tfl__op tfl__op_arg_max;
extern const tfl__op tfl__op_arg_min;

/* Input 0, axis 1, output 2. out_type_opt < 0: no options table. */
static void setup(op_harness *h, int is_max, tfl_type type, int ndim, const int32_t *dims,
                  const void *data, tfl_type axis_type, const void *axis, bool axis_const,
                  tfl_type out_type, int out_type_opt)
{
    h_init(h, is_max ? &tfl__op_arg_max : &tfl__op_arg_min, is_max ? "ARG_MAX" : "ARG_MIN");
    static const int32_t one[1] = {1};
    int in = h_input(h, type, ndim, dims, data, 0, 0);
    int ax = axis_const ? h_tensor(h, axis_type, 1, one, axis, 0, 0)
                        : h_input(h, axis_type, 1, one, axis, 0, 0);
    int out = h_tensor(h, out_type, 1, one, NULL, 0, 0);
    int ins[2] = {in, ax};
    h_io(h, 2, ins, 1, &out);
    if (out_type_opt >= 0)
        h_opt_u8(h, 0, (uint8_t)out_type_opt);
}

static const int32_t *out32(op_harness *h)
{
    return h_data(h, 2);
}
static const int64_t *out64(op_harness *h)
{
    return h_data(h, 2);
}

static void test_float_ties_and_nan(void)
{
    op_harness h;
    static const int32_t d23[2] = {2, 3}, d32[2] = {3, 2}, d13[2] = {1, 3};
    static const int32_t ax1 = 1, ax0 = 0;
    static const float x[6] = {1, 5, 5, -2, -2, -3};
    setup(&h, 1, TFL_FLOAT32, 2, d23, x, TFL_INT32, &ax1, true, TFL_INT32, TFL_INT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].ndim, 1);
    CHECK_EQ_INT(h.tensors[2].dims[0], 2);
    CHECK_EQ_INT(out32(&h)[0], 1);
    CHECK_EQ_INT(out32(&h)[1], 0);
    h_free(&h);
    setup(&h, 0, TFL_FLOAT32, 2, d23, x, TFL_INT32, &ax1, true, TFL_INT32, TFL_INT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(out32(&h)[0], 0);
    CHECK_EQ_INT(out32(&h)[1], 2);
    h_free(&h);

    /* Columns {NaN, 1, 2} and {NaN, NaN, NaN}: numbers replace a NaN, NaN
     * never replaces anything, all-NaN gives 0. */
    const float nan = NAN;
    float y[6] = {nan, nan, 1, nan, 2, nan};
    setup(&h, 1, TFL_FLOAT32, 2, d32, y, TFL_INT32, &ax0, true, TFL_INT64, TFL_INT64);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(out64(&h)[0], 2);
    CHECK_EQ_INT(out64(&h)[1], 0);
    h_free(&h);
    setup(&h, 0, TFL_FLOAT32, 2, d32, y, TFL_INT32, &ax0, true, TFL_INT64, TFL_INT64);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(out64(&h)[0], 1);
    CHECK_EQ_INT(out64(&h)[1], 0);
    h_free(&h);
    float z[3] = {nan, 5, 5};
    setup(&h, 1, TFL_FLOAT32, 2, d13, z, TFL_INT32, &ax1, true, TFL_INT32, TFL_INT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(out32(&h)[0], 1);
    h_free(&h);
}

static void test_int_types(void)
{
    op_harness h;
    /* uint8 [2, 2, 3] over axis 1 (inner 3), int64 axis, int64 output. */
    static const int32_t d223[3] = {2, 2, 3};
    static const uint8_t u8[12] = {0, 255, 7, 0, 255, 9, 200, 1, 1, 201, 0, 1};
    static const int64_t ax1_64 = 1;
    setup(&h, 1, TFL_UINT8, 3, d223, u8, TFL_INT64, &ax1_64, true, TFL_INT64, TFL_INT64);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].ndim, 2);
    CHECK_EQ_INT(h.tensors[2].dims[0], 2);
    CHECK_EQ_INT(h.tensors[2].dims[1], 3);
    static const int64_t want_u8[6] = {0, 0, 1, 1, 0, 0};
    for (int i = 0; i < 6; ++i)
        CHECK_EQ_INT(out64(&h)[i], want_u8[i]);
    h_free(&h);

    /* int8 over the last axis (-1), 17 long: the max appears twice. */
    static const int32_t d117[2] = {1, 17};
    int8_t s8[17];
    for (int i = 0; i < 17; ++i)
        s8[i] = (int8_t)(i == 5 || i == 16 ? 127 : -128 + i);
    static const int32_t axm1 = -1;
    setup(&h, 1, TFL_INT8, 2, d117, s8, TFL_INT32, &axm1, true, TFL_INT32, TFL_INT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(out32(&h)[0], 5);
    h_free(&h);
    setup(&h, 0, TFL_INT8, 2, d117, s8, TFL_INT32, &axm1, true, TFL_INT32, TFL_INT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(out32(&h)[0], 0);
    h_free(&h);

    /* int16 and int32 over axis -2 of [3, 2]. */
    static const int32_t d32[2] = {3, 2};
    static const int32_t axm2 = -2;
    static const int16_t s16[6] = {-32768, 32767, -32768, 32767, -5, -7};
    setup(&h, 0, TFL_INT16, 2, d32, s16, TFL_INT32, &axm2, true, TFL_INT32, TFL_INT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(out32(&h)[0], 0);
    CHECK_EQ_INT(out32(&h)[1], 2);
    h_free(&h);
    static const int32_t s32[6] = {INT32_MIN, 4, INT32_MAX, 4, INT32_MAX, 9};
    setup(&h, 1, TFL_INT32, 2, d32, s32, TFL_INT32, &axm2, true, TFL_INT32, TFL_INT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(out32(&h)[0], 1);
    CHECK_EQ_INT(out32(&h)[1], 2);
    h_free(&h);

    /* bool: false < true. */
    static const int32_t d14[2] = {1, 4};
    static const uint8_t b[4] = {0, 0, 1, 1};
    static const int32_t ax1 = 1;
    setup(&h, 1, TFL_BOOL, 2, d14, b, TFL_INT32, &ax1, true, TFL_INT32, TFL_INT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(out32(&h)[0], 2);
    h_free(&h);
    setup(&h, 0, TFL_BOOL, 2, d14, b, TFL_INT32, &ax1, true, TFL_INT32, TFL_INT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(out32(&h)[0], 0);
    h_free(&h);

    /* 1-D input gives a scalar; no options table uses the output's type. */
    static const int32_t d5[1] = {5};
    static const float f[5] = {3, 1, 4, 1, 5};
    static const int32_t ax0 = 0;
    setup(&h, 0, TFL_FLOAT32, 1, d5, f, TFL_INT32, &ax0, true, TFL_INT64, -1);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].ndim, 0);
    CHECK_EQ_INT(out64(&h)[0], 1);
    h_free(&h);
}

static void test_dynamic_axis(void)
{
    op_harness h;
    static const int32_t d[3] = {2, 3, 2};
    static const float x[12] = {1, 9, 2, 8, 3, 7, 6, 0, 5, 1, 4, 2};
    static const int64_t ax = 2;
    setup(&h, 1, TFL_FLOAT32, 3, d, x, TFL_INT64, &ax, false, TFL_INT32, TFL_INT32);
    CHECK_EQ_INT(h_prepare(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].alloc, TFL__ALLOC_DYNAMIC);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[2].ndim, 2);
    CHECK_EQ_INT(h.tensors[2].dims[1], 3);
    static const int32_t want[6] = {1, 1, 1, 0, 0, 0};
    for (int i = 0; i < 6; ++i)
        CHECK_EQ_INT(out32(&h)[i], want[i]);
    h_free(&h);

    static const int64_t bad = 3;
    setup(&h, 1, TFL_FLOAT32, 3, d, x, TFL_INT64, &bad, false, TFL_INT32, TFL_INT32);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "ARG_MAX (node 0): axis 3 is out of range for input rank 3");
    h_free(&h);
}

static void expect_fail(op_harness *h, tfl_status want, const char *msg)
{
    CHECK_EQ_INT(h_run(h), want);
    CHECK_CONTAINS(h->error, msg);
    h_free(h);
}

static void test_errors(void)
{
    op_harness h;
    static const int32_t d[2] = {2, 3}, d0[2] = {2, 0};
    static const float x[6] = {0};
    static const int32_t ax = -3, ax1 = 1;
    static const float axf = 0;

    setup(&h, 1, TFL_FLOAT32, 2, d, x, TFL_INT32, &ax, true, TFL_INT32, TFL_INT32);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "axis -3 is out of range for input rank 2");

    setup(&h, 0, TFL_FLOAT32, 2, d, x, TFL_FLOAT32, &axf, true, TFL_INT32, TFL_INT32);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "axis type float32, expected int32 or int64");

    /* An options table without output_type means FLOAT32, as in TFLite. */
    setup(&h, 1, TFL_FLOAT32, 2, d, x, TFL_INT32, &ax1, true, TFL_INT32, -1);
    h_opt_u8(&h, 1, 0);
    expect_fail(&h, TFL_ERROR_BAD_MODEL,
                "output_type float32 not supported (expected int32 or int64)");

    setup(&h, 1, TFL_FLOAT32, 2, d, x, TFL_INT32, &ax1, true, TFL_INT32, TFL_INT64);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "output type int32 does not match output_type int64");

    setup(&h, 1, TFL_FLOAT32, 2, d, x, TFL_INT32, &ax1, true, TFL_UINT8, -1);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "output type uint8, expected int32 or int64");

    setup(&h, 0, TFL_INT64, 2, d, x, TFL_INT32, &ax1, true, TFL_INT32, TFL_INT32);
    expect_fail(&h, TFL_ERROR_UNSUPPORTED, "input type int64 not supported");

    setup(&h, 0, TFL_FLOAT32, 2, d0, x, TFL_INT32, &ax1, true, TFL_INT32, TFL_INT32);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "cannot reduce over the empty axis 1");

    setup(&h, 0, TFL_FLOAT32, 0, d, x, TFL_INT32, &ax1, true, TFL_INT32, TFL_INT32);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "input must have rank >= 1");

    h_init(&h, &tfl__op_arg_min, "ARG_MIN");
    static const int32_t two[1] = {2}, axes[2] = {0, 1}, one[1] = {1};
    int ins[2] = {h_input(&h, TFL_FLOAT32, 2, d, x, 0, 0),
                  h_tensor(&h, TFL_INT32, 1, two, axes, 0, 0)};
    int out = h_tensor(&h, TFL_INT32, 1, one, NULL, 0, 0);
    h_io(&h, 2, ins, 1, &out);
    expect_fail(&h, TFL_ERROR_BAD_MODEL, "ARG_MIN (node 0): axis must have 1 element, got 2");
}

TFL_TEST_MAIN(TEST(test_float_ties_and_nan), TEST(test_int_types), TEST(test_dynamic_axis),
              TEST(test_errors))
