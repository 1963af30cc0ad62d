/* test_attacks.c - CMS signatures forged below what the openssl CLI can make: signed
 * attributes changed and validly re-signed (message-digest wrong, repeated, multi-valued, of
 * the wrong type), the signer identifier re-pointed, a second signer beside the seal.  No
 * verdict may be pass (attacks-test.sh has the forgeries the CLI can make). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/cms.h>
#include <openssl/x509.h>

#include "eseal/cades.h"
#include "testutil.h"

static const char document[] = "Contract no. 42: the parties agree on EUR 1000.\n";
static const char other[] = "Contract no. 42: the parties agree on EUR 1000000.\n";

/* der_len - the whole length of the DER element at p (tag, length, value). */
static size_t der_len(const unsigned char *p)
{
    size_t n = 0, k = p[1] & 0x7f, i;

    if (!(p[1] & 0x80))
        return 2 + (size_t)p[1];
    for (i = 0; i < k; i++)
        n = n << 8 | p[2 + i];
    return 2 + k + n;
}

/* A signed-attribute change applied to the seal's SignerInfo before it is signed again. */
typedef void (*attack_fn)(CMS_SignerInfo *si);

/* The verdict on the DER signature sig for document. */
static eseal_verdict check(const unsigned char *sig, size_t len)
{
    eseal_trust *trust = testutil_trust(1);
    eseal_cades_verifier *verifier;
    eseal_verdict v;
    eseal_error err;

    memset(&v, 0, sizeof(v));
    if (eseal_cades_verifier_new(&verifier, trust, sig, len, &err) != 0) {
        /* a signature refused before any verdict: the verdict error, with the reason */
        v.result = ESEAL_RESULT_ERROR;
        snprintf(v.reason, sizeof(v.reason), "%s", err.message);
        eseal_trust_free(trust);
        return v;
    }
    assert_int_equal(eseal_cades_verifier_update(verifier, document, sizeof(document) - 1, &err),
                     0);
    eseal_cades_verifier_finish(verifier, &v);
    eseal_cades_verifier_free(verifier);
    eseal_trust_free(trust);
    return v;
}

/* The SignedData of the PKI seal name over document; CAdES attributes when cades. */
static CMS_ContentInfo *sign(const char *name, int cades)
{
    char file[64];
    X509 *cert, *inter = testutil_read_pem("inter-ca.pem", 0);
    EVP_PKEY *key;
    BIO *in = BIO_new_mem_buf(document, sizeof(document) - 1);
    unsigned flags = CMS_BINARY | CMS_DETACHED | CMS_PARTIAL;
    CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags);

    snprintf(file, sizeof(file), "%s.pem", name);
    cert = testutil_read_pem(file, 0);
    snprintf(file, sizeof(file), "%s.key", name);
    key = testutil_read_pem(file, 1);
    assert_non_null(cms);
    assert_non_null(CMS_add1_signer(cms, cert, key, EVP_sha256(), flags | (cades ? CMS_CADES : 0)));
    assert_int_equal(CMS_add1_cert(cms, inter), 1);
    assert_int_equal(CMS_final(cms, in, NULL, flags), 1);
    BIO_free(in);
    X509_free(cert);
    X509_free(inter);
    EVP_PKEY_free(key);
    return cms;
}

/* Order two DER encodings as a DER SET OF does. */
static int der_cmp(const void *a, const void *b)
{
    const unsigned char *const *x = a, *const *y = b;
    size_t lx = der_len(*x), ly = der_len(*y);
    int c = memcmp(*x, *y, lx < ly ? lx : ly);

    return c != 0 ? c : (lx > ly) - (lx < ly);
}

/* Sign si's signed attributes as they now stand with key (SHA-256), by hand: OpenSSL's
 * CMS_SignerInfo_sign refuses attribute sets an attacker would write. */
static void resign(CMS_SignerInfo *si, EVP_PKEY *key)
{
    unsigned char *enc[32], *set, *at, sig[1024];
    size_t total = 0, sig_len = sizeof(sig), i, n = (size_t)CMS_signed_get_attr_count(si);
    EVP_MD_CTX *md = EVP_MD_CTX_new();

    assert_true(n > 0 && n <= 32);
    for (i = 0; i < n; i++) {
        enc[i] = NULL;
        assert_true(i2d_X509_ATTRIBUTE(CMS_signed_get_attr(si, (int)i), &enc[i]) > 0);
        total += der_len(enc[i]);
    }
    qsort(enc, n, sizeof(enc[0]), der_cmp);
    assert_true(total < 65536);
    set = malloc(total + 4);
    assert_non_null(set);
    set[0] = 0x31; /* SET OF, two length bytes */
    set[1] = 0x82;
    set[2] = (unsigned char)(total >> 8);
    set[3] = (unsigned char)total;
    for (at = set + 4, i = 0; i < n; i++) {
        memcpy(at, enc[i], der_len(enc[i]));
        at += der_len(enc[i]);
        OPENSSL_free(enc[i]);
    }
    assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key), 1);
    assert_int_equal(EVP_DigestSign(md, sig, &sig_len, set, total + 4), 1);
    assert_int_equal(ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig, (int)sig_len), 1);
    EVP_MD_CTX_free(md);
    free(set);
}

/* Apply attack to the seal's signed attributes, sign them again with the seal's key (so the
 * signature over them is valid), and expect a verdict other than pass: want, with
 * reason_part in the reason (want pass only for the control). */
static void expect_resigned(attack_fn attack, eseal_result want, const char *reason_part)
{
    CMS_ContentInfo *cms = sign("seal-rsa", 1);
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
    EVP_PKEY *key = testutil_read_pem("seal-rsa.key", 1);
    unsigned char *der = NULL;
    eseal_verdict v;
    int n;

    attack(si);
    resign(si, key);
    n = i2d_CMS_ContentInfo(cms, &der);
    assert_true(n > 0);
    v = check(der, (size_t)n);
    if (v.result != want || strstr(v.reason, reason_part) == NULL)
        fail_msg("got %s (%s), want %s with \"%s\"", eseal_result_word(v.result), v.reason,
                 eseal_result_word(want), reason_part);
    OPENSSL_free(der);
    EVP_PKEY_free(key);
    CMS_ContentInfo_free(cms);
}

/* digest of other, the text an attacker wants sealed */
static ASN1_OCTET_STRING *other_digest(void)
{
    unsigned char md[32];
    unsigned int len;
    ASN1_OCTET_STRING *s = ASN1_OCTET_STRING_new();

    assert_int_equal(EVP_Digest(other, sizeof(other) - 1, md, &len, EVP_sha256(), NULL), 1);
    assert_int_equal(ASN1_OCTET_STRING_set(s, md, (int)len), 1);
    return s;
}

static void drop_message_digest(CMS_SignerInfo *si)
{
    int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1);

    assert_true(idx >= 0);
    X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, idx));
}

static void add_message_digest(CMS_SignerInfo *si, int type, const void *data, int len)
{
    assert_int_equal(CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, type, data, len), 1);
}

static void replace_digest(CMS_SignerInfo *si)
{
    ASN1_OCTET_STRING *d = other_digest();

    drop_message_digest(si);
    add_message_digest(si, V_ASN1_OCTET_STRING, d, -1);
    ASN1_OCTET_STRING_free(d);
}

/* the true message-digest kept, a second attribute with the attacker's after it */
static void second_digest(CMS_SignerInfo *si)
{
    ASN1_OCTET_STRING *d = other_digest();

    add_message_digest(si, V_ASN1_OCTET_STRING, d, -1);
    ASN1_OCTET_STRING_free(d);
}

/* one message-digest attribute holding two values: the true one and the attacker's */
static void two_values(CMS_SignerInfo *si)
{
    int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1);
    X509_ATTRIBUTE *attr = CMS_signed_get_attr(si, idx);
    ASN1_OCTET_STRING *d = other_digest();

    assert_int_equal(X509_ATTRIBUTE_set1_data(attr, V_ASN1_OCTET_STRING, d, -1), 1);
    assert_int_equal(X509_ATTRIBUTE_count(attr), 2);
    ASN1_OCTET_STRING_free(d);
}

/* the true digest's bytes, but as a UTF8String rather than an OCTET STRING */
static void wrong_type(CMS_SignerInfo *si)
{
    unsigned char md[32];
    unsigned int len;

    assert_int_equal(EVP_Digest(document, sizeof(document) - 1, md, &len, EVP_sha256(), NULL), 1);
    drop_message_digest(si);
    add_message_digest(si, V_ASN1_UTF8STRING, md, (int)len);
}

static void no_digest(CMS_SignerInfo *si)
{
    drop_message_digest(si);
}

static void keep(CMS_SignerInfo *si)
{
    (void)si;
}

/* Signing the attributes by hand as below, unchanged, gives a valid seal: so the verdicts
 * that follow come from the attacks, not from the re-signing. */
static void test_resigned_control(void **state)
{
    (void)state;
    expect_resigned(keep, ESEAL_RESULT_PASS, "valid seal");
}

static void test_wrong_message_digest(void **state)
{
    (void)state;
    expect_resigned(replace_digest, ESEAL_RESULT_FAIL, "digest differs");
}

static void test_repeated_message_digest(void **state)
{
    (void)state;
    expect_resigned(second_digest, ESEAL_RESULT_FAIL, "message-digest");
}

static void test_multivalued_message_digest(void **state)
{
    (void)state;
    expect_resigned(two_values, ESEAL_RESULT_FAIL, "message-digest");
}

static void test_message_digest_wrong_type(void **state)
{
    (void)state;
    expect_resigned(wrong_type, ESEAL_RESULT_FAIL, "message-digest");
}

static void test_message_digest_missing(void **state)
{
    (void)state;
    expect_resigned(no_digest, ESEAL_RESULT_FAIL, "message-digest");
}

/* Signed by seal-ec, the signer identifier re-pointed at seal-rsa's issuer and serial; both
 * certificates carried.  The signature value no longer matches the named key. */
static void test_sid_names_another_certificate(void **state)
{
    CMS_ContentInfo *cms = sign("seal-ec", 0);
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
    X509 *rsa = testutil_read_pem("seal-rsa.pem", 0);
    ASN1_OCTET_STRING *keyid = NULL;
    X509_NAME *issuer = NULL;
    ASN1_INTEGER *serial = NULL;
    unsigned char *der = NULL;
    eseal_verdict v;
    int n;

    (void)state;
    assert_int_equal(CMS_add1_cert(cms, rsa), 1);
    assert_int_equal(CMS_SignerInfo_get0_signer_id(si, &keyid, &issuer, &serial), 1);
    assert_non_null(serial);
    assert_int_equal(X509_NAME_cmp(issuer, X509_get_issuer_name(rsa)), 0);
    assert_int_equal(ASN1_STRING_copy(serial, X509_get0_serialNumber(rsa)), 1);
    n = i2d_CMS_ContentInfo(cms, &der);
    assert_true(n > 0);
    v = check(der, (size_t)n);
    if (v.result != ESEAL_RESULT_FAIL)
        fail_msg("got %s (%s)", eseal_result_word(v.result), v.reason);
    assert_non_null(strstr(v.signer, "CN=Example Co. Seal,"));
    OPENSSL_free(der);
    X509_free(rsa);
    CMS_ContentInfo_free(cms);
}

/* The seal's valid signature with a second signer beside it whose signature is over another
 * document: the worst verdict counts, so the pair is not pass. */
static void test_second_signer_not_over_the_document(void **state)
{
    CMS_ContentInfo *cms = sign("seal-rsa", 1);
    X509 *ec = testutil_read_pem("seal-ec.pem", 0);
    EVP_PKEY *key = testutil_read_pem("seal-ec.key", 1);
    CMS_SignerInfo *si = CMS_add1_signer(cms, ec, key, EVP_sha256(), CMS_BINARY | CMS_NOATTR);
    unsigned char *der = NULL;
    eseal_verdict v;
    int n;

    (void)state;
    /* CMS_NOATTR left it without attributes; give it attributes over other and sign */
    assert_non_null(si);
    {
        ASN1_OCTET_STRING *d = other_digest();
        add_message_digest(si, V_ASN1_OCTET_STRING, d, -1);
        ASN1_OCTET_STRING_free(d);
    }
    assert_int_equal(CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                                 OBJ_nid2obj(NID_pkcs7_data), -1),
                     1);
    assert_int_equal(CMS_SignerInfo_sign(si), 1);
    n = i2d_CMS_ContentInfo(cms, &der);
    assert_true(n > 0);
    v = check(der, (size_t)n);
    if (v.result == ESEAL_RESULT_PASS)
        fail_msg("pass with a second signer over another document (%s)", v.reason);
    OPENSSL_free(der);
    X509_free(ec);
    EVP_PKEY_free(key);
    CMS_ContentInfo_free(cms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resigned_control),
        cmocka_unit_test(test_wrong_message_digest),
        cmocka_unit_test(test_repeated_message_digest),
        cmocka_unit_test(test_multivalued_message_digest),
        cmocka_unit_test(test_message_digest_wrong_type),
        cmocka_unit_test(test_message_digest_missing),
        cmocka_unit_test(test_sid_names_another_certificate),
        cmocka_unit_test(test_second_signer_not_over_the_document),
    };
    return cmocka_run_group_tests_name("attacks", tests, NULL, NULL);
}
