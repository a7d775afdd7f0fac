/* Human-readable names of TFLite builtin operator codes. */
#ifndef TFL_MODEL_BUILTIN_NAMES_H
#define TFL_MODEL_BUILTIN_NAMES_H

/* "CONV_2D" for 3; "UNKNOWN" for codes the schema does not define. */
const char *tfl__builtin_name(int code);

#endif
