/* `tfl detect MODEL IMAGE`: runs an SSD-style detector (one whose graph ends in
 * TFLite_Detection_PostProcess) and prints each detection's score, class,
 * label and box in pixels of the original image; -o draws them into a PNG. */
#include "cli.h" /* TFL_CLI_VISION */
#if TFL_CLI_VISION

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "image_input.h"
#include "json.h"

#define DEFAULT_THRESHOLD 0.5f

void usage_detect(FILE *f)
{
    fprintf(f, "usage: tfl detect MODEL IMAGE [--threshold T] [-o OUT.png] [--json]\n"
               "                  [--labels FILE] [--mean M] [--std S] [--crop F] [--threads N]\n\n"
               "Runs an object detector whose graph ends in TFLite_Detection_PostProcess (SSD\n"
               "models) on one image and prints, best first, each detection's score, class\n"
               "index, label and box (x, y, width, height in pixels of the image as loaded,\n"
               "EXIF orientation applied; clipped to the image). Labels come from the\n"
               "model's metadata unless --labels is given.\n\n"
               "options:\n"
               "  --threshold T      keep detections with score >= T (default: the metadata's\n"
               "                     score threshold, else 0.5)\n"
               "  -o, --output FILE  write the image with the boxes and labels drawn, as PNG\n"
               "  --json             one JSON object: {\"image\", \"width\", \"height\",\n"
               "                     \"detections\": [{\"index\", \"label\", \"score\",\n"
               "                     \"box\": {\"x\", \"y\", \"width\", \"height\"}}, ...]}\n");
    image_opts_usage(f);
    fprintf(f, "  -h, --help         show this help\n");
}

typedef struct detect_opts {
    image_opts img;
    const char *model;
    const char *image;
    const char *out_png;
    float threshold;
    bool has_threshold;
    bool json;
} detect_opts;

typedef struct detection {
    int index; /* class */
    float score;
    float x, y, w, h; /* pixels of the original image */
} detection;

static int parse_args(int argc, char **argv, detect_opts *o, const cli_command *cmd)
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
            usage_detect(stdout);
            return -1;
        } else if (strcmp(a, "--threshold") == 0) {
            if (!image_parse_float(next, &o->threshold))
                return cli_usage_error(cmd, "--threshold needs a number");
            o->has_threshold = true;
            ++i;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (!next)
                return cli_usage_error(cmd, "%s needs a file", a);
            o->out_png = next;
            ++i;
        } else if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error(cmd, "unknown option '%s'", a);
        } else if (!o->model) {
            o->model = a;
        } else if (!o->image) {
            o->image = a;
        } else {
            return cli_usage_error(cmd, "unexpected argument '%s' (one image at a time)", a);
        }
    }
    if (!o->model)
        return cli_usage_error(cmd, "missing MODEL");
    if (!o->image)
        return cli_usage_error(cmd, "missing IMAGE");
    return EXIT_OK;
}

/* Tensor indices of the post-processing op's boxes, classes, scores and
 * count outputs; false when the model has no such op. */
static bool find_postprocess(const tfl_model *m, int32_t out[4])
{
    for (int i = 0; i < tfl_model_num_ops(m, 0); ++i) {
        tfl_op_info op;
        if (tfl_model_op(m, 0, i, &op) == TFL_OK && op.name &&
            strcmp(op.name, "TFLite_Detection_PostProcess") == 0 && op.num_outputs >= 4) {
            memcpy(out, op.outputs, 4 * sizeof *out);
            return true;
        }
    }
    return false;
}

/* The metadata's SCORE_THRESHOLDING for the scores output, if any. */
static bool metadata_threshold(const image_model *im, int scores_output, float *t)
{
    const tfl_tensor_metadata *tm =
        im->md && scores_output >= 0 ? tfl_metadata_output(im->md, scores_output) : NULL;
    for (int i = 0; tm && i < tm->num_process_units; ++i)
        if (tm->process_units[i].kind == TFL_PROCESS_SCORE_THRESHOLDING) {
            *t = tm->process_units[i].global_score_threshold;
            return true;
        }
    return false;
}

static float clamp01(float v)
{
    return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f; /* NaN -> 0 */
}

static const float *float_data(tfl_interpreter *it, int32_t index, size_t min_count,
                               const char *what, const char *model)
{
    const tfl_tensor *t = tfl_interpreter_tensor(it, index);
    if (!t || tfl_tensor_type(t) != TFL_FLOAT32 || tfl_tensor_num_elements(t) < min_count ||
        !tfl_tensor_data_const(t)) {
        cli_error("'%s': the post-processing %s output is not float32 with at least %zu values",
                  model, what, min_count);
        return NULL;
    }
    return tfl_tensor_data_const(t);
}

/* Reads the detections with score >= threshold, best first (the op already
 * sorts them), boxes mapped from [0, 1] ratios of the model's view (the
 * whole image or the --crop box) to pixels of the original image. */
static int read_detections(const image_model *im, const int32_t tensors[4], const tfl_image *img,
                           float crop, float threshold, detection **out, int *count)
{
    *out = NULL;
    *count = 0;
    const float *scores = float_data(im->it, tensors[2], 1, "scores", im->path);
    const float *num = float_data(im->it, tensors[3], 1, "count", im->path);
    if (!scores || !num)
        return EXIT_ERROR;
    size_t cap = tfl_tensor_num_elements(tfl_interpreter_tensor(im->it, tensors[2]));
    size_t n = num[0] > 0.0f ? (size_t)fminf(num[0], (float)cap) : 0;
    const float *boxes = float_data(im->it, tensors[0], 4 * n, "boxes", im->path);
    const float *classes = float_data(im->it, tensors[1], n, "classes", im->path);
    if (!boxes || !classes)
        return EXIT_ERROR;
    detection *d = calloc(n ? n : 1, sizeof *d);
    if (!d)
        return cli_error("out of memory");
    int cx, cy, cw, ch;
    tfl_image_crop_box(img->width, img->height, crop, &cx, &cy, &cw, &ch);
    int k = 0;
    for (size_t i = 0; i < n; ++i) {
        if (!(scores[i] >= threshold))
            continue;
        /* [ymin, xmin, ymax, xmax] as the op emits them. */
        const float *b = boxes + 4 * i;
        float ymin = clamp01(b[0]), xmin = clamp01(b[1]);
        float ymax = clamp01(b[2]), xmax = clamp01(b[3]);
        float c = classes[i];
        d[k].index = c >= 0.0f && c < 2147483520.0f ? (int)c : -1;
        d[k].score = scores[i];
        d[k].x = (float)cx + xmin * (float)cw;
        d[k].y = (float)cy + ymin * (float)ch;
        d[k].w = xmax > xmin ? (xmax - xmin) * (float)cw : 0.0f;
        d[k].h = ymax > ymin ? (ymax - ymin) * (float)ch : 0.0f;
        ++k;
    }
    *out = d;
    *count = k;
    return EXIT_OK;
}

static void print_json(const detect_opts *o, const tfl_image *img, const detection *d, int n,
                       const tfl_labels *labels)
{
    json_writer w;
    json_init(&w, stdout, 2);
    json_object_begin(&w);
    json_key(&w, "image");
    json_string(&w, o->image);
    json_key(&w, "width");
    json_int(&w, img->width);
    json_key(&w, "height");
    json_int(&w, img->height);
    json_key(&w, "detections");
    json_array_begin(&w);
    for (int i = 0; i < n; ++i) {
        json_object_begin(&w);
        json_key(&w, "index");
        json_int(&w, d[i].index);
        json_key(&w, "label");
        if (labels)
            json_string(&w, tfl_labels_get(labels, d[i].index));
        else
            json_null(&w);
        json_key(&w, "score");
        json_double(&w, d[i].score);
        json_key(&w, "box");
        json_object_begin(&w);
        json_key(&w, "x");
        json_double(&w, d[i].x);
        json_key(&w, "y");
        json_double(&w, d[i].y);
        json_key(&w, "width");
        json_double(&w, d[i].w);
        json_key(&w, "height");
        json_double(&w, d[i].h);
        json_object_end(&w);
        json_object_end(&w);
    }
    json_array_end(&w);
    json_object_end(&w);
    json_finish(&w);
}

static void print_text(const detection *d, int n, const tfl_labels *labels, float threshold)
{
    int width = 0;
    for (int i = 0; i < n && labels; ++i) {
        int len = (int)strlen(tfl_labels_get(labels, d[i].index));
        width = len > width ? len : width;
    }
    for (int i = 0; i < n; ++i) {
        printf("  %.4f  %3d  ", (double)d[i].score, d[i].index);
        if (labels)
            printf("%-*s  ", width, tfl_labels_get(labels, d[i].index));
        printf("x %.1f  y %.1f  w %.1f  h %.1f\n", (double)d[i].x, (double)d[i].y, (double)d[i].w,
               (double)d[i].h);
    }
    if (n == 0)
        printf("  (no detection with score >= %g)\n", (double)threshold);
}

static int lround_px(float v)
{
    return (int)floorf(v + 0.5f);
}

static int write_annotated(const char *path, const tfl_image *img, const detection *d, int n,
                           const tfl_labels *labels)
{
    draw_canvas c;
    if (!draw_canvas_init(&c, img))
        return cli_error("out of memory");
    int side = img->width < img->height ? img->width : img->height;
    int thick = side / 160 > 2 ? side / 160 : 2;
    int scale = (side + 200) / 400 > 1 ? (side + 200) / 400 : 1;
    /* Worst first, so the best detections end up on top. */
    for (int i = n - 1; i >= 0; --i) {
        int x0 = lround_px(d[i].x), y0 = lround_px(d[i].y);
        int x1 = lround_px(d[i].x + d[i].w), y1 = lround_px(d[i].y + d[i].h);
        draw_box(&c, x0, y0, x1 - x0, y1 - y0, thick, draw_palette(d[i].index));
    }
    for (int i = n - 1; i >= 0; --i) {
        char text[160];
        const char *name = labels ? tfl_labels_get(labels, d[i].index) : NULL;
        if (name)
            snprintf(text, sizeof text, "%s %.2f", name, (double)d[i].score);
        else
            snprintf(text, sizeof text, "%d %.2f", d[i].index, (double)d[i].score);
        draw_label(&c, lround_px(d[i].x), lround_px(d[i].y), text, scale, draw_palette(d[i].index));
    }
    char err[600];
    int rc = draw_write_png(&c, path, err, sizeof err) == 0 ? EXIT_OK : cli_error("%s", err);
    draw_canvas_free(&c);
    return rc;
}

static int detect(const detect_opts *o)
{
    image_model im;
    tfl_labels *labels = NULL;
    tfl_image img = {0};
    detection *dets = NULL;
    int n = 0;
    int32_t tensors[4];
    int rc = image_model_open(&im, o->model, &o->img);
    if (rc != EXIT_OK)
        goto done;
    if (!find_postprocess(im.model, tensors)) {
        rc = cli_error("'%s' has no TFLite_Detection_PostProcess op; detect needs an SSD-style "
                       "detector (try 'tfl classify' or 'tfl run')",
                       o->model);
        goto done;
    }
    float threshold = o->threshold;
    if (!o->has_threshold &&
        !metadata_threshold(&im, image_output_of_tensor(&im, tensors[2]), &threshold))
        threshold = DEFAULT_THRESHOLD;
    rc = image_labels_load(&im, &o->img, image_output_of_tensor(&im, tensors[1]), &labels);
    if (rc != EXIT_OK)
        goto done;
    rc = image_model_feed(&im, o->image, &img);
    if (rc == EXIT_OK)
        rc = image_model_invoke(&im);
    if (rc == EXIT_OK)
        rc = read_detections(&im, tensors, &img, o->img.crop, threshold, &dets, &n);
    if (rc != EXIT_OK)
        goto done;
    if (o->json)
        print_json(o, &img, dets, n, labels);
    else
        print_text(dets, n, labels, threshold);
    if (o->out_png)
        rc = write_annotated(o->out_png, &img, dets, n, labels);
    fflush(stdout);
    if (ferror(stdout))
        rc = cli_error("cannot write output");
done:
    free(dets);
    tfl_image_free(&img);
    tfl_labels_free(labels);
    image_model_close(&im);
    return rc;
}

int cmd_detect(int argc, char **argv)
{
    detect_opts o = {.img = {.threads = 1}};
    int rc = parse_args(argc, argv, &o, cli_find_command("detect"));
    if (rc < 0)
        return EXIT_OK; /* --help */
    if (rc != EXIT_OK)
        return rc;
    return detect(&o);
}

#endif /* TFL_CLI_VISION */
