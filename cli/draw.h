/* Drawing for `tfl detect -o`: an RGB canvas, box outlines, text in a built-in
 * 5x9 bitmap font on a filled label background, and PNG output (libpng). */
#ifndef TFL_CLI_DRAW_H
#define TFL_CLI_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "tfl.h"

typedef struct draw_color {
    uint8_t r, g, b;
} draw_color;

typedef struct draw_canvas {
    int width, height;
    uint8_t *rgb; /* width * height * 3, rows top to bottom */
} draw_canvas;

/* Copies the image (gray becomes RGB); false when out of memory. */
int draw_canvas_init(draw_canvas *c, const tfl_image *img);
void draw_canvas_free(draw_canvas *c);

/* Fills [x, x + w) x [y, y + h), clipped to the canvas. */
void draw_fill(draw_canvas *c, int x, int y, int w, int h, draw_color color);
/* A box outline `thickness` pixels wide, inside [x, x + w) x [y, y + h). */
void draw_box(draw_canvas *c, int x, int y, int w, int h, int thickness, draw_color color);

/* Size of text drawn at an integer scale (each font pixel is scale x scale).
 * Bytes outside printable ASCII show as '?' (one per UTF-8 character). */
int draw_text_width(const char *text, int scale);
int draw_text_height(int scale);
void draw_text(draw_canvas *c, int x, int y, const char *text, int scale, draw_color color);

/* A label: text on a filled background of `color`, its bottom-left corner at
 * (x, y) (moved down inside the canvas when it would leave it), in black or
 * white, whichever reads better on the color. */
void draw_label(draw_canvas *c, int x, int y, const char *text, int scale, draw_color color);

/* A distinct, saturated color for class index i. */
draw_color draw_palette(int i);

/* Writes an 8-bit RGB PNG; 0 on success, else -1 with a message in err. */
int draw_write_png(const draw_canvas *c, const char *path, char *err, size_t err_size);

#endif
