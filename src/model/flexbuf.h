/* Bounds-checked FlexBuffers reading (the schemaless format of custom op
 * options). Every offset, width and length is checked against the buffer
 * before it is touched. Readers return 1 (present), 0 (absent: null value,
 * missing key, index past the end) or -1 (malformed bytes, wrong type or a
 * value that does not fit the requested type). Walking is one level per call
 * and nothing recurses, so deep nesting or offset cycles cannot exhaust the
 * stack. */
#ifndef TFL_MODEL_FLEXBUF_H
#define TFL_MODEL_FLEXBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value types, as stored in the upper 6 bits of a packed type byte. */
enum {
    TFL__FLEX_NULL = 0,
    TFL__FLEX_INT = 1,
    TFL__FLEX_UINT = 2,
    TFL__FLEX_FLOAT = 3,
    TFL__FLEX_KEY = 4,
    TFL__FLEX_STRING = 5,
    TFL__FLEX_INDIRECT_INT = 6,
    TFL__FLEX_INDIRECT_UINT = 7,
    TFL__FLEX_INDIRECT_FLOAT = 8,
    TFL__FLEX_MAP = 9,
    TFL__FLEX_VECTOR = 10,     /* untyped: a type byte per element follows */
    TFL__FLEX_VECTOR_INT = 11, /* typed, sized: 11..15 */
    TFL__FLEX_VECTOR_UINT = 12,
    TFL__FLEX_VECTOR_FLOAT = 13,
    TFL__FLEX_VECTOR_KEY = 14,
    TFL__FLEX_VECTOR_STRING_DEPRECATED = 15,
    TFL__FLEX_VECTOR_INT2 = 16, /* typed, fixed length, no size stored: 16..24 */
    TFL__FLEX_VECTOR_UINT2 = 17,
    TFL__FLEX_VECTOR_FLOAT2 = 18,
    TFL__FLEX_VECTOR_INT3 = 19,
    TFL__FLEX_VECTOR_UINT3 = 20,
    TFL__FLEX_VECTOR_FLOAT3 = 21,
    TFL__FLEX_VECTOR_INT4 = 22,
    TFL__FLEX_VECTOR_UINT4 = 23,
    TFL__FLEX_VECTOR_FLOAT4 = 24,
    TFL__FLEX_BLOB = 25,
    TFL__FLEX_BOOL = 26,
    TFL__FLEX_VECTOR_BOOL = 36
};

/* One value: the slot that holds it inline (scalars) or holds an offset back
 * to it (everything else). */
typedef struct tfl__flex_ref {
    const uint8_t *buf;
    size_t len;
    size_t pos;           /* the slot */
    uint8_t parent_width; /* slot width: 1, 2, 4 or 8 */
    uint8_t byte_width;   /* width of the pointed-to data */
    uint8_t type;         /* TFL__FLEX_* */
} tfl__flex_ref;

/* A verified vector: its elements (and, untyped, their type bytes) lie
 * inside the buffer. */
typedef struct tfl__flex_vec {
    const uint8_t *buf;
    size_t len;
    size_t pos; /* first element */
    size_t count;
    uint8_t byte_width; /* element slot width */
    uint8_t elem_type;  /* typed vectors: the element type; untyped: NULL */
    bool typed;
} tfl__flex_vec;

/* A verified map: a typed vector of keys and an untyped vector of values. */
typedef struct tfl__flex_map {
    tfl__flex_vec keys;
    tfl__flex_vec values;
} tfl__flex_map;

/* The root value, stored at the end of the buffer. */
int tfl__flex_root(const uint8_t *buf, size_t len, tfl__flex_ref *out);

int tfl__flex_as_map(const tfl__flex_ref *r, tfl__flex_map *out);
/* Looks a key up by binary search, as flexbuffers does (keys are sorted by
 * strcmp when written). */
int tfl__flex_map_get(const tfl__flex_map *m, const char *key, tfl__flex_ref *out);
/* Key i as a NUL-terminated string inside the buffer. */
int tfl__flex_map_key(const tfl__flex_map *m, size_t i, const char **key);

/* Untyped vectors, maps (their values), typed and fixed-length vectors. */
int tfl__flex_as_vec(const tfl__flex_ref *r, tfl__flex_vec *out);
int tfl__flex_vec_at(const tfl__flex_vec *v, size_t i, tfl__flex_ref *out);

/* Numbers convert as flexbuffers' AsInt64/AsUInt64/AsDouble/AsBool do for
 * int, uint, float and bool values (inline or indirect); floats convert to
 * integers by truncation. Strings, vectors and other types give -1 here
 * (flexbuffers would parse strings and count vectors), as do values out of
 * the requested type's range. */
int tfl__flex_as_i64(const tfl__flex_ref *r, int64_t *out);
int tfl__flex_as_u64(const tfl__flex_ref *r, uint64_t *out);
int tfl__flex_as_f64(const tfl__flex_ref *r, double *out);
int tfl__flex_as_bool(const tfl__flex_ref *r, bool *out);
/* Strings and keys: *s points into the buffer and is NUL-terminated there. */
int tfl__flex_as_str(const tfl__flex_ref *r, const char **s, size_t *n);
int tfl__flex_as_blob(const tfl__flex_ref *r, const uint8_t **p, size_t *n);

#endif
