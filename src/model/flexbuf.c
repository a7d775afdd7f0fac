/* Bounds-checked FlexBuffers reading (see flexbuf.h). Integers are assembled
 * byte by byte (little-endian, any alignment); offsets always point back
 * towards the start of the buffer and are checked before use. */
#include "model/flexbuf.h"

#include <math.h>
#include <string.h>

static bool valid_width(uint64_t w)
{
    return w == 1 || w == 2 || w == 4 || w == 8;
}

/* True when [pos, pos + n) lies inside the buffer (no overflow). */
static bool in_bounds(size_t len, size_t pos, size_t n)
{
    return pos <= len && n <= len - pos;
}

static int rd_uint(const uint8_t *buf, size_t len, size_t pos, unsigned w, uint64_t *out)
{
    if (!valid_width(w) || !in_bounds(len, pos, w))
        return -1;
    uint64_t v = 0;
    for (unsigned i = 0; i < w; ++i)
        v |= (uint64_t)buf[pos + i] << (8 * i);
    *out = v;
    return 1;
}

static int rd_int(const uint8_t *buf, size_t len, size_t pos, unsigned w, int64_t *out)
{
    uint64_t u;
    if (rd_uint(buf, len, pos, w, &u) < 0)
        return -1;
    if (w < 8 && (u >> (8 * w - 1)) & 1)
        u |= ~(uint64_t)0 << (8 * w); /* sign-extend */
    memcpy(out, &u, sizeof *out);
    return 1;
}

/* Floats are 4 or 8 bytes; flexbuffers never writes narrower ones. */
static int rd_float(const uint8_t *buf, size_t len, size_t pos, unsigned w, double *out)
{
    uint64_t u;
    if ((w != 4 && w != 8) || rd_uint(buf, len, pos, w, &u) < 0)
        return -1;
    if (w == 4) {
        uint32_t u32 = (uint32_t)u;
        float f;
        memcpy(&f, &u32, 4);
        *out = f;
    } else {
        memcpy(out, &u, 8);
    }
    return 1;
}

static bool known_type(unsigned t)
{
    return t <= TFL__FLEX_BOOL || t == TFL__FLEX_VECTOR_BOOL;
}

static int make_ref(const uint8_t *buf, size_t len, size_t pos, uint8_t parent_width,
                    uint8_t packed, tfl__flex_ref *out)
{
    unsigned type = packed >> 2;
    if (!known_type(type) || !valid_width(parent_width))
        return -1;
    out->buf = buf;
    out->len = len;
    out->pos = pos;
    out->parent_width = parent_width;
    out->byte_width = (uint8_t)(1u << (packed & 3));
    out->type = (uint8_t)type;
    return 1;
}

/* Follows the offset stored in a slot of width w at pos. */
static int indirect_at(const uint8_t *buf, size_t len, size_t pos, unsigned w, size_t *target)
{
    uint64_t off;
    if (rd_uint(buf, len, pos, w, &off) < 0 || off > pos)
        return -1;
    *target = pos - (size_t)off;
    return 1;
}

static int indirect(const tfl__flex_ref *r, size_t *target)
{
    return indirect_at(r->buf, r->len, r->pos, r->parent_width, target);
}

int tfl__flex_root(const uint8_t *buf, size_t len, tfl__flex_ref *out)
{
    memset(out, 0, sizeof *out);
    if (!buf || len < 3)
        return -1;
    uint8_t width = buf[len - 1];
    uint8_t packed = buf[len - 2];
    if (!valid_width(width) || len - 2 < width)
        return -1;
    return make_ref(buf, len, len - 2 - width, width, packed, out);
}

/* A vector whose elements start at data, with its size stored just before.
 * per_elem is the bytes each element takes (width, plus a type byte when
 * untyped). */
static int sized_vec(const uint8_t *buf, size_t len, size_t data, uint8_t width, size_t per_elem,
                     tfl__flex_vec *out)
{
    uint64_t count;
    if (data < width || data > len || rd_uint(buf, len, data - width, width, &count) < 0)
        return -1;
    if (count > (uint64_t)((len - data) / per_elem))
        return -1;
    out->buf = buf;
    out->len = len;
    out->pos = data;
    out->count = (size_t)count;
    out->byte_width = width;
    return 1;
}

int tfl__flex_as_vec(const tfl__flex_ref *r, tfl__flex_vec *out)
{
    memset(out, 0, sizeof *out);
    unsigned t = r->type;
    if (t == TFL__FLEX_NULL)
        return 0;
    size_t data;
    if (t == TFL__FLEX_VECTOR || t == TFL__FLEX_MAP) {
        if (indirect(r, &data) < 0)
            return -1;
        return sized_vec(r->buf, r->len, data, r->byte_width, (size_t)r->byte_width + 1, out);
    }
    if ((t >= TFL__FLEX_VECTOR_INT && t <= TFL__FLEX_VECTOR_STRING_DEPRECATED) ||
        t == TFL__FLEX_VECTOR_BOOL) {
        if (indirect(r, &data) < 0 ||
            sized_vec(r->buf, r->len, data, r->byte_width, r->byte_width, out) < 0)
            return -1;
        out->typed = true;
        if (t == TFL__FLEX_VECTOR_BOOL)
            out->elem_type = TFL__FLEX_BOOL;
        else if (t >= TFL__FLEX_VECTOR_KEY)
            out->elem_type = TFL__FLEX_KEY; /* deprecated string vectors hold keys too */
        else
            out->elem_type = (uint8_t)(t - TFL__FLEX_VECTOR_INT + TFL__FLEX_INT);
        return 1;
    }
    if (t >= TFL__FLEX_VECTOR_INT2 && t <= TFL__FLEX_VECTOR_FLOAT4) {
        size_t n = (t - TFL__FLEX_VECTOR_INT2) / 3 + 2;
        if (indirect(r, &data) < 0 || !in_bounds(r->len, data, n * r->byte_width))
            return -1;
        out->buf = r->buf;
        out->len = r->len;
        out->pos = data;
        out->count = n;
        out->byte_width = r->byte_width;
        out->typed = true;
        out->elem_type = (uint8_t)((t - TFL__FLEX_VECTOR_INT2) % 3 + TFL__FLEX_INT);
        return 1;
    }
    return -1;
}

int tfl__flex_vec_at(const tfl__flex_vec *v, size_t i, tfl__flex_ref *out)
{
    memset(out, 0, sizeof *out);
    if (!v->buf || i >= v->count)
        return 0;
    size_t pos = v->pos + i * v->byte_width;
    if (v->typed) {
        /* Typed elements are inline scalars or offsets of the vector's width. */
        out->buf = v->buf;
        out->len = v->len;
        out->pos = pos;
        out->parent_width = v->byte_width;
        out->byte_width = 1;
        out->type = v->elem_type;
        return 1;
    }
    uint8_t packed = v->buf[v->pos + v->count * v->byte_width + i];
    return make_ref(v->buf, v->len, pos, v->byte_width, packed, out);
}

int tfl__flex_as_map(const tfl__flex_ref *r, tfl__flex_map *out)
{
    memset(out, 0, sizeof *out);
    if (r->type == TFL__FLEX_NULL)
        return 0;
    if (r->type != TFL__FLEX_MAP)
        return -1;
    size_t data, keys;
    uint64_t keys_width;
    unsigned w = r->byte_width;
    if (indirect(r, &data) < 0 || data < 3 * (size_t)w)
        return -1;
    /* Before the values: offset to the keys vector, its width, the count. */
    if (indirect_at(r->buf, r->len, data - 3 * w, w, &keys) < 0 ||
        rd_uint(r->buf, r->len, data - 2 * w, w, &keys_width) < 0 || !valid_width(keys_width))
        return -1;
    if (sized_vec(r->buf, r->len, data, (uint8_t)w, (size_t)w + 1, &out->values) < 0 ||
        sized_vec(r->buf, r->len, keys, (uint8_t)keys_width, (size_t)keys_width, &out->keys) < 0)
        return -1;
    out->keys.typed = true;
    out->keys.elem_type = TFL__FLEX_KEY;
    return 1;
}

/* NUL-terminated string starting at pos. */
static int c_string(const uint8_t *buf, size_t len, size_t pos, const char **s, size_t *n)
{
    if (pos >= len)
        return -1;
    const uint8_t *end = memchr(buf + pos, 0, len - pos);
    if (!end)
        return -1;
    *s = (const char *)(buf + pos);
    if (n)
        *n = (size_t)(end - (buf + pos));
    return 1;
}

int tfl__flex_map_key(const tfl__flex_map *m, size_t i, const char **key)
{
    *key = NULL;
    if (!m->keys.buf || i >= m->keys.count)
        return 0;
    size_t target;
    const tfl__flex_vec *k = &m->keys;
    if (indirect_at(k->buf, k->len, k->pos + i * k->byte_width, k->byte_width, &target) < 0)
        return -1;
    return c_string(k->buf, k->len, target, key, NULL);
}

int tfl__flex_map_get(const tfl__flex_map *m, const char *key, tfl__flex_ref *out)
{
    memset(out, 0, sizeof *out);
    size_t lo = 0, hi = m->keys.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *k;
        if (tfl__flex_map_key(m, mid, &k) < 0)
            return -1;
        int c = strcmp(key, k);
        if (c < 0)
            hi = mid;
        else if (c > 0)
            lo = mid + 1;
        else
            return tfl__flex_vec_at(&m->values, mid, out); /* 0 when values are fewer */
    }
    return 0;
}

/* Numeric value of a scalar reference: as a signed, unsigned or float. */
typedef enum { NUM_INT, NUM_UINT, NUM_FLOAT } num_kind;

static int number(const tfl__flex_ref *r, num_kind *kind, int64_t *i, uint64_t *u, double *d)
{
    size_t target;
    switch (r->type) {
    case TFL__FLEX_NULL: return 0;
    case TFL__FLEX_INT: *kind = NUM_INT; return rd_int(r->buf, r->len, r->pos, r->parent_width, i);
    case TFL__FLEX_INDIRECT_INT:
        *kind = NUM_INT;
        if (indirect(r, &target) < 0)
            return -1;
        return rd_int(r->buf, r->len, target, r->byte_width, i);
    case TFL__FLEX_UINT:
    case TFL__FLEX_BOOL:
        *kind = NUM_UINT;
        return rd_uint(r->buf, r->len, r->pos, r->parent_width, u);
    case TFL__FLEX_INDIRECT_UINT:
        *kind = NUM_UINT;
        if (indirect(r, &target) < 0)
            return -1;
        return rd_uint(r->buf, r->len, target, r->byte_width, u);
    case TFL__FLEX_FLOAT:
        *kind = NUM_FLOAT;
        return rd_float(r->buf, r->len, r->pos, r->parent_width, d);
    case TFL__FLEX_INDIRECT_FLOAT:
        *kind = NUM_FLOAT;
        if (indirect(r, &target) < 0)
            return -1;
        return rd_float(r->buf, r->len, target, r->byte_width, d);
    default: return -1;
    }
}

int tfl__flex_as_i64(const tfl__flex_ref *r, int64_t *out)
{
    num_kind kind;
    int64_t i = 0;
    uint64_t u = 0;
    double d = 0;
    *out = 0;
    int s = number(r, &kind, &i, &u, &d);
    if (s <= 0)
        return s;
    switch (kind) {
    case NUM_INT: *out = i; return 1;
    case NUM_UINT:
        if (u > (uint64_t)INT64_MAX)
            return -1;
        *out = (int64_t)u;
        return 1;
    default:
        /* Truncation toward zero, as a C++ static_cast does in range. */
        if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
            return -1;
        *out = (int64_t)d;
        return 1;
    }
}

int tfl__flex_as_u64(const tfl__flex_ref *r, uint64_t *out)
{
    num_kind kind;
    int64_t i = 0;
    uint64_t u = 0;
    double d = 0;
    *out = 0;
    int s = number(r, &kind, &i, &u, &d);
    if (s <= 0)
        return s;
    switch (kind) {
    case NUM_INT:
        if (i < 0)
            return -1;
        *out = (uint64_t)i;
        return 1;
    case NUM_UINT: *out = u; return 1;
    default:
        if (!(d > -1.0 && d < 18446744073709551616.0))
            return -1;
        *out = (uint64_t)d;
        return 1;
    }
}

int tfl__flex_as_f64(const tfl__flex_ref *r, double *out)
{
    num_kind kind;
    int64_t i = 0;
    uint64_t u = 0;
    double d = 0;
    *out = 0;
    int s = number(r, &kind, &i, &u, &d);
    if (s <= 0)
        return s;
    *out = kind == NUM_INT ? (double)i : kind == NUM_UINT ? (double)u : d;
    return 1;
}

int tfl__flex_as_bool(const tfl__flex_ref *r, bool *out)
{
    num_kind kind;
    int64_t i = 0;
    uint64_t u = 0;
    double d = 0;
    *out = false;
    int s = number(r, &kind, &i, &u, &d);
    if (s <= 0)
        return s;
    switch (kind) {
    case NUM_INT: *out = i != 0; return 1;
    case NUM_UINT: *out = u != 0; return 1;
    default:
        /* flexbuffers truncates to an integer first: 0.5 is false. */
        if (isnan(d))
            return -1;
        *out = trunc(d) != 0.0;
        return 1;
    }
}

int tfl__flex_as_str(const tfl__flex_ref *r, const char **s, size_t *n)
{
    *s = NULL;
    if (n)
        *n = 0;
    size_t target;
    if (r->type == TFL__FLEX_NULL)
        return 0;
    if (r->type == TFL__FLEX_KEY)
        return indirect(r, &target) < 0 ? -1 : c_string(r->buf, r->len, target, s, n);
    if (r->type != TFL__FLEX_STRING)
        return -1;
    uint64_t size;
    unsigned w = r->byte_width;
    if (indirect(r, &target) < 0 || target < w || rd_uint(r->buf, r->len, target - w, w, &size) < 0)
        return -1;
    /* The bytes and the terminating NUL flexbuffers writes after them. */
    if (target >= r->len || size > (uint64_t)(r->len - target - 1) || r->buf[target + size] != 0)
        return -1;
    *s = (const char *)(r->buf + target);
    if (n)
        *n = (size_t)size;
    return 1;
}

int tfl__flex_as_blob(const tfl__flex_ref *r, const uint8_t **p, size_t *n)
{
    *p = NULL;
    *n = 0;
    if (r->type == TFL__FLEX_NULL)
        return 0;
    if (r->type != TFL__FLEX_BLOB)
        return -1;
    size_t target;
    uint64_t size;
    unsigned w = r->byte_width;
    if (indirect(r, &target) < 0 || target < w ||
        rd_uint(r->buf, r->len, target - w, w, &size) < 0 || target > r->len ||
        size > (uint64_t)(r->len - target))
        return -1;
    *p = r->buf + target;
    *n = (size_t)size;
    return 1;
}
