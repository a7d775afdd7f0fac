/* QUANTIZE between 8-bit types as a table lookup: every input byte has one
 * output byte, so prepare tables the reference's 256 answers
 * (tfl_quantize_fill_lut8) and this record maps the tensor through them
 * (ops/lut8_map.h). Byte-identical by construction. */
#include "ops/lut8_map.h"
#include "ops/quantize/quantize.h"

void tfl_quantize_fill_lut8(tfl_quantize_params *p, tfl_quantize_fn ref)
{
    uint8_t every_byte[256];
    for (int v = 0; v < 256; ++v)
        every_byte[v] = (uint8_t)v;
    ref(p, every_byte, p->lut8, 0, 256);
}

void tfl_quantize_q8_q8__vbmi(const void *params, const void *in, void *out, size_t start,
                              size_t end)
{
    const tfl_quantize_params *p = params;
    tfl__lut8_map__vbmi(p->lut8, (const uint8_t *)in + start, (uint8_t *)out + start, end - start);
}
