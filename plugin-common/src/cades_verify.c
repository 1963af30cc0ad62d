/* cades_verify.c - check a detached CMS signature (CAdES or plain PKCS#7) against a document.
 *
 * SECURITY: the signature comes from the network.  It is size-capped before parsing, parsed
 * only by OpenSSL's DER decoder, and every field read from it is checked for presence and
 * type; the number of signers hashed in parallel is capped. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/pem.h> /* before cms.h, which declares the CMS PEM readers with its macros */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "eseal/cades.h"
#include "error_int.h"
#include "seal_int.h"
#include "timestamp_int.h"
#include "trust_int.h"
#include "verify_int.h"

#define VERIFY_SIGNERS_MAX 8
#define VERIFY_CLOCK_SKEW (24 * 60 * 60) /* a signer's clock may run this far ahead */
#define VERIFY_CHAIN_DEPTH_MAX 8         /* intermediate CAs between a seal and its trust anchor */

struct eseal_cades_verifier {
    const eseal_trust *trust;
    CMS_ContentInfo *cms;
    STACK_OF(X509) * certs; /* certificates carried by the signature: untrusted helpers */
    int signer_count;
    EVP_MD_CTX *md[VERIFY_SIGNERS_MAX];
};

/* Collects CRLs that could not be found during one chain check (revocation soft-fail). */
struct verify_crl_note {
    int at_past_time; /* the chain is checked at a time in the past (a timestamp's) */
    int missing;
    char issuer[ESEAL_VERDICT_TEXT_MAX];
};

/* What a pass verdict says besides "valid seal": revocation and timestamp findings. */
struct verify_notes {
    char text[ESEAL_VERDICT_TEXT_MAX];
};

__attribute__((format(printf, 2, 3))) static void verify_note(struct verify_notes *n,
                                                              const char *fmt, ...)
{
    size_t len = strlen(n->text);
    va_list ap;

    if (len + 2 >= sizeof(n->text))
        return;
    if (len > 0) {
        memcpy(n->text + len, "; ", 2);
        len += 2;
        n->text[len] = '\0';
    }
    va_start(ap, fmt);
    vsnprintf(n->text + len, sizeof(n->text) - len, fmt, ap);
    va_end(ap);
}

static CMS_ContentInfo *verifier_parse(const unsigned char *sig, size_t sig_len, eseal_error *err)
{
    CMS_ContentInfo *cms;

    if (sig_len >= 11 && memcmp(sig, "-----BEGIN ", 11) == 0) {
        BIO *bio = BIO_new_mem_buf(sig, (int)sig_len);
        cms = bio ? PEM_read_bio_CMS(bio, NULL, NULL, NULL) : NULL;
        BIO_free(bio);
    } else {
        const unsigned char *p = sig;
        cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len);
        if (cms != NULL && p != sig + sig_len) {
            CMS_ContentInfo_free(cms);
            eseal_error_set(err, ESEAL_ERR_FORMAT,
                            "%zu bytes of trailing garbage after the signature",
                            (size_t)(sig + sig_len - p));
            return NULL;
        }
    }
    if (cms == NULL)
        eseal_error_openssl(err, ESEAL_ERR_FORMAT, "not a CMS signature: DER decoding failed");
    return cms;
}

/* Parse sig into a verifier; embedded: the signature must carry its content, which is then
 * hashed here; otherwise it must be detached. */
static int verifier_create(eseal_cades_verifier **out, const eseal_trust *trust,
                           const unsigned char *sig, size_t sig_len, int embedded, eseal_error *err)
{
    eseal_cades_verifier *v;
    STACK_OF(CMS_SignerInfo) * signers;
    int i, rc;

    *out = NULL;
    if (sig_len == 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "the signature is empty");
    if (sig_len > (embedded ? ESEAL_CADES_EMBEDDED_MAX : ESEAL_CADES_SIGNATURE_MAX))
        return eseal_error_set(err, ESEAL_ERR_LIMIT,
                               "the signature is %zu bytes, over the limit of %d", sig_len,
                               embedded ? ESEAL_CADES_EMBEDDED_MAX : ESEAL_CADES_SIGNATURE_MAX);
    v = calloc(1, sizeof(*v));
    if (v == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    v->trust = trust;
    v->cms = verifier_parse(sig, sig_len, err);
    if (v->cms == NULL) {
        rc = ESEAL_ERR_FORMAT;
        goto fail;
    }
    if (OBJ_obj2nid(CMS_get0_type(v->cms)) != NID_pkcs7_signed) {
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "the CMS object is not SignedData");
        goto fail;
    }
    if (!embedded && !CMS_is_detached(v->cms)) {
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT,
                             "the signature embeds its content: not a detached seal");
        goto fail;
    }
    if (embedded && CMS_is_detached(v->cms)) {
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "the signed-data carries no content");
        goto fail;
    }
    signers = CMS_get0_SignerInfos(v->cms);
    v->signer_count = sk_CMS_SignerInfo_num(signers);
    if (v->signer_count > VERIFY_SIGNERS_MAX) {
        rc = eseal_error_set(err, ESEAL_ERR_LIMIT, "%d signers, over the limit of %d",
                             v->signer_count, VERIFY_SIGNERS_MAX);
        goto fail;
    }
    v->certs = CMS_get1_certs(v->cms);
    CMS_set1_signers_certs(v->cms, NULL, 0); /* attach each signer's certificate, if carried */
    ERR_clear_error();
    for (i = 0; i < v->signer_count; i++) {
        X509_ALGOR *dig;
        const ASN1_OBJECT *obj;
        const EVP_MD *md;
        char name[80];

        CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(signers, i), NULL, NULL, &dig, NULL);
        X509_ALGOR_get0(&obj, NULL, NULL, dig);
        md = EVP_get_digestbyobj(obj);
        if (md == NULL) {
            OBJ_obj2txt(name, sizeof(name), obj, 0);
            rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "unsupported digest algorithm %s", name);
            goto fail;
        }
        if ((v->md[i] = EVP_MD_CTX_new()) == NULL || !EVP_DigestInit_ex(v->md[i], md, NULL)) {
            rc = eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot start the document digest");
            goto fail;
        }
    }
    if (embedded) {
        ASN1_OCTET_STRING **content = CMS_get0_content(v->cms);
        if (content == NULL || *content == NULL) {
            rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "the signed-data carries no content");
            goto fail;
        }
        rc = eseal_cades_verifier_update(v, ASN1_STRING_get0_data(*content),
                                         (size_t)ASN1_STRING_length(*content), err);
        if (rc != ESEAL_OK)
            goto fail;
    }
    *out = v;
    return ESEAL_OK;
fail:
    eseal_cades_verifier_free(v);
    return rc;
}

int eseal_cades_verifier_new(eseal_cades_verifier **out, const eseal_trust *trust,
                             const unsigned char *sig, size_t sig_len, eseal_error *err)
{
    return verifier_create(out, trust, sig, sig_len, 0, err);
}

int eseal_cades_verifier_new_embedded(eseal_cades_verifier **out, const eseal_trust *trust,
                                      const unsigned char *sig, size_t sig_len, eseal_error *err)
{
    return verifier_create(out, trust, sig, sig_len, 1, err);
}

int eseal_cades_verifier_update(eseal_cades_verifier *v, const void *data, size_t len,
                                eseal_error *err)
{
    int i;

    for (i = 0; i < v->signer_count; i++)
        if (!EVP_DigestUpdate(v->md[i], data, len))
            return eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "document digest failed");
    return ESEAL_OK;
}

static time_t verify_asn1_time(const ASN1_TIME *t)
{
    struct tm tm;

    if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
        return (time_t)-1;
    return timegm(&tm);
}

/* Fill the verdict's description of the signer: subject, issuer, serial, signing time. */
static void verify_describe(CMS_SignerInfo *si, X509 *cert, eseal_verdict *v)
{
    int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);

    if (idx >= 0) {
        ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0);
        if (t != NULL && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME)) {
            time_t when = verify_asn1_time(t->value.utctime);
            v->has_signing_time = when != (time_t)-1;
            v->signing_time = when;
        }
    }
    if (cert == NULL)
        return;
    eseal_x509_name(X509_get_subject_name(cert), v->signer, sizeof(v->signer));
    eseal_x509_name(X509_get_issuer_name(cert), v->issuer, sizeof(v->issuer));
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    if (hex != NULL)
        snprintf(v->serial, sizeof(v->serial), "%s", hex);
    OPENSSL_free(hex);
    BN_free(bn);
}

static int verify_weak_digest(int nid)
{
    return nid == NID_md2 || nid == NID_md4 || nid == NID_md5 || nid == NID_sha1 ||
           nid == NID_md5_sha1;
}

/* Whether key is below the floor; says why into reason. */
static int verify_weak_key(const eseal_trust *trust, EVP_PKEY *key, const char *whose,
                           eseal_verdict *v)
{
    int bits = EVP_PKEY_get_bits(key);

    if (EVP_PKEY_is_a(key, "RSA") && (unsigned)bits < eseal_trust_min_rsa_bits(trust)) {
        eseal_verdict_set(v, ESEAL_RESULT_WEAK, "%s RSA key of %d bits is below %u", whose, bits,
                          eseal_trust_min_rsa_bits(trust));
        return 1;
    }
    if (EVP_PKEY_is_a(key, "EC") && bits < 256) {
        eseal_verdict_set(v, ESEAL_RESULT_WEAK, "%s EC key of %d bits is below 256", whose, bits);
        return 1;
    }
    if (EVP_PKEY_is_a(key, "DSA")) {
        eseal_verdict_set(v, ESEAL_RESULT_WEAK, "%s DSA key is no longer accepted", whose);
        return 1;
    }
    return 0;
}

/* Whether the signer's algorithms or any certificate of its chain fall below the floor. */
static int verify_weak(const eseal_trust *trust, CMS_SignerInfo *si, STACK_OF(X509) * chain,
                       eseal_verdict *v)
{
    X509_ALGOR *dig, *sig;
    const ASN1_OBJECT *obj;
    int i, dig_nid, md_nid, pk_nid;

    CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
    X509_ALGOR_get0(&obj, NULL, NULL, dig);
    dig_nid = OBJ_obj2nid(obj);
    X509_ALGOR_get0(&obj, NULL, NULL, sig);
    if (!OBJ_find_sigid_algs(OBJ_obj2nid(obj), &md_nid, &pk_nid))
        md_nid = NID_undef;
    if (verify_weak_digest(dig_nid) || verify_weak_digest(md_nid)) {
        eseal_verdict_set(v, ESEAL_RESULT_WEAK, "the seal uses the broken digest %s",
                          OBJ_nid2sn(verify_weak_digest(dig_nid) ? dig_nid : md_nid));
        return 1;
    }
    /* chain[0] is the seal certificate; the last one is the trust anchor, whose own
     * self-signature carries no weight. */
    for (i = 0; i < sk_X509_num(chain); i++) {
        X509 *x = sk_X509_value(chain, i);
        char name[ESEAL_VERDICT_TEXT_MAX], whose[ESEAL_VERDICT_TEXT_MAX + 16];
        eseal_x509_name(X509_get_subject_name(x), name, sizeof(name));
        snprintf(whose, sizeof(whose), i == 0 ? "the seal's" : "%s's", name);
        if (verify_weak_key(trust, X509_get0_pubkey(x), whose, v))
            return 1;
        if (i + 1 < sk_X509_num(chain) && X509_get_signature_info(x, &md_nid, NULL, NULL, NULL) &&
            verify_weak_digest(md_nid)) {
            eseal_verdict_set(v, ESEAL_RESULT_WEAK, "certificate %s is signed with %s", name,
                              OBJ_nid2sn(md_nid));
            return 1;
        }
    }
    return 0;
}

/* Without a CRL for an issuer, revocation of its certificates cannot be known: accept and
 * say so in the reason (revocation soft-fail), as every CRL-based verifier must. */
static int verify_chain_cb(int ok, X509_STORE_CTX *ctx)
{
    struct verify_crl_note *note = X509_STORE_CTX_get_app_data(ctx);

    if (!ok && X509_STORE_CTX_get_error(ctx) == X509_V_ERR_UNABLE_TO_GET_CRL) {
        X509 *x = X509_STORE_CTX_get_current_cert(ctx);
        if (!note->missing++ && x != NULL)
            eseal_x509_name(X509_get_issuer_name(x), note->issuer, sizeof(note->issuer));
        return 1;
    }
    /* a CRL issued after the timestamp is the newer news, not a CRL from the future */
    if (!ok && note->at_past_time && X509_STORE_CTX_get_error(ctx) == X509_V_ERR_CRL_NOT_YET_VALID)
        return 1;
    return ok;
}

/* Check the seal certificate's chain to the trust anchors at the time at (0: now); on success
 * *chain_out is the verified chain (free with sk_X509_pop_free). */
static int verify_chain(const eseal_trust *trust, STACK_OF(X509) * untrusted, X509 *cert, time_t at,
                        STACK_OF(X509) * *chain_out, struct verify_crl_note *note, eseal_verdict *v)
{
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    char name[ESEAL_VERDICT_TEXT_MAX], when[32];
    X509 *bad;
    int e;

    *chain_out = NULL;
    if (ctx == NULL || !X509_STORE_CTX_init(ctx, eseal_trust_store(trust), cert, untrusted)) {
        X509_STORE_CTX_free(ctx);
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "cannot set up the chain check");
        return 0;
    }
    if (eseal_trust_has_crls(trust))
        X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    /* OpenSSL allows 100 intermediate CAs; real seal chains have two or three, and every
     * extra link is a signature to check for whoever sends the chain */
    X509_STORE_CTX_set_depth(ctx, VERIFY_CHAIN_DEPTH_MAX);
    note->at_past_time = at != 0;
    if (at != 0)
        X509_STORE_CTX_set_time(ctx, 0, at);
    X509_STORE_CTX_set_app_data(ctx, note);
    X509_STORE_CTX_set_verify_cb(ctx, verify_chain_cb);
    if (X509_verify_cert(ctx) == 1) {
        *chain_out = X509_STORE_CTX_get1_chain(ctx);
        X509_STORE_CTX_free(ctx);
        return 1;
    }
    e = X509_STORE_CTX_get_error(ctx);
    bad = X509_STORE_CTX_get_current_cert(ctx);
    if (bad == NULL)
        bad = cert;
    eseal_x509_name(X509_get_subject_name(bad), name, sizeof(name));
    switch (e) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        eseal_verdict_time(verify_asn1_time(X509_get0_notAfter(bad)), when, sizeof(when));
        eseal_verdict_set(v, ESEAL_RESULT_EXPIRED, "certificate %s expired at %s", name, when);
        break;
    case X509_V_ERR_CERT_REVOKED:
        eseal_verdict_set(v, ESEAL_RESULT_REVOKED, "certificate %s is revoked", name);
        break;
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "revocation of %s cannot be checked: %s", name,
                          X509_verify_cert_error_string(e));
        break;
    case X509_V_ERR_CERT_CHAIN_TOO_LONG:
        eseal_verdict_set(v, ESEAL_RESULT_UNTRUSTED,
                          "certificate chain longer than %d intermediate CAs",
                          VERIFY_CHAIN_DEPTH_MAX);
        break;
    default:
        eseal_verdict_set(v, ESEAL_RESULT_UNTRUSTED, "certificate %s: %s", name,
                          X509_verify_cert_error_string(e));
        break;
    }
    X509_STORE_CTX_free(ctx);
    ERR_clear_error();
    return 0;
}

/* Compare the document digest with the signed message-digest attribute. */
static int verify_digest(CMS_SignerInfo *si, EVP_MD_CTX *md, eseal_verdict *v)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len;
    ASN1_OCTET_STRING *signed_digest = CMS_signed_get0_data_by_OBJ(
        si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);

    if (signed_digest == NULL) {
        /* -3: exactly one attribute with exactly one OCTET STRING value */
        eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                          "the signature has no single, single-valued message-digest attribute");
        return 0;
    }
    if (!EVP_DigestFinal_ex(md, digest, &len)) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "document digest failed");
        return 0;
    }
    if ((unsigned)ASN1_STRING_length(signed_digest) != len ||
        memcmp(ASN1_STRING_get0_data(signed_digest), digest, len) != 0) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                          "the document does not match the seal (digest differs)");
        return 0;
    }
    return 1;
}

/* The elements of the DER SEQUENCE held by t, or NULL when t is not a well-formed one. */
static STACK_OF(ASN1_TYPE) * verify_sequence(const ASN1_TYPE *t)
{
    const unsigned char *p;

    if (t == NULL || t->type != V_ASN1_SEQUENCE)
        return NULL;
    p = ASN1_STRING_get0_data(t->value.sequence);
    return d2i_ASN1_SEQUENCE_ANY(NULL, &p, ASN1_STRING_length(t->value.sequence));
}

/* Whether the first ESSCertID(v2) of the signing-certificate(-v2) attribute value names cert
 * (RFC 5035: its certHash is a digest of the whole certificate; v1 uses SHA-1, v2 says which
 * digest, SHA-256 by default; an issuerSerial, when present, must carry cert's serial).
 * 1 when it matches, 0 when not or malformed. */
static int verify_ess_cert_id(const ASN1_TYPE *value, int v2, X509 *cert)
{
    STACK_OF(ASN1_TYPE) *outer = verify_sequence(value), *ids = NULL, *id = NULL, *serial = NULL;
    const EVP_MD *md = v2 ? EVP_sha256() : EVP_sha1();
    unsigned char digest[EVP_MAX_MD_SIZE];
    const ASN1_TYPE *hash;
    unsigned int len;
    int ok = 0, at = 0;

    if (outer == NULL || sk_ASN1_TYPE_num(outer) < 1 ||
        (ids = verify_sequence(sk_ASN1_TYPE_value(outer, 0))) == NULL ||
        sk_ASN1_TYPE_num(ids) < 1 || (id = verify_sequence(sk_ASN1_TYPE_value(ids, 0))) == NULL ||
        sk_ASN1_TYPE_num(id) < 1)
        goto done;
    if (v2 && sk_ASN1_TYPE_value(id, 0)->type == V_ASN1_SEQUENCE) {
        const ASN1_STRING *der = sk_ASN1_TYPE_value(id, 0)->value.sequence;
        const unsigned char *p = ASN1_STRING_get0_data(der);
        X509_ALGOR *alg = d2i_X509_ALGOR(NULL, &p, ASN1_STRING_length(der));
        const ASN1_OBJECT *obj;
        if (alg == NULL)
            goto done;
        X509_ALGOR_get0(&obj, NULL, NULL, alg);
        md = EVP_get_digestbyobj(obj);
        X509_ALGOR_free(alg);
        at = 1;
    }
    hash = at < sk_ASN1_TYPE_num(id) ? sk_ASN1_TYPE_value(id, at) : NULL;
    if (md == NULL || hash == NULL || hash->type != V_ASN1_OCTET_STRING ||
        !X509_digest(cert, md, digest, &len))
        goto done;
    ok = (unsigned)ASN1_STRING_length(hash->value.octet_string) == len &&
         memcmp(ASN1_STRING_get0_data(hash->value.octet_string), digest, len) == 0;
    if (ok && at + 1 < sk_ASN1_TYPE_num(id)) { /* issuerSerial: its serialNumber comes last */
        serial = verify_sequence(sk_ASN1_TYPE_value(id, at + 1));
        const ASN1_TYPE *number =
            serial ? sk_ASN1_TYPE_value(serial, sk_ASN1_TYPE_num(serial) - 1) : NULL;
        ok = number != NULL && number->type == V_ASN1_INTEGER &&
             ASN1_INTEGER_cmp(number->value.integer, X509_get0_serialNumber(cert)) == 0;
    }
done:
    sk_ASN1_TYPE_pop_free(serial, ASN1_TYPE_free);
    sk_ASN1_TYPE_pop_free(id, ASN1_TYPE_free);
    sk_ASN1_TYPE_pop_free(ids, ASN1_TYPE_free);
    sk_ASN1_TYPE_pop_free(outer, ASN1_TYPE_free);
    return ok;
}

/* A signing-certificate(-v2) attribute, when present, must name the certificate the
 * signature is checked with: otherwise a substituted certificate could pose as the seal. */
static int verify_signing_certificate(CMS_SignerInfo *si, X509 *cert, eseal_verdict *v)
{
    static const int nids[2] = {NID_id_smime_aa_signingCertificate,
                                NID_id_smime_aa_signingCertificateV2};
    int i, idx;

    for (i = 0; i < 2; i++) {
        idx = CMS_signed_get_attr_by_NID(si, nids[i], -1);
        if (idx < 0)
            continue;
        if (!verify_ess_cert_id(X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0), i,
                                cert)) {
            eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                              "the %s attribute does not name the "
                              "signer's certificate",
                              OBJ_nid2ln(nids[i]));
            return 0;
        }
    }
    return 1;
}

/* A signature-time-stamp (RFC 3161 token over the signature value, CAdES-T) that a trusted
 * authority made: its time becomes the time the chain is checked at.  A token that does not
 * hold is ignored (the seal is then checked as if it had none) and noted. */
static void verify_timestamp(eseal_cades_verifier *ver, CMS_SignerInfo *si, eseal_verdict *v,
                             struct verify_notes *notes)
{
    ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
    const unsigned char *token;
    size_t token_len;
    timestamp_info info;
    char when[32];
    int found = timestamp_token_of(si, &token, &token_len);

    if (found == 0)
        return;
    if (found < 0) {
        verify_note(notes, "timestamp ignored: the attribute is malformed");
        return;
    }
    if (!timestamp_check(eseal_trust_timestamp_store(ver->trust), token, token_len,
                         ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig), &info)) {
        verify_note(notes, "timestamp ignored: %s", info.why);
        return;
    }
    if (info.when > time(NULL) + VERIFY_CLOCK_SKEW) {
        verify_note(notes, "timestamp ignored: it is dated in the future");
        return;
    }
    v->has_timestamp = 1;
    v->timestamp_time = info.when;
    eseal_verdict_time(info.when, when, sizeof(when));
    verify_note(notes, "timestamped at %s by %s", when, info.tsa);
}

/* Ask the seal certificate's OCSP responder (chain[1] issued it).  0 when the verdict is
 * decided here (revoked; or unknown under hard-fail), 1 to go on. */
static int verify_ocsp(const eseal_trust *trust, STACK_OF(X509) * untrusted, STACK_OF(X509) * chain,
                       eseal_verdict *v, struct verify_notes *notes)
{
    ocsp_client *ocsp = eseal_trust_ocsp(trust);
    X509 *cert = sk_X509_value(chain, 0);
    char name[ESEAL_VERDICT_TEXT_MAX], when[32];
    ocsp_answer a;

    if (ocsp == NULL || sk_X509_num(chain) < 2)
        return 1; /* no OCSP asked for, or the seal certificate is itself an anchor */
    ocsp_check(ocsp, cert, sk_X509_value(chain, 1), eseal_trust_store(trust), untrusted, &a, NULL,
               NULL);
    eseal_x509_name(X509_get_subject_name(cert), name, sizeof(name));
    if (a.known && a.revoked) {
        eseal_verdict_time(a.revoked_at, when, sizeof(when));
        if (v->has_timestamp && a.revoked_at > v->timestamp_time) {
            verify_note(notes, "certificate revoked at %s, after the timestamp", when);
            return 1;
        }
        eseal_verdict_set(v, ESEAL_RESULT_REVOKED, "certificate %s is revoked (OCSP), since %s",
                          name, when);
        return 0;
    }
    if (a.known && !a.unknown) {
        verify_note(notes, "not revoked (OCSP)");
        return 1;
    }
    if (a.known)
        snprintf(a.why, sizeof(a.why), "the OCSP responder does not know the certificate");
    if (eseal_trust_hard_fail(trust)) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "revocation of %s cannot be checked: %s", name,
                          a.why);
        return 0;
    }
    verify_note(notes, "revocation not checked: %s", a.why);
    return 1;
}

/* What the chain check left of revocation: a missing CRL under hard-fail, then OCSP.  0 when
 * the verdict is decided here, 1 to go on. */
static int verify_revocation(const eseal_trust *trust, STACK_OF(X509) * untrusted,
                             STACK_OF(X509) * chain, const struct verify_crl_note *note,
                             eseal_verdict *v, struct verify_notes *notes)
{
    if (note->missing && eseal_trust_hard_fail(trust)) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "revocation cannot be checked: no CRL from %s",
                          note->issuer);
        return 0;
    }
    return verify_ocsp(trust, untrusted, chain, v, notes);
}

/* Everything about one signer, in order: document and signature, algorithms, chain, key
 * usage, signing time.  The chain is checked at the current time (CAdES-BES has no trusted
 * time), so the signing-time checks catch seals dated outside the certificate's life. */
static void verify_signer(eseal_cades_verifier *ver, int index, eseal_verdict *v)
{
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(ver->cms), index);
    struct verify_crl_note note = {0, 0, ""};
    struct verify_notes notes = {""};
    STACK_OF(X509) *chain = NULL;
    char when[32], until[32];
    X509 *cert = NULL;

    CMS_SignerInfo_get0_algs(si, NULL, &cert, NULL, NULL);
    verify_describe(si, cert, v);
    if (cert == NULL) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR,
                          "the signer's certificate is not included in the signature");
        return;
    }
    if (CMS_signed_get_attr_count(si) <= 0) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "the signature has no signed attributes");
        return;
    }
    if (!verify_digest(si, ver->md[index], v))
        return;
    if (CMS_SignerInfo_verify(si) != 1) {
        ERR_clear_error();
        eseal_verdict_set(v, ESEAL_RESULT_FAIL, "the seal's signature value does not verify");
        return;
    }
    if (!verify_signing_certificate(si, cert, v))
        return;
    verify_timestamp(ver, si, v, &notes);
    if (!verify_chain(ver->trust, ver->certs, cert, v->has_timestamp ? v->timestamp_time : 0,
                      &chain, &note, v)) {
        /* an untrusted chain built from weak parts is first of all weak */
        STACK_OF(X509) *alone = sk_X509_new_null();
        eseal_verdict tmp = *v;
        if (alone != NULL && sk_X509_push(alone, cert) && verify_weak(ver->trust, si, alone, &tmp))
            *v = tmp;
        sk_X509_free(alone);
        return;
    }
    if (verify_weak(ver->trust, si, chain, v))
        goto done;
    if (!eseal_x509_can_sign(cert)) {
        eseal_verdict_set(v, ESEAL_RESULT_UNTRUSTED,
                          "the certificate's key usage allows neither digitalSignature nor "
                          "nonRepudiation");
        goto done;
    }
    if (v->has_signing_time && v->has_timestamp &&
        v->signing_time > v->timestamp_time + VERIFY_CLOCK_SKEW) {
        eseal_verdict_time(v->signing_time, when, sizeof(when));
        eseal_verdict_set(v, ESEAL_RESULT_FAIL, "sealed at %s, after its own timestamp", when);
        goto done;
    }
    if (v->has_signing_time) {
        time_t not_before = verify_asn1_time(X509_get0_notBefore(cert));
        time_t not_after = verify_asn1_time(X509_get0_notAfter(cert));
        eseal_verdict_time(v->signing_time, when, sizeof(when));
        if (v->signing_time > time(NULL) + VERIFY_CLOCK_SKEW) {
            eseal_verdict_set(v, ESEAL_RESULT_FAIL, "sealed at %s, which is in the future", when);
            goto done;
        }
        if (v->signing_time > not_after) {
            eseal_verdict_time(not_after, until, sizeof(until));
            eseal_verdict_set(v, ESEAL_RESULT_EXPIRED,
                              "sealed at %s, after the certificate expired at %s", when, until);
            goto done;
        }
        if (v->signing_time < not_before) {
            eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                              "sealed at %s, before the certificate was valid", when);
            goto done;
        }
    }
    if (!verify_revocation(ver->trust, ver->certs, chain, &note, v, &notes))
        goto done;
    if (note.missing)
        eseal_verdict_set(v, ESEAL_RESULT_PASS, "revocation not checked: no CRL from %s%s%s",
                          note.issuer, notes.text[0] ? "; " : "", notes.text);
    else
        eseal_verdict_set(v, ESEAL_RESULT_PASS, "%s%s%s",
                          eseal_trust_has_crls(ver->trust) ? "valid seal, not revoked"
                                                           : "valid seal",
                          notes.text[0] ? "; " : "", notes.text);
done:
    sk_X509_pop_free(chain, X509_free);
}

void eseal_cades_verifier_finish(eseal_cades_verifier *ver, eseal_verdict *verdict)
{
    int i;

    memset(verdict, 0, sizeof(*verdict));
    if (ver->signer_count == 0) {
        eseal_verdict_set(verdict, ESEAL_RESULT_NONE, "the signature has no signers");
        return;
    }
    for (i = 0; i < ver->signer_count; i++) {
        eseal_verdict one;
        memset(&one, 0, sizeof(one));
        verify_signer(ver, i, &one);
        if (i == 0 || one.result > verdict->result)
            *verdict = one;
    }
}

void eseal_cades_verifier_free(eseal_cades_verifier *v)
{
    int i;

    if (v == NULL)
        return;
    for (i = 0; i < VERIFY_SIGNERS_MAX; i++)
        EVP_MD_CTX_free(v->md[i]);
    sk_X509_pop_free(v->certs, X509_free);
    CMS_ContentInfo_free(v->cms);
    free(v);
}

int verify_cert_chain(const eseal_trust *trust, X509 *cert, STACK_OF(X509) * untrusted, time_t at,
                      eseal_verdict *v)
{
    struct verify_crl_note note = {0, 0, ""};
    struct verify_notes notes = {""};
    STACK_OF(X509) *chain = NULL;
    /* (v has no timestamp: an OCSP revocation counts whenever it came, for the time at is
     * the signer's own claim) */
    int ok = verify_chain(trust, untrusted, cert, at, &chain, &note, v) &&
             verify_revocation(trust, untrusted, chain, &note, v, &notes);

    sk_X509_pop_free(chain, X509_free);
    return ok;
}
