/* pdf_sign.c - seal a PDF in place: a PAdES baseline B-B signature (ETSI EN 319 142-1, ISO
 * 32000-1 12.8) appended to the unchanged file as one incremental update.
 *
 * SECURITY: the PDF comes from a mail attachment.  It is read only through the strict reader
 * (pdf_int.h), which caps every count, depth and size.  The values this file carries over
 * into the update are ones the reader parsed, written anew by pdf_obj_write(), so no byte of
 * the input is ever copied as syntax into the update; the input itself stays unchanged in
 * front of it, so earlier revisions and their signatures stay byte-identical.  The update is
 * capped at PADES_UPDATE_MAX bytes, so every offset written fits its field.  What the update
 * rewrites is found first (pdf_plan.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/x509.h>

#include "eseal/cades.h"
#include "eseal/pades.h"
#include "error_int.h"
#include "pdf_dss_int.h"
#include "pdf_int.h"
#include "pdf_plan_int.h"
#include "pdf_stamp_int.h"
#include "seal_int.h"
#include "timestamp_int.h"
#include "utf8_int.h"

#define PADES_UPDATE_MAX ((size_t)64 * 1024 * 1024) /* bytes one seal appends, stamp included */
#define PADES_TEXT_MAX 1024       /* bytes of /Name, /Reason or /Location (UTF-8) */
#define PADES_HEADER_WINDOW 1024  /* "%PDF-" may follow this much junk, as readers accept */
#define PADES_CONTENTS_MARGIN 256 /* /Contents bytes beyond the trial CMS: ECDSA varies */
/* /Contents bytes for an RFC 3161 token (B-T): as large as an authority's token may be */
#define PADES_TIMESTAMP_ROOM (TIMESTAMP_TOKEN_MAX + 64)
#define PADES_BYTERANGE_WIDTH 40 /* "[0 a b c]" padded with spaces: three 11-digit offsets */
#define PADES_FIXED_OBJECTS 4    /* signature dictionary, field, xref stream, DSS (B-LT) */
#define PADES_HEX_CHUNK 64       /* zeros appended at a time for the /Contents placeholder */

/* One object the update writes, for its cross-reference entry. */
struct pades_written {
    uint32_t num;
    uint16_t gen;
    size_t offset;
};

/* One sealing: what the update says, and the file as it is being written. */
struct pades_ctx {
    pdf_doc *doc;
    const eseal_seal *seal;
    struct pades_plan plan;
    pdf_stamp *stamp; /* NULL: an invisible seal */
    const char *name, *reason, *location;
    char date[32];  /* /M */
    uint32_t first; /* the signature dictionary; then the field, then its appearance */
    uint32_t appearance_count;
    struct pades_written *written;
    size_t written_count, written_cap;
    const unsigned char *pdf; /* the input, which the update follows */
    size_t pdf_len;
    eseal_buf b;            /* the update: at offset pdf_len of the sealed document */
    size_t byterange_at;    /* the '[' of the /ByteRange placeholder (document offsets) */
    size_t contents_at;     /* the '<' of /Contents */
    size_t contents_end;    /* just past its '>' */
    const eseal_tsa *tsa;   /* B-T: the timestamp authority */
    const eseal_trust *ltv; /* B-LT: where the validation data comes from */
    int timestamped;
    uint32_t dss_num;   /* B-LT: the DSS, referred to by the signed catalog, written after */
    uint32_t xref_num;  /* the xref stream of the update being written */
    uint64_t prev_xref; /* the xref section the update's one follows */
    size_t xref_at;     /* the update's own xref section (document offset) */
    unsigned char *cms; /* the seal, kept for the DSS */
    size_t cms_len;
};

/* The offset in the sealed document of the next byte written to the update. */
static size_t pades_at(const struct pades_ctx *ctx)
{
    return ctx->pdf_len + ctx->b.len;
}

int eseal_pades_is_pdf(const unsigned char *data, size_t len)
{
    size_t window = len < PADES_HEADER_WINDOW ? len : PADES_HEADER_WINDOW;
    size_t i;

    for (i = 0; i + 5 <= window; i++)
        if (memcmp(data + i, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

/* The reader's format and cap failures mean that this document cannot be sealed in place,
 * which its caller handles with a detached signature: turn them into ESEAL_ERR_UNSUPPORTED
 * and keep the reader's message, which says where. */
static int pades_unsupported(eseal_error *err, int rc)
{
    if (rc != ESEAL_ERR_FORMAT && rc != ESEAL_ERR_LIMIT)
        return rc;
    if (err != NULL)
        err->code = ESEAL_ERR_UNSUPPORTED;
    return ESEAL_ERR_UNSUPPORTED;
}

/* The generation an object is rewritten with: its xref entry's (0 inside object streams). */
static uint16_t pades_gen(const pdf_doc *doc, uint32_t num)
{
    pdf_entry entry;

    pdf_doc_entry(doc, num, &entry);
    return entry.type == PDF_ENTRY_OFFSET ? entry.gen : 0;
}

/* --- writing ------------------------------------------------------------------------- */

/* Start object num: remember its offset for the xref. */
static void pades_begin(struct pades_ctx *ctx, uint32_t num, uint16_t gen)
{
    struct pades_written *w = &ctx->written[ctx->written_count++];

    w->num = num;
    w->gen = gen;
    w->offset = pades_at(ctx);
    eseal_buf_printf(&ctx->b, "%u %u obj\n", (unsigned)num, (unsigned)gen);
}

static void pades_end(struct pades_ctx *ctx)
{
    eseal_buf_puts(&ctx->b, "\nendobj\n");
}

/* Copy a value the reader parsed; a stream inside a dictionary or array cannot be. */
static int pades_copy(struct pades_ctx *ctx, const pdf_obj *o, eseal_error *err)
{
    if (pdf_obj_write(&ctx->b, o) == ESEAL_OK)
        return ESEAL_OK;
    if (ctx->b.failed)
        return eseal_buf_status(&ctx->b, "sealed PDF", err);
    return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED,
                           "PDF value (a %s) cannot be copied into the update",
                           o->type == PDF_STREAM ? "stream inside a dictionary or array"
                                                 : "value too deep or too large");
}

/* Write "/key " with the name escaped as the reader's writer does. */
static int pades_key(struct pades_ctx *ctx, const char *key, eseal_error *err)
{
    pdf_obj name;
    int rc;

    memset(&name, 0, sizeof(name));
    name.type = PDF_NAME;
    name.offset = SIZE_MAX;
    name.end = SIZE_MAX;
    name.u.str.data = (unsigned char *)(uintptr_t)key;
    name.u.str.len = strlen(key);
    eseal_buf_puts(&ctx->b, "\n");
    rc = pades_copy(ctx, &name, err);
    eseal_buf_puts(&ctx->b, " ");
    return rc;
}

/* Copy every entry of dict but the one under skip and those under skip2 (may be NULL). */
static int pades_copy_entries(struct pades_ctx *ctx, const pdf_obj *dict, const char *skip,
                              const char *skip2, eseal_error *err)
{
    size_t i;
    int rc = ESEAL_OK;

    for (i = 0; i < dict->u.dict.len && rc == ESEAL_OK; i++) {
        if (strcmp(dict->u.dict.keys[i], skip) == 0 ||
            (skip2 != NULL && strcmp(dict->u.dict.keys[i], skip2) == 0))
            continue;
        rc = pades_key(ctx, dict->u.dict.keys[i], err);
        if (rc == ESEAL_OK)
            rc = pades_copy(ctx, dict->u.dict.values[i], err);
    }
    return rc;
}

/* Write array (NULL: none) with a reference to the new field added at its end. */
static int pades_extended_array(struct pades_ctx *ctx, const pdf_obj *array, eseal_error *err)
{
    size_t i, n = array != NULL ? array->u.array.len : 0;
    int rc = ESEAL_OK;

    eseal_buf_puts(&ctx->b, "[");
    for (i = 0; i < n && rc == ESEAL_OK; i++) {
        rc = pades_copy(ctx, array->u.array.items[i], err);
        eseal_buf_puts(&ctx->b, " ");
    }
    eseal_buf_printf(&ctx->b, "%u 0 R]", (unsigned)(ctx->first + 1));
    return rc;
}

/* Write a text string: literal when printable ASCII, else UTF-16BE with its byte order mark
 * (ISO 32000-1 7.9.2.2). s is valid UTF-8, checked by the caller. */
static void pades_text(eseal_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i, n;
    unsigned long cp;
    int ascii = 1;

    for (i = 0; i < len; i++)
        if (p[i] < 0x20 || p[i] > 0x7e)
            ascii = 0;
    if (ascii) {
        eseal_buf_puts(b, "(");
        for (i = 0; i < len; i++) {
            if (p[i] == '(' || p[i] == ')' || p[i] == '\\')
                eseal_buf_puts(b, "\\");
            eseal_buf_append(b, p + i, 1);
        }
        eseal_buf_puts(b, ")");
        return;
    }
    eseal_buf_puts(b, "<FEFF");
    for (i = 0; i < len; i += n) {
        n = eseal_utf8_char_len(p + i, len - i);
        if (n == 1)
            cp = p[i];
        else if (n == 2)
            cp = (p[i] & 0x1fUL) << 6 | (p[i + 1] & 0x3fUL);
        else if (n == 3)
            cp = (p[i] & 0x0fUL) << 12 | (p[i + 1] & 0x3fUL) << 6 | (p[i + 2] & 0x3fUL);
        else
            cp = (p[i] & 0x07UL) << 18 | (p[i + 1] & 0x3fUL) << 12 | (p[i + 2] & 0x3fUL) << 6 |
                 (p[i + 3] & 0x3fUL);
        if (cp >= 0x10000)
            eseal_buf_printf(b, "%04lX%04lX", 0xd800 + ((cp - 0x10000) >> 10),
                             0xdc00 + ((cp - 0x10000) & 0x3ff));
        else
            eseal_buf_printf(b, "%04lX", cp);
    }
    eseal_buf_puts(b, ">");
}

/* The signature dictionary, with placeholders for /ByteRange and for reserve bytes of
 * /Contents (zeros: unused bytes stay zero after the DER, as verifiers expect). */
static void pades_write_sig(struct pades_ctx *ctx, size_t reserve)
{
    static const char zeros[PADES_HEX_CHUNK + 1] =
        "0000000000000000000000000000000000000000000000000000000000000000";
    eseal_buf *b = &ctx->b;
    size_t left;

    pades_begin(ctx, ctx->first, 0);
    eseal_buf_puts(b, "<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached"
                      "\n/ByteRange ");
    ctx->byterange_at = pades_at(ctx);
    eseal_buf_printf(b, "%-*s", PADES_BYTERANGE_WIDTH, "[0 0 0 0]");
    eseal_buf_puts(b, "\n/Contents ");
    ctx->contents_at = pades_at(ctx);
    eseal_buf_puts(b, "<");
    for (left = 2 * reserve; left > 0; left -= left < PADES_HEX_CHUNK ? left : PADES_HEX_CHUNK)
        eseal_buf_append(b, zeros, left < PADES_HEX_CHUNK ? left : PADES_HEX_CHUNK);
    eseal_buf_puts(b, ">");
    ctx->contents_end = pades_at(ctx);
    eseal_buf_printf(b, "\n/M (%s)\n/Name ", ctx->date);
    pades_text(b, ctx->name);
    if (ctx->reason != NULL) {
        eseal_buf_puts(b, "\n/Reason ");
        pades_text(b, ctx->reason);
    }
    if (ctx->location != NULL) {
        eseal_buf_puts(b, "\n/Location ");
        pades_text(b, ctx->location);
    }
    eseal_buf_puts(b, "\n>>");
    pades_end(ctx);
}

/* The signature field merged with its widget annotation (ISO 32000-1 12.7.4.5, 12.5.6.19):
 * printed and locked, on the chosen page, looking like its appearance stream. */
static void pades_write_field(struct pades_ctx *ctx)
{
    const struct pades_plan *plan = &ctx->plan;
    eseal_buf *b = &ctx->b;

    pades_begin(ctx, ctx->first + 1, 0);
    eseal_buf_printf(b,
                     "<<\n/FT /Sig\n/T (ESeal%u)\n/V %u 0 R\n/Type /Annot\n/Subtype /Widget"
                     "\n/F 132\n/Rect [%.2f %.2f %.2f %.2f]\n/P %u %u R\n/AP << /N %u 0 R >>\n>>",
                     plan->field_index, (unsigned)ctx->first, plan->rect[0], plan->rect[1],
                     plan->rect[2], plan->rect[3], (unsigned)plan->page_num,
                     (unsigned)pades_gen(ctx->doc, plan->page_num), (unsigned)(ctx->first + 2));
    pades_end(ctx);
}

/* The widget's appearance: the stamp's objects, or for an invisible seal an empty form. */
static int pades_write_appearance(struct pades_ctx *ctx, eseal_error *err)
{
    uint64_t *offsets;
    uint32_t i;
    int rc;

    if (ctx->stamp == NULL) {
        pades_begin(ctx, ctx->first + 2, 0);
        eseal_buf_puts(&ctx->b, "<< /Type /XObject /Subtype /Form /BBox [0 0 0 0] /Length 0 >>"
                                "\nstream\n\nendstream");
        pades_end(ctx);
        return ESEAL_OK;
    }
    offsets = calloc(ctx->appearance_count, sizeof(*offsets));
    if (offsets == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    rc = pdf_stamp_write(ctx->stamp, ctx->first + 2, ctx->plan.rotate, &ctx->b, offsets);
    if (rc == ESEAL_OK) {
        for (i = 0; i < ctx->appearance_count; i++) {
            ctx->written[ctx->written_count].num = ctx->first + 2 + i;
            ctx->written[ctx->written_count].gen = 0;
            ctx->written[ctx->written_count].offset =
                ctx->pdf_len + (size_t)offsets[i]; /* b starts there */
            ctx->written_count++;
        }
    } else if (ctx->b.failed) {
        rc = eseal_buf_status(&ctx->b, "sealed PDF", err);
    } else {
        rc = eseal_error_set(err, rc, "cannot write the stamp");
    }
    free(offsets);
    return rc;
}

/* The page with the widget added to its /Annots, or the /Annots array when it is an object
 * of its own. */
static int pades_write_page(struct pades_ctx *ctx, eseal_error *err)
{
    const struct pades_plan *plan = &ctx->plan;
    int rc;

    if (plan->annots_num != 0) {
        pades_begin(ctx, plan->annots_num, pades_gen(ctx->doc, plan->annots_num));
        rc = pades_extended_array(ctx, plan->annots, err);
        pades_end(ctx);
        return rc;
    }
    pades_begin(ctx, plan->page_num, pades_gen(ctx->doc, plan->page_num));
    eseal_buf_puts(&ctx->b, "<<");
    rc = pades_copy_entries(ctx, plan->page, "Annots", NULL, err);
    if (rc == ESEAL_OK)
        rc = pades_key(ctx, "Annots", err);
    if (rc == ESEAL_OK)
        rc = pades_extended_array(ctx, plan->annots, err);
    eseal_buf_puts(&ctx->b, "\n>>");
    pades_end(ctx);
    return rc;
}

/* The interactive form dictionary, kept but for /Fields (extended, or kept as a reference
 * when the array is an object of its own) and /SigFlags (SignaturesExist | AppendOnly). */
static int pades_form(struct pades_ctx *ctx, eseal_error *err)
{
    const struct pades_plan *plan = &ctx->plan;
    const pdf_obj *flags = NULL;
    int64_t sigflags = 0;
    int rc = ESEAL_OK;

    eseal_buf_puts(&ctx->b, "<<");
    if (plan->acroform != NULL) {
        rc = pades_copy_entries(ctx, plan->acroform, "Fields", "SigFlags", err);
        if (rc == ESEAL_OK)
            rc = pdf_doc_dict_get(ctx->doc, plan->acroform, "SigFlags", &flags, err);
        if (rc == ESEAL_OK && flags != NULL && flags->type == PDF_INT && flags->u.integer > 0 &&
            flags->u.integer <= INT32_MAX)
            sigflags = flags->u.integer;
    }
    if (rc == ESEAL_OK)
        rc = pades_key(ctx, "Fields", err);
    if (rc == ESEAL_OK && plan->fields_num != 0)
        eseal_buf_printf(&ctx->b, "%u %u R", (unsigned)plan->fields_num,
                         (unsigned)pades_gen(ctx->doc, plan->fields_num));
    else if (rc == ESEAL_OK)
        rc = pades_extended_array(ctx, plan->fields, err);
    eseal_buf_printf(&ctx->b, "\n/SigFlags %lld\n>>", (long long)(sigflags | 3));
    return rc;
}

/* The catalog with the form in it, or the form (and its /Fields) where they are objects. */
static int pades_write_catalog(struct pades_ctx *ctx, eseal_error *err)
{
    const struct pades_plan *plan = &ctx->plan;
    int rc = ESEAL_OK;

    if (plan->acroform_num != 0) {
        pades_begin(ctx, plan->acroform_num, pades_gen(ctx->doc, plan->acroform_num));
        rc = pades_form(ctx, err);
        pades_end(ctx);
    }
    if (rc == ESEAL_OK && (plan->acroform_num == 0 || ctx->dss_num != 0)) {
        /* B-LT: the catalog names the DSS that the update after the seal defines */
        pades_begin(ctx, plan->catalog_num, pades_gen(ctx->doc, plan->catalog_num));
        eseal_buf_puts(&ctx->b, "<<");
        rc = pades_copy_entries(ctx, plan->catalog, plan->acroform_num ? "" : "AcroForm",
                                ctx->dss_num ? "DSS" : NULL, err);
        if (rc == ESEAL_OK && plan->acroform_num == 0)
            rc = pades_key(ctx, "AcroForm", err);
        if (rc == ESEAL_OK && plan->acroform_num == 0)
            rc = pades_form(ctx, err);
        if (rc == ESEAL_OK && ctx->dss_num != 0)
            eseal_buf_printf(&ctx->b, "\n/DSS %u 0 R", (unsigned)ctx->dss_num);
        eseal_buf_puts(&ctx->b, "\n>>");
        pades_end(ctx);
    }
    if (rc != ESEAL_OK || plan->fields_num == 0 || plan->fields_num == plan->annots_num)
        return rc; /* one array that is both /Annots and /Fields was written with the page */
    pades_begin(ctx, plan->fields_num, pades_gen(ctx->doc, plan->fields_num));
    rc = pades_extended_array(ctx, plan->fields, err);
    pades_end(ctx);
    return rc;
}

static int pades_written_cmp(const void *a, const void *b)
{
    const struct pades_written *x = a, *y = b;

    return x->num < y->num ? -1 : x->num > y->num;
}

/* Copy the trailer keys a new xref section repeats (ISO 32000-1 7.5.6): /Root, /Info, /ID. */
static int pades_trailer_keys(struct pades_ctx *ctx, eseal_error *err)
{
    static const char *const keys[] = {"Root", "Info", "ID"};
    const pdf_obj *value;
    size_t i;
    int rc = ESEAL_OK;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && rc == ESEAL_OK; i++) {
        value = pdf_dict_get(ctx->plan.trailer, keys[i]);
        if (value == NULL)
            continue;
        rc = pades_key(ctx, keys[i], err);
        if (rc == ESEAL_OK)
            rc = pades_copy(ctx, value, err);
    }
    return rc;
}

/* One more than the highest object number in the file after the update. */
static uint32_t pades_size(const struct pades_ctx *ctx)
{
    uint32_t size = pdf_doc_size(ctx->doc);

    if (ctx->dss_num >= size)
        size = ctx->dss_num + 1;
    return ctx->written[ctx->written_count - 1].num >= size
               ? ctx->written[ctx->written_count - 1].num + 1
               : size;
}

/* The number of consecutive object numbers written from entry i on. */
static size_t pades_run(const struct pades_ctx *ctx, size_t i)
{
    size_t n = 1;

    while (i + n < ctx->written_count && ctx->written[i + n].num == ctx->written[i + n - 1].num + 1)
        n++;
    return n;
}

/* A classic xref section with one subsection per run of written objects, and its trailer
 * (ISO 32000-1 7.5.4, 7.5.5). */
static int pades_write_xref_table(struct pades_ctx *ctx, eseal_error *err)
{
    size_t xref = pades_at(ctx), i, j, n;
    int rc;

    qsort(ctx->written, ctx->written_count, sizeof(*ctx->written), pades_written_cmp);
    eseal_buf_puts(&ctx->b, "xref\n");
    for (i = 0; i < ctx->written_count; i += n) {
        n = pades_run(ctx, i);
        eseal_buf_printf(&ctx->b, "%u %zu\n", (unsigned)ctx->written[i].num, n);
        for (j = i; j < i + n; j++)
            eseal_buf_printf(&ctx->b, "%010zu %05u n\r\n", ctx->written[j].offset,
                             (unsigned)ctx->written[j].gen);
    }
    eseal_buf_printf(&ctx->b, "trailer\n<<\n/Size %u", (unsigned)pades_size(ctx));
    rc = pades_trailer_keys(ctx, err);
    eseal_buf_printf(&ctx->b, "\n/Prev %llu\n>>\nstartxref\n%zu\n",
                     (unsigned long long)ctx->prev_xref, xref);
    ctx->xref_at = xref;
    eseal_buf_puts(&ctx->b, "%%EOF\n");
    return rc;
}

/* An xref stream (ISO 32000-1 7.5.8) with an entry for every written object and itself,
 * unfiltered: /W [1 w 2] with w wide enough for the largest offset. */
static int pades_write_xref_stream(struct pades_ctx *ctx, eseal_error *err)
{
    size_t xref = pades_at(ctx), i, n, width = 4;
    unsigned char row[1 + 8 + 2];
    int rc;

    while (width < 8 && (uint64_t)xref >> (8 * width) != 0)
        width++;
    pades_begin(ctx, ctx->xref_num, 0);
    qsort(ctx->written, ctx->written_count, sizeof(*ctx->written), pades_written_cmp);
    eseal_buf_printf(&ctx->b, "<<\n/Type /XRef\n/Size %u\n/W [1 %zu 2]\n/Index [",
                     (unsigned)pades_size(ctx), width);
    for (i = 0; i < ctx->written_count; i += n) {
        n = pades_run(ctx, i);
        eseal_buf_printf(&ctx->b, "%s%u %zu", i == 0 ? "" : " ", (unsigned)ctx->written[i].num, n);
    }
    eseal_buf_printf(&ctx->b, "]\n/Prev %llu", (unsigned long long)ctx->prev_xref);
    rc = pades_trailer_keys(ctx, err);
    eseal_buf_printf(&ctx->b, "\n/Length %zu\n>>\nstream\n", ctx->written_count * (1 + width + 2));
    for (i = 0; i < ctx->written_count; i++) {
        row[0] = 1;
        for (n = 0; n < width; n++)
            row[1 + n] = (unsigned char)((uint64_t)ctx->written[i].offset >> (8 * (width - 1 - n)));
        row[1 + width] = (unsigned char)(ctx->written[i].gen >> 8);
        row[2 + width] = (unsigned char)ctx->written[i].gen;
        eseal_buf_append(&ctx->b, row, 1 + width + 2);
    }
    eseal_buf_printf(&ctx->b, "\nendstream\nendobj\nstartxref\n%zu\n", xref);
    eseal_buf_puts(&ctx->b, "%%EOF\n");
    ctx->xref_at = xref;
    return rc;
}

/* Write the whole update after the input with reserve bytes for the CMS. */
static int pades_write_update(struct pades_ctx *ctx, size_t reserve, eseal_error *err)
{
    int rc;

    pades_write_sig(ctx, reserve);
    pades_write_field(ctx);
    rc = pades_write_appearance(ctx, err);
    if (rc == ESEAL_OK)
        rc = pades_write_page(ctx, err);
    if (rc == ESEAL_OK)
        rc = pades_write_catalog(ctx, err);
    if (rc == ESEAL_OK)
        rc = pdf_doc_xref_is_stream(ctx->doc) ? pades_write_xref_stream(ctx, err)
                                              : pades_write_xref_table(ctx, err);
    if (rc == ESEAL_OK)
        rc = eseal_buf_status(&ctx->b, "sealed PDF", err);
    return rc;
}

/* Write the streams of one kind of validation data from object number *num on. */
static void pades_write_dss_streams(struct pades_ctx *ctx, const pdf_dss_list *list, uint32_t *num)
{
    size_t i;

    for (i = 0; i < list->count; i++) {
        pades_begin(ctx, (*num)++, 0);
        eseal_buf_printf(&ctx->b, "<<\n/Length %zu\n>>\nstream\n", list->len[i]);
        eseal_buf_append(&ctx->b, list->der[i], list->len[i]);
        eseal_buf_puts(&ctx->b, "\nendstream");
        pades_end(ctx);
    }
}

/* One array of the DSS: the entries an earlier DSS had under key, then count new streams
 * from object number first on. */
static int pades_write_dss_array(struct pades_ctx *ctx, const pdf_obj *old_dss, const char *key,
                                 uint32_t first, size_t count, eseal_error *err)
{
    const pdf_obj *old = NULL;
    size_t i;
    int rc = ESEAL_OK;

    if (old_dss != NULL && (rc = pdf_doc_dict_get(ctx->doc, old_dss, key, &old, err)) != ESEAL_OK)
        return pades_unsupported(err, rc);
    if (count == 0 && (old == NULL || old->type != PDF_ARRAY))
        return ESEAL_OK;
    rc = pades_key(ctx, key, err);
    eseal_buf_puts(&ctx->b, "[");
    for (i = 0; rc == ESEAL_OK && old != NULL && old->type == PDF_ARRAY && i < old->u.array.len;
         i++) {
        eseal_buf_puts(&ctx->b, i ? " " : "");
        rc = pades_copy(ctx, old->u.array.items[i], err);
    }
    for (i = 0; i < count; i++)
        eseal_buf_printf(&ctx->b, " %u 0 R", (unsigned)(first + i));
    eseal_buf_puts(&ctx->b, "]");
    return rc;
}

/* PAdES B-LT (ETSI EN 319 142-1 5.4): after the seal, an update that defines the DSS the
 * signed catalog names, with the seal's certificates, CRLs and OCSP response (and those of an
 * earlier DSS, which it replaces). */
static int pades_write_dss(struct pades_ctx *ctx, eseal_error *err)
{
    const pdf_obj *old_dss = NULL;
    pdf_dss dss;
    uint32_t num = pades_size(ctx), certs, crls, ocsps;
    size_t objects;
    int rc = pdf_dss_collect(ctx->cms, ctx->cms_len, ctx->ltv, &dss, err);

    if (rc != ESEAL_OK)
        return rc;
    objects = dss.certs.count + dss.crls.count + dss.ocsps.count + 2;
    free(ctx->written);
    ctx->written_count = 0;
    ctx->written = calloc(objects, sizeof(*ctx->written));
    if (ctx->written == NULL) {
        pdf_dss_free(&dss);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    ctx->written_cap = objects;
    ctx->prev_xref = ctx->xref_at;
    certs = num;
    pades_write_dss_streams(ctx, &dss.certs, &num);
    crls = num;
    pades_write_dss_streams(ctx, &dss.crls, &num);
    ocsps = num;
    pades_write_dss_streams(ctx, &dss.ocsps, &num);
    ctx->xref_num = num;
    rc = pdf_doc_dict_get(ctx->doc, ctx->plan.catalog, "DSS", &old_dss, err);
    if (rc != ESEAL_OK)
        rc = pades_unsupported(err, rc);
    if (old_dss != NULL && old_dss->type != PDF_DICT)
        old_dss = NULL;
    pades_begin(ctx, ctx->dss_num, 0);
    eseal_buf_puts(&ctx->b, "<<\n/Type /DSS");
    if (rc == ESEAL_OK)
        rc = pades_write_dss_array(ctx, old_dss, "Certs", certs, dss.certs.count, err);
    if (rc == ESEAL_OK)
        rc = pades_write_dss_array(ctx, old_dss, "CRLs", crls, dss.crls.count, err);
    if (rc == ESEAL_OK)
        rc = pades_write_dss_array(ctx, old_dss, "OCSPs", ocsps, dss.ocsps.count, err);
    eseal_buf_puts(&ctx->b, "\n>>");
    pades_end(ctx);
    pdf_dss_free(&dss);
    if (rc == ESEAL_OK)
        rc = pdf_doc_xref_is_stream(ctx->doc) ? pades_write_xref_stream(ctx, err)
                                              : pades_write_xref_table(ctx, err);
    return rc == ESEAL_OK ? eseal_buf_status(&ctx->b, "sealed PDF", err) : rc;
}

/* Fill in /ByteRange, sign the two ranges around /Contents (the input and the update up to
 * it, then the rest of the update) and put the CMS in it. */
static int pades_sign_ranges(struct pades_ctx *ctx, size_t reserve, eseal_error *err)
{
    static const char hex[] = "0123456789abcdef";
    eseal_buf *b = &ctx->b;
    char range[PADES_BYTERANGE_WIDTH + 1];
    size_t after = pades_at(ctx) - ctx->contents_end, i;
    unsigned char *contents = b->data + (ctx->contents_at - ctx->pdf_len);
    eseal_cades_signer *signer;
    unsigned char *der = NULL;
    size_t der_len = 0;
    int n, rc;

    n = snprintf(range, sizeof(range), "[0 %zu %zu %zu]", ctx->contents_at, ctx->contents_end,
                 after);
    if (n < 0 || n > PADES_BYTERANGE_WIDTH)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "sealed PDF too large for /ByteRange");
    memset(range + n, ' ', (size_t)(PADES_BYTERANGE_WIDTH - n));
    memcpy(b->data + (ctx->byterange_at - ctx->pdf_len), range, PADES_BYTERANGE_WIDTH);
    rc = eseal_cades_signer_new(&signer, ctx->seal, err);
    if (rc != ESEAL_OK)
        return rc;
    eseal_cades_signer_omit_time(signer);
    if (ctx->tsa != NULL)
        eseal_cades_signer_set_tsa(signer, ctx->tsa);
    rc = eseal_cades_signer_update(signer, ctx->pdf, ctx->pdf_len, err);
    if (rc == ESEAL_OK)
        rc = eseal_cades_signer_update(signer, b->data, ctx->contents_at - ctx->pdf_len, err);
    if (rc == ESEAL_OK)
        rc = eseal_cades_signer_update(signer, b->data + (ctx->contents_end - ctx->pdf_len), after,
                                       err);
    if (rc == ESEAL_OK)
        rc = eseal_cades_signer_finish(signer, &der, &der_len, err);
    ctx->timestamped = eseal_cades_signer_timestamped(signer);
    eseal_cades_signer_free(signer);
    if (rc == ESEAL_OK && der_len > reserve)
        rc = eseal_error_set(err, ESEAL_ERR_CRYPTO,
                             "signature of %zu bytes exceeds the %zu bytes reserved for it",
                             der_len, reserve);
    for (i = 0; rc == ESEAL_OK && i < der_len; i++) {
        contents[1 + 2 * i] = (unsigned char)hex[der[i] >> 4];
        contents[2 + 2 * i] = (unsigned char)hex[der[i] & 0xf];
    }
    ctx->cms = der;
    ctx->cms_len = der_len;
    return rc;
}

/* The seal holder's name for /Name and the stamp: the seal certificate's common name, or its
 * whole subject when it has none. */
static void pades_holder(const eseal_seal *seal, char *buf, size_t size)
{
    X509_NAME *subject = X509_get_subject_name(eseal_seal_cert(seal));
    int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    unsigned char *utf8 = NULL;
    int n = -1;

    if (i >= 0)
        n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i)));
    if (n > 0 && (size_t)n < size && memchr(utf8, '\0', (size_t)n) == NULL &&
        eseal_utf8_valid((const char *)utf8, (size_t)n)) {
        memcpy(buf, utf8, (size_t)n);
        buf[n] = '\0';
    } else {
        snprintf(buf, size, "%s", eseal_seal_subject(seal));
    }
    OPENSSL_free(utf8);
}

/* Check a text option: UTF-8 of at most PADES_TEXT_MAX bytes. */
static int pades_check_text(const char *what, const char *s, eseal_error *err)
{
    size_t len;

    if (s == NULL)
        return ESEAL_OK;
    len = strlen(s);
    if (len > PADES_TEXT_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PAdES %s longer than %d bytes", what,
                               PADES_TEXT_MAX);
    if (!eseal_utf8_valid(s, len))
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PAdES %s is not UTF-8", what);
    return ESEAL_OK;
}

int eseal_pades_options_check(const eseal_pades_options *options, eseal_error *err)
{
    pdf_stamp *stamp = NULL;
    int rc = pades_check_text("name", options->name, err);

    if (rc == ESEAL_OK)
        rc = pades_check_text("reason", options->reason, err);
    if (rc == ESEAL_OK)
        rc = pades_check_text("location", options->location, err);
    if (rc == ESEAL_OK && options->stamp_png != NULL) {
        if (options->stamp_png_len > ESEAL_PADES_STAMP_MAX)
            return eseal_error_set(err, ESEAL_ERR_LIMIT, "stamp image larger than %zu bytes",
                                   ESEAL_PADES_STAMP_MAX);
        rc = pdf_stamp_new(&stamp, options->stamp_png, options->stamp_png_len, "", 0, err);
        pdf_stamp_free(stamp);
    }
    return rc;
}

/* Read the document and decide what the update writes. */
static int pades_prepare(struct pades_ctx *ctx, const eseal_pades_options *options,
                         const unsigned char *pdf, size_t len, time_t when, eseal_error *err)
{
    uint32_t needed;
    int rc;

    rc = pdf_doc_open(&ctx->doc, pdf, len, err);
    if (rc != ESEAL_OK)
        return pades_unsupported(err, rc);
    if (pdf_doc_encrypted(ctx->doc))
        return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED, "PDF is encrypted");
    if (pdf_doc_repaired(ctx->doc))
        return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED,
                               "PDF cross-reference data is broken (an update over it would "
                               "not be read reliably)");
    rc = pdf_plan_find(ctx->doc, options->stamp_page, &ctx->plan, err);
    if (rc != ESEAL_OK)
        return pades_unsupported(err, rc);
    ctx->appearance_count = 1;
    if (options->stamp_png != NULL) {
        if (options->stamp_png_len > ESEAL_PADES_STAMP_MAX)
            return eseal_error_set(err, ESEAL_ERR_LIMIT, "stamp image larger than %zu bytes",
                                   ESEAL_PADES_STAMP_MAX);
        rc = pdf_stamp_new(&ctx->stamp, options->stamp_png, options->stamp_png_len, ctx->name, when,
                           err);
        if (rc != ESEAL_OK)
            return rc;
        ctx->appearance_count = pdf_stamp_object_count(ctx->stamp);
        rc = pdf_stamp_place(ctx->stamp, ctx->doc, ctx->plan.page, options->stamp_corner,
                             ctx->plan.rect, &ctx->plan.rotate, err);
        if (rc != ESEAL_OK)
            return pades_unsupported(err, rc);
    }
    ctx->first = pdf_doc_size(ctx->doc);
    needed = PADES_FIXED_OBJECTS + ctx->appearance_count;
    ctx->xref_num = ctx->first + 2 + ctx->appearance_count;
    ctx->prev_xref = pdf_doc_startxref(ctx->doc);
    if (options->ltv != NULL)
        ctx->dss_num = ctx->xref_num++;
    if (ctx->first > PDF_OBJECTS_MAX || PDF_OBJECTS_MAX - ctx->first < needed)
        return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED,
                               "PDF has too many objects to add a seal (%u)", (unsigned)ctx->first);
    ctx->written_cap = needed + PADES_REWRITTEN_MAX;
    ctx->written = calloc(ctx->written_cap, sizeof(*ctx->written));
    if (ctx->written == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    return ESEAL_OK;
}

int eseal_pades_sign_update(const eseal_seal *seal, const eseal_pades_options *options,
                            const unsigned char *pdf, size_t len, unsigned char **out,
                            size_t *out_len, eseal_error *err)
{
    static const eseal_pades_options defaults;
    struct pades_ctx ctx;
    char holder[PADES_TEXT_MAX + 1];
    time_t when;
    struct tm tm;
    size_t reserve;
    int rc;

    *out = NULL;
    *out_len = 0;
    if (options == NULL)
        options = &defaults;
    if (!eseal_pades_is_pdf(pdf, len))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "not a PDF: no %%PDF- header in the first %d bytes",
                               PADES_HEADER_WINDOW);
    if (len > ESEAL_PADES_DOCUMENT_MAX)
        return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED,
                               "PDF larger than %zu bytes is not sealed in place",
                               ESEAL_PADES_DOCUMENT_MAX);
    rc = pades_check_text("name", options->name, err);
    if (rc == ESEAL_OK)
        rc = pades_check_text("reason", options->reason, err);
    if (rc == ESEAL_OK)
        rc = pades_check_text("location", options->location, err);
    if (rc != ESEAL_OK)
        return rc;
    when = options->when != 0 ? options->when : time(NULL);
    if (gmtime_r(&when, &tm) == NULL || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 1970)
        return eseal_error_set(err, ESEAL_ERR_GENERIC, "sealing time out of range");

    memset(&ctx, 0, sizeof(ctx));
    ctx.seal = seal;
    ctx.tsa = options->tsa;
    ctx.ltv = options->ltv;
    ctx.reason = options->reason;
    ctx.location = options->location;
    if (options->name != NULL) {
        ctx.name = options->name;
    } else {
        pades_holder(seal, holder, sizeof(holder));
        ctx.name = holder;
    }
    strftime(ctx.date, sizeof(ctx.date), "D:%Y%m%d%H%M%S+00'00'", &tm);
    ctx.pdf = pdf;
    ctx.pdf_len = len;
    eseal_buf_init(&ctx.b, PADES_UPDATE_MAX);

    rc = pades_prepare(&ctx, options, pdf, len, when, err);
    if (rc == ESEAL_OK)
        rc = cades_signed_size(seal, &reserve, err);
    if (rc == ESEAL_OK) {
        reserve += PADES_CONTENTS_MARGIN + (ctx.tsa != NULL ? PADES_TIMESTAMP_ROOM : 0);
        if (len == 0 || (pdf[len - 1] != '\n' && pdf[len - 1] != '\r'))
            eseal_buf_puts(&ctx.b, "\n");
        rc = pades_write_update(&ctx, reserve, err);
    }
    if (rc == ESEAL_OK)
        rc = pades_sign_ranges(&ctx, reserve, err);
    if (rc == ESEAL_OK && ctx.ltv != NULL)
        rc = pades_write_dss(&ctx, err);
    if (rc == ESEAL_OK && options->timestamped != NULL)
        *options->timestamped = ctx.timestamped;
    if (rc == ESEAL_OK)
        *out = eseal_buf_steal(&ctx.b, out_len);
    free(ctx.cms);
    eseal_buf_free(&ctx.b);
    free(ctx.written);
    pdf_stamp_free(ctx.stamp);
    pdf_doc_free(ctx.doc);
    return rc;
}

int eseal_pades_sign(const eseal_seal *seal, const eseal_pades_options *options,
                     const unsigned char *pdf, size_t len, unsigned char **out, size_t *out_len,
                     eseal_error *err)
{
    unsigned char *update = NULL, *sealed;
    size_t update_len = 0;
    int rc = eseal_pades_sign_update(seal, options, pdf, len, &update, &update_len, err);

    *out = NULL;
    *out_len = 0;
    if (rc != ESEAL_OK)
        return rc;
    sealed = malloc(len + update_len);
    if (sealed == NULL) {
        free(update);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    memcpy(sealed, pdf, len);
    memcpy(sealed + len, update, update_len);
    free(update);
    *out = sealed;
    *out_len = len + update_len;
    return ESEAL_OK;
}
