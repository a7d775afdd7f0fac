/* EXIF orientation: read the tag from a JPEG APP1 segment and apply it. */
#ifndef TFL_VISION_EXIF_H
#define TFL_VISION_EXIF_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

/* Orientation 1..8 from an APP1 payload ("Exif\0\0" + TIFF); 1 when absent or malformed. */
int tfl__exif_orientation(const uint8_t *app1, size_t size);
/* Rotates/flips img in place (replacing its pixels) so it displays upright. */
tfl_status tfl__exif_apply(tfl_image *img, int orientation);

#endif
