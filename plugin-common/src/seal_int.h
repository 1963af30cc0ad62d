/* seal_int.h - what the signers of libeseal read from a loaded seal. */
#ifndef ESEAL_SEAL_INT_H
#define ESEAL_SEAL_INT_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "eseal/seal.h"

/* The SM2 distinguishing identifier every SM2 signature of eseal uses and checks: GM/T 0009's
 * default, which SES (GB/T 38540) signers and verifiers expect. */
#define SEAL_SM2_ID "1234567812345678"

/* eseal_seal_key - the private key (of a token key, the handle found at load: use it for its
 * public half, sign with eseal_seal_sign); owned by seal. */
EVP_PKEY *eseal_seal_key(const eseal_seal *seal);

/* eseal_seal_sign - sign tbs with the seal's key and digest (a token is reconnected once when a
 * signature fails) into *sig (OPENSSL_free it) of *sig_len bytes. */
int eseal_seal_sign(const eseal_seal *seal, const unsigned char *tbs, size_t len,
                    unsigned char **sig, size_t *sig_len, eseal_error *err);

/* eseal_seal_cert - the seal (end-entity) certificate; owned by seal. */
X509 *eseal_seal_cert(const eseal_seal *seal);

/* eseal_seal_chain - the other certificates of the chain, in file order; owned by seal. */
STACK_OF(X509) * eseal_seal_chain(const eseal_seal *seal);

/* eseal_seal_digest - the digest that matches the key's strength (SHA-256/384/512). */
const EVP_MD *eseal_seal_digest(const eseal_seal *seal);

/* cades_signed_size - the DER size of a detached seal by seal without signing time (as PAdES
 * makes them), built without the private-key operation: an RSA signature has this size, an
 * ECDSA one at most this. */
int cades_signed_size(const eseal_seal *seal, size_t *size, eseal_error *err);

/* eseal_x509_name - format name as RFC 2253 into buf (always NUL-terminated). */
void eseal_x509_name(const X509_NAME *name, char *buf, size_t size);

/* eseal_x509_can_sign - whether cert's key usage (if it has one) allows digitalSignature or
 * nonRepudiation. */
int eseal_x509_can_sign(X509 *cert);

#endif
