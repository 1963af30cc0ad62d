/* pdf_form_int.h - reading a PDF's interactive form (ISO 32000-1 12.7) for the PAdES
 * verifier: the walk over its fields, their fully qualified names, whether an object is a
 * signature field or widget, and the small quiet readers and object-number bitmaps that go
 * with them.
 *
 * Nothing here takes ownership: documents and buffers stay the caller's, objects handed out
 * belong to their pdf_doc.  No function keeps state between calls. */
#ifndef ESEAL_PDF_FORM_INT_H
#define ESEAL_PDF_FORM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "eseal/error.h"
#include "pdf_int.h"

#define PDF_FORM_NAME_MAX 128  /* bytes of a field name, as eseal_pades_signature.field */
#define PDF_FORM_PARENT_MAX 32 /* /Parent links followed up from a field or widget */

/* Called by pdf_form_walk() for every field dictionary (num 0 when direct) with its fully
 * qualified name and whether its type, inherited or its own, is /Sig; returns 1 not to
 * descend into its /Kids, 0 to descend, or a negative status that ends the walk. */
typedef int (*pdf_form_field_fn)(void *ctx, uint32_t num, const pdf_obj *field, const char *name,
                                 int sig, eseal_error *err);

/* pdf_form_walk - call visit with ctx for every field of the form acroform (a dictionary, or
 * anything else for none) through /Fields and /Kids, each field once (a loop is not
 * followed); too many fields or too deep a nesting is ESEAL_ERR_LIMIT. */
int pdf_form_walk(pdf_doc *doc, const pdf_obj *acroform, pdf_form_field_fn visit, void *ctx,
                  eseal_error *err);

/* pdf_form_field_name - the fully qualified name of a field (ISO 32000-1 12.7.3.2) in buf:
 * parent's name, a period and the partial name /T (a text string; anything else or NULL:
 * parent alone), as printable UTF-8 cut at a whole character. */
void pdf_form_field_name(char *buf, size_t size, const char *parent, const pdf_obj *partial);

/* pdf_form_is_field_or_widget - whether o is a dictionary that is no annotation other than
 * a widget (need_widget: it must be one), as a signature field or its widget is. */
int pdf_form_is_field_or_widget(pdf_doc *doc, const pdf_obj *o, int need_widget);

/* pdf_form_is_signature_field - whether o is a signature field or the widget of one by its
 * own entries: the nearest /FT up its /Parent chain is /Sig. */
int pdf_form_is_signature_field(pdf_doc *doc, const pdf_obj *o);

/* pdf_form_bit_test - whether bit num of the object-number bitmap bits of size bits (NULL:
 * none) is set. */
int pdf_form_bit_test(const unsigned char *bits, uint32_t size, uint32_t num);

/* pdf_form_bit_set - set bit num of the object-number bitmap bits of size bits (nothing
 * beyond its end). */
void pdf_form_bit_set(unsigned char *bits, uint32_t size, uint32_t num);

#endif
