/* Fuzz target: any bytes as a label file (plain lines, "index label" lines
 * or JSON). A file that loads is then queried around and past its ends, and
 * every label is read in full so ASan sees a bad pointer or a missing NUL.
 * fuzz-needs: vision */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tfl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tfl_error err;
    tfl_labels *l = tfl_labels_load_buffer(data, size, &err);
    if (!l) {
        if (err.status == TFL_OK || !err.message[0])
            abort(); /* a refusal must say why */
        return 0;
    }
    int n = tfl_labels_count(l);
    if (n <= 0)
        abort(); /* a loaded file has at least one label */
    volatile size_t sink = 0;
    static const int probes[] = {-2147483647 - 1, -1000, -2, -1};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; ++i) {
        if (tfl_labels_has(l, probes[i]))
            abort();
        sink += strlen(tfl_labels_get(l, probes[i]));
    }
    for (int i = 0; i <= n + 2; ++i) {
        const char *s = tfl_labels_get(l, i);
        if (!s)
            abort();
        sink += strlen(s);
        if (i >= n && tfl_labels_has(l, i))
            abort();
    }
    if (tfl_labels_has(l, 2147483647))
        abort();
    char buf[160];
    static const size_t counts[] = {0, 1, 1000, 1001, SIZE_MAX};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; ++i)
        tfl_labels_check_count(l, counts[i], buf, sizeof buf);
    if (tfl_labels_check_count(l, (size_t)n, buf, sizeof buf) != 0)
        abort();
    tfl_labels_check_count(l, (size_t)n + 1, buf, 8); /* truncated message */
    tfl_labels_check_count(l, (size_t)n + 1, NULL, 0);
    (void)sink;
    tfl_labels_free(l);
    return 0;
}
