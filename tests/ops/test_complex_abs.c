/* COMPLEX_ABS, REAL and IMAG on complex64 and complex128: hand-picked values
 * (Pythagorean triples, signed zeros, infinities, NaN, parts near the float
 * limits where a naive sqrt(re^2 + im^2) over- or underflows), odd shapes,
 * and wrong types. */
#include <float.h>

#include "test.h"

#include "op_harness.h"

extern const tfl__op tfl__op_complex_abs;
extern const tfl__op tfl__op_real;
extern const tfl__op tfl__op_imag;

static int build(op_harness *h, const tfl__op *op, const char *name, tfl_type in_type, int ndim,
                 const int32_t *dims, const void *data, tfl_type out_type)
{
    h_init(h, op, name);
    int in = h_input(h, in_type, ndim, dims, data, 0, 0);
    int out = h_tensor(h, out_type, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(h, 1, (int[]){in}, 1, (int[]){out});
    return out;
}

/* [2,3] complex64: (re, im) pairs. */
static const float c64[12] = {3, 4, -5, 12, 0, -0.0f, -8, -15, 1e30f, 1e30f, 3e-30f, -4e-30f};

static void test_complex_abs_c64(void)
{
    op_harness h;
    int out = build(&h, &tfl__op_complex_abs, "COMPLEX_ABS", TFL_COMPLEX64, 2, (int32_t[]){2, 3},
                    c64, TFL_FLOAT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[out].ndim, 2);
    CHECK(h.tensors[out].dims[0] == 2 && h.tensors[out].dims[1] == 3);
    const float *o = h_data(&h, out);
    CHECK(o[0] == 5 && o[1] == 13 && o[2] == 0 && o[3] == 17);
    /* 1e30 * sqrt(2) and 5e-30: no overflow or underflow. */
    CHECK_NEAR(o[4] / 1e30, 1.41421356, 1e-6);
    CHECK_NEAR(o[5] / 5e-30, 1.0, 1e-6);
    h_free(&h);

    /* Infinity wins over NaN, as hypot does; NaN alone stays NaN. */
    out = build(&h, &tfl__op_complex_abs, "COMPLEX_ABS", TFL_COMPLEX64, 1, (int32_t[]){3},
                (float[]){NAN, -INFINITY, NAN, 1, FLT_MAX, FLT_MAX}, TFL_FLOAT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    o = h_data(&h, out);
    CHECK(isinf(o[0]) && o[0] > 0);
    CHECK(isnan(o[1]));
    CHECK(isinf(o[2])); /* |FLT_MAX (1 + i)| does not fit a float */
    h_free(&h);

    /* Empty tensor. */
    out = build(&h, &tfl__op_complex_abs, "COMPLEX_ABS", TFL_COMPLEX64, 2, (int32_t[]){0, 4}, c64,
                TFL_FLOAT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(h.tensors[out].dims[0] == 0 && h.tensors[out].dims[1] == 4);
    h_free(&h);
}

static void test_real_imag_c64(void)
{
    op_harness h;
    int out =
        build(&h, &tfl__op_real, "REAL", TFL_COMPLEX64, 3, (int32_t[]){1, 2, 3}, c64, TFL_FLOAT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[out].ndim, 3);
    CHECK(memcmp(h_data(&h, out), (float[]){3, -5, 0, -8, 1e30f, 3e-30f}, 24) == 0);
    h_free(&h);
    out = build(&h, &tfl__op_imag, "IMAG", TFL_COMPLEX64, 1, (int32_t[]){6}, c64, TFL_FLOAT32);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    /* memcmp keeps the sign of -0. */
    CHECK(memcmp(h_data(&h, out), (float[]){4, 12, -0.0f, -15, 1e30f, -4e-30f}, 24) == 0);
    h_free(&h);
}

static void test_complex128(void)
{
    static const double c128[6] = {3, -4, 1e300, 1e300, -7, 0};
    op_harness h;
    int out = build(&h, &tfl__op_complex_abs, "COMPLEX_ABS", TFL_COMPLEX128, 1, (int32_t[]){3},
                    c128, TFL_FLOAT64);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    const double *o = h_data(&h, out);
    CHECK(o[0] == 5 && o[2] == 7);
    CHECK_NEAR(o[1] / 1e300, 1.4142135623730951, 1e-15);
    h_free(&h);
    out = build(&h, &tfl__op_real, "REAL", TFL_COMPLEX128, 1, (int32_t[]){3}, c128, TFL_FLOAT64);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (double[]){3, 1e300, -7}, 24) == 0);
    h_free(&h);
    out = build(&h, &tfl__op_imag, "IMAG", TFL_COMPLEX128, 1, (int32_t[]){3}, c128, TFL_FLOAT64);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (double[]){-4, 1e300, 0}, 24) == 0);
    h_free(&h);
}

static void test_complex_bad(void)
{
    op_harness h;
    build(&h, &tfl__op_complex_abs, "COMPLEX_ABS", TFL_FLOAT32, 1, (int32_t[]){2}, c64,
          TFL_FLOAT32);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(
        h.error, "COMPLEX_ABS (node 0): input type float32 not supported (complex64, complex128)");
    h_free(&h);
    build(&h, &tfl__op_real, "REAL", TFL_COMPLEX64, 1, (int32_t[]){2}, c64, TFL_FLOAT64);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "REAL (node 0): output type float64 does not match input type "
                            "complex64 (expected float32)");
    h_free(&h);
    build(&h, &tfl__op_imag, "IMAG", TFL_COMPLEX128, 1, (int32_t[]){2}, c64, TFL_FLOAT32);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "expected float64");
    h_free(&h);
    /* Two inputs. */
    h_init(&h, &tfl__op_complex_abs, "COMPLEX_ABS");
    int a = h_input(&h, TFL_COMPLEX64, 1, (int32_t[]){2}, c64, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){a, a}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "expects 1 inputs, got 2");
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_complex_abs_c64), TEST(test_real_imag_c64), TEST(test_complex128),
              TEST(test_complex_bad))
