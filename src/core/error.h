/* Filling a caller's tfl_error: one formatter for every module that reports
 * errors before an interpreter exists (loading, metadata, images, labels). */
#ifndef TFL_CORE_ERROR_H
#define TFL_CORE_ERROR_H

#include <stdarg.h>

#include "tfl.h"

/* Sets status and message (a NULL err is ignored) and returns the status. */
tfl_status tfl__error_set(tfl_error *err, tfl_status s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
tfl_status tfl__error_vset(tfl_error *err, tfl_status s, const char *fmt, va_list ap);

#endif
