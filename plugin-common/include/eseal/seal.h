/* eseal/seal.h - an organisation's seal: its private key and certificate chain. */
#ifndef ESEAL_SEAL_H
#define ESEAL_SEAL_H

#include <sys/types.h>
#include <time.h>

#include "eseal/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A loaded seal.  Immutable once loaded, so one seal may be used by many threads. */
typedef struct eseal_seal eseal_seal;

/*
 * eseal_seal_load - load a seal into *out (free with eseal_seal_free).
 *
 * key_path is a PEM private key (PKCS#8 or traditional, optionally encrypted) or a
 * PKCS#12 file.  It must be owned by the caller's effective user or root and must not be
 * readable by group or others.  cert_path is a PEM file with the seal certificate and
 * its chain, in any order; it may be NULL for a PKCS#12 file that carries them.
 * passphrase_path (may be NULL) names a file whose first line decrypts the key; it is
 * checked like the key.  Keys: RSA of at least 2048 bits, ECDSA on P-256, P-384 or P-521.
 * A key_path that starts with "pkcs11:" is eseal_seal_load_pkcs11 with the default module
 * and passphrase_path as the PIN file.
 */
int eseal_seal_load(eseal_seal **out, const char *key_path, const char *cert_path,
                    const char *passphrase_path, eseal_error *err);

/* eseal_seal_load_as - eseal_seal_load that also accepts key and passphrase files owned by
 * owner: the unprivileged account a daemon drops to, which must read them again on reload. */
int eseal_seal_load_as(eseal_seal **out, const char *key_path, const char *cert_path,
                       const char *passphrase_path, uid_t owner, eseal_error *err);

/*
 * eseal_seal_load_pkcs11 - load a seal whose private key stays on a PKCS#11 token, into *out
 * (free with eseal_seal_free).  uri is an RFC 7512 URI ("pkcs11:token=Seal;object=seal-2026");
 * module the PKCS#11 library (NULL: p11-kit's proxy, which reaches every module p11-kit
 * knows); cert_path the PEM chain (required: the token's own copy is not trusted to match);
 * pin_path a file whose first line is the user PIN (may be NULL), checked like a key file
 * for owner.  The key is found and the token logged in at once; signing reconnects once when
 * the token went away.  Needs OpenSSL's pkcs11 engine (Debian libengine-pkcs11-openssl).
 */
int eseal_seal_load_pkcs11(eseal_seal **out, const char *uri, const char *module,
                           const char *cert_path, const char *pin_path, uid_t owner,
                           eseal_error *err);

/* eseal_seal_free - release a seal; NULL-safe. */
void eseal_seal_free(eseal_seal *seal);

/* eseal_seal_subject - the seal certificate's subject, RFC 2253 ("CN=...,O=..."); owned by seal. */
const char *eseal_seal_subject(const eseal_seal *seal);

/* eseal_seal_check - fail with ESEAL_ERR_CRYPTO when the seal certificate is not valid at
 * when, or its key usage does not allow signing (digitalSignature or nonRepudiation). */
int eseal_seal_check(const eseal_seal *seal, time_t when, eseal_error *err);

#ifdef __cplusplus
}
#endif
#endif
