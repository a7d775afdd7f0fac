/* Helpers shared by the CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED tests:
 * deterministic test data (the golden generator computes the same
 * sequence) and output comparison. */
#ifndef TFL_TEST_CONV_TEST_UTIL_H
#define TFL_TEST_CONV_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>

#include "ops/op_harness.h"
#include "test.h"

/* Element i of pattern `seed`, uniform-ish in [lo, hi]. The goldens were
 * produced by feeding TFLite the same values (see each test file's note). */
static inline int32_t pat(int i, int seed, int32_t lo, int32_t hi)
{
    uint32_t x = (uint32_t)i * 2654435761u + (uint32_t)seed * 40503u;
    x ^= x >> 15;
    x *= 2246822519u;
    x ^= x >> 13;
    return lo + (int32_t)(x % (uint32_t)(hi - lo + 1));
}

/* Fills n elements of `type` from pat(); floats are pat() / div. */
static inline void fill_pat(void *buf, tfl_type type, int n, int seed, int32_t lo, int32_t hi,
                            float div)
{
    for (int i = 0; i < n; ++i) {
        int32_t v = pat(i, seed, lo, hi);
        switch (type) {
        case TFL_FLOAT32: ((float *)buf)[i] = (float)v / div; break;
        case TFL_UINT8: ((uint8_t *)buf)[i] = (uint8_t)v; break;
        case TFL_INT8: ((int8_t *)buf)[i] = (int8_t)v; break;
        case TFL_INT16: ((int16_t *)buf)[i] = (int16_t)v; break;
        case TFL_INT32: ((int32_t *)buf)[i] = v; break;
        case TFL_INT64: ((int64_t *)buf)[i] = v; break;
        default: break;
        }
    }
}

static inline int dims_count(int ndim, const int32_t *dims)
{
    int n = 1;
    for (int i = 0; i < ndim; ++i)
        n *= dims[i];
    return n;
}

/* Element i of a tensor as a double. */
static inline double elem(const tfl_tensor *t, int i)
{
    switch (t->type) {
    case TFL_FLOAT32: return ((const float *)t->data)[i];
    case TFL_UINT8: return ((const uint8_t *)t->data)[i];
    case TFL_INT8: return ((const int8_t *)t->data)[i];
    case TFL_INT16: return ((const int16_t *)t->data)[i];
    case TFL_INT32: return ((const int32_t *)t->data)[i];
    default: return 0.0;
    }
}

/* Compares tensor `idx` with n expected values (array of the tensor's element
 * type): integers exactly, floats to 1e-5 relative. Reports the first few
 * mismatches. */
static inline void check_output(op_harness *h, int idx, const void *expected, int n)
{
    const tfl_tensor *t = &h->tensors[idx];
    CHECK_EQ_INT(tfl__num_elements(t), n);
    if ((int)tfl__num_elements(t) != n || !t->data)
        return;
    tfl_tensor e = *t;
    e.data = (uint8_t *)expected;
    int bad = 0;
    for (int i = 0; i < n; ++i) {
        double got = elem(t, i), want = elem(&e, i);
        double tol = t->type == TFL_FLOAT32 ? 1e-5 * (fabs(want) > 1.0 ? fabs(want) : 1.0) : 0.0;
        if (fabs(got - want) > tol) {
            if (bad < 5)
                fprintf(stderr, "  element %d: got %.9g, expected %.9g\n", i, got, want);
            ++bad;
        }
    }
    CHECK_EQ_INT(bad, 0);
}

static inline void check_dims(const tfl_tensor *t, int ndim, const int32_t *dims)
{
    CHECK_EQ_INT(t->ndim, ndim);
    for (int i = 0; i < ndim && i < t->ndim; ++i)
        CHECK_EQ_INT(t->dims[i], dims[i]);
}

#endif
