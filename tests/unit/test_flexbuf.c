/* FlexBuffers reader: every value type from buffers written by the reference
 * implementation, number conversions, and hostile bytes (bad widths, offsets
 * outside the buffer, huge sizes, unterminated strings, deep nesting, offset
 * cycles, truncation and byte-flip sweeps; run under ASan in `make test`). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/flexbuf.h"
#include "test.h"

/* Written by Python flatbuffers 25.12.19, flexbuffers.Builder:
 * {'b': True, 'big': 1<<40, 'blob': b'\x00\x01\x02', 'f': 1.5, 'fx3': [1.0, 2.0, 3.0]
 *  (fixed typed), 'i': -7, 'if': 0.25 (indirect), 'ii': -100000 (indirect),
 *  'iu': 1<<40 (indirect uint), 'm': {'x': 1, 'y': 3.25}, 'mixed': [1, 'a', 2.5, False,
 *  {'x': 42}], 'n': None, 's': 'hello', 'tf': [0.5, -1.0] (typed), 'tv': [1, 2, 300]
 *  (typed), 'u': 300 (uint)} */
static const uint8_t k_all_types[379] = {
    0x62, 0x00, 0x66, 0x00, 0x69, 0x00, 0x75, 0x00, 0x73, 0x00, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
    0x00, 0x62, 0x6c, 0x6f, 0x62, 0x00, 0x03, 0x00, 0x01, 0x02, 0x69, 0x69, 0x00, 0x00, 0x00, 0x00,
    0x60, 0x79, 0xfe, 0xff, 0x69, 0x75, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x69, 0x66, 0x00, 0x00, 0x00, 0x00, 0x80, 0x3e, 0x6e, 0x00, 0x62, 0x69, 0x67, 0x00, 0x74, 0x76,
    0x00, 0x00, 0x03, 0x00, 0x01, 0x00, 0x02, 0x00, 0x2c, 0x01, 0x74, 0x66, 0x00, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 0x00, 0x00, 0x80, 0xbf, 0x66, 0x78, 0x33, 0x00,
    0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x40, 0x40, 0x6d, 0x69, 0x78, 0x65,
    0x64, 0x00, 0x01, 0x61, 0x00, 0x78, 0x00, 0x01, 0x03, 0x01, 0x01, 0x01, 0x2a, 0x04, 0x00, 0x00,
    0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x40,
    0x00, 0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x06, 0x14, 0x0e, 0x6a, 0x24, 0x6d, 0x00, 0x78,
    0x00, 0x79, 0x00, 0x02, 0x05, 0x04, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x50, 0x40, 0x06, 0x0e, 0x10, 0xbf,
    0x86, 0xb0, 0xc0, 0x67, 0xc0, 0x95, 0xac, 0xa3, 0x2b, 0x5d, 0x92, 0xc3, 0x82, 0x8f, 0xc8, 0x00,
    0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0xe1, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f, 0xa8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xf9, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xe4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x7c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xfc, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x2c, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x6b, 0x07, 0x64, 0x0f, 0x56, 0x07, 0x22, 0x1a,
    0x1f, 0x26, 0x2a, 0x03, 0x14, 0x36, 0x2d, 0x0b, 0x90, 0x27, 0x01};

/* The custom options of TFLite_Detection_PostProcess in
 * ssd_mobilenet_v1_coco_quant_metadata.tflite (dumped with flatbuffers'
 * Python reader): {'_output_quantized': True, 'h_scale': 5.0,
 * 'max_classes_per_detection': 1, 'max_detections': 10, 'nms_iou_threshold': 0.6,
 * 'nms_score_threshold': 1e-08, 'num_classes': 90, 'w_scale': 5.0, 'x_scale': 10.0,
 * 'y_scale': 10.0}. Map of width 4, keys of width 1. */
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

/* {"a": 5} with every width 1, written by hand (checked with flexbuffers.Loads):
 * [0] "a\0"  [2] keys: count 1, offset 3 -> [0]  [4] map prefix: keys offset 1 -> [3],
 * keys width 1, count 1  [7] value 5, type INT/8  [9] root: offset 2 -> [7], MAP/8, width 1 */
static const uint8_t k_small_map[12] = {0x61, 0x00, 0x01, 0x03, 0x01, 0x01,
                                        0x01, 0x05, 0x04, 0x02, 0x24, 0x01};

/* Root -> map -> value of key. */
static int lookup(const uint8_t *buf, size_t len, const char *key, tfl__flex_ref *out)
{
    tfl__flex_ref root;
    tfl__flex_map map;
    memset(out, 0, sizeof *out);
    if (tfl__flex_root(buf, len, &root) < 0)
        return -1;
    int s = tfl__flex_as_map(&root, &map);
    if (s <= 0)
        return s < 0 ? -1 : 0;
    return tfl__flex_map_get(&map, key, out);
}

static int64_t get_i64(const uint8_t *buf, size_t len, const char *key)
{
    tfl__flex_ref r;
    int64_t v = -999;
    if (lookup(buf, len, key, &r) != 1 || tfl__flex_as_i64(&r, &v) != 1)
        return -999;
    return v;
}

static double get_f64(const uint8_t *buf, size_t len, const char *key)
{
    tfl__flex_ref r;
    double v = -999;
    if (lookup(buf, len, key, &r) != 1 || tfl__flex_as_f64(&r, &v) != 1)
        return -999;
    return v;
}

#define ALL k_all_types, sizeof k_all_types

static void test_scalars(void)
{
    tfl__flex_ref r;
    bool b = false;
    uint64_t u = 0;
    CHECK(lookup(ALL, "b", &r) == 1 && r.type == TFL__FLEX_BOOL);
    CHECK(tfl__flex_as_bool(&r, &b) == 1 && b);
    CHECK_EQ_INT(get_i64(ALL, "b"), 1);
    CHECK_EQ_INT(get_i64(ALL, "i"), -7);
    CHECK_NEAR(get_f64(ALL, "i"), -7.0, 0);
    CHECK_EQ_INT(get_i64(ALL, "u"), 300);
    CHECK(lookup(ALL, "u", &r) == 1 && r.type == TFL__FLEX_UINT);
    CHECK(tfl__flex_as_u64(&r, &u) == 1 && u == 300);
    CHECK_EQ_INT(get_i64(ALL, "big"), (int64_t)1 << 40);
    CHECK_NEAR(get_f64(ALL, "f"), 1.5, 0);
    CHECK_EQ_INT(get_i64(ALL, "f"), 1); /* truncated, as flexbuffers' AsInt64 */
    CHECK(lookup(ALL, "ii", &r) == 1 && r.type == TFL__FLEX_INDIRECT_INT);
    CHECK_EQ_INT(get_i64(ALL, "ii"), -100000);
    CHECK(lookup(ALL, "iu", &r) == 1 && r.type == TFL__FLEX_INDIRECT_UINT);
    CHECK_EQ_INT(get_i64(ALL, "iu"), (int64_t)1 << 40);
    CHECK(lookup(ALL, "if", &r) == 1 && r.type == TFL__FLEX_INDIRECT_FLOAT);
    CHECK_NEAR(get_f64(ALL, "if"), 0.25, 0);
}

static void test_null_and_missing(void)
{
    tfl__flex_ref r;
    int64_t i = 5;
    double d = 5;
    bool b = true;
    const char *s = "x";
    CHECK(lookup(ALL, "n", &r) == 1 && r.type == TFL__FLEX_NULL);
    CHECK_EQ_INT(tfl__flex_as_i64(&r, &i), 0);
    CHECK_EQ_INT(tfl__flex_as_f64(&r, &d), 0);
    CHECK_EQ_INT(tfl__flex_as_bool(&r, &b), 0);
    CHECK_EQ_INT(tfl__flex_as_str(&r, &s, NULL), 0);
    CHECK(i == 0 && d == 0 && !b && s == NULL);
    /* Absent keys on either side of every present one. */
    const char *absent[] = {"", "a", "ba", "bz", "c", "g", "j", "mix", "mixedz", "o", "z", "~"};
    for (size_t k = 0; k < sizeof absent / sizeof absent[0]; ++k) {
        CHECK_EQ_INT(lookup(ALL, absent[k], &r), 0);
        CHECK_EQ_INT(r.type, TFL__FLEX_NULL);
    }
}

static void test_strings_and_blobs(void)
{
    tfl__flex_ref r, e;
    tfl__flex_vec v;
    tfl__flex_map m;
    const char *s;
    size_t n;
    const uint8_t *p;
    CHECK(lookup(ALL, "s", &r) == 1);
    CHECK(tfl__flex_as_str(&r, &s, &n) == 1 && n == 5 && strcmp(s, "hello") == 0);
    CHECK_EQ_INT(tfl__flex_as_i64(&r, &(int64_t){0}), -1); /* not a number */
    CHECK(lookup(ALL, "blob", &r) == 1);
    CHECK(tfl__flex_as_blob(&r, &p, &n) == 1 && n == 3 && p[0] == 0 && p[1] == 1 && p[2] == 2);
    CHECK_EQ_INT(tfl__flex_as_str(&r, &s, &n), -1);
    /* Keys of the root map, in order. */
    CHECK(tfl__flex_root(ALL, &r) == 1 && tfl__flex_as_map(&r, &m) == 1);
    CHECK_EQ_INT(m.keys.count, 16);
    CHECK_EQ_INT(m.values.count, 16);
    const char *keys[] = {"b",  "big", "blob",  "f", "fx3", "i",  "if", "ii",
                          "iu", "m",   "mixed", "n", "s",   "tf", "tv", "u"};
    for (size_t k = 0; k < 16; ++k) {
        CHECK(tfl__flex_map_key(&m, k, &s) == 1 && strcmp(s, keys[k]) == 0);
    }
    CHECK_EQ_INT(tfl__flex_map_key(&m, 16, &s), 0);
    /* A typed vector of keys: the map's keys seen as a vector. */
    CHECK(tfl__flex_vec_at(&m.keys, 2, &e) == 1 && e.type == TFL__FLEX_KEY);
    CHECK(tfl__flex_as_str(&e, &s, &n) == 1 && n == 4 && strcmp(s, "blob") == 0);
    /* A map is also a vector of its values. */
    CHECK(tfl__flex_as_vec(&r, &v) == 1 && v.count == 16 && !v.typed);
}

static void test_vectors(void)
{
    tfl__flex_ref r, e;
    tfl__flex_vec v;
    tfl__flex_map m;
    int64_t i;
    double d;
    bool b;
    const char *s;
    /* Typed int vector of width 2. */
    CHECK(lookup(ALL, "tv", &r) == 1 && r.type == TFL__FLEX_VECTOR_INT);
    CHECK(tfl__flex_as_vec(&r, &v) == 1 && v.typed && v.count == 3 && v.byte_width == 2);
    CHECK(tfl__flex_vec_at(&v, 2, &e) == 1 && tfl__flex_as_i64(&e, &i) == 1 && i == 300);
    CHECK(tfl__flex_vec_at(&v, 0, &e) == 1 && tfl__flex_as_i64(&e, &i) == 1 && i == 1);
    CHECK_EQ_INT(tfl__flex_vec_at(&v, 3, &e), 0);
    CHECK_EQ_INT(e.type, TFL__FLEX_NULL);
    /* Typed float vector. */
    CHECK(lookup(ALL, "tf", &r) == 1 && tfl__flex_as_vec(&r, &v) == 1 && v.count == 2);
    CHECK(tfl__flex_vec_at(&v, 1, &e) == 1 && tfl__flex_as_f64(&e, &d) == 1 && d == -1.0);
    /* Fixed-length float vector (no size stored). */
    CHECK(lookup(ALL, "fx3", &r) == 1 && tfl__flex_as_vec(&r, &v) == 1 && v.count == 3);
    CHECK(tfl__flex_vec_at(&v, 2, &e) == 1 && tfl__flex_as_f64(&e, &d) == 1 && d == 3.0);
    /* Untyped vector of mixed values, including a nested map. */
    CHECK(lookup(ALL, "mixed", &r) == 1 && r.type == TFL__FLEX_VECTOR);
    CHECK(tfl__flex_as_vec(&r, &v) == 1 && !v.typed && v.count == 5);
    CHECK(tfl__flex_vec_at(&v, 0, &e) == 1 && tfl__flex_as_i64(&e, &i) == 1 && i == 1);
    CHECK(tfl__flex_vec_at(&v, 1, &e) == 1 && tfl__flex_as_str(&e, &s, NULL) == 1 &&
          strcmp(s, "a") == 0);
    CHECK(tfl__flex_vec_at(&v, 2, &e) == 1 && tfl__flex_as_f64(&e, &d) == 1 && d == 2.5);
    CHECK(tfl__flex_vec_at(&v, 3, &e) == 1 && tfl__flex_as_bool(&e, &b) == 1 && !b);
    CHECK(tfl__flex_vec_at(&v, 4, &e) == 1 && tfl__flex_as_map(&e, &m) == 1);
    CHECK(tfl__flex_map_get(&m, "x", &e) == 1 && tfl__flex_as_i64(&e, &i) == 1 && i == 42);
    /* Nested map through the root. */
    CHECK(lookup(ALL, "m", &r) == 1 && tfl__flex_as_map(&r, &m) == 1);
    CHECK(tfl__flex_map_get(&m, "y", &e) == 1 && tfl__flex_as_f64(&e, &d) == 1 && d == 3.25);
    /* Wrong kinds. */
    CHECK_EQ_INT(tfl__flex_as_vec(&e, &v), -1);
    CHECK_EQ_INT(tfl__flex_as_map(&e, &m), -1);
    CHECK(lookup(ALL, "tv", &r) == 1);
    CHECK_EQ_INT(tfl__flex_as_map(&r, &m), -1);
    CHECK_EQ_INT(tfl__flex_as_i64(&r, &i), -1);
}

static void test_ssd_options(void)
{
    const uint8_t *b = k_ssd_options;
    size_t n = sizeof k_ssd_options;
    tfl__flex_ref r;
    bool q = false;
    CHECK_EQ_INT(get_i64(b, n, "max_detections"), 10);
    CHECK_EQ_INT(get_i64(b, n, "max_classes_per_detection"), 1);
    CHECK_EQ_INT(get_i64(b, n, "num_classes"), 90);
    CHECK_NEAR(get_f64(b, n, "nms_iou_threshold"), 0.6f, 0);
    CHECK_NEAR(get_f64(b, n, "nms_score_threshold"), 1e-8f, 0);
    CHECK_NEAR(get_f64(b, n, "y_scale"), 10.0, 0);
    CHECK_NEAR(get_f64(b, n, "x_scale"), 10.0, 0);
    CHECK_NEAR(get_f64(b, n, "h_scale"), 5.0, 0);
    CHECK_NEAR(get_f64(b, n, "w_scale"), 5.0, 0);
    CHECK(lookup(b, n, "_output_quantized", &r) == 1 && tfl__flex_as_bool(&r, &q) == 1 && q);
    CHECK_EQ_INT(lookup(b, n, "detections_per_class", &r), 0);
    CHECK_EQ_INT(lookup(b, n, "use_regular_nms", &r), 0);
}

/* Builds a one-scalar buffer: value slot of width w, packed type, root width w. */
static size_t scalar_buf(uint8_t *buf, const void *value, unsigned w, uint8_t packed)
{
    memcpy(buf, value, w);
    buf[w] = packed;
    buf[w + 1] = (uint8_t)w;
    return w + 2;
}

static void test_conversions(void)
{
    uint8_t buf[16];
    tfl__flex_ref r;
    int64_t i;
    uint64_t u;
    double d;
    bool b;
    size_t n;

    double big = 1e30;
    n = scalar_buf(buf, &big, 8, TFL__FLEX_FLOAT << 2 | 3);
    CHECK(tfl__flex_root(buf, n, &r) == 1 && tfl__flex_as_f64(&r, &d) == 1 && d == 1e30);
    CHECK_EQ_INT(tfl__flex_as_i64(&r, &i), -1);
    CHECK_EQ_INT(tfl__flex_as_u64(&r, &u), -1);
    CHECK(tfl__flex_as_bool(&r, &b) == 1 && b);

    double nan = NAN;
    n = scalar_buf(buf, &nan, 8, TFL__FLEX_FLOAT << 2 | 3);
    CHECK(tfl__flex_root(buf, n, &r) == 1);
    CHECK_EQ_INT(tfl__flex_as_i64(&r, &i), -1);
    CHECK_EQ_INT(tfl__flex_as_bool(&r, &b), -1);

    float half = 0.5f; /* truncates to 0: false, as flexbuffers' AsBool */
    n = scalar_buf(buf, &half, 4, TFL__FLEX_FLOAT << 2 | 2);
    CHECK(tfl__flex_root(buf, n, &r) == 1 && tfl__flex_as_bool(&r, &b) == 1 && !b);
    CHECK(tfl__flex_as_i64(&r, &i) == 1 && i == 0);

    float neg = -2.75f;
    n = scalar_buf(buf, &neg, 4, TFL__FLEX_FLOAT << 2 | 2);
    CHECK(tfl__flex_root(buf, n, &r) == 1 && tfl__flex_as_i64(&r, &i) == 1 && i == -2);
    CHECK_EQ_INT(tfl__flex_as_u64(&r, &u), -1);

    uint64_t huge = UINT64_MAX;
    n = scalar_buf(buf, &huge, 8, TFL__FLEX_UINT << 2 | 3);
    CHECK(tfl__flex_root(buf, n, &r) == 1 && tfl__flex_as_u64(&r, &u) == 1 && u == UINT64_MAX);
    CHECK_EQ_INT(tfl__flex_as_i64(&r, &i), -1);

    int8_t m1 = -1; /* sign extension from one byte */
    n = scalar_buf(buf, &m1, 1, TFL__FLEX_INT << 2 | 0);
    CHECK(tfl__flex_root(buf, n, &r) == 1 && tfl__flex_as_i64(&r, &i) == 1 && i == -1);
    CHECK_EQ_INT(tfl__flex_as_u64(&r, &u), -1);
    CHECK(tfl__flex_as_f64(&r, &d) == 1 && d == -1.0);
    CHECK(tfl__flex_as_bool(&r, &b) == 1 && b);

    int16_t m300 = -300;
    n = scalar_buf(buf, &m300, 2, TFL__FLEX_INT << 2 | 1);
    CHECK(tfl__flex_root(buf, n, &r) == 1 && tfl__flex_as_i64(&r, &i) == 1 && i == -300);

    uint8_t zero = 0;
    n = scalar_buf(buf, &zero, 1, TFL__FLEX_BOOL << 2);
    CHECK(tfl__flex_root(buf, n, &r) == 1 && tfl__flex_as_bool(&r, &b) == 1 && !b);

    /* A one-byte float does not exist in flexbuffers. */
    n = scalar_buf(buf, &zero, 1, TFL__FLEX_FLOAT << 2);
    CHECK(tfl__flex_root(buf, n, &r) == 1);
    CHECK_EQ_INT(tfl__flex_as_f64(&r, &d), -1);
    CHECK_EQ_INT(tfl__flex_as_i64(&r, &i), -1);
}

static void test_bad_roots(void)
{
    tfl__flex_ref r;
    uint8_t b[16] = {0};
    CHECK_EQ_INT(tfl__flex_root(NULL, 0, &r), -1);
    CHECK_EQ_INT(tfl__flex_root(b, 0, &r), -1);
    CHECK_EQ_INT(tfl__flex_root(b, 2, &r), -1);
    b[2] = 3; /* width 3 */
    CHECK_EQ_INT(tfl__flex_root(b, 3, &r), -1);
    b[4] = 8; /* width 8 but only 5 bytes */
    CHECK_EQ_INT(tfl__flex_root(b, 5, &r), -1);
    b[1] = 27 << 2; /* unknown type */
    b[2] = 1;
    CHECK_EQ_INT(tfl__flex_root(b, 3, &r), -1);
    b[1] = 63 << 2;
    CHECK_EQ_INT(tfl__flex_root(b, 3, &r), -1);
    b[1] = TFL__FLEX_INT << 2; /* smallest valid buffer: an inline int */
    b[0] = 42;
    int64_t i;
    CHECK(tfl__flex_root(b, 3, &r) == 1 && tfl__flex_as_i64(&r, &i) == 1 && i == 42);
}

/* One malformation of k_small_map at a time (kept alive for *out). */
static int small_map_with(size_t at, uint8_t value, const char *key, tfl__flex_ref *out)
{
    static uint8_t b[sizeof k_small_map];
    memcpy(b, k_small_map, sizeof b);
    b[at] = value;
    return lookup(b, sizeof b, key, out);
}

static void test_bad_maps(void)
{
    tfl__flex_ref r;
    int64_t i;
    double d;
    CHECK(small_map_with(7, 5, "a", &r) == 1 && tfl__flex_as_i64(&r, &i) == 1 && i == 5);
    CHECK_EQ_INT(small_map_with(9, 0x10, "a", &r), -1);       /* root offset before the buffer */
    CHECK_EQ_INT(small_map_with(9, 0x07, "a", &r), -1);       /* map prefix starts before 0 */
    CHECK_EQ_INT(small_map_with(4, 0x09, "a", &r), -1);       /* keys offset before the buffer */
    CHECK_EQ_INT(small_map_with(5, 0x03, "a", &r), -1);       /* keys width 3 */
    CHECK_EQ_INT(small_map_with(5, 0x00, "a", &r), -1);       /* keys width 0 */
    CHECK_EQ_INT(small_map_with(6, 0xff, "a", &r), -1);       /* 255 values in 5 bytes */
    CHECK_EQ_INT(small_map_with(6, 0x03, "a", &r), -1);       /* 3 values: type bytes past end */
    CHECK_EQ_INT(small_map_with(2, 0xff, "a", &r), -1);       /* 255 keys */
    CHECK_EQ_INT(small_map_with(3, 0x04, "a", &r), -1);       /* key offset before the buffer */
    CHECK_EQ_INT(small_map_with(3, 0x01, "a", &r), -1);       /* key runs to the end, no NUL */
    CHECK_EQ_INT(small_map_with(3, 0x00, "a", &r), 0);        /* key is "" (its own NUL) */
    CHECK_EQ_INT(small_map_with(10, 0x04 << 2, "a", &r), -1); /* root: a key, not a map */
    /* A value with an unknown type byte. */
    CHECK_EQ_INT(small_map_with(8, 30 << 2, "a", &r), -1);
    /* A value claiming to be a string whose offset leaves the buffer. */
    CHECK(small_map_with(8, TFL__FLEX_STRING << 2, "a", &r) == 1);
    const char *s;
    CHECK_EQ_INT(tfl__flex_as_str(&r, &s, NULL), -1);
    /* An indirect float pointing at itself is 5 read as a 1-byte float. */
    CHECK(small_map_with(8, TFL__FLEX_INDIRECT_FLOAT << 2, "a", &r) == 1);
    CHECK_EQ_INT(tfl__flex_as_f64(&r, &d), -1);
    /* More keys than values: the extra key reads as absent, like flexbuffers. */
    {
        /* "a\0b\0", keys [2 -> "a", 3 -> "b"], map of 1 value. */
        const uint8_t b[] = {0x61, 0x00, 0x62, 0x00, 0x02, 0x05, 0x04, 0x02,
                             0x01, 0x01, 0x07, 0x04, 0x02, 0x24, 0x01};
        CHECK(lookup(b, sizeof b, "a", &r) == 1 && tfl__flex_as_i64(&r, &i) == 1 && i == 7);
        CHECK_EQ_INT(lookup(b, sizeof b, "b", &r), 0);
    }
}

static void test_bad_strings_and_vectors(void)
{
    tfl__flex_ref r;
    tfl__flex_vec v;
    const char *s;
    const uint8_t *p;
    size_t n;
    {
        /* String "ab" whose NUL terminator was replaced. */
        uint8_t b[] = {0x02, 0x61, 0x62, 0x63, 0x03, TFL__FLEX_STRING << 2, 0x01};
        CHECK_EQ_INT(tfl__flex_root(b, sizeof b, &r), 1);
        CHECK_EQ_INT(tfl__flex_as_str(&r, &s, &n), -1);
        b[3] = 0;
        CHECK(tfl__flex_as_str(&r, &s, &n) == 1 && n == 2 && strcmp(s, "ab") == 0);
        b[0] = 0x05; /* size (plus the NUL) runs past the end */
        CHECK_EQ_INT(tfl__flex_as_str(&r, &s, &n), -1);
        b[5] = TFL__FLEX_BLOB << 2;
        CHECK_EQ_INT(tfl__flex_root(b, sizeof b, &r), 1);
        b[0] = 0x07;
        CHECK_EQ_INT(tfl__flex_as_blob(&r, &p, &n), -1);
        b[0] = 0x06; /* blob to the very end of the buffer */
        CHECK(tfl__flex_as_blob(&r, &p, &n) == 1 && n == 6 && p == b + 1);
        b[4] = 0x09; /* offset past the start */
        CHECK_EQ_INT(tfl__flex_as_blob(&r, &p, &n), -1);
    }
    {
        /* Key at the very end with no NUL: root is its own offset 0. */
        const uint8_t b[] = {0x00, TFL__FLEX_KEY << 2, 0x01};
        CHECK(tfl__flex_root(b, sizeof b, &r) == 1 && tfl__flex_as_str(&r, &s, &n) == 1 && n == 0);
        const uint8_t c[] = {0x61, 0x01, TFL__FLEX_KEY << 2, 0x01};
        CHECK(tfl__flex_root(c, sizeof c, &r) == 1);
        CHECK_EQ_INT(tfl__flex_as_str(&r, &s, &n), -1);
    }
    {
        /* Vector of width 8 claiming 2^62 (then 2^64 - 1) elements. */
        uint8_t b[8 + 8 + 1 + 3] = {0};
        uint64_t count = (uint64_t)1 << 62;
        memcpy(b, &count, 8);
        b[16] = TFL__FLEX_INT << 2 | 3;
        b[17] = 17 - 8; /* root offset back to the elements */
        b[18] = TFL__FLEX_VECTOR << 2 | 3;
        b[19] = 1;
        CHECK_EQ_INT(tfl__flex_root(b, sizeof b, &r), 1);
        CHECK_EQ_INT(tfl__flex_as_vec(&r, &v), -1);
        count = UINT64_MAX;
        memcpy(b, &count, 8);
        CHECK_EQ_INT(tfl__flex_as_vec(&r, &v), -1);
        b[18] = TFL__FLEX_VECTOR_INT << 2 | 3;
        CHECK(tfl__flex_root(b, sizeof b, &r) == 1 && tfl__flex_as_vec(&r, &v) == -1);
        b[18] = TFL__FLEX_MAP << 2 | 3;
        tfl__flex_map m;
        CHECK(tfl__flex_root(b, sizeof b, &r) == 1 && tfl__flex_as_map(&r, &m) == -1);
        count = 1;
        memcpy(b, &count, 8);
        b[18] = TFL__FLEX_VECTOR << 2 | 3;
        CHECK(tfl__flex_root(b, sizeof b, &r) == 1 && tfl__flex_as_vec(&r, &v) == 1 &&
              v.count == 1);
        b[18] = TFL__FLEX_VECTOR_FLOAT4 << 2 | 3; /* 4 x 8 bytes do not fit */
        CHECK(tfl__flex_root(b, sizeof b, &r) == 1 && tfl__flex_as_vec(&r, &v) == -1);
        b[18] = TFL__FLEX_VECTOR_FLOAT2 << 2 | 2; /* 2 x 4 bytes do */
        CHECK(tfl__flex_root(b, sizeof b, &r) == 1 && tfl__flex_as_vec(&r, &v) == 1 &&
              v.count == 2 && v.elem_type == TFL__FLEX_FLOAT);
        b[18] = TFL__FLEX_VECTOR << 2 | 2; /* size slot of width 4: the count's high half */
        CHECK(tfl__flex_root(b, sizeof b, &r) == 1 && tfl__flex_as_vec(&r, &v) == 1 &&
              v.count == 0);
    }
}

/* Depth-first walk of every value below r (depth-limited: offsets may form
 * cycles); returns how many values it reached. Results are discarded: the
 * point is that nothing reads outside the buffer. */
static size_t walk(const tfl__flex_ref *r, int depth)
{
    size_t count = 1;
    int64_t i;
    uint64_t u;
    double d;
    bool b;
    const char *s;
    size_t n;
    const uint8_t *p;
    (void)tfl__flex_as_i64(r, &i);
    (void)tfl__flex_as_u64(r, &u);
    (void)tfl__flex_as_f64(r, &d);
    (void)tfl__flex_as_bool(r, &b);
    if (tfl__flex_as_str(r, &s, &n) == 1)
        CHECK(strlen(s) <= n);
    (void)tfl__flex_as_blob(r, &p, &n);
    if (depth >= 6)
        return count;
    tfl__flex_map m;
    if (tfl__flex_as_map(r, &m) == 1) {
        for (size_t k = 0; k < m.keys.count; ++k) {
            tfl__flex_ref e;
            if (tfl__flex_map_key(&m, k, &s) == 1 && tfl__flex_map_get(&m, s, &e) == 1)
                count += walk(&e, depth + 1);
        }
        return count;
    }
    tfl__flex_vec v;
    if (tfl__flex_as_vec(r, &v) == 1) {
        for (size_t k = 0; k < v.count && k < 64; ++k) {
            tfl__flex_ref e;
            if (tfl__flex_vec_at(&v, k, &e) == 1)
                count += walk(&e, depth + 1);
        }
    }
    return count;
}

static size_t walk_buf(const uint8_t *buf, size_t len)
{
    tfl__flex_ref r;
    if (tfl__flex_root(buf, len, &r) != 1)
        return 0;
    return walk(&r, 0);
}

/* Every prefix, and every byte xor-ed with several masks, in an exactly
 * sized heap copy so that ASan sees any overrun. */
static void sweep(const uint8_t *src, size_t len)
{
    for (size_t cut = 0; cut <= len; ++cut) {
        uint8_t *b = malloc(cut ? cut : 1);
        memcpy(b, src + (len - cut), cut); /* a suffix keeps the root where it was */
        walk_buf(b, cut);
        memcpy(b, src, cut); /* a prefix loses the root */
        walk_buf(b, cut);
        free(b);
    }
    static const uint8_t masks[] = {0x01, 0x02, 0x04, 0x10, 0x80, 0xff, 0x7f, 0x40};
    uint8_t *b = malloc(len);
    for (size_t at = 0; at < len; ++at) {
        for (size_t k = 0; k < sizeof masks; ++k) {
            memcpy(b, src, len);
            b[at] ^= masks[k];
            walk_buf(b, len);
        }
    }
    free(b);
}

static void test_sweeps(void)
{
    CHECK_EQ_INT(walk_buf(ALL), 1 + 16 + 3 + 2 + 3 + 5 + 1 + 2);
    CHECK_EQ_INT(walk_buf(k_ssd_options, sizeof k_ssd_options), 11);
    sweep(k_all_types, sizeof k_all_types);
    sweep(k_ssd_options, sizeof k_ssd_options);
    sweep(k_small_map, sizeof k_small_map);
}

/* A chain of `depth` one-element vectors around the int 7, all of width 1
 * (the layout flexbuffers' builder writes for nested vectors). */
static uint8_t *nested_vectors(size_t depth, size_t *len)
{
    *len = 3 * depth + 3;
    uint8_t *b = malloc(*len);
    b[0] = 1; /* innermost: count 1, the int 7, its type */
    b[1] = 7;
    b[2] = TFL__FLEX_INT << 2;
    for (size_t k = 1; k < depth; ++k) {
        b[3 * k] = 1;
        b[3 * k + 1] = 3; /* back to the previous vector's element */
        b[3 * k + 2] = TFL__FLEX_VECTOR << 2;
    }
    b[*len - 3] = 2; /* root: back to the outermost element */
    b[*len - 2] = TFL__FLEX_VECTOR << 2;
    b[*len - 1] = 1;
    return b;
}

static void test_deep_nesting(void)
{
    size_t len, levels = 0;
    uint8_t *b = nested_vectors(100000, &len);
    tfl__flex_ref r;
    tfl__flex_vec v;
    int64_t i = 0;
    CHECK(tfl__flex_root(b, len, &r) == 1);
    while (r.type == TFL__FLEX_VECTOR && tfl__flex_as_vec(&r, &v) == 1 &&
           tfl__flex_vec_at(&v, 0, &r) == 1)
        ++levels;
    CHECK_EQ_INT(levels, 100000);
    CHECK(tfl__flex_as_i64(&r, &i) == 1 && i == 7);
    CHECK(walk_buf(b, len) == 7);
    free(b);

    /* The 40-deep chain the Python builder writes has the same bytes. */
    b = nested_vectors(40, &len);
    CHECK_EQ_INT(len, 123);
    CHECK(b[len - 3] == 0x02 && b[len - 2] == 0x28 && b[4] == 0x03 && b[5] == 0x28);
    free(b);

    /* A vector whose element points at itself: each step stays bounded. */
    const uint8_t self[] = {0x01, 0x00, TFL__FLEX_VECTOR << 2, 0x02, TFL__FLEX_VECTOR << 2, 0x01};
    CHECK(tfl__flex_root(self, sizeof self, &r) == 1);
    for (int k = 0; k < 1000; ++k) {
        if (tfl__flex_as_vec(&r, &v) != 1 || tfl__flex_vec_at(&v, 0, &r) != 1) {
            CHECK(0);
            break;
        }
    }
    CHECK_EQ_INT(r.pos, 1);
    CHECK(walk_buf(self, sizeof self) == 7);
}

TFL_TEST_MAIN(TEST(test_scalars), TEST(test_null_and_missing), TEST(test_strings_and_blobs),
              TEST(test_vectors), TEST(test_ssd_options), TEST(test_conversions),
              TEST(test_bad_roots), TEST(test_bad_maps), TEST(test_bad_strings_and_vectors),
              TEST(test_sweeps), TEST(test_deep_nesting))
