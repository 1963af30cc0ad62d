/* pdf_plan.c - what sealing a PDF in place rewrites (catalog, page, annotations, form),
 * found and checked before anything is written.
 *
 * SECURITY: the PDF comes from a mail attachment; it is read only through the strict reader
 * (pdf_int.h), and every object found here is checked for the type the update needs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "pdf_int.h"
#include "pdf_plan_int.h"

/* The value of key in container when it is of type want, and the object number it lives in
 * when the container refers to it (0 when direct).  *out is NULL when the key is absent or
 * names something else, which the update then replaces by a direct value. */
static int plan_member(pdf_doc *doc, const pdf_obj *container, const char *key, pdf_type want,
                       const pdf_obj **out, uint32_t *num, eseal_error *err)
{
    const pdf_obj *raw = pdf_dict_get(container, key), *value;
    int rc;

    *out = NULL;
    *num = 0;
    if (raw == NULL)
        return ESEAL_OK;
    rc = pdf_doc_resolve(doc, raw, &value, err);
    if (rc != ESEAL_OK)
        return rc;
    if (value->type != want)
        return ESEAL_OK;
    *out = value;
    if (raw->type == PDF_REF)
        *num = raw->u.ref.num;
    return ESEAL_OK;
}

/* Refuse a document certified with "no changes allowed" (ISO 32000-1 12.8.2.2, DocMDP /P 1):
 * any signature added to it breaks the certification. */
static int plan_check_docmdp(pdf_doc *doc, const pdf_obj *catalog, eseal_error *err)
{
    const pdf_obj *perms, *sig, *refs, *ref, *params, *p;
    size_t i;
    int rc;

    rc = pdf_doc_dict_get(doc, catalog, "Perms", &perms, err);
    if (rc == ESEAL_OK && perms != NULL)
        rc = pdf_doc_dict_get(doc, perms, "DocMDP", &sig, err);
    else
        sig = NULL;
    if (rc == ESEAL_OK && sig != NULL)
        rc = pdf_doc_dict_get(doc, sig, "Reference", &refs, err);
    else
        refs = NULL;
    if (rc != ESEAL_OK || refs == NULL || refs->type != PDF_ARRAY)
        return rc;
    for (i = 0; i < refs->u.array.len; i++) {
        rc = pdf_doc_resolve(doc, refs->u.array.items[i], &ref, err);
        if (rc != ESEAL_OK)
            return rc;
        if (!pdf_name_is(pdf_dict_get(ref, "TransformMethod"), "DocMDP"))
            continue;
        rc = pdf_doc_dict_get(doc, ref, "TransformParams", &params, err);
        if (rc != ESEAL_OK)
            return rc;
        if (params == NULL)
            continue; /* /P defaults to 2: form filling and signing allowed */
        rc = pdf_doc_dict_get(doc, params, "P", &p, err);
        if (rc != ESEAL_OK)
            return rc;
        if (p != NULL && p->type == PDF_INT && p->u.integer == 1)
            return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED,
                                   "PDF is certified with no changes allowed (DocMDP /P 1)");
    }
    return ESEAL_OK;
}

/* The k of a field name "ESeal<k>" (PDFDocEncoding or UTF-16BE), or 0 for another name. */
static unsigned long plan_eseal_number(const pdf_obj *t)
{
    char ascii[32];
    size_t len = 0, i;
    unsigned long k = 0;

    if (t == NULL || t->type != PDF_STRING)
        return 0;
    if (t->u.str.len >= 2 && t->u.str.data[0] == 0xfe && t->u.str.data[1] == 0xff) {
        for (i = 2; i + 1 < t->u.str.len && len < sizeof(ascii); i += 2) {
            if (t->u.str.data[i] != 0)
                return 0;
            ascii[len++] = (char)t->u.str.data[i + 1];
        }
        if (i != t->u.str.len)
            return 0;
    } else {
        if (t->u.str.len > sizeof(ascii))
            return 0;
        len = t->u.str.len;
        memcpy(ascii, t->u.str.data, len);
    }
    if (len < 6 || len > 5 + 9 || memcmp(ascii, "ESeal", 5) != 0 || ascii[5] == '0')
        return 0;
    for (i = 5; i < len; i++) {
        if (ascii[i] < '0' || ascii[i] > '9')
            return 0;
        k = k * 10 + (unsigned long)(ascii[i] - '0');
    }
    return k;
}

/* Choose the smallest k for which no top-level field is named "ESeal<k>"; among n fields one
 * of 1..n+1 is always free, so only those are marked. */
static int plan_field_index(pdf_doc *doc, const pdf_obj *fields, unsigned *index, eseal_error *err)
{
    size_t n = fields != NULL ? fields->u.array.len : 0, i;
    unsigned char *taken = calloc(n + 2, 1);
    const pdf_obj *field, *t;
    unsigned long k;
    int rc = ESEAL_OK;

    if (taken == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    for (i = 0; i < n && rc == ESEAL_OK; i++) {
        rc = pdf_doc_resolve(doc, fields->u.array.items[i], &field, err);
        if (rc == ESEAL_OK)
            rc = pdf_doc_dict_get(doc, field, "T", &t, err);
        if (rc == ESEAL_OK && (k = plan_eseal_number(t)) != 0 && k <= n + 1)
            taken[k] = 1;
    }
    for (k = 1; taken[k]; k++)
        ;
    *index = (unsigned)k;
    free(taken);
    return rc;
}

/* Refuse a document whose objects play two parts the update would rewrite differently (a
 * hostile file): one object cannot be written twice in one xref section.  The page's
 * /Annots and the form's /Fields may be one array, which gets the same new entry. */
static int plan_check_distinct(const struct pades_plan *plan, eseal_error *err)
{
    uint32_t nums[PADES_REWRITTEN_MAX];
    size_t n = 0, i, j;

    nums[n++] = plan->annots_num != 0 ? plan->annots_num : plan->page_num;
    nums[n++] = plan->acroform_num != 0 ? plan->acroform_num : plan->catalog_num;
    if (plan->fields_num != 0 && plan->fields_num != plan->annots_num)
        nums[n++] = plan->fields_num;
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            if (nums[i] == nums[j])
                return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED,
                                       "PDF object %u is both part of the page and of the form",
                                       (unsigned)nums[i]);
    return ESEAL_OK;
}

int pdf_plan_find(pdf_doc *doc, int stamp_page, struct pades_plan *plan, eseal_error *err)
{
    const pdf_obj *root;
    size_t count, index, back;
    int rc;

    plan->trailer = pdf_doc_trailer(doc);
    root = pdf_dict_get(plan->trailer, "Root");
    if (root == NULL || root->type != PDF_REF)
        return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED,
                               "PDF trailer has no /Root reference to a catalog");
    plan->catalog_num = root->u.ref.num;
    rc = pdf_doc_resolve(doc, root, &plan->catalog, err);
    if (rc != ESEAL_OK)
        return rc;
    if (plan->catalog->type != PDF_DICT)
        return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED,
                               "PDF catalog (object %u) is missing or not a dictionary",
                               (unsigned)plan->catalog_num);
    rc = plan_check_docmdp(doc, plan->catalog, err);
    if (rc != ESEAL_OK)
        return rc;
    rc = pdf_doc_page_count(doc, &count, err);
    if (rc != ESEAL_OK)
        return rc;
    if (count == 0)
        return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED, "PDF has no page");
    /* A page beyond the document's is clamped to its first or last page: the seal matters
     * more than where it shows. */
    if (stamp_page > 0)
        index = (size_t)stamp_page <= count ? (size_t)stamp_page - 1 : count - 1;
    else if (stamp_page < 0 && (back = (size_t)(-(long long)stamp_page)) <= count)
        index = count - back;
    else
        index = 0;
    rc = pdf_doc_page(doc, index, &plan->page_num, &plan->page, err);
    if (rc != ESEAL_OK)
        return rc;
    if (plan->page_num == 0 || plan->page == NULL || plan->page->type != PDF_DICT)
        return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED, "PDF page %zu is not an indirect object",
                               index + 1);
    rc = plan_member(doc, plan->page, "Annots", PDF_ARRAY, &plan->annots, &plan->annots_num, err);
    if (rc == ESEAL_OK)
        rc = plan_member(doc, plan->catalog, "AcroForm", PDF_DICT, &plan->acroform,
                         &plan->acroform_num, err);
    if (rc == ESEAL_OK && plan->acroform != NULL)
        rc = plan_member(doc, plan->acroform, "Fields", PDF_ARRAY, &plan->fields, &plan->fields_num,
                         err);
    if (rc == ESEAL_OK)
        rc = plan_check_distinct(plan, err);
    if (rc == ESEAL_OK)
        rc = plan_field_index(doc, plan->fields, &plan->field_index, err);
    return rc;
}
