/* `tfl run MODEL [-i in.npy ...] [-o DIR]`: runs any model on NumPy inputs
 * (or seeded random ones), prints a short summary per output and writes the
 * outputs (and any random inputs) as .npy files. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "npy.h"

#define MAX_INPUT_FILES 256

void usage_run(FILE *f)
{
    fprintf(f, "usage: tfl run MODEL [-i IN.npy ...] [-o DIR] [--seed N] [--threads N]\n"
               "               [--repeat N] [--subgraph N] [--max-memory BYTES] [--max-work N]\n\n"
               "Runs the model once (or --repeat times) and prints, per output, its name,\n"
               "dtype, shape, first values (and real values when quantized), min and max.\n\n"
               "options:\n"
               "  -i, --input FILE   a .npy file per model input, in input order; the dtype\n"
               "                     must match; a different shape resizes the input\n"
               "  -o, --output DIR   write DIR/output_<i>.npy (and DIR/input_<i>.npy for\n"
               "                     random inputs); DIR is created if missing\n"
               "  --seed N           seed for random inputs (default 0)\n"
               "  --threads N        worker threads (default 1)\n"
               "  --repeat N         invoke N times and report the time (default 1)\n"
               "  --subgraph N       run subgraph N (default 0)\n"
               "  --max-memory BYTES refuse models needing more activation memory (default 16 GiB)\n"
               "  --max-work N       refuse models whose invoke needs more than N element\n"
               "                     operations (default 2^40; see docs/security.md)\n"
               "  -h, --help         show this help\n\n"
               "Without -i every input is random, from a splitmix64 stream seeded by --seed\n"
               "and consumed input by input, element by element:\n"
               "  uint8, int8, int16, uint16, bool   uniform over the whole type range\n"
               "  int32, int64, uint32, uint64       uniform in [0, 100) (token ids, indices)\n"
               "  float32, float16, float64          uniform in [-1, 1)\n");
}

typedef struct run_opts {
    const char *model;
    const char *inputs[MAX_INPUT_FILES];
    int num_inputs;
    const char *out_dir;
    uint64_t seed;
    int threads;
    int repeat;
    int subgraph;
    long long max_memory, max_work; /* 0 = the library's defaults */
} run_opts;

/* ---- random inputs ---------------------------------------------------- */

static float f16_to_f32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ffu;
    float f;
    if (exp == 0) {
        f = ldexpf((float)mant, -24);
        return sign ? -f : f;
    }
    uint32_t x = exp == 31 ? sign | 0x7f800000u | (mant << 13)
                           : sign | ((exp - 15 + 127) << 23) | (mant << 13);
    memcpy(&f, &x, 4);
    return f;
}

/* ---- value display ---------------------------------------------------- */

/* Element i as a double; integers are exact up to 2^53. */
static bool element(tfl_type t, const void *data, size_t i, double *v)
{
    const unsigned char *p = data;
    switch (t) {
    case TFL_UINT8: *v = p[i]; return true;
    case TFL_INT8: *v = (int8_t)p[i]; return true;
    case TFL_BOOL: *v = p[i] != 0; return true;
    case TFL_INT16: {
        int16_t x;
        memcpy(&x, p + 2 * i, 2);
        *v = x;
        return true;
    }
    case TFL_UINT16: {
        uint16_t x;
        memcpy(&x, p + 2 * i, 2);
        *v = x;
        return true;
    }
    case TFL_INT32: {
        int32_t x;
        memcpy(&x, p + 4 * i, 4);
        *v = x;
        return true;
    }
    case TFL_UINT32: {
        uint32_t x;
        memcpy(&x, p + 4 * i, 4);
        *v = x;
        return true;
    }
    case TFL_INT64: {
        int64_t x;
        memcpy(&x, p + 8 * i, 8);
        *v = (double)x;
        return true;
    }
    case TFL_UINT64: {
        uint64_t x;
        memcpy(&x, p + 8 * i, 8);
        *v = (double)x;
        return true;
    }
    case TFL_FLOAT32: {
        float x;
        memcpy(&x, p + 4 * i, 4);
        *v = x;
        return true;
    }
    case TFL_FLOAT16: {
        uint16_t x;
        memcpy(&x, p + 2 * i, 2);
        *v = f16_to_f32(x);
        return true;
    }
    case TFL_FLOAT64: memcpy(v, p + 8 * i, 8); return true;
    default: return false;
    }
}

static bool is_float_type(tfl_type t)
{
    return t == TFL_FLOAT32 || t == TFL_FLOAT16 || t == TFL_FLOAT64;
}

static void print_value(double v, bool as_float)
{
    if (as_float)
        printf(" %.6g", v);
    else
        printf(" %.0f", v);
}

enum { SHOW_VALUES = 8 };

static void summarize(const char *what, int i, tfl_tensor *t)
{
    char shape[160];
    tfl_type type = tfl_tensor_type(t);
    size_t n = tfl_tensor_num_elements(t);
    tfl_quantization q = tfl_tensor_quantization(t);
    printf("%s %d '%s': %s %s", what, i, tfl_tensor_name(t), tfl_type_name(type),
           cli_format_shape(tfl_tensor_dims(t), tfl_tensor_ndim(t), shape, sizeof shape));
    if (q.count == 1)
        printf(" scale %.9g zero_point %lld", (double)q.scales[0], (long long)q.zero_points[0]);
    else if (q.count > 1)
        printf(" per-channel (%d scales, dimension %d)", q.count, q.quantized_dimension);
    printf("\n");
    const void *data = tfl_tensor_data_const(t);
    double v;
    if (!data || n == 0 || !element(type, data, 0, &v)) {
        if (n)
            printf("  (values of type %s not shown)\n", tfl_type_name(type));
        return;
    }
    bool fl = is_float_type(type);
    bool deq = q.count > 0 && !fl;
    size_t shown = n < SHOW_VALUES ? n : SHOW_VALUES;
    printf("  values:");
    for (size_t k = 0; k < shown; ++k) {
        element(type, data, k, &v);
        print_value(v, fl);
    }
    printf("%s\n", n > shown ? " ..." : "");
    if (deq) {
        printf("  real:  ");
        for (size_t k = 0; k < shown; ++k)
            printf(" %.6g", (double)tfl_tensor_dequantize_at(t, k));
        printf("%s\n", n > shown ? " ..." : "");
    }
    double lo = INFINITY, hi = -INFINITY;
    size_t nan = 0, argmax = 0;
    for (size_t k = 0; k < n; ++k) {
        element(type, data, k, &v);
        if (isnan(v)) {
            ++nan;
            continue;
        }
        if (v < lo)
            lo = v;
        if (v > hi) {
            hi = v;
            argmax = k;
        }
    }
    printf("  min");
    print_value(lo, fl);
    printf(" max");
    print_value(hi, fl);
    printf(" (at %zu)", argmax);
    if (deq && q.count == 1)
        printf(", real %.6g .. %.6g", (lo - (double)q.zero_points[0]) * q.scales[0],
               (hi - (double)q.zero_points[0]) * q.scales[0]);
    if (nan)
        printf(", %zu NaN", nan);
    printf("\n");
}

/* ---- files ------------------------------------------------------------ */

static int ensure_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return cli_error("'%s' exists and is not a directory", dir);
        return EXIT_OK;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return cli_error("cannot create directory '%s': %s", dir, strerror(errno));
    return EXIT_OK;
}

static int write_tensor(const char *dir, const char *kind, int i, tfl_tensor *t)
{
    char path[4096];
    char err[512];
    snprintf(path, sizeof path, "%s/%s_%d.npy", dir, kind, i);
    if (!npy_descr(tfl_tensor_type(t))) {
        fprintf(stderr, "tfl: %s %d: %s tensors cannot be written as .npy; skipped\n", kind, i,
                tfl_type_name(tfl_tensor_type(t)));
        return EXIT_OK;
    }
    if (npy_write_file(path, tfl_tensor_type(t), tfl_tensor_dims(t), tfl_tensor_ndim(t),
                       tfl_tensor_data_const(t), tfl_tensor_byte_size(t), err, sizeof err) != 0)
        return cli_error("%s", err);
    return EXIT_OK;
}

/* ---- the command ------------------------------------------------------ */

static int parse_args(int argc, char **argv, run_opts *o, const cli_command *cmd)
{
    long long v;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) {
            usage_run(stdout);
            return -1;
        } else if (strcmp(a, "-i") == 0 || strcmp(a, "--input") == 0) {
            if (!next)
                return cli_usage_error(cmd, "%s needs a file", a);
            if (o->num_inputs == MAX_INPUT_FILES)
                return cli_usage_error(cmd, "too many input files (at most %d)", MAX_INPUT_FILES);
            o->inputs[o->num_inputs++] = next;
            ++i;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (!next)
                return cli_usage_error(cmd, "%s needs a directory", a);
            o->out_dir = next;
            ++i;
        } else if (strcmp(a, "--seed") == 0) {
            if (!cli_parse_int(next, 0, INT64_MAX, &v))
                return cli_usage_error(cmd, "--seed needs a non-negative integer");
            o->seed = (uint64_t)v;
            ++i;
        } else if (strcmp(a, "--threads") == 0) {
            if (!cli_parse_int(next, 1, 256, &v))
                return cli_usage_error(cmd, "--threads needs an integer in [1, 256]");
            o->threads = (int)v;
            ++i;
        } else if (strcmp(a, "--max-memory") == 0) {
            if (!cli_parse_int(next, 1, INT64_MAX, &v))
                return cli_usage_error(cmd, "--max-memory needs a positive number of bytes");
            o->max_memory = v;
            ++i;
        } else if (strcmp(a, "--max-work") == 0) {
            if (!cli_parse_int(next, 1, INT64_MAX, &v))
                return cli_usage_error(cmd, "--max-work needs a positive integer");
            o->max_work = v;
            ++i;
        } else if (strcmp(a, "--repeat") == 0) {
            if (!cli_parse_int(next, 1, 1000000, &v))
                return cli_usage_error(cmd, "--repeat needs an integer in [1, 1000000]");
            o->repeat = (int)v;
            ++i;
        } else if (strcmp(a, "--subgraph") == 0) {
            if (!cli_parse_int(next, 0, 1 << 20, &v))
                return cli_usage_error(cmd, "--subgraph needs a non-negative integer");
            o->subgraph = (int)v;
            ++i;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error(cmd, "unknown option '%s'", a);
        } else if (!o->model) {
            o->model = a;
        } else {
            return cli_usage_error(cmd, "unexpected argument '%s' (inputs go after -i)", a);
        }
    }
    if (!o->model)
        return cli_usage_error(cmd, "missing MODEL");
    return EXIT_OK;
}

static bool same_shape(const int32_t *a, int na, const int32_t *b, int nb)
{
    if (na != nb)
        return false;
    for (int i = 0; i < na; ++i)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Reads the -i files, checks dtypes, resizes inputs whose shapes differ and
 * allocates. */
static int load_inputs(tfl_interpreter *it, const run_opts *o, npy_array *arrays)
{
    int n = tfl_interpreter_num_inputs(it);
    char err[640];
    bool resized[MAX_INPUT_FILES] = {false};
    for (int i = 0; i < n; ++i) {
        tfl_tensor *t = tfl_interpreter_input(it, i);
        if (npy_read_file(o->inputs[i], &arrays[i], err, sizeof err) != 0)
            return cli_error("input %d: %s", i, err);
        npy_array *a = &arrays[i];
        if (a->type != tfl_tensor_type(t))
            return cli_error("input %d '%s': expected dtype %s, got %s (from '%s')", i,
                             tfl_tensor_name(t), tfl_type_name(tfl_tensor_type(t)),
                             tfl_type_name(a->type), o->inputs[i]);
        if (!same_shape(a->dims, a->ndim, tfl_tensor_dims(t), tfl_tensor_ndim(t))) {
            if (tfl_interpreter_resize_input(it, i, a->dims, a->ndim) != TFL_OK)
                return cli_error("input %d '%s': cannot resize: %s", i, tfl_tensor_name(t),
                                 tfl_interpreter_last_error(it));
            resized[i] = true;
        }
    }
    if (tfl_interpreter_allocate(it) != TFL_OK) {
        /* Name the resized inputs: the likely cause of a failure here. */
        for (int i = 0; i < n; ++i) {
            if (!resized[i])
                continue;
            tfl_tensor *t = tfl_interpreter_input(it, i);
            char got[160], sig[160];
            int sig_ndim;
            const int32_t *s = tfl_tensor_shape_signature(t, &sig_ndim);
            return cli_error("input %d '%s': the model does not run with shape %s from '%s' "
                             "(model shape signature %s): %s",
                             i, tfl_tensor_name(t),
                             cli_format_shape(arrays[i].dims, arrays[i].ndim, got, sizeof got),
                             o->inputs[i], cli_format_shape(s, sig_ndim, sig, sizeof sig),
                             tfl_interpreter_last_error(it));
        }
        return cli_error("%s", tfl_interpreter_last_error(it));
    }
    for (int i = 0; i < n; ++i) {
        tfl_tensor *t = tfl_interpreter_input(it, i);
        if (tfl_tensor_copy_from(t, arrays[i].data, arrays[i].bytes) != TFL_OK)
            return cli_error("input %d '%s' from '%s': %s", i, tfl_tensor_name(t), o->inputs[i],
                             tfl_interpreter_last_error(it));
    }
    return EXIT_OK;
}

static int random_inputs(tfl_interpreter *it, const run_opts *o)
{
    if (tfl_interpreter_allocate(it) != TFL_OK)
        return cli_error("%s", tfl_interpreter_last_error(it));
    uint64_t state = o->seed;
    for (int i = 0; i < tfl_interpreter_num_inputs(it); ++i) {
        tfl_tensor *t = tfl_interpreter_input(it, i);
        void *data = tfl_tensor_data(t);
        size_t n = tfl_tensor_num_elements(t);
        if (n && !data)
            return cli_error("input %d '%s' has no memory after allocate", i, tfl_tensor_name(t));
        if (!cli_fill_random(tfl_tensor_type(t), data, n, &state))
            return cli_error("input %d '%s': cannot make random %s values; pass it with -i", i,
                             tfl_tensor_name(t), tfl_type_name(tfl_tensor_type(t)));
    }
    return EXIT_OK;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int run(const run_opts *o)
{
    tfl_model *m = cli_load_model(o->model);
    if (!m)
        return EXIT_ERROR;
    int rc = EXIT_ERROR, n_in = 0;
    npy_array *arrays = NULL;
    tfl_error err;
    tfl_options opt = tfl_options_default();
    opt.num_threads = o->threads;
    opt.max_memory = (size_t)o->max_memory;
    opt.max_work = (uint64_t)o->max_work;
    opt.subgraph = o->subgraph;
    tfl_interpreter *it = tfl_interpreter_create(m, &opt, &err);
    if (!it) {
        cli_error("%s", err.message);
        goto done;
    }
    n_in = tfl_interpreter_num_inputs(it);
    bool random = o->num_inputs == 0;
    if (!random && o->num_inputs != n_in) {
        cli_error("the model has %d input%s but %d -i file%s given", n_in, n_in == 1 ? "" : "s",
                  o->num_inputs, o->num_inputs == 1 ? " was" : "s were");
        goto done;
    }
    if (n_in > MAX_INPUT_FILES) {
        cli_error("the model has %d inputs; at most %d are supported", n_in, MAX_INPUT_FILES);
        goto done;
    }
    arrays = calloc((size_t)n_in + 1, sizeof *arrays);
    if (!arrays) {
        cli_error("out of memory");
        goto done;
    }
    if ((random ? random_inputs(it, o) : load_inputs(it, o, arrays)) != EXIT_OK)
        goto done;
    if (o->out_dir && ensure_dir(o->out_dir) != EXIT_OK)
        goto done;
    for (int i = 0; i < n_in; ++i) {
        if (random) {
            summarize("input", i, tfl_interpreter_input(it, i));
            if (o->out_dir && write_tensor(o->out_dir, "input", i, tfl_interpreter_input(it, i)))
                goto done;
        }
    }
    if (random)
        printf("(random inputs, seed %llu)\n", (unsigned long long)o->seed);

    double total = 0, best = INFINITY;
    for (int r = 0; r < o->repeat; ++r) {
        double t0 = now_ms();
        if (tfl_interpreter_invoke(it) != TFL_OK) {
            cli_error("%s", tfl_interpreter_last_error(it));
            goto done;
        }
        double dt = now_ms() - t0;
        total += dt;
        if (dt < best)
            best = dt;
    }
    for (int i = 0; i < tfl_interpreter_num_outputs(it); ++i) {
        tfl_tensor *t = tfl_interpreter_output(it, i);
        summarize("output", i, t);
        if (o->out_dir && write_tensor(o->out_dir, "output", i, t))
            goto done;
    }
    if (o->repeat > 1)
        printf("invoke: %d runs, mean %.3f ms, best %.3f ms (%d thread%s)\n", o->repeat,
               total / o->repeat, best, o->threads, o->threads == 1 ? "" : "s");
    else
        printf("invoke: %.3f ms (%d thread%s)\n", total, o->threads, o->threads == 1 ? "" : "s");
    fflush(stdout);
    rc = ferror(stdout) ? cli_error("cannot write output") : EXIT_OK;
done:
    if (arrays)
        for (int i = 0; i < n_in; ++i)
            npy_free(&arrays[i]);
    free(arrays);
    tfl_interpreter_free(it);
    tfl_model_free(m);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    run_opts o = {.threads = 1, .repeat = 1};
    int rc = parse_args(argc, argv, &o, cli_find_command("run"));
    if (rc < 0)
        return EXIT_OK; /* --help */
    if (rc != EXIT_OK)
        return rc;
    return run(&o);
}
