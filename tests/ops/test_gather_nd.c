/* GATHER_ND: index tuples of every length (0 to params rank), int16/int32/
 * int64 indices, every element size, out-of-range and negative coordinates
 * (a runtime error before anything is read) and bad models. Expected values
 * are derived by hand from params[i] = i. */
#include "test.h"

#include "op_harness.h"

extern const tfl__op tfl__op_gather_nd;

static int dims_are(const tfl_tensor *t, int n, const int32_t *d)
{
    if (t->ndim != n)
        return 0;
    for (int i = 0; i < n; ++i)
        if (t->dims[i] != d[i])
            return 0;
    return 1;
}

/* params [3,4,2] = 0..23 as int32 */
static int32_t p342[24];

static tfl_status gather_nd(op_harness *h, tfl_type it, int ind, const int32_t *idims,
                            const void *idx, bool idx_const)
{
    h_init(h, &tfl__op_gather_nd, "GATHER_ND");
    int in = h_input(h, TFL_INT32, 3, (int32_t[]){3, 4, 2}, p342, 0, 0);
    int ix =
        idx_const ? h_tensor(h, it, ind, idims, idx, 0, 0) : h_input(h, it, ind, idims, idx, 0, 0);
    int out = h_tensor(h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(h, 2, (int[]){in, ix}, 1, (int[]){out});
    return h_run(h);
}

static int count_bad(const int32_t *got, const int32_t *want, int n)
{
    int bad = 0;
    for (int i = 0; i < n; ++i)
        bad += got[i] != want[i];
    return bad;
}

static void test_gather_nd_lengths(void)
{
    for (int i = 0; i < 24; ++i)
        p342[i] = i;
    op_harness h;
    /* nd 2: [3,2] tuples pick [2]-slices at 8*a + 2*b. */
    CHECK_EQ_INT(
        gather_nd(&h, TFL_INT32, 2, (int32_t[]){3, 2}, (int32_t[]){1, 2, 0, 3, 2, 0}, false),
        TFL_OK);
    CHECK(dims_are(&h.tensors[2], 2, (int32_t[]){3, 2}));
    CHECK_EQ_INT(count_bad(h_data(&h, 2), (int32_t[]){12, 13, 6, 7, 16, 17}, 6), 0);
    h_free(&h);
    /* nd 3 (full coordinates), int64, constant: scalars. */
    CHECK_EQ_INT(
        gather_nd(&h, TFL_INT64, 2, (int32_t[]){2, 3}, (int64_t[]){2, 3, 1, 0, 1, 0}, true),
        TFL_OK);
    CHECK(dims_are(&h.tensors[2], 1, (int32_t[]){2}));
    CHECK_EQ_INT(count_bad(h_data(&h, 2), (int32_t[]){23, 2}, 2), 0);
    h_free(&h);
    /* nd 1, int16 indices [2,1,1] -> [2,1,4,2] whole [4,2] blocks. */
    CHECK_EQ_INT(gather_nd(&h, TFL_INT16, 3, (int32_t[]){2, 1, 1}, (int16_t[]){2, 0}, false),
                 TFL_OK);
    CHECK(dims_are(&h.tensors[2], 4, (int32_t[]){2, 1, 4, 2}));
    {
        int32_t want[16];
        for (int k = 0; k < 8; ++k) {
            want[k] = 16 + k;
            want[8 + k] = k;
        }
        CHECK_EQ_INT(count_bad(h_data(&h, 2), want, 16), 0);
    }
    h_free(&h);
    /* nd 0: every (empty) tuple selects all of params -> [2,3,4,2]. */
    CHECK_EQ_INT(gather_nd(&h, TFL_INT32, 2, (int32_t[]){2, 0}, (int32_t[]){0}, true), TFL_OK);
    CHECK(dims_are(&h.tensors[2], 4, (int32_t[]){2, 3, 4, 2}));
    {
        const int32_t *o = h_data(&h, 2);
        CHECK_EQ_INT(count_bad(o, p342, 24) + count_bad(o + 24, p342, 24), 0);
    }
    h_free(&h);
    /* No tuples: empty output. */
    CHECK_EQ_INT(gather_nd(&h, TFL_INT32, 2, (int32_t[]){0, 2}, (int32_t[]){0}, false), TFL_OK);
    CHECK(dims_are(&h.tensors[2], 2, (int32_t[]){0, 2}));
    h_free(&h);
}

static void test_gather_nd_out_of_range(void)
{
    op_harness h;
    /* Coordinate equal to its dimension (4) in the second tuple. */
    CHECK_EQ_INT(gather_nd(&h, TFL_INT32, 2, (int32_t[]){2, 2}, (int32_t[]){0, 0, 1, 4}, false),
                 TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error,
                   "GATHER_ND (node 0): index 4 (indices element 3) is out of range [0, 4) for "
                   "params dimension 1");
    h_free(&h);
    CHECK_EQ_INT(gather_nd(&h, TFL_INT64, 1, (int32_t[]){1}, (int64_t[]){-1}, false),
                 TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "index -1 (indices element 0) is out of range [0, 3)");
    h_free(&h);
    CHECK_EQ_INT(
        gather_nd(&h, TFL_INT64, 2, (int32_t[]){1, 3}, (int64_t[]){0, 0, (int64_t)1 << 40}, false),
        TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "index 1099511627776 (indices element 2)");
    h_free(&h);
}

/* Every element size moves as bytes: float32, int8, uint8, int16, int64, bool. */
static void test_gather_nd_types(void)
{
    static const float pf[6] = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f};
    static const int8_t p8[6] = {-128, 127, 1, 2, 3, 4};
    static const uint8_t pu8[6] = {255, 0, 7, 8, 9, 10};
    static const int16_t p16[6] = {-32768, 32767, 5, 6, 7, 8};
    static const int64_t p64[6] = {INT64_MIN, INT64_MAX, 11, 12, 13, 14};
    static const uint8_t pb[6] = {1, 0, 0, 1, 1, 0};
    const struct {
        tfl_type type;
        const void *data;
    } cases[] = {{TFL_FLOAT32, pf}, {TFL_INT8, p8},   {TFL_UINT8, pu8},
                 {TFL_INT16, p16},  {TFL_INT64, p64}, {TFL_BOOL, pb}};
    /* params [3,2], tuples (2,1), (0,0), (1,1) -> elements 5, 0, 3 */
    static const int32_t idx[6] = {2, 1, 0, 0, 1, 1};
    static const int pick[3] = {5, 0, 3};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        op_harness h;
        h_init(&h, &tfl__op_gather_nd, "GATHER_ND");
        int in = h_input(&h, cases[c].type, 2, (int32_t[]){3, 2}, cases[c].data, 0.5f, 3);
        int ix = h_tensor(&h, TFL_INT32, 2, (int32_t[]){3, 2}, idx, 0, 0);
        int out = h_tensor(&h, cases[c].type, 1, (int32_t[]){1}, NULL, 0.5f, 3);
        h_io(&h, 2, (int[]){in, ix}, 1, (int[]){out});
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        CHECK(dims_are(&h.tensors[out], 1, (int32_t[]){3}));
        size_t es = tfl_type_size(cases[c].type);
        int bad = 0;
        for (int k = 0; k < 3; ++k)
            bad += memcmp((const uint8_t *)h_data(&h, out) + k * es,
                          (const uint8_t *)cases[c].data + (size_t)pick[k] * es, es) != 0;
        CHECK_EQ_INT(bad, 0);
        h_free(&h);
    }
}

static tfl_status run_bad(op_harness *h, tfl_type pt, int pnd, const int32_t *pdims, tfl_type it,
                          int ind, const int32_t *idims, tfl_type ot)
{
    static const int64_t zeros[64] = {0};
    h_init(h, &tfl__op_gather_nd, "GATHER_ND");
    int in = h_input(h, pt, pnd, pdims, zeros, 0, 0);
    int ix = h_input(h, it, ind, idims, zeros, 0, 0);
    int out = h_tensor(h, ot, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(h, 2, (int[]){in, ix}, 1, (int[]){out});
    return h_run(h);
}

static void test_gather_nd_errors(void)
{
    op_harness h;
    CHECK_EQ_INT(run_bad(&h, TFL_INT32, 0, NULL, TFL_INT32, 1, (int32_t[]){1}, TFL_INT32),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "params must be at least a vector");
    h_free(&h);
    CHECK_EQ_INT(run_bad(&h, TFL_INT32, 1, (int32_t[]){4}, TFL_INT32, 0, NULL, TFL_INT32),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "indices must be at least a vector");
    h_free(&h);
    CHECK_EQ_INT(
        run_bad(&h, TFL_INT32, 2, (int32_t[]){4, 2}, TFL_INT32, 2, (int32_t[]){1, 3}, TFL_INT32),
        TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "indices last dimension 3 is out of range [0, 2]");
    h_free(&h);
    CHECK_EQ_INT(
        run_bad(&h, TFL_INT32, 1, (int32_t[]){4}, TFL_FLOAT32, 1, (int32_t[]){1}, TFL_INT32),
        TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "indices type float32");
    h_free(&h);
    CHECK_EQ_INT(
        run_bad(&h, TFL_INT32, 1, (int32_t[]){4}, TFL_INT32, 1, (int32_t[]){1}, TFL_FLOAT32),
        TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "output type float32 does not match params type int32");
    h_free(&h);
    CHECK_EQ_INT(
        run_bad(&h, TFL_STRING, 1, (int32_t[]){4}, TFL_INT32, 1, (int32_t[]){1}, TFL_STRING),
        TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "params type string not supported");
    h_free(&h);
    /* Empty params with a tuple to look up. */
    CHECK_EQ_INT(
        run_bad(&h, TFL_INT32, 2, (int32_t[]){0, 2}, TFL_INT32, 2, (int32_t[]){1, 1}, TFL_INT32),
        TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "cannot gather from empty params");
    h_free(&h);
    /* Output rank over the limit: indices rank 6 + params rank 6 - 1. */
    CHECK_EQ_INT(run_bad(&h, TFL_INT32, 6, (int32_t[]){1, 1, 1, 1, 1, 1}, TFL_INT32, 6,
                         (int32_t[]){1, 1, 1, 1, 1, 1}, TFL_INT32),
                 TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "output rank 10 exceeds");
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_gather_nd_lengths), TEST(test_gather_nd_out_of_range),
              TEST(test_gather_nd_types), TEST(test_gather_nd_errors))
