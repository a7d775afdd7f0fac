/* `tfl classify MODEL IMAGE...`: runs an image classifier on each image (one
 * interpreter for all) and prints the top K dequantized scores with their
 * indices and labels, as text or one JSON object per image. */
#include "cli.h" /* TFL_CLI_VISION */
#if TFL_CLI_VISION

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image_input.h"
#include "json.h"

void usage_classify(FILE *f)
{
    fprintf(f, "usage: tfl classify MODEL IMAGE... [--labels FILE] [--top-k K] [--threshold T]\n"
               "                    [--json] [--softmax | --no-softmax] [--mean M] [--std S]\n"
               "                    [--crop F] [--threads N]\n\n"
               "Classifies each image (JPEG, PNG or BMP) with the model's first output and\n"
               "prints, best first, the score, class index and label of the top K classes.\n"
               "Images are resized to the input (bilinear, half-pixel centers), converted to\n"
               "gray or RGB as the input wants, normalized with the model's metadata and\n"
               "quantized to the input's type. Scores are dequantized; softmax is applied\n"
               "unless the output already comes from a SOFTMAX or LOGISTIC op. Labels come\n"
               "from the model's metadata unless --labels is given.\n\n"
               "options:\n"
               "  --top-k K          how many classes to show per image (default 5)\n"
               "  --threshold T      show only scores >= T (default: no threshold)\n"
               "  --json             one JSON object per image and line:\n"
               "                     {\"image\": PATH, \"results\": [{\"index\": I, \"label\": L,\n"
               "                     \"score\": S}, ...]} (label null without labels)\n"
               "  --softmax          always apply softmax to the scores\n"
               "  --no-softmax       never apply softmax\n");
    image_opts_usage(f);
    fprintf(f, "  -h, --help         show this help\n");
}

enum { SOFTMAX_AUTO, SOFTMAX_ON, SOFTMAX_OFF };

typedef struct classify_opts {
    image_opts img;
    const char *model;
    const char **images;
    int num_images;
    long long top_k;
    float threshold;
    bool json;
    int softmax;
} classify_opts;

static int parse_args(int argc, char **argv, classify_opts *o, const cli_command *cmd)
{
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        int r = image_opts_parse(cmd, argc, argv, &i, &o->img);
        if (r == EXIT_USAGE)
            return r;
        if (r == 1)
            continue;
        if (cli_is_help(a)) {
            usage_classify(stdout);
            return -1;
        } else if (strcmp(a, "--top-k") == 0 || strcmp(a, "-k") == 0) {
            if (!cli_parse_int(next, 1, 1000000, &o->top_k))
                return cli_usage_error(cmd, "%s needs an integer in [1, 1000000]", a);
            ++i;
        } else if (strcmp(a, "--threshold") == 0) {
            if (!image_parse_float(next, &o->threshold))
                return cli_usage_error(cmd, "--threshold needs a number");
            ++i;
        } else if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--softmax") == 0) {
            o->softmax = SOFTMAX_ON;
        } else if (strcmp(a, "--no-softmax") == 0) {
            o->softmax = SOFTMAX_OFF;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error(cmd, "unknown option '%s'", a);
        } else if (!o->model) {
            o->model = a;
        } else {
            o->images[o->num_images++] = a;
        }
    }
    if (!o->model)
        return cli_usage_error(cmd, "missing MODEL");
    if (o->num_images == 0)
        return cli_usage_error(cmd, "missing IMAGE");
    return EXIT_OK;
}

/* Ops that move or requantize values without changing what they mean. */
static bool passes_through(const char *op)
{
    static const char *const names[] = {"RESHAPE", "SQUEEZE", "QUANTIZE", "DEQUANTIZE",
                                        "EXPAND_DIMS"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
        if (strcmp(op, names[i]) == 0)
            return true;
    return false;
}

/* True when the tensor holds probabilities already: it comes from SOFTMAX or
 * LOGISTIC, possibly through reshapes and (de)quantization. */
static bool is_probability(const tfl_model *m, int tensor)
{
    int nops = tfl_model_num_ops(m, 0);
    for (int hops = 0; hops < 16 && tensor >= 0; ++hops) {
        tfl_op_info op;
        int found = -1;
        for (int i = 0; i < nops && found < 0; ++i) {
            if (tfl_model_op(m, 0, i, &op) != TFL_OK)
                continue;
            for (int k = 0; k < op.num_outputs; ++k)
                if (op.outputs[k] == tensor)
                    found = i;
        }
        if (found < 0 || !op.name)
            return false;
        if (strcmp(op.name, "SOFTMAX") == 0 || strcmp(op.name, "LOGISTIC") == 0)
            return true;
        if (!passes_through(op.name) || op.num_inputs < 1)
            return false;
        tensor = op.inputs[0];
    }
    return false;
}

/* In place; exp and the sum in double, in index order. */
static void softmax(float *s, size_t n)
{
    float max = -INFINITY;
    for (size_t i = 0; i < n; ++i)
        if (s[i] > max)
            max = s[i];
    double sum = 0;
    for (size_t i = 0; i < n; ++i)
        sum += exp((double)(s[i] - max));
    for (size_t i = 0; i < n; ++i)
        s[i] = (float)(exp((double)(s[i] - max)) / sum);
}

static const float *sort_scores;

/* Best first; NaN last; ties by lower index, so the order is total. */
static int cmp_desc(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    float x = sort_scores[a], y = sort_scores[b];
    bool nx = isnan(x), ny = isnan(y);
    if (nx != ny)
        return nx ? 1 : -1;
    if (!nx && x != y)
        return x > y ? -1 : 1;
    return a < b ? -1 : (a > b ? 1 : 0);
}

typedef struct classify_run {
    const classify_opts *o;
    image_model im;
    tfl_labels *labels;
    bool apply_softmax;
    bool counted; /* label count checked */
    bool fatal;   /* the model's output is unusable: no point trying more images */
    float *scores;
    size_t *order;
    size_t cap;
} classify_run;

static void print_results(classify_run *r, const char *image, size_t n, size_t k)
{
    const classify_opts *o = r->o;
    if (o->json) {
        json_writer w;
        json_init(&w, stdout, 0);
        json_object_begin(&w);
        json_key(&w, "image");
        json_string(&w, image);
        json_key(&w, "results");
        json_array_begin(&w);
        for (size_t i = 0; i < k; ++i) {
            size_t idx = r->order[i];
            json_object_begin(&w);
            json_key(&w, "index");
            json_uint(&w, idx);
            json_key(&w, "label");
            if (r->labels)
                json_string(&w, tfl_labels_get(r->labels, (int)idx));
            else
                json_null(&w);
            json_key(&w, "score");
            json_double(&w, r->scores[idx]);
            json_object_end(&w);
        }
        json_array_end(&w);
        json_object_end(&w);
        json_finish(&w);
        return;
    }
    if (o->num_images > 1)
        printf("%s\n", image);
    char buf[32];
    int width = snprintf(buf, sizeof buf, "%zu", n ? n - 1 : 0);
    for (size_t i = 0; i < k; ++i) {
        size_t idx = r->order[i];
        printf("  %.4f  %*zu", (double)r->scores[idx], width, idx);
        if (r->labels)
            printf("  %s", tfl_labels_get(r->labels, (int)idx));
        printf("\n");
    }
    if (k == 0)
        printf("  (no score >= %g)\n", (double)o->threshold);
}

static int classify_image(classify_run *r, const char *image)
{
    tfl_image img = {0};
    int rc = image_model_feed(&r->im, image, &img);
    tfl_image_free(&img);
    if (rc != EXIT_OK || (rc = image_model_invoke(&r->im)) != EXIT_OK)
        return rc;
    const tfl_tensor *out = tfl_interpreter_output(r->im.it, 0);
    size_t n = tfl_tensor_num_elements(out);
    int spread = 0; /* dimensions longer than 1: a score vector has one */
    for (int d = 0; d < tfl_tensor_ndim(out); ++d)
        spread += tfl_tensor_dims(out)[d] > 1;
    if (n == 0 || spread > 1) {
        char shape[160];
        r->fatal = true;
        return cli_error(
            "'%s': output 0 has shape %s; classify needs a vector of class scores "
            "(for detectors use 'tfl detect')",
            r->im.path,
            cli_format_shape(tfl_tensor_dims(out), tfl_tensor_ndim(out), shape, sizeof shape));
    }
    if (n > r->cap) {
        free(r->scores);
        free(r->order);
        r->scores = malloc(n * sizeof *r->scores);
        r->order = malloc(n * sizeof *r->order);
        r->cap = r->scores && r->order ? n : 0;
        if (!r->cap)
            return cli_error("out of memory for %zu scores", n);
    }
    if (tfl_tensor_dequantize(out, r->scores, n) != TFL_OK) {
        char shape[160];
        r->fatal = true;
        return cli_error(
            "'%s': output 0 (%s %s) has no scores to read", r->im.path,
            tfl_type_name(tfl_tensor_type(out)),
            cli_format_shape(tfl_tensor_dims(out), tfl_tensor_ndim(out), shape, sizeof shape));
    }
    if (!r->counted && r->labels) {
        char msg[256];
        if (tfl_labels_check_count(r->labels, n, msg, sizeof msg))
            fprintf(stderr, "tfl: warning: %s\n", msg);
        r->counted = true;
    }
    if (r->apply_softmax)
        softmax(r->scores, n);
    for (size_t i = 0; i < n; ++i)
        r->order[i] = i;
    sort_scores = r->scores;
    qsort(r->order, n, sizeof *r->order, cmp_desc);
    size_t k = 0;
    while (k < n && k < (size_t)r->o->top_k && r->scores[r->order[k]] >= r->o->threshold)
        ++k;
    print_results(r, image, n, k);
    return EXIT_OK;
}

static int classify(const classify_opts *o)
{
    classify_run r = {.o = o};
    int rc = image_model_open(&r.im, o->model, &o->img);
    if (rc == EXIT_OK)
        rc = image_labels_load(&r.im, &o->img, 0, &r.labels);
    if (rc == EXIT_OK) {
        r.apply_softmax = o->softmax == SOFTMAX_ON ||
                          (o->softmax == SOFTMAX_AUTO &&
                           !is_probability(r.im.model, tfl_interpreter_output_index(r.im.it, 0)));
        for (int i = 0; i < o->num_images && !r.fatal; ++i)
            if (classify_image(&r, o->images[i]) != EXIT_OK)
                rc = EXIT_ERROR; /* the other images still get classified */
        fflush(stdout);
        if (ferror(stdout))
            rc = cli_error("cannot write output");
    }
    free(r.scores);
    free(r.order);
    tfl_labels_free(r.labels);
    image_model_close(&r.im);
    return rc;
}

int cmd_classify(int argc, char **argv)
{
    classify_opts o = {.top_k = 5, .threshold = -INFINITY, .img = {.threads = 1}};
    o.images = calloc((size_t)argc, sizeof *o.images);
    if (!o.images)
        return cli_error("out of memory");
    int rc = parse_args(argc, argv, &o, cli_find_command("classify"));
    if (rc == EXIT_OK)
        rc = classify(&o);
    else if (rc < 0)
        rc = EXIT_OK; /* --help */
    free(o.images);
    return rc;
}

#endif /* TFL_CLI_VISION */
