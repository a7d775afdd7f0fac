/* The TFLite Metadata part of `tfl inspect`: model name and description,
 * packed files, per-input content and normalization, per-output label file. */
#include <string.h>

#include "cli.h"
#include "inspect_metadata.h"

static const char *content_name(int kind)
{
    switch (kind) {
    case TFL_CONTENT_NONE: return "none";
    case TFL_CONTENT_FEATURE: return "feature";
    case TFL_CONTENT_IMAGE: return "image";
    case TFL_CONTENT_BOUNDING_BOX: return "bounding_box";
    case TFL_CONTENT_AUDIO: return "audio";
    default: return "unknown";
    }
}

static const char *color_name(int c)
{
    return c == TFL_COLOR_RGB ? "rgb" : c == TFL_COLOR_GRAYSCALE ? "grayscale" : "unknown";
}

/* Name of output i's label file, or NULL. */
static const char *label_file(const tfl_metadata *md, int output, size_t *size)
{
    const char *name = NULL;
    const void *data = NULL;
    tfl_error err;
    *size = 0;
    if (tfl_metadata_label_file(md, output, NULL, &name, &data, size, &err) != TFL_OK || !data)
        return NULL;
    return name;
}

static void print_floats(const float *v, int n)
{
    for (int i = 0; i < n; ++i)
        printf("%s%g", i ? ", " : "", (double)v[i]);
}

void inspect_metadata_text(const tfl_model *m)
{
    tfl_error err;
    tfl_metadata *md = tfl_metadata_read(m, &err);
    if (!md) {
        if (err.status != TFL_OK)
            printf("TFLite metadata: unreadable: %s\n", err.message);
        return;
    }
    printf("TFLite metadata:\n");
    if (tfl_metadata_has_entry(md)) {
        const char *fields[][2] = {{"name", tfl_metadata_name(md)},
                                   {"description", tfl_metadata_description(md)},
                                   {"version", tfl_metadata_version(md)},
                                   {"author", tfl_metadata_author(md)},
                                   {"license", tfl_metadata_license(md)}};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; ++i)
            if (fields[i][1] && *fields[i][1]) {
                /* first line only: descriptions can run long */
                const char *s = fields[i][1];
                int len = (int)strcspn(s, "\n");
                printf("  %s: %.*s%s\n", fields[i][0], len > 200 ? 200 : len, s,
                       s[len] || len > 200 ? " ..." : "");
            }
        for (int i = 0; i < tfl_metadata_num_inputs(md); ++i) {
            const tfl_tensor_metadata *t = tfl_metadata_input(md, i);
            printf("  input %d '%s': %s", i, t->name, content_name(t->content));
            if (t->content == TFL_CONTENT_IMAGE)
                printf(" (%s)", color_name(t->color_space));
            if (t->num_mean || t->num_std) {
                printf(", normalize mean [");
                print_floats(t->mean, t->num_mean);
                printf("] std [");
                print_floats(t->std, t->num_std);
                printf("]");
            }
            printf("\n");
        }
        for (int i = 0; i < tfl_metadata_num_outputs(md); ++i) {
            const tfl_tensor_metadata *t = tfl_metadata_output(md, i);
            size_t size;
            const char *labels = label_file(md, i, &size);
            printf("  output %d '%s': %s", i, t->name, content_name(t->content));
            if (labels)
                printf(", labels in '%s' (%zu bytes)", labels, size);
            printf("\n");
        }
    }
    int nfiles = tfl_metadata_num_files(md);
    for (int i = 0; i < nfiles; ++i) {
        const char *name = NULL;
        const void *data = NULL;
        size_t size = 0;
        tfl_status st = tfl_metadata_file(md, i, &name, &data, &size);
        printf("  packed file '%s' %zu bytes%s\n", name ? name : "", size,
               st == TFL_ERROR_UNSUPPORTED ? " (compressed: not readable)" : "");
    }
    tfl_metadata_free(md);
}

static void json_floats(json_writer *w, const float *v, int n)
{
    json_array_begin_compact(w);
    for (int i = 0; i < n; ++i)
        json_double(w, v[i]);
    json_array_end(w);
}

void inspect_metadata_json(json_writer *w, const tfl_model *m)
{
    tfl_error err;
    tfl_metadata *md = tfl_metadata_read(m, &err);
    if (!md) {
        if (err.status == TFL_OK) {
            json_null(w);
        } else {
            json_object_begin(w);
            json_key(w, "error");
            json_string(w, err.message);
            json_object_end(w);
        }
        return;
    }
    json_object_begin(w);
    json_key(w, "has_entry");
    json_bool(w, tfl_metadata_has_entry(md) != 0);
    json_key(w, "name");
    json_string(w, tfl_metadata_name(md));
    json_key(w, "description");
    json_string(w, tfl_metadata_description(md));
    json_key(w, "version");
    json_string(w, tfl_metadata_version(md));
    json_key(w, "author");
    json_string(w, tfl_metadata_author(md));
    json_key(w, "license");
    json_string(w, tfl_metadata_license(md));

    json_key(w, "inputs");
    json_array_begin(w);
    for (int i = 0; i < tfl_metadata_num_inputs(md); ++i) {
        const tfl_tensor_metadata *t = tfl_metadata_input(md, i);
        json_object_begin(w);
        json_key(w, "name");
        json_string(w, t->name);
        json_key(w, "content");
        json_string(w, content_name(t->content));
        if (t->content == TFL_CONTENT_IMAGE) {
            json_key(w, "color_space");
            json_string(w, color_name(t->color_space));
        }
        json_key(w, "mean");
        json_floats(w, t->mean, t->num_mean);
        json_key(w, "std");
        json_floats(w, t->std, t->num_std);
        json_object_end(w);
    }
    json_array_end(w);

    json_key(w, "outputs");
    json_array_begin(w);
    for (int i = 0; i < tfl_metadata_num_outputs(md); ++i) {
        const tfl_tensor_metadata *t = tfl_metadata_output(md, i);
        size_t size;
        const char *labels = label_file(md, i, &size);
        json_object_begin(w);
        json_key(w, "name");
        json_string(w, t->name);
        json_key(w, "content");
        json_string(w, content_name(t->content));
        json_key(w, "label_file");
        json_string(w, labels);
        json_object_end(w);
    }
    json_array_end(w);

    json_key(w, "packed_files");
    json_array_begin(w);
    for (int i = 0; i < tfl_metadata_num_files(md); ++i) {
        const char *name = NULL;
        const void *data = NULL;
        size_t size = 0;
        tfl_status st = tfl_metadata_file(md, i, &name, &data, &size);
        json_object_begin(w);
        json_key(w, "name");
        json_string(w, name ? name : "");
        json_key(w, "size");
        json_uint(w, size);
        json_key(w, "compressed");
        json_bool(w, st == TFL_ERROR_UNSUPPORTED);
        json_object_end(w);
    }
    json_array_end(w);
    json_object_end(w);
    tfl_metadata_free(md);
}
