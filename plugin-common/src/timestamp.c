/* timestamp.c - RFC 3161 timestamps over a seal's signature value: ask for them, check them.
 *
 * SECURITY: replies and tokens come from the network (an authority, or a seal in a mail).
 * They are size-capped, decoded only by OpenSSL's DER decoder (which must consume them
 * whole), and checked by OpenSSL's TS verifier: version, imprint, nonce (replies), and the
 * signer's chain to the configured authorities with the critical timeStamping usage. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

#include "error_int.h"
#include "http_int.h"
#include "seal_int.h"
#include "timestamp_int.h"
#include "trust_int.h"

#define TSA_DEFAULT_TIMEOUT 10 /* seconds: the authority answers while the MTA waits */
#define TSA_NONCE_BYTES 8

struct eseal_tsa {
    char *url;
    long timeout_ms;
    unsigned retries;
    X509_STORE *anchors; /* NULL: replies are not checked for who signed them */
    int seal_without;
};

int eseal_tsa_new(eseal_tsa **out, const eseal_tsa_options *o, eseal_error *err)
{
    eseal_tsa *tsa;
    int rc = ESEAL_OK;

    *out = NULL;
    if (!http_url_ok(o->url))
        return eseal_error_set(err, ESEAL_ERR_CONFIG,
                               "timestamp_url: expected an http:// or https:// URL of at most "
                               "%d bytes",
                               HTTP_URL_MAX);
    tsa = calloc(1, sizeof(*tsa));
    if (tsa == NULL || (tsa->url = strdup(o->url)) == NULL) {
        free(tsa);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    curl_global_init(CURL_GLOBAL_DEFAULT); /* counted: eseal_tsa_free undoes it */
    tsa->timeout_ms = 1000L * (o->timeout_seconds ? o->timeout_seconds : TSA_DEFAULT_TIMEOUT);
    tsa->retries = o->retries;
    tsa->seal_without = o->seal_without;
    if (o->trust_anchors != NULL) {
        tsa->anchors = X509_STORE_new();
        rc = tsa->anchors == NULL ? eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory")
                                  : trust_load_anchors(tsa->anchors, o->trust_anchors, err);
    }
    if (rc != ESEAL_OK) {
        eseal_tsa_free(tsa);
        return rc;
    }
    *out = tsa;
    return ESEAL_OK;
}

void eseal_tsa_free(eseal_tsa *tsa)
{
    if (tsa == NULL)
        return;
    X509_STORE_free(tsa->anchors);
    free(tsa->url);
    free(tsa);
    curl_global_cleanup();
}

int tsa_seal_without(const eseal_tsa *tsa)
{
    return tsa->seal_without;
}

/* A request for a SHA-256 imprint of sig, with a fresh nonce and the authority's
 * certificate asked for (the verifier needs it). */
static TS_REQ *tsa_request(const unsigned char *sig, size_t sig_len)
{
    unsigned char digest[EVP_MAX_MD_SIZE], nonce_bytes[TSA_NONCE_BYTES];
    unsigned int digest_len;
    TS_REQ *req = TS_REQ_new();
    TS_MSG_IMPRINT *imprint = TS_MSG_IMPRINT_new();
    X509_ALGOR *alg = X509_ALGOR_new();
    BIGNUM *bn = NULL;
    ASN1_INTEGER *nonce = NULL;
    int ok;

    ok = req != NULL && imprint != NULL && alg != NULL &&
         EVP_Digest(sig, sig_len, digest, &digest_len, EVP_sha256(), NULL) &&
         RAND_bytes(nonce_bytes, sizeof(nonce_bytes)) == 1 &&
         (bn = BN_bin2bn(nonce_bytes, sizeof(nonce_bytes), NULL)) != NULL &&
         (nonce = BN_to_ASN1_INTEGER(bn, NULL)) != NULL &&
         X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) &&
         TS_MSG_IMPRINT_set_algo(imprint, alg) &&
         TS_MSG_IMPRINT_set_msg(imprint, digest, (int)digest_len) && TS_REQ_set_version(req, 1) &&
         TS_REQ_set_msg_imprint(req, imprint) && TS_REQ_set_nonce(req, nonce) &&
         TS_REQ_set_cert_req(req, 1);
    ASN1_INTEGER_free(nonce);
    BN_free(bn);
    X509_ALGOR_free(alg);
    TS_MSG_IMPRINT_free(imprint);
    if (!ok) {
        TS_REQ_free(req);
        return NULL;
    }
    return req;
}

/* Check a reply against its request; the token into *token. */
static int tsa_check_reply(const eseal_tsa *tsa, TS_REQ *req, const unsigned char *der, size_t len,
                           unsigned char **token, size_t *token_len, eseal_error *err)
{
    const unsigned char *p = der;
    TS_RESP *resp = d2i_TS_RESP(NULL, &p, (long)len);
    TS_VERIFY_CTX *ctx = NULL;
    unsigned char *out = NULL;
    int n, rc = ESEAL_OK;

    if (resp == NULL || p != der + len) {
        rc = eseal_error_set(err, ESEAL_ERR_UNAVAILABLE, "%s: the answer is not a timestamp reply",
                             tsa->url);
        goto done;
    }
    ctx = TS_REQ_to_TS_VERIFY_CTX(req, NULL); /* version, imprint, nonce */
    if (ctx != NULL && tsa->anchors != NULL && X509_STORE_up_ref(tsa->anchors)) {
        TS_VERIFY_CTX_add_flags(ctx, TS_VFY_SIGNATURE);
        TS_VERIFY_CTX_set_store(ctx, tsa->anchors); /* the context owns a reference */
    }
    if (ctx == NULL || TS_RESP_verify_response(ctx, resp) != 1) {
        rc = eseal_error_openssl(err, ESEAL_ERR_UNAVAILABLE,
                                 "%s: the timestamp reply does not hold", tsa->url);
        goto done;
    }
    n = i2d_PKCS7(TS_RESP_get_token(resp), &out);
    if (n <= 0 || (size_t)n > TIMESTAMP_TOKEN_MAX) {
        rc = eseal_error_set(err, ESEAL_ERR_UNAVAILABLE, "%s: the timestamp token is unusable",
                             tsa->url);
        goto done;
    }
    *token = malloc((size_t)n);
    if (*token == NULL) {
        rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
        goto done;
    }
    memcpy(*token, out, (size_t)n);
    *token_len = (size_t)n;
done:
    OPENSSL_free(out);
    TS_VERIFY_CTX_free(ctx);
    TS_RESP_free(resp);
    ERR_clear_error();
    return rc;
}

int tsa_stamp(const eseal_tsa *tsa, const unsigned char *sig, size_t sig_len, unsigned char **token,
              size_t *token_len, eseal_error *err)
{
    http_target target = {
        tsa->url,     "application/timestamp-query", "application/timestamp-reply", tsa->timeout_ms,
        tsa->retries, TIMESTAMP_TOKEN_MAX * 2};
    TS_REQ *req = tsa_request(sig, sig_len);
    unsigned char *query = NULL, *reply = NULL;
    size_t reply_len = 0;
    int n, rc;

    *token = NULL;
    *token_len = 0;
    if (req == NULL || (n = i2d_TS_REQ(req, &query)) <= 0) {
        TS_REQ_free(req);
        return eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot make a timestamp request");
    }
    rc = http_post(&target, query, (size_t)n, &reply, &reply_len, err);
    if (rc == ESEAL_OK)
        rc = tsa_check_reply(tsa, req, reply, reply_len, token, token_len, err);
    free(reply);
    OPENSSL_free(query);
    TS_REQ_free(req);
    return rc;
}

int timestamp_token_of(CMS_SignerInfo *si, const unsigned char **der, size_t *len)
{
    int idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
    const ASN1_TYPE *t;

    if (idx < 0)
        return 0;
    t = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, idx), 0);
    if (t == NULL || t->type != V_ASN1_SEQUENCE)
        return -1;
    *der = ASN1_STRING_get0_data(t->value.sequence);
    *len = (size_t)ASN1_STRING_length(t->value.sequence);
    return 1;
}

int timestamp_check(X509_STORE *anchors, const unsigned char *token, size_t token_len,
                    const unsigned char *sig, size_t sig_len, timestamp_info *info)
{
    const unsigned char *p = token;
    PKCS7 *p7 = NULL;
    TS_TST_INFO *tst = NULL;
    TS_VERIFY_CTX *ctx = NULL;
    STACK_OF(X509) *signers = NULL;
    const EVP_MD *md;
    unsigned char *imprint = NULL;
    unsigned int imprint_len;
    struct tm tm;
    int ok = 0;

    memset(info, 0, sizeof(*info));
    if (anchors == NULL) {
        snprintf(info->why, sizeof(info->why), "no timestamp_trust_anchors to check it with");
        return 0;
    }
    if (token_len > TIMESTAMP_TOKEN_MAX || (p7 = d2i_PKCS7(NULL, &p, (long)token_len)) == NULL ||
        p != token + token_len || (tst = PKCS7_to_TS_TST_INFO(p7)) == NULL) {
        snprintf(info->why, sizeof(info->why), "the timestamp token is malformed");
        goto done;
    }
    md = EVP_get_digestbyobj(TS_MSG_IMPRINT_get_algo(TS_TST_INFO_get_msg_imprint(tst))->algorithm);
    if (md == NULL || EVP_MD_get_size(md) < 32) {
        snprintf(info->why, sizeof(info->why), "the timestamp's imprint uses %s",
                 md ? "a digest shorter than 256 bits" : "an unknown digest");
        goto done;
    }
    if ((imprint = OPENSSL_malloc(EVP_MAX_MD_SIZE)) == NULL ||
        !EVP_Digest(sig, sig_len, imprint, &imprint_len, md, NULL) ||
        (ctx = TS_VERIFY_CTX_new()) == NULL || !X509_STORE_up_ref(anchors)) {
        snprintf(info->why, sizeof(info->why), "out of memory");
        goto done;
    }
    TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
    TS_VERIFY_CTX_set_store(ctx, anchors);                /* owns the reference taken above */
    TS_VERIFY_CTX_set_imprint(ctx, imprint, imprint_len); /* owns imprint */
    imprint = NULL;
    if (TS_RESP_verify_token(ctx, p7) != 1) {
        unsigned long e = ERR_peek_last_error();
        snprintf(info->why, sizeof(info->why), "the timestamp does not hold: %s",
                 e ? ERR_reason_error_string(e) : "unknown reason");
        goto done;
    }
    if (!ASN1_TIME_to_tm(TS_TST_INFO_get_time(tst), &tm)) {
        snprintf(info->why, sizeof(info->why), "the timestamp's time is malformed");
        goto done;
    }
    info->when = timegm(&tm);
    signers = PKCS7_get0_signers(p7, NULL, 0);
    if (signers != NULL && sk_X509_num(signers) > 0)
        eseal_x509_name(X509_get_subject_name(sk_X509_value(signers, 0)), info->tsa,
                        sizeof(info->tsa));
    ok = 1;
done:
    sk_X509_free(signers);
    OPENSSL_free(imprint);
    TS_VERIFY_CTX_free(ctx);
    TS_TST_INFO_free(tst);
    PKCS7_free(p7);
    ERR_clear_error();
    return ok;
}
