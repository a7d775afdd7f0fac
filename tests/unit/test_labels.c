/* Label files: plain lines, "index label" lines, JSON objects and arrays, the
 * shared label files in ../shared/labels, and every malformed case with its
 * message. Skips (77) when tfl is built without TFL_VISION. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "tfl.h"

#ifndef TFL_TEST_VISION
#define TFL_TEST_VISION 0
#endif

#if !TFL_TEST_VISION
int main(void)
{
    (void)tfl_test_failures;
    (void)tfl_test_checks;
    printf("skipped: tfl built without TFL_VISION (no label support)\n");
    return 77;
}
#else

static int streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static tfl_labels *parse(const char *text)
{
    tfl_error err;
    tfl_labels *l = tfl_labels_load_buffer(text, strlen(text), &err);
    if (!l)
        fprintf(stderr, "unexpected error: %s\n", err.message);
    return l;
}

/* Parses and expects an error whose message contains needle. */
static void bad(const char *text, size_t size, const char *needle)
{
    tfl_error err;
    tfl_labels *l = tfl_labels_load_buffer(text, size, &err);
    CHECK(l == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, needle);
    tfl_labels_free(l);
}

static void test_plain_lines(void)
{
    tfl_labels *l = parse("cat\r\n  dog \t\r\n\nbird");
    CHECK_EQ_INT(tfl_labels_count(l), 4);
    CHECK(streq(tfl_labels_get(l, 0), "cat"));
    CHECK(streq(tfl_labels_get(l, 1), "dog"));
    CHECK(streq(tfl_labels_get(l, 2), "")); /* empty line kept: indices stay aligned */
    CHECK(tfl_labels_has(l, 2));
    CHECK(streq(tfl_labels_get(l, 3), "bird"));
    tfl_labels_free(l);

    l = parse("a\nb\n\n \r\n\n"); /* blank lines at the end make no labels */
    CHECK_EQ_INT(tfl_labels_count(l), 2);
    tfl_labels_free(l);

    l = parse("\xef\xbb\xbf"
              "first\nsecond\n"); /* UTF-8 BOM */
    CHECK(streq(tfl_labels_get(l, 0), "first"));
    tfl_labels_free(l);

    l = parse("\xff\xfe caf\xc3\xa9\n"); /* bytes pass through, valid UTF-8 or not */
    CHECK(streq(tfl_labels_get(l, 0), "\xff\xfe caf\xc3\xa9"));
    tfl_labels_free(l);

    /* Not index lines: only some lines start with a number, or no whitespace follows. */
    l = parse("0 zero\none\n");
    CHECK_EQ_INT(tfl_labels_count(l), 2);
    CHECK(streq(tfl_labels_get(l, 0), "0 zero"));
    tfl_labels_free(l);
    l = parse("7\n8\n9\n");
    CHECK_EQ_INT(tfl_labels_count(l), 3);
    CHECK(streq(tfl_labels_get(l, 0), "7"));
    tfl_labels_free(l);
    l = parse("n01440764 tench\nn01443537 goldfish\n");
    CHECK(streq(tfl_labels_get(l, 1), "n01443537 goldfish"));
    tfl_labels_free(l);
    /* "[PAD]" opens a vocabulary, not a JSON array. */
    l = parse("[PAD]\n[UNK]\n");
    CHECK_EQ_INT(tfl_labels_count(l), 2);
    CHECK(streq(tfl_labels_get(l, 1), "[UNK]"));
    tfl_labels_free(l);
}

/* Exactly the limit of plain labels loads; one more line, with or without
 * a final newline, is refused. */
static void test_plain_line_limit(void)
{
    const size_t max = 1048576;
    char *text = malloc(2 * (max + 1) + 1);
    CHECK(text != NULL);
    if (!text)
        return;
    for (size_t i = 0; i < max + 1; ++i) {
        text[2 * i] = 'x';
        text[2 * i + 1] = '\n';
    }
    tfl_error err;
    tfl_labels *l = tfl_labels_load_buffer(text, 2 * max, &err);
    CHECK_EQ_INT(tfl_labels_count(l), (int)max);
    tfl_labels_free(l);
    bad(text, 2 * max + 1, "1048577 lines is more than the 1048576 labels tfl accepts");
    bad(text, 2 * max + 2, "lines is more than the 1048576 labels tfl accepts");
    free(text);
}

static void test_index_lines(void)
{
    tfl_labels *l = parse("0  person\n1  bicycle\n2  car\n");
    CHECK_EQ_INT(tfl_labels_count(l), 3);
    CHECK(streq(tfl_labels_get(l, 1), "bicycle"));
    tfl_labels_free(l);

    /* Gaps (as in COCO's 90-id map) and unordered lines; blank lines ignored. */
    l = parse("  5\tfive words here \r\n\n0 zero\n12 twelve\n");
    CHECK_EQ_INT(tfl_labels_count(l), 13);
    CHECK(streq(tfl_labels_get(l, 5), "five words here"));
    CHECK(streq(tfl_labels_get(l, 12), "twelve"));
    CHECK(!tfl_labels_has(l, 3));
    CHECK(streq(tfl_labels_get(l, 3), "class 3"));
    tfl_labels_free(l);

    l = parse("1048575 last\n");
    CHECK_EQ_INT(tfl_labels_count(l), 1048576);
    CHECK(streq(tfl_labels_get(l, 1048575), "last"));
    tfl_labels_free(l);

    const char *dup = "0 a\n1 b\n0 c\n";
    bad(dup, strlen(dup), "duplicate label index 0 (lines 1 and 3)");
    const char *neg = "0 a\n-1 b\n";
    bad(neg, strlen(neg), "line 2: negative label index -1");
    const char *big = "0 a\n1048576 b\n";
    bad(big, strlen(big), "line 2: label index 1048576 is too large (limit 1048575)");
    const char *huge = "99999999999999999999999999999999 x\n";
    bad(huge, strlen(huge), "line 1: label index 999999999999999999999999... is too large");
}

static void test_json(void)
{
    tfl_labels *l = parse(" {\"0\": \"cat\", \"2\": \"dog\", \"10\": \"caf\\u00e9\"}\n");
    CHECK_EQ_INT(tfl_labels_count(l), 11);
    CHECK(streq(tfl_labels_get(l, 0), "cat"));
    CHECK(streq(tfl_labels_get(l, 1), "class 1"));
    CHECK(streq(tfl_labels_get(l, 10), "caf\xc3\xa9"));
    tfl_labels_free(l);

    l = parse("[\"background\", \"tench\", \"  spaced  \"]");
    CHECK_EQ_INT(tfl_labels_count(l), 3);
    CHECK(streq(tfl_labels_get(l, 2), "  spaced  ")); /* JSON strings are taken as written */
    tfl_labels_free(l);

    const char *cases[][2] = {
        {"{\"0\": \"a\", \"00\": \"b\"}", "duplicate label index 0"},
        {"{\"x\": \"a\"}", "JSON key \"x\" is not a class index"},
        {"{\"1a\": \"a\"}", "is not a class index"},
        {"{\"-3\": \"a\"}", "JSON key \"-3\": negative label index"},
        {"{\"99999999\": \"a\"}", "label index too large"},
        {"{\"0\": 5}", "JSON value of key \"0\" is not a string"},
        {"[\"a\", 1]", "JSON array element 1 is not a string"},
        {"[\"a\", null]", "JSON array element 1 is not a string"},
        {"[]", "no labels (empty JSON array)"},
        {"{}", "no labels (empty JSON object)"},
        {"{\"0\": \"a\",", "invalid JSON near byte"},
        {"[\"a\"] trailing", "unexpected data after the JSON at byte 6"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i)
        bad(cases[i][0], strlen(cases[i][0]), cases[i][1]);
}

static void test_malformed(void)
{
    bad("", 0, "no labels (the file is empty)");
    bad(" \n\r\n\t\n", 6, "no labels");
    bad("cat\0dog\n", 8, "NUL byte at offset 3 (a binary file?)");
    char *line = malloc(70010);
    memset(line, 'x', 70000);
    memcpy(line + 70000, "\nshort\n", 8);
    bad(line, strlen(line), "line 1 is 70000 bytes long (limit 65536)");
    line[65536] = '\n';
    tfl_labels *l = parse(line); /* exactly the limit */
    CHECK_EQ_INT(tfl_labels_count(l), 3);
    CHECK(l && strlen(tfl_labels_get(l, 0)) == 65536);
    tfl_labels_free(l);
    free(line);

    tfl_error err;
    CHECK(tfl_labels_load_buffer(NULL, 5, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_INVALID_ARGUMENT);
    tfl_labels_free(NULL);
    CHECK_EQ_INT(tfl_labels_count(NULL), 0);
    CHECK(streq(tfl_labels_get(NULL, 3), "class 3"));
    CHECK(!tfl_labels_has(NULL, 0));
}

/* Random text made of label-file characters: never a crash, a clean status. */
static void test_random_text(void)
{
    static const char alphabet[] = "0123456789 \t\r\n-{}[]\",:\\abc\x80\xff";
    uint32_t seed = 12345;
    char buf[256];
    for (int iter = 0; iter < 20000; ++iter) {
        size_t n = (size_t)(iter % 200);
        for (size_t i = 0; i < n; ++i) {
            seed = seed * 1664525u + 1013904223u;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        tfl_error err;
        tfl_labels *l = tfl_labels_load_buffer(buf, n, &err);
        CHECK(l != NULL || err.status == TFL_ERROR_INVALID_ARGUMENT);
        for (int i = -1; l && i <= tfl_labels_count(l); ++i)
            CHECK(tfl_labels_get(l, i) != NULL);
        tfl_labels_free(l);
    }
}

static void test_placeholders_and_counts(void)
{
    tfl_labels *l = parse("a\nb\n");
    const char *p[4];
    for (int i = 0; i < 4; ++i)
        p[i] = tfl_labels_get(l, 100 + i);
    CHECK(streq(p[0], "class 100") && streq(p[3], "class 103")); /* four stay valid */
    CHECK(streq(tfl_labels_get(l, -7), "class -7"));
    char buf[160];
    CHECK_EQ_INT(tfl_labels_check_count(l, 2, buf, sizeof buf), 0);
    CHECK(streq(buf, ""));
    CHECK_EQ_INT(tfl_labels_check_count(l, 3, buf, sizeof buf), 1);
    CHECK(streq(buf, "2 labels vs 3 scores (the model may have a background class at index 0)"));
    CHECK_EQ_INT(tfl_labels_check_count(l, 1, buf, sizeof buf), 1);
    CHECK_CONTAINS(buf, "2 labels vs 1 scores (the labels may start with a background class");
    CHECK_EQ_INT(tfl_labels_check_count(l, 10, buf, sizeof buf), 1);
    CHECK_CONTAINS(buf, "2 labels vs 10 scores (scores past the last label show as 'class N')");
    CHECK_EQ_INT(tfl_labels_check_count(l, 0, buf, sizeof buf), 1);
    CHECK_CONTAINS(buf, "the extra labels are unused");
    CHECK_EQ_INT(tfl_labels_check_count(l, 3, NULL, 0), 1);
    CHECK_EQ_INT(tfl_labels_check_count(l, 3, buf, 5), 1);
    CHECK(streq(buf, "2 la"));
    tfl_labels_free(l);
}

static int g_missing;

static tfl_labels *load_shared(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/labels/%s", TFL_SHARED_DIR, name);
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "skip: %s not found\n", path);
        g_missing = 1;
        return NULL;
    }
    tfl_error err;
    tfl_labels *l = tfl_labels_load_file(path, &err);
    if (!l)
        fprintf(stderr, "%s\n", err.message);
    CHECK(l != NULL);
    return l;
}

static void test_shared_files(void)
{
    tfl_labels *l = load_shared("imagenet_1001_labels.txt");
    if (l) {
        CHECK_EQ_INT(tfl_labels_count(l), 1001);
        CHECK(streq(tfl_labels_get(l, 0), "background"));
        CHECK(streq(tfl_labels_get(l, 1000), "toilet tissue"));
        char buf[160];
        CHECK_EQ_INT(tfl_labels_check_count(l, 1001, buf, sizeof buf), 0);
    }
    tfl_labels_free(l);
    l = load_shared("coral_imagenet_labels.txt");
    if (l) {
        CHECK_EQ_INT(tfl_labels_count(l), 1001);
        CHECK(streq(tfl_labels_get(l, 1), "tench, Tinca tinca"));
    }
    tfl_labels_free(l);
    l = load_shared("coco_labelmap.txt");
    if (l) {
        CHECK_EQ_INT(tfl_labels_count(l), 90);
        CHECK(streq(tfl_labels_get(l, 11), "???"));
    }
    tfl_labels_free(l);
    l = load_shared("coral_coco_labels.txt");
    if (l) {
        CHECK_EQ_INT(tfl_labels_count(l), 90);
        CHECK(streq(tfl_labels_get(l, 11), "n/a"));
    }
    tfl_labels_free(l);
    l = load_shared("coral_inat_bird_labels.txt");
    if (l)
        CHECK_EQ_INT(tfl_labels_count(l), 965);
    tfl_labels_free(l);
    /* 21 classes, a blank line, then two lines of prose: kept, as lines. */
    l = load_shared("coral_pascal_voc_segmentation_labels.txt");
    if (l) {
        CHECK_EQ_INT(tfl_labels_count(l), 24);
        CHECK(streq(tfl_labels_get(l, 20), "tvmonitor"));
        CHECK(streq(tfl_labels_get(l, 21), ""));
    }
    tfl_labels_free(l);
}

static void test_load_file(void)
{
    tfl_error err;
    CHECK(tfl_labels_load_file("/nonexistent/labels.txt", &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_IO);
    CHECK_CONTAINS(err.message, "cannot open '/nonexistent/labels.txt'");
    CHECK(tfl_labels_load_file("/tmp", &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_IO);
    CHECK_CONTAINS(err.message, "is a directory");
    CHECK(tfl_labels_load_file(NULL, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_INVALID_ARGUMENT);

    char path[] = "/tmp/tfl_test_labelsXXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    static const char body[] = "{\"1\": \"one\", \"1\": \"uno\"}";
    CHECK(write(fd, body, sizeof body - 1) == (ssize_t)(sizeof body - 1));
    close(fd);
    CHECK(tfl_labels_load_file(path, &err) == NULL);
    CHECK_CONTAINS(err.message, path); /* the message names the file */
    CHECK_CONTAINS(err.message, ": duplicate label index 1 in the JSON");
    fd = open(path, O_WRONLY | O_TRUNC);
    CHECK(write(fd, "x\ny\n", 4) == 4);
    close(fd);
    tfl_labels *l = tfl_labels_load_file(path, &err);
    CHECK(l && tfl_labels_count(l) == 2 && streq(tfl_labels_get(l, 1), "y"));
    tfl_labels_free(l);
    unlink(path);
}

int main(void)
{
    static const tfl_test_case cases[] = {
        TEST(test_plain_lines),  TEST(test_plain_line_limit), TEST(test_index_lines),
        TEST(test_json),         TEST(test_malformed),        TEST(test_random_text),
        TEST(test_placeholders_and_counts), TEST(test_shared_files), TEST(test_load_file),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        int before = tfl_test_failures;
        cases[i].fn();
        printf("%s %s\n", tfl_test_failures == before ? "ok  " : "FAIL", cases[i].name);
    }
    printf("%d checks, %d failures\n", tfl_test_checks, tfl_test_failures);
    if (tfl_test_failures)
        return 1;
    if (g_missing) {
        printf("shared label files skipped: %s/labels not found\n", TFL_SHARED_DIR);
        return 77;
    }
    return 0;
}
#endif
