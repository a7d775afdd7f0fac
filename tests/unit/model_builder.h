/* Builds small TFLite model files in memory for tests, with every field under
 * the test's control so each malformed-model case can be made precisely.
 * FlatBuffers written front to back: a parent is written before its children
 * and its offset fields are patched once the child's position is known
 * (uoffsets must point forward, which this order guarantees). */
#ifndef TFL_TEST_MODEL_BUILDER_H
#define TFL_TEST_MODEL_BUILDER_H

#include <stdint.h>
#include <string.h>

typedef struct fbb {
    uint8_t buf[1 << 16];
    size_t len;
} fbb;

static void fbb_pad(fbb *b, size_t align)
{
    while (b->len % align)
        b->buf[b->len++] = 0;
}

static size_t fbb_u32(fbb *b, uint32_t v)
{
    fbb_pad(b, 4);
    size_t pos = b->len;
    memcpy(b->buf + pos, &v, 4);
    b->len += 4;
    return pos;
}

/* Makes the uoffset stored at `at` point to `target`. */
static void fbb_patch(fbb *b, size_t at, size_t target)
{
    uint32_t off = (uint32_t)(target - at);
    memcpy(b->buf + at, &off, 4);
}

enum { F_NONE, F_U8, F_I32, F_U32, F_F32, F_U64, F_REF };
typedef struct fbb_field {
    int kind;
    uint64_t value; /* scalar bits */
} fbb_field;

/* Writes a vtable then the table; returns the table position. ref_at[i]
 * receives the position of field i's uoffset slot (for F_REF fields). */
static size_t fbb_table(fbb *b, int n, const fbb_field *f, size_t *ref_at)
{
    fbb_pad(b, 4);
    size_t vt = b->len;
    uint16_t vt_len = (uint16_t)(4 + 2 * n);
    /* every field gets an 8-byte slot after the 4-byte soffset */
    uint16_t obj_len = (uint16_t)(8 + 8 * n);
    memcpy(b->buf + vt, &vt_len, 2);
    memcpy(b->buf + vt + 2, &obj_len, 2);
    b->len += vt_len;
    fbb_pad(b, 8);
    size_t tbl = b->len;
    int32_t soff = (int32_t)(tbl - vt);
    memset(b->buf + tbl, 0, obj_len);
    memcpy(b->buf + tbl, &soff, 4);
    for (int i = 0; i < n; ++i) {
        uint16_t off = 0;
        if (f[i].kind != F_NONE) {
            off = (uint16_t)(8 + 8 * i);
            size_t sz = f[i].kind == F_U8 ? 1 : f[i].kind == F_U64 ? 8 : 4;
            memcpy(b->buf + tbl + off, &f[i].value, sz);
            if (f[i].kind == F_REF && ref_at)
                ref_at[i] = tbl + off;
        }
        memcpy(b->buf + vt + 4 + 2 * i, &off, 2);
    }
    b->len = tbl + obj_len;
    return tbl;
}

static size_t fbb_vec_i32(fbb *b, int n, const int32_t *v)
{
    size_t pos = fbb_u32(b, (uint32_t)n);
    memcpy(b->buf + b->len, v, 4 * (size_t)n);
    b->len += 4 * (size_t)n;
    return pos;
}

static size_t fbb_vec_bytes(fbb *b, size_t n, const void *data)
{
    /* data 16-aligned like the TFLite Buffer schema asks */
    while ((b->len + 4) % 16)
        b->buf[b->len++] = 0;
    size_t pos = fbb_u32(b, (uint32_t)n);
    memcpy(b->buf + b->len, data, n);
    b->len += n;
    return pos;
}

static size_t fbb_string(fbb *b, const char *s)
{
    size_t n = strlen(s);
    size_t pos = fbb_u32(b, (uint32_t)n);
    memcpy(b->buf + b->len, s, n + 1);
    b->len += n + 1;
    return pos;
}

/* Vector of n uoffsets; slots[i] receives each slot's position. */
static size_t fbb_vec_refs(fbb *b, int n, size_t *slots)
{
    size_t pos = fbb_u32(b, (uint32_t)n);
    for (int i = 0; i < n; ++i)
        slots[i] = fbb_u32(b, 0);
    return pos;
}

/* A one-op model: out = ADD(in0, in1) on float32 [1, 2, 3] with optional
 * constant second input. Fields a test may corrupt are in the spec. */
typedef struct model_spec {
    int32_t opcode_builtin;   /* 0 = ADD */
    int32_t opcode_version;
    uint32_t opcode_index;    /* operator's index into operator_codes */
    int32_t in0, in1, out;    /* operator tensor indices */
    int32_t dims[9];
    int32_t ndim;
    uint32_t const_buffer;    /* buffer index of tensor 1 (0 = activation) */
    uint32_t const_bytes;     /* bytes stored in buffer 1 */
    int32_t graph_input;      /* subgraph input tensor */
    uint32_t num_scales;      /* quantization scales on tensor 0 (0 = none) */
    int32_t quantized_dimension;
    int tensor_type;          /* schema TensorType of all tensors */
    uint64_t buffer_offset;   /* >1: buffer 1 stored outside the flatbuffer at this offset */
    int64_t zero_point;       /* of every scale on tensor 0 */
    float scale;              /* every scale on tensor 0 */
    int with_signature;       /* add signature "serving_default" (input "a" = tensor 0) */
    const char *custom_code;  /* the opcode's custom code (with opcode_builtin 32) */
    uint32_t signature_subgraph;
} model_spec;

static model_spec model_spec_default(void)
{
    model_spec s = {0};
    s.opcode_builtin = 0;
    s.opcode_version = 1;
    s.in0 = 0;
    s.in1 = 1;
    s.out = 2;
    s.ndim = 3;
    s.dims[0] = 1;
    s.dims[1] = 2;
    s.dims[2] = 3;
    s.const_buffer = 1;
    s.const_bytes = 24;
    s.graph_input = 0;
    s.tensor_type = 0;
    s.scale = 0.5f;
    return s;
}

/* Returns the model size. */
static size_t build_model(fbb *b, const model_spec *s)
{
    memset(b, 0, sizeof *b);
    size_t root = fbb_u32(b, 0);
    memcpy(b->buf + 4, "TFL3", 4);
    b->len = 8;
    size_t mref[8] = {0};
    fbb_field mf[8] = {{F_U32, 3}, {F_REF, 0}, {F_REF, 0}, {F_REF, 0},
                       {F_REF, 0}, {F_NONE, 0}, {F_NONE, 0}, {F_REF, 0}};
    size_t model = fbb_table(b, s->with_signature ? 8 : 5, mf, mref);
    fbb_patch(b, root, model);
    /* operator_codes */
    size_t oc_slot;
    fbb_patch(b, mref[1], fbb_vec_refs(b, 1, &oc_slot));
    size_t ocref[4] = {0};
    fbb_field ocf[4] = {{F_U8, (uint64_t)(s->opcode_builtin < 127 ? s->opcode_builtin : 127)},
                        {s->custom_code ? F_REF : F_NONE, 0},
                        {F_I32, (uint32_t)s->opcode_version},
                        {F_I32, (uint32_t)s->opcode_builtin}};
    fbb_patch(b, oc_slot, fbb_table(b, 4, ocf, ocref));
    if (s->custom_code)
        fbb_patch(b, ocref[1], fbb_string(b, s->custom_code));
    /* subgraphs */
    size_t sg_slot;
    fbb_patch(b, mref[2], fbb_vec_refs(b, 1, &sg_slot));
    size_t sref[5] = {0};
    fbb_field sgf[5] = {{F_REF, 0}, {F_REF, 0}, {F_REF, 0}, {F_REF, 0}, {F_REF, 0}};
    fbb_patch(b, sg_slot, fbb_table(b, 5, sgf, sref));
    size_t t_slots[3];
    fbb_patch(b, sref[0], fbb_vec_refs(b, 3, t_slots));
    static const char *names[3] = {"a", "b", "sum"};
    for (int t = 0; t < 3; ++t) {
        size_t tref[5] = {0};
        fbb_field tf[5] = {{F_REF, 0},
                           {F_U8, (uint64_t)s->tensor_type},
                           {F_U32, t == 1 ? s->const_buffer : 0},
                           {F_REF, 0},
                           {s->num_scales && t == 0 ? F_REF : F_NONE, 0}};
        fbb_patch(b, t_slots[t], fbb_table(b, 5, tf, tref));
        fbb_patch(b, tref[0], fbb_vec_i32(b, s->ndim, s->dims));
        fbb_patch(b, tref[3], fbb_string(b, names[t]));
        if (s->num_scales && t == 0) {
            size_t qref[7] = {0};
            fbb_field qf[7] = {{F_NONE, 0}, {F_NONE, 0}, {F_REF, 0}, {F_REF, 0},
                               {F_NONE, 0}, {F_NONE, 0}, {F_I32, (uint32_t)s->quantized_dimension}};
            fbb_patch(b, tref[4], fbb_table(b, 7, qf, qref));
            float scales[64];
            int64_t zps[64] = {0};
            for (uint32_t i = 0; i < s->num_scales && i < 64; ++i) {
                scales[i] = s->scale;
                zps[i] = s->zero_point;
            }
            size_t sv = fbb_u32(b, s->num_scales);
            memcpy(b->buf + b->len, scales, 4 * s->num_scales);
            b->len += 4 * s->num_scales;
            fbb_patch(b, qref[2], sv);
            fbb_pad(b, 8);
            b->len += 4; /* int64 vector data must be 8-aligned after the count */
            size_t zv = fbb_u32(b, s->num_scales);
            memcpy(b->buf + b->len, zps, 8 * s->num_scales);
            b->len += 8 * s->num_scales;
            fbb_patch(b, qref[3], zv);
        }
    }
    int32_t gin[1] = {s->graph_input}, gout[1] = {2};
    fbb_patch(b, sref[1], fbb_vec_i32(b, 1, gin));
    fbb_patch(b, sref[2], fbb_vec_i32(b, 1, gout));
    size_t op_slot;
    fbb_patch(b, sref[3], fbb_vec_refs(b, 1, &op_slot));
    size_t oref[3] = {0};
    fbb_field of[3] = {{F_U32, s->opcode_index}, {F_REF, 0}, {F_REF, 0}};
    fbb_patch(b, op_slot, fbb_table(b, 3, of, oref));
    int32_t ins[2] = {s->in0, s->in1}, outs[1] = {s->out};
    fbb_patch(b, oref[1], fbb_vec_i32(b, 2, ins));
    fbb_patch(b, oref[2], fbb_vec_i32(b, 1, outs));
    fbb_patch(b, sref[4], fbb_string(b, "main"));
    /* description */
    fbb_patch(b, mref[3], fbb_string(b, "test model"));
    /* buffers: 0 empty sentinel, 1 constant data */
    size_t b_slots[2];
    fbb_patch(b, mref[4], fbb_vec_refs(b, 2, b_slots));
    fbb_patch(b, b_slots[0], fbb_table(b, 0, NULL, NULL));
    float data[64];
    for (int i = 0; i < 64; ++i)
        data[i] = (float)i;
    if (s->buffer_offset > 1) {
        fbb_field bf[3] = {{F_NONE, 0}, {F_U64, s->buffer_offset}, {F_U64, s->const_bytes}};
        fbb_patch(b, b_slots[1], fbb_table(b, 3, bf, NULL));
    } else {
        size_t bref[1] = {0};
        fbb_field bf[1] = {{F_REF, 0}};
        fbb_patch(b, b_slots[1], fbb_table(b, 1, bf, bref));
        fbb_patch(b, bref[0], fbb_vec_bytes(b, s->const_bytes, data));
    }
    if (s->with_signature) {
        /* SignatureDef: inputs, outputs, signature_key, (deprecated), subgraph_index */
        size_t sig_slot, sigref[5] = {0};
        fbb_patch(b, mref[7], fbb_vec_refs(b, 1, &sig_slot));
        fbb_field sf[5] = {{F_REF, 0}, {F_NONE, 0}, {F_REF, 0}, {F_NONE, 0},
                           {F_U32, s->signature_subgraph}};
        fbb_patch(b, sig_slot, fbb_table(b, 5, sf, sigref));
        size_t map_slot, mapref[2] = {0};
        fbb_patch(b, sigref[0], fbb_vec_refs(b, 1, &map_slot));
        fbb_field tmf[2] = {{F_REF, 0}, {F_U32, 0}};
        fbb_patch(b, map_slot, fbb_table(b, 2, tmf, mapref));
        fbb_patch(b, mapref[0], fbb_string(b, "a"));
        fbb_patch(b, sigref[2], fbb_string(b, "serving_default"));
    }
    return b->len;
}

#endif
