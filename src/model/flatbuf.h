/* Bounds-checked FlatBuffers reading. Every offset, vtable, vector and string
 * is checked against the buffer before it is touched; nothing here trusts the
 * bytes. Readers return 1 (present), 0 (absent: field not set) or -1
 * (malformed), so callers can tell a default from a broken file. */
#ifndef TFL_MODEL_FLATBUF_H
#define TFL_MODEL_FLATBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct tfl__fb {
    const uint8_t *buf;
    size_t len;
} tfl__fb;

/* A verified table: its vtable and inline object lie inside the buffer. */
typedef struct tfl__fb_table {
    const uint8_t *buf; /* whole buffer (NULL: no table) */
    size_t len;
    size_t pos;         /* start of the table object */
    size_t vt;          /* start of its vtable */
    uint16_t vt_len;    /* vtable bytes */
    uint16_t obj_len;   /* inline object bytes */
} tfl__fb_table;

/* A verified vector: count * elem_size bytes from pos lie inside the buffer. */
typedef struct tfl__fb_vec {
    const uint8_t *buf;
    size_t len;
    size_t pos;   /* first element */
    uint32_t count;
} tfl__fb_vec;

/* Root table; checks size and, when ident is non-NULL, the 4-byte identifier. */
int tfl__fb_root(const uint8_t *buf, size_t len, const char *ident, tfl__fb_table *out);

/* Table whose object starts at pos (used for nested buffers and tests). */
int tfl__fb_table_at(const uint8_t *buf, size_t len, size_t pos, tfl__fb_table *out);

/* Scalars: the default when the field is absent or lies outside the object. */
uint8_t tfl__fb_u8(const tfl__fb_table *t, int field, uint8_t def);
int8_t tfl__fb_i8(const tfl__fb_table *t, int field, int8_t def);
uint16_t tfl__fb_u16(const tfl__fb_table *t, int field, uint16_t def);
int16_t tfl__fb_i16(const tfl__fb_table *t, int field, int16_t def);
uint32_t tfl__fb_u32(const tfl__fb_table *t, int field, uint32_t def);
int32_t tfl__fb_i32(const tfl__fb_table *t, int field, int32_t def);
uint64_t tfl__fb_u64(const tfl__fb_table *t, int field, uint64_t def);
int64_t tfl__fb_i64(const tfl__fb_table *t, int field, int64_t def);
float tfl__fb_f32(const tfl__fb_table *t, int field, float def);
int tfl__fb_has(const tfl__fb_table *t, int field);

/* Reference fields. */
int tfl__fb_table_field(const tfl__fb_table *t, int field, tfl__fb_table *out);
int tfl__fb_vec_field(const tfl__fb_table *t, int field, size_t elem_size, tfl__fb_vec *out);
/* NUL-terminated string inside the buffer; *s points into the buffer. */
int tfl__fb_str_field(const tfl__fb_table *t, int field, const char **s, uint32_t *n);

/* Elements of a vector (index must be < count; they are not re-checked). */
int32_t tfl__fb_vec_i32(const tfl__fb_vec *v, uint32_t i);
int64_t tfl__fb_vec_i64(const tfl__fb_vec *v, uint32_t i);
float tfl__fb_vec_f32(const tfl__fb_vec *v, uint32_t i);
uint8_t tfl__fb_vec_u8(const tfl__fb_vec *v, uint32_t i);
const uint8_t *tfl__fb_vec_data(const tfl__fb_vec *v);
/* Vector of tables / strings: element i, verified. */
int tfl__fb_vec_table(const tfl__fb_vec *v, uint32_t i, tfl__fb_table *out);
int tfl__fb_vec_str(const tfl__fb_vec *v, uint32_t i, const char **s, uint32_t *n);

#endif
