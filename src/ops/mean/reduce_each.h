/* The loop every reduction kernel shares (mean_ref.c, reduce_ref.c). */
#ifndef TFL_OPS_MEAN_REDUCE_EACH_H
#define TFL_OPS_MEAN_REDUCE_EACH_H

#include "ops/mean/mean.h"

/* For each output o in [start, end): `base` is the input offset of its first
 * element; INIT runs, BODY runs for each of its p->count input elements at
 * offset `at` in increasing order, then STORE. */
#define REDUCE_EACH(p, start, end, INIT, BODY, STORE)                                              \
    do {                                                                                           \
        for (size_t o = (start); o < (end); ++o) {                                                 \
            size_t base_ = 0, rem_ = o;                                                            \
            for (int k_ = (p)->nk - 1; k_ >= 0; --k_) {                                            \
                base_ += (rem_ % (size_t)(p)->kdims[k_]) * (p)->kstride[k_];                       \
                rem_ /= (size_t)(p)->kdims[k_];                                                    \
            }                                                                                      \
            int32_t idx_[TFL_MAX_DIMS] = {0};                                                      \
            size_t at = base_;                                                                     \
            INIT;                                                                                  \
            for (int64_t r_ = 0; r_ < (p)->count; ++r_) {                                          \
                BODY;                                                                              \
                for (int d_ = (p)->nr - 1; d_ >= 0; --d_) {                                        \
                    at += (p)->rstride[d_];                                                        \
                    if (++idx_[d_] < (p)->rdims[d_])                                               \
                        break;                                                                     \
                    at -= (p)->rstride[d_] * (size_t)(p)->rdims[d_];                               \
                    idx_[d_] = 0;                                                                  \
                }                                                                                  \
            }                                                                                      \
            STORE;                                                                                 \
        }                                                                                          \
    } while (0)

#endif
