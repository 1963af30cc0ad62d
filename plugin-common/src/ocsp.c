/* ocsp.c - OCSP (RFC 6960) for a seal certificate: ask its responder, check and cache the answer.
 *
 * SECURITY: responses come from the network.  They are size-capped, decoded by OpenSSL's DER
 * decoder (which must consume them whole), must answer for exactly the certificate asked
 * about, carry our nonce when the responder echoes nonces, be signed by the issuer or a
 * responder it delegated to (OCSPSigning), and be current (thisUpdate not in the future,
 * nextUpdate not past).  The cache is capped and keyed by the request's CertID. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>

#include "error_int.h"
#include "http_int.h"
#include "ocsp_int.h"

#define OCSP_RESPONSE_MAX (64 * 1024)
#define OCSP_CACHE_MAX 256     /* certificates whose last answer is kept */
#define OCSP_CERTID_MAX 128    /* DER CertID: two SHA-1 hashes and a serial */
#define OCSP_CLOCK_SKEW 300    /* seconds a responder's clock may differ from ours */
#define OCSP_NO_NEXT_UPDATE 60 /* seconds an answer without nextUpdate is reused */

struct ocsp_entry {
    unsigned char id[OCSP_CERTID_MAX];
    size_t id_len;
    time_t expires;
    ocsp_answer answer;
    unsigned char *der;
    size_t der_len;
};

struct ocsp_client {
    char *responder; /* NULL: each certificate's AIA */
    long timeout_ms;
    pthread_mutex_t lock; /* guards the cache */
    struct ocsp_entry cache[OCSP_CACHE_MAX];
    size_t cache_count;
};

int ocsp_client_new(ocsp_client **out, const char *responder, long timeout_ms, eseal_error *err)
{
    ocsp_client *c;

    *out = NULL;
    if (responder != NULL && !http_url_ok(responder))
        return eseal_error_set(err, ESEAL_ERR_CONFIG,
                               "ocsp_responder: expected an http:// or https:// URL of at most "
                               "%d bytes",
                               HTTP_URL_MAX);
    c = calloc(1, sizeof(*c));
    if (c == NULL || (responder != NULL && (c->responder = strdup(responder)) == NULL)) {
        free(c);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    curl_global_init(CURL_GLOBAL_DEFAULT); /* counted: ocsp_client_free undoes it */
    c->timeout_ms = timeout_ms;
    pthread_mutex_init(&c->lock, NULL);
    *out = c;
    return ESEAL_OK;
}

void ocsp_client_free(ocsp_client *c)
{
    size_t i;

    if (c == NULL)
        return;
    for (i = 0; i < c->cache_count; i++)
        free(c->cache[i].der);
    pthread_mutex_destroy(&c->lock);
    free(c->responder);
    free(c);
    curl_global_cleanup();
}

/* A current cached answer for the CertID id into *a (and a copy of its response). */
static int ocsp_cache_get(ocsp_client *c, const unsigned char *id, size_t id_len, ocsp_answer *a,
                          unsigned char **der, size_t *der_len)
{
    time_t now = time(NULL);
    size_t i;
    int hit = 0;

    pthread_mutex_lock(&c->lock);
    for (i = 0; i < c->cache_count && !hit; i++) {
        struct ocsp_entry *e = &c->cache[i];
        if (e->id_len != id_len || memcmp(e->id, id, id_len) != 0 || e->expires <= now)
            continue;
        hit = 1;
        *a = e->answer;
        if (der != NULL && (*der = malloc(e->der_len)) != NULL) {
            memcpy(*der, e->der, e->der_len);
            *der_len = e->der_len;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

/* Keep an answer until expires, in the slot of the same certificate, an expired one, or the
 * one that expires first. */
static void ocsp_cache_put(ocsp_client *c, const unsigned char *id, size_t id_len,
                           const ocsp_answer *a, const unsigned char *der, size_t der_len,
                           time_t expires)
{
    time_t now = time(NULL);
    struct ocsp_entry *slot = NULL;
    unsigned char *copy = malloc(der_len);
    size_t i;

    if (copy == NULL || id_len > OCSP_CERTID_MAX) {
        free(copy);
        return;
    }
    memcpy(copy, der, der_len);
    pthread_mutex_lock(&c->lock);
    for (i = 0; i < c->cache_count && slot == NULL; i++)
        if ((c->cache[i].id_len == id_len && memcmp(c->cache[i].id, id, id_len) == 0) ||
            c->cache[i].expires <= now)
            slot = &c->cache[i];
    if (slot == NULL && c->cache_count < OCSP_CACHE_MAX)
        slot = &c->cache[c->cache_count++];
    if (slot == NULL) /* full: the answer that expires first makes room */
        for (i = 0; i < c->cache_count; i++)
            if (slot == NULL || c->cache[i].expires < slot->expires)
                slot = &c->cache[i];
    free(slot->der);
    memcpy(slot->id, id, id_len);
    slot->id_len = id_len;
    slot->expires = expires;
    slot->answer = *a;
    slot->der = copy;
    slot->der_len = der_len;
    pthread_mutex_unlock(&c->lock);
}

/* The responder to ask about cert into url: the configured one, else its AIA's first. */
static int ocsp_url(const ocsp_client *c, X509 *cert, char *url, size_t size)
{
    STACK_OF(OPENSSL_STRING) * aia;
    int found = 0;

    if (c->responder != NULL) {
        snprintf(url, size, "%s", c->responder);
        return 1;
    }
    aia = X509_get1_ocsp(cert);
    if (aia != NULL && sk_OPENSSL_STRING_num(aia) > 0) {
        const char *u = sk_OPENSSL_STRING_value(aia, 0);
        found = strlen(u) < size && http_url_ok(u);
        if (found)
            snprintf(url, size, "%s", u);
    }
    X509_email_free(aia);
    return found;
}

/* Check a response to req about id and read the status into *a; *expires is how long the
 * answer may be reused. */
static void ocsp_read_response(const unsigned char *der, size_t len, OCSP_REQUEST *req,
                               OCSP_CERTID *id, X509_STORE *store, STACK_OF(X509) * untrusted,
                               ocsp_answer *a, time_t *expires)
{
    const unsigned char *p = der;
    OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
    OCSP_BASICRESP *basic = NULL;
    ASN1_GENERALIZEDTIME *revoked_at = NULL, *this_update = NULL, *next_update = NULL;
    int status, reason;
    struct tm tm;

    if (resp == NULL || p != der + len) {
        snprintf(a->why, sizeof(a->why), "the OCSP response is malformed");
        goto done;
    }
    if (OCSP_response_status(resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
        snprintf(a->why, sizeof(a->why), "the OCSP responder answered %s",
                 OCSP_response_status_str(OCSP_response_status(resp)));
        goto done;
    }
    basic = OCSP_response_get1_basic(resp);
    if (basic == NULL || OCSP_check_nonce(req, basic) == 0) { /* -1: responder has no nonces */
        snprintf(a->why, sizeof(a->why), "the OCSP response %s",
                 basic ? "answers another request (nonce)" : "is not a basic response");
        goto done;
    }
    if (OCSP_basic_verify(basic, untrusted, store, 0) != 1) {
        unsigned long e = ERR_peek_last_error();
        snprintf(a->why, sizeof(a->why), "the OCSP response's signature does not hold: %s",
                 e ? ERR_reason_error_string(e) : "unknown reason");
        goto done;
    }
    if (!OCSP_resp_find_status(basic, id, &status, &reason, &revoked_at, &this_update,
                               &next_update)) {
        snprintf(a->why, sizeof(a->why), "the OCSP response does not mention the certificate");
        goto done;
    }
    if (!OCSP_check_validity(this_update, next_update, OCSP_CLOCK_SKEW, -1)) {
        snprintf(a->why, sizeof(a->why), "the OCSP response is not current");
        goto done;
    }
    a->known = 1;
    a->revoked = status == V_OCSP_CERTSTATUS_REVOKED;
    a->unknown = status == V_OCSP_CERTSTATUS_UNKNOWN;
    if (a->revoked && revoked_at != NULL && ASN1_TIME_to_tm(revoked_at, &tm))
        a->revoked_at = timegm(&tm);
    *expires = time(NULL) + OCSP_NO_NEXT_UPDATE;
    if (next_update != NULL && ASN1_TIME_to_tm(next_update, &tm))
        *expires = timegm(&tm);
done:
    OCSP_BASICRESP_free(basic);
    OCSP_RESPONSE_free(resp);
    ERR_clear_error();
}

void ocsp_check(ocsp_client *c, X509 *cert, X509 *issuer, X509_STORE *store,
                STACK_OF(X509) * untrusted, ocsp_answer *a, unsigned char **der, size_t *der_len)
{
    OCSP_CERTID *id = OCSP_cert_to_id(NULL, cert, issuer), *req_id = NULL;
    OCSP_REQUEST *req = NULL;
    unsigned char *id_der = NULL, *query = NULL, *reply = NULL;
    size_t reply_len = 0;
    char url[HTTP_URL_MAX + 1];
    http_target target = {
        url, "application/ocsp-request", "application/ocsp-response", c->timeout_ms,
        1,   OCSP_RESPONSE_MAX};
    time_t expires = 0;
    eseal_error err;
    int id_len = -1, n;

    memset(a, 0, sizeof(*a));
    if (der != NULL) {
        *der = NULL;
        *der_len = 0;
    }
    if (id != NULL)
        id_len = i2d_OCSP_CERTID(id, &id_der);
    if (id_len <= 0 || id_len > OCSP_CERTID_MAX) {
        snprintf(a->why, sizeof(a->why), "cannot identify the certificate for OCSP");
        goto done;
    }
    if (ocsp_cache_get(c, id_der, (size_t)id_len, a, der, der_len))
        goto done;
    if (!ocsp_url(c, cert, url, sizeof(url))) {
        snprintf(a->why, sizeof(a->why),
                 "no OCSP responder: none configured, none in the "
                 "certificate");
        goto done;
    }
    req = OCSP_REQUEST_new();
    if ((req_id = OCSP_CERTID_dup(id)) != NULL && req != NULL &&
        OCSP_request_add0_id(req, req_id) != NULL)
        req_id = NULL; /* the request owns it */
    if (req == NULL || req_id != NULL || !OCSP_request_add1_nonce(req, NULL, -1) ||
        (n = i2d_OCSP_REQUEST(req, &query)) <= 0) {
        snprintf(a->why, sizeof(a->why), "cannot make an OCSP request");
        goto done;
    }
    if (http_post(&target, query, (size_t)n, &reply, &reply_len, &err) != ESEAL_OK) {
        snprintf(a->why, sizeof(a->why), "%.200s", err.message);
        goto done;
    }
    ocsp_read_response(reply, reply_len, req, id, store, untrusted, a, &expires);
    if (!a->known)
        goto done;
    ocsp_cache_put(c, id_der, (size_t)id_len, a, reply, reply_len, expires);
    if (der != NULL) {
        *der = reply;
        *der_len = reply_len;
        reply = NULL;
    }
done:
    free(reply);
    OPENSSL_free(query);
    OPENSSL_free(id_der);
    OCSP_REQUEST_free(req);
    OCSP_CERTID_free(req_id);
    OCSP_CERTID_free(id);
    ERR_clear_error();
}
