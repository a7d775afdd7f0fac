/* Packing of 8-bit filters for the VNNI records (CONV_2D, FULLY_CONNECTED):
 * per block of 16 output channels, per quad of 4 taps, 64 consecutive bytes
 * [16 channels][4 taps], each byte w ^ 0x80 (the signed filter as unsigned,
 * or the unsigned one as signed: vpdpbusd takes one of each). */
#ifndef TFL_KERNELS_PACK_VNNI_H
#define TFL_KERNELS_PACK_VNNI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Block blk of w ([channels, k] bytes) into dst (nq * 64 bytes), in the
 * order the bytes are stored: 16 filter rows read together, four bytes at a
 * time. Taps past k and channels past `channels` get 0 (they meet zero
 * inputs or are never stored, so they only need defined bytes). sums[e]:
 * the sum of channel blk * 16 + e as int8 (u8: of its flipped bytes, w - 128). */
static inline void tfl__pack_vnni_block(const uint8_t *w, size_t channels, size_t k, size_t nq,
                                        size_t blk, bool u8, uint8_t *dst, uint32_t sums[16])
{
    for (size_t e = 0; e < 16; ++e)
        sums[e] = 0;
    for (size_t qd = 0; qd < nq; ++qd, dst += 64) {
        for (size_t e = 0; e < 16; ++e) {
            const size_t oc = blk * 16 + e;
            const uint8_t *row = w + oc * k;
            if (oc < channels && qd * 4 + 4 <= k) {
                uint32_t word;
                memcpy(&word, row + qd * 4, 4);
                const uint32_t flipped = word ^ 0x80808080u, sv = u8 ? flipped : word;
                memcpy(dst + e * 4, &flipped, 4);
                sums[e] += (uint32_t)((int32_t)(int8_t)sv + (int8_t)(sv >> 8) +
                                      (int8_t)(sv >> 16) + (int8_t)(sv >> 24));
                continue;
            }
            for (size_t j = 0; j < 4; ++j) {
                const size_t t = qd * 4 + j;
                uint8_t v = 0;
                if (oc < channels && t < k) {
                    v = row[t] ^ 0x80;
                    sums[e] += (uint32_t)(int32_t)(int8_t)(u8 ? v : row[t]);
                }
                dst[e * 4 + j] = v;
            }
        }
    }
}

#endif
