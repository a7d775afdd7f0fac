/* Threading checks meant to run under ThreadSanitizer (`make test-tsan`): for
 * each model, (a) one interpreter with a 2-thread pool invoked many times
 * must give the single-threaded result every time (invoke k the result of
 * the single-threaded invoke k: stateful models change from one invoke to
 * the next); (b) several interpreters
 * over one shared tfl_model, each in its own thread, allocate and invoke
 * concurrently and must match it too; (c) meanwhile other threads read the
 * shared model's metadata and labels. Arguments are model files or
 * directories of models (their *.tflite files, in name order). A model whose
 * single-threaded run fails (a seed whose random inputs are out of its
 * domain) is skipped; a named file must run. Invokes per interpreter: 200
 * for a named file, 20 for each file of a directory, N for FILE@N (heavy
 * models); TFL_TSAN_ITERS overrides them all. Exit status 0 when every check
 * passed. */
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tfl.h"

#define PARALLEL_INTERPRETERS 4
#define METADATA_READERS 2
#define MAX_MODELS 1024

/* The single-threaded outputs of invokes 0 .. num_invokes-1 (stateful
 * models, whose variables carry over, give a different result each time),
 * output i of invoke k at [k * num_outputs + i]. */
typedef struct reference {
    int num_outputs, num_invokes;
    size_t *sizes;
    uint8_t **bytes;
} reference;

typedef struct shared {
    const char *path;
    tfl_model *model;
    const reference *ref;
    int iters;
    /* metadata as the main thread read it */
    int has_metadata;
    char name[128];
    int num_labels;
    char first_label[128];
} shared;

typedef struct job {
    const shared *s;
    int id;
    int num_threads;
    int failures;
} job;

/* Deterministic inputs: a small LCG per tensor; floats in [-1, 1), integers
 * in [0, 100) for int32/int64 (as `tfl run` makes them), raw bytes else. */
static void fill_inputs(tfl_interpreter *it)
{
    for (int i = 0; i < tfl_interpreter_num_inputs(it); ++i) {
        tfl_tensor *t = tfl_interpreter_input(it, i);
        uint8_t *p = tfl_tensor_data(t);
        size_t n = tfl_tensor_num_elements(t), bytes = tfl_tensor_byte_size(t);
        uint32_t x = 12345u + 977u * (uint32_t)i;
        if (!p)
            continue;
        switch (tfl_tensor_type(t)) {
        case TFL_FLOAT32:
            for (size_t k = 0; k < n; ++k) {
                x = x * 1664525u + 1013904223u;
                float v = (float)(x >> 8) * (2.0f / 16777216.0f) - 1.0f;
                memcpy(p + 4 * k, &v, 4);
            }
            break;
        case TFL_INT32:
            for (size_t k = 0; k < n; ++k) {
                x = x * 1664525u + 1013904223u;
                int32_t v = (int32_t)((x >> 8) % 100);
                memcpy(p + 4 * k, &v, 4);
            }
            break;
        case TFL_INT64:
            for (size_t k = 0; k < n; ++k) {
                x = x * 1664525u + 1013904223u;
                int64_t v = (int64_t)((x >> 8) % 100);
                memcpy(p + 8 * k, &v, 8);
            }
            break;
        case TFL_BOOL:
            for (size_t k = 0; k < n; ++k) {
                x = x * 1664525u + 1013904223u;
                p[k] = (uint8_t)(x >> 31);
            }
            break;
        default:
            for (size_t k = 0; k < bytes; ++k) {
                x = x * 1664525u + 1013904223u;
                p[k] = (uint8_t)(x >> 24);
            }
        }
    }
}

static tfl_interpreter *make_interpreter(const tfl_model *m, int num_threads, char *msg,
                                         size_t msg_size)
{
    tfl_error err;
    tfl_options opt = tfl_options_default();
    opt.num_threads = num_threads;
    tfl_interpreter *it = tfl_interpreter_create(m, &opt, &err);
    if (!it) {
        snprintf(msg, msg_size, "create: %s", err.message);
        return NULL;
    }
    if (tfl_interpreter_allocate(it) != TFL_OK) {
        snprintf(msg, msg_size, "allocate: %s", tfl_interpreter_last_error(it));
        tfl_interpreter_free(it);
        return NULL;
    }
    fill_inputs(it);
    return it;
}

static void reference_free(reference *r)
{
    for (int i = 0; r->bytes && i < r->num_outputs * r->num_invokes; ++i)
        free(r->bytes[i]);
    free(r->bytes);
    free(r->sizes);
    memset(r, 0, sizeof *r);
}

/* The single-threaded results of `invokes` invokes; 0 on success, else msg
 * says why. */
static int reference_run(const tfl_model *m, reference *r, int invokes, char *msg,
                         size_t msg_size)
{
    memset(r, 0, sizeof *r);
    tfl_interpreter *it = make_interpreter(m, 1, msg, msg_size);
    if (!it)
        return -1;
    int n = tfl_interpreter_num_outputs(it);
    r->num_outputs = n;
    r->num_invokes = invokes;
    const size_t slots = (size_t)n * (size_t)invokes + 1;
    r->sizes = calloc(slots, sizeof *r->sizes);
    r->bytes = calloc(slots, sizeof *r->bytes);
    if (!r->sizes || !r->bytes) {
        snprintf(msg, msg_size, "out of memory");
        tfl_interpreter_free(it);
        return -1;
    }
    for (int k = 0; k < invokes; ++k) {
        if (tfl_interpreter_invoke(it) != TFL_OK) {
            snprintf(msg, msg_size, "invoke %d: %s", k, tfl_interpreter_last_error(it));
            tfl_interpreter_free(it);
            return -1;
        }
        for (int i = 0; i < n; ++i) {
            const size_t slot = (size_t)k * n + i;
            const tfl_tensor *t = tfl_interpreter_output(it, i);
            r->sizes[slot] = tfl_tensor_byte_size(t);
            r->bytes[slot] = malloc(r->sizes[slot] + 1);
            if (!r->bytes[slot]) {
                snprintf(msg, msg_size, "out of memory");
                tfl_interpreter_free(it);
                return -1;
            }
            const void *d = tfl_tensor_data_const(t);
            if (d && r->sizes[slot])
                memcpy(r->bytes[slot], d, r->sizes[slot]);
        }
    }
    tfl_interpreter_free(it);
    return 0;
}

/* Number of outputs that differ from the reference (0: all identical). */
static int compare(tfl_interpreter *it, const reference *r, int invoke)
{
    int bad = 0;
    for (int i = 0; i < r->num_outputs; ++i) {
        const size_t slot = (size_t)invoke * r->num_outputs + i;
        const tfl_tensor *t = tfl_interpreter_output(it, i);
        const void *d = tfl_tensor_data_const(t);
        if (tfl_tensor_byte_size(t) != r->sizes[slot] ||
            (r->sizes[slot] && (!d || memcmp(d, r->bytes[slot], r->sizes[slot]) != 0)))
            ++bad;
    }
    return bad;
}

/* Creates, allocates and invokes one interpreter iters times. */
static int run_interpreter(const shared *s, int num_threads, const char *what)
{
    char msg[512];
    tfl_interpreter *it = make_interpreter(s->model, num_threads, msg, sizeof msg);
    if (!it) {
        fprintf(stderr, "FAIL %s: %s: %s\n", s->path, what, msg);
        return 1;
    }
    int failures = 0;
    for (int k = 0; k < s->iters && !failures; ++k) {
        if (tfl_interpreter_invoke(it) != TFL_OK) {
            fprintf(stderr, "FAIL %s: %s: invoke %d: %s\n", s->path, what, k,
                    tfl_interpreter_last_error(it));
            failures++;
        } else if (compare(it, s->ref, k) != 0) {
            fprintf(stderr, "FAIL %s: %s: invoke %d differs from the single-threaded run\n",
                    s->path, what, k);
            failures++;
        }
    }
    tfl_interpreter_free(it);
    return failures;
}

static void *interpreter_thread(void *arg)
{
    job *j = arg;
    char what[64];
    snprintf(what, sizeof what, "interpreter %d (%d threads)", j->id, j->num_threads);
    j->failures = run_interpreter(j->s, j->num_threads, what);
    return NULL;
}

/* Reads metadata (and the first output's labels) the way the main thread did. */
static int read_metadata(const shared *s, int *has, char *name, size_t name_size, int *num_labels,
                         char *first, size_t first_size)
{
    tfl_error err;
    *has = 0;
    *num_labels = -1;
    name[0] = first[0] = 0;
    tfl_metadata *md = tfl_metadata_read(s->model, &err);
    if (!md)
        return err.status == TFL_OK ? 0 : -1;
    *has = tfl_metadata_has_entry(md);
    snprintf(name, name_size, "%s", tfl_metadata_name(md) ? tfl_metadata_name(md) : "");
#if defined(TFL_TEST_VISION) && TFL_TEST_VISION
    tfl_labels *l = tfl_labels_from_metadata(md, 0, NULL, &err);
    if (l) {
        *num_labels = tfl_labels_count(l);
        snprintf(first, first_size, "%s", tfl_labels_get(l, 0));
        /* Placeholders come from a per-thread ring: exercise it too. */
        for (int k = 0; k < 8; ++k)
            (void)tfl_labels_get(l, *num_labels + k);
        tfl_labels_free(l);
    }
#endif
    (void)first_size;
    tfl_metadata_free(md);
    return 0;
}

static void *metadata_thread(void *arg)
{
    job *j = arg;
    const shared *s = j->s;
    for (int k = 0; k < s->iters && !j->failures; ++k) {
        int has, n;
        char name[128], first[128];
        if (read_metadata(s, &has, name, sizeof name, &n, first, sizeof first) != 0 ||
            has != s->has_metadata || strcmp(name, s->name) != 0 || n != s->num_labels ||
            strcmp(first, s->first_label) != 0) {
            fprintf(stderr, "FAIL %s: metadata reader %d: read %d differs\n", s->path, j->id, k);
            j->failures++;
        }
    }
    return NULL;
}

/* Runs checks (a)-(c) on one model; returns the number of failures, or -1
 * when the model's single-threaded run fails (skipped unless required). */
static int check_model(const char *path, int iters, int required)
{
    tfl_error err;
    tfl_model *m = tfl_model_load_file(path, &err);
    if (!m) {
        fprintf(stderr, "%s %s: load: %s\n", required ? "FAIL" : "skip", path, err.message);
        return required ? 1 : -1;
    }
    reference ref;
    char msg[512];
    if (reference_run(m, &ref, iters, msg, sizeof msg) != 0) {
        fprintf(stderr, "%s %s: single-threaded run: %s\n", required ? "FAIL" : "skip", path, msg);
        reference_free(&ref);
        tfl_model_free(m);
        return required ? 1 : -1;
    }
    shared s = {.path = path, .model = m, .ref = &ref, .iters = iters};
    int failures = 0;
    if (read_metadata(&s, &s.has_metadata, s.name, sizeof s.name, &s.num_labels, s.first_label,
                      sizeof s.first_label) != 0) {
        fprintf(stderr, "FAIL %s: metadata read failed\n", path);
        failures++;
    }

    /* (a) one interpreter, a 2-thread pool, many invokes */
    failures += run_interpreter(&s, 2, "2-thread interpreter");

    /* (b) + (c) interpreters and metadata readers sharing the model */
    pthread_t threads[PARALLEL_INTERPRETERS + METADATA_READERS];
    job jobs[PARALLEL_INTERPRETERS + METADATA_READERS];
    int started = 0;
    for (int i = 0; i < PARALLEL_INTERPRETERS + METADATA_READERS; ++i) {
        const int reader = i >= PARALLEL_INTERPRETERS;
        jobs[i] = (job){.s = &s, .id = i, .num_threads = 1 + (i & 1)};
        if (pthread_create(&threads[i], NULL, reader ? metadata_thread : interpreter_thread,
                           &jobs[i]) != 0) {
            fprintf(stderr, "FAIL %s: pthread_create\n", path);
            failures++;
            break;
        }
        started++;
    }
    for (int i = 0; i < started; ++i) {
        pthread_join(threads[i], NULL);
        failures += jobs[i].failures;
    }
    reference_free(&ref);
    tfl_model_free(m);
    if (s.num_labels >= 0)
        printf("%s %s (metadata '%s', %d labels)\n", failures ? "FAIL" : "ok  ", path, s.name,
               s.num_labels);
    else
        printf("%s %s\n", failures ? "FAIL" : "ok  ", path);
    return failures;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.tflite files of dir, sorted; caller frees. */
static int list_models(const char *dir, char **out, int cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < cap) {
        size_t len = strlen(e->d_name);
        if (len < 8 || strcmp(e->d_name + len - 7, ".tflite") != 0)
            continue;
        size_t size = strlen(dir) + len + 2;
        out[n] = malloc(size);
        if (!out[n])
            break;
        snprintf(out[n], size, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    qsort(out, (size_t)n, sizeof *out, by_name);
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_tsan MODEL[@ITERS]|DIR...\n");
        return 2;
    }
    const char *env = getenv("TFL_TSAN_ITERS");
    int iters_override = env ? atoi(env) : 0;
    int failures = 0, checked = 0, skipped = 0;
    for (int a = 1; a < argc; ++a) {
        struct stat st;
        int iters = 200;
        char *at = strrchr(argv[a], '@');
        if (at && at[1]) {
            iters = atoi(at + 1);
            *at = 0;
        }
        if (iters_override > 0)
            iters = iters_override;
        if (stat(argv[a], &st) != 0) {
            fprintf(stderr, "FAIL %s: not found\n", argv[a]);
            failures++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            int r = check_model(argv[a], iters < 1 ? 1 : iters, 1);
            failures += r;
            checked++;
            continue;
        }
        static char *paths[MAX_MODELS];
        int n = list_models(argv[a], paths, MAX_MODELS);
        if (n < 0) {
            fprintf(stderr, "FAIL %s: cannot list\n", argv[a]);
            failures++;
            continue;
        }
        for (int i = 0; i < n; ++i) {
            int r = check_model(paths[i], iters_override > 0 ? iters_override : 20, 0);
            if (r < 0)
                skipped++;
            else {
                failures += r;
                checked++;
            }
            free(paths[i]);
        }
    }
    printf("test_tsan: %d models checked, %d skipped, %d failures\n", checked, skipped, failures);
    return failures ? 1 : 0;
}
