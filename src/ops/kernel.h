/* Kernel records: every implementation of an op's computation, for every
 * dtype and ISA, is one record in the op's table, best first, reference
 * last. Prepare picks one record per node (tfl__kernel_pick) and, when the
 * record repacks its weights, gets them from the model's packed-weight cache
 * (tfl__kernel_packed), so every interpreter over the model shares one copy
 * and neither a resize nor a second allocate packs again.
 *
 * Names follow tfl_<op>[_<variant>]_<dtype>__<isa>, e.g.
 * tfl_conv_2d_1x1_s8__avx2. A record's function has the op's own kernel
 * signature; records store it as a generic function pointer. */
#ifndef TFL_OPS_KERNEL_H
#define TFL_OPS_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ops/op.h"

typedef void (*tfl__kernel_fn)(void);

/* Whether the x86 SIMD kernel files build: GCC or clang on x86-64 (they use
 * function target attributes, so the rest of the build stays portable).
 * Their requantization is TFLite's default double rounding only, so a
 * TFL_SINGLE_ROUNDING build runs the reference kernels. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && \
    !(defined(TFL_SINGLE_ROUNDING) && TFL_SINGLE_ROUNDING)
#define TFL__X86_SIMD 1
#else
#define TFL__X86_SIMD 0
#endif

typedef struct tfl__kernel {
    const char *name;
    int kind;          /* op-defined: the dtype family the record computes */
    int isa;           /* TFL__ISA_* level, for the TFL_ISA cap */
    uint32_t features; /* TFL__CPU_* bits the record needs, all of them */
    /* Shapes and parameters the record handles (NULL: any of its kind). */
    bool (*supports)(const void *params);
    /* Weight repacking (both NULL: weights used as the model stores them):
     * bytes needed, and the packing itself from the op's params and
     * constant inputs (weights, bias; bias may be NULL). */
    size_t (*packed_bytes)(const void *params);
    void (*pack)(const void *params, const void *weights, const void *bias, void *packed);
    /* Scratch each worker needs (NULL: none). */
    size_t (*worker_scratch)(const void *params);
    tfl__kernel_fn fn;
    unsigned flags; /* TFL__KERNEL_* */
} tfl__kernel;

/* The function also computes a subrange of the output channels, given
 * through the op's params (for CONV_2D: oc_begin / oc_end), so the op can
 * split a layer with few pixels over the threads by channels. */
#define TFL__KERNEL_SPLITS_CHANNELS 1u
/* The function also takes its [start, end) range in flat output pixels
 * instead of rows, when the op's params say so (CONV_2D: flat_pixels), so
 * the op can cut a layer with few rows at the kernel's own pixel step. */
#define TFL__KERNEL_SPLITS_PIXELS 2u

/* Can this CPU run the record, and does the ISA cap admit it? */
bool tfl__kernel_runnable(const tfl__kernel *k, uint32_t cpu_features, int isa_cap);

/* The first record of `kind` in the table that the CPU runs, the cap admits
 * and whose predicate accepts params; NULL when none (a table without a
 * reference record for the kind). ctx->only_kernel, when set (tests, the
 * kernel walker), restricts the choice to the record of that name or, when
 * it cannot run here, to the reference. */
const tfl__kernel *tfl__kernel_pick(const tfl__ctx *ctx, const tfl__kernel *table, size_t count,
                                    int kind, const void *params);

/* The record's packed form of the node's weights: made on first use and
 * kept by the model for every interpreter over it (NULL ctx->packed: owned
 * by the node, in *owned, for op tests). Counts its bytes in the memory
 * cap. NULL with the error set on failure. */
const void *tfl__kernel_packed(tfl__ctx *ctx, const tfl__node *node, const tfl__kernel *k,
                               const void *params, const void *weights, const void *bias,
                               void **owned);

/* A node's kernel choice: the record, its packed weights (or NULL) and, in
 * op tests without a model cache, the buffer the node owns. */
typedef struct tfl__kernel_choice {
    const tfl__kernel *kernel;
    const void *packed;
    void *owned; /* free() in the op's free */
} tfl__kernel_choice;

/* What prepare does with a table: picks the record (tfl__kernel_pick), gets
 * its packed weights when it packs (tfl__kernel_packed) and sets the node's
 * per-worker scratch. Fails with the error set. */
tfl_status tfl__kernel_setup(tfl__ctx *ctx, tfl__node *node, const tfl__kernel *table,
                             size_t count, int kind, const void *params, const void *weights,
                             const void *bias, tfl__kernel_choice *choice);

#endif
