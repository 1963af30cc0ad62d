/* seal_pkcs11_int.h - a seal's private key held on a PKCS#11 token (RFC 7512 URI). */
#ifndef ESEAL_SEAL_PKCS11_INT_H
#define ESEAL_SEAL_PKCS11_INT_H

#include <openssl/evp.h>

#include "eseal/error.h"

/* A key on a token, shared by every thread that seals; reconnects when the token goes away. */
typedef struct pkcs11_key pkcs11_key;

/* pkcs11_key_open - log in to the token named by uri ("pkcs11:token=...;object=...") through
 * module (a PKCS#11 library; NULL for the engine's default) with pin (may be NULL) and find
 * the private key, into *out (free with pkcs11_key_free).  uri, module and pin are copied. */
int pkcs11_key_open(pkcs11_key **out, const char *uri, const char *module, const char *pin,
                    eseal_error *err);

/* pkcs11_key_public - the key as found at open, with a reference the caller frees: for its
 * public half (the signers use pkcs11_key_use). */
EVP_PKEY *pkcs11_key_public(pkcs11_key *k);

/* pkcs11_key_use - call use(key, arg) with the token's key; use returns 1 on success.  When
 * it fails the token may have gone away: the key is found again (a new login) and use is
 * called once more.  Reconnects wait for the threads using the key. */
int pkcs11_key_use(pkcs11_key *k, int (*use)(EVP_PKEY *key, void *arg), void *arg,
                   eseal_error *err);

/* pkcs11_key_free - log out and release; NULL-safe. */
void pkcs11_key_free(pkcs11_key *k);

#endif
