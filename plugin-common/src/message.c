/* message.c - the message pipeline: parse with GMime, dispatch by direction, collect edits.
 *
 * SECURITY: the message comes from the network.  GMime parses it from the caller's spool in
 * persistent mode (parts are substreams, not copies) once the raw bytes pass the limits that
 * bound what its tree costs (message_precheck); the tree's nesting, size and base64 are then
 * checked (message_check) before anything else reads it; the walk never follows attached
 * messages; every name read from it is treated as text, never as a path. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "error_int.h"
#include "header_int.h"
#include "message_int.h"

int message_add_edit(message_job *job, eseal_edit_op op, const char *name, int index,
                     const char *value)
{
    eseal_message_result *r = job->result;
    eseal_header_edit *e;

    if (r->edit_count == r->edit_cap) {
        size_t cap = r->edit_cap ? r->edit_cap * 2 : 16;
        eseal_header_edit *n = realloc(r->edits, cap * sizeof(*n));
        if (n == NULL)
            return eseal_error_set(job->err, ESEAL_ERR_NOMEM, "out of memory");
        r->edits = n;
        r->edit_cap = cap;
    }
    e = &r->edits[r->edit_count];
    e->op = op;
    e->index = index;
    e->name = strdup(name);
    e->value = value ? strdup(value) : NULL;
    if (e->name == NULL || (value != NULL && e->value == NULL)) {
        free((char *)e->name);
        free((char *)e->value);
        return eseal_error_set(job->err, ESEAL_ERR_NOMEM, "out of memory");
    }
    r->edit_count++;
    return ESEAL_OK;
}

static int walk_object(GMimeObject *obj, GMimeMultipart *parent, int index,
                       int (*visit)(const message_leaf *, void *), void *ctx, int *number)
{
    int i, rc;

    if (GMIME_IS_MULTIPART_ENCRYPTED(obj))
        return 0; /* cipher text */
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        int signed_ = GMIME_IS_MULTIPART_SIGNED(obj);
        for (i = 0; i < g_mime_multipart_get_count(mp); i++) {
            if (signed_ && i == 1)
                continue; /* the S/MIME or PGP signature itself; every other part is content */
            if ((rc = walk_object(g_mime_multipart_get_part(mp, i), mp, i, visit, ctx, number)))
                return rc;
        }
        return 0;
    }
    if (GMIME_IS_PART(obj)) {
        message_leaf leaf = {parent, index, GMIME_PART(obj), ++*number};
        return visit(&leaf, ctx);
    }
    return 0; /* message/rfc822 and message/partial: somebody else's message */
}

int message_walk(GMimeMessage *message, int (*visit)(const message_leaf *, void *), void *ctx)
{
    GMimeObject *top = g_mime_message_get_mime_part(message);
    int number = 0;

    return top == NULL ? 0 : walk_object(top, NULL, 0, visit, ctx, &number);
}

/* Whether part is of type application/SUBTYPE or application/x-SUBTYPE, or its file name
 * ends in the four characters ext. */
static int message_part_is(GMimePart *part, const char *subtype, const char *ext)
{
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    const char *name = g_mime_part_get_filename(part);
    size_t len = name ? strlen(name) : 0;
    char x_subtype[64];

    snprintf(x_subtype, sizeof(x_subtype), "x-%s", subtype);
    return g_mime_content_type_is_type(ct, "application", subtype) ||
           g_mime_content_type_is_type(ct, "application", x_subtype) ||
           (len > 4 && strcasecmp(name + len - 4, ext) == 0);
}

int message_is_signature(GMimePart *part)
{
    return message_part_is(part, "pkcs7-signature", ".p7s");
}

int message_is_smime_opaque(GMimePart *part)
{
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));

    return g_mime_content_type_is_type(ct, "application", "pkcs7-mime") ||
           g_mime_content_type_is_type(ct, "application", "x-pkcs7-mime");
}

int message_is_pdf(GMimePart *part)
{
    return message_part_is(part, "pdf", ".pdf");
}

int message_is_ofd(GMimePart *part)
{
    return message_part_is(part, "ofd", ".ofd");
}

int message_is_attachment(const message_leaf *leaf)
{
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(leaf->part));
    GMimeContentType *parent =
        leaf->parent ? g_mime_object_get_content_type(GMIME_OBJECT(leaf->parent)) : NULL;

    if (g_mime_part_get_filename(leaf->part) != NULL)
        return 1;
    /* an unnamed picture of an HTML body (multipart/related) or an alternative rendering is
     * part of the text, not a document */
    if (parent != NULL && (g_mime_content_type_is_type(parent, "multipart", "related") ||
                           g_mime_content_type_is_type(parent, "multipart", "alternative")))
        return 0;
    return !g_mime_content_type_is_type(ct, "text", "*");
}

const char *message_part_name(const message_leaf *leaf, char *buf, size_t size)
{
    const char *name = g_mime_part_get_filename(leaf->part);

    if (name != NULL && name[0] != '\0')
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "part-%d", leaf->number);
    return buf;
}

int message_part_decode_each(GMimePart *part, int (*sink)(const unsigned char *, size_t, void *),
                             void *ctx)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    GMimeStream *raw = content ? g_mime_data_wrapper_get_stream(content) : NULL;
    GMimeEncoding state;
    char in[MESSAGE_DECODE_CHUNK];
    unsigned char out[MESSAGE_DECODE_CHUNK + 64]; /* the largest a step makes of a chunk */
    ssize_t n;
    size_t k;
    int rc = 0;

    if (raw == NULL)
        return 0;
    g_mime_encoding_init_decode(&state, g_mime_data_wrapper_get_encoding(content));
    g_mime_stream_reset(raw);
    while (rc == 0 && (n = g_mime_stream_read(raw, in, sizeof(in))) > 0) {
        k = g_mime_encoding_step(&state, in, (size_t)n, (char *)out);
        rc = k > 0 ? sink(out, k, ctx) : 0;
    }
    if (rc == 0 && (k = g_mime_encoding_flush(&state, in, 0, (char *)out)) > 0)
        rc = sink(out, k, ctx);
    g_mime_stream_reset(raw);
    return rc;
}

/* Where message_part_decode collects. */
typedef struct decode_bytes {
    GByteArray *bytes;
    size_t max;
    int truncated;
} decode_bytes;

static int decode_append(const unsigned char *data, size_t len, void *arg)
{
    decode_bytes *d = arg;
    size_t room = d->max - d->bytes->len;

    if (len > room) {
        g_byte_array_append(d->bytes, data, (guint)room);
        d->truncated = 1;
        return 1;
    }
    g_byte_array_append(d->bytes, data, (guint)len);
    return 0;
}

GByteArray *message_part_decode(GMimePart *part, size_t max, int *truncated)
{
    decode_bytes d = {g_byte_array_new(), max, 0};

    message_part_decode_each(part, decode_append, &d);
    if (truncated != NULL)
        *truncated = d.truncated;
    return d.bytes;
}

/* Why a part makes the whole message untouchable, or NULL. */
static const char *protected_part(GMimeObject *obj)
{
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    const char *protocol;
    int i;

    if (GMIME_IS_MULTIPART_SIGNED(obj)) {
        protocol = g_mime_content_type_get_parameter(ct, "protocol");
        return protocol && strstr(protocol, "pgp") ? "PGP signed" : "S/MIME signed";
    }
    if (GMIME_IS_MULTIPART_ENCRYPTED(obj))
        return "PGP encrypted";
    if (GMIME_IS_PART(obj) && message_is_smime_opaque(GMIME_PART(obj)))
        return "S/MIME signed or encrypted";
    if (GMIME_IS_MULTIPART(obj))
        for (i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(obj)); i++) {
            const char *why = protected_part(g_mime_multipart_get_part(GMIME_MULTIPART(obj), i));
            if (why != NULL)
                return why;
        }
    return NULL;
}

const char *message_protected(GMimeMessage *message)
{
    GMimeObject *top = g_mime_message_get_mime_part(message);

    return top == NULL ? NULL : protected_part(top);
}

/* Skip RFC 5322 CFWS (white space and comments, which nest) at p. */
static const char *message_skip_cfws(const char *p)
{
    int depth = 0;

    for (; *p != '\0'; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0)
            depth--;
        else if (*p == '\\' && depth > 0 && p[1] != '\0')
            p++;
        else if (depth == 0 && !strchr(" \t\r\n", *p))
            break;
    }
    return p;
}

int eseal_message_header_is_ours(const char *name, const char *value, const char *authserv_id)
{
    size_t len = strlen(authserv_id);
    int quoted;

    if (strncasecmp(name, "ESeal-", 6) == 0)
        return 1;
    if (strcasecmp(name, "Authentication-Results") != 0 || value == NULL)
        return 0;
    value = message_skip_cfws(value); /* RFC 8601: CFWS and a quoted authserv-id are allowed */
    quoted = *value == '"';
    value += quoted;
    if (strncasecmp(value, authserv_id, len) != 0)
        return 0;
    value += len;
    if (quoted && *value++ != '"')
        return 0;
    value = message_skip_cfws(value);
    return *value == ';' || *value == '\0';
}

/* Delete every header this host would write that came with the message, whichever the
 * direction: an internal sender must not forge a verdict for internal recipients either.
 * Indices are counted in one pass (a message may carry a great many forged headers). */
int message_remove_forgeries(message_job *job)
{
    GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(job->message));
    const char *authserv = eseal_runtime_config(job->rt)->authserv_id;
    int i, rc = ESEAL_OK, count = g_mime_header_list_get_count(headers), forged = 0;
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    int *index = g_new0(int, count > 0 ? count : 1);

    for (i = 0; i < count; i++) { /* the MTA's index: the header's rank among its name */
        GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
        char *key = g_ascii_strdown(g_mime_header_get_name(h), -1);
        int n = GPOINTER_TO_INT(g_hash_table_lookup(seen, key)) + 1;
        g_hash_table_replace(seen, key, GINT_TO_POINTER(n));
        index[i] = eseal_message_header_is_ours(g_mime_header_get_name(h),
                                                g_mime_header_get_value(h), authserv)
                       ? n
                       : 0;
        forged += index[i] != 0;
    }
    if (forged > MESSAGE_FORGED_MAX)
        rc = eseal_error_set(job->err, ESEAL_ERR_LIMIT,
                             "%d ESeal-* headers arrived with the message, over %d", forged,
                             MESSAGE_FORGED_MAX);
    for (i = count - 1; rc == ESEAL_OK && i >= 0; i--) /* from the last up: indices hold */
        if (index[i] != 0)
            rc = message_add_edit(
                job, ESEAL_EDIT_DELETE,
                g_mime_header_get_name(g_mime_header_list_get_header_at(headers, i)), index[i],
                NULL);
    g_free(index);
    g_hash_table_destroy(seen);
    return rc;
}

void eseal_message_unchecked_header(const eseal_runtime *rt, eseal_direction dir,
                                    const char *reason, const char **name, char *value, size_t size)
{
    header_value h;

    *name = dir == ESEAL_OUTBOUND ? "ESeal-Outbound" : "ESeal-Verification";
    header_begin(&h, *name, eseal_runtime_config(rt)->authserv_id);
    if (dir == ESEAL_OUTBOUND) {
        header_add_number(&h, "sealed", 0);
        header_add_number(&h, "refused", 0);
    } else {
        header_add(&h, "result", "error", 0);
    }
    header_add(&h, "reason", reason, 1);
    snprintf(value, size, "%s", h.text);
}

/* Where the precheck stands in the raw message. */
typedef enum precheck_state {
    PRECHECK_HEADER, /* in a header block */
    PRECHECK_PROBE,  /* at a line that starts a header block if it is a field: after a
                        boundary, or where an attached message may begin */
    PRECHECK_NAME,   /* ... and so far it reads like a field name */
    PRECHECK_COLON,  /* ... followed by white space: a ':' makes it a field */
    PRECHECK_BODY,   /* in content */
} precheck_state;

#define PRECHECK_FIELD_START 32 /* bytes of a field kept to recognise its name and value */

/* What the precheck learns of the raw message, one byte at a time. */
typedef struct precheck {
    uint64_t offset;                        /* of the byte looked at */
    uint64_t line;                          /* 1-based number of the current line */
    size_t line_len;                        /* bytes of the current line so far */
    unsigned char first;                    /* the first byte of the current line */
    int dashes;                             /* the line starts with "--" (so far) */
    precheck_state state;                   /* where it stands */
    size_t boundaries;                      /* lines that start with "--" */
    size_t fields;                          /* header fields, all header blocks */
    size_t field_len;                       /* bytes of the current field, folds included */
    size_t header_bytes;                    /* bytes of all header blocks */
    char field_start[PRECHECK_FIELD_START]; /* the field, lower case, without white space */
    size_t field_start_len;
    int block_message; /* the header block says message/...: an attached message follows */
    int digest;        /* a multipart/digest was seen: its parts are messages by default */
} precheck;

/* Note the end of the current header field: a Content-Type of an attached message or of a
 * digest changes what follows. */
static void precheck_field_end(precheck *p)
{
    static const char ct[] = "content-type:";
    size_t n = sizeof(ct) - 1;

    if (p->field_start_len >= n + 8 && memcmp(p->field_start, ct, n) == 0) {
        p->block_message |= memcmp(p->field_start + n, "message/", 8) == 0;
        p->digest |=
            p->field_start_len >= n + 16 && memcmp(p->field_start + n, "multipart/digest", 16) == 0;
    }
    p->field_start_len = 0;
    p->field_len = 0;
}

/* Begin a header field with the line that is being read (the bytes before the current one
 * were its name, read while probing). */
static int precheck_field_begin(precheck *p, eseal_error *err)
{
    p->state = PRECHECK_HEADER;
    if (++p->fields > MESSAGE_HEADERS_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "more than %d header fields (line %llu)",
                               MESSAGE_HEADERS_MAX, (unsigned long long)p->line);
    p->field_len = p->line_len - 1; /* the bytes of its name, read while probing */
    p->header_bytes += p->line_len - 1;
    return ESEAL_OK;
}

/* Count one byte of a header field. */
static int precheck_header_byte(precheck *p, unsigned char c, eseal_error *err)
{
    if (c == '\0')
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "NUL byte in a header (offset %llu)",
                               (unsigned long long)p->offset);
    if (++p->field_len > MESSAGE_HEADER_FIELD_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT,
                               "header field longer than %d bytes (line %llu)",
                               MESSAGE_HEADER_FIELD_MAX, (unsigned long long)p->line);
    if (++p->header_bytes > MESSAGE_HEADER_BYTES_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "headers longer than %d bytes in all",
                               MESSAGE_HEADER_BYTES_MAX);
    if (p->field_start_len < sizeof(p->field_start) && !strchr(" \t\r\n", c))
        p->field_start[p->field_start_len++] = (char)g_ascii_tolower((char)c);
    return ESEAL_OK;
}

/* The end of a line (its '\n' read). */
static void precheck_line_end(precheck *p)
{
    int empty = p->line_len == 1 || (p->line_len == 2 && p->first == '\r');

    if (p->dashes) {
        p->boundaries++; /* a part, and its header block, may follow */
        precheck_field_end(p);
        p->block_message = 0;
        p->state = PRECHECK_PROBE;
    } else if (empty && (p->state == PRECHECK_HEADER || p->state == PRECHECK_PROBE)) {
        precheck_field_end(p); /* the end of a header block: an attached message follows? */
        p->state = p->block_message || p->digest ? PRECHECK_PROBE : PRECHECK_BODY;
        p->block_message = 0;
    } else if (p->state != PRECHECK_HEADER) {
        p->state = PRECHECK_BODY; /* the probed line was no field */
    }
    p->line++;
    p->line_len = 0;
    p->dashes = 0;
}

/* Look at one byte: every limit that can be seen before parsing. */
static int precheck_byte(precheck *p, unsigned char c, eseal_error *err)
{
    int rc = ESEAL_OK;

    if (++p->line_len > MESSAGE_LINE_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "line %llu longer than %d bytes",
                               (unsigned long long)p->line, MESSAGE_LINE_MAX);
    if (p->line_len == 1) {
        p->first = c;
        if (p->state == PRECHECK_HEADER && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            precheck_field_end(p); /* not a fold: a new field */
            rc = precheck_field_begin(p, err);
        }
    }
    if (p->line_len <= 2)
        p->dashes = c == '-' && (p->line_len == 1 || p->dashes);
    switch (p->state) { /* a field name is printable ASCII but ':' (RFC 5322 section 3.6.8) */
    case PRECHECK_PROBE:
    case PRECHECK_NAME:
        if (c > ' ' && c < 0x7f && c != ':' && p->field_start_len < sizeof(p->field_start))
            p->field_start[p->field_start_len++] = (char)g_ascii_tolower((char)c);
        if (c > ' ' && c < 0x7f && c != ':')
            p->state = PRECHECK_NAME;
        else if (p->state == PRECHECK_NAME && (c == ' ' || c == '\t'))
            p->state = PRECHECK_COLON;
        else if (p->state == PRECHECK_NAME && c == ':')
            rc = precheck_field_begin(p, err);
        else if (c != '\r' && c != '\n')
            p->state = PRECHECK_BODY;
        break;
    case PRECHECK_COLON:
        if (c == ':')
            rc = precheck_field_begin(p, err);
        else if (c != ' ' && c != '\t')
            p->state = PRECHECK_BODY;
        break;
    case PRECHECK_HEADER:
    case PRECHECK_BODY:
        break;
    }
    if (rc == ESEAL_OK && p->state == PRECHECK_HEADER)
        rc = precheck_header_byte(p, c, err);
    if (c == '\n')
        precheck_line_end(p);
    p->offset++;
    return rc;
}

/* Refuse, before GMime builds a tree for it, a message past a limit that the raw bytes show:
 * more boundary-like lines than any real mail has (the tree costs some 40 times the message
 * in memory), too many or too long header fields (some 50 times), a NUL in a header, a line
 * longer than any MTA passes on.  Header blocks are found as GMime will: at the top, after a
 * line that starts with "--" when the next line reads as a field, and where an attached
 * message begins; when unsure it counts a block rather than not. */
static int message_precheck(const eseal_message_input *in, eseal_error *err)
{
    unsigned char buf[65536];
    precheck p;
    size_t i, n;
    off_t at = 0;
    int rc;

    memset(&p, 0, sizeof(p));
    p.line = 1;
    p.state = PRECHECK_HEADER;
    for (;;) {
        if (in->data != NULL) {
            n = (size_t)at < in->len ? in->len - (size_t)at : 0;
            if (n > sizeof(buf))
                n = sizeof(buf);
            memcpy(buf, in->data + at, n);
        } else {
            ssize_t got = pread(in->fd, buf, sizeof(buf), at);
            if (got < 0)
                return eseal_error_set(err, ESEAL_ERR_IO, "cannot read the spooled message");
            n = (size_t)got;
        }
        if (n == 0)
            break;
        for (i = 0; i < n; i++) {
            if (p.state == PRECHECK_BODY && p.line_len >= 2 && buf[i] != '\n' &&
                p.line_len < MESSAGE_LINE_MAX) {
                /* inside a body line only its length counts: on to its end at once */
                const unsigned char *nl = memchr(buf + i, '\n', n - i);
                size_t run = (nl != NULL ? (size_t)(nl - buf) : n) - i;
                if (run > MESSAGE_LINE_MAX - p.line_len)
                    run = MESSAGE_LINE_MAX - p.line_len;
                p.line_len += run;
                p.offset += run;
                i += run - 1;
                continue;
            }
            if ((rc = precheck_byte(&p, buf[i], err)) != ESEAL_OK)
                return rc;
        }
        if (p.boundaries > MESSAGE_BOUNDARIES_MAX)
            return eseal_error_set(err, ESEAL_ERR_LIMIT,
                                   "more than %d MIME boundary lines; not parsed",
                                   MESSAGE_BOUNDARIES_MAX);
        at += (off_t)n;
    }
    return ESEAL_OK;
}

/* Check the base64 of an attachment or a signature: only the base64 alphabet and white
 * space, '=' only at the end.  Decoders differ on anything else (most skip it, some stop),
 * so a seal made or checked on it would not be over what the reader sees; GMime's decoder
 * would skip it silently.  (Body text is not checked: mailing lists append footers.) */
static int message_check_base64(const message_leaf *leaf, void *arg)
{
    GMimePart *part = leaf->part;
    eseal_error *err = arg;
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    GMimeStream *raw = content ? g_mime_data_wrapper_get_stream(content) : NULL;
    const char *name = g_mime_part_get_filename(part);
    unsigned char buf[16384];
    long long at = 0;
    int padded = 0;
    ssize_t n, i;

    if (raw == NULL || g_mime_part_get_content_encoding(part) != GMIME_CONTENT_ENCODING_BASE64 ||
        !(message_is_signature(part) || message_is_attachment(leaf)))
        return ESEAL_OK;
    g_mime_stream_reset(raw);
    while ((n = g_mime_stream_read(raw, (char *)buf, sizeof(buf))) > 0) {
        for (i = 0; i < n; i++, at++) {
            unsigned char c = buf[i];
            if (g_ascii_isalnum(c) && !padded) /* the common case first: one table look-up */
                continue;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                continue;
            if (c == '=') {
                padded = 1;
            } else if (padded || !(g_ascii_isalnum(c) || c == '+' || c == '/')) {
                g_mime_stream_reset(raw);
                if (name != NULL)
                    return eseal_error_set(err, ESEAL_ERR_LIMIT,
                                           "\"%.200s\": not valid base64 (byte 0x%02x at "
                                           "offset %lld of its content)",
                                           name, c, at);
                return eseal_error_set(err, ESEAL_ERR_LIMIT,
                                       "MIME part %d: not valid base64 (byte 0x%02x at offset "
                                       "%lld of its content)",
                                       leaf->number, c, at);
            }
        }
    }
    g_mime_stream_reset(raw);
    return ESEAL_OK;
}

/* Check the parsed tree, attached messages included: nesting and count. */
static int message_check_object(GMimeObject *obj, int depth, int *count, eseal_error *err)
{
    int i, rc;

    if (depth > MESSAGE_DEPTH_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "MIME parts nested more than %d deep",
                               MESSAGE_DEPTH_MAX);
    if (++*count > MESSAGE_PARTS_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "more than %d MIME parts", MESSAGE_PARTS_MAX);
    if (GMIME_IS_MULTIPART(obj)) {
        for (i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(obj)); i++)
            if ((rc = message_check_object(g_mime_multipart_get_part(GMIME_MULTIPART(obj), i),
                                           depth + 1, count, err)) != ESEAL_OK)
                return rc;
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        GMimeObject *top = inner ? g_mime_message_get_mime_part(inner) : NULL;
        if (top != NULL)
            return message_check_object(top, depth + 1, count, err);
    }
    return ESEAL_OK;
}

/* The limits that the parsed tree shows. */
static int message_check(GMimeMessage *message, eseal_error *err)
{
    GMimeObject *top = g_mime_message_get_mime_part(message);
    int count = 0, rc;

    if (top == NULL)
        return ESEAL_OK;
    if ((rc = message_check_object(top, 0, &count, err)) != ESEAL_OK)
        return rc;
    return message_walk(message, message_check_base64, err);
}

static GMimeStream *message_stream(const eseal_message_input *in)
{
    if (in->data != NULL)
        return g_mime_stream_mem_new_with_buffer((const char *)in->data, in->len);
    int fd = dup(in->fd);
    /* explicit bounds: a plain fs stream would start where the spool's writes ended */
    return fd < 0 ? NULL : g_mime_stream_fs_new_with_bounds(fd, 0, -1);
}

static int64_t message_now_ns(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

int eseal_message_process(const eseal_runtime *rt, eseal_direction dir,
                          const eseal_message_input *in, eseal_message_result **out,
                          eseal_error *err)
{
    static const char *fallback[] = {"UTF-8", "GB18030", "Big5", "ISO-8859-1", NULL};
    eseal_message_result *r;
    GMimeParserOptions *options;
    GMimeParser *parser;
    GMimeStream *stream;
    message_job job;
    int rc;

    *out = NULL;
    if ((rc = message_precheck(in, err)) != ESEAL_OK)
        return rc;
    stream = message_stream(in);
    if (stream == NULL)
        return eseal_error_set(err, ESEAL_ERR_IO, "cannot read the spooled message");
    r = calloc(1, sizeof(*r));
    if (r == NULL) {
        g_object_unref(stream);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    r->body_fd = -1;
    parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_persist_stream(parser, TRUE);
    options = g_mime_parser_options_new();
    g_mime_parser_options_set_fallback_charsets(options, fallback);
    job.rt = rt;
    job.extract_deadline_ns = message_now_ns() + (int64_t)MESSAGE_EXTRACT_MILLIS * 1000000;
    job.extracted = 0;
    job.envelope_from = in->envelope_from;
    job.result = r;
    job.err = err;
    job.message = g_mime_parser_construct_message(parser, options);
    if (job.message == NULL) {
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "not a MIME message (no header block)");
    } else if ((rc = message_check(job.message, err)) != ESEAL_OK) {
        g_object_unref(job.message);
    } else {
        rc = dir == ESEAL_OUTBOUND ? message_outbound(&job) : message_inbound(&job);
        g_object_unref(job.message);
    }
    g_mime_parser_options_free(options);
    g_object_unref(parser);
    g_object_unref(stream);
    if (rc != ESEAL_OK) {
        eseal_message_result_free(r);
        return rc;
    }
    *out = r;
    return ESEAL_OK;
}

size_t eseal_message_result_edit_count(const eseal_message_result *r)
{
    return r->edit_count;
}

const eseal_header_edit *eseal_message_result_edit(const eseal_message_result *r, size_t i)
{
    return i < r->edit_count ? &r->edits[i] : NULL;
}

int eseal_message_result_body_fd(const eseal_message_result *r)
{
    return r->body_fd;
}

eseal_message_action eseal_message_result_action(const eseal_message_result *r, const char **reason)
{
    if (reason != NULL)
        *reason = r->reason;
    return r->action;
}

void eseal_message_result_counts(const eseal_message_result *r, eseal_message_counts *out)
{
    *out = r->counts;
}

const char *eseal_message_result_summary(const eseal_message_result *r)
{
    return r->summary;
}

void eseal_message_result_free(eseal_message_result *r)
{
    size_t i;

    if (r == NULL)
        return;
    for (i = 0; i < r->edit_count; i++) {
        free((char *)r->edits[i].name);
        free((char *)r->edits[i].value);
    }
    free(r->edits);
    if (r->body_fd >= 0)
        close(r->body_fd);
    free(r);
}
