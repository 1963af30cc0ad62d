/* message.c - the message pipeline: parse with GMime, dispatch by direction, collect edits.
 *
 * SECURITY: the message comes from the network.  GMime parses it from the caller's spool in
 * persistent mode (parts are substreams, not copies); the walk never follows attached
 * messages and is bounded by GMime's own nesting limits; every name read from it is
 * treated as text, never as a path. */
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

GByteArray *message_part_decode(GMimePart *part)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    GMimeStream *mem;
    GByteArray *bytes;

    if (content == NULL)
        return g_byte_array_new();
    mem = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(content, mem);
    bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE); /* the array is ours now */
    g_object_unref(mem);
    return bytes;
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

/* Refuse, before GMime builds a tree for it, a message with more boundary-like lines than
 * any real mail has: the tree costs some 40 times the message in memory. */
static int message_precheck(const eseal_message_input *in, eseal_error *err)
{
    char buf[65536];
    size_t lines = 0, i, n;
    off_t at = 0;
    char prev = '\n', prev2 = 0;

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
        for (i = 0; i < n; i++) { /* "--" at the start of a line */
            lines += buf[i] == '-' && prev == '-' && prev2 == '\n';
            prev2 = prev;
            prev = buf[i];
        }
        at += (off_t)n;
    }
    if (lines > MESSAGE_BOUNDARIES_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "more than %d MIME boundary lines; not parsed",
                               MESSAGE_BOUNDARIES_MAX);
    return ESEAL_OK;
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
