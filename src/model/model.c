/* Walks the TFLite schema (tflite/converter/schema/schema.fbs) into plain
 * structs. Fields read, by table (slot = position in the schema table):
 *   Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4,
 *          metadata 6, signature_defs 7
 *   OperatorCode: deprecated_builtin_code 0, custom_code 1, version 2, builtin_code 3
 *   SubGraph: tensors 0, inputs 1, outputs 2, operators 3, name 4
 *   Tensor: shape 0, type 1, buffer 2, name 3, quantization 4, is_variable 5,
 *           sparsity 6, shape_signature 7
 *   QuantizationParameters: scale 2, zero_point 3, details_type 4, quantized_dimension 6
 *   Operator: opcode_index 0, inputs 1, outputs 2, builtin_options_type 3,
 *             builtin_options 4, custom_options 5, intermediates 8,
 *             large_custom_options_offset 9, large_custom_options_size 10
 *   Buffer: data 0, offset 1, size 2 (offset/size: data stored after the
 *           flatbuffer, offset from the start of the file, valid when > 1)
 *   Metadata: name 0, buffer 1;  SignatureDef: inputs 0, outputs 1, key 2,
 *   subgraph_index 4;  TensorMap: name 0, tensor_index 1
 * Every count is bounded by the file size (a vector cannot claim more
 * elements than bytes it has), so nothing allocated here exceeds a small
 * multiple of the file. */
#include "model/model.h"
#include "model/sparse.h"
#include "core/error.h"
#include "core/packed.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SUBGRAPHS 4096

typedef struct parser {
    tfl__fb_table root;
    tfl__fb_vec buffers;
    tfl_model *m;
    tfl_error *err;
} parser;

static int fail(parser *p, tfl_status s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tfl__error_vset(p->err, s, fmt, ap);
    va_end(ap);
    return -1;
}

static int corrupt(parser *p, const char *what)
{
    return fail(p, TFL_ERROR_BAD_MODEL, "corrupt model: %s is out of bounds or malformed", what);
}

static void *xcalloc(parser *p, size_t n, size_t size)
{
    void *q = calloc(n ? n : 1, size);
    if (!q)
        fail(p, TFL_ERROR_NO_MEMORY, "out of memory loading model");
    return q;
}

/* Reads an int32 vector into a fresh array. */
static int read_i32_vec(parser *p, const tfl__fb_table *t, int field, const char *what,
                        int32_t **out, int *count)
{
    tfl__fb_vec v;
    *out = NULL;
    *count = 0;
    int r = tfl__fb_vec_field(t, field, 4, &v);
    if (r < 0)
        return corrupt(p, what);
    if (r == 0)
        return 0;
    if (v.count > INT32_MAX / 4)
        return corrupt(p, what);
    *out = xcalloc(p, v.count, sizeof(int32_t));
    if (!*out)
        return -1;
    for (uint32_t i = 0; i < v.count; ++i)
        (*out)[i] = tfl__fb_vec_i32(&v, i);
    *count = (int)v.count;
    return 0;
}

static int read_opcodes(parser *p)
{
    tfl__fb_vec v;
    int r = tfl__fb_vec_field(&p->root, 1, 4, &v);
    if (r < 0)
        return corrupt(p, "operator_codes");
    p->m->opcodes = xcalloc(p, v.count, sizeof(tfl__opcode));
    if (!p->m->opcodes)
        return -1;
    p->m->num_opcodes = (int)v.count;
    for (uint32_t i = 0; i < v.count; ++i) {
        tfl__fb_table t;
        if (tfl__fb_vec_table(&v, i, &t) < 0)
            return corrupt(p, "operator code");
        tfl__opcode *oc = &p->m->opcodes[i];
        /* Old files set only the int8 deprecated code; new ones set both and
         * use builtin_code beyond 127 (TFLite takes the larger of the two). */
        int deprecated = tfl__fb_i8(&t, 0, 0);
        int builtin = tfl__fb_i32(&t, 3, 0);
        oc->builtin_code = builtin > deprecated ? builtin : deprecated;
        if (oc->builtin_code < 0)
            return fail(p, TFL_ERROR_BAD_MODEL, "operator code %u has negative builtin code %d", i,
                        oc->builtin_code);
        oc->version = tfl__fb_i32(&t, 2, 1);
        if (tfl__fb_str_field(&t, 1, &oc->custom_code, NULL) < 0)
            return corrupt(p, "custom code string");
    }
    return 0;
}

/* Constant data of buffer index b, NULL/0 when the buffer is empty. */
static int read_buffer(parser *p, uint32_t b, const uint8_t **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    if (b == 0)
        return 0; /* buffer 0 is the always-empty sentinel */
    if (b >= p->buffers.count)
        return fail(p, TFL_ERROR_BAD_MODEL, "buffer index %u out of range (model has %u buffers)",
                    b, p->buffers.count);
    tfl__fb_table t;
    if (tfl__fb_vec_table(&p->buffers, b, &t) < 0)
        return corrupt(p, "buffer table");
    uint64_t off = tfl__fb_u64(&t, 1, 0), sz = tfl__fb_u64(&t, 2, 0);
    if (off > 1) {
        if (off > p->m->size || sz > p->m->size - off)
            return fail(p, TFL_ERROR_BAD_MODEL,
                        "buffer %u lies outside the file (offset %llu, size %llu, file %zu bytes)",
                        b, (unsigned long long)off, (unsigned long long)sz, p->m->size);
        *data = p->m->bytes + off;
        *size = (size_t)sz;
        return 0;
    }
    tfl__fb_vec v;
    int r = tfl__fb_vec_field(&t, 0, 1, &v);
    if (r < 0)
        return corrupt(p, "buffer data");
    if (r > 0 && v.count > 0) {
        *data = tfl__fb_vec_data(&v);
        *size = v.count;
    }
    return 0;
}

static int read_quant(parser *p, const tfl__fb_table *tt, tfl__model_tensor *mt, int ti)
{
    tfl__fb_table q;
    int r = tfl__fb_table_field(tt, 4, &q);
    if (r < 0)
        return corrupt(p, "tensor quantization");
    if (r == 0)
        return 0;
    tfl__fb_vec sv, zv;
    int rs = tfl__fb_vec_field(&q, 2, 4, &sv), rz = tfl__fb_vec_field(&q, 3, 8, &zv);
    if (rs < 0 || rz < 0)
        return corrupt(p, "quantization scales");
    if (rs == 0 || sv.count == 0)
        return 0; /* min/max only: not quantized for inference */
    /* One zero point for several scales is broadcast, as TFLite does. */
    if (rz > 0 && zv.count != sv.count && zv.count > 1)
        return fail(p, TFL_ERROR_BAD_MODEL, "tensor %d has %u scales but %u zero points", ti,
                    sv.count, zv.count);
    float *scales = xcalloc(p, sv.count, sizeof(float));
    int64_t *zps = xcalloc(p, sv.count, sizeof(int64_t));
    /* Attach before any later failure so the model free releases them. */
    mt->quant.scales = scales;
    mt->quant.zero_points = zps;
    if (!scales || !zps)
        return -1;
    for (uint32_t i = 0; i < sv.count; ++i) {
        scales[i] = tfl__fb_vec_f32(&sv, i);
        zps[i] = (rz > 0 && zv.count) ? tfl__fb_vec_i64(&zv, zv.count == 1 ? 0 : i) : 0;
    }
    mt->quant.count = (int)sv.count;
    /* A scale is a step size: NaN, infinite or negative ones (no converter
     * writes them) would turn every rescale of the kernels into nonsense. */
    for (uint32_t i = 0; i < sv.count; ++i)
        if (!isfinite(scales[i]) || scales[i] < 0.0f)
            return fail(p, TFL_ERROR_BAD_MODEL,
                        "tensor %d '%s': quantization scale %g is not a finite non-negative number",
                        ti, mt->name, (double)scales[i]);
    /* A zero point is a value of the tensor's type; one outside that range
     * (no converter writes it) would overflow the integer kernels. */
    int64_t zlo = -INT32_MAX, zhi = INT32_MAX; /* negatable in int32 */
    switch (mt->type) {
    case TFL_UINT8: zlo = 0; zhi = UINT8_MAX; break;
    case TFL_INT8: zlo = INT8_MIN; zhi = INT8_MAX; break;
    case TFL_INT16: zlo = INT16_MIN; zhi = INT16_MAX; break;
    case TFL_UINT16: zlo = 0; zhi = UINT16_MAX; break;
    case TFL_INT4: zlo = -8; zhi = 7; break;
    default: break;
    }
    for (uint32_t i = 0; i < sv.count; ++i)
        if (zps[i] < zlo || zps[i] > zhi)
            return fail(p, TFL_ERROR_BAD_MODEL,
                        "tensor %d '%s': zero point %lld is outside the range of %s", ti,
                        mt->name, (long long)zps[i], tfl_type_name(mt->type));
    int qd = tfl__fb_i32(&q, 6, 0);
    /* Some converters (e.g. for TFLite Micro's person_detect) leave the
     * filter's quantized_dimension on a 1-D bias; its only dimension is
     * the one the scales describe. */
    if (sv.count > 1 && mt->ndim == 1 && qd != 0 && (uint32_t)mt->dims[0] == sv.count)
        qd = 0;
    if (sv.count > 1 && (qd < 0 || qd >= mt->ndim || (uint32_t)mt->dims[qd] != sv.count))
        return fail(p, TFL_ERROR_BAD_MODEL,
                    "tensor %d '%s': %u per-channel scales do not match dimension %d of its shape",
                    ti, mt->name, sv.count, qd);
    mt->quant.quantized_dimension = qd;
    return 0;
}

static int densify(parser *p, const tfl__fb_table *tt, tfl__model_tensor *mt, int ti);

static int read_tensor(parser *p, const tfl__fb_table *tt, tfl__model_tensor *mt, int ti)
{
    tfl__fb_vec shape;
    int r = tfl__fb_vec_field(tt, 0, 4, &shape);
    if (r < 0)
        return corrupt(p, "tensor shape");
    if (r > 0 && shape.count > TFL_MAX_DIMS)
        return fail(p, TFL_ERROR_UNSUPPORTED, "tensor %d has rank %u; at most %d is supported", ti,
                    shape.count, TFL_MAX_DIMS);
    mt->ndim = r > 0 ? (int)shape.count : 0;
    uint64_t elements = 1;
    for (int d = 0; d < mt->ndim; ++d) {
        mt->dims[d] = tfl__fb_vec_i32(&shape, (uint32_t)d);
        if (mt->dims[d] < 0)
            return fail(p, TFL_ERROR_BAD_MODEL, "tensor %d has negative dimension %d", ti,
                        (int)mt->dims[d]);
        elements *= (uint64_t)mt->dims[d];
        /* 2^40 elements is far beyond any real model and keeps byte sizes
         * of every type far from overflow. */
        if (elements > ((uint64_t)1 << 40))
            return fail(p, TFL_ERROR_BAD_MODEL, "tensor %d declares an absurd shape", ti);
    }
    mt->type = (tfl_type)tfl__fb_i8(tt, 1, 0);
    if (tfl__fb_str_field(tt, 3, &mt->name, NULL) < 0)
        return corrupt(p, "tensor name");
    if (!mt->name)
        mt->name = "";
    mt->is_variable = tfl__fb_u8(tt, 5, 0) != 0;
    mt->is_sparse = tfl__fb_has(tt, 6);
    tfl__fb_vec sig;
    r = tfl__fb_vec_field(tt, 7, 4, &sig);
    if (r < 0)
        return corrupt(p, "tensor shape_signature");
    if (r > 0 && sig.count <= TFL_MAX_DIMS) {
        mt->has_sig = true;
        mt->sig_ndim = (int)sig.count;
        for (uint32_t d = 0; d < sig.count; ++d)
            mt->sig[d] = tfl__fb_vec_i32(&sig, d);
    }
    if (read_buffer(p, tfl__fb_u32(tt, 2, 0), &mt->data, &mt->data_size) < 0)
        return -1;
    if (read_quant(p, tt, mt, ti) < 0)
        return -1;
    /* Kernels read constants as typed arrays. Converters align buffers to 16
     * bytes, so weights are used in place; the rare misaligned one (or a
     * caller buffer at an odd address) gets an aligned copy instead. */
    size_t align = tfl_type_size(mt->type);
    if (mt->data && align > 1 && align <= 16 && ((uintptr_t)mt->data % align) != 0) {
        uint8_t *copy = malloc(mt->data_size ? mt->data_size : 1);
        if (!copy)
            return fail(p, TFL_ERROR_NO_MEMORY, "out of memory loading model");
        memcpy(copy, mt->data, mt->data_size);
        mt->data = copy;
        mt->data_owned = true;
    }
    if (mt->is_sparse && densify(p, tt, mt, ti) < 0)
        return -1;
    /* Constant data must cover the shape exactly (TFLite refuses otherwise). */
    size_t esize = tfl_type_size(mt->type);
    if (mt->data && esize && !mt->is_sparse) {
        uint64_t n = 1;
        for (int d = 0; d < mt->ndim; ++d)
            n *= (uint64_t)mt->dims[d];
        if (n > UINT64_MAX / 8 || n * esize != mt->data_size)
            return fail(p, TFL_ERROR_BAD_MODEL,
                        "tensor %d '%s': constant data has %zu bytes, shape needs %llu", ti,
                        mt->name, mt->data_size, (unsigned long long)(n * esize));
    }
    return 0;
}

/* A sparse constant becomes its dense form here, once, so that every op
 * reads ordinary dense data (model/sparse.h). */
static int densify(parser *p, const tfl__fb_table *tt, tfl__model_tensor *mt, int ti)
{
    tfl__fb_table sp;
    const size_t esize = tfl_type_size(mt->type);
    if (tfl__fb_table_field(tt, 6, &sp) <= 0)
        return corrupt(p, "tensor sparsity");
    if (!mt->data || esize == 0)
        return fail(p, TFL_ERROR_UNSUPPORTED,
                    "tensor %d '%s': only constant sparse tensors of fixed-size types are "
                    "supported",
                    ti, mt->name);
    if (mt->data_size % esize != 0)
        return fail(p, TFL_ERROR_BAD_MODEL,
                    "tensor %d '%s': %zu bytes of sparse values are not whole elements", ti,
                    mt->name, mt->data_size);
    uint64_t n = 1;
    for (int d = 0; d < mt->ndim; ++d)
        n *= (uint64_t)mt->dims[d];
    /* Densified at load, outside any interpreter's memory limit: keep it
     * to sizes real weights have. */
    if (n * esize > ((uint64_t)1 << 31))
        return fail(p, TFL_ERROR_UNSUPPORTED,
                    "tensor %d '%s': sparse tensor of %llu elements is too large to densify", ti,
                    mt->name, (unsigned long long)n);
    uint8_t *dense = malloc((n * esize) != 0 ? (size_t)(n * esize) : 1);
    if (!dense)
        return fail(p, TFL_ERROR_NO_MEMORY, "out of memory densifying tensor %d", ti);
    char why[160];
    if (tfl__sparse_densify(&sp, mt->dims, mt->ndim, mt->data, mt->data_size / esize, esize,
                            dense, why, sizeof why) < 0) {
        free(dense);
        return fail(p, TFL_ERROR_BAD_MODEL, "tensor %d '%s': %s", ti, mt->name, why);
    }
    if (mt->data_owned)
        free((void *)mt->data);
    mt->data = dense;
    mt->data_size = (size_t)(n * esize);
    mt->data_owned = true;
    mt->is_sparse = false;
    mt->was_sparse = true;
    return 0;
}

static int check_index_list(parser *p, const int32_t *idx, int n, int num_tensors,
                            bool allow_optional, const char *what, int where)
{
    for (int i = 0; i < n; ++i)
        if (idx[i] >= num_tensors || idx[i] < (allow_optional ? -1 : 0))
            return fail(p, TFL_ERROR_BAD_MODEL, "%s %d refers to tensor %d (subgraph has %d)",
                        what, where, (int)idx[i], num_tensors);
    return 0;
}

static int read_op(parser *p, const tfl__fb_table *ot, tfl__model_op *op, int num_tensors, int oi)
{
    op->opcode_index = tfl__fb_u32(ot, 0, 0);
    if (op->opcode_index >= (uint32_t)p->m->num_opcodes)
        return fail(p, TFL_ERROR_BAD_MODEL, "operator %d uses opcode %u (model has %d)", oi,
                    op->opcode_index, p->m->num_opcodes);
    if (read_i32_vec(p, ot, 1, "operator inputs", &op->inputs, &op->num_inputs) < 0 ||
        read_i32_vec(p, ot, 2, "operator outputs", &op->outputs, &op->num_outputs) < 0 ||
        read_i32_vec(p, ot, 8, "operator intermediates", &op->intermediates,
                     &op->num_intermediates) < 0)
        return -1;
    if (check_index_list(p, op->inputs, op->num_inputs, num_tensors, true, "input of operator",
                         oi) < 0 ||
        check_index_list(p, op->outputs, op->num_outputs, num_tensors, false,
                         "output of operator", oi) < 0 ||
        check_index_list(p, op->intermediates, op->num_intermediates, num_tensors, false,
                         "intermediate of operator", oi) < 0)
        return -1;
    op->options_type = tfl__fb_u8(ot, 3, 0);
    if (tfl__fb_table_field(ot, 4, &op->options) < 0)
        return corrupt(p, "operator options");
    tfl__fb_vec cv;
    int r = tfl__fb_vec_field(ot, 5, 1, &cv);
    if (r < 0)
        return corrupt(p, "custom options");
    if (r > 0) {
        op->custom_options = tfl__fb_vec_data(&cv);
        op->custom_options_size = cv.count;
    }
    uint64_t loff = tfl__fb_u64(ot, 9, 0), lsize = tfl__fb_u64(ot, 10, 0);
    if (loff > 1) {
        if (loff > p->m->size || lsize > p->m->size - loff)
            return fail(p, TFL_ERROR_BAD_MODEL, "operator %d custom options lie outside the file",
                        oi);
        op->custom_options = p->m->bytes + loff;
        op->custom_options_size = (size_t)lsize;
    }
    return 0;
}

static int read_subgraph(parser *p, const tfl__fb_table *st, tfl__subgraph *sg, int si)
{
    tfl__fb_vec tv, ov;
    if (tfl__fb_vec_field(st, 0, 4, &tv) < 0)
        return corrupt(p, "subgraph tensors");
    if (tfl__fb_vec_field(st, 3, 4, &ov) < 0)
        return corrupt(p, "subgraph operators");
    if (tfl__fb_str_field(st, 4, &sg->name, NULL) < 0)
        return corrupt(p, "subgraph name");
    if (!sg->name)
        sg->name = "";
    sg->tensors = xcalloc(p, tv.count, sizeof *sg->tensors);
    sg->ops = xcalloc(p, ov.count, sizeof *sg->ops);
    if (!sg->tensors || !sg->ops)
        return -1;
    sg->num_tensors = (int)tv.count;
    sg->num_ops = (int)ov.count;
    for (uint32_t i = 0; i < tv.count; ++i) {
        tfl__fb_table tt;
        if (tfl__fb_vec_table(&tv, i, &tt) < 0)
            return corrupt(p, "tensor table");
        if (read_tensor(p, &tt, &sg->tensors[i], (int)i) < 0)
            return -1;
    }
    if (read_i32_vec(p, st, 1, "subgraph inputs", &sg->inputs, &sg->num_inputs) < 0 ||
        read_i32_vec(p, st, 2, "subgraph outputs", &sg->outputs, &sg->num_outputs) < 0)
        return -1;
    if (check_index_list(p, sg->inputs, sg->num_inputs, sg->num_tensors, false,
                         "input of subgraph", si) < 0 ||
        check_index_list(p, sg->outputs, sg->num_outputs, sg->num_tensors, false,
                         "output of subgraph", si) < 0)
        return -1;
    for (uint32_t i = 0; i < ov.count; ++i) {
        tfl__fb_table ot;
        if (tfl__fb_vec_table(&ov, i, &ot) < 0)
            return corrupt(p, "operator table");
        if (read_op(p, &ot, &sg->ops[i], sg->num_tensors, (int)i) < 0)
            return -1;
    }
    return 0;
}

static int read_metadata(parser *p)
{
    tfl__fb_vec v;
    int r = tfl__fb_vec_field(&p->root, 6, 4, &v);
    if (r < 0)
        return corrupt(p, "metadata");
    if (r == 0)
        return 0;
    p->m->metadata = xcalloc(p, v.count, sizeof *p->m->metadata);
    if (!p->m->metadata)
        return -1;
    p->m->num_metadata = (int)v.count;
    for (uint32_t i = 0; i < v.count; ++i) {
        tfl__fb_table t;
        tfl__metadata *md = &p->m->metadata[i];
        if (tfl__fb_vec_table(&v, i, &t) < 0 || tfl__fb_str_field(&t, 0, &md->name, NULL) < 0)
            return corrupt(p, "metadata entry");
        if (!md->name)
            md->name = "";
        if (read_buffer(p, tfl__fb_u32(&t, 1, 0), &md->data, &md->size) < 0)
            return -1;
    }
    return 0;
}

static int read_tensor_maps(parser *p, const tfl__fb_table *t, int field, int subgraph,
                            tfl_signature_tensor **out, int *count)
{
    tfl__fb_vec v;
    int r = tfl__fb_vec_field(t, field, 4, &v);
    *out = NULL;
    *count = 0;
    if (r < 0)
        return corrupt(p, "signature tensor map");
    if (r == 0)
        return 0;
    *out = xcalloc(p, v.count, sizeof **out);
    if (!*out)
        return -1;
    *count = (int)v.count;
    const tfl__subgraph *sg = &p->m->subgraphs[subgraph];
    for (uint32_t i = 0; i < v.count; ++i) {
        tfl__fb_table mt;
        if (tfl__fb_vec_table(&v, i, &mt) < 0 ||
            tfl__fb_str_field(&mt, 0, &(*out)[i].name, NULL) < 0)
            return corrupt(p, "signature tensor map");
        if (!(*out)[i].name)
            (*out)[i].name = "";
        uint32_t ti = tfl__fb_u32(&mt, 1, 0);
        if (ti >= (uint32_t)sg->num_tensors)
            return fail(p, TFL_ERROR_BAD_MODEL, "signature tensor '%s' refers to tensor %u",
                        (*out)[i].name, ti);
        (*out)[i].tensor_index = (int32_t)ti;
    }
    return 0;
}

static int read_signatures(parser *p)
{
    tfl__fb_vec v;
    int r = tfl__fb_vec_field(&p->root, 7, 4, &v);
    if (r < 0)
        return corrupt(p, "signature_defs");
    if (r == 0)
        return 0;
    p->m->signatures = xcalloc(p, v.count, sizeof *p->m->signatures);
    if (!p->m->signatures)
        return -1;
    p->m->num_signatures = (int)v.count;
    for (uint32_t i = 0; i < v.count; ++i) {
        tfl__fb_table t;
        tfl_signature *s = &p->m->signatures[i];
        if (tfl__fb_vec_table(&v, i, &t) < 0 || tfl__fb_str_field(&t, 2, &s->key, NULL) < 0)
            return corrupt(p, "signature def");
        if (!s->key)
            s->key = "";
        uint32_t sgi = tfl__fb_u32(&t, 4, 0);
        if (sgi >= (uint32_t)p->m->num_subgraphs)
            return fail(p, TFL_ERROR_BAD_MODEL, "signature '%s' refers to subgraph %u", s->key,
                        sgi);
        s->subgraph = (int)sgi;
        tfl_signature_tensor *in, *out;
        /* Stored before the result is checked: the model's free releases
         * a map that failed half way. */
        int rin = read_tensor_maps(p, &t, 0, s->subgraph, &in, &s->num_inputs);
        s->inputs = in;
        if (rin < 0)
            return -1;
        int rout = read_tensor_maps(p, &t, 1, s->subgraph, &out, &s->num_outputs);
        s->outputs = out;
        if (rout < 0)
            return -1;
    }
    return 0;
}

tfl_model *tfl__model_parse(const uint8_t *bytes, size_t size, tfl_error *err)
{
    parser p = {.err = err};
    if (size < 8) {
        fail(&p, TFL_ERROR_BAD_MODEL, "not a TFLite model: %zu bytes is too small", size);
        return NULL;
    }
    if (memcmp(bytes + 4, "TFL3", 4) != 0) {
        char id[5];
        for (int i = 0; i < 4; ++i)
            id[i] = (bytes[4 + i] >= 32 && bytes[4 + i] < 127) ? (char)bytes[4 + i] : '?';
        id[4] = 0;
        fail(&p, TFL_ERROR_BAD_MODEL,
             "not a TFLite model: file identifier is '%s', expected 'TFL3'", id);
        return NULL;
    }
    if (tfl__fb_root(bytes, size, NULL, &p.root) < 0) {
        corrupt(&p, "root table");
        return NULL;
    }
    tfl_model *m = calloc(1, sizeof *m);
    if (!m) {
        fail(&p, TFL_ERROR_NO_MEMORY, "out of memory loading model");
        return NULL;
    }
    p.m = m;
    m->bytes = bytes;
    m->size = size;
    m->version = tfl__fb_u32(&p.root, 0, 0);
    if (tfl__fb_str_field(&p.root, 3, &m->description, NULL) < 0) {
        corrupt(&p, "description");
        goto fail;
    }
    if (!m->description)
        m->description = "";
    if (tfl__fb_vec_field(&p.root, 4, 4, &p.buffers) < 0) {
        corrupt(&p, "buffers");
        goto fail;
    }
    if (read_opcodes(&p) < 0)
        goto fail;
    tfl__fb_vec sv;
    if (tfl__fb_vec_field(&p.root, 2, 4, &sv) < 0) {
        corrupt(&p, "subgraphs");
        goto fail;
    }
    if (sv.count == 0) {
        fail(&p, TFL_ERROR_BAD_MODEL, "model has no subgraphs");
        goto fail;
    }
    if (sv.count > MAX_SUBGRAPHS) {
        fail(&p, TFL_ERROR_BAD_MODEL, "model declares %u subgraphs", sv.count);
        goto fail;
    }
    m->subgraphs = xcalloc(&p, sv.count, sizeof *m->subgraphs);
    if (!m->subgraphs)
        goto fail;
    m->num_subgraphs = (int)sv.count;
    for (uint32_t i = 0; i < sv.count; ++i) {
        tfl__fb_table st;
        if (tfl__fb_vec_table(&sv, i, &st) < 0) {
            corrupt(&p, "subgraph table");
            goto fail;
        }
        if (read_subgraph(&p, &st, &m->subgraphs[i], (int)i) < 0)
            goto fail;
    }
    if (read_metadata(&p) < 0 || read_signatures(&p) < 0)
        goto fail;
    m->packed = tfl__packed_cache_create();
    if (!m->packed) {
        fail(&p, TFL_ERROR_NO_MEMORY, "out of memory loading model");
        goto fail;
    }
    return m;
fail:
    tfl_model_free(m);
    return NULL;
}
