/* TFLite_Detection_PostProcess (custom op of SSD detectors): options from a
 * FlexBuffers map, shape checks, scratch layout, and eval (dequantize, decode
 * boxes against anchors, multi-class NMS, write the four float outputs). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/flexbuf.h"
#include "ops/detection_postprocess/detection_postprocess.h"
#include "ops/op.h"

/* Best first; the reference is last. */
typedef struct dpp_kernels {
    tfl_dpp_decode_fn decode;
    tfl_dpp_nms_fn nms_fast, nms_regular;
} dpp_kernels;

static const dpp_kernels kernel_table[] = {
    {tfl_detection_postprocess_decode_f32__ref, tfl_detection_postprocess_nms_fast_f32__ref,
     tfl_detection_postprocess_nms_regular_f32__ref},
};

/* Byte offsets into the scratch; SIZE_MAX when unused. */
typedef struct dpp_layout {
    size_t enc, anchors, scores; /* dequantized inputs (quantized inputs only) */
    size_t boxes;                /* decoded boxes [num_boxes, 4] */
    size_t box_scores, cand_scores, cand_box, order, sort_tmp, active;
    size_t selected, class_order, dets, dets_tmp;
} dpp_layout;

typedef struct dpp_data {
    tfl_dpp_params p;
    int32_t detections_per_class_option;
    bool regular_nms;
    const dpp_kernels *k;
    dpp_layout at;
} dpp_data;

enum { IN_BOXES = 0, IN_SCORES = 1, IN_ANCHORS = 2 };
enum { DPP_MAX_OUTPUT_ROWS = 1 << 20 };

/* --- options ----------------------------------------------------------- */

/* Looks up key: 1 found (a non-null value), 0 absent, -1 malformed (*st set). */
static int find_option(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m, const char *key,
                       tfl__flex_ref *r, tfl_status *st)
{
    int s = tfl__flex_map_get(m, key, r);
    if (s < 0) {
        *st = tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                           "custom options are malformed (looking up '%s')", key);
        return -1;
    }
    return s == 1 && r->type != TFL__FLEX_NULL;
}

static tfl_status opt_int(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m, const char *key,
                          bool required, int32_t def, int32_t *out)
{
    tfl__flex_ref r;
    tfl_status st = TFL_OK;
    int found = find_option(ctx, node, m, key, &r, &st);
    if (found < 0)
        return st;
    if (!found) {
        if (required)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "custom option '%s' is missing",
                                key);
        *out = def;
        return TFL_OK;
    }
    int64_t v;
    if (tfl__flex_as_i64(&r, &v) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' is not a valid number", key);
    if (v < INT32_MIN || v > INT32_MAX)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' = %lld is out of range", key, (long long)v);
    *out = (int32_t)v;
    return TFL_OK;
}

static tfl_status opt_float(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m, const char *key,
                            bool required, float def, float *out)
{
    tfl__flex_ref r;
    tfl_status st = TFL_OK;
    int found = find_option(ctx, node, m, key, &r, &st);
    if (found < 0)
        return st;
    if (!found) {
        if (required)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "custom option '%s' is missing",
                                key);
        *out = def;
        return TFL_OK;
    }
    double v;
    if (tfl__flex_as_f64(&r, &v) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' is not a valid number", key);
    *out = (float)v; /* flexbuffers' AsFloat */
    if (!isfinite(*out))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' = %g is not a finite float", key, v);
    return TFL_OK;
}

static tfl_status opt_bool(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m, const char *key,
                           bool def, bool *out)
{
    tfl__flex_ref r;
    tfl_status st = TFL_OK;
    int found = find_option(ctx, node, m, key, &r, &st);
    if (found < 0)
        return st;
    if (!found) {
        *out = def;
        return TFL_OK;
    }
    if (tfl__flex_as_bool(&r, out) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom option '%s' is not a valid boolean", key);
    return TFL_OK;
}

/* Reads and checks the options. Missing values TFLite would read as 0 (and
 * then divide by, or size outputs with) are errors here; the others take
 * TFLite's defaults. */
static tfl_status parse_options(tfl__ctx *ctx, tfl__node *node, dpp_data *d)
{
    tfl__flex_ref root;
    tfl__flex_map m;
    tfl_dpp_params *p = &d->p;
    tfl_status s;
    if (!node->custom_options || node->custom_options_size == 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "custom options are missing");
    if (tfl__flex_root(node->custom_options, node->custom_options_size, &root) != 1 ||
        tfl__flex_as_map(&root, &m) != 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "custom options are not a valid FlexBuffers map");
    if ((s = opt_int(ctx, node, &m, "max_detections", true, 0, &p->max_detections)) ||
        (s = opt_int(ctx, node, &m, "max_classes_per_detection", true, 0,
                     &p->max_classes_per_detection)) ||
        (s = opt_int(ctx, node, &m, "detections_per_class", false, 100,
                     &d->detections_per_class_option)) ||
        (s = opt_bool(ctx, node, &m, "use_regular_nms", false, &d->regular_nms)) ||
        (s = opt_float(ctx, node, &m, "nms_score_threshold", false, 0.0f, &p->score_threshold)) ||
        (s = opt_float(ctx, node, &m, "nms_iou_threshold", true, 0.0f, &p->iou_threshold)) ||
        (s = opt_int(ctx, node, &m, "num_classes", true, 0, &p->num_classes)) ||
        (s = opt_float(ctx, node, &m, "y_scale", true, 0.0f, &p->y_scale)) ||
        (s = opt_float(ctx, node, &m, "x_scale", true, 0.0f, &p->x_scale)) ||
        (s = opt_float(ctx, node, &m, "h_scale", true, 0.0f, &p->h_scale)) ||
        (s = opt_float(ctx, node, &m, "w_scale", true, 0.0f, &p->w_scale)))
        return s;

    if (p->max_detections <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "max_detections must be > 0, got %d",
                            (int)p->max_detections);
    if (p->max_classes_per_detection <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "max_classes_per_detection must be > 0, got %d",
                            (int)p->max_classes_per_detection);
    /* Output rows; real models use tens to hundreds. The cap keeps a hostile
     * value from sizing gigabyte outputs. */
    if ((int64_t)p->max_detections * p->max_classes_per_detection > DPP_MAX_OUTPUT_ROWS)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "max_detections * max_classes_per_detection = %lld is too large "
                            "(limit %d)",
                            (long long)p->max_detections * p->max_classes_per_detection,
                            DPP_MAX_OUTPUT_ROWS);
    if (d->regular_nms && d->detections_per_class_option <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "detections_per_class must be > 0, got %d",
                            (int)d->detections_per_class_option);
    p->detections_per_class = d->detections_per_class_option < p->max_detections
                                  ? d->detections_per_class_option
                                  : p->max_detections;
    if (p->num_classes <= 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "num_classes must be > 0, got %d",
                            (int)p->num_classes);
    if (!(p->iou_threshold > 0.0f && p->iou_threshold <= 1.0f))
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "nms_iou_threshold must be in (0, 1], got %g",
                            (double)p->iou_threshold);
    const float scales[4] = {p->y_scale, p->x_scale, p->h_scale, p->w_scale};
    static const char *const names[4] = {"y_scale", "x_scale", "h_scale", "w_scale"};
    for (int i = 0; i < 4; ++i)
        if (scales[i] == 0.0f)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s must not be 0", names[i]);
    return TFL_OK;
}

static tfl_status dpp_init(tfl__ctx *ctx, tfl__node *node)
{
    dpp_data *d = calloc(1, sizeof *d);
    if (!d)
        return tfl__op_fail(ctx, node, TFL_ERROR_NO_MEMORY, "out of memory");
    tfl_status s = parse_options(ctx, node, d);
    if (s != TFL_OK) {
        free(d); /* the interpreter frees only nodes whose init succeeded */
        return s;
    }
    node->data = d;
    return TFL_OK;
}

static void dpp_free(void *data)
{
    free(data);
}

/* --- prepare ----------------------------------------------------------- */

static tfl_status check_input(tfl__ctx *ctx, tfl__node *node, const tfl_tensor *t, const char *role,
                              int rank)
{
    if (!t)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s input is missing", role);
    if (t->type != TFL_FLOAT32 && t->type != TFL_UINT8 && t->type != TFL_INT8)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "%s type %s not supported (float32, uint8 or int8)", role,
                            tfl_type_name(t->type));
    if (t->type != TFL_FLOAT32) {
        int32_t lo = t->type == TFL_UINT8 ? 0 : -128, hi = t->type == TFL_UINT8 ? 255 : 127;
        if (!(t->scale > 0.0f) || !isfinite(t->scale))
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "%s is %s but has no valid quantization scale (%g)", role,
                                tfl_type_name(t->type), (double)t->scale);
        if (t->zero_point < lo || t->zero_point > hi)
            return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                                "%s zero point %d is out of range for %s", role, (int)t->zero_point,
                                tfl_type_name(t->type));
    }
    if (t->ndim != rank) {
        char buf[96];
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "%s must have rank %d, got %s", role,
                            rank, tfl__describe(t, buf, sizeof buf));
    }
    return TFL_OK;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Appends a 64-byte aligned slice of n * size bytes to the scratch. */
static size_t carve(size_t *total, size_t n, size_t size)
{
    size_t at = *total;
    *total += (n * size + 63) & ~(size_t)63;
    return at;
}

static void plan_scratch(dpp_data *d, const tfl_tensor *enc, const tfl_tensor *scores,
                         const tfl_tensor *anchors, size_t *total)
{
    const tfl_dpp_params *p = &d->p;
    const size_t nb = (size_t)p->num_boxes;
    dpp_layout *at = &d->at;
    *total = 0;
    at->enc = enc->type != TFL_FLOAT32 ? carve(total, nb * 4, sizeof(float)) : SIZE_MAX;
    at->anchors = anchors->type != TFL_FLOAT32 ? carve(total, nb * 4, sizeof(float)) : SIZE_MAX;
    at->scores = scores->type != TFL_FLOAT32
                     ? carve(total, nb * (size_t)p->num_classes_with_bg, sizeof(float))
                     : SIZE_MAX;
    at->boxes = carve(total, nb * 4, sizeof(float));
    at->box_scores = carve(total, nb, sizeof(float));
    at->cand_scores = carve(total, nb, sizeof(float));
    at->cand_box = carve(total, nb, sizeof(int32_t));
    at->order = carve(total, nb, sizeof(int32_t));
    at->sort_tmp = carve(total, nb, sizeof(int32_t));
    at->active = carve(total, nb, 1);
    at->selected = carve(total, (size_t)p->max_detections, sizeof(int32_t));
    at->class_order = carve(total, (size_t)p->num_classes, sizeof(int32_t));
    at->dets = carve(total, (size_t)p->max_detections, sizeof(tfl_dpp_det));
    at->dets_tmp = carve(total, (size_t)p->max_detections, sizeof(tfl_dpp_det));
}

static tfl_status dpp_prepare(tfl__ctx *ctx, tfl__node *node)
{
    dpp_data *d = node->data;
    tfl_dpp_params *p = &d->p;
    tfl_status s;
    char buf[96];
    if ((s = tfl__check_io(ctx, node, 3, 3, 4)) != TFL_OK)
        return s;
    const tfl_tensor *enc = tfl__input(ctx, node, IN_BOXES);
    const tfl_tensor *scores = tfl__input(ctx, node, IN_SCORES);
    const tfl_tensor *anchors = tfl__input(ctx, node, IN_ANCHORS);
    if ((s = check_input(ctx, node, enc, "box encodings", 3)) ||
        (s = check_input(ctx, node, scores, "class predictions", 3)) ||
        (s = check_input(ctx, node, anchors, "anchors", 2)))
        return s;
    if (enc->dims[0] != 1 || enc->dims[2] < 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED,
                            "box encodings must be [1, boxes, >= 4], got %s",
                            tfl__describe(enc, buf, sizeof buf));
    const int32_t nb = enc->dims[1];
    if (scores->dims[0] != 1 || scores->dims[1] != nb)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "class predictions must be [1, %d, classes], got %s", (int)nb,
                            tfl__describe(scores, buf, sizeof buf));
    const int32_t ncb = scores->dims[2];
    if (nb < 0 || ncb < 0)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "negative dimension in %s",
                            tfl__describe(scores, buf, sizeof buf));
    if (ncb != p->num_classes && (int64_t)ncb != (int64_t)p->num_classes + 1)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL,
                            "class predictions have %d classes, expected num_classes (%d) "
                            "or num_classes + 1 (with background)",
                            (int)ncb, (int)p->num_classes);
    if (anchors->dims[0] != nb || anchors->dims[1] != 4)
        return tfl__op_fail(ctx, node, TFL_ERROR_BAD_MODEL, "anchors must be [%d, 4], got %s",
                            (int)nb, tfl__describe(anchors, buf, sizeof buf));
    if ((int64_t)nb * ncb > INT32_MAX)
        return tfl__op_fail(ctx, node, TFL_ERROR_UNSUPPORTED, "%d boxes x %d classes is too many",
                            (int)nb, (int)ncb);
    p->num_boxes = nb;
    p->num_classes_with_bg = ncb;
    p->label_offset = ncb - p->num_classes;

    static const char *const out_names[4] = {"detection boxes", "detection classes",
                                             "detection scores", "number of detections"};
    for (int i = 0; i < 4; ++i)
        if ((s = tfl__check_type(ctx, node, tfl__output(ctx, node, i), out_names[i],
                                 TFL_FLOAT32)) != TFL_OK)
            return s;
    const int32_t n = p->max_detections * p->max_classes_per_detection;
    const int32_t box_dims[3] = {1, n, 4}, vec_dims[2] = {1, n}, one = 1;
    if ((s = tfl__resize(ctx, node, tfl__output(ctx, node, 0), box_dims, 3)) ||
        (s = tfl__resize(ctx, node, tfl__output(ctx, node, 1), vec_dims, 2)) ||
        (s = tfl__resize(ctx, node, tfl__output(ctx, node, 2), vec_dims, 2)) ||
        (s = tfl__resize(ctx, node, tfl__output(ctx, node, 3), &one, 1)))
        return s;

    plan_scratch(d, enc, scores, anchors, &node->scratch_bytes);
    d->k = &kernel_table[0];
    /* NMS compares each kept box with every candidate after it, and keeps
     * at most detections_per_class (regular, per class) or max_detections
     * (fast) boxes; sorting and class ranking are linear in the scores.
     * Counted so that tfl_options.max_work can refuse a model whose box
     * and class counts would make one invoke run for hours. */
    const uint64_t nbu = (uint64_t)nb, ncu = (uint64_t)p->num_classes;
    uint64_t log_nb = 1;
    while (log_nb < 64 && ((uint64_t)1 << log_nb) < nbu)
        ++log_nb;
    const uint64_t keep = (uint64_t)(d->regular_nms ? p->detections_per_class : p->max_detections);
    const uint64_t per_pass = sat_add(tfl__work(nbu, log_nb, 1), tfl__work(nbu, keep, 1));
    node->work = sat_add(tfl__work(nbu, (uint64_t)ncb, 1),
                         tfl__work(per_pass, d->regular_nms ? ncu : 1, 1));
    return TFL_OK;
}

/* --- eval -------------------------------------------------------------- */

/* Float view of an input: the data itself, or its dequantized copy. */
static const float *as_float(const tfl_tensor *t, size_t rows, size_t stride, size_t cols,
                             uint8_t *scratch, size_t at)
{
    if (t->type == TFL_FLOAT32)
        return (const float *)t->data;
    float *out = (float *)(scratch + at);
    if (t->type == TFL_UINT8)
        tfl_detection_postprocess_dequantize_u8__ref(t->data, rows, stride, cols, t->zero_point,
                                                     t->scale, out);
    else
        tfl_detection_postprocess_dequantize_s8__ref((const int8_t *)t->data, rows, stride, cols,
                                                     t->zero_point, t->scale, out);
    return out;
}

typedef struct decode_task {
    const dpp_data *d;
    const float *enc;
    size_t enc_stride;
    const float *anchors;
    float *boxes;
} decode_task;

static void decode_range(void *arg, size_t start, size_t end, int worker)
{
    const decode_task *t = arg;
    t->d->k->decode(t->enc, t->enc_stride, t->anchors, &t->d->p, t->boxes, start, end);
}

static tfl_status dpp_eval(tfl__ctx *ctx, tfl__node *node)
{
    const dpp_data *d = node->data;
    const tfl_dpp_params *p = &d->p;
    const dpp_layout *at = &d->at;
    uint8_t *scratch = ctx->scratch;
    const tfl_tensor *enc_t = tfl__input(ctx, node, IN_BOXES);
    const tfl_tensor *scores_t = tfl__input(ctx, node, IN_SCORES);
    const tfl_tensor *anchors_t = tfl__input(ctx, node, IN_ANCHORS);
    const size_t nb = (size_t)p->num_boxes, enc_cols = (size_t)enc_t->dims[2];

    /* Quantized box encodings keep only their first four columns. */
    decode_task task = {d, NULL, enc_t->type == TFL_FLOAT32 ? enc_cols : 4, NULL,
                        (float *)(scratch + at->boxes)};
    task.enc = as_float(enc_t, nb, enc_cols, 4, scratch, at->enc);
    task.anchors = as_float(anchors_t, nb, 4, 4, scratch, at->anchors);
    const size_t ncb = (size_t)p->num_classes_with_bg;
    const float *scores = as_float(scores_t, nb, ncb, ncb, scratch, at->scores);
    tfl__parallel_for(ctx, nb, 256, decode_range, &task);

    int32_t bad = tfl_detection_postprocess_first_inverted_box(task.boxes, p->num_boxes);
    if (bad >= 0) {
        const float *b = task.boxes + (size_t)bad * 4;
        return tfl__op_fail(ctx, node, TFL_ERROR_RUNTIME,
                            "decoded box %d is inverted (ymin %g, xmin %g, ymax %g, xmax %g); "
                            "are the anchors' sizes negative?",
                            (int)bad, (double)b[0], (double)b[1], (double)b[2], (double)b[3]);
    }

    tfl_tensor *boxes_o = tfl__output(ctx, node, 0), *classes_o = tfl__output(ctx, node, 1);
    tfl_tensor *scores_o = tfl__output(ctx, node, 2), *num_o = tfl__output(ctx, node, 3);
    memset(boxes_o->data, 0, boxes_o->bytes);
    memset(classes_o->data, 0, classes_o->bytes);
    memset(scores_o->data, 0, scores_o->bytes);
    const tfl_dpp_out out = {(float *)boxes_o->data, (float *)classes_o->data,
                             (float *)scores_o->data};
    const tfl_dpp_work w = {
        (float *)(scratch + at->box_scores), (float *)(scratch + at->cand_scores),
        (int32_t *)(scratch + at->cand_box), (int32_t *)(scratch + at->order),
        (int32_t *)(scratch + at->sort_tmp), scratch + at->active,
        (int32_t *)(scratch + at->selected), (int32_t *)(scratch + at->class_order),
        (tfl_dpp_det *)(scratch + at->dets), (tfl_dpp_det *)(scratch + at->dets_tmp)};
    const int32_t n = d->regular_nms ? d->k->nms_regular(task.boxes, scores, p, &w, &out)
                                     : d->k->nms_fast(task.boxes, scores, p, &w, &out);
    ((float *)num_o->data)[0] = (float)n;
    return TFL_OK;
}

const tfl__op tfl__op_detection_postprocess = {
    .builtin_code = TFL__CUSTOM,
    .custom_code = "TFLite_Detection_PostProcess",
    .min_version = 1,
    .max_version = 1,
    .init = dpp_init,
    .prepare = dpp_prepare,
    .eval = dpp_eval,
    .free = dpp_free,
};
