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

/* pkcs11_key_get - the key as it is now, with a reference the caller frees (EVP_PKEY_free). */
EVP_PKEY *pkcs11_key_get(pkcs11_key *k);

/* pkcs11_key_reconnect - after a private-key operation with failed went wrong: connect to the
 * token afresh and find the key again, unless another thread already has. */
int pkcs11_key_reconnect(pkcs11_key *k, const EVP_PKEY *failed, eseal_error *err);

/* pkcs11_key_free - log out and release; NULL-safe. */
void pkcs11_key_free(pkcs11_key *k);

#endif
