/* Prints tfl's view of a model's metadata, packed files and labels as JSON,
 * for tests/conformance/test_metadata.py to compare against Python readers.
 * Usage: tfl_metadata_dump MODEL [LOCALE] */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tfl.h"

#ifndef TFL_TEST_VISION
#define TFL_TEST_VISION 0
#endif

static void str(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; ++p) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p); /* bytes >= 0x80 go out as they are */
    }
    putchar('"');
}

static void key(const char *k)
{
    str(k);
    putchar(':');
}

static void num(double v)
{
    if (isnan(v))
        printf("NaN");
    else if (isinf(v))
        printf(v > 0 ? "Infinity" : "-Infinity");
    else
        printf("%.9g", v);
}

static void floats(const char *k, const float *v, int n)
{
    key(k);
    putchar('[');
    for (int i = 0; i < n; ++i) {
        if (i)
            putchar(',');
        num(v[i]);
    }
    printf("],");
}

static void files(const char *k, const tfl_associated_file *f, int n)
{
    key(k);
    putchar('[');
    for (int i = 0; i < n; ++i) {
        printf(i ? ",{" : "{");
        key("name"), str(f[i].name), putchar(',');
        key("description"), str(f[i].description), putchar(',');
        key("locale"), str(f[i].locale), putchar(',');
        key("version"), str(f[i].version), putchar(',');
        key("type"), printf("%d}", f[i].type);
    }
    putchar(']');
}

static void units(const char *k, const tfl_process_unit *u, int n)
{
    key(k);
    putchar('[');
    for (int i = 0; i < n; ++i) {
        printf(i ? ",{" : "{");
        key("kind"), printf("%d,", u[i].kind);
        floats("mean", u[i].mean, u[i].num_mean);
        floats("std", u[i].std, u[i].num_std);
        key("score_transformation"), printf("%d,", u[i].score_transformation);
        key("default_score"), num(u[i].default_score), putchar(',');
        key("global_score_threshold"), num(u[i].global_score_threshold), putchar(',');
        key("delim_regex_pattern"), str(u[i].delim_regex_pattern), putchar(',');
        files("vocab_files", u[i].vocab_files, u[i].num_vocab_files);
        putchar(',');
        files("sentencepiece_models", u[i].sentencepiece_models, u[i].num_sentencepiece_models);
        putchar('}');
    }
    putchar(']');
}

static void tensor(const tfl_tensor_metadata *t)
{
    putchar('{');
    key("name"), str(t->name), putchar(',');
    key("description"), str(t->description), putchar(',');
    key("content"), printf("%d,", t->content);
    key("color_space"), printf("%d,", t->color_space);
    key("image_width"), printf("%u,", (unsigned)t->image_width);
    key("image_height"), printf("%u,", (unsigned)t->image_height);
    key("box_type"), printf("%d,", t->box_type);
    key("box_coordinate_type"), printf("%d,", t->box_coordinate_type);
    key("box_index"), putchar('[');
    for (int i = 0; i < t->num_box_index; ++i)
        printf(i ? ",%u" : "%u", (unsigned)t->box_index[i]);
    printf("],");
    key("sample_rate"), printf("%u,", (unsigned)t->sample_rate);
    key("channels"), printf("%u,", (unsigned)t->channels);
    key("has_range"), printf("%s,", t->has_range ? "true" : "false");
    key("range_min"), printf("%d,", (int)t->range_min);
    key("range_max"), printf("%d,", (int)t->range_max);
    floats("mean", t->mean, t->num_mean);
    floats("std", t->std, t->num_std);
    floats("stats_min", t->stats_min, t->num_stats_min);
    floats("stats_max", t->stats_max, t->num_stats_max);
    units("process_units", t->process_units, t->num_process_units);
    putchar(',');
    files("associated_files", t->files, t->num_files);
    putchar('}');
}

static void tensors(const char *k, const tfl_tensor_metadata *t, int n)
{
    key(k);
    putchar('[');
    for (int i = 0; i < n; ++i) {
        if (i)
            putchar(',');
        tensor(&t[i]);
    }
    putchar(']');
}

static void labels(const tfl_metadata *md, const char *locale)
{
    key("labels");
    putchar('[');
    int n = tfl_metadata_num_outputs(md);
    if (n == 0)
        n = 1; /* output 0 may still find a sole packed label file */
    for (int o = 0; o < n; ++o) {
        const char *name = NULL;
        tfl_error err;
        tfl_status s = tfl_metadata_label_file(md, o, locale, &name, NULL, NULL, &err);
        printf(o ? ",{" : "{");
        key("output"), printf("%d,", o);
        key("status"), str(tfl_status_name(s)), putchar(',');
        key("file"), name ? str(name) : (void)printf("null");
#if TFL_TEST_VISION
        tfl_labels *l = tfl_labels_from_metadata(md, o, locale, &err);
        if (l) {
            putchar(',');
            key("labels"), putchar('[');
            for (int i = 0; i < tfl_labels_count(l); ++i) {
                if (i)
                    putchar(',');
                if (tfl_labels_has(l, i))
                    str(tfl_labels_get(l, i));
                else
                    printf("null");
            }
            putchar(']');
        }
        tfl_labels_free(l);
#endif
        putchar('}');
    }
    putchar(']');
}

static void packed(const tfl_metadata *md)
{
    key("files");
    putchar('[');
    for (int i = 0; i < tfl_metadata_num_files(md); ++i) {
        const char *name;
        const void *data;
        size_t size;
        tfl_status s = tfl_metadata_file(md, i, &name, &data, &size);
        printf(i ? ",{" : "{");
        key("name"), str(name), putchar(',');
        key("size"), printf("%zu,", size);
        key("status"), str(tfl_status_name(s)), putchar(',');
        key("hex"), putchar('"');
        for (size_t k = 0; data && k < size; ++k)
            printf("%02x", ((const unsigned char *)data)[k]);
        printf("\"}");
    }
    putchar(']');
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s MODEL [LOCALE]\n", argv[0]);
        return 2;
    }
    tfl_error err;
    tfl_model *m = tfl_model_load_file(argv[1], &err);
    if (!m) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    tfl_metadata *md = tfl_metadata_read(m, &err);
    putchar('{');
    key("status"), str(tfl_status_name(err.status)), putchar(',');
    key("message"), str(err.message), putchar(',');
    key("has_metadata"), printf("%s", md ? "true" : "false");
    if (md) {
        int nf;
        const tfl_associated_file *f = tfl_metadata_associated_files(md, &nf);
        printf(",");
        key("has_entry"), printf("%s,", tfl_metadata_has_entry(md) ? "true" : "false");
        key("name"), str(tfl_metadata_name(md)), putchar(',');
        key("description"), str(tfl_metadata_description(md)), putchar(',');
        key("version"), str(tfl_metadata_version(md)), putchar(',');
        key("author"), str(tfl_metadata_author(md)), putchar(',');
        key("license"), str(tfl_metadata_license(md)), putchar(',');
        key("min_parser_version"), str(tfl_metadata_min_parser_version(md)), putchar(',');
        files("associated_files", f, nf);
        printf(",");
        key("subgraphs"), putchar('[');
        for (int s = 0; s < tfl_metadata_num_subgraphs(md); ++s) {
            const tfl_subgraph_metadata *sg = tfl_metadata_subgraph(md, s);
            printf(s ? ",{" : "{");
            key("name"), str(sg->name), putchar(',');
            key("description"), str(sg->description), putchar(',');
            tensors("inputs", sg->inputs, sg->num_inputs);
            putchar(',');
            tensors("outputs", sg->outputs, sg->num_outputs);
            putchar(',');
            units("input_process_units", sg->input_process_units, sg->num_input_process_units);
            putchar(',');
            units("output_process_units", sg->output_process_units, sg->num_output_process_units);
            putchar(',');
            files("associated_files", sg->files, sg->num_files);
            putchar('}');
        }
        printf("],");
        packed(md);
        putchar(',');
        labels(md, argc > 2 ? argv[2] : NULL);
    }
    printf("}\n");
    tfl_metadata_free(md);
    tfl_model_free(m);
    return 0;
}
