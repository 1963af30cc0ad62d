/* pdf_diff.c - whether the later revisions of a signed PDF changed what the signed revision
 * shows, or only added signatures and what may come with them (ISO 32000-1 12.8, ETSI EN
 * 319 142-1 5.4).
 *
 * SECURITY: both the signed revision and the whole file come from a mail attachment and are
 * read only through the strict reader (pdf_int.h), which caps every count, depth and size.
 * This module answers incremental saving and shadow attacks (Mladenov et al., "1 Trillion
 * Dollar Refund", CCS 2019; Mainka et al., "Shadow Attacks", NDSS 2021): the signed
 * revision is opened as a document of its own and every object of the whole file is
 * compared with it; every change is refused unless a rule below allows it (a signature
 * added, the /Info dictionary, ...), and an object may change under a lenient rule only if
 * nothing but its lenient owner refers to it.  The tables of roles and marks have one entry
 * per object number, below the reader's PDF_OBJECTS_MAX. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eseal/verdict.h"
#include "error_int.h"
#include "pdf_diff_int.h"
#include "pdf_form_int.h"
#include "pdf_int.h"

#define DIFF_DETAIL_MAX 256 /* bytes of what one change was */

/* What an object is in the signed revision, which decides what a later revision may do to
 * it.  INFO, METADATA, DSS, SIG_AP and EXTENSIONS are lenient: such an object may change
 * at will, as long as only its lenient owner refers to it. */
enum role {
    ROLE_NONE = 0,
    ROLE_CATALOG,
    ROLE_ACROFORM,
    ROLE_FIELDS, /* the form's /Fields array */
    ROLE_FIELD,
    ROLE_KIDS, /* a field's /Kids array */
    ROLE_PAGE,
    ROLE_ANNOTS,
    ROLE_CONTENT,
    ROLE_RESOURCES,
    ROLE_INFO,
    ROLE_METADATA,
    ROLE_DSS,
    ROLE_SIG_AP, /* the appearance of a signature widget */
    ROLE_EXTENSIONS,
};

#define MARK_REFERENCED 0x01 /* an object of the signed revision (or its trailer) refers to it */
#define MARK_OUTSIDE 0x02    /* ... and one that is not its lenient owner */
#define MARK_SIG 0x04        /* a signature field or widget in the signed revision's form */

/* The signed revision against the whole file. */
struct revision_diff {
    pdf_doc *old; /* the signed revision, opened by itself */
    pdf_doc *new; /* the whole file */
    uint32_t size;
    uint32_t old_root, new_root;  /* the catalogs' object numbers */
    unsigned char *role;          /* enum role of each object number in the signed revision */
    unsigned char *mark;          /* MARK_* of each object number */
    const unsigned char *new_sig; /* a bit per signature field or widget of the whole file */
    uint32_t new_sig_size;
    char what[ESEAL_VERDICT_TEXT_MAX];
};

/* Whether role is one of the lenient ones (see enum role). */
static int role_lenient(unsigned char role)
{
    return role == ROLE_INFO || role == ROLE_METADATA || role == ROLE_DSS || role == ROLE_SIG_AP ||
           role == ROLE_EXTENSIONS;
}

/* Give the object raw refers to the role, unless it has one (or, for a lenient role, any). */
static void diff_role(struct revision_diff *d, const pdf_obj *raw, enum role role)
{
    uint32_t num;

    if (raw == NULL || raw->type != PDF_REF || (num = raw->u.ref.num) >= d->size)
        return;
    if (d->role[num] == ROLE_NONE || (role_lenient(d->role[num]) && !role_lenient(role)))
        d->role[num] = (unsigned char)role;
}

/* Mark every object o refers to, at any depth. */
static void diff_mark(struct revision_diff *d, const pdf_obj *o, unsigned char bits)
{
    size_t i;

    switch (o->type) {
    case PDF_REF:
        if (o->u.ref.num < d->size)
            d->mark[o->u.ref.num] |= bits;
        break;
    case PDF_ARRAY:
        for (i = 0; i < o->u.array.len; i++)
            diff_mark(d, o->u.array.items[i], bits);
        break;
    case PDF_DICT:
        for (i = 0; i < o->u.dict.len; i++)
            diff_mark(d, o->u.dict.values[i], bits);
        break;
    case PDF_STREAM:
        diff_mark(d, o->u.stream.dict, bits);
        break;
    default:
        break;
    }
}

/* The appearance of a signature widget: its /AP dictionary, the appearance streams and
 * the appearance state dictionaries in it.  Signing a field may draw it anew in place. */
static void diff_appearance_roles(struct revision_diff *d, const pdf_obj *widget)
{
    static const char *const kinds[] = {"N", "R", "D"};
    const pdf_obj *raw = pdf_dict_get(widget, "AP"), *ap, *states;
    size_t i, k;

    diff_role(d, raw, ROLE_SIG_AP);
    if ((ap = pdf_doc_resolve_quiet(d->old, raw)) == NULL || ap->type != PDF_DICT)
        return;
    for (k = 0; k < 3; k++) {
        raw = pdf_dict_get(ap, kinds[k]);
        diff_role(d, raw, ROLE_SIG_AP);
        if ((states = pdf_doc_resolve_quiet(d->old, raw)) == NULL || states->type != PDF_DICT)
            continue;
        for (i = 0; i < states->u.dict.len; i++)
            diff_role(d, states->u.dict.values[i], ROLE_SIG_AP);
    }
}

/* Field roles of the signed revision, from its form tree. */
static int diff_field_visit(void *ctx, uint32_t num, const pdf_obj *field, const char *name,
                            int sig, eseal_error *err)
{
    struct revision_diff *d = ctx;

    (void)name, (void)err;
    if (num != 0 && num < d->size && d->role[num] == ROLE_NONE)
        d->role[num] = ROLE_FIELD;
    if (sig && num != 0 && num < d->size)
        d->mark[num] |= MARK_SIG;
    if (sig)
        diff_appearance_roles(d, field);
    diff_role(d, pdf_dict_get(field, "Kids"), ROLE_KIDS);
    return 0;
}

/* DSS roles (ETSI EN 319 142-1 5.4.2): the arrays of certificates, CRLs and OCSP responses,
 * the VRI dictionary and its entries, followed along that structure only. */
static void diff_dss_arrays(struct revision_diff *d, const pdf_obj *dict, const char *const *keys)
{
    const pdf_obj *raw, *array;
    size_t i;

    for (; *keys != NULL; keys++) {
        raw = pdf_dict_get(dict, *keys);
        diff_role(d, raw, ROLE_DSS);
        if ((array = pdf_doc_resolve_quiet(d->old, raw)) == NULL || array->type != PDF_ARRAY)
            continue;
        for (i = 0; i < array->u.array.len; i++)
            diff_role(d, array->u.array.items[i], ROLE_DSS);
    }
}

/* The DSS roles of the catalog's /DSS value raw and everything in its structure. */
static void diff_dss_roles(struct revision_diff *d, const pdf_obj *raw)
{
    static const char *const dss_keys[] = {"Certs", "CRLs", "OCSPs", NULL};
    static const char *const vri_keys[] = {"Cert", "CRL", "OCSP", NULL};
    const pdf_obj *dss, *vri, *entry;
    size_t i;

    diff_role(d, raw, ROLE_DSS);
    if ((dss = pdf_doc_resolve_quiet(d->old, raw)) == NULL || dss->type != PDF_DICT)
        return;
    diff_dss_arrays(d, dss, dss_keys);
    diff_role(d, pdf_dict_get(dss, "VRI"), ROLE_DSS);
    if ((vri = pdf_doc_dict_get_quiet(d->old, dss, "VRI")) == NULL || vri->type != PDF_DICT)
        return;
    for (i = 0; i < vri->u.dict.len; i++) {
        diff_role(d, vri->u.dict.values[i], ROLE_DSS);
        if ((entry = pdf_doc_resolve_quiet(d->old, vri->u.dict.values[i])) == NULL ||
            entry->type != PDF_DICT)
            continue;
        diff_dss_arrays(d, entry, vri_keys);
        diff_role(d, pdf_dict_get(entry, "TS"), ROLE_DSS);
    }
}

/* Page roles: the page, and the content, annotations and resources it refers to. */
static void diff_page_roles(struct revision_diff *d, uint32_t num, const pdf_obj *page)
{
    const pdf_obj *contents = pdf_dict_get(page, "Contents"), *array;
    size_t i;

    if (d->role[num] == ROLE_NONE || role_lenient(d->role[num]))
        d->role[num] = ROLE_PAGE;
    diff_role(d, contents, ROLE_CONTENT);
    if ((array = pdf_doc_resolve_quiet(d->old, contents)) != NULL && array->type == PDF_ARRAY)
        for (i = 0; i < array->u.array.len; i++)
            diff_role(d, array->u.array.items[i], ROLE_CONTENT);
    diff_role(d, pdf_dict_get(page, "Annots"), ROLE_ANNOTS);
    diff_role(d, pdf_dict_get(page, "Resources"), ROLE_RESOURCES);
}

/* Mark what o refers to as referred to from outside, and push the lenient objects among
 * them that were not so far. */
static void diff_spread_refs(struct revision_diff *d, const pdf_obj *o, uint32_t *stack,
                             uint32_t *n)
{
    uint32_t num;
    size_t i;

    switch (o->type) {
    case PDF_REF:
        num = o->u.ref.num;
        if (num < d->size && (d->mark[num] & MARK_OUTSIDE) == 0) {
            d->mark[num] |= MARK_OUTSIDE;
            if (role_lenient(d->role[num]))
                stack[(*n)++] = num;
        }
        break;
    case PDF_ARRAY:
        for (i = 0; i < o->u.array.len; i++)
            diff_spread_refs(d, o->u.array.items[i], stack, n);
        break;
    case PDF_DICT:
        for (i = 0; i < o->u.dict.len; i++)
            diff_spread_refs(d, o->u.dict.values[i], stack, n);
        break;
    case PDF_STREAM:
        diff_spread_refs(d, o->u.stream.dict, stack, n);
        break;
    default:
        break;
    }
}

/* A lenient object that something else refers to is part of what that shows, and so is
 * everything it refers to: spread MARK_OUTSIDE along lenient objects.  Each object is pushed
 * once, when it first gets the mark. */
static int diff_spread(struct revision_diff *d, eseal_error *err)
{
    uint32_t *stack = malloc((size_t)d->size * sizeof(*stack)), n = 0, num;
    const pdf_obj *o;
    int rc = ESEAL_OK;

    if (stack == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    for (num = 1; num < d->size; num++)
        if (role_lenient(d->role[num]) && (d->mark[num] & MARK_OUTSIDE) != 0)
            stack[n++] = num;
    while (n > 0 && rc == ESEAL_OK)
        if ((rc = pdf_doc_get(d->old, stack[--n], &o, err)) == ESEAL_OK)
            diff_spread_refs(d, o, stack, &n);
    free(stack);
    return rc;
}

/* Learn the signed revision: the role of every object and who refers to it. */
static int diff_learn(struct revision_diff *d, eseal_error *err)
{
    const pdf_obj *trailer = pdf_doc_trailer(d->old), *root, *catalog, *acroform, *o;
    uint32_t num;
    size_t i, count;
    int rc;

    root = pdf_dict_get(trailer, "Root");
    diff_role(d, root, ROLE_CATALOG);
    diff_role(d, pdf_dict_get(trailer, "Info"), ROLE_INFO);
    if (trailer != NULL)
        diff_mark(d, trailer, MARK_REFERENCED);
    catalog = NULL;
    if (root != NULL && (rc = pdf_doc_resolve(d->old, root, &catalog, err)) != ESEAL_OK)
        return rc;
    if (catalog != NULL && catalog->type == PDF_DICT) {
        diff_role(d, pdf_dict_get(catalog, "AcroForm"), ROLE_ACROFORM);
        diff_role(d, pdf_dict_get(catalog, "Metadata"), ROLE_METADATA);
        diff_role(d, pdf_dict_get(catalog, "Extensions"), ROLE_EXTENSIONS);
        if ((rc = pdf_doc_dict_get(d->old, catalog, "AcroForm", &acroform, err)) != ESEAL_OK)
            return rc;
        if (acroform != NULL && acroform->type == PDF_DICT) {
            diff_role(d, pdf_dict_get(acroform, "Fields"), ROLE_FIELDS);
            if ((rc = pdf_form_walk(d->old, acroform, diff_field_visit, d, err)) != ESEAL_OK)
                return rc;
        }
        diff_dss_roles(d, pdf_dict_get(catalog, "DSS"));
    }
    /* pages as the page tree has them (a page need not say /Type /Page), and as they say */
    if (pdf_doc_page_count(d->old, &count, NULL) == ESEAL_OK)
        for (i = 0; i < count; i++)
            if (pdf_doc_page(d->old, i, &num, &o, NULL) == ESEAL_OK && num != 0 && num < d->size)
                diff_page_roles(d, num, o);
    for (num = 1; num < d->size; num++) {
        if ((rc = pdf_doc_get(d->old, num, &o, err)) != ESEAL_OK)
            return rc;
        if (pdf_name_is(pdf_dict_get(o, "Type"), "Page"))
            diff_page_roles(d, num, o);
    }
    /* Only now that every role is known can a reference be told lenient or not. */
    for (num = 1; num < d->size; num++) {
        if ((rc = pdf_doc_get(d->old, num, &o, err)) != ESEAL_OK)
            return rc;
        if ((num == d->old_root || (d->mark[num] & MARK_SIG) != 0) && o->type == PDF_DICT) {
            /* the lenient owners: the catalog of the XMP metadata, the extensions and the
             * DSS, a signature widget of its appearance */
            for (i = 0; i < o->u.dict.len; i++) {
                const char *key = o->u.dict.keys[i];
                int owner = num == d->old_root
                                ? strcmp(key, "Metadata") == 0 || strcmp(key, "DSS") == 0 ||
                                      strcmp(key, "Extensions") == 0
                                : strcmp(key, "AP") == 0;
                diff_mark(d, o->u.dict.values[i],
                          owner ? MARK_REFERENCED : MARK_REFERENCED | MARK_OUTSIDE);
            }
        } else if (role_lenient(d->role[num]) || pdf_name_is(pdf_dict_get(o, "Type"), "XRef")) {
            diff_mark(d, o, MARK_REFERENCED);
        } else {
            diff_mark(d, o, MARK_REFERENCED | MARK_OUTSIDE);
        }
    }
    return diff_spread(d, err);
}

/* The 1-based number of the signed revision's page that is, or refers through role to,
 * object num; 0 when none is found. */
static size_t diff_page_number(struct revision_diff *d, uint32_t num, unsigned char role)
{
    const pdf_obj *page, *contents;
    uint32_t page_num;
    size_t count, i, k;

    if (pdf_doc_page_count(d->old, &count, NULL) != ESEAL_OK)
        return 0;
    for (i = 0; i < count; i++) {
        if (pdf_doc_page(d->old, i, &page_num, &page, NULL) != ESEAL_OK)
            return 0;
        if (role == ROLE_PAGE && page_num == num)
            return i + 1;
        if (role == ROLE_ANNOTS || role == ROLE_RESOURCES) {
            const pdf_obj *raw = pdf_dict_get(page, role == ROLE_ANNOTS ? "Annots" : "Resources");
            if (raw != NULL && raw->type == PDF_REF && raw->u.ref.num == num)
                return i + 1;
        }
        if (role == ROLE_CONTENT) {
            contents = pdf_dict_get(page, "Contents");
            if (contents != NULL && contents->type == PDF_REF && contents->u.ref.num == num)
                return i + 1;
            contents = pdf_doc_resolve_quiet(d->old, contents);
            for (k = 0;
                 contents != NULL && contents->type == PDF_ARRAY && k < contents->u.array.len;
                 k++) {
                const pdf_obj *item = contents->u.array.items[k];
                if (item->type == PDF_REF && item->u.ref.num == num)
                    return i + 1;
            }
        }
    }
    return 0;
}

/* Record that object num changed in a way no rule allows: "object N (what it is) detail".
 * Returns 1, the "changed" answer. */
static int diff_found(struct revision_diff *d, uint32_t num, const pdf_obj *old, const char *fmt,
                      ...) __attribute__((format(printf, 4, 5)));

static int diff_found(struct revision_diff *d, uint32_t num, const pdf_obj *old, const char *fmt,
                      ...)
{
    static const char *const names[] = {[ROLE_CATALOG] = "document catalog",
                                        [ROLE_ACROFORM] = "interactive form",
                                        [ROLE_FIELDS] = "form field list",
                                        [ROLE_FIELD] = "form field",
                                        [ROLE_KIDS] = "form field kids",
                                        [ROLE_PAGE] = "page",
                                        [ROLE_ANNOTS] = "annotations",
                                        [ROLE_CONTENT] = "content stream",
                                        [ROLE_RESOURCES] = "resources",
                                        [ROLE_INFO] = "document information",
                                        [ROLE_METADATA] = "XMP metadata",
                                        [ROLE_DSS] = "document security store",
                                        [ROLE_SIG_AP] = "appearance of a signature",
                                        [ROLE_EXTENSIONS] = "extensions"};
    char detail[DIFF_DETAIL_MAX], what[96] = "", type[48];
    unsigned char role = num < d->size ? d->role[num] : ROLE_NONE;
    size_t page;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    if (role == ROLE_PAGE || role == ROLE_CONTENT || role == ROLE_ANNOTS ||
        role == ROLE_RESOURCES) {
        page = diff_page_number(d, num, role);
        if (page == 0)
            snprintf(what, sizeof(what), " (%s of a page)", names[role]);
        else if (role == ROLE_PAGE)
            snprintf(what, sizeof(what), " (page %zu)", page);
        else
            snprintf(what, sizeof(what), " (%s of page %zu)", names[role], page);
    } else if (role != ROLE_NONE) {
        snprintf(what, sizeof(what), " (%s)", names[role]);
    } else if (pdf_dict_get(old, "Type") != NULL && pdf_dict_get(old, "Type")->type == PDF_NAME) {
        pdf_name_print(type, sizeof(type), pdf_dict_get(old, "Type"));
        snprintf(what, sizeof(what), " (/Type /%s)", type);
    }
    snprintf(d->what, sizeof(d->what), "object %u%s %s", num, what, detail);
    return 1;
}

/* The dictionary of o: o itself, or a stream's; NULL for anything else. */
static const pdf_obj *dict_of(const pdf_obj *o)
{
    if (o == NULL)
        return NULL;
    if (o->type == PDF_DICT)
        return o;
    if (o->type == PDF_STREAM)
        return o->u.stream.dict;
    return NULL;
}

/* The first key, other than those in skip, whose value differs between dictionaries a and
 * b (either may be NULL: no keys), or NULL when none does. */
static const char *diff_keys(const pdf_obj *a, const pdf_obj *b, const char *const *skip)
{
    const pdf_obj *sides[2] = {dict_of(a), dict_of(b)};
    const pdf_obj *va, *vb;
    const char *const *s;
    size_t side, i;

    for (side = 0; side < 2; side++) {
        for (i = 0; sides[side] != NULL && i < sides[side]->u.dict.len; i++) {
            const char *key = sides[side]->u.dict.keys[i];
            for (s = skip; *s != NULL && strcmp(*s, key) != 0; s++)
                ;
            if (*s != NULL)
                continue;
            va = pdf_dict_get(sides[0], key);
            vb = pdf_dict_get(sides[1], key);
            if (va == NULL || vb == NULL || !pdf_obj_equal(va, vb))
                return key;
        }
    }
    return NULL;
}

/* Whether object o (number num, 0 when direct) is a signature field or widget (need_widget:
 * a widget), in the whole file (in_new) or in the signed revision.  The form tree says so
 * too: a widget in a signature field's /Kids need not point back to it. */
static int diff_is_sig(struct revision_diff *d, int in_new, uint32_t num, const pdf_obj *o,
                       int need_widget)
{
    pdf_doc *doc = in_new ? d->new : d->old;

    if (!pdf_form_is_field_or_widget(doc, o, need_widget))
        return 0;
    if (num != 0 && (in_new ? pdf_form_bit_test(d->new_sig, d->new_sig_size, num)
                            : num < d->size && (d->mark[num] & MARK_SIG) != 0))
        return 1;
    return pdf_form_is_signature_field(doc, o);
}

/* Whether array new_array (of the whole file) is array old_array (of the signed revision,
 * NULL or not an array: empty) with only signature fields added (need_widget: signature
 * widgets).  When not, says why into why. */
static int diff_gained(struct revision_diff *d, const pdf_obj *old_array, const pdf_obj *new_array,
                       int need_widget, char *why, size_t why_size)
{
    size_t old_len = old_array != NULL && old_array->type == PDF_ARRAY ? old_array->u.array.len : 0;
    size_t i, j = 0;

    if (new_array == NULL || new_array->type != PDF_ARRAY) {
        if (old_len == 0)
            return 1;
        snprintf(why, why_size, "lost its %zu entries", old_len);
        return 0;
    }
    for (i = 0; i < new_array->u.array.len; i++) {
        const pdf_obj *item = new_array->u.array.items[i];
        if (j < old_len && pdf_obj_equal(old_array->u.array.items[j], item)) {
            j++;
            continue;
        }
        if (!diff_is_sig(d, 1, item->type == PDF_REF ? item->u.ref.num : 0,
                         pdf_doc_resolve_quiet(d->new, item), need_widget)) {
            snprintf(why, why_size, "gained entry %zu, which is not a signature %s", i + 1,
                     need_widget ? "widget" : "field");
            return 0;
        }
    }
    if (j < old_len) {
        snprintf(why, why_size, "lost entries it had when signed");
        return 0;
    }
    return 1;
}

/* Whether dictionaries a and b hold the same value for key as written (a reference is not
 * followed), or neither holds one. */
static int diff_same_entry(const pdf_obj *a, const pdf_obj *b, const char *key)
{
    const pdf_obj *va = pdf_dict_get(a, key), *vb = pdf_dict_get(b, key);

    return (va == NULL && vb == NULL) || (va != NULL && vb != NULL && pdf_obj_equal(va, vb));
}

/* Whether the array key of object num (old_dict in the signed revision, new_dict in the
 * whole file) only gained signature fields (need_widget: signature widgets); 1 with d->what
 * set when it changed otherwise. */
static int diff_entry_gained(struct revision_diff *d, uint32_t num, const pdf_obj *old_dict,
                             const pdf_obj *new_dict, const char *key, int need_widget)
{
    char why[DIFF_DETAIL_MAX];

    if (diff_same_entry(old_dict, new_dict, key))
        return 0;
    if (!diff_gained(d, pdf_doc_resolve_quiet(d->old, pdf_dict_get(old_dict, key)),
                     pdf_doc_resolve_quiet(d->new, pdf_dict_get(new_dict, key)), need_widget, why,
                     sizeof(why)))
        return diff_found(d, num, old_dict, "changed: its /%s %s", key, why);
    return 0;
}

/* The interactive form may gain signature fields and change /SigFlags, /DR and /DA. */
static int diff_acroform(struct revision_diff *d, uint32_t num, const pdf_obj *old_form,
                         const pdf_obj *new_form)
{
    static const char *const allowed[] = {"Fields", "SigFlags", "DR", "DA", NULL};
    const char *key = diff_keys(old_form, new_form, allowed);

    if (key != NULL)
        return diff_found(d, num, old_form, "changed: its /%s differs", key);
    return diff_entry_gained(d, num, old_form, new_form, "Fields", 0);
}

/* The catalog may change its /AcroForm (as diff_acroform allows), /DSS, /Extensions and
 * /Version (developer extensions and the PDF 2.0 that come with a DSS or a newer signature
 * format) and /Metadata (XMP): none changes what a page shows. */
static int diff_catalog(struct revision_diff *d)
{
    static const char *const allowed[] = {"AcroForm", "DSS",     "Extensions",
                                          "Metadata", "Version", NULL};
    const pdf_obj *old_cat = pdf_doc_dict_get_quiet(d->old, pdf_doc_trailer(d->old), "Root");
    const pdf_obj *new_cat = pdf_doc_dict_get_quiet(d->new, pdf_doc_trailer(d->new), "Root");
    const pdf_obj *old_raw, *new_raw;
    const char *key;

    if (old_cat == NULL || old_cat->type != PDF_DICT) {
        snprintf(d->what, sizeof(d->what), "the signed revision has no document catalog");
        return 1;
    }
    if (new_cat == NULL || new_cat->type != PDF_DICT) {
        snprintf(d->what, sizeof(d->what), "the document catalog was removed");
        return 1;
    }
    if ((key = diff_keys(old_cat, new_cat, allowed)) != NULL) {
        snprintf(d->what, sizeof(d->what), "the document catalog's /%s changed", key);
        return 1;
    }
    if (diff_same_entry(old_cat, new_cat, "AcroForm"))
        return 0;
    old_raw = pdf_dict_get(old_cat, "AcroForm");
    new_raw = pdf_dict_get(new_cat, "AcroForm");
    return diff_acroform(d, new_raw != NULL && new_raw->type == PDF_REF ? new_raw->u.ref.num : 0,
                         pdf_doc_resolve_quiet(d->old, old_raw),
                         pdf_doc_resolve_quiet(d->new, new_raw));
}

/* A page may gain signature widgets in /Annots; nothing else of it may change. */
static int diff_page(struct revision_diff *d, uint32_t num, const pdf_obj *old_page,
                     const pdf_obj *new_page)
{
    static const char *const allowed[] = {"Annots", NULL};
    const char *key = diff_keys(old_page, new_page, allowed);

    if (new_page->type != PDF_DICT)
        return diff_found(d, num, old_page, "changed: it is no dictionary any more");
    if (key != NULL)
        return diff_found(d, num, old_page, "changed: its /%s differs", key);
    return diff_entry_gained(d, num, old_page, new_page, "Annots", 1);
}

/* Whether the change of object num from old to new (both non-null, not equal) is allowed;
 * 1 with d->what set when it is not. */
static int diff_changed(struct revision_diff *d, uint32_t num, const pdf_obj *old,
                        const pdf_obj *new)
{
    unsigned char role = d->role[num];
    char why[DIFF_DETAIL_MAX];
    const pdf_obj *old_v, *new_v;

    if (diff_is_sig(d, 1, num, new, 0) && diff_is_sig(d, 0, num, old, 0)) {
        /* signing an empty signature field fills its /V; a signed one must keep it */
        old_v = pdf_dict_get(old, "V");
        new_v = pdf_dict_get(new, "V");
        if (old_v != NULL && (new_v == NULL || !pdf_obj_equal(old_v, new_v)))
            return diff_found(d, num, old, "changed: the signature of this field was replaced");
        return 0;
    }
    if (role_lenient(role) && (d->mark[num] & MARK_OUTSIDE) == 0 &&
        (role == ROLE_INFO || role == ROLE_SIG_AP || role == ROLE_EXTENSIONS ||
         (role == ROLE_METADATA && new->type == PDF_STREAM) ||
         (role == ROLE_DSS && old->type != PDF_STREAM && new->type != PDF_STREAM)))
        return 0;
    switch (role) {
    case ROLE_ACROFORM:
        return diff_acroform(d, num, old, new);
    case ROLE_FIELDS:
    case ROLE_KIDS:
    case ROLE_ANNOTS:
        if (diff_gained(d, old, new, role == ROLE_ANNOTS, why, sizeof(why)))
            return 0;
        return diff_found(d, num, old, "changed: it %s", why);
    case ROLE_PAGE:
        return diff_page(d, num, old, new);
    case ROLE_FIELD: {
        /* a field above signature fields may gain more of them */
        static const char *const allowed[] = {"Kids", NULL};
        const char *key = diff_keys(old, new, allowed);
        if (key != NULL)
            return diff_found(d, num, old, "changed: its /%s differs", key);
        if (!diff_gained(d, pdf_doc_dict_get_quiet(d->old, old, "Kids"),
                         pdf_doc_dict_get_quiet(d->new, new, "Kids"), 0, why, sizeof(why)))
            return diff_found(d, num, old, "changed: its /Kids %s", why);
        return 0;
    }
    default:
        return diff_found(d, num, old, "changed");
    }
}

/* Compare the signed revision with the whole file: 0 when later revisions changed nothing
 * that the signed revision shows, 1 with d->what set when they did, or a negative status. */
static int diff_run(struct revision_diff *d, eseal_error *err)
{
    const pdf_obj *old_t = pdf_doc_trailer(d->old), *new_t = pdf_doc_trailer(d->new);
    const pdf_obj *old_enc = pdf_dict_get(old_t, "Encrypt"),
                  *new_enc = pdf_dict_get(new_t, "Encrypt");
    const pdf_obj *old, *new;
    pdf_entry old_e, new_e;
    uint32_t num;
    int rc;

    if (pdf_doc_encrypted(d->old) != pdf_doc_encrypted(d->new) ||
        (old_enc != NULL && new_enc != NULL && !pdf_obj_equal(old_enc, new_enc))) {
        snprintf(d->what, sizeof(d->what), "the document's encryption changed");
        return 1;
    }
    if ((rc = diff_catalog(d)) != 0)
        return rc;
    for (num = 1; num < d->size; num++) {
        if ((rc = pdf_doc_get(d->old, num, &old, err)) != ESEAL_OK ||
            (rc = pdf_doc_get(d->new, num, &new, err)) != ESEAL_OK)
            return rc;
        pdf_doc_entry(d->old, num, &old_e);
        pdf_doc_entry(d->new, num, &new_e);
        if (pdf_obj_equal(old, new) && !(old_e.type == PDF_ENTRY_OFFSET &&
                                         new_e.type == PDF_ENTRY_OFFSET && old_e.gen != new_e.gen))
            continue;
        /* What the signed revision does not refer to cannot change what it shows: only a
         * changed object that refers to it could bring it in, and that one is judged. */
        if ((d->mark[num] & MARK_REFERENCED) == 0)
            continue;
        if (num == d->old_root && num == d->new_root)
            continue; /* judged by diff_catalog */
        if (old->type == PDF_NULL) {
            if (d->role[num] == ROLE_INFO)
                continue;
            /* a DSS the signed catalog names and an update after the seal defines (PAdES
             * B-LT as eseal writes it): validation data, which shows nothing */
            if (d->role[num] == ROLE_DSS && (d->mark[num] & MARK_OUTSIDE) == 0 &&
                new->type != PDF_STREAM)
                continue;
            return diff_found(d, num, old,
                              "was added, which the signed revision refers to but lacks");
        }
        if (new->type == PDF_NULL)
            return diff_found(d, num, old, "was removed");
        if (old_e.type == PDF_ENTRY_OFFSET && new_e.type == PDF_ENTRY_OFFSET &&
            old_e.gen != new_e.gen)
            return diff_found(d, num, old, "was replaced by generation %u", new_e.gen);
        if ((rc = diff_changed(d, num, old, new)) != 0)
            return rc;
    }
    return 0;
}

int pdf_diff_revision(pdf_doc *signed_rev, pdf_doc *whole, const unsigned char *whole_sigs,
                      uint32_t whole_sigs_size, char *what, size_t what_size, eseal_error *err)
{
    struct revision_diff d;
    const pdf_obj *root;
    int rc;

    if (pdf_doc_repaired(whole) && !pdf_doc_repaired(signed_rev)) {
        /* viewers rebuild damaged cross-reference data each in their own way: what they
         * show of the later revisions cannot be known */
        snprintf(what, what_size,
                 "the revisions after it are damaged (their cross-reference "
                 "data had to be rebuilt)");
        return 1;
    }
    memset(&d, 0, sizeof(d));
    d.old = signed_rev;
    d.new = whole;
    d.new_sig = whole_sigs;
    d.new_sig_size = whole_sigs_size;
    d.size = pdf_doc_size(d.old) > pdf_doc_size(d.new) ? pdf_doc_size(d.old) : pdf_doc_size(d.new);
    if (d.size == 0)
        d.size = 1;
    root = pdf_dict_get(pdf_doc_trailer(d.old), "Root");
    d.old_root = root != NULL && root->type == PDF_REF ? root->u.ref.num : 0;
    root = pdf_dict_get(pdf_doc_trailer(d.new), "Root");
    d.new_root = root != NULL && root->type == PDF_REF ? root->u.ref.num : 0;
    d.role = calloc(d.size, 1);
    d.mark = calloc(d.size, 1);
    if (d.role == NULL || d.mark == NULL)
        rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    else if ((rc = diff_learn(&d, err)) == ESEAL_OK && (rc = diff_run(&d, err)) == 1)
        snprintf(what, what_size, "%s", d.what);
    free(d.role);
    free(d.mark);
    return rc;
}
