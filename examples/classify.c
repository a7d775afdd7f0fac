/* Minimal image classification with the tfl C API: load a model, feed an
 * image through the library's preprocessing, print the top 3 labelled,
 * dequantized scores. Build (after `make install`):
 *   cc classify.c $(pkg-config --cflags --libs tfl) -o classify
 *   ./classify digits/digits_int8.tflite digits/seven_283.png */
#include <stdio.h>
#include <stdlib.h>

#include "tfl.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s MODEL IMAGE\n", argv[0]);
        return 2;
    }
    int rc = 1;
    tfl_error err;
    tfl_interpreter *it = NULL;
    tfl_metadata *md = NULL;
    tfl_labels *labels = NULL;
    tfl_image img = {0};
    float *scores = NULL;

    tfl_model *m = tfl_model_load_file(argv[1], &err);
    if (!m)
        goto fail;
    it = tfl_interpreter_create(m, NULL, &err);
    if (!it)
        goto fail;
    if (tfl_interpreter_allocate(it) != TFL_OK)
        goto fail_it;

    /* Normalization and labels come from the model's TFLite Metadata. */
    tfl_preprocess pp = {0};
    md = tfl_metadata_read(m, &err);
    if (md && tfl_metadata_num_inputs(md) > 0) {
        const tfl_tensor_metadata *in = tfl_metadata_input(md, 0);
        for (int c = 0; c < in->num_mean && c < in->num_std && c < 4; ++c) {
            pp.mean[c] = in->mean[c];
            pp.std[c] = in->std[c];
            pp.norm_count = c + 1;
        }
        labels = tfl_labels_from_metadata(md, 0, NULL, &err);
    }

    if (tfl_image_load_file(argv[2], &img, &err) != TFL_OK)
        goto fail;
    if (tfl_image_to_tensor(&img, tfl_interpreter_input(it, 0), &pp, &err) != TFL_OK)
        goto fail;
    if (tfl_interpreter_invoke(it) != TFL_OK)
        goto fail_it;

    const tfl_tensor *out = tfl_interpreter_output(it, 0);
    size_t n = tfl_tensor_num_elements(out);
    scores = malloc(n * sizeof *scores);
    if (!scores || tfl_tensor_dequantize(out, scores, n) != TFL_OK)
        goto fail_it;
    for (int k = 0; k < 3 && k < (int)n; ++k) {
        size_t best = 0;
        for (size_t i = 1; i < n; ++i)
            if (scores[i] > scores[best])
                best = i;
        printf("%.4f  %3zu  %s\n", scores[best], best,
               labels ? tfl_labels_get(labels, best) : "");
        scores[best] = -1e30f;
    }
    rc = 0;
    goto done;
fail_it:
    fprintf(stderr, "%s\n", tfl_interpreter_last_error(it));
    goto done;
fail:
    fprintf(stderr, "%s\n", err.message);
done:
    free(scores);
    tfl_image_free(&img);
    tfl_labels_free(labels);
    tfl_metadata_free(md);
    tfl_interpreter_free(it);
    tfl_model_free(m);
    return rc;
}
