/* Table-style cases for elementwise op tests: describe inputs, output and
 * options, run the op through op_harness.h, compare the output bytes (or
 * floats within a tolerance) and report the first mismatches. */
#ifndef TFL_TEST_ELEMENTWISE_CASES_H
#define TFL_TEST_ELEMENTWISE_CASES_H

#include <stdio.h>
#include <string.h>

#include "ops/op_harness.h"
#include "test.h"

typedef struct ew_tensor {
    tfl_type type;
    int ndim;
    int32_t dims[8];
    float scale; /* 0: not quantized */
    int32_t zp;
    const void *data; /* inputs only */
} ew_tensor;

/* One scalar option: schema field index, byte size (1, 2, 4), raw bits. */
typedef struct ew_opt {
    int field;
    int size;
    uint64_t value;
} ew_opt;

static inline uint64_t ew_f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

/* Runs op with the given inputs; on TFL_OK copies the output (whose shape
 * must equal out's) into result. err (if non-NULL) receives the message. */
static tfl_status ew_run(const tfl__op *op, const char *name, const ew_tensor *in, int nin,
                         const ew_tensor *out, const ew_opt *opts, int nopts, void *result,
                         size_t result_size, char *err, size_t err_size)
{
    op_harness h;
    h_init(&h, op, name);
    int idx[8];
    for (int i = 0; i < nin; ++i)
        idx[i] = h_input(&h, in[i].type, in[i].ndim, in[i].dims, in[i].data, in[i].scale, in[i].zp);
    int o = h_tensor(&h, out->type, out->ndim, out->dims, NULL, out->scale, out->zp);
    h_io(&h, nin, idx, 1, &o);
    for (int i = 0; i < nopts; ++i)
        h_opt(&h, opts[i].field, opts[i].size, opts[i].value);
    tfl_status s = h_run(&h);
    if (err)
        snprintf(err, err_size, "%s", h.error);
    if (s == TFL_OK) {
        const tfl_tensor *t = &h.tensors[o];
        CHECK_EQ_INT(t->ndim, out->ndim);
        for (int d = 0; d < out->ndim && d < t->ndim; ++d)
            CHECK_EQ_INT(t->dims[d], out->dims[d]);
        CHECK_EQ_INT(t->bytes, result_size);
        if (t->bytes == result_size && result_size)
            memcpy(result, t->data, result_size);
    } else if (!err) {
        fprintf(stderr, "  %s failed: %s\n", name, h.error);
    }
    h_free(&h);
    return s;
}

static inline int64_t ew_int_at(tfl_type t, const void *p, size_t i)
{
    switch (t) {
    case TFL_UINT8: return ((const uint8_t *)p)[i];
    case TFL_INT8: return ((const int8_t *)p)[i];
    case TFL_INT16: return ((const int16_t *)p)[i];
    case TFL_INT32: return ((const int32_t *)p)[i];
    case TFL_INT64: return ((const int64_t *)p)[i];
    default: return 0;
    }
}

/* The goldens come from LiteRT's default (double-rounding) build; the
 * single-rounding rescale may land one quantum away. */
#if defined(TFL_SINGLE_ROUNDING) && TFL_SINGLE_ROUNDING
#define EW_INT_TOL 1
#else
#define EW_INT_TOL 0
#endif

/* Comparison of n integer elements (exact in the default build); prints up
 * to 5 mismatches. */
static void ew_expect_ints(const char *what, tfl_type t, const void *got, const void *want,
                           size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; ++i) {
        int64_t g = ew_int_at(t, got, i), w = ew_int_at(t, want, i);
        uint64_t diff = g > w ? (uint64_t)g - (uint64_t)w : (uint64_t)w - (uint64_t)g;
        if (diff > EW_INT_TOL && bad++ < 5)
            fprintf(stderr, "  %s[%zu]: got %lld, want %lld\n", what, i, (long long)g,
                    (long long)w);
    }
    ++tfl_test_checks;
    if (bad) {
        ++tfl_test_failures;
        fprintf(stderr, "  %s: %d of %zu elements differ\n", what, bad, n);
    }
}

/* Float comparison with a relative+absolute tolerance (nan equals nan). */
static void ew_expect_floats(const char *what, const float *got, const float *want, size_t n,
                             float tol)
{
    int bad = 0;
    for (size_t i = 0; i < n; ++i) {
        float g = got[i], w = want[i];
        int ok = (g != g && w != w) || g == w || fabsf(g - w) <= tol * (1.0f + fabsf(w));
        if (!ok && bad++ < 5)
            fprintf(stderr, "  %s[%zu]: got %.9g, want %.9g\n", what, i, g, w);
    }
    ++tfl_test_checks;
    if (bad) {
        ++tfl_test_failures;
        fprintf(stderr, "  %s: %d of %zu elements differ\n", what, bad, n);
    }
}

static inline size_t ew_count(const ew_tensor *t)
{
    size_t n = 1;
    for (int i = 0; i < t->ndim; ++i)
        n *= (size_t)t->dims[i];
    return n;
}

/* Runs the case and checks the integer output against want. */
static void ew_check_ints(const tfl__op *op, const char *name, const ew_tensor *in, int nin,
                          const ew_tensor *out, const ew_opt *opts, int nopts, const void *want)
{
    size_t n = ew_count(out), bytes = n * tfl_type_size(out->type);
    static uint8_t got[1 << 16];
    memset(got, 0xA5, sizeof got);
    CHECK(bytes <= sizeof got);
    if (bytes > sizeof got)
        return;
    tfl_status s = ew_run(op, name, in, nin, out, opts, nopts, got, bytes, NULL, 0);
    CHECK_EQ_INT(s, TFL_OK);
    if (s == TFL_OK)
        ew_expect_ints(name, out->type, got, want, n);
}

static void ew_check_floats(const tfl__op *op, const char *name, const ew_tensor *in, int nin,
                            const ew_tensor *out, const ew_opt *opts, int nopts, const float *want,
                            float tol)
{
    size_t n = ew_count(out);
    static float got[1 << 14];
    CHECK(n <= sizeof got / sizeof got[0]);
    if (n > sizeof got / sizeof got[0])
        return;
    tfl_status s = ew_run(op, name, in, nin, out, opts, nopts, got, n * 4, NULL, 0);
    CHECK_EQ_INT(s, TFL_OK);
    if (s == TFL_OK)
        ew_expect_floats(name, got, want, n, tol);
}

/* Runs the case expecting failure with status and a message containing text. */
static void ew_check_fails(const tfl__op *op, const char *name, const ew_tensor *in, int nin,
                           const ew_tensor *out, const ew_opt *opts, int nopts, tfl_status status,
                           const char *text)
{
    char err[512];
    static uint8_t got[1 << 12];
    size_t bytes = ew_count(out) * tfl_type_size(out->type);
    tfl_status s = ew_run(op, name, in, nin, out, opts, nopts, got, bytes <= sizeof got ? bytes : 0,
                          err, sizeof err);
    CHECK_EQ_INT(s, status);
    CHECK_CONTAINS(err, text);
    CHECK_CONTAINS(err, name);
}

#endif
