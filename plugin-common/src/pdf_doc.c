/* pdf_doc.c - the PDF document: objects on demand, object streams, stream data, the page
 * tree, and writing and comparing values.
 *
 * SECURITY: the file comes from a mail attachment.  Parsed values live in one arena per
 * document, capped at PDF_MEMORY_MAX.  Each object is parsed once and cached; an object
 * requested while it is being parsed (a stream whose /Length is itself, an object stream
 * that holds itself) reads as null, and nested requests are capped at PDF_REF_CHAIN_MAX.
 * Decoded streams are capped by the caller and by PDF_STREAM_MAX, and every byte inflated
 * counts against the document's work budget, so a zip bomb of many object streams ends in
 * ESEAL_ERR_LIMIT.  The page tree is walked without recursion; an inner node reached twice
 * is a loop (or a tree that doubles at each level) and refused. */
#define _GNU_SOURCE /* memmem */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "error_int.h"
#include "pdf_doc_int.h"

#define ARENA_BLOCK (64 * 1024)         /* bytes of one arena block */
#define ARENA_ALIGN 16                  /* every allocation starts at a multiple of this */
#define WORK_PER_BYTE 64                /* work budget: bytes handled per byte of the file */
#define WORK_BASE ((uint64_t)256 << 20) /* plus this much for small files */
#define STREAM_FILTERS_MAX 8            /* filters applied to one stream */
#define PREDICTOR_COLORS_MAX 64         /* /Colors of a predictor */
#define PREDICTOR_COLUMNS_MAX (1 << 24) /* /Columns of a predictor */
#define PAGE_TREE_DEPTH_MAX 256         /* levels of /Kids, and steps up a /Parent chain */
#define INFLATE_CHUNK ((size_t)1 << 30) /* input handed to zlib at a time (its counts are int) */
#define DICT_EQUAL_SMALL 32             /* dictionaries compared pairwise up to this size */

struct pdf_arena_block {
    struct pdf_arena_block *next;
    size_t used, size;
};

/* Room for the block header, rounded up so data after it is aligned. */
#define ARENA_HEADER                                                                               \
    ((sizeof(struct pdf_arena_block) + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN)

int pdf_memory(pdf_doc *doc, size_t n, eseal_error *err)
{
    if (n > PDF_MEMORY_MAX || doc->memory > PDF_MEMORY_MAX - n)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: parsed objects take more than %zu bytes",
                               PDF_MEMORY_MAX);
    doc->memory += n;
    return ESEAL_OK;
}

void *pdf_alloc(pdf_doc *doc, size_t n, eseal_error *err)
{
    struct pdf_arena_block *b = doc->blocks;
    size_t size;
    void *p;

    if (n > PDF_MEMORY_MAX) {
        pdf_memory(doc, n, err);
        return NULL;
    }
    n = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (b != NULL && b->size - b->used >= n) {
        p = (unsigned char *)b + ARENA_HEADER + b->used;
        b->used += n;
        return p;
    }
    /* A large allocation gets a block of its own behind the current one, whose free room
     * stays usable. */
    size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
    if (pdf_memory(doc, ARENA_HEADER + size, err) != ESEAL_OK)
        return NULL;
    b = calloc(1, ARENA_HEADER + size);
    if (b == NULL) {
        eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
        return NULL;
    }
    b->size = size;
    b->used = n;
    if (size == n && doc->blocks != NULL) {
        b->next = doc->blocks->next;
        doc->blocks->next = b;
    } else {
        b->next = doc->blocks;
        doc->blocks = b;
    }
    return (unsigned char *)b + ARENA_HEADER;
}

int pdf_work(pdf_doc *doc, uint64_t n, eseal_error *err)
{
    doc->work += n;
    if (doc->work > doc->work_max)
        return eseal_error_set(err, ESEAL_ERR_LIMIT,
                               "PDF: more than %" PRIu64 " bytes parsed or inflated for a "
                               "%zu-byte file (loops or a zip bomb)",
                               doc->work_max, doc->len);
    return ESEAL_OK;
}

int pdf_doc_open(pdf_doc **out, const unsigned char *data, size_t len, eseal_error *err)
{
    pdf_doc *doc;
    int rc;

    *out = NULL;
    doc = calloc(1, sizeof(*doc));
    if (doc == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
    doc->data = data;
    doc->len = len;
    doc->work_max = WORK_BASE + (uint64_t)len * WORK_PER_BYTE;
    rc = pdf_xref_read(doc, err);
    if (rc != ESEAL_OK) {
        pdf_doc_free(doc);
        return rc;
    }
    *out = doc;
    return ESEAL_OK;
}

void pdf_doc_free(pdf_doc *doc)
{
    struct pdf_arena_block *b, *next;
    size_t page;

    if (doc == NULL)
        return;
    for (b = doc->blocks; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    for (page = 0; page < doc->nslots; page++)
        free(doc->slots[page]);
    free(doc->slots);
    free(doc->stack);
    free(doc->scratch);
    free(doc->endstreams);
    free(doc->page_nums);
    free(doc->pages);
    free(doc);
}

int pdf_doc_repaired(const pdf_doc *doc)
{
    return doc->repaired;
}

int pdf_doc_encrypted(const pdf_doc *doc)
{
    return doc->encrypted;
}

int pdf_doc_version(const pdf_doc *doc)
{
    return doc->version;
}

const pdf_obj *pdf_doc_trailer(const pdf_doc *doc)
{
    return doc->trailer;
}

uint32_t pdf_doc_size(const pdf_doc *doc)
{
    return doc->size;
}

uint64_t pdf_doc_startxref(const pdf_doc *doc)
{
    return doc->startxref;
}

int pdf_doc_xref_is_stream(const pdf_doc *doc)
{
    return doc->xref_is_stream;
}

void pdf_doc_entry(const pdf_doc *doc, uint32_t num, pdf_entry *out)
{
    const struct pdf_slot *e = pdf_slot(doc, num);

    memset(out, 0, sizeof(*out));
    if (e == NULL)
        return;
    out->type = (pdf_entry_type)e->type;
    out->offset = e->offset;
    out->index = e->index;
    out->gen = e->gen;
}

/* The offsets of every "endstream" in the file, found once, for streams whose /Length is
 * wrong: a binary search then replaces a scan per stream. */
static int endstreams_find(pdf_doc *doc, eseal_error *err)
{
    const unsigned char *p = doc->data, *end = doc->data + doc->len;
    size_t cap = 0;
    int rc;

    doc->endstreams_found = 1;
    if ((rc = pdf_work(doc, doc->len, err)) != ESEAL_OK)
        return rc;
    while ((p = memmem(p, (size_t)(end - p), "endstream", 9)) != NULL) {
        if (doc->nendstreams == cap) {
            size_t *n;
            cap = cap < 64 ? 64 : cap * 2;
            if ((rc = pdf_memory(doc, cap / 2 * sizeof(size_t), err)) != ESEAL_OK)
                return rc;
            n = realloc(doc->endstreams, cap * sizeof(size_t));
            if (n == NULL)
                return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
            doc->endstreams = n;
        }
        doc->endstreams[doc->nendstreams++] = (size_t)(p - doc->data);
        p += 9;
    }
    return ESEAL_OK;
}

/* The offset of the first "endstream" at or after from, or SIZE_MAX. */
static int endstream_after(pdf_doc *doc, size_t from, size_t *at, eseal_error *err)
{
    size_t lo = 0, hi;
    int rc;

    *at = SIZE_MAX;
    if (!doc->endstreams_found && (rc = endstreams_find(doc, err)) != ESEAL_OK)
        return rc;
    hi = doc->nendstreams;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->endstreams[mid] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < doc->nendstreams)
        *at = doc->endstreams[lo];
    return ESEAL_OK;
}

/* Whether the keyword kw is at pos, ended by white space, a delimiter or the end. */
static int doc_keyword_at(const pdf_doc *doc, size_t pos, const char *kw)
{
    size_t n = strlen(kw);

    return pos <= doc->len && doc->len - pos >= n && memcmp(doc->data + pos, kw, n) == 0 &&
           (pos + n == doc->len || pdf_is_space(doc->data[pos + n]) ||
            pdf_is_delim(doc->data[pos + n]));
}

/* Where the data of the stream with dictionary dict starts (after the "stream" keyword that
 * ends at kw_end) and how long it is: /Length when "endstream" (or "endobj") follows it,
 * else up to the next "endstream". *end is past the stream's last keyword. */
static int stream_extent(pdf_doc *doc, const pdf_obj *dict, size_t kw_end, size_t *start,
                         size_t *raw_len, size_t *end, eseal_error *err)
{
    const unsigned char *d = doc->data;
    const pdf_obj *length = pdf_dict_get(dict, "Length");
    size_t p = kw_end, q, at;
    int64_t n = -1;
    int rc;

    if (p < doc->len && d[p] == '\r')
        p++;
    if (p < doc->len && d[p] == '\n')
        p++;
    *start = p;
    if (length != NULL && length->type == PDF_REF) {
        if ((rc = pdf_doc_resolve(doc, length, &length, err)) != ESEAL_OK)
            return rc;
    }
    if (length != NULL && length->type == PDF_INT)
        n = length->u.integer;
    if (n >= 0 && (uint64_t)n <= doc->len - p) {
        q = p + (size_t)n;
        while (q < doc->len && pdf_is_space(d[q]))
            q++;
        if (doc_keyword_at(doc, q, "endstream") || doc_keyword_at(doc, q, "endobj")) {
            *raw_len = (size_t)n;
            *end = doc_keyword_at(doc, q, "endstream") ? q + 9 : q;
            return ESEAL_OK;
        }
    }
    if ((rc = endstream_after(doc, p, &at, err)) != ESEAL_OK)
        return rc;
    if (at == SIZE_MAX)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: stream at offset %zu: wrong /Length and no 'endstream'",
                               kw_end);
    *end = at + 9;
    if (at > p && d[at - 1] == '\n')
        at--;
    if (at > p && d[at - 1] == '\r')
        at--;
    *raw_len = at - p;
    return ESEAL_OK;
}

int pdf_parse_indirect(pdf_doc *doc, size_t offset, uint32_t want, pdf_obj **out, eseal_error *err)
{
    struct pdf_lex lx;
    struct pdf_tok tok;
    uint32_t n;
    uint16_t gen;
    pdf_obj *v, *s;
    size_t save, start = 0, raw_len = 0, end = 0;
    int rc;

    if (offset >= doc->len)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PDF: object offset %zu past the end (%zu)",
                               offset, doc->len);
    pdf_lex_init(&lx, doc, doc->data, doc->len, offset, 0);
    if ((rc = pdf_parse_header(&lx, &n, &gen, err)) != ESEAL_OK)
        return rc;
    if (want != UINT32_MAX && n != want)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: at offset %zu: expected object %u, found object %u", offset,
                               (unsigned)want, (unsigned)n);
    if ((rc = pdf_parse_value(&lx, &v, err)) != ESEAL_OK)
        return rc;
    *out = v;
    if (v->type != PDF_DICT)
        return ESEAL_OK;
    save = lx.pos;
    if ((rc = pdf_lex_next(&lx, &tok, 0, err)) != ESEAL_OK)
        return rc;
    if (!pdf_tok_is(&lx, &tok, "stream")) {
        lx.pos = save;
        return ESEAL_OK;
    }
    if ((rc = stream_extent(doc, v, tok.end, &start, &raw_len, &end, err)) != ESEAL_OK)
        return rc;
    s = pdf_alloc(doc, sizeof(*s), err);
    if (s == NULL)
        return err != NULL ? err->code : ESEAL_ERR_NOMEM;
    s->type = PDF_STREAM;
    s->offset = v->offset;
    s->end = end;
    s->u.stream.dict = v;
    s->u.stream.raw = doc->data + start;
    s->u.stream.raw_len = raw_len;
    *out = s;
    return ESEAL_OK;
}

int pdf_doc_get(pdf_doc *doc, uint32_t num, const pdf_obj **out, eseal_error *err)
{
    struct pdf_slot *e = pdf_slot(doc, num);
    eseal_error local;
    pdf_obj *v = NULL;
    int rc = ESEAL_OK;

    *out = pdf_null();
    if (num == 0 || e == NULL || doc->xref_incomplete)
        return ESEAL_OK;
    if (e->flags & PDF_SLOT_DONE) {
        *out = e->value;
        return ESEAL_OK;
    }
    if ((e->flags & PDF_SLOT_LOADING) || doc->get_depth >= PDF_REF_CHAIN_MAX)
        return ESEAL_OK; /* a loop, or too deep: null, and nothing cached */
    e->flags |= PDF_SLOT_LOADING;
    doc->get_depth++;
    eseal_error_clear(&local);
    if (e->type == PDF_ENTRY_OFFSET)
        rc = pdf_parse_indirect(doc, (size_t)e->offset, num, &v, &local);
    else if (e->type == PDF_ENTRY_OBJSTM && e->offset < PDF_OBJECTS_MAX)
        rc = pdf_objstm_expand(doc, (uint32_t)e->offset, &local);
    doc->get_depth--;
    e->flags &= (uint8_t)~PDF_SLOT_LOADING;
    if (rc == ESEAL_ERR_LIMIT || rc == ESEAL_ERR_NOMEM) {
        if (err != NULL)
            *err = local;
        return rc;
    }
    if (!(e->flags & PDF_SLOT_DONE)) { /* a broken object is a null */
        e->value = rc == ESEAL_OK && v != NULL ? v : pdf_null();
        e->flags |= PDF_SLOT_DONE;
    }
    *out = e->value;
    return ESEAL_OK;
}

int pdf_doc_resolve(pdf_doc *doc, const pdf_obj *o, const pdf_obj **out, eseal_error *err)
{
    int i, rc;

    for (i = 0; o != NULL && o->type == PDF_REF; i++) {
        if (i == PDF_REF_CHAIN_MAX) { /* refs to refs in a loop */
            o = NULL;
            break;
        }
        if ((rc = pdf_doc_get(doc, o->u.ref.num, &o, err)) != ESEAL_OK) {
            *out = pdf_null();
            return rc;
        }
    }
    *out = o != NULL ? o : pdf_null();
    return ESEAL_OK;
}

const pdf_obj *pdf_dict_get(const pdf_obj *dict, const char *key)
{
    size_t i;

    if (dict != NULL && dict->type == PDF_STREAM)
        dict = dict->u.stream.dict;
    if (dict == NULL || dict->type != PDF_DICT)
        return NULL;
    for (i = 0; i < dict->u.dict.len; i++)
        if (strcmp(dict->u.dict.keys[i], key) == 0)
            return dict->u.dict.values[i];
    return NULL;
}

int pdf_doc_dict_get(pdf_doc *doc, const pdf_obj *dict, const char *key, const pdf_obj **out,
                     eseal_error *err)
{
    const pdf_obj *v = pdf_dict_get(dict, key);

    *out = NULL;
    if (v == NULL)
        return ESEAL_OK;
    return pdf_doc_resolve(doc, v, out, err);
}

int pdf_name_is(const pdf_obj *o, const char *s)
{
    size_t n = strlen(s);

    return o != NULL && o->type == PDF_NAME && o->u.str.len == n &&
           memcmp(o->u.str.data, s, n) == 0;
}

/* Inflate in_len bytes of zlib data into a new buffer of at most max bytes (plus a NUL).
 * Data cut short or corrupt after some output gives what came out, as other readers do. */
static int stream_inflate(pdf_doc *doc, const unsigned char *in, size_t in_len, size_t max,
                          size_t at, unsigned char **out, size_t *out_len, eseal_error *err)
{
    z_stream zs;
    unsigned char *buf, *p;
    size_t cap, fed = 0, produced = 0;
    int zrc, rc = ESEAL_OK;

    *out = NULL;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit(&zs) != Z_OK)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
    cap = in_len < (max + 1) / 4 ? in_len * 4 + 1024 : max + 1;
    if (cap > max + 1)
        cap = max + 1;
    buf = malloc(cap + 1);
    if (buf == NULL) {
        inflateEnd(&zs);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
    }
    for (;;) {
        size_t before = produced;
        if (zs.avail_in == 0 && fed < in_len) {
            size_t n = in_len - fed < INFLATE_CHUNK ? in_len - fed : INFLATE_CHUNK;
            zs.next_in = (unsigned char *)in + fed;
            zs.avail_in = (uInt)n;
            fed += n;
        }
        if (produced == cap) {
            if (cap > max) {
                rc = eseal_error_set(err, ESEAL_ERR_LIMIT,
                                     "PDF: stream at offset %zu: decodes to more than %zu bytes",
                                     at, max);
                break;
            }
            cap = cap > (max + 1) / 2 ? max + 1 : cap * 2;
            p = realloc(buf, cap + 1);
            if (p == NULL) {
                rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
                break;
            }
            buf = p;
        }
        zs.next_out = buf + produced;
        zs.avail_out = (uInt)(cap - produced < INFLATE_CHUNK ? cap - produced : INFLATE_CHUNK);
        zrc = inflate(&zs, Z_NO_FLUSH);
        produced = (size_t)(zs.next_out - buf);
        if ((rc = pdf_work(doc, produced - before + 1, err)) != ESEAL_OK)
            break;
        if (zrc == Z_STREAM_END)
            break;
        if (zrc == Z_OK || zrc == Z_BUF_ERROR) {
            if (zs.avail_out == 0 || (zs.avail_in == 0 && fed < in_len))
                continue;
            if (zrc == Z_BUF_ERROR || zs.avail_in == 0)
                break; /* the input ended before the zlib stream did */
            continue;
        }
        if (produced == 0 || zrc == Z_MEM_ERROR) {
            rc = eseal_error_set(err, zrc == Z_MEM_ERROR ? ESEAL_ERR_NOMEM : ESEAL_ERR_FORMAT,
                                 "PDF: stream at offset %zu: FlateDecode: %s", at,
                                 zs.msg != NULL ? zs.msg : "corrupt data");
        }
        break;
    }
    inflateEnd(&zs);
    if (rc != ESEAL_OK) {
        free(buf);
        return rc;
    }
    buf[produced] = '\0';
    *out = buf;
    *out_len = produced;
    return ESEAL_OK;
}

/* An integer parameter of a predictor: def when absent, lo..hi when present. */
static int predictor_param(pdf_doc *doc, const pdf_obj *parms, const char *key, int64_t def,
                           int64_t lo, int64_t hi, size_t at, int64_t *v, eseal_error *err)
{
    const pdf_obj *o;
    int rc = pdf_doc_dict_get(doc, parms, key, &o, err);

    if (rc != ESEAL_OK)
        return rc;
    *v = def;
    if (o == NULL || o->type == PDF_NULL)
        return ESEAL_OK;
    if (o->type != PDF_INT || o->u.integer < lo || o->u.integer > hi)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: stream at offset %zu: /%s of /DecodeParms is not an integer "
                               "from %" PRId64 " to %" PRId64,
                               at, key, lo, hi);
    *v = o->u.integer;
    return ESEAL_OK;
}

/* Undo the PNG predictors (each row starts with its filter type) into a new buffer. */
static int predict_png(unsigned char **data, size_t *len, size_t rowlen, size_t bpp, size_t at,
                       eseal_error *err)
{
    const unsigned char *in = *data;
    size_t n = *len, i = 0, o = 0, k;
    unsigned char *out = malloc(n + 1), *zero;

    if (rowlen > n)
        rowlen = n; /* only a partial row: the rest of a row is never read */
    zero = calloc(1, rowlen + 1);
    if (out == NULL || zero == NULL) {
        free(out);
        free(zero);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
    }
    while (i < n) {
        unsigned tag = in[i++];
        size_t m = n - i < rowlen ? n - i : rowlen;
        unsigned char *cur = out + o;
        const unsigned char *src = in + i, *prior = o >= rowlen ? out + o - rowlen : zero;
        for (k = 0; k < m; k++) {
            unsigned left = k >= bpp ? cur[k - bpp] : 0, up = prior[k];
            unsigned upleft = k >= bpp ? prior[k - bpp] : 0;
            unsigned pred;
            switch (tag) {
            case 0:
                pred = 0;
                break;
            case 1:
                pred = left;
                break;
            case 2:
                pred = up;
                break;
            case 3:
                pred = (left + up) / 2;
                break;
            case 4: {
                int pa = abs((int)up - (int)upleft), pb = abs((int)left - (int)upleft);
                int pc = abs((int)left + (int)up - 2 * (int)upleft);
                pred = pa <= pb && pa <= pc ? left : pb <= pc ? up : upleft;
                break;
            }
            default:
                free(out);
                free(zero);
                return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                       "PDF: stream at offset %zu: unknown PNG predictor %u", at,
                                       tag);
            }
            cur[k] = (unsigned char)(src[k] + pred);
        }
        i += m;
        o += m;
    }
    free(zero);
    free(*data);
    out[o] = '\0';
    *data = out;
    *len = o;
    return ESEAL_OK;
}

/* Undo the TIFF predictor 2 in place: each sample is the difference to the one before it
 * of the same color in its row. */
static void predict_tiff(unsigned char *data, size_t len, size_t rowlen, unsigned colors,
                         unsigned bpc, size_t columns)
{
    size_t r, k, s;

    for (r = 0; r < len; r += rowlen) {
        unsigned char *row = data + r;
        size_t n = len - r < rowlen ? len - r : rowlen;
        if (bpc == 8) {
            for (k = colors; k < n; k++)
                row[k] = (unsigned char)(row[k] + row[k - colors]);
        } else if (bpc == 16) {
            for (k = 2 * (size_t)colors; k + 1 < n; k += 2) {
                unsigned v = ((unsigned)row[k] << 8 | row[k + 1]) +
                             ((unsigned)row[k - 2 * colors] << 8 | row[k - 2 * colors + 1]);
                row[k] = (unsigned char)(v >> 8);
                row[k + 1] = (unsigned char)v;
            }
        } else {
            unsigned mask = (1u << bpc) - 1;
            for (s = colors; s < (size_t)colors * columns && (s * bpc) / 8 < n; s++) {
                size_t bit = s * bpc, pbit = (s - colors) * bpc;
                unsigned shift = 8 - bpc - (unsigned)(bit % 8);
                unsigned pshift = 8 - bpc - (unsigned)(pbit % 8);
                unsigned v = ((row[bit / 8] >> shift) + (row[pbit / 8] >> pshift)) & mask;
                row[bit / 8] = (unsigned char)((row[bit / 8] & ~(mask << shift)) | v << shift);
            }
        }
    }
}

/* Undo the predictor that parms names, if any. */
static int stream_predict(pdf_doc *doc, const pdf_obj *parms, unsigned char **data, size_t *len,
                          size_t at, eseal_error *err)
{
    int64_t predictor, colors, bpc, columns;
    size_t rowlen;
    int rc;

    if (parms == NULL || parms->type != PDF_DICT)
        return ESEAL_OK;
    if ((rc = predictor_param(doc, parms, "Predictor", 1, 0, 15, at, &predictor, err)) ||
        (rc =
             predictor_param(doc, parms, "Colors", 1, 1, PREDICTOR_COLORS_MAX, at, &colors, err)) ||
        (rc = predictor_param(doc, parms, "BitsPerComponent", 8, 1, 16, at, &bpc, err)) ||
        (rc = predictor_param(doc, parms, "Columns", 1, 1, PREDICTOR_COLUMNS_MAX, at, &columns,
                              err)))
        return rc;
    if (predictor <= 1)
        return ESEAL_OK;
    if (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: stream at offset %zu: /BitsPerComponent %" PRId64
                               " is not 1, 2, 4, 8 or 16",
                               at, bpc);
    rowlen = (size_t)((colors * bpc * columns + 7) / 8);
    if (predictor == 2) {
        predict_tiff(*data, *len, rowlen, (unsigned)colors, (unsigned)bpc, (size_t)columns);
        return ESEAL_OK;
    }
    if (predictor >= 10)
        return predict_png(data, len, rowlen, (size_t)((colors * bpc + 7) / 8), at, err);
    return eseal_error_set(err, ESEAL_ERR_FORMAT,
                           "PDF: stream at offset %zu: unknown /Predictor %" PRId64, at, predictor);
}

int pdf_doc_stream_data(pdf_doc *doc, const pdf_obj *stream, size_t max, unsigned char **data,
                        size_t *len, eseal_error *err)
{
    const pdf_obj *filter, *parms, *f, *p;
    unsigned char *cur = NULL, *next;
    size_t n = 0, nfilters, i, at;
    int rc;

    *data = NULL;
    *len = 0;
    if (stream == NULL || stream->type != PDF_STREAM)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PDF: expected a stream");
    at = stream->offset;
    if (max > PDF_STREAM_MAX)
        max = PDF_STREAM_MAX;
    if (pdf_dict_get(stream, "F") != NULL)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: stream at offset %zu: its data is in another file (/F)", at);
    if ((rc = pdf_doc_dict_get(doc, stream, "Filter", &filter, err)) != ESEAL_OK ||
        (rc = pdf_doc_dict_get(doc, stream, "DecodeParms", &parms, err)) != ESEAL_OK)
        return rc;
    nfilters = filter == NULL || filter->type == PDF_NULL ? 0
               : filter->type == PDF_ARRAY                ? filter->u.array.len
                                                          : 1;
    if (nfilters > STREAM_FILTERS_MAX)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: stream at offset %zu: more than %d filters", at,
                               STREAM_FILTERS_MAX);
    if (nfilters == 0) {
        if (stream->u.stream.raw_len > max)
            return eseal_error_set(err, ESEAL_ERR_LIMIT,
                                   "PDF: stream at offset %zu: more than %zu bytes", at, max);
        if ((rc = pdf_work(doc, stream->u.stream.raw_len, err)) != ESEAL_OK)
            return rc;
        cur = malloc(stream->u.stream.raw_len + 1);
        if (cur == NULL)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
        n = stream->u.stream.raw_len;
        memcpy(cur, stream->u.stream.raw, n);
        cur[n] = '\0';
    }
    for (i = 0; i < nfilters; i++) {
        f = filter;
        p = parms;
        if (filter->type == PDF_ARRAY &&
            (rc = pdf_doc_resolve(doc, filter->u.array.items[i], &f, err)) != ESEAL_OK)
            goto fail;
        if (parms != NULL && parms->type == PDF_ARRAY) {
            p = NULL;
            if (i < parms->u.array.len &&
                (rc = pdf_doc_resolve(doc, parms->u.array.items[i], &p, err)) != ESEAL_OK)
                goto fail;
        } else if (i > 0) {
            p = NULL; /* one dictionary goes with one filter */
        }
        if (!pdf_name_is(f, "FlateDecode")) {
            rc = eseal_error_set(
                err, ESEAL_ERR_FORMAT, "PDF: stream at offset %zu: filter %s%s is not supported",
                at, f->type == PDF_NAME ? "/" : "",
                f->type == PDF_NAME ? (const char *)f->u.str.data : "(not a name)");
            goto fail;
        }
        rc = stream_inflate(doc, cur != NULL ? cur : stream->u.stream.raw,
                            cur != NULL ? n : stream->u.stream.raw_len, max, at, &next, &n, err);
        free(cur);
        cur = next;
        if (rc != ESEAL_OK || (rc = stream_predict(doc, p, &cur, &n, at, err)) != ESEAL_OK)
            goto fail;
    }
    *data = cur;
    *len = n;
    return ESEAL_OK;
fail:
    free(cur);
    return rc;
}

int pdf_objstm_header(pdf_doc *doc, uint32_t num, const pdf_obj *stream, unsigned char **data,
                      size_t *len, uint64_t **pairs, size_t *n, eseal_error *err)
{
    const pdf_obj *count, *first;
    struct pdf_lex lx;
    struct pdf_tok a, b;
    uint64_t *p;
    size_t i;
    int rc;

    *data = NULL;
    *pairs = NULL;
    if (stream->type != PDF_STREAM)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PDF: object stream %u is not a stream",
                               (unsigned)num);
    if ((rc = pdf_doc_dict_get(doc, stream, "N", &count, err)) != ESEAL_OK ||
        (rc = pdf_doc_dict_get(doc, stream, "First", &first, err)) != ESEAL_OK)
        return rc;
    if (count == NULL || count->type != PDF_INT || count->u.integer < 0 || first == NULL ||
        first->type != PDF_INT || first->u.integer < 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: object stream %u: /N and /First must be integers",
                               (unsigned)num);
    if (count->u.integer > PDF_OBJSTM_OBJECTS_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: object stream %u: more than %d objects",
                               (unsigned)num, PDF_OBJSTM_OBJECTS_MAX);
    if ((rc = pdf_doc_stream_data(doc, stream, PDF_STREAM_MAX, data, len, err)) != ESEAL_OK)
        return rc;
    if ((uint64_t)first->u.integer > *len) {
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT,
                             "PDF: object stream %u: /First %" PRId64 " past its %zu bytes",
                             (unsigned)num, first->u.integer, *len);
        goto fail;
    }
    *n = (size_t)count->u.integer;
    p = malloc((*n ? *n : 1) * 2 * sizeof(*p));
    if (p == NULL) {
        rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
        goto fail;
    }
    *pairs = p;
    pdf_lex_init(&lx, doc, *data, (size_t)first->u.integer, 0, num);
    for (i = 0; i < *n; i++) {
        if ((rc = pdf_lex_next(&lx, &a, 0, err)) != ESEAL_OK ||
            (rc = pdf_lex_next(&lx, &b, 0, err)) != ESEAL_OK)
            goto fail;
        if (a.type != PDF_TOK_INT || a.integer < 0 || a.integer > UINT32_MAX ||
            b.type != PDF_TOK_INT || b.integer < 0 ||
            (uint64_t)b.integer > *len - (size_t)first->u.integer) {
            rc = eseal_error_set(err, ESEAL_ERR_FORMAT,
                                 "PDF: object stream %u: pair %zu of its header is not an object "
                                 "number and an offset inside it",
                                 (unsigned)num, i + 1);
            goto fail;
        }
        p[2 * i] = (uint64_t)a.integer;
        p[2 * i + 1] = (uint64_t)(first->u.integer + b.integer);
    }
    return ESEAL_OK;
fail:
    free(*data);
    free(*pairs);
    *data = NULL;
    *pairs = NULL;
    return rc;
}

/* Whether the k-th object of object stream s is the one the xref data puts there: its entry
 * names s, and names k or a slot of s that holds another object (a wrong index). */
static int objstm_owns(const pdf_doc *doc, uint32_t s, const uint64_t *pairs, size_t n, size_t k)
{
    uint64_t num = pairs[2 * k];
    const struct pdf_slot *e;

    if (num == 0 || num >= doc->nentries || num == s)
        return 0;
    e = pdf_slot(doc, (uint32_t)num);
    if (e == NULL || e->type != PDF_ENTRY_OBJSTM || e->offset != s || (e->flags & PDF_SLOT_DONE))
        return 0;
    return e->index == k || e->index >= n || pairs[2 * e->index] != num;
}

int pdf_objstm_expand(pdf_doc *doc, uint32_t num, eseal_error *err)
{
    struct pdf_slot *e = pdf_slot(doc, num);
    const pdf_obj *stream;
    struct pdf_lex lx;
    unsigned char *data;
    uint64_t *pairs;
    size_t len, n, k;
    pdf_obj *v;
    eseal_error local;
    int rc;

    if (e == NULL || (e->flags & PDF_SLOT_EXPANDED))
        return ESEAL_OK;
    e->flags |= PDF_SLOT_EXPANDED;   /* once, even when it fails or loops */
    if (e->type != PDF_ENTRY_OFFSET) /* an object stream is never compressed */
        return ESEAL_OK;
    if ((rc = pdf_doc_get(doc, num, &stream, err)) != ESEAL_OK)
        return rc;
    eseal_error_clear(&local);
    rc = pdf_objstm_header(doc, num, stream, &data, &len, &pairs, &n, &local);
    if (rc != ESEAL_OK) {
        if (rc == ESEAL_ERR_LIMIT || rc == ESEAL_ERR_NOMEM) {
            if (err != NULL)
                *err = local;
            return rc;
        }
        return ESEAL_OK; /* its objects read as null */
    }
    for (k = 0; k < n; k++) {
        uint32_t obj = (uint32_t)pairs[2 * k];
        if (!objstm_owns(doc, num, pairs, n, k))
            continue;
        pdf_lex_init(&lx, doc, data, len, (size_t)pairs[2 * k + 1], num);
        rc = pdf_parse_value(&lx, &v, &local);
        if (rc == ESEAL_ERR_LIMIT || rc == ESEAL_ERR_NOMEM) {
            if (err != NULL)
                *err = local;
            break;
        }
        e = pdf_slot(doc, obj);
        e->value = rc == ESEAL_OK ? v : pdf_null();
        e->flags |= PDF_SLOT_DONE;
        rc = ESEAL_OK;
    }
    free(data);
    free(pairs);
    return rc;
}

/* The catalog's page tree, walked depth first without recursion into doc->pages. */
struct walk_frame {
    const pdf_obj *kids;
    size_t next;
};

/* Append the page num (0 when direct) with dictionary page to the doc's list. */
static int pages_add(pdf_doc *doc, uint32_t num, const pdf_obj *page, size_t *cap, eseal_error *err)
{
    int rc;

    if (doc->npages >= PDF_PAGES_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: more than %d pages", PDF_PAGES_MAX);
    if (doc->npages == *cap) {
        size_t c = *cap < 16 ? 16 : *cap * 2;
        uint32_t *nums;
        const pdf_obj **pages;
        if ((rc = pdf_memory(doc, (c - *cap) * (sizeof(*nums) + sizeof(*pages)), err)))
            return rc;
        nums = realloc(doc->page_nums, c * sizeof(*nums));
        if (nums != NULL)
            doc->page_nums = nums;
        pages = realloc(doc->pages, c * sizeof(*pages));
        if (pages != NULL)
            doc->pages = pages;
        if (nums == NULL || pages == NULL)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
        *cap = c;
    }
    doc->page_nums[doc->npages] = num;
    doc->pages[doc->npages++] = page;
    return ESEAL_OK;
}

/* Whether node is an inner node of the page tree; *kids is then its /Kids (or NULL). */
static int pages_is_inner(pdf_doc *doc, const pdf_obj *node, const pdf_obj **kids, int *inner,
                          eseal_error *err)
{
    const pdf_obj *type;
    int rc;

    if ((rc = pdf_doc_dict_get(doc, node, "Type", &type, err)) != ESEAL_OK ||
        (rc = pdf_doc_dict_get(doc, node, "Kids", kids, err)) != ESEAL_OK)
        return rc;
    if (*kids != NULL && (*kids)->type != PDF_ARRAY)
        *kids = NULL;
    *inner = pdf_name_is(type, "Pages") || (!pdf_name_is(type, "Page") && *kids != NULL);
    return ESEAL_OK;
}

static int pages_walk(pdf_doc *doc, eseal_error *err)
{
    struct walk_frame stack[PAGE_TREE_DEPTH_MAX];
    const pdf_obj *root, *node, *kids, *ref;
    unsigned char *seen;
    size_t depth = 0, cap = 0;
    uint32_t num;
    int rc, inner;

    if (doc->pages_walked)
        return ESEAL_OK;
    doc->npages = 0;
    if ((rc = pdf_doc_dict_get(doc, doc->trailer, "Root", &root, err)) != ESEAL_OK)
        return rc;
    ref = pdf_dict_get(root, "Pages");
    if ((rc = pdf_doc_resolve(doc, ref, &node, err)) != ESEAL_OK)
        return rc;
    if (root == NULL || root->type != PDF_DICT || node->type != PDF_DICT)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PDF: no page tree (catalog /Pages)");
    seen = calloc(doc->nentries / 8 + 1, 1);
    if (seen == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
    if (ref->type == PDF_REF && ref->u.ref.num < doc->nentries)
        seen[ref->u.ref.num / 8] |= (unsigned char)(1u << (ref->u.ref.num % 8));
    num = ref->type == PDF_REF ? ref->u.ref.num : 0;
    if ((rc = pages_is_inner(doc, node, &kids, &inner, err)) != ESEAL_OK)
        goto done;
    for (;;) {
        if (!inner) {
            if ((rc = pages_add(doc, num, node, &cap, err)) != ESEAL_OK)
                goto done;
        } else if (kids != NULL) {
            if (depth == PAGE_TREE_DEPTH_MAX) {
                rc = eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: page tree deeper than %d levels",
                                     PAGE_TREE_DEPTH_MAX);
                goto done;
            }
            stack[depth].kids = kids;
            stack[depth++].next = 0;
        }
        /* The next kid that is a dictionary, directly or by reference. */
        node = NULL;
        while (node == NULL && depth > 0) {
            struct walk_frame *f = &stack[depth - 1];
            if (f->next == f->kids->u.array.len) {
                depth--;
                continue;
            }
            ref = f->kids->u.array.items[f->next++];
            num = ref->type == PDF_REF ? ref->u.ref.num : 0;
            if ((rc = pdf_doc_resolve(doc, ref, &node, err)) != ESEAL_OK)
                goto done;
            if (node->type != PDF_DICT) {
                node = NULL; /* a broken kid is left out */
                continue;
            }
            /* A page may be listed twice (it then shows twice), an inner node not: that is
             * a loop, or a tree that doubles at every level. */
            if ((rc = pages_is_inner(doc, node, &kids, &inner, err)) != ESEAL_OK)
                goto done;
            if (inner && num != 0) {
                if (seen[num / 8] & (1u << (num % 8))) {
                    rc = eseal_error_set(err, ESEAL_ERR_FORMAT,
                                         "PDF: page tree: node %u is reached twice (a loop?)",
                                         (unsigned)num);
                    goto done;
                }
                seen[num / 8] |= (unsigned char)(1u << (num % 8));
            }
        }
        if (node == NULL)
            break;
    }
    doc->pages_walked = 1;
    rc = ESEAL_OK;
done:
    free(seen);
    if (rc != ESEAL_OK)
        doc->npages = 0;
    return rc;
}

int pdf_doc_page_count(pdf_doc *doc, size_t *count, eseal_error *err)
{
    int rc = pages_walk(doc, err);

    *count = rc == ESEAL_OK ? doc->npages : 0;
    return rc;
}

int pdf_doc_page(pdf_doc *doc, size_t index, uint32_t *num, const pdf_obj **page, eseal_error *err)
{
    int rc = pages_walk(doc, err);

    *num = 0;
    *page = NULL;
    if (rc != ESEAL_OK)
        return rc;
    if (index >= doc->npages)
        return eseal_error_set(err, ESEAL_ERR_NOTFOUND, "PDF: no page %zu (the document has %zu)",
                               index + 1, doc->npages);
    *num = doc->page_nums[index];
    *page = doc->pages[index];
    return ESEAL_OK;
}

int pdf_doc_inherited(pdf_doc *doc, const pdf_obj *page, const char *key, const pdf_obj **out,
                      eseal_error *err)
{
    const pdf_obj *node = page;
    int i, rc;

    *out = NULL;
    for (i = 0; i < PAGE_TREE_DEPTH_MAX && node != NULL && node->type == PDF_DICT; i++) {
        if ((rc = pdf_doc_dict_get(doc, node, key, out, err)) != ESEAL_OK)
            return rc;
        if (*out != NULL)
            return ESEAL_OK;
        if ((rc = pdf_doc_dict_get(doc, node, "Parent", &node, err)) != ESEAL_OK)
            return rc;
    }
    if (i == PAGE_TREE_DEPTH_MAX)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: a page's /Parent chain is longer than %d (a loop?)",
                               PAGE_TREE_DEPTH_MAX);
    return ESEAL_OK;
}

/* Write a name's bytes, escaping what is not a regular printable character as #xx. */
static void write_name(eseal_buf *b, const unsigned char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;

    eseal_buf_append(b, "/", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c < 0x21 || c > 0x7e || c == '#' || pdf_is_delim(c)) {
            char e[3] = {'#', hex[c >> 4], hex[c & 15]};
            eseal_buf_append(b, e, 3);
        } else {
            eseal_buf_append(b, &c, 1);
        }
    }
}

/* Write a real with up to 6 decimals and no exponent, independent of the locale. */
static void write_real(eseal_buf *b, double v)
{
    const char *sign = v < 0 ? "-" : "";
    double a = fabs(v);
    int64_t scaled, frac;
    char digits[8];
    int i;

    if (!isfinite(v)) {
        eseal_buf_puts(b, "0");
        return;
    }
    if (a >= 9e12) { /* no decimals left to write at this size */
        eseal_buf_printf(b, "%s%.0f", sign, a);
        return;
    }
    scaled = (int64_t)(a * 1e6 + 0.5);
    if (scaled == 0) {
        eseal_buf_puts(b, "0");
        return;
    }
    eseal_buf_printf(b, "%s%" PRId64, sign, scaled / 1000000);
    frac = scaled % 1000000;
    if (frac == 0)
        return;
    snprintf(digits, sizeof(digits), "%06" PRId64, frac);
    for (i = 5; i > 0 && digits[i] == '0'; i--)
        digits[i] = '\0';
    eseal_buf_printf(b, ".%s", digits);
}

int pdf_obj_write(eseal_buf *b, const pdf_obj *o)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;
    int rc;

    switch (o->type) {
    case PDF_NULL:
        eseal_buf_puts(b, "null");
        break;
    case PDF_BOOL:
        eseal_buf_puts(b, o->u.boolean ? "true" : "false");
        break;
    case PDF_INT:
        eseal_buf_printf(b, "%" PRId64, o->u.integer);
        break;
    case PDF_REAL:
        write_real(b, o->u.real);
        break;
    case PDF_STRING:
        eseal_buf_append(b, "<", 1);
        for (i = 0; i < o->u.str.len;) {
            char chunk[512];
            size_t n = 0;
            for (; i < o->u.str.len && n < sizeof(chunk); i++) {
                chunk[n++] = hex[o->u.str.data[i] >> 4];
                chunk[n++] = hex[o->u.str.data[i] & 15];
            }
            eseal_buf_append(b, chunk, n);
        }
        eseal_buf_append(b, ">", 1);
        break;
    case PDF_NAME:
        write_name(b, o->u.str.data, o->u.str.len);
        break;
    case PDF_ARRAY:
        eseal_buf_append(b, "[", 1);
        for (i = 0; i < o->u.array.len; i++) {
            if (i > 0)
                eseal_buf_append(b, " ", 1);
            if ((rc = pdf_obj_write(b, o->u.array.items[i])) != ESEAL_OK)
                return rc;
        }
        eseal_buf_append(b, "]", 1);
        break;
    case PDF_DICT:
        eseal_buf_append(b, "<<", 2);
        for (i = 0; i < o->u.dict.len; i++) {
            if (i > 0)
                eseal_buf_append(b, " ", 1);
            write_name(b, (const unsigned char *)o->u.dict.keys[i], strlen(o->u.dict.keys[i]));
            eseal_buf_append(b, " ", 1);
            if ((rc = pdf_obj_write(b, o->u.dict.values[i])) != ESEAL_OK)
                return rc;
        }
        eseal_buf_append(b, ">>", 2);
        break;
    case PDF_REF:
        eseal_buf_printf(b, "%u %u R", (unsigned)o->u.ref.num, (unsigned)o->u.ref.gen);
        break;
    default:
        return ESEAL_ERR_FORMAT; /* a stream, written by its owner */
    }
    return b->failed;
}

/* A key and its value, to compare large dictionaries in key order. */
struct equal_pair {
    const char *key;
    const pdf_obj *value;
};

static int equal_pair_cmp(const void *a, const void *b)
{
    return strcmp(((const struct equal_pair *)a)->key, ((const struct equal_pair *)b)->key);
}

/* The n pairs of dictionary d sorted by key into a new array, or NULL. */
static struct equal_pair *equal_sorted(const pdf_obj *d)
{
    struct equal_pair *p = malloc(d->u.dict.len * sizeof(*p));
    size_t i;

    if (p == NULL)
        return NULL;
    for (i = 0; i < d->u.dict.len; i++) {
        p[i].key = d->u.dict.keys[i];
        p[i].value = d->u.dict.values[i];
    }
    qsort(p, d->u.dict.len, sizeof(*p), equal_pair_cmp);
    return p;
}

/* Whether dictionaries a and b (of the same size) hold the same keys and values. */
static int equal_dict(const pdf_obj *a, const pdf_obj *b)
{
    struct equal_pair *x, *y;
    size_t i, n = a->u.dict.len;
    int same = 1;

    if (n <= DICT_EQUAL_SMALL) {
        for (i = 0; i < n; i++)
            if (!pdf_obj_equal(a->u.dict.values[i], pdf_dict_get(b, a->u.dict.keys[i])))
                return 0;
        return 1;
    }
    x = equal_sorted(a);
    y = equal_sorted(b);
    for (i = 0; same && x != NULL && y != NULL && i < n; i++)
        same = strcmp(x[i].key, y[i].key) == 0 && pdf_obj_equal(x[i].value, y[i].value);
    if (x == NULL || y == NULL)
        same = 0; /* out of memory: not known to be equal */
    free(x);
    free(y);
    return same;
}

int pdf_obj_equal(const pdf_obj *a, const pdf_obj *b)
{
    size_t i;

    if (a == b)
        return 1;
    if (a == NULL || b == NULL || a->type != b->type)
        return 0;
    switch (a->type) {
    case PDF_NULL:
        return 1;
    case PDF_BOOL:
        return !a->u.boolean == !b->u.boolean;
    case PDF_INT:
        return a->u.integer == b->u.integer;
    case PDF_REAL:
        return a->u.real == b->u.real;
    case PDF_STRING:
    case PDF_NAME:
        return a->u.str.len == b->u.str.len &&
               (a->u.str.len == 0 || memcmp(a->u.str.data, b->u.str.data, a->u.str.len) == 0);
    case PDF_ARRAY:
        if (a->u.array.len != b->u.array.len)
            return 0;
        for (i = 0; i < a->u.array.len; i++)
            if (!pdf_obj_equal(a->u.array.items[i], b->u.array.items[i]))
                return 0;
        return 1;
    case PDF_DICT:
        return a->u.dict.len == b->u.dict.len && equal_dict(a, b);
    case PDF_REF:
        return a->u.ref.num == b->u.ref.num && a->u.ref.gen == b->u.ref.gen;
    case PDF_STREAM:
        return a->u.stream.raw_len == b->u.stream.raw_len &&
               pdf_obj_equal(a->u.stream.dict, b->u.stream.dict) &&
               (a->u.stream.raw_len == 0 ||
                memcmp(a->u.stream.raw, b->u.stream.raw, a->u.stream.raw_len) == 0);
    }
    return 0;
}

void pdf_name_print(char *buf, size_t size, const pdf_obj *name)
{
    size_t i, n = name->u.str.len < size - 1 ? name->u.str.len : size - 1;

    for (i = 0; i < n; i++) {
        unsigned char c = name->u.str.data[i];
        buf[i] = c > 0x20 && c < 0x7f ? (char)c : '?';
    }
    buf[n] = '\0';
}

const pdf_obj *pdf_doc_dict_get_quiet(pdf_doc *doc, const pdf_obj *dict, const char *key)
{
    const pdf_obj *out = NULL;

    /* not a dictionary: pdf_doc_dict_get() finds nothing */
    if (pdf_doc_dict_get(doc, dict, key, &out, NULL) != ESEAL_OK)
        return NULL;
    return out;
}

const pdf_obj *pdf_doc_resolve_quiet(pdf_doc *doc, const pdf_obj *o)
{
    const pdf_obj *out = NULL;

    if (o == NULL || pdf_doc_resolve(doc, o, &out, NULL) != ESEAL_OK)
        return NULL;
    return out;
}
