/* timestamp_int.h - RFC 3161 timestamp tokens over a seal's signature value (CAdES-T, B-T). */
#ifndef ESEAL_TIMESTAMP_INT_H
#define ESEAL_TIMESTAMP_INT_H

#include <stddef.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/x509_vfy.h>

#include "eseal/timestamp.h"

/* Largest token taken from an authority or read from a seal: a token with its TSA chain is a
 * few KB. */
#define TIMESTAMP_TOKEN_MAX (32 * 1024)

/* tsa_stamp - ask tsa for a token over the signature value sig into *token (free() it), the
 * DER ContentInfo that goes into the signature-time-stamp attribute.  The reply is checked
 * (granted, nonce, imprint, and the signer against the anchors when tsa has them). */
int tsa_stamp(const eseal_tsa *tsa, const unsigned char *sig, size_t sig_len, unsigned char **token,
              size_t *token_len, eseal_error *err);

/* tsa_seal_without - whether a failed authority means sealing without a timestamp. */
int tsa_seal_without(const eseal_tsa *tsa);

/* timestamp_token_of - the signature-time-stamp (RFC 3161 token, DER ContentInfo) of si into
 * *der and *len (pointing into si): 1; 0 when si has none; -1 when the attribute is not a
 * single SEQUENCE. */
int timestamp_token_of(CMS_SignerInfo *si, const unsigned char **der, size_t *len);

/* The result of checking one token. */
typedef struct timestamp_info {
    time_t when;   /* genTime */
    char tsa[256]; /* the signer's subject, RFC 2253 */
    char why[256]; /* when the token does not hold: why */
} timestamp_info;

/* timestamp_check - whether token (DER ContentInfo) is a timestamp over the signature value
 * sig by an authority that chains to anchors (NULL: no authority is trusted, so no token
 * holds).  1 with info->when and info->tsa, 0 with info->why. */
int timestamp_check(X509_STORE *anchors, const unsigned char *token, size_t token_len,
                    const unsigned char *sig, size_t sig_len, timestamp_info *info);

#endif
