/* message_inbound.c - verify every seal of an incoming message; never change its body.
 *
 * SECURITY: everything here is hostile: ESeal-* headers that arrive are forgeries by
 * definition (only this host writes them, after removing any it finds); signatures and
 * attachments are checked by the bounded CMS verifier; counts of parts are capped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "eseal/cades.h"
#include "error_int.h"
#include "header_int.h"
#include "message_int.h"

#define INBOUND_LEAVES_MAX 1000
#define INBOUND_NAME_MAX 512

typedef struct inbound_leaf {
    message_leaf leaf;
    char name[INBOUND_NAME_MAX];
    int is_signature;
    int is_attachment;
    int sealed; /* a signature was paired with it */
} inbound_leaf;

typedef struct inbound_ctx {
    inbound_leaf leaves[INBOUND_LEAVES_MAX];
    int count;
    int overflow;
} inbound_ctx;

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
    l->is_attachment = !l->is_signature && message_is_attachment(leaf->part);
    l->sealed = 0;
    return 0;
}

/* Delete every header this host would write that came with the message: any ESeal-*, and
 * Authentication-Results claiming our authserv-id (RFC 8601 section 5). */
static int inbound_remove_forgeries(message_job *job)
{
    GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(job->message));
    const char *authserv = eseal_runtime_config(job->rt)->authserv_id;
    size_t authserv_len = strlen(authserv);
    int i, j, rc = ESEAL_OK, count = g_mime_header_list_get_count(headers);

    for (i = count - 1; rc == ESEAL_OK && i >= 0; i--) {
        GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
        const char *name = g_mime_header_get_name(h), *value = g_mime_header_get_value(h);
        int index = 1;
        if (strncasecmp(name, "ESeal-", 6) != 0) {
            if (strcasecmp(name, "Authentication-Results") != 0 || value == NULL)
                continue;
            value += strspn(value, " \t\r\n");
            if (strncasecmp(value, authserv, authserv_len) != 0 ||
                strchr("; \t\r\n", value[authserv_len]) == NULL)
                continue;
        }
        for (j = 0; j < i; j++)
            index += strcasecmp(g_mime_header_get_name(g_mime_header_list_get_header_at(headers, j)),
                                name) == 0;
        rc = message_add_edit(job, ESEAL_EDIT_DELETE, name, index, NULL);
    }
    return rc;
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

/* Check one detached signature part against one attachment. */
static void inbound_verify(message_job *job, GMimePart *signature, GMimePart *document,
                           eseal_verdict *v)
{
    GByteArray *sig = message_part_decode(signature), *doc = message_part_decode(document);
    eseal_cades_verifier *verifier;
    eseal_error why;

    memset(v, 0, sizeof(*v));
    if (eseal_cades_verifier_new(&verifier, eseal_runtime_trust(job->rt), sig->data, sig->len,
                                 &why) != ESEAL_OK) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "%s", why.message);
    } else if (eseal_cades_verifier_update(verifier, doc->data, doc->len, &why) != ESEAL_OK) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "%s", why.message);
    } else {
        eseal_cades_verifier_finish(verifier, v);
    }
    eseal_cades_verifier_free(verifier);
    g_byte_array_unref(sig);
    g_byte_array_unref(doc);
}

static int inbound_attachment_header(message_job *job, const char *name, const eseal_verdict *v)
{
    header_value h;
    char when[32];
    struct tm tm;

    header_begin(&h, "ESeal-Attachment", eseal_runtime_config(job->rt)->authserv_id);
    header_add(&h, "name", name, 1);
    header_add(&h, "result", eseal_result_word(v->result), 0);
    header_add(&h, "format", "cades", 0);
    if (v->signer[0] != '\0')
        header_add(&h, "signer", v->signer, 1);
    if (v->has_signing_time && gmtime_r(&v->signing_time, &tm) != NULL &&
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
        header_add(&h, "signed-at", when, 0);
    if (v->result != ESEAL_RESULT_PASS && v->reason[0] != '\0')
        header_add(&h, "reason", v->reason, 1);
    return message_add_edit(job, ESEAL_EDIT_ADD, "ESeal-Attachment", 0, h.text);
}

int message_inbound(message_job *job)
{
    inbound_ctx *ctx = calloc(1, sizeof(*ctx));
    eseal_result overall = ESEAL_RESULT_NONE;
    int i, rc, sealed = 0, failed = 0, unsealed = 0;
    eseal_header_edit *verification;
    header_value h;

    if (ctx == NULL)
        return eseal_error_set(job->err, ESEAL_ERR_NOMEM, "out of memory");
    rc = inbound_remove_forgeries(job);
    if (rc == ESEAL_OK)
        rc = message_add_edit(job, ESEAL_EDIT_ADD, "ESeal-Verification", 0, ""); /* set below */
    message_walk(job->message, inbound_collect, ctx);
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
            partner->sealed = 1;
            inbound_verify(job, ctx->leaves[i].leaf.part, partner->leaf.part, &v);
        }
        sealed++;
        failed += v.result != ESEAL_RESULT_PASS;
        if (sealed == 1 || v.result > overall)
            overall = v.result;
        rc = inbound_attachment_header(job, partner ? partner->name : ctx->leaves[i].name, &v);
    }
    for (i = 0; i < ctx->count; i++)
        unsealed += ctx->leaves[i].is_attachment && !ctx->leaves[i].sealed;
    if (rc == ESEAL_OK) {
        header_begin(&h, "ESeal-Verification", eseal_runtime_config(job->rt)->authserv_id);
        header_add(&h, "result", eseal_result_word(overall), 0);
        header_add_number(&h, "sealed", sealed);
        header_add_number(&h, "failed", failed);
        header_add_number(&h, "unsealed", unsealed);
        if (ctx->overflow)
            header_add(&h, "reason", "too many MIME parts; the rest was not checked", 1);
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
             "inbound result=%s sealed=%d failed=%d unsealed=%d", eseal_result_word(overall),
             sealed, failed, unsealed);
    free(ctx);
    return rc;
}
