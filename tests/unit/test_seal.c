/* test_seal.c - loading seals: PEM, encrypted PEM, PKCS#12, and every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "eseal/seal.h"
#include "testutil.h"

/* Load and expect failure code with part in the message. */
static void expect_refused(const char *key, const char *chain, const char *pass, int code,
                           const char *part)
{
    char k[4096], c[4096], p[4096];
    eseal_seal *seal = (eseal_seal *)1;
    eseal_error err;

    snprintf(k, sizeof(k), "%s", key);
    snprintf(c, sizeof(c), "%s", chain ? chain : "");
    snprintf(p, sizeof(p), "%s", pass ? pass : "");
    eseal_error_clear(&err);
    assert_int_equal(eseal_seal_load(&seal, k, chain ? c : NULL, pass ? p : NULL, &err), code);
    assert_null(seal);
    if (strstr(err.message, part) == NULL)
        fail_msg("message '%s' lacks '%s'", err.message, part);
}

static const char *pki_copy(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s", testutil_pki(name));
    return buf;
}

static void test_load_pem(void **state)
{
    eseal_seal *seal = testutil_seal("seal-rsa");
    eseal_error err;

    assert_string_equal(eseal_seal_subject(seal), "CN=Example Co. Seal,O=Example Co.,C=CN");
    assert_int_equal(eseal_seal_check(seal, time(NULL), &err), 0);
    eseal_seal_free(seal);
    eseal_seal_free(NULL);
}

static void test_load_encrypted(void **state)
{
    char key[4096], chain[4096], pass[4096];
    eseal_seal *seal;
    eseal_error err;

    pki_copy("seal-rsa-enc.key", key, sizeof(key));
    pki_copy("seal-rsa-chain.pem", chain, sizeof(chain));
    pki_copy("seal.pass", pass, sizeof(pass));
    if (eseal_seal_load(&seal, key, chain, pass, &err) != 0)
        fail_msg("%s", err.message);
    eseal_seal_free(seal);
    expect_refused(key, chain, NULL, ESEAL_ERR_CRYPTO, "no passphrase file");
    expect_refused(key, chain, testutil_write("wrong.pass", "wrong\n", 0600), ESEAL_ERR_CRYPTO,
                   "wrong passphrase");
}

static void test_load_pkcs12(void **state)
{
    char key[4096], pass[4096];
    eseal_seal *seal;
    eseal_error err;

    pki_copy("seal-rsa.p12", key, sizeof(key));
    pki_copy("p12.pass", pass, sizeof(pass));
    if (eseal_seal_load(&seal, key, NULL, pass, &err) != 0)
        fail_msg("%s", err.message);
    assert_string_equal(eseal_seal_subject(seal), "CN=Example Co. Seal,O=Example Co.,C=CN");
    eseal_seal_free(seal);
    expect_refused(key, NULL, testutil_write("wrong.pass", "wrong\n", 0600), ESEAL_ERR_CRYPTO,
                   "PKCS#12");
}

static void test_refuses_readable_key(void **state)
{
    char key[4096], chain[4096];

    pki_copy("seal-rsa-world.key", key, sizeof(key));
    pki_copy("seal-rsa-chain.pem", chain, sizeof(chain));
    expect_refused(key, chain, NULL, ESEAL_ERR_UNSAFE, "mode 0644");
    expect_refused(key, chain, NULL, ESEAL_ERR_UNSAFE, "seal-rsa-world.key");
}

static void test_refuses_non_keys(void **state)
{
    char chain[4096], other[4096];
    const char *cert_as_key;

    pki_copy("seal-rsa-chain.pem", chain, sizeof(chain));
    pki_copy("seal-ec.key", other, sizeof(other));
    cert_as_key = testutil_write("cert-as-key.pem",
                                 "-----BEGIN CERTIFICATE-----\nMIIB\n"
                                 "-----END CERTIFICATE-----\n",
                                 0600);
    expect_refused(cert_as_key, chain, NULL, ESEAL_ERR_FORMAT, "holds CERTIFICATE");
    expect_refused(testutil_write("garbage.key", "\x30\x82garbage", 0600), chain, NULL,
                   ESEAL_ERR_FORMAT, "neither a PEM private key nor a PKCS#12");
    expect_refused("/nonexistent/seal.key", chain, NULL, ESEAL_ERR_IO, "/nonexistent/seal.key");
    /* a chain that does not belong to the key */
    expect_refused(other, chain, NULL, ESEAL_ERR_CRYPTO, "matches the private key");
    expect_refused(other, NULL, NULL, ESEAL_ERR_CONFIG, "certificate chain file is needed");
}

static void test_refuses_weak_key(void **state)
{
    char key[4096], chain[4096];

    pki_copy("weak-rsa1024.key", key, sizeof(key));
    pki_copy("weak-rsa1024-chain.pem", chain, sizeof(chain));
    expect_refused(key, chain, NULL, ESEAL_ERR_CRYPTO, "1024 bits");
}

static void test_check_refuses_unusable_certificates(void **state)
{
    eseal_seal *seal = testutil_seal("expired");
    eseal_error err;

    assert_int_equal(eseal_seal_check(seal, time(NULL), &err), ESEAL_ERR_CRYPTO);
    assert_non_null(strstr(err.message, "expired"));
    eseal_seal_free(seal);
    seal = testutil_seal("bad-ku");
    assert_int_equal(eseal_seal_check(seal, time(NULL), &err), ESEAL_ERR_CRYPTO);
    assert_non_null(strstr(err.message, "key usage"));
    eseal_seal_free(seal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_pem),
        cmocka_unit_test(test_load_encrypted),
        cmocka_unit_test(test_load_pkcs12),
        cmocka_unit_test(test_refuses_readable_key),
        cmocka_unit_test(test_refuses_non_keys),
        cmocka_unit_test(test_refuses_weak_key),
        cmocka_unit_test(test_check_refuses_unusable_certificates),
    };
    return cmocka_run_group_tests_name("seal", tests, NULL, NULL);
}
