/* TFLite Metadata section of `tfl inspect` (text and JSON). */
#ifndef TFL_CLI_INSPECT_METADATA_H
#define TFL_CLI_INSPECT_METADATA_H

#include "json.h"
#include "tfl.h"

/* Prints nothing when the model has no metadata. */
void inspect_metadata_text(const tfl_model *m);
/* One JSON value: null without metadata, {"error": ...} when unreadable. */
void inspect_metadata_json(json_writer *w, const tfl_model *m);

#endif
