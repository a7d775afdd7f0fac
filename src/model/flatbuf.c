/* Bounds-checked FlatBuffers reading (see flatbuf.h). All reads go through
 * rd_* helpers that copy bytes with memcpy, so unaligned data is fine. */
#include "model/flatbuf.h"

#include <string.h>

static uint16_t rd_u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static int32_t rd_i32(const uint8_t *p) { int32_t v; memcpy(&v, p, 4); return v; }

/* True when [pos, pos + n) lies inside the buffer (no overflow). */
static int in_bounds(size_t len, size_t pos, size_t n) { return pos <= len && n <= len - pos; }

int tfl__fb_table_at(const uint8_t *buf, size_t len, size_t pos, tfl__fb_table *out)
{
    memset(out, 0, sizeof *out);
    if (!in_bounds(len, pos, 4))
        return -1;
    int64_t vt = (int64_t)pos - (int64_t)rd_i32(buf + pos);
    if (vt < 0 || !in_bounds(len, (size_t)vt, 4))
        return -1;
    uint16_t vt_len = rd_u16(buf + vt);
    uint16_t obj_len = rd_u16(buf + vt + 2);
    if (vt_len < 4 || (vt_len & 1) != 0 || !in_bounds(len, (size_t)vt, vt_len))
        return -1;
    if (obj_len < 4 || !in_bounds(len, pos, obj_len))
        return -1;
    out->buf = buf;
    out->len = len;
    out->pos = pos;
    out->vt = (size_t)vt;
    out->vt_len = vt_len;
    out->obj_len = obj_len;
    return 1;
}

int tfl__fb_root(const uint8_t *buf, size_t len, const char *ident, tfl__fb_table *out)
{
    memset(out, 0, sizeof *out);
    if (!buf || len < 8)
        return -1;
    if (ident && memcmp(buf + 4, ident, 4) != 0)
        return -1;
    return tfl__fb_table_at(buf, len, rd_u32(buf), out);
}

/* Offset of a field inside the object, 0 when absent. */
static size_t field_off(const tfl__fb_table *t, int field)
{
    if (!t || !t->buf || field < 0)
        return 0;
    size_t slot = 4 + 2 * (size_t)field;
    if (slot + 2 > t->vt_len)
        return 0;
    return rd_u16(t->buf + t->vt + slot);
}

/* Pointer to a scalar of n bytes, or NULL when absent or outside the object. */
static const uint8_t *scalar(const tfl__fb_table *t, int field, size_t n)
{
    size_t off = field_off(t, field);
    if (off == 0 || off + n > t->obj_len)
        return NULL;
    return t->buf + t->pos + off;
}

int tfl__fb_has(const tfl__fb_table *t, int field) { return field_off(t, field) != 0; }

#define SCALAR_READER(NAME, TYPE)                                \
    TYPE NAME(const tfl__fb_table *t, int field, TYPE def)       \
    {                                                            \
        const uint8_t *p = scalar(t, field, sizeof(TYPE));       \
        if (!p)                                                  \
            return def;                                          \
        TYPE v;                                                  \
        memcpy(&v, p, sizeof v);                                 \
        return v;                                                \
    }
SCALAR_READER(tfl__fb_u8, uint8_t)
SCALAR_READER(tfl__fb_i8, int8_t)
SCALAR_READER(tfl__fb_u16, uint16_t)
SCALAR_READER(tfl__fb_i16, int16_t)
SCALAR_READER(tfl__fb_u32, uint32_t)
SCALAR_READER(tfl__fb_i32, int32_t)
SCALAR_READER(tfl__fb_u64, uint64_t)
SCALAR_READER(tfl__fb_i64, int64_t)
SCALAR_READER(tfl__fb_f32, float)
#undef SCALAR_READER

/* Follows a uoffset stored at pos; returns the target or -1. */
static int64_t follow(const uint8_t *buf, size_t len, size_t pos)
{
    if (!in_bounds(len, pos, 4))
        return -1;
    uint64_t target = (uint64_t)pos + rd_u32(buf + pos);
    if (target >= len)
        return -1;
    return (int64_t)target;
}

static int ref_field(const tfl__fb_table *t, int field, int64_t *target)
{
    size_t off = field_off(t, field);
    if (off == 0)
        return 0;
    if (off + 4 > t->obj_len)
        return -1;
    *target = follow(t->buf, t->len, t->pos + off);
    return *target < 0 ? -1 : 1;
}

int tfl__fb_table_field(const tfl__fb_table *t, int field, tfl__fb_table *out)
{
    int64_t target;
    memset(out, 0, sizeof *out);
    int r = ref_field(t, field, &target);
    if (r <= 0)
        return r;
    return tfl__fb_table_at(t->buf, t->len, (size_t)target, out);
}

static int vec_at(const uint8_t *buf, size_t len, size_t pos, size_t elem_size, tfl__fb_vec *out)
{
    if (!in_bounds(len, pos, 4))
        return -1;
    uint32_t count = rd_u32(buf + pos);
    if (elem_size && (uint64_t)count > (uint64_t)(len - pos - 4) / elem_size)
        return -1;
    out->buf = buf;
    out->len = len;
    out->pos = pos + 4;
    out->count = count;
    return 1;
}

int tfl__fb_vec_field(const tfl__fb_table *t, int field, size_t elem_size, tfl__fb_vec *out)
{
    int64_t target;
    memset(out, 0, sizeof *out);
    int r = ref_field(t, field, &target);
    if (r <= 0)
        return r;
    return vec_at(t->buf, t->len, (size_t)target, elem_size, out);
}

static int str_at(const uint8_t *buf, size_t len, size_t pos, const char **s, uint32_t *n)
{
    /* A string is a byte vector followed by a NUL that must also be inside. */
    if (!in_bounds(len, pos, 4))
        return -1;
    uint32_t count = rd_u32(buf + pos);
    if ((uint64_t)count + 1 > (uint64_t)(len - pos - 4))
        return -1;
    size_t start = pos + 4;
    if (buf[start + count] != 0)
        return -1;
    *s = (const char *)(buf + start);
    if (n)
        *n = count;
    return 1;
}

int tfl__fb_str_field(const tfl__fb_table *t, int field, const char **s, uint32_t *n)
{
    int64_t target;
    *s = NULL;
    if (n)
        *n = 0;
    int r = ref_field(t, field, &target);
    if (r <= 0)
        return r;
    return str_at(t->buf, t->len, (size_t)target, s, n);
}

int32_t tfl__fb_vec_i32(const tfl__fb_vec *v, uint32_t i) { return rd_i32(v->buf + v->pos + 4 * (size_t)i); }

int64_t tfl__fb_vec_i64(const tfl__fb_vec *v, uint32_t i)
{
    int64_t x;
    memcpy(&x, v->buf + v->pos + 8 * (size_t)i, 8);
    return x;
}

float tfl__fb_vec_f32(const tfl__fb_vec *v, uint32_t i)
{
    float x;
    memcpy(&x, v->buf + v->pos + 4 * (size_t)i, 4);
    return x;
}

uint8_t tfl__fb_vec_u8(const tfl__fb_vec *v, uint32_t i) { return v->buf[v->pos + i]; }

const uint8_t *tfl__fb_vec_data(const tfl__fb_vec *v) { return v->buf + v->pos; }

int tfl__fb_vec_table(const tfl__fb_vec *v, uint32_t i, tfl__fb_table *out)
{
    memset(out, 0, sizeof *out);
    if (i >= v->count)
        return -1;
    int64_t target = follow(v->buf, v->len, v->pos + 4 * (size_t)i);
    if (target < 0)
        return -1;
    return tfl__fb_table_at(v->buf, v->len, (size_t)target, out);
}

int tfl__fb_vec_str(const tfl__fb_vec *v, uint32_t i, const char **s, uint32_t *n)
{
    *s = NULL;
    if (i >= v->count)
        return -1;
    int64_t target = follow(v->buf, v->len, v->pos + 4 * (size_t)i);
    if (target < 0)
        return -1;
    return str_at(v->buf, v->len, (size_t)target, s, n);
}
