/* message_policy.c - classify a message and its attachments with the runtime's policy.
 *
 * SECURITY: the texts come from hostile mail; extraction is capped (eseal/extract.h) and
 * the policy engine bounds its matching. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eseal/extract.h"
#include "error_int.h"
#include "message_int.h"

#define POLICY_BODY_MAX (1024 * 1024)            /* body text classified per message */
#define POLICY_BODY_INPUT_MAX (16 * 1024 * 1024) /* bytes of a body part read for it */

/* Collects the text of the message's body parts (text leaves that are not attachments). */
typedef struct body_text {
    GString *text;
} body_text;

static int body_collect(const message_leaf *leaf, void *arg)
{
    body_text *body = arg;
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(leaf->part));
    GByteArray *bytes;
    eseal_text text;

    if (g_mime_part_get_filename(leaf->part) != NULL ||
        !g_mime_content_type_is_type(ct, "text", "*") || body->text->len >= POLICY_BODY_MAX)
        return 0;
    size_t room = POLICY_BODY_MAX - body->text->len;
    bytes = message_part_decode(leaf->part, POLICY_BODY_INPUT_MAX, NULL);
    char *mime = g_mime_content_type_get_mime_type(ct);
    if (eseal_extract_text(bytes->data, bytes->len, mime, NULL,
                           g_mime_content_type_get_parameter(ct, "charset"), NULL, &text,
                           NULL) == ESEAL_OK) {
        g_string_append_len(body->text, text.text, (gssize)(text.len < room ? text.len : room));
        g_string_append_c(body->text, '\n');
        eseal_text_clear(&text);
    }
    g_free(mime);
    g_byte_array_unref(bytes);
    return 0;
}

int message_classify_message(message_job *job, eseal_classification **out)
{
    const eseal_policy *policy = eseal_runtime_policy(job->rt);
    body_text body;
    eseal_policy_doc doc;
    int rc;

    *out = NULL;
    if (policy == NULL)
        return ESEAL_OK;
    body.text = g_string_new(NULL);
    message_walk(job->message, body_collect, &body);
    memset(&doc, 0, sizeof(doc));
    doc.subject = g_mime_message_get_subject(job->message);
    doc.body = body.text->str;
    doc.body_len = body.text->len;
    rc = eseal_policy_classify(policy, &doc, out, job->err);
    g_string_free(body.text, TRUE);
    return rc;
}

/* Milliseconds left of the message's extraction budget (0: spent). */
static unsigned policy_millis_left(const message_job *job)
{
    struct timespec now;
    int64_t left;

    clock_gettime(CLOCK_MONOTONIC, &now);
    left = (job->extract_deadline_ns - ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec)) / 1000000;
    if (left <= 0)
        return 0;
    return left < MESSAGE_EXTRACT_DOC_MILLIS ? (unsigned)left : MESSAGE_EXTRACT_DOC_MILLIS;
}

/* The text of part for classification, decoded only as far as its kind is read: nothing past
 * the kind's span when there is nothing to read, the HTML cap of text and HTML, all of a PDF
 * or a zip (their structure is at the end). */
static int policy_extract(GMimePart *part, const char *mime, const char *name,
                          const eseal_extract_limits *limits, eseal_text *text, eseal_error *err)
{
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    const char *charset = g_mime_content_type_get_parameter(ct, "charset");
    int more = 0, rc;
    GByteArray *bytes = message_part_decode(part, ESEAL_EXTRACT_KIND_SPAN, &more);
    const char *kind = eseal_extract_kind(bytes->data, bytes->len, mime, name);
    size_t max =
        strcmp(kind, "text") == 0 || strcmp(kind, "html") == 0 ? limits->max_inflated : SIZE_MAX;

    if (more && strcmp(kind, "none") != 0) {
        g_byte_array_unref(bytes);
        bytes = message_part_decode(part, max, &more);
    }
    rc = eseal_extract_text(bytes->data, bytes->len, mime, name, charset, limits, text, err);
    if (rc == ESEAL_OK && more && strcmp(kind, "none") != 0 && !text->capped) {
        text->capped = 1;
        snprintf(text->cap_reason, sizeof(text->cap_reason), "read the first %u bytes", bytes->len);
    }
    g_byte_array_unref(bytes);
    return rc;
}

int message_classify_part(message_job *job, GMimePart *part, const char *name,
                          const eseal_classification *message, eseal_classification **out,
                          char *capped, size_t capped_size, int *incomplete)
{
    eseal_extract_limits limits;
    const eseal_policy *policy = eseal_runtime_policy(job->rt);
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    eseal_policy_doc doc;
    eseal_text text;
    char *mime;
    int rc;

    *out = NULL;
    *incomplete = 0;
    capped[0] = '\0';
    if (policy == NULL)
        return ESEAL_OK;
    eseal_extract_limits_default(&limits);
    limits.max_millis = policy_millis_left(job);
    limits.pdf_reader = eseal_runtime_pdf_reader(job->rt);
    mime = g_mime_content_type_get_mime_type(ct);
    if (limits.max_millis == 0 || job->extracted >= MESSAGE_EXTRACT_DOCS_MAX) {
        /* the budget of the message is spent: its name and type are still classified */
        memset(&text, 0, sizeof(text));
        text.text = NULL;
        text.incomplete = 1;
        snprintf(text.cap_reason, sizeof(text.cap_reason), "%s",
                 limits.max_millis == 0 ? "the message's time for reading documents is spent"
                                        : "too many documents in one message");
        text.capped = 1;
        rc = ESEAL_OK;
    } else {
        job->extracted++;
        rc = policy_extract(part, mime, name, &limits, &text, job->err);
    }
    if (rc != ESEAL_OK) {
        g_free(mime);
        return rc;
    }
    if (text.capped)
        snprintf(capped, capped_size, "text capped: %s", text.cap_reason);
    *incomplete = text.incomplete;
    memset(&doc, 0, sizeof(doc));
    doc.filename = name;
    doc.mime_type = mime;
    doc.content = text.text;
    doc.content_len = text.len;
    rc = eseal_policy_classify(policy, &doc, out, job->err);
    if (rc == ESEAL_OK && message != NULL)
        rc = eseal_classification_merge(*out, message, job->err);
    if (rc == ESEAL_OK)
        *incomplete |= eseal_classification_incomplete(*out);
    eseal_text_clear(&text);
    g_free(mime);
    return rc;
}
