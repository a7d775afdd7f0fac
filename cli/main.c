/* `tfl` entry point: global options, the subcommand table and the helpers the
 * subcommands share (messages, number parsing, model loading). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const cli_command commands[] = {
    {"inspect", "show a model's inputs, outputs, ops, signatures and metadata",
     "tfl inspect MODEL [--json] [--subgraph N]", cmd_inspect, usage_inspect},
    {"run", "run a model on .npy inputs (or seeded random ones), write .npy outputs",
     "tfl run MODEL [-i IN.npy ...] [-o DIR] [--seed N] [--threads N] [--repeat N]", cmd_run,
     usage_run},
    {"bench", "time invokes on seeded random inputs: latency, arena, per-op profile; CPU peak",
     "tfl bench MODEL [--threads N] [--warmup N] [--runs N] [--seed N] [--per-op] [--json] | "
     "--peak",
     cmd_bench, usage_bench},
#if TFL_CLI_VISION
    {"classify", "classify images: top scores with labels",
     "tfl classify MODEL IMAGE... [--labels F] [--top-k K] [--threshold T] [--json]", cmd_classify,
     usage_classify},
    {"detect", "detect objects (SSD models): boxes, labels, scores; draw a PNG",
     "tfl detect MODEL IMAGE [--threshold T] [-o OUT.png] [--json]", cmd_detect, usage_detect},
#endif
};
enum { NUM_COMMANDS = sizeof commands / sizeof commands[0] };

static void usage_main(FILE *f)
{
    fprintf(f, "usage: tfl <command> [options]\n"
               "       tfl --version | help [command]\n\n"
               "commands:\n");
    for (int i = 0; i < NUM_COMMANDS; ++i)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'tfl <command> --help' for a command's options.\n"
               "Exit status: 0 ok, 1 model or runtime error, 2 usage error.\n");
}

const cli_command *cli_find_command(const char *name)
{
    for (int i = 0; i < NUM_COMMANDS; ++i)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("tfl: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_ERROR;
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    if (cmd)
        fprintf(stderr, "tfl %s: ", cmd->name);
    else
        fputs("tfl: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (cmd)
        fprintf(stderr, "usage: %s\nRun 'tfl %s --help' for details.\n", cmd->synopsis, cmd->name);
    else
        fprintf(stderr, "usage: tfl <command> [options]\nRun 'tfl help' for the commands.\n");
    return EXIT_USAGE;
}

bool cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

bool cli_parse_int(const char *s, long long lo, long long hi, long long *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

tfl_model *cli_load_model(const char *path)
{
    tfl_error err;
    tfl_model *m = tfl_model_load_file(path, &err);
    if (!m) {
        /* The loader names the file for I/O errors; add it for the others. */
        if (strstr(err.message, path))
            cli_error("%s", err.message);
        else
            cli_error("'%s': %s", path, err.message);
    }
    return m;
}

const char *cli_format_shape(const int32_t *dims, int ndim, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    n += (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < ndim && n < size; ++i)
        n += (size_t)snprintf(buf + n, size - n, "%s%d", i ? ", " : "", (int)dims[i]);
    if (n < size)
        snprintf(buf + n, size - n, "]");
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage_main(stderr);
        return EXIT_USAGE;
    }
    const char *a = argv[1];
    if (strcmp(a, "--version") == 0 || strcmp(a, "version") == 0) {
        printf("tfl %s\n", tfl_version());
        return EXIT_OK;
    }
    if (cli_is_help(a) || strcmp(a, "help") == 0) {
        if (argc > 2) {
            const cli_command *c = cli_find_command(argv[2]);
            if (!c)
                return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
            c->usage(stdout);
        } else {
            usage_main(stdout);
        }
        return EXIT_OK;
    }
    const cli_command *c = cli_find_command(a);
    if (!c) {
        if (a[0] == '-')
            return cli_usage_error(NULL, "unknown option '%s'", a);
        return cli_usage_error(NULL, "unknown command '%s'", a);
    }
    return c->run(argc - 1, argv + 1);
}
