/* ocsp_int.h - ask a certificate's OCSP responder whether it is revoked (RFC 6960), cached. */
#ifndef ESEAL_OCSP_INT_H
#define ESEAL_OCSP_INT_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509_vfy.h>

#include "eseal/error.h"

/* A responder client and its cache of answers; safe for many threads at once. */
typedef struct ocsp_client ocsp_client;

/* What a responder said about one certificate. */
typedef struct ocsp_answer {
    int known;         /* the responder gave a verified, current answer */
    int revoked;       /* status revoked (known only) */
    int unknown;       /* status unknown: the responder does not know the certificate */
    time_t revoked_at; /* when revoked */
    char why[256];     /* when not known: why */
} ocsp_answer;

/* ocsp_client_new - a client into *out (free with ocsp_client_free) that asks responder (NULL:
 * the URL in each certificate's authority information access), each try within timeout_ms. */
int ocsp_client_new(ocsp_client **out, const char *responder, long timeout_ms, eseal_error *err);

/* ocsp_client_free - release; NULL-safe. */
void ocsp_client_free(ocsp_client *c);

/* ocsp_check - the status of cert, issued by issuer, into *a: from the cache while the last
 * answer is current (until its nextUpdate), else from the responder.  The response must be
 * signed by issuer or by a responder it authorised, chaining to store; untrusted helps build
 * that chain.  der (may be NULL) receives a copy of the DER response (free() it), for a PDF's
 * validation data. */
void ocsp_check(ocsp_client *c, X509 *cert, X509 *issuer, X509_STORE *store,
                STACK_OF(X509) * untrusted, ocsp_answer *a, unsigned char **der, size_t *der_len);

#endif
