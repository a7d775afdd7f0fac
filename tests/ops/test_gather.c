/* GATHER: axes, batch_dims, int16/int32/int64 indices, every element size,
 * and out-of-range indices (a runtime error, never a read out of bounds). */
#include "test.h"

#include "op_harness.h"

extern const tfl__op tfl__op_gather;

static int dims_are(const tfl_tensor *t, int n, const int32_t *d)
{
    if (t->ndim != n)
        return 0;
    for (int i = 0; i < n; ++i)
        if (t->dims[i] != d[i])
            return 0;
    return 1;
}

/* params [4,3,2] = 0..23 as int32 */
static int32_t p432[24];

static tfl_status gather(op_harness *h, int axis, int bd, tfl_type it, int ind,
                         const int32_t *idims, const void *idx, bool idx_const)
{
    h_init(h, &tfl__op_gather, "GATHER");
    int in = h_input(h, TFL_INT32, 3, (int32_t[]){4, 3, 2}, p432, 0, 0);
    int ix =
        idx_const ? h_tensor(h, it, ind, idims, idx, 0, 0) : h_input(h, it, ind, idims, idx, 0, 0);
    int out = h_tensor(h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(h, 2, (int[]){in, ix}, 1, (int[]){out});
    h_opt_i32(h, 0, axis);
    h_opt_i32(h, 1, bd);
    return h_run(h);
}

static void test_gather_axes(void)
{
    for (int i = 0; i < 24; ++i)
        p432[i] = i;
    op_harness h;
    /* axis 0, indices [3,0,0,2] -> [4,3,2]: whole [3,2] blocks. */
    CHECK_EQ_INT(gather(&h, 0, 0, TFL_INT32, 1, (int32_t[]){4}, (int32_t[]){3, 0, 0, 2}, true),
                 TFL_OK);
    CHECK(dims_are(&h.tensors[2], 3, (int32_t[]){4, 3, 2}));
    const int32_t *o = h_data(&h, 2);
    int bad = 0;
    static const int pick[4] = {3, 0, 0, 2};
    for (int k = 0; k < 4; ++k)
        for (int j = 0; j < 6; ++j)
            bad += o[k * 6 + j] != pick[k] * 6 + j;
    CHECK_EQ_INT(bad, 0);
    h_free(&h);
    /* axis 1, int64 indices [[2,1],[0,0]] -> [4,2,2,2]. */
    CHECK_EQ_INT(gather(&h, 1, 0, TFL_INT64, 2, (int32_t[]){2, 2}, (int64_t[]){2, 1, 0, 0}, true),
                 TFL_OK);
    CHECK(dims_are(&h.tensors[2], 4, (int32_t[]){4, 2, 2, 2}));
    o = h_data(&h, 2);
    static const int pick2[4] = {2, 1, 0, 0};
    bad = 0;
    for (int a = 0; a < 4; ++a)
        for (int k = 0; k < 4; ++k)
            for (int c = 0; c < 2; ++c)
                bad += o[(a * 4 + k) * 2 + c] != a * 6 + pick2[k] * 2 + c;
    CHECK_EQ_INT(bad, 0);
    h_free(&h);
    /* axis -1 with a scalar int16 index -> [4,3]. */
    CHECK_EQ_INT(gather(&h, -1, 0, TFL_INT16, 0, NULL, (int16_t[]){1}, true), TFL_OK);
    CHECK(dims_are(&h.tensors[2], 2, (int32_t[]){4, 3}));
    o = h_data(&h, 2);
    bad = 0;
    for (int k = 0; k < 12; ++k)
        bad += o[k] != 2 * k + 1;
    CHECK_EQ_INT(bad, 0);
    h_free(&h);
    /* No indices: empty output. */
    CHECK_EQ_INT(gather(&h, 2, 0, TFL_INT32, 1, (int32_t[]){0}, (int32_t[]){0}, true), TFL_OK);
    CHECK(dims_are(&h.tensors[2], 3, (int32_t[]){4, 3, 0}));
    h_free(&h);
}

static void test_gather_batch_dims(void)
{
    /* batch_dims 1, axis 1: out[b, i, :] = params[b, idx[b, i], :] with
     * params [4,3,2], indices [4,2]. */
    static const int32_t idx[8] = {0, 2, 1, 1, 2, 0, 0, 0};
    op_harness h;
    CHECK_EQ_INT(gather(&h, 1, 1, TFL_INT32, 2, (int32_t[]){4, 2}, idx, true), TFL_OK);
    CHECK(dims_are(&h.tensors[2], 3, (int32_t[]){4, 2, 2}));
    const int32_t *o = h_data(&h, 2);
    int bad = 0;
    for (int b = 0; b < 4; ++b)
        for (int i = 0; i < 2; ++i)
            for (int c = 0; c < 2; ++c)
                bad += o[(b * 2 + i) * 2 + c] != b * 6 + idx[b * 2 + i] * 2 + c;
    CHECK_EQ_INT(bad, 0);
    h_free(&h);
    /* batch_dims -1 (= 1 for rank-2 indices), axis 2: out[b, j, i] = params[b, j, idx[b, i]]. */
    CHECK_EQ_INT(gather(&h, 2, -1, TFL_INT32, 2, (int32_t[]){4, 2},
                        (int32_t[]){1, 0, 0, 0, 1, 1, 0, 1}, true),
                 TFL_OK);
    CHECK(dims_are(&h.tensors[2], 3, (int32_t[]){4, 3, 2}));
    o = h_data(&h, 2);
    static const int32_t idx2[8] = {1, 0, 0, 0, 1, 1, 0, 1};
    bad = 0;
    for (int b = 0; b < 4; ++b)
        for (int j = 0; j < 3; ++j)
            for (int i = 0; i < 2; ++i)
                bad += o[(b * 3 + j) * 2 + i] != b * 6 + j * 2 + idx2[b * 2 + i];
    CHECK_EQ_INT(bad, 0);
    h_free(&h);
}

static void test_gather_types(void)
{
    op_harness h;
    h_init(&h, &tfl__op_gather, "GATHER");
    int in = h_input(&h, TFL_UINT8, 1, (int32_t[]){3}, (uint8_t[]){0, 128, 255}, 0.5f, 7);
    int ix = h_tensor(&h, TFL_INT32, 1, (int32_t[]){4}, (int32_t[]){2, 2, 0, 1}, 0, 0);
    int out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 7);
    h_io(&h, 2, (int[]){in, ix}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){255, 255, 0, 128}, 4) == 0);
    h_free(&h);
    h_init(&h, &tfl__op_gather, "GATHER");
    in = h_input(&h, TFL_INT64, 2, (int32_t[]){2, 1}, (int64_t[]){INT64_MIN, INT64_MAX}, 0, 0);
    ix = h_tensor(&h, TFL_INT64, 1, (int32_t[]){2}, (int64_t[]){1, 0}, 0, 0);
    out = h_tensor(&h, TFL_INT64, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, ix}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int64_t[]){INT64_MAX, INT64_MIN}, 16) == 0);
    h_free(&h);
    h_init(&h, &tfl__op_gather, "GATHER");
    in = h_input(&h, TFL_INT16, 2, (int32_t[]){1, 3}, (int16_t[]){-32768, 0, 32767}, 0, 0);
    ix = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){2, 0}, 0, 0);
    out = h_tensor(&h, TFL_INT16, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, ix}, 1, (int[]){out});
    h_opt_i32(&h, 0, 1);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int16_t[]){32767, -32768}, 4) == 0);
    h_free(&h);
}

static void test_gather_out_of_range(void)
{
    op_harness h;
    int32_t idx[2] = {1, 3};
    CHECK_EQ_INT(gather(&h, 0, 0, TFL_INT32, 1, (int32_t[]){2}, idx, false), TFL_OK);
    idx[1] = 4;
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "GATHER (node 0): index 4 (indices element 1) is out of range [0, 4)");
    idx[1] = -1;
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "index -1 (indices element 1) is out of range [0, 4)");
    h_free(&h);
    CHECK_EQ_INT(
        gather(&h, 2, 0, TFL_INT64, 1, (int32_t[]){1}, (int64_t[]){(int64_t)1 << 40}, true),
        TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "index 1099511627776 (indices element 0) is out of range [0, 2)");
    h_free(&h);
}

static void test_gather_errors(void)
{
    op_harness h;
    CHECK_EQ_INT(gather(&h, 3, 0, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){0}, true),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "axis 3 is out of range for rank 3");
    h_free(&h);
    CHECK_EQ_INT(gather(&h, -4, 0, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){0}, true),
                 TFL_ERROR_BAD_MODEL);
    h_free(&h);
    CHECK_EQ_INT(gather(&h, 0, 1, TFL_INT32, 1, (int32_t[]){4}, (int32_t[]){0, 0, 0, 0}, true),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "batch_dims 1 is out of range (axis 0, indices rank 1)");
    h_free(&h);
    CHECK_EQ_INT(gather(&h, 1, 1, TFL_INT32, 1, (int32_t[]){3}, (int32_t[]){0, 0, 0}, true),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error,
                   "batch dimension 0 differs between input int32[4,3,2] and indices int32[3]");
    h_free(&h);
    CHECK_EQ_INT(gather(&h, 0, 0, TFL_UINT8, 1, (int32_t[]){1}, (uint8_t[]){0}, true),
                 TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "indices type uint8 not supported (expected int16, int32 or int64)");
    h_free(&h);
    h_init(&h, &tfl__op_gather, "GATHER");
    int in = h_input(&h, TFL_INT32, 0, NULL, p432, 0, 0);
    int ix = h_tensor(&h, TFL_INT32, 0, NULL, (int32_t[]){0}, 0, 0);
    int out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, ix}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "cannot gather from a scalar input");
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_gather_axes), TEST(test_gather_batch_dims), TEST(test_gather_types),
              TEST(test_gather_out_of_range), TEST(test_gather_errors))
