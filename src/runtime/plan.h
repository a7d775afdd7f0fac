/* Memory planning: tensors with lifetimes [first, last] (node indices) get
 * offsets in one arena such that tensors alive at the same time never
 * overlap. Greedy by size, largest first, as TFLite's arena planner does. */
#ifndef TFL_RUNTIME_PLAN_H
#define TFL_RUNTIME_PLAN_H

#include <stddef.h>

typedef struct tfl__plan_item {
    size_t size;
    int first, last; /* inclusive node range during which the tensor is live */
    size_t offset;   /* output */
} tfl__plan_item;

/* Fills offsets (aligned to `align`) and returns the arena size; (size_t)-1 on
 * allocation failure of the planner's own scratch. */
size_t tfl__plan(tfl__plan_item *items, int n, size_t align);

#endif
