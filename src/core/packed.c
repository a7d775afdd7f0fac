/* Packed-weight cache (see packed.h): a mutex-protected list; models have
 * at most a few hundred packed nodes, looked up only at allocate. */
#include "core/packed.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/bigalloc.h"

typedef struct entry {
    struct entry *next;
    int subgraph, node;
    const void *kernel;
    size_t bytes;
    void *data;
    size_t alloc; /* bytes allocated, for tfl__big_free */
} entry;

struct tfl__packed_cache {
    pthread_mutex_t lock;
    entry *head;
    size_t total;
};

tfl__packed_cache *tfl__packed_cache_create(void)
{
    tfl__packed_cache *c = calloc(1, sizeof *c);
    if (c && pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

void tfl__packed_cache_free(tfl__packed_cache *c)
{
    if (!c)
        return;
    for (entry *e = c->head, *next; e; e = next) {
        next = e->next;
        tfl__big_free(e->data, e->alloc);
        free(e);
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}

const void *tfl__packed_cache_get(tfl__packed_cache *c, int subgraph, int node, const void *kernel,
                                  size_t bytes, void (*fill)(void *arg, void *buf), void *arg,
                                  int *made)
{
    *made = 0;
    pthread_mutex_lock(&c->lock);
    for (entry *e = c->head; e; e = e->next)
        if (e->subgraph == subgraph && e->node == node && e->kernel == kernel &&
            e->bytes == bytes) {
            pthread_mutex_unlock(&c->lock);
            return e->data;
        }
    entry *e = calloc(1, sizeof *e);
    size_t alloc = (bytes + 63) / 64 * 64;
    void *data = e && alloc >= bytes ? tfl__big_zalloc(alloc ? alloc : 64) : NULL;
    if (!data) {
        free(e);
        pthread_mutex_unlock(&c->lock);
        return NULL;
    }
    e->alloc = alloc ? alloc : 64;
    /* Filled under the lock, so a second interpreter waits rather than
     * packing the same weights twice. */
    fill(arg, data);
    e->subgraph = subgraph;
    e->node = node;
    e->kernel = kernel;
    e->bytes = bytes;
    e->data = data;
    e->next = c->head;
    c->head = e;
    c->total += bytes;
    *made = 1;
    pthread_mutex_unlock(&c->lock);
    return data;
}

size_t tfl__packed_cache_bytes(tfl__packed_cache *c)
{
    if (!c)
        return 0;
    pthread_mutex_lock(&c->lock);
    size_t n = c->total;
    pthread_mutex_unlock(&c->lock);
    return n;
}
