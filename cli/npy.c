/* NumPy .npy reading and writing. The header is a Python dict literal such as
 * {'descr': '<f4', 'fortran_order': False, 'shape': (1, 224, 224, 3), }; it is
 * parsed with a small strict scanner that checks every byte against the buffer
 * end, so truncated, oversized or malformed files only produce messages. */
#include "npy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char npy_magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

static int npy_fail(char *err, size_t err_size, const char *fmt, ...)
{
    if (err && err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, err_size, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static bool host_little_endian(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

/* .npy data is little-endian; swap elements in place on a big-endian host. */
static void to_from_le(void *data, size_t count, size_t elem)
{
    if (elem <= 1 || host_little_endian())
        return;
    unsigned char *p = data;
    for (size_t i = 0; i < count; ++i, p += elem)
        for (size_t a = 0, b = elem - 1; a < b; ++a, --b) {
            unsigned char t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
}

typedef struct npy_dtype {
    const char *code; /* without the byte-order character */
    tfl_type type;
    size_t size;
} npy_dtype;

static const npy_dtype npy_dtypes[] = {
    {"f4", TFL_FLOAT32, 4},   {"f2", TFL_FLOAT16, 2},      {"f8", TFL_FLOAT64, 8},
    {"u1", TFL_UINT8, 1},     {"i1", TFL_INT8, 1},         {"i2", TFL_INT16, 2},
    {"u2", TFL_UINT16, 2},    {"i4", TFL_INT32, 4},        {"u4", TFL_UINT32, 4},
    {"i8", TFL_INT64, 8},     {"u8", TFL_UINT64, 8},       {"b1", TFL_BOOL, 1},
    {"c8", TFL_COMPLEX64, 8}, {"c16", TFL_COMPLEX128, 16},
};

const char *npy_descr(tfl_type type)
{
    switch (type) {
    case TFL_FLOAT32: return "<f4";
    case TFL_FLOAT16: return "<f2";
    case TFL_FLOAT64: return "<f8";
    case TFL_UINT8: return "|u1";
    case TFL_INT8: return "|i1";
    case TFL_INT16: return "<i2";
    case TFL_UINT16: return "<u2";
    case TFL_INT32: return "<i4";
    case TFL_UINT32: return "<u4";
    case TFL_INT64: return "<i8";
    case TFL_UINT64: return "<u8";
    case TFL_BOOL: return "|b1";
    case TFL_COMPLEX64: return "<c8";
    case TFL_COMPLEX128: return "<c16";
    default: return NULL;
    }
}

/* ---- header scanner ---------------------------------------------------- */

typedef struct scan {
    const char *p, *end;
} scan;

static void skip_ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        ++s->p;
}

static bool accept(scan *s, char c)
{
    skip_ws(s);
    if (s->p < s->end && *s->p == c) {
        ++s->p;
        return true;
    }
    return false;
}

/* A quoted Python string without escapes (keys and dtype codes never need
 * them); copied into buf. */
static bool scan_string(scan *s, char *buf, size_t buf_size)
{
    skip_ws(s);
    if (s->p >= s->end || (*s->p != '\'' && *s->p != '"'))
        return false;
    char q = *s->p++;
    size_t n = 0;
    while (s->p < s->end && *s->p != q) {
        if (*s->p == '\\' || n + 1 >= buf_size)
            return false;
        buf[n++] = *s->p++;
    }
    if (s->p >= s->end)
        return false;
    ++s->p;
    buf[n] = 0;
    return true;
}

static bool scan_word(scan *s, const char *w)
{
    skip_ws(s);
    size_t n = strlen(w);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
        return false;
    s->p += n;
    return true;
}

static int scan_shape(scan *s, npy_array *a, char *err, size_t err_size)
{
    if (!accept(s, '('))
        return npy_fail(err, err_size, "bad header: 'shape' is not a tuple");
    a->ndim = 0;
    for (;;) {
        if (accept(s, ')'))
            return 0;
        skip_ws(s);
        if (s->p >= s->end || *s->p < '0' || *s->p > '9')
            return npy_fail(err, err_size,
                            "bad header: 'shape' holds something other than "
                            "non-negative integers");
        int64_t v = 0;
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
            v = v * 10 + (*s->p++ - '0');
            if (v > INT32_MAX)
                return npy_fail(err, err_size, "bad header: shape dimension too large");
        }
        if (s->p < s->end && *s->p == 'L') /* Python 2 long literal */
            ++s->p;
        if (a->ndim >= TFL_MAX_DIMS)
            return npy_fail(err, err_size, "array has more than %d dimensions", TFL_MAX_DIMS);
        a->dims[a->ndim++] = (int32_t)v;
        if (accept(s, ')'))
            return 0;
        if (!accept(s, ','))
            return npy_fail(err, err_size, "bad header: malformed 'shape' tuple");
    }
}

static int parse_header(const char *h, size_t len, npy_array *a, char *err, size_t err_size)
{
    scan s = {h, h + len};
    char key[32], descr[16];
    bool have_descr = false, have_order = false, have_shape = false;
    if (!accept(&s, '{'))
        return npy_fail(err, err_size, "bad header: not a dictionary");
    while (!accept(&s, '}')) {
        if (!scan_string(&s, key, sizeof key))
            return npy_fail(err, err_size, "bad header: expected a quoted key");
        if (!accept(&s, ':'))
            return npy_fail(err, err_size, "bad header: expected ':' after '%s'", key);
        if (strcmp(key, "descr") == 0) {
            skip_ws(&s);
            if (s.p < s.end && *s.p == '[')
                return npy_fail(err, err_size, "structured dtypes are not supported");
            if (!scan_string(&s, descr, sizeof descr))
                return npy_fail(err, err_size, "bad header: 'descr' is not a dtype string");
            have_descr = true;
        } else if (strcmp(key, "fortran_order") == 0) {
            if (scan_word(&s, "True"))
                return npy_fail(err, err_size,
                                "Fortran-order arrays are not supported; "
                                "save with np.ascontiguousarray(a)");
            if (!scan_word(&s, "False"))
                return npy_fail(err, err_size, "bad header: 'fortran_order' is not True/False");
            have_order = true;
        } else if (strcmp(key, "shape") == 0) {
            if (scan_shape(&s, a, err, err_size) != 0)
                return -1;
            have_shape = true;
        } else {
            return npy_fail(err, err_size, "bad header: unexpected key '%s'", key);
        }
        if (accept(&s, '}'))
            break;
        if (!accept(&s, ','))
            return npy_fail(err, err_size, "bad header: expected ',' or '}'");
    }
    skip_ws(&s);
    if (s.p != s.end)
        return npy_fail(err, err_size, "bad header: trailing characters after the dictionary");
    if (!have_descr || !have_order || !have_shape)
        return npy_fail(err, err_size, "bad header: missing '%s'",
                        !have_descr   ? "descr"
                        : !have_order ? "fortran_order"
                                      : "shape");

    char order = descr[0];
    const char *code = descr + 1;
    if (order != '<' && order != '>' && order != '|' && order != '=')
        code = descr, order = '=';
    for (size_t i = 0; i < sizeof npy_dtypes / sizeof npy_dtypes[0]; ++i) {
        if (strcmp(code, npy_dtypes[i].code) != 0)
            continue;
        /* '=' is native order; the writer of a .npy always normalises it, so
         * only little-endian hosts are taken at their word. */
        bool le = order == '<' || (order == '=' && host_little_endian());
        if (npy_dtypes[i].size > 1 && !le)
            return npy_fail(err, err_size,
                            "big-endian data ('%s') is not supported; convert with "
                            "a.astype(a.dtype.newbyteorder('<'))",
                            descr);
        a->type = npy_dtypes[i].type;
        return (int)npy_dtypes[i].size;
    }
    return npy_fail(err, err_size,
                    "dtype '%s' is not supported (use <f4 <f2 <f8 |u1 |i1 <i2 <u2 <i4 <u4 "
                    "<i8 <u8 |b1 <c8 <c16)",
                    descr);
}

int npy_parse(const void *buf, size_t size, npy_array *out, char *err, size_t err_size)
{
    const unsigned char *b = buf;
    memset(out, 0, sizeof *out);
    if (!b || size < 8 || memcmp(b, npy_magic, sizeof npy_magic) != 0)
        return npy_fail(err, err_size, "not a .npy file (bad magic)");
    unsigned major = b[6], minor = b[7];
    size_t prefix, hlen;
    if (major == 1) {
        if (size < 10)
            return npy_fail(err, err_size, "truncated .npy header");
        prefix = 10;
        hlen = (size_t)b[8] | (size_t)b[9] << 8;
    } else if (major == 2 || major == 3) {
        if (size < 12)
            return npy_fail(err, err_size, "truncated .npy header");
        prefix = 12;
        hlen = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
    } else {
        return npy_fail(err, err_size, "unsupported .npy format version %u.%u", major, minor);
    }
    if (minor != 0)
        return npy_fail(err, err_size, "unsupported .npy format version %u.%u", major, minor);
    if (hlen > NPY_MAX_HEADER)
        return npy_fail(err, err_size, "header length %zu is too large (limit %d)", hlen,
                        NPY_MAX_HEADER);
    if (hlen > size - prefix)
        return npy_fail(err, err_size, "truncated .npy header: needs %zu bytes, file has %zu", hlen,
                        size - prefix);
    npy_array a;
    memset(&a, 0, sizeof a);
    int elem = parse_header((const char *)b + prefix, hlen, &a, err, err_size);
    if (elem < 0)
        return -1;
    size_t count = 1;
    for (int i = 0; i < a.ndim; ++i) {
        size_t d = (size_t)a.dims[i];
        if (d && count > SIZE_MAX / d)
            return npy_fail(err, err_size, "shape is too large (element count overflows)");
        count *= d;
    }
    if (count > SIZE_MAX / (size_t)elem)
        return npy_fail(err, err_size, "shape is too large (byte size overflows)");
    size_t bytes = count * (size_t)elem;
    size_t avail = size - prefix - hlen;
    if (bytes > avail)
        return npy_fail(err, err_size, "data is truncated: shape needs %zu bytes, file has %zu",
                        bytes, avail);
    a.count = count;
    a.bytes = bytes;
    if (bytes) {
        a.data = malloc(bytes);
        if (!a.data)
            return npy_fail(err, err_size, "out of memory (%zu bytes)", bytes);
        memcpy(a.data, b + prefix + hlen, bytes);
        if (a.type == TFL_COMPLEX64 || a.type == TFL_COMPLEX128)
            to_from_le(a.data, count * 2, (size_t)elem / 2); /* each half on its own */
        else
            to_from_le(a.data, count, (size_t)elem);
    }
    *out = a;
    return 0;
}

int npy_read_file(const char *path, npy_array *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return npy_fail(err, err_size, "cannot open '%s': %s", path, strerror(errno));
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            unsigned char *nb = ncap > cap ? realloc(buf, ncap) : NULL;
            if (!nb) {
                free(buf);
                fclose(f);
                return npy_fail(err, err_size, "'%s': out of memory", path);
            }
            buf = nb;
            cap = ncap;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int read_err = ferror(f);
    fclose(f);
    if (read_err) {
        free(buf);
        return npy_fail(err, err_size, "cannot read '%s'", path);
    }
    char msg[384];
    int rc = npy_parse(buf, len, out, msg, sizeof msg);
    free(buf);
    if (rc != 0)
        return npy_fail(err, err_size, "'%s': %s", path, msg);
    return 0;
}

void npy_free(npy_array *a)
{
    if (!a)
        return;
    free(a->data);
    a->data = NULL;
}

int npy_encode(tfl_type type, const int32_t *dims, int ndim, const void *data, size_t bytes,
               void **out, size_t *out_size, char *err, size_t err_size)
{
    *out = NULL;
    *out_size = 0;
    const char *descr = npy_descr(type);
    if (!descr)
        return npy_fail(err, err_size, "type %s cannot be stored in a .npy file",
                        tfl_type_name(type));
    if (ndim < 0 || ndim > TFL_MAX_DIMS)
        return npy_fail(err, err_size, "rank %d out of range", ndim);
    char shape[TFL_MAX_DIMS * 13 + 4];
    size_t sl = 0;
    shape[0] = 0;
    for (int i = 0; i < ndim; ++i)
        sl += (size_t)snprintf(shape + sl, sizeof shape - sl, "%s%d", i ? ", " : "", (int)dims[i]);
    if (ndim == 1)
        snprintf(shape + sl, sizeof shape - sl, ",");
    char header[256];
    int hl = snprintf(header, sizeof header,
                      "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, shape);
    /* Pad with spaces and end with '\n' so the data starts 64-byte aligned,
     * as NumPy does. */
    size_t total = 10 + (size_t)hl + 1;
    size_t padded = (total + 63) / 64 * 64;
    size_t hlen = padded - 10;
    unsigned char *buf = malloc(padded + bytes);
    if (!buf)
        return npy_fail(err, err_size, "out of memory");
    memcpy(buf, npy_magic, 6);
    buf[6] = 1;
    buf[7] = 0;
    buf[8] = (unsigned char)(hlen & 0xff);
    buf[9] = (unsigned char)(hlen >> 8);
    memcpy(buf + 10, header, (size_t)hl);
    memset(buf + 10 + hl, ' ', hlen - (size_t)hl - 1);
    buf[padded - 1] = '\n';
    if (bytes)
        memcpy(buf + padded, data, bytes);
    size_t elem = tfl_type_size(type);
    if (type == TFL_COMPLEX64 || type == TFL_COMPLEX128)
        elem /= 2; /* each half swaps on its own */
    if (elem)
        to_from_le(buf + padded, bytes / elem, elem);
    *out = buf;
    *out_size = padded + bytes;
    return 0;
}

int npy_write_file(const char *path, tfl_type type, const int32_t *dims, int ndim, const void *data,
                   size_t bytes, char *err, size_t err_size)
{
    void *buf;
    size_t n;
    if (npy_encode(type, dims, ndim, data, bytes, &buf, &n, err, err_size) != 0)
        return -1;
    FILE *f = fopen(path, "wb");
    if (!f) {
        free(buf);
        return npy_fail(err, err_size, "cannot create '%s': %s", path, strerror(errno));
    }
    size_t w = fwrite(buf, 1, n, f);
    free(buf);
    int close_rc = fclose(f);
    if (w != n || close_rc != 0)
        return npy_fail(err, err_size, "cannot write '%s': %s", path, strerror(errno));
    return 0;
}
