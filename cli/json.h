/* A small streaming JSON writer: objects, arrays, strings (escaped, invalid
 * UTF-8 replaced by U+FFFD so the output always parses), numbers, booleans. */
#ifndef TFL_CLI_JSON_H
#define TFL_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

typedef struct json_writer {
    FILE *f;
    int depth;
    bool has_items[JSON_MAX_DEPTH]; /* per open container: a comma is due */
    bool compact[JSON_MAX_DEPTH];   /* per open container: items on one line */
    bool after_key;
    int indent; /* spaces per level; 0 writes one line */
} json_writer;

void json_init(json_writer *w, FILE *f, int indent);
/* Inside an object: the key of the next value. */
void json_key(json_writer *w, const char *key);
void json_object_begin(json_writer *w);
void json_object_end(json_writer *w);
void json_array_begin(json_writer *w);
/* An array whose items stay on one line ([1, 224, 224, 3]); for short lists
 * of numbers. */
void json_array_begin_compact(json_writer *w);
void json_array_end(json_writer *w);
void json_string(json_writer *w, const char *s); /* NULL writes null */
void json_string_n(json_writer *w, const char *s, size_t n);
void json_int(json_writer *w, long long v);
void json_uint(json_writer *w, unsigned long long v);
/* NaN and infinities have no JSON spelling: written as null. */
void json_double(json_writer *w, double v);
void json_bool(json_writer *w, bool v);
void json_null(json_writer *w);
/* Ends the document with a newline. */
void json_finish(json_writer *w);

/* Writes s as a JSON string literal (quotes included) to f. */
void json_write_escaped(FILE *f, const char *s, size_t n);

#endif
