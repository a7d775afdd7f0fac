/* Fuzz target: TFLite Metadata and the ZIP of associated files. Input that
 * loads as a model is used as is. Anything else goes behind a tiny fixed
 * model: the first two bytes (little-endian) give the TFLITE_METADATA entry's
 * length, the entry follows, and the rest (the file's tail, where the ZIP
 * reader looks) is whatever remains — so mutations reach the metadata and
 * ZIP parsers instead of dying in the model loader. Every accessor is
 * walked and every string and byte touched, so ASan sees a bad pointer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tfl.h"

/* The builder also defines helpers this harness does not use. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "../unit/model_builder.h"
#pragma GCC diagnostic pop

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t g_sink;

static void touch_str(const char *s)
{
    if (!s)
        abort(); /* the API promises "" for absent strings */
    g_sink += strlen(s);
}

static void touch_bytes(const void *p, size_t n)
{
    const volatile uint8_t *b = p;
    for (size_t i = 0; i < n; ++i)
        g_sink += b[i];
}

static void touch_files(const tfl_associated_file *f, int n)
{
    if (n > 0 && !f)
        abort();
    for (int i = 0; i < n; ++i) {
        touch_str(f[i].name);
        touch_str(f[i].description);
        touch_str(f[i].locale);
        touch_str(f[i].version);
        g_sink += (size_t)f[i].type;
    }
}

static void touch_floats(const float *v, int n)
{
    touch_bytes(v, (size_t)(n > 0 ? n : 0) * sizeof *v);
}

static void touch_units(const tfl_process_unit *u, int n)
{
    for (int i = 0; i < n; ++i) {
        touch_floats(u[i].mean, u[i].num_mean);
        touch_floats(u[i].std, u[i].num_std);
        touch_str(u[i].delim_regex_pattern);
        touch_files(u[i].vocab_files, u[i].num_vocab_files);
        touch_files(u[i].sentencepiece_models, u[i].num_sentencepiece_models);
        g_sink += (size_t)u[i].kind + (size_t)u[i].score_transformation;
    }
}

static void touch_tensors(const tfl_tensor_metadata *t, int n)
{
    for (int i = 0; i < n; ++i) {
        touch_str(t[i].name);
        touch_str(t[i].description);
        touch_bytes(t[i].box_index, (size_t)t[i].num_box_index * sizeof *t[i].box_index);
        touch_floats(t[i].mean, t[i].num_mean);
        touch_floats(t[i].std, t[i].num_std);
        touch_floats(t[i].stats_min, t[i].num_stats_min);
        touch_floats(t[i].stats_max, t[i].num_stats_max);
        touch_units(t[i].process_units, t[i].num_process_units);
        touch_files(t[i].files, t[i].num_files);
    }
}

static void walk(const tfl_metadata *md)
{
    touch_str(tfl_metadata_name(md));
    touch_str(tfl_metadata_description(md));
    touch_str(tfl_metadata_version(md));
    touch_str(tfl_metadata_author(md));
    touch_str(tfl_metadata_license(md));
    touch_str(tfl_metadata_min_parser_version(md));
    int n;
    const tfl_associated_file *files = tfl_metadata_associated_files(md, &n);
    touch_files(files, n);
    for (int s = 0; s < tfl_metadata_num_subgraphs(md); ++s) {
        const tfl_subgraph_metadata *sg = tfl_metadata_subgraph(md, s);
        touch_str(sg->name);
        touch_str(sg->description);
        touch_tensors(sg->inputs, sg->num_inputs);
        touch_tensors(sg->outputs, sg->num_outputs);
        touch_units(sg->input_process_units, sg->num_input_process_units);
        touch_units(sg->output_process_units, sg->num_output_process_units);
        touch_files(sg->files, sg->num_files);
    }
    if (tfl_metadata_subgraph(md, -1) || tfl_metadata_subgraph(md, tfl_metadata_num_subgraphs(md)))
        abort();
    for (int i = 0; i < tfl_metadata_num_inputs(md); ++i)
        touch_str(tfl_metadata_input(md, i)->name);
    for (int i = -1; i <= tfl_metadata_num_files(md); ++i) {
        const char *name;
        const void *bytes;
        size_t len;
        tfl_status st = tfl_metadata_file(md, i, &name, &bytes, &len);
        if (st == TFL_OK)
            touch_bytes(bytes, len);
        if (name) {
            touch_str(name);
            const void *found = tfl_metadata_find_file(md, name, &len);
            if (found)
                touch_bytes(found, len);
        }
    }
    static const char *const locales[] = {NULL, "en", "fr"};
    int outputs = tfl_metadata_num_outputs(md);
    /* One past the end too: an undescribed output takes a sole packed label file. */
    for (int o = -1; o <= outputs; ++o) {
        if (o >= 0 && o < outputs)
            touch_str(tfl_metadata_output(md, o)->name);
        for (int k = 0; k < 3; ++k) {
            const char *name;
            const void *bytes;
            size_t len;
            tfl_error err;
            if (tfl_metadata_label_file(md, o, locales[k], &name, &bytes, &len, &err) == TFL_OK &&
                bytes) {
                touch_str(name);
                touch_bytes(bytes, len);
            }
            touch_str(err.message);
            tfl_labels *l = tfl_labels_from_metadata(md, o, locales[k], &err);
            for (int i = 0; i < tfl_labels_count(l) && i < 64; ++i)
                touch_str(tfl_labels_get(l, i));
            tfl_labels_free(l);
        }
    }
}

/* The tiny model of tests/unit/test_metadata.c: one empty subgraph, buffer 1
 * (the TFLITE_METADATA entry) stored outside the flatbuffer at md_at. */
static size_t put_model(fbb *b, size_t md_at, size_t md_len)
{
    memset(b, 0, sizeof *b);
    size_t root = fbb_u32(b, 0);
    memcpy(b->buf + 4, "TFL3", 4);
    b->len = 8;
    size_t mref[7] = {0};
    fbb_field mf[7] = {{F_U32, 3},  {F_NONE, 0}, {F_REF, 0}, {F_NONE, 0},
                       {F_REF, 0},  {F_NONE, 0}, {F_REF, 0}};
    fbb_patch(b, root, fbb_table(b, 7, mf, mref));
    size_t sg;
    fbb_patch(b, mref[2], fbb_vec_refs(b, 1, &sg));
    fbb_patch(b, sg, fbb_table(b, 0, NULL, NULL));
    size_t bs[2];
    fbb_patch(b, mref[4], fbb_vec_refs(b, 2, bs));
    fbb_patch(b, bs[0], fbb_table(b, 0, NULL, NULL));
    fbb_field bf[3] = {{F_NONE, 0}, {F_U64, md_at}, {F_U64, md_len}};
    fbb_patch(b, bs[1], fbb_table(b, 3, bf, NULL));
    size_t es, eref[2] = {0};
    fbb_patch(b, mref[6], fbb_vec_refs(b, 1, &es));
    fbb_field ef[2] = {{F_REF, 0}, {F_U32, 1}};
    fbb_patch(b, es, fbb_table(b, 2, ef, eref));
    fbb_patch(b, eref[0], fbb_string(b, "TFLITE_METADATA"));
    return b->len;
}

static void run(const uint8_t *bytes, size_t size)
{
    tfl_error err;
    tfl_model *m = tfl_model_load_buffer(bytes, size, &err);
    if (!m)
        return;
    tfl_metadata *md = tfl_metadata_read(m, &err);
    touch_str(err.message);
    if (md) {
        walk(md);
        tfl_metadata_free(md);
    }
    tfl_model_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfl_error err;
    tfl_model *m = tfl_model_load_buffer(data, size, &err);
    if (m) {
        tfl_model_free(m);
        run(data, size);
        return 0;
    }
    if (size < 2)
        return 0;
    static fbb b;
    size_t md_len = (size_t)(data[0] | data[1] << 8);
    if (md_len > size - 2)
        md_len = size - 2;
    size_t md_at = (put_model(&b, 0, 0) + 15) & ~(size_t)15;
    put_model(&b, md_at, md_len);
    /* An exact-size copy, so ASan sees reads past the end of the file. */
    size_t total = md_at + size - 2;
    uint8_t *file = malloc(total);
    if (!file)
        return 0;
    memcpy(file, b.buf, md_at);
    memcpy(file + md_at, data + 2, size - 2);
    run(file, total);
    free(file);
    return 0;
}
