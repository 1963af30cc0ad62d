/* pdf_diff_int.h - whether the later revisions of a signed PDF changed what the signed
 * revision shows (pdf_diff.c), for the PAdES verifier (pdf_verify.c).
 *
 * Nothing here takes ownership: documents and buffers stay the caller's.  No function keeps
 * state between calls. */
#ifndef ESEAL_PDF_DIFF_INT_H
#define ESEAL_PDF_DIFF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "eseal/error.h"
#include "pdf_int.h"

/* pdf_diff_revision - whether the whole file shows what its revision signed_rev (that
 * revision's bytes opened as a document of their own) shows: 0 when later revisions only
 * added signatures and what may come with them (a DSS, XMP metadata, /Info, signature
 * appearances), 1 when they changed more or are damaged (what, of what_size bytes, then
 * says which object changed and how), or a negative status (ESEAL_ERR_LIMIT past a cap of
 * the reader, ESEAL_ERR_NOMEM).  whole_sigs is a bit per object number of the whole file
 * (see pdf_form_bit_test()), whole_sigs_size bits, set for its signature fields and widgets
 * (the form's, and those only the pages list). */
int pdf_diff_revision(pdf_doc *signed_rev, pdf_doc *whole, const unsigned char *whole_sigs,
                      uint32_t whole_sigs_size, char *what, size_t what_size, eseal_error *err);

#endif
