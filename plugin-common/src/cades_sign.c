/* cades_sign.c - make detached CAdES-BES (or, with a timestamp authority, CAdES-T) SignedData
 * over a document fed in pieces. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>

#include "eseal/cades.h"
#include "error_int.h"
#include "seal_int.h"
#include "timestamp_int.h"

struct eseal_cades_signer {
    const eseal_seal *seal;
    const eseal_tsa *tsa; /* NULL: CAdES-BES */
    EVP_MD_CTX *md;
    time_t when;
    int has_time;
    int omit_time;
    int finished;
    int timestamped;
};

int eseal_cades_signer_new(eseal_cades_signer **out, const eseal_seal *seal, eseal_error *err)
{
    eseal_cades_signer *signer = calloc(1, sizeof(*signer));

    *out = NULL;
    if (signer == NULL || (signer->md = EVP_MD_CTX_new()) == NULL) {
        free(signer);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    signer->seal = seal;
    if (EVP_PKEY_is_a(eseal_seal_key(seal), "SM2")) {
        eseal_cades_signer_free(signer);
        return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED,
                               "an SM2 seal seals OFD documents (SES), not CAdES or PAdES");
    }
    if (!EVP_DigestInit_ex(signer->md, eseal_seal_digest(seal), NULL)) {
        eseal_cades_signer_free(signer);
        return eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot start the document digest");
    }
    *out = signer;
    return ESEAL_OK;
}

void eseal_cades_signer_set_time(eseal_cades_signer *signer, time_t when)
{
    signer->when = when;
    signer->has_time = 1;
}

void eseal_cades_signer_omit_time(eseal_cades_signer *signer)
{
    signer->omit_time = 1;
}

void eseal_cades_signer_set_tsa(eseal_cades_signer *signer, const eseal_tsa *tsa)
{
    signer->tsa = tsa;
}

int eseal_cades_signer_timestamped(const eseal_cades_signer *signer)
{
    return signer->timestamped;
}

int eseal_cades_signer_update(eseal_cades_signer *signer, const void *data, size_t len,
                              eseal_error *err)
{
    if (signer->finished)
        return eseal_error_set(err, ESEAL_ERR_GENERIC, "signer already finished");
    if (!EVP_DigestUpdate(signer->md, data, len))
        return eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "document digest failed");
    return ESEAL_OK;
}

/* Add the signed attributes CMS_SignerInfo_sign() does not add by itself when the content
 * was hashed outside OpenSSL's CMS layer: content-type, message-digest, signing-time (unless
 * omitted). */
static int signer_add_attributes(eseal_cades_signer *signer, CMS_SignerInfo *si, eseal_error *err)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len;
    time_t when = signer->has_time ? signer->when : time(NULL);
    ASN1_TIME *signing_time;
    int ok;

    if (!EVP_DigestFinal_ex(signer->md, digest, &digest_len))
        return eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "document digest failed");
    signing_time = X509_time_adj_ex(NULL, 0, 0, &when); /* UTCTime until 2049, per RFC 5652 */
    ok = signing_time != NULL &&
         CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                     OBJ_nid2obj(NID_pkcs7_data), -1) > 0 &&
         CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, digest,
                                     (int)digest_len) > 0 &&
         (signer->omit_time ||
          CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, signing_time->type, signing_time,
                                      -1) > 0);
    ASN1_TIME_free(signing_time);
    if (!ok)
        return eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot add the signed attributes");
    return ESEAL_OK;
}

/* Sign the signed attributes, DER-encoded as a SET OF (RFC 5652 5.4; the PKCS#7 item encodes
 * them the same way CMS does), with the seal's key: one private-key operation.  Not
 * CMS_SignerInfo_sign(): OpenSSL 3.0's adds a signing-time whenever there is none.  With
 * dry_run the signature is zeros of the largest size the key makes (the size of a seal
 * without the private-key operation). */
static int signer_sign_attributes(const eseal_cades_signer *signer, CMS_SignerInfo *si, int dry_run,
                                  eseal_error *err)
{
    STACK_OF(X509_ATTRIBUTE) *attrs = sk_X509_ATTRIBUTE_new_null();
    unsigned char *der = NULL, *sig = NULL;
    size_t sig_len = 0;
    int i, der_len = -1, rc;

    for (i = 0; attrs != NULL && i < CMS_signed_get_attr_count(si); i++)
        if (!sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i)))
            break;
    if (attrs != NULL && i == CMS_signed_get_attr_count(si))
        der_len = ASN1_item_i2d((ASN1_VALUE *)attrs, &der, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
    sk_X509_ATTRIBUTE_free(attrs); /* the attributes belong to si */
    if (der_len <= 0)
        return eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot encode the signed attributes");
    if (dry_run) {
        sig_len = (size_t)EVP_PKEY_get_size(eseal_seal_key(signer->seal));
        sig = OPENSSL_zalloc(sig_len);
        rc = sig != NULL ? ESEAL_OK : eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    } else {
        rc = eseal_seal_sign(signer->seal, der, (size_t)der_len, &sig, &sig_len, err);
    }
    if (rc == ESEAL_OK && !ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig, (int)sig_len))
        rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    OPENSSL_free(sig);
    OPENSSL_free(der);
    return rc;
}

/* Ask the timestamp authority for a token over the signature value and add it as the
 * signature-time-stamp unsigned attribute (CAdES-T).  When the authority fails, the seal
 * stays CAdES-BES if the authority's configuration says so. */
static int signer_add_timestamp(eseal_cades_signer *signer, CMS_SignerInfo *si, eseal_error *err)
{
    ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
    unsigned char *token = NULL;
    size_t token_len = 0;
    eseal_error why;
    int rc = tsa_stamp(signer->tsa, ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig),
                       &token, &token_len, &why);

    if (rc != ESEAL_OK) {
        if (tsa_seal_without(signer->tsa) && rc != ESEAL_ERR_NOMEM)
            return ESEAL_OK;
        return eseal_error_set(err, rc == ESEAL_ERR_NOMEM ? rc : ESEAL_ERR_UNAVAILABLE,
                               "timestamp: %s", why.message);
    }
    if (CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token,
                                      (int)token_len) <= 0)
        rc = eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot add the timestamp to the seal");
    else
        signer->timestamped = 1;
    free(token);
    return rc;
}

/* Build the SignedData of a finished digest into *der (malloc'd); see signer_sign_attributes
 * for dry_run. */
static int signer_encode(eseal_cades_signer *signer, int dry_run, unsigned char **der,
                         size_t *der_len, eseal_error *err)
{
    const eseal_seal *seal = signer->seal;
    X509 *cert = eseal_seal_cert(seal);
    STACK_OF(X509) *chain = eseal_seal_chain(seal);
    CMS_ContentInfo *cms;
    CMS_SignerInfo *si;
    unsigned char *buf = NULL;
    int i, len, rc;

    *der = NULL;
    *der_len = 0;
    if (signer->finished)
        return eseal_error_set(err, ESEAL_ERR_GENERIC, "signer already finished");
    signer->finished = 1;
    /* CMS_PARTIAL: OpenSSL builds the structure but signs nothing; CMS_CADES adds the
     * signing-certificate-v2 attribute that binds the seal certificate. */
    cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_DETACHED | CMS_BINARY | CMS_PARTIAL);
    if (cms == NULL)
        return eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot create SignedData");
    si = CMS_add1_signer(cms, cert, eseal_seal_key(seal), eseal_seal_digest(seal),
                         CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP | CMS_CADES);
    if (si == NULL) {
        rc = eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot add the seal as signer");
        goto done;
    }
    for (i = 0; i < sk_X509_num(chain); i++) {
        if (!CMS_add1_cert(cms, sk_X509_value(chain, i))) {
            rc = eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot add the certificate chain");
            goto done;
        }
    }
    rc = signer_add_attributes(signer, si, err);
    if (rc != ESEAL_OK)
        goto done;
    if (!CMS_set_detached(cms, 1)) {
        rc = eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot make the seal detached");
        goto done;
    }
    rc = signer_sign_attributes(signer, si, dry_run, err);
    if (rc == ESEAL_OK && signer->tsa != NULL && !dry_run)
        rc = signer_add_timestamp(signer, si, err);
    if (rc != ESEAL_OK)
        goto done;
    len = i2d_CMS_ContentInfo(cms, &buf);
    if (len <= 0) {
        rc = eseal_error_openssl(err, ESEAL_ERR_CRYPTO, "cannot encode SignedData");
        goto done;
    }
    *der = malloc((size_t)len);
    if (*der == NULL) {
        rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
        goto done;
    }
    memcpy(*der, buf, (size_t)len);
    *der_len = (size_t)len;
    rc = ESEAL_OK;
done:
    OPENSSL_free(buf);
    CMS_ContentInfo_free(cms);
    return rc;
}

int eseal_cades_signer_finish(eseal_cades_signer *signer, unsigned char **der, size_t *der_len,
                              eseal_error *err)
{
    return signer_encode(signer, 0, der, der_len, err);
}

int cades_signed_size(const eseal_seal *seal, size_t *size, eseal_error *err)
{
    eseal_cades_signer *signer;
    unsigned char *der = NULL;
    int rc = eseal_cades_signer_new(&signer, seal, err);

    if (rc != ESEAL_OK)
        return rc;
    eseal_cades_signer_omit_time(signer);
    rc = signer_encode(signer, 1, &der, size, err);
    eseal_cades_signer_free(signer);
    free(der);
    return rc;
}

void eseal_cades_signer_free(eseal_cades_signer *signer)
{
    if (signer == NULL)
        return;
    EVP_MD_CTX_free(signer->md);
    free(signer);
}
