/* pdf_verify.c - check every signature of a PDF (ISO 32000-1 12.8, ETSI EN 319 142-1): find
 * them through the interactive form, hold each /ByteRange to the one shape that cannot hide
 * unsigned content, check the CMS over the signed bytes, and tell whether later revisions
 * changed the document or only added signatures.
 *
 * SECURITY: the PDF comes from a mail attachment and is read only through the strict reader
 * (pdf_int.h), which caps every count, depth and size.  The known attacks on PDF signatures
 * (Mladenov et al., "1 Trillion Dollar Refund", CCS 2019; Mainka et al., "Shadow Attacks",
 * NDSS 2021) are answered as follows.  Universal signature forgery: a signature without a
 * usable /ByteRange or /Contents fails.  Signature wrapping: the /ByteRange must be [0 a b c]
 * whose gap [a, b) is exactly this dictionary's own /Contents hex string as it lies in the
 * file, and b + c must end a revision (%%EOF), so no unsigned bytes hide inside or before
 * the signed revision.  Incremental saving and shadow attacks: the signed revision is opened
 * as a document of its own and every object of the whole file is compared with it; every
 * change is refused unless a rule below allows it (a signature added, the /Info dictionary,
 * ...), and an object may change under a lenient rule only if nothing but its lenient owner
 * refers to it. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eseal/cades.h"
#include "eseal/pades.h"
#include "error_int.h"
#include "pdf_int.h"
#include "utf8_int.h"

#define VERIFY_SIGNATURES_MAX 100 /* signatures checked in one document */
#define VERIFY_FIELDS_MAX 100000  /* field dictionaries visited in one form */
#define VERIFY_FIELD_DEPTH_MAX 32 /* levels of /Kids below /Fields */
#define VERIFY_PARENT_MAX 32      /* /Parent links followed to find a field's type */
#define VERIFY_NAME_MAX 128       /* bytes of a field name, as eseal_pades_signature.field */
#define VERIFY_DETAIL_MAX 256     /* bytes of what one change was */
#define BER_DEPTH_MAX 32          /* nested indefinite lengths in a signature */
/* Bytes hashed and revisions compared for one document in all: each signature may cover
 * nearly the whole file, and a mail filter must not spend minutes on one attachment. */
#define VERIFY_WORK_MAX ((uint64_t)4 * 1024 * 1024 * 1024)

/* One signature found in the form, before it is checked. */
struct found_sig {
    const pdf_obj *dict; /* the signature dictionary (the field's /V), owned by the doc */
    char field[VERIFY_NAME_MAX];
    int ranged;        /* /ByteRange holds four non-negative integers, in range[] */
    uint64_t range[4]; /* as written; each below 2^62 */
    uint64_t order;    /* where it lies in the file: its revision's end, or its offset */
    int timestamp;     /* a document timestamp (ETSI.RFC3161), not a signature */
    size_t seq;        /* the order it was found in, for a stable sort */
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

/* Copy a PDF name as printable ASCII ('?' for anything else) into buf. */
static void text_name(char *buf, size_t size, const pdf_obj *name)
{
    size_t i, n = name->u.str.len < size - 1 ? name->u.str.len : size - 1;

    for (i = 0; i < n; i++) {
        unsigned char c = name->u.str.data[i];
        buf[i] = c > 0x20 && c < 0x7f ? (char)c : '?';
    }
    buf[n] = '\0';
}

/* ------------------------------------------------------------------------------------ */
/* Small readers of values. */

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

/* Whether bit num of the bitmap of size bits is set. */
static int bit_get(const unsigned char *bits, uint32_t size, uint32_t num)
{
    return bits != NULL && num < size && (bits[num / 8] & (1u << (num % 8))) != 0;
}

/* Set bit num of the bitmap of size bits (nothing beyond its end). */
static void bit_set(unsigned char *bits, uint32_t size, uint32_t num)
{
    if (num < size)
        bits[num / 8] |= (unsigned char)(1u << (num % 8));
}

/* Whether o is a dictionary (or stream) whose /Type is the name type. */
static int is_type(const pdf_obj *o, const char *type)
{
    return dict_of(o) != NULL && pdf_name_is(pdf_dict_get(o, "Type"), type);
}

/* The value of key in dict, resolved, or NULL when absent or on any failure: for the
 * yes-or-no questions below, where failing means "no", the stricter answer. */
static const pdf_obj *get_quiet(pdf_doc *doc, const pdf_obj *dict, const char *key)
{
    const pdf_obj *out = NULL;

    if (dict_of(dict) == NULL || pdf_doc_dict_get(doc, dict, key, &out, NULL) != ESEAL_OK)
        return NULL;
    return out;
}

/* The value o refers to (o itself when direct), or NULL on failure. */
static const pdf_obj *resolve_quiet(pdf_doc *doc, const pdf_obj *o)
{
    const pdf_obj *out = NULL;

    if (o == NULL || pdf_doc_resolve(doc, o, &out, NULL) != ESEAL_OK)
        return NULL;
    return out;
}

/* Whether o is a dictionary that is no annotation other than a widget (need_widget: it must
 * be one), as a signature field or its widget is. */
static int is_field_or_widget(pdf_doc *doc, const pdf_obj *o, int need_widget)
{
    const pdf_obj *subtype;

    if (o == NULL || o->type != PDF_DICT)
        return 0;
    subtype = get_quiet(doc, o, "Subtype");
    return subtype != NULL ? pdf_name_is(subtype, "Widget") : !need_widget;
}

/* Whether o is a signature field or the widget of one by its own entries: the nearest /FT up
 * its /Parent chain is /Sig. */
static int is_signature_field(pdf_doc *doc, const pdf_obj *o)
{
    const pdf_obj *ft;
    unsigned i;

    for (i = 0; i < VERIFY_PARENT_MAX && o != NULL && o->type == PDF_DICT; i++) {
        ft = get_quiet(doc, o, "FT");
        if (ft != NULL)
            return pdf_name_is(ft, "Sig");
        o = get_quiet(doc, o, "Parent");
    }
    return 0;
}

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
/* The form's field tree. */

struct field_walk;

/* Called for every field dictionary (num 0 when direct) with its fully qualified name and
 * whether its type, inherited or its own, is /Sig; returns 1 not to descend into its /Kids,
 * 0 to descend, or a negative status. */
typedef int (*field_visit_fn)(struct field_walk *w, uint32_t num, const pdf_obj *field,
                              const char *name, int sig, eseal_error *err);

/* A walk over /Fields and /Kids that visits each field dictionary once: a loop, or a field
 * listed twice, is not followed again. */
struct field_walk {
    pdf_doc *doc;
    field_visit_fn visit;
    void *ctx;
    unsigned char *seen; /* a bit per object number */
    uint32_t seen_size;
    size_t visited;
};

/* The fully qualified name of a field (ISO 32000-1 12.7.3.2): its parent's, a period, its
 * own partial name /T. */
static void field_name(char *buf, size_t size, const char *parent, const pdf_obj *partial)
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

/* Visit the field raw (a reference or a dictionary) below the field named parent, whose type
 * is /Sig (sig) unless its own /FT says otherwise, then its /Kids. */
static int field_walk_node(struct field_walk *w, const pdf_obj *raw, const char *parent, int sig,
                           unsigned depth, eseal_error *err)
{
    char name[VERIFY_NAME_MAX];
    const pdf_obj *node, *partial, *ft, *kids;
    uint32_t num = 0;
    size_t i;
    int rc;

    if (depth > VERIFY_FIELD_DEPTH_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: form fields nested over %d deep",
                               VERIFY_FIELD_DEPTH_MAX);
    if (raw->type == PDF_REF) {
        num = raw->u.ref.num;
        if (num >= w->seen_size || bit_get(w->seen, w->seen_size, num))
            return ESEAL_OK;
        bit_set(w->seen, w->seen_size, num);
    }
    if (++w->visited > VERIFY_FIELDS_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: more than %d form fields",
                               VERIFY_FIELDS_MAX);
    if ((rc = pdf_doc_resolve(w->doc, raw, &node, err)) != ESEAL_OK)
        return rc;
    if (node->type != PDF_DICT)
        return ESEAL_OK;
    if ((rc = pdf_doc_dict_get(w->doc, node, "T", &partial, err)) != ESEAL_OK ||
        (rc = pdf_doc_dict_get(w->doc, node, "FT", &ft, err)) != ESEAL_OK ||
        (rc = pdf_doc_dict_get(w->doc, node, "Kids", &kids, err)) != ESEAL_OK)
        return rc;
    field_name(name, sizeof(name), parent, partial);
    if (ft != NULL)
        sig = pdf_name_is(ft, "Sig");
    rc = w->visit(w, num, node, name, sig, err);
    if (rc != 0 || kids == NULL || kids->type != PDF_ARRAY)
        return rc < 0 ? rc : ESEAL_OK;
    for (i = 0; i < kids->u.array.len; i++)
        if ((rc = field_walk_node(w, kids->u.array.items[i], name, sig, depth + 1, err)) != 0)
            return rc;
    return ESEAL_OK;
}

/* Visit every field of the form acroform (a dictionary, or anything else for none). */
static int field_walk(pdf_doc *doc, const pdf_obj *acroform, field_visit_fn visit, void *ctx,
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

/* ------------------------------------------------------------------------------------ */
/* Whether later revisions changed the signed one. */

/* What an object is in the signed revision, which decides what a later revision may do to
 * it.  INFO, METADATA and DSS are lenient: such an object may change at will, as long as
 * only its lenient owner refers to it. */
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
    if ((ap = resolve_quiet(d->old, raw)) == NULL || ap->type != PDF_DICT)
        return;
    for (k = 0; k < 3; k++) {
        raw = pdf_dict_get(ap, kinds[k]);
        diff_role(d, raw, ROLE_SIG_AP);
        if ((states = resolve_quiet(d->old, raw)) == NULL || states->type != PDF_DICT)
            continue;
        for (i = 0; i < states->u.dict.len; i++)
            diff_role(d, states->u.dict.values[i], ROLE_SIG_AP);
    }
}

/* Field roles of the signed revision, from its form tree. */
static int diff_field_visit(struct field_walk *w, uint32_t num, const pdf_obj *field,
                            const char *name, int sig, eseal_error *err)
{
    struct revision_diff *d = w->ctx;

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
        if ((array = resolve_quiet(d->old, raw)) == NULL || array->type != PDF_ARRAY)
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
    if ((dss = resolve_quiet(d->old, raw)) == NULL || dss->type != PDF_DICT)
        return;
    diff_dss_arrays(d, dss, dss_keys);
    diff_role(d, pdf_dict_get(dss, "VRI"), ROLE_DSS);
    if ((vri = get_quiet(d->old, dss, "VRI")) == NULL || vri->type != PDF_DICT)
        return;
    for (i = 0; i < vri->u.dict.len; i++) {
        diff_role(d, vri->u.dict.values[i], ROLE_DSS);
        if ((entry = resolve_quiet(d->old, vri->u.dict.values[i])) == NULL ||
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
    if ((array = resolve_quiet(d->old, contents)) != NULL && array->type == PDF_ARRAY)
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
            if ((rc = field_walk(d->old, acroform, diff_field_visit, d, err)) != ESEAL_OK)
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
        if (is_type(o, "Page"))
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
        } else if (role_lenient(d->role[num]) || is_type(o, "XRef")) {
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
            contents = resolve_quiet(d->old, contents);
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
    char detail[VERIFY_DETAIL_MAX], what[96] = "", type[48];
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
    } else if (dict_of(old) != NULL && pdf_dict_get(old, "Type") != NULL &&
               pdf_dict_get(old, "Type")->type == PDF_NAME) {
        text_name(type, sizeof(type), pdf_dict_get(old, "Type"));
        snprintf(what, sizeof(what), " (/Type /%s)", type);
    }
    snprintf(d->what, sizeof(d->what), "object %u%s %s", num, what, detail);
    return 1;
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

    if (!is_field_or_widget(doc, o, need_widget))
        return 0;
    if (num != 0 && (in_new ? bit_get(d->new_sig, d->new_sig_size, num)
                            : num < d->size && (d->mark[num] & MARK_SIG) != 0))
        return 1;
    return is_signature_field(doc, o);
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
                         resolve_quiet(d->new, item), need_widget)) {
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

/* The interactive form may gain signature fields and change /SigFlags, /DR and /DA. */
static int diff_acroform(struct revision_diff *d, uint32_t num, const pdf_obj *old_form,
                         const pdf_obj *new_form)
{
    static const char *const allowed[] = {"Fields", "SigFlags", "DR", "DA", NULL};
    const char *key = diff_keys(old_form, new_form, allowed);
    const pdf_obj *old_raw = pdf_dict_get(old_form, "Fields");
    const pdf_obj *new_raw = pdf_dict_get(new_form, "Fields");
    char why[VERIFY_DETAIL_MAX];

    if (key != NULL)
        return diff_found(d, num, old_form, "changed: its /%s differs", key);
    if ((old_raw == NULL && new_raw == NULL) ||
        (old_raw != NULL && new_raw != NULL && pdf_obj_equal(old_raw, new_raw)))
        return 0;
    if (!diff_gained(d, resolve_quiet(d->old, old_raw), resolve_quiet(d->new, new_raw), 0, why,
                     sizeof(why)))
        return diff_found(d, num, old_form, "changed: its /Fields %s", why);
    return 0;
}

/* The catalog may change its /AcroForm (as diff_acroform allows), /DSS, /Extensions and
 * /Version (developer extensions and the PDF 2.0 that come with a DSS or a newer signature
 * format) and /Metadata (XMP): none changes what a page shows. */
static int diff_catalog(struct revision_diff *d)
{
    static const char *const allowed[] = {"AcroForm", "DSS",     "Extensions",
                                          "Metadata", "Version", NULL};
    const pdf_obj *old_cat = get_quiet(d->old, pdf_doc_trailer(d->old), "Root");
    const pdf_obj *new_cat = get_quiet(d->new, pdf_doc_trailer(d->new), "Root");
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
    old_raw = pdf_dict_get(old_cat, "AcroForm");
    new_raw = pdf_dict_get(new_cat, "AcroForm");
    if ((old_raw == NULL && new_raw == NULL) ||
        (old_raw != NULL && new_raw != NULL && pdf_obj_equal(old_raw, new_raw)))
        return 0;
    return diff_acroform(d, new_raw != NULL && new_raw->type == PDF_REF ? new_raw->u.ref.num : 0,
                         resolve_quiet(d->old, old_raw), resolve_quiet(d->new, new_raw));
}

/* A page may gain signature widgets in /Annots; nothing else of it may change. */
static int diff_page(struct revision_diff *d, uint32_t num, const pdf_obj *old_page,
                     const pdf_obj *new_page)
{
    static const char *const allowed[] = {"Annots", NULL};
    const char *key = diff_keys(old_page, new_page, allowed);
    const pdf_obj *old_raw = pdf_dict_get(old_page, "Annots");
    const pdf_obj *new_raw = pdf_dict_get(new_page, "Annots");
    char why[VERIFY_DETAIL_MAX];

    if (new_page->type != PDF_DICT)
        return diff_found(d, num, old_page, "changed: it is no dictionary any more");
    if (key != NULL)
        return diff_found(d, num, old_page, "changed: its /%s differs", key);
    if ((old_raw == NULL && new_raw == NULL) ||
        (old_raw != NULL && new_raw != NULL && pdf_obj_equal(old_raw, new_raw)))
        return 0;
    if (!diff_gained(d, resolve_quiet(d->old, old_raw), resolve_quiet(d->new, new_raw), 1, why,
                     sizeof(why)))
        return diff_found(d, num, old_page, "changed: its /Annots %s", why);
    return 0;
}

/* Whether the change of object num from old to new (both non-null, not equal) is allowed;
 * 1 with d->what set when it is not. */
static int diff_changed(struct revision_diff *d, uint32_t num, const pdf_obj *old,
                        const pdf_obj *new)
{
    unsigned char role = d->role[num];
    char why[VERIFY_DETAIL_MAX];
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
        if (!diff_gained(d, get_quiet(d->old, old, "Kids"), get_quiet(d->new, new, "Kids"), 0, why,
                         sizeof(why)))
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

/* Whether the revision of the first end bytes shows what the whole file shows, as
 * struct revision_result.status; what says what changed. */
static int revision_compare(struct verify_ctx *ctx, uint64_t end, char *what, size_t what_size,
                            eseal_error *err)
{
    struct revision_diff d;
    const pdf_obj *root;
    int rc;

    memset(&d, 0, sizeof(d));
    d.new = ctx->doc;
    d.new_sig = ctx->sig_nodes;
    d.new_sig_size = ctx->sig_nodes_size;
    if ((rc = pdf_doc_open(&d.old, ctx->data, (size_t)end, err)) != ESEAL_OK)
        return rc;
    if (pdf_doc_repaired(d.new) && !pdf_doc_repaired(d.old)) {
        /* viewers rebuild damaged cross-reference data each in their own way: what they
         * show of the later revisions cannot be known */
        snprintf(what, what_size,
                 "the revisions after it are damaged (their cross-reference "
                 "data had to be rebuilt)");
        pdf_doc_free(d.old);
        return 1;
    }
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
    pdf_doc_free(d.old);
    return rc;
}

/* ------------------------------------------------------------------------------------ */
/* Finding the signatures. */

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
    f->order = f->ranged ? f->range[2] + f->range[3] : v->offset;
    f->timestamp = is_type(v, "DocTimeStamp") ||
                   pdf_name_is(get_quiet(ctx->doc, v, "SubFilter"), "ETSI.RFC3161");
    return ESEAL_OK;
}

/* Record every signature field's /V dictionary. */
static int found_visit(struct field_walk *w, uint32_t num, const pdf_obj *field, const char *name,
                       int sig, eseal_error *err)
{
    struct verify_ctx *ctx = w->ctx;
    const pdf_obj *v;
    int rc;

    if (!sig)
        return 0;
    bit_set(ctx->sig_nodes, ctx->sig_nodes_size, num);
    if ((rc = pdf_doc_dict_get(w->doc, field, "V", &v, err)) != ESEAL_OK)
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
    const pdf_obj *chain[VERIFY_PARENT_MAX], *node = widget, *v = NULL, *t;
    char name[VERIFY_NAME_MAX] = "", part[VERIFY_NAME_MAX];
    size_t n = 0, i;

    while (n < VERIFY_PARENT_MAX && node != NULL && node->type == PDF_DICT) {
        chain[n++] = node;
        if (v == NULL && (v = get_quiet(ctx->doc, node, "V")) != NULL && v->type != PDF_DICT)
            return ESEAL_OK;
        node = get_quiet(ctx->doc, node, "Parent");
    }
    if (v == NULL)
        return ESEAL_OK; /* not signed */
    for (i = n; i-- > 0;) {
        t = get_quiet(ctx->doc, chain[i], "T");
        snprintf(part, sizeof(part), "%s", name);
        field_name(name, sizeof(name), part, t);
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
                bit_get(ctx->sig_nodes, ctx->sig_nodes_size, raw->u.ref.num))
                continue; /* the form has it */
            if ((rc = pdf_doc_resolve(ctx->doc, raw, &widget, err)) != ESEAL_OK)
                return rc;
            if (!is_field_or_widget(ctx->doc, widget, 1) || !is_signature_field(ctx->doc, widget))
                continue;
            if (raw->type == PDF_REF)
                bit_set(ctx->sig_nodes, ctx->sig_nodes_size, raw->u.ref.num);
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
    if ((rc = field_walk(ctx->doc, acroform, found_visit, ctx, err)) != ESEAL_OK ||
        (rc = found_on_pages(ctx, err)) != ESEAL_OK)
        return rc;
    qsort(ctx->found, ctx->found_len, sizeof(*ctx->found), found_cmp);
    return ESEAL_OK;
}

/* ------------------------------------------------------------------------------------ */
/* Checking one signature. */

/* Whether the bytes before end close a revision: "%%EOF" and at most one end of line. */
static int revision_end(const unsigned char *data, size_t end)
{
    if (end >= 2 && data[end - 2] == '\r' && data[end - 1] == '\n')
        end -= 2;
    else if (end >= 1 && (data[end - 1] == '\n' || data[end - 1] == '\r'))
        end -= 1;
    return end >= 5 && memcmp(data + end - 5, "%%EOF", 5) == 0;
}

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
    const pdf_obj *refs = get_quiet(doc, sig, "Reference"), *ref, *params, *p;
    size_t i;

    for (i = 0; refs != NULL && refs->type == PDF_ARRAY && i < refs->u.array.len; i++) {
        ref = resolve_quiet(doc, refs->u.array.items[i]);
        if (!pdf_name_is(get_quiet(doc, ref, "TransformMethod"), "DocMDP"))
            continue;
        params = get_quiet(doc, ref, "TransformParams");
        p = get_quiet(doc, params, "P");
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
    r->status = revision_compare(ctx, end, r->what, sizeof(r->what), &e);
    if (r->status < 0)
        snprintf(r->what, sizeof(r->what), "%s", e.message);
    *nomem = r->status == ESEAL_ERR_NOMEM;
    return r;
}

/* Check signature f into out.  A negative status only when out of memory. */
static int verify_one(struct verify_ctx *ctx, const struct found_sig *f, eseal_pades_signature *out)
{
    const pdf_obj *subfilter = get_quiet(ctx->doc, f->dict, "SubFilter");
    eseal_verdict *v = &out->verdict;
    struct revision_result *rev;
    uint64_t end = f->range[2] + f->range[3];
    unsigned later_signing = 0; /* later signatures that are not document timestamps */
    size_t i;
    int nomem = 0;

    memset(out, 0, sizeof(*out));
    snprintf(out->field, sizeof(out->field), "%s", f->field);
    if (subfilter != NULL && subfilter->type == PDF_NAME)
        text_name(out->subfilter, sizeof(out->subfilter), subfilter);
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
        if (ctx->found[i].ranged && ctx->found[i].range[2] + ctx->found[i].range[3] > end) {
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
