/* Reads the ZIP archive that TFLite Metadata appends to a model file (the
 * "associated files": labels, vocabularies). Stored entries only; every
 * offset is checked against the file before it is used. */
#ifndef TFL_MODEL_ZIP_H
#define TFL_MODEL_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

enum { TFL__ZIP_STORED = 0, TFL__ZIP_DEFLATE = 8 };

typedef struct tfl__zip_entry {
    char *name;          /* owned, NUL-terminated copy of the entry name */
    const uint8_t *data; /* inside the file bytes; NULL unless stored */
    size_t size;         /* uncompressed size */
    int method;          /* TFL__ZIP_STORED, TFL__ZIP_DEFLATE or another ZIP method */
} tfl__zip_entry;

typedef struct tfl__zip {
    int num_entries;
    tfl__zip_entry *entries;
    size_t base; /* added to the archive's offsets: 0, or where the archive starts
                    when its offsets count from its own first byte */
} tfl__zip;

/* Finds and reads the archive at the end of bytes[0, size). Returns 1 when an
 * archive was read, 0 when there is none (zip zeroed), -1 when it is malformed
 * or uses something unsupported (ZIP64, encryption, multi-disk; err set). */
int tfl__zip_read(const uint8_t *bytes, size_t size, tfl__zip *zip, tfl_error *err);
void tfl__zip_free(tfl__zip *zip);

/* First entry with this exact name, NULL when none. */
const tfl__zip_entry *tfl__zip_find(const tfl__zip *zip, const char *name);

/* "deflate", "stored", or "method N" (for messages). */
const char *tfl__zip_method_name(int method, char *buf, size_t bufsize);

#endif
