/* trust.c - trust anchors, CRLs and the algorithm floor used to check seals. */
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
#include "trust_int.h"

#define TRUST_ANCHORS_MAX (16 * 1024 * 1024) /* the whole Mozilla bundle is 200 KB */
#define TRUST_CRL_MAX (64 * 1024 * 1024)     /* large public CAs publish CRLs of some MB */
#define TRUST_DEFAULT_RSA_BITS 2048

struct eseal_trust {
    X509_STORE *store;
    int crl_count;
    unsigned min_rsa_bits;
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

static int trust_add_anchors(eseal_trust *trust, const char *path, eseal_error *err)
{
    unsigned char *data;
    BIO *bio;
    X509 *x;
    int count = 0, rc = trust_open(path, TRUST_ANCHORS_MAX, &data, &bio, err);

    if (rc != ESEAL_OK)
        return rc;
    while ((x = PEM_read_bio_X509_AUX(bio, NULL, NULL, NULL)) != NULL) {
        if (X509_STORE_add_cert(trust->store, x))
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
    eseal_trust *trust;
    size_t i;
    int rc;

    *out = NULL;
    trust = calloc(1, sizeof(*trust));
    if (trust == NULL || (trust->store = X509_STORE_new()) == NULL) {
        free(trust);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    trust->min_rsa_bits = min_rsa_bits ? min_rsa_bits : TRUST_DEFAULT_RSA_BITS;
    rc = anchors_path != NULL ? trust_add_anchors(trust, anchors_path, err) : ESEAL_OK;
    for (i = 0; rc == ESEAL_OK && i < crl_count; i++) {
        struct stat st;
        if (stat(crl_paths[i], &st) != 0)
            rc = eseal_error_set(err, ESEAL_ERR_IO, "%s: cannot read CRL: %s", crl_paths[i],
                                 strerror(errno));
        else if (S_ISDIR(st.st_mode))
            rc = trust_add_crl_dir(trust, crl_paths[i], err);
        else
            rc = trust_add_crl_file(trust, crl_paths[i], err);
    }
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
    free(trust);
}

X509_STORE *eseal_trust_store(const eseal_trust *trust)
{
    return trust->store;
}

int eseal_trust_has_crls(const eseal_trust *trust)
{
    return trust->crl_count > 0;
}

unsigned eseal_trust_min_rsa_bits(const eseal_trust *trust)
{
    return trust->min_rsa_bits;
}
