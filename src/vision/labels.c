/* Label files (see labels.h): format detection, parsing with errors that name
 * the line or index, placeholders for unnamed indices, a count check. */
#include "vision/labels.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

static tfl_labels *fail(tfl_error *err, tfl_status s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tfl__error_vset(err, s, fmt, ap);
    va_end(ap);
    return NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static tfl_labels *labels_new(int count, size_t text_size, tfl_error *err)
{
    tfl_labels *l = calloc(1, sizeof *l);
    if (l) {
        l->count = count;
        l->labels = calloc(count ? (size_t)count : 1, sizeof *l->labels);
        l->text = malloc(text_size ? text_size : 1);
    }
    if (!l || !l->labels || !l->text) {
        tfl_labels_free(l);
        return fail(err, TFL_ERROR_NO_MEMORY, "out of memory for %d labels", count);
    }
    return l;
}

void tfl_labels_free(tfl_labels *l)
{
    if (!l)
        return;
    free((void *)l->labels);
    free(l->text);
    free(l);
}

/* ---- Text: one label per line, or "index label" lines ---- */

typedef struct line {
    char *s; /* trimmed, NUL-terminated in the labels' own copy */
    size_t n;
} line;

/* Splits text (owned, modified) into trimmed lines. */
static line *split_lines(char *text, size_t size, int *count, tfl_error *err)
{
    size_t n = 1;
    for (size_t i = 0; i < size; ++i)
        n += text[i] == '\n';
    if (n > (size_t)TFL__LABELS_MAX_INDEX + 2) {
        fail(err, TFL_ERROR_INVALID_ARGUMENT, "%zu lines is more than the %d labels tfl accepts", n,
             TFL__LABELS_MAX_INDEX + 1);
        return NULL;
    }
    line *lines = malloc(n * sizeof *lines);
    if (!lines) {
        fail(err, TFL_ERROR_NO_MEMORY, "out of memory");
        return NULL;
    }
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= size; ++i) {
        if (i < size && text[i] != '\n')
            continue;
        size_t b = start, e = i;
        while (b < e && is_space(text[b]))
            ++b;
        while (e > b && is_space(text[e - 1]))
            --e;
        if (e - b > TFL__LABELS_MAX_LABEL) {
            fail(err, TFL_ERROR_INVALID_ARGUMENT, "line %zu is %zu bytes long (limit %d)", k + 1,
                 e - b, TFL__LABELS_MAX_LABEL);
            free(lines);
            return NULL;
        }
        text[e] = 0; /* e <= size: the copy has one spare byte */
        lines[k].s = text + b;
        lines[k].n = e - b;
        ++k;
        start = i + 1;
    }
    /* A final newline, or blank lines at the end, make no labels. */
    while (k > 0 && lines[k - 1].n == 0)
        --k;
    /* The count above allows for a final newline; without one, a file of
     * one line too many must still be refused here. */
    if (k > (size_t)TFL__LABELS_MAX_INDEX + 1) {
        fail(err, TFL_ERROR_INVALID_ARGUMENT, "%zu lines is more than the %d labels tfl accepts", k,
             TFL__LABELS_MAX_INDEX + 1);
        free(lines);
        return NULL;
    }
    *count = (int)k;
    return lines;
}

/* "17 label": an optional minus sign, digits, whitespace, then text. */
static int is_index_line(const line *ln)
{
    const char *p = ln->s;
    if (*p == '-')
        ++p;
    if (!is_digit(*p))
        return 0;
    while (is_digit(*p))
        ++p;
    return is_space(*p);
}

/* Parses the index of an index line; -1 with err set when bad. */
static long parse_index(const line *ln, size_t lineno, char **rest, tfl_error *err)
{
    const char *p = ln->s;
    int neg = *p == '-';
    p += neg;
    long v = 0;
    int big = 0;
    for (; is_digit(*p); ++p) {
        v = v * 10 + (*p - '0');
        if (v > TFL__LABELS_MAX_INDEX) {
            big = 1;
            v = TFL__LABELS_MAX_INDEX + 1; /* keep going without overflow */
        }
    }
    int digits = (int)(p - ln->s);
    if (neg) {
        fail(err, TFL_ERROR_INVALID_ARGUMENT, "line %zu: negative label index %.*s", lineno,
             digits > 24 ? 24 : digits, ln->s);
        return -1;
    }
    if (big) {
        fail(err, TFL_ERROR_INVALID_ARGUMENT,
             "line %zu: label index %.*s%s is too large (limit %d)", lineno,
             digits > 24 ? 24 : digits, ln->s, digits > 24 ? "..." : "", TFL__LABELS_MAX_INDEX);
        return -1;
    }
    while (is_space(*p))
        ++p;
    *rest = (char *)p;
    return v;
}

static tfl_labels *parse_indexed(line *lines, int n, tfl_labels *l, tfl_error *err)
{
    long max = -1;
    char *rest;
    for (int i = 0; i < n; ++i) {
        if (lines[i].n == 0)
            continue;
        long v = parse_index(&lines[i], (size_t)i + 1, &rest, err);
        if (v < 0)
            return NULL;
        if (v > max)
            max = v;
    }
    l->count = (int)max + 1;
    free((void *)l->labels);
    l->labels = calloc((size_t)l->count, sizeof *l->labels);
    int *line_of = calloc((size_t)l->count, sizeof *line_of);
    if (!l->labels || !line_of) {
        free(line_of);
        return fail(err, TFL_ERROR_NO_MEMORY, "out of memory for %d labels", l->count);
    }
    for (int i = 0; i < n; ++i) {
        if (lines[i].n == 0)
            continue;
        long v = parse_index(&lines[i], (size_t)i + 1, &rest, err);
        if (line_of[v]) {
            fail(err, TFL_ERROR_INVALID_ARGUMENT, "duplicate label index %ld (lines %d and %d)", v,
                 line_of[v], i + 1);
            free(line_of);
            return NULL;
        }
        line_of[v] = i + 1;
        l->labels[v] = rest;
    }
    free(line_of);
    return l;
}

static tfl_labels *parse_text(const char *data, size_t size, tfl_error *err)
{
    tfl_labels *l = labels_new(0, size + 1, err);
    if (!l)
        return NULL;
    memcpy(l->text, data, size);
    l->text[size] = 0;
    int n;
    line *lines = split_lines(l->text, size, &n, err);
    if (!lines)
        goto fail;
    if (n == 0) {
        fail(err, TFL_ERROR_INVALID_ARGUMENT, "no labels (the file is empty)");
        goto fail;
    }
    int indexed = 1;
    for (int i = 0; i < n && indexed; ++i)
        indexed = lines[i].n == 0 || is_index_line(&lines[i]);
    if (indexed) {
        if (!parse_indexed(lines, n, l, err))
            goto fail;
    } else {
        free((void *)l->labels);
        l->count = n;
        l->labels = malloc((size_t)n * sizeof *l->labels);
        if (!l->labels) {
            fail(err, TFL_ERROR_NO_MEMORY, "out of memory for %d labels", n);
            goto fail;
        }
        for (int i = 0; i < n; ++i)
            l->labels[i] = lines[i].s;
    }
    free(lines);
    return l;
fail:
    free(lines);
    tfl_labels_free(l);
    return NULL;
}

/* ---- JSON: {"0": "cat", ...} or ["cat", ...] ---- */

static int json_index(const char *key, long *out)
{
    long v = 0;
    if (!is_digit(*key))
        return *key == '-' && is_digit(key[1]) ? -2 : -1;
    for (; is_digit(*key); ++key) {
        v = v * 10 + (*key - '0');
        if (v > TFL__LABELS_MAX_INDEX)
            return -3;
    }
    if (*key)
        return -1;
    *out = v;
    return 0;
}

static tfl_labels *parse_json(const char *data, size_t size, tfl_error *err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data, size, &end, 0);
    if (!root) {
        size_t at = end && end >= data && end <= data + size ? (size_t)(end - data) : 0;
        return fail(err, TFL_ERROR_INVALID_ARGUMENT, "invalid JSON near byte %zu", at);
    }
    for (const char *p = end; p && p < data + size; ++p)
        if (!is_space(*p) && *p != '\n') {
            cJSON_Delete(root);
            return fail(err, TFL_ERROR_INVALID_ARGUMENT,
                        "unexpected data after the JSON at byte %zu", (size_t)(p - data));
        }
    tfl_labels *l = NULL;
    int is_array = cJSON_IsArray(root);
    if (!is_array && !cJSON_IsObject(root)) {
        fail(err, TFL_ERROR_INVALID_ARGUMENT, "JSON labels must be an object or an array");
        goto done;
    }
    /* First pass: validate, find the count and the text size. */
    long max = -1;
    size_t text = 0;
    int i = 0;
    for (cJSON *it = root->child; it; it = it->next, ++i) {
        long v = i;
        if (!is_array) {
            int k = json_index(it->string ? it->string : "", &v);
            if (k < 0) {
                fail(err, TFL_ERROR_INVALID_ARGUMENT,
                     k == -2   ? "JSON key \"%.40s\": negative label index"
                     : k == -3 ? "JSON key \"%.40s\": label index too large (limit 1048575)"
                               : "JSON key \"%.40s\" is not a class index",
                     it->string ? it->string : "");
                goto done;
            }
        } else if (v > TFL__LABELS_MAX_INDEX) {
            fail(err, TFL_ERROR_INVALID_ARGUMENT, "more than %d labels", TFL__LABELS_MAX_INDEX + 1);
            goto done;
        }
        if (!cJSON_IsString(it) || !it->valuestring) {
            if (is_array)
                fail(err, TFL_ERROR_INVALID_ARGUMENT, "JSON array element %d is not a string", i);
            else
                fail(err, TFL_ERROR_INVALID_ARGUMENT, "JSON value of key \"%.40s\" is not a string",
                     it->string);
            goto done;
        }
        size_t n = strlen(it->valuestring);
        if (n > TFL__LABELS_MAX_LABEL) {
            fail(err, TFL_ERROR_INVALID_ARGUMENT, "label %ld is %zu bytes long (limit %d)", v, n,
                 TFL__LABELS_MAX_LABEL);
            goto done;
        }
        text += n + 1;
        if (v > max)
            max = v;
    }
    if (max < 0) {
        fail(err, TFL_ERROR_INVALID_ARGUMENT, "no labels (empty JSON %s)",
             is_array ? "array" : "object");
        goto done;
    }
    l = labels_new((int)max + 1, text, err);
    if (!l)
        goto done;
    /* Second pass: copy; duplicates are found here. */
    char *w = l->text;
    i = 0;
    for (cJSON *it = root->child; it; it = it->next, ++i) {
        long v = i;
        if (!is_array)
            json_index(it->string, &v);
        if (l->labels[v]) {
            fail(err, TFL_ERROR_INVALID_ARGUMENT, "duplicate label index %ld in the JSON", v);
            tfl_labels_free(l);
            l = NULL;
            goto done;
        }
        size_t n = strlen(it->valuestring) + 1;
        memcpy(w, it->valuestring, n);
        l->labels[v] = w;
        w += n;
    }
done:
    cJSON_Delete(root);
    return l;
}

/* JSON when the text opens with '{', or with '[' then '"' or ']' — so a
 * plain file whose first label is "[PAD]" stays plain. */
static int looks_like_json(const char *p, const char *end)
{
    while (p < end && (is_space(*p) || *p == '\n'))
        ++p;
    if (p < end && *p == '{')
        return 1;
    if (p >= end || *p != '[')
        return 0;
    for (++p; p < end && (is_space(*p) || *p == '\n'); ++p)
        ;
    return p < end && (*p == '"' || *p == ']');
}

tfl_labels *tfl_labels_load_buffer(const void *data, size_t size, tfl_error *err)
{
    if (err) {
        err->status = TFL_OK;
        err->message[0] = 0;
    }
    if (!data && size)
        return fail(err, TFL_ERROR_INVALID_ARGUMENT, "label data is NULL");
    const char *p = data ? data : "";
    if (size > TFL__LABELS_MAX_FILE)
        return fail(err, TFL_ERROR_INVALID_ARGUMENT, "label data is %zu bytes (limit %d)", size,
                    TFL__LABELS_MAX_FILE);
    const char *nul = memchr(p, 0, size);
    if (nul)
        return fail(err, TFL_ERROR_INVALID_ARGUMENT,
                    "label data has a NUL byte at offset %zu (a binary file?)", (size_t)(nul - p));
    if (size >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) { /* UTF-8 byte order mark */
        p += 3;
        size -= 3;
    }
    if (looks_like_json(p, p + size))
        return parse_json(p, size, err);
    return parse_text(p, size, err);
}

/* Prefixes err's message with "what: " (file path or packed file name). */
static void prefix_message(tfl_error *err, const char *what)
{
    if (!err || err->status == TFL_OK)
        return;
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%.200s: %s", what, err->message);
    memcpy(err->message, msg, sizeof msg);
}

tfl_labels *tfl_labels_load_file(const char *path, tfl_error *err)
{
    if (err) {
        err->status = TFL_OK;
        err->message[0] = 0;
    }
    if (!path)
        return fail(err, TFL_ERROR_INVALID_ARGUMENT, "label file path is NULL");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(err, TFL_ERROR_IO, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return fail(err, TFL_ERROR_IO, "cannot stat '%s': %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return fail(err, TFL_ERROR_IO, "cannot read '%s': %s", path,
                    S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
    }
    if (st.st_size > TFL__LABELS_MAX_FILE) {
        close(fd);
        return fail(err, TFL_ERROR_INVALID_ARGUMENT, "'%s' is %lld bytes (limit %d for labels)",
                    path, (long long)st.st_size, TFL__LABELS_MAX_FILE);
    }
    size_t size = (size_t)st.st_size, got = 0;
    char *buf = malloc(size ? size : 1);
    if (!buf) {
        close(fd);
        return fail(err, TFL_ERROR_NO_MEMORY, "out of memory reading '%s'", path);
    }
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            free(buf);
            close(fd);
            return fail(err, TFL_ERROR_IO, "cannot read '%s': %s", path, strerror(e));
        }
        got += (size_t)n;
    }
    close(fd);
    tfl_labels *l = tfl_labels_load_buffer(buf, size, err);
    free(buf);
    if (!l)
        prefix_message(err, path);
    return l;
}

tfl_labels *tfl_labels_from_metadata(const tfl_metadata *md, int output, const char *locale,
                                     tfl_error *err)
{
    const char *name;
    const void *data;
    size_t size;
    if (tfl_metadata_label_file(md, output, locale, &name, &data, &size, err) != TFL_OK || !data)
        return NULL;
    tfl_labels *l = tfl_labels_load_buffer(data, size, err);
    if (!l)
        prefix_message(err, name);
    return l;
}

int tfl_labels_count(const tfl_labels *l)
{
    return l ? l->count : 0;
}

int tfl_labels_has(const tfl_labels *l, int index)
{
    return l && index >= 0 && index < l->count && l->labels[index] != NULL;
}

const char *tfl_labels_get(const tfl_labels *l, int index)
{
    if (tfl_labels_has(l, index))
        return l->labels[index];
    static _Thread_local char ring[4][24];
    static _Thread_local unsigned next;
    char *buf = ring[next++ % 4];
    snprintf(buf, sizeof ring[0], "class %d", index);
    return buf;
}

int tfl_labels_check_count(const tfl_labels *l, size_t num_scores, char *buf, size_t bufsize)
{
    char tmp[1];
    if (!buf || bufsize == 0) {
        buf = tmp;
        bufsize = sizeof tmp;
    }
    buf[0] = 0;
    size_t n = l ? (size_t)l->count : 0;
    if (n == num_scores)
        return 0;
    const char *why =
        n + 1 == num_scores   ? "the model may have a background class at index 0"
        : n == num_scores + 1 ? "the labels may start with a background class the model lacks"
        : n < num_scores      ? "scores past the last label show as 'class N'"
                              : "the extra labels are unused; is this the model's label file?";
    snprintf(buf, bufsize, "%zu labels vs %zu scores (%s)", n, num_scores, why);
    return 1;
}
