/* See error.h. */
#include "core/error.h"

#include <stdio.h>

tfl_status tfl__error_vset(tfl_error *err, tfl_status s, const char *fmt, va_list ap)
{
    if (err) {
        err->status = s;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
    }
    return s;
}

tfl_status tfl__error_set(tfl_error *err, tfl_status s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tfl__error_vset(err, s, fmt, ap);
    va_end(ap);
    return s;
}
