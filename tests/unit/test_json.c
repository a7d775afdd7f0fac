/* The CLI's JSON writer (cli/json.c, compiled in here as it is not part of the
 * library): string escaping, UTF-8 validation, commas and nesting, compact
 * arrays, numbers that JSON cannot spell. Expected texts are written by hand. */
#include <stdio.h>
#include <string.h>

#include "../../cli/json.c"
#include "test.h"

static char out[4096];

/* Reads back what was written to f. */
static const char *text_of(FILE *f)
{
    long n = ftell(f);
    rewind(f);
    size_t got =
        n > 0 ? fread(out, 1, (size_t)n < sizeof out - 1 ? (size_t)n : sizeof out - 1, f) : 0;
    out[got] = 0;
    fclose(f);
    return out;
}

static const char *escaped(const char *s, size_t n)
{
    FILE *f = tmpfile();
    if (!f)
        return "";
    json_write_escaped(f, s, n);
    return text_of(f);
}

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        ++tfl_test_checks;                                                                         \
        if (strcmp(g_, w_) != 0) {                                                                 \
            ++tfl_test_failures;                                                                   \
            fprintf(stderr, "%s:%d: got <%s>, want <%s>\n", __FILE__, __LINE__, g_, w_);           \
        }                                                                                          \
    } while (0)

static void test_escaping(void)
{
    CHECK_STR(escaped("plain", 5), "\"plain\"");
    CHECK_STR(escaped("", 0), "\"\"");
    CHECK_STR(escaped("a\"b\\c/d", 7), "\"a\\\"b\\\\c/d\"");
    CHECK_STR(escaped("\n\r\t\b\f", 5), "\"\\n\\r\\t\\b\\f\"");
    CHECK_STR(escaped("\x01\x1f\x7f", 3), "\"\\u0001\\u001f\\u007f\"");
    /* An embedded NUL is data, not the end. */
    CHECK_STR(escaped("a\0b", 3), "\"a\\u0000b\"");
}

static void test_utf8(void)
{
    /* Valid sequences pass through: e-acute, euro sign, U+1F600. */
    static const char valid[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
    CHECK_STR(escaped(valid, sizeof valid - 1), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    /* Invalid: stray continuation, 0xff, overlong '/', a UTF-16 surrogate,
     * a code point past U+10FFFF, a sequence cut short by the end. */
    CHECK_STR(escaped("\x80", 1), "\"\\ufffd\"");
    CHECK_STR(escaped("a\xff"
                      "b",
                      3),
              "\"a\\ufffdb\"");
    CHECK_STR(escaped("\xc0\xaf", 2), "\"\\ufffd\\ufffd\"");
    CHECK_STR(escaped("\xe0\x80\xaf", 3), "\"\\ufffd\\ufffd\\ufffd\"");
    CHECK_STR(escaped("\xed\xa0\x80", 3), "\"\\ufffd\\ufffd\\ufffd\"");
    CHECK_STR(escaped("\xf4\x90\x80\x80", 4), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    CHECK_STR(escaped("x\xe2\x82", 3), "\"x\\ufffd\\ufffd\"");
}

static void test_structure(void)
{
    FILE *f = tmpfile();
    if (!f)
        return;
    json_writer w;
    json_init(&w, f, 0);
    json_object_begin(&w);
    json_key(&w, "a");
    json_int(&w, -3);
    json_key(&w, "b");
    json_array_begin(&w);
    json_uint(&w, 18446744073709551615ull);
    json_double(&w, 0.5);
    json_double(&w, NAN);
    json_double(&w, -INFINITY);
    json_bool(&w, true);
    json_null(&w);
    json_string(&w, NULL);
    json_object_begin(&w);
    json_object_end(&w);
    json_array_begin(&w);
    json_array_end(&w);
    json_array_end(&w);
    json_key(&w, "k\"ey");
    json_string(&w, "v");
    json_object_end(&w);
    json_finish(&w);
    CHECK_STR(text_of(f), "{\"a\":-3,\"b\":[18446744073709551615,0.5,null,null,true,null,null,"
                          "{},[]],\"k\\\"ey\":\"v\"}\n");
}

static void test_indent_and_compact(void)
{
    FILE *f = tmpfile();
    if (!f)
        return;
    json_writer w;
    json_init(&w, f, 2);
    json_object_begin(&w);
    json_key(&w, "shape");
    json_array_begin_compact(&w);
    json_int(&w, 1);
    json_int(&w, 224);
    json_array_end(&w);
    json_key(&w, "list");
    json_array_begin(&w);
    json_int(&w, 7);
    json_array_end(&w);
    json_key(&w, "empty");
    json_array_begin(&w);
    json_array_end(&w);
    json_object_end(&w);
    json_finish(&w);
    CHECK_STR(text_of(f), "{\n  \"shape\": [1, 224],\n  \"list\": [\n    7\n  ],\n"
                          "  \"empty\": []\n}\n");
}

/* float32 values round-trip through the 9 significant digits written. */
static void test_float_digits(void)
{
    FILE *f = tmpfile();
    if (!f)
        return;
    json_writer w;
    json_init(&w, f, 0);
    json_double(&w, (double)0.0244801156f);
    float back = 0;
    sscanf(text_of(f), "%f", &back);
    CHECK(back == 0.0244801156f);
}

TFL_TEST_MAIN(TEST(test_escaping), TEST(test_utf8), TEST(test_structure),
              TEST(test_indent_and_compact), TEST(test_float_digits))
