/* pdf_doc_int.h - what the PDF reader's modules (pdf_lex.c, pdf_xref.c, pdf_doc.c) share:
 * the document, its arena, the tokenizer and object parser, and the xref reader. */
#ifndef ESEAL_PDF_DOC_INT_H
#define ESEAL_PDF_DOC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "pdf_int.h"

/* Flags of one object's slot. */
#define PDF_SLOT_SEEN 0x01     /* placed by the xref data: older sections do not move it */
#define PDF_SLOT_LOADING 0x02  /* being parsed: a request now is a reference loop */
#define PDF_SLOT_DONE 0x04     /* value holds the parsed value */
#define PDF_SLOT_EXPANDED 0x08 /* this object stream was (or is being) unpacked */

#define PDF_SLOT_BITS 6 /* slots are allocated in pages of 1 << PDF_SLOT_BITS objects */

/* Where the xref data puts one object, and its value once parsed.  Slots come in pages made
 * when an xref entry names one of their objects, so memory follows the entries present, not
 * the highest object number. */
struct pdf_slot {
    uint64_t offset;
    uint32_t index;
    uint16_t gen;
    uint8_t type; /* pdf_entry_type */
    uint8_t flags;
    const pdf_obj *value;
};

struct pdf_arena_block;

struct pdf_doc {
    const unsigned char *data;
    size_t len;
    int version, repaired, encrypted, xref_is_stream;
    uint64_t startxref;
    uint32_t size;
    const pdf_obj *trailer;

    struct pdf_slot **slots; /* pages of slots by object number, NULL where none was made */
    size_t nslots;           /* pages the slots array has room for */
    uint32_t nentries;       /* highest object number in the xref data + 1 */

    struct pdf_arena_block *blocks; /* everything parsed */
    size_t memory;                  /* bytes taken by blocks and tables, capped */
    uint64_t work, work_max;        /* bytes lexed and inflated, capped against hangs */
    unsigned get_depth;             /* nested pdf_doc_get() calls */
    int xref_incomplete;            /* entries being read: pdf_doc_get() sees only nulls */

    void **stack; /* items of the containers being parsed */
    size_t stack_len, stack_cap;
    unsigned char *scratch; /* a string being decoded */
    size_t scratch_cap;

    size_t *endstreams; /* sorted offsets of every "endstream", found on first need */
    size_t nendstreams;
    int endstreams_found;

    uint32_t *page_nums; /* the page tree, walked on first need */
    const pdf_obj **pages;
    size_t npages;
    int pages_walked;
};

/* A cursor over bytes to tokenize: the file (offsets in objects are file offsets) or the
 * decoded data of object stream objstm. */
struct pdf_lex {
    pdf_doc *doc;
    const unsigned char *data;
    size_t len, pos;
    uint32_t objstm; /* 0: data is the file */
};

enum pdf_tok_type {
    PDF_TOK_EOF = 0,
    PDF_TOK_INT,
    PDF_TOK_REAL,
    PDF_TOK_STRING,
    PDF_TOK_NAME,
    PDF_TOK_ARRAY_OPEN,
    PDF_TOK_ARRAY_CLOSE,
    PDF_TOK_DICT_OPEN,
    PDF_TOK_DICT_CLOSE,
    PDF_TOK_KEYWORD, /* true, false, null, R, obj, stream, trailer, xref, ... */
};

struct pdf_tok {
    enum pdf_tok_type type;
    size_t start, end; /* in the lexer's data */
    int64_t integer;
    double real;
    unsigned char *str; /* PDF_TOK_STRING and _NAME when stored: in the arena, NUL-ended */
    size_t str_len;
    int hex;
};

/* pdf_alloc - n zeroed bytes from the doc's arena, counted against PDF_MEMORY_MAX. */
void *pdf_alloc(pdf_doc *doc, size_t n, eseal_error *err);

/* pdf_work - count n bytes of work (lexed or inflated); ESEAL_ERR_LIMIT past the budget. */
int pdf_work(pdf_doc *doc, uint64_t n, eseal_error *err);

/* pdf_memory - count n bytes allocated outside the arena; ESEAL_ERR_LIMIT past the cap. */
int pdf_memory(pdf_doc *doc, size_t n, eseal_error *err);

/* pdf_lex_init - a cursor at pos over len bytes of data (objstm 0 for the file). */
void pdf_lex_init(struct pdf_lex *lx, pdf_doc *doc, const unsigned char *data, size_t len,
                  size_t pos, uint32_t objstm);

/* pdf_lex_where - "offset N" or "object stream N, offset M" for messages, in buf. */
const char *pdf_lex_where(const struct pdf_lex *lx, size_t pos, char *buf, size_t size);

/* pdf_is_space - PDF white space; pdf_is_delim - a delimiter character. */
int pdf_is_space(unsigned char c);
int pdf_is_delim(unsigned char c);

/* pdf_lex_skip_space - advance past white space and comments. */
void pdf_lex_skip_space(struct pdf_lex *lx);

/* pdf_lex_next - the next token; strings and names are decoded into the arena only when
 * store is set.  ESEAL_ERR_FORMAT on bad syntax, _LIMIT past a cap. */
int pdf_lex_next(struct pdf_lex *lx, struct pdf_tok *tok, int store, eseal_error *err);

/* pdf_tok_is - whether tok is the keyword kw. */
int pdf_tok_is(const struct pdf_lex *lx, const struct pdf_tok *tok, const char *kw);

/* pdf_parse_value - parse one value (refs "N G R" included) at the cursor. */
int pdf_parse_value(struct pdf_lex *lx, pdf_obj **out, eseal_error *err);

/* pdf_parse_header - read "N G obj" at the cursor; ESEAL_ERR_FORMAT when absent. */
int pdf_parse_header(struct pdf_lex *lx, uint32_t *num, uint16_t *gen, eseal_error *err);

/* pdf_parse_indirect - parse the indirect object at file offset (header, value, and a
 * stream's extent); when want is not UINT32_MAX the header must be object want. */
int pdf_parse_indirect(pdf_doc *doc, size_t offset, uint32_t want, pdf_obj **out, eseal_error *err);

/* pdf_null - the shared read-only null. */
const pdf_obj *pdf_null(void);

/* pdf_xref_read - fill the doc's entries and trailer from the file's xref chain, or from a
 * scan of the whole file when the chain is broken. */
int pdf_xref_read(pdf_doc *doc, eseal_error *err);

/* pdf_slot - the slot of object num, or NULL when there is none. */
struct pdf_slot *pdf_slot(const pdf_doc *doc, uint32_t num);

/* pdf_slot_make - the slot of object num, made empty (free) when there was none; an object
 * number past PDF_OBJECTS_MAX is ESEAL_ERR_LIMIT. */
int pdf_slot_make(pdf_doc *doc, uint64_t num, struct pdf_slot **out, eseal_error *err);

/* pdf_slots_forget - forget every parsed value (keep_entries 1) or every slot (0). */
void pdf_slots_forget(pdf_doc *doc, int keep_entries);

/* pdf_objstm_expand - parse every object that object stream num holds into the cache;
 * calls back through pdf_doc_get() for the stream itself. */
int pdf_objstm_expand(pdf_doc *doc, uint32_t num, eseal_error *err);

/* pdf_objstm_header - decode object stream num (its value: stream) and read its /N number-offset
 * pairs: *data (free() it) of *len bytes, pairs[2*i] the i-th number and pairs[2*i+1] the offset of
 * its value in data. */
int pdf_objstm_header(pdf_doc *doc, uint32_t num, const pdf_obj *stream, unsigned char **data,
                      size_t *len, uint64_t **pairs, size_t *n, eseal_error *err);

#endif
