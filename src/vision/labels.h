/* Label files: class index -> name, from plain lines, "index label" lines or
 * JSON (see tfl_labels_* in tfl.h). Limits keep hostile files bounded. */
#ifndef TFL_VISION_LABELS_H
#define TFL_VISION_LABELS_H

#include "tfl.h"

#define TFL__LABELS_MAX_LABEL (64 * 1024)       /* bytes in one label */
#define TFL__LABELS_MAX_INDEX ((1 << 20) - 1)   /* highest class index */
#define TFL__LABELS_MAX_FILE (64 * 1024 * 1024) /* bytes in a label file */

struct tfl_labels {
    int count;
    const char **labels; /* count entries; NULL where the file names no label */
    char *text;          /* owned storage the labels point into */
};

#endif
