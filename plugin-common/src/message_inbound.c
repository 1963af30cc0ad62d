/* message_inbound.c - verify every seal of an incoming message; never change its body.
 *
 * SECURITY: everything here is hostile: ESeal-* headers that arrive are forgeries by
 * definition (only this host writes them, after removing any it finds); signatures and
 * attachments are checked by the bounded CMS verifier; message.c has checked the limits of
 * the message (eseal-milter(8), LIMITS) before this runs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "eseal/cades.h"
#include "eseal/ofd.h"
#include "eseal/pades.h"
#include "error_int.h"
#include "header_int.h"
#include "message_int.h"

#define INBOUND_LEAVES_MAX MESSAGE_PARTS_MAX
#define INBOUND_NAME_MAX 512
#define INBOUND_SMIME_DEPTH_MAX 32
#define INBOUND_SMIME_REPORTS_MAX 16

typedef struct inbound_leaf {
    message_leaf leaf;
    char name[INBOUND_NAME_MAX];
    int is_signature;
    int is_attachment;
    int sealed;          /* a signature was paired with it */
    eseal_result result; /* the worst verdict of its signatures, when sealed */
} inbound_leaf;

typedef struct inbound_ctx {
    inbound_leaf leaves[INBOUND_LEAVES_MAX];
    int count;
    int overflow;
    int sealed, failed;   /* seals checked, and those not `pass` */
    int smime_reports;    /* S/MIME signatures reported in headers */
    eseal_result overall; /* the worst of them */
} inbound_ctx;

/* Count one checked seal. */
static void inbound_tally(inbound_ctx *ctx, const eseal_verdict *v)
{
    ctx->sealed++;
    ctx->failed += v->result != ESEAL_RESULT_PASS;
    if (ctx->sealed == 1 || v->result > ctx->overall)
        ctx->overall = v->result;
}

static int inbound_collect(const message_leaf *leaf, void *arg)
{
    inbound_ctx *ctx = arg;
    inbound_leaf *l;

    if (ctx->count == INBOUND_LEAVES_MAX) {
        ctx->overflow = 1;
        return 1;
    }
    l = &ctx->leaves[ctx->count++];
    l->leaf = *leaf;
    message_part_name(leaf, l->name, sizeof(l->name));
    l->is_signature = message_is_signature(leaf->part);
    l->is_attachment =
        !l->is_signature && !message_is_smime_opaque(leaf->part) && message_is_attachment(leaf);
    l->sealed = 0;
    return 0;
}

/* Whether the attachment called name is what the signature called sig_name seals. */
static int inbound_names_match(const char *name, const char *sig_name)
{
    size_t len = strlen(name);

    return strlen(sig_name) == len + 4 && strncasecmp(sig_name, name, len) == 0 &&
           strcasecmp(sig_name + len, ".p7s") == 0;
}

/* The attachment a .p7s part seals: the leaf just before it when that one bears its name
 * (eseal's own layout), else an attachment not yet paired that bears its name (names may
 * repeat), else the leaf just before it in the same multipart. */
static inbound_leaf *inbound_partner(inbound_ctx *ctx, int sig)
{
    const char *name = ctx->leaves[sig].name;
    inbound_leaf *before = sig > 0 ? &ctx->leaves[sig - 1] : NULL;
    int i;

    if (before != NULL && (!before->is_attachment || before->sealed ||
                           before->leaf.parent != ctx->leaves[sig].leaf.parent))
        before = NULL;
    if (before != NULL && inbound_names_match(before->name, name))
        return before;
    for (i = 0; i < ctx->count; i++)
        if (ctx->leaves[i].is_attachment && !ctx->leaves[i].sealed &&
            inbound_names_match(ctx->leaves[i].name, name))
            return &ctx->leaves[i];
    return before;
}

/* Where inbound_verify streams a document. */
typedef struct inbound_feed {
    eseal_cades_verifier *verifier;
    eseal_error *why;
} inbound_feed;

static int inbound_feed_update(const unsigned char *data, size_t len, void *arg)
{
    inbound_feed *feed = arg;

    return eseal_cades_verifier_update(feed->verifier, data, len, feed->why) != ESEAL_OK;
}

/* Check one detached signature part against one attachment, decoded as it is hashed. */
static void inbound_verify(message_job *job, GMimePart *signature, GMimePart *document,
                           eseal_verdict *v)
{
    GByteArray *sig = message_part_decode(signature, SIZE_MAX, NULL);
    eseal_cades_verifier *verifier;
    eseal_error why;
    inbound_feed feed = {NULL, &why};

    memset(v, 0, sizeof(*v));
    if (eseal_cades_verifier_new(&verifier, eseal_runtime_trust(job->rt), sig->data, sig->len,
                                 &why) == ESEAL_OK) {
        feed.verifier = verifier;
        if (message_part_decode_each(document, inbound_feed_update, &feed) == 0)
            eseal_cades_verifier_finish(verifier, v);
        else
            eseal_verdict_set(v, ESEAL_RESULT_ERROR, "%s", why.message);
    } else {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "%s", why.message);
    }
    eseal_cades_verifier_free(verifier);
    g_byte_array_unref(sig);
}

/* Add the ESeal-Attachment header of one checked seal; later counts the signatures a PDF
 * gained after this one (0 for other formats). */
static int inbound_attachment_header(message_job *job, const char *name, const char *format,
                                     const eseal_verdict *v, unsigned later,
                                     const eseal_ofd_signature *ses)
{
    header_value h;
    char when[32];

    header_begin(&h, "ESeal-Attachment", eseal_runtime_config(job->rt)->authserv_id);
    header_add(&h, "name", name, 1);
    header_add(&h, "result", eseal_result_word(v->result), 0);
    header_add(&h, "format", format, 0);
    if (ses != NULL && ses->seal_name[0] != '\0') {
        header_add(&h, "seal", ses->seal_name, 1);
        header_add_number(&h, "seal-type", ses->seal_type);
    }
    if (v->signer[0] != '\0')
        header_add(&h, "signer", v->signer, 1);
    if (v->has_signing_time) {
        eseal_verdict_time(v->signing_time, when, sizeof(when));
        header_add(&h, "signed-at", when, 0);
    }
    if (v->has_timestamp) {
        eseal_verdict_time(v->timestamp_time, when, sizeof(when));
        header_add(&h, "timestamped-at", when, 0);
    }
    if (later > 0)
        header_add_number(&h, "later-signatures", (long)later);
    if (v->result != ESEAL_RESULT_PASS && v->reason[0] != '\0')
        header_add(&h, "reason", v->reason, 1);
    return message_add_edit(job, ESEAL_EDIT_ADD, "ESeal-Attachment", 0, h.text);
}

/* Count one signature found inside the attachment l (its worst result is the attachment's)
 * and add its header. */
static int inbound_record(message_job *job, inbound_ctx *ctx, inbound_leaf *l,
                          const eseal_verdict *v, const char *format, unsigned later,
                          const eseal_ofd_signature *ses)
{
    if (!l->sealed || v->result > l->result)
        l->result = v->result;
    l->sealed = 1;
    inbound_tally(ctx, v);
    return inbound_attachment_header(job, l->name, format, v, later, ses);
}

/* Check the signatures inside one PDF attachment.  A PDF too broken to read has none that
 * can be checked: it stays unsealed (a reader would not show its signatures either). */
static int inbound_pdf(message_job *job, inbound_ctx *ctx, inbound_leaf *l)
{
    GByteArray *doc = message_part_decode(l->leaf.part, SIZE_MAX, NULL);
    eseal_pades_signature *sigs = NULL;
    size_t i, count = 0;
    eseal_error why;
    int read = ESEAL_OK, rc = ESEAL_OK;

    if (eseal_pades_is_pdf(doc->data, doc->len))
        read = eseal_pades_verify(eseal_runtime_trust(job->rt), doc->data, doc->len, &sigs, &count,
                                  &why);
    g_byte_array_unref(doc);
    if (read == ESEAL_ERR_NOMEM)
        return eseal_error_set(job->err, read, "%s: %s", l->name, why.message);
    for (i = 0; i < count && rc == ESEAL_OK; i++)
        rc = inbound_record(job, ctx, l, &sigs[i].verdict, sigs[i].pades ? "pades" : "pkcs7",
                            sigs[i].later_signatures, NULL);
    free(sigs);
    return rc;
}

/* Check the seals and signatures of one OFD attachment (format=ofd-ses for seals, ofd-sign for
 * digital signatures, the seal's name in seal=).  A package that cannot be read is unsealed,
 * as a broken PDF is. */
static int inbound_ofd(message_job *job, inbound_ctx *ctx, inbound_leaf *l)
{
    GByteArray *doc = message_part_decode(l->leaf.part, ESEAL_OFD_DOCUMENT_MAX + 1, NULL);
    eseal_ofd_signature *sigs = NULL;
    size_t i, count = 0;
    eseal_error why;
    int read = ESEAL_OK, rc = ESEAL_OK;

    if (eseal_ofd_is_ofd(doc->data, doc->len))
        read = eseal_ofd_verify(eseal_runtime_trust(job->rt), doc->data, doc->len, &sigs, &count,
                                &why);
    g_byte_array_unref(doc);
    if (read == ESEAL_ERR_NOMEM)
        return eseal_error_set(job->err, read, "%s: %s", l->name, why.message);
    for (i = 0; i < count && rc == ESEAL_OK; i++)
        rc =
            inbound_record(job, ctx, l, &sigs[i].verdict,
                           strcmp(sigs[i].kind, "Sign") == 0 ? "ofd-sign" : "ofd-ses", 0, &sigs[i]);
    free(sigs);
    return rc;
}

/* The exact bytes of a part as it stands in the message (canonical CRLF), as S/MIME signs. */
static GByteArray *inbound_part_bytes(GMimeObject *part)
{
    GMimeStream *mem = g_mime_stream_mem_new(), *filtered = g_mime_stream_filter_new(mem);
    GMimeFilter *crlf = g_mime_filter_unix2dos_new(FALSE);
    GMimeFormatOptions *format = g_mime_format_options_new();
    GByteArray *bytes;

    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), crlf);
    g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
    g_mime_object_write_to_stream(part, format, filtered);
    g_mime_stream_flush(filtered);
    bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
    g_mime_format_options_free(format);
    g_object_unref(crlf);
    g_object_unref(filtered);
    g_object_unref(mem);
    return bytes;
}

/* RFC 8601/7281 result of the smime method for a verdict. */
static const char *inbound_smime_result(eseal_result r)
{
    switch (r) {
    case ESEAL_RESULT_PASS:
        return "pass";
    case ESEAL_RESULT_FAIL:
        return "fail";
    case ESEAL_RESULT_NONE:
        return "none";
    case ESEAL_RESULT_ERROR:
        return "permerror";
    default:
        return "policy"; /* valid signature that local policy does not accept */
    }
}

/* Report one S/MIME verdict: an ESeal-Attachment line and an Authentication-Results. */
static int inbound_smime_report(message_job *job, inbound_ctx *ctx, const eseal_verdict *v)
{
    header_value h;
    int rc;

    ctx->smime_reports++;
    inbound_tally(ctx, v);
    rc = inbound_attachment_header(job, "(S/MIME signed message)", "smime", v, 0, NULL);
    header_begin(&h, "Authentication-Results", eseal_runtime_config(job->rt)->authserv_id);
    header_add(&h, "smime", inbound_smime_result(v->result), 0);
    if (v->signer[0] != '\0')
        header_add_property(&h, "smime.signer", v->signer, 1);
    if (rc == ESEAL_OK)
        rc = message_add_edit(job, ESEAL_EDIT_ADD, "Authentication-Results", 0, h.text);
    return rc;
}

/* Verify one S/MIME signature: detached over content (multipart/signed), or embedded. */
static void inbound_smime_verify(message_job *job, GMimeObject *content, GMimePart *signature,
                                 eseal_verdict *v)
{
    GByteArray *sig = message_part_decode(signature, SIZE_MAX, NULL), *doc = NULL;
    eseal_cades_verifier *verifier = NULL;
    eseal_error why;
    int rc;

    memset(v, 0, sizeof(*v));
    if (content != NULL) {
        doc = inbound_part_bytes(content);
        rc = eseal_cades_verifier_new(&verifier, eseal_runtime_trust(job->rt), sig->data, sig->len,
                                      &why);
        if (rc == ESEAL_OK)
            rc = eseal_cades_verifier_update(verifier, doc->data, doc->len, &why);
    } else {
        rc = eseal_cades_verifier_new_embedded(&verifier, eseal_runtime_trust(job->rt), sig->data,
                                               sig->len, &why);
    }
    if (rc == ESEAL_OK) {
        eseal_cades_verifier_finish(verifier, v);
    } else if (content != NULL && rc == ESEAL_ERR_FORMAT &&
               eseal_cades_verifier_new_embedded(&verifier, eseal_runtime_trust(job->rt), sig->data,
                                                 sig->len, NULL) == ESEAL_OK) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                          "the signature signs content of its own, not the signed part");
    } else {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "%s", why.message);
    }
    eseal_cades_verifier_free(verifier);
    g_byte_array_unref(sig);
    if (doc != NULL)
        g_byte_array_unref(doc);
}

/* Find and verify the S/MIME signatures of the message (not of attached messages). */
static int inbound_smime(message_job *job, inbound_ctx *ctx, GMimeObject *obj, int depth)
{
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    eseal_verdict v;
    int i, rc = ESEAL_OK;

    if (depth > INBOUND_SMIME_DEPTH_MAX || ctx->smime_reports >= INBOUND_SMIME_REPORTS_MAX)
        return ESEAL_OK; /* no real message nests or repeats signatures like that */
    if (GMIME_IS_MULTIPART_SIGNED(obj)) {
        const char *protocol = g_mime_content_type_get_parameter(ct, "protocol");
        GMimeObject *content = g_mime_multipart_get_part(GMIME_MULTIPART(obj), 0);
        GMimeObject *signature = g_mime_multipart_get_part(GMIME_MULTIPART(obj), 1);
        if (protocol == NULL || strstr(protocol, "pkcs7-signature") == NULL || content == NULL ||
            signature == NULL || !GMIME_IS_PART(signature))
            return ESEAL_OK; /* PGP, or not a well-formed multipart/signed */
        inbound_smime_verify(job, content, GMIME_PART(signature), &v);
        rc = inbound_smime_report(job, ctx, &v);
        return rc == ESEAL_OK ? inbound_smime(job, ctx, content, depth + 1) : rc;
    }
    if (GMIME_IS_MULTIPART(obj)) {
        for (i = 0; rc == ESEAL_OK && i < g_mime_multipart_get_count(GMIME_MULTIPART(obj)); i++)
            rc = inbound_smime(job, ctx, g_mime_multipart_get_part(GMIME_MULTIPART(obj), i),
                               depth + 1);
        return rc;
    }
    if (GMIME_IS_PART(obj) && message_is_smime_opaque(GMIME_PART(obj))) {
        const char *type = g_mime_content_type_get_parameter(ct, "smime-type");
        if (type == NULL || strcasecmp(type, "signed-data") != 0)
            return ESEAL_OK; /* enveloped-data: encrypted for someone else; not ours to open */
        inbound_smime_verify(job, NULL, GMIME_PART(obj), &v);
        return inbound_smime_report(job, ctx, &v);
    }
    return ESEAL_OK;
}

/* Prefix the Subject with tag, once. */
static int inbound_tag_subject(message_job *job, const char *tag)
{
    GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(job->message));
    GMimeHeader *subject = g_mime_header_list_get_header(headers, "Subject");
    const char *raw = subject ? g_mime_header_get_raw_value(subject) : NULL;
    GString *value;
    const char *p;
    int rc;

    if (raw == NULL)
        return message_add_edit(job, ESEAL_EDIT_ADD, "Subject", 0, tag);
    raw += strspn(raw, " \t\r\n");
    if (strncmp(raw, tag, strlen(tag)) == 0)
        return ESEAL_OK;
    value = g_string_new(tag);
    g_string_append_c(value, ' ');
    for (p = raw; *p != '\0'; p++)
        if (*p != '\r')
            g_string_append_c(value, *p);
    while (value->len > 0 && (value->str[value->len - 1] == '\n'))
        g_string_truncate(value, value->len - 1);
    rc = message_add_edit(job, ESEAL_EDIT_CHANGE, "Subject", 1, value->str);
    g_string_free(value, TRUE);
    return rc;
}

/* Apply the policy to every attachment: ESeal-Policy for excluded documents, ESeal-Flag for
 * documents that require a seal and have no `pass` one; *flagged counts the latter. */
static int inbound_policy(message_job *job, inbound_ctx *ctx, int *flagged, int *capped_count)
{
    char capped[160];
    const char *authserv = eseal_runtime_config(job->rt)->authserv_id;
    eseal_classification *message = NULL;
    int i, excluded, incomplete, rc = message_classify_message(job, &message);
    header_value h;
    size_t k;

    *flagged = *capped_count = 0;
    for (i = 0; rc == ESEAL_OK && message != NULL && i < ctx->count; i++) {
        inbound_leaf *l = &ctx->leaves[i];
        eseal_classification *c = NULL;
        if (!l->is_attachment)
            continue;
        rc = message_classify_part(job, l->leaf.part, l->name, message, &c, capped, sizeof(capped),
                                   &incomplete);
        *capped_count += capped[0] != '\0';
        if (rc == ESEAL_OK && incomplete && c != NULL && eseal_classification_count(c) == 0) {
            /* not read whole and in no category: say so rather than stay silent */
            header_begin(&h, "ESeal-Flag", authserv);
            header_add_word(&h, "unreadable");
            header_add(&h, "name", l->name, 1);
            if (capped[0] != '\0')
                header_add(&h, "note", capped, 1);
            rc = message_add_edit(job, ESEAL_EDIT_ADD, "ESeal-Flag", 0, h.text);
        }
        excluded = 0; /* a seal has no legal effect on an excluded document: never ask for one */
        for (k = 0; c != NULL && k < eseal_classification_count(c); k++)
            excluded |= eseal_classification_category(c, k)->inbound == ESEAL_INBOUND_FLAG_EXCLUDED;
        for (k = 0; rc == ESEAL_OK && c != NULL && k < eseal_classification_count(c); k++) {
            const eseal_policy_category *cat = eseal_classification_category(c, k);
            char flag[160];
            if (cat->inbound == ESEAL_INBOUND_FLAG_EXCLUDED) {
                header_begin(&h, "ESeal-Policy", authserv);
                header_add(&h, "excluded", cat->name, 0);
                header_add(&h, "basis", cat->basis, 1);
                header_add(&h, "name", l->name, 1);
                if (capped[0] != '\0')
                    header_add(&h, "note", capped, 1);
                rc = message_add_edit(job, ESEAL_EDIT_ADD, "ESeal-Policy", 0, h.text);
            } else if (cat->inbound == ESEAL_INBOUND_REQUIRE_SEAL && !excluded &&
                       !(l->sealed && l->result == ESEAL_RESULT_PASS)) {
                snprintf(flag, sizeof(flag), "unverified-%s", cat->name);
                header_begin(&h, "ESeal-Flag", authserv);
                header_add_word(&h, flag);
                header_add(&h, "name", l->name, 1);
                if (capped[0] != '\0')
                    header_add(&h, "note", capped, 1);
                rc = message_add_edit(job, ESEAL_EDIT_ADD, "ESeal-Flag", 0, h.text);
                (*flagged)++;
            }
        }
        eseal_classification_free(c);
    }
    eseal_classification_free(message);
    return rc;
}

int message_inbound(message_job *job)
{
    inbound_ctx *ctx = calloc(1, sizeof(*ctx));
    GMimeObject *top = g_mime_message_get_mime_part(job->message);
    const eseal_config *config = eseal_runtime_config(job->rt);
    int i, rc, unsealed = 0, flagged = 0, capped = 0;
    eseal_header_edit *verification;
    header_value h;

    if (ctx == NULL)
        return eseal_error_set(job->err, ESEAL_ERR_NOMEM, "out of memory");
    rc = message_remove_forgeries(job);
    if (rc == ESEAL_OK)
        rc = message_add_edit(job, ESEAL_EDIT_ADD, "ESeal-Verification", 0, ""); /* set below */
    ctx->overall = ESEAL_RESULT_NONE;
    message_walk(job->message, inbound_collect, ctx);
    if (rc == ESEAL_OK && ctx->overflow) /* a verdict on some parts would say nothing */
        rc = eseal_error_set(job->err, ESEAL_ERR_LIMIT, "more than %d MIME parts",
                             INBOUND_LEAVES_MAX);
    for (i = 0; rc == ESEAL_OK && i < ctx->count; i++) {
        inbound_leaf *partner;
        eseal_verdict v;
        if (!ctx->leaves[i].is_signature)
            continue;
        partner = inbound_partner(ctx, i);
        if (partner == NULL) {
            memset(&v, 0, sizeof(v));
            eseal_verdict_set(&v, ESEAL_RESULT_ERROR, "no attachment for this signature");
        } else {
            inbound_verify(job, ctx->leaves[i].leaf.part, partner->leaf.part, &v);
            if (!partner->sealed || v.result > partner->result)
                partner->result = v.result;
            partner->sealed = 1;
        }
        inbound_tally(ctx, &v);
        rc = inbound_attachment_header(job, partner ? partner->name : ctx->leaves[i].name, "cades",
                                       &v, 0, NULL);
    }
    for (i = 0; rc == ESEAL_OK && i < ctx->count; i++)
        if (ctx->leaves[i].is_attachment && message_is_pdf(ctx->leaves[i].leaf.part))
            rc = inbound_pdf(job, ctx, &ctx->leaves[i]);
        else if (ctx->leaves[i].is_attachment && message_is_ofd(ctx->leaves[i].leaf.part))
            rc = inbound_ofd(job, ctx, &ctx->leaves[i]);
    if (rc == ESEAL_OK && top != NULL)
        rc = inbound_smime(job, ctx, top, 0);
    if (rc == ESEAL_OK)
        rc = inbound_policy(job, ctx, &flagged, &capped);
    if (rc == ESEAL_OK && flagged > 0 && config->verify.subject_tag != NULL)
        rc = inbound_tag_subject(job, config->verify.subject_tag);
    if (rc == ESEAL_OK && flagged > 0 && config->verify.quarantine_unverified) {
        job->result->action = ESEAL_MESSAGE_HOLD;
        snprintf(job->result->reason, sizeof(job->result->reason),
                 "eseal: %d document(s) that require a seal without a valid one", flagged);
    }
    for (i = 0; i < ctx->count; i++)
        unsealed += ctx->leaves[i].is_attachment && !ctx->leaves[i].sealed;
    if (rc == ESEAL_OK) {
        header_begin(&h, "ESeal-Verification", eseal_runtime_config(job->rt)->authserv_id);
        header_add(&h, "result", eseal_result_word(ctx->overall), 0);
        header_add_number(&h, "sealed", ctx->sealed);
        header_add_number(&h, "failed", ctx->failed);
        header_add_number(&h, "unsealed", unsealed);
        /* the verification header was added first, to come out on top; fill it in now */
        for (i = 0; (size_t)i < job->result->edit_count; i++) {
            verification = &job->result->edits[i];
            if (verification->op == ESEAL_EDIT_ADD &&
                strcmp(verification->name, "ESeal-Verification") == 0) {
                char *value = strdup(h.text);
                if (value == NULL) {
                    rc = eseal_error_set(job->err, ESEAL_ERR_NOMEM, "out of memory");
                    break;
                }
                free((char *)verification->value);
                verification->value = value;
                break;
            }
        }
    }
    snprintf(job->result->summary, sizeof(job->result->summary),
             "inbound result=%s sealed=%d failed=%d unsealed=%d flagged=%d%s",
             eseal_result_word(ctx->overall), ctx->sealed, ctx->failed, unsealed, flagged,
             capped ? " (some text classified within extraction caps)" : "");
    job->result->counts.direction = ESEAL_INBOUND;
    for (i = 0; i < ctx->count; i++)
        job->result->counts.attachments += ctx->leaves[i].is_attachment != 0;
    job->result->counts.sealed = (unsigned)ctx->sealed;
    job->result->counts.failed = (unsigned)ctx->failed;
    job->result->counts.unsealed = (unsigned)unsealed;
    job->result->counts.flagged = (unsigned)flagged;
    free(ctx);
    return rc;
}
