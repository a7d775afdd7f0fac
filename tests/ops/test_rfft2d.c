/* RFFT2D: hand-derived spectra of small slices, a naive O(N^4) DFT in double
 * for non-square, cropped, padded and batched inputs (also split over
 * workers), re-prepare with a new fft_length, and bad parameters. */
#include "test.h"

#include "op_harness.h"

extern const tfl__op tfl__op_rfft2d;

static int dims_are(const tfl_tensor *t, int n, const int32_t *d)
{
    if (t->ndim != n)
        return 0;
    for (int i = 0; i < n; ++i)
        if (t->dims[i] != d[i])
            return 0;
    return 1;
}

/* Builds RFFT2D over input (float32 unless in_type says otherwise) and
 * fft_length; returns the output tensor index in *out. */
static void build(op_harness *h, tfl_type in_type, int ndim, const int32_t *dims,
                  const void *in_data, tfl_type len_type, int len_n, const void *len,
                  bool len_const, tfl_type out_type, int *out)
{
    h_init(h, &tfl__op_rfft2d, "RFFT2D");
    int in = h_input(h, in_type, ndim, dims, in_data, 0, 0);
    int l = len_const ? h_tensor(h, len_type, 1, (int32_t[]){len_n}, len, 0, 0)
                      : h_input(h, len_type, 1, (int32_t[]){len_n}, len, 0, 0);
    *out = h_tensor(h, out_type, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(h, 2, (int[]){in, l}, 1, (int[]){*out});
}

static void test_rfft2d_hand(void)
{
    op_harness h;
    int out;
    /* [[1,2,3,4],[5,6,7,8]], fft [2,4]: row DFTs [10, -2+2i, -2] and
     * [26, -2+2i, -2]; the 2-point column DFT adds and subtracts them. */
    static const float x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    build(&h, TFL_FLOAT32, 2, (int32_t[]){2, 4}, x, TFL_INT32, 2, (int32_t[]){2, 4}, true,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){2, 3}));
    static const float want[12] = {36, 0, -4, 4, -4, 0, -16, 0, 0, 0, 0, 0};
    const float *o = h_data(&h, out);
    for (int i = 0; i < 12; ++i)
        CHECK_NEAR(o[i], want[i], 1e-5);
    h_free(&h);

    /* Batch of 2 slices [3,3], fft [4,2]: columns cropped to 2 and rows
     * zero-padded to 4. With row sums s_r = a_r + b_r and differences
     * d_r = a_r - b_r, bin (k, j) = c_0 + c_1 (-i)^k + c_2 (-1)^k. */
    static const float y[18] = {1,    2, 100, 3, 5, 100, -4, 1, 100,
                                0.5f, 0, 100, 0, 0, 100, 0,  0, -100};
    build(&h, TFL_FLOAT32, 3, (int32_t[]){2, 3, 3}, y, TFL_INT32, 2, (int32_t[]){4, 2}, true,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 3, (int32_t[]){2, 4, 2}));
    /* slice 0: s = [3, 8, -3], d = [-1, -2, -5] */
    static const float want2[32] = {8, 0, -8, 0,  /* k=0: s0+s1+s2, d0+d1+d2 */
                                    6, -8, 4, 2,  /* k=1: s0-s2 - i s1, d0-d2 - i d1 */
                                    -8, 0, -4, 0, /* k=2: s0-s1+s2, d0-d1+d2 */
                                    6, 8, 4, -2,  /* k=3: s0-s2 + i s1, d0-d2 + i d1 */
                                    /* slice 1: s = d = [0.5, 0, 0] */
                                    0.5f, 0, 0.5f, 0, 0.5f, 0, 0.5f, 0, 0.5f, 0, 0.5f, 0, 0.5f, 0,
                                    0.5f, 0};
    o = h_data(&h, out);
    for (int i = 0; i < 32; ++i)
        CHECK_NEAR(o[i], want2[i], 1e-5);
    h_free(&h);

    /* fft [1,2]: sum and difference of the first row's first two elements. */
    build(&h, TFL_FLOAT32, 2, (int32_t[]){2, 2}, (float[]){7, 3, 1, 1}, TFL_INT32, 2,
          (int32_t[]){1, 2}, true, TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){1, 2}));
    o = h_data(&h, out);
    CHECK(o[0] == 10 && o[1] == 0 && o[2] == 4 && o[3] == 0);
    h_free(&h);
}

/* out[b][k][j] = sum_{r<min(H,ih), c<min(W,iw)} x[b][r][c] e^{-2 pi i (k r / H + j c / W)} */
static double naive_check(const float *x, int batch, int ih, int iw, int H, int W, const float *o)
{
    const double pi = 3.14159265358979323846;
    double worst = 0, peak = 0;
    const int K = W / 2 + 1;
    for (int b = 0; b < batch; ++b)
        for (int k = 0; k < H; ++k)
            for (int j = 0; j < K; ++j) {
                double re = 0, im = 0;
                for (int r = 0; r < ih && r < H; ++r)
                    for (int c = 0; c < iw && c < W; ++c) {
                        double a = -2 * pi * ((double)(k * r % H) / H + (double)(j * c % W) / W);
                        double v = x[(b * ih + r) * iw + c];
                        re += v * cos(a);
                        im += v * sin(a);
                    }
                const float *got = o + 2 * ((b * H + k) * K + j);
                double e = fmax(fabs(got[0] - re), fabs(got[1] - im));
                worst = fmax(worst, e);
                peak = fmax(peak, hypot(re, im));
            }
    return worst / (peak > 0 ? peak : 1);
}

static void naive_case(int nd, const int32_t *dims, int H, int W, int threads)
{
    const int ih = dims[nd - 2], iw = dims[nd - 1];
    int batch = 1;
    for (int i = 0; i < nd - 2; ++i)
        batch *= dims[i];
    const int n = batch * ih * iw;
    float *x = malloc(sizeof(float) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; ++i) /* deterministic, signs and magnitudes mixed */
        x[i] = (float)((i * 37 % 101) - 50) / 7.0f;
    op_harness h;
    int out;
    int32_t len[2] = {H, W};
    build(&h, TFL_FLOAT32, nd, dims, x, TFL_INT32, 2, len, true, TFL_COMPLEX64, &out);
    h.ctx.num_threads = threads; /* no pool: workers run one after another */
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    int32_t od[TFL_MAX_DIMS];
    for (int i = 0; i < nd; ++i)
        od[i] = dims[i];
    od[nd - 2] = H;
    od[nd - 1] = W / 2 + 1;
    CHECK(dims_are(&h.tensors[out], nd, od));
    double rel = naive_check(x, batch, ih, iw, H, W, h_data(&h, out));
    if (!(rel < 1e-6))
        fprintf(stderr, "naive %dx%d -> fft %dx%d: relative error %g\n", ih, iw, H, W, rel);
    CHECK(rel < 1e-6);
    h_free(&h);
    free(x);
}

static void test_rfft2d_naive(void)
{
    naive_case(4, (int32_t[]){2, 1, 5, 7}, 8, 16, 1); /* padded both ways, 4-D */
    naive_case(3, (int32_t[]){3, 6, 20}, 4, 8, 2);    /* cropped both ways, 2 workers */
    naive_case(3, (int32_t[]){5, 1, 512}, 1, 512, 3); /* yamnet-like frames */
    naive_case(2, (int32_t[]){16, 4}, 16, 4, 1);      /* tall */
    naive_case(2, (int32_t[]){3, 64}, 2, 64, 1);      /* wide */
    naive_case(3, (int32_t[]){7, 4, 4}, 4, 4, 3);     /* 7 slices over 3 workers */
    naive_case(3, (int32_t[]){2, 3, 3}, 32, 2, 16);   /* more threads than slices */
    naive_case(2, (int32_t[]){3, 1}, 1024, 2, 1);     /* fft_h > fft_w */
}

static void test_rfft2d_reprepare(void)
{
    /* A second prepare with a longer fft_length rebuilds the twiddles. */
    static const float x[4] = {1, 2, 3, 4};
    int32_t len[2] = {1, 2};
    op_harness h;
    int out;
    build(&h, TFL_FLOAT32, 2, (int32_t[]){1, 4}, x, TFL_INT32, 2, len, true, TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){1, 2}));
    len[1] = 4;
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(dims_are(&h.tensors[out], 2, (int32_t[]){1, 3}));
    const float *o = h_data(&h, out);
    static const float want[6] = {10, 0, -2, 2, -2, 0};
    for (int i = 0; i < 6; ++i)
        CHECK_NEAR(o[i], want[i], 1e-6);
    h_free(&h);
}

static void test_rfft2d_bad(void)
{
    static const float x[8] = {0};
    op_harness h;
    int out;
    build(&h, TFL_FLOAT32, 2, (int32_t[]){2, 4}, x, TFL_INT32, 2, (int32_t[]){3, 4}, true,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "RFFT2D (node 0): fft_length [3, 4] must be powers of two");
    h_free(&h);
    build(&h, TFL_FLOAT32, 2, (int32_t[]){2, 4}, x, TFL_INT32, 2, (int32_t[]){2, 0}, true,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "fft_length [2, 0] must be powers of two");
    h_free(&h);
    /* INT32_MIN is a power of two as uint32; still refused. */
    build(&h, TFL_FLOAT32, 2, (int32_t[]){2, 4}, x, TFL_INT32, 2, (int32_t[]){INT32_MIN, 4}, true,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    h_free(&h);
    build(&h, TFL_FLOAT32, 2, (int32_t[]){2, 4}, x, TFL_INT32, 2, (int32_t[]){2, 1 << 21}, true,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "up to 1048576");
    h_free(&h);
    /* LiteRT gives wrong values for a width of 1 (fft2d needs 2 points). */
    build(&h, TFL_FLOAT32, 2, (int32_t[]){2, 4}, x, TFL_INT32, 2, (int32_t[]){4, 1}, true,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "RFFT2D (node 0): fft_length[1] 1 not supported");
    h_free(&h);
    build(&h, TFL_FLOAT32, 2, (int32_t[]){2, 4}, x, TFL_INT32, 2, (int32_t[]){2, 4}, false,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "RFFT2D (node 0): fft_length must be a constant tensor");
    h_free(&h);
    build(&h, TFL_INT32, 2, (int32_t[]){2, 4}, x, TFL_INT32, 2, (int32_t[]){2, 4}, true,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "input type int32 not supported (float32)");
    h_free(&h);
    build(&h, TFL_FLOAT32, 2, (int32_t[]){2, 4}, x, TFL_INT32, 2, (int32_t[]){2, 4}, true,
          TFL_FLOAT32, &out);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "output type float32 is not complex64");
    h_free(&h);
    build(&h, TFL_FLOAT32, 2, (int32_t[]){2, 4}, x, TFL_INT64, 2, (int64_t[]){2, 4}, true,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "fft_length int64[2] must be int32[2]");
    h_free(&h);
    build(&h, TFL_FLOAT32, 2, (int32_t[]){2, 4}, x, TFL_INT32, 3, (int32_t[]){2, 4, 4}, true,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "fft_length int32[3] must be int32[2]");
    h_free(&h);
    build(&h, TFL_FLOAT32, 1, (int32_t[]){8}, x, TFL_INT32, 2, (int32_t[]){2, 4}, true,
          TFL_COMPLEX64, &out);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "input float32[8] needs rank 2 or more");
    h_free(&h);
    /* Wrong input count. */
    h_init(&h, &tfl__op_rfft2d, "RFFT2D");
    int in = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 4}, x, 0, 0);
    out = h_tensor(&h, TFL_COMPLEX64, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){in}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_rfft2d_hand), TEST(test_rfft2d_naive), TEST(test_rfft2d_reprepare),
              TEST(test_rfft2d_bad))
