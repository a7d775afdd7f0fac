/* What the image commands (classify, detect) share: their common options, the
 * model with its metadata and interpreter, image -> input tensor with the
 * model's normalization, and label loading. */
#ifndef TFL_CLI_IMAGE_INPUT_H
#define TFL_CLI_IMAGE_INPUT_H

#include <stdbool.h>

#include "cli.h"

/* Options every image command takes. */
typedef struct image_opts {
    const char *labels_path; /* --labels FILE */
    int num_mean, num_std;   /* --mean / --std: 0 when not given, else 1 or 3 values */
    float mean[3], std[3];
    float crop;  /* --crop F: central fraction of each side kept; 0 = none */
    int threads; /* --threads N */
} image_opts;

/* The help lines of the options above. */
void image_opts_usage(FILE *f);

/* Parses the shared option at argv[*i] (and its value, advancing *i).
 * Returns 1 when consumed, 0 when the option is not a shared one, and
 * EXIT_USAGE after printing a usage error. */
int image_opts_parse(const cli_command *cmd, int argc, char **argv, int *i, image_opts *o);

/* Parses a whole finite float. */
bool image_parse_float(const char *s, float *out);

/* A model ready to take images: metadata (NULL when it has none, or when it
 * is unreadable, which is warned about), an allocated interpreter, and the
 * preprocessing chosen for its first input. */
typedef struct image_model {
    const char *path;
    tfl_model *model;
    tfl_metadata *md;
    tfl_interpreter *it;
    tfl_tensor *input;
    tfl_preprocess pp;
} image_model;

/* Loads the model, reads its metadata, creates and allocates the interpreter
 * and picks the normalization: --mean/--std, else the metadata's, else (with a
 * note on stderr) a default by input type. Prints "tfl: ..." and returns
 * EXIT_ERROR on failure; image_model_close is safe afterwards either way. */
int image_model_open(image_model *im, const char *path, const image_opts *o);
void image_model_close(image_model *im);

/* Decodes an image file into *img (which the caller frees with
 * tfl_image_free) and fills the input tensor from it. Prints the error. */
int image_model_feed(image_model *im, const char *image_path, tfl_image *img);

/* Invokes the interpreter; prints the error. */
int image_model_invoke(image_model *im);

/* Labels for model output `output` (-1: none): --labels FILE when given (an
 * unreadable file is an error), else the label file the metadata names for
 * that output, else the only packed file whose name mentions "label" when the
 * metadata describes no outputs. *out is NULL when there are none. */
int image_labels_load(const image_model *im, const image_opts *o, int output, tfl_labels **out);

/* Index of the model output whose tensor index is tensor_index, or -1. */
int image_output_of_tensor(const image_model *im, int tensor_index);

#endif
