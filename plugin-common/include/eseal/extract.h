/* eseal/extract.h - UTF-8 text of a document (plain text, HTML, PDF, OOXML, ODF), within caps. */
#ifndef ESEAL_EXTRACT_H
#define ESEAL_EXTRACT_H

#include <stddef.h>

#include "eseal/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * PDF readers: a server process, started at the first PDF, that forks a fresh process to
 * read each PDF (poppler is loaded once, not once a document).  Thread-safe; one per
 * configuration of a daemon.  Without one, each PDF starts and stops a server of its own.
 */
typedef struct eseal_pdf_reader eseal_pdf_reader;

/* eseal_pdf_reader_new - a reader whose server starts at the first PDF; free it with
 * eseal_pdf_reader_free. */
int eseal_pdf_reader_new(eseal_pdf_reader **out, eseal_error *err);

/* eseal_pdf_reader_free - stop the server (readers at work finish on their own time budget)
 * and free r; NULL-safe. */
void eseal_pdf_reader_free(eseal_pdf_reader *r);

/*
 * What one extraction may cost, and the PDF reader it uses.  Fill it with
 * eseal_extract_limits_default and change what you need; a field left at 0 takes its default.
 */
typedef struct eseal_extract_limits {
    size_t max_output;            /* bytes of text kept (default 1 MiB) */
    size_t max_inflated;          /* bytes inflated from a zip in total, and bytes of HTML parsed
                                     (default 16 MiB) */
    unsigned max_entries;         /* zip entries looked at (default 2000) */
    unsigned max_pages;           /* PDF pages read (default 50) */
    unsigned max_millis;          /* wall-clock budget (default 2000 ms), checked between pages,
                                     zip entries and chunks of text */
    eseal_pdf_reader *pdf_reader; /* not owned; NULL: a server for this PDF only */
} eseal_extract_limits;

/* eseal_extract_limits_default - fill l with the defaults above. */
void eseal_extract_limits_default(eseal_extract_limits *l);

#define ESEAL_TEXT_REASON_MAX 128

/* The text of one document.  The caller owns it (usually on the stack). */
typedef struct eseal_text {
    char *text;       /* NUL-terminated UTF-8 (invalid sequences replaced by U+FFFD, no NUL
                         inside), owned; "" when nothing was read; free with eseal_text_clear */
    size_t len;       /* strlen(text) */
    const char *kind; /* "text", "html", "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp",
                         or "none" (type not understood: empty text); a static string */
    int capped;       /* 1 when a cap stopped extraction: the text is what was read */
    int incomplete;   /* 1 when time ran out or the reader failed: what was read depends on
                       * the load of the machine, so the text proves nothing */
    char cap_reason[ESEAL_TEXT_REASON_MAX]; /* which cap, e.g. "page cap 50 of 500 pages",
                                               "zip inflated more than 16777216 bytes",
                                               "time budget 2000 ms"; "" when not capped */
    char note[ESEAL_TEXT_REASON_MAX];       /* why text may be missing although no cap was hit,
                                               e.g. "encrypted PDF", "not a zip archive"; "" when
                                               the document was read without trouble */
} eseal_text;

/*
 * eseal_extract_text - the text of data (len bytes, hostile) for classification.
 *
 * The kind is decided from mime_type (may be NULL or "application/octet-stream"), else from
 * the extension of filename (may be NULL), else from the first bytes ("%PDF-", a zip with
 * OOXML or ODF parts).  For text, charset (may be NULL) names the encoding; without one,
 * valid UTF-8 is taken as such (a UTF-16 byte-order mark is honoured) and anything else is
 * read as GB18030, which also covers GBK and GB2312.  limits may be NULL for the defaults.
 *
 * Returns 0 and fills *out, also for kind "none" and for a malformed document: then the
 * text is what could be read and capped/cap_reason or note says why it stopped.  Returns a
 * negative eseal_status (with *out cleared) only when memory runs out.
 */
int eseal_extract_text(const unsigned char *data, size_t len, const char *mime_type,
                       const char *filename, const char *charset,
                       const eseal_extract_limits *limits, eseal_text *out, eseal_error *err);

#define ESEAL_EXTRACT_KIND_SPAN 65536 /* the bytes of a document its kind is decided on */

/* eseal_extract_kind - the kind eseal_extract_text gives a document ("text", "html", "pdf",
 * "zip" for any zip, an OOXML/ODF kind when the label says so, or "none": nothing to read),
 * decided from the label and the first ESEAL_EXTRACT_KIND_SPAN bytes of data; static. */
const char *eseal_extract_kind(const unsigned char *data, size_t len, const char *mime_type,
                               const char *filename);

/* eseal_text_clear - free the text of t and reset it to empty, kind "none"; NULL-safe. */
void eseal_text_clear(eseal_text *t);

#ifdef __cplusplus
}
#endif
#endif
