/* `tfl inspect MODEL [--json]`: what a model holds (subgraphs, inputs and
 * outputs with quantization, op counts with support status, signatures,
 * metadata) and the arena an interpreter plans for it; `--extract DIR` writes
 * out the files packed into the model instead. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "inspect_metadata.h"
#include "json.h"

void usage_inspect(FILE *f)
{
    fprintf(f, "usage: tfl inspect MODEL [--json] [--subgraph N] [--extract DIR]\n\n"
               "Shows the model's schema version, description, subgraphs, the inputs and\n"
               "outputs of the chosen subgraph (name, dtype, shape, shape signature,\n"
               "quantization), op counts by name and version (unsupported ones flagged),\n"
               "signatures, metadata entries, and the activation arena size once an\n"
               "interpreter allocates (or why it cannot).\n\n"
               "options:\n"
               "  --json          print one JSON object instead of text\n"
               "  --subgraph N    subgraph whose inputs/outputs and arena to show (default 0)\n"
               "  --extract DIR   instead, write the files packed into the model (labels,\n"
               "                  vocabularies: the ZIP archive TFLite Metadata appends) to\n"
               "                  DIR, created if missing, and list them\n"
               "  -h, --help      show this help\n");
}

/* One row of the op table: ops with the same name and version. */
typedef struct op_count {
    const char *name;
    int builtin_code;
    int version;
    int count;
    bool supported;
} op_count;

typedef struct inspect_info {
    const char *path;
    const tfl_model *model;
    int subgraph;
    op_count *ops;
    int num_ops;
    int num_unsupported; /* distinct (name, version) rows */
    bool alloc_ok;
    size_t arena_bytes;
    tfl_status alloc_status;
    char alloc_error[600];
} inspect_info;

static int cmp_ops(const void *a, const void *b)
{
    const op_count *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : x->version - y->version;
}

/* Counts ops over all subgraphs; false when out of memory. */
static bool count_ops(inspect_info *in)
{
    const tfl_model *m = in->model;
    int total = 0;
    for (int s = 0; s < tfl_model_num_subgraphs(m); ++s)
        total += tfl_model_num_ops(m, s);
    in->ops = calloc((size_t)total + 1, sizeof *in->ops);
    if (!in->ops)
        return false;
    for (int s = 0; s < tfl_model_num_subgraphs(m); ++s) {
        for (int i = 0; i < tfl_model_num_ops(m, s); ++i) {
            tfl_op_info op;
            if (tfl_model_op(m, s, i, &op) != TFL_OK)
                continue;
            const char *name = op.name ? op.name : "?";
            int k = 0;
            while (k < in->num_ops &&
                   !(in->ops[k].version == op.version && strcmp(in->ops[k].name, name) == 0))
                ++k;
            if (k == in->num_ops) {
                in->ops[k] = (op_count){name, op.builtin_code, op.version, 0, op.supported != 0};
                ++in->num_ops;
                if (!op.supported)
                    ++in->num_unsupported;
            }
            ++in->ops[k].count;
        }
    }
    qsort(in->ops, (size_t)in->num_ops, sizeof *in->ops, cmp_ops);
    return true;
}

static void try_allocate(inspect_info *in)
{
    tfl_error err;
    tfl_options opt = tfl_options_default();
    opt.subgraph = in->subgraph;
    tfl_interpreter *it = tfl_interpreter_create(in->model, &opt, &err);
    if (!it) {
        in->alloc_status = err.status;
        snprintf(in->alloc_error, sizeof in->alloc_error, "%s", err.message);
        return;
    }
    in->alloc_status = tfl_interpreter_allocate(it);
    if (in->alloc_status != TFL_OK) {
        snprintf(in->alloc_error, sizeof in->alloc_error, "%s", tfl_interpreter_last_error(it));
    } else {
        in->alloc_ok = true;
        in->arena_bytes = tfl_interpreter_arena_size(it);
    }
    tfl_interpreter_free(it);
}

/* True when a metadata value is short printable text worth showing inline. */
static bool printable(const void *data, size_t size)
{
    const unsigned char *p = data;
    if (!p || size == 0 || size > 64)
        return false;
    while (size && p[size - 1] == 0) /* NUL-terminated strings */
        --size;
    for (size_t i = 0; i < size; ++i)
        if (p[i] < 0x20 || p[i] > 0x7e)
            return false;
    return size > 0;
}

static size_t printable_len(const void *data, size_t size)
{
    const unsigned char *p = data;
    while (size && p[size - 1] == 0)
        --size;
    return size;
}

/* ---- text ------------------------------------------------------------- */

static const char *quant_text(const tfl_quantization *q, char *buf, size_t size)
{
    if (q->count <= 0)
        snprintf(buf, size, "not quantized");
    else if (q->count == 1)
        snprintf(buf, size, "scale %.9g zero_point %lld", (double)q->scales[0],
                 (long long)q->zero_points[0]);
    else
        snprintf(buf, size, "per-channel: %d scales along dimension %d", q->count,
                 q->quantized_dimension);
    return buf;
}

static void text_tensors(const inspect_info *in, bool outputs)
{
    const tfl_model *m = in->model;
    int n =
        outputs ? tfl_model_num_outputs(m, in->subgraph) : tfl_model_num_inputs(m, in->subgraph);
    printf("%s (%d):\n", outputs ? "outputs" : "inputs", n);
    for (int i = 0; i < n; ++i) {
        int idx =
            outputs ? tfl_model_output(m, in->subgraph, i) : tfl_model_input(m, in->subgraph, i);
        tfl_tensor_info t;
        if (tfl_model_tensor(m, in->subgraph, idx, &t) != TFL_OK)
            continue;
        char shape[160], sig[160], q[128];
        cli_format_shape(t.dims, t.ndim, shape, sizeof shape);
        cli_format_shape(t.sig, t.sig_ndim, sig, sizeof sig);
        printf("  %d: '%s' (tensor %d) %s %s", i, t.name, idx, tfl_type_name(t.type), shape);
        if (strcmp(shape, sig) != 0)
            printf(" signature %s", sig);
        printf(", %s\n", quant_text(&t.quantization, q, sizeof q));
    }
}

static void print_text(const inspect_info *in)
{
    const tfl_model *m = in->model;
    size_t size = 0;
    tfl_model_bytes(m, &size);
    printf("model: %s (%zu bytes)\n", in->path, size);
    printf("schema version: %u\n", (unsigned)tfl_model_schema_version(m));
    const char *desc = tfl_model_description(m);
    printf("description: %s\n", desc && *desc ? desc : "(none)");
    int nsg = tfl_model_num_subgraphs(m);
    printf("subgraphs (%d):\n", nsg);
    for (int s = 0; s < nsg; ++s) {
        const char *name = tfl_model_subgraph_name(m, s);
        printf("  %d: '%s' %d tensors, %d ops, %d inputs, %d outputs\n", s, name ? name : "",
               tfl_model_num_tensors(m, s), tfl_model_num_ops(m, s), tfl_model_num_inputs(m, s),
               tfl_model_num_outputs(m, s));
    }
    if (nsg > 1)
        printf("subgraph %d:\n", in->subgraph);
    text_tensors(in, false);
    text_tensors(in, true);

    printf("ops (%d kinds, all subgraphs):\n", in->num_ops);
    for (int i = 0; i < in->num_ops; ++i) {
        const op_count *o = &in->ops[i];
        printf("  %-32s v%-3d %5d%s\n", o->name, o->version, o->count,
               o->supported ? "" : "  UNSUPPORTED");
    }
    if (in->num_unsupported) {
        printf("unsupported ops:");
        for (int i = 0, k = 0; i < in->num_ops; ++i)
            if (!in->ops[i].supported)
                printf("%s %s v%d", k++ ? "," : "", in->ops[i].name, in->ops[i].version);
        printf("\n");
    }

    int nsig = tfl_model_num_signatures(m);
    printf("signatures (%d):\n", nsig);
    for (int i = 0; i < nsig; ++i) {
        tfl_signature sg;
        if (tfl_model_signature(m, i, &sg) != TFL_OK)
            continue;
        printf("  '%s' (subgraph %d)\n    inputs:", sg.key ? sg.key : "", sg.subgraph);
        for (int k = 0; k < sg.num_inputs; ++k)
            printf(" %s=%d", sg.inputs[k].name ? sg.inputs[k].name : "",
                   (int)sg.inputs[k].tensor_index);
        printf("\n    outputs:");
        for (int k = 0; k < sg.num_outputs; ++k)
            printf(" %s=%d", sg.outputs[k].name ? sg.outputs[k].name : "",
                   (int)sg.outputs[k].tensor_index);
        printf("\n");
    }

    int nmeta = tfl_model_num_metadata(m);
    printf("metadata (%d):\n", nmeta);
    for (int i = 0; i < nmeta; ++i) {
        const char *name;
        const void *data;
        size_t msize;
        if (tfl_model_metadata(m, i, &name, &data, &msize) != TFL_OK)
            continue;
        printf("  '%s' %zu bytes", name ? name : "", msize);
        if (printable(data, msize))
            printf(": \"%.*s\"", (int)printable_len(data, msize), (const char *)data);
        printf("\n");
    }

    inspect_metadata_text(m);

    if (in->alloc_ok)
        printf("arena: %zu bytes (subgraph %d)\n", in->arena_bytes, in->subgraph);
    else
        printf("arena: not allocated: %s\n", in->alloc_error);
    printf("cpu: %s\n", tfl_cpu_features());
}

/* ---- JSON ------------------------------------------------------------- */

static void json_shape(json_writer *w, const int32_t *dims, int ndim)
{
    json_array_begin_compact(w);
    for (int i = 0; i < ndim; ++i)
        json_int(w, dims[i]);
    json_array_end(w);
}

static void json_quant(json_writer *w, const tfl_quantization *q)
{
    if (q->count <= 0) {
        json_null(w);
        return;
    }
    json_object_begin(w);
    json_key(w, "per_channel");
    json_bool(w, q->count > 1);
    json_key(w, "count");
    json_int(w, q->count);
    json_key(w, "quantized_dimension");
    json_int(w, q->quantized_dimension);
    if (q->count == 1) {
        json_key(w, "scale");
        json_double(w, q->scales[0]);
        json_key(w, "zero_point");
        json_int(w, q->zero_points[0]);
    }
    json_key(w, "scales");
    json_array_begin_compact(w);
    for (int i = 0; i < q->count; ++i)
        json_double(w, q->scales[i]);
    json_array_end(w);
    json_key(w, "zero_points");
    json_array_begin_compact(w);
    for (int i = 0; i < q->count; ++i)
        json_int(w, q->zero_points[i]);
    json_array_end(w);
    json_object_end(w);
}

static void json_tensors(json_writer *w, const inspect_info *in, bool outputs)
{
    const tfl_model *m = in->model;
    int n =
        outputs ? tfl_model_num_outputs(m, in->subgraph) : tfl_model_num_inputs(m, in->subgraph);
    json_array_begin(w);
    for (int i = 0; i < n; ++i) {
        int idx =
            outputs ? tfl_model_output(m, in->subgraph, i) : tfl_model_input(m, in->subgraph, i);
        tfl_tensor_info t;
        if (tfl_model_tensor(m, in->subgraph, idx, &t) != TFL_OK)
            continue;
        json_object_begin(w);
        json_key(w, "index");
        json_int(w, i);
        json_key(w, "tensor_index");
        json_int(w, idx);
        json_key(w, "name");
        json_string(w, t.name);
        json_key(w, "dtype");
        json_string(w, tfl_type_name(t.type));
        json_key(w, "shape");
        json_shape(w, t.dims, t.ndim);
        json_key(w, "shape_signature");
        json_shape(w, t.sig, t.sig_ndim);
        json_key(w, "quantization");
        json_quant(w, &t.quantization);
        json_object_end(w);
    }
    json_array_end(w);
}

static void json_index_list(json_writer *w, const tfl_model *m, int s, bool outputs)
{
    int n = outputs ? tfl_model_num_outputs(m, s) : tfl_model_num_inputs(m, s);
    json_array_begin_compact(w);
    for (int i = 0; i < n; ++i)
        json_int(w, outputs ? tfl_model_output(m, s, i) : tfl_model_input(m, s, i));
    json_array_end(w);
}

static void json_sig_tensors(json_writer *w, const tfl_signature_tensor *t, int n)
{
    json_array_begin(w);
    for (int k = 0; k < n; ++k) {
        json_object_begin(w);
        json_key(w, "name");
        json_string(w, t[k].name ? t[k].name : "");
        json_key(w, "tensor_index");
        json_int(w, t[k].tensor_index);
        json_object_end(w);
    }
    json_array_end(w);
}

static void print_json(const inspect_info *in)
{
    const tfl_model *m = in->model;
    json_writer w;
    json_init(&w, stdout, 2);
    json_object_begin(&w);
    json_key(&w, "path");
    json_string(&w, in->path);
    size_t size = 0;
    tfl_model_bytes(m, &size);
    json_key(&w, "size_bytes");
    json_uint(&w, size);
    json_key(&w, "schema_version");
    json_uint(&w, tfl_model_schema_version(m));
    json_key(&w, "description");
    json_string(&w, tfl_model_description(m));

    json_key(&w, "subgraphs");
    json_array_begin(&w);
    for (int s = 0; s < tfl_model_num_subgraphs(m); ++s) {
        json_object_begin(&w);
        json_key(&w, "index");
        json_int(&w, s);
        json_key(&w, "name");
        const char *name = tfl_model_subgraph_name(m, s);
        json_string(&w, name ? name : "");
        json_key(&w, "num_tensors");
        json_int(&w, tfl_model_num_tensors(m, s));
        json_key(&w, "num_ops");
        json_int(&w, tfl_model_num_ops(m, s));
        json_key(&w, "inputs");
        json_index_list(&w, m, s, false);
        json_key(&w, "outputs");
        json_index_list(&w, m, s, true);
        json_object_end(&w);
    }
    json_array_end(&w);

    json_key(&w, "subgraph");
    json_int(&w, in->subgraph);
    json_key(&w, "inputs");
    json_tensors(&w, in, false);
    json_key(&w, "outputs");
    json_tensors(&w, in, true);

    json_key(&w, "ops");
    json_array_begin(&w);
    for (int i = 0; i < in->num_ops; ++i) {
        const op_count *o = &in->ops[i];
        json_object_begin(&w);
        json_key(&w, "name");
        json_string(&w, o->name);
        json_key(&w, "builtin_code");
        json_int(&w, o->builtin_code);
        json_key(&w, "version");
        json_int(&w, o->version);
        json_key(&w, "count");
        json_int(&w, o->count);
        json_key(&w, "supported");
        json_bool(&w, o->supported);
        json_object_end(&w);
    }
    json_array_end(&w);
    json_key(&w, "unsupported_ops");
    json_array_begin(&w);
    for (int i = 0; i < in->num_ops; ++i) /* names once, though versions may differ */
        if (!in->ops[i].supported && (i == 0 || in->ops[i - 1].supported ||
                                      strcmp(in->ops[i - 1].name, in->ops[i].name) != 0))
            json_string(&w, in->ops[i].name);
    json_array_end(&w);

    json_key(&w, "signatures");
    json_array_begin(&w);
    for (int i = 0; i < tfl_model_num_signatures(m); ++i) {
        tfl_signature sg;
        if (tfl_model_signature(m, i, &sg) != TFL_OK)
            continue;
        json_object_begin(&w);
        json_key(&w, "key");
        json_string(&w, sg.key ? sg.key : "");
        json_key(&w, "subgraph");
        json_int(&w, sg.subgraph);
        json_key(&w, "inputs");
        json_sig_tensors(&w, sg.inputs, sg.num_inputs);
        json_key(&w, "outputs");
        json_sig_tensors(&w, sg.outputs, sg.num_outputs);
        json_object_end(&w);
    }
    json_array_end(&w);

    json_key(&w, "metadata");
    json_array_begin(&w);
    for (int i = 0; i < tfl_model_num_metadata(m); ++i) {
        const char *name;
        const void *data;
        size_t msize;
        if (tfl_model_metadata(m, i, &name, &data, &msize) != TFL_OK)
            continue;
        json_object_begin(&w);
        json_key(&w, "name");
        json_string(&w, name ? name : "");
        json_key(&w, "size");
        json_uint(&w, msize);
        if (printable(data, msize)) {
            json_key(&w, "text");
            json_string_n(&w, data, printable_len(data, msize));
        }
        json_object_end(&w);
    }
    json_array_end(&w);

    json_key(&w, "tflite_metadata");
    inspect_metadata_json(&w, m);

    json_key(&w, "cpu_features");
    json_string(&w, tfl_cpu_features());
    json_key(&w, "allocation");
    json_object_begin(&w);
    json_key(&w, "ok");
    json_bool(&w, in->alloc_ok);
    json_key(&w, "status");
    json_string(&w, tfl_status_name(in->alloc_status));
    json_key(&w, "arena_bytes");
    if (in->alloc_ok)
        json_uint(&w, in->arena_bytes);
    else
        json_null(&w);
    json_key(&w, "error");
    if (in->alloc_ok)
        json_null(&w);
    else
        json_string(&w, in->alloc_error);
    json_object_end(&w);

    json_object_end(&w);
    json_finish(&w);
}

/* ---- --extract -------------------------------------------------------- */

/* A packed file's name is written only when it stays inside the directory. */
static bool plain_name(const char *name)
{
    return name && *name && !strchr(name, '/') && !strchr(name, '\\') && strcmp(name, ".") != 0 &&
           strcmp(name, "..") != 0;
}

static int write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return cli_error("cannot create '%s': %s", path, strerror(errno));
    bool ok = fwrite(data, 1, size, f) == size;
    ok = fclose(f) == 0 && ok;
    return ok ? EXIT_OK : cli_error("cannot write '%s'", path);
}

static int extract_files(const tfl_model *m, const char *model_path, const char *dir)
{
    tfl_error err;
    tfl_metadata *md = tfl_metadata_read(m, &err);
    if (!md && err.status != TFL_OK)
        return cli_error("'%s': %s", model_path, err.message);
    int n = md ? tfl_metadata_num_files(md) : 0;
    if (n == 0) {
        printf("'%s' has no packed files\n", model_path);
        tfl_metadata_free(md);
        return EXIT_OK;
    }
    struct stat st;
    const char *why = NULL;
    if (stat(dir, &st) == 0)
        why = S_ISDIR(st.st_mode) ? NULL : "not a directory";
    else if (mkdir(dir, 0777) != 0)
        why = strerror(errno);
    if (why) {
        tfl_metadata_free(md);
        return cli_error("cannot extract into '%s': %s", dir, why);
    }
    int rc = EXIT_OK;
    for (int i = 0; i < n; ++i) {
        const char *name;
        const void *data;
        size_t size;
        tfl_status s = tfl_metadata_file(md, i, &name, &data, &size);
        if (s != TFL_OK || !data) {
            rc =
                cli_error("'%s': packed file '%s' cannot be read (%s)", model_path,
                          name ? name : "?", s == TFL_ERROR_UNSUPPORTED ? "compressed" : "corrupt");
            continue;
        }
        if (!plain_name(name)) {
            rc = cli_error("'%s': packed file '%s' skipped: not a plain file name", model_path,
                           name ? name : "");
            continue;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        if (write_file(path, data, size) != EXIT_OK) {
            rc = EXIT_ERROR;
            continue;
        }
        printf("%s  (%zu bytes)\n", path, size);
    }
    tfl_metadata_free(md);
    fflush(stdout);
    return rc;
}

int cmd_inspect(int argc, char **argv)
{
    const cli_command *cmd = cli_find_command("inspect");
    const char *path = NULL;
    bool json = false;
    const char *extract = NULL;
    long long subgraph = 0;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            usage_inspect(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--subgraph") == 0) {
            if (i + 1 >= argc || !cli_parse_int(argv[i + 1], 0, 1 << 20, &subgraph))
                return cli_usage_error(cmd, "--subgraph needs a non-negative integer");
            ++i;
        } else if (strcmp(a, "--extract") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error(cmd, "--extract needs a directory");
            extract = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error(cmd, "unknown option '%s'", a);
        } else if (!path) {
            path = a;
        } else {
            return cli_usage_error(cmd, "unexpected argument '%s' (one model at a time)", a);
        }
    }
    if (!path)
        return cli_usage_error(cmd, "missing MODEL");
    if (extract && json)
        return cli_usage_error(cmd, "--extract lists what it writes as text; drop --json");

    tfl_model *m = cli_load_model(path);
    if (!m)
        return EXIT_ERROR;
    if (extract) {
        int rc = extract_files(m, path, extract);
        tfl_model_free(m);
        return rc;
    }
    if (subgraph > 0 && subgraph >= tfl_model_num_subgraphs(m)) {
        int n = tfl_model_num_subgraphs(m);
        tfl_model_free(m);
        return cli_error("subgraph %lld out of range (model has %d)", subgraph, n);
    }
    inspect_info in = {.path = path, .model = m, .subgraph = (int)subgraph};
    if (!count_ops(&in)) {
        tfl_model_free(m);
        return cli_error("out of memory");
    }
    try_allocate(&in);
    if (json)
        print_json(&in);
    else
        print_text(&in);
    free(in.ops);
    tfl_model_free(m);
    fflush(stdout);
    return ferror(stdout) ? cli_error("cannot write output") : EXIT_OK;
}
