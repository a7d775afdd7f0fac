/* The tensor as ops and the runtime share it: shape, type, quantization and
 * where its data lives. Part of the core layer (src/core: tensor, errors,
 * thread pool, CPU features), which ops and runtime both build on. */
#ifndef TFL_CORE_TENSOR_H
#define TFL_CORE_TENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

/* How a tensor's data is held. */
typedef enum tfl__alloc {
    TFL__ALLOC_NONE = 0, /* no data (optional input absent, or not yet planned) */
    TFL__ALLOC_CONST,    /* points into the model's bytes (never written) */
    TFL__ALLOC_ARENA,    /* planned slice of the activation arena */
    TFL__ALLOC_PERSIST,  /* owned buffer that lives across invokes (variables) */
    TFL__ALLOC_DYNAMIC   /* owned buffer sized at eval (data-dependent shape) */
} tfl__alloc;

struct tfl_tensor {
    int32_t index;
    tfl_type type;
    int ndim;
    int32_t dims[TFL_MAX_DIMS];
    size_t bytes;  /* num_elements * element size (strings: buffer size) */
    uint8_t *data; /* see alloc */
    tfl__alloc alloc;
    bool is_variable;
    bool was_sparse; /* a constant the file stored sparse (densified at load) */
    size_t persist_bytes; /* size of the PERSIST buffer (variables) */
    const char *name;
    /* Quantization: per-tensor values mirror channel 0 for convenience. */
    float scale;        /* 0 when not quantized */
    int32_t zero_point;
    tfl_quantization quant; /* arrays owned by the model */
    /* Shape signature from the model (-1 = free dimension). */
    int sig_ndim;
    const int32_t *sig;
    struct tfl_interpreter *owner; /* for error messages; NULL in op tests */
};

/* Sets the owning interpreter's error, prefixed "input 0 'name'" (runtime). */
void tfl__tensor_error(const tfl_tensor *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* True when the tensor's data is known at prepare (constant in the model). */
bool tfl__is_const(const tfl_tensor *t);

size_t tfl__num_elements(const tfl_tensor *t);
/* Bytes per element as tfl stores them: tfl_type_size, except that a
 * resource tensor holds one int32 resource id per element, as in TFLite. */
size_t tfl__elem_size(tfl_type t);
/* Shapes equal (same rank and dims). */
bool tfl__same_shape(const tfl_tensor *a, const tfl_tensor *b);
/* Dimension i counted from the front; negative i counts from the back. */
int32_t tfl__dim(const tfl_tensor *t, int i);
/* "uint8[1,224,224,3]" into buf. */
const char *tfl__describe(const tfl_tensor *t, char *buf, size_t size);

#endif
