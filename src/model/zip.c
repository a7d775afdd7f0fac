/* ZIP reading for associated files (see zip.h): end-of-central-directory
 * record, central directory, local headers. Offsets may count from the file
 * start or from the archive's own start (an archive concatenated to a model). */
#include "model/zip.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    EOCD_SIG = 0x06054b50,
    EOCD_SIZE = 22,
    ZIP64_LOCATOR_SIG = 0x07064b50,
    ZIP64_LOCATOR_SIZE = 20,
    CDIR_SIG = 0x02014b50,
    CDIR_SIZE = 46,
    LOCAL_SIG = 0x04034b50,
    LOCAL_SIZE = 30,
    MAX_COMMENT = 0xffff
};

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* True when [pos, pos + n) lies inside [0, len) (no overflow). */
static int in_bounds(size_t len, uint64_t pos, uint64_t n)
{
    return pos <= len && n <= len - pos;
}

static int fail(tfl_error *err, tfl_status s, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        int n = snprintf(err->message, sizeof err->message, "associated files (ZIP): ");
        vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
        va_end(ap);
        err->status = s;
    }
    return -1;
}

/* CRC-32 (IEEE, as ZIP uses); the table lives on the stack so concurrent
 * readers share nothing. */
static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; ++i)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}

/* The end-of-central-directory record: scanned backwards over the largest
 * possible comment. Its comment must end exactly at the end of the file, which
 * also keeps stray "PK\5\6" bytes inside weights from being taken for one. */
static int64_t find_eocd(const uint8_t *b, size_t size)
{
    if (size < EOCD_SIZE)
        return -1;
    size_t last = size - EOCD_SIZE;
    size_t first = last > MAX_COMMENT ? last - MAX_COMMENT : 0;
    for (size_t pos = last + 1; pos-- > first;) {
        if (rd32(b + pos) == EOCD_SIG && pos + EOCD_SIZE + rd16(b + pos + 20) == size)
            return (int64_t)pos;
    }
    return -1;
}

const char *tfl__zip_method_name(int method, char *buf, size_t bufsize)
{
    if (method == TFL__ZIP_STORED)
        return "stored";
    if (method == TFL__ZIP_DEFLATE)
        return "deflate";
    snprintf(buf, bufsize, "method %d", method);
    return buf;
}

/* Is there a central directory header at base + cd_off, and does the first
 * entry's local header sit at base + its offset? Decides which base the
 * archive's offsets use. */
static int base_fits(const uint8_t *b, size_t size, size_t eocd, uint64_t base, uint64_t cd_off,
                     uint64_t cd_size, uint32_t count)
{
    uint64_t cd = base + cd_off;
    if (cd > eocd || cd_size > eocd - cd)
        return 0;
    if (count == 0)
        return 1;
    if (cd_size < CDIR_SIZE || rd32(b + cd) != CDIR_SIG)
        return 0;
    uint64_t lh = base + rd32(b + cd + 42);
    return in_bounds(size, lh, LOCAL_SIZE) && rd32(b + lh) == LOCAL_SIG;
}

/* data_total sums the entries' compressed sizes: entries that do not overlap
 * fit between the archive start and the central directory, so a larger sum
 * means entries share bytes — and checking every CRC over shared bytes would
 * make a small file take quadratic time. */
static int read_entry(const uint8_t *b, size_t size, size_t base, size_t cd_start, size_t *p,
                      size_t cd_end, uint32_t index, uint64_t *data_total, tfl__zip_entry *e,
                      tfl_error *err)
{
    size_t at = *p;
    if (!in_bounds(cd_end, at, CDIR_SIZE) || rd32(b + at) != CDIR_SIG)
        return fail(err, TFL_ERROR_BAD_MODEL, "central directory entry %u is missing or truncated",
                    (unsigned)index);
    uint16_t flags = rd16(b + at + 8), method = rd16(b + at + 10);
    uint32_t crc = rd32(b + at + 16), csize = rd32(b + at + 20), usize = rd32(b + at + 24);
    uint16_t nlen = rd16(b + at + 28), xlen = rd16(b + at + 30), clen = rd16(b + at + 32);
    uint32_t lh_off = rd32(b + at + 42);
    if (!in_bounds(cd_end, at + CDIR_SIZE, (uint64_t)nlen + xlen + clen))
        return fail(err, TFL_ERROR_BAD_MODEL, "central directory entry %u runs past the directory",
                    (unsigned)index);
    const uint8_t *name = b + at + CDIR_SIZE;
    *p = at + CDIR_SIZE + nlen + xlen + clen;
    if (memchr(name, 0, nlen))
        return fail(err, TFL_ERROR_BAD_MODEL, "entry %u has a NUL byte in its name",
                    (unsigned)index);
    e->name = malloc((size_t)nlen + 1);
    if (!e->name)
        return fail(err, TFL_ERROR_NO_MEMORY, "out of memory");
    memcpy(e->name, name, nlen);
    e->name[nlen] = 0;
    e->method = method;
    e->size = usize;
    if (csize == 0xffffffffu || usize == 0xffffffffu || lh_off == 0xffffffffu)
        return fail(err, TFL_ERROR_UNSUPPORTED, "'%s' uses ZIP64 sizes, which tfl does not read",
                    e->name);
    if (flags & 1)
        return fail(err, TFL_ERROR_UNSUPPORTED, "'%s' is encrypted", e->name);

    uint64_t lh = (uint64_t)base + lh_off;
    if (!in_bounds(size, lh, LOCAL_SIZE) || rd32(b + lh) != LOCAL_SIG)
        return fail(err, TFL_ERROR_BAD_MODEL, "'%s': no local header at offset %llu", e->name,
                    (unsigned long long)lh);
    uint16_t lnlen = rd16(b + lh + 26), lxlen = rd16(b + lh + 28);
    uint64_t data = lh + LOCAL_SIZE + lnlen + lxlen;
    if (lnlen != nlen || !in_bounds(size, lh + LOCAL_SIZE, lnlen) ||
        memcmp(b + lh + LOCAL_SIZE, name, nlen) != 0)
        return fail(err, TFL_ERROR_BAD_MODEL,
                    "'%s': name in the local header differs from the central directory", e->name);
    /* The data must lie between its header and the central directory. */
    if (data > cd_start || csize > cd_start - data)
        return fail(err, TFL_ERROR_BAD_MODEL,
                    "'%s': %lu bytes at offset %llu run past the central directory", e->name,
                    (unsigned long)csize, (unsigned long long)data);
    *data_total += csize;
    if (*data_total > cd_start - base)
        return fail(err, TFL_ERROR_BAD_MODEL,
                    "'%s': entries hold more bytes than the archive (overlapping entries)",
                    e->name);
    if (method != TFL__ZIP_STORED)
        return 0; /* listed, but its bytes are not usable: data stays NULL */
    if (csize != usize)
        return fail(err, TFL_ERROR_BAD_MODEL, "'%s' is stored but its sizes differ (%lu vs %lu)",
                    e->name, (unsigned long)csize, (unsigned long)usize);
    if (crc32_of(b + data, csize) != crc)
        return fail(err, TFL_ERROR_BAD_MODEL, "'%s': CRC mismatch (damaged file)", e->name);
    e->data = b + data;
    return 0;
}

int tfl__zip_read(const uint8_t *b, size_t size, tfl__zip *zip, tfl_error *err)
{
    memset(zip, 0, sizeof *zip);
    int64_t found = b ? find_eocd(b, size) : -1;
    if (found < 0)
        return 0;
    size_t eocd = (size_t)found;
    uint16_t disk = rd16(b + eocd + 4), cd_disk = rd16(b + eocd + 6);
    uint16_t here = rd16(b + eocd + 8), total = rd16(b + eocd + 10);
    uint32_t cd_size = rd32(b + eocd + 12), cd_off = rd32(b + eocd + 16);
    if (total == 0xffff || cd_size == 0xffffffffu || cd_off == 0xffffffffu ||
        (eocd >= ZIP64_LOCATOR_SIZE && rd32(b + eocd - ZIP64_LOCATOR_SIZE) == ZIP64_LOCATOR_SIG))
        return fail(err, TFL_ERROR_UNSUPPORTED, "ZIP64 archives are not supported");
    if (disk != 0 || cd_disk != 0 || here != total)
        return fail(err, TFL_ERROR_UNSUPPORTED, "multi-disk archives are not supported");
    /* Each entry needs at least a fixed-size header: this bounds the count. */
    if ((uint64_t)total * CDIR_SIZE > cd_size)
        return fail(err, TFL_ERROR_BAD_MODEL, "%u entries cannot fit in a %lu-byte directory",
                    (unsigned)total, (unsigned long)cd_size);

    /* Offsets count from the file start (an archive written in place after
     * the model) or from the archive start (a zip file concatenated to it);
     * then the directory ends where the EOCD begins. */
    uint64_t base;
    uint64_t concat = (uint64_t)eocd >= (uint64_t)cd_size + cd_off ? eocd - cd_size - cd_off : 0;
    if (base_fits(b, size, eocd, 0, cd_off, cd_size, total))
        base = 0;
    else if (concat && base_fits(b, size, eocd, concat, cd_off, cd_size, total))
        base = concat;
    else
        return fail(err, TFL_ERROR_BAD_MODEL,
                    "central directory not found (offset %lu, size %lu, record at %lu)",
                    (unsigned long)cd_off, (unsigned long)cd_size, (unsigned long)eocd);
    zip->base = (size_t)base;
    size_t cd_start = (size_t)(base + cd_off), cd_end = cd_start + cd_size;

    if (total) {
        zip->entries = calloc(total, sizeof *zip->entries);
        if (!zip->entries)
            return fail(err, TFL_ERROR_NO_MEMORY, "out of memory");
    }
    size_t p = cd_start;
    uint64_t data_total = 0;
    for (uint32_t i = 0; i < total; ++i) {
        zip->num_entries = (int)i + 1; /* so free() sees a partly built entry */
        if (read_entry(b, size, zip->base, cd_start, &p, cd_end, i, &data_total,
                       &zip->entries[i], err) < 0) {
            tfl__zip_free(zip);
            return -1;
        }
    }
    return 1;
}

void tfl__zip_free(tfl__zip *zip)
{
    if (!zip)
        return;
    for (int i = 0; i < zip->num_entries; ++i)
        free(zip->entries[i].name);
    free(zip->entries);
    memset(zip, 0, sizeof *zip);
}

const tfl__zip_entry *tfl__zip_find(const tfl__zip *zip, const char *name)
{
    if (!zip || !name)
        return NULL;
    for (int i = 0; i < zip->num_entries; ++i)
        if (strcmp(zip->entries[i].name, name) == 0)
            return &zip->entries[i];
    return NULL;
}
