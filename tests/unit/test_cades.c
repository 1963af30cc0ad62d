/* test_cades.c - sealing and verifying detached CAdES: every verdict word, streaming, bad
 * signatures. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <openssl/cms.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "eseal/cades.h"
#include "testutil.h"

static const char document[] = "Contract no. 42: the parties agree.\n";

/* Seal document with the PKI seal name at the given signing time (0: now). */
static unsigned char *seal_document(const char *name, time_t when, size_t *len)
{
    eseal_seal *seal = testutil_seal(name);
    eseal_cades_signer *signer;
    unsigned char *der;
    eseal_error err;

    assert_int_equal(eseal_cades_signer_new(&signer, seal, &err), 0);
    if (when != 0)
        eseal_cades_signer_set_time(signer, when);
    assert_int_equal(eseal_cades_signer_update(signer, document, sizeof(document) - 1, &err), 0);
    if (eseal_cades_signer_finish(signer, &der, len, &err) != 0)
        fail_msg("finish: %s", err.message);
    eseal_cades_signer_free(signer);
    eseal_seal_free(seal);
    return der;
}


/* Verify sig against content with the test trust, with or without its CRLs. */
static eseal_verdict check_crls(int with_crls, const unsigned char *sig, size_t sig_len,
                                const void *content, size_t content_len)
{
    eseal_trust *trust = testutil_trust(with_crls);
    eseal_cades_verifier *verifier;
    eseal_verdict v;
    eseal_error err;

    if (eseal_cades_verifier_new(&verifier, trust, sig, sig_len, &err) != 0)
        fail_msg("verifier: %s", err.message);
    assert_int_equal(eseal_cades_verifier_update(verifier, content, content_len, &err), 0);
    eseal_cades_verifier_finish(verifier, &v);
    eseal_cades_verifier_free(verifier);
    eseal_trust_free(trust);
    return v;
}

static eseal_verdict check(const unsigned char *sig, size_t sig_len, const void *content,
                           size_t content_len)
{
    return check_crls(1, sig, sig_len, content, content_len);
}

/* A signature made by OpenSSL's CMS_sign with the PKI seal name and digest md. */
static void expect_foreign(const char *name, const EVP_MD *md, eseal_result want,
                           const char *reason_part)
{
    size_t len;
    unsigned char *sig =
        testutil_openssl_sign(name, md, document, sizeof(document) - 1, CMS_DETACHED, &len);
    eseal_verdict v = check(sig, len, document, sizeof(document) - 1);

    if (v.result != want || strstr(v.reason, reason_part) == NULL)
        fail_msg("%s: got %s (%s), want %s", name, eseal_result_word(v.result), v.reason,
                 eseal_result_word(want));
    free(sig);
}

static void expect(const char *seal_name, eseal_result want, const char *reason_part)
{
    size_t len;
    unsigned char *sig = seal_document(seal_name, 0, &len);
    eseal_verdict v = check(sig, len, document, sizeof(document) - 1);

    if (v.result != want || (reason_part && strstr(v.reason, reason_part) == NULL))
        fail_msg("%s: got %s (%s), want %s", seal_name, eseal_result_word(v.result), v.reason,
                 eseal_result_word(want));
    free(sig);
}

static void test_pass_rsa(void **state)
{
    size_t len;
    unsigned char *sig = seal_document("seal-rsa", 0, &len);
    eseal_verdict v = check(sig, len, document, sizeof(document) - 1);

    assert_int_equal(v.result, ESEAL_RESULT_PASS);
    assert_string_equal(v.signer, "CN=Example Co. Seal,O=Example Co.,C=CN");
    assert_string_equal(v.issuer, "CN=eseal Test Seal CA,O=eseal Test,C=CN");
    assert_true(v.serial[0] != '\0');
    assert_true(v.has_signing_time);
    assert_true(labs((long)(v.signing_time - time(NULL))) < 120);
    free(sig);
}

static void test_pass_ec(void **state)
{
    expect("seal-ec", ESEAL_RESULT_PASS, NULL);
    expect("seal-ec384", ESEAL_RESULT_PASS, NULL);
}

/* The signed attributes CAdES-BES needs, with the digest matched to the key. */
static void test_cades_attributes(void **state)
{
    size_t len;
    unsigned char *sig = seal_document("seal-ec384", 0, &len);
    const unsigned char *p = sig;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
    CMS_SignerInfo *si;
    X509_ALGOR *dig;
    const ASN1_OBJECT *obj;

    assert_non_null(cms);
    assert_int_equal(CMS_is_detached(cms), 1);
    si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
    assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1) >= 0);
    assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1) >= 0);
    assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) >= 0);
    assert_true(CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) >= 0);
    CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, NULL);
    X509_ALGOR_get0(&obj, NULL, NULL, dig);
    assert_int_equal(OBJ_obj2nid(obj), NID_sha384); /* P-384 seal: SHA-384 */
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    assert_int_equal(sk_X509_num(certs), 2); /* seal + intermediate: the full chain */
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    free(sig);
}

/* A chain file that repeats certificates still gives a signature with each one once. */
static void test_chain_without_duplicates(void **state)
{
    char key[4200], chain_text[32768] = "", *p;
    const char *parts[] = {"seal-ec.pem", "inter-ca.pem", "inter-ca.pem", "seal-ec.pem"};
    eseal_seal *seal;
    eseal_cades_signer *signer;
    unsigned char *sig;
    const unsigned char *cursor;
    size_t len, i;
    eseal_error err;

    for (i = 0; i < 4; i++) {
        FILE *f = fopen(testutil_pki(parts[i]), "r");
        p = chain_text + strlen(chain_text);
        p[fread(p, 1, sizeof(chain_text) - 1 - (size_t)(p - chain_text), f)] = '\0';
        fclose(f);
    }
    snprintf(key, sizeof(key), "%s", testutil_pki("seal-ec.key"));
    if (eseal_seal_load(&seal, key, testutil_write("dup-chain.pem", chain_text, 0644), NULL,
                        &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(eseal_cades_signer_new(&signer, seal, &err), 0);
    assert_int_equal(eseal_cades_signer_finish(signer, &sig, &len, &err), 0);
    cursor = sig;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &cursor, (long)len);
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    assert_int_equal(sk_X509_num(certs), 2);
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    eseal_cades_signer_free(signer);
    eseal_seal_free(seal);
    free(sig);
}

static void test_tampered_fails(void **state)
{
    size_t len;
    unsigned char *sig = seal_document("seal-rsa", 0, &len);
    char changed[sizeof(document)];
    eseal_verdict v;

    memcpy(changed, document, sizeof(document));
    changed[14] = '3'; /* "no. 42" -> "no. 32" */
    v = check(sig, len, changed, sizeof(changed) - 1);
    assert_int_equal(v.result, ESEAL_RESULT_FAIL);
    assert_non_null(strstr(v.reason, "does not match"));
    /* a flipped bit in the signature value itself */
    sig[len - 5] ^= 0x01;
    v = check(sig, len, document, sizeof(document) - 1);
    assert_int_equal(v.result, ESEAL_RESULT_FAIL);
    free(sig);
}

static void test_untrusted(void **state)
{
    expect("untrusted", ESEAL_RESULT_UNTRUSTED, "CN=Other Root CA");
}

static void test_expired(void **state)
{
    expect("expired", ESEAL_RESULT_EXPIRED, "expired");
}

static void test_revoked(void **state)
{
    size_t len;
    unsigned char *sig = seal_document("revoked", 0, &len);
    eseal_verdict v = check_crls(0, sig, len, document, sizeof(document) - 1);

    expect("revoked", ESEAL_RESULT_REVOKED, "revoked");
    /* without the CRL, revocation cannot be known: pass, and the reason says so */
    assert_int_equal(v.result, ESEAL_RESULT_PASS);
    free(sig);
}

static void test_weak(void **state)
{
    expect_foreign("seal-rsa", EVP_sha1(), ESEAL_RESULT_WEAK, "SHA1");
    expect_foreign("weak-rsa1024", EVP_sha256(), ESEAL_RESULT_WEAK, "1024");
}

static void test_bad_key_usage_not_pass(void **state)
{
    expect("bad-ku", ESEAL_RESULT_UNTRUSTED, "key usage");
}

/* OpenSSL's plain CMS_sign (no CAdES attribute) is a foreign but valid signature. */
static void test_foreign_signature_passes(void **state)
{
    expect_foreign("seal-ec", EVP_sha256(), ESEAL_RESULT_PASS, "valid seal");
}

static void test_signing_time_outside_validity(void **state)
{
    size_t len;
    unsigned char *sig = seal_document("seal-rsa", time(NULL) - 30L * 86400, &len);
    eseal_verdict v = check(sig, len, document, sizeof(document) - 1);

    assert_int_equal(v.result, ESEAL_RESULT_FAIL);
    assert_non_null(strstr(v.reason, "before the certificate was valid"));
    free(sig);
    sig = seal_document("seal-rsa", time(NULL) + 3L * 86400, &len);
    v = check(sig, len, document, sizeof(document) - 1);
    assert_int_equal(v.result, ESEAL_RESULT_FAIL);
    assert_non_null(strstr(v.reason, "in the future"));
    free(sig);
}

/* Feeding the document in odd pieces gives the same result as one piece. */
/* A signing-certificate-v2 that names another certificate than the one the signature is
 * checked with betrays a substituted certificate, even when the signature is valid. */
static void test_signing_certificate_mismatch(void **state)
{
    X509 *cert = testutil_read_pem("seal-ec.pem", 0);
    EVP_PKEY *key = testutil_read_pem("seal-ec.key", 1);
    BIO *in = BIO_new_mem_buf(document, sizeof(document) - 1);
    unsigned flags = CMS_BINARY | CMS_DETACHED | CMS_PARTIAL;
    CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
    CMS_SignerInfo *si = CMS_add1_signer(cms, cert, key, EVP_sha256(), flags | CMS_CADES);
    int idx = CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1);
    ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0);
    ASN1_STRING *seq = t->value.sequence;
    unsigned char *der = NULL;
    eseal_verdict v;
    int n;

    unsigned char hash[32], *at;
    unsigned int hash_len;

    /* corrupt the certificate hash before OpenSSL signs the attributes */
    assert_int_equal(X509_digest(cert, EVP_sha256(), hash, &hash_len), 1);
    at = memmem(ASN1_STRING_get0_data(seq), (size_t)ASN1_STRING_length(seq), hash, hash_len);
    assert_non_null(at);
    at[0] ^= 0xff;
    assert_int_equal(CMS_final(cms, in, NULL, flags), 1);
    n = i2d_CMS_ContentInfo(cms, &der);
    v = check(der, (size_t)n, document, sizeof(document) - 1);
    assert_int_equal(v.result, ESEAL_RESULT_FAIL);
    assert_non_null(strstr(v.reason, "does not name the signer's certificate"));
    OPENSSL_free(der);
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    X509_free(cert);
    EVP_PKEY_free(key);
}

static void test_streaming(void **state)
{
    eseal_seal *seal = testutil_seal("seal-ec");
    eseal_cades_signer *signer;
    eseal_cades_verifier *verifier;
    eseal_trust *trust = testutil_trust(1);
    static unsigned char big[1 << 20];
    unsigned char *sig;
    size_t len, off, step;
    eseal_verdict v;
    eseal_error err;

    RAND_bytes(big, sizeof(big));
    assert_int_equal(eseal_cades_signer_new(&signer, seal, &err), 0);
    for (off = 0, step = 1; off < sizeof(big); off += step, step = step * 3 + 1) {
        size_t n = off + step > sizeof(big) ? sizeof(big) - off : step;
        assert_int_equal(eseal_cades_signer_update(signer, big + off, n, &err), 0);
    }
    assert_int_equal(eseal_cades_signer_finish(signer, &sig, &len, &err), 0);
    assert_int_not_equal(eseal_cades_signer_update(signer, big, 1, &err), 0);
    eseal_cades_signer_free(signer);
    assert_int_equal(eseal_cades_verifier_new(&verifier, trust, sig, len, &err), 0);
    assert_int_equal(eseal_cades_verifier_update(verifier, big, sizeof(big), &err), 0);
    eseal_cades_verifier_finish(verifier, &v);
    assert_int_equal(v.result, ESEAL_RESULT_PASS);
    eseal_cades_verifier_free(verifier);
    eseal_trust_free(trust);
    eseal_seal_free(seal);
    free(sig);
}

static void expect_format_error(const unsigned char *sig, size_t len, int code, const char *part)
{
    eseal_trust *trust = testutil_trust(0);
    eseal_cades_verifier *verifier = NULL;
    eseal_error err;

    eseal_error_clear(&err);
    assert_int_equal(eseal_cades_verifier_new(&verifier, trust, sig, len, &err), code);
    assert_null(verifier);
    if (strstr(err.message, part) == NULL)
        fail_msg("message '%s' lacks '%s'", err.message, part);
    eseal_trust_free(trust);
}

static void test_bad_signatures(void **state)
{
    size_t len;
    unsigned char *sig = seal_document("seal-rsa", 0, &len), *junk;

    expect_format_error(sig, 0, ESEAL_ERR_FORMAT, "empty");
    expect_format_error(sig, len / 2, ESEAL_ERR_FORMAT, "DER decoding failed");
    expect_format_error((const unsigned char *)"-----BEGIN CMS-----\nAAAA\n", 25, ESEAL_ERR_FORMAT,
                        "not a CMS");
    junk = malloc(len + 4);
    memcpy(junk, sig, len);
    memcpy(junk + len, "JUNK", 4);
    expect_format_error(junk, len + 4, ESEAL_ERR_FORMAT, "trailing");
    free(junk);
    junk = malloc(10 * 1024 * 1024);
    RAND_bytes(junk, 4096);
    expect_format_error(junk, 4096, ESEAL_ERR_FORMAT, "not a CMS");
    expect_format_error(junk, 10 * 1024 * 1024, ESEAL_ERR_LIMIT, "limit");
    free(junk);
    free(sig);
    /* a signature that carries its content is not a detached seal */
    sig = testutil_openssl_sign("seal-ec", EVP_sha256(), document, sizeof(document) - 1, 0, &len);
    expect_format_error(sig, len, ESEAL_ERR_FORMAT, "embeds its content");
    free(sig);
}

static void test_signer_certificate_missing(void **state)
{
    size_t len;
    unsigned char *sig = testutil_openssl_sign(
        "seal-ec", EVP_sha256(), document, sizeof(document) - 1, CMS_DETACHED | CMS_NOCERTS, &len);
    eseal_verdict v = check(sig, len, document, sizeof(document) - 1);

    assert_int_equal(v.result, ESEAL_RESULT_ERROR);
    assert_non_null(strstr(v.reason, "not included"));
    free(sig);
}

static void test_result_words(void **state)
{
    static const char *words[] = {"pass", "none",    "untrusted", "expired",
                                  "weak", "revoked", "error",     "fail"};
    int r;

    for (r = ESEAL_RESULT_PASS; r <= ESEAL_RESULT_FAIL; r++)
        assert_string_equal(eseal_result_word((eseal_result)r), words[r]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pass_rsa),
        cmocka_unit_test(test_pass_ec),
        cmocka_unit_test(test_cades_attributes),
        cmocka_unit_test(test_chain_without_duplicates),
        cmocka_unit_test(test_tampered_fails),
        cmocka_unit_test(test_untrusted),
        cmocka_unit_test(test_expired),
        cmocka_unit_test(test_revoked),
        cmocka_unit_test(test_weak),
        cmocka_unit_test(test_bad_key_usage_not_pass),
        cmocka_unit_test(test_foreign_signature_passes),
        cmocka_unit_test(test_signing_time_outside_validity),
        cmocka_unit_test(test_signing_certificate_mismatch),
        cmocka_unit_test(test_streaming),
        cmocka_unit_test(test_bad_signatures),
        cmocka_unit_test(test_signer_certificate_missing),
        cmocka_unit_test(test_result_words),
    };
    return cmocka_run_group_tests_name("cades", tests, NULL, NULL);
}
