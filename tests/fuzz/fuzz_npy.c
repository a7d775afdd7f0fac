/* Fuzz target: any bytes as a NumPy .npy file (cli/npy.c). A file that
 * parses must also survive a round trip: encoded again and re-parsed, it
 * gives the same type, shape and data bytes.
 * fuzz-sources: cli/npy.c */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    npy_array a, b;
    char err[256];
    if (npy_parse(data, size, &a, err, sizeof err) != 0) {
        npy_free(&a); /* parse leaves *out empty on failure: free must cope */
        return 0;
    }
    void *enc = NULL;
    size_t enc_size = 0;
    if (npy_encode(a.type, a.dims, a.ndim, a.data, a.bytes, &enc, &enc_size, err, sizeof err) != 0)
        abort(); /* every type npy_parse produces can be written back */
    if (npy_parse(enc, enc_size, &b, err, sizeof err) != 0)
        abort();
    if (b.type != a.type || b.ndim != a.ndim || b.count != a.count || b.bytes != a.bytes ||
        memcmp(b.dims, a.dims, sizeof a.dims[0] * (size_t)a.ndim) != 0 ||
        (a.bytes && memcmp(a.data, b.data, a.bytes) != 0))
        abort();
    npy_free(&b);
    free(enc);
    npy_free(&a);
    return 0;
}
