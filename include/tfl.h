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

/* The library builds with hidden visibility; everything declared here is the
 * exported API. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
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
    TFL_ERROR_RUNTIME,          /* an op failed while running (e.g. index out of range) */
    TFL_ERROR_LIMIT             /* the model needs more work than tfl_options.max_work */
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
/* The CPU features tfl detected and may use, e.g. "sse4.1 avx2 fma f16c"
 * ("none" when it uses only portable code). */
const char *tfl_cpu_features(void);
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
/* Bytes of repacked weights the model holds for its interpreters (made at
 * their first allocate, shared by all of them). */
size_t tfl_model_packed_bytes(const tfl_model *m);
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
    int num_threads; /* <= 0: one thread; at most 1024 */
    int subgraph;    /* which subgraph to run; 0 is the main one */
    /* Upper bound on the activation arena and dynamic tensors together, so a
     * hostile model cannot make tfl allocate what it merely claims; 0 = 16 GiB. */
    size_t max_memory;
    /* Upper bound on the work of one invoke, in element operations (a
     * multiply-add counts one; an op that only moves data counts its input
     * and output elements), checked at allocate from the declared shapes, so
     * a hostile model cannot make one invoke run for hours; 0 = 2^40
     * (about a trillion; the largest mobile models need tens of billions). */
    uint64_t max_work;
    /* Cap on the instruction sets kernels may use: "ref" (portable C only),
     * "avx2", "avx512", "vnni", "amx" ("neon", "dotprod", "i8mm" on Arm) or
     * "best". NULL: the TFL_ISA environment variable, else "best". Kernels
     * never use what the CPU lacks, whatever the cap. */
    const char *isa;
    /* Custom ops the caller implements (see "Custom ops" below), or NULL.
     * Must outlive the interpreter. */
    const struct tfl_op_resolver *resolver;
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
/* 1 when the interpreter folded the node and does not run it at invoke: a
 * PAD taken over by the CONV_2D or DEPTHWISE_CONV_2D after it (the outputs
 * are the same bytes, but the PAD's output tensor holds no data), or a
 * DEQUANTIZE of constant weights run once at interpreter creation (its
 * output tensor is then a constant holding the result); 0 otherwise or out
 * of range. */
int tfl_interpreter_node_folded(const tfl_interpreter *it, int node);
/* Per-node time of the last invoke in nanoseconds, when profiling is on. */
void tfl_interpreter_set_profiling(tfl_interpreter *it, int on);
uint64_t tfl_interpreter_node_time_ns(const tfl_interpreter *it, int node);

/* ---- Custom ops --------------------------------------------------------
 *
 * A model's CUSTOM operators are found by their custom code: first in the
 * resolver given in tfl_options.resolver (a name registered there takes
 * precedence over tfl's own custom ops of that name), then among tfl's own
 * (TFLite_Detection_PostProcess, MediaPipe's). Example:
 *
 *     static tfl_status twice_invoke(tfl_op_context *c) {
 *         const tfl_tensor *x = tfl_op_input(c, 0);
 *         const float *in = tfl_tensor_data((tfl_tensor *)x);
 *         float *out = tfl_tensor_data(tfl_op_output(c, 0));
 *         for (size_t i = 0; i < tfl_tensor_num_elements(x); ++i) out[i] = 2 * in[i];
 *         return TFL_OK;
 *     }
 *     static tfl_status twice_prepare(tfl_op_context *c) {
 *         const tfl_tensor *x = tfl_op_input(c, 0);
 *         if (!x || tfl_tensor_type(x) != TFL_FLOAT32)
 *             return tfl_op_fail(c, TFL_ERROR_UNSUPPORTED, "float32 input only");
 *         return tfl_op_resize_output(c, 0, tfl_tensor_dims(x), tfl_tensor_ndim(x));
 *     }
 *     tfl_custom_op twice = {.name = "Twice", .prepare = twice_prepare,
 *                            .invoke = twice_invoke};
 *     tfl_op_resolver *r = tfl_op_resolver_create();
 *     tfl_op_resolver_add(r, &twice);
 *     tfl_options opt = tfl_options_default();
 *     opt.resolver = r;       // r must outlive the interpreters using it
 *
 * Callbacks run on the thread that calls create / allocate / invoke; one op
 * instance is never called concurrently. Errors set with tfl_op_fail read
 * "NAME (node N): message" in tfl_interpreter_last_error. */
typedef struct tfl_op_context tfl_op_context;

typedef struct tfl_custom_op {
    const char *name; /* the model's custom code (copied by tfl_op_resolver_add) */
    /* Once per node at interpreter create (optional): parse
     * tfl_op_options, keep a state with tfl_op_set_state. */
    tfl_status (*init)(tfl_op_context *ctx);
    /* At every allocate (optional): check inputs, size the outputs with
     * tfl_op_resize_output, or mark one dynamic to size it at invoke. */
    tfl_status (*prepare)(tfl_op_context *ctx);
    /* At every invoke (required). */
    tfl_status (*invoke)(tfl_op_context *ctx);
    /* Frees the state set by init (optional; also after a failed init). */
    void (*free)(void *state, void *user_data);
    void *user_data; /* handed back by tfl_op_user_data */
} tfl_custom_op;

typedef struct tfl_op_resolver tfl_op_resolver;

tfl_op_resolver *tfl_op_resolver_create(void);
void tfl_op_resolver_free(tfl_op_resolver *r);
/* Registers (a copy of) op; a second op of the same name replaces the
 * first. TFL_ERROR_INVALID_ARGUMENT without a name or an invoke. */
tfl_status tfl_op_resolver_add(tfl_op_resolver *r, const tfl_custom_op *op);

/* Inside the callbacks. Inputs and outputs are the node's; an omitted
 * optional input is NULL. */
int tfl_op_num_inputs(const tfl_op_context *c);
int tfl_op_num_outputs(const tfl_op_context *c);
tfl_tensor *tfl_op_input(tfl_op_context *c, int i);
tfl_tensor *tfl_op_output(tfl_op_context *c, int i);
/* The node's custom options bytes (often a FlexBuffer), NULL when none. */
const void *tfl_op_options(const tfl_op_context *c, size_t *size);
const char *tfl_op_name(const tfl_op_context *c);
void *tfl_op_user_data(const tfl_op_context *c);
void *tfl_op_state(const tfl_op_context *c);
void tfl_op_set_state(tfl_op_context *c, void *state);
/* Sets output i's shape: in prepare, or in invoke for an output marked
 * dynamic in prepare. The output keeps the type the model gives it. */
tfl_status tfl_op_resize_output(tfl_op_context *c, int i, const int32_t *dims, int ndim);
tfl_status tfl_op_set_output_dynamic(tfl_op_context *c, int i);
/* Formats the node's error and returns status (for `return tfl_op_fail(...)`). */
tfl_status tfl_op_fail(tfl_op_context *c, tfl_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

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
 * become RGB. Hostile files are bounded: images over 2^26 pixels (67
 * megapixels, e.g. 8192 x 8192), progressive JPEGs of more than 500 scans
 * and PNGs too short for the pixels they claim fail with
 * TFL_ERROR_INVALID_ARGUMENT before the image is allocated. */
tfl_status tfl_image_load_file(const char *path, tfl_image *out, tfl_error *err);
tfl_status tfl_image_load_buffer(const void *data, size_t size, tfl_image *out, tfl_error *err);
void tfl_image_free(tfl_image *img);

typedef struct tfl_preprocess {
    /* Normalization: value = (pixel - mean[c]) / std[c]; count 0 = none
     * (mean 0, std 1); count 1 applies to all channels. */
    int norm_count;
    float mean[4], std[4];
    /* Fraction of each side kept by a center crop before resizing (0 or 1 =
     * no crop), e.g. 0.875 as in Inception preprocessing. */
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
/* The center-crop box tfl_image_to_tensor uses for a width x height image,
 * so results (e.g. detection boxes) can be mapped back to image pixels. */
void tfl_image_crop_box(int width, int height, float center_crop, int *x, int *y, int *w,
                        int *h);

/* ---- Metadata and labels ---- */

/* TFLite Metadata (the model's "TFLITE_METADATA" entry) and the files packed
 * into the ZIP archive appended to the model (labels, vocabularies). Strings
 * and file bytes point into the model: it must outlive the tfl_metadata.
 * Strings are "" when absent; arrays are NULL with count 0 when absent. */
typedef struct tfl_metadata tfl_metadata;

/* Values equal the metadata schema's AssociatedFileType. */
typedef enum tfl_file_type {
    TFL_FILE_UNKNOWN = 0,
    TFL_FILE_DESCRIPTIONS = 1,
    TFL_FILE_TENSOR_AXIS_LABELS = 2,  /* one label per line, per index of an axis */
    TFL_FILE_TENSOR_VALUE_LABELS = 3, /* labels for the tensor's values (detection classes) */
    TFL_FILE_TENSOR_AXIS_SCORE_CALIBRATION = 4,
    TFL_FILE_VOCABULARY = 5,
    TFL_FILE_SCANN_INDEX_FILE = 6
} tfl_file_type;

typedef struct tfl_associated_file {
    const char *name; /* the name of the packed file */
    const char *description;
    const char *locale; /* e.g. "en", "fr"; "" when not given */
    const char *version;
    int type;           /* tfl_file_type (other values: a newer schema) */
} tfl_associated_file;

/* Values equal the schema's ContentProperties union types. */
typedef enum tfl_content_kind {
    TFL_CONTENT_NONE = 0, /* no content description */
    TFL_CONTENT_FEATURE = 1,
    TFL_CONTENT_IMAGE = 2,
    TFL_CONTENT_BOUNDING_BOX = 3,
    TFL_CONTENT_AUDIO = 4
} tfl_content_kind;

typedef enum tfl_color_space {
    TFL_COLOR_UNKNOWN = 0,
    TFL_COLOR_RGB = 1,
    TFL_COLOR_GRAYSCALE = 2
} tfl_color_space;
typedef enum tfl_box_type {
    TFL_BOX_UNKNOWN = 0,
    TFL_BOX_BOUNDARIES = 1, /* left, top, right, bottom (order given by box_index) */
    TFL_BOX_UPPER_LEFT = 2, /* left, top, width, height */
    TFL_BOX_CENTER = 3      /* center x, center y, width, height */
} tfl_box_type;
typedef enum tfl_coordinate_type { TFL_COORD_RATIO = 0, TFL_COORD_PIXEL = 1 } tfl_coordinate_type;

/* Values equal the schema's ProcessUnitOptions union types. */
typedef enum tfl_process_kind {
    TFL_PROCESS_NONE = 0,
    TFL_PROCESS_NORMALIZATION = 1,     /* (x - mean[c]) / std[c] */
    TFL_PROCESS_SCORE_CALIBRATION = 2,
    TFL_PROCESS_SCORE_THRESHOLDING = 3,
    TFL_PROCESS_BERT_TOKENIZER = 4,
    TFL_PROCESS_SENTENCE_PIECE_TOKENIZER = 5,
    TFL_PROCESS_REGEX_TOKENIZER = 6
} tfl_process_kind;

typedef struct tfl_process_unit {
    int kind; /* tfl_process_kind (other values: a newer schema; no fields read) */
    /* NORMALIZATION: one value per channel (or one for all channels) */
    int num_mean, num_std;
    const float *mean, *std;
    /* SCORE_CALIBRATION: 0 IDENTITY, 1 LOG, 2 INVERSE_LOGISTIC */
    int score_transformation;
    float default_score;
    /* SCORE_THRESHOLDING */
    float global_score_threshold;
    /* REGEX_TOKENIZER */
    const char *delim_regex_pattern;
    /* tokenizers */
    int num_vocab_files;
    const tfl_associated_file *vocab_files;
    int num_sentencepiece_models;
    const tfl_associated_file *sentencepiece_models;
} tfl_process_unit;

typedef struct tfl_tensor_metadata {
    const char *name, *description;
    int content; /* tfl_content_kind */
    /* IMAGE */
    int color_space;                     /* tfl_color_space */
    uint32_t image_width, image_height;  /* default size; 0 when not given */
    /* BOUNDING_BOX */
    int box_type;                        /* tfl_box_type */
    int box_coordinate_type;             /* tfl_coordinate_type */
    int num_box_index;
    const uint32_t *box_index;           /* where each coordinate sits along the box axis */
    /* AUDIO */
    uint32_t sample_rate, channels;
    /* Content range: which dimensions the content spans (e.g. boxes: [2, 2]). */
    int has_range;
    int32_t range_min, range_max;
    /* The first NORMALIZATION process unit, copied here for convenience. */
    int num_mean, num_std;
    const float *mean, *std;
    /* Stats: per-channel min and max of the values. */
    int num_stats_min, num_stats_max;
    const float *stats_min, *stats_max;
    int num_process_units;
    const tfl_process_unit *process_units;
    int num_files;
    const tfl_associated_file *files;
} tfl_tensor_metadata;

typedef struct tfl_subgraph_metadata {
    const char *name, *description;
    int num_inputs, num_outputs;
    const tfl_tensor_metadata *inputs, *outputs; /* in the subgraph's input/output order */
    int num_input_process_units, num_output_process_units;
    const tfl_process_unit *input_process_units, *output_process_units;
    int num_files;
    const tfl_associated_file *files;
} tfl_subgraph_metadata;

/* NULL with err->status TFL_OK and the message "model has no metadata" when
 * the model has neither a TFLITE_METADATA entry nor packed files; NULL with
 * an error when either is malformed. A model with packed files but no entry
 * gives a tfl_metadata with files only. */
tfl_metadata *tfl_metadata_read(const tfl_model *m, tfl_error *err);
void tfl_metadata_free(tfl_metadata *md);

/* 1 when the model has a TFLITE_METADATA entry, 0 when only packed files. */
int tfl_metadata_has_entry(const tfl_metadata *md);
const char *tfl_metadata_name(const tfl_metadata *md);
const char *tfl_metadata_description(const tfl_metadata *md);
const char *tfl_metadata_version(const tfl_metadata *md);
const char *tfl_metadata_author(const tfl_metadata *md);
const char *tfl_metadata_license(const tfl_metadata *md);
const char *tfl_metadata_min_parser_version(const tfl_metadata *md);
/* Model-level associated file descriptions. */
const tfl_associated_file *tfl_metadata_associated_files(const tfl_metadata *md, int *count);

int tfl_metadata_num_subgraphs(const tfl_metadata *md);
const tfl_subgraph_metadata *tfl_metadata_subgraph(const tfl_metadata *md, int subgraph);
/* Tensor metadata of the first subgraph; NULL when out of range. */
int tfl_metadata_num_inputs(const tfl_metadata *md);
int tfl_metadata_num_outputs(const tfl_metadata *md);
const tfl_tensor_metadata *tfl_metadata_input(const tfl_metadata *md, int i);
const tfl_tensor_metadata *tfl_metadata_output(const tfl_metadata *md, int i);

/* Packed files (ZIP entries), in archive order. A compressed entry is listed
 * with its name and uncompressed size, but tfl_metadata_file returns
 * TFL_ERROR_UNSUPPORTED for it with *data NULL: tfl reads stored entries only. */
int tfl_metadata_num_files(const tfl_metadata *md);
tfl_status tfl_metadata_file(const tfl_metadata *md, int i, const char **name, const void **data,
                             size_t *size);
/* Bytes of the packed file with this name; NULL when absent or compressed. */
const void *tfl_metadata_find_file(const tfl_metadata *md, const char *name, size_t *size);

/* The packed label file of output `output` (first subgraph): its
 * TENSOR_AXIS_LABELS file, else its TENSOR_VALUE_LABELS file. Among several,
 * the one whose locale matches `locale` (NULL or "": none requested), else
 * one without a locale, else "en", else the first. TFL_OK with *data NULL and
 * a message in err when there is no label file; an error when one is named
 * but not packed, or compressed. */
tfl_status tfl_metadata_label_file(const tfl_metadata *md, int output, const char *locale,
                                   const char **name, const void **data, size_t *size,
                                   tfl_error *err);

/* Labels: class index -> name. Available when tfl is built with TFL_VISION.
 * Formats: one label per line (CR and surrounding whitespace trimmed, empty
 * lines kept as empty labels, trailing empty lines dropped); "index label"
 * lines (detected when every non-empty line starts with an integer and
 * whitespace); a JSON object {"0": "cat", ...} or array ["cat", ...]. */
typedef struct tfl_labels tfl_labels;

tfl_labels *tfl_labels_load_file(const char *path, tfl_error *err);
tfl_labels *tfl_labels_load_buffer(const void *data, size_t size, tfl_error *err);
/* From the metadata's label file (see tfl_metadata_label_file): NULL with
 * err->status TFL_OK when the output has none. */
tfl_labels *tfl_labels_from_metadata(const tfl_metadata *md, int output, const char *locale,
                                     tfl_error *err);
void tfl_labels_free(tfl_labels *l);

/* One more than the highest index. */
int tfl_labels_count(const tfl_labels *l);
/* The label of index, never NULL: "class 17" for an index the labels do not
 * name (a gap, a negative index, one past the end). Placeholders live in a
 * per-thread ring of 4 buffers: each stays valid until 4 more are made by
 * the same thread. */
const char *tfl_labels_get(const tfl_labels *l, int index);
/* 1 when the labels name this index, 0 otherwise. */
int tfl_labels_has(const tfl_labels *l, int index);
/* 0 when count equals num_scores; otherwise 1 with a warning in buf, e.g.
 * "1000 labels vs 1001 scores (the model may have a background class at index 0)". */
int tfl_labels_check_count(const tfl_labels *l, size_t num_scores, char *buf, size_t bufsize);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif
#endif
