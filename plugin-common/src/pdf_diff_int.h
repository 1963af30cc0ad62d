/* pdf_diff_int.h - the PAdES verifier's two modules: pdf_diff.c tells whether the later
 * revisions of a signed PDF changed what the signed revision shows; pdf_verify.c finds and
 * checks the signatures and lends pdf_diff.c its reading of the interactive form.
 *
 * Nothing here takes ownership: documents and buffers stay the caller's, objects handed out
 * belong to their pdf_doc.  No function keeps state between calls. */
#ifndef ESEAL_PDF_DIFF_INT_H
#define ESEAL_PDF_DIFF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "eseal/error.h"
#include "pdf_int.h"

/* pdf_diff.c */

/* pdf_diff_revision - whether the whole file shows what its revision signed_rev (that
 * revision's bytes opened as a document of their own) shows: 0 when later revisions only
 * added signatures and what may come with them (a DSS, XMP metadata, /Info, signature
 * appearances), 1 when they changed more or are damaged (what, of what_size bytes, then
 * says which object changed and how), or a negative status (ESEAL_ERR_LIMIT past a cap of
 * the reader, ESEAL_ERR_NOMEM).  whole_sigs is a bit per object number of the whole file,
 * whole_sigs_size bits, set for its signature fields and widgets (the form's, and those
 * only the pages list). */
int pdf_diff_revision(pdf_doc *signed_rev, pdf_doc *whole, const unsigned char *whole_sigs,
                      uint32_t whole_sigs_size, char *what, size_t what_size, eseal_error *err);

/* pdf_verify.c */

/* Called by pdf_verify_form_walk() for every field dictionary (num 0 when direct) with its
 * fully qualified name and whether its type, inherited or its own, is /Sig; returns 1 not
 * to descend into its /Kids, 0 to descend, or a negative status that ends the walk. */
typedef int (*pdf_verify_field_fn)(void *ctx, uint32_t num, const pdf_obj *field, const char *name,
                                   int sig, eseal_error *err);

/* pdf_verify_form_walk - call visit with ctx for every field of the form acroform (a
 * dictionary, or anything else for none) through /Fields and /Kids, each field once (a loop
 * is not followed); too many fields or too deep a nesting is ESEAL_ERR_LIMIT. */
int pdf_verify_form_walk(pdf_doc *doc, const pdf_obj *acroform, pdf_verify_field_fn visit,
                         void *ctx, eseal_error *err);

/* pdf_verify_is_field_or_widget - whether o is a dictionary that is no annotation other than
 * a widget (need_widget: it must be one), as a signature field or its widget is. */
int pdf_verify_is_field_or_widget(pdf_doc *doc, const pdf_obj *o, int need_widget);

/* pdf_verify_is_signature_field - whether o is a signature field or the widget of one by its
 * own entries: the nearest /FT up its /Parent chain is /Sig. */
int pdf_verify_is_signature_field(pdf_doc *doc, const pdf_obj *o);

/* pdf_verify_get - the value of key in dict, resolved, or NULL when absent or on any
 * failure: for yes-or-no questions, where failing means "no", the stricter answer. */
const pdf_obj *pdf_verify_get(pdf_doc *doc, const pdf_obj *dict, const char *key);

/* pdf_verify_resolve - the value o refers to (o itself when direct), or NULL on failure. */
const pdf_obj *pdf_verify_resolve(pdf_doc *doc, const pdf_obj *o);

/* pdf_verify_name - the PDF name as printable ASCII ('?' for anything else) in buf. */
void pdf_verify_name(char *buf, size_t size, const pdf_obj *name);

/* pdf_verify_bit - whether bit num of the bitmap bits of size bits is set. */
int pdf_verify_bit(const unsigned char *bits, uint32_t size, uint32_t num);

#endif
