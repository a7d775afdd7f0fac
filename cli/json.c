/* JSON output for `tfl inspect --json`: commas and indentation are tracked per
 * open container so callers only say what comes next. */
#include "json.h"

#include <math.h>
#include <string.h>

void json_init(json_writer *w, FILE *f, int indent)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->indent = indent;
}

static void newline(json_writer *w)
{
    if (!w->indent)
        return;
    fputc('\n', w->f);
    for (int i = 0; i < w->depth * w->indent; ++i)
        fputc(' ', w->f);
}

/* Separator and indentation before a value (or a key). */
static void before_item(json_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0 && w->depth <= JSON_MAX_DEPTH) {
        int d = w->depth - 1;
        if (w->has_items[d])
            fputs(w->compact[d] && w->indent ? ", " : ",", w->f);
        w->has_items[d] = true;
        if (!w->compact[d])
            newline(w);
    }
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    unsigned cp = c & (0x3fu >> (len - 1));
    for (size_t i = 1; i < len; ++i) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

void json_write_escaped(FILE *f, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    fputc('"', f);
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc((int)c, f);
            ++i;
        } else if (c < 0x20 || c == 0x7f) {
            switch (c) {
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            case '\t': fputs("\\t", f); break;
            case '\b': fputs("\\b", f); break;
            case '\f': fputs("\\f", f); break;
            default: fprintf(f, "\\u%04x", c); break;
            }
            ++i;
        } else {
            size_t len = utf8_len(s + i, n - i);
            if (len == 0) {
                fputs("\\ufffd", f);
                ++i;
            } else {
                fwrite(s + i, 1, len, f);
                i += len;
            }
        }
    }
    fputc('"', f);
}

void json_key(json_writer *w, const char *key)
{
    before_item(w);
    json_write_escaped(w->f, key, strlen(key));
    fputs(w->indent ? ": " : ":", w->f);
    w->after_key = true;
}

static void open_container(json_writer *w, char c, bool compact)
{
    before_item(w);
    fputc(c, w->f);
    if (w->depth < JSON_MAX_DEPTH) {
        w->has_items[w->depth] = false;
        /* inside a compact container everything stays on the line */
        w->compact[w->depth] = compact || (w->depth > 0 && w->compact[w->depth - 1]);
    }
    ++w->depth;
}

static void close_container(json_writer *w, char c)
{
    if (w->depth <= 0)
        return;
    --w->depth;
    if (w->depth < JSON_MAX_DEPTH && w->has_items[w->depth] && !w->compact[w->depth])
        newline(w);
    fputc(c, w->f);
}

void json_object_begin(json_writer *w)
{
    open_container(w, '{', false);
}
void json_object_end(json_writer *w)
{
    close_container(w, '}');
}
void json_array_begin(json_writer *w)
{
    open_container(w, '[', false);
}
void json_array_begin_compact(json_writer *w)
{
    open_container(w, '[', true);
}
void json_array_end(json_writer *w)
{
    close_container(w, ']');
}

void json_string_n(json_writer *w, const char *s, size_t n)
{
    before_item(w);
    json_write_escaped(w->f, s, n);
}

void json_string(json_writer *w, const char *s)
{
    if (!s) {
        json_null(w);
        return;
    }
    json_string_n(w, s, strlen(s));
}

void json_int(json_writer *w, long long v)
{
    before_item(w);
    fprintf(w->f, "%lld", v);
}

void json_uint(json_writer *w, unsigned long long v)
{
    before_item(w);
    fprintf(w->f, "%llu", v);
}

void json_double(json_writer *w, double v)
{
    before_item(w);
    if (!isfinite(v))
        fputs("null", w->f);
    else
        fprintf(w->f, "%.9g", v); /* enough digits to round-trip a float32 */
}

void json_bool(json_writer *w, bool v)
{
    before_item(w);
    fputs(v ? "true" : "false", w->f);
}

void json_null(json_writer *w)
{
    before_item(w);
    fputs("null", w->f);
}

void json_finish(json_writer *w)
{
    fputc('\n', w->f);
}
