/* A small thread pool: parallel-for over [0, n) split into contiguous chunks.
 * The calling thread takes a share of the work, so a pool of N threads
 * starts N - 1 workers. */
#ifndef TFL_CORE_POOL_H
#define TFL_CORE_POOL_H

#include <stddef.h>

typedef struct tfl__pool tfl__pool;

/* NULL when threads <= 1 or on failure (callers then run inline). */
tfl__pool *tfl__pool_create(int threads);
void tfl__pool_free(tfl__pool *p);
/* Runs fn(arg, start, end, worker) over chunks of at least min_chunk;
 * returns when all are done. worker is 0 for the calling thread and 1..N-1
 * for the pool's threads, so each can use its own scratch. */
void tfl__pool_run(tfl__pool *p, size_t n, size_t min_chunk,
                   void (*fn)(void *arg, size_t start, size_t end, int worker), void *arg);

#endif
