/* A custom op from C: registers "Softsign" (y = x / (1 + |x|)) in a
 * resolver, runs examples/custom_op/softsign.tflite (one CUSTOM node of
 * that name) on eight values and prints them. Every status is checked.
 *
 *     build/example_custom_op examples/custom_op/softsign.tflite
 */
#include <math.h>
#include <stdio.h>

#include "tfl.h"

static tfl_status softsign_prepare(tfl_op_context *c)
{
    if (tfl_op_num_inputs(c) != 1 || tfl_op_num_outputs(c) != 1)
        return tfl_op_fail(c, TFL_ERROR_BAD_MODEL, "expects 1 input and 1 output");
    const tfl_tensor *x = tfl_op_input(c, 0);
    if (tfl_tensor_type(x) != TFL_FLOAT32 || tfl_tensor_type(tfl_op_output(c, 0)) != TFL_FLOAT32)
        return tfl_op_fail(c, TFL_ERROR_UNSUPPORTED, "float32 only");
    return tfl_op_resize_output(c, 0, tfl_tensor_dims(x), tfl_tensor_ndim(x));
}

static tfl_status softsign_invoke(tfl_op_context *c)
{
    tfl_tensor *x = tfl_op_input(c, 0), *y = tfl_op_output(c, 0);
    const float *in = tfl_tensor_data(x);
    float *out = tfl_tensor_data(y);
    for (size_t i = 0; i < tfl_tensor_num_elements(x); ++i)
        out[i] = in[i] / (1.0f + fabsf(in[i]));
    return TFL_OK;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s softsign.tflite\n", argv[0]);
        return 2;
    }
    int rc = 1;
    tfl_error err;
    tfl_model *m = NULL;
    tfl_interpreter *it = NULL;
    tfl_op_resolver *r = tfl_op_resolver_create();
    tfl_custom_op softsign = {
        .name = "Softsign", .prepare = softsign_prepare, .invoke = softsign_invoke};
    if (!r || tfl_op_resolver_add(r, &softsign) != TFL_OK) {
        fprintf(stderr, "cannot register Softsign\n");
        goto done;
    }
    if (!(m = tfl_model_load_file(argv[1], &err))) {
        fprintf(stderr, "%s\n", err.message);
        goto done;
    }
    tfl_options opt = tfl_options_default();
    opt.resolver = r;
    if (!(it = tfl_interpreter_create(m, &opt, &err))) {
        fprintf(stderr, "%s\n", err.message);
        goto done;
    }
    const float x[8] = {-4, -2, -1, -0.5f, 0, 0.5f, 1, 3};
    if (tfl_interpreter_allocate(it) != TFL_OK ||
        tfl_tensor_copy_from(tfl_interpreter_input(it, 0), x, sizeof x) != TFL_OK ||
        tfl_interpreter_invoke(it) != TFL_OK) {
        fprintf(stderr, "%s\n", tfl_interpreter_last_error(it));
        goto done;
    }
    float y[8];
    if (tfl_tensor_copy_to(tfl_interpreter_output(it, 0), y, sizeof y) != TFL_OK) {
        fprintf(stderr, "%s\n", tfl_interpreter_last_error(it));
        goto done;
    }
    for (int i = 0; i < 8; ++i)
        printf("softsign(%g) = %.6f\n", (double)x[i], (double)y[i]);
    rc = 0;
done:
    tfl_interpreter_free(it);
    tfl_model_free(m);
    tfl_op_resolver_free(r);
    return rc;
}
