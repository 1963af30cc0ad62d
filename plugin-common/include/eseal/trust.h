/* eseal/trust.h - what a verifier trusts: seal CA anchors, CRLs and the algorithm floor. */
#ifndef ESEAL_TRUST_H
#define ESEAL_TRUST_H

#include <stddef.h>

#include "eseal/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Immutable once made, so one trust set may be shared by many threads. */
typedef struct eseal_trust eseal_trust;

/*
 * eseal_trust_new - build a trust set into *out (free with eseal_trust_free).
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
