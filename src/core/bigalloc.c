/* See bigalloc.h. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_POPULATE */
#include "core/bigalloc.h"

#include <stdlib.h>
#include <string.h>

/* Under AddressSanitizer every buffer stays on the heap, where overflows of
 * it are caught. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TFL_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TFL_ASAN 1
#endif

#if defined(__linux__) && !defined(TFL_ASAN)
#include <sys/mman.h>
#define BIG ((size_t)1 << 20)
#define USE_MMAP 1
#endif

void *tfl__big_zalloc(size_t bytes)
{
#if defined(USE_MMAP) && defined(MAP_POPULATE)
    if (bytes >= BIG) {
        void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                       -1, 0);
        return p == MAP_FAILED ? NULL : p; /* page aligned, zeroed */
    }
#endif
    const size_t size = (bytes + 63) / 64 * 64;
    if (size < bytes)
        return NULL;
    void *p = aligned_alloc(64, size ? size : 64);
    if (p)
        memset(p, 0, size ? size : 64);
    return p;
}

void tfl__big_free(void *p, size_t bytes)
{
    if (!p)
        return;
#if defined(USE_MMAP) && defined(MAP_POPULATE)
    if (bytes >= BIG) {
        munmap(p, bytes);
        return;
    }
#endif
    (void)bytes;
    free(p);
}
