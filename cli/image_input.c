/* Shared by `tfl classify` and `tfl detect`: option parsing, opening a model
 * for images (metadata, interpreter, normalization), feeding an image through
 * the library's preprocessing, and finding the labels of an output. */
#include "image_input.h" /* cli.h: TFL_CLI_VISION */
#if TFL_CLI_VISION

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void image_opts_usage(FILE *f)
{
    fprintf(f, "  --labels FILE      labels to use instead of the model's own (one per line,\n"
               "                     \"index label\" lines, or JSON)\n"
               "  --mean M[,M,M]     normalization (pixel - mean) / std for float and int8\n"
               "  --std S[,S,S]      inputs, one value or one per channel; overrides the\n"
               "                     model's metadata (uint8 inputs take raw pixels)\n"
               "  --crop F           keep the central fraction F of each side (0 < F <= 1)\n"
               "                     before resizing, e.g. 0.875\n"
               "  --threads N        worker threads (default 1)\n");
}

bool image_parse_float(const char *s, float *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    float v = strtof(s, &end);
    if (errno || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* "a" or "a,b,c" into v[]; returns the count (1 or 3) or 0 when malformed. */
static int parse_triple(const char *s, float v[3])
{
    if (!s)
        return 0;
    char buf[256];
    if (strlen(s) >= sizeof buf)
        return 0;
    strcpy(buf, s);
    int n = 0;
    char *p = buf;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = 0;
        if (n == 3 || !image_parse_float(p, &v[n]))
            return 0;
        ++n;
        if (!comma)
            break;
        p = comma + 1;
    }
    return n == 1 || n == 3 ? n : 0;
}

int image_opts_parse(const cli_command *cmd, int argc, char **argv, int *i, image_opts *o)
{
    const char *a = argv[*i];
    const char *next = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (strcmp(a, "--labels") == 0) {
        if (!next)
            return cli_usage_error(cmd, "--labels needs a file");
        o->labels_path = next;
    } else if (strcmp(a, "--mean") == 0) {
        o->num_mean = parse_triple(next, o->mean);
        if (!o->num_mean)
            return cli_usage_error(cmd, "--mean needs one number or three separated by commas");
    } else if (strcmp(a, "--std") == 0) {
        o->num_std = parse_triple(next, o->std);
        if (!o->num_std)
            return cli_usage_error(cmd, "--std needs one number or three separated by commas");
        for (int k = 0; k < o->num_std; ++k)
            if (o->std[k] == 0.0f)
                return cli_usage_error(cmd, "--std values must not be zero");
    } else if (strcmp(a, "--crop") == 0) {
        if (!image_parse_float(next, &o->crop) || !(o->crop > 0.0f && o->crop <= 1.0f))
            return cli_usage_error(cmd, "--crop needs a fraction in (0, 1]");
    } else if (strcmp(a, "--threads") == 0) {
        long long v;
        if (!cli_parse_int(next, 1, 256, &v))
            return cli_usage_error(cmd, "--threads needs an integer in [1, 256]");
        o->threads = (int)v;
    } else {
        return 0;
    }
    ++*i;
    return 1;
}

/* Normalization from separate mean and std lists (1 or 3 values each; an
 * absent list means mean 0 or std 1). */
static void set_norm(tfl_preprocess *pp, int nm, const float *mean, int ns, const float *std)
{
    int n = nm > ns ? nm : ns;
    n = n > 3 ? 3 : (n < 1 ? 1 : n);
    for (int c = 0; c < n; ++c) {
        pp->mean[c] = nm > 0 ? mean[c < nm ? c : nm - 1] : 0.0f;
        pp->std[c] = ns > 0 ? std[c < ns ? c : ns - 1] : 1.0f;
    }
    pp->norm_count = n;
}

static void choose_norm(image_model *im, const image_opts *o)
{
    tfl_preprocess *pp = &im->pp;
    tfl_type type = tfl_tensor_type(im->input);
    pp->center_crop = o->crop;
    if (o->num_mean || o->num_std) {
        if (type == TFL_UINT8)
            fprintf(stderr, "tfl: note: --mean/--std ignored: '%s' takes raw uint8 pixels\n",
                    im->path);
        set_norm(pp, o->num_mean, o->mean, o->num_std, o->std);
        return;
    }
    const tfl_tensor_metadata *tm = im->md ? tfl_metadata_input(im->md, 0) : NULL;
    if (tm && tm->num_mean > 0 && tm->num_std > 0) {
        set_norm(pp, tm->num_mean > 3 ? 3 : tm->num_mean, tm->mean,
                 tm->num_std > 3 ? 3 : tm->num_std, tm->std);
        return;
    }
    if (type == TFL_UINT8)
        return; /* raw pixels, as TFLite's Task library feeds uint8 models */
    tfl_quantization q = tfl_tensor_quantization(im->input);
    if (type == TFL_INT8 && q.count >= 1 && q.scales[0] > 0.0f) {
        /* Like uint8 models: pixel p becomes the int8 value p - 128, i.e. the
         * pixel range spans the input's whole quantized range. */
        float mean = 128.0f + (float)q.zero_points[0];
        float std = 1.0f / q.scales[0];
        set_norm(pp, 1, &mean, 1, &std);
        fprintf(stderr,
                "tfl: note: '%s' gives no normalization for its int8 input; pixels 0..255 map "
                "onto -128..127 (set --mean/--std to change)\n",
                im->path);
        return;
    }
    fprintf(stderr,
            "tfl: note: '%s' gives no normalization for its %s input; feeding pixel values "
            "0..255 (set --mean/--std, e.g. 127.5 and 127.5 for [-1, 1])\n",
            im->path, tfl_type_name(type));
}

int image_model_open(image_model *im, const char *path, const image_opts *o)
{
    memset(im, 0, sizeof *im);
    im->path = path;
    im->model = cli_load_model(path);
    if (!im->model)
        return EXIT_ERROR;
    tfl_error err;
    im->md = tfl_metadata_read(im->model, &err);
    if (!im->md && err.status != TFL_OK)
        fprintf(stderr, "tfl: warning: '%s': unreadable metadata (%s); going on without it\n", path,
                err.message);
    tfl_options opt = tfl_options_default();
    opt.num_threads = o->threads;
    im->it = tfl_interpreter_create(im->model, &opt, &err);
    if (!im->it)
        return cli_error("%s", err.message);
    int n = tfl_interpreter_num_inputs(im->it);
    if (n != 1)
        return cli_error("'%s' has %d inputs; image commands need one image input", path, n);
    if (tfl_interpreter_allocate(im->it) != TFL_OK)
        return cli_error("%s", tfl_interpreter_last_error(im->it));
    im->input = tfl_interpreter_input(im->it, 0);
    /* A one-pixel probe: a model that cannot take images fails here, once,
     * rather than once per image. */
    uint8_t pixel = 0;
    tfl_image probe = {.width = 1, .height = 1, .channels = 1, .pixels = &pixel};
    if (tfl_image_to_tensor(&probe, im->input, &(tfl_preprocess){0}, &err) != TFL_OK)
        return cli_error("'%s': %s", path, err.message);
    choose_norm(im, o);
    return EXIT_OK;
}

void image_model_close(image_model *im)
{
    tfl_interpreter_free(im->it);
    tfl_metadata_free(im->md);
    tfl_model_free(im->model);
    memset(im, 0, sizeof *im);
}

int image_model_feed(image_model *im, const char *image_path, tfl_image *img)
{
    tfl_error err;
    if (tfl_image_load_file(image_path, img, &err) != TFL_OK) {
        if (strstr(err.message, image_path))
            return cli_error("%s", err.message);
        return cli_error("'%s': %s", image_path, err.message);
    }
    if (tfl_image_to_tensor(img, im->input, &im->pp, &err) != TFL_OK)
        return cli_error("'%s' into '%s': %s", image_path, im->path, err.message);
    return EXIT_OK;
}

int image_model_invoke(image_model *im)
{
    if (tfl_interpreter_invoke(im->it) != TFL_OK)
        return cli_error("%s", tfl_interpreter_last_error(im->it));
    return EXIT_OK;
}

int image_output_of_tensor(const image_model *im, int tensor_index)
{
    for (int i = 0; i < tfl_interpreter_num_outputs(im->it); ++i)
        if (tfl_interpreter_output_index(im->it, i) == tensor_index)
            return i;
    return -1;
}

int image_labels_load(const image_model *im, const image_opts *o, int output, tfl_labels **out)
{
    tfl_error err;
    *out = NULL;
    if (o->labels_path) {
        *out = tfl_labels_load_file(o->labels_path, &err);
        if (!*out) {
            if (strstr(err.message, o->labels_path))
                return cli_error("%s", err.message);
            return cli_error("'%s': %s", o->labels_path, err.message);
        }
        return EXIT_OK;
    }
    if (!im->md || output < 0)
        return EXIT_OK;
    /* The library also takes a sole packed label file when the metadata
     * does not describe the outputs. */
    *out = tfl_labels_from_metadata(im->md, output, NULL, &err);
    if (!*out && err.status != TFL_OK)
        fprintf(stderr, "tfl: warning: '%s': labels unusable (%s); showing indices only\n",
                im->path, err.message);
    return EXIT_OK;
}

#endif /* TFL_CLI_VISION */
