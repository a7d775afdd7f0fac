/* Public model API: loading from a file (memory-mapped) or a caller's buffer,
 * freeing, and read-only accessors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/builtin_names.h"
#include "model/model.h"
#include "core/error.h"
#include "core/packed.h"
#include "ops/op.h"

tfl_model *tfl_model_load_file(const char *path, tfl_error *err)
{
    if (err) {
        err->status = TFL_OK;
        err->message[0] = 0;
    }
    if (!path) {
        tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "model path is NULL");
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        tfl__error_set(err, TFL_ERROR_IO, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        tfl__error_set(err, TFL_ERROR_IO, "cannot stat '%s': %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        tfl__error_set(err, TFL_ERROR_IO, "cannot open '%s': %s", path, "is a directory");
        close(fd);
        return NULL;
    }
    if (st.st_size == 0) {
        tfl__error_set(err, TFL_ERROR_BAD_MODEL, "'%s' is empty", path);
        close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        tfl__error_set(err, TFL_ERROR_IO, "cannot map '%s': %s", path, strerror(errno));
        return NULL;
    }
    tfl_model *m = tfl__model_parse(map, size, err);
    if (!m) {
        munmap(map, size);
        if (err) {
            /* Prefix the path so the CLI message says which file. */
            char msg[sizeof err->message];
            size_t n = strlen(path), k = strlen(err->message);
            if (n > 200)
                n = 200;
            if (k > sizeof msg - n - 3)
                k = sizeof msg - n - 3;
            memcpy(msg, path, n);
            memcpy(msg + n, ": ", 2);
            memcpy(msg + n + 2, err->message, k);
            msg[n + 2 + k] = 0;
            memcpy(err->message, msg, sizeof msg);
        }
        return NULL;
    }
    m->mapping = map;
    m->mapping_size = size;
    return m;
}

tfl_model *tfl_model_load_buffer(const void *data, size_t size, tfl_error *err)
{
    if (err) {
        err->status = TFL_OK;
        err->message[0] = 0;
    }
    if (!data) {
        tfl__error_set(err, TFL_ERROR_INVALID_ARGUMENT, "model buffer is NULL");
        return NULL;
    }
    return tfl__model_parse(data, size, err);
}

void tfl_model_free(tfl_model *m)
{
    if (!m)
        return;
    for (int s = 0; s < m->num_subgraphs; ++s) {
        tfl__subgraph *sg = &m->subgraphs[s];
        for (int t = 0; t < sg->num_tensors; ++t) {
            free((void *)sg->tensors[t].quant.scales);
            free((void *)sg->tensors[t].quant.zero_points);
            if (sg->tensors[t].data_owned)
                free((void *)sg->tensors[t].data);
        }
        for (int o = 0; o < sg->num_ops; ++o) {
            free(sg->ops[o].inputs);
            free(sg->ops[o].outputs);
            free(sg->ops[o].intermediates);
        }
        free(sg->tensors);
        free(sg->ops);
        free(sg->inputs);
        free(sg->outputs);
    }
    for (int i = 0; i < m->num_signatures; ++i) {
        free((void *)m->signatures[i].inputs);
        free((void *)m->signatures[i].outputs);
    }
    free(m->signatures);
    free(m->subgraphs);
    free(m->opcodes);
    free(m->metadata);
    tfl__packed_cache_free(m->packed);
    if (m->mapping)
        munmap(m->mapping, m->mapping_size);
    free(m);
}

uint32_t tfl_model_schema_version(const tfl_model *m) { return m ? m->version : 0; }
const char *tfl_model_description(const tfl_model *m) { return m ? m->description : ""; }
int tfl_model_num_subgraphs(const tfl_model *m) { return m ? m->num_subgraphs : 0; }

const char *tfl_model_subgraph_name(const tfl_model *m, int subgraph)
{
    if (!m || subgraph < 0 || subgraph >= m->num_subgraphs)
        return NULL;
    return m->subgraphs[subgraph].name;
}

const void *tfl_model_bytes(const tfl_model *m, size_t *size)
{
    if (size)
        *size = m ? m->size : 0;
    return m ? m->bytes : NULL;
}

int tfl_model_num_ops(const tfl_model *m, int subgraph)
{
    if (!m || subgraph < 0 || subgraph >= m->num_subgraphs)
        return 0;
    return m->subgraphs[subgraph].num_ops;
}

tfl_status tfl_model_op(const tfl_model *m, int subgraph, int index, tfl_op_info *out)
{
    if (!m || !out || subgraph < 0 || subgraph >= m->num_subgraphs)
        return TFL_ERROR_INVALID_ARGUMENT;
    const tfl__subgraph *sg = &m->subgraphs[subgraph];
    if (index < 0 || index >= sg->num_ops)
        return TFL_ERROR_INVALID_ARGUMENT;
    const tfl__model_op *op = &sg->ops[index];
    const tfl__opcode *oc = &m->opcodes[op->opcode_index];
    out->builtin_code = oc->builtin_code;
    out->name = oc->builtin_code == TFL__CUSTOM ? (oc->custom_code ? oc->custom_code : "CUSTOM")
                                                : tfl__builtin_name(oc->builtin_code);
    out->version = oc->version;
    out->num_inputs = op->num_inputs;
    out->num_outputs = op->num_outputs;
    out->inputs = op->inputs;
    out->outputs = op->outputs;
    bool bad_version;
    out->supported = tfl__find_op(oc->builtin_code, oc->custom_code, oc->version, &bad_version) != NULL;
    return TFL_OK;
}

int tfl_model_num_metadata(const tfl_model *m) { return m ? m->num_metadata : 0; }

tfl_status tfl_model_metadata(const tfl_model *m, int index, const char **name, const void **data,
                              size_t *size)
{
    if (!m || index < 0 || index >= m->num_metadata)
        return TFL_ERROR_INVALID_ARGUMENT;
    if (name)
        *name = m->metadata[index].name;
    if (data)
        *data = m->metadata[index].data;
    if (size)
        *size = m->metadata[index].size;
    return TFL_OK;
}

const void *tfl_model_find_metadata(const tfl_model *m, const char *name, size_t *size)
{
    if (size)
        *size = 0;
    if (!m || !name)
        return NULL;
    for (int i = 0; i < m->num_metadata; ++i)
        if (strcmp(m->metadata[i].name, name) == 0) {
            if (size)
                *size = m->metadata[i].size;
            return m->metadata[i].data;
        }
    return NULL;
}

int tfl_model_num_signatures(const tfl_model *m) { return m ? m->num_signatures : 0; }

tfl_status tfl_model_signature(const tfl_model *m, int index, tfl_signature *out)
{
    if (!m || !out || index < 0 || index >= m->num_signatures)
        return TFL_ERROR_INVALID_ARGUMENT;
    *out = m->signatures[index];
    return TFL_OK;
}

static const tfl__subgraph *subgraph_at(const tfl_model *m, int subgraph)
{
    if (!m || subgraph < 0 || subgraph >= m->num_subgraphs)
        return NULL;
    return &m->subgraphs[subgraph];
}

int tfl_model_num_tensors(const tfl_model *m, int subgraph)
{
    const tfl__subgraph *sg = subgraph_at(m, subgraph);
    return sg ? sg->num_tensors : 0;
}

tfl_status tfl_model_tensor(const tfl_model *m, int subgraph, int index, tfl_tensor_info *out)
{
    const tfl__subgraph *sg = subgraph_at(m, subgraph);
    if (!sg || !out || index < 0 || index >= sg->num_tensors)
        return TFL_ERROR_INVALID_ARGUMENT;
    const tfl__model_tensor *mt = &sg->tensors[index];
    memset(out, 0, sizeof *out);
    out->index = index;
    out->name = mt->name;
    out->type = mt->type;
    out->ndim = mt->ndim;
    out->dims = mt->dims;
    out->sig_ndim = mt->has_sig ? mt->sig_ndim : mt->ndim;
    out->sig = mt->has_sig ? mt->sig : mt->dims;
    out->quantization = mt->quant;
    out->is_constant = mt->data != NULL && !mt->is_variable;
    out->is_variable = mt->is_variable;
    size_t n = 1;
    for (int d = 0; d < mt->ndim; ++d)
        n *= (size_t)mt->dims[d];
    out->byte_size = mt->data ? mt->data_size : n * tfl_type_size(mt->type);
    return TFL_OK;
}

int tfl_model_num_inputs(const tfl_model *m, int subgraph)
{
    const tfl__subgraph *sg = subgraph_at(m, subgraph);
    return sg ? sg->num_inputs : 0;
}

int tfl_model_num_outputs(const tfl_model *m, int subgraph)
{
    const tfl__subgraph *sg = subgraph_at(m, subgraph);
    return sg ? sg->num_outputs : 0;
}

int tfl_model_input(const tfl_model *m, int subgraph, int i)
{
    const tfl__subgraph *sg = subgraph_at(m, subgraph);
    return sg && i >= 0 && i < sg->num_inputs ? sg->inputs[i] : -1;
}

int tfl_model_output(const tfl_model *m, int subgraph, int i)
{
    const tfl__subgraph *sg = subgraph_at(m, subgraph);
    return sg && i >= 0 && i < sg->num_outputs ? sg->outputs[i] : -1;
}
