/* tfl — a TensorFlow Lite runtime in C11.
 *
 * Usage:
 *
 *     tfl_error err;
 *     tfl_model *m = tfl_model_load_file("model.tflite", &err);
 *     if (!m) { fprintf(stderr, "%s\n", err.message); return 1; }
 *     tfl_options opt = tfl_options_default();
 *     opt.num_threads = 2;
 *     tfl_interpreter *it = tfl_interpreter_create(m, &opt, &err);
 *     if (!it || tfl_interpreter_allocate(it) != TFL_OK) ...;
 *     tfl_tensor_copy_from(tfl_interpreter_input(it, 0), pixels, nbytes);
 *     if (tfl_interpreter_invoke(it) != TFL_OK)
 *         fprintf(stderr, "%s\n", tfl_interpreter_last_error(it));
 *     const tfl_tensor *out = tfl_interpreter_output(it, 0);
 *     float p = tfl_tensor_dequantize_at(out, k);
 *     tfl_interpreter_free(it);
 *     tfl_model_free(m);
 *
 * Ownership: a model may be shared by several interpreters and must outlive
 * them. Tensor pointers belong to their interpreter; data pointers stay valid
 * until the next tfl_interpreter_allocate / resize / free.
 * Thread safety: one interpreter must not be used from two threads at once;
 * distinct interpreters (even over one model) may run concurrently.
 */
#ifndef TFL_H
#define TFL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TFL_VERSION_STRING "0.1.0"
#define TFL_MAX_DIMS 8

typedef enum tfl_status {
    TFL_OK = 0,
    TFL_ERROR_IO,               /* file missing or unreadable */
    TFL_ERROR_BAD_MODEL,        /* malformed or inconsistent model file */
    TFL_ERROR_UNSUPPORTED,      /* valid model using something tfl lacks */
    TFL_ERROR_INVALID_ARGUMENT, /* caller passed a bad value */
    TFL_ERROR_STATE,            /* call out of order (e.g. invoke before allocate) */
    TFL_ERROR_NO_MEMORY,
    TFL_ERROR_RUNTIME           /* an op failed while running (e.g. index out of range) */
} tfl_status;

/* Element types; values equal the TFLite schema's TensorType. */
typedef enum tfl_type {
    TFL_FLOAT32 = 0,
    TFL_FLOAT16 = 1,
    TFL_INT32 = 2,
    TFL_UINT8 = 3,
    TFL_INT64 = 4,
    TFL_STRING = 5,
    TFL_BOOL = 6,
    TFL_INT16 = 7,
    TFL_COMPLEX64 = 8,
    TFL_INT8 = 9,
    TFL_FLOAT64 = 10,
    TFL_COMPLEX128 = 11,
    TFL_UINT64 = 12,
    TFL_RESOURCE = 13,
    TFL_VARIANT = 14,
    TFL_UINT32 = 15,
    TFL_UINT16 = 16,
    TFL_INT4 = 17
} tfl_type;

/* Filled by functions that have no object to hold an error yet. */
typedef struct tfl_error {
    tfl_status status;
    char message[512];
} tfl_error;

typedef struct tfl_model tfl_model;
typedef struct tfl_interpreter tfl_interpreter;
typedef struct tfl_tensor tfl_tensor;

const char *tfl_version(void);
const char *tfl_status_name(tfl_status s);
/* "float32", "uint8", ... (NumPy spelling); "unknown" otherwise. */
const char *tfl_type_name(tfl_type t);
/* Bytes per element; 0 for strings, resources and unknown types. */
size_t tfl_type_size(tfl_type t);

/* Quantization parameters: real = (q - zero_point) * scale, per channel
 * along quantized_dimension when count > 1. */
typedef struct tfl_quantization {
    int count;                  /* 0: not quantized; 1: per-tensor; >1: per-channel */
    const float *scales;        /* count entries */
    const int64_t *zero_points; /* count entries */
    int quantized_dimension;
} tfl_quantization;

/* ---- Models ----------------------------------------------------------- */

/* Maps the file read-only; constant weights are used in place. */
tfl_model *tfl_model_load_file(const char *path, tfl_error *err);
/* Uses the caller's bytes in place: they must outlive the model. */
tfl_model *tfl_model_load_buffer(const void *data, size_t size, tfl_error *err);
void tfl_model_free(tfl_model *m);

uint32_t tfl_model_schema_version(const tfl_model *m);
const char *tfl_model_description(const tfl_model *m); /* "" when absent */
int tfl_model_num_subgraphs(const tfl_model *m);
const char *tfl_model_subgraph_name(const tfl_model *m, int subgraph);
/* The whole file (or buffer) the model was loaded from. */
const void *tfl_model_bytes(const tfl_model *m, size_t *size);

typedef struct tfl_op_info {
    int builtin_code;        /* BuiltinOperator, or 32 (CUSTOM) */
    const char *name;        /* "CONV_2D", or the custom code */
    int version;
    int num_inputs, num_outputs;
    const int32_t *inputs;   /* tensor indices; -1 = optional input omitted */
    const int32_t *outputs;
    int supported;           /* tfl has a kernel for this op and version */
} tfl_op_info;

int tfl_model_num_ops(const tfl_model *m, int subgraph);
tfl_status tfl_model_op(const tfl_model *m, int subgraph, int index, tfl_op_info *out);

/* Model-level metadata entries ("min_runtime_version", "TFLITE_METADATA"...). */
int tfl_model_num_metadata(const tfl_model *m);
tfl_status tfl_model_metadata(const tfl_model *m, int index, const char **name,
                              const void **data, size_t *size);
/* Looks an entry up by name; NULL when absent. */
const void *tfl_model_find_metadata(const tfl_model *m, const char *name, size_t *size);

typedef struct tfl_signature_tensor {
    const char *name;     /* alias in the signature */
    int32_t tensor_index; /* index in the signature's subgraph */
} tfl_signature_tensor;

typedef struct tfl_signature {
    const char *key;
    int subgraph;
    int num_inputs, num_outputs;
    const tfl_signature_tensor *inputs;
    const tfl_signature_tensor *outputs;
} tfl_signature;

int tfl_model_num_signatures(const tfl_model *m);
tfl_status tfl_model_signature(const tfl_model *m, int index, tfl_signature *out);

/* Tensors as the model declares them, without an interpreter (so also for
 * models whose ops tfl cannot run). */
typedef struct tfl_tensor_info {
    int index;
    const char *name;
    tfl_type type;
    int ndim;
    const int32_t *dims;
    int sig_ndim;        /* shape signature (-1 = free); equals the shape when absent */
    const int32_t *sig;
    tfl_quantization quantization;
    int is_constant, is_variable;
    size_t byte_size;    /* constant data size, or elements * element size */
} tfl_tensor_info;

int tfl_model_num_tensors(const tfl_model *m, int subgraph);
tfl_status tfl_model_tensor(const tfl_model *m, int subgraph, int index, tfl_tensor_info *out);
int tfl_model_num_inputs(const tfl_model *m, int subgraph);
int tfl_model_num_outputs(const tfl_model *m, int subgraph);
/* Tensor index of the subgraph's input/output i; -1 when out of range. */
int tfl_model_input(const tfl_model *m, int subgraph, int i);
int tfl_model_output(const tfl_model *m, int subgraph, int i);

/* ---- Interpreters ----------------------------------------------------- */

typedef struct tfl_options {
    int num_threads; /* <= 0: one thread */
    int subgraph;    /* which subgraph to run; 0 is the main one */
} tfl_options;

tfl_options tfl_options_default(void);

/* Checks every op is supported (message names op, node and version). */
tfl_interpreter *tfl_interpreter_create(const tfl_model *m, const tfl_options *opt,
                                        tfl_error *err);
void tfl_interpreter_free(tfl_interpreter *it);

/* Plans memory and prepares every op; call again after resizing inputs. */
tfl_status tfl_interpreter_allocate(tfl_interpreter *it);
tfl_status tfl_interpreter_invoke(tfl_interpreter *it);
/* Takes effect at the next tfl_interpreter_allocate. */
tfl_status tfl_interpreter_resize_input(tfl_interpreter *it, int input, const int32_t *dims,
                                        int ndim);
/* Resets variable tensors (e.g. LSTM state) to their initial values. */
tfl_status tfl_interpreter_reset_variables(tfl_interpreter *it);
/* Last error message; "" when none. */
const char *tfl_interpreter_last_error(const tfl_interpreter *it);

int tfl_interpreter_num_inputs(const tfl_interpreter *it);
int tfl_interpreter_num_outputs(const tfl_interpreter *it);
int tfl_interpreter_num_tensors(const tfl_interpreter *it);
/* NULL when out of range. */
tfl_tensor *tfl_interpreter_input(tfl_interpreter *it, int i);
tfl_tensor *tfl_interpreter_output(tfl_interpreter *it, int i);
tfl_tensor *tfl_interpreter_tensor(tfl_interpreter *it, int tensor_index);
/* Tensor index of input/output i, -1 when out of range. */
int tfl_interpreter_input_index(const tfl_interpreter *it, int i);
int tfl_interpreter_output_index(const tfl_interpreter *it, int i);
/* Bytes of the activation arena after allocate (all ops' activations share it). */
size_t tfl_interpreter_arena_size(const tfl_interpreter *it);
int tfl_interpreter_num_nodes(const tfl_interpreter *it);
/* Per-node time of the last invoke in nanoseconds, when profiling is on. */
void tfl_interpreter_set_profiling(tfl_interpreter *it, int on);
uint64_t tfl_interpreter_node_time_ns(const tfl_interpreter *it, int node);

/* ---- Tensors ---------------------------------------------------------- */

const char *tfl_tensor_name(const tfl_tensor *t);
int tfl_tensor_index(const tfl_tensor *t);
tfl_type tfl_tensor_type(const tfl_tensor *t);
int tfl_tensor_ndim(const tfl_tensor *t);
const int32_t *tfl_tensor_dims(const tfl_tensor *t);
/* Shape with -1 for dimensions the model leaves free; the shape itself when absent. */
const int32_t *tfl_tensor_shape_signature(const tfl_tensor *t, int *ndim);
size_t tfl_tensor_num_elements(const tfl_tensor *t);
size_t tfl_tensor_byte_size(const tfl_tensor *t);
tfl_quantization tfl_tensor_quantization(const tfl_tensor *t);
int tfl_tensor_is_constant(const tfl_tensor *t);
int tfl_tensor_is_variable(const tfl_tensor *t);
/* NULL before allocate. Writing to a constant tensor's data is undefined. */
void *tfl_tensor_data(tfl_tensor *t);
const void *tfl_tensor_data_const(const tfl_tensor *t);
/* Size must equal the byte size exactly; the message says what was expected. */
tfl_status tfl_tensor_copy_from(tfl_tensor *t, const void *src, size_t size);
tfl_status tfl_tensor_copy_to(const tfl_tensor *t, void *dst, size_t size);
/* Real value of element i: (q - zero_point) * scale, per channel when needed;
 * float tensors return the value itself. */
float tfl_tensor_dequantize_at(const tfl_tensor *t, size_t i);
/* All elements as floats: dequantized with the tensor's own scale and zero
 * point (per channel when it has several); float32 is copied. Fails with
 * TFL_ERROR_INVALID_ARGUMENT when count differs from the element count and
 * TFL_ERROR_UNSUPPORTED for types without a float meaning. A tensor that is
 * not quantized (integer type, no scale) reports it in the error text rather
 * than silently using scale 0. */
tfl_status tfl_tensor_dequantize(const tfl_tensor *t, float *out, size_t count);
/* Writes floats into a tensor: quantized with TFLite's rounding (half away
 * from zero) and saturation for uint8/int8/int16 (per channel when needed);
 * float32 is copied. */
tfl_status tfl_tensor_quantize(tfl_tensor *t, const float *values, size_t count);
/* Nonzero when the tensor has quantization parameters. */
int tfl_tensor_is_quantized(const tfl_tensor *t);

/* ---- Images (built with TFL_VISION: libjpeg-turbo, libpng) ----------- */

/* 8-bit pixels, rows top to bottom, channels interleaved (1 = gray, 3 = RGB). */
typedef struct tfl_image {
    int width, height, channels;
    uint8_t *pixels; /* width * height * channels bytes, owned */
} tfl_image;

/* JPEG (EXIF orientation applied), PNG (any bit depth; alpha dropped) and
 * BMP (uncompressed 1/4/8/24/32-bit). Gray images stay 1 channel, others
 * become RGB. */
tfl_status tfl_image_load_file(const char *path, tfl_image *out, tfl_error *err);
tfl_status tfl_image_load_buffer(const void *data, size_t size, tfl_image *out, tfl_error *err);
void tfl_image_free(tfl_image *img);

typedef struct tfl_preprocess {
    /* Normalization: value = (pixel - mean[c]) / std[c]; count 0 = none
     * (mean 0, std 1); count 1 applies to all channels. */
    int norm_count;
    float mean[4], std[4];
    /* Fraction of the shorter side kept by a center crop before resizing
     * (0 or 1 = no crop), e.g. 0.875 as in Inception preprocessing. */
    float center_crop;
} tfl_preprocess;

/* Fills an image input tensor [1, H, W, C] (or [1, C, H, W] when C is 1 or 3
 * and the last dimension is not): converts channels (gray<->RGB with
 * Pillow's luma weights), resizes with bilinear interpolation using half-pixel
 * centers (as TFLite RESIZE_BILINEAR with half_pixel_centers), then:
 *   uint8 tensor: the resized pixel rounded (floor(v + 0.5)), since uint8
 *                 image models take raw pixels (as the TFLite Task library);
 *   float32:      (v - mean) / std;
 *   int8/int16:   quantize((v - mean) / std) with the tensor's scale/zero point. */
tfl_status tfl_image_to_tensor(const tfl_image *img, tfl_tensor *t, const tfl_preprocess *pp,
                               tfl_error *err);

#ifdef __cplusplus
}
#endif
#endif
