/* Thread pool with one job at a time. The chunks of a job are dealt out in
 * contiguous shares, worker w's share being the w-th of the range, and each
 * worker takes its own share's chunks in order before it steals from the
 * others' (with the same atomic counters). So when nothing is stolen, the
 * same part of every job runs on the same thread: a layer reads what the
 * same core wrote for the previous layer from its own cache, instead of
 * fetching half its input from the other core's, which costs as much as
 * the work on the small layers of a MobileNet. Between jobs they spin on the job generation for a short
 * while before sleeping on a condition variable: an invoke runs dozens of
 * short jobs back to back, and a futex wake-up per job (tens of
 * microseconds on a loaded machine) would cost more than many of the jobs
 * themselves. The caller likewise spins before it waits for the last
 * worker, and waits only for workers that joined the job before it claimed
 * the last chunk: one that was asleep or descheduled when the job came
 * (a VM's other vCPU, say) would otherwise hold up a job the caller has
 * already finished alone. */
#include "core/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

/* How long an idle thread spins before it sleeps. */
#define SPIN_NS 500000L

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
    atomic_ulong generation; /* bumped for each job, after the job is set */
    atomic_int stop;
    atomic_int sleepers; /* workers asleep (or about to be) on `wake` */
    /* current job, written before generation is bumped */
    void (*fn)(void *, size_t, size_t, int);
    void *arg;
    size_t n, chunk, num_chunks;
    struct share *shares; /* [threads]: worker w's chunks */
    /* The generation of the job that workers may still join, 0 once the
     * caller has claimed its last chunk; and the workers inside a job (or
     * about to find that it closed). The caller waits for those only: a
     * worker still asleep when the job was posted finds it closed and
     * costs nothing. */
    atomic_ulong open;
    atomic_int active;
};

/* Chunks [next, end) of one worker's share not yet claimed; padded to a
 * cache line so that claiming one's own does not contend with the others. */
struct share {
    _Alignas(64) atomic_size_t next;
    size_t end;
};

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Spins until cond(p, v) holds or SPIN_NS pass; true when it holds. */
static int spin_until(int (*cond)(tfl__pool *, unsigned long), tfl__pool *p, unsigned long v)
{
    long deadline = 0;
    for (unsigned i = 0;; ++i) {
        if (cond(p, v))
            return 1;
        CPU_RELAX();
        if ((i & 255) == 255) {
            const long t = now_ns();
            if (deadline == 0)
                deadline = t + SPIN_NS;
            else if (t > deadline)
                return 0;
        }
    }
}

static int job_posted(tfl__pool *p, unsigned long seen)
{
    return atomic_load(&p->stop) || atomic_load(&p->generation) != seen;
}

static int job_done(tfl__pool *p, unsigned long unused)
{
    (void)unused;
    return atomic_load(&p->active) == 0;
}

static void run_share(tfl__pool *p, struct share *s, int worker)
{
    for (;;) {
        /* A load first, so that a thief that finds the share done does
         * not push its counter further. */
        if (atomic_load(&s->next) >= s->end)
            return;
        size_t c = atomic_fetch_add(&s->next, 1);
        if (c >= s->end)
            return;
        size_t start = c * p->chunk;
        size_t end = start + p->chunk < p->n ? start + p->chunk : p->n;
        p->fn(p->arg, start, end, worker);
    }
}

/* The worker's own share, then whatever is left of the others'. */
static void run_chunks(tfl__pool *p, int worker)
{
    run_share(p, &p->shares[worker], worker);
    for (int k = 1; k < p->threads; ++k)
        run_share(p, &p->shares[(worker + k) % p->threads], worker);
}

static void *worker(void *arg)
{
    const worker_arg *wa = arg;
    tfl__pool *p = wa->pool;
    unsigned long seen = 0;
    for (;;) {
        if (!spin_until(job_posted, p, seen)) {
            /* Announce the sleep before the last look at the generation:
             * the caller bumps the generation before it reads sleepers
             * (both sequentially consistent), so either it sees this
             * sleeper and broadcasts, or this look sees its job. */
            pthread_mutex_lock(&p->lock);
            atomic_fetch_add(&p->sleepers, 1);
            while (!job_posted(p, seen))
                pthread_cond_wait(&p->wake, &p->lock);
            atomic_fetch_sub(&p->sleepers, 1);
            pthread_mutex_unlock(&p->lock);
        }
        if (atomic_load(&p->stop))
            break;
        seen = atomic_load(&p->generation);
        /* Join, then look whether the job still takes workers: the caller
         * closes it before it reads `active` (both sequentially
         * consistent), so either it waits for this worker or this worker
         * sees it closed and touches nothing of it. */
        atomic_fetch_add(&p->active, 1);
        if (atomic_load(&p->open) == seen)
            run_chunks(p, wa->index);
        if (atomic_fetch_sub(&p->active, 1) == 1) {
            /* The caller may be asleep on `done`: it checks active under
             * the lock, so signalling under the lock cannot be missed. */
            pthread_mutex_lock(&p->lock);
            pthread_cond_signal(&p->done);
            pthread_mutex_unlock(&p->lock);
        }
    }
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
    p->shares = aligned_alloc(64, (size_t)threads * sizeof *p->shares);
    if (!p->workers || !p->args || !p->shares) {
        free(p->workers);
        free(p->args);
        free(p->shares);
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
    atomic_store(&p->stop, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->threads - 1; ++i)
        pthread_join(p->workers[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->done);
    free(p->workers);
    free(p->args);
    free(p->shares);
    free(p);
}

void tfl__pool_run(tfl__pool *p, size_t n, size_t min_chunk,
                   void (*fn)(void *arg, size_t start, size_t end, int worker), void *arg)
{
    if (min_chunk == 0)
        min_chunk = 1;
    /* Many chunks per thread: claiming one's own is an uncontended atomic
     * add, and a layer of 14 rows must split 7 / 7, not 6 / 8, to scale. */
    size_t target = (size_t)p->threads * 16;
    size_t chunk = (n + target - 1) / target;
    if (chunk < min_chunk)
        chunk = min_chunk;
    size_t num_chunks = (n + chunk - 1) / chunk;
    if (p->threads <= 1 || num_chunks <= 1) {
        fn(arg, 0, n, 0);
        return;
    }
    p->fn = fn;
    p->arg = arg;
    p->n = n;
    p->chunk = chunk;
    p->num_chunks = num_chunks;
    /* Worker w's share: chunks [w * num_chunks / threads, (w + 1) * ...). */
    for (int w = 0; w < p->threads; ++w) {
        atomic_store(&p->shares[w].next, (size_t)w * num_chunks / (size_t)p->threads);
        p->shares[w].end = (size_t)(w + 1) * num_chunks / (size_t)p->threads;
    }
    const unsigned long g = atomic_load(&p->generation) + 1;
    atomic_store(&p->open, g);
    atomic_store(&p->generation, g); /* publishes the job */
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->lock);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->lock);
    }
    run_chunks(p, 0);
    /* Every chunk is done or running on a worker that joined. */
    atomic_store(&p->open, 0);
    if (!spin_until(job_done, p, 0)) {
        pthread_mutex_lock(&p->lock);
        while (atomic_load(&p->active) > 0)
            pthread_cond_wait(&p->done, &p->lock);
        pthread_mutex_unlock(&p->lock);
    }
}
