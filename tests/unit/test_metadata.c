/* TFLite Metadata and packed associated files: real models from
 * ../shared/models (expected values read with tflite-support's generated
 * Python schema reader and Python's zipfile), built metadata covering every
 * field, and hostile metadata and archives (truncation and byte-flip sweeps,
 * absurd counts, shared-table blow-up, ZIP entries pointing outside, EOCD
 * garbage, ZIP64, deflate, CRC). Exit 77 when the real models are absent and
 * everything else passed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "tfl.h"
#include "unit/model_builder.h"

#ifndef TFL_TEST_VISION
#define TFL_TEST_VISION 0
#endif

static int g_missing_models;

/* ---- Real models --------------------------------------------------------- */

static tfl_model *load_shared(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/models/%s", TFL_SHARED_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "skip: %s not found\n", path);
        g_missing_models = 1;
        return NULL;
    }
    fclose(f);
    tfl_error err;
    tfl_model *m = tfl_model_load_file(path, &err);
    if (!m)
        fprintf(stderr, "%s\n", err.message);
    CHECK(m != NULL);
    return m;
}

static int streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void test_mobilenet_v1_quant(void)
{
    tfl_model *m = load_shared("mobilenet_v1_0.25_224_quant_metadata.tflite");
    if (!m)
        return;
    tfl_error err;
    tfl_metadata *md = tfl_metadata_read(m, &err);
    CHECK(md != NULL);
    if (!md) {
        fprintf(stderr, "%s\n", err.message);
        tfl_model_free(m);
        return;
    }
    CHECK_EQ_INT(tfl_metadata_has_entry(md), 1);
    CHECK(streq(tfl_metadata_name(md), "MobileNetV1 image classifier (quantized)"));
    CHECK_CONTAINS(tfl_metadata_description(md), "from a set of 1,001 categories");
    CHECK(streq(tfl_metadata_version(md), "v1"));
    CHECK(streq(tfl_metadata_author(md), "TensorFlow"));
    CHECK(streq(tfl_metadata_license(md),
                "Apache License. Version 2.0 http://www.apache.org/licenses/LICENSE-2.0."));
    CHECK(streq(tfl_metadata_min_parser_version(md), ""));
    CHECK_EQ_INT(tfl_metadata_num_subgraphs(md), 1);
    CHECK_EQ_INT(tfl_metadata_num_inputs(md), 1);
    CHECK_EQ_INT(tfl_metadata_num_outputs(md), 1);
    const tfl_tensor_metadata *in = tfl_metadata_input(md, 0);
    CHECK(in && streq(in->name, "image"));
    if (in) {
        CHECK_CONTAINS(in->description, "The expected image is 224 x 224");
        CHECK_EQ_INT(in->content, TFL_CONTENT_IMAGE);
        CHECK_EQ_INT(in->color_space, TFL_COLOR_RGB);
        CHECK_EQ_INT(in->image_width, 0); /* no default_size in this model */
        CHECK_EQ_INT(in->num_mean, 1);
        CHECK_EQ_INT(in->num_std, 1);
        if (in->num_mean == 1 && in->num_std == 1) {
            CHECK_NEAR(in->mean[0], 127.5, 0);
            CHECK_NEAR(in->std[0], 127.5, 0);
        }
        CHECK_EQ_INT(in->num_process_units, 1);
        CHECK_EQ_INT(in->num_stats_max, 1);
        CHECK_EQ_INT(in->num_stats_min, 1);
        if (in->num_stats_max == 1 && in->num_stats_min == 1) {
            CHECK_NEAR(in->stats_max[0], 255.0, 0);
            CHECK_NEAR(in->stats_min[0], 0.0, 0);
        }
        CHECK_EQ_INT(in->num_files, 0);
    }
    const tfl_tensor_metadata *out = tfl_metadata_output(md, 0);
    CHECK(out && streq(out->name, "probability"));
    if (out) {
        CHECK_EQ_INT(out->content, TFL_CONTENT_FEATURE);
        CHECK_EQ_INT(out->num_files, 1);
        if (out->num_files == 1) {
            CHECK(streq(out->files[0].name, "labels.txt"));
            CHECK(streq(out->files[0].description,
                        "Labels for objects that the model can recognize."));
            CHECK_EQ_INT(out->files[0].type, TFL_FILE_TENSOR_AXIS_LABELS);
            CHECK(streq(out->files[0].locale, ""));
        }
    }
    CHECK(tfl_metadata_input(md, 1) == NULL);
    CHECK(tfl_metadata_output(md, -1) == NULL);
    /* Packed files: zipfile lists one stored entry, labels.txt, 10484 bytes. */
    CHECK_EQ_INT(tfl_metadata_num_files(md), 1);
    const char *name;
    const void *data;
    size_t size;
    CHECK_EQ_INT(tfl_metadata_file(md, 0, &name, &data, &size), TFL_OK);
    CHECK(streq(name, "labels.txt"));
    CHECK_EQ_INT(size, 10484);
    CHECK(data && memcmp(data, "background\ntench\ngoldfish\n", 26) == 0);
    CHECK(tfl_metadata_find_file(md, "labels.txt", &size) == data);
    CHECK(tfl_metadata_find_file(md, "nope.txt", &size) == NULL && size == 0);
    CHECK_EQ_INT(tfl_metadata_file(md, 1, &name, &data, &size), TFL_ERROR_INVALID_ARGUMENT);
    CHECK_EQ_INT(tfl_metadata_label_file(md, 0, NULL, &name, &data, &size, &err), TFL_OK);
    CHECK(streq(name, "labels.txt") && data && size == 10484);
#if TFL_TEST_VISION
    tfl_labels *l = tfl_labels_from_metadata(md, 0, NULL, &err);
    CHECK(l != NULL);
    CHECK_EQ_INT(tfl_labels_count(l), 1001);
    CHECK(streq(tfl_labels_get(l, 0), "background"));
    CHECK(streq(tfl_labels_get(l, 1), "tench"));
    CHECK(streq(tfl_labels_get(l, 1000), "toilet tissue"));
    CHECK(streq(tfl_labels_get(l, 1001), "class 1001"));
    char warn[160];
    CHECK_EQ_INT(tfl_labels_check_count(l, 1001, warn, sizeof warn), 0);
    tfl_labels_free(l);
#endif
    tfl_metadata_free(md);
    tfl_model_free(m);
}

static void test_ssd(void)
{
    tfl_model *m = load_shared("ssd_mobilenet_v1_coco_quant_metadata.tflite");
    if (!m)
        return;
    tfl_error err;
    tfl_metadata *md = tfl_metadata_read(m, &err);
    CHECK(md != NULL);
    if (!md) {
        tfl_model_free(m);
        return;
    }
    CHECK(streq(tfl_metadata_name(md), "Coco SSD MobileNetV1"));
    CHECK(streq(tfl_metadata_min_parser_version(md), "1.0.0"));
    CHECK_EQ_INT(tfl_metadata_num_outputs(md), 4);
    static const char *names[4] = {"locations", "classes", "scores", "number of detections"};
    for (int i = 0; i < 4 && i < tfl_metadata_num_outputs(md); ++i)
        CHECK(streq(tfl_metadata_output(md, i)->name, names[i]));
    const tfl_tensor_metadata *loc = tfl_metadata_output(md, 0);
    if (loc) {
        CHECK_EQ_INT(loc->content, TFL_CONTENT_BOUNDING_BOX);
        CHECK_EQ_INT(loc->box_type, TFL_BOX_BOUNDARIES);
        CHECK_EQ_INT(loc->box_coordinate_type, TFL_COORD_RATIO);
        CHECK_EQ_INT(loc->num_box_index, 4);
        if (loc->num_box_index == 4) {
            CHECK_EQ_INT(loc->box_index[0], 1);
            CHECK_EQ_INT(loc->box_index[1], 0);
            CHECK_EQ_INT(loc->box_index[2], 3);
            CHECK_EQ_INT(loc->box_index[3], 2);
        }
        CHECK_EQ_INT(loc->has_range, 1);
        CHECK_EQ_INT(loc->range_min, 2);
        CHECK_EQ_INT(loc->range_max, 2);
    }
    const tfl_tensor_metadata *cls = tfl_metadata_output(md, 1);
    if (cls) {
        CHECK_EQ_INT(cls->num_files, 1);
        if (cls->num_files)
            CHECK_EQ_INT(cls->files[0].type, TFL_FILE_TENSOR_VALUE_LABELS);
    }
    const char *name;
    const void *data;
    size_t size;
    /* classes carry TENSOR_VALUE_LABELS; the boxes output has no label file */
    CHECK_EQ_INT(tfl_metadata_label_file(md, 1, "en", &name, &data, &size, &err), TFL_OK);
    CHECK(streq(name, "labelmap.txt") && size == 661);
    CHECK_EQ_INT(tfl_metadata_label_file(md, 0, NULL, &name, &data, &size, &err), TFL_OK);
    CHECK(data == NULL && name == NULL);
    CHECK_CONTAINS(err.message, "output 0 has no label file");
    CHECK_EQ_INT(tfl_metadata_label_file(md, -1, NULL, &name, &data, &size, &err),
                 TFL_ERROR_INVALID_ARGUMENT);
#if TFL_TEST_VISION
    tfl_labels *l = tfl_labels_from_metadata(md, 1, NULL, &err);
    CHECK_EQ_INT(tfl_labels_count(l), 90);
    CHECK(streq(tfl_labels_get(l, 0), "person"));
    CHECK(streq(tfl_labels_get(l, 89), "toothbrush"));
    tfl_labels_free(l);
    CHECK(tfl_labels_from_metadata(md, 2, NULL, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_OK);
#endif
    tfl_metadata_free(md);
    tfl_model_free(m);
}

static void test_other_models(void)
{
    tfl_error err;
    const char *name;
    const void *data;
    size_t size;
    tfl_model *m = load_shared("deeplabv3_metadata.tflite");
    tfl_metadata *md = m ? tfl_metadata_read(m, &err) : NULL;
    if (m) {
        CHECK(md != NULL);
        const tfl_tensor_metadata *o = tfl_metadata_output(md, 0);
        CHECK(o && streq(o->name, "segmentation masks"));
        if (o) {
            CHECK_EQ_INT(o->content, TFL_CONTENT_IMAGE);
            CHECK_EQ_INT(o->color_space, TFL_COLOR_GRAYSCALE);
            CHECK_EQ_INT(o->range_min, 1);
            CHECK_EQ_INT(o->range_max, 2);
        }
        const tfl_tensor_metadata *in = tfl_metadata_input(md, 0);
        CHECK(in && in->num_stats_min == 1 && in->stats_min[0] == -1.0f);
        CHECK_EQ_INT(tfl_metadata_label_file(md, 0, NULL, &name, &data, &size, &err), TFL_OK);
        CHECK(streq(name, "labelmap.txt") && size == 141);
    }
    tfl_metadata_free(md);
    tfl_model_free(m);

    m = load_shared("yamnet_classifier_metadata.tflite");
    md = m ? tfl_metadata_read(m, &err) : NULL;
    if (m) {
        CHECK(md != NULL);
        CHECK(streq(tfl_metadata_name(md), "yamnet/classification"));
        CHECK(streq(tfl_metadata_min_parser_version(md), "1.3.0"));
        const tfl_tensor_metadata *in = tfl_metadata_input(md, 0);
        CHECK(in && streq(in->name, "audio_clip"));
        if (in) {
            CHECK_EQ_INT(in->content, TFL_CONTENT_AUDIO);
            CHECK_EQ_INT(in->sample_rate, 16000);
            CHECK_EQ_INT(in->channels, 1);
            CHECK_EQ_INT(in->num_stats_max, 0); /* stats table present, vectors absent */
        }
        CHECK_EQ_INT(tfl_metadata_label_file(md, 0, NULL, &name, &data, &size, &err), TFL_OK);
        CHECK(streq(name, "yamnet_label_list.txt") && size == 6230);
#if TFL_TEST_VISION
        tfl_labels *l = tfl_labels_from_metadata(md, 0, NULL, &err);
        CHECK_EQ_INT(tfl_labels_count(l), 521);
        CHECK(streq(tfl_labels_get(l, 0), "Speech"));
        CHECK(streq(tfl_labels_get(l, 520), "Field recording"));
        tfl_labels_free(l);
#endif
    }
    tfl_metadata_free(md);
    tfl_model_free(m);

    m = load_shared("nl_classifier_builtin_ops_metadata.tflite");
    md = m ? tfl_metadata_read(m, &err) : NULL;
    if (m) {
        CHECK(md != NULL);
        CHECK(streq(tfl_metadata_min_parser_version(md), "1.2.1"));
        const tfl_tensor_metadata *in = tfl_metadata_input(md, 0);
        CHECK(in && in->num_process_units == 1);
        if (in && in->num_process_units == 1) {
            const tfl_process_unit *pu = &in->process_units[0];
            CHECK_EQ_INT(pu->kind, TFL_PROCESS_REGEX_TOKENIZER);
            CHECK(streq(pu->delim_regex_pattern, "[^\\w\\']+"));
            CHECK_EQ_INT(pu->num_vocab_files, 1);
            if (pu->num_vocab_files == 1) {
                CHECK(streq(pu->vocab_files[0].name, "vocab.txt"));
                CHECK_EQ_INT(pu->vocab_files[0].type, TFL_FILE_VOCABULARY);
            }
            CHECK_EQ_INT(in->num_mean, 0);
        }
        CHECK_EQ_INT(tfl_metadata_num_files(md), 2);
        CHECK_EQ_INT(tfl_metadata_file(md, 1, &name, &data, &size), TFL_OK);
        CHECK(streq(name, "vocab.txt") && size == 130899);
        CHECK(tfl_metadata_find_file(md, "labels.txt", &size) != NULL && size == 17);
#if TFL_TEST_VISION
        tfl_labels *l = tfl_labels_from_metadata(md, 0, NULL, &err);
        CHECK_EQ_INT(tfl_labels_count(l), 2);
        CHECK(streq(tfl_labels_get(l, 1), "Positive"));
        tfl_labels_free(l);
#endif
    }
    tfl_metadata_free(md);
    tfl_model_free(m);

    m = load_shared("mobilenet_v1_0.25_224_float_metadata.tflite");
    md = m ? tfl_metadata_read(m, &err) : NULL;
    if (m) {
        const tfl_tensor_metadata *in = tfl_metadata_input(md, 0);
        CHECK(in && in->num_mean == 1 && in->mean[0] == 127.5f && in->std[0] == 127.5f);
        CHECK(in && in->num_stats_max == 1 && in->stats_max[0] == 1.0f);
        CHECK(streq(tfl_metadata_name(md), "MobileNetV1 image classifier"));
    }
    tfl_metadata_free(md);
    tfl_model_free(m);

    m = load_shared("automl_labeler.tflite");
    md = m ? tfl_metadata_read(m, &err) : NULL;
    if (m) {
        const tfl_tensor_metadata *in = tfl_metadata_input(md, 0);
        CHECK(in && in->num_mean == 1 && in->mean[0] == 0.0f && in->std[0] == 1.0f);
        CHECK_EQ_INT(tfl_metadata_label_file(md, 0, NULL, &name, &data, &size, &err), TFL_OK);
        CHECK(size == 40 && data && memcmp(data, "daisy\ndandelion\n", 16) == 0);
#if TFL_TEST_VISION
        tfl_labels *l = tfl_labels_from_metadata(md, 0, NULL, &err);
        CHECK_EQ_INT(tfl_labels_count(l), 5);
        CHECK(streq(tfl_labels_get(l, 4), "tulips"));
        char warn[160];
        CHECK_EQ_INT(tfl_labels_check_count(l, 6, warn, sizeof warn), 1);
        CHECK_CONTAINS(warn, "5 labels vs 6 scores (the model may have a background class");
        tfl_labels_free(l);
#endif
    }
    tfl_metadata_free(md);
    tfl_model_free(m);

    /* Metadata without subgraph metadata: the sole packed label file is used. */
    m = load_shared("mobilenet_v1_0.25_224_quant_no_subgraph_metadata.tflite");
    md = m ? tfl_metadata_read(m, &err) : NULL;
    if (m) {
        CHECK(md != NULL);
        CHECK_EQ_INT(tfl_metadata_num_subgraphs(md), 0);
        CHECK_EQ_INT(tfl_metadata_num_outputs(md), 0);
        CHECK(streq(tfl_metadata_min_parser_version(md), "1.0.0"));
        CHECK_EQ_INT(tfl_metadata_label_file(md, 0, NULL, &name, &data, &size, &err), TFL_OK);
        CHECK(streq(name, "labels.txt") && size == 10484);
    }
    tfl_metadata_free(md);
    tfl_model_free(m);

    /* No metadata and no packed files. */
    m = load_shared("mobilenet_v2_1.0_224_quant_metadata.tflite");
    if (m) {
        err.status = TFL_ERROR_RUNTIME;
        CHECK(tfl_metadata_read(m, &err) == NULL);
        CHECK_EQ_INT(err.status, TFL_OK);
        CHECK(streq(err.message, "model has no metadata"));
    }
    tfl_model_free(m);

    /* An empty archive (EOCD only) after the model. */
    m = load_shared("dilated_conv.tflite");
    md = m ? tfl_metadata_read(m, &err) : NULL;
    if (m) {
        CHECK(md != NULL);
        CHECK_EQ_INT(tfl_metadata_num_files(md), 0);
        CHECK_EQ_INT(tfl_metadata_num_outputs(md), 1);
        const tfl_tensor_metadata *o = tfl_metadata_output(md, 0);
        CHECK(o && streq(o->name, "") && o->content == TFL_CONTENT_NONE);
        CHECK_EQ_INT(tfl_metadata_label_file(md, 0, NULL, &name, &data, &size, &err), TFL_OK);
        CHECK(data == NULL);
    }
    tfl_metadata_free(md);
    tfl_model_free(m);
}

/* ---- Built files: [model flatbuffer | metadata | zip] ------------------ */

static fbb MB, DB;
static uint8_t FILEBUF[1 << 18];

/* Writes the model flatbuffer whose buffer 1 (the TFLITE_METADATA entry, when
 * with_entry) lies outside it at md_at, md_len bytes. Returns its length. */
static size_t put_model(int with_entry, size_t md_at, size_t md_len)
{
    fbb *b = &MB;
    memset(b, 0, sizeof *b);
    size_t root = fbb_u32(b, 0);
    memcpy(b->buf + 4, "TFL3", 4);
    b->len = 8;
    size_t mref[7] = {0};
    fbb_field mf[7] = {{F_U32, 3},
                       {F_NONE, 0},
                       {F_REF, 0},
                       {F_NONE, 0},
                       {F_REF, 0},
                       {F_NONE, 0},
                       {with_entry ? F_REF : F_NONE, 0}};
    fbb_patch(b, root, fbb_table(b, 7, mf, mref));
    size_t sg;
    fbb_patch(b, mref[2], fbb_vec_refs(b, 1, &sg));
    fbb_patch(b, sg, fbb_table(b, 0, NULL, NULL));
    size_t bs[2];
    fbb_patch(b, mref[4], fbb_vec_refs(b, 2, bs));
    fbb_patch(b, bs[0], fbb_table(b, 0, NULL, NULL));
    fbb_field bf[3] = {{F_NONE, 0}, {F_U64, md_at}, {F_U64, md_len}};
    fbb_patch(b, bs[1], fbb_table(b, 3, bf, NULL));
    if (with_entry) {
        size_t es, eref[2] = {0};
        fbb_patch(b, mref[6], fbb_vec_refs(b, 1, &es));
        fbb_field ef[2] = {{F_REF, 0}, {F_U32, 1}};
        fbb_patch(b, es, fbb_table(b, 2, ef, eref));
        fbb_patch(b, eref[0], fbb_string(b, "TFLITE_METADATA"));
    }
    return b->len;
}

/* Lays out model + metadata; returns where the zip (if any) starts. */
static size_t layout(int with_entry, const uint8_t *md, size_t md_len)
{
    size_t n = put_model(with_entry, 0, 0);
    size_t md_at = (n + 64 + 15) & ~(size_t)15; /* room: put_model's size is fixed */
    n = put_model(with_entry, md_at, md_len);
    CHECK(n <= md_at);
    memset(FILEBUF, 0, md_at);
    memcpy(FILEBUF, MB.buf, n);
    if (md_len)
        memcpy(FILEBUF + md_at, md, md_len);
    return md_at + md_len;
}

/* Bitwise CRC-32, independent of the library's table version. */
static uint32_t test_crc32(const void *data, size_t n)
{
    const uint8_t *p = data;
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

typedef struct zentry {
    const char *name;
    const char *data;
    int method;             /* 0 stored, 8 deflate (data then is junk: never read) */
    uint32_t crc_xor;       /* corrupts the CRC */
    const char *local_name; /* name in the local header when it should differ */
    uint16_t flags;
    uint32_t lh_offset_add; /* moves the central directory's local header offset */
    uint32_t csize_add;     /* grows the recorded compressed size */
} zentry;

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

typedef struct zlayout {
    size_t eocd; /* where the EOCD record was written */
    size_t cd;   /* where the central directory starts */
} zlayout;

/* Writes a ZIP archive at FILEBUF + at; offsets count from the file start, or
 * from `at` when relative. Returns the file's total length. */
static size_t put_zip(size_t at, int relative, const zentry *e, int n, const char *comment,
                      zlayout *zl)
{
    size_t p = at, lh[16];
    size_t base = relative ? at : 0;
    for (int i = 0; i < n; ++i) {
        const char *lname = e[i].local_name ? e[i].local_name : e[i].name;
        size_t nl = strlen(lname), dl = strlen(e[i].data);
        lh[i] = p;
        uint8_t *h = FILEBUF + p;
        memset(h, 0, 30);
        put32(h, 0x04034b50);
        put16(h + 4, 20);
        put16(h + 6, e[i].flags);
        put16(h + 8, (uint16_t)e[i].method);
        put32(h + 14, test_crc32(e[i].data, dl) ^ e[i].crc_xor);
        put32(h + 18, (uint32_t)dl);
        put32(h + 22, (uint32_t)dl);
        put16(h + 26, (uint16_t)nl);
        memcpy(h + 30, lname, nl);
        memcpy(h + 30 + nl, e[i].data, dl);
        p += 30 + nl + dl;
    }
    size_t cd = p;
    for (int i = 0; i < n; ++i) {
        size_t nl = strlen(e[i].name), dl = strlen(e[i].data);
        uint8_t *h = FILEBUF + p;
        memset(h, 0, 46);
        put32(h, 0x02014b50);
        put16(h + 4, 20);
        put16(h + 6, 20);
        put16(h + 8, e[i].flags);
        put16(h + 10, (uint16_t)e[i].method);
        put32(h + 16, test_crc32(e[i].data, dl) ^ e[i].crc_xor);
        put32(h + 20, (uint32_t)dl + e[i].csize_add);
        put32(h + 24, (uint32_t)dl + e[i].csize_add);
        put16(h + 28, (uint16_t)nl);
        put32(h + 42, (uint32_t)(lh[i] - base) + e[i].lh_offset_add);
        memcpy(h + 46, e[i].name, nl);
        p += 46 + nl;
    }
    uint8_t *z = FILEBUF + p;
    memset(z, 0, 22);
    put32(z, 0x06054b50);
    put16(z + 8, (uint16_t)n);
    put16(z + 10, (uint16_t)n);
    put32(z + 12, (uint32_t)(p - cd));
    put32(z + 16, (uint32_t)(cd - base));
    size_t cl = comment ? strlen(comment) : 0;
    put16(z + 20, (uint16_t)cl);
    if (cl)
        memcpy(z + 22, comment, cl);
    if (zl) {
        zl->eocd = p;
        zl->cd = cd;
    }
    return p + 22 + cl;
}

/* ---- A metadata flatbuffer using every field tfl reads ---------------- */

typedef struct fspec {
    const char *name;
    int type;
    const char *locale;
} fspec;

static fspec g_prob_files[8];
static int g_num_prob_files;
static size_t g_outputs_vec_pos; /* count field of output_tensor_metadata */
static size_t g_mean_vec_pos;    /* count field of the image's normalization mean */

static size_t w_file(fbb *b, const fspec *f)
{
    size_t ref[5] = {0};
    fbb_field ff[5] = {{F_REF, 0},
                       {F_REF, 0},
                       {F_U8, (uint8_t)f->type},
                       {f->locale ? F_REF : F_NONE, 0},
                       {F_REF, 0}};
    size_t t = fbb_table(b, 5, ff, ref);
    fbb_patch(b, ref[0], fbb_string(b, f->name));
    fbb_patch(b, ref[1], fbb_string(b, "a file"));
    if (f->locale)
        fbb_patch(b, ref[3], fbb_string(b, f->locale));
    fbb_patch(b, ref[4], fbb_string(b, "3"));
    return t;
}

static size_t w_files(fbb *b, int n, const fspec *f)
{
    size_t slots[16];
    size_t v = fbb_vec_refs(b, n, slots);
    for (int i = 0; i < n; ++i)
        fbb_patch(b, slots[i], w_file(b, &f[i]));
    return v;
}

static size_t w_floats(fbb *b, int n, const float *f)
{
    int32_t bits[16];
    memcpy(bits, f, 4 * (size_t)n);
    return fbb_vec_i32(b, n, bits);
}

/* A table whose fields 0 and 1 are name and description strings; the other
 * fields < nfields are references the caller patches. */
static size_t w_str_table(fbb *b, const char *name, int nfields, size_t *ref)
{
    fbb_field f[8] = {{F_REF, 0}, {F_REF, 0}};
    for (int i = 2; i < nfields; ++i)
        f[i].kind = F_REF;
    size_t t = fbb_table(b, nfields, f, ref);
    fbb_patch(b, ref[0], fbb_string(b, name));
    fbb_patch(b, ref[1], fbb_string(b, "about it"));
    return t;
}

/* ProcessUnit {options_type = kind, options = table written by the caller}. */
static size_t w_unit(fbb *b, int kind, size_t *options_ref)
{
    fbb_field uf[2] = {{F_U8, (uint8_t)kind}, {F_REF, 0}};
    size_t uref[2] = {0};
    size_t t = fbb_table(b, 2, uf, uref);
    *options_ref = uref[1];
    return t;
}

static size_t w_image_input(fbb *b)
{
    size_t ref[7] = {0};
    fbb_field tf[7] = {{F_REF, 0}, {F_REF, 0}, {F_NONE, 0}, {F_REF, 0},
                       {F_REF, 0}, {F_REF, 0}, {F_NONE, 0}};
    size_t t = fbb_table(b, 7, tf, ref);
    fbb_patch(b, ref[0], fbb_string(b, "image"));
    fbb_patch(b, ref[1], fbb_string(b, "an image"));
    /* content: ImageProperties {RGB, ImageSize {224, 160}} */
    size_t cref[3] = {0}, pref[2] = {0};
    fbb_field cf[3] = {{F_U8, TFL_CONTENT_IMAGE}, {F_REF, 0}, {F_NONE, 0}};
    fbb_patch(b, ref[3], fbb_table(b, 3, cf, cref));
    fbb_field pf[2] = {{F_U8, TFL_COLOR_RGB}, {F_REF, 0}};
    fbb_patch(b, cref[1], fbb_table(b, 2, pf, pref));
    fbb_field sf[2] = {{F_U32, 224}, {F_U32, 160}};
    fbb_patch(b, pref[1], fbb_table(b, 2, sf, NULL));
    /* process units: score thresholding (not normalization), then normalization */
    size_t pu[2], opt, nref[2] = {0};
    fbb_patch(b, ref[4], fbb_vec_refs(b, 2, pu));
    fbb_patch(b, pu[0], w_unit(b, TFL_PROCESS_SCORE_THRESHOLDING, &opt));
    float thr = 0.5f;
    uint32_t thr_bits;
    memcpy(&thr_bits, &thr, 4);
    fbb_field thf[1] = {{F_U32, thr_bits}};
    fbb_patch(b, opt, fbb_table(b, 1, thf, NULL));
    fbb_patch(b, pu[1], w_unit(b, TFL_PROCESS_NORMALIZATION, &opt));
    fbb_field nf[2] = {{F_REF, 0}, {F_REF, 0}};
    fbb_patch(b, opt, fbb_table(b, 2, nf, nref));
    static const float mean[3] = {127.5f, 127.0f, 126.25f}, std[3] = {128.0f, 64.0f, 32.5f};
    g_mean_vec_pos = w_floats(b, 3, mean);
    fbb_patch(b, nref[0], g_mean_vec_pos);
    fbb_patch(b, nref[1], w_floats(b, 3, std));
    /* stats {max [255], min [0, -1]} */
    size_t sref[2] = {0};
    fbb_field stf[2] = {{F_REF, 0}, {F_REF, 0}};
    fbb_patch(b, ref[5], fbb_table(b, 2, stf, sref));
    static const float mx[1] = {255.0f}, mn[2] = {0.0f, -1.0f};
    fbb_patch(b, sref[0], w_floats(b, 1, mx));
    fbb_patch(b, sref[1], w_floats(b, 2, mn));
    return t;
}

static size_t w_audio_input(fbb *b)
{
    size_t ref[4] = {0}, cref[3] = {0};
    fbb_field tf[4] = {{F_REF, 0}, {F_REF, 0}, {F_NONE, 0}, {F_REF, 0}};
    size_t t = fbb_table(b, 4, tf, ref);
    fbb_patch(b, ref[0], fbb_string(b, "audio"));
    fbb_patch(b, ref[1], fbb_string(b, "sound"));
    fbb_field cf[3] = {{F_U8, TFL_CONTENT_AUDIO}, {F_REF, 0}, {F_NONE, 0}};
    fbb_patch(b, ref[3], fbb_table(b, 3, cf, cref));
    fbb_field af[2] = {{F_U32, 44100}, {F_U32, 2}};
    fbb_patch(b, cref[1], fbb_table(b, 2, af, NULL));
    return t;
}

static size_t w_prob_output(fbb *b)
{
    size_t ref[7] = {0}, cref[3] = {0};
    fbb_field tf[7] = {{F_REF, 0},
                       {F_REF, 0},
                       {F_NONE, 0},
                       {F_REF, 0},
                       {F_REF, 0},
                       {F_NONE, 0},
                       {g_num_prob_files ? F_REF : F_NONE, 0}};
    size_t t = fbb_table(b, 7, tf, ref);
    fbb_patch(b, ref[0], fbb_string(b, "probability"));
    fbb_patch(b, ref[1], fbb_string(b, "scores"));
    /* FeatureProperties given as a union type with no table, as real models do */
    fbb_field cf[3] = {{F_U8, TFL_CONTENT_FEATURE}, {F_NONE, 0}, {F_NONE, 0}};
    fbb_patch(b, ref[3], fbb_table(b, 3, cf, cref));
    /* process units: score calibration LOG, default 0.25; a unit of a newer kind */
    size_t pu[2], opt;
    fbb_patch(b, ref[4], fbb_vec_refs(b, 2, pu));
    fbb_patch(b, pu[0], w_unit(b, TFL_PROCESS_SCORE_CALIBRATION, &opt));
    fbb_field sf[2] = {{F_U8, 1}, {F_U32, 0x3e800000u /* 0.25f */}};
    fbb_patch(b, opt, fbb_table(b, 2, sf, NULL));
    fbb_patch(b, pu[1], w_unit(b, 42, &opt));
    fbb_patch(b, opt, fbb_table(b, 0, NULL, NULL));
    if (g_num_prob_files)
        fbb_patch(b, ref[6], w_files(b, g_num_prob_files, g_prob_files));
    return t;
}

static size_t w_box_output(fbb *b)
{
    size_t ref[7] = {0}, cref[3] = {0}, pref[3] = {0};
    size_t t = w_str_table(b, "boxes", 7, ref);
    fbb_field cf[3] = {{F_U8, TFL_CONTENT_BOUNDING_BOX}, {F_REF, 0}, {F_REF, 0}};
    fbb_patch(b, ref[3], fbb_table(b, 3, cf, cref));
    fbb_field pf[3] = {{F_REF, 0}, {F_U8, TFL_BOX_CENTER}, {F_U8, TFL_COORD_PIXEL}};
    fbb_patch(b, cref[1], fbb_table(b, 3, pf, pref));
    static const int32_t idx[4] = {1, 0, 3, 2};
    fbb_patch(b, pref[0], fbb_vec_i32(b, 4, idx));
    fbb_field rf[2] = {{F_I32, 2}, {F_I32, 3}};
    fbb_patch(b, cref[2], fbb_table(b, 2, rf, NULL));
    /* dimension_names (2), process_units (4), stats (5): present but empty */
    fbb_patch(b, ref[2], fbb_vec_refs(b, 0, NULL));
    fbb_patch(b, ref[4], fbb_vec_refs(b, 0, NULL));
    fbb_patch(b, ref[5], fbb_table(b, 0, NULL, NULL));
    static const fspec cls[1] = {{"classes.txt", TFL_FILE_TENSOR_VALUE_LABELS, NULL}};
    fbb_patch(b, ref[6], w_files(b, 1, cls));
    return t;
}

/* Builds the metadata into DB; returns its length. */
static size_t build_metadata(void)
{
    fbb *b = &DB;
    memset(b, 0, sizeof *b);
    size_t root = fbb_u32(b, 0);
    memcpy(b->buf + 4, "M001", 4);
    b->len = 8;
    size_t mref[8] = {0};
    fbb_field mf[8] = {{F_REF, 0}, {F_REF, 0}, {F_REF, 0}, {F_REF, 0},
                       {F_REF, 0}, {F_REF, 0}, {F_REF, 0}, {F_REF, 0}};
    fbb_patch(b, root, fbb_table(b, 8, mf, mref));
    fbb_patch(b, mref[0], fbb_string(b, "Test model"));
    fbb_patch(b, mref[1], fbb_string(b, "Classifies things."));
    fbb_patch(b, mref[2], fbb_string(b, "v7"));
    fbb_patch(b, mref[4], fbb_string(b, "tfl"));
    fbb_patch(b, mref[5], fbb_string(b, "MIT"));
    static const fspec mfiles[1] = {{"notes.txt", TFL_FILE_DESCRIPTIONS, "en"}};
    fbb_patch(b, mref[6], w_files(b, 1, mfiles));
    fbb_patch(b, mref[7], fbb_string(b, "1.5.0"));
    size_t sgs[2];
    fbb_patch(b, mref[3], fbb_vec_refs(b, 2, sgs));
    /* subgraph 0 */
    size_t sref[7] = {0};
    fbb_patch(b, sgs[0], w_str_table(b, "main", 7, sref));
    size_t ins[2], outs[2];
    fbb_patch(b, sref[2], fbb_vec_refs(b, 2, ins));
    fbb_patch(b, ins[0], w_image_input(b));
    fbb_patch(b, ins[1], w_audio_input(b));
    g_outputs_vec_pos = fbb_vec_refs(b, 2, outs);
    fbb_patch(b, sref[3], g_outputs_vec_pos);
    fbb_patch(b, outs[0], w_prob_output(b));
    fbb_patch(b, outs[1], w_box_output(b));
    static const fspec sgfiles[1] = {{"sg_vocab.txt", TFL_FILE_VOCABULARY, NULL}};
    fbb_patch(b, sref[4], w_files(b, 1, sgfiles));
    size_t iu[1], ou[1], opt;
    fbb_patch(b, sref[5], fbb_vec_refs(b, 1, iu));
    fbb_patch(b, iu[0], w_unit(b, TFL_PROCESS_SENTENCE_PIECE_TOKENIZER, &opt));
    size_t spref[2] = {0};
    fbb_field spf[2] = {{F_REF, 0}, {F_REF, 0}};
    fbb_patch(b, opt, fbb_table(b, 2, spf, spref));
    static const fspec spm[1] = {{"sp.model", TFL_FILE_UNKNOWN, NULL}};
    static const fspec spv[2] = {{"sp_vocab.txt", TFL_FILE_VOCABULARY, NULL},
                                 {"sp_vocab_fr.txt", TFL_FILE_VOCABULARY, "fr"}};
    fbb_patch(b, spref[0], w_files(b, 1, spm));
    fbb_patch(b, spref[1], w_files(b, 2, spv));
    fbb_patch(b, sref[6], fbb_vec_refs(b, 1, ou));
    fbb_patch(b, ou[0], w_unit(b, TFL_PROCESS_BERT_TOKENIZER, &opt));
    size_t bref[1] = {0};
    fbb_field bf[1] = {{F_REF, 0}};
    fbb_patch(b, opt, fbb_table(b, 1, bf, bref));
    static const fspec bv[1] = {{"bert_vocab.txt", TFL_FILE_VOCABULARY, NULL}};
    fbb_patch(b, bref[0], w_files(b, 1, bv));
    /* subgraph 1: a name and one output with only a name */
    size_t s1ref[7] = {0}, o1[1];
    fbb_field s1f[7] = {{F_REF, 0}, {F_NONE, 0}, {F_NONE, 0}, {F_REF, 0}};
    fbb_patch(b, sgs[1], fbb_table(b, 4, s1f, s1ref));
    fbb_patch(b, s1ref[0], fbb_string(b, "second"));
    fbb_patch(b, s1ref[3], fbb_vec_refs(b, 1, o1));
    size_t o1ref[1] = {0};
    fbb_field o1f[1] = {{F_REF, 0}};
    fbb_patch(b, o1[0], fbb_table(b, 1, o1f, o1ref));
    fbb_patch(b, o1ref[0], fbb_string(b, "x"));
    return b->len;
}

static void default_prob_files(void)
{
    static const fspec f[4] = {{"labels.txt", TFL_FILE_TENSOR_AXIS_LABELS, NULL},
                               {"labels_fr.txt", TFL_FILE_TENSOR_AXIS_LABELS, "fr"},
                               {"labels_en.txt", TFL_FILE_TENSOR_AXIS_LABELS, "en"},
                               {"calib.txt", TFL_FILE_TENSOR_AXIS_SCORE_CALIBRATION, NULL}};
    memcpy(g_prob_files, f, sizeof f);
    g_num_prob_files = 4;
}

static const zentry k_files[] = {
    {.name = "labels.txt", .data = "background\ncat\ndog\n"},
    {.name = "labels_fr.txt", .data = "fond\nchat\nchien\n"},
    {.name = "labels_en.txt", .data = "Background\nCat\nDog\n"},
    {.name = "classes.txt", .data = "0 person\n2 car\n"},
};

/* The full file: model, metadata, archive of k_files. */
static size_t build_full(int relative, const char *comment)
{
    size_t md_len = build_metadata();
    size_t at = layout(1, DB.buf, md_len);
    return put_zip(at, relative, k_files, 4, comment, NULL);
}

static tfl_metadata *read_buf(size_t n, tfl_model **m, tfl_error *err)
{
    *m = tfl_model_load_buffer(FILEBUF, n, err);
    if (!*m) {
        fprintf(stderr, "model: %s\n", err->message);
        return NULL;
    }
    return tfl_metadata_read(*m, err);
}

static void test_built_all_fields(void)
{
    default_prob_files();
    tfl_model *m;
    tfl_error err;
    tfl_metadata *md = read_buf(build_full(0, NULL), &m, &err);
    CHECK(md != NULL);
    if (!md) {
        fprintf(stderr, "%s\n", err.message);
        tfl_model_free(m);
        return;
    }
    CHECK(streq(tfl_metadata_name(md), "Test model"));
    CHECK(streq(tfl_metadata_description(md), "Classifies things."));
    CHECK(streq(tfl_metadata_version(md), "v7"));
    CHECK(streq(tfl_metadata_author(md), "tfl"));
    CHECK(streq(tfl_metadata_license(md), "MIT"));
    CHECK(streq(tfl_metadata_min_parser_version(md), "1.5.0"));
    int nf;
    const tfl_associated_file *mf = tfl_metadata_associated_files(md, &nf);
    CHECK_EQ_INT(nf, 1);
    if (nf == 1) {
        CHECK(streq(mf[0].name, "notes.txt") && streq(mf[0].locale, "en"));
        CHECK(streq(mf[0].description, "a file") && streq(mf[0].version, "3"));
        CHECK_EQ_INT(mf[0].type, TFL_FILE_DESCRIPTIONS);
    }
    CHECK_EQ_INT(tfl_metadata_num_subgraphs(md), 2);
    const tfl_subgraph_metadata *sg = tfl_metadata_subgraph(md, 0);
    CHECK(sg && streq(sg->name, "main") && streq(sg->description, "about it"));
    if (sg) {
        CHECK_EQ_INT(sg->num_files, 1);
        CHECK(sg->num_files == 1 && streq(sg->files[0].name, "sg_vocab.txt"));
        CHECK_EQ_INT(sg->num_input_process_units, 1);
        if (sg->num_input_process_units == 1) {
            const tfl_process_unit *pu = &sg->input_process_units[0];
            CHECK_EQ_INT(pu->kind, TFL_PROCESS_SENTENCE_PIECE_TOKENIZER);
            CHECK(pu->num_sentencepiece_models == 1 &&
                  streq(pu->sentencepiece_models[0].name, "sp.model"));
            CHECK(pu->num_vocab_files == 2 && streq(pu->vocab_files[1].locale, "fr"));
        }
        CHECK_EQ_INT(sg->num_output_process_units, 1);
        if (sg->num_output_process_units == 1) {
            const tfl_process_unit *pu = &sg->output_process_units[0];
            CHECK_EQ_INT(pu->kind, TFL_PROCESS_BERT_TOKENIZER);
            CHECK(pu->num_vocab_files == 1 && streq(pu->vocab_files[0].name, "bert_vocab.txt"));
        }
    }
    const tfl_subgraph_metadata *sg1 = tfl_metadata_subgraph(md, 1);
    CHECK(sg1 && streq(sg1->name, "second") && streq(sg1->description, ""));
    CHECK(sg1 && sg1->num_inputs == 0 && sg1->num_outputs == 1 && streq(sg1->outputs[0].name, "x"));
    CHECK(tfl_metadata_subgraph(md, 2) == NULL);

    CHECK_EQ_INT(tfl_metadata_num_inputs(md), 2);
    const tfl_tensor_metadata *im = tfl_metadata_input(md, 0);
    CHECK(im && streq(im->name, "image") && streq(im->description, "an image"));
    if (im) {
        CHECK_EQ_INT(im->content, TFL_CONTENT_IMAGE);
        CHECK_EQ_INT(im->color_space, TFL_COLOR_RGB);
        CHECK_EQ_INT(im->image_width, 224);
        CHECK_EQ_INT(im->image_height, 160);
        CHECK_EQ_INT(im->has_range, 0);
        CHECK_EQ_INT(im->num_process_units, 2);
        CHECK(im->num_process_units == 2 &&
              im->process_units[0].kind == TFL_PROCESS_SCORE_THRESHOLDING &&
              im->process_units[0].global_score_threshold == 0.5f);
        /* the normalization unit is the second one */
        CHECK_EQ_INT(im->num_mean, 3);
        CHECK_EQ_INT(im->num_std, 3);
        if (im->num_mean == 3 && im->num_std == 3) {
            CHECK(im->mean[0] == 127.5f && im->mean[1] == 127.0f && im->mean[2] == 126.25f);
            CHECK(im->std[0] == 128.0f && im->std[1] == 64.0f && im->std[2] == 32.5f);
        }
        CHECK(im->num_stats_max == 1 && im->stats_max[0] == 255.0f);
        CHECK(im->num_stats_min == 2 && im->stats_min[1] == -1.0f);
    }
    const tfl_tensor_metadata *au = tfl_metadata_input(md, 1);
    CHECK(au && au->content == TFL_CONTENT_AUDIO && au->sample_rate == 44100 && au->channels == 2);
    CHECK_EQ_INT(tfl_metadata_num_outputs(md), 2);
    const tfl_tensor_metadata *pr = tfl_metadata_output(md, 0);
    if (pr) {
        CHECK_EQ_INT(pr->content, TFL_CONTENT_FEATURE);
        CHECK_EQ_INT(pr->num_process_units, 2);
        if (pr->num_process_units == 2) {
            CHECK_EQ_INT(pr->process_units[0].kind, TFL_PROCESS_SCORE_CALIBRATION);
            CHECK_EQ_INT(pr->process_units[0].score_transformation, 1);
            CHECK(pr->process_units[0].default_score == 0.25f);
            CHECK_EQ_INT(pr->process_units[1].kind, 42);
        }
        CHECK_EQ_INT(pr->num_files, 4);
        CHECK_EQ_INT(pr->num_mean, 0);
    }
    const tfl_tensor_metadata *bx = tfl_metadata_output(md, 1);
    if (bx) {
        CHECK_EQ_INT(bx->content, TFL_CONTENT_BOUNDING_BOX);
        CHECK_EQ_INT(bx->box_type, TFL_BOX_CENTER);
        CHECK_EQ_INT(bx->box_coordinate_type, TFL_COORD_PIXEL);
        CHECK(bx->num_box_index == 4 && bx->box_index[0] == 1 && bx->box_index[3] == 2);
        CHECK(bx->has_range && bx->range_min == 2 && bx->range_max == 3);
        CHECK_EQ_INT(bx->num_process_units, 0);
        CHECK_EQ_INT(bx->num_stats_min, 0);
    }
    /* packed files */
    CHECK_EQ_INT(tfl_metadata_num_files(md), 4);
    for (int i = 0; i < 4; ++i) {
        const char *name;
        const void *data;
        size_t size;
        CHECK_EQ_INT(tfl_metadata_file(md, i, &name, &data, &size), TFL_OK);
        CHECK(streq(name, k_files[i].name));
        CHECK(size == strlen(k_files[i].data) && memcmp(data, k_files[i].data, size) == 0);
    }
    tfl_metadata_free(md);
    tfl_model_free(m);
}

/* The label file picked for output `out` with `locale`; "" for none. */
static const char *picked(int out, const char *locale)
{
    static char name_copy[64];
    tfl_model *m;
    tfl_error err;
    const char *name = NULL;
    name_copy[0] = 0;
    tfl_metadata *md = read_buf(build_full(0, NULL), &m, &err);
    if (md && tfl_metadata_label_file(md, out, locale, &name, NULL, NULL, &err) == TFL_OK && name)
        snprintf(name_copy, sizeof name_copy, "%s", name);
    if (!md || err.status != TFL_OK)
        snprintf(name_copy, sizeof name_copy, "error: %s", err.message);
    tfl_metadata_free(md);
    tfl_model_free(m);
    return name_copy;
}

static void test_label_file_choice(void)
{
    default_prob_files();
    CHECK(streq(picked(0, NULL), "labels.txt"));
    CHECK(streq(picked(0, ""), "labels.txt"));
    CHECK(streq(picked(0, "fr"), "labels_fr.txt"));
    CHECK(streq(picked(0, "FR"), "labels_fr.txt"));
    CHECK(streq(picked(0, "fr-CA"), "labels_fr.txt"));
    CHECK(streq(picked(0, "en"), "labels_en.txt"));
    CHECK(streq(picked(0, "de"), "labels.txt"));
    CHECK(streq(picked(1, "fr"), "classes.txt")); /* TENSOR_VALUE_LABELS */
    CHECK(streq(picked(2, NULL), ""));            /* no such output: no packed "label" file */
    /* Without a bare file: "en", then the first. */
    g_prob_files[0].locale = "de";
    CHECK(streq(picked(0, NULL), "labels_en.txt"));
    CHECK(streq(picked(0, "it"), "labels_en.txt"));
    g_prob_files[2].locale = "es";
    CHECK(streq(picked(0, NULL), "labels.txt"));
    /* Named but not packed. */
    default_prob_files();
    g_prob_files[0].name = "missing.txt";
    CHECK_CONTAINS(picked(0, NULL), "error: metadata names label file 'missing.txt' for output 0");
    /* Only a calibration file: no label file. */
    g_prob_files[0] = g_prob_files[3];
    g_num_prob_files = 1;
    CHECK(streq(picked(0, NULL), ""));
    default_prob_files();
}

#if TFL_TEST_VISION
static void test_labels_from_built(void)
{
    default_prob_files();
    tfl_model *m;
    tfl_error err;
    tfl_metadata *md = read_buf(build_full(1, "made by a test"), &m, &err);
    CHECK(md != NULL);
    tfl_labels *l = tfl_labels_from_metadata(md, 0, "fr", &err);
    CHECK(l && tfl_labels_count(l) == 3 && streq(tfl_labels_get(l, 1), "chat"));
    tfl_labels_free(l);
    l = tfl_labels_from_metadata(md, 1, NULL, &err); /* "index label" lines */
    CHECK(l && tfl_labels_count(l) == 3 && streq(tfl_labels_get(l, 2), "car"));
    CHECK(l && streq(tfl_labels_get(l, 1), "class 1") && !tfl_labels_has(l, 1));
    tfl_labels_free(l);
    CHECK(tfl_labels_from_metadata(md, 5, NULL, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_OK);
    tfl_metadata_free(md);
    tfl_model_free(m);
}
#endif

/* ---- Archives ------------------------------------------------------------ */

/* Reads FILEBUF[0, n) and returns the metadata status (and message). */
static tfl_status read_status(size_t n, char *msg, size_t msgsize)
{
    tfl_model *m;
    tfl_error err;
    tfl_metadata *md = read_buf(n, &m, &err);
    if (!m)
        return (tfl_status)-1;
    if (msg)
        snprintf(msg, msgsize, "%s", err.message);
    tfl_status s = err.status;
    tfl_metadata_free(md);
    tfl_model_free(m);
    return s;
}

static void test_zip_layouts(void)
{
    default_prob_files();
    tfl_model *m;
    tfl_error err;
    /* Offsets relative to the archive start, and a comment after the EOCD. */
    tfl_metadata *md =
        read_buf(build_full(1, "a comment PK\x05\x06 with a fake signature"), &m, &err);
    CHECK(md != NULL);
    CHECK_EQ_INT(tfl_metadata_num_files(md), 4);
    size_t size;
    const char *d = tfl_metadata_find_file(md, "labels_en.txt", &size);
    CHECK(d && size == 19 && memcmp(d, "Background\nCat\nDog\n", 19) == 0);
    tfl_metadata_free(md);
    tfl_model_free(m);

    /* Packed files but no TFLITE_METADATA entry. */
    size_t at = layout(0, NULL, 0);
    size_t n = put_zip(at, 0, k_files, 1, NULL, NULL);
    md = read_buf(n, &m, &err);
    CHECK(md != NULL);
    CHECK_EQ_INT(tfl_metadata_has_entry(md), 0);
    CHECK(streq(tfl_metadata_name(md), ""));
    CHECK_EQ_INT(tfl_metadata_num_files(md), 1);
    const char *name;
    CHECK_EQ_INT(tfl_metadata_label_file(md, 0, NULL, &name, NULL, NULL, &err), TFL_OK);
    CHECK(streq(name, "labels.txt"));
    tfl_metadata_free(md);
    tfl_model_free(m);

    /* Neither. */
    at = layout(0, NULL, 0);
    char msg[512];
    CHECK_EQ_INT(read_status(at, msg, sizeof msg), TFL_OK);
    CHECK(streq(msg, "model has no metadata"));

    /* A comment length that does not reach the end of the file: no archive. */
    size_t md_len = build_metadata();
    at = layout(1, DB.buf, md_len);
    zlayout zl;
    n = put_zip(at, 0, k_files, 2, "xyz", &zl);
    put16(FILEBUF + zl.eocd + 20, 2);
    md = read_buf(n, &m, &err);
    CHECK(md != NULL && tfl_metadata_num_files(md) == 0);
    tfl_metadata_free(md);
    tfl_model_free(m);
}

/* Builds the archive with one altered entry and checks the error. */
static void expect_zip_error(zentry e, tfl_status status, const char *needle)
{
    size_t md_len = build_metadata();
    size_t at = layout(1, DB.buf, md_len);
    zentry files[2] = {k_files[2], e};
    size_t n = put_zip(at, 0, files, 2, NULL, NULL);
    char msg[512];
    CHECK_EQ_INT(read_status(n, msg, sizeof msg), status);
    CHECK_CONTAINS(msg, needle);
}

static void test_zip_errors(void)
{
    default_prob_files();
    zentry e = k_files[0];
    e.crc_xor = 1;
    expect_zip_error(e, TFL_ERROR_BAD_MODEL, "'labels.txt': CRC mismatch");
    e = k_files[0];
    e.local_name = "labels.tx_";
    expect_zip_error(e, TFL_ERROR_BAD_MODEL, "name in the local header differs");
    e = k_files[0];
    e.flags = 1;
    expect_zip_error(e, TFL_ERROR_UNSUPPORTED, "'labels.txt' is encrypted");
    e = k_files[0];
    e.lh_offset_add = 1000000;
    expect_zip_error(e, TFL_ERROR_BAD_MODEL, "'labels.txt': no local header at offset");
    e = k_files[0];
    e.lh_offset_add = 3; /* inside the previous entry's data */
    expect_zip_error(e, TFL_ERROR_BAD_MODEL, "no local header");
    e = k_files[0];
    e.csize_add = 500; /* data would run over the central directory */
    expect_zip_error(e, TFL_ERROR_BAD_MODEL, "run past the central directory");
    e = k_files[0];
    e.csize_add = 0xffffffffu - 19; /* 0xffffffff: a ZIP64 marker */
    expect_zip_error(e, TFL_ERROR_UNSUPPORTED, "ZIP64");

    /* A deflated entry is listed but unreadable, with a clear message. */
    default_prob_files();
    size_t md_len = build_metadata();
    size_t at = layout(1, DB.buf, md_len);
    zentry files[2] = {k_files[2], k_files[0]};
    files[1].method = 8;
    size_t n = put_zip(at, 0, files, 2, NULL, NULL);
    tfl_model *m;
    tfl_error err;
    tfl_metadata *md = read_buf(n, &m, &err);
    CHECK(md != NULL);
    const char *name;
    const void *data;
    size_t size;
    CHECK_EQ_INT(tfl_metadata_file(md, 1, &name, &data, &size), TFL_ERROR_UNSUPPORTED);
    CHECK(streq(name, "labels.txt") && data == NULL && size == 19);
    CHECK(tfl_metadata_find_file(md, "labels.txt", &size) == NULL);
    CHECK_EQ_INT(tfl_metadata_label_file(md, 0, NULL, &name, &data, &size, &err),
                 TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(err.message, "label file 'labels.txt' is packed with deflate compression");
#if TFL_TEST_VISION
    CHECK(tfl_labels_from_metadata(md, 0, NULL, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_UNSUPPORTED);
#endif
    tfl_metadata_free(md);
    tfl_model_free(m);
}

/* Many central directory records naming one stored entry: refused before
 * the CRC of the shared bytes is computed once per record (which made a
 * 1 MB file take minutes). */
static void test_zip_shared_entries(void)
{
    default_prob_files();
    size_t md_len = build_metadata();
    size_t at = layout(1, DB.buf, md_len);
    char payload[8000]; /* larger than everything before it, so three copies cannot fit */
    memset(payload, 'x', sizeof payload);
    uint8_t *h = FILEBUF + at;
    memset(h, 0, 30);
    put32(h, 0x04034b50);
    put16(h + 8, 0);
    put32(h + 14, test_crc32(payload, sizeof payload));
    put32(h + 18, sizeof payload);
    put32(h + 22, sizeof payload);
    put16(h + 26, 1);
    h[30] = 'a';
    memcpy(h + 31, payload, sizeof payload);
    size_t cd = at + 31 + sizeof payload, p = cd;
    for (int i = 0; i < 3; ++i, p += 47) {
        uint8_t *c = FILEBUF + p;
        memset(c, 0, 47);
        put32(c, 0x02014b50);
        put32(c + 16, test_crc32(payload, sizeof payload));
        put32(c + 20, sizeof payload);
        put32(c + 24, sizeof payload);
        put16(c + 28, 1);
        put32(c + 42, (uint32_t)at);
        c[46] = 'a';
    }
    uint8_t *z = FILEBUF + p;
    memset(z, 0, 22);
    put32(z, 0x06054b50);
    put16(z + 8, 3);
    put16(z + 10, 3);
    put32(z + 12, (uint32_t)(p - cd));
    put32(z + 16, (uint32_t)cd);
    char msg[512];
    CHECK_EQ_INT(read_status(p + 22, msg, sizeof msg), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(msg, "'a': entries hold more bytes than the archive (overlapping entries)");
    /* One record alone is fine. */
    put16(z + 8, 1);
    put16(z + 10, 1);
    put32(z + 12, 47);
    tfl_model *m;
    tfl_error err;
    tfl_metadata *md = read_buf(p + 22, &m, &err);
    CHECK(md != NULL && tfl_metadata_num_files(md) == 1);
    tfl_metadata_free(md);
    tfl_model_free(m);
}

/* EOCD fields rewritten one at a time. */
static void test_eocd_garbage(void)
{
    default_prob_files();
    size_t md_len = build_metadata();
    size_t at = layout(1, DB.buf, md_len);
    zlayout zl;
    size_t n = put_zip(at, 0, k_files, 4, NULL, &zl);
    static uint8_t saved[22];
    memcpy(saved, FILEBUF + zl.eocd, 22);
    char msg[512];
    struct {
        int off, width;
        uint32_t value;
        tfl_status status;
        const char *needle;
    } cases[] = {
        {16, 4, 0x7fff0000u, TFL_ERROR_BAD_MODEL, "central directory not found"},
        {16, 4, 0, TFL_ERROR_BAD_MODEL, "central directory not found"},
        {12, 4, 0x7fffffffu, TFL_ERROR_BAD_MODEL, "central directory not found"},
        {12, 4, 10, TFL_ERROR_BAD_MODEL, "4 entries cannot fit in a 10-byte directory"},
        {10, 2, 5000, TFL_ERROR_BAD_MODEL, "5000 entries cannot fit"},
        {8, 2, 5000, TFL_ERROR_UNSUPPORTED, "multi-disk"},
        {4, 2, 1, TFL_ERROR_UNSUPPORTED, "multi-disk"},
        {10, 2, 0xffff, TFL_ERROR_UNSUPPORTED, "ZIP64"},
        {16, 4, 0xffffffffu, TFL_ERROR_UNSUPPORTED, "ZIP64"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        memcpy(FILEBUF + zl.eocd, saved, 22);
        if (cases[i].width == 2)
            put16(FILEBUF + zl.eocd + cases[i].off, (uint16_t)cases[i].value);
        else
            put32(FILEBUF + zl.eocd + cases[i].off, cases[i].value);
        if (cases[i].off == 10) /* entries on this disk = total, else it is multi-disk */
            put16(FILEBUF + zl.eocd + 8, (uint16_t)cases[i].value);
        CHECK_EQ_INT(read_status(n, msg, sizeof msg), cases[i].status);
        CHECK_CONTAINS(msg, cases[i].needle);
    }
    /* A central directory entry whose signature is broken. */
    memcpy(FILEBUF + zl.eocd, saved, 22);
    size_t second = zl.cd + 46 + strlen(k_files[0].name);
    FILEBUF[second] = 'X';
    CHECK_EQ_INT(read_status(n, msg, sizeof msg), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(msg, "central directory entry 1 is missing or truncated");
    FILEBUF[second] = 'P';
    /* A ZIP64 locator just before the EOCD. */
    put32(FILEBUF + zl.eocd - 20, 0x07064b50);
    CHECK_EQ_INT(read_status(n, msg, sizeof msg), TFL_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(msg, "ZIP64 archives are not supported");
}

/* Every cut of the archive (with its EOCD record put back at the new end, so
 * the offsets point past what is left) and every single-byte change in it
 * must give a clean status (run under ASan in the sanitizer build). */
static void test_zip_sweeps(void)
{
    default_prob_files();
    size_t md_len = build_metadata();
    size_t at = layout(1, DB.buf, md_len);
    zlayout zl;
    size_t n = put_zip(at, 1, k_files, 4, "c", &zl);
    static uint8_t good[1 << 18];
    memcpy(good, FILEBUF, n);
    size_t tail = n - zl.eocd; /* EOCD record and comment */
    int errors = 0;
    for (size_t k = at; k < zl.eocd; ++k) {
        memcpy(FILEBUF, good, k);
        memcpy(FILEBUF + k, good + zl.eocd, tail);
        tfl_status s = read_status(k + tail, NULL, 0);
        CHECK(s == TFL_OK || s == TFL_ERROR_BAD_MODEL || s == TFL_ERROR_UNSUPPORTED);
        errors += s != TFL_OK;
    }
    CHECK_EQ_INT(errors, (int)(zl.eocd - at));
    for (size_t k = at; k < n; ++k) {
        memcpy(FILEBUF, good, n);
        FILEBUF[k] ^= 0x5a;
        tfl_status s = read_status(n, NULL, 0);
        CHECK(s == TFL_OK || s == TFL_ERROR_BAD_MODEL || s == TFL_ERROR_UNSUPPORTED);
    }
}

/* ---- Hostile metadata ------------------------------------------------------ */

static tfl_status md_status(const uint8_t *md, size_t md_len, char *msg, size_t msgsize)
{
    size_t n = layout(1, md, md_len);
    return read_status(n, msg, msgsize);
}

static void test_metadata_truncation_and_flips(void)
{
    default_prob_files();
    size_t md_len = build_metadata();
    static uint8_t good[1 << 16];
    memcpy(good, DB.buf, md_len);
    char msg[512];
    CHECK_EQ_INT(md_status(good, md_len, msg, sizeof msg), TFL_OK);
    CHECK_EQ_INT(md_status(good, 0, msg, sizeof msg), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(msg, "TFLITE_METADATA: 0 bytes is too small");
    CHECK_EQ_INT(md_status(good, 7, msg, sizeof msg), TFL_ERROR_BAD_MODEL);
    CHECK_EQ_INT(md_status(good, 40, msg, sizeof msg), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(msg, "is out of bounds or malformed");
    /* Children are written after their parents, so every cut loses something. */
    int ok = 0;
    for (size_t k = 0; k < md_len; ++k) {
        tfl_status s = md_status(good, k, NULL, 0);
        CHECK(s == TFL_OK || s == TFL_ERROR_BAD_MODEL);
        ok += s == TFL_OK;
    }
    CHECK(ok < 8); /* at most trailing padding may go */
    static uint8_t bad[1 << 16];
    for (size_t k = 0; k < md_len; ++k) {
        memcpy(bad, good, md_len);
        bad[k] ^= 0xa5;
        tfl_status s = md_status(bad, md_len, NULL, 0);
        CHECK(s == TFL_OK || s == TFL_ERROR_BAD_MODEL);
    }
    memcpy(bad, good, md_len);
    memcpy(bad + 4, "TFL3", 4);
    CHECK_EQ_INT(md_status(bad, md_len, msg, sizeof msg), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(msg, "identifier is 'TFL3', expected 'M001'");
}

static void test_metadata_absurd_counts(void)
{
    default_prob_files();
    size_t md_len = build_metadata();
    char msg[512];
    static uint8_t bad[1 << 16];
    memcpy(bad, DB.buf, md_len);
    put32(bad + g_outputs_vec_pos, 0x40000000u);
    CHECK_EQ_INT(md_status(bad, md_len, msg, sizeof msg), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(msg, "subgraph 0 output_tensor_metadata is out of bounds or malformed");
    memcpy(bad, DB.buf, md_len);
    put32(bad + g_mean_vec_pos, 0xffffffffu);
    CHECK_EQ_INT(md_status(bad, md_len, msg, sizeof msg), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(msg, "subgraph 0 input 0 normalization mean is out of bounds");
    /* A count that fits the buffer, its extra slots read from whatever follows. */
    memcpy(bad, DB.buf, md_len);
    put32(bad + g_outputs_vec_pos, 40);
    tfl_status s = md_status(bad, md_len, msg, sizeof msg);
    CHECK(s == TFL_OK || s == TFL_ERROR_BAD_MODEL);
}

/* Shared tables: N outputs all pointing at one tensor whose N files all point
 * at one file table would expand to N*N entries from O(N) bytes. */
static void test_metadata_shared_blowup(void)
{
    enum { N = 3000 };
    fbb *b = &DB;
    memset(b, 0, sizeof *b);
    size_t root = fbb_u32(b, 0);
    memcpy(b->buf + 4, "M001", 4);
    b->len = 8;
    size_t mref[4] = {0};
    fbb_field mf[4] = {{F_NONE, 0}, {F_NONE, 0}, {F_NONE, 0}, {F_REF, 0}};
    fbb_patch(b, root, fbb_table(b, 4, mf, mref));
    size_t sg, sref[4] = {0};
    fbb_patch(b, mref[3], fbb_vec_refs(b, 1, &sg));
    fbb_field sf[4] = {{F_NONE, 0}, {F_NONE, 0}, {F_NONE, 0}, {F_REF, 0}};
    fbb_patch(b, sg, fbb_table(b, 4, sf, sref));
    static size_t slots[N];
    fbb_patch(b, sref[3], fbb_vec_refs(b, N, slots));
    size_t tref[7] = {0};
    fbb_field tf[7] = {{F_NONE, 0}, {F_NONE, 0}, {F_NONE, 0}, {F_NONE, 0},
                       {F_NONE, 0}, {F_NONE, 0}, {F_REF, 0}};
    size_t tensor = fbb_table(b, 7, tf, tref);
    for (int i = 0; i < N; ++i)
        fbb_patch(b, slots[i], tensor);
    static size_t fslots[N];
    fbb_patch(b, tref[6], fbb_vec_refs(b, N, fslots));
    static const fspec f = {"labels.txt", TFL_FILE_TENSOR_AXIS_LABELS, NULL};
    size_t file = w_file(b, &f);
    for (int i = 0; i < N; ++i)
        fbb_patch(b, fslots[i], file);
    char msg[512];
    CHECK(b->len < sizeof b->buf);
    CHECK_EQ_INT(md_status(b->buf, b->len, msg, sizeof msg), TFL_ERROR_BAD_MODEL);
    CHECK_CONTAINS(msg, "expands to more entries than its size allows");
}

static void test_null_arguments(void)
{
    tfl_error err;
    CHECK(tfl_metadata_read(NULL, &err) == NULL);
    CHECK_EQ_INT(err.status, TFL_ERROR_INVALID_ARGUMENT);
    tfl_metadata_free(NULL);
    CHECK(streq(tfl_metadata_name(NULL), ""));
    CHECK_EQ_INT(tfl_metadata_num_files(NULL), 0);
    CHECK_EQ_INT(tfl_metadata_num_outputs(NULL), 0);
    CHECK(tfl_metadata_output(NULL, 0) == NULL);
    CHECK(tfl_metadata_find_file(NULL, "x", NULL) == NULL);
    CHECK_EQ_INT(tfl_metadata_label_file(NULL, 0, NULL, NULL, NULL, NULL, &err),
                 TFL_ERROR_INVALID_ARGUMENT);
    int n = 5;
    CHECK(tfl_metadata_associated_files(NULL, &n) == NULL && n == 0);
}

int main(void)
{
    static const tfl_test_case cases[] = {
        TEST(test_mobilenet_v1_quant),
        TEST(test_ssd),
        TEST(test_other_models),
        TEST(test_built_all_fields),
        TEST(test_label_file_choice),
#if TFL_TEST_VISION
        TEST(test_labels_from_built),
#endif
        TEST(test_zip_layouts),
        TEST(test_zip_errors),
        TEST(test_zip_shared_entries),
        TEST(test_eocd_garbage),
        TEST(test_zip_sweeps),
        TEST(test_metadata_truncation_and_flips),
        TEST(test_metadata_absurd_counts),
        TEST(test_metadata_shared_blowup),
        TEST(test_null_arguments),
    };
    (void)build_model; /* the shared builder's whole-model helpers are not used here */
    (void)model_spec_default;
    CHECK(test_crc32("123456789", 9) == 0xcbf43926u);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        int before = tfl_test_failures;
        cases[i].fn();
        printf("%s %s\n", tfl_test_failures == before ? "ok  " : "FAIL", cases[i].name);
    }
    printf("%d checks, %d failures\n", tfl_test_checks, tfl_test_failures);
    if (tfl_test_failures)
        return 1;
    if (g_missing_models) {
        printf("real-model cases skipped: %s/models not found\n", TFL_SHARED_DIR);
        return 77;
    }
    return 0;
}
