/* TRANSPOSE and TILE: permutations (negative entries, up to 6-D), every
 * element size, repeats including zero, computed perm/multiples and bad
 * parameters. Expected values are derived independently in the test from
 * the index definitions. */
#include "test.h"

#include "op_harness.h"

extern const tfl__op tfl__op_transpose, tfl__op_tile;

static int dims_are(const tfl_tensor *t, int n, const int32_t *d)
{
    if (t->ndim != n)
        return 0;
    for (int i = 0; i < n; ++i)
        if (t->dims[i] != d[i])
            return 0;
    return 1;
}

/* Checks out[o] == in[i] where output coordinate k is input coordinate
 * perm[k], for an int32 input holding its own flat index. */
static int transposed_ok(const int32_t *out, int n, const int32_t *in_dims, const int *perm)
{
    int32_t od[8];
    size_t total = 1, istride[8];
    for (int k = n - 1; k >= 0; --k) {
        istride[k] = k == n - 1 ? 1 : istride[k + 1] * (size_t)in_dims[k + 1];
        total *= (size_t)in_dims[k];
    }
    for (int k = 0; k < n; ++k)
        od[k] = in_dims[perm[k]];
    for (size_t o = 0; o < total; ++o) {
        size_t rem = o, src = 0;
        for (int k = n - 1; k >= 0; --k) {
            src += (rem % (size_t)od[k]) * istride[perm[k]];
            rem /= (size_t)od[k];
        }
        if (out[o] != (int32_t)src)
            return 0;
    }
    return 1;
}

static void test_transpose_small(void)
{
    /* [2,3] -> [3,2] by hand. */
    op_harness h;
    h_init(&h, &tfl__op_transpose, "TRANSPOSE");
    int in = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 3}, (float[]){1, 2, 3, 4, 5, 6}, 0, 0);
    int pm = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){1, 0}, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, pm}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){3, 2}));
    CHECK(memcmp(h_data(&h, out), (float[]){1, 4, 2, 5, 3, 6}, 24) == 0);
    h_free(&h);

    /* uint8 NHWC -> NCHW [1,2,2,3] by hand. */
    h_init(&h, &tfl__op_transpose, "TRANSPOSE");
    in = h_input(&h, TFL_UINT8, 4, (int32_t[]){1, 2, 2, 3},
                 (uint8_t[]){0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32}, 0.5f, 9);
    pm = h_tensor(&h, TFL_INT64, 1, (int32_t[]){4}, (int64_t[]){0, 3, 1, 2}, 0, 0);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 9);
    h_io(&h, 2, (int[]){in, pm}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 4, (int32_t[]){1, 3, 2, 2}));
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){0, 10, 20, 30, 1, 11, 21, 31, 2, 12, 22, 32}, 12) ==
          0);
    h_free(&h);
}

static void test_transpose_ranks(void)
{
    static int32_t data[2 * 3 * 1 * 4 * 2 * 3];
    for (int i = 0; i < (int)(sizeof data / sizeof data[0]); ++i)
        data[i] = i;
    static const struct {
        int n;
        int32_t dims[6];
        int32_t perm[6];
        int want[6];
    } cases[] = {
        {1, {5}, {0}, {0}},
        {3, {2, 3, 4}, {2, 0, 1}, {2, 0, 1}},
        {3, {2, 3, 4}, {-1, -3, 1}, {2, 0, 1}},
        {4, {2, 3, 4, 2}, {3, 2, 1, 0}, {3, 2, 1, 0}},
        {5, {2, 3, 1, 4, 2}, {1, 4, 0, 3, 2}, {1, 4, 0, 3, 2}},
        {6, {2, 3, 1, 4, 2, 3}, {5, 2, 0, 4, 1, 3}, {5, 2, 0, 4, 1, 3}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        op_harness h;
        h_init(&h, &tfl__op_transpose, "TRANSPOSE");
        int in = h_input(&h, TFL_INT32, cases[c].n, cases[c].dims, data, 0, 0);
        int pm = h_tensor(&h, TFL_INT32, 1, (int32_t[]){cases[c].n}, cases[c].perm, 0, 0);
        int out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
        h_io(&h, 2, (int[]){in, pm}, 1, (int[]){out});
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        for (int k = 0; k < cases[c].n; ++k)
            CHECK_EQ_INT(h.tensors[out].dims[k], cases[c].dims[cases[c].want[k]]);
        CHECK(transposed_ok(h_data(&h, out), cases[c].n, cases[c].dims, cases[c].want));
        h_free(&h);
    }
    /* int16 and int64 elements; computed perm. */
    int32_t perm[2] = {1, 0};
    op_harness h;
    h_init(&h, &tfl__op_transpose, "TRANSPOSE");
    int in = h_input(&h, TFL_INT16, 2, (int32_t[]){2, 2}, (int16_t[]){-1, 2, -3, 4}, 0, 0);
    int pm = h_input(&h, TFL_INT32, 1, (int32_t[]){2}, perm, 0, 0);
    int out = h_tensor(&h, TFL_INT16, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, pm}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[out].alloc, TFL__ALLOC_DYNAMIC);
    CHECK(memcmp(h_data(&h, out), (int16_t[]){-1, -3, 2, 4}, 8) == 0);
    perm[1] = 1;
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error,
                   "TRANSPOSE (node 0): perm is not a permutation: dimension 1 appears twice");
    h_free(&h);
    h_init(&h, &tfl__op_transpose, "TRANSPOSE");
    in = h_input(&h, TFL_INT64, 2, (int32_t[]){1, 3}, (int64_t[]){INT64_MIN, 0, INT64_MAX}, 0, 0);
    pm = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){1, 0}, 0, 0);
    out = h_tensor(&h, TFL_INT64, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, pm}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){3, 1}));
    CHECK(memcmp(h_data(&h, out), (int64_t[]){INT64_MIN, 0, INT64_MAX}, 24) == 0);
    h_free(&h);
}

/* Permutations that simplify to a matrix transpose (the tiled kernel):
 * NCHW -> NHWC and back, a plain matrix, and size-1 dimensions between,
 * with sizes that leave partial tiles. */
static void test_transpose_tiled(void)
{
    static int32_t data[130 * 217]; /* the largest case */
    for (int i = 0; i < (int)(sizeof data / sizeof data[0]); ++i)
        data[i] = i;
    static const struct {
        int n;
        int32_t dims[5];
        int32_t perm[5];
    } cases[] = {
        {4, {2, 3, 67, 70}, {0, 2, 3, 1}},
        {4, {2, 67, 70, 3}, {0, 3, 1, 2}},
        {2, {130, 217}, {1, 0}},
        {5, {1, 130, 1, 217, 1}, {3, 2, 0, 4, 1}},
        {3, {3, 1, 9380}, {2, 1, 0}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        op_harness h;
        h_init(&h, &tfl__op_transpose, "TRANSPOSE");
        int in = h_input(&h, TFL_INT32, cases[c].n, cases[c].dims, data, 0, 0);
        int pm = h_tensor(&h, TFL_INT32, 1, (int32_t[]){cases[c].n}, cases[c].perm, 0, 0);
        int out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
        h_io(&h, 2, (int[]){in, pm}, 1, (int[]){out});
        CHECK_EQ_INT(h_run(&h), TFL_OK);
        CHECK(transposed_ok(h_data(&h, out), cases[c].n, cases[c].dims, cases[c].perm));
        h_free(&h);
    }
    /* uint8 NCHW -> NHWC, the MobileNet-from-PyTorch input layout. */
    static uint8_t bytes[3 * 45 * 77], want[3 * 45 * 77];
    for (int i = 0; i < (int)sizeof bytes; ++i)
        bytes[i] = (uint8_t)(i * 7 + 3);
    for (int y = 0; y < 45 * 77; ++y)
        for (int ch = 0; ch < 3; ++ch)
            want[y * 3 + ch] = bytes[ch * 45 * 77 + y];
    op_harness h;
    h_init(&h, &tfl__op_transpose, "TRANSPOSE");
    int in = h_input(&h, TFL_UINT8, 4, (int32_t[]){1, 3, 45, 77}, bytes, 0.5f, 3);
    int pm = h_tensor(&h, TFL_INT32, 1, (int32_t[]){4}, (int32_t[]){0, 2, 3, 1}, 0, 0);
    int out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 3);
    h_io(&h, 2, (int[]){in, pm}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 4, (int32_t[]){1, 45, 77, 3}));
    CHECK(memcmp(h_data(&h, out), want, sizeof want) == 0);
    h_free(&h);
}

static void test_transpose_errors(void)
{
    static const struct {
        int n;
        int32_t perm[3];
        const char *msg;
    } cases[] = {
        {3, {0, 1, 3}, "perm entry 2 is 3, out of range for rank 3"},
        {3, {0, -4, 1}, "perm entry 1 is -4, out of range for rank 3"},
        {3, {0, 2, -1}, "perm is not a permutation: dimension 2 appears twice"},
        {2,
         {1, 0},
         "perm int32[2] must be a vector of 3 entries (the rank of input float32[1,2,3])"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        op_harness h;
        h_init(&h, &tfl__op_transpose, "TRANSPOSE");
        int in = h_input(&h, TFL_FLOAT32, 3, (int32_t[]){1, 2, 3}, NULL, 0, 0);
        int pm = h_tensor(&h, TFL_INT32, 1, (int32_t[]){cases[c].n}, cases[c].perm, 0, 0);
        int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
        h_io(&h, 2, (int[]){in, pm}, 1, (int[]){out});
        CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
        CHECK_CONTAINS(h.error, cases[c].msg);
        h_free(&h);
    }
    op_harness h;
    h_init(&h, &tfl__op_transpose, "TRANSPOSE");
    int in = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){2}, NULL, 0, 0);
    int pm = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, (uint8_t[]){0}, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, pm}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "perm type uint8 not supported (expected int32 or int64)");
    h_free(&h);
}

static void test_tile(void)
{
    /* [2,3] = 1..6 by (2,2): rows repeat, then the block repeats. */
    op_harness h;
    h_init(&h, &tfl__op_tile, "TILE");
    int in = h_input(&h, TFL_INT32, 2, (int32_t[]){2, 3}, (int32_t[]){1, 2, 3, 4, 5, 6}, 0, 0);
    int mu = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){2, 2}, 0, 0);
    int out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, mu}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){4, 6}));
    static const int32_t want[24] = {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6,
                                     1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6};
    CHECK(memcmp(h_data(&h, out), want, sizeof want) == 0);
    h_free(&h);

    /* int8 [2,1,3] by int64 (1,3,2) -> [2,3,6]. */
    h_init(&h, &tfl__op_tile, "TILE");
    in = h_input(&h, TFL_INT8, 3, (int32_t[]){2, 1, 3}, (int8_t[]){-128, 0, 127, 1, 2, 3}, 0, 0);
    mu = h_tensor(&h, TFL_INT64, 1, (int32_t[]){3}, (int64_t[]){1, 3, 2}, 0, 0);
    out = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, mu}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 3, (int32_t[]){2, 3, 6}));
    const int8_t *o = h_data(&h, out);
    static const int8_t rows[2][3] = {{-128, 0, 127}, {1, 2, 3}};
    int bad = 0;
    for (int b = 0; b < 2; ++b)
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 6; ++c)
                bad += o[(b * 3 + r) * 6 + c] != rows[b][c % 3];
    CHECK_EQ_INT(bad, 0);
    h_free(&h);

    /* Zero multiple: empty output. */
    h_init(&h, &tfl__op_tile, "TILE");
    in = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){3}, (float[]){1, 2, 3}, 0, 0);
    mu = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){0}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, mu}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 1, (int32_t[]){0}));
    h_free(&h);

    /* Computed multiples. */
    int32_t m[1] = {3};
    h_init(&h, &tfl__op_tile, "TILE");
    in = h_input(&h, TFL_INT16, 1, (int32_t[]){2}, (int16_t[]){7, -7}, 0, 0);
    mu = h_input(&h, TFL_INT32, 1, (int32_t[]){1}, m, 0, 0);
    out = h_tensor(&h, TFL_INT16, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, mu}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int16_t[]){7, -7, 7, -7, 7, -7}, 12) == 0);
    m[0] = -1;
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "TILE (node 0): multiples entry 0 is -1, expected >= 0");
    h_free(&h);

    /* Bad: wrong count, huge product, float multiples. */
    h_init(&h, &tfl__op_tile, "TILE");
    in = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){1, 3}, NULL, 0, 0);
    mu = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){2}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, mu}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(
        h.error,
        "multiples int32[1] must be a vector of 2 entries (the rank of input float32[1,3])");
    h_free(&h);
    h_init(&h, &tfl__op_tile, "TILE");
    in = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){3}, NULL, 0, 0);
    mu = h_tensor(&h, TFL_INT64, 1, (int32_t[]){1}, (int64_t[]){1LL << 31}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, mu}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "tiled dimension 0 (3 x 2147483648) is too large");
    h_free(&h);
    h_init(&h, &tfl__op_tile, "TILE");
    in = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){3}, NULL, 0, 0);
    mu = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, (float[]){2}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){in, mu}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "multiples type float32 not supported");
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_transpose_small), TEST(test_transpose_ranks), TEST(test_transpose_tiled), TEST(test_transpose_errors),
              TEST(test_tile))
