/* Zeroed, 64-byte aligned memory for the large, long-lived buffers (packed
 * weights, the activation arena). From 1 MiB up it is an anonymous mapping
 * populated in one call (MAP_POPULATE on Linux): the kernel hands over
 * zeroed pages in a batch, where touching them one by one (a memset, or
 * the packing itself) took a page fault per 4 KiB, which on a virtual
 * machine was most of a model's load time. Smaller ones come from the heap
 * and are cleared. Free with tfl__big_free and the same size. */
#ifndef TFL_CORE_BIGALLOC_H
#define TFL_CORE_BIGALLOC_H

#include <stddef.h>

/* NULL when out of memory. */
void *tfl__big_zalloc(size_t bytes);
void tfl__big_free(void *p, size_t bytes);

#endif
