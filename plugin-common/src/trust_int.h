/* trust_int.h - what the verifiers of libeseal read from a trust set. */
#ifndef ESEAL_TRUST_INT_H
#define ESEAL_TRUST_INT_H

#include <openssl/x509_vfy.h>

#include "eseal/trust.h"
#include "ocsp_int.h"

/* eseal_trust_store - the anchors and CRLs; owned by trust. */
X509_STORE *eseal_trust_store(const eseal_trust *trust);

/* eseal_trust_has_crls - whether CRLs were loaded and revocation_check uses them. */
int eseal_trust_has_crls(const eseal_trust *trust);

/* eseal_trust_timestamp_store - the trusted timestamp authorities, or NULL; owned by trust. */
X509_STORE *eseal_trust_timestamp_store(const eseal_trust *trust);

/* eseal_trust_ocsp - the OCSP client when revocation_check uses OCSP, else NULL; owned by trust. */
ocsp_client *eseal_trust_ocsp(const eseal_trust *trust);

/* eseal_trust_hard_fail - whether revocation that cannot be checked makes the verdict `error`. */
int eseal_trust_hard_fail(const eseal_trust *trust);

/* trust_load_anchors - add every PEM certificate of the file at path to store (at least one). */
int trust_load_anchors(X509_STORE *store, const char *path, eseal_error *err);

/* eseal_trust_min_rsa_bits - RSA keys below this many bits are weak. */
unsigned eseal_trust_min_rsa_bits(const eseal_trust *trust);

#endif
