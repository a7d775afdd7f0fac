/* Shared pieces of the `tfl` command-line tool: subcommand entry points, exit
 * codes, option parsing helpers and model-level tensor information. */
#ifndef TFL_CLI_CLI_H
#define TFL_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tfl.h"

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2 };

/* The image commands (classify, detect) need the library's image and label
 * support (CMake's TFL_VISION), which the build reports as TFL_HAVE_VISION=0/1. */
#if !defined(TFL_HAVE_VISION) || TFL_HAVE_VISION
#define TFL_CLI_VISION 1
#else
#define TFL_CLI_VISION 0
#endif

typedef struct cli_command {
    const char *name;
    const char *summary;
    const char *synopsis;              /* "tfl run MODEL [...]": shown after usage errors */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    void (*usage)(FILE *f);
} cli_command;

int cmd_inspect(int argc, char **argv);
void usage_inspect(FILE *f);
int cmd_run(int argc, char **argv);
void usage_run(FILE *f);
int cmd_bench(int argc, char **argv);
void usage_bench(FILE *f);
int cmd_classify(int argc, char **argv);
void usage_classify(FILE *f);
int cmd_detect(int argc, char **argv);
void usage_detect(FILE *f);

/* Fills n elements of type t from the seeded stream (cli/random.c); false for
 * types with no random form. */
bool cli_fill_random(tfl_type t, void *data, size_t n, uint64_t *state);

/* "tfl: " + message on stderr; returns EXIT_ERROR. */
int cli_error(const char *fmt, ...);
/* "tfl <cmd>: " + message, then the command's usage, on stderr; returns EXIT_USAGE. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...);
const cli_command *cli_find_command(const char *name);

/* Is argv[i] "--help" or "-h"? */
bool cli_is_help(const char *arg);
/* Parses a whole decimal integer in [lo, hi]. */
bool cli_parse_int(const char *s, long long lo, long long hi, long long *out);
/* Loads a model, printing "tfl: <why>" on failure. */
tfl_model *cli_load_model(const char *path);

/* "[1, 224, 224, 3]" into buf. */
const char *cli_format_shape(const int32_t *dims, int ndim, char *buf, size_t size);

#endif
