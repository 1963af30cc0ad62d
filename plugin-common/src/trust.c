/* trust.c - trust anchors, CRLs, OCSP, timestamp authorities and the algorithm floor used to
 * check seals. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "error_int.h"
#include "file_int.h"
#include "ocsp_int.h"
#include "trust_int.h"

#define TRUST_ANCHORS_MAX (16 * 1024 * 1024) /* the whole Mozilla bundle is 200 KB */
#define TRUST_CRL_MAX (64 * 1024 * 1024)     /* large public CAs publish CRLs of some MB */
#define TRUST_DEFAULT_RSA_BITS 2048
#define TRUST_DEFAULT_OCSP_TIMEOUT 5 /* seconds: a verdict waits for it while the MTA waits */

struct eseal_trust {
    X509_STORE *store;
    X509_STORE *timestamp_store; /* NULL: no timestamp authority is trusted */
    int crl_count;
    unsigned min_rsa_bits;
    eseal_revocation revocation;
    int hard_fail;
    ocsp_client *ocsp; /* NULL unless revocation asks for OCSP */
};

/* Read path (at most max bytes) into *data and a memory BIO over it; free both. */
static int trust_open(const char *path, size_t max, unsigned char **data, BIO **bio,
                      eseal_error *err)
{
    size_t len;
    int rc = eseal_file_read(path, max, data, &len, err);

    if (rc != ESEAL_OK)
        return rc;
    *bio = BIO_new_mem_buf(*data, (int)len);
    if (*bio == NULL) {
        free(*data);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    return ESEAL_OK;
}

int trust_load_anchors(X509_STORE *store, const char *path, eseal_error *err)
{
    unsigned char *data;
    BIO *bio;
    X509 *x;
    int count = 0, rc = trust_open(path, TRUST_ANCHORS_MAX, &data, &bio, err);

    if (rc != ESEAL_OK)
        return rc;
    while ((x = PEM_read_bio_X509_AUX(bio, NULL, NULL, NULL)) != NULL) {
        if (X509_STORE_add_cert(store, x))
            count++;
        X509_free(x);
    }
    ERR_clear_error();
    BIO_free(bio);
    free(data);
    if (count == 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "%s: no PEM certificate found in the trust anchor file", path);
    return ESEAL_OK;
}

/* Add every CRL of one file: a PEM file may hold several, a DER file holds one. */
static int trust_add_crl_file(eseal_trust *trust, const char *path, eseal_error *err)
{
    unsigned char *data;
    BIO *bio;
    X509_CRL *crl;
    int count = 0, rc = trust_open(path, TRUST_CRL_MAX, &data, &bio, err);

    if (rc != ESEAL_OK)
        return rc;
    if (strstr((char *)data, "-----BEGIN X509 CRL-----") != NULL) {
        while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
            count += X509_STORE_add_crl(trust->store, crl);
            X509_CRL_free(crl);
        }
    } else if ((crl = d2i_X509_CRL_bio(bio, NULL)) != NULL) {
        count += X509_STORE_add_crl(trust->store, crl);
        X509_CRL_free(crl);
    }
    ERR_clear_error();
    BIO_free(bio);
    free(data);
    if (count == 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "%s: not a CRL (PEM or DER)", path);
    trust->crl_count += count;
    return ESEAL_OK;
}

/* A directory of CRLs: every regular file in it whose name does not start with a dot. */
static int trust_add_crl_dir(eseal_trust *trust, const char *path, eseal_error *err)
{
    DIR *dir = opendir(path);
    struct dirent *de;
    int rc = ESEAL_OK;

    if (dir == NULL)
        return eseal_error_set(err, ESEAL_ERR_IO, "%s: cannot open CRL directory: %s", path,
                               strerror(errno));
    while (rc == ESEAL_OK && (de = readdir(dir)) != NULL) {
        char file[4096];
        struct stat st;
        if (de->d_name[0] == '.')
            continue;
        if (snprintf(file, sizeof(file), "%s/%s", path, de->d_name) >= (int)sizeof(file))
            continue;
        if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
            rc = trust_add_crl_file(trust, file, err);
    }
    closedir(dir);
    return rc;
}

int eseal_trust_new(eseal_trust **out, const char *anchors_path, const char *const *crl_paths,
                    size_t crl_count, unsigned min_rsa_bits, eseal_error *err)
{
    eseal_trust_options options = {.anchors = anchors_path,
                                   .crls = crl_paths,
                                   .crl_count = crl_count,
                                   .min_rsa_bits = min_rsa_bits};

    return eseal_trust_new_with(out, &options, err);
}

int eseal_trust_new_with(eseal_trust **out, const eseal_trust_options *o, eseal_error *err)
{
    eseal_trust *trust;
    size_t i;
    int rc = ESEAL_OK;

    *out = NULL;
    trust = calloc(1, sizeof(*trust));
    if (trust == NULL || (trust->store = X509_STORE_new()) == NULL) {
        free(trust);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    trust->min_rsa_bits = o->min_rsa_bits ? o->min_rsa_bits : TRUST_DEFAULT_RSA_BITS;
    trust->revocation = o->revocation;
    trust->hard_fail = o->revocation_hard_fail;
    if (o->anchors != NULL)
        rc = trust_load_anchors(trust->store, o->anchors, err);
    for (i = 0; rc == ESEAL_OK && i < o->crl_count; i++) {
        struct stat st;
        if (stat(o->crls[i], &st) != 0)
            rc = eseal_error_set(err, ESEAL_ERR_IO, "%s: cannot read CRL: %s", o->crls[i],
                                 strerror(errno));
        else if (S_ISDIR(st.st_mode))
            rc = trust_add_crl_dir(trust, o->crls[i], err);
        else
            rc = trust_add_crl_file(trust, o->crls[i], err);
    }
    if (rc == ESEAL_OK && o->timestamp_anchors != NULL) {
        trust->timestamp_store = X509_STORE_new();
        rc = trust->timestamp_store == NULL
                 ? eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory")
                 : trust_load_anchors(trust->timestamp_store, o->timestamp_anchors, err);
    }
    if (rc == ESEAL_OK &&
        (o->revocation == ESEAL_REVOCATION_OCSP || o->revocation == ESEAL_REVOCATION_BOTH))
        rc = ocsp_client_new(&trust->ocsp, o->ocsp_responder,
                             1000L * (o->ocsp_timeout_seconds ? o->ocsp_timeout_seconds
                                                              : TRUST_DEFAULT_OCSP_TIMEOUT),
                             err);
    if (rc != ESEAL_OK) {
        eseal_trust_free(trust);
        return rc;
    }
    *out = trust;
    return ESEAL_OK;
}

void eseal_trust_free(eseal_trust *trust)
{
    if (trust == NULL)
        return;
    X509_STORE_free(trust->store);
    X509_STORE_free(trust->timestamp_store);
    ocsp_client_free(trust->ocsp);
    free(trust);
}

X509_STORE *eseal_trust_store(const eseal_trust *trust)
{
    return trust->store;
}

int eseal_trust_has_crls(const eseal_trust *trust)
{
    return trust->crl_count > 0 && trust->revocation != ESEAL_REVOCATION_NONE &&
           trust->revocation != ESEAL_REVOCATION_OCSP;
}

X509_STORE *eseal_trust_timestamp_store(const eseal_trust *trust)
{
    return trust->timestamp_store;
}

ocsp_client *eseal_trust_ocsp(const eseal_trust *trust)
{
    return trust->ocsp;
}

int eseal_trust_hard_fail(const eseal_trust *trust)
{
    return trust->hard_fail;
}

unsigned eseal_trust_min_rsa_bits(const eseal_trust *trust)
{
    return trust->min_rsa_bits;
}
