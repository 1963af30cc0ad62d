/* pdf_maker.h - small PDFs written byte by byte for the tests of the PDF reader (pdf_int.h):
 * objects, streams, xref tables, Flate and PNG-predicted data; and checked opening. */
#ifndef ESEAL_TEST_PDF_MAKER_H
#define ESEAL_TEST_PDF_MAKER_H

#include <stddef.h>
#include <stdint.h>

#include "../../plugin-common/src/pdf_int.h"

#define TEST_OBJECTS_MAX 64 /* objects one test PDF holds */

/* A PDF being written: its bytes and where each object starts. */
struct maker {
    eseal_buf b;
    size_t offset[TEST_OBJECTS_MAX];
};

/* maker_init - start a PDF with header ("%PDF-1.4\n"). */
void maker_init(struct maker *m, const char *header);

/* Append "num 0 obj body endobj". */
void maker_obj(struct maker *m, unsigned num, const char *body);

/* Append a stream object whose data is the n bytes at data. */
void maker_stream(struct maker *m, unsigned num, const char *dict, const void *data, size_t n);

/* Append an xref table for objects first..first+count-1 (0 is free) with trailer entries. */
size_t maker_table(struct maker *m, unsigned first, unsigned count, const char *trailer);

/* Append startxref at and %%EOF. */
void maker_startxref(struct maker *m, size_t at);

/* Zlib data with stored (uncompressed) deflate blocks: the reader's inflate must take it. */
void zstore(eseal_buf *out, const unsigned char *d, size_t n);

/* Encode rows of raw with PNG predictors, row r with filter tags[r % ntags]. */
void png_encode(eseal_buf *out, const unsigned char *raw, size_t n, size_t rowlen, size_t bpp,
                const unsigned *tags, size_t ntags);

/* The document b holds, opened (the test fails when it does not open); pdf_doc_free it. */
pdf_doc *open_ok(const eseal_buf *b);

/* Object num of doc, resolved (the test fails when it is missing). */
const pdf_obj *get(pdf_doc *doc, uint32_t num);

/* The integer value of key in dict, resolved. */
int64_t dict_int(pdf_doc *doc, const pdf_obj *dict, const char *key);

/* The usual three objects of a one-page document, plus a content stream. */
void maker_page(struct maker *m);

#endif
