/* The contract between the interpreter and op implementations.
 *
 * Each op provides a tfl__op: init (parse options once, at interpreter
 * create), prepare (check types and shapes, set output shapes, precompute
 * multipliers and repack weights; runs at every allocate), eval (compute) and
 * free. Validation happens in init/prepare so that eval cannot fail on shapes;
 * eval may still fail on data (an index out of range). Ops report errors with
 * tfl__op_fail, which prefixes "OPNAME (node N): ". */
#ifndef TFL_OPS_OP_H
#define TFL_OPS_OP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/tensor.h"
#include "model/flatbuf.h"
#include "tfl.h"

typedef struct tfl__ctx tfl__ctx;
typedef struct tfl__node tfl__node;
typedef struct tfl__op tfl__op;

struct tfl__node {
    int index;        /* position in execution order */
    const tfl__op *op;
    const char *name; /* "CONV_2D" or the custom code */
    int builtin_code;
    int version;
    int num_inputs, num_outputs, num_intermediates;
    const int32_t *inputs;  /* tensor indices; -1 = optional input omitted */
    const int32_t *outputs;
    const int32_t *intermediates;
    /* Builtin options table (buf == NULL when the model has none) and its
     * union type; custom ops get their raw options bytes instead. */
    tfl__fb_table options;
    int options_type;
    const uint8_t *custom_options;
    size_t custom_options_size;
    /* A caller's custom op (runtime/custom_op.h) this node runs, or NULL. */
    const struct tfl_custom_op *custom;
    void *data;          /* op-private, from init; freed by op->free */
    size_t scratch_bytes; /* set by prepare: temporary memory eval needs */
    /* Set by prepare: temporary memory each worker of a parallel-for needs
     * on top (tfl__worker_scratch gives worker w its own slice). */
    size_t worker_scratch_bytes;
    /* Set by prepare when one eval costs more than touching every input and
     * output element once (convolutions: multiply-adds). 0 = that default.
     * The interpreter sums it over the graph against tfl_options.max_work. */
    uint64_t work;
    /* Graph rewrites (runtime/fuse.h). An elided node is neither prepared
     * nor run: another node does its work. A convolution with pad_fused
     * reads the input of the PAD it took over and pads by these amounts
     * itself, with VALID geometry over the padded size. */
    bool elided;
    bool pad_fused;
    int pad_top, pad_bottom, pad_left, pad_right;
    int32_t *own_inputs; /* inputs as rewritten (the node's inputs point here), or NULL */
};

struct tfl__op {
    int builtin_code;        /* TFL__CUSTOM for custom ops */
    const char *custom_code; /* for custom ops */
    int min_version, max_version;
    tfl_status (*init)(tfl__ctx *ctx, tfl__node *node);    /* may be NULL */
    tfl_status (*prepare)(tfl__ctx *ctx, tfl__node *node); /* may be NULL */
    tfl_status (*eval)(tfl__ctx *ctx, tfl__node *node);
    void (*free)(void *data);                              /* may be NULL */
};

#define TFL__CUSTOM 32

struct tfl__ctx {
    tfl_tensor *tensors;
    int num_tensors;
    void *scratch;          /* at eval: node->scratch_bytes bytes, 64-aligned */
    struct tfl__pool *pool; /* thread pool; NULL = single thread */
    int num_threads;
    /* Set while a node runs, so tfl__op_fail can name it. */
    const tfl__node *node;
    char *error;            /* message buffer owned by the interpreter */
    size_t error_size;
    /* Memory cap (tfl_options.max_memory) and what the arena, dynamic
     * tensors and dynamic scratch hold now; tfl__resize keeps dynamic
     * tensors within it. */
    size_t mem_limit, mem_used;
    /* Kernel choice (ops/kernel.h): CPU features, the ISA cap, and for tests
     * the one record to use. */
    uint32_t cpu_features;
    int isa_cap;
    const char *only_kernel;
    /* The model's packed-weight cache (NULL in op tests) and which subgraph
     * this interpreter runs, for its keys. */
    struct tfl__packed_cache *packed;
    int subgraph;
    /* The interpreter family (runtime/family.h): other subgraphs and the
     * resource variables, through the functions below. */
    struct tfl__family *family;
};

/* Tensor i of the node (NULL for an omitted optional input or i out of range). */
tfl_tensor *tfl__input(tfl__ctx *ctx, const tfl__node *node, int i);
tfl_tensor *tfl__output(tfl__ctx *ctx, const tfl__node *node, int i);

/* Formats "OPNAME (node N): <message>" into the interpreter's error and returns status. */
tfl_status tfl__op_fail(tfl__ctx *ctx, const tfl__node *node, tfl_status status,
                        const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* tfl__quantize_multiplier for a node's prepare: a ratio that cannot be
 * represented fails with "<what> rescale <real> cannot be represented". */
tfl_status tfl__op_multiplier(tfl__ctx *ctx, const tfl__node *node, const char *what, double real,
                              int32_t *multiplier, int *shift);

/* Checks counts: "expects 2 inputs, got 3". */
tfl_status tfl__check_io(tfl__ctx *ctx, const tfl__node *node, int min_in, int max_in,
                         int num_out);
/* Checks a tensor's type against allowed ones; message names the tensor role. */
tfl_status tfl__check_type(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                           const char *role, tfl_type expected);

/* Sets a tensor's shape (and byte size) during prepare. Fails on overflow.
 * Data of arena tensors is placed later by the planner; dynamic tensors are
 * (re)allocated here. */
tfl_status tfl__resize(tfl__ctx *ctx, const tfl__node *node, tfl_tensor *t, const int32_t *dims,
                       int ndim);
/* Marks an output whose shape depends on input data: its memory is allocated
 * at eval by tfl__resize instead of planned. */
void tfl__set_dynamic(tfl_tensor *t);

/* Fused activation function codes from the schema. */
enum {
    TFL__ACT_NONE = 0,
    TFL__ACT_RELU = 1,
    TFL__ACT_RELU_N1_TO_1 = 2,
    TFL__ACT_RELU6 = 3,
    TFL__ACT_TANH = 4,
    TFL__ACT_SIGN_BIT = 5
};
/* Float clamp range for a fused activation; fails for TANH/SIGN_BIT. */
tfl_status tfl__act_range_f32(tfl__ctx *ctx, const tfl__node *node, int act, float *lo,
                              float *hi);
/* TFLite CalculateActivationRangeQuantized for an output tensor of type
 * uint8/int8/int16/int32. */
tfl_status tfl__act_range_q(tfl__ctx *ctx, const tfl__node *node, int act,
                            const tfl_tensor *out, int32_t *lo, int32_t *hi);

/* Parallel-for over [0, n): fn(arg, start, end, worker) on the pool, or
 * inline as worker 0. worker is in [0, ctx->num_threads): the index of the
 * thread running the chunk, for per-worker scratch (tfl__worker_scratch). */
typedef void (*tfl__range_fn)(void *arg, size_t start, size_t end, int worker);
void tfl__parallel_for(tfl__ctx *ctx, size_t n, size_t min_chunk, tfl__range_fn fn, void *arg);

/* All the scratch a node needs with num_threads workers: scratch_bytes, then
 * one 64-byte-aligned slice of worker_scratch_bytes per worker. SIZE_MAX on
 * overflow. */
size_t tfl__node_scratch_total(const tfl__node *node, int num_threads);
/* Worker w's slice (see tfl__node_scratch_total) of the node's scratch. */
void *tfl__worker_scratch(const tfl__ctx *ctx, const tfl__node *node, int worker);

/* Product of counts for node->work, saturating at UINT64_MAX. */
static inline uint64_t tfl__work(uint64_t a, uint64_t b, uint64_t c)
{
    if (a == 0 || b == 0 || c == 0)
        return 1;
    if (a > UINT64_MAX / b)
        return UINT64_MAX;
    a *= b;
    return a > UINT64_MAX / c ? UINT64_MAX : a * c;
}

/* ---- Control flow and resource variables (runtime/family.c) ---------- */

/* The interpreter running subgraph `index` for this family, created (and
 * its ops initialized) on first use and shared by every op that calls it.
 * NULL with the node's error set when the index is out of range, is the
 * calling subgraph or one still being built (recursion), or creation fails
 * (the message then carries the child's error). */
tfl_interpreter *tfl__subgraph_interpreter(tfl__ctx *ctx, const tfl__node *node, int index);
/* CALL_ONCE's flag for subgraph `index`, shared by the family (false until
 * set); NULL when out of range. */
bool *tfl__subgraph_done(tfl__ctx *ctx, int index);
/* The work (element operations) a child's invoke costs, as planned at its
 * allocate, at least 1: control flow charges it per call against max_work. */
uint64_t tfl__subgraph_work(const tfl_interpreter *child);
/* WHILE stops with an error after this many iterations of one invoke. */
#define TFL__MAX_LOOP_ITERATIONS (1u << 20)

/* Resource variables, named by (container, shared_name) as VAR_HANDLE names
 * them; ids are small integers shared by the whole family. Returns -1 (node
 * error set) when out of memory. */
int tfl__resource_id(tfl__ctx *ctx, const tfl__node *node, const char *container,
                     const char *name);
/* The variable's current value, or NULL when never assigned (or no such id). */
const tfl_tensor *tfl__resource_value(tfl__ctx *ctx, int id);
/* Sets the variable to a copy of value's type, shape and bytes. */
tfl_status tfl__resource_assign(tfl__ctx *ctx, const tfl__node *node, int id,
                                const tfl_tensor *value);

/* Registry (ops/registry.c, generated from ops.def). */
const tfl__op *tfl__find_op(int builtin_code, const char *custom_code, int version,
                            bool *version_unsupported);

#endif
