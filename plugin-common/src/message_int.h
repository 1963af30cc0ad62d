/* message_int.h - what the parts of the message pipeline share. */
#ifndef ESEAL_MESSAGE_INT_H
#define ESEAL_MESSAGE_INT_H

#include <stdint.h>

#include <gmime/gmime.h>

#include "eseal/message.h"
#include "eseal/policy.h"

#define MESSAGE_SUMMARY_MAX 512
#define MESSAGE_FORGED_MAX 1000         /* more forged headers than this: the message is refused */
#define MESSAGE_BOUNDARIES_MAX 4000     /* boundary lines beyond any real mail: not parsed */
#define MESSAGE_EXTRACT_MILLIS 10000    /* text extraction time per message, all parts */
#define MESSAGE_EXTRACT_DOC_MILLIS 5000 /* ... and per document */
#define MESSAGE_EXTRACT_DOCS_MAX 50     /* documents whose text is read per message */

/* Limits against resource attacks (eseal-milter(8), LIMITS); past any of them the message is
 * not processed (ESEAL_ERR_LIMIT): a parsed header costs GMime some 50 times its bytes. */
#define MESSAGE_HEADERS_MAX 10000              /* header fields, all header blocks together */
#define MESSAGE_HEADER_FIELD_MAX (100 * 1024)  /* bytes of one header field, folds included */
#define MESSAGE_HEADER_BYTES_MAX (1024 * 1024) /* bytes of all header blocks together */
#define MESSAGE_LINE_MAX (1024 * 1024)         /* bytes of one line, CRLF included */
#define MESSAGE_DEPTH_MAX 100                  /* nesting of multiparts and attached messages */
#define MESSAGE_PARTS_MAX 1000                 /* MIME entities, attached messages' included */

#define MESSAGE_REASON_MAX 512
#define MESSAGE_DECODE_CHUNK (64 * 1024) /* encoded bytes decoded at a time */

struct eseal_message_result {
    eseal_header_edit *edits; /* names and values owned here */
    size_t edit_count, edit_cap;
    int body_fd;
    eseal_message_action action;
    char reason[MESSAGE_REASON_MAX];
    char summary[MESSAGE_SUMMARY_MAX];
    eseal_message_counts counts; /* set with the summary */
};

/* One run of the pipeline over one parsed message. */
typedef struct message_job {
    const eseal_runtime *rt;
    int64_t extract_deadline_ns; /* all text extraction of the message ends by then */
    int extracted;               /* documents whose text was extracted */
    const char *envelope_from;   /* NULL when unknown */
    GMimeMessage *message;
    eseal_message_result *result;
    eseal_error *err;
} message_job;

/* message_add_edit - append a header edit (name and value are copied). */
int message_add_edit(message_job *job, eseal_edit_op op, const char *name, int index,
                     const char *value);

/* message_classify_message - the categories of the message itself (subject, body text), or
 * NULL in *out when there is no policy. */
int message_classify_message(message_job *job, eseal_classification **out);

/* message_classify_part - the categories of one attachment (its name, type and text),
 * merged with the message's (may be NULL); NULL in *out when there is no policy.  When text
 * extraction stopped at a cap, capped gets "text capped: REASON" (classified on what was
 * read), else ""; *incomplete is set when what was read depends on time (the per-message
 * budget, a slow or failed reader) or a term could not be matched: then nothing is proven. */
int message_classify_part(message_job *job, GMimePart *part, const char *name,
                          const eseal_classification *message, eseal_classification **out,
                          char *capped, size_t capped_size, int *incomplete);

/* message_remove_forgeries - delete the ESeal-* headers (and Authentication-Results of our
 * authserv-id) that came with the message: only this host writes them. */
int message_remove_forgeries(message_job *job);

/* message_outbound - seal what may be sealed (message.c calls it). */
int message_outbound(message_job *job);

/* message_inbound - remove forged ESeal-* headers, verify every seal (message.c calls it). */
int message_inbound(message_job *job);

/* A leaf part met by message_walk, with where it stands. */
typedef struct message_leaf {
    GMimeMultipart *parent; /* NULL for the message's top-level part */
    int index;              /* position in parent */
    GMimePart *part;
    int number; /* 1-based position among all leaves, for unnamed parts */
} message_leaf;

/* message_walk - call visit on every leaf part, depth first, without entering attached
 * messages (message/rfc822) or encrypted multiparts; of a multipart/signed only the signed
 * content is walked; stops when visit returns non-0. */
int message_walk(GMimeMessage *message, int (*visit)(const message_leaf *leaf, void *ctx),
                 void *ctx);

/* message_is_attachment - a part with a file name, or a leaf that is not text (but not the
 * unnamed inline parts of multipart/related or /alternative). */
int message_is_attachment(const message_leaf *leaf);

/* message_is_signature - a CMS signature part (application/pkcs7-signature or .p7s). */
int message_is_signature(GMimePart *part);

/* message_is_pdf - a part that says it is a PDF (its type, or a .pdf name); the caller checks
 * the content before it believes it. */
int message_is_pdf(GMimePart *part);

/* message_is_ofd - a part that says it is an OFD document (application/ofd, or a .ofd name). */
int message_is_ofd(GMimePart *part);

/* message_is_smime_opaque - an S/MIME application/pkcs7-mime part (signed or encrypted). */
int message_is_smime_opaque(GMimePart *part);

/* message_part_name - the decoded file name, or "part-N" for an unnamed leaf; into buf. */
const char *message_part_name(const message_leaf *leaf, char *buf, size_t size);

/* message_part_decode_each - decode the content of part in pieces of at most
 * MESSAGE_DECODE_CHUNK + 64 bytes, each handed to sink; stops when sink returns non-0 and
 * returns what it returned (0 when all was decoded). */
int message_part_decode_each(GMimePart *part, int (*sink)(const unsigned char *, size_t, void *),
                             void *ctx);

/* message_part_decode - the decoded content of part, its first max bytes (SIZE_MAX: all), as
 * a new byte array (g_byte_array_unref); *truncated (may be NULL) says whether there was more. */
GByteArray *message_part_decode(GMimePart *part, size_t max, int *truncated);

/* message_protected - why the message must not be touched ("S/MIME signed", ...) or NULL. */
const char *message_protected(GMimeMessage *message);

#endif
