/* `tfl bench MODEL`: invoke latency on seeded random inputs (min / median /
 * mean over timed runs after warm-up), load and first-invoke time, peak RSS,
 * multiply-accumulates per invoke, the arena size, and with --per-op the time
 * per op type and the slowest nodes from the interpreter's profiler. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"
#include "json.h"
#include "peak.h"

enum { TOP_NODES = 10 };

void usage_bench(FILE *f)
{
    fprintf(f, "usage: tfl bench MODEL [--threads N] [--warmup N] [--runs N] [--seed N]\n"
               "                 [--per-op] [--json]\n"
               "       tfl bench --peak [--json]\n\n"
               "Fills every input with seeded random values (the same ones 'tfl run --seed N'\n"
               "generates), invokes --warmup times untimed, then --runs times, each invoke\n"
               "timed alone with CLOCK_MONOTONIC, and prints min / median / mean / max\n"
               "latency in ms, the load time (model, interpreter, allocate), the first\n"
               "invoke (timed alone, before the warm-up), the peak RSS after the runs, the\n"
               "multiply-accumulates per invoke of CONV_2D, DEPTHWISE_CONV_2D,\n"
               "FULLY_CONNECTED, TRANSPOSE_CONV and BATCH_MATMUL, and the activation arena size.\n\n"
               "options:\n"
               "  --threads N   worker threads (default 1)\n"
               "  --warmup N    untimed invokes first (default 3)\n"
               "  --runs N      timed invokes (default 20)\n"
               "  --seed N      seed for the random inputs (default 0)\n"
               "  --per-op      also time each node (profiling adds two clock reads per\n"
               "                node): totals per op type, sorted by time, with their share,\n"
               "                and the %d slowest nodes; times are means per invoke\n"
               "  --json        print one JSON object instead of text\n"
               "  --peak        no model: measure one core's best float32 FMA and int8\n"
               "                dot-product rate (GMAC/s, widest SIMD the CPU has, about\n"
               "                half a second), the peak a model's GMAC/s is a share of\n"
               "  -h, --help    show this help\n",
            TOP_NODES);
}

typedef struct bench_opts {
    const char *model;
    int threads, warmup, runs;
    uint64_t seed;
    bool per_op, json, peak;
} bench_opts;

/* Per op type: summed over its nodes and over the timed runs. */
typedef struct op_total {
    const char *name;
    int nodes;
    uint64_t ns;
} op_total;

typedef struct node_time {
    int node;
    const char *op;
    const char *output; /* name of the node's first output tensor */
    uint64_t ns;        /* summed over the timed runs */
} node_time;

typedef struct bench_result {
    double *runs_ms;
    double min, median, mean, max;
    double load_ms;        /* model load + interpreter create + allocate */
    double first_invoke_ms;
    long peak_rss_kb;      /* after the runs: VmHWM on Linux, else ru_maxrss */
    uint64_t macs;         /* multiply-accumulates per invoke */
    uint64_t float_macs;   /* of those, in nodes with a float32 input */
    size_t arena;
    size_t packed; /* repacked weights the model holds for its kernels */
    op_total *ops;
    int num_ops;
    node_time *nodes;
    int num_nodes;
    uint64_t total_node_ns;
    bool *folded; /* [node]: folded into another node, not run */
    int num_folded;
} bench_result;

/* ---- random inputs ---------------------------------------------------- */

static int random_inputs(tfl_interpreter *it, uint64_t seed)
{
    uint64_t state = seed;
    for (int i = 0; i < tfl_interpreter_num_inputs(it); ++i) {
        tfl_tensor *t = tfl_interpreter_input(it, i);
        void *data = tfl_tensor_data(t);
        size_t n = tfl_tensor_num_elements(t);
        if (n && !data)
            return cli_error("input %d '%s' has no memory after allocate", i, tfl_tensor_name(t));
        if (!cli_fill_random(tfl_tensor_type(t), data, n, &state))
            return cli_error("input %d '%s': cannot make random %s values", i,
                             tfl_tensor_name(t), tfl_type_name(tfl_tensor_type(t)));
    }
    return EXIT_OK;
}

/* ---- multiply-accumulates ---------------------------------------------- */

static uint64_t tensor_dim(tfl_interpreter *it, int index, int axis)
{
    tfl_tensor *t = index >= 0 ? tfl_interpreter_tensor(it, index) : NULL;
    if (!t)
        return 0;
    int nd = tfl_tensor_ndim(t);
    if (axis < 0)
        axis += nd;
    return axis >= 0 && axis < nd ? (uint64_t)tfl_tensor_dims(t)[axis] : 0;
}

static uint64_t tensor_elems(tfl_interpreter *it, int index)
{
    tfl_tensor *t = index >= 0 ? tfl_interpreter_tensor(it, index) : NULL;
    return t ? tfl_tensor_num_elements(t) : 0;
}

/* One node's multiply-accumulates from its allocated tensor shapes. Filters
 * are [out_ch, kh, kw, in_ch / groups] (conv, transpose conv) or
 * [1, kh, kw, ch] (depthwise); FC weights [out, in]. */
static uint64_t node_macs(tfl_interpreter *it, const tfl_op_info *op)
{
    if (op->num_inputs < 2 || op->num_outputs < 1)
        return 0;
    const int32_t *in = op->inputs;
    uint64_t out = tensor_elems(it, op->outputs[0]);
    if (strcmp(op->name, "CONV_2D") == 0)
        return out * tensor_dim(it, in[1], 1) * tensor_dim(it, in[1], 2) *
               tensor_dim(it, in[1], 3);
    if (strcmp(op->name, "DEPTHWISE_CONV_2D") == 0)
        return out * tensor_dim(it, in[1], 1) * tensor_dim(it, in[1], 2);
    if (strcmp(op->name, "FULLY_CONNECTED") == 0)
        return out * tensor_dim(it, in[1], -1);
    if (strcmp(op->name, "TRANSPOSE_CONV") == 0 && op->num_inputs >= 3)
        /* inputs: output shape, filter, input; every input element meets kh * kw * out_ch taps */
        return tensor_elems(it, in[2]) * tensor_dim(it, in[1], 0) * tensor_dim(it, in[1], 1) *
               tensor_dim(it, in[1], 2);
    if (strcmp(op->name, "BATCH_MATMUL") == 0) {
        /* out [..., M, N], lhs [..., M, K] or [..., K, M] (adj_x): K is whichever
         * of lhs's last two dims is not M (both are M when K == M). */
        uint64_t m = tensor_dim(it, op->outputs[0], -2);
        uint64_t a1 = tensor_dim(it, in[0], -1), a2 = tensor_dim(it, in[0], -2);
        return out * (a1 == m ? a2 == m ? m : a2 : a1);
    }
    return 0;
}

/* MACs per invoke, and in *float_macs those of nodes with a float32
 * input 0 (the rest are integer), so a rate can be set against the
 * matching peak. */
static uint64_t model_macs(tfl_interpreter *it, const tfl_model *m, uint64_t *float_macs)
{
    uint64_t total = 0;
    *float_macs = 0;
    for (int n = 0; n < tfl_interpreter_num_nodes(it); ++n) {
        tfl_op_info op;
        if (tfl_model_op(m, 0, n, &op) != TFL_OK)
            continue;
        uint64_t macs = node_macs(it, &op);
        tfl_tensor *in = op.num_inputs > 0 && op.inputs[0] >= 0
                             ? tfl_interpreter_tensor(it, op.inputs[0])
                             : NULL;
        if (in && tfl_tensor_type(in) == TFL_FLOAT32)
            *float_macs += macs;
        total += macs;
    }
    return total;
}

/* ---- arguments -------------------------------------------------------- */

static int parse_args(int argc, char **argv, bench_opts *o, const cli_command *cmd)
{
    long long v;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) {
            usage_bench(stdout);
            return -1;
        } else if (strcmp(a, "--threads") == 0) {
            if (!cli_parse_int(next, 1, 256, &v))
                return cli_usage_error(cmd, "--threads needs an integer in [1, 256]");
            o->threads = (int)v;
            ++i;
        } else if (strcmp(a, "--warmup") == 0) {
            if (!cli_parse_int(next, 0, 1000000, &v))
                return cli_usage_error(cmd, "--warmup needs an integer in [0, 1000000]");
            o->warmup = (int)v;
            ++i;
        } else if (strcmp(a, "--runs") == 0) {
            if (!cli_parse_int(next, 1, 1000000, &v))
                return cli_usage_error(cmd, "--runs needs an integer in [1, 1000000]");
            o->runs = (int)v;
            ++i;
        } else if (strcmp(a, "--seed") == 0) {
            if (!cli_parse_int(next, 0, INT64_MAX, &v))
                return cli_usage_error(cmd, "--seed needs a non-negative integer");
            o->seed = (uint64_t)v;
            ++i;
        } else if (strcmp(a, "--per-op") == 0) {
            o->per_op = true;
        } else if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--peak") == 0) {
            o->peak = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error(cmd, "unknown option '%s'", a);
        } else if (!o->model) {
            o->model = a;
        } else {
            return cli_usage_error(cmd, "unexpected argument '%s'", a);
        }
    }
    if (o->peak && o->model)
        return cli_usage_error(cmd, "--peak takes no MODEL");
    if (!o->model && !o->peak)
        return cli_usage_error(cmd, "missing MODEL");
    return EXIT_OK;
}

/* ---- measuring -------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Slowest first; ties by name / node index so the order is stable. */
static int cmp_op_total(const void *a, const void *b)
{
    const op_total *x = a, *y = b;
    if (x->ns != y->ns)
        return x->ns < y->ns ? 1 : -1;
    return strcmp(x->name, y->name);
}

static int cmp_node_time(const void *a, const void *b)
{
    const node_time *x = a, *y = b;
    if (x->ns != y->ns)
        return x->ns < y->ns ? 1 : -1;
    return x->node - y->node;
}

static void latency_stats(bench_result *r, int runs)
{
    double *sorted = malloc((size_t)runs * sizeof *sorted);
    double sum = 0;
    for (int i = 0; i < runs; ++i)
        sum += r->runs_ms[i];
    r->mean = sum / runs;
    if (!sorted) { /* keep going without the order statistics */
        r->min = r->median = r->max = NAN;
        return;
    }
    memcpy(sorted, r->runs_ms, (size_t)runs * sizeof *sorted);
    qsort(sorted, (size_t)runs, sizeof *sorted, cmp_double);
    r->min = sorted[0];
    r->max = sorted[runs - 1];
    r->median = runs % 2 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
    free(sorted);
}

/* Groups the accumulated node times by op name; sorts ops and nodes. */
static int per_op_tables(const tfl_model *m, bench_result *r)
{
    r->ops = calloc((size_t)r->num_nodes + 1, sizeof *r->ops);
    if (!r->ops)
        return cli_error("out of memory");
    for (int n = 0; n < r->num_nodes; ++n) {
        tfl_op_info op;
        node_time *nt = &r->nodes[n];
        nt->op = "?";
        nt->output = "";
        if (tfl_model_op(m, 0, n, &op) == TFL_OK) {
            nt->op = op.name;
            tfl_tensor_info ti;
            if (op.num_outputs > 0 && tfl_model_tensor(m, 0, op.outputs[0], &ti) == TFL_OK)
                nt->output = ti.name;
        }
        r->total_node_ns += nt->ns;
        int k = 0;
        while (k < r->num_ops && strcmp(r->ops[k].name, nt->op) != 0)
            ++k;
        if (k == r->num_ops)
            r->ops[r->num_ops++] = (op_total){.name = nt->op};
        r->ops[k].nodes++;
        r->ops[k].ns += nt->ns;
    }
    qsort(r->ops, (size_t)r->num_ops, sizeof *r->ops, cmp_op_total);
    qsort(r->nodes, (size_t)r->num_nodes, sizeof *r->nodes, cmp_node_time);
    return EXIT_OK;
}

/* Peak resident set in KiB. On Linux VmHWM of /proc/self/status: getrusage's
 * ru_maxrss survives execve, so under a big parent (a Python driver) it
 * reports the parent's peak at the fork rather than this program's. */
static long peak_rss_kb(void)
{
#ifdef __linux__
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        char line[256];
        long kb = -1;
        while (kb < 0 && fgets(line, sizeof line, f))
            if (sscanf(line, "VmHWM: %ld kB", &kb) != 1)
                kb = -1;
        fclose(f);
        if (kb >= 0)
            return kb;
    }
#endif
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
#ifdef __APPLE__
    return ru.ru_maxrss / 1024; /* bytes there, KiB on Linux */
#else
    return ru.ru_maxrss;
#endif
}

static int measure(tfl_interpreter *it, const tfl_model *m, const bench_opts *o,
                   bench_result *r)
{
    double t_first = now_ms();
    tfl_status first = tfl_interpreter_invoke(it);
    r->first_invoke_ms = now_ms() - t_first;
    if (first != TFL_OK)
        return cli_error("%s", tfl_interpreter_last_error(it));
    for (int i = 0; i < o->warmup; ++i)
        if (tfl_interpreter_invoke(it) != TFL_OK)
            return cli_error("%s", tfl_interpreter_last_error(it));
    r->runs_ms = malloc((size_t)o->runs * sizeof *r->runs_ms);
    r->num_nodes = tfl_interpreter_num_nodes(it);
    if (o->per_op)
        r->nodes = calloc((size_t)r->num_nodes + 1, sizeof *r->nodes);
    if (!r->runs_ms || (o->per_op && !r->nodes))
        return cli_error("out of memory");
    tfl_interpreter_set_profiling(it, o->per_op);
    for (int i = 0; i < o->runs; ++i) {
        double t0 = now_ms();
        tfl_status st = tfl_interpreter_invoke(it);
        r->runs_ms[i] = now_ms() - t0;
        if (st != TFL_OK)
            return cli_error("%s", tfl_interpreter_last_error(it));
        for (int n = 0; o->per_op && n < r->num_nodes; ++n) {
            r->nodes[n].node = n;
            r->nodes[n].ns += tfl_interpreter_node_time_ns(it, n);
        }
    }
    latency_stats(r, o->runs);
    r->peak_rss_kb = peak_rss_kb();
    return o->per_op ? per_op_tables(m, r) : EXIT_OK;
}

/* ---- output ----------------------------------------------------------- */

/* Tensor names are often several ';'-joined names of folded ops: the first,
 * cut to fit a line, identifies the node well enough in the text table. */
static void print_short_name(const char *name)
{
    enum { MAX_SHOWN = 60 };
    size_t n = strcspn(name, ";");
    bool cut = name[n] != 0 || n > MAX_SHOWN;
    printf("%.*s%s\n", (int)(n > MAX_SHOWN ? MAX_SHOWN : n), name, cut ? "..." : "");
}

static double share(uint64_t ns, uint64_t total)
{
    return total ? 100.0 * (double)ns / (double)total : 0.0;
}

static void print_text(const bench_opts *o, const bench_result *r)
{
    double runs = o->runs;
    printf("model: %s\n", o->model);
    printf("threads %d, warm-up %d, runs %d, random inputs (seed %llu)\n", o->threads,
           o->warmup, o->runs, (unsigned long long)o->seed);
    printf("cpu: %s\n", tfl_cpu_features());
    printf("arena: %zu bytes (%.2f MiB), packed weights: %zu bytes (%.2f MiB)\n", r->arena,
           (double)r->arena / (1024.0 * 1024.0), r->packed, (double)r->packed / (1024.0 * 1024.0));
    printf("latency: min %.3f ms, median %.3f ms, mean %.3f ms, max %.3f ms\n", r->min,
           r->median, r->mean, r->max);
    printf("load: %.3f ms (model, interpreter, allocate), first invoke: %.3f ms\n", r->load_ms,
           r->first_invoke_ms);
    printf("macs: %llu per invoke (%.2f GMAC/s at the median), peak RSS: %ld KiB\n",
           (unsigned long long)r->macs, r->median > 0 ? (double)r->macs / r->median * 1e-6 : 0.0,
           r->peak_rss_kb);
    if (r->num_folded)
        printf("folded: %d nodes not run at invoke (PAD into the convolution after it, "
               "DEQUANTIZE of constant weights done once)\n",
               r->num_folded);
    if (!o->per_op)
        return;
    printf("\nper op type (mean ms per invoke; nodes sum to %.3f ms):\n",
           (double)r->total_node_ns * 1e-6 / runs);
    printf("  %-28s %5s %10s %7s\n", "op", "nodes", "ms", "%");
    for (int i = 0; i < r->num_ops; ++i)
        printf("  %-28s %5d %10.3f %6.1f%%\n", r->ops[i].name, r->ops[i].nodes,
               (double)r->ops[i].ns * 1e-6 / runs, share(r->ops[i].ns, r->total_node_ns));
    int top = r->num_nodes < TOP_NODES ? r->num_nodes : TOP_NODES;
    printf("\ntop %d nodes:\n", top);
    printf("  %5s  %-24s %10s %7s  %s\n", "node", "op", "ms", "%", "output");
    for (int i = 0; i < top; ++i) {
        const node_time *n = &r->nodes[i];
        printf("  %5d  %-24s %10.3f %6.1f%%  ", n->node, n->op, (double)n->ns * 1e-6 / runs,
               share(n->ns, r->total_node_ns));
        print_short_name(n->output);
    }
}

static void print_json(const bench_opts *o, const bench_result *r)
{
    double runs = o->runs;
    json_writer w;
    json_init(&w, stdout, 2);
    json_object_begin(&w);
    json_key(&w, "model");
    json_string(&w, o->model);
    json_key(&w, "threads");
    json_int(&w, o->threads);
    json_key(&w, "cpu_features");
    json_string(&w, tfl_cpu_features());
    json_key(&w, "warmup");
    json_int(&w, o->warmup);
    json_key(&w, "runs");
    json_int(&w, o->runs);
    json_key(&w, "seed");
    json_uint(&w, o->seed);
    json_key(&w, "arena_bytes");
    json_uint(&w, r->arena);
    json_key(&w, "packed_bytes");
    json_uint(&w, r->packed);
    json_key(&w, "load_ms");
    json_double(&w, r->load_ms);
    json_key(&w, "first_invoke_ms");
    json_double(&w, r->first_invoke_ms);
    json_key(&w, "peak_rss_kb");
    json_int(&w, r->peak_rss_kb);
    json_key(&w, "macs");
    json_uint(&w, r->macs);
    json_key(&w, "float_macs");
    json_uint(&w, r->float_macs);
    json_key(&w, "latency_ms");
    json_object_begin(&w);
    json_key(&w, "min");
    json_double(&w, r->min);
    json_key(&w, "median");
    json_double(&w, r->median);
    json_key(&w, "mean");
    json_double(&w, r->mean);
    json_key(&w, "max");
    json_double(&w, r->max);
    json_object_end(&w);
    json_key(&w, "runs_ms");
    json_array_begin_compact(&w);
    for (int i = 0; i < o->runs; ++i)
        json_double(&w, r->runs_ms[i]);
    json_array_end(&w);
    json_key(&w, "folded_nodes");
    json_array_begin_compact(&w);
    for (int n = 0; n < r->num_nodes; ++n)
        if (r->folded[n])
            json_int(&w, n);
    json_array_end(&w);
    if (o->per_op) {
        json_key(&w, "node_total_ms");
        json_double(&w, (double)r->total_node_ns * 1e-6 / runs);
        json_key(&w, "ops");
        json_array_begin(&w);
        for (int i = 0; i < r->num_ops; ++i) {
            json_object_begin(&w);
            json_key(&w, "op");
            json_string(&w, r->ops[i].name);
            json_key(&w, "nodes");
            json_int(&w, r->ops[i].nodes);
            json_key(&w, "ms");
            json_double(&w, (double)r->ops[i].ns * 1e-6 / runs);
            json_key(&w, "percent");
            json_double(&w, share(r->ops[i].ns, r->total_node_ns));
            json_object_end(&w);
        }
        json_array_end(&w);
        json_key(&w, "top_nodes");
        json_array_begin(&w);
        int top = r->num_nodes < TOP_NODES ? r->num_nodes : TOP_NODES;
        for (int i = 0; i < top; ++i) {
            const node_time *n = &r->nodes[i];
            json_object_begin(&w);
            json_key(&w, "node");
            json_int(&w, n->node);
            json_key(&w, "op");
            json_string(&w, n->op);
            json_key(&w, "output");
            json_string(&w, n->output);
            json_key(&w, "ms");
            json_double(&w, (double)n->ns * 1e-6 / runs);
            json_key(&w, "percent");
            json_double(&w, share(n->ns, r->total_node_ns));
            json_object_end(&w);
        }
        json_array_end(&w);
    }
    json_object_end(&w);
    json_finish(&w);
}

/* ---- the command ------------------------------------------------------ */

static int bench(const bench_opts *o)
{
    double t_load = now_ms();
    tfl_model *m = cli_load_model(o->model);
    if (!m)
        return EXIT_ERROR;
    int rc = EXIT_ERROR;
    bench_result r = {0};
    tfl_error err;
    tfl_options opt = tfl_options_default();
    opt.num_threads = o->threads;
    tfl_interpreter *it = tfl_interpreter_create(m, &opt, &err);
    if (!it) {
        cli_error("%s", err.message);
        goto done;
    }
    if (tfl_interpreter_allocate(it) != TFL_OK) {
        cli_error("%s", tfl_interpreter_last_error(it));
        goto done;
    }
    r.load_ms = now_ms() - t_load;
    r.arena = tfl_interpreter_arena_size(it);
    r.macs = model_macs(it, m, &r.float_macs);
    r.packed = tfl_model_packed_bytes(m);
    r.folded = calloc((size_t)tfl_interpreter_num_nodes(it) + 1, sizeof *r.folded);
    if (!r.folded) {
        cli_error("out of memory");
        goto done;
    }
    for (int n = 0; n < tfl_interpreter_num_nodes(it); ++n)
        r.num_folded += r.folded[n] = tfl_interpreter_node_folded(it, n) != 0;
    if (random_inputs(it, o->seed) != EXIT_OK || measure(it, m, o, &r) != EXIT_OK)
        goto done;
    if (o->json)
        print_json(o, &r);
    else
        print_text(o, &r);
    fflush(stdout);
    rc = ferror(stdout) ? cli_error("cannot write output") : EXIT_OK;
done:
    free(r.runs_ms);
    free(r.ops);
    free(r.nodes);
    free(r.folded);
    tfl_interpreter_free(it);
    tfl_model_free(m);
    return rc;
}

static int print_peak(const bench_opts *o)
{
    cli_peak pk = cli_measure_peak();
    if (o->json) {
        json_writer w;
        json_init(&w, stdout, 2);
        json_object_begin(&w);
        json_key(&w, "cpu");
        json_string(&w, tfl_cpu_features());
        json_key(&w, "f32_gmacs_per_core");
        json_double(&w, pk.f32_gmacs);
        json_key(&w, "f32_isa");
        json_string(&w, pk.f32_isa);
        json_key(&w, "int8_gmacs_per_core");
        json_double(&w, pk.int8_gmacs);
        json_key(&w, "int8_isa");
        json_string(&w, pk.int8_isa);
        json_object_end(&w);
        json_finish(&w);
    } else {
        printf("cpu: %s\n", tfl_cpu_features());
        printf("float32 peak per core: %.1f GMAC/s (%s)\n", pk.f32_gmacs, pk.f32_isa);
        printf("int8 peak per core: %.1f GMAC/s (%s)\n", pk.int8_gmacs, pk.int8_isa);
    }
    return EXIT_OK;
}

int cmd_bench(int argc, char **argv)
{
    bench_opts o = {.threads = 1, .warmup = 3, .runs = 20};
    int rc = parse_args(argc, argv, &o, cli_find_command("bench"));
    if (rc < 0)
        return EXIT_OK; /* --help */
    if (rc != EXIT_OK)
        return rc;
    return o.peak ? print_peak(&o) : bench(&o);
}
