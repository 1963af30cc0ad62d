/* cades_file.c - seal and verify whole files, streamed in fixed-size pieces. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eseal/cades.h"
#include "error_int.h"
#include "file_int.h"

#define FILE_CHUNK (64 * 1024)

typedef int (*file_sink)(void *ctx, const void *data, size_t len, eseal_error *err);

/* Feed the file at path to sink in pieces, so that its size never matters. */
static int file_stream(const char *path, file_sink sink, void *ctx, eseal_error *err)
{
    unsigned char *buf = malloc(FILE_CHUNK);
    int fd, rc = ESEAL_OK;
    ssize_t n;

    if (buf == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = eseal_error_set(err, ESEAL_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        free(buf);
        return rc;
    }
    while (rc == ESEAL_OK && (n = read(fd, buf, FILE_CHUNK)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = eseal_error_set(err, ESEAL_ERR_IO, "%s: read error: %s", path, strerror(errno));
        else
            rc = sink(ctx, buf, (size_t)n, err);
    }
    close(fd);
    free(buf);
    return rc;
}

static int file_sign_sink(void *ctx, const void *data, size_t len, eseal_error *err)
{
    return eseal_cades_signer_update(ctx, data, len, err);
}

static int file_verify_sink(void *ctx, const void *data, size_t len, eseal_error *err)
{
    return eseal_cades_verifier_update(ctx, data, len, err);
}

int eseal_cades_sign_file(const eseal_seal *seal, const eseal_tsa *tsa, const char *path,
                          unsigned char **der, size_t *der_len, eseal_error *err)
{
    eseal_cades_signer *signer;
    int rc = eseal_cades_signer_new(&signer, seal, err);

    *der = NULL;
    *der_len = 0;
    if (rc != ESEAL_OK)
        return rc;
    if (tsa != NULL)
        eseal_cades_signer_set_tsa(signer, tsa);
    rc = file_stream(path, file_sign_sink, signer, err);
    if (rc == ESEAL_OK)
        rc = eseal_cades_signer_finish(signer, der, der_len, err);
    eseal_cades_signer_free(signer);
    return rc;
}

int eseal_cades_verify_file(const eseal_trust *trust, const char *path, const char *sig_path,
                            eseal_verdict *verdict, eseal_error *err)
{
    eseal_cades_verifier *verifier = NULL;
    unsigned char *sig;
    size_t sig_len;
    eseal_error why;
    int rc;

    memset(verdict, 0, sizeof(*verdict));
    if (access(path, R_OK) != 0)
        return eseal_error_set(err, ESEAL_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    rc = eseal_file_read(sig_path, ESEAL_CADES_SIGNATURE_MAX, &sig, &sig_len, &why);
    if (rc == ESEAL_ERR_LIMIT) { /* an oversized signature is hostile input: a verdict */
        eseal_verdict_set(verdict, ESEAL_RESULT_ERROR, "%s", why.message);
        return ESEAL_OK;
    }
    if (rc == ESEAL_OK) {
        rc = eseal_cades_verifier_new(&verifier, trust, sig, sig_len, &why);
        free(sig);
        if (rc != ESEAL_OK && rc != ESEAL_ERR_NOMEM) { /* the signature itself is unusable */
            eseal_verdict_set(verdict, ESEAL_RESULT_ERROR, "%s: %s", sig_path, why.message);
            return ESEAL_OK;
        }
    }
    if (rc != ESEAL_OK) {
        if (err != NULL)
            *err = why;
        return rc;
    }
    rc = file_stream(path, file_verify_sink, verifier, err);
    if (rc == ESEAL_OK)
        eseal_cades_verifier_finish(verifier, verdict);
    eseal_cades_verifier_free(verifier);
    return rc;
}
