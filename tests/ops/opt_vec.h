/* Builds a builtin-options table holding one int32 vector field (e.g.
 * ReshapeOptions.new_shape, SqueezeOptions.squeeze_dims), which
 * op_harness.h's scalar option writer cannot express. Call after h_init and
 * before h_prepare, with no h_opt_* fields. */
#ifndef TFL_TEST_OPT_VEC_H
#define TFL_TEST_OPT_VEC_H

#include <stdint.h>
#include <string.h>

#include "op_harness.h"

typedef struct opt_vec_buf {
    _Alignas(8) uint8_t b[256];
} opt_vec_buf;

/* Layout: [vtable][table: soffset, uoffset->vector][vector: count, items]. */
static inline void h_opt_vec_i32(op_harness *h, opt_vec_buf *ob, int field, const int32_t *v, int n)
{
    uint8_t *b = ob->b;
    memset(b, 0, sizeof ob->b);
    size_t vt_len = 4 + 2 * ((size_t)field + 1);
    size_t tpos = (vt_len + 3) & ~(size_t)3;
    size_t vpos = tpos + 8;
    uint16_t u16 = (uint16_t)vt_len;
    memcpy(b, &u16, 2);
    u16 = 8; /* object: soffset + one uoffset */
    memcpy(b + 2, &u16, 2);
    u16 = 4; /* the field sits 4 bytes into the object */
    memcpy(b + 4 + 2 * (size_t)field, &u16, 2);
    int32_t soff = (int32_t)tpos;
    memcpy(b + tpos, &soff, 4);
    uint32_t uoff = (uint32_t)(vpos - (tpos + 4));
    memcpy(b + tpos + 4, &uoff, 4);
    uint32_t count = (uint32_t)n;
    memcpy(b + vpos, &count, 4);
    if (n > 0)
        memcpy(b + vpos + 4, v, 4 * (size_t)n);
    tfl__fb_table_at(b, vpos + 4 + 4 * (size_t)n, tpos, &h->node.options);
}

#endif
