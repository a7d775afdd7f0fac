/* libFuzzer target: any bytes as a model — load, create, allocate, invoke.
 * Build and run with `make fuzz` (needs clang). Seeds: the models in
 * ../shared/models and examples/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tfl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfl_error err;
    tfl_model *m = tfl_model_load_buffer(data, size, &err);
    if (!m)
        return 0;
    tfl_interpreter *it = tfl_interpreter_create(m, NULL, &err);
    if (it && tfl_interpreter_allocate(it) == TFL_OK) {
        /* Keep runs fast: skip huge graphs' inputs fill, invoke once. */
        if (tfl_interpreter_arena_size(it) < ((size_t)64 << 20))
            tfl_interpreter_invoke(it);
    }
    tfl_interpreter_free(it);
    tfl_model_free(m);
    return 0;
}
