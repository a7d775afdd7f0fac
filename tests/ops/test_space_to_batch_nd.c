/* SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND: 3-D and 4-D, padding with the
 * zero point, crops, computed block/paddings and bad parameters. Expected
 * values worked out by hand and confirmed with LiteRT 2.3.0 BUILTIN_REF. */
#include "test.h"

#include "op_harness.h"

extern const tfl__op tfl__op_space_to_batch_nd, tfl__op_batch_to_space_nd;

static int dims_are(const tfl_tensor *t, int n, const int32_t *d)
{
    if (t->ndim != n)
        return 0;
    for (int i = 0; i < n; ++i)
        if (t->dims[i] != d[i])
            return 0;
    return 1;
}

static void test_s2b(void)
{
    /* int8 [1,2,2,1] = 1..4, block 2x2, one pixel of padding all round (the
     * zero point -3): the padded 4x4 image splits into four 2x2 batches. */
    op_harness h;
    h_init(&h, &tfl__op_space_to_batch_nd, "SPACE_TO_BATCH_ND");
    int in = h_input(&h, TFL_INT8, 4, (int32_t[]){1, 2, 2, 1}, (int8_t[]){1, 2, 3, 4}, 0.5f, -3);
    int bs = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){2, 2}, 0, 0);
    int pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){2, 2}, (int32_t[]){1, 1, 1, 1}, 0, 0);
    int out = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0.5f, -3);
    h_io(&h, 3, (int[]){in, bs, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 4, (int32_t[]){4, 2, 2, 1}));
    static const int8_t want[16] = {-3, -3, -3, 4, -3, -3, 3, -3, -3, 2, -3, -3, 1, -3, -3, -3};
    CHECK(memcmp(h_data(&h, out), want, 16) == 0);
    h_free(&h);

    /* float 3-D [1,6,1], block 3, paddings (2,1): padded p p 1 2 3 4 5 6 p. */
    h_init(&h, &tfl__op_space_to_batch_nd, "SPACE_TO_BATCH_ND");
    in = h_input(&h, TFL_FLOAT32, 3, (int32_t[]){1, 6, 1}, (float[]){1, 2, 3, 4, 5, 6}, 0, 0);
    bs = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){3}, 0, 0);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){2, 1}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 3, (int[]){in, bs, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 3, (int32_t[]){3, 3, 1}));
    CHECK(memcmp(h_data(&h, out), (float[]){0, 2, 5, 0, 3, 6, 1, 4, 0}, 36) == 0);
    h_free(&h);

    /* uint8 batch 2, depth 2, block 1x2, no padding; zero point 200 unused. */
    h_init(&h, &tfl__op_space_to_batch_nd, "SPACE_TO_BATCH_ND");
    in = h_input(&h, TFL_UINT8, 4, (int32_t[]){2, 1, 2, 2}, (uint8_t[]){1, 2, 3, 4, 5, 6, 7, 8},
                 1.0f, 200);
    bs = h_tensor(&h, TFL_INT64, 1, (int32_t[]){2}, (int64_t[]){1, 2}, 0, 0);
    pd = h_tensor(&h, TFL_INT64, 2, (int32_t[]){2, 2}, (int64_t[]){0, 0, 0, 0}, 0, 0);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 1.0f, 200);
    h_io(&h, 3, (int[]){in, bs, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 4, (int32_t[]){4, 1, 1, 2}));
    /* batch = shift_w * 2 + in_batch: (b0,x0) (b1,x0) (b0,x1) (b1,x1) */
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){1, 2, 5, 6, 3, 4, 7, 8}, 8) == 0);
    h_free(&h);

    /* Computed block shape: sized at eval; a bad one fails there. */
    int32_t block[2] = {2, 1};
    h_init(&h, &tfl__op_space_to_batch_nd, "SPACE_TO_BATCH_ND");
    in = h_input(&h, TFL_INT32, 4, (int32_t[]){1, 2, 1, 1}, (int32_t[]){5, 6}, 0, 0);
    bs = h_input(&h, TFL_INT32, 1, (int32_t[]){2}, block, 0, 0);
    pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){2, 2}, (int32_t[]){0, 0, 0, 0}, 0, 0);
    out = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 3, (int[]){in, bs, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 4, (int32_t[]){2, 1, 1, 1}));
    CHECK(memcmp(h_data(&h, out), (int32_t[]){5, 6}, 8) == 0);
    block[0] = 3;
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "SPACE_TO_BATCH_ND (node 0): padded spatial dimension 0 of input "
                            "int32[1,2,1,1] (2) is not a multiple of block size 3");
    h_free(&h);
}

static tfl_status s2b_bad(op_harness *h, int nd, const int32_t *dims, const int32_t *block, int nb,
                          const int32_t *pads, int np)
{
    h_init(h, &tfl__op_space_to_batch_nd, "SPACE_TO_BATCH_ND");
    int in = h_input(h, TFL_FLOAT32, nd, dims, NULL, 0, 0);
    int bs = h_tensor(h, TFL_INT32, 1, (int32_t[]){nb}, block, 0, 0);
    int pd = h_tensor(h, TFL_INT32, 2, (int32_t[]){np, 2}, pads, 0, 0);
    int out = h_tensor(h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(h, 3, (int[]){in, bs, pd}, 1, (int[]){out});
    return h_run(h);
}

static void test_s2b_errors(void)
{
    op_harness h;
    const int32_t d4[4] = {1, 4, 4, 1};
    CHECK_EQ_INT(s2b_bad(&h, 4, d4, (int32_t[]){0, 2}, 2, (int32_t[]){0, 0, 0, 0}, 2),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "block_shape entry 0 is 0, expected >= 1");
    h_free(&h);
    CHECK_EQ_INT(s2b_bad(&h, 4, d4, (int32_t[]){-2, 2}, 2, (int32_t[]){0, 0, 0, 0}, 2),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "block_shape entry 0 is -2");
    h_free(&h);
    CHECK_EQ_INT(s2b_bad(&h, 4, d4, (int32_t[]){2, 2}, 2, (int32_t[]){0, -2, 0, 0}, 2),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "paddings of spatial dimension 0 are (0, -2), expected >= 0");
    h_free(&h);
    CHECK_EQ_INT(s2b_bad(&h, 4, d4, (int32_t[]){3, 2}, 2, (int32_t[]){0, 0, 0, 0}, 2),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "(4) is not a multiple of block size 3");
    h_free(&h);
    CHECK_EQ_INT(s2b_bad(&h, 4, d4, (int32_t[]){2}, 1, (int32_t[]){0, 0}, 1), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "block_shape int32[1] must be a vector of 2 entries");
    h_free(&h);
    CHECK_EQ_INT(s2b_bad(&h, 4, d4, (int32_t[]){2, 2}, 2, (int32_t[]){0, 0, 0, 0, 0, 0}, 3),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "paddings int32[3,2] must have shape [2, 2]");
    h_free(&h);
    CHECK_EQ_INT(s2b_bad(&h, 2, (int32_t[]){4, 4}, (int32_t[]){2}, 1, (int32_t[]){0, 0}, 1),
                 TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "input float32[4,4] must have rank 3 or 4");
    h_free(&h);
    /* Quantization must match. */
    h_init(&h, &tfl__op_space_to_batch_nd, "SPACE_TO_BATCH_ND");
    int in = h_input(&h, TFL_UINT8, 3, (int32_t[]){1, 2, 1}, NULL, 0.5f, 1);
    int bs = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){2}, 0, 0);
    int pd = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){0, 0}, 0, 0);
    int out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 2);
    h_io(&h, 3, (int[]){in, bs, pd}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "output quantization (scale 0.5, zero point 2) differs from input");
    h_free(&h);
}

static void test_b2s(void)
{
    /* int16 [4,2,3,1] = 0..23, block 2x2, crops ((1,0),(0,2)): output pixel
     * (y, x) is input batch ((y+1)%2*2 + x%2) at ((y+1)/2, x/2). */
    static int16_t x[24];
    for (int i = 0; i < 24; ++i)
        x[i] = (int16_t)i;
    op_harness h;
    h_init(&h, &tfl__op_batch_to_space_nd, "BATCH_TO_SPACE_ND");
    int in = h_input(&h, TFL_INT16, 4, (int32_t[]){4, 2, 3, 1}, x, 1.0f, 0);
    int bs = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){2, 2}, 0, 0);
    int cr = h_tensor(&h, TFL_INT32, 2, (int32_t[]){2, 2}, (int32_t[]){1, 0, 0, 2}, 0, 0);
    int out = h_tensor(&h, TFL_INT16, 1, (int32_t[]){1}, NULL, 1.0f, 0);
    h_io(&h, 3, (int[]){in, bs, cr}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 4, (int32_t[]){1, 3, 4, 1}));
    static const int16_t want[12] = {12, 18, 13, 19, 3, 9, 4, 10, 15, 21, 16, 22};
    CHECK(memcmp(h_data(&h, out), want, sizeof want) == 0);
    h_free(&h);

    /* uint8 3-D [6,2,1], block 3, crops (1,2): batches of 2 interleave. */
    static const uint8_t x3[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    h_init(&h, &tfl__op_batch_to_space_nd, "BATCH_TO_SPACE_ND");
    in = h_input(&h, TFL_UINT8, 3, (int32_t[]){6, 2, 1}, x3, 0, 0);
    bs = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){3}, 0, 0);
    cr = h_tensor(&h, TFL_INT32, 2, (int32_t[]){1, 2}, (int32_t[]){1, 2}, 0, 0);
    out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 3, (int[]){in, bs, cr}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 3, (int32_t[]){2, 3, 1}));
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){4, 8, 1, 6, 10, 3}, 6) == 0);
    h_free(&h);

    /* Round trip of the S2B result above gives the input back. */
    h_init(&h, &tfl__op_batch_to_space_nd, "BATCH_TO_SPACE_ND");
    in = h_input(&h, TFL_INT8, 4, (int32_t[]){4, 2, 2, 1},
                 (int8_t[]){-3, -3, -3, 4, -3, -3, 3, -3, -3, 2, -3, -3, 1, -3, -3, -3}, 0.5f, -3);
    bs = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){2, 2}, 0, 0);
    cr = h_tensor(&h, TFL_INT32, 2, (int32_t[]){2, 2}, (int32_t[]){1, 1, 1, 1}, 0, 0);
    out = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0.5f, -3);
    h_io(&h, 3, (int[]){in, bs, cr}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 4, (int32_t[]){1, 2, 2, 1}));
    CHECK(memcmp(h_data(&h, out), (int8_t[]){1, 2, 3, 4}, 4) == 0);
    h_free(&h);
}

static tfl_status b2s_bad(op_harness *h, const int32_t *block, const int32_t *crops, bool computed)
{
    h_init(h, &tfl__op_batch_to_space_nd, "BATCH_TO_SPACE_ND");
    int in = h_input(h, TFL_FLOAT32, 4, (int32_t[]){4, 1, 1, 1}, (float[]){1, 2, 3, 4}, 0, 0);
    int bs = computed ? h_input(h, TFL_INT32, 1, (int32_t[]){2}, block, 0, 0)
                      : h_tensor(h, TFL_INT32, 1, (int32_t[]){2}, block, 0, 0);
    int cr = h_tensor(h, TFL_INT32, 2, (int32_t[]){2, 2}, crops, 0, 0);
    int out = h_tensor(h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(h, 3, (int[]){in, bs, cr}, 1, (int[]){out});
    return h_run(h);
}

static void test_b2s_errors(void)
{
    op_harness h;
    CHECK_EQ_INT(b2s_bad(&h, (int32_t[]){3, 1}, (int32_t[]){0, 0, 0, 0}, false),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "BATCH_TO_SPACE_ND (node 0): batch of input float32[4,1,1,1] is not "
                            "divisible by the block sizes");
    h_free(&h);
    CHECK_EQ_INT(b2s_bad(&h, (int32_t[]){2, 2}, (int32_t[]){0, -1, 0, 0}, false),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "crops of spatial dimension 0 are (0, -1), expected >= 0");
    h_free(&h);
    CHECK_EQ_INT(b2s_bad(&h, (int32_t[]){2, 2}, (int32_t[]){2, 1, 0, 0}, false),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "crops (2, 1) exceed spatial dimension 0 (2)");
    h_free(&h);
    CHECK_EQ_INT(b2s_bad(&h, (int32_t[]){2, 0}, (int32_t[]){0, 0, 0, 0}, false),
                 TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "block_shape entry 1 is 0, expected >= 1");
    h_free(&h);
    CHECK_EQ_INT(b2s_bad(&h, (int32_t[]){2, 0}, (int32_t[]){0, 0, 0, 0}, true), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "block_shape entry 1 is 0, expected >= 1");
    h_free(&h);
    CHECK_EQ_INT(b2s_bad(&h, (int32_t[]){2, 2}, (int32_t[]){0, 0, 0, 0}, true), TFL_OK);
    CHECK(dims_are(&h.tensors[3], 4, (int32_t[]){1, 2, 2, 1}));
    CHECK(memcmp(h_data(&h, 3), (float[]){1, 2, 3, 4}, 16) == 0);
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_s2b), TEST(test_s2b_errors), TEST(test_b2s), TEST(test_b2s_errors))
