/* Helpers shared by the MediaPipe custom ops (src/ops/mediapipe/): their
 * options come either as a TFLite C params struct written out as raw bytes
 * (TfLitePoolParams, TfLiteTransposeConvParams) or as a FlexBuffers map. */
#ifndef TFL_OPS_MEDIAPIPE_MEDIAPIPE_H
#define TFL_OPS_MEDIAPIPE_MEDIAPIPE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/flexbuf.h"
#include "ops/op.h"

/* TfLitePadding as stored in the raw structs. */
enum { TFL__MP_PAD_UNKNOWN = 0, TFL__MP_PAD_SAME = 1, TFL__MP_PAD_VALID = 2 };

/* The leading fields of TfLitePoolParams: six little-endian int32 (padding,
 * stride_width, stride_height, filter_width, filter_height, activation). */
typedef struct tfl__mp_pool {
    int32_t padding;
    int32_t stride_w, stride_h;
    int32_t filter_w, filter_h;
    int32_t activation;
} tfl__mp_pool;

/* Reads the pool params from the custom options and checks that strides and
 * filter sizes are >= 1. Padding and activation are left to the op. */
tfl_status tfl__mp_pool_params(tfl__ctx *ctx, tfl__node *node, tfl__mp_pool *out);

/* Little-endian int32 number i of the custom options (the caller checked
 * the size). */
int32_t tfl__mp_raw_i32(const tfl__node *node, size_t i);

/* The custom options as a FlexBuffers map. With allow_empty, options that
 * are absent give an empty map (*present = false). */
tfl_status tfl__mp_flex_map(tfl__ctx *ctx, tfl__node *node, bool allow_empty,
                            tfl__flex_map *m, bool *present);

/* Option readers: *found (may be NULL) says whether the key was there; an
 * absent key leaves *out untouched. A value of the wrong kind or out of
 * range fails with the key's name. */
tfl_status tfl__mp_opt_int(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m,
                           const char *key, int32_t *out, bool *found);
tfl_status tfl__mp_opt_float(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m,
                             const char *key, float *out, bool *found);
/* An int vector (typed or untyped) of at most max_count entries into out;
 * *count gets its length (0 when absent). */
tfl_status tfl__mp_opt_int_vec(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m,
                               const char *key, int32_t *out, size_t max_count, size_t *count);
/* A string option (NUL-terminated inside the buffer), NULL when absent. */
tfl_status tfl__mp_opt_str(tfl__ctx *ctx, tfl__node *node, const tfl__flex_map *m,
                           const char *key, const char **out);

/* Checks that t is present, float32 and of the given rank (rank < 0: any). */
tfl_status tfl__mp_check_f32(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t,
                             const char *role, int rank);
/* Checks that the transform matrix is float32 with 16 elements (a 4x4
 * matrix in row-major order; MediaPipe models feed it as [1, 4, 4]). */
tfl_status tfl__mp_check_matrix(tfl__ctx *ctx, const tfl__node *node, const tfl_tensor *t);

#endif
