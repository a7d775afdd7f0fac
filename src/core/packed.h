/* The model's cache of repacked weights: one buffer per (subgraph, node,
 * kernel record), made once and shared by every interpreter over the model.
 * Thread-safe: interpreters over one model may allocate concurrently.
 * A packing may depend only on what the model fixes (constant weights and
 * bias, their shapes and quantization), never on activation shapes, so a
 * resize never invalidates it. */
#ifndef TFL_CORE_PACKED_H
#define TFL_CORE_PACKED_H

#include <stddef.h>

typedef struct tfl__packed_cache tfl__packed_cache;

tfl__packed_cache *tfl__packed_cache_create(void);
void tfl__packed_cache_free(tfl__packed_cache *c);

/* The buffer for the key, made by fill(arg, buf) into `bytes` 64-aligned
 * bytes on first request. NULL when out of memory. *made is set to 1 when
 * this call made it. */
const void *tfl__packed_cache_get(tfl__packed_cache *c, int subgraph, int node, const void *kernel,
                                  size_t bytes, void (*fill)(void *arg, void *buf), void *arg,
                                  int *made);
/* Bytes held by the cache. */
size_t tfl__packed_cache_bytes(tfl__packed_cache *c);

#endif
