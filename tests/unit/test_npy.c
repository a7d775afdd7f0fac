/* The CLI's .npy reader and writer: byte-exact agreement with files NumPy
 * writes, every dtype round trip, format versions 1.0-3.0, and hostile files
 * (bad magic, truncation at every length, huge header lengths, shape overflow,
 * short data, byte flips) that must give messages, never crashes. cli/npy.c
 * is not part of the library, so it is compiled into this test directly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cli/npy.c"
#include "test.h"

static char err[512];

/* Does buf[0..n) contain str? (The encoded files are not NUL-terminated.) */
static int contains(const void *buf, size_t n, const char *str)
{
    size_t k = strlen(str);
    for (size_t i = 0; buf && i + k <= n; ++i)
        if (memcmp((const char *)buf + i, str, k) == 0)
            return 1;
    return 0;
}

/* A .npy file with the given version and header text, padded like NumPy
 * (64-byte aligned data, '\n' last), followed by data. Returns its size. */
static size_t make_npy(unsigned char *buf, int major, const char *header, const void *data,
                       size_t data_size)
{
    size_t prefix = major == 1 ? 10 : 12;
    size_t hl = strlen(header);
    size_t total = (prefix + hl + 1 + 63) / 64 * 64;
    size_t hlen = total - prefix;
    memcpy(buf, "\x93NUMPY", 6);
    buf[6] = (unsigned char)major;
    buf[7] = 0;
    buf[8] = (unsigned char)(hlen & 0xff);
    buf[9] = (unsigned char)(hlen >> 8);
    if (major != 1)
        buf[10] = buf[11] = 0;
    memcpy(buf + prefix, header, hl);
    memset(buf + prefix + hl, ' ', hlen - hl - 1);
    buf[total - 1] = '\n';
    if (data_size)
        memcpy(buf + total, data, data_size);
    return total + data_size;
}

static unsigned char buf[8192];

static int parse_header_str(int major, const char *header, const void *data, size_t data_size,
                            npy_array *a)
{
    size_t n = make_npy(buf, major, header, data, data_size);
    return npy_parse(buf, n, a, err, sizeof err);
}

static void expect_fail(int major, const char *header, size_t data_size, const char *needle)
{
    static unsigned char zeros[4096];
    npy_array a;
    err[0] = 0;
    CHECK_EQ_INT(parse_header_str(major, header, zeros, data_size, &a), -1);
    CHECK_CONTAINS(err, needle);
    CHECK(a.data == NULL);
}

/* np.save(f, np.arange(6, dtype='<i2').reshape(2, 3)) wrote exactly these
 * 140 bytes (NumPy 2.4): 118-byte header, data at offset 128. */
static void test_matches_numpy_bytes(void)
{
    static const char header[] = "{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }";
    unsigned char expect[140];
    memcpy(expect, "\x93NUMPY\x01\x00\x76\x00", 10);
    memcpy(expect + 10, header, sizeof header - 1);
    memset(expect + 10 + sizeof header - 1, ' ', 127 - 10 - (sizeof header - 1));
    expect[127] = '\n';
    const int16_t vals[6] = {0, 1, 2, 3, 4, 5};
    memcpy(expect + 128, vals, sizeof vals); /* little-endian host */

    const int32_t dims[2] = {2, 3};
    void *out;
    size_t size;
    CHECK_EQ_INT(npy_encode(TFL_INT16, dims, 2, vals, sizeof vals, &out, &size, err, sizeof err),
                 0);
    CHECK_EQ_INT(size, 140);
    CHECK(out && memcmp(out, expect, 140) == 0);
    free(out);

    npy_array a;
    CHECK_EQ_INT(npy_parse(expect, sizeof expect, &a, err, sizeof err), 0);
    CHECK_EQ_INT(a.type, TFL_INT16);
    CHECK_EQ_INT(a.ndim, 2);
    CHECK_EQ_INT(a.dims[0], 2);
    CHECK_EQ_INT(a.dims[1], 3);
    CHECK_EQ_INT(a.count, 6);
    CHECK_EQ_INT(a.bytes, 12);
    CHECK(a.data && memcmp(a.data, vals, 12) == 0);
    npy_free(&a);
}

/* np.save of np.float32(1.5) (a 0-d array) and np.array([True, False]). */
static void test_scalar_and_bool(void)
{
    npy_array a;
    const float v = 1.5f;
    CHECK_EQ_INT(
        parse_header_str(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", &v, 4, &a),
        0);
    CHECK_EQ_INT(a.ndim, 0);
    CHECK_EQ_INT(a.count, 1);
    CHECK_EQ_INT(a.type, TFL_FLOAT32);
    float got = 0;
    if (a.data)
        memcpy(&got, a.data, 4);
    CHECK(got == 1.5f);
    npy_free(&a);

    const unsigned char b[2] = {1, 0};
    CHECK_EQ_INT(
        parse_header_str(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", b, 2, &a),
        0);
    CHECK_EQ_INT(a.type, TFL_BOOL);
    CHECK_EQ_INT(a.ndim, 1);
    CHECK_EQ_INT(a.dims[0], 2);
    npy_free(&a);

    /* The writer spells 1-d and 0-d shapes as Python does: "(2,)" and "()". */
    void *out;
    size_t size;
    const int32_t d1[1] = {2};
    CHECK_EQ_INT(npy_encode(TFL_BOOL, d1, 1, b, 2, &out, &size, err, sizeof err), 0);
    CHECK(contains(out, size, "'shape': (2,), }"));
    CHECK(contains(out, size, "'descr': '|b1'"));
    free(out);
    CHECK_EQ_INT(npy_encode(TFL_FLOAT32, NULL, 0, &v, 4, &out, &size, err, sizeof err), 0);
    CHECK(contains(out, size, "'shape': (), }"));
    CHECK_EQ_INT(size, 132);
    free(out);
}

static void test_round_trip_all_types(void)
{
    static const tfl_type types[] = {TFL_FLOAT32, TFL_FLOAT16, TFL_FLOAT64,  TFL_UINT8,  TFL_INT8,
                                     TFL_INT16,   TFL_UINT16,  TFL_INT32,    TFL_UINT32, TFL_INT64,
                                     TFL_UINT64,  TFL_BOOL,    TFL_COMPLEX64};
    static const char *descr[] = {"<f4", "<f2", "<f8", "|u1", "|i1", "<i2", "<u2",
                                  "<i4", "<u4", "<i8", "<u8", "|b1", "<c8"};
    const int32_t dims[4] = {1, 3, 1, 5}; /* odd sizes, unit dimensions */
    unsigned char data[15 * 8];
    for (size_t i = 0; i < sizeof data; ++i)
        data[i] = (unsigned char)(i * 37 + 11);
    for (size_t k = 0; k < sizeof types / sizeof types[0]; ++k) {
        size_t bytes = 15 * tfl_type_size(types[k]);
        if (types[k] == TFL_BOOL)
            for (size_t i = 0; i < 15; ++i)
                data[i] &= 1;
        void *out;
        size_t size;
        CHECK_EQ_INT(npy_encode(types[k], dims, 4, data, bytes, &out, &size, err, sizeof err), 0);
        if (!out)
            continue;
        CHECK_EQ_INT(size % 64, bytes % 64); /* data 64-byte aligned */
        char want[32];
        snprintf(want, sizeof want, "'descr': '%s'", descr[k]);
        CHECK(contains(out, size, want));
        npy_array a;
        CHECK_EQ_INT(npy_parse(out, size, &a, err, sizeof err), 0);
        CHECK_EQ_INT(a.type, types[k]);
        CHECK_EQ_INT(a.ndim, 4);
        CHECK_EQ_INT(a.dims[3], 5);
        CHECK_EQ_INT(a.bytes, bytes);
        CHECK(a.data && memcmp(a.data, data, bytes) == 0);
        npy_free(&a);
        free(out);
    }
    /* Types .npy cannot hold. */
    void *out;
    size_t size;
    CHECK_EQ_INT(npy_encode(TFL_STRING, dims, 4, data, 0, &out, &size, err, sizeof err), -1);
    CHECK_CONTAINS(err, "string");
    CHECK(out == NULL);
    CHECK_EQ_INT(npy_encode(TFL_INT4, dims, 4, data, 0, &out, &size, err, sizeof err), -1);
}

static void test_versions_and_spellings(void)
{
    const float v[2] = {1, 2};
    npy_array a;
    CHECK_EQ_INT(
        parse_header_str(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", v, 8, &a),
        0);
    CHECK_EQ_INT(a.count, 2);
    npy_free(&a);
    CHECK_EQ_INT(
        parse_header_str(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", v, 8, &a),
        0);
    npy_free(&a);
    /* Any key order, double quotes, no trailing comma, Python 2 longs,
     * extra whitespace. */
    CHECK_EQ_INT(parse_header_str(1,
                                  "{ \"shape\" : ( 1 , 2L ) , 'fortran_order':False,"
                                  "'descr':'<f4'}",
                                  v, 8, &a),
                 0);
    CHECK_EQ_INT(a.ndim, 2);
    CHECK_EQ_INT(a.dims[1], 2);
    npy_free(&a);
    /* Empty arrays carry no data. */
    CHECK_EQ_INT(parse_header_str(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (0, 3), }",
                                  NULL, 0, &a),
                 0);
    CHECK_EQ_INT(a.count, 0);
    CHECK(a.data == NULL);
    npy_free(&a);
    /* Trailing bytes after the data are ignored, as numpy.load does. */
    CHECK_EQ_INT(parse_header_str(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }",
                                  "abcdef", 6, &a),
                 0);
    CHECK_EQ_INT(a.bytes, 3);
    npy_free(&a);
}

static void test_bad_headers(void)
{
    expect_fail(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", 8, "Fortran");
    expect_fail(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8, "big-endian");
    expect_fail(1, "{'descr': '<U8', 'fortran_order': False, 'shape': (2,), }", 64,
                "dtype '<U8' is not supported");
    expect_fail(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", 64, "not supported");
    expect_fail(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8,
                "structured");
    expect_fail(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", 8, "shape");
    expect_fail(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 'a'), }", 8, "shape");
    expect_fail(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, }", 24, "shape");
    expect_fail(1, "{'descr': '<f4', 'fortran_order': False, 'shape': 2, }", 8, "tuple");
    expect_fail(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,), }", 8,
                "too large");
    expect_fail(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1), }", 4,
                "more than 8 dimensions");
    expect_fail(1, "{'descr': '<f4', 'fortran_order': False}", 8, "missing 'shape'");
    expect_fail(1, "{'fortran_order': False, 'shape': (2,)}", 8, "missing 'descr'");
    expect_fail(1, "{'descr': '<f4', 'shape': (2,)}", 8, "missing 'fortran_order'");
    expect_fail(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", 8,
                "unexpected key 'x'");
    expect_fail(1, "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}", 8, "True/False");
    expect_fail(1, "['descr', '<f4']", 8, "not a dictionary");
    expect_fail(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} junk", 8, "trailing");
    expect_fail(1, "{'descr': '<f4", 8, "bad header");
    expect_fail(1, "{'descr' '<f4', 'fortran_order': False, 'shape': (2,)}", 8, "':'");
    expect_fail(1, "{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}", 8, "','");
    expect_fail(1, "", 8, "not a dictionary");
    /* Shape products that overflow size_t, in elements or in bytes. */
    expect_fail(1,
                "{'descr': '<f4', 'fortran_order': False, "
                "'shape': (2147483647, 2147483647, 2147483647), }",
                8, "overflows");
    expect_fail(1,
                "{'descr': '<f8', 'fortran_order': False, "
                "'shape': (2147483647, 2147483647, 4), }",
                8, "overflows");
    /* Data shorter than the shape says. */
    expect_fail(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 23, "truncated");
    expect_fail(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000,), }", 8,
                "truncated");
}

static void test_bad_prefix(void)
{
    npy_array a;
    unsigned char b[64];
    memset(b, 0, sizeof b);
    CHECK_EQ_INT(npy_parse(b, sizeof b, &a, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad magic");
    CHECK_EQ_INT(npy_parse(b, 0, &a, err, sizeof err), -1);
    CHECK_EQ_INT(npy_parse(NULL, 0, &a, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad magic");
    memcpy(b, "\x93NUMPY\x04\x00", 8);
    CHECK_EQ_INT(npy_parse(b, sizeof b, &a, err, sizeof err), -1);
    CHECK_CONTAINS(err, "version 4.0");
    memcpy(b, "\x93NUMPY\x01\x01", 8);
    CHECK_EQ_INT(npy_parse(b, sizeof b, &a, err, sizeof err), -1);
    CHECK_CONTAINS(err, "version 1.1");
    /* Prefix cut inside the header length. */
    memcpy(b, "\x93NUMPY\x01\x00", 8);
    CHECK_EQ_INT(npy_parse(b, 9, &a, err, sizeof err), -1);
    CHECK_CONTAINS(err, "truncated");
    memcpy(b, "\x93NUMPY\x02\x00", 8);
    CHECK_EQ_INT(npy_parse(b, 11, &a, err, sizeof err), -1);
    CHECK_CONTAINS(err, "truncated");
    /* Header lengths beyond the limit and beyond the file. */
    memcpy(b, "\x93NUMPY\x02\x00\xff\xff\xff\xff", 12);
    CHECK_EQ_INT(npy_parse(b, sizeof b, &a, err, sizeof err), -1);
    CHECK_CONTAINS(err, "too large");
    memcpy(b, "\x93NUMPY\x01\x00\x00\x01", 10);
    CHECK_EQ_INT(npy_parse(b, sizeof b, &a, err, sizeof err), -1);
    CHECK_CONTAINS(err, "truncated .npy header");
}

/* Every prefix of a valid file fails cleanly; every single-byte change in the
 * header parses or fails without reading out of bounds (ASan checks). */
static void test_truncation_and_flips(void)
{
    static const int32_t data[6] = {1, 2, 3, 4, 5, 6};
    size_t n = make_npy(buf, 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", data,
                        sizeof data);
    npy_array a;
    for (size_t len = 0; len < n; ++len) {
        unsigned char *copy = malloc(len ? len : 1); /* exact size: ASan sees overreads */
        memcpy(copy, buf, len);
        CHECK_EQ_INT(npy_parse(copy, len, &a, err, sizeof err), -1);
        free(copy);
    }
    static const unsigned char flips[] = {0x00, 0x01, '(', ')', ',', '\'', '}', '9', 0xff};
    int ok = 0;
    for (size_t pos = 0; pos < 128; ++pos) {
        for (size_t f = 0; f < sizeof flips; ++f) {
            unsigned char *copy = malloc(n);
            memcpy(copy, buf, n);
            copy[pos] = flips[f];
            if (npy_parse(copy, n, &a, err, sizeof err) == 0) {
                ++ok;
                CHECK(a.bytes <= n);
                npy_free(&a);
            }
            free(copy);
        }
    }
    CHECK(ok > 0); /* e.g. a padding space turned into another space-like byte */
}

static void test_files(void)
{
    char path[] = "/tmp/tfl_test_npyXXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    const float v[3] = {0.5f, -1.0f, 3.25f};
    const int32_t dims[2] = {3, 1};
    CHECK_EQ_INT(npy_write_file(path, TFL_FLOAT32, dims, 2, v, sizeof v, err, sizeof err), 0);
    npy_array a;
    CHECK_EQ_INT(npy_read_file(path, &a, err, sizeof err), 0);
    CHECK_EQ_INT(a.ndim, 2);
    CHECK_EQ_INT(a.dims[0], 3);
    CHECK(a.data && memcmp(a.data, v, sizeof v) == 0);
    npy_free(&a);
    /* A file that is not .npy: the message names the file and the problem. */
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs("not numpy at all", f);
        fclose(f);
    }
    CHECK_EQ_INT(npy_read_file(path, &a, err, sizeof err), -1);
    CHECK_CONTAINS(err, path);
    CHECK_CONTAINS(err, "bad magic");
    unlink(path);
    CHECK_EQ_INT(npy_read_file("/nonexistent/x.npy", &a, err, sizeof err), -1);
    CHECK_CONTAINS(err, "cannot open '/nonexistent/x.npy'");
    CHECK_EQ_INT(npy_write_file("/nonexistent/dir/x.npy", TFL_FLOAT32, dims, 2, v, sizeof v, err,
                                sizeof err),
                 -1);
    CHECK_CONTAINS(err, "cannot create");
    npy_free(NULL);
}

TFL_TEST_MAIN(TEST(test_matches_numpy_bytes), TEST(test_scalar_and_bool),
              TEST(test_round_trip_all_types), TEST(test_versions_and_spellings),
              TEST(test_bad_headers), TEST(test_bad_prefix), TEST(test_truncation_and_flips),
              TEST(test_files))
