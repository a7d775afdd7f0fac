/* The thread pool: every index of every job runs exactly once, on a worker
 * index below the thread count, for thousands of back-to-back jobs of
 * varied sizes and chunk minimums; jobs posted while the workers sleep
 * (after their spin) or while they are still finishing the previous job;
 * jobs too small to split run inline on the caller. `make test-tsan` runs
 * this under ThreadSanitizer too. */
#include <stdatomic.h>
#include <time.h>

#include "core/pool.h"
#include "test.h"

enum { MAX_N = 5000 };

typedef struct job {
    atomic_int hits[MAX_N];
    atomic_int bad_worker, calls;
    int threads;
} job;

static void body(void *arg, size_t start, size_t end, int worker)
{
    job *j = arg;
    if (worker < 0 || worker >= j->threads)
        atomic_fetch_add(&j->bad_worker, 1);
    atomic_fetch_add(&j->calls, 1);
    for (size_t i = start; i < end; ++i)
        atomic_fetch_add(&j->hits[i], 1);
}

static job the_job;

/* Runs one job over [0, n) and checks it. */
static int run_and_check(tfl__pool *p, int threads, size_t n, size_t min_chunk)
{
    job *j = &the_job;
    for (size_t i = 0; i < n; ++i)
        atomic_store(&j->hits[i], 0);
    atomic_store(&j->bad_worker, 0);
    atomic_store(&j->calls, 0);
    j->threads = threads;
    tfl__pool_run(p, n, min_chunk, body, j);
    int ok = atomic_load(&j->bad_worker) == 0;
    for (size_t i = 0; i < n; ++i)
        ok = ok && atomic_load(&j->hits[i]) == 1;
    return ok;
}

static unsigned rng = 12345;
static unsigned next_rand(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

static void test_every_index_once(void)
{
    for (int threads = 2; threads <= 4; ++threads) {
        tfl__pool *p = tfl__pool_create(threads);
        CHECK(p != NULL);
        if (!p)
            continue;
        int failures = 0;
        for (int k = 0; k < 3000; ++k) {
            const size_t n = (size_t)(next_rand() % 5 == 0 ? next_rand() % 4 : next_rand() % MAX_N);
            const size_t min_chunk = (size_t)(next_rand() % 3 == 0 ? 0 : 1 + next_rand() % 64);
            failures += !run_and_check(p, threads, n, min_chunk);
        }
        CHECK_EQ_INT(failures, 0);
        tfl__pool_free(p);
    }
}

/* Workers asleep (past their spin) when a job comes: the caller may finish
 * it alone, and must not wait for them to wake up to return. */
static void test_jobs_after_sleep(void)
{
    tfl__pool *p = tfl__pool_create(2);
    CHECK(p != NULL);
    if (!p)
        return;
    int failures = 0;
    for (int k = 0; k < 40; ++k) {
        sleep_us(k % 4 == 0 ? 2000 : 50); /* past SPIN_NS, or within it */
        failures += !run_and_check(p, 2, (size_t)(1 + next_rand() % MAX_N), 1);
        failures += !run_and_check(p, 2, 64, 1); /* right after: the worker may still be busy */
    }
    CHECK_EQ_INT(failures, 0);
    tfl__pool_free(p);
}

static void test_small_jobs_inline(void)
{
    tfl__pool *p = tfl__pool_create(2);
    CHECK(p != NULL);
    if (!p)
        return;
    /* One chunk: a single call on the caller (worker 0). */
    CHECK(run_and_check(p, 1, 10, 10)); /* threads 1: any worker but 0 is flagged */
    CHECK_EQ_INT(atomic_load(&the_job.calls), 1);
    CHECK(run_and_check(p, 1, 0, 1));
    tfl__pool_free(p);
    CHECK(tfl__pool_create(1) == NULL); /* callers run inline */
    tfl__pool_free(NULL);
}

TFL_TEST_MAIN(TEST(test_every_index_once), TEST(test_jobs_after_sleep),
              TEST(test_small_jobs_inline))
