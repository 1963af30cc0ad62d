/* pdf_dss.c - gather the validation data of a PAdES B-LT seal: certificates, CRLs, OCSP.
 *
 * The seal was just made here; the OCSP response comes from the network and is checked by
 * ocsp.c before it is kept. */
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pkcs7.h>

#include "error_int.h"
#include "ocsp_int.h"
#include "pdf_dss_int.h"
#include "timestamp_int.h"
#include "trust_int.h"

#define DSS_ITEMS_MAX 64 /* of each kind: chains are a few certificates long */

/* Append a copy of der to list. */
static int dss_add(pdf_dss_list *list, const unsigned char *der, size_t len)
{
    unsigned char **ders;
    size_t *lens;

    if (list->count == DSS_ITEMS_MAX)
        return 1; /* enough: a verifier has what it needs long before */
    ders = realloc(list->der, (list->count + 1) * sizeof(*ders));
    if (ders == NULL)
        return 0;
    list->der = ders;
    lens = realloc(list->len, (list->count + 1) * sizeof(*lens));
    if (lens == NULL)
        return 0;
    list->len = lens;
    if ((list->der[list->count] = malloc(len)) == NULL)
        return 0;
    memcpy(list->der[list->count], der, len);
    list->len[list->count++] = len;
    return 1;
}

/* Add x to certs unless it is there already. */
static int dss_add_cert(STACK_OF(X509) * certs, X509 *x)
{
    int i;

    for (i = 0; i < sk_X509_num(certs); i++)
        if (X509_cmp(sk_X509_value(certs, i), x) == 0)
            return 1;
    if (!X509_up_ref(x))
        return 0;
    if (sk_X509_push(certs, x) > 0)
        return 1;
    X509_free(x);
    return 0;
}

/* The certificates of the timestamp token in si's signature-time-stamp attribute. */
static int dss_add_token_certs(CMS_SignerInfo *si, STACK_OF(X509) * certs)
{
    const unsigned char *p;
    size_t len;
    PKCS7 *token;
    int i, ok = 1;

    if (timestamp_token_of(si, &p, &len) != 1)
        return 1; /* none (or none usable): nothing to add */
    token = d2i_PKCS7(NULL, &p, (long)len);
    if (token != NULL && PKCS7_type_is_signed(token) && token->d.sign != NULL)
        for (i = 0; ok && i < sk_X509_num(token->d.sign->cert); i++)
            ok = dss_add_cert(certs, sk_X509_value(token->d.sign->cert, i));
    PKCS7_free(token);
    return ok;
}

/* Ask the seal certificate's responder; keep the response and its signer's certificates. */
static int dss_add_ocsp(const eseal_trust *trust, X509 *cert, STACK_OF(X509) * certs, pdf_dss *dss)
{
    ocsp_client *ocsp = eseal_trust_ocsp(trust);
    unsigned char *der = NULL;
    const unsigned char *p;
    size_t len = 0;
    OCSP_RESPONSE *resp;
    OCSP_BASICRESP *basic;
    ocsp_answer a;
    X509 *issuer = NULL;
    int i, ok = 1;

    for (i = 0; i < sk_X509_num(certs) && issuer == NULL; i++)
        if (X509_check_issued(sk_X509_value(certs, i), cert) == X509_V_OK)
            issuer = sk_X509_value(certs, i);
    if (ocsp == NULL || issuer == NULL || issuer == cert)
        return 1;
    ocsp_check(ocsp, cert, issuer, eseal_trust_store(trust), certs, &a, &der, &len);
    if (der == NULL)
        return 1; /* no answer: the DSS holds what there is; a verifier asks later itself */
    ok = dss_add(&dss->ocsps, der, len);
    p = der;
    resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
    basic = resp ? OCSP_response_get1_basic(resp) : NULL;
    for (i = 0; ok && basic != NULL && i < sk_X509_num(OCSP_resp_get0_certs(basic)); i++)
        ok = dss_add_cert(certs, sk_X509_value(OCSP_resp_get0_certs(basic), i));
    OCSP_BASICRESP_free(basic);
    OCSP_RESPONSE_free(resp);
    free(der);
    return ok;
}

/* Every CRL of trust whose issuer is the subject of one of certs. */
static int dss_add_crls(const eseal_trust *trust, STACK_OF(X509) * certs, pdf_dss *dss)
{
    X509_STORE *store = eseal_trust_store(trust);
    STACK_OF(X509_OBJECT) * objects;
    int i, j, ok = 1;

    /* other threads look up certificates in the shared store meanwhile */
    if (!X509_STORE_lock(store))
        return 0;
    objects = X509_STORE_get0_objects(store);
    for (i = 0; ok && i < sk_X509_OBJECT_num(objects); i++) {
        X509_CRL *crl = X509_OBJECT_get0_X509_CRL(sk_X509_OBJECT_value(objects, i));
        unsigned char *der = NULL;
        int len;
        if (crl == NULL)
            continue;
        for (j = 0; j < sk_X509_num(certs); j++)
            if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
                              X509_get_subject_name(sk_X509_value(certs, j))) == 0)
                break;
        if (j == sk_X509_num(certs) || (len = i2d_X509_CRL(crl, &der)) <= 0)
            continue;
        ok = dss_add(&dss->crls, der, (size_t)len);
        OPENSSL_free(der);
    }
    X509_STORE_unlock(store);
    return ok;
}

int pdf_dss_collect(const unsigned char *cms_der, size_t cms_len, const eseal_trust *trust,
                    pdf_dss *dss, eseal_error *err)
{
    const unsigned char *p = cms_der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)cms_len);
    STACK_OF(X509) *certs = sk_X509_new_null(), *carried = NULL;
    CMS_SignerInfo *si;
    X509 *seal = NULL;
    int i, ok;

    memset(dss, 0, sizeof(*dss));
    ok = cms != NULL && certs != NULL && (carried = CMS_get1_certs(cms)) != NULL &&
         sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)) == 1;
    si = ok ? sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0) : NULL;
    for (i = 0; ok && i < sk_X509_num(carried); i++) {
        ok = dss_add_cert(certs, sk_X509_value(carried, i));
        if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(carried, i)) == 0)
            seal = sk_X509_value(carried, i);
    }
    ok = ok && seal != NULL && dss_add_token_certs(si, certs) &&
         dss_add_ocsp(trust, seal, certs, dss) && dss_add_crls(trust, certs, dss);
    for (i = 0; ok && i < sk_X509_num(certs); i++) {
        unsigned char *der = NULL;
        int len = i2d_X509(sk_X509_value(certs, i), &der);
        ok = len > 0 && dss_add(&dss->certs, der, (size_t)len);
        OPENSSL_free(der);
    }
    sk_X509_pop_free(carried, X509_free);
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    if (!ok) {
        pdf_dss_free(dss);
        return eseal_error_set(err, ESEAL_ERR_CRYPTO, "cannot gather the seal's validation data");
    }
    return ESEAL_OK;
}

static void dss_list_free(pdf_dss_list *list)
{
    size_t i;

    for (i = 0; i < list->count; i++)
        free(list->der[i]);
    free(list->der);
    free(list->len);
    memset(list, 0, sizeof(*list));
}

void pdf_dss_free(pdf_dss *dss)
{
    if (dss == NULL)
        return;
    dss_list_free(&dss->certs);
    dss_list_free(&dss->crls);
    dss_list_free(&dss->ocsps);
}
