/* TFLite Metadata reading (see metadata.h): every table, vector and string
 * goes through flatbuf.h. Arrays are copied into blocks owned by the
 * tfl_metadata; strings point into the model bytes. */
#include "model/metadata.h"
#include "core/error.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/flatbuf.h"

/* Schema field indices, per table (their order in tflite-support's metadata_schema.fbs). */
enum { AF_NAME, AF_DESCRIPTION, AF_TYPE, AF_LOCALE, AF_VERSION };
enum {
    TM_NAME,
    TM_DESCRIPTION,
    TM_DIMENSION_NAMES,
    TM_CONTENT,
    TM_PROCESS_UNITS,
    TM_STATS,
    TM_FILES
};
enum { CT_PROPS_TYPE, CT_PROPS, CT_RANGE };
enum { SG_NAME, SG_DESCRIPTION, SG_INPUTS, SG_OUTPUTS, SG_FILES, SG_INPUT_UNITS, SG_OUTPUT_UNITS };

typedef union block {
    union block *next;
    max_align_t align;
} block;

typedef struct reader {
    tfl_metadata *md;
    tfl_error *err;
    size_t budget;  /* elements left to allocate (see md_alloc) */
    char where[64]; /* "subgraph 0 output 2: " for messages */
} reader;

static int corrupt(reader *r, const char *what)
{
    tfl__error_set(r->err, TFL_ERROR_BAD_MODEL, "TFLITE_METADATA: %s%s is out of bounds or malformed",
            r->where, what);
    return -1;
}

/* Every vector element copied counts against a budget of half the metadata's
 * size: a plain flatbuffer needs at least 4 bytes per element, so only
 * tables shared many times over (an attempt to blow up memory) exceed it. */
static void *md_alloc(reader *r, uint32_t count, size_t size)
{
    if (count == 0)
        return NULL;
    if (count > r->budget) {
        tfl__error_set(r->err, TFL_ERROR_BAD_MODEL,
                "TFLITE_METADATA: %sexpands to more entries than its size allows "
                "(tables shared many times?)",
                r->where);
        return NULL;
    }
    r->budget -= count;
    if (size && count > (SIZE_MAX - sizeof(block)) / size) {
        tfl__error_set(r->err, TFL_ERROR_NO_MEMORY, "TFLITE_METADATA: out of memory");
        return NULL;
    }
    block *b = calloc(1, sizeof(block) + (size_t)count * size);
    if (!b) {
        tfl__error_set(r->err, TFL_ERROR_NO_MEMORY, "TFLITE_METADATA: out of memory");
        return NULL;
    }
    b->next = r->md->blocks;
    r->md->blocks = b;
    return b + 1;
}

static int get_str(reader *r, const tfl__fb_table *t, int field, const char **out, const char *what)
{
    int k = tfl__fb_str_field(t, field, out, NULL);
    if (k < 0)
        return corrupt(r, what);
    if (k == 0 || !*out)
        *out = "";
    return 0;
}

/* Optional sub-table: 1 present, 0 absent, -1 malformed (error set). */
static int get_table(reader *r, const tfl__fb_table *t, int field, tfl__fb_table *out,
                     const char *what)
{
    int k = tfl__fb_table_field(t, field, out);
    return k < 0 ? corrupt(r, what) : k;
}

static int get_floats(reader *r, const tfl__fb_table *t, int field, int *n, const float **out,
                      const char *what)
{
    tfl__fb_vec v;
    *n = 0;
    *out = NULL;
    int k = tfl__fb_vec_field(t, field, 4, &v);
    if (k < 0)
        return corrupt(r, what);
    if (k == 0 || v.count == 0)
        return 0;
    float *a = md_alloc(r, v.count, sizeof *a);
    if (!a)
        return -1;
    for (uint32_t i = 0; i < v.count; ++i)
        a[i] = tfl__fb_vec_f32(&v, i);
    *out = a;
    *n = (int)v.count;
    return 0;
}

static int get_u32s(reader *r, const tfl__fb_table *t, int field, int *n, const uint32_t **out,
                    const char *what)
{
    tfl__fb_vec v;
    *n = 0;
    *out = NULL;
    int k = tfl__fb_vec_field(t, field, 4, &v);
    if (k < 0)
        return corrupt(r, what);
    if (k == 0 || v.count == 0)
        return 0;
    uint32_t *a = md_alloc(r, v.count, sizeof *a);
    if (!a)
        return -1;
    for (uint32_t i = 0; i < v.count; ++i)
        a[i] = (uint32_t)tfl__fb_vec_i32(&v, i);
    *out = a;
    *n = (int)v.count;
    return 0;
}

/* A vector of tables: checks it and allocates count elements of size bytes. */
static int get_table_vec(reader *r, const tfl__fb_table *t, int field, size_t size, tfl__fb_vec *v,
                         void **out, const char *what)
{
    *out = NULL;
    int k = tfl__fb_vec_field(t, field, 4, v);
    if (k < 0)
        return corrupt(r, what);
    if (k == 0)
        v->count = 0;
    if (v->count == 0)
        return 0;
    *out = md_alloc(r, v->count, size);
    return *out ? 0 : -1;
}

static int get_files(reader *r, const tfl__fb_table *t, int field, int *n,
                     const tfl_associated_file **out)
{
    tfl__fb_vec v;
    tfl_associated_file *a;
    *n = 0;
    *out = NULL;
    if (get_table_vec(r, t, field, sizeof *a, &v, (void **)&a, "associated_files") < 0)
        return -1;
    for (uint32_t i = 0; i < v.count; ++i) {
        tfl__fb_table ft;
        if (tfl__fb_vec_table(&v, i, &ft) < 0)
            return corrupt(r, "associated file");
        if (get_str(r, &ft, AF_NAME, &a[i].name, "associated file name") < 0 ||
            get_str(r, &ft, AF_DESCRIPTION, &a[i].description, "associated file description") < 0 ||
            get_str(r, &ft, AF_LOCALE, &a[i].locale, "associated file locale") < 0 ||
            get_str(r, &ft, AF_VERSION, &a[i].version, "associated file version") < 0)
            return -1;
        a[i].type = tfl__fb_i8(&ft, AF_TYPE, 0);
    }
    *out = a;
    *n = (int)v.count;
    return 0;
}

/* One ProcessUnit: options_type (union type) then options (table). */
static int get_process_unit(reader *r, const tfl__fb_table *t, tfl_process_unit *pu)
{
    tfl__fb_table o;
    pu->delim_regex_pattern = "";
    pu->kind = tfl__fb_u8(t, 0, TFL_PROCESS_NONE);
    int k = get_table(r, t, 1, &o, "process unit options");
    if (k <= 0)
        return k; /* absent options: the schema defaults (all empty) */
    switch (pu->kind) {
    case TFL_PROCESS_NORMALIZATION:
        if (get_floats(r, &o, 0, &pu->num_mean, &pu->mean, "normalization mean") < 0 ||
            get_floats(r, &o, 1, &pu->num_std, &pu->std, "normalization std") < 0)
            return -1;
        break;
    case TFL_PROCESS_SCORE_CALIBRATION:
        pu->score_transformation = tfl__fb_i8(&o, 0, 0);
        pu->default_score = tfl__fb_f32(&o, 1, 0.0f);
        break;
    case TFL_PROCESS_SCORE_THRESHOLDING:
        pu->global_score_threshold = tfl__fb_f32(&o, 0, 0.0f);
        break;
    case TFL_PROCESS_BERT_TOKENIZER:
        return get_files(r, &o, 0, &pu->num_vocab_files, &pu->vocab_files);
    case TFL_PROCESS_SENTENCE_PIECE_TOKENIZER:
        if (get_files(r, &o, 0, &pu->num_sentencepiece_models, &pu->sentencepiece_models) < 0)
            return -1;
        return get_files(r, &o, 1, &pu->num_vocab_files, &pu->vocab_files);
    case TFL_PROCESS_REGEX_TOKENIZER:
        if (get_str(r, &o, 0, &pu->delim_regex_pattern, "delim_regex_pattern") < 0)
            return -1;
        return get_files(r, &o, 1, &pu->num_vocab_files, &pu->vocab_files);
    default: break; /* a unit from a newer schema: listed by kind only */
    }
    return 0;
}

static int get_process_units(reader *r, const tfl__fb_table *t, int field, int *n,
                             const tfl_process_unit **out)
{
    tfl__fb_vec v;
    tfl_process_unit *a;
    *n = 0;
    *out = NULL;
    if (get_table_vec(r, t, field, sizeof *a, &v, (void **)&a, "process_units") < 0)
        return -1;
    for (uint32_t i = 0; i < v.count; ++i) {
        tfl__fb_table pt;
        if (tfl__fb_vec_table(&v, i, &pt) < 0)
            return corrupt(r, "process unit");
        if (get_process_unit(r, &pt, &a[i]) < 0)
            return -1;
    }
    *out = a;
    *n = (int)v.count;
    return 0;
}

static int get_content(reader *r, const tfl__fb_table *t, tfl_tensor_metadata *tm)
{
    tfl__fb_table c, p, sz, range;
    int k = get_table(r, t, TM_CONTENT, &c, "content");
    if (k <= 0)
        return k;
    tm->content = tfl__fb_u8(&c, CT_PROPS_TYPE, TFL_CONTENT_NONE);
    if ((k = get_table(r, &c, CT_RANGE, &range, "content range")) < 0)
        return -1;
    if (k > 0) {
        tm->has_range = 1;
        tm->range_min = tfl__fb_i32(&range, 0, 0);
        tm->range_max = tfl__fb_i32(&range, 1, 0);
    }
    if ((k = get_table(r, &c, CT_PROPS, &p, "content properties")) <= 0)
        return k; /* e.g. FeatureProperties written as a type alone */
    switch (tm->content) {
    case TFL_CONTENT_IMAGE:
        tm->color_space = tfl__fb_i8(&p, 0, TFL_COLOR_UNKNOWN);
        if ((k = get_table(r, &p, 1, &sz, "image default_size")) < 0)
            return -1;
        if (k > 0) {
            tm->image_width = tfl__fb_u32(&sz, 0, 0);
            tm->image_height = tfl__fb_u32(&sz, 1, 0);
        }
        break;
    case TFL_CONTENT_BOUNDING_BOX:
        if (get_u32s(r, &p, 0, &tm->num_box_index, &tm->box_index, "bounding box index") < 0)
            return -1;
        tm->box_type = tfl__fb_i8(&p, 1, TFL_BOX_UNKNOWN);
        tm->box_coordinate_type = tfl__fb_i8(&p, 2, TFL_COORD_RATIO);
        break;
    case TFL_CONTENT_AUDIO:
        tm->sample_rate = tfl__fb_u32(&p, 0, 0);
        tm->channels = tfl__fb_u32(&p, 1, 0);
        break;
    default: break; /* FeatureProperties has no fields; newer kinds are skipped */
    }
    return 0;
}

static int get_tensor(reader *r, const tfl__fb_table *t, tfl_tensor_metadata *tm)
{
    tfl__fb_table stats;
    if (get_str(r, t, TM_NAME, &tm->name, "name") < 0 ||
        get_str(r, t, TM_DESCRIPTION, &tm->description, "description") < 0 ||
        get_content(r, t, tm) < 0 ||
        get_process_units(r, t, TM_PROCESS_UNITS, &tm->num_process_units, &tm->process_units) < 0 ||
        get_files(r, t, TM_FILES, &tm->num_files, &tm->files) < 0)
        return -1;
    int k = get_table(r, t, TM_STATS, &stats, "stats");
    if (k < 0)
        return -1;
    if (k > 0 && (get_floats(r, &stats, 0, &tm->num_stats_max, &tm->stats_max, "stats max") < 0 ||
                  get_floats(r, &stats, 1, &tm->num_stats_min, &tm->stats_min, "stats min") < 0))
        return -1;
    for (int i = 0; i < tm->num_process_units; ++i) {
        const tfl_process_unit *pu = &tm->process_units[i];
        if (pu->kind == TFL_PROCESS_NORMALIZATION) {
            tm->num_mean = pu->num_mean;
            tm->mean = pu->mean;
            tm->num_std = pu->num_std;
            tm->std = pu->std;
            break;
        }
    }
    return 0;
}

static int get_tensors(reader *r, const tfl__fb_table *t, int field, int sg, const char *dir,
                       int *n, const tfl_tensor_metadata **out)
{
    tfl__fb_vec v;
    tfl_tensor_metadata *a;
    *n = 0;
    *out = NULL;
    const char *what = field == SG_INPUTS ? "input_tensor_metadata" : "output_tensor_metadata";
    snprintf(r->where, sizeof r->where, "subgraph %d ", sg);
    if (get_table_vec(r, t, field, sizeof *a, &v, (void **)&a, what) < 0)
        return -1;
    for (uint32_t i = 0; i < v.count; ++i) {
        tfl__fb_table tt;
        snprintf(r->where, sizeof r->where, "subgraph %d %s %u ", sg, dir, (unsigned)i);
        if (tfl__fb_vec_table(&v, i, &tt) < 0)
            return corrupt(r, "tensor metadata");
        if (get_tensor(r, &tt, &a[i]) < 0)
            return -1;
    }
    *out = a;
    *n = (int)v.count;
    return 0;
}

static int get_subgraph(reader *r, const tfl__fb_table *t, int sg, tfl_subgraph_metadata *s)
{
    snprintf(r->where, sizeof r->where, "subgraph %d ", sg);
    if (get_str(r, t, SG_NAME, &s->name, "name") < 0 ||
        get_str(r, t, SG_DESCRIPTION, &s->description, "description") < 0 ||
        get_files(r, t, SG_FILES, &s->num_files, &s->files) < 0 ||
        get_process_units(r, t, SG_INPUT_UNITS, &s->num_input_process_units,
                          &s->input_process_units) < 0 ||
        get_process_units(r, t, SG_OUTPUT_UNITS, &s->num_output_process_units,
                          &s->output_process_units) < 0)
        return -1;
    return get_tensors(r, t, SG_INPUTS, sg, "input", &s->num_inputs, &s->inputs) < 0 ||
                   get_tensors(r, t, SG_OUTPUTS, sg, "output", &s->num_outputs, &s->outputs) < 0
               ? -1
               : 0;
}

static int parse(reader *r, const uint8_t *buf, size_t len)
{
    tfl_metadata *md = r->md;
    tfl__fb_table root;
    if (len < 8) {
        tfl__error_set(r->err, TFL_ERROR_BAD_MODEL, "TFLITE_METADATA: %zu bytes is too small", len);
        return -1;
    }
    if (memcmp(buf + 4, "M001", 4) != 0) {
        char id[4];
        for (int i = 0; i < 4; ++i)
            id[i] = isprint(buf[4 + i]) ? (char)buf[4 + i] : '?';
        tfl__error_set(r->err, TFL_ERROR_BAD_MODEL,
                "TFLITE_METADATA: identifier is '%.4s', expected 'M001' (not TFLite Metadata)", id);
        return -1;
    }
    if (tfl__fb_root(buf, len, "M001", &root) < 0)
        return corrupt(r, "root table");
    md->has_entry = 1;
    if (get_str(r, &root, TFL__MD_MODEL_NAME, &md->name, "name") < 0 ||
        get_str(r, &root, TFL__MD_MODEL_DESCRIPTION, &md->description, "description") < 0 ||
        get_str(r, &root, TFL__MD_MODEL_VERSION, &md->version, "version") < 0 ||
        get_str(r, &root, TFL__MD_MODEL_AUTHOR, &md->author, "author") < 0 ||
        get_str(r, &root, TFL__MD_MODEL_LICENSE, &md->license, "license") < 0 ||
        get_str(r, &root, TFL__MD_MODEL_MIN_PARSER_VERSION, &md->min_parser_version,
                "min_parser_version") < 0 ||
        get_files(r, &root, TFL__MD_MODEL_FILES, &md->num_files, &md->files) < 0)
        return -1;
    tfl__fb_vec v;
    tfl_subgraph_metadata *sgs;
    if (get_table_vec(r, &root, TFL__MD_MODEL_SUBGRAPHS, sizeof *sgs, &v, (void **)&sgs,
                      "subgraph_metadata") < 0)
        return -1;
    for (uint32_t i = 0; i < v.count; ++i) {
        tfl__fb_table st;
        if (tfl__fb_vec_table(&v, i, &st) < 0)
            return corrupt(r, "subgraph metadata");
        if (get_subgraph(r, &st, (int)i, &sgs[i]) < 0)
            return -1;
    }
    md->subgraphs = sgs;
    md->num_subgraphs = (int)v.count;
    return 0;
}

static void set_empty_strings(tfl_metadata *md)
{
    md->name = md->description = md->version = "";
    md->author = md->license = md->min_parser_version = "";
}

tfl_metadata *tfl_metadata_read(const tfl_model *m, tfl_error *err)
{
    if (err) {
        err->status = TFL_OK;
        err->message[0] = 0;
    }
    if (!m) {
        tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "model is NULL");
        return NULL;
    }
    /* Look the entry up by name so that an empty one is an error, not absence. */
    const void *entry = NULL;
    size_t entry_size = 0;
    int has_entry = 0;
    for (int i = 0; i < tfl_model_num_metadata(m); ++i) {
        const char *name;
        if (tfl_model_metadata(m, i, &name, &entry, &entry_size) == TFL_OK &&
            strcmp(name, "TFLITE_METADATA") == 0) {
            has_entry = 1;
            break;
        }
    }
    tfl_metadata *md = calloc(1, sizeof *md);
    if (!md) {
        tfl__error_set(err, TFL_ERROR_NO_MEMORY, "out of memory");
        return NULL;
    }
    set_empty_strings(md);
    size_t size;
    const uint8_t *bytes = tfl_model_bytes(m, &size);
    int z = tfl__zip_read(bytes, size, &md->zip, err);
    if (z < 0)
        goto fail;
    if (!has_entry && z == 0) {
        tfl_metadata_free(md);
        tfl__error_set(err, TFL_OK, "model has no metadata");
        return NULL;
    }
    if (has_entry) {
        reader r = {.md = md, .err = err, .budget = entry_size / 2 + 256};
        if (parse(&r, entry ? entry : "", entry ? entry_size : 0) < 0)
            goto fail;
    }
    return md;
fail:
    tfl_metadata_free(md);
    return NULL;
}

void tfl_metadata_free(tfl_metadata *md)
{
    if (!md)
        return;
    block *b = md->blocks;
    while (b) {
        block *next = b->next;
        free(b);
        b = next;
    }
    tfl__zip_free(&md->zip);
    free(md);
}

int tfl_metadata_has_entry(const tfl_metadata *md)
{
    return md ? md->has_entry : 0;
}
const char *tfl_metadata_name(const tfl_metadata *md)
{
    return md ? md->name : "";
}
const char *tfl_metadata_description(const tfl_metadata *md)
{
    return md ? md->description : "";
}
const char *tfl_metadata_version(const tfl_metadata *md)
{
    return md ? md->version : "";
}
const char *tfl_metadata_author(const tfl_metadata *md)
{
    return md ? md->author : "";
}
const char *tfl_metadata_license(const tfl_metadata *md)
{
    return md ? md->license : "";
}

const char *tfl_metadata_min_parser_version(const tfl_metadata *md)
{
    return md ? md->min_parser_version : "";
}

const tfl_associated_file *tfl_metadata_associated_files(const tfl_metadata *md, int *count)
{
    if (count)
        *count = md ? md->num_files : 0;
    return md ? md->files : NULL;
}

int tfl_metadata_num_subgraphs(const tfl_metadata *md)
{
    return md ? md->num_subgraphs : 0;
}

const tfl_subgraph_metadata *tfl_metadata_subgraph(const tfl_metadata *md, int subgraph)
{
    if (!md || subgraph < 0 || subgraph >= md->num_subgraphs)
        return NULL;
    return &md->subgraphs[subgraph];
}

int tfl_metadata_num_inputs(const tfl_metadata *md)
{
    const tfl_subgraph_metadata *s = tfl_metadata_subgraph(md, 0);
    return s ? s->num_inputs : 0;
}

int tfl_metadata_num_outputs(const tfl_metadata *md)
{
    const tfl_subgraph_metadata *s = tfl_metadata_subgraph(md, 0);
    return s ? s->num_outputs : 0;
}

const tfl_tensor_metadata *tfl_metadata_input(const tfl_metadata *md, int i)
{
    const tfl_subgraph_metadata *s = tfl_metadata_subgraph(md, 0);
    return s && i >= 0 && i < s->num_inputs ? &s->inputs[i] : NULL;
}

const tfl_tensor_metadata *tfl_metadata_output(const tfl_metadata *md, int i)
{
    const tfl_subgraph_metadata *s = tfl_metadata_subgraph(md, 0);
    return s && i >= 0 && i < s->num_outputs ? &s->outputs[i] : NULL;
}

int tfl_metadata_num_files(const tfl_metadata *md)
{
    return md ? md->zip.num_entries : 0;
}

tfl_status tfl_metadata_file(const tfl_metadata *md, int i, const char **name, const void **data,
                             size_t *size)
{
    if (name)
        *name = NULL;
    if (data)
        *data = NULL;
    if (size)
        *size = 0;
    if (!md || i < 0 || i >= md->zip.num_entries)
        return TFL_ERROR_INVALID_ARGUMENT;
    const tfl__zip_entry *e = &md->zip.entries[i];
    if (name)
        *name = e->name;
    if (size)
        *size = e->size;
    if (!e->data)
        return TFL_ERROR_UNSUPPORTED;
    if (data)
        *data = e->data;
    return TFL_OK;
}

const void *tfl_metadata_find_file(const tfl_metadata *md, const char *name, size_t *size)
{
    const tfl__zip_entry *e = md ? tfl__zip_find(&md->zip, name) : NULL;
    if (size)
        *size = e && e->data ? e->size : 0;
    return e ? e->data : NULL;
}

/* ---- Label file lookup ---- */

static int lower(int c)
{
    return tolower((unsigned char)c);
}

/* Locale equality ignoring case; with prefix_only, "en-US" ~ "en_GB" ~ "en". */
static int locale_eq(const char *a, const char *b, int prefix_only)
{
    for (;; ++a, ++b) {
        int ea = *a == 0 || (prefix_only && (*a == '-' || *a == '_'));
        int eb = *b == 0 || (prefix_only && (*b == '-' || *b == '_'));
        if (ea || eb)
            return ea && eb;
        if (lower(*a) != lower(*b))
            return 0;
    }
}

static const tfl_associated_file *pick_label_file(const tfl_associated_file *f, int n, int type,
                                                  const char *locale)
{
    const tfl_associated_file *first = NULL, *bare = NULL, *en = NULL, *prefix = NULL;
    for (int i = 0; i < n; ++i) {
        if (f[i].type != type)
            continue;
        if (locale && *locale && locale_eq(f[i].locale, locale, 0))
            return &f[i];
        if (!first)
            first = &f[i];
        if (!prefix && locale && *locale && *f[i].locale && locale_eq(f[i].locale, locale, 1))
            prefix = &f[i];
        if (!bare && !*f[i].locale)
            bare = &f[i];
        if (!en && locale_eq(f[i].locale, "en", 1))
            en = &f[i];
    }
    return prefix ? prefix : bare ? bare : en ? en : first;
}

static int contains_label(const char *s)
{
    for (; *s; ++s) {
        const char *w = "label";
        size_t k = 0;
        while (w[k] && s[k] && lower(s[k]) == w[k])
            ++k;
        if (!w[k])
            return 1;
    }
    return 0;
}

tfl_status tfl_metadata_label_file(const tfl_metadata *md, int output, const char *locale,
                                   const char **name, const void **data, size_t *size,
                                   tfl_error *err)
{
    const char *dummy_name;
    const void *dummy_data;
    size_t dummy_size;
    name = name ? name : &dummy_name;
    data = data ? data : &dummy_data;
    size = size ? size : &dummy_size;
    *name = NULL;
    *data = NULL;
    *size = 0;
    if (err) {
        err->status = TFL_OK;
        err->message[0] = 0;
    }
    if (!md) {
        tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "metadata is NULL");
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    if (output < 0) {
        tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "output index %d is negative", output);
        return TFL_ERROR_INVALID_ARGUMENT;
    }
    const tfl_tensor_metadata *tm = tfl_metadata_output(md, output);
    const char *file = NULL;
    if (tm) {
        const tfl_associated_file *f =
            pick_label_file(tm->files, tm->num_files, TFL_FILE_TENSOR_AXIS_LABELS, locale);
        if (!f)
            f = pick_label_file(tm->files, tm->num_files, TFL_FILE_TENSOR_VALUE_LABELS, locale);
        file = f ? f->name : NULL;
    } else {
        /* The output is not described: a sole packed label file is taken. */
        int found = 0;
        for (int i = 0; i < md->zip.num_entries; ++i)
            if (contains_label(md->zip.entries[i].name)) {
                file = md->zip.entries[i].name;
                ++found;
            }
        if (found != 1)
            file = NULL;
    }
    if (!file) {
        tfl__error_set(err, TFL_OK, "output %d has no label file in the metadata", output);
        return TFL_OK;
    }
    const tfl__zip_entry *e = tfl__zip_find(&md->zip, file);
    if (!e) {
        tfl__error_set(err, TFL_ERROR_BAD_MODEL,
                "metadata names label file '%s' for output %d, but the model has no packed file "
                "of that name",
                file, output);
        return TFL_ERROR_BAD_MODEL;
    }
    *name = e->name;
    if (!e->data) {
        char buf[24];
        tfl__error_set(err, TFL_ERROR_UNSUPPORTED,
                "label file '%s' is packed with %s compression; tfl reads only stored "
                "(uncompressed) associated files",
                file, tfl__zip_method_name(e->method, buf, sizeof buf));
        return TFL_ERROR_UNSUPPORTED;
    }
    *data = e->data;
    *size = e->size;
    return TFL_OK;
}
