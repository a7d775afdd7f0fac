/* CAST: float to integer truncation with saturation (NaN gives the maximum),
 * integer wraparound, bool, and int64 to float rounding. Goldens from LiteRT
 * 2.3.0's CAST kernel (BUILTIN_REF resolver). */
#include <math.h>

#include "test.h"

#include "op_harness.h"
#include "ops/cast/cast.h"

extern const tfl__op tfl__op_cast;

static const float fvals[22] = {0.0f,      -0.6f,    1.5f,          -1.5f,         127.9f,
                                128.0f,    -128.5f,  -129.0f,       255.5f,        256.0f,
                                65535.9f,  65536.0f, 2147483520.0f, 2147483648.0f, -2147483648.0f,
                                -3e9f,     5e9f,     1e20f,         -1e20f,        INFINITY,
                                -INFINITY, NAN};

/* Casts n elements of `in` (type from) to type to; the result is widened
 * to int64 in got[] (floats are returned through fgot[]). */
static tfl_status cast(tfl_type from, const void *in, int n, tfl_type to, int64_t *got, float *fgot)
{
    op_harness h;
    h_init(&h, &tfl__op_cast, "CAST");
    int i = h_input(&h, from, 1, (int32_t[]){n}, in, 0, 0);
    int o = h_tensor(&h, to, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){i}, 1, (int[]){o});
    tfl_status s = h_run(&h);
    if (s == TFL_OK) {
        CHECK_EQ_INT(h.tensors[o].dims[0], n);
        const uint8_t *d = h_data(&h, o);
        for (int k = 0; k < n; ++k) {
            switch (to) {
            case TFL_UINT8: got[k] = d[k]; break;
            case TFL_BOOL: got[k] = d[k]; break;
            case TFL_INT8: got[k] = (int8_t)d[k]; break;
            case TFL_INT16: {
                int16_t v;
                memcpy(&v, d + 2 * k, 2);
                got[k] = v;
                break;
            }
            case TFL_UINT16: {
                uint16_t v;
                memcpy(&v, d + 2 * k, 2);
                got[k] = v;
                break;
            }
            case TFL_INT32: {
                int32_t v;
                memcpy(&v, d + 4 * k, 4);
                got[k] = v;
                break;
            }
            case TFL_UINT32: {
                uint32_t v;
                memcpy(&v, d + 4 * k, 4);
                got[k] = v;
                break;
            }
            case TFL_INT64: memcpy(&got[k], d + 8 * k, 8); break;
            case TFL_FLOAT32:
                if (fgot)
                    memcpy(&fgot[k], d + 4 * k, 4);
                break;
            default: break;
            }
        }
    }
    h_free(&h);
    return s;
}

static void test_float_to_int(void)
{
    static const struct {
        tfl_type to;
        int64_t want[22];
    } cases[] = {
        {TFL_UINT8, {0,   0,   1,   0, 127, 128, 0,   0, 255, 255, 255,
                     255, 255, 255, 0, 0,   255, 255, 0, 255, 0,   255}},
        {TFL_INT8, {0,   0,   1,   -1,   127,  127, -128, -128, 127, 127,  127,
                    127, 127, 127, -128, -128, 127, 127,  -128, 127, -128, 127}},
        {TFL_INT16,
         {0,     0,     1,     -1,     127,    128,   -128,  -129,   255,   256,    32767,
          32767, 32767, 32767, -32768, -32768, 32767, 32767, -32768, 32767, -32768, 32767}},
        {TFL_UINT16, {0,     0,     1,     0, 127, 128,   0,     0, 255,   256, 65535,
                      65535, 65535, 65535, 0, 0,   65535, 65535, 0, 65535, 0,   65535}},
        {TFL_INT32,
         {0,
          0,
          1,
          -1,
          127,
          128,
          -128,
          -129,
          255,
          256,
          65535,
          65536,
          2147483520,
          2147483647,
          -2147483648LL,
          -2147483648LL,
          2147483647,
          2147483647,
          -2147483648LL,
          2147483647,
          -2147483648LL,
          2147483647}},
        {TFL_UINT32,
         {0,
          0,
          1,
          0,
          127,
          128,
          0,
          0,
          255,
          256,
          65535,
          65536,
          2147483520,
          2147483648LL,
          0,
          0,
          4294967295LL,
          4294967295LL,
          0,
          4294967295LL,
          0,
          4294967295LL}},
        {TFL_INT64,
         {0,
          0,
          1,
          -1,
          127,
          128,
          -128,
          -129,
          255,
          256,
          65535,
          65536,
          2147483520,
          2147483648LL,
          -2147483648LL,
          -3000000000LL,
          5000000000LL,
          INT64_MAX,
          INT64_MIN,
          INT64_MAX,
          INT64_MIN,
          INT64_MAX}},
        {TFL_BOOL, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        int64_t got[22];
        CHECK_EQ_INT(cast(TFL_FLOAT32, fvals, 22, cases[c].to, got, NULL), TFL_OK);
        for (int k = 0; k < 22; ++k)
            if (got[k] != cases[c].want[k]) {
                CHECK_EQ_INT(got[k], cases[c].want[k]);
                fprintf(stderr, "  float32 -> %s, element %d (%g)\n", tfl_type_name(cases[c].to), k,
                        (double)fvals[k]);
            }
    }
}

static void test_int_to_int(void)
{
    static const int64_t iv[12] = {0,
                                   -1,
                                   255,
                                   256,
                                   -129,
                                   32768,
                                   1LL << 31,
                                   -(1LL << 31) - 1,
                                   (1LL << 53) + 1,
                                   (1LL << 62) + (1LL << 38) + 1,
                                   INT64_MIN,
                                   INT64_MAX};
    static const struct {
        tfl_type to;
        int64_t want[12];
    } cases[] = {
        {TFL_UINT8, {0, 255, 255, 0, 127, 0, 0, 255, 1, 1, 0, 255}},
        {TFL_INT8, {0, -1, -1, 0, 127, 0, 0, -1, 1, 1, 0, -1}},
        {TFL_INT16, {0, -1, 255, 256, -129, -32768, 0, -1, 1, 1, 0, -1}},
        {TFL_INT32, {0, -1, 255, 256, -129, 32768, -2147483648LL, 2147483647, 1, 1, 0, -1}},
        {TFL_UINT32,
         {0, 4294967295LL, 255, 256, 4294967167LL, 32768, 2147483648LL, 2147483647, 1, 1, 0,
          4294967295LL}},
        {TFL_BOOL, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
        {TFL_INT64,
         {0, -1, 255, 256, -129, 32768, 1LL << 31, -(1LL << 31) - 1, (1LL << 53) + 1,
          (1LL << 62) + (1LL << 38) + 1, INT64_MIN, INT64_MAX}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        int64_t got[12];
        CHECK_EQ_INT(cast(TFL_INT64, iv, 12, cases[c].to, got, NULL), TFL_OK);
        CHECK(memcmp(got, cases[c].want, sizeof got) == 0);
    }
    /* Narrow sources widen with sign: int8 and uint8 -> int32. */
    int64_t got[4];
    CHECK_EQ_INT(cast(TFL_INT8, (int8_t[]){-128, -1, 0, 127}, 4, TFL_INT32, got, NULL), TFL_OK);
    CHECK(memcmp(got, (int64_t[]){-128, -1, 0, 127}, sizeof got) == 0);
    CHECK_EQ_INT(cast(TFL_UINT8, (uint8_t[]){0, 1, 128, 255}, 4, TFL_INT8, got, NULL), TFL_OK);
    CHECK(memcmp(got, (int64_t[]){0, 1, -128, -1}, sizeof got) == 0);
    CHECK_EQ_INT(cast(TFL_UINT16, (uint16_t[]){0, 1, 32768, 65535}, 4, TFL_INT16, got, NULL),
                 TFL_OK);
    CHECK(memcmp(got, (int64_t[]){0, 1, -32768, -1}, sizeof got) == 0);
    CHECK_EQ_INT(
        cast(TFL_UINT32, (uint32_t[]){0, 1, 2147483648u, 4294967295u}, 4, TFL_INT64, got, NULL),
        TFL_OK);
    CHECK(memcmp(got, (int64_t[]){0, 1, 2147483648LL, 4294967295LL}, sizeof got) == 0);
    CHECK_EQ_INT(cast(TFL_BOOL, (uint8_t[]){0, 1, 1, 0}, 4, TFL_INT16, got, NULL), TFL_OK);
    CHECK(memcmp(got, (int64_t[]){0, 1, 1, 0}, sizeof got) == 0);
}

static void test_to_float(void)
{
    /* int64 -> float rounds once: 2^62 + 2^38 + 1 goes up to 2^62 + 2^39
     * (going through double would round to 2^62). */
    static const int64_t iv[4] = {-1, (1LL << 53) + 1, (1LL << 62) + (1LL << 38) + 1, INT64_MIN};
    float f[4];
    CHECK_EQ_INT(cast(TFL_INT64, iv, 4, TFL_FLOAT32, NULL, f), TFL_OK);
    CHECK(f[0] == -1.0f);
    CHECK(f[1] == 9007199254740992.0f);
    CHECK(f[2] == 4611686568183201792.0f);
    CHECK(f[3] == -9223372036854775808.0f);
    CHECK_EQ_INT(
        cast(TFL_INT32, (int32_t[]){16777217, -16777219, 2147483647, 0}, 4, TFL_FLOAT32, NULL, f),
        TFL_OK);
    CHECK(f[0] == 16777216.0f && f[1] == -16777220.0f && f[2] == 2147483648.0f && f[3] == 0.0f);
    CHECK_EQ_INT(cast(TFL_BOOL, (uint8_t[]){1, 0, 1, 0}, 4, TFL_FLOAT32, NULL, f), TFL_OK);
    CHECK(f[0] == 1.0f && f[1] == 0.0f);
    CHECK_EQ_INT(cast(TFL_UINT32, (uint32_t[]){4294967295u, 0, 0, 0}, 4, TFL_FLOAT32, NULL, f),
                 TFL_OK);
    CHECK(f[0] == 4294967296.0f);
    /* float -> float copies, NaN included. */
    CHECK_EQ_INT(cast(TFL_FLOAT32, (float[]){NAN, -0.0f, 1e-40f, 3.5f}, 4, TFL_FLOAT32, NULL, f),
                 TFL_OK);
    CHECK(isnan(f[0]) && signbit(f[1]) && f[2] == 1e-40f && f[3] == 3.5f);
}

static void test_cast_errors(void)
{
    int64_t got[2];
    CHECK_EQ_INT(cast(TFL_FLOAT16, (uint16_t[]){0, 0}, 2, TFL_FLOAT32, got, NULL),
                 TFL_ERROR_UNSUPPORTED);
    CHECK_EQ_INT(cast(TFL_FLOAT32, (float[]){0, 0}, 2, TFL_FLOAT64, got, NULL),
                 TFL_ERROR_UNSUPPORTED);
    op_harness h;
    h_init(&h, &tfl__op_cast, "CAST");
    int i = h_input(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){1}, 0, 0);
    int o = h_tensor(&h, TFL_COMPLEX64, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 1, (int[]){i}, 1, (int[]){o});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(h.error, "CAST (node 0): cast from int32 to complex64 not supported");
    h_free(&h);
    h_init(&h, &tfl__op_cast, "CAST");
    i = h_input(&h, TFL_INT32, 1, (int32_t[]){1}, (int32_t[]){1}, 0, 0);
    o = h_tensor(&h, TFL_INT8, 1, (int32_t[]){1}, NULL, 0, 0);
    h_io(&h, 2, (int[]){i, i}, 1, (int[]){o});
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "expects 1 inputs, got 2");
    h_free(&h);
}

/* The typed integer-to-float kernels against the general one: every 8-bit
 * value, int16 and int32 extremes, and int32 values that float rounds. */
static void test_typed_to_float(void)
{
    static uint8_t b8[256];
    for (int i = 0; i < 256; ++i)
        b8[i] = (uint8_t)i;
    static const int16_t v16[6] = {INT16_MIN, -1, 0, 1, 12345, INT16_MAX};
    static const int32_t v32[8] = {INT32_MIN, -16777217, -1, 0, 16777217, 16777219, 123456789,
                                   INT32_MAX};
    static const struct {
        tfl_type from;
        const void *data;
        size_t n;
        tfl_cast_fn typed;
    } cases[] = {{TFL_UINT8, b8, 256, tfl_cast_u8_f32__ref},
                 {TFL_INT8, b8, 256, tfl_cast_s8_f32__ref},
                 {TFL_INT16, v16, 6, tfl_cast_s16_f32__ref},
                 {TFL_INT32, v32, 8, tfl_cast_s32_f32__ref}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        float got[256], want[256];
        const tfl_cast_params p = {cases[c].from, TFL_FLOAT32};
        cases[c].typed(&p, cases[c].data, got, 0, cases[c].n);
        tfl_cast_any__ref(&p, cases[c].data, want, 0, cases[c].n);
        CHECK(memcmp(got, want, cases[c].n * sizeof(float)) == 0);
    }
}

TFL_TEST_MAIN(TEST(test_float_to_int), TEST(test_int_to_int), TEST(test_to_float),
              TEST(test_typed_to_float), TEST(test_cast_errors))
