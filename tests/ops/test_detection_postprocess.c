/* TFLite_Detection_PostProcess: hand-computed cases for both NMS modes,
 * background column, thresholds and tie-breaking; quantized inputs; goldens
 * from LiteRT's reference resolver; the SSD model's real options; and bad
 * options and shapes (including truncated and bit-flipped FlexBuffers). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ops/detection_postprocess_golden.h"
#include "ops/op_harness.h"
#include "test.h"

extern const tfl__op tfl__op_detection_postprocess;

/* --- a test-only FlexBuffers map writer ---------------------------------
 * Every slot is 8 bytes wide: keys, then string values, then the keys
 * vector, the map and the root. Keys are sorted here as flexbuffers does. */

typedef struct fx_entry {
    const char *key;
    char kind; /* 'i' int, 'u' uint, 'f' float, 'b' bool, 's' string, 'n' null */
    int64_t i;
    double f;
    const char *s;
} fx_entry;

typedef struct fx_map {
    fx_entry e[20];
    int n;
    _Alignas(8) uint8_t buf[1024];
    size_t len;
} fx_map;

static void fx_put(fx_map *m, const char *key, char kind, int64_t i, double f, const char *s)
{
    for (int k = 0; k < m->n; ++k) {
        if (strcmp(m->e[k].key, key) == 0) {
            m->e[k] = (fx_entry){key, kind, i, f, s};
            return;
        }
    }
    m->e[m->n++] = (fx_entry){key, kind, i, f, s};
}
static void fx_int(fx_map *m, const char *key, int64_t v)
{
    fx_put(m, key, 'i', v, 0, NULL);
}
static void fx_float(fx_map *m, const char *key, double v)
{
    fx_put(m, key, 'f', 0, v, NULL);
}
static void fx_bool(fx_map *m, const char *key, bool v)
{
    fx_put(m, key, 'b', v, 0, NULL);
}
static void fx_str(fx_map *m, const char *key, const char *v)
{
    fx_put(m, key, 's', 0, 0, v);
}
static void fx_null(fx_map *m, const char *key)
{
    fx_put(m, key, 'n', 0, 0, NULL);
}
static void fx_del(fx_map *m, const char *key)
{
    for (int k = 0; k < m->n; ++k) {
        if (strcmp(m->e[k].key, key) == 0) {
            m->e[k] = m->e[--m->n];
            return;
        }
    }
}

static int fx_cmp(const void *a, const void *b)
{
    return strcmp(((const fx_entry *)a)->key, ((const fx_entry *)b)->key);
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        p[i] = (uint8_t)(v >> (8 * i));
}

static size_t fx_finish(fx_map *m)
{
    qsort(m->e, (size_t)m->n, sizeof m->e[0], fx_cmp);
    uint8_t *b = m->buf;
    size_t pos = 0, key_at[20], str_at[20];
    memset(b, 0, sizeof m->buf);
    for (int k = 0; k < m->n; ++k) {
        key_at[k] = pos;
        memcpy(b + pos, m->e[k].key, strlen(m->e[k].key) + 1);
        pos += strlen(m->e[k].key) + 1;
    }
    for (int k = 0; k < m->n; ++k) {
        if (m->e[k].kind != 's')
            continue;
        pos = (pos + 7) & ~(size_t)7;
        put64(b + pos, strlen(m->e[k].s)); /* size, then the bytes and a NUL */
        pos += 8;
        str_at[k] = pos;
        memcpy(b + pos, m->e[k].s, strlen(m->e[k].s) + 1);
        pos += strlen(m->e[k].s) + 1;
    }
    pos = (pos + 7) & ~(size_t)7;
    put64(b + pos, (uint64_t)m->n); /* keys vector */
    size_t keys = pos + 8;
    for (int k = 0; k < m->n; ++k)
        put64(b + keys + 8 * k, keys + 8 * k - key_at[k]);
    pos = keys + 8 * (size_t)m->n;
    put64(b + pos, pos - keys); /* map: keys offset, keys width, count */
    put64(b + pos + 8, 8);
    put64(b + pos + 16, (uint64_t)m->n);
    size_t values = pos + 24;
    for (int k = 0; k < m->n; ++k) {
        uint8_t *slot = b + values + 8 * k;
        uint8_t *type = b + values + 8 * (size_t)m->n + k;
        const fx_entry *e = &m->e[k];
        switch (e->kind) {
        case 'i':
            put64(slot, (uint64_t)e->i);
            *type = 1 << 2 | 3;
            break;
        case 'u':
            put64(slot, (uint64_t)e->i);
            *type = 2 << 2 | 3;
            break;
        case 'b':
            put64(slot, (uint64_t)e->i);
            *type = 26 << 2 | 3;
            break;
        case 'n': *type = 0; break;
        case 's':
            put64(slot, values + 8 * k - str_at[k]);
            *type = 5 << 2 | 3;
            break;
        default: {
            uint64_t bits;
            memcpy(&bits, &e->f, 8);
            put64(slot, bits);
            *type = 3 << 2 | 3;
        }
        }
    }
    pos = values + 9 * (size_t)m->n;
    pos = (pos + 7) & ~(size_t)7;
    put64(b + pos, pos - values); /* root */
    b[pos + 8] = 9 << 2 | 3;
    b[pos + 9] = 8;
    m->len = pos + 10;
    return m->len;
}

/* Options of the hand-computed cases; tests change them from here. */
static void base_options(fx_map *m)
{
    memset(m, 0, sizeof *m);
    fx_int(m, "max_detections", 3);
    fx_int(m, "max_classes_per_detection", 1);
    fx_int(m, "num_classes", 2);
    fx_float(m, "nms_score_threshold", 0.2);
    fx_float(m, "nms_iou_threshold", 0.5);
    fx_float(m, "y_scale", 10.0);
    fx_float(m, "x_scale", 10.0);
    fx_float(m, "h_scale", 5.0);
    fx_float(m, "w_scale", 5.0);
}

/* --- the harness ------------------------------------------------------- */

typedef struct input_desc {
    tfl_type type;
    int ndim;
    int32_t dims[3];
    const void *data;
    float scale;
    int32_t zero_point;
} input_desc;

static void setup(op_harness *h, fx_map *opts, const input_desc *boxes, const input_desc *scores,
                  const input_desc *anchors)
{
    h_init(h, &tfl__op_detection_postprocess, "TFLite_Detection_PostProcess");
    const input_desc *in[3] = {boxes, scores, anchors};
    int ids[3], outs[4];
    for (int i = 0; i < 3; ++i)
        ids[i] = h_input(h, in[i]->type, in[i]->ndim, in[i]->dims, in[i]->data, in[i]->scale,
                         in[i]->zero_point);
    const int32_t none[1] = {0};
    for (int i = 0; i < 4; ++i)
        outs[i] = h_tensor(h, TFL_FLOAT32, 0, none, NULL, 0, 0);
    h_io(h, 3, ids, 4, outs);
    if (opts) {
        fx_finish(opts);
        h->node.custom_options = opts->buf;
        h->node.custom_options_size = opts->len;
    }
}

static const float *out_f(op_harness *h, int i)
{
    return (const float *)h_data(h, h->outputs[i]);
}

/* Four anchors, zero encodings (decoded boxes are the anchors):
 *   box 0 [0.25, 0.25, 0.75, 0.75]
 *   box 1 [0.25, 0.3125, 0.75, 0.8125]  IoU with box 0 = 0.21875 / 0.28125 = 0.78
 *   box 2 [0, 0, 0.25, 0.25]            touches box 0 at a corner: IoU 0
 *   box 3 [0.25, 0.75, 0.75, 1.25]      IoU with box 0: 0, with box 1: 0.067 */
static const float k_anchors[4 * 4] = {0.5f,   0.5f,   0.5f,  0.5f,  0.5f, 0.5625f, 0.5f, 0.5f,
                                       0.125f, 0.125f, 0.25f, 0.25f, 0.5f, 1.0f,    0.5f, 0.5f};
static const float k_zero_enc[4 * 4] = {0};
/* Columns: background, class 0, class 1. */
static const float k_scores[4 * 3] = {0.99f, 0.9f, 0.1f, 0.0f, 0.2f,  0.8f,
                                      0.0f,  0.3f, 0.4f, 0.0f, 0.05f, 0.1f};
static const float k_box[4][4] = {{0.25f, 0.25f, 0.75f, 0.75f},
                                  {0.25f, 0.3125f, 0.75f, 0.8125f},
                                  {0.0f, 0.0f, 0.25f, 0.25f},
                                  {0.25f, 0.75f, 0.75f, 1.25f}};

static const input_desc k_in_boxes = {TFL_FLOAT32, 3, {1, 4, 4}, k_zero_enc, 0, 0};
static const input_desc k_in_scores = {TFL_FLOAT32, 3, {1, 4, 3}, k_scores, 0, 0};
static const input_desc k_in_anchors = {TFL_FLOAT32, 2, {4, 4}, k_anchors, 0, 0};

/* Row r of the outputs is box b, class c, score s (b < 0: an all-zero row). */
static void check_row(op_harness *h, int r, int b, float c, float s)
{
    const float *boxes = out_f(h, 0) + 4 * r;
    for (int k = 0; k < 4; ++k)
        CHECK_NEAR(boxes[k], b < 0 ? 0.0f : k_box[b][k], 0);
    CHECK_NEAR(out_f(h, 1)[r], b < 0 ? 0.0f : c, 0);
    CHECK_NEAR(out_f(h, 2)[r], b < 0 ? 0.0f : s, 0);
}

static void check_shapes(op_harness *h, int rows)
{
    const tfl_tensor *b = &h->tensors[h->outputs[0]], *c = &h->tensors[h->outputs[1]];
    const tfl_tensor *s = &h->tensors[h->outputs[2]], *n = &h->tensors[h->outputs[3]];
    CHECK(b->ndim == 3 && b->dims[0] == 1 && b->dims[1] == rows && b->dims[2] == 4);
    CHECK(c->ndim == 2 && c->dims[0] == 1 && c->dims[1] == rows);
    CHECK(s->ndim == 2 && s->dims[0] == 1 && s->dims[1] == rows);
    CHECK(n->ndim == 1 && n->dims[0] == 1);
}

/* init + prepare, outputs filled with garbage (as an arena would be), eval. */
static tfl_status run_dirty(op_harness *h)
{
    tfl_status s = h_prepare(h);
    if (s != TFL_OK)
        return s;
    for (int o = 0; o < 4; ++o)
        memset(h->tensors[h->outputs[o]].data, 0x7f, h->tensors[h->outputs[o]].bytes);
    h->ctx.scratch = h->scratch;
    h->ctx.node = &h->node;
    return h->node.op->eval(&h->ctx, &h->node);
}

/* --- hand-computed cases ------------------------------------------------ */

static void test_fast_nms(void)
{
    /* Best class per box: 0.9 (c0), 0.8 (c1), 0.4 (c1), 0.1 (below 0.2). Box 1
     * overlaps box 0 (IoU 0.78 > 0.5) and goes; box 2 stays. The background
     * column (0.99) is never a class. */
    op_harness h;
    fx_map o;
    base_options(&o);
    setup(&h, &o, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_shapes(&h, 3);
    CHECK_NEAR(out_f(&h, 3)[0], 2, 0);
    check_row(&h, 0, 0, 0, 0.9f);
    check_row(&h, 1, 2, 1, 0.4f);
    check_row(&h, 2, -1, 0, 0); /* zero-filled past the detections */
    h_free(&h);
}

static void test_fast_nms_two_classes_per_box(void)
{
    /* Each kept box reports its top 2 classes, best first, in rows 2d and
     * 2d+1, even below the score threshold (box 0, class 1: 0.1). */
    op_harness h;
    fx_map o;
    base_options(&o);
    fx_int(&o, "max_classes_per_detection", 2);
    setup(&h, &o, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_shapes(&h, 6);
    CHECK_NEAR(out_f(&h, 3)[0], 2, 0);
    check_row(&h, 0, 0, 0, 0.9f);
    check_row(&h, 1, 0, 1, 0.1f);
    check_row(&h, 2, 2, 1, 0.4f);
    check_row(&h, 3, 2, 0, 0.3f);
    check_row(&h, 4, -1, 0, 0);
    check_row(&h, 5, -1, 0, 0);
    h_free(&h);

    /* More classes per box than classes: 2 of 3 slots per detection filled. */
    base_options(&o);
    fx_int(&o, "max_classes_per_detection", 3);
    setup(&h, &o, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_shapes(&h, 9);
    check_row(&h, 0, 0, 0, 0.9f);
    check_row(&h, 1, 0, 1, 0.1f);
    check_row(&h, 2, -1, 0, 0);
    check_row(&h, 3, 2, 1, 0.4f);
    check_row(&h, 4, 2, 0, 0.3f);
    check_row(&h, 5, -1, 0, 0);
    h_free(&h);
}

static void test_regular_nms(void)
{
    /* Per class: class 0 candidates 0.9 (b0), 0.3 (b2), 0.2 (b1, suppressed by
     * b0); class 1: 0.8 (b1), 0.4 (b2). Merged by score and cut to 3. */
    op_harness h;
    fx_map o;
    base_options(&o);
    fx_bool(&o, "use_regular_nms", true);
    setup(&h, &o, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_shapes(&h, 3);
    CHECK_NEAR(out_f(&h, 3)[0], 3, 0);
    check_row(&h, 0, 0, 0, 0.9f);
    check_row(&h, 1, 1, 1, 0.8f);
    check_row(&h, 2, 2, 1, 0.4f);
    h_free(&h);

    /* One detection per class; room for 4 (only 2 rows used). */
    base_options(&o);
    fx_bool(&o, "use_regular_nms", true);
    fx_int(&o, "detections_per_class", 1);
    fx_int(&o, "max_detections", 4);
    setup(&h, &o, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 2, 0);
    check_row(&h, 0, 0, 0, 0.9f);
    check_row(&h, 1, 1, 1, 0.8f);
    check_row(&h, 2, -1, 0, 0);
    check_row(&h, 3, -1, 0, 0);
    h_free(&h);

    /* With max_classes_per_detection 2 the outputs have 6 rows but regular
     * NMS fills at most max_detections; the rest are zero. */
    base_options(&o);
    fx_bool(&o, "use_regular_nms", true);
    fx_int(&o, "max_classes_per_detection", 2);
    setup(&h, &o, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_shapes(&h, 6);
    CHECK_NEAR(out_f(&h, 3)[0], 3, 0);
    check_row(&h, 2, 2, 1, 0.4f);
    for (int r = 3; r < 6; ++r)
        check_row(&h, r, -1, 0, 0);
    h_free(&h);
}

/* The work estimate the interpreter checks against max_work: scores, plus
 * per NMS pass a sort (4 boxes: 2 levels) and kept x candidates comparisons
 * (3 kept: max_detections, and detections_per_class capped to it). */
static void test_work_estimate(void)
{
    op_harness h;
    fx_map o;
    base_options(&o);
    setup(&h, &o, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(h_prepare(&h), TFL_OK);
    CHECK(h.node.work == 4 * 3 + (4 * 2 + 4 * 3)); /* fast: one pass */
    h_free(&h);
    base_options(&o);
    fx_bool(&o, "use_regular_nms", true);
    setup(&h, &o, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(h_prepare(&h), TFL_OK);
    CHECK(h.node.work == 4 * 3 + 2 * (4 * 2 + 4 * 3)); /* regular: a pass per class */
    h_free(&h);
}

static void test_thresholds(void)
{
    op_harness h;
    fx_map o;
    /* A score equal to the threshold is a candidate (>=): 0.3 (b2, c0) with
     * threshold 0.3f; box 0's 0.9 and box 1's suppressed 0.8 aside. */
    static const float scores[4 * 3] = {0, 0.9f, 0, 0, 0, 0.8f, 0, 0.3f, 0, 0, 0.29f, 0};
    const input_desc in_scores = {TFL_FLOAT32, 3, {1, 4, 3}, scores, 0, 0};
    base_options(&o);
    fx_float(&o, "nms_score_threshold", (double)0.3f);
    setup(&h, &o, &k_in_boxes, &in_scores, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 2, 0);
    check_row(&h, 0, 0, 0, 0.9f);
    check_row(&h, 1, 2, 0, 0.3f);
    h_free(&h);

    /* IoU equal to the threshold does not suppress (>): boxes 0 and 1 have
     * IoU 0.21875f / 0.28125f exactly as computed in float. */
    base_options(&o);
    fx_float(&o, "nms_iou_threshold", (double)(0.21875f / 0.28125f));
    setup(&h, &o, &k_in_boxes, &in_scores, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 3, 0);
    check_row(&h, 1, 1, 1, 0.8f);
    h_free(&h);

    /* Just below it: box 1 is suppressed again, and box 3 (0.29) moves up. */
    base_options(&o);
    fx_float(&o, "nms_iou_threshold", (double)nextafterf(0.21875f / 0.28125f, 0));
    setup(&h, &o, &k_in_boxes, &in_scores, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 3, 0);
    check_row(&h, 0, 0, 0, 0.9f);
    check_row(&h, 1, 2, 0, 0.3f);
    check_row(&h, 2, 3, 0, 0.29f);
    h_free(&h);

    /* Nothing passes: zero detections, all rows zero. */
    base_options(&o);
    fx_float(&o, "nms_score_threshold", 0.95);
    setup(&h, &o, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 0, 0);
    for (int r = 0; r < 3; ++r)
        check_row(&h, r, -1, 0, 0);
    h_free(&h);
}

static void test_no_background(void)
{
    /* 2 score columns and num_classes 2: column 0 is class 0 (label offset 0). */
    static const float scores[4 * 2] = {0.9f, 0.1f, 0.2f, 0.8f, 0.3f, 0.4f, 0.05f, 0.1f};
    const input_desc in_scores = {TFL_FLOAT32, 3, {1, 4, 2}, scores, 0, 0};
    op_harness h;
    fx_map o;
    base_options(&o);
    setup(&h, &o, &k_in_boxes, &in_scores, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 2, 0);
    check_row(&h, 0, 0, 0, 0.9f);
    check_row(&h, 1, 2, 1, 0.4f);
    h_free(&h);
}

static void test_ties(void)
{
    op_harness h;
    fx_map o;
    /* Equal scores: the lower box index comes first, so box 0 suppresses
     * box 1 rather than the reverse (TFLite's stable sort). */
    static const float equal[4 * 3] = {0, 0.7f, 0, 0, 0.7f, 0, 0, 0, 0, 0, 0, 0};
    const input_desc in_equal = {TFL_FLOAT32, 3, {1, 4, 3}, equal, 0, 0};
    base_options(&o);
    setup(&h, &o, &k_in_boxes, &in_equal, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 1, 0);
    check_row(&h, 0, 0, 0, 0.7f);
    h_free(&h);

    /* Regular NMS: equal scores in two classes keep the earlier class first,
     * whatever the box (class 0 box 2 before class 1 box 0). */
    static const float across[4 * 3] = {0, 0, 0.5f, 0, 0, 0, 0, 0.5f, 0, 0, 0, 0};
    const input_desc in_across = {TFL_FLOAT32, 3, {1, 4, 3}, across, 0, 0};
    base_options(&o);
    fx_bool(&o, "use_regular_nms", true);
    setup(&h, &o, &k_in_boxes, &in_across, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 2, 0);
    check_row(&h, 0, 2, 0, 0.5f);
    check_row(&h, 1, 0, 1, 0.5f);
    h_free(&h);

    /* Fast NMS, top 3 of 4 classes (no background) for one box with scores
     * [0.25, 0.75, 0.75, 0.75]: libstdc++'s std::partial_sort, which TFLite
     * uses, returns classes 3, 1, 2 (checked with g++ 12). */
    static const float one_box_scores[4] = {0.25f, 0.75f, 0.75f, 0.75f};
    const input_desc b1 = {TFL_FLOAT32, 3, {1, 1, 4}, k_zero_enc, 0, 0};
    const input_desc s1 = {TFL_FLOAT32, 3, {1, 1, 4}, one_box_scores, 0, 0};
    const input_desc a1 = {TFL_FLOAT32, 2, {1, 4}, k_anchors, 0, 0};
    base_options(&o);
    fx_int(&o, "num_classes", 4);
    fx_int(&o, "max_classes_per_detection", 3);
    fx_int(&o, "max_detections", 1);
    setup(&h, &o, &b1, &s1, &a1);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 1, 0);
    check_row(&h, 0, 0, 3, 0.75f);
    check_row(&h, 1, 0, 1, 0.75f);
    check_row(&h, 2, 0, 2, 0.75f);
    h_free(&h);

    /* [0.2, 0.7, 0.7, 0.1, 0.7], top 2: classes 2, 1 (g++ 12). With one class
     * per box the first maximum wins: class 1. */
    static const float five[5] = {0.2f, 0.7f, 0.7f, 0.1f, 0.7f};
    const input_desc s5 = {TFL_FLOAT32, 3, {1, 1, 5}, five, 0, 0};
    base_options(&o);
    fx_int(&o, "num_classes", 5);
    fx_int(&o, "max_classes_per_detection", 2);
    fx_int(&o, "max_detections", 1);
    setup(&h, &o, &b1, &s5, &a1);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_row(&h, 0, 0, 2, 0.7f);
    check_row(&h, 1, 0, 1, 0.7f);
    h_free(&h);
    fx_int(&o, "max_classes_per_detection", 1);
    setup(&h, &o, &b1, &s5, &a1);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_row(&h, 0, 0, 1, 0.7f);
    h_free(&h);
}

static void test_nan_scores(void)
{
    /* TFLite's argmax skips NaN (box 0 reports class 1, not the NaN in
     * column 0), and NaN never passes the score threshold (checked against
     * LiteRT 2.3.0). No background column here. */
    static const float scores[4 * 3] = {NAN, 0.9f, 0.1f, 0, NAN, 0.8f, NAN, NAN, NAN, 0, 0, 0};
    const input_desc s = {TFL_FLOAT32, 3, {1, 4, 3}, scores, 0, 0};
    op_harness h;
    fx_map o;
    base_options(&o);
    fx_int(&o, "num_classes", 3);
    fx_float(&o, "nms_score_threshold", 0.1);
    setup(&h, &o, &k_in_boxes, &s, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 1, 0); /* box 1 (0.8) overlaps box 0 (0.9) */
    check_row(&h, 0, 0, 1, 0.9f);
    h_free(&h);
    base_options(&o);
    fx_int(&o, "num_classes", 3);
    fx_float(&o, "nms_score_threshold", 0.1);
    fx_float(&o, "nms_iou_threshold", 0.9);
    setup(&h, &o, &k_in_boxes, &s, &k_in_anchors);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 2, 0);
    check_row(&h, 0, 0, 1, 0.9f);
    check_row(&h, 1, 1, 2, 0.8f);
    check_row(&h, 2, -1, 0, 0);
    h_free(&h);
}

static void test_decode(void)
{
    /* One box, anchor center (0.5, 0.25) size (0.5, 0.25), scales 10/10/5/5:
     *   y = 1:   ycenter = 1/10 * 0.5 + 0.5 = 0.55
     *   x = -2:  xcenter = -2/10 * 0.25 + 0.25 = 0.2
     *   h = 5 ln 2:  half_h = 0.5 * 2 * 0.5 = 0.5
     *   w = 0:   half_w = 0.5 * 0.25 = 0.125
     * The fifth column (a keypoint) is ignored. */
    static const float enc[5] = {1.0f, -2.0f, 3.4657359f, 0.0f, 123.0f};
    static const float anchor[4] = {0.5f, 0.25f, 0.5f, 0.25f};
    static const float score[2] = {0.0f, 0.9f};
    const input_desc b = {TFL_FLOAT32, 3, {1, 1, 5}, enc, 0, 0};
    const input_desc s = {TFL_FLOAT32, 3, {1, 1, 2}, score, 0, 0};
    const input_desc a = {TFL_FLOAT32, 2, {1, 4}, anchor, 0, 0};
    op_harness h;
    fx_map o;
    base_options(&o);
    fx_int(&o, "num_classes", 1);
    setup(&h, &o, &b, &s, &a);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 1, 0);
    const float *box = out_f(&h, 0);
    CHECK_NEAR(box[0], 0.05, 1e-6);
    CHECK_NEAR(box[1], 0.075, 1e-6);
    CHECK_NEAR(box[2], 1.05, 1e-6);
    CHECK_NEAR(box[3], 0.325, 1e-6);
    CHECK_NEAR(out_f(&h, 1)[0], 0, 0);
    CHECK_NEAR(out_f(&h, 2)[0], 0.9f, 0);
    h_free(&h);
}

static void test_quantized_hand(void)
{
    /* uint8 everywhere. Boxes: scale 0.1, zp 128 (138 -> 1.0, 128 -> 0).
     * Anchors: scale 1/128, zp 0 (64 -> 0.5, 32 -> 0.25). Scores: scale 1/256,
     * zp 0 (230 -> 0.8984375). Box 0: anchor (0.5, 0.5, 0.5, 0.5), y enc 1.0:
     * center y 0.55 -> [0.3, 0.25, 0.8, 0.75]. Box 1: anchor (0.25, 0.25, 0.25,
     * 0.25), zero encodings -> [0.125, 0.125, 0.375, 0.375]; IoU 0.23 < 0.5. */
    static const uint8_t enc[2 * 4] = {138, 128, 128, 128, 128, 128, 128, 128};
    static const uint8_t anc[2 * 4] = {64, 64, 64, 64, 32, 32, 32, 32};
    static const uint8_t sc[2 * 2] = {0, 230, 0, 100};
    const input_desc b = {TFL_UINT8, 3, {1, 2, 4}, enc, 0.1f, 128};
    const input_desc s = {TFL_UINT8, 3, {1, 2, 2}, sc, 1.0f / 256, 0};
    const input_desc a = {TFL_UINT8, 2, {2, 4}, anc, 1.0f / 128, 0};
    op_harness h;
    fx_map o;
    base_options(&o);
    fx_int(&o, "num_classes", 1);
    setup(&h, &o, &b, &s, &a);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 2, 0);
    const float *box = out_f(&h, 0);
    const float want[8] = {0.3f, 0.25f, 0.8f, 0.75f, 0.125f, 0.125f, 0.375f, 0.375f};
    for (int k = 0; k < 8; ++k)
        CHECK_NEAR(box[k], want[k], 1e-6);
    CHECK_NEAR(out_f(&h, 2)[0], 0.8984375, 0);
    CHECK_NEAR(out_f(&h, 2)[1], 0.390625, 0);
    h_free(&h);

    /* The same values as int8 (everything shifted by -128) give the same. */
    static const int8_t enc8[2 * 4] = {10, 0, 0, 0, 0, 0, 0, 0};
    static const int8_t anc8[2 * 4] = {-64, -64, -64, -64, -96, -96, -96, -96};
    static const int8_t sc8[2 * 2] = {-128, 102, -128, -28};
    const input_desc b8 = {TFL_INT8, 3, {1, 2, 4}, enc8, 0.1f, 0};
    const input_desc s8 = {TFL_INT8, 3, {1, 2, 2}, sc8, 1.0f / 256, -128};
    const input_desc a8 = {TFL_INT8, 2, {2, 4}, anc8, 1.0f / 128, -128};
    base_options(&o);
    fx_int(&o, "num_classes", 1);
    setup(&h, &o, &b8, &s8, &a8);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 2, 0);
    for (int k = 0; k < 8; ++k)
        CHECK_NEAR(out_f(&h, 0)[k], want[k], 1e-6);
    CHECK_NEAR(out_f(&h, 2)[0], 0.8984375, 0);
    CHECK_NEAR(out_f(&h, 2)[1], 0.390625, 0);
    h_free(&h);
}

static void test_inverted_box(void)
{
    /* A negative anchor height decodes to ymin > ymax: TFLite fails the
     * invoke, and so does tfl (a runtime error, not a crash). */
    static const float anc[4 * 4] = {0.5f, 0.5f, -0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f,
                                     0.5f, 0.5f, 0.5f,  0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
    const input_desc a = {TFL_FLOAT32, 2, {4, 4}, anc, 0, 0};
    op_harness h;
    fx_map o;
    base_options(&o);
    setup(&h, &o, &k_in_boxes, &k_in_scores, &a);
    CHECK_EQ_INT(h_run(&h), TFL_ERROR_RUNTIME);
    CHECK_CONTAINS(h.error, "TFLite_Detection_PostProcess (node 0): decoded box 0 is inverted");
    h_free(&h);
}

/* --- goldens from LiteRT ------------------------------------------------ */

static void check_golden(op_harness *h, int n, int rows, const float *boxes, const float *classes,
                         const float *scores)
{
    CHECK_NEAR(out_f(h, 3)[0], n, 0);
    int bad = 0;
    for (int r = 0; r < rows; ++r) {
        for (int k = 0; k < 4; ++k)
            bad += !(fabsf(out_f(h, 0)[4 * r + k] - boxes[4 * r + k]) <= 1e-6f);
        bad += out_f(h, 1)[r] != classes[r];
        bad += out_f(h, 2)[r] != scores[r];
    }
    CHECK_EQ_INT(bad, 0);
    /* Rows past the detections are zero. */
    const tfl_tensor *t = &h->tensors[h->outputs[1]];
    for (int r = rows; r < t->dims[1]; ++r)
        bad += out_f(h, 0)[4 * r] != 0 || out_f(h, 1)[r] != 0 || out_f(h, 2)[r] != 0;
    CHECK_EQ_INT(bad, 0);
}

static void golden_options(fx_map *o, double score, double iou, int classes, int max_det,
                           int per_det)
{
    base_options(o);
    fx_float(o, "nms_score_threshold", score);
    fx_float(o, "nms_iou_threshold", iou);
    fx_int(o, "num_classes", classes);
    fx_int(o, "max_detections", max_det);
    fx_int(o, "max_classes_per_detection", per_det);
}

static void test_golden_quantized(void)
{
    const input_desc b = {TFL_UINT8, 3, {1, 24, 5}, q_boxes, 0.05f, 128};
    const input_desc s = {TFL_UINT8, 3, {1, 24, 6}, q_scores, 1.0f / 256, 0};
    const input_desc a = {TFL_UINT8, 2, {24, 4}, q_anchors, 1.0f / 255, 0};
    op_harness h;
    fx_map o;
    golden_options(&o, 0.3, 0.45, 5, 16, 3);
    setup(&h, &o, &b, &s, &a);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_golden(&h, Q_FAST3_N, Q_FAST3_N * 3, q_fast3_boxes, q_fast3_classes, q_fast3_scores);
    h_free(&h);

    golden_options(&o, 0.3, 0.45, 5, 6, 1);
    setup(&h, &o, &b, &s, &a);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_golden(&h, Q_FAST1_N, Q_FAST1_N, q_fast1_boxes, q_fast1_classes, q_fast1_scores);
    h_free(&h);

    golden_options(&o, 0.3, 0.45, 5, 30, 1);
    fx_int(&o, "detections_per_class", 3);
    fx_bool(&o, "use_regular_nms", true);
    setup(&h, &o, &b, &s, &a);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_golden(&h, Q_REGULAR_N, Q_REGULAR_N, q_regular_boxes, q_regular_classes,
                 q_regular_scores);
    h_free(&h);
}

static void test_golden_float(void)
{
    const input_desc b = {TFL_FLOAT32, 3, {1, 30, 6}, f_boxes, 0, 0};
    const input_desc s = {TFL_FLOAT32, 3, {1, 30, 4}, f_scores, 0, 0};
    const input_desc a = {TFL_FLOAT32, 2, {30, 4}, f_anchors, 0, 0};
    op_harness h;
    fx_map o;
    golden_options(&o, 0.25, 0.3, 4, 7, 2);
    setup(&h, &o, &b, &s, &a);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_golden(&h, F_FAST2_N, F_FAST2_N * 2, f_fast2_boxes, f_fast2_classes, f_fast2_scores);
    /* prepare again (as a re-allocate does) and run again: same result. */
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_golden(&h, F_FAST2_N, F_FAST2_N * 2, f_fast2_boxes, f_fast2_classes, f_fast2_scores);
    h_free(&h);

    golden_options(&o, 0.25, 0.3, 4, 40, 1);
    fx_bool(&o, "use_regular_nms", true);
    setup(&h, &o, &b, &s, &a);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_golden(&h, F_REGULAR_N, F_REGULAR_N, f_regular_boxes, f_regular_classes,
                 f_regular_scores);
    h_free(&h);
}

/* --- the SSD model's options ------------------------------------------- */

/* The custom options of TFLite_Detection_PostProcess in
 * ssd_mobilenet_v1_coco_quant_metadata.tflite (dumped with flatbuffers'
 * Python reader): {'_output_quantized': True, 'h_scale': 5.0,
 * 'max_classes_per_detection': 1, 'max_detections': 10, 'nms_iou_threshold': 0.6,
 * 'nms_score_threshold': 1e-08, 'num_classes': 90, 'w_scale': 5.0, 'x_scale': 10.0,
 * 'y_scale': 10.0}. Inputs uint8 [1,1917,4], [1,1917,91], [1917,4]. */
static const uint8_t k_ssd_options[217] = {
    0x79, 0x5f, 0x73, 0x63, 0x61, 0x6c, 0x65, 0x00, 0x5f, 0x6f, 0x75, 0x74, 0x70, 0x75, 0x74, 0x5f,
    0x71, 0x75, 0x61, 0x6e, 0x74, 0x69, 0x7a, 0x65, 0x64, 0x00, 0x6d, 0x61, 0x78, 0x5f, 0x64, 0x65,
    0x74, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x73, 0x00, 0x6e, 0x6d, 0x73, 0x5f, 0x73, 0x63, 0x6f,
    0x72, 0x65, 0x5f, 0x74, 0x68, 0x72, 0x65, 0x73, 0x68, 0x6f, 0x6c, 0x64, 0x00, 0x77, 0x5f, 0x73,
    0x63, 0x61, 0x6c, 0x65, 0x00, 0x78, 0x5f, 0x73, 0x63, 0x61, 0x6c, 0x65, 0x00, 0x6e, 0x6d, 0x73,
    0x5f, 0x69, 0x6f, 0x75, 0x5f, 0x74, 0x68, 0x72, 0x65, 0x73, 0x68, 0x6f, 0x6c, 0x64, 0x00, 0x68,
    0x5f, 0x73, 0x63, 0x61, 0x6c, 0x65, 0x00, 0x6d, 0x61, 0x78, 0x5f, 0x63, 0x6c, 0x61, 0x73, 0x73,
    0x65, 0x73, 0x5f, 0x70, 0x65, 0x72, 0x5f, 0x64, 0x65, 0x74, 0x65, 0x63, 0x74, 0x69, 0x6f, 0x6e,
    0x00, 0x6e, 0x75, 0x6d, 0x5f, 0x63, 0x6c, 0x61, 0x73, 0x73, 0x65, 0x73, 0x00, 0x0a, 0x86, 0x30,
    0x29, 0x77, 0x45, 0x6a, 0x13, 0x58, 0x51, 0x97, 0x0a, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    0x0a, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x40, 0x01, 0x00, 0x00, 0x00,
    0x0a, 0x00, 0x00, 0x00, 0x9a, 0x99, 0x19, 0x3f, 0x77, 0xcc, 0x2b, 0x32, 0x5a, 0x00, 0x00, 0x00,
    0x00, 0x00, 0xa0, 0x40, 0x00, 0x00, 0x20, 0x41, 0x00, 0x00, 0x20, 0x41, 0x6a, 0x0e, 0x06, 0x06,
    0x0e, 0x0e, 0x06, 0x0e, 0x0e, 0x0e, 0x32, 0x26, 0x01};

enum { SSD_BOXES = 1917 };

/* The SSD model's inputs, with its quantization, for the first num_boxes boxes. */
static void ssd_setup_n(op_harness *h, const uint8_t *options, size_t size, int num_boxes,
                        const uint8_t *enc, const uint8_t *scores, const uint8_t *anchors)
{
    const input_desc b = {TFL_UINT8, 3, {1, num_boxes, 4}, enc, 0.0790278763f, 191};
    const input_desc s = {TFL_UINT8, 3, {1, num_boxes, 91}, scores, 0.00390625f, 0};
    const input_desc a = {TFL_UINT8, 2, {num_boxes, 4}, anchors, 0.00645306055f, 0};
    setup(h, NULL, &b, &s, &a);
    h->node.custom_options = options;
    h->node.custom_options_size = size;
}

static void ssd_setup(op_harness *h, const uint8_t *options, size_t size, const uint8_t *enc,
                      const uint8_t *scores, const uint8_t *anchors)
{
    ssd_setup_n(h, options, size, SSD_BOXES, enc, scores, anchors);
}

static void test_ssd_options(void)
{
    uint8_t *enc = calloc(SSD_BOXES, 4), *anc = calloc(SSD_BOXES, 4);
    uint8_t *scores = calloc(SSD_BOXES, 91);
    for (int i = 0; i < SSD_BOXES * 4; ++i)
        enc[i] = 191; /* zero encodings */
    for (int i = 0; i < SSD_BOXES; ++i) {
        anc[4 * i + 0] = anc[4 * i + 1] = (uint8_t)(20 + i % 100);
        anc[4 * i + 2] = anc[4 * i + 3] = 30;
    }
    op_harness h;
    ssd_setup(&h, k_ssd_options, sizeof k_ssd_options, enc, scores, anc);
    /* All scores 0 < 1e-8: no detections, 10 zero rows. */
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    check_shapes(&h, 10);
    CHECK_NEAR(out_f(&h, 3)[0], 0, 0);
    CHECK_NEAR(out_f(&h, 0)[39], 0, 0);
    h_free(&h);

    /* One class-7 score (column 8: background is column 0) on box 5:
     * class 7, score 100/256, box = anchor 5 decoded. */
    scores[5 * 91 + 8] = 100;
    ssd_setup(&h, k_ssd_options, sizeof k_ssd_options, enc, scores, anc);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 1, 0);
    CHECK_NEAR(out_f(&h, 1)[0], 7, 0);
    CHECK_NEAR(out_f(&h, 2)[0], 100 * 0.00390625f, 0);
    const float c = 25 * 0.00645306055f, half = 0.5f * (30 * 0.00645306055f);
    CHECK_NEAR(out_f(&h, 0)[0], c - half, 1e-6);
    CHECK_NEAR(out_f(&h, 0)[3], c + half, 1e-6);
    h_free(&h);

    /* The offset of the first key ('_output_quantized', byte 142) pointing
     * before the buffer: the binary search reaches it looking up
     * detections_per_class. */
    uint8_t *broken = malloc(sizeof k_ssd_options);
    memcpy(broken, k_ssd_options, sizeof k_ssd_options);
    CHECK_EQ_INT(broken[142], 134);
    broken[142] = 250;
    ssd_setup_n(&h, broken, sizeof k_ssd_options, 1, enc, scores, anc);
    CHECK_EQ_INT(h_prepare(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "custom options are malformed (looking up 'detections_per_class')");
    h_free(&h);
    free(broken);

    /* Every truncation and every bit flip of the real options: init either
     * succeeds or fails with a message, and never reads outside (ASan). One
     * box keeps this quick. */
    uint8_t *copy = malloc(sizeof k_ssd_options);
    int failed = 0;
    for (size_t cut = 0; cut < sizeof k_ssd_options; ++cut) {
        uint8_t *b = malloc(cut ? cut : 1);
        memcpy(b, k_ssd_options, cut);
        ssd_setup_n(&h, b, cut, 1, enc, scores, anc);
        failed += h_prepare(&h) != TFL_OK && h.error[0] != 0;
        h_free(&h);
        memcpy(b, k_ssd_options + sizeof k_ssd_options - cut, cut);
        ssd_setup_n(&h, b, cut, 1, enc, scores, anc);
        failed += h_prepare(&h) != TFL_OK && h.error[0] != 0;
        h_free(&h);
        free(b);
    }
    CHECK_EQ_INT(failed, 2 * (int)sizeof k_ssd_options);
    for (size_t at = 0; at < sizeof k_ssd_options; ++at) {
        for (int bit = 0; bit < 8; ++bit) {
            memcpy(copy, k_ssd_options, sizeof k_ssd_options);
            copy[at] ^= (uint8_t)(1u << bit);
            ssd_setup_n(&h, copy, sizeof k_ssd_options, 1, enc, scores, anc);
            tfl_status s = h_prepare(&h);
            CHECK(s == TFL_OK || h.error[0] != 0);
            h_free(&h);
        }
    }
    free(copy);
    free(enc);
    free(anc);
    free(scores);
}

/* --- bad options and shapes -------------------------------------------- */

/* init + prepare with the hand-computed inputs and options o must fail. */
static void expect_option_error(fx_map *o, const char *needle)
{
    op_harness h;
    setup(&h, o, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(h_prepare(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, needle);
    h_free(&h);
}

static void expect_options_ok(fx_map *o)
{
    op_harness h;
    setup(&h, o, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(h_run(&h), TFL_OK);
    if (h.error[0])
        fprintf(stderr, "%s\n", h.error);
    h_free(&h);
}

static void test_bad_options(void)
{
    fx_map o;
    op_harness h;
    setup(&h, NULL, &k_in_boxes, &k_in_scores, &k_in_anchors);
    CHECK_EQ_INT(h_prepare(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "TFLite_Detection_PostProcess (node 0): custom options are missing");
    h_free(&h);
    static const uint8_t junk[3] = {1, 2, 3};
    setup(&h, NULL, &k_in_boxes, &k_in_scores, &k_in_anchors);
    h.node.custom_options = junk;
    h.node.custom_options_size = sizeof junk;
    CHECK_EQ_INT(h_prepare(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "custom options are not a valid FlexBuffers map");
    h_free(&h);

    const char *required[] = {"max_detections", "max_classes_per_detection",
                              "num_classes",    "nms_iou_threshold",
                              "y_scale",        "x_scale",
                              "h_scale",        "w_scale"};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; ++k) {
        char msg[96];
        snprintf(msg, sizeof msg, "custom option '%s' is missing", required[k]);
        base_options(&o);
        fx_del(&o, required[k]);
        expect_option_error(&o, msg);
        /* An explicit null reads as missing too. */
        base_options(&o);
        fx_null(&o, required[k]);
        expect_option_error(&o, msg);
    }

    base_options(&o);
    fx_int(&o, "max_detections", 0);
    expect_option_error(&o, "max_detections must be > 0, got 0");
    base_options(&o);
    fx_int(&o, "max_detections", -5);
    expect_option_error(&o, "max_detections must be > 0, got -5");
    base_options(&o);
    fx_int(&o, "max_detections", (int64_t)1 << 40);
    expect_option_error(&o, "custom option 'max_detections' = 1099511627776 is out of range");
    base_options(&o);
    fx_float(&o, "max_detections", 1e300);
    expect_option_error(&o, "custom option 'max_detections' is not a valid number");
    base_options(&o);
    fx_int(&o, "max_detections", 100000);
    fx_int(&o, "max_classes_per_detection", 100000);
    expect_option_error(&o,
                        "max_detections * max_classes_per_detection = 10000000000 is too large");
    base_options(&o);
    fx_int(&o, "max_detections", (1 << 20) + 1);
    expect_option_error(&o, "max_detections * max_classes_per_detection = 1048577 is too large "
                            "(limit 1048576)");
    base_options(&o);
    fx_int(&o, "max_classes_per_detection", 0);
    expect_option_error(&o, "max_classes_per_detection must be > 0, got 0");
    base_options(&o);
    fx_int(&o, "num_classes", 0);
    expect_option_error(&o, "num_classes must be > 0, got 0");
    base_options(&o);
    fx_float(&o, "nms_iou_threshold", 0.0);
    expect_option_error(&o, "nms_iou_threshold must be in (0, 1], got 0");
    base_options(&o);
    fx_float(&o, "nms_iou_threshold", 1.5);
    expect_option_error(&o, "nms_iou_threshold must be in (0, 1], got 1.5");
    base_options(&o);
    fx_float(&o, "h_scale", 0.0);
    expect_option_error(&o, "h_scale must not be 0");
    base_options(&o);
    fx_float(&o, "y_scale", 1e300); /* infinite as a float */
    expect_option_error(&o, "custom option 'y_scale' = 1e+300 is not a finite float");
    base_options(&o);
    fx_str(&o, "max_detections", "3");
    expect_option_error(&o, "custom option 'max_detections' is not a valid number");
    base_options(&o);
    fx_str(&o, "use_regular_nms", "yes");
    expect_option_error(&o, "custom option 'use_regular_nms' is not a valid boolean");
    base_options(&o);
    fx_bool(&o, "use_regular_nms", true);
    fx_int(&o, "detections_per_class", 0);
    expect_option_error(&o, "detections_per_class must be > 0, got 0");

    /* Accepted: conversions as TFLite's AsInt32/AsFloat/AsBool do them,
     * defaults for the optional keys, unknown keys ignored. */
    base_options(&o);
    fx_int(&o, "detections_per_class", 0); /* unused by fast NMS */
    fx_del(&o, "nms_score_threshold");     /* default 0 */
    fx_null(&o, "use_regular_nms");        /* default false */
    fx_float(&o, "max_detections", 3.7);   /* truncated to 3 */
    fx_int(&o, "nms_iou_threshold", 1);
    fx_int(&o, "y_scale", 10);
    fx_put(&o, "x_scale", 'u', 10, 0, NULL);
    fx_bool(&o, "_output_quantized", true);
    expect_options_ok(&o);
    base_options(&o);
    fx_int(&o, "use_regular_nms", 1);
    fx_int(&o, "detections_per_class", (int64_t)1 << 20); /* capped by max_detections */
    expect_options_ok(&o);
}

static void expect_shape_error(const input_desc *b, const input_desc *s, const input_desc *a,
                               tfl_status status, const char *needle)
{
    op_harness h;
    fx_map o;
    base_options(&o);
    setup(&h, &o, b, s, a);
    CHECK_EQ_INT(h_prepare(&h), status);
    CHECK_CONTAINS(h.error, needle);
    h_free(&h);
}

static void test_bad_shapes(void)
{
    const input_desc *B = &k_in_boxes, *S = &k_in_scores, *A = &k_in_anchors;
    input_desc x;

    x = *B, x.ndim = 2;
    expect_shape_error(&x, S, A, TFL_ERROR_BAD_MODEL,
                       "box encodings must have rank 3, got float32[1,4]");
    x = *B, x.dims[0] = 2;
    expect_shape_error(&x, S, A, TFL_ERROR_UNSUPPORTED,
                       "box encodings must be [1, boxes, >= 4], got float32[2,4,4]");
    x = *B, x.dims[2] = 3;
    expect_shape_error(&x, S, A, TFL_ERROR_UNSUPPORTED, "got float32[1,4,3]");
    x = *S, x.dims[1] = 3;
    expect_shape_error(B, &x, A, TFL_ERROR_BAD_MODEL,
                       "class predictions must be [1, 4, classes], got float32[1,3,3]");
    x = *S, x.dims[2] = 4;
    expect_shape_error(B, &x, A, TFL_ERROR_BAD_MODEL,
                       "class predictions have 4 classes, expected num_classes (2) or "
                       "num_classes + 1");
    x = *S, x.dims[2] = 1;
    expect_shape_error(B, &x, A, TFL_ERROR_BAD_MODEL, "class predictions have 1 classes");
    x = *A, x.dims[1] = 2, x.dims[0] = 8;
    expect_shape_error(B, S, &x, TFL_ERROR_BAD_MODEL, "anchors must be [4, 4], got float32[8,2]");
    x = *A, x.ndim = 3, x.dims[2] = 1;
    expect_shape_error(B, S, &x, TFL_ERROR_BAD_MODEL, "anchors must have rank 2");
    x = *S, x.type = TFL_INT16;
    expect_shape_error(B, &x, A, TFL_ERROR_UNSUPPORTED,
                       "class predictions type int16 not supported");
    x = *A, x.type = TFL_UINT8, x.scale = 0;
    expect_shape_error(B, S, &x, TFL_ERROR_BAD_MODEL,
                       "anchors is uint8 but has no valid quantization scale");
    x = *B, x.type = TFL_INT8, x.scale = 0.1f, x.zero_point = 128;
    expect_shape_error(&x, S, A, TFL_ERROR_BAD_MODEL,
                       "box encodings zero point 128 is out of range for int8");

    /* Wrong counts and output types. */
    op_harness h;
    fx_map o;
    base_options(&o);
    setup(&h, &o, B, S, A);
    h.node.num_inputs = 2;
    CHECK_EQ_INT(h_prepare(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "expects 3 inputs, got 2");
    h_free(&h);
    base_options(&o);
    setup(&h, &o, B, S, A);
    h.tensors[h.outputs[1]].type = TFL_INT32;
    CHECK_EQ_INT(h_prepare(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "detection classes type int32, expected float32");
    h_free(&h);
    base_options(&o);
    setup(&h, &o, B, S, A);
    h.inputs[2] = -1; /* omitted */
    CHECK_EQ_INT(h_prepare(&h), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(h.error, "anchors input is missing");
    h_free(&h);

    /* Zero boxes is valid: nothing to detect. */
    static const float none[1] = {0};
    const input_desc b0 = {TFL_FLOAT32, 3, {1, 0, 4}, none, 0, 0};
    const input_desc s0 = {TFL_FLOAT32, 3, {1, 0, 3}, none, 0, 0};
    const input_desc a0 = {TFL_FLOAT32, 2, {0, 4}, none, 0, 0};
    base_options(&o);
    setup(&h, &o, &b0, &s0, &a0);
    CHECK_EQ_INT(run_dirty(&h), TFL_OK);
    CHECK_NEAR(out_f(&h, 3)[0], 0, 0);
    check_row(&h, 0, -1, 0, 0);
    h_free(&h);
}

TFL_TEST_MAIN(TEST(test_fast_nms), TEST(test_fast_nms_two_classes_per_box), TEST(test_regular_nms),
              TEST(test_work_estimate),
              TEST(test_thresholds), TEST(test_no_background), TEST(test_ties),
              TEST(test_nan_scores), TEST(test_decode), TEST(test_quantized_hand),
              TEST(test_inverted_box), TEST(test_golden_quantized), TEST(test_golden_float),
              TEST(test_ssd_options), TEST(test_bad_options), TEST(test_bad_shapes))
