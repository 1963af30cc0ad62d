/* pdf_plan_int.h - what sealing a PDF in place rewrites, found before anything is written. */
#ifndef ESEAL_PDF_PLAN_INT_H
#define ESEAL_PDF_PLAN_INT_H

#include <stdint.h>

#include "eseal/error.h"
#include "pdf_int.h"

/* Objects of the document the update rewrites: the page or its /Annots, the catalog or its
 * /AcroForm, the form's /Fields. */
#define PADES_REWRITTEN_MAX 3

/* What the update changes in the document, found before anything is written.  An object
 * number of 0 means the value is direct in its container (or absent), so the container is
 * rewritten instead. */
struct pades_plan {
    const pdf_obj *trailer;
    uint32_t catalog_num;
    const pdf_obj *catalog;
    uint32_t page_num;
    const pdf_obj *page;
    const pdf_obj *annots; /* the page's annotation array, or NULL */
    uint32_t annots_num;
    const pdf_obj *acroform; /* the catalog's interactive form dictionary, or NULL */
    uint32_t acroform_num;
    const pdf_obj *fields; /* the form's /Fields array, or NULL */
    uint32_t fields_num;
    unsigned field_index; /* the new field is named "ESeal<field_index>" */
    double rect[4];       /* the widget's /Rect in default user space */
    int rotate;           /* the page's /Rotate: the stamp is turned to stand upright */
};

/* pdf_plan_find - find in doc the catalog, the page the field goes on (stamp_page as in
 * eseal_pades_options: 1-based, negative from the end, 0 the first; clamped to the pages
 * there are), its annotations and the form, and the free ESeal<k> field name, into *plan;
 * or the reason the document cannot be sealed in place (ESEAL_ERR_UNSUPPORTED, or the
 * reader's error).  The pointers in *plan belong to doc. */
int pdf_plan_find(pdf_doc *doc, int stamp_page, struct pades_plan *plan, eseal_error *err);

#endif
