/* Runs one op outside a model: tests describe tensors and builtin options in
 * C, then init/prepare/eval the op exactly as the interpreter would. Options
 * are written as a real FlatBuffers table so the op's option parsing is
 * exercised too. */
#ifndef TFL_TEST_OP_HARNESS_H
#define TFL_TEST_OP_HARNESS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ops/op.h"

#define H_MAX_TENSORS 16
#define H_MAX_FIELDS 16

typedef struct op_harness {
    tfl__ctx ctx;
    tfl_tensor tensors[H_MAX_TENSORS];
    int num_tensors;
    tfl__node node;
    int32_t inputs[H_MAX_TENSORS], outputs[H_MAX_TENSORS];
    char error[512];
    /* options table being built: field -> (size, value) */
    int nfields;
    struct { int field; int size; uint64_t value; } fields[H_MAX_FIELDS];
    _Alignas(8) uint8_t optbuf[256];
    void *scratch;
    bool inited;
    /* per-channel quantization arrays kept alive here */
    float qscales[H_MAX_TENSORS][64];
    int64_t qzeros[H_MAX_TENSORS][64];
} op_harness;

static inline void h_init(op_harness *h, const tfl__op *op, const char *name)
{
    memset(h, 0, sizeof *h);
    h->node.op = op;
    h->node.name = name;
    h->node.builtin_code = op->builtin_code;
    h->node.version = op->min_version;
    h->node.inputs = h->inputs;
    h->node.outputs = h->outputs;
    h->ctx.tensors = h->tensors;
    h->ctx.error = h->error;
    h->ctx.error_size = sizeof h->error;
    h->ctx.num_threads = 1;
}

/* Adds a tensor. data == NULL: an activation (outputs get memory at run).
 * Constant inputs pass their data and are marked TFL__ALLOC_CONST. */
static inline int h_tensor(op_harness *h, tfl_type type, int ndim, const int32_t *dims,
                           const void *data, float scale, int32_t zero_point)
{
    int i = h->num_tensors++;
    tfl_tensor *t = &h->tensors[i];
    t->index = i;
    t->type = type;
    t->ndim = ndim;
    size_t n = 1;
    for (int d = 0; d < ndim; ++d) {
        t->dims[d] = dims[d];
        n *= (size_t)dims[d];
    }
    t->bytes = n * tfl_type_size(type);
    t->data = (uint8_t *)data;
    t->alloc = data ? TFL__ALLOC_CONST : TFL__ALLOC_NONE;
    t->name = "t";
    t->scale = scale;
    t->zero_point = zero_point;
    if (scale != 0.0f) {
        h->qscales[i][0] = scale;
        h->qzeros[i][0] = zero_point;
        t->quant.count = 1;
        t->quant.scales = h->qscales[i];
        t->quant.zero_points = h->qzeros[i];
    }
    h->ctx.num_tensors = h->num_tensors;
    return i;
}

/* An input whose data the op may read but which is not a model constant. */
static inline int h_input(op_harness *h, tfl_type type, int ndim, const int32_t *dims,
                          const void *data, float scale, int32_t zero_point)
{
    int i = h_tensor(h, type, ndim, dims, data, scale, zero_point);
    h->tensors[i].alloc = TFL__ALLOC_ARENA;
    return i;
}

/* Per-channel quantization for tensor i (e.g. conv filters). */
static inline void h_per_channel(op_harness *h, int i, int count, const float *scales,
                                 const int64_t *zero_points, int dim)
{
    tfl_tensor *t = &h->tensors[i];
    for (int c = 0; c < count && c < 64; ++c) {
        h->qscales[i][c] = scales[c];
        h->qzeros[i][c] = zero_points ? zero_points[c] : 0;
    }
    t->quant.count = count;
    t->quant.scales = h->qscales[i];
    t->quant.zero_points = h->qzeros[i];
    t->quant.quantized_dimension = dim;
    t->scale = scales[0];
    t->zero_point = (int32_t)t->quant.zero_points[0];
}

static inline void h_io(op_harness *h, int nin, const int *in, int nout, const int *out)
{
    for (int i = 0; i < nin; ++i)
        h->inputs[i] = in[i];
    for (int i = 0; i < nout; ++i)
        h->outputs[i] = out[i];
    h->node.num_inputs = nin;
    h->node.num_outputs = nout;
}

/* Scalar option fields (schema field index, byte size 1/2/4/8, bits). */
static inline void h_opt(op_harness *h, int field, int size, uint64_t value)
{
    h->fields[h->nfields].field = field;
    h->fields[h->nfields].size = size;
    h->fields[h->nfields].value = value;
    h->nfields++;
}
static inline void h_opt_i32(op_harness *h, int field, int32_t v) { h_opt(h, field, 4, (uint32_t)v); }
static inline void h_opt_u8(op_harness *h, int field, uint8_t v) { h_opt(h, field, 1, v); }
static inline void h_opt_f32(op_harness *h, int field, float v)
{
    uint32_t bits;
    memcpy(&bits, &v, 4);
    h_opt(h, field, 4, bits);
}

/* Lays out [vtable][table] with every scalar in an 8-byte slot. */
static inline void h_build_options(op_harness *h)
{
    if (h->nfields == 0)
        return;
    int maxf = 0;
    for (int i = 0; i < h->nfields; ++i)
        if (h->fields[i].field + 1 > maxf)
            maxf = h->fields[i].field + 1;
    size_t vt_len = 4 + 2 * (size_t)maxf;
    size_t vt_pos = 0;
    size_t tbl_pos = (vt_len + 7) & ~(size_t)7;
    size_t obj_len = 8 + 8 * (size_t)h->nfields;
    uint8_t *b = h->optbuf;
    memset(b, 0, sizeof h->optbuf);
    uint16_t u16 = (uint16_t)vt_len;
    memcpy(b + vt_pos, &u16, 2);
    u16 = (uint16_t)obj_len;
    memcpy(b + vt_pos + 2, &u16, 2);
    int32_t soff = (int32_t)(tbl_pos - vt_pos);
    memcpy(b + tbl_pos, &soff, 4);
    for (int i = 0; i < h->nfields; ++i) {
        uint16_t off = (uint16_t)(8 + 8 * i);
        memcpy(b + vt_pos + 4 + 2 * h->fields[i].field, &off, 2);
        memcpy(b + tbl_pos + off, &h->fields[i].value, (size_t)h->fields[i].size);
    }
    tfl__fb_table_at(b, tbl_pos + obj_len, tbl_pos, &h->node.options);
}

/* init + prepare; outputs get zeroed memory. Returns the first failure. */
static inline tfl_status h_prepare(op_harness *h)
{
    tfl_status s;
    h->error[0] = 0;
    if (!h->inited) {
        h_build_options(h);
        h->inited = true;
        if (h->node.op->init && (s = h->node.op->init(&h->ctx, &h->node)) != TFL_OK)
            return s;
    }
    if (h->node.op->prepare && (s = h->node.op->prepare(&h->ctx, &h->node)) != TFL_OK)
        return s;
    for (int o = 0; o < h->node.num_outputs; ++o) {
        tfl_tensor *t = &h->tensors[h->outputs[o]];
        if (t->alloc == TFL__ALLOC_DYNAMIC)
            continue;
        free(t->data);
        t->data = calloc(1, t->bytes ? t->bytes : 1);
        t->alloc = TFL__ALLOC_ARENA;
    }
    /* As the interpreter: shared scratch, then one slice per worker, 64-aligned. */
    size_t need = tfl__node_scratch_total(&h->node, h->ctx.num_threads);
    if (need == SIZE_MAX)
        return TFL_ERROR_NO_MEMORY;
    need = (need + 63) / 64 * 64;
    free(h->scratch);
    h->scratch = aligned_alloc(64, need ? need : 64);
    if (!h->scratch)
        return TFL_ERROR_NO_MEMORY;
    memset(h->scratch, 0, need ? need : 64);
    return TFL_OK;
}

static inline tfl_status h_run(op_harness *h)
{
    tfl_status s = h_prepare(h);
    if (s != TFL_OK)
        return s;
    h->ctx.scratch = h->scratch;
    h->ctx.node = &h->node;
    return h->node.op->eval(&h->ctx, &h->node);
}

static inline void *h_data(op_harness *h, int i) { return h->tensors[i].data; }

static inline void h_free(op_harness *h)
{
    if (h->inited && h->node.op->free)
        h->node.op->free(h->node.data);
    for (int o = 0; o < h->node.num_outputs; ++o) {
        free(h->tensors[h->outputs[o]].data);
        h->tensors[h->outputs[o]].data = NULL;
    }
    free(h->scratch);
    h->scratch = NULL;
}

#endif
