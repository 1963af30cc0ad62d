/* pdf_form.c - reading a PDF's interactive form (ISO 32000-1 12.7) for the PAdES verifier:
 * the walk over /Fields and /Kids, fully qualified field names made into printable UTF-8
 * from PDF text strings, and which objects are signature fields and widgets.
 *
 * SECURITY: the PDF comes from a mail attachment and is read only through the strict reader
 * (pdf_int.h), which caps every count, depth and size.  The field tree is hostile too: the
 * walk visits each field object once (a /Kids loop, or a field listed twice, is not followed
 * again), at most FORM_FIELDS_MAX of them and FORM_FIELD_DEPTH_MAX deep; /Parent chains are
 * followed at most PDF_FORM_PARENT_MAX links.  Names are written into fixed buffers, whole
 * characters only, with control characters made '?' so that a name cannot forge lines or
 * terminal sequences wherever it is shown. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "pdf_form_int.h"
#include "pdf_int.h"
#include "utf8_int.h"

#define FORM_FIELDS_MAX 100000  /* field dictionaries visited in one form */
#define FORM_FIELD_DEPTH_MAX 32 /* levels of /Kids below /Fields */

/* ------------------------------------------------------------------------------------ */
/* Text: PDF text strings and names made into short, printable UTF-8. */

/* UTF-8 being written into a fixed buffer: whole characters or nothing once it is full. */
struct text {
    char *buf;
    size_t size, len;
    int full;
};

/* Start writing into the size bytes at buf. */
static void text_init(struct text *t, char *buf, size_t size)
{
    t->buf = buf;
    t->size = size;
    t->len = 0;
    t->full = 0;
    buf[0] = '\0';
}

/* Append the n bytes at s, which are whole characters, or stop writing for good. */
static void text_put(struct text *t, const char *s, size_t n)
{
    if (t->full || n + 1 > t->size - t->len) {
        t->full = 1;
        return;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

/* Append code point cp; control characters become '?' so that a name cannot forge lines
 * or terminal sequences wherever it is shown. */
static void text_code_point(struct text *t, uint32_t cp)
{
    char u[4];

    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        cp = '?';
    if (cp < 0x80) {
        u[0] = (char)cp;
        text_put(t, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        text_put(t, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        text_put(t, u, 3);
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        text_put(t, u, 4);
    }
}

/* PDFDocEncoding (ISO 32000-1 Annex D) where it differs from Latin-1: 0x18-0x1f, 0x80-0xa0
 * (0 where undefined). */
static const uint16_t pdfdoc_low[8] = {0x02d8, 0x02c7, 0x02c6, 0x02d9,
                                       0x02dd, 0x02db, 0x02da, 0x02dc};
static const uint16_t pdfdoc_high[33] = {
    0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203a, 0x2212,
    0x2030, 0x201e, 0x201c, 0x201d, 0x2018, 0x2019, 0x201a, 0x2122, 0xfb01, 0xfb02, 0x0141,
    0x0152, 0x0160, 0x0178, 0x017d, 0x0131, 0x0142, 0x0153, 0x0161, 0x017e, 0x0000, 0x20ac};

/* Append the PDF text string s of n bytes (ISO 32000-1 7.9.2.2): UTF-16BE after a byte order
 * mark, UTF-8 after its mark (PDF 2.0), else PDFDocEncoding.  Language escapes (U+001B ...
 * U+001B) are dropped; undecodable units become U+FFFD. */
static void text_pdf_string(struct text *t, const unsigned char *s, size_t n)
{
    size_t i = 0, k;
    uint32_t cp;
    int escape = 0;

    if (n >= 2 && s[0] == 0xfe && s[1] == 0xff) {
        for (i = 2; i + 1 < n && !t->full; i += 2) {
            cp = (uint32_t)s[i] << 8 | s[i + 1];
            if (cp >= 0xd800 && cp <= 0xdbff && i + 3 < n) {
                uint32_t lo = (uint32_t)s[i + 2] << 8 | s[i + 3];
                if (lo >= 0xdc00 && lo <= 0xdfff) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    i += 2;
                }
            }
            if (cp == 0x1b) {
                escape = !escape;
                continue;
            }
            if (!escape)
                text_code_point(t, (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp);
        }
        return;
    }
    if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
        for (i = 3; i < n && !t->full; i += k) {
            k = eseal_utf8_char_len(s + i, n - i);
            if (k == 0) {
                text_code_point(t, 0xfffd);
                k = 1;
            } else if (k == 1 || (k == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0)) {
                text_code_point(t, k == 1 ? s[i] : '?');
            } else {
                text_put(t, (const char *)s + i, k);
            }
        }
        return;
    }
    for (i = 0; i < n && !t->full; i++) {
        cp = s[i];
        if (cp >= 0x18 && cp <= 0x1f)
            cp = pdfdoc_low[cp - 0x18];
        else if (cp >= 0x80 && cp <= 0xa0)
            cp = pdfdoc_high[cp - 0x80];
        else if (cp == 0xad)
            cp = 0;
        text_code_point(t, cp != 0 ? cp : 0xfffd);
    }
}

void pdf_form_field_name(char *buf, size_t size, const char *parent, const pdf_obj *partial)
{
    struct text t;

    text_init(&t, buf, size);
    text_put(&t, parent, strlen(parent));
    if (partial == NULL || partial->type != PDF_STRING)
        return;
    if (parent[0] != '\0')
        text_put(&t, ".", 1);
    text_pdf_string(&t, partial->u.str.data, partial->u.str.len);
}

/* ------------------------------------------------------------------------------------ */
/* Small readers of values. */

int pdf_form_bit_test(const unsigned char *bits, uint32_t size, uint32_t num)
{
    return bits != NULL && num < size && (bits[num / 8] & (1u << (num % 8))) != 0;
}

void pdf_form_bit_set(unsigned char *bits, uint32_t size, uint32_t num)
{
    if (num < size)
        bits[num / 8] |= (unsigned char)(1u << (num % 8));
}

/* ------------------------------------------------------------------------------------ */
/* Signature fields and widgets. */

int pdf_form_is_field_or_widget(pdf_doc *doc, const pdf_obj *o, int need_widget)
{
    const pdf_obj *subtype;

    if (o == NULL || o->type != PDF_DICT)
        return 0;
    subtype = pdf_doc_dict_get_quiet(doc, o, "Subtype");
    return subtype != NULL ? pdf_name_is(subtype, "Widget") : !need_widget;
}

int pdf_form_is_signature_field(pdf_doc *doc, const pdf_obj *o)
{
    const pdf_obj *ft;
    unsigned i;

    for (i = 0; i < PDF_FORM_PARENT_MAX && o != NULL && o->type == PDF_DICT; i++) {
        ft = pdf_doc_dict_get_quiet(doc, o, "FT");
        if (ft != NULL)
            return pdf_name_is(ft, "Sig");
        o = pdf_doc_dict_get_quiet(doc, o, "Parent");
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* The form's field tree. */

/* A walk over /Fields and /Kids that visits each field dictionary once: a loop, or a field
 * listed twice, is not followed again. */
struct field_walk {
    pdf_doc *doc;
    pdf_form_field_fn visit;
    void *ctx;
    unsigned char *seen; /* a bit per object number */
    uint32_t seen_size;
    size_t visited;
};

/* Visit the field raw (a reference or a dictionary) below the field named parent, whose type
 * is /Sig (sig) unless its own /FT says otherwise, then its /Kids. */
static int field_walk_node(struct field_walk *w, const pdf_obj *raw, const char *parent, int sig,
                           unsigned depth, eseal_error *err)
{
    char name[PDF_FORM_NAME_MAX];
    const pdf_obj *node, *partial, *ft, *kids;
    uint32_t num = 0;
    size_t i;
    int rc;

    if (depth > FORM_FIELD_DEPTH_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: form fields nested over %d deep",
                               FORM_FIELD_DEPTH_MAX);
    if (raw->type == PDF_REF) {
        num = raw->u.ref.num;
        if (num >= w->seen_size || pdf_form_bit_test(w->seen, w->seen_size, num))
            return ESEAL_OK;
        pdf_form_bit_set(w->seen, w->seen_size, num);
    }
    if (++w->visited > FORM_FIELDS_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: more than %d form fields",
                               FORM_FIELDS_MAX);
    if ((rc = pdf_doc_resolve(w->doc, raw, &node, err)) != ESEAL_OK)
        return rc;
    if (node->type != PDF_DICT)
        return ESEAL_OK;
    if ((rc = pdf_doc_dict_get(w->doc, node, "T", &partial, err)) != ESEAL_OK ||
        (rc = pdf_doc_dict_get(w->doc, node, "FT", &ft, err)) != ESEAL_OK ||
        (rc = pdf_doc_dict_get(w->doc, node, "Kids", &kids, err)) != ESEAL_OK)
        return rc;
    pdf_form_field_name(name, sizeof(name), parent, partial);
    if (ft != NULL)
        sig = pdf_name_is(ft, "Sig");
    rc = w->visit(w->ctx, num, node, name, sig, err);
    if (rc != 0 || kids == NULL || kids->type != PDF_ARRAY)
        return rc < 0 ? rc : ESEAL_OK;
    for (i = 0; i < kids->u.array.len; i++)
        if ((rc = field_walk_node(w, kids->u.array.items[i], name, sig, depth + 1, err)) != 0)
            return rc;
    return ESEAL_OK;
}

int pdf_form_walk(pdf_doc *doc, const pdf_obj *acroform, pdf_form_field_fn visit, void *ctx,
                  eseal_error *err)
{
    struct field_walk w;
    const pdf_obj *fields;
    size_t i;
    int rc;

    if (acroform == NULL || acroform->type != PDF_DICT)
        return ESEAL_OK;
    if ((rc = pdf_doc_dict_get(doc, acroform, "Fields", &fields, err)) != ESEAL_OK)
        return rc;
    if (fields == NULL || fields->type != PDF_ARRAY)
        return ESEAL_OK;
    memset(&w, 0, sizeof(w));
    w.doc = doc;
    w.visit = visit;
    w.ctx = ctx;
    w.seen_size = pdf_doc_size(doc);
    w.seen = calloc((size_t)w.seen_size / 8 + 1, 1);
    if (w.seen == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    for (i = 0, rc = ESEAL_OK; i < fields->u.array.len && rc == ESEAL_OK; i++)
        rc = field_walk_node(&w, fields->u.array.items[i], "", 0, 0, err);
    free(w.seen);
    return rc;
}
