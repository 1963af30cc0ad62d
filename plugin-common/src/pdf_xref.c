/* pdf_xref.c - the cross-reference data of a PDF: the chain of xref tables and xref streams
 * from the last startxref through /Prev and /XRefStm, newest first (ISO 32000-1 7.5.4,
 * 7.5.8), and the scan that rebuilds it from "N G obj" when it is missing or broken.
 *
 * SECURITY: the file comes from a mail attachment.  Every offset is checked against the
 * length before it is read; each section's offset is remembered, so a /Prev or /XRefStm
 * loop is refused, and there are at most PDF_SECTIONS_MAX sections.  Object numbers are
 * capped at PDF_OBJECTS_MAX; entries are stored as they are read, in pages made on demand,
 * so a subsection or /Size that claims millions of objects costs nothing until the bytes for
 * them are there.  Each offset the chain gives is checked to hold "N G obj" of its number (a
 * reader that trusted a wrong offset would see another object there): an object at a wrong
 * offset reads as null, and when most offsets are wrong (junk before the header) or the
 * trailer's /Root is no catalog, the whole file is scanned instead.  The scan counts its
 * work like the parser, so a damaged file made to be parsed from many places ends in
 * ESEAL_ERR_LIMIT. */
#define _GNU_SOURCE /* memmem */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "pdf_doc_int.h"

#define XREF_HEADER_WINDOW 1024 /* "%PDF-" may follow this much junk */
#define XREF_NUM_DIGITS 10      /* digits of an object number found by the scan */
#define XREF_GEN_DIGITS 5       /* digits of a generation number */

/* Which entries of a table section to take: a hybrid file's table marks the objects of its
 * xref stream (/XRefStm) free, so its in-use entries come first, then the stream's, then the
 * table's free ones. */
enum xref_mode { XREF_INUSE, XREF_FREE };

/* The state of one walk along the chain. */
struct xref_chain {
    uint64_t *visited; /* offsets of the sections read */
    size_t nvisited;
    int64_t size; /* largest /Size of the trailers */
};

/* Bytes of one page of slots. */
#define SLOT_PAGE_SIZE (((size_t)1 << PDF_SLOT_BITS) * sizeof(struct pdf_slot))

struct pdf_slot *pdf_slot(const pdf_doc *doc, uint32_t num)
{
    struct pdf_slot *page;

    if (num >= doc->nentries || (num >> PDF_SLOT_BITS) >= doc->nslots)
        return NULL;
    page = doc->slots[num >> PDF_SLOT_BITS];
    return page != NULL ? &page[num & ((1u << PDF_SLOT_BITS) - 1)] : NULL;
}

int pdf_slot_make(pdf_doc *doc, uint64_t num, struct pdf_slot **out, eseal_error *err)
{
    size_t page = (size_t)(num >> PDF_SLOT_BITS);
    int rc;

    if (num >= PDF_OBJECTS_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT,
                               "PDF: object number %" PRIu64 " is past the cap of %u objects", num,
                               PDF_OBJECTS_MAX);
    if (page >= doc->nslots) {
        size_t n = doc->nslots < 64 ? 64 : doc->nslots, i;
        struct pdf_slot **p;
        while (n <= page)
            n *= 2;
        if ((rc = pdf_memory(doc, (n - doc->nslots) * sizeof(*p), err)) != ESEAL_OK)
            return rc;
        p = realloc(doc->slots, n * sizeof(*p));
        if (p == NULL)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
        for (i = doc->nslots; i < n; i++)
            p[i] = NULL;
        doc->slots = p;
        doc->nslots = n;
    }
    if (doc->slots[page] == NULL) {
        if ((rc = pdf_memory(doc, SLOT_PAGE_SIZE, err)) != ESEAL_OK)
            return rc;
        doc->slots[page] = calloc(1, SLOT_PAGE_SIZE);
        if (doc->slots[page] == NULL)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
    }
    if (num >= doc->nentries)
        doc->nentries = (uint32_t)num + 1;
    *out = &doc->slots[page][num & ((1u << PDF_SLOT_BITS) - 1)];
    return ESEAL_OK;
}

void pdf_slots_forget(pdf_doc *doc, int keep_entries)
{
    size_t page, k;

    for (page = 0; page < doc->nslots; page++) {
        struct pdf_slot *s = doc->slots[page];
        if (s == NULL)
            continue;
        if (!keep_entries) {
            free(s);
            doc->slots[page] = NULL;
            doc->memory -= SLOT_PAGE_SIZE;
            continue;
        }
        for (k = 0; k < (1u << PDF_SLOT_BITS); k++) {
            s[k].value = NULL;
            s[k].flags &= PDF_SLOT_SEEN;
        }
    }
    if (!keep_entries)
        doc->nentries = 0;
}

/* Record where object num is, unless a newer section already said. */
static int xref_set(pdf_doc *doc, uint64_t num, pdf_entry_type type, uint64_t offset,
                    uint32_t index, uint16_t gen, eseal_error *err)
{
    struct pdf_slot *e;
    int rc = pdf_slot_make(doc, num, &e, err);

    if (rc != ESEAL_OK)
        return rc;
    if (e->flags & PDF_SLOT_SEEN)
        return ESEAL_OK;
    if (type == PDF_ENTRY_OFFSET && offset == 0)
        type = PDF_ENTRY_FREE; /* "0000000000 00000 n": nowhere */
    e->flags |= PDF_SLOT_SEEN;
    e->type = (uint8_t)type;
    e->offset = type == PDF_ENTRY_FREE ? 0 : offset;
    e->index = index;
    e->gen = gen;
    return ESEAL_OK;
}

/* A section at offset: refuse loops and more than PDF_SECTIONS_MAX sections. */
static int xref_visit(struct xref_chain *c, uint64_t offset, eseal_error *err)
{
    size_t i;

    for (i = 0; i < c->nvisited; i++)
        if (c->visited[i] == offset)
            return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                   "PDF: the xref section at offset %" PRIu64
                                   " is reached twice (a /Prev loop)",
                                   offset);
    if (c->nvisited == PDF_SECTIONS_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: more than %d xref sections",
                               PDF_SECTIONS_MAX);
    c->visited[c->nvisited++] = offset;
    return ESEAL_OK;
}

/* Fold a trailer's /Size into the chain's; a /Size past the cap is refused. */
static int xref_size(struct xref_chain *c, const pdf_obj *trailer, eseal_error *err)
{
    const pdf_obj *size = pdf_dict_get(trailer, "Size");

    if (size == NULL || size->type != PDF_INT || size->u.integer < 0)
        return ESEAL_OK;
    if (size->u.integer > PDF_OBJECTS_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT,
                               "PDF: trailer /Size %" PRId64 " is past the cap of %u objects",
                               size->u.integer, PDF_OBJECTS_MAX);
    if (size->u.integer > c->size)
        c->size = size->u.integer;
    return ESEAL_OK;
}

/* One xref table at offset (its "xref" keyword), taking the entries of mode; its trailer
 * dictionary in *trailer. */
static int xref_table(pdf_doc *doc, size_t offset, enum xref_mode mode, const pdf_obj **trailer,
                      eseal_error *err)
{
    struct pdf_lex lx;
    struct pdf_tok tok, a, b, kind;
    int first = 1, rc;
    pdf_obj *t;

    pdf_lex_init(&lx, doc, doc->data, doc->len, offset, 0);
    if ((rc = pdf_lex_next(&lx, &tok, 0, err)) != ESEAL_OK)
        return rc;
    for (;;) {
        int64_t start, count, i;
        if ((rc = pdf_lex_next(&lx, &tok, 0, err)) != ESEAL_OK)
            return rc;
        if (pdf_tok_is(&lx, &tok, "trailer"))
            break;
        if ((rc = pdf_lex_next(&lx, &a, 0, err)) != ESEAL_OK)
            return rc;
        if (tok.type != PDF_TOK_INT || tok.integer < 0 || a.type != PDF_TOK_INT || a.integer < 0)
            return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                   "PDF: xref table at offset %zu: expected 'trailer' or a "
                                   "subsection 'first count' at offset %zu",
                                   offset, tok.start);
        start = tok.integer;
        count = a.integer;
        if (start > PDF_OBJECTS_MAX || count > PDF_OBJECTS_MAX - start)
            return eseal_error_set(err, ESEAL_ERR_LIMIT,
                                   "PDF: xref table at offset %zu: objects past the cap of %u",
                                   offset, PDF_OBJECTS_MAX);
        for (i = 0; i < count; i++) {
            int inuse;
            if ((rc = pdf_lex_next(&lx, &a, 0, err)) != ESEAL_OK ||
                (rc = pdf_lex_next(&lx, &b, 0, err)) != ESEAL_OK ||
                (rc = pdf_lex_next(&lx, &kind, 0, err)) != ESEAL_OK)
                return rc;
            inuse = pdf_tok_is(&lx, &kind, "n");
            if (a.type != PDF_TOK_INT || a.integer < 0 || b.type != PDF_TOK_INT || b.integer < 0 ||
                b.integer > UINT16_MAX || (!inuse && !pdf_tok_is(&lx, &kind, "f")))
                return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                       "PDF: xref table at offset %zu: expected 'offset "
                                       "generation n|f' at offset %zu",
                                       offset, a.start);
            /* A common writer bug numbers the first subsection from 1 while its first entry
             * is object 0's (free, generation 65535); the offsets are checked later anyway. */
            if (first && i == 0 && start == 1 && !inuse && a.integer == 0 &&
                b.integer == UINT16_MAX)
                start = 0;
            if (inuse == (mode == XREF_INUSE) &&
                (rc =
                     xref_set(doc, (uint64_t)(start + i), inuse ? PDF_ENTRY_OFFSET : PDF_ENTRY_FREE,
                              (uint64_t)a.integer, 0, (uint16_t)b.integer, err)) != ESEAL_OK)
                return rc;
        }
        first = 0;
    }
    if ((rc = pdf_parse_value(&lx, &t, err)) != ESEAL_OK)
        return rc;
    if (t->type != PDF_DICT)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: xref table at offset %zu: the trailer is not a dictionary",
                               offset);
    *trailer = t;
    return ESEAL_OK;
}

/* The unsigned big-endian number of width bytes at p. */
static uint64_t xref_field(const unsigned char *p, int64_t width)
{
    uint64_t v = 0;
    int64_t i;

    for (i = 0; i < width; i++)
        v = v << 8 | p[i];
    return v;
}

/* Whether o is an integer from lo to hi. */
static int xref_int(const pdf_obj *o, int64_t lo, int64_t hi)
{
    return o != NULL && o->type == PDF_INT && o->u.integer >= lo && o->u.integer <= hi;
}

/* The entries of the xref stream described by dict, decoded in data. */
static int xref_stream_entries(pdf_doc *doc, size_t offset, const pdf_obj *dict,
                               const unsigned char *data, size_t len, eseal_error *err)
{
    const pdf_obj *w = pdf_dict_get(dict, "W"), *index = pdf_dict_get(dict, "Index");
    const pdf_obj *size = pdf_dict_get(dict, "Size");
    int64_t width[3], wsum = 0, start, count, i;
    size_t pos = 0, sub, nsub;
    int rc;

    if (w == NULL || w->type != PDF_ARRAY || w->u.array.len != 3)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: xref stream at offset %zu: /W is not an array of 3", offset);
    for (i = 0; i < 3; i++) {
        if (!xref_int(w->u.array.items[i], 0, 8))
            return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                   "PDF: xref stream at offset %zu: /W holds a width that is not "
                                   "0 to 8",
                                   offset);
        width[i] = w->u.array.items[i]->u.integer;
        wsum += width[i];
    }
    if (!xref_int(size, 0, INT64_MAX))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: xref stream at offset %zu: /Size is not an integer", offset);
    if (index != NULL && (index->type != PDF_ARRAY || index->u.array.len % 2 != 0))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: xref stream at offset %zu: /Index is not pairs of integers",
                               offset);
    nsub = index != NULL ? index->u.array.len / 2 : 1;
    for (sub = 0; sub < nsub; sub++) {
        if (index != NULL) {
            if (!xref_int(index->u.array.items[2 * sub], 0, INT64_MAX) ||
                !xref_int(index->u.array.items[2 * sub + 1], 0, INT64_MAX))
                return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                       "PDF: xref stream at offset %zu: /Index is not pairs of "
                                       "integers",
                                       offset);
            start = index->u.array.items[2 * sub]->u.integer;
            count = index->u.array.items[2 * sub + 1]->u.integer;
        } else {
            start = 0;
            count = size->u.integer;
        }
        if (start > PDF_OBJECTS_MAX || count > PDF_OBJECTS_MAX - start)
            return eseal_error_set(err, ESEAL_ERR_LIMIT,
                                   "PDF: xref stream at offset %zu: objects past the cap of %u",
                                   offset, PDF_OBJECTS_MAX);
        if (count > 0 && wsum == 0)
            return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                   "PDF: xref stream at offset %zu: /W is all zero", offset);
        for (i = 0; i < count; i++) {
            const unsigned char *p = data + pos;
            uint64_t type, f2, f3;
            if ((uint64_t)(len - pos) < (uint64_t)wsum)
                return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                       "PDF: xref stream at offset %zu: its data ends at entry "
                                       "%" PRId64 " of %" PRId64 " of object %" PRId64,
                                       offset, i + 1, count, start);
            type = width[0] == 0 ? 1 : xref_field(p, width[0]);
            f2 = xref_field(p + width[0], width[1]);
            f3 = xref_field(p + width[0] + width[1], width[2]);
            pos += (size_t)wsum;
            if (type == 1)
                rc = xref_set(doc, (uint64_t)(start + i), PDF_ENTRY_OFFSET, f2, 0,
                              (uint16_t)(f3 > UINT16_MAX ? UINT16_MAX : f3), err);
            else if (type == 2)
                rc = xref_set(doc, (uint64_t)(start + i), PDF_ENTRY_OBJSTM, f2,
                              (uint32_t)(f3 > UINT32_MAX ? UINT32_MAX : f3), 0, err);
            else /* 0 is free; any other type reads as a reference to null */
                rc = xref_set(doc, (uint64_t)(start + i), PDF_ENTRY_FREE, 0, 0, 0, err);
            if (rc != ESEAL_OK)
                return rc;
        }
    }
    return ESEAL_OK;
}

/* One xref stream at offset; its dictionary in *trailer. */
static int xref_stream(pdf_doc *doc, size_t offset, const pdf_obj **trailer, eseal_error *err)
{
    unsigned char *data;
    size_t len;
    pdf_obj *s;
    int rc;

    if ((rc = pdf_parse_indirect(doc, offset, UINT32_MAX, &s, err)) != ESEAL_OK)
        return rc;
    if (s->type != PDF_STREAM || !pdf_name_is(pdf_dict_get(s, "Type"), "XRef"))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: at offset %zu: expected 'xref' or an xref stream", offset);
    if ((rc = pdf_doc_stream_data(doc, s, PDF_STREAM_MAX, &data, &len, err)) != ESEAL_OK)
        return rc;
    rc = xref_stream_entries(doc, offset, s->u.stream.dict, data, len, err);
    free(data);
    *trailer = s->u.stream.dict;
    return rc;
}

/* An offset from a trailer (/Prev, /XRefStm): -1 when absent, an error when not an offset
 * inside the file. */
static int xref_offset(const pdf_doc *doc, const pdf_obj *trailer, const char *key, int64_t *offset,
                       eseal_error *err)
{
    const pdf_obj *o = pdf_dict_get(trailer, key);

    *offset = -1;
    if (o == NULL)
        return ESEAL_OK;
    if (!xref_int(o, 0, (int64_t)doc->len - 1))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: trailer /%s is not an offset inside the file", key);
    *offset = o->u.integer;
    return ESEAL_OK;
}

/* The offset after the file's last "startxref". */
static int xref_startxref(pdf_doc *doc, uint64_t *offset, eseal_error *err)
{
    const unsigned char *d = doc->data;
    size_t end;
    struct pdf_lex lx;
    struct pdf_tok tok;
    int rc;

    for (end = doc->len; end >= 9 && memcmp(d + end - 9, "startxref", 9) != 0; end--)
        ;
    if ((rc = pdf_work(doc, doc->len - end, err)) != ESEAL_OK)
        return rc;
    if (end < 9)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PDF: no 'startxref' found");
    pdf_lex_init(&lx, doc, d, doc->len, end, 0);
    if ((rc = pdf_lex_next(&lx, &tok, 0, err)) != ESEAL_OK)
        return rc;
    if (tok.type != PDF_TOK_INT || tok.integer < 0 || (uint64_t)tok.integer >= doc->len)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: 'startxref' at offset %zu: expected an offset inside the "
                               "file",
                               end - 9);
    *offset = (uint64_t)tok.integer;
    return ESEAL_OK;
}

/* Read the chain of sections from startxref, newest first. */
static int xref_chain(pdf_doc *doc, struct xref_chain *c, eseal_error *err)
{
    uint64_t offset = 0;
    int64_t prev, stm;
    const pdf_obj *trailer, *stm_trailer;
    struct pdf_lex lx;
    struct pdf_tok tok;
    int rc;

    if ((rc = xref_startxref(doc, &offset, err)) != ESEAL_OK)
        return rc;
    doc->startxref = offset;
    for (;;) {
        if ((rc = xref_visit(c, offset, err)) != ESEAL_OK)
            return rc;
        pdf_lex_init(&lx, doc, doc->data, doc->len, (size_t)offset, 0);
        if ((rc = pdf_lex_next(&lx, &tok, 0, err)) != ESEAL_OK)
            return rc;
        if (pdf_tok_is(&lx, &tok, "xref")) {
            if ((rc = xref_table(doc, (size_t)offset, XREF_INUSE, &trailer, err)) != ESEAL_OK ||
                (rc = xref_offset(doc, trailer, "XRefStm", &stm, err)) != ESEAL_OK)
                return rc;
            if (stm >= 0) {
                if ((rc = xref_visit(c, (uint64_t)stm, err)) != ESEAL_OK ||
                    (rc = xref_stream(doc, (size_t)stm, &stm_trailer, err)) != ESEAL_OK ||
                    (rc = xref_size(c, stm_trailer, err)) != ESEAL_OK)
                    return rc;
            }
            if ((rc = xref_table(doc, (size_t)offset, XREF_FREE, &trailer, err)) != ESEAL_OK)
                return rc;
        } else {
            if ((rc = xref_stream(doc, (size_t)offset, &trailer, err)) != ESEAL_OK)
                return rc;
        }
        if (doc->trailer == NULL) {
            doc->trailer = trailer;
            doc->xref_is_stream = !pdf_tok_is(&lx, &tok, "xref");
        }
        if ((rc = xref_size(c, trailer, err)) != ESEAL_OK ||
            (rc = xref_offset(doc, trailer, "Prev", &prev, err)) != ESEAL_OK)
            return rc;
        if (prev < 0)
            return ESEAL_OK;
        offset = (uint64_t)prev;
    }
}

/* Check that the offsets of the chain hold their objects and that the trailer's /Root is a
 * catalog; ESEAL_ERR_FORMAT says what is wrong when the file needs the scan.  A few wrong
 * offsets only make those objects null (as when reading them: ISO 32000 treats them as
 * missing); most of them wrong means the offsets are shifted (junk before the header, a file
 * edited by hand) and the file is scanned. */
static int xref_check(pdf_doc *doc, eseal_error *err)
{
    const pdf_obj *root = pdf_dict_get(doc->trailer, "Root");
    struct pdf_lex lx;
    uint32_t num, n, inuse = 0, wrong = 0, first_wrong = 0;
    uint16_t gen;
    int rc;

    if (root == NULL || root->type != PDF_REF)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PDF: the trailer has no /Root reference");
    for (num = 1; num < doc->nentries; num++) {
        const struct pdf_slot *e = pdf_slot(doc, num);
        if (e == NULL) {
            num |= (1u << PDF_SLOT_BITS) - 1; /* a page without slots */
            continue;
        }
        if (e->type != PDF_ENTRY_OFFSET)
            continue;
        inuse++;
        rc = ESEAL_ERR_FORMAT;
        if (e->offset < doc->len) {
            pdf_lex_init(&lx, doc, doc->data, doc->len, (size_t)e->offset, 0);
            rc = pdf_parse_header(&lx, &n, &gen, NULL);
        }
        if (rc == ESEAL_OK && n == num)
            continue;
        if ((rc = pdf_work(doc, 0, err)) != ESEAL_OK)
            return rc;
        if (wrong++ == 0)
            first_wrong = num;
    }
    if (wrong > 0 && wrong >= inuse / 2)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: the xref data puts %u of %u objects (the first: object %u "
                               "at offset %" PRIu64 ") where they are not",
                               (unsigned)wrong, (unsigned)inuse, (unsigned)first_wrong,
                               pdf_slot(doc, first_wrong)->offset);
    if ((rc = pdf_doc_resolve(doc, root, &root, err)) != ESEAL_OK)
        return rc;
    if (root->type != PDF_DICT)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: the trailer's /Root is not a dictionary");
    return ESEAL_OK;
}

/* Whether "N G " ends just before at (where "obj" is): its numbers, and where N starts. */
static int scan_header_before(const pdf_doc *doc, size_t at, uint64_t *num, uint16_t *gen,
                              size_t *start)
{
    const unsigned char *d = doc->data;
    size_t i = at, end, k;
    uint64_t v;

    if (i == 0 || !pdf_is_space(d[i - 1]))
        return 0;
    while (i > 0 && pdf_is_space(d[i - 1]))
        i--;
    for (end = i; i > 0 && end - i <= XREF_GEN_DIGITS && d[i - 1] >= '0' && d[i - 1] <= '9';)
        i--;
    if (i == end || end - i > XREF_GEN_DIGITS || i == 0 || !pdf_is_space(d[i - 1]))
        return 0;
    for (v = 0, k = i; k < end; k++)
        v = v * 10 + (d[k] - '0');
    if (v > UINT16_MAX)
        return 0;
    *gen = (uint16_t)v;
    while (i > 0 && pdf_is_space(d[i - 1]))
        i--;
    for (end = i; i > 0 && end - i <= XREF_NUM_DIGITS && d[i - 1] >= '0' && d[i - 1] <= '9';)
        i--;
    if (i == end || end - i > XREF_NUM_DIGITS ||
        (i > 0 && !pdf_is_space(d[i - 1]) && !pdf_is_delim(d[i - 1])))
        return 0;
    for (v = 0, k = i; k < end; k++)
        v = v * 10 + (d[k] - '0');
    *num = v;
    *start = i;
    return v > 0 && v < PDF_OBJECTS_MAX;
}

/* What the scan found besides objects. */
struct scan_found {
    const pdf_obj *trailer; /* the last trailer (or xref stream dictionary) with /Root */
    size_t trailer_at;
    uint64_t catalog; /* the last object with /Type /Catalog */
    uint16_t catalog_gen;
    uint32_t *objstms; /* object streams */
    size_t nobjstms, objstms_cap;
};

/* Remember what an object found by the scan tells about the document's structure. */
static int scan_note(pdf_doc *doc, struct scan_found *f, uint64_t num, uint16_t gen,
                     const pdf_obj *v, size_t at, eseal_error *err)
{
    const pdf_obj *type = pdf_dict_get(v, "Type");
    const pdf_obj *root = pdf_dict_get(v, "Root");
    int rc;

    if (pdf_name_is(type, "Catalog")) {
        f->catalog = num;
        f->catalog_gen = gen;
    } else if (pdf_name_is(type, "XRef") && v->type == PDF_STREAM && root != NULL &&
               root->type == PDF_REF && (f->trailer == NULL || at > f->trailer_at)) {
        f->trailer = v->u.stream.dict;
        f->trailer_at = at;
    } else if (pdf_name_is(type, "ObjStm") && v->type == PDF_STREAM) {
        if (f->nobjstms == f->objstms_cap) {
            size_t cap = f->objstms_cap < 64 ? 64 : f->objstms_cap * 2;
            uint32_t *p;
            if ((rc = pdf_memory(doc, (cap - f->objstms_cap) * sizeof(*p), err)) != ESEAL_OK)
                return rc;
            p = realloc(f->objstms, cap * sizeof(*p));
            if (p == NULL)
                return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
            f->objstms = p;
            f->objstms_cap = cap;
        }
        f->objstms[f->nobjstms++] = (uint32_t)num;
    }
    return ESEAL_OK;
}

/* Scan the file for "N G obj" (a later one wins) and "trailer". */
static int scan_objects(pdf_doc *doc, struct scan_found *f, eseal_error *err)
{
    const unsigned char *d = doc->data, *q;
    size_t p = 0;
    int rc;

    if ((rc = pdf_work(doc, doc->len, err)) != ESEAL_OK)
        return rc;
    while (p < doc->len && (q = memmem(d + p, doc->len - p, "obj", 3)) != NULL) {
        size_t at = (size_t)(q - d), start;
        uint64_t num;
        uint16_t gen;
        pdf_obj *v;
        struct pdf_slot *e;
        eseal_error local;
        p = at + 3;
        if ((p < doc->len && !pdf_is_space(d[p]) && !pdf_is_delim(d[p])) ||
            !scan_header_before(doc, at, &num, &gen, &start))
            continue;
        if ((rc = pdf_slot_make(doc, num, &e, err)) != ESEAL_OK)
            return rc;
        e->type = PDF_ENTRY_OFFSET;
        e->offset = start;
        e->gen = gen;
        e->flags |= PDF_SLOT_SEEN;
        eseal_error_clear(&local);
        rc = pdf_parse_indirect(doc, start, UINT32_MAX, &v, &local);
        if (rc == ESEAL_ERR_LIMIT || rc == ESEAL_ERR_NOMEM) {
            if (err != NULL)
                *err = local;
            return rc;
        }
        if (rc != ESEAL_OK)
            continue;
        if ((rc = scan_note(doc, f, num, gen, v, at, err)) != ESEAL_OK)
            return rc;
        if (v->type == PDF_STREAM && v->end > p)
            p = v->end; /* past a stream's data, where "obj" means nothing */
    }
    for (p = 0; p < doc->len && (q = memmem(d + p, doc->len - p, "trailer", 7)) != NULL;) {
        size_t at = (size_t)(q - d);
        struct pdf_lex lx;
        pdf_obj *t;
        eseal_error local;
        p = at + 7;
        pdf_lex_init(&lx, doc, d, doc->len, p, 0);
        eseal_error_clear(&local);
        rc = pdf_parse_value(&lx, &t, &local);
        if (rc == ESEAL_ERR_LIMIT || rc == ESEAL_ERR_NOMEM) {
            if (err != NULL)
                *err = local;
            return rc;
        }
        if (rc == ESEAL_OK && t->type == PDF_DICT && pdf_dict_get(t, "Root") != NULL &&
            pdf_dict_get(t, "Root")->type == PDF_REF &&
            (f->trailer == NULL || at > f->trailer_at)) {
            f->trailer = t;
            f->trailer_at = at;
        }
    }
    return ESEAL_OK;
}

static int scan_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* Give the objects of the object streams found a place where no "N G obj" did. */
static int scan_objstms(pdf_doc *doc, struct scan_found *f, eseal_error *err)
{
    size_t i, k, n, len;
    unsigned char *data;
    uint64_t *pairs;
    const pdf_obj *s;
    struct pdf_slot *e;
    eseal_error local;
    int rc;

    if (f->nobjstms == 0)
        return ESEAL_OK;
    qsort(f->objstms, f->nobjstms, sizeof(*f->objstms), scan_cmp_u32);
    for (i = 0; i < f->nobjstms; i++) {
        uint32_t num = f->objstms[i];
        if (i > 0 && num == f->objstms[i - 1])
            continue;
        if ((rc = pdf_doc_get(doc, num, &s, err)) != ESEAL_OK)
            return rc;
        eseal_error_clear(&local);
        rc = pdf_objstm_header(doc, num, s, &data, &len, &pairs, &n, &local);
        if (rc == ESEAL_ERR_LIMIT || rc == ESEAL_ERR_NOMEM) {
            if (err != NULL)
                *err = local;
            return rc;
        }
        if (rc != ESEAL_OK)
            continue;
        free(data);
        for (k = 0; k < n && rc == ESEAL_OK; k++) {
            uint64_t obj = pairs[2 * k];
            if (obj == 0 || obj == num || obj >= PDF_OBJECTS_MAX)
                continue;
            if ((rc = pdf_slot_make(doc, obj, &e, err)) != ESEAL_OK)
                break;
            if (e->flags & PDF_SLOT_SEEN)
                continue;
            e->type = PDF_ENTRY_OBJSTM;
            e->offset = num;
            e->index = (uint32_t)k;
            e->flags |= PDF_SLOT_SEEN;
        }
        free(pairs);
        if (rc != ESEAL_OK)
            return rc;
    }
    return ESEAL_OK;
}

/* A trailer made up for a file whose trailers are lost: << /Root catalog >>. */
static int scan_trailer(pdf_doc *doc, const struct scan_found *f, eseal_error *err)
{
    pdf_obj *t = pdf_alloc(doc, sizeof(*t), err), *root = pdf_alloc(doc, sizeof(*root), err);
    char **keys = pdf_alloc(doc, sizeof(*keys), err);
    pdf_obj **values = pdf_alloc(doc, sizeof(*values), err);

    if (t == NULL || root == NULL || keys == NULL || values == NULL)
        return err != NULL ? err->code : ESEAL_ERR_NOMEM;
    root->type = PDF_REF;
    root->offset = root->end = SIZE_MAX;
    root->u.ref.num = (uint32_t)f->catalog;
    root->u.ref.gen = f->catalog_gen;
    keys[0] = "Root";
    values[0] = root;
    t->type = PDF_DICT;
    t->offset = t->end = SIZE_MAX;
    t->u.dict.keys = keys;
    t->u.dict.values = values;
    t->u.dict.len = 1;
    doc->trailer = t;
    return ESEAL_OK;
}

/* Rebuild the xref data of a damaged file from a scan of all of it. */
static int xref_scan(pdf_doc *doc, const char *why, eseal_error *err)
{
    struct scan_found f;
    const pdf_obj *root = NULL;
    int rc;

    memset(&f, 0, sizeof(f));
    pdf_slots_forget(doc, 0);
    doc->trailer = NULL;
    doc->repaired = 1;
    doc->startxref = 0;
    doc->xref_is_stream = 0;
    doc->xref_incomplete = 1;
    rc = scan_objects(doc, &f, err);
    doc->xref_incomplete = 0;
    if (rc == ESEAL_OK)
        rc = scan_objstms(doc, &f, err);
    free(f.objstms);
    pdf_slots_forget(doc, 1); /* parsed while the entries were incomplete */
    if (rc != ESEAL_OK)
        return rc;
    if (f.trailer != NULL) {
        doc->trailer = f.trailer;
        if ((rc = pdf_doc_dict_get(doc, f.trailer, "Root", &root, err)) != ESEAL_OK)
            return rc;
    }
    if ((root == NULL || root->type != PDF_DICT) && f.catalog != 0) {
        if ((rc = scan_trailer(doc, &f, err)) != ESEAL_OK ||
            (rc = pdf_doc_dict_get(doc, doc->trailer, "Root", &root, err)) != ESEAL_OK)
            return rc;
    }
    if (root == NULL || root->type != PDF_DICT)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "%s; no catalog found by scanning the file either", why);
    return ESEAL_OK;
}

/* The header's version: "%PDF-1.7" in the first bytes gives 17. */
static int xref_version(const pdf_doc *doc)
{
    size_t window = doc->len < XREF_HEADER_WINDOW ? doc->len : XREF_HEADER_WINDOW;
    const unsigned char *h = memmem(doc->data, window, "%PDF-", 5);
    size_t at;

    if (h == NULL)
        return 0;
    at = (size_t)(h - doc->data) + 5;
    if (doc->len - at < 3 || h[5] < '0' || h[5] > '9' || h[6] != '.' || h[7] < '0' || h[7] > '9')
        return 0;
    return (h[5] - '0') * 10 + (h[7] - '0');
}

int pdf_xref_read(pdf_doc *doc, eseal_error *err)
{
    struct xref_chain c;
    eseal_error local;
    const pdf_obj *encrypt, *size;
    int rc;

    if (doc->len == 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PDF: the file is empty");
    doc->version = xref_version(doc);
    memset(&c, 0, sizeof(c));
    c.visited = malloc(PDF_SECTIONS_MAX * sizeof(*c.visited));
    if (c.visited == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
    eseal_error_clear(&local);
    doc->xref_incomplete = 1;
    rc = xref_chain(doc, &c, &local);
    doc->xref_incomplete = 0;
    free(c.visited);
    if (rc == ESEAL_OK)
        rc = xref_check(doc, &local);
    if (rc == ESEAL_ERR_FORMAT) {
        if ((rc = xref_scan(doc, local.message, err)) != ESEAL_OK)
            return rc;
        c.size = 0;
    } else if (rc != ESEAL_OK) {
        if (err != NULL)
            *err = local;
        return rc;
    }
    encrypt = pdf_dict_get(doc->trailer, "Encrypt");
    doc->encrypted = encrypt != NULL && encrypt->type != PDF_NULL;
    doc->size = doc->nentries;
    if (c.size > (int64_t)doc->size)
        doc->size = (uint32_t)c.size;
    size = pdf_dict_get(doc->trailer, "Size");
    if (doc->repaired && xref_int(size, doc->size, PDF_OBJECTS_MAX))
        doc->size = (uint32_t)size->u.integer;
    return ESEAL_OK;
}
