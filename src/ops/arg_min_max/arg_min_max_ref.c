/* Portable ARG_MAX / ARG_MIN kernels, matching TFLite's ArgMinMax: a strict
 * comparison walking the axis upward, so ties keep the first index. */
#include "ops/arg_min_max/arg_min_max.h"

#include <math.h>

/* For each (outer, inner) position: best starts at the first element of the
 * axis; element `v` at index i replaces it when BETTER(v, best) holds. */
#define ARG_LOOP(T, p, input, output, start, end, BETTER)                                          \
    do {                                                                                           \
        const T *in_ = (input); /* [outer, axis_size, inner] */                                    \
        for (size_t o_ = (start); o_ < (end); ++o_) {                                              \
            for (size_t k_ = 0; k_ < (p)->inner; ++k_) {                                           \
                const T *col_ = in_ + o_ * (p)->axis_size * (p)->inner + k_;                       \
                T best = col_[0];                                                                  \
                size_t at_ = 0;                                                                    \
                for (size_t i_ = 1; i_ < (p)->axis_size; ++i_) {                                   \
                    T v = col_[i_ * (p)->inner];                                                   \
                    if (BETTER) {                                                                  \
                        best = v;                                                                  \
                        at_ = i_;                                                                  \
                    }                                                                              \
                }                                                                                  \
                size_t out_at_ = o_ * (p)->inner + k_; /* output [outer, inner] */                 \
                if ((p)->out64)                                                                    \
                    ((int64_t *)(output))[out_at_] = (int64_t)at_;                                 \
                else                                                                               \
                    ((int32_t *)(output))[out_at_] = (int32_t)at_;                                 \
            }                                                                                      \
        }                                                                                          \
    } while (0)

#define ARG_INT(T, p, input, output, start, end)                                                   \
    do {                                                                                           \
        if ((p)->is_max)                                                                           \
            ARG_LOOP(T, p, input, output, start, end, v > best);                                   \
        else                                                                                       \
            ARG_LOOP(T, p, input, output, start, end, v < best);                                   \
    } while (0)

/* NaN never wins and any number replaces a NaN (TFLite's NaN-aware rule).
 * TFLite's x86 wheel runs a NEON-emulated vector loop when the axis is
 * innermost and at least 4 long, whose final reduction lets a NaN lane hide
 * the true extreme; only NaN inputs see that difference. */
void tfl_arg_min_max_f32__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                              size_t start, size_t end)
{
    if (p->is_max)
        ARG_LOOP(float, p, input, output, start, end, !isnan(v) && (isnan(best) || v > best));
    else
        ARG_LOOP(float, p, input, output, start, end, !isnan(v) && (isnan(best) || v < best));
}

void tfl_arg_min_max_u8__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                             size_t start, size_t end)
{
    ARG_INT(uint8_t, p, input, output, start, end);
}

void tfl_arg_min_max_s8__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                             size_t start, size_t end)
{
    ARG_INT(int8_t, p, input, output, start, end);
}

void tfl_arg_min_max_s16__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                              size_t start, size_t end)
{
    ARG_INT(int16_t, p, input, output, start, end);
}

void tfl_arg_min_max_s32__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                              size_t start, size_t end)
{
    ARG_INT(int32_t, p, input, output, start, end);
}

void tfl_arg_min_max_b8__ref(const tfl_arg_min_max_params *p, const void *input, void *output,
                             size_t start, size_t end)
{
    /* Any nonzero byte is true. */
    if (p->is_max)
        ARG_LOOP(uint8_t, p, input, output, start, end, (v != 0) > (best != 0));
    else
        ARG_LOOP(uint8_t, p, input, output, start, end, (v != 0) < (best != 0));
}
