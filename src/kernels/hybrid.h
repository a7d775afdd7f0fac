/* Dynamic-range ("hybrid") arithmetic: float activations meeting int8
 * weights, as TFLite's hybrid kernels do it (portable tensor utilities).
 * Each batch row of the input is quantized to int8 on the fly (symmetric,
 * or asymmetric with a per-row offset), multiplied with the int8 weights in
 * int32, and the sums are scaled back to float by input scale x weight
 * scale. Results are float: they agree with TFLite's within float rounding
 * of the final multiply-add. */
#ifndef TFL_KERNELS_HYBRID_H
#define TFL_KERNELS_HYBRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* TFLite BatchQuantizeFloats: rows [0, n_batch) of n floats each into q,
 * with scale[b] and offset[b] (0 when symmetric). */
void tfl__hybrid_quantize(const float *x, int n_batch, int n, bool asymmetric, int8_t *q,
                          float *scale, int32_t *offset);

/* Row sums of an int8 [rows][cols] matrix (TFLite ReductionSumVector). */
void tfl__hybrid_row_sums(const int8_t *m, int rows, int cols, int32_t *sums);

/* TFLite's hybrid MatrixBatchVectorMultiplyAccumulate: for each batch row
 * b and matrix row r,
 *   result[b][r] += (float)(m[r] . q[b] - row_sums[r] * offset[b])
 *                   * (scale[b] * channel_scale[r])
 * with channel_scale NULL for per-tensor weights (its scale then folded
 * into scale[] by the caller) and offset/row_sums NULL when symmetric. */
void tfl__hybrid_matvec_acc(const int8_t *m, int rows, int cols, const int8_t *q,
                            const float *scale, const int32_t *offset, const int32_t *row_sums,
                            const float *channel_scale, int n_batch, float *result);

/* TFLite IsZeroVector. */
bool tfl__all_zero_f32(const float *x, size_t n);

#endif
