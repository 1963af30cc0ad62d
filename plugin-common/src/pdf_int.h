/* pdf_int.h - a small, strict PDF reader: objects, cross-reference chains, streams, pages.
 *
 * The reader sees the file as bytes in memory that it does not own.  It understands classic
 * xref tables, xref streams, hybrid files (/XRefStm), object streams, chains of incremental
 * updates (/Prev, loops refused) and falls back to scanning for "N G obj" when the
 * cross-reference data is missing or broken (pdf_doc_repaired() then says so).  Every count,
 * depth and size is capped; a file beyond a cap is ESEAL_ERR_LIMIT, a malformed one
 * ESEAL_ERR_FORMAT, both with a message that says what and where (byte offset).
 * Encrypted files open (their structure is in clear) but strings and streams are not
 * decrypted: callers check pdf_doc_encrypted() and do not seal them in place. */
#ifndef ESEAL_PDF_INT_H
#define ESEAL_PDF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf_int.h"
#include "eseal/error.h"

#define PDF_OBJECTS_MAX (1u << 22)                  /* highest object number + 1 */
#define PDF_DEPTH_MAX 64                            /* nesting of arrays and dictionaries */
#define PDF_CONTAINER_MAX 100000                    /* items of one array or dictionary */
#define PDF_STRING_MAX (16u * 1024 * 1024)          /* bytes of one string or name */
#define PDF_STREAM_MAX (256u * 1024 * 1024)         /* decoded bytes of one stream */
#define PDF_SECTIONS_MAX 4096                       /* xref sections in one /Prev chain */
#define PDF_OBJSTM_OBJECTS_MAX 100000               /* objects in one object stream */
#define PDF_REF_CHAIN_MAX 32                        /* refs followed to resolve one value */
#define PDF_PAGES_MAX 100000                        /* pages of one document */
#define PDF_MEMORY_MAX ((size_t)1024 * 1024 * 1024) /* all parsed objects of one document */

typedef enum pdf_type {
    PDF_NULL = 0,
    PDF_BOOL,
    PDF_INT,
    PDF_REAL,
    PDF_STRING, /* literal (...) or hex <...>, decoded bytes */
    PDF_NAME,   /* decoded, without the slash; #xx escapes resolved */
    PDF_ARRAY,
    PDF_DICT,
    PDF_REF,    /* N G R */
    PDF_STREAM, /* a dictionary and raw (still encoded) bytes in the file or an object stream */
} pdf_type;

typedef struct pdf_obj pdf_obj;

/* One parsed value.  Objects handed out by a pdf_doc are owned by it and live as long as
 * it; they are read-only. */
struct pdf_obj {
    pdf_type type;
    /* Byte offset in the file where this value's first token starts (for a string: its '('
     * or '<'), or SIZE_MAX for a value read from a decoded object stream. */
    size_t offset;
    /* Offset just past the value's last byte (for a string: past ')' or '>'), or SIZE_MAX. */
    size_t end;
    union {
        int boolean;
        int64_t integer;
        double real;
        struct {
            unsigned char *data; /* NUL-terminated past len */
            size_t len;
            int hex; /* written as <...> */
        } str;       /* PDF_STRING and PDF_NAME */
        struct {
            pdf_obj **items;
            size_t len;
        } array;
        struct {
            char **keys; /* names without the slash; a key appears once (the last wins) */
            pdf_obj **values;
            size_t len;
        } dict;
        struct {
            uint32_t num;
            uint16_t gen;
        } ref;
        struct {
            pdf_obj *dict;
            const unsigned char *raw; /* encoded bytes, not owned (inside the file) */
            size_t raw_len;           /* as found: /Length if it holds, else up to endstream */
        } stream;
    } u;
};

/* Where the cross-reference data puts one object. */
typedef enum pdf_entry_type {
    PDF_ENTRY_FREE = 0,   /* free or absent */
    PDF_ENTRY_OFFSET = 1, /* "N G obj" at a byte offset */
    PDF_ENTRY_OBJSTM = 2, /* the index-th object of object stream number objstm */
} pdf_entry_type;

typedef struct pdf_entry {
    pdf_entry_type type;
    uint64_t offset; /* PDF_ENTRY_OFFSET: byte offset; PDF_ENTRY_OBJSTM: the stream's number */
    uint32_t index;  /* PDF_ENTRY_OBJSTM: position in the stream */
    uint16_t gen;    /* PDF_ENTRY_OFFSET: generation */
} pdf_entry;

typedef struct pdf_doc pdf_doc;

/* pdf_doc_open - read the structure of the len bytes at data (which must outlive the doc):
 * header, the last startxref, the whole xref chain newest first, or a scan when that fails.
 * Objects themselves are parsed on demand by pdf_doc_get(). */
int pdf_doc_open(pdf_doc **out, const unsigned char *data, size_t len, eseal_error *err);

/* pdf_doc_free - release the doc and every object it handed out; NULL-safe. */
void pdf_doc_free(pdf_doc *doc);

/* pdf_doc_repaired - whether the xref data was rebuilt by scanning the file. */
int pdf_doc_repaired(const pdf_doc *doc);

/* pdf_doc_encrypted - whether the trailer names an /Encrypt dictionary. */
int pdf_doc_encrypted(const pdf_doc *doc);

/* pdf_doc_version - the header's version times ten (14 for %PDF-1.4), or 0 when absent. */
int pdf_doc_version(const pdf_doc *doc);

/* pdf_doc_trailer - the newest trailer dictionary (for an xref stream: its dictionary). */
const pdf_obj *pdf_doc_trailer(const pdf_doc *doc);

/* pdf_doc_size - one more than the highest object number of the xref chain (and at least
 * the trailers' /Size): the first number free for a new object. */
uint32_t pdf_doc_size(const pdf_doc *doc);

/* pdf_doc_startxref - the byte offset the file's last startxref points to (0 if repaired). */
uint64_t pdf_doc_startxref(const pdf_doc *doc);

/* pdf_doc_xref_is_stream - whether the newest xref section is an xref stream. */
int pdf_doc_xref_is_stream(const pdf_doc *doc);

/* pdf_doc_entry - where the newest xref data puts object num (PDF_ENTRY_FREE when nowhere). */
void pdf_doc_entry(const pdf_doc *doc, uint32_t num, pdf_entry *out);

/* pdf_doc_get - the value of object num (PDF_NULL when free, absent or unreadable as that
 * object: a broken object is a null per ISO 32000, reported only through *out).  A negative
 * status only for a cap (ESEAL_ERR_LIMIT) or out of memory. */
int pdf_doc_get(pdf_doc *doc, uint32_t num, const pdf_obj **out, eseal_error *err);

/* pdf_doc_resolve - o itself, or the object it refers to (following at most
 * PDF_REF_CHAIN_MAX refs); never NULL when the status is ESEAL_OK (a null then). */
int pdf_doc_resolve(pdf_doc *doc, const pdf_obj *o, const pdf_obj **out, eseal_error *err);

/* pdf_dict_get - the value of key in dict as written (a ref is not followed), or NULL when
 * dict is not a dictionary (a stream's dictionary counts) or lacks the key. */
const pdf_obj *pdf_dict_get(const pdf_obj *dict, const char *key);

/* pdf_doc_dict_get - pdf_dict_get, then pdf_doc_resolve; *out is NULL when the key is absent. */
int pdf_doc_dict_get(pdf_doc *doc, const pdf_obj *dict, const char *key, const pdf_obj **out,
                     eseal_error *err);

/* pdf_doc_dict_get_quiet - the value of key in dict, resolved, or NULL when absent or on any
 * failure: for yes-or-no questions, where failing means "no", the stricter answer. */
const pdf_obj *pdf_doc_dict_get_quiet(pdf_doc *doc, const pdf_obj *dict, const char *key);

/* pdf_doc_resolve_quiet - the value o refers to (o itself when direct), or NULL on failure. */
const pdf_obj *pdf_doc_resolve_quiet(pdf_doc *doc, const pdf_obj *o);

/* pdf_name_print - the name as printable ASCII ('?' for anything else) in buf. */
void pdf_name_print(char *buf, size_t size, const pdf_obj *name);

/* pdf_name_is - whether o is the name s. */
int pdf_name_is(const pdf_obj *o, const char *s);

/* pdf_doc_stream_data - the decoded bytes of stream (FlateDecode with or without PNG/TIFF
 * predictors, or no filter) into *data (free() it, NUL-terminated past *len); another
 * filter is ESEAL_ERR_FORMAT; more than max decoded bytes ESEAL_ERR_LIMIT. */
int pdf_doc_stream_data(pdf_doc *doc, const pdf_obj *stream, size_t max, unsigned char **data,
                        size_t *len, eseal_error *err);

/* pdf_doc_page_count - the number of pages, from walking the page tree (loops refused). */
int pdf_doc_page_count(pdf_doc *doc, size_t *count, eseal_error *err);

/* pdf_doc_page - the index-th page (0-based): its object number in *num (0 when the page
 * is a direct object, which this reader refuses for sealing) and its dictionary in *page. */
int pdf_doc_page(pdf_doc *doc, size_t index, uint32_t *num, const pdf_obj **page, eseal_error *err);

/* pdf_doc_inherited - the value of key on page or inherited from its /Parent chain
 * (Resources, MediaBox, CropBox, Rotate), resolved; NULL in *out when nowhere. */
int pdf_doc_inherited(pdf_doc *doc, const pdf_obj *page, const char *key, const pdf_obj **out,
                      eseal_error *err);

/* pdf_obj_write - serialize o in PDF syntax onto b (strings as hex, names escaped, reals
 * without exponent; a stream is refused: callers write streams themselves). */
int pdf_obj_write(eseal_buf *b, const pdf_obj *o);

/* pdf_obj_equal - whether a and b are the same value (refs compare by number and
 * generation, streams by dictionary and raw bytes, dictionaries regardless of key order). */
int pdf_obj_equal(const pdf_obj *a, const pdf_obj *b);

#endif
