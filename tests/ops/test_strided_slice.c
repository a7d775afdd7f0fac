/* STRIDED_SLICE: TFLite's begin/end/stride clamping, negative strides, the
 * five masks and the offset option, computed indices and bad parameters.
 * Expected values are NumPy's slicing of an iota tensor (the TensorFlow
 * semantics), each confirmed equal to LiteRT 2.3.0's BUILTIN_REF output. */
#include "test.h"

#include "op_harness.h"

extern const tfl__op tfl__op_strided_slice;

typedef struct ss_case {
    const char *name;
    int ndim;
    int32_t dims[6];
    int n;
    int32_t begin[6], end[6], strides[6];
    int bm, em, elm, nm, sm, off;
    int out_ndim;
    int32_t out_dims[6];
    int32_t want[24];
} ss_case;

static const ss_case table[] = {
    /* TFLite ignores indices beyond the input's rank, and a second ellipsis
     * inside the first one's span (checked against LiteRT). */
    {"extra indices",
     2,
     {3, 4},
     3,
     {0, 0, 0},
     {1, 1, 1},
     {1, 1, 1},
     0,
     0,
     0,
     0,
     0,
     0,
     2,
     {1, 1},
     {0}},
    {"two ellipses",
     1,
     {3},
     3,
     {0, 0, 0},
     {1, 1, 1},
     {1, 1, 1},
     0,
     0,
     5,
     0,
     0,
     0,
     1,
     {3},
     {0, 1, 2}},
    {"1-D basic", 1, {5}, 1, {1}, {4}, {1}, 0, 0, 0, 0, 0, 0, 1, {3}, {1, 2, 3}},
    {"negative stride", 1, {5}, 1, {-1}, {-6}, {-1}, 0, 0, 0, 0, 0, 0, 1, {5}, {4, 3, 2, 1, 0}},
    {"stride -2", 1, {5}, 1, {4}, {0}, {-2}, 0, 0, 0, 0, 0, 0, 1, {2}, {4, 2}},
    {"clamped", 1, {5}, 1, {-10}, {10}, {2}, 0, 0, 0, 0, 0, 0, 1, {3}, {0, 2, 4}},
    {"empty", 1, {5}, 1, {3}, {1}, {1}, 0, 0, 0, 0, 0, 0, 1, {0}, {0}},
    {"masks",
     2,
     {4, 6},
     2,
     {1, 5},
     {3, 0},
     {1, -2},
     2,
     0,
     0,
     0,
     0,
     0,
     2,
     {2, 3},
     {11, 9, 7, 17, 15, 13}},
    {"end mask",
     2,
     {4, 6},
     2,
     {1, 5},
     {3, 0},
     {1, -2},
     0,
     3,
     0,
     0,
     0,
     0,
     2,
     {3, 3},
     {11, 9, 7, 17, 15, 13, 23, 21, 19}},
    {"shrink", 2, {4, 6}, 2, {2, 1}, {3, 4}, {1, 1}, 0, 0, 0, 0, 1, 0, 1, {3}, {13, 14, 15}},
    {"shrink both neg", 2, {4, 6}, 2, {-1, -2}, {0, 0}, {1, 1}, 0, 0, 0, 0, 3, 0, 0, {0}, {22}},
    {"partial",
     3,
     {2, 3, 4},
     1,
     {1},
     {2},
     {1},
     0,
     0,
     0,
     0,
     0,
     0,
     3,
     {1, 3, 4},
     {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}},
    {"ellipsis first",
     3,
     {2, 3, 4},
     2,
     {0, 1},
     {2, 3},
     {1, 1},
     0,
     0,
     1,
     0,
     0,
     0,
     3,
     {2, 3, 2},
     {1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22}},
    {"ellipsis mid",
     3,
     {2, 3, 4},
     3,
     {0, 0, 1},
     {1, 0, 3},
     {1, 1, 2},
     0,
     0,
     2,
     0,
     0,
     0,
     3,
     {1, 3, 1},
     {1, 5, 9}},
    {"new axis",
     3,
     {2, 3, 4},
     3,
     {0, 0, 1},
     {1, 1, 3},
     {1, 1, 1},
     0,
     0,
     0,
     2,
     0,
     0,
     4,
     {1, 1, 2, 4},
     {4, 5, 6, 7, 8, 9, 10, 11}},
    {"new+ellipsis",
     3,
     {2, 3, 4},
     3,
     {0, 0, 1},
     {1, 1, 3},
     {1, 1, 1},
     0,
     0,
     2,
     1,
     0,
     0,
     4,
     {1, 2, 3, 2},
     {1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22}},
    {"ellipsis+shrink",
     3,
     {2, 3, 4},
     2,
     {0, 1},
     {0, 2},
     {1, 1},
     0,
     0,
     1,
     0,
     2,
     0,
     2,
     {2, 3},
     {1, 5, 9, 13, 17, 21}},
    {"new+shrink",
     3,
     {2, 3, 4},
     3,
     {1, 0, 0},
     {2, 0, 0},
     {1, 1, 1},
     0,
     0,
     0,
     6,
     1,
     0,
     4,
     {1, 1, 3, 4},
     {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}},
    {"5-D",
     5,
     {2, 3, 4, 5, 2},
     5,
     {1, 0, 1, 4, 0},
     {2, 3, 3, 0, 2},
     {1, 2, 1, -3, 1},
     0,
     0,
     0,
     0,
     0,
     0,
     5,
     {1, 2, 2, 2, 2},
     {138, 139, 132, 133, 148, 149, 142, 143, 218, 219, 212, 213, 228, 229, 222, 223}},
    {"offset", 2, {3, 4}, 2, {1, 1}, {2, 2}, {1, 1}, 0, 0, 0, 0, 0, 1, 2, {2, 2}, {5, 6, 9, 10}},
    {"offset neg", 2, {3, 4}, 2, {1, -3}, {1, 2}, {1, 1}, 0, 0, 0, 0, 0, 1, 2, {1, 2}, {5, 6}},
};

enum { F_BEGIN = 0, F_END = 1, F_ELLIPSIS = 2, F_NEW_AXIS = 3, F_SHRINK = 4, F_OFFSET = 5 };

static int32_t iota[240];

/* Runs one slice of an int32 iota input; `computed` makes begin a
 * non-constant input (output sized at eval). */
static tfl_status run_case(op_harness *h, const ss_case *c, bool computed, int *out)
{
    h_init(h, &tfl__op_strided_slice, "STRIDED_SLICE");
    int in = h_input(h, TFL_INT32, c->ndim, c->dims, iota, 0, 0);
    int b = computed ? h_input(h, TFL_INT32, 1, (int32_t[]){c->n}, c->begin, 0, 0)
                     : h_tensor(h, TFL_INT32, 1, (int32_t[]){c->n}, c->begin, 0, 0);
    int e = h_tensor(h, TFL_INT32, 1, (int32_t[]){c->n}, c->end, 0, 0);
    int s = h_tensor(h, TFL_INT32, 1, (int32_t[]){c->n}, c->strides, 0, 0);
    *out = h_tensor(h, TFL_INT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(h, 4, (int[]){in, b, e, s}, 1, out);
    h_opt_i32(h, F_BEGIN, c->bm);
    h_opt_i32(h, F_END, c->em);
    h_opt_i32(h, F_ELLIPSIS, c->elm);
    h_opt_i32(h, F_NEW_AXIS, c->nm);
    h_opt_i32(h, F_SHRINK, c->sm);
    h_opt_u8(h, F_OFFSET, (uint8_t)c->off);
    return h_run(h);
}

static void check_case(const ss_case *c, bool computed)
{
    op_harness h;
    int out;
    tfl_status st = run_case(&h, c, computed, &out);
    CHECK_EQ_INT(st, TFL_OK);
    if (st != TFL_OK) {
        fprintf(stderr, "  case '%s': %s\n", c->name, h.error);
        h_free(&h);
        return;
    }
    const tfl_tensor *t = &h.tensors[out];
    int same = t->ndim == c->out_ndim;
    size_t n = 1;
    for (int k = 0; same && k < t->ndim; ++k) {
        same = t->dims[k] == c->out_dims[k];
        n *= (size_t)t->dims[k];
    }
    if (same && n)
        same = memcmp(t->data, c->want, n * 4) == 0;
    CHECK(same);
    if (!same)
        fprintf(stderr, "  case '%s' (computed begin: %d)\n", c->name, computed);
    h_free(&h);
}

static void test_table(void)
{
    for (int i = 0; i < 240; ++i)
        iota[i] = i;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i) {
        check_case(&table[i], false);
        check_case(&table[i], true);
    }
}

static void test_types(void)
{
    /* Element sizes 1, 2 and 8 with a negative stride. */
    op_harness h;
    h_init(&h, &tfl__op_strided_slice, "STRIDED_SLICE");
    int in = h_input(&h, TFL_UINT8, 1, (int32_t[]){4}, (uint8_t[]){0, 1, 254, 255}, 0.5f, 3);
    int b = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){-1}, 0, 0);
    int e = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){0}, 0, 0);
    int s = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){-2}, 0, 0);
    int out = h_tensor(&h, TFL_UINT8, 1, (int32_t[]){1}, NULL, 0.5f, 3);
    h_io(&h, 4, (int[]){in, b, e, s}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[out].dims[0], 2);
    CHECK(memcmp(h_data(&h, out), (uint8_t[]){255, 1}, 2) == 0);
    h_free(&h);

    h_init(&h, &tfl__op_strided_slice, "STRIDED_SLICE");
    in =
        h_input(&h, TFL_INT64, 2, (int32_t[]){2, 2}, (int64_t[]){INT64_MIN, 1, 2, INT64_MAX}, 0, 0);
    b = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){0, 1}, 0, 0);
    e = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){2, 2}, 0, 0);
    s = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){1, 1}, 0, 0);
    out = h_tensor(&h, TFL_INT64, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 4, (int[]){in, b, e, s}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK(memcmp(h_data(&h, out), (int64_t[]){1, INT64_MAX}, 16) == 0);
    h_free(&h);

    /* Scalar input, no indices: a copy. */
    h_init(&h, &tfl__op_strided_slice, "STRIDED_SLICE");
    in = h_input(&h, TFL_INT16, 0, NULL, (int16_t[]){-5}, 0, 0);
    b = h_tensor(&h, TFL_INT32, 1, (int32_t[]){0}, (int32_t[]){0}, 0, 0);
    e = h_tensor(&h, TFL_INT32, 1, (int32_t[]){0}, (int32_t[]){0}, 0, 0);
    s = h_tensor(&h, TFL_INT32, 1, (int32_t[]){0}, (int32_t[]){0}, 0, 0);
    out = h_tensor(&h, TFL_INT16, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 4, (int[]){in, b, e, s}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    CHECK_EQ_INT(h.tensors[out].ndim, 0);
    CHECK_EQ_INT(((int16_t *)h_data(&h, out))[0], -5);
    h_free(&h);
}

/* Cases TFLite accepts but for which it writes nothing into (part of) the
 * output: tfl refuses them instead of returning uninitialized memory. */
static void test_rejected(void)
{
    static const struct {
        ss_case c;
        const char *msg;
    } bad[] = {
        {{"shrink past end", 2, {4, 6}, 2, {1, 7}, {3, 0}, {1, 1}, 0, 0, 0, 0, 2, 0, 0, {0}, {0}},
         "shrunk axis 1: index 7 is out of range for size 6"},
        {{"shrink negative stride",
          2,
          {4, 6},
          2,
          {1, 2},
          {3, 0},
          {1, -1},
          0,
          0,
          0,
          0,
          2,
          0,
          0,
          {0},
          {0}},
         "shrunk axis 1 has negative stride -1, which TFLite does not support"},
        {{"offset past end", 2, {3, 4}, 2, {1, 1}, {2, 5}, {1, 1}, 0, 0, 0, 0, 0, 1, 0, {0}, {0}},
         "slice of axis 1 (begin 1, size 5) exceeds the input dimension 4"},
        {{"zero stride", 2, {3, 4}, 2, {0, 0}, {1, 1}, {0, 1}, 0, 0, 0, 0, 0, 0, 0, {0}, {0}},
         "stride of axis 0 is 0"},
        /* A new axis past what the input and ellipsis account for: TFLite
         * reads a dimension the input does not have. */
        {{"stray new axis",
          1,
          {3},
          3,
          {0, 0, 0},
          {1, 1, 1},
          {1, 1, 1},
          0,
          0,
          0,
          4,
          0,
          0,
          0,
          {0},
          {0}},
         "do not fit input int32[3]"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        op_harness h;
        int out;
        CHECK_EQ_INT(run_case(&h, &bad[i].c, false, &out), TFL_ERROR_BAD_MODEL);
        CHECK_CONTAINS(h.error, bad[i].msg);
        h_free(&h);
        /* With a computed begin the same problem is found at eval. */
        CHECK_EQ_INT(run_case(&h, &bad[i].c, true, &out),
                     strstr(bad[i].msg, "do not fit") ? TFL_ERROR_BAD_MODEL : TFL_ERROR_RUNTIME);
        CHECK_CONTAINS(h.error, bad[i].msg);
        h_free(&h);
    }
}

static void test_bad_inputs(void)
{
    op_harness h;
    /* Lengths differ. */
    h_init(&h, &tfl__op_strided_slice, "STRIDED_SLICE");
    int in = h_input(&h, TFL_FLOAT32, 2, (int32_t[]){2, 2}, NULL, 0, 0);
    int b = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){0, 0}, 0, 0);
    int e = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){1}, 0, 0);
    int s = h_tensor(&h, TFL_INT32, 1, (int32_t[]){2}, (int32_t[]){1, 1}, 0, 0);
    int out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 4, (int[]){in, b, e, s}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "STRIDED_SLICE (node 0): begin int32[2], end int32[1] and strides "
                            "int32[2] must be vectors of one length");
    h_free(&h);
    /* int64 indices (TFLite: int32 only). */
    h_init(&h, &tfl__op_strided_slice, "STRIDED_SLICE");
    in = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){2}, NULL, 0, 0);
    b = h_tensor(&h, TFL_INT64, 1, (int32_t[]){1}, (int64_t[]){0}, 0, 0);
    e = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){1}, 0, 0);
    s = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){1}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 4, (int[]){in, b, e, s}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "begin type int64 not supported (expected int32)");
    h_free(&h);
    /* Three inputs. */
    h_init(&h, &tfl__op_strided_slice, "STRIDED_SLICE");
    in = h_input(&h, TFL_FLOAT32, 1, (int32_t[]){2}, NULL, 0, 0);
    b = h_tensor(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){0}, 0, 0);
    out = h_tensor(&h, TFL_FLOAT32, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 3, (int[]){in, b, b}, 1, (int[]){out});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "expects 4 inputs, got 3");
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_table), TEST(test_types), TEST(test_rejected), TEST(test_bad_inputs))
