/* A loaded TFLite model: the schema walked once at load into plain C structs,
 * every field checked. Strings and constant data point into the model bytes
 * (memory-mapped file or caller buffer), never copied. */
#ifndef TFL_MODEL_MODEL_H
#define TFL_MODEL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tfl.h"
#include "model/flatbuf.h"

typedef struct tfl__model_tensor {
    tfl_type type;
    int ndim;
    int32_t dims[TFL_MAX_DIMS];
    int sig_ndim; /* 0 with has_sig false: no signature in the file */
    bool has_sig;
    int32_t sig[TFL_MAX_DIMS];
    const char *name;
    const uint8_t *data; /* constant data, NULL for activations */
    size_t data_size;
    bool data_owned;     /* an aligned copy (the file's bytes were misaligned) */
    bool is_variable;
    bool is_sparse;  /* while loading: stored sparse (densified by the loader) */
    bool was_sparse; /* the file stored it sparse; data is its dense form */
    tfl_quantization quant; /* arrays owned by the model */
} tfl__model_tensor;

typedef struct tfl__opcode {
    int builtin_code;
    const char *custom_code; /* NULL for builtins */
    int version;
} tfl__opcode;

typedef struct tfl__model_op {
    uint32_t opcode_index;
    int num_inputs, num_outputs, num_intermediates;
    int32_t *inputs, *outputs, *intermediates;
    tfl__fb_table options; /* buf NULL when absent */
    int options_type;
    const uint8_t *custom_options;
    size_t custom_options_size;
} tfl__model_op;

typedef struct tfl__subgraph {
    const char *name;
    int num_tensors, num_inputs, num_outputs, num_ops;
    tfl__model_tensor *tensors;
    int32_t *inputs, *outputs;
    tfl__model_op *ops;
} tfl__subgraph;

typedef struct tfl__metadata {
    const char *name;
    const uint8_t *data;
    size_t size;
} tfl__metadata;

struct tfl_model {
    const uint8_t *bytes;
    size_t size;
    void *mapping; /* non-NULL when the file is mapped */
    size_t mapping_size;
    uint32_t version;
    const char *description;
    int num_opcodes;
    tfl__opcode *opcodes;
    int num_subgraphs;
    tfl__subgraph *subgraphs;
    int num_metadata;
    tfl__metadata *metadata;
    int num_signatures;
    tfl_signature *signatures; /* each owns its inputs/outputs arrays */
    /* Repacked weights shared by every interpreter over the model
     * (internally locked, so usable through a const model). */
    struct tfl__packed_cache *packed;
};

/* Sets err (status + message) and returns NULL on any problem. */
tfl_model *tfl__model_parse(const uint8_t *bytes, size_t size, tfl_error *err);

#endif
