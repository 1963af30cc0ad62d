/* seal.c - load an organisation's seal (private key and certificate chain).
 *
 * SECURITY: reads key, certificate and PKCS#12 files named by the administrator; they are
 * bounded in size and the key files must be private to the seal's user. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "error_int.h"
#include "file_int.h"
#include "seal_int.h"
#include "seal_pkcs11_int.h"

#define SEAL_FILE_MAX (1024 * 1024) /* key, chain and PKCS#12 files are a few KB */
#define SEAL_PASSPHRASE_MAX 1024
#define SEAL_SUBJECT_MAX 512
#define SEAL_MIN_RSA_BITS 2048

struct eseal_seal {
    EVP_PKEY *key;     /* a token key: the handle found at load, for its public half */
    pkcs11_key *token; /* NULL for a key from a file */
    X509 *cert;
    STACK_OF(X509) * chain;
    const EVP_MD *digest;
    char subject[SEAL_SUBJECT_MAX];
};

/* What a passphrase callback is given: the passphrase, or NULL when there is none. */
struct seal_passphrase {
    const char *text;
};

static int seal_passphrase_cb(char *buf, int size, int rwflag, void *u)
{
    const struct seal_passphrase *pass = u;
    size_t len;

    (void)rwflag;
    if (pass == NULL || pass->text == NULL)
        return -1; /* never prompt on a terminal: a daemon has none */
    len = strlen(pass->text);
    if (len > (size_t)size)
        return -1;
    memcpy(buf, pass->text, len);
    return (int)len;
}

/* Read the first line of a passphrase file into a new string. */
static int seal_read_passphrase(const char *path, uid_t owner, char **out, eseal_error *err)
{
    unsigned char *buf;
    size_t len;
    int rc;

    rc = eseal_file_check_mode(path, 077, owner, "passphrase file", err);
    if (rc != ESEAL_OK)
        return rc;
    rc = eseal_file_read(path, SEAL_PASSPHRASE_MAX, &buf, &len, err);
    if (rc != ESEAL_OK)
        return rc;
    buf[strcspn((char *)buf, "\r\n")] = '\0';
    *out = (char *)buf;
    return ESEAL_OK;
}

/* The label of the first PEM block in text ("CERTIFICATE"), for a useful error message. */
static void seal_pem_label(const char *text, char *label, size_t size)
{
    const char *begin = strstr(text, "-----BEGIN ");
    size_t n;

    label[0] = '\0';
    if (begin == NULL)
        return;
    begin += strlen("-----BEGIN ");
    n = strcspn(begin, "-\r\n");
    if (n >= size)
        n = size - 1;
    memcpy(label, begin, n);
    label[n] = '\0';
}

static int seal_load_pem_key(eseal_seal *seal, const char *path, const unsigned char *data,
                             size_t len, const char *passphrase, eseal_error *err)
{
    struct seal_passphrase pass = {passphrase};
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    char label[64];

    if (bio == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    seal->key = PEM_read_bio_PrivateKey(bio, NULL, seal_passphrase_cb, &pass);
    BIO_free(bio);
    if (seal->key != NULL)
        return ESEAL_OK;
    seal_pem_label((const char *)data, label, sizeof(label));
    if (strstr(label, "PRIVATE KEY") == NULL)
        return eseal_error_openssl(err, ESEAL_ERR_FORMAT,
                                   "%s: no private key found (the file holds %s)", path,
                                   label[0] ? label : "no PEM block");
    if (strstr(label, "ENCRYPTED") != NULL || strstr((const char *)data, "Proc-Type: 4,ENCRYPTED"))
        return eseal_error_openssl(
            err, ESEAL_ERR_CRYPTO,
            passphrase ? "%s: cannot decrypt the private key: wrong passphrase?"
                       : "%s: the private key is encrypted and no passphrase file is set",
            path);
    return eseal_error_openssl(err, ESEAL_ERR_FORMAT, "%s: malformed private key", path);
}

static int seal_load_pkcs12(eseal_seal *seal, const char *path, const unsigned char *data,
                            size_t len, const char *passphrase, eseal_error *err)
{
    const unsigned char *p = data;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
    int ok;

    if (p12 == NULL)
        return eseal_error_openssl(err, ESEAL_ERR_FORMAT,
                                   "%s: neither a PEM private key nor a PKCS#12 file", path);
    ok = PKCS12_parse(p12, passphrase ? passphrase : "", &seal->key, &seal->cert, &seal->chain);
    PKCS12_free(p12);
    if (!ok || seal->key == NULL)
        return eseal_error_openssl(err, ESEAL_ERR_CRYPTO,
                                   "%s: cannot open the PKCS#12 file: wrong passphrase?", path);
    return ESEAL_OK;
}

/* Whether x is already in the seal's chain (chain files often repeat certificates). */
static int seal_chain_has(const eseal_seal *seal, X509 *x)
{
    int i;

    for (i = 0; i < sk_X509_num(seal->chain); i++)
        if (X509_cmp(sk_X509_value(seal->chain, i), x) == 0)
            return 1;
    return 0;
}

/* Read a PEM chain; the certificate that matches the key becomes seal->cert. */
static int seal_load_chain(eseal_seal *seal, const char *path, eseal_error *err)
{
    unsigned char *data;
    size_t len;
    BIO *bio;
    X509 *x;
    int i, rc = eseal_file_read(path, SEAL_FILE_MAX, &data, &len, err);

    if (rc != ESEAL_OK)
        return rc;
    /* the chain file is authoritative: it replaces what a PKCS#12 file carried */
    X509_free(seal->cert);
    seal->cert = NULL;
    sk_X509_pop_free(seal->chain, X509_free);
    seal->chain = sk_X509_new_null();
    bio = BIO_new_mem_buf(data, (int)len);
    if (bio == NULL || seal->chain == NULL) {
        BIO_free(bio);
        free(data);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        if (seal->cert == NULL && X509_check_private_key(x, seal->key) == 1)
            seal->cert = x;
        else if (seal_chain_has(seal, x) || !sk_X509_push(seal->chain, x))
            X509_free(x);
    }
    ERR_clear_error(); /* the loop ends on "no start line" */
    BIO_free(bio);
    free(data);
    if (seal->cert == NULL)
        return eseal_error_set(err, ESEAL_ERR_CRYPTO,
                               "%s: no certificate in this file matches the private key", path);
    for (i = sk_X509_num(seal->chain) - 1; i >= 0; i--) /* a copy of the seal listed first */
        if (X509_cmp(sk_X509_value(seal->chain, i), seal->cert) == 0)
            X509_free(sk_X509_delete(seal->chain, i));
    return ESEAL_OK;
}

/* Refuse keys too weak to seal with, and pick the digest that matches the key. */
static int seal_check_key(eseal_seal *seal, const char *path, eseal_error *err)
{
    int bits = EVP_PKEY_get_bits(seal->key);
    int security = EVP_PKEY_get_security_bits(seal->key);

    if (EVP_PKEY_is_a(seal->key, "RSA")) {
        if (bits < SEAL_MIN_RSA_BITS)
            return eseal_error_set(err, ESEAL_ERR_CRYPTO,
                                   "%s: RSA key of %d bits; a seal needs at least %d", path, bits,
                                   SEAL_MIN_RSA_BITS);
    } else if (EVP_PKEY_is_a(seal->key, "SM2")) {
        seal->digest = EVP_sm3(); /* an SES seal's key (OFD): SM2 with SM3 */
        return ESEAL_OK;
    } else if (EVP_PKEY_is_a(seal->key, "EC")) {
        char curve[64];
        size_t n;
        if (!EVP_PKEY_get_utf8_string_param(seal->key, "group", curve, sizeof(curve), &n) ||
            (strcmp(curve, "prime256v1") != 0 && strcmp(curve, "secp384r1") != 0 &&
             strcmp(curve, "secp521r1") != 0))
            return eseal_error_set(err, ESEAL_ERR_CRYPTO, "%s: EC key not on P-256, P-384 or P-521",
                                   path);
    } else {
        return eseal_error_set(err, ESEAL_ERR_CRYPTO,
                               "%s: unsupported key type %s; use RSA, ECDSA or SM2", path,
                               EVP_PKEY_get0_type_name(seal->key));
    }
    seal->digest = security > 192 ? EVP_sha512() : security > 128 ? EVP_sha384() : EVP_sha256();
    return ESEAL_OK;
}

int eseal_seal_load(eseal_seal **out, const char *key_path, const char *cert_path,
                    const char *passphrase_path, eseal_error *err)
{
    return eseal_seal_load_as(out, key_path, cert_path, passphrase_path, geteuid(), err);
}

/* What loading a key from a file or a token shares: the chain, the key's strength and the
 * subject.  Frees seal on failure. */
static int seal_load_finish(eseal_seal **out, eseal_seal *seal, const char *key_path,
                            const char *cert_path, eseal_error *err)
{
    int rc = ESEAL_OK;

    if (cert_path != NULL)
        rc = seal_load_chain(seal, cert_path, err);
    else if (seal->cert == NULL)
        rc = eseal_error_set(err, ESEAL_ERR_CONFIG,
                             "%s: a certificate chain file is needed with this key", key_path);
    if (rc == ESEAL_OK && seal->chain == NULL && (seal->chain = sk_X509_new_null()) == NULL)
        rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    if (rc == ESEAL_OK)
        rc = seal_check_key(seal, key_path, err);
    if (rc != ESEAL_OK) {
        eseal_seal_free(seal);
        return rc;
    }
    eseal_x509_name(X509_get_subject_name(seal->cert), seal->subject, sizeof(seal->subject));
    *out = seal;
    return ESEAL_OK;
}

static void seal_free_secret(char *secret)
{
    if (secret != NULL)
        OPENSSL_cleanse(secret, strlen(secret));
    free(secret);
}

int eseal_seal_load_as(eseal_seal **out, const char *key_path, const char *cert_path,
                       const char *passphrase_path, uid_t owner, eseal_error *err)
{
    eseal_seal *seal;
    unsigned char *data = NULL;
    char *passphrase = NULL;
    size_t len;
    int rc;

    *out = NULL;
    if (strncmp(key_path, "pkcs11:", 7) == 0)
        return eseal_seal_load_pkcs11(out, key_path, NULL, cert_path, passphrase_path, owner, err);
    rc = eseal_file_check_mode(key_path, 077, owner, "private key", err);
    if (rc != ESEAL_OK)
        return rc;
    if (passphrase_path != NULL &&
        (rc = seal_read_passphrase(passphrase_path, owner, &passphrase, err)))
        return rc;
    seal = calloc(1, sizeof(*seal));
    if (seal == NULL) {
        rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
        goto done;
    }
    rc = eseal_file_read(key_path, SEAL_FILE_MAX, &data, &len, err);
    if (rc != ESEAL_OK)
        goto done;
    if (strstr((char *)data, "-----BEGIN ") != NULL)
        rc = seal_load_pem_key(seal, key_path, data, len, passphrase, err);
    else
        rc = seal_load_pkcs12(seal, key_path, data, len, passphrase, err);
    if (rc == ESEAL_OK)
        rc = seal_load_finish(out, seal, key_path, cert_path, err);
    else
        eseal_seal_free(seal);
done:
    seal_free_secret(passphrase);
    if (data != NULL)
        OPENSSL_cleanse(data, len);
    free(data);
    return rc;
}

int eseal_seal_load_pkcs11(eseal_seal **out, const char *uri, const char *module,
                           const char *cert_path, const char *pin_path, uid_t owner,
                           eseal_error *err)
{
    eseal_seal *seal;
    char *pin = NULL;
    int rc;

    *out = NULL;
    if (cert_path == NULL)
        return eseal_error_set(err, ESEAL_ERR_CONFIG,
                               "%s: a certificate chain file is needed with a PKCS#11 key", uri);
    if (pin_path != NULL && (rc = seal_read_passphrase(pin_path, owner, &pin, err)))
        return rc;
    seal = calloc(1, sizeof(*seal));
    if (seal == NULL) {
        seal_free_secret(pin);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    rc = pkcs11_key_open(&seal->token, uri, module, pin, err);
    seal_free_secret(pin);
    if (rc != ESEAL_OK) {
        eseal_seal_free(seal);
        return rc;
    }
    seal->key = pkcs11_key_public(seal->token);
    return seal_load_finish(out, seal, uri, cert_path, err);
}

/* One signature: the input and the output of seal_sign_with. */
struct seal_signing {
    const EVP_MD *md;
    const unsigned char *tbs;
    size_t len;
    unsigned char *sig; /* OPENSSL_malloc'd */
    size_t sig_len;
};

/* Sign s->tbs with key; 1 on success. */
static int seal_sign_with(EVP_PKEY *key, void *arg)
{
    struct seal_signing *s = arg;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int ok;

    OPENSSL_free(s->sig);
    s->sig = NULL;
    /* SM2 signs with the default distinguishing identifier (GM/T 0009), as SES verifiers
     * expect */
    ok = md != NULL && EVP_DigestSignInit(md, &pctx, s->md, NULL, key) > 0 &&
         (!EVP_PKEY_is_a(key, "SM2") ||
          EVP_PKEY_CTX_set1_id(pctx, SEAL_SM2_ID, strlen(SEAL_SM2_ID)) > 0) &&
         EVP_DigestSign(md, NULL, &s->sig_len, s->tbs, s->len) > 0 &&
         (s->sig = OPENSSL_malloc(s->sig_len)) != NULL &&
         EVP_DigestSign(md, s->sig, &s->sig_len, s->tbs, s->len) > 0;
    EVP_MD_CTX_free(md);
    return ok;
}

int eseal_seal_sign(const eseal_seal *seal, const unsigned char *tbs, size_t len,
                    unsigned char **sig, size_t *sig_len, eseal_error *err)
{
    struct seal_signing s = {seal->digest, tbs, len, NULL, 0};
    int rc = ESEAL_OK;

    if (seal->token != NULL)
        rc = pkcs11_key_use(seal->token, seal_sign_with, &s, err);
    else if (!seal_sign_with(seal->key, &s))
        rc = eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "signing with the seal key failed");
    if (rc != ESEAL_OK) {
        OPENSSL_free(s.sig);
        return rc;
    }
    *sig = s.sig;
    *sig_len = s.sig_len;
    return ESEAL_OK;
}

void eseal_seal_free(eseal_seal *seal)
{
    if (seal == NULL)
        return;
    EVP_PKEY_free(seal->key);
    pkcs11_key_free(seal->token);
    X509_free(seal->cert);
    sk_X509_pop_free(seal->chain, X509_free);
    free(seal);
}

const char *eseal_seal_subject(const eseal_seal *seal)
{
    return seal->subject;
}

int eseal_x509_can_sign(X509 *cert)
{
    if (!(X509_get_extension_flags(cert) & EXFLAG_KUSAGE))
        return 1; /* RFC 5280: no keyUsage extension, no restriction */
    return (X509_get_key_usage(cert) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) != 0;
}

int eseal_seal_check(const eseal_seal *seal, time_t when, eseal_error *err)
{
    if (X509_cmp_time(X509_get0_notAfter(seal->cert), &when) < 0)
        return eseal_error_set(err, ESEAL_ERR_CRYPTO, "seal certificate %s has expired",
                               seal->subject);
    if (X509_cmp_time(X509_get0_notBefore(seal->cert), &when) > 0)
        return eseal_error_set(err, ESEAL_ERR_CRYPTO, "seal certificate %s is not valid yet",
                               seal->subject);
    if (!eseal_x509_can_sign(seal->cert))
        return eseal_error_set(err, ESEAL_ERR_CRYPTO,
                               "seal certificate %s: key usage allows neither digitalSignature "
                               "nor nonRepudiation",
                               seal->subject);
    return ESEAL_OK;
}

EVP_PKEY *eseal_seal_key(const eseal_seal *seal)
{
    return seal->key;
}

X509 *eseal_seal_cert(const eseal_seal *seal)
{
    return seal->cert;
}

STACK_OF(X509) * eseal_seal_chain(const eseal_seal *seal)
{
    return seal->chain;
}

const EVP_MD *eseal_seal_digest(const eseal_seal *seal)
{
    return seal->digest;
}

void eseal_x509_name(const X509_NAME *name, char *buf, size_t size)
{
    BIO *bio = BIO_new(BIO_s_mem());
    int n;

    buf[0] = '\0';
    if (bio == NULL)
        return;
    if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        n = BIO_read(bio, buf, (int)size - 1);
        buf[n > 0 ? n : 0] = '\0';
    }
    BIO_free(bio);
}
