/* pdf_stamp_int.h - the visible seal stamp on a PDF page: a PNG image with its transparency
 * and the seal holder and time as text under it, written as new PDF objects. */
#ifndef ESEAL_PDF_STAMP_INT_H
#define ESEAL_PDF_STAMP_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf_int.h"
#include "eseal/pades.h"
#include "pdf_int.h"
#include "eseal/error.h"

/* A stamp ready to be written; owned by the caller. */
typedef struct pdf_stamp pdf_stamp;

/* pdf_stamp_new - decode the PNG of len bytes at png (8-bit gray, gray+alpha, RGB, RGBA or
 * palette, not interlaced; ESEAL_ERR_FORMAT otherwise, with the reason) and lay out the
 * stamp with holder (UTF-8, may hold CJK) and when (printed in UTC) as text below it. */
int pdf_stamp_new(pdf_stamp **out, const unsigned char *png, size_t len, const char *holder,
                  time_t when, eseal_error *err);

/* pdf_stamp_size - the stamp's width and height in PDF points, text included. */
void pdf_stamp_size(const pdf_stamp *stamp, double *width, double *height);

/* pdf_stamp_place - the widget /Rect (default user space) of the stamp in corner of page as
 * a reader shows it (turned by the page's /Rotate, returned in *rotate for pdf_stamp_write),
 * 36 points from the edges of its CropBox (else MediaBox), scaled down on a page too small. */
int pdf_stamp_place(const pdf_stamp *stamp, pdf_doc *doc, const pdf_obj *page,
                    eseal_stamp_corner corner, double rect[4], int *rotate, eseal_error *err);

/* pdf_stamp_object_count - how many PDF objects pdf_stamp_write() writes. */
uint32_t pdf_stamp_object_count(const pdf_stamp *stamp);

/* pdf_stamp_write - append the stamp's objects to b as "N 0 obj ... endobj\n", numbered
 * first, first+1, ...; the first is the appearance stream (a Form XObject with /BBox
 * [0 0 width height]) that a widget's /AP /N names, turned by rotate degrees (0, 90, 180 or
 * 270, the page's /Rotate) so that it stands upright on a page shown rotated.  offsets[i]
 * gets b->len just before object first+i is written (pdf_stamp_object_count() entries). */
int pdf_stamp_write(const pdf_stamp *stamp, uint32_t first, int rotate, eseal_buf *b,
                    uint64_t *offsets);

/* pdf_stamp_free - release the stamp; NULL-safe. */
void pdf_stamp_free(pdf_stamp *stamp);

#endif
