/* pdf_verify.c - check every signature of a PDF (ISO 32000-1 12.8, ETSI EN 319 142-1): find
 * them through the interactive form (read by pdf_form.c), hold each /ByteRange to the one shape
 * that cannot hide unsigned content, check the CMS over the signed bytes, and ask pdf_diff.c
 * whether later revisions changed the document or only added signatures.
 *
 * SECURITY: the PDF comes from a mail attachment and is read only through the strict reader
 * (pdf_int.h), which caps every count, depth and size.  The known attacks on PDF signatures
 * (Mladenov et al., "1 Trillion Dollar Refund", CCS 2019; Mainka et al., "Shadow Attacks",
 * NDSS 2021) are answered as follows.  Universal signature forgery: a signature without a
 * usable /ByteRange or /Contents fails.  Signature wrapping: the /ByteRange must be [0 a b c]
 * whose gap [a, b) is exactly this dictionary's own /Contents hex string as it lies in the
 * file, and b + c must end a revision (%%EOF), so no unsigned bytes hide inside or before
 * the signed revision.  Incremental saving and shadow attacks: the signed revision is opened
 * as a document of its own and pdf_diff.c compares every object of the whole file with it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eseal/cades.h"
#include "eseal/pades.h"
#include "error_int.h"
#include "pdf_diff_int.h"
#include "pdf_form_int.h"
#include "pdf_int.h"

#define VERIFY_SIGNATURES_MAX 100 /* signatures checked in one document */
#define BER_DEPTH_MAX 32          /* nested indefinite lengths in a signature */
/* Bytes hashed and revisions compared for one document in all: each signature may cover
 * nearly the whole file, and a mail filter must not spend minutes on one attachment. */
#define VERIFY_WORK_MAX ((uint64_t)4 * 1024 * 1024 * 1024)

/* One signature found in the form, before it is checked. */
struct found_sig {
    const pdf_obj *dict; /* the signature dictionary (the field's /V), owned by the doc */
    char field[PDF_FORM_NAME_MAX];
    int ranged;        /* /ByteRange holds four non-negative integers, in range[] */
    uint64_t range[4]; /* as written; each below 2^62 */
    /* where it lies in the file: the end of the revision it signs, or, when its /ByteRange
     * does not end a revision of this file, its own offset (SIZE_MAX in an object stream) */
    uint64_t order;
    int timestamp; /* a document timestamp (ETSI.RFC3161), not a signature */
    size_t seq;    /* the order it was found in, for a stable sort */
};

/* Whether a later revision changed what one signed revision shows; one per revision end. */
struct revision_result {
    uint64_t end;
    int status; /* 0: unchanged, 1: changed (what says how), <0: could not be told */
    char what[ESEAL_VERDICT_TEXT_MAX];
};

/* One call of eseal_pades_verify(). */
struct verify_ctx {
    const eseal_trust *trust;
    const unsigned char *data;
    size_t len;
    pdf_doc *doc; /* the whole file */
    struct found_sig *found;
    size_t found_len;
    struct revision_result *revisions;
    size_t revisions_len;
    uint64_t work;            /* bytes hashed and compared so far, against VERIFY_WORK_MAX */
    unsigned char *sig_nodes; /* a bit per signature field or widget object of the form */
    uint32_t sig_nodes_size;
};

/* ------------------------------------------------------------------------------------ */
/* Dates. */

/* Parse a PDF date "D:YYYYMMDDHHmmSSOHH'mm'" (ISO 32000-1 7.9.4; everything after the
 * year optional) into *out.  0 on success, -1 when it is not one. */
static int parse_pdf_date(const unsigned char *s, size_t n, time_t *out)
{
    static const int lo[6] = {0, 1, 1, 0, 0, 0}, hi[6] = {9999, 12, 31, 23, 59, 59};
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int f[6] = {0, 1, 1, 0, 0, 0}, tz[2] = {0, 0}, sign = 0;
    size_t i = 0, k, w;
    struct tm tm;
    time_t t;

    if (n >= 2 && s[0] == 'D' && s[1] == ':')
        i = 2;
    for (k = 0; k < 6; k++) {
        w = k == 0 ? 4 : 2;
        if (i >= n || s[i] < '0' || s[i] > '9')
            break;
        if (n - i < w)
            return -1;
        for (f[k] = 0; w > 0; w--, i++) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            f[k] = f[k] * 10 + (s[i] - '0');
        }
        if (f[k] < lo[k] || f[k] > hi[k])
            return -1;
    }
    if (k == 0)
        return -1;
    if (f[2] > mdays[f[1] - 1] ||
        (f[1] == 2 && f[2] == 29 && (f[0] % 4 != 0 || (f[0] % 100 == 0 && f[0] % 400 != 0))))
        return -1;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        sign = s[i++] == '+' ? 1 : -1;
        for (k = 0; k < 2 && i + 2 <= n && s[i] >= '0' && s[i] <= '9'; k++) {
            if (s[i + 1] < '0' || s[i + 1] > '9')
                return -1;
            tz[k] = (s[i] - '0') * 10 + (s[i + 1] - '0');
            i += 2;
            if (i < n && s[i] == '\'')
                i++;
        }
        if (k == 0 || tz[0] > 23 || tz[1] > 59)
            return -1;
    }
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = f[0] - 1900;
    tm.tm_mon = f[1] - 1;
    tm.tm_mday = f[2];
    tm.tm_hour = f[3];
    tm.tm_min = f[4];
    tm.tm_sec = f[5];
    t = timegm(&tm);
    if (t == (time_t)-1)
        return -1;
    *out = t - (time_t)sign * (tz[0] * 3600 + tz[1] * 60);
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Finding the signatures. */

/* Whether the bytes before end close a revision: "%%EOF" and at most one end of line. */
static int revision_end(const unsigned char *data, size_t end)
{
    if (end >= 2 && data[end - 2] == '\r' && data[end - 1] == '\n')
        end -= 2;
    else if (end >= 1 && (data[end - 1] == '\n' || data[end - 1] == '\r'))
        end -= 1;
    return end >= 5 && memcmp(data + end - 5, "%%EOF", 5) == 0;
}

/* Record the signature dictionary v of the field named name, unless it is known already. */
static int found_add(struct verify_ctx *ctx, const pdf_obj *v, const char *name, eseal_error *err)
{
    const pdf_obj *range, *contents = pdf_dict_get(v, "Contents");
    struct found_sig *f;
    size_t i;
    int rc;

    for (i = 0; i < ctx->found_len; i++) {
        const pdf_obj *other = pdf_dict_get(ctx->found[i].dict, "Contents");
        if (ctx->found[i].dict == v ||
            (contents != NULL && other != NULL && contents->offset != SIZE_MAX &&
             contents->offset == other->offset))
            return ESEAL_OK; /* one signature reached through two fields */
    }
    if (ctx->found_len == VERIFY_SIGNATURES_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: more than %d signatures",
                               VERIFY_SIGNATURES_MAX);
    f = &ctx->found[ctx->found_len];
    memset(f, 0, sizeof(*f));
    f->dict = v;
    f->seq = ctx->found_len++;
    /* an encrypted document's strings cannot be read here: no name rather than noise */
    snprintf(f->field, sizeof(f->field), "%s", pdf_doc_encrypted(ctx->doc) ? "" : name);
    if ((rc = pdf_doc_dict_get(ctx->doc, v, "ByteRange", &range, err)) != ESEAL_OK)
        return rc;
    f->ranged = range != NULL && range->type == PDF_ARRAY && range->u.array.len == 4;
    for (i = 0; f->ranged && i < 4; i++) {
        const pdf_obj *n = range->u.array.items[i];
        f->ranged = n->type == PDF_INT && n->u.integer >= 0 && n->u.integer < ((int64_t)1 << 62);
        if (f->ranged)
            f->range[i] = (uint64_t)n->u.integer;
    }
    /* a /ByteRange claiming to end past the file or inside a revision says nothing of where
     * the signature lies: trusted, it would sort a forged signature after the real ones and
     * count it as their later signature */
    if (f->ranged && f->range[3] <= ctx->len && f->range[2] <= ctx->len - f->range[3] &&
        revision_end(ctx->data, (size_t)(f->range[2] + f->range[3])))
        f->order = f->range[2] + f->range[3];
    else
        f->order = v->offset;
    f->timestamp = pdf_name_is(pdf_dict_get(v, "Type"), "DocTimeStamp") ||
                   pdf_name_is(pdf_doc_dict_get_quiet(ctx->doc, v, "SubFilter"), "ETSI.RFC3161");
    return ESEAL_OK;
}

/* Record every signature field's /V dictionary. */
static int found_visit(void *arg, uint32_t num, const pdf_obj *field, const char *name, int sig,
                       eseal_error *err)
{
    struct verify_ctx *ctx = arg;
    const pdf_obj *v;
    int rc;

    if (!sig)
        return 0;
    pdf_form_bit_set(ctx->sig_nodes, ctx->sig_nodes_size, num);
    if ((rc = pdf_doc_dict_get(ctx->doc, field, "V", &v, err)) != ESEAL_OK)
        return rc;
    if (v != NULL && v->type == PDF_DICT && (rc = found_add(ctx, v, name, err)) != ESEAL_OK)
        return rc;
    return 0; /* on to its widgets, to know them as signature widgets */
}

/* Record the signature of signature widget widget found on a page, which the form does not
 * list (poppler's pdfsig leaves a form in the catalog as it was, and viewers still show the
 * signature): its field is the first up the /Parent chain with a /V, its name the /T found
 * on the way up. */
static int found_widget(struct verify_ctx *ctx, const pdf_obj *widget, eseal_error *err)
{
    const pdf_obj *chain[PDF_FORM_PARENT_MAX], *node = widget, *v = NULL, *t;
    char name[PDF_FORM_NAME_MAX] = "", part[PDF_FORM_NAME_MAX];
    size_t n = 0, i;

    while (n < PDF_FORM_PARENT_MAX && node != NULL && node->type == PDF_DICT) {
        chain[n++] = node;
        if (v == NULL && (v = pdf_doc_dict_get_quiet(ctx->doc, node, "V")) != NULL &&
            v->type != PDF_DICT)
            return ESEAL_OK;
        node = pdf_doc_dict_get_quiet(ctx->doc, node, "Parent");
    }
    if (v == NULL)
        return ESEAL_OK; /* not signed */
    for (i = n; i-- > 0;) {
        t = pdf_doc_dict_get_quiet(ctx->doc, chain[i], "T");
        snprintf(part, sizeof(part), "%s", name);
        pdf_form_field_name(name, sizeof(name), part, t);
    }
    return found_add(ctx, v, name, err);
}

/* Record the signatures of widgets on pages that the form does not reach. */
static int found_on_pages(struct verify_ctx *ctx, eseal_error *err)
{
    const pdf_obj *page, *annots, *widget;
    uint32_t num;
    size_t count, i, k;
    int rc;

    if (pdf_doc_page_count(ctx->doc, &count, NULL) != ESEAL_OK)
        return ESEAL_OK; /* without a page tree the form is all there is */
    for (i = 0; i < count; i++) {
        if (pdf_doc_page(ctx->doc, i, &num, &page, NULL) != ESEAL_OK)
            continue;
        if ((rc = pdf_doc_dict_get(ctx->doc, page, "Annots", &annots, err)) != ESEAL_OK)
            return rc;
        for (k = 0; annots != NULL && annots->type == PDF_ARRAY && k < annots->u.array.len; k++) {
            const pdf_obj *raw = annots->u.array.items[k];
            if (raw->type == PDF_REF &&
                pdf_form_bit_test(ctx->sig_nodes, ctx->sig_nodes_size, raw->u.ref.num))
                continue; /* the form has it */
            if ((rc = pdf_doc_resolve(ctx->doc, raw, &widget, err)) != ESEAL_OK)
                return rc;
            if (!pdf_form_is_field_or_widget(ctx->doc, widget, 1) ||
                !pdf_form_is_signature_field(ctx->doc, widget))
                continue;
            if (raw->type == PDF_REF)
                pdf_form_bit_set(ctx->sig_nodes, ctx->sig_nodes_size, raw->u.ref.num);
            if ((rc = found_widget(ctx, widget, err)) != ESEAL_OK)
                return rc;
        }
    }
    return ESEAL_OK;
}

/* File order: by where the signed revision ends, then as found. */
static int found_cmp(const void *a, const void *b)
{
    const struct found_sig *x = a, *y = b;

    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Find every signature of the document into ctx->found, in file order. */
static int verify_find(struct verify_ctx *ctx, eseal_error *err)
{
    const pdf_obj *root = pdf_dict_get(pdf_doc_trailer(ctx->doc), "Root"), *catalog, *acroform;
    int rc;

    if (root == NULL)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PDF: the trailer has no /Root");
    if ((rc = pdf_doc_resolve(ctx->doc, root, &catalog, err)) != ESEAL_OK)
        return rc;
    if (catalog->type != PDF_DICT)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: the trailer's /Root is not a dictionary");
    if ((rc = pdf_doc_dict_get(ctx->doc, catalog, "AcroForm", &acroform, err)) != ESEAL_OK)
        return rc;
    ctx->found = calloc(VERIFY_SIGNATURES_MAX, sizeof(*ctx->found));
    ctx->sig_nodes_size = pdf_doc_size(ctx->doc);
    ctx->sig_nodes = calloc((size_t)ctx->sig_nodes_size / 8 + 1, 1);
    if (ctx->found == NULL || ctx->sig_nodes == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    if ((rc = pdf_form_walk(ctx->doc, acroform, found_visit, ctx, err)) != ESEAL_OK ||
        (rc = found_on_pages(ctx, err)) != ESEAL_OK)
        return rc;
    qsort(ctx->found, ctx->found_len, sizeof(*ctx->found), found_cmp);
    return ESEAL_OK;
}

/* ------------------------------------------------------------------------------------ */
/* Checking one signature. */

/* The length of the BER element at the start of the n bytes at p, or 0 when there is none.
 * The /Contents string holds the CMS followed by zero padding; signers built on NSS (poppler,
 * Firefox's) write it with indefinite lengths, so those are followed down to their ends. */
static size_t ber_length(const unsigned char *p, size_t n, unsigned depth)
{
    size_t at = 1, len = 0, k, i, child;

    if (depth > BER_DEPTH_MAX || n < 2)
        return 0;
    if ((p[0] & 0x1f) == 0x1f) { /* a tag number in the following bytes */
        for (k = 0; at < n && (p[at] & 0x80) != 0 && k < 4; k++)
            at++;
        at++;
    }
    if (at >= n)
        return 0;
    if (p[at] == 0x80) {
        if ((p[0] & 0x20) == 0)
            return 0; /* only a constructed element may have an indefinite length */
        for (at++;;) {
            if (n - at >= 2 && p[at] == 0 && p[at + 1] == 0)
                return at + 2;
            if ((child = ber_length(p + at, n - at, depth + 1)) == 0)
                return 0;
            at += child;
        }
    }
    if (p[at] < 0x80) {
        len = p[at++];
    } else {
        k = p[at] & 0x7f;
        if (k > 4 || n - at - 1 < k)
            return 0;
        for (i = 0; i < k; i++)
            len = len << 8 | p[at + 1 + i];
        at += 1 + k;
    }
    return len <= n - at ? at + len : 0;
}

/* Whether the signature is a certification that allows no change at all (DocMDP with
 * /P 1, ISO 32000-1 12.8.2.2). */
static int docmdp_forbids_changes(pdf_doc *doc, const pdf_obj *sig)
{
    const pdf_obj *refs = pdf_doc_dict_get_quiet(doc, sig, "Reference"), *ref, *params, *p;
    size_t i;

    for (i = 0; refs != NULL && refs->type == PDF_ARRAY && i < refs->u.array.len; i++) {
        ref = pdf_doc_resolve_quiet(doc, refs->u.array.items[i]);
        if (!pdf_name_is(pdf_doc_dict_get_quiet(doc, ref, "TransformMethod"), "DocMDP"))
            continue;
        params = pdf_doc_dict_get_quiet(doc, ref, "TransformParams");
        p = pdf_doc_dict_get_quiet(doc, params, "P");
        return p != NULL && p->type == PDF_INT && p->u.integer == 1;
    }
    return 0;
}

/* The /ByteRange rules; 1 when they hold, else 0 with the verdict set to fail. */
static int verify_range(struct verify_ctx *ctx, const struct found_sig *f, eseal_verdict *v)
{
    const pdf_obj *contents = pdf_dict_get(f->dict, "Contents");
    const uint64_t *r = f->range;

    if (!f->ranged) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL, "the /ByteRange is not four non-negative integers");
        return 0;
    }
    if (r[0] != 0) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                          "the /ByteRange starts at %llu, not at the start of the file",
                          (unsigned long long)r[0]);
        return 0;
    }
    if (r[1] >= r[2]) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                          "the /ByteRange's second range (at %llu) does not follow its first "
                          "(ending at %llu)",
                          (unsigned long long)r[2], (unsigned long long)r[1]);
        return 0;
    }
    if (contents == NULL || contents->type != PDF_STRING || !contents->u.str.hex ||
        contents->offset == SIZE_MAX) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                          "the /Contents is not a hex string written in the signature "
                          "dictionary in the file");
        return 0;
    }
    if (contents->offset != r[1] || contents->end != r[2]) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                          "the /ByteRange leaves out bytes %llu to %llu, which are not exactly "
                          "the /Contents string (bytes %zu to %zu)",
                          (unsigned long long)r[1], (unsigned long long)r[2], contents->offset,
                          contents->end);
        return 0;
    }
    if (r[3] > ctx->len || r[2] > ctx->len - r[3]) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                          "the /ByteRange ends at %llu, past the end of the file (%zu bytes)",
                          (unsigned long long)(r[2] + r[3]), ctx->len);
        return 0;
    }
    if (!revision_end(ctx->data, (size_t)(r[2] + r[3]))) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                          "the /ByteRange ends at %llu, which is not the end of a revision "
                          "(%%%%EOF)",
                          (unsigned long long)(r[2] + r[3]));
        return 0;
    }
    return 1;
}

/* The CMS check of the signed bytes into v. */
static void verify_cms(struct verify_ctx *ctx, const struct found_sig *f, eseal_verdict *v)
{
    const pdf_obj *contents = pdf_dict_get(f->dict, "Contents"), *m;
    eseal_cades_verifier *verifier;
    size_t der_len = contents->u.str.len > 0 && contents->u.str.data[0] == 0x30
                         ? ber_length(contents->u.str.data, contents->u.str.len, 0)
                         : 0;
    eseal_error e;
    time_t when;

    if (der_len == 0) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR,
                          "the /Contents does not hold a CMS signature (a BER SEQUENCE)");
        return;
    }
    eseal_error_clear(&e);
    if (eseal_cades_verifier_new(&verifier, ctx->trust, contents->u.str.data, der_len, &e) !=
        ESEAL_OK) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "the signature cannot be read: %s", e.message);
        return;
    }
    if (eseal_cades_verifier_update(verifier, ctx->data, (size_t)f->range[1], &e) != ESEAL_OK ||
        eseal_cades_verifier_update(verifier, ctx->data + f->range[2], (size_t)f->range[3], &e) !=
            ESEAL_OK) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "%s", e.message);
        eseal_cades_verifier_free(verifier);
        return;
    }
    eseal_cades_verifier_finish(verifier, v);
    eseal_cades_verifier_free(verifier);
    /* PAdES B-B states the time in /M instead of a signing-time attribute (EN 319 142-1
     * 5.2.3); it is the signer's claim and only reported. */
    if (!v->has_signing_time && pdf_doc_dict_get(ctx->doc, f->dict, "M", &m, NULL) == ESEAL_OK &&
        m != NULL && m->type == PDF_STRING &&
        parse_pdf_date(m->u.str.data, m->u.str.len, &when) == 0) {
        v->has_signing_time = 1;
        v->signing_time = when;
    }
}

/* Whether later revisions changed what the revision ending at end shows, computed once per
 * revision. */
static struct revision_result *verify_revision(struct verify_ctx *ctx, uint64_t end, int *nomem)
{
    struct revision_result *r;
    pdf_doc *signed_rev;
    eseal_error e;
    size_t i;

    for (i = 0; i < ctx->revisions_len; i++)
        if (ctx->revisions[i].end == end)
            return &ctx->revisions[i];
    r = &ctx->revisions[ctx->revisions_len++];
    r->end = end;
    if (ctx->work + end > VERIFY_WORK_MAX) {
        r->status = ESEAL_ERR_LIMIT;
        snprintf(r->what, sizeof(r->what), "the revisions to compare exceed %llu bytes in all",
                 (unsigned long long)VERIFY_WORK_MAX);
        return r;
    }
    ctx->work += end;
    eseal_error_clear(&e);
    r->status = pdf_doc_open(&signed_rev, ctx->data, (size_t)end, &e);
    if (r->status == ESEAL_OK) {
        r->status = pdf_diff_revision(signed_rev, ctx->doc, ctx->sig_nodes, ctx->sig_nodes_size,
                                      r->what, sizeof(r->what), &e);
        pdf_doc_free(signed_rev);
    }
    if (r->status < 0)
        snprintf(r->what, sizeof(r->what), "%s", e.message);
    *nomem = r->status == ESEAL_ERR_NOMEM;
    return r;
}

/* Check signature f into out.  A negative status only when out of memory. */
static int verify_one(struct verify_ctx *ctx, const struct found_sig *f, eseal_pades_signature *out)
{
    const pdf_obj *subfilter = pdf_doc_dict_get_quiet(ctx->doc, f->dict, "SubFilter");
    eseal_verdict *v = &out->verdict;
    struct revision_result *rev;
    uint64_t end = f->range[2] + f->range[3];
    unsigned later_signing = 0; /* later signatures that are not document timestamps */
    size_t i;
    int nomem = 0;

    memset(out, 0, sizeof(*out));
    snprintf(out->field, sizeof(out->field), "%s", f->field);
    if (subfilter != NULL && subfilter->type == PDF_NAME)
        pdf_name_print(out->subfilter, sizeof(out->subfilter), subfilter);
    out->pades = pdf_name_is(subfilter, "ETSI.CAdES.detached");
    if (!out->pades && !pdf_name_is(subfilter, "adbe.pkcs7.detached")) {
        if (out->subfilter[0] == '\0')
            eseal_verdict_set(v, ESEAL_RESULT_ERROR, "the signature has no /SubFilter");
        else if (pdf_name_is(subfilter, "ETSI.RFC3161"))
            eseal_verdict_set(v, ESEAL_RESULT_ERROR,
                              "document timestamps (ETSI.RFC3161) are not checked");
        else
            eseal_verdict_set(v, ESEAL_RESULT_ERROR, "signatures of kind %s are not checked",
                              out->subfilter);
        return ESEAL_OK;
    }
    if (!verify_range(ctx, f, v))
        return ESEAL_OK;
    if (ctx->work + end > VERIFY_WORK_MAX) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR,
                          "not checked: the signatures of this document cover more than %llu "
                          "bytes in all",
                          (unsigned long long)VERIFY_WORK_MAX);
        return ESEAL_OK;
    }
    ctx->work += end;
    verify_cms(ctx, f, v);
    for (i = 0; i < ctx->found_len; i++)
        if (ctx->found[i].order > end) { /* it lies in a later revision */
            out->later_signatures++;
            later_signing += !ctx->found[i].timestamp;
        }
    if (end == ctx->len)
        return ESEAL_OK;
    rev = verify_revision(ctx, end, &nomem);
    if (nomem)
        return ESEAL_ERR_NOMEM;
    /* PAdES (EN 319 142-1 5.4) lets a DSS and document timestamps follow even a
     * certification that allows no change; another signature breaks it */
    if (rev->status == 0 && later_signing > 0 && docmdp_forbids_changes(ctx->doc, f->dict)) {
        out->modified_after = 1;
        if (v->result < ESEAL_RESULT_ERROR)
            eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                              "modified-after-seal: the certification allows no change, but "
                              "%u later signature(s) were added",
                              later_signing);
    } else if (rev->status == 1) {
        out->modified_after = 1;
        if (v->result < ESEAL_RESULT_ERROR)
            eseal_verdict_set(v, ESEAL_RESULT_FAIL, "modified-after-seal: %s", rev->what);
    } else if (rev->status < 0 && v->result < ESEAL_RESULT_ERROR) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "later revisions cannot be checked: %s",
                          rev->what);
    }
    return ESEAL_OK;
}

int eseal_pades_verify(const eseal_trust *trust, const unsigned char *pdf, size_t len,
                       eseal_pades_signature **sigs, size_t *count, eseal_error *err)
{
    struct verify_ctx ctx;
    eseal_pades_signature *out = NULL;
    size_t i;
    int rc;

    *sigs = NULL;
    *count = 0;
    if (len > ESEAL_PADES_DOCUMENT_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: %zu bytes, over the limit of %zu", len,
                               ESEAL_PADES_DOCUMENT_MAX);
    memset(&ctx, 0, sizeof(ctx));
    ctx.trust = trust;
    ctx.data = pdf;
    ctx.len = len;
    if ((rc = pdf_doc_open(&ctx.doc, pdf, len, err)) != ESEAL_OK)
        return rc;
    if ((rc = verify_find(&ctx, err)) != ESEAL_OK || ctx.found_len == 0)
        goto done;
    out = calloc(ctx.found_len, sizeof(*out));
    ctx.revisions = calloc(ctx.found_len, sizeof(*ctx.revisions));
    if (out == NULL || ctx.revisions == NULL) {
        rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < ctx.found_len; i++)
        if ((rc = verify_one(&ctx, &ctx.found[i], &out[i])) != ESEAL_OK) {
            eseal_error_set(err, rc, "out of memory");
            goto done;
        }
    *sigs = out;
    *count = ctx.found_len;
    out = NULL;
done:
    free(out);
    free(ctx.revisions);
    free(ctx.found);
    free(ctx.sig_nodes);
    pdf_doc_free(ctx.doc);
    return rc;
}
