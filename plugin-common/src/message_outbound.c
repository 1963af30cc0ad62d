/* message_outbound.c - seal every attachment of an outgoing message: PDFs in place (PAdES),
 * everything else with a sibling .p7s (CAdES). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "eseal/cades.h"
#include "eseal/ofd.h"
#include "eseal/pades.h"
#include "error_int.h"
#include "header_int.h"
#include "message_int.h"

#define OUTBOUND_LEAVES_MAX MESSAGE_PARTS_MAX /* more is not mail a person sends */
#define OUTBOUND_NAME_MAX 512

/* What happens to one attachment. */
typedef struct outbound_item {
    message_leaf leaf;
    char name[OUTBOUND_NAME_MAX];
    const char *action;                    /* "sealed", "skipped", "refused", "held" */
    const char *reason;                    /* for skipped */
    const eseal_policy_category *category; /* the policy's reason, for refused and held */
    char capped[160];                      /* classified on partial text: why */
    const char *format;                    /* "pades" or "cades", once sealed */
    const char *timestamp;                 /* with a timestamp_url: "yes", or "none" when the
                                            * authority failed and the seal went without */
    GMimePart *p7s;                        /* the new signature part, for cades */
    char not_in_place[300];                /* why a PDF got a .p7s instead: becomes reason */
} outbound_item;

typedef struct outbound_ctx {
    message_leaf leaves[OUTBOUND_LEAVES_MAX];
    int leaf_count;
    int overflow;
} outbound_ctx;

static int outbound_collect(const message_leaf *leaf, void *arg)
{
    outbound_ctx *ctx = arg;

    if (ctx->leaf_count == OUTBOUND_LEAVES_MAX) {
        ctx->overflow = 1;
        return 1;
    }
    ctx->leaves[ctx->leaf_count++] = *leaf;
    return 0;
}

/* Whether leaf i already has a seal: its next sibling is a signature, or some signature part
 * is called NAME.p7s. */
static int outbound_already_sealed(const outbound_ctx *ctx, int i, const char *name)
{
    const message_leaf *leaf = &ctx->leaves[i];
    size_t len = strlen(name);
    int j;

    if (leaf->parent != NULL && leaf->index + 1 < g_mime_multipart_get_count(leaf->parent)) {
        GMimeObject *next = g_mime_multipart_get_part(leaf->parent, leaf->index + 1);
        if (GMIME_IS_PART(next) && message_is_signature(GMIME_PART(next)))
            return 1;
    }
    for (j = 0; j < ctx->leaf_count; j++) {
        const char *other = g_mime_part_get_filename(ctx->leaves[j].part);
        if (other != NULL && strlen(other) == len + 4 && strncasecmp(other, name, len) == 0 &&
            strcasecmp(other + len, ".p7s") == 0)
            return 1;
    }
    return 0;
}

static int outbound_sign_piece(const unsigned char *data, size_t len, void *arg)
{
    eseal_cades_signer *signer = arg;

    return eseal_cades_signer_update(signer, data, len, NULL) != ESEAL_OK;
}

/* Seal the content of part, hashed as it is decoded, into a new application/pkcs7-signature
 * part. */
static int outbound_seal_part(message_job *job, const eseal_seal *seal, const eseal_tsa *tsa,
                              GMimePart *part, const char *name, GMimePart **out, int *timestamped)
{
    eseal_cades_signer *signer = NULL;
    unsigned char *der = NULL;
    size_t der_len;
    char p7s_name[OUTBOUND_NAME_MAX + 8];
    int rc;

    rc = eseal_cades_signer_new(&signer, seal, job->err);
    if (rc == ESEAL_OK && tsa != NULL)
        eseal_cades_signer_set_tsa(signer, tsa);
    if (rc == ESEAL_OK && message_part_decode_each(part, outbound_sign_piece, signer) != 0)
        rc = eseal_error_set(job->err, ESEAL_ERR_CRYPTO, "%s: document digest failed", name);
    if (rc == ESEAL_OK)
        rc = eseal_cades_signer_finish(signer, &der, &der_len, job->err);
    if (rc == ESEAL_OK)
        *timestamped = eseal_cades_signer_timestamped(signer);
    eseal_cades_signer_free(signer);
    if (rc != ESEAL_OK)
        return rc;
    GMimePart *p7s = g_mime_part_new_with_type("application", "pkcs7-signature");
    GMimeStream *mem = g_mime_stream_mem_new_with_buffer((const char *)der, der_len);
    GMimeDataWrapper *wrapper =
        g_mime_data_wrapper_new_with_stream(mem, GMIME_CONTENT_ENCODING_DEFAULT);
    snprintf(p7s_name, sizeof(p7s_name), "%s.p7s", name);
    g_mime_part_set_content(p7s, wrapper);
    g_mime_part_set_content_encoding(p7s, GMIME_CONTENT_ENCODING_BASE64);
    g_mime_part_set_filename(p7s, p7s_name);
    g_object_unref(wrapper);
    g_object_unref(mem);
    free(der);
    *out = p7s;
    return ESEAL_OK;
}

/* Make the content of part the decoded PDF (taken over, not copied) followed by its seal's
 * update, base64-encoded; type and name stay. */
static void outbound_replace_content(GMimePart *part, GByteArray *pdf, const unsigned char *update,
                                     size_t update_len)
{
    GMimeStream *cat = g_mime_stream_cat_new();
    GMimeStream *head = g_mime_stream_mem_new_with_byte_array(pdf); /* owns pdf now */
    GMimeStream *tail = g_mime_stream_mem_new_with_buffer((const char *)update, update_len);
    GMimeDataWrapper *wrapper;

    g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), head);
    g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), tail);
    wrapper = g_mime_data_wrapper_new_with_stream(cat, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(part, wrapper);
    g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
    g_object_unref(wrapper);
    g_object_unref(head);
    g_object_unref(tail);
    g_object_unref(cat);
}

/* The number of headers called name in headers before position end (so the MTA's 1-based
 * index of the header at end is this plus one). */
static int outbound_count(GMimeHeaderList *headers, const char *name, int end)
{
    int j, n = 0;

    for (j = 0; j < end; j++)
        n += strcasecmp(g_mime_header_get_name(g_mime_header_list_get_header_at(headers, j)),
                        name) == 0;
    return n;
}

/* Say base64 in the top-level Content-Transfer-Encoding of a message whose single part was
 * re-encoded: the MTA keeps the header section, only the body is replaced. */
static int outbound_set_top_encoding(message_job *job)
{
    GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(job->message));
    int n =
        outbound_count(headers, "Content-Transfer-Encoding", g_mime_header_list_get_count(headers));

    return message_add_edit(job, n > 0 ? ESEAL_EDIT_CHANGE : ESEAL_EDIT_ADD,
                            "Content-Transfer-Encoding", 1, "base64");
}

/* After a document could not be sealed in place with status rc (why): a document that is what
 * it is (not a PDF or OFD this can seal, over a limit) is said in it->not_in_place, and a
 * detached seal may still protect it; anything else is the message's error. */
static int outbound_not_in_place(message_job *job, outbound_item *it, int rc,
                                 const eseal_error *why)
{
    if (rc == ESEAL_ERR_UNSUPPORTED || rc == ESEAL_ERR_FORMAT || rc == ESEAL_ERR_LIMIT) {
        snprintf(it->not_in_place, sizeof(it->not_in_place), "not sealed in place: %.250s",
                 why->message);
        return ESEAL_OK;
    }
    return eseal_error_set(job->err, rc, "%s: %s", it->name, why->message);
}

/* Seal one PDF in place, or say in it->not_in_place why it cannot be (then *in_place is 0
 * and the caller seals it with a .p7s when the seal allows). */
static int outbound_seal_pdf(message_job *job, const eseal_seal *seal,
                             const eseal_seal_config *section, outbound_item *it, int *in_place,
                             int *timestamped)
{
    GByteArray *content = message_part_decode(it->leaf.part, SIZE_MAX, NULL);
    eseal_pades_options options;
    unsigned char *update = NULL;
    size_t update_len = 0;
    eseal_error why;
    int rc = ESEAL_OK;

    *in_place = 0;
    if (!eseal_pades_is_pdf(content->data, content->len)) {
        snprintf(it->not_in_place, sizeof(it->not_in_place),
                 "not sealed in place: the content is not a PDF");
        g_byte_array_unref(content);
        return ESEAL_OK;
    }
    eseal_runtime_pades_options(job->rt, section, &options);
    options.timestamped = timestamped;
    rc = eseal_pades_sign_update(seal, &options, content->data, content->len, &update, &update_len,
                                 &why);
    if (rc == ESEAL_OK) {
        outbound_replace_content(it->leaf.part, content, update, update_len);
        free(update);
        *in_place = 1;
        /* a message whose body is the PDF: its own header names the new encoding */
        return it->leaf.parent == NULL ? outbound_set_top_encoding(job) : ESEAL_OK;
    }
    g_byte_array_unref(content);
    return outbound_not_in_place(job, it, rc, &why);
}

/* Seal one OFD document in place with the section's SES seal (the new content replaces the
 * old, base64-encoded); like a PDF, one that cannot be sealed in place says why in
 * it->not_in_place. */
static int outbound_seal_ofd(message_job *job, const eseal_seal_config *section, outbound_item *it,
                             int *in_place)
{
    GByteArray *content = message_part_decode(it->leaf.part, ESEAL_OFD_DOCUMENT_MAX + 1, NULL);
    const eseal_seal *seal;
    const unsigned char *ses;
    unsigned char *sealed = NULL;
    size_t ses_len, sealed_len = 0;
    eseal_error why;
    int rc;

    *in_place = 0;
    eseal_runtime_ses(job->rt, section, &seal, &ses, &ses_len);
    rc =
        eseal_ofd_sign(seal, ses, ses_len, content->data, content->len, &sealed, &sealed_len, &why);
    g_byte_array_unref(content);
    if (rc == ESEAL_OK) {
        GMimeStream *mem = g_mime_stream_mem_new_with_buffer((const char *)sealed, sealed_len);
        GMimeDataWrapper *wrapper =
            g_mime_data_wrapper_new_with_stream(mem, GMIME_CONTENT_ENCODING_DEFAULT);
        g_mime_part_set_content(it->leaf.part, wrapper);
        g_mime_part_set_content_encoding(it->leaf.part, GMIME_CONTENT_ENCODING_BASE64);
        g_object_unref(wrapper);
        g_object_unref(mem);
        free(sealed);
        *in_place = 1;
        return it->leaf.parent == NULL ? outbound_set_top_encoding(job) : ESEAL_OK;
    }
    return outbound_not_in_place(job, it, rc, &why);
}

/* Seal one attachment: a PDF in place when the seal prefers pades, else (or when that
 * cannot be done) with a .p7s part when the seal allows cades. */
static int outbound_seal_item(message_job *job, const eseal_seal *seal,
                              const eseal_seal_config *section, outbound_item *it)
{
    const eseal_tsa *tsa = eseal_runtime_tsa(job->rt, section);
    int in_place = 0, timestamped = 0, rc = ESEAL_OK;

    if ((section->formats & ESEAL_FORMAT_SES) && message_is_ofd(it->leaf.part)) {
        rc = outbound_seal_ofd(job, section, it, &in_place);
        if (rc != ESEAL_OK || in_place) {
            it->format = in_place ? "ofd-ses" : NULL;
            return rc;
        }
        it->reason = it->not_in_place;
    }
    if ((section->formats & ESEAL_FORMAT_PADES) &&
        (section->pades_first || !(section->formats & ESEAL_FORMAT_CADES)) &&
        message_is_pdf(it->leaf.part)) {
        rc = outbound_seal_pdf(job, seal, section, it, &in_place, &timestamped);
        if (rc != ESEAL_OK || in_place) {
            it->format = in_place ? "pades" : NULL;
            it->timestamp = in_place && tsa != NULL ? (timestamped ? "yes" : "none") : NULL;
            return rc;
        }
        it->reason = it->not_in_place;
    }
    if (!(section->formats & ESEAL_FORMAT_CADES)) {
        it->action = "skipped";
        if (it->reason == NULL)
            it->reason = "neither pades (for PDFs) nor cades is among the seal's formats";
        return ESEAL_OK;
    }
    rc = outbound_seal_part(job, seal, tsa, it->leaf.part, it->name, &it->p7s, &timestamped);
    if (rc == ESEAL_OK)
        it->format = "cades";
    if (rc == ESEAL_OK && tsa != NULL)
        it->timestamp = timestamped ? "yes" : "none";
    return rc;
}

/* The author's domain: the domain of the first mailbox in From, or NULL. */
static const char *outbound_author_domain(GMimeMessage *message)
{
    InternetAddressList *from = g_mime_message_get_from(message);
    int i;

    for (i = 0; from != NULL && i < internet_address_list_length(from); i++) {
        InternetAddress *a = internet_address_list_get_address(from, i);
        if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
            const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
            const char *at = addr ? strrchr(addr, '@') : NULL;
            return at && at[1] ? at + 1 : NULL;
        }
    }
    return NULL;
}

/* Whether the envelope sender's domain selects the same seal as the author's: a user may
 * write any From, but the MTA vouches for the envelope sender of its logged-in users. */
static int outbound_sender_matches(message_job *job, const eseal_seal_config *section)
{
    const char *at = strrchr(job->envelope_from, '@');
    const eseal_seal_config *sender = NULL;

    if (at != NULL && at[1] != '\0')
        eseal_runtime_find_seal(job->rt, at + 1, &sender);
    return sender == section;
}

/* Turn a single-part message whose body is the attachment into multipart/mixed.  GMime keeps
 * the top-level Content-* headers with the part, which now moves inside: at the top they
 * are deleted, and Content-Type is replaced. */
static int outbound_wrap(message_job *job, GMimePart *p7s)
{
    GMimeObject *top = g_mime_message_get_mime_part(job->message);
    GMimeHeaderList *part_headers = g_mime_object_get_header_list(top);
    GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(job->message));
    GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
    int i, count = g_mime_header_list_get_count(part_headers), content_type = 0;
    char value[256];
    int rc = ESEAL_OK;

    g_object_ref(top);
    g_mime_multipart_add(mixed, top);
    g_mime_multipart_add(mixed, GMIME_OBJECT(p7s));
    g_mime_multipart_set_boundary(mixed, NULL);
    snprintf(value, sizeof(value), "multipart/mixed; boundary=\"%s\"",
             g_mime_multipart_get_boundary(mixed));
    for (i = count - 1; rc == ESEAL_OK && i >= 0; i--) { /* from the last up: indices hold */
        const char *name =
            g_mime_header_get_name(g_mime_header_list_get_header_at(part_headers, i));
        if (strcasecmp(name, "Content-Type") == 0)
            content_type = 1;
        else if (strncasecmp(name, "Content-", 8) == 0)
            rc = message_add_edit(job, ESEAL_EDIT_DELETE, name,
                                  outbound_count(part_headers, name, i) + 1, NULL);
    }
    if (rc == ESEAL_OK)
        rc = message_add_edit(job, content_type ? ESEAL_EDIT_CHANGE : ESEAL_EDIT_ADD,
                              "Content-Type", 1, value);
    if (rc == ESEAL_OK &&
        !outbound_count(headers, "MIME-Version", g_mime_header_list_get_count(headers)))
        rc = message_add_edit(job, ESEAL_EDIT_ADD, "MIME-Version", 0, "1.0");
    g_mime_message_set_mime_part(job->message, GMIME_OBJECT(mixed));
    g_object_unref(top);
    g_object_unref(mixed);
    return rc;
}

/* Write the new body (the top part's content, CRLF) into an unlinked temp file. */
static int outbound_write_body(message_job *job)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    GMimeStream *file, *filtered;
    GMimeFormatOptions *format;
    GMimeFilter *crlf;
    ssize_t written;
    int fd;

    snprintf(path, sizeof(path), "%s/eseal-body.XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0)
        return eseal_error_set(job->err, ESEAL_ERR_IO, "cannot create a body spool in %s",
                               dir && *dir ? dir : "/tmp");
    unlink(path);
    file = g_mime_stream_fs_new(dup(fd));
    filtered = g_mime_stream_filter_new(file);
    crlf = g_mime_filter_unix2dos_new(FALSE);
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), crlf);
    format = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
    written = g_mime_object_write_content_to_stream(g_mime_message_get_mime_part(job->message),
                                                    format, filtered);
    if (written >= 0 && g_mime_stream_flush(filtered) != 0)
        written = -1;
    g_mime_format_options_free(format);
    g_object_unref(crlf);
    g_object_unref(filtered);
    g_object_unref(file);
    if (written < 0 || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return eseal_error_set(job->err, ESEAL_ERR_IO, "cannot write the new body");
    }
    job->result->body_fd = fd;
    return ESEAL_OK;
}

static int outbound_headers(message_job *job, const char *seal_subject, outbound_item *items,
                            int count, const char *reason)
{
    const char *authserv = eseal_runtime_config(job->rt)->authserv_id;
    header_value h;
    int i, sealed = 0, refused = 0, rc;

    for (i = 0; i < count; i++) {
        sealed += items[i].format != NULL;
        refused += strcmp(items[i].action, "refused") == 0 || strcmp(items[i].action, "held") == 0;
    }
    header_begin(&h, "ESeal-Outbound", authserv);
    header_add_number(&h, "sealed", sealed);
    header_add_number(&h, "refused", refused);
    if (seal_subject != NULL)
        header_add(&h, "seal", seal_subject, 1);
    if (reason != NULL)
        header_add(&h, "reason", reason, 1);
    rc = message_add_edit(job, ESEAL_EDIT_ADD, "ESeal-Outbound", 0, h.text);
    for (i = 0; rc == ESEAL_OK && i < count; i++) {
        header_begin(&h, "ESeal-Attachment", authserv);
        header_add(&h, "name", items[i].name, 1);
        header_add(&h, "action", items[i].action, 0);
        if (items[i].format != NULL)
            header_add(&h, "format", items[i].format, 0);
        if (items[i].timestamp != NULL)
            header_add(&h, "timestamp", items[i].timestamp, 0);
        if (items[i].category != NULL) {
            header_add(&h, "category", items[i].category->name, 0);
            header_add(&h, "basis", items[i].category->basis, 1);
        }
        if (items[i].reason != NULL)
            header_add(&h, "reason", items[i].reason, 1);
        if (items[i].capped[0] != '\0')
            header_add(&h, "note", items[i].capped, 1);
        rc = message_add_edit(job, ESEAL_EDIT_ADD, "ESeal-Attachment", 0, h.text);
    }
    snprintf(job->result->summary, sizeof(job->result->summary),
             "outbound sealed=%d refused=%d attachments=%d%s%s", sealed, refused, count,
             reason ? " reason=" : "", reason ? reason : "");
    job->result->counts.direction = ESEAL_OUTBOUND;
    job->result->counts.attachments = (unsigned)count;
    job->result->counts.sealed = (unsigned)sealed;
    job->result->counts.refused = (unsigned)refused;
    return rc;
}

/* What the policy says of one attachment: 1 when it may be sealed, 0 when not (the item
 * says why, and a hold or reject is set on the whole message). */
static int outbound_allowed(message_job *job, outbound_item *it,
                            const eseal_classification *message, int *rc)
{
    eseal_classification *c = NULL;
    const eseal_policy_category *why;
    eseal_outbound_action action;
    eseal_message_result *r = job->result;
    int incomplete;

    *rc = message_classify_part(job, it->leaf.part, it->name, message, &c, it->capped,
                                sizeof(it->capped), &incomplete);
    if (*rc != ESEAL_OK || c == NULL)
        return *rc == ESEAL_OK;
    action = eseal_classification_outbound(c, &why);
    eseal_classification_free(c);
    if (action == ESEAL_OUTBOUND_SEAL && incomplete) {
        /* what was read depended on time: never seal what may not have been read */
        it->action = "refused";
        it->reason = "the document could not be read whole in time; not sealed";
        return 0;
    }
    if (action == ESEAL_OUTBOUND_SEAL)
        return 1;
    it->category = why;
    it->action = action == ESEAL_OUTBOUND_HOLD ? "held" : "refused";
    if (action == ESEAL_OUTBOUND_REJECT && r->action != ESEAL_MESSAGE_REJECT) {
        r->action = ESEAL_MESSAGE_REJECT;
        snprintf(r->reason, sizeof(r->reason),
                 "attachment \"%.200s\" is a %s document (%s); it may not be e-sealed", it->name,
                 why->name, why->basis);
    } else if (action == ESEAL_OUTBOUND_HOLD && r->action == ESEAL_MESSAGE_ACCEPT) {
        r->action = ESEAL_MESSAGE_HOLD;
        snprintf(r->reason, sizeof(r->reason), "eseal: \"%.200s\" is a %s document (%s)", it->name,
                 why->name, why->basis);
    }
    return 0;
}

/* Decide every attachment, then (unless the message is rejected) seal those that may be;
 * insert the signatures from the last one up, so that the positions recorded in the walk
 * stay true. */
static int outbound_seal_all(message_job *job, const eseal_seal *seal,
                             const eseal_seal_config *section, outbound_ctx *ctx,
                             outbound_item *items, int *count)
{
    eseal_classification *message = NULL;
    int i, rc = message_classify_message(job, &message);

    *count = 0;
    for (i = 0; i < ctx->leaf_count && rc == ESEAL_OK; i++) {
        outbound_item *it = &items[*count];
        if (message_is_signature(ctx->leaves[i].part) || !message_is_attachment(&ctx->leaves[i]))
            continue;
        memset(it, 0, sizeof(*it));
        it->leaf = ctx->leaves[i];
        message_part_name(&it->leaf, it->name, sizeof(it->name));
        (*count)++;
        /* the policy first: a stray NAME.p7s beside a document must not let it pass a
         * category that holds or rejects */
        if (!outbound_allowed(job, it, message, &rc)) {
            continue; /* refused, held or rejected: never sealed */
        } else if (outbound_already_sealed(ctx, i, it->name)) {
            it->action = "skipped";
            it->reason = "already sealed";
        } else {
            it->action = "sealed"; /* once every attachment is decided */
        }
    }
    eseal_classification_free(message);
    if (job->result->action == ESEAL_MESSAGE_REJECT)
        return rc; /* the message goes back to its sender: nothing to seal or insert */
    for (i = 0; rc == ESEAL_OK && i < *count; i++)
        if (strcmp(items[i].action, "sealed") == 0)
            rc = outbound_seal_item(job, seal, section, &items[i]);
    for (i = *count - 1; rc == ESEAL_OK && i >= 0; i--) {
        if (items[i].p7s == NULL)
            continue;
        if (items[i].leaf.parent != NULL)
            g_mime_multipart_insert(items[i].leaf.parent, items[i].leaf.index + 1,
                                    GMIME_OBJECT(items[i].p7s));
        else
            rc = outbound_wrap(job, items[i].p7s);
    }
    return rc;
}

int message_outbound(message_job *job)
{
    const char *protected = message_protected(job->message);
    const char *domain = outbound_author_domain(job->message);
    const eseal_seal_config *section = NULL;
    const eseal_seal *seal = NULL;
    outbound_item *items = NULL;
    outbound_ctx *ctx = NULL;
    char reason[300];
    int i, count = 0, rc = ESEAL_OK, sealed = 0;

    rc = message_remove_forgeries(job);
    if (rc != ESEAL_OK)
        return rc;
    if (protected != NULL) {
        snprintf(reason, sizeof(reason), "message is %s; left untouched", protected);
        return outbound_headers(job, NULL, NULL, 0, reason);
    }
    if (domain != NULL)
        seal = eseal_runtime_find_seal(job->rt, domain, &section);
    if (seal == NULL) {
        snprintf(reason, sizeof(reason), "no seal for author domain %s",
                 domain ? domain : "(none)");
        return outbound_headers(job, NULL, NULL, 0, reason);
    }
    if (job->envelope_from != NULL && !outbound_sender_matches(job, section)) {
        snprintf(reason, sizeof(reason),
                 "the envelope sender <%.120s> is not of author domain %.120s", job->envelope_from,
                 domain);
        return outbound_headers(job, NULL, NULL, 0, reason);
    }
    ctx = calloc(1, sizeof(*ctx));
    items = calloc(OUTBOUND_LEAVES_MAX, sizeof(*items));
    if (ctx == NULL || items == NULL) {
        rc = eseal_error_set(job->err, ESEAL_ERR_NOMEM, "out of memory");
        goto done;
    }
    message_walk(job->message, outbound_collect, ctx);
    if (ctx->overflow) {
        rc = eseal_error_set(job->err, ESEAL_ERR_LIMIT, "more than %d MIME parts",
                             OUTBOUND_LEAVES_MAX);
        goto done;
    }
    rc = outbound_seal_all(job, seal, section, ctx, items, &count);
    for (i = 0; i < count; i++)
        sealed += items[i].format != NULL;
    if (rc == ESEAL_OK && sealed > 0)
        rc = outbound_write_body(job);
    if (rc == ESEAL_OK)
        rc = outbound_headers(job, eseal_seal_subject(seal), items, count,
                              count == 0 ? "no attachments" : NULL);
done:
    for (i = 0; items != NULL && i < count; i++)
        if (items[i].p7s != NULL)
            g_object_unref(items[i].p7s);
    free(items);
    free(ctx);
    return rc;
}
