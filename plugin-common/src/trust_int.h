/* trust_int.h - what the verifiers of libeseal read from a trust set. */
#ifndef ESEAL_TRUST_INT_H
#define ESEAL_TRUST_INT_H

#include <openssl/x509_vfy.h>

#include "eseal/trust.h"

/* eseal_trust_store - the anchors and CRLs; owned by trust. */
X509_STORE *eseal_trust_store(const eseal_trust *trust);

/* eseal_trust_has_crls - whether any CRL was loaded (then revocation is checked). */
int eseal_trust_has_crls(const eseal_trust *trust);

/* eseal_trust_min_rsa_bits - RSA keys below this many bits are weak. */
unsigned eseal_trust_min_rsa_bits(const eseal_trust *trust);

#endif
