/* eseal/trust.h - what a verifier trusts: seal CA anchors, CRLs and the algorithm floor. */
#ifndef ESEAL_TRUST_H
#define ESEAL_TRUST_H

#include <stddef.h>

#include "eseal/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Immutable once made but for its cache of OCSP answers, which is locked: one trust set may
 * be shared by many threads. */
typedef struct eseal_trust eseal_trust;

/* How the revocation of a seal certificate is checked (verify section's revocation_check). */
typedef enum eseal_revocation {
    ESEAL_REVOCATION_CRL = 0, /* the configured CRLs, for every certificate of the chain */
    ESEAL_REVOCATION_OCSP,    /* the seal certificate's OCSP responder */
    ESEAL_REVOCATION_BOTH,    /* both */
    ESEAL_REVOCATION_NONE,    /* not checked */
} eseal_revocation;

/* Everything a trust set is made of.  Plain data owned by the caller; read by eseal_trust_new_with.
 */
typedef struct eseal_trust_options {
    const char *anchors;     /* PEM bundle of trusted seal CAs; NULL trusts nothing */
    const char *const *crls; /* crl_count CRL files (PEM or DER) or directories of them */
    size_t crl_count;
    unsigned min_rsa_bits;         /* RSA keys below this are `weak` (0 means 2048) */
    const char *timestamp_anchors; /* PEM bundle of trusted timestamp authorities; NULL: no
                                    * timestamp is trusted (seals are checked at today's date) */
    eseal_revocation revocation;
    int revocation_hard_fail;      /* revocation that cannot be checked is `error`, not a note */
    const char *ocsp_responder;    /* NULL: each certificate's authority information access */
    unsigned ocsp_timeout_seconds; /* 0 means 5 */
} eseal_trust_options;

/* eseal_trust_new_with - build a trust set from options into *out (free with eseal_trust_free). */
int eseal_trust_new_with(eseal_trust **out, const eseal_trust_options *options, eseal_error *err);

/*
 * eseal_trust_new - eseal_trust_new_with with CRL revocation and no timestamp authority:
 * build a trust set into *out (free with eseal_trust_free).
 * anchors_path: PEM bundle of trusted seal CA certificates; NULL trusts nothing (every
 * otherwise valid seal is then `untrusted`).
 * crl_paths: crl_count CRL files (PEM or DER) or directories of them; may be NULL/0.  With
 * CRLs, every certificate whose issuer has a CRL is checked against it.
 * min_rsa_bits: RSA keys below this are `weak` (0 means 2048).
 */
int eseal_trust_new(eseal_trust **out, const char *anchors_path, const char *const *crl_paths,
                    size_t crl_count, unsigned min_rsa_bits, eseal_error *err);

/* eseal_trust_free - release a trust set; NULL-safe. */
void eseal_trust_free(eseal_trust *trust);

#ifdef __cplusplus
}
#endif
#endif
