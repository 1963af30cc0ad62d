/* testutil.c - shared helpers of the unit tests: the test PKI, temp files, foreign CMS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <openssl/cms.h>
#include <openssl/pem.h>

#include "testutil.h"

const char *testutil_pki(const char *name)
{
    static char path[4096];
    const char *dir = getenv("ESEAL_TEST_PKI");

    assert_non_null(dir);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

const char *testutil_tmpdir(void)
{
    static char dir[64];

    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "/tmp/eseal-test.XXXXXX");
        assert_non_null(mkdtemp(dir));
    }
    return dir;
}

const char *testutil_write(const char *name, const char *text, unsigned mode)
{
    static char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", testutil_tmpdir(), name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
    return path;
}

eseal_seal *testutil_seal(const char *name)
{
    char key[4200], chain[4200];
    eseal_seal *seal = NULL;
    eseal_error err;

    snprintf(key, sizeof(key), "%s.key", testutil_pki(name));
    snprintf(chain, sizeof(chain), "%s-chain.pem", testutil_pki(name));
    if (eseal_seal_load(&seal, key, chain, NULL, &err) != 0)
        fail_msg("loading seal %s: %s", name, err.message);
    return seal;
}

unsigned char *testutil_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    data[n] = '\0';
    *len = (size_t)n;
    return data;
}

eseal_trust *testutil_trust(int with_crls)
{
    const char *crls[1];
    eseal_trust *trust;
    eseal_error err;
    char anchors[4096];

    snprintf(anchors, sizeof(anchors), "%s", testutil_pki("trust.pem"));
    crls[0] = testutil_pki("crl");
    if (eseal_trust_new(&trust, anchors, crls, with_crls ? 1 : 0, 2048, &err) != 0)
        fail_msg("trust: %s", err.message);
    return trust;
}

void *testutil_read_pem(const char *name, int want_key)
{
    FILE *f = fopen(testutil_pki(name), "r");
    void *obj;

    assert_non_null(f);
    obj = want_key ? (void *)PEM_read_PrivateKey(f, NULL, NULL, NULL)
                   : (void *)PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(obj);
    return obj;
}

unsigned char *testutil_openssl_sign(const char *name, const EVP_MD *md, const void *data,
                                     size_t data_len, unsigned flags, size_t *len)
{
    char file[256];
    X509 *cert, *inter = testutil_read_pem("inter-ca.pem", 0);
    EVP_PKEY *key;
    STACK_OF(X509) *chain = sk_X509_new_null();
    BIO *in = BIO_new_mem_buf(data, (int)data_len);
    CMS_ContentInfo *cms;
    unsigned char *der = NULL, *copy;
    int n;

    snprintf(file, sizeof(file), "%s.pem", name);
    cert = testutil_read_pem(file, 0);
    snprintf(file, sizeof(file), "%s.key", name);
    key = testutil_read_pem(file, 1);
    sk_X509_push(chain, inter);
    cms = CMS_sign(NULL, NULL, chain, NULL, CMS_BINARY | CMS_PARTIAL | flags);
    assert_non_null(cms);
    assert_non_null(CMS_add1_signer(cms, cert, key, md, CMS_BINARY | flags));
    assert_int_equal(CMS_final(cms, in, NULL, CMS_BINARY | flags), 1);
    n = i2d_CMS_ContentInfo(cms, &der);
    assert_true(n > 0);
    copy = malloc((size_t)n);
    memcpy(copy, der, (size_t)n);
    *len = (size_t)n;
    OPENSSL_free(der);
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    sk_X509_pop_free(chain, X509_free);
    X509_free(cert);
    EVP_PKEY_free(key);
    return copy;
}
