/* NumPy .npy files: read (format 1.0, 2.0, 3.0) and write (1.0), C order,
 * little-endian dtypes mapped to tfl types. Every header field is checked, so
 * a hostile or truncated file gets a message, never a crash. */
#ifndef TFL_CLI_NPY_H
#define TFL_CLI_NPY_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

/* Header length limit: NumPy itself refuses headers over 10000 bytes by
 * default; we allow more but stop hostile lengths (up to 4 GiB in 2.0). */
#define NPY_MAX_HEADER 65536

typedef struct npy_array {
    tfl_type type;
    int ndim;
    int32_t dims[TFL_MAX_DIMS];
    size_t count; /* elements */
    size_t bytes; /* count * element size */
    void *data;   /* owned; NULL when bytes == 0 */
} npy_array;

/* 0 on success; otherwise -1 with a message in err (no file name in it). */
int npy_parse(const void *buf, size_t size, npy_array *out, char *err, size_t err_size);
int npy_read_file(const char *path, npy_array *out, char *err, size_t err_size);
void npy_free(npy_array *a);

/* The .npy bytes for an array: *out is malloc'd. 0 on success, -1 (with err)
 * for a type .npy cannot hold (string, resource, int4...). */
int npy_encode(tfl_type type, const int32_t *dims, int ndim, const void *data, size_t bytes,
               void **out, size_t *out_size, char *err, size_t err_size);
int npy_write_file(const char *path, tfl_type type, const int32_t *dims, int ndim, const void *data,
                   size_t bytes, char *err, size_t err_size);

/* "<f4", "|u1", ...; NULL when the type has no .npy spelling. */
const char *npy_descr(tfl_type type);

#endif
