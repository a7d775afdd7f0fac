/* Fuzz target: any bytes as a FlexBuffer. Every value reachable from the
 * root is walked (maps, vectors, typed vectors, strings, blobs, scalars) with
 * a depth and a visit bound, then the same bytes are the custom options of
 * TFLite_Detection_PostProcess: init, and when the options parse, prepare
 * and eval on small tensors derived from the bytes, so the option values
 * flow into the kernels. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/flexbuf.h"

#include "../ops/op_harness.h"

extern const tfl__op tfl__op_detection_postprocess;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t g_sink;

/* A value may be shared by many parents (offsets can point anywhere
 * earlier), so the walk counts visits instead of trusting the shape. */
typedef struct walker {
    int visits;
} walker;

enum { MAX_DEPTH = 24, MAX_VISITS = 4096 };

static void walk(walker *w, const tfl__flex_ref *r, int depth)
{
    if (depth > MAX_DEPTH || ++w->visits > MAX_VISITS)
        return;
    int64_t i;
    uint64_t u;
    double d;
    bool b;
    const char *s;
    const uint8_t *p;
    size_t n;
    /* Every reader on every value: a wrong type must fail cleanly. */
    if (tfl__flex_as_i64(r, &i) > 0)
        g_sink += (size_t)i;
    if (tfl__flex_as_u64(r, &u) > 0)
        g_sink += (size_t)u;
    if (tfl__flex_as_f64(r, &d) > 0)
        g_sink += d != 0.0;
    if (tfl__flex_as_bool(r, &b) > 0)
        g_sink += b;
    if (tfl__flex_as_str(r, &s, &n) > 0)
        g_sink += strlen(s) + n;
    if (tfl__flex_as_blob(r, &p, &n) > 0)
        for (size_t k = 0; k < n; ++k)
            g_sink += p[k];
    tfl__flex_map m;
    if (tfl__flex_as_map(r, &m) > 0) {
        for (size_t k = 0; k < m.keys.count && k < 64; ++k) {
            const char *key;
            tfl__flex_ref v;
            if (tfl__flex_map_key(&m, k, &key) > 0) {
                g_sink += strlen(key);
                if (tfl__flex_map_get(&m, key, &v) > 0)
                    walk(w, &v, depth + 1);
            }
        }
        tfl__flex_ref v;
        tfl__flex_map_get(&m, "", &v);
        tfl__flex_map_get(&m, "\xff", &v);
    }
    tfl__flex_vec vec;
    if (tfl__flex_as_vec(r, &vec) > 0) {
        for (size_t k = 0; k <= vec.count && k < 64; ++k) { /* one past the end too */
            tfl__flex_ref e;
            if (tfl__flex_vec_at(&vec, k, &e) > 0)
                walk(w, &e, depth + 1);
        }
    }
}

/* The options' num_classes as the harness reads it, to size the scores. */
static int32_t num_classes_of(const uint8_t *data, size_t size)
{
    tfl__flex_ref root, v;
    tfl__flex_map m;
    int64_t nc;
    if (tfl__flex_root(data, size, &root) != 1 || tfl__flex_as_map(&root, &m) != 1 ||
        tfl__flex_map_get(&m, "num_classes", &v) != 1 || tfl__flex_as_i64(&v, &nc) != 1)
        return 1;
    return nc >= 1 && nc <= 16 ? (int32_t)nc : 1;
}

enum { NB = 6 };

static void run_dpp(const uint8_t *data, size_t size)
{
    static op_harness h; /* large: keep it off the stack */
    h_init(&h, &tfl__op_detection_postprocess, "TFLite_Detection_PostProcess");
    /* Scores agree with num_classes, plus a background column when the
     * first byte is odd. */
    int32_t nc = num_classes_of(data, size) + (size && (data[0] & 1));
    float enc[NB * 4], scores[NB * 17], anchors[NB * 4];
    for (int k = 0; k < NB * 4; ++k) {
        uint8_t byte = size ? data[(size_t)k * 7 % size] : 0;
        enc[k] = ((float)byte - 128.0f) / 64.0f;
        /* centers in [0, 1], sizes positive: decoded boxes are not inverted */
        anchors[k] = k % 4 < 2 ? (float)(k % 5) / 5.0f : 0.1f + (float)(k % 3) / 4.0f;
    }
    for (int k = 0; k < NB * nc; ++k)
        scores[k] = size ? (float)data[(size_t)k * 13 % size] / 255.0f : 0.5f;
    const int32_t enc_dims[3] = {1, NB, 4}, score_dims[3] = {1, NB, nc}, anchor_dims[2] = {NB, 4};
    const int32_t none[1] = {0};
    int ids[3], outs[4];
    ids[0] = h_input(&h, TFL_FLOAT32, 3, enc_dims, enc, 0, 0);
    ids[1] = h_input(&h, TFL_FLOAT32, 3, score_dims, scores, 0, 0);
    ids[2] = h_input(&h, TFL_FLOAT32, 2, anchor_dims, anchors, 0, 0);
    for (int i = 0; i < 4; ++i)
        outs[i] = h_tensor(&h, TFL_FLOAT32, 0, none, NULL, 0, 0);
    h_io(&h, 3, ids, 4, outs);
    h.node.custom_options = data;
    h.node.custom_options_size = size;
    tfl_status s = h_run(&h);
    if (s != TFL_OK && !h.error[0])
        abort(); /* a failure must say why */
    if (s == TFL_OK) {
        const tfl_tensor *num = &h.tensors[outs[3]];
        float n = ((const float *)num->data)[0];
        if (!(n >= 0.0f) || (size_t)n > h.tensors[outs[1]].bytes / sizeof(float))
            abort(); /* more detections than output rows */
    }
    h_free(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfl__flex_ref root;
    walker w = {0};
    if (tfl__flex_root(data, size, &root) > 0)
        walk(&w, &root, 0);
    run_dpp(data, size);
    return 0;
}
