/* Fuzz target: any bytes as a model. Load, then for every subgraph create an
 * interpreter, allocate, fill the inputs with bytes taken from the input
 * itself, invoke twice (the second run reuses the plan and dynamic tensors),
 * resize the first input and run again. Limits are low so that a timeout
 * or an out-of-memory report means a real bug, not a big model. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tfl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Input bytes come from the model bytes, cycled from an offset that
 * depends on the tensor, so the fuzzer steers them too. They go in through
 * tfl_tensor_copy_from, as a caller's would: a graph input that is a
 * constant of the model is refused there, never written. */
static void fill_inputs(tfl_interpreter *it, const uint8_t *data, size_t size)
{
    for (int i = 0; i < tfl_interpreter_num_inputs(it); ++i) {
        tfl_tensor *t = tfl_interpreter_input(it, i);
        size_t n = tfl_tensor_byte_size(t);
        uint8_t *buf = malloc(n ? n : 1);
        if (!buf || !size) {
            free(buf);
            continue;
        }
        size_t off = (size_t)(i * 7919) % size;
        for (size_t k = 0; k < n; ++k)
            buf[k] = data[(off + k) % size];
        tfl_tensor_copy_from(t, buf, n);
        free(buf);
    }
}

static void run(tfl_interpreter *it, const uint8_t *data, size_t size)
{
    if (tfl_interpreter_allocate(it) != TFL_OK)
        return;
    fill_inputs(it, data, size);
    if (tfl_interpreter_invoke(it) != TFL_OK)
        return;
    tfl_interpreter_invoke(it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfl_error err;
    tfl_model *m = tfl_model_load_buffer(data, size, &err);
    if (!m)
        return 0;
    int nsg = tfl_model_num_subgraphs(m);
    for (int sg = 0; sg < nsg && sg < 4; ++sg) {
        tfl_options opt = tfl_options_default();
        opt.subgraph = sg;
        opt.num_threads = 1 + (int)(size & 1);
        opt.max_memory = (size_t)64 << 20;
        opt.max_work = (uint64_t)1 << 22;
        tfl_interpreter *it = tfl_interpreter_create(m, &opt, &err);
        if (!it)
            continue;
        run(it, data, size);
        /* Grow the first input's first dimension, as a caller resizing a batch would. */
        tfl_tensor *in = tfl_interpreter_input(it, 0);
        if (in && tfl_tensor_ndim(in) > 0 && tfl_tensor_dims(in)[0] < INT32_MAX) {
            int32_t dims[TFL_MAX_DIMS];
            int nd = tfl_tensor_ndim(in);
            memcpy(dims, tfl_tensor_dims(in), (size_t)nd * sizeof dims[0]);
            dims[0] = dims[0] + 1;
            if (tfl_interpreter_resize_input(it, 0, dims, nd) == TFL_OK)
                run(it, data, size);
        }
        tfl_interpreter_reset_variables(it);
        tfl_interpreter_free(it);
    }
    tfl_model_free(m);
    return 0;
}
