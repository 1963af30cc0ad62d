/* pdf_doc.c - the PDF document: objects on demand, object streams and the page tree (stream
 * data is pdf_stream.c's, writing and comparing values pdf_obj.c's).
 *
 * SECURITY: the file comes from a mail attachment.  Parsed values live in one arena per
 * document, capped at PDF_MEMORY_MAX.  Each object is parsed once and cached; an object
 * requested while it is being parsed (a stream whose /Length is itself, an object stream
 * that holds itself) reads as null, and nested requests are capped at PDF_REF_CHAIN_MAX.
 * Every byte parsed or inflated counts against the document's work budget (pdf_work), so a
 * zip bomb of many object streams ends in ESEAL_ERR_LIMIT.  The page tree is walked without
 * recursion; an inner node reached twice is a loop (or a tree that doubles at each level) and
 * refused. */
#define _GNU_SOURCE /* memmem */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "pdf_doc_int.h"

#define ARENA_BLOCK (64 * 1024)         /* bytes of one arena block */
#define ARENA_ALIGN 16                  /* every allocation starts at a multiple of this */
#define WORK_PER_BYTE 64                /* work budget: bytes handled per byte of the file */
#define WORK_BASE ((uint64_t)256 << 20) /* plus this much for small files */
#define PAGE_TREE_DEPTH_MAX 256         /* levels of /Kids, and steps up a /Parent chain */

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
