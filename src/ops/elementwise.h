/* Shared prepare/eval glue for elementwise ops: binary ops with broadcasting
 * (ADD, SUB, MUL, DIV, FLOOR_DIV, FLOOR_MOD, ...) and unary ops that map each
 * element of one input to the same place in an output of the same shape. */
#ifndef TFL_OPS_ELEMENTWISE_H
#define TFL_OPS_ELEMENTWISE_H

#include "kernels/broadcast.h"
#include "ops/op.h"

/* Checks 2 inputs and 1 output with input types equal, sets the output to the
 * broadcast shape and fills the plan. The output type is left to the op. */
tfl_status tfl__binary_prepare(tfl__ctx *ctx, tfl__node *node, tfl__bcast *plan);

/* Reads the fused activation option at `field` of the node's options
 * (default NONE) and rejects codes outside the schema's enum. */
tfl_status tfl__read_activation(tfl__ctx *ctx, const tfl__node *node, int field, int *act);

/* TFLite's ApplyActivationToVector, as the recurrent ops (RNN, SVDF) apply
 * their fused activation in float: NONE, RELU, RELU_N1_TO_1, RELU6, TANH
 * (libm's tanhf against Eigen's: within a few ulps) and SIGN_BIT (1 for a
 * negative sign bit, else 0). tfl__vector_activation_check refuses the
 * other codes ("activation 9 not supported"). */
tfl_status tfl__vector_activation_check(tfl__ctx *ctx, const tfl__node *node, int act);
void tfl__vector_activation_f32(int act, float *v, size_t n);

/* Runs fn over the whole output, in parallel when the context has threads. */
void tfl__binary_run(tfl__ctx *ctx, const tfl__bcast *plan, tfl__binary_fn fn, const void *params,
                     const tfl_tensor *a, const tfl_tensor *b, tfl_tensor *out);

/* Binary ops whose kernel depends only on the element type and takes no
 * params (FLOOR_DIV, FLOOR_MOD): one kernel per type, best first. */
typedef struct tfl__typed_binary {
    tfl_type type;
    tfl__binary_fn fn;
} tfl__typed_binary;

/* Their node data. */
typedef struct tfl__typed_binary_data {
    tfl__bcast plan;
    tfl__binary_fn fn; /* picked at prepare */
} tfl__typed_binary_data;

/* Allocates a zeroed tfl__typed_binary_data in node->data. */
tfl_status tfl__typed_binary_init(tfl__ctx *ctx, tfl__node *node);

/* tfl__binary_prepare, an output of the inputs' type, and the first of the
 * `count` kernels for that type; other types fail with "type %s not
 * supported (<supported>)". */
tfl_status tfl__typed_binary_prepare(tfl__ctx *ctx, tfl__node *node,
                                     const tfl__typed_binary *kernels, size_t count,
                                     const char *supported);

/* Runs the kernel prepare picked over inputs 0 and 1 into output 0. */
tfl_status tfl__typed_binary_eval(tfl__ctx *ctx, tfl__node *node);

/* fn(params, in, out, start, end): elements [start, end) of a flat range. */
typedef void (*tfl__unary_fn)(const void *params, const void *in, void *out, size_t start,
                              size_t end);

/* Checks 1 input and 1 output and gives the output the input's shape. */
tfl_status tfl__unary_prepare(tfl__ctx *ctx, tfl__node *node);

/* Checks that the output has the input's type ("output type int8 does not
 * match input type uint8"). */
tfl_status tfl__check_out_type(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *in,
                               const tfl_tensor *out);

/* tfl__unary_prepare and tfl__check_out_type for an op that runs float32
 * only: any other type is refused as "type int8 not supported (float32;
 * quantized <op> not yet)". */
tfl_status tfl__float_unary_prepare(tfl__ctx *ctx, tfl__node *node, const char *op);

/* Runs fn over all elements of the output, in parallel when possible. */
void tfl__unary_run(tfl__ctx *ctx, tfl__unary_fn fn, const void *params, const tfl_tensor *in,
                    tfl_tensor *out);

/* Index of the first element of t whose raw value equals zero (for float32:
 * compares equal to 0.0), or -1. Integer types up to int64. */
long tfl__find_zero(const tfl_tensor *t, int64_t zero);

/* TFLite CalculateActivationRange for unquantized integer types: ReLU clamps
 * at 0, RELU6 to [0, 6], RELU_N1_TO_1 to [-1, 1]; other codes keep the type's
 * range. */
static inline void tfl__act_range_int(int act, int64_t type_min, int64_t type_max, int64_t *lo,
                                      int64_t *hi)
{
    *lo = type_min;
    *hi = type_max;
    switch (act) {
    case TFL__ACT_RELU: *lo = 0; break;
    case TFL__ACT_RELU6:
        *lo = 0;
        *hi = 6;
        break;
    case TFL__ACT_RELU_N1_TO_1:
        *lo = -1;
        *hi = 1;
        break;
    default: break;
    }
}

/* Tensor has quantization parameters (TFLite's quantization.type != none). */
static inline bool tfl__is_quantized(const tfl_tensor *t)
{
    return t->quant.count > 0;
}

#endif
