/* seal_pkcs11.c - a seal's private key on a PKCS#11 token, through OpenSSL's pkcs11 engine.
 *
 * The key never leaves the token: OpenSSL gets a handle whose private-key operations the
 * engine (libp11) turns into C_Sign calls, each on a session of libp11's per-slot pool, so
 * threads that seal at once use sessions of their own.  When the token goes away (a network
 * HSM restarts, a token is re-inserted) a signature fails; the caller then reconnects: the
 * engine finds the token and the key again by the URI and logs in anew.
 *
 * A PKCS#11 module is initialised once per process (C_Initialize), and libp11's engine binds
 * once per process too: every key shares OpenSSL's one "pkcs11" engine, each holding a
 * functional reference, so a configuration reload loads its keys while the keys of the
 * configuration it replaces still work.  The PIN travels in the URI given to the engine
 * (pin-value, percent-encoded), so keys of different tokens do not share a PIN setting. */
#define OPENSSL_SUPPRESS_DEPRECATED /* the ENGINE API: Debian 12 has no PKCS#11 provider */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/engine.h>
#include <openssl/err.h>

#include "error_int.h"
#include "seal_pkcs11_int.h"

#define PKCS11_URI_MAX 1024
#define PKCS11_PIN_MAX 256

struct pkcs11_key {
    pthread_rwlock_t lock; /* signers read; a reconnect, which frees the old key, writes */
    ENGINE *engine;        /* a functional reference to the process's pkcs11 engine */
    EVP_PKEY *key;
    char *uri; /* with the PIN as pin-value; cleansed on free */
};

/* Release a functional reference to the engine (NULL-safe).  The errors the engine queued
 * are dropped first: their texts live in its library, which the last reference unloads. */
static void pkcs11_engine_stop(ENGINE *e)
{
    ERR_clear_error();
    if (e != NULL)
        ENGINE_finish(e);
}

/* A functional reference to the pkcs11 engine, which loads module (NULL: the engine's
 * default) when this is its first use in the process. */
static int pkcs11_engine_start(const char *module, ENGINE **out, eseal_error *err)
{
    ENGINE *e = ENGINE_by_id("pkcs11");
    int rc = ESEAL_OK;

    *out = NULL;
    if (e == NULL)
        return eseal_error_openssl(err, ESEAL_ERR_CRYPTO,
                                   "cannot load OpenSSL's pkcs11 engine (Debian package "
                                   "libengine-pkcs11-openssl)");
    ENGINE_ctrl_cmd_string(e, "QUIET", NULL, 1); /* errors come back here, not on stderr */
    if ((module != NULL && !ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module, 0)) || !ENGINE_init(e))
        rc = eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot start the PKCS#11 module %s",
                                 module ? module : "(the engine's default)");
    else
        *out = e;
    ERR_clear_error();
    ENGINE_free(e); /* the structural reference; the functional one stays */
    return rc;
}

/* Find k's key on its token (logging in with the PIN of its URI) into *key. */
static int pkcs11_find(const struct pkcs11_key *k, EVP_PKEY **key, eseal_error *err)
{
    int rc = ESEAL_OK;

    *key = ENGINE_load_private_key(k->engine, k->uri, NULL, NULL);
    if (*key == NULL)
        rc = eseal_error_openssl(err, ESEAL_ERR_CRYPTO,
                                 "no such private key on the token, or the PIN is wrong");
    ERR_clear_error();
    return rc;
}

/* The URI the engine is given: uri with ";pin-value=" and the PIN percent-encoded (RFC 7512
 * 2.3: every byte but the unreserved ones), into a new string. */
static char *pkcs11_uri_with_pin(const char *uri, const char *pin)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(uri), pin_len = pin ? strlen(pin) : 0, i;
    char *out = malloc(len + sizeof(";pin-value=") + 3 * pin_len), *p;

    if (out == NULL)
        return NULL;
    memcpy(out, uri, len);
    p = out + len;
    if (pin != NULL) {
        memcpy(p, ";pin-value=", strlen(";pin-value="));
        p += strlen(";pin-value=");
        for (i = 0; i < pin_len; i++) {
            unsigned char c = (unsigned char)pin[i];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~') {
                *p++ = (char)c;
            } else {
                *p++ = '%';
                *p++ = hex[c >> 4];
                *p++ = hex[c & 15];
            }
        }
    }
    *p = '\0';
    return out;
}

int pkcs11_key_open(pkcs11_key **out, const char *uri, const char *module, const char *pin,
                    eseal_error *err)
{
    pkcs11_key *k;
    eseal_error why;
    int rc;

    *out = NULL;
    if (strlen(uri) > PKCS11_URI_MAX || strchr(uri, '?') != NULL || strstr(uri, "pin-") != NULL)
        return eseal_error_set(err, ESEAL_ERR_CONFIG,
                               "expected a PKCS#11 URI of at most %d bytes without query "
                               "attributes (the PIN goes in pin_file)",
                               PKCS11_URI_MAX);
    if (pin != NULL && strlen(pin) > PKCS11_PIN_MAX)
        return eseal_error_set(err, ESEAL_ERR_CONFIG, "PIN longer than %d bytes", PKCS11_PIN_MAX);
    k = calloc(1, sizeof(*k));
    if (k == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    pthread_rwlock_init(&k->lock, NULL);
    k->uri = pkcs11_uri_with_pin(uri, pin);
    rc = k->uri == NULL ? eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory")
                        : pkcs11_engine_start(module, &k->engine, err);
    if (rc == ESEAL_OK && (rc = pkcs11_find(k, &k->key, &why)) != ESEAL_OK)
        rc = eseal_error_set(err, rc, "%s: %s", uri, why.message);
    if (rc != ESEAL_OK) {
        pkcs11_key_free(k);
        return rc;
    }
    *out = k;
    return ESEAL_OK;
}

EVP_PKEY *pkcs11_key_public(pkcs11_key *k)
{
    EVP_PKEY_up_ref(k->key);
    return k->key;
}

/* Find the key again after use failed with failed: the token went away and may be back; the
 * engine logs in again.  (Not RE_ENUMERATE: libp11 would free the slots that the keys of
 * other seals, and of a configuration being replaced, still point into.) */
static int pkcs11_reconnect(pkcs11_key *k, EVP_PKEY *failed, eseal_error *err)
{
    EVP_PKEY *key;
    int rc = ESEAL_OK;

    pthread_rwlock_wrlock(&k->lock);
    if (k->key == failed) { /* else another thread has reconnected already */
        rc = pkcs11_find(k, &key, err);
        if (rc == ESEAL_OK) {
            EVP_PKEY_free(k->key);
            k->key = key;
        }
    }
    pthread_rwlock_unlock(&k->lock);
    return rc;
}

int pkcs11_key_use(pkcs11_key *k, int (*use)(EVP_PKEY *key, void *arg), void *arg, eseal_error *err)
{
    EVP_PKEY *key;
    eseal_error why;
    int ok;

    pthread_rwlock_rdlock(&k->lock);
    key = k->key;
    ok = use(key, arg);
    pthread_rwlock_unlock(&k->lock);
    if (ok)
        return ESEAL_OK;
    ERR_clear_error();
    if (pkcs11_reconnect(k, key, &why) != ESEAL_OK)
        return eseal_error_set(err, ESEAL_ERR_CRYPTO,
                               "the PKCS#11 token failed, and finding the key again failed: %s",
                               why.message);
    pthread_rwlock_rdlock(&k->lock);
    ok = use(k->key, arg);
    pthread_rwlock_unlock(&k->lock);
    if (!ok)
        return eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "signing on the PKCS#11 token failed");
    return ESEAL_OK;
}

void pkcs11_key_free(pkcs11_key *k)
{
    if (k == NULL)
        return;
    EVP_PKEY_free(k->key);
    pkcs11_engine_stop(k->engine);
    if (k->uri != NULL)
        OPENSSL_cleanse(k->uri, strlen(k->uri));
    free(k->uri);
    pthread_rwlock_destroy(&k->lock);
    free(k);
}
