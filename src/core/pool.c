/* Thread pool with one job at a time: workers sleep on a condition variable
 * and claim chunk indices with an atomic counter. */
#include "core/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct worker_arg {
    struct tfl__pool *pool;
    int index; /* 1..threads-1; the caller is 0 */
} worker_arg;

struct tfl__pool {
    int threads;
    pthread_t *workers;
    worker_arg *args;
    pthread_mutex_t lock;
    pthread_cond_t wake, done;
    unsigned long generation; /* bumped for each job */
    int stop;
    /* current job */
    void (*fn)(void *, size_t, size_t, int);
    void *arg;
    size_t n, chunk, num_chunks;
    atomic_size_t next;
    int active; /* workers still inside the current job */
};

static void run_chunks(tfl__pool *p, int worker)
{
    for (;;) {
        size_t c = atomic_fetch_add(&p->next, 1);
        if (c >= p->num_chunks)
            return;
        size_t start = c * p->chunk;
        size_t end = start + p->chunk < p->n ? start + p->chunk : p->n;
        p->fn(p->arg, start, end, worker);
    }
}

static void *worker(void *arg)
{
    const worker_arg *wa = arg;
    tfl__pool *p = wa->pool;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && p->generation == seen)
            pthread_cond_wait(&p->wake, &p->lock);
        if (p->stop)
            break;
        seen = p->generation;
        pthread_mutex_unlock(&p->lock);
        run_chunks(p, wa->index);
        pthread_mutex_lock(&p->lock);
        if (--p->active == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

tfl__pool *tfl__pool_create(int threads)
{
    if (threads <= 1)
        return NULL;
    tfl__pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->workers = calloc((size_t)threads - 1, sizeof *p->workers);
    p->args = calloc((size_t)threads - 1, sizeof *p->args);
    if (!p->workers || !p->args) {
        free(p->workers);
        free(p->args);
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->done, NULL);
    for (int i = 0; i < threads - 1; ++i) {
        p->args[i].pool = p;
        p->args[i].index = i + 1;
        if (pthread_create(&p->workers[i], NULL, worker, &p->args[i]) != 0)
            break;
        p->threads++;
    }
    p->threads++; /* the caller */
    return p;
}

void tfl__pool_free(tfl__pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->threads - 1; ++i)
        pthread_join(p->workers[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->done);
    free(p->workers);
    free(p->args);
    free(p);
}

void tfl__pool_run(tfl__pool *p, size_t n, size_t min_chunk,
                   void (*fn)(void *arg, size_t start, size_t end, int worker), void *arg)
{
    if (min_chunk == 0)
        min_chunk = 1;
    /* A few chunks per thread balances uneven work without much overhead. */
    size_t target = (size_t)p->threads * 4;
    size_t chunk = (n + target - 1) / target;
    if (chunk < min_chunk)
        chunk = min_chunk;
    size_t num_chunks = (n + chunk - 1) / chunk;
    if (p->threads <= 1 || num_chunks <= 1) {
        fn(arg, 0, n, 0);
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->fn = fn;
    p->arg = arg;
    p->n = n;
    p->chunk = chunk;
    p->num_chunks = num_chunks;
    atomic_store(&p->next, 0);
    p->active = p->threads - 1;
    p->generation++;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    run_chunks(p, 0);
    pthread_mutex_lock(&p->lock);
    while (p->active > 0)
        pthread_cond_wait(&p->done, &p->lock);
    pthread_mutex_unlock(&p->lock);
}
