/* png_int.h - a strict PNG decoder for the stamp image of visible seals. */
#ifndef ESEAL_PNG_INT_H
#define ESEAL_PNG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "eseal/error.h"

#define ESEAL_PNG_SIDE_MAX 4096                      /* pixels of width and of height */
#define ESEAL_PNG_RAW_MAX ((size_t)64 * 1024 * 1024) /* inflated, filtered image data */

/* A decoded image: 8-bit samples, rows top down, no padding.  Owned by the caller, released
 * with eseal_png_free(). */
typedef struct eseal_png {
    uint32_t width, height;
    unsigned channels;    /* of color: 1 (gray) or 3 (RGB) */
    unsigned char *color; /* width * height * channels samples */
    unsigned char *alpha; /* width * height alpha samples, or NULL when every pixel is opaque */
} eseal_png;

/* eseal_png_decode - decode the PNG of len bytes at data into png: gray, RGB, palette, gray
 * with alpha and RGBA at every bit depth PNG allows, transparency from tRNS, every chunk's
 * CRC checked.  ESEAL_ERR_FORMAT for a malformed or interlaced file, ESEAL_ERR_LIMIT beyond
 * ESEAL_PNG_SIDE_MAX or ESEAL_PNG_RAW_MAX, each with the reason and byte offset in err. */
int eseal_png_decode(eseal_png *png, const unsigned char *data, size_t len, eseal_error *err);

/* eseal_png_free - release the samples of png; NULL-safe, png may be decoded into again. */
void eseal_png_free(eseal_png *png);

#endif
