/* out[i] = table[in[i]] over bytes: the last step of every 8-bit op that
 * reduces to a 256-entry table (QUANTIZE between 8-bit types, ADD/SUB/MUL
 * with a scalar, see binary_lut8.h). With AVX-512 VBMI, 64 lookups are four
 * instructions (two vpermi2b over the table's halves and a blend by the top
 * bit); otherwise one load per byte. */
#ifndef TFL_OPS_LUT8_MAP_H
#define TFL_OPS_LUT8_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "ops/op.h"

typedef void (*tfl__lut8_map_fn)(const uint8_t table[256], const uint8_t *in, uint8_t *out,
                                 size_t n);

void tfl__lut8_map__ref(const uint8_t table[256], const uint8_t *in, uint8_t *out, size_t n);
void tfl__lut8_map__vbmi(const uint8_t table[256], const uint8_t *in, uint8_t *out, size_t n);

/* The best of the two this CPU runs and the context's ISA cap admits. */
tfl__lut8_map_fn tfl__lut8_map_pick(const tfl__ctx *ctx);

/* Periodic tables: out[i] = tables[((phase + i) % period) * 256 + in[i]], for
 * a per-channel operand of 2 to TFL__LUT8_PERIODIC_MAX channels (RGB: 3).
 * The VBMI version looks every vector up in each table and keeps each
 * lane's own with masks. */
#define TFL__LUT8_PERIODIC_MAX 4
typedef void (*tfl__lut8_map_periodic_fn)(const uint8_t *tables, unsigned period, unsigned phase,
                                          const uint8_t *in, uint8_t *out, size_t n);
void tfl__lut8_map_periodic__ref(const uint8_t *tables, unsigned period, unsigned phase,
                                 const uint8_t *in, uint8_t *out, size_t n);
void tfl__lut8_map_periodic__vbmi(const uint8_t *tables, unsigned period, unsigned phase,
                                  const uint8_t *in, uint8_t *out, size_t n);
tfl__lut8_map_periodic_fn tfl__lut8_map_periodic_pick(const tfl__ctx *ctx);

#endif
