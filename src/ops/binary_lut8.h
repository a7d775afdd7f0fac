/* 8-bit binary ops (ADD, SUB, MUL, ...) with one small operand, run as table
 * lookups. When one input has at most TFL__LUT8_MAX_PERIOD elements that
 * repeat along the flat output (a scalar, or a shape equal to the output's
 * trailing dimensions: a per-channel constant) and the other input has the
 * output's shape, or the output's shape with those trailing dimensions 1,
 * every output byte is a function of one input byte and of its position
 * modulo that period. The op's own row kernel fills a 256-entry
 * table per small-operand element, so the lookups are byte-identical to it by
 * construction, and a per-element rescale becomes one load.
 * MoveNet's input normalization (x - mean[c], then * scale) is this case. */
#ifndef TFL_OPS_BINARY_LUT8_H
#define TFL_OPS_BINARY_LUT8_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels/broadcast.h"
#include "ops/lut8_map.h"
#include "ops/op.h"

#define TFL__LUT8_MAX_PERIOD 32

typedef struct tfl__lut8_binary {
    bool active;     /* prepare found the shapes eligible */
    bool a_is_small; /* tables indexed by b's byte (else by a's) */
    bool tables_fixed; /* the small operand is constant: tables filled at prepare */
    bool outer;      /* the large operand is constant along one period (an
                        outer product: [48, 48, 1] - [17]), not full size */
    uint32_t period; /* elements of the small operand */
    tfl__lut8_map_fn map; /* the lookup for period 1 */
    tfl__lut8_map_periodic_fn map_periodic; /* for periods up to TFL__LUT8_PERIODIC_MAX */
    uint8_t tables[TFL__LUT8_MAX_PERIOD * 256];
} tfl__lut8_binary;

/* Decides, from the shapes and types, whether the op runs as lookups: both
 * inputs and the output 1 byte per element, and the output large enough
 * that building the tables (period * 256 kernel elements) costs little.
 * fn and params (the op's row kernel and its params, which must outlive
 * the op) fill the tables here when the small operand is constant, else
 * at every run. */
void tfl__lut8_binary_prepare(const tfl__ctx *ctx, tfl__lut8_binary *l, tfl__binary_fn fn,
                              const void *params, const tfl_tensor *a, const tfl_tensor *b,
                              const tfl_tensor *out);

/* Runs the op through the tables when prepare made it active (filling them
 * with fn first unless prepare did), then maps the large operand. Returns
 * false, having done nothing, when not active. */
bool tfl__lut8_binary_run(tfl__ctx *ctx, tfl__lut8_binary *l, tfl__binary_fn fn,
                          const void *params, const tfl_tensor *a, const tfl_tensor *b,
                          tfl_tensor *out);

#endif
