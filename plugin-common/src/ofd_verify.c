/* ofd_verify.c - check the SES seals and digital signatures of an OFD document.
 *
 * SECURITY: the package, its XML and every SignedValue.dat come from a mail attachment.
 * The package is read by ofd.c (caps, clean paths, no entities), the SES DER by ses.c (a
 * strict cursor); signatures are capped in number; every path a signature names is resolved
 * inside the package or not at all; base64 is decoded into a fixed buffer.  A signature that
 * cannot be read is `error`, one that does not hold is `fail`: never `pass`. */
#define _GNU_SOURCE /* memmem */

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "eseal/ofd.h"
#include "error_int.h"
#include "ofd_int.h"
#include "seal_int.h"
#include "ses_int.h"
#include "verify_int.h"

#define OFD_SIGNATURES_MAX 64    /* signatures checked in one document */
#define OFD_REFERENCES_MAX 10000 /* references of one signature */
#define OFD_CHECK_VALUE_MAX 128  /* base64 characters of one CheckValue */
/* bytes hashed for the References of one document: each file once per signature, but not
 * one large file named ten thousand times */
#define OFD_HASHED_MAX ((size_t)512 * 1024 * 1024)
#define OFD_OID_SM3 "1.2.156.10197.1.401"
#define OFD_OID_SM2_SM3 "1.2.156.10197.1.501"
#define OFD_SM2_SIG_MAX 80 /* a DER SM2 signature: two 32-byte integers and headers */

/* The checks of one Signature.xml, shared while it is verified. */
struct ofd_check {
    const ofd_package *pkg;
    const eseal_trust *trust;
    const ofd_file *sig_file; /* Signature.xml */
    unsigned char *covered;   /* one flag per package file: a Reference names it */
    eseal_ofd_signature *out;
    size_t *hash_budget;          /* bytes the References of the whole document may still hash */
    const ofd_file *const *roots; /* the documents OFD.xml names (DocBody/DocRoot) */
    size_t root_count;
};

/* The digest a References/@CheckMethod names (the SM3 OID or a name); default SM3. */
static const EVP_MD *ofd_check_method(const char *method)
{
    /* (1.2.156.10197.1.401.2, which iOFD writes, is SM3 over the signer's Z value and the
     * file: not supported) */
    if (method[0] == '\0' || strcmp(method, OFD_OID_SM3) == 0 ||
        strcmp(method, OFD_OID_SM3 ".1") == 0 || strcasecmp(method, "SM3") == 0)
        return EVP_sm3();
    if (strcmp(method, "2.16.840.1.101.3.4.2.1") == 0 || strcasecmp(method, "SHA256") == 0 ||
        strcasecmp(method, "SHA-256") == 0)
        return EVP_sha256();
    return NULL;
}

/* Decode base64 text into out (size bytes); its length, or -1. */
static int ofd_base64(const char *text, unsigned char *out, size_t size)
{
    size_t len = strlen(text), pad = 0;
    int n;

    if (len == 0 || len % 4 != 0 || len / 4 * 3 > size)
        return -1;
    n = EVP_DecodeBlock(out, (const unsigned char *)text, (int)len);
    if (n < 0)
        return -1;
    pad = (text[len - 1] == '=') + (text[len - 2] == '=');
    return n - (int)pad;
}

/* Every Reference: the file it names exists and its digest is the CheckValue. */
static int ofd_check_references(struct ofd_check *c, const xmlNode *signed_info)
{
    const xmlNode *refs = ofd_child(signed_info, "References"), *ref;
    char method[64] = "", file_ref[OFD_PATH_MAX], path[OFD_PATH_MAX], value[OFD_CHECK_VALUE_MAX];
    unsigned char expected[OFD_CHECK_VALUE_MAX], digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len;
    const EVP_MD *md;
    const ofd_file *f;
    size_t count = 0;
    int n;

    if (refs == NULL || (ref = ofd_child(refs, "Reference")) == NULL) {
        eseal_verdict_set(&c->out->verdict, ESEAL_RESULT_FAIL, "the signature covers no file");
        return 0;
    }
    ofd_attr(refs, "CheckMethod", method, sizeof(method));
    if ((md = ofd_check_method(method)) == NULL) {
        eseal_verdict_set(&c->out->verdict, ESEAL_RESULT_ERROR, "unknown CheckMethod %s", method);
        return 0;
    }
    for (; ref != NULL; ref = ofd_next(ref)) {
        if (++count > OFD_REFERENCES_MAX) {
            eseal_verdict_set(&c->out->verdict, ESEAL_RESULT_ERROR, "more than %d references",
                              OFD_REFERENCES_MAX);
            return 0;
        }
        if (ofd_attr(ref, "FileRef", file_ref, sizeof(file_ref)) != 0 ||
            ofd_text(ofd_child(ref, "CheckValue"), value, sizeof(value)) != 0 ||
            (n = ofd_base64(value, expected, sizeof(expected))) < 0) {
            eseal_verdict_set(&c->out->verdict, ESEAL_RESULT_ERROR,
                              "a Reference without a usable FileRef or CheckValue");
            return 0;
        }
        f = ofd_resolve(c->pkg, c->sig_file->name, file_ref, path, sizeof(path));
        if (f == NULL) {
            eseal_verdict_set(&c->out->verdict, ESEAL_RESULT_FAIL, "reference-missing:%s",
                              file_ref);
            return 0;
        }
        c->covered[f - ofd_package_file(c->pkg, 0)] = 1;
        if (f->len > *c->hash_budget) {
            eseal_verdict_set(&c->out->verdict, ESEAL_RESULT_ERROR,
                              "the references hash more than %zu bytes", OFD_HASHED_MAX);
            return 0;
        }
        *c->hash_budget -= f->len;
        if (!EVP_Digest(f->data, f->len, digest, &digest_len, md, NULL) ||
            (unsigned)n != digest_len || memcmp(digest, expected, digest_len) != 0) {
            eseal_verdict_set(&c->out->verdict, ESEAL_RESULT_FAIL, "reference-mismatch:/%s",
                              f->name);
            return 0;
        }
    }
    return 1;
}

/* Whether name lies in a directory called dir (a whole path component). */
static int ofd_in_dir(const char *name, const char *dir)
{
    size_t n = strlen(dir);
    const char *p;

    if (strncmp(name, dir, n) == 0 && name[n] == '/')
        return 1;
    for (p = strchr(name, '/'); p != NULL; p = strchr(p + 1, '/'))
        if (strncmp(p + 1, dir, n) == 0 && p[1 + n] == '/')
            return 1;
    return 0;
}

/* Whether the file at name shows nothing: the signatures themselves, attachments, tags.  (What
 * is shown starts at the document roots, which must be covered: a file here is shown only if
 * a covered file refers to it, and then it was there, and covered or not, when sealed.) */
static int ofd_not_shown(const char *name)
{
    return ofd_in_dir(name, "Signs") || ofd_in_dir(name, "Attachs") || ofd_in_dir(name, "Tags");
}

/* The documents OFD.xml names and every file that changes what is shown must be covered. */
static int ofd_check_coverage(struct ofd_check *c)
{
    size_t i;

    for (i = 0; i < c->root_count; i++) {
        if (c->covered[c->roots[i] - ofd_package_file(c->pkg, 0)])
            continue;
        eseal_verdict_set(&c->out->verdict, ESEAL_RESULT_FAIL,
                          "modified-after-seal: the document /%s that OFD.xml names is not "
                          "covered by the signature",
                          c->roots[i]->name);
        return 0;
    }
    for (i = 0; i < ofd_package_count(c->pkg); i++) {
        const ofd_file *f = ofd_package_file(c->pkg, i);
        if (c->covered[i] || ofd_not_shown(f->name) || strcmp(f->name, "OFD.xml") == 0)
            continue;
        eseal_verdict_set(&c->out->verdict, ESEAL_RESULT_FAIL,
                          "modified-after-seal: /%s is not covered by the signature", f->name);
        return 0;
    }
    return 1;
}

/* A DER certificate, with the SM2 identifier its signature (by its issuer) was made with. */
static X509 *ofd_cert(const ses_bytes *der)
{
    const unsigned char *p = der->data;
    X509 *x = d2i_X509(NULL, &p, (long)der->len);
    ASN1_OCTET_STRING *id;

    if (x == NULL || p != der->data + der->len) {
        X509_free(x);
        return NULL;
    }
    if ((id = ASN1_OCTET_STRING_new()) != NULL &&
        ASN1_OCTET_STRING_set(id, (const unsigned char *)SEAL_SM2_ID, strlen(SEAL_SM2_ID)))
        X509_set0_distinguishing_id(x, id);
    else
        ASN1_OCTET_STRING_free(id);
    return x;
}

/* sig as a DER SM2 signature into der (ECDSA-Sig-Value): as it is, or, from the raw r||s of
 * 64 bytes some writers store, encoded; its length, or 0. */
static size_t ofd_sm2_der(const ses_bytes *sig, unsigned char *der, size_t size)
{
    ECDSA_SIG *e;
    BIGNUM *r, *s;
    unsigned char *p = der;
    int n;

    if (sig->len == 64 && sig->data[0] != 0x30) {
        r = BN_bin2bn(sig->data, 32, NULL);
        s = BN_bin2bn(sig->data + 32, 32, NULL);
        e = ECDSA_SIG_new();
        if (e == NULL || r == NULL || s == NULL || !ECDSA_SIG_set0(e, r, s)) {
            BN_free(r);
            BN_free(s);
            ECDSA_SIG_free(e);
            return 0;
        }
        n = i2d_ECDSA_SIG(e, NULL) <= (int)size ? i2d_ECDSA_SIG(e, &p) : 0;
        ECDSA_SIG_free(e);
        return n > 0 ? (size_t)n : 0;
    }
    if (sig->len > size)
        return 0;
    memcpy(der, sig->data, sig->len);
    return sig->len;
}

/* Whether sig is cert's SM2-with-SM3 signature (identifier 1234567812345678) over data. */
static int ofd_sm2_verify(X509 *cert, const unsigned char *data, size_t len, const ses_bytes *sig)
{
    EVP_PKEY *key = X509_get0_pubkey(cert);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char der[OFD_SM2_SIG_MAX];
    size_t der_len = ofd_sm2_der(sig, der, sizeof(der));
    int ok;

    ok = der_len > 0 && key != NULL && md != NULL && EVP_PKEY_is_a(key, "SM2") &&
         EVP_DigestVerifyInit(md, &pctx, EVP_sm3(), NULL, key) > 0 &&
         EVP_PKEY_CTX_set1_id(pctx, SEAL_SM2_ID, strlen(SEAL_SM2_ID)) > 0 &&
         EVP_DigestVerify(md, der, der_len, data, len) == 1;
    EVP_MD_CTX_free(md);
    ERR_clear_error();
    return ok;
}

/* The seal maker's signature: over SES_SealInfo (GB/T 38540, v4), over SEQUENCE {esealInfo,
 * cert, signatureAlgorithm} (GM/T 0031, v1). */
static int ofd_maker_verify(const ses_signature *s, X509 *maker)
{
    size_t body = s->seal_info.len + s->maker_cert_der.len + s->maker_alg_der.len, hl;
    unsigned char *tbs, *p;
    int ok;

    if (s->version == 4)
        return ofd_sm2_verify(maker, s->seal_info.data, s->seal_info.len, &s->maker_signature);
    hl = (size_t)ASN1_object_size(1, (int)body, V_ASN1_SEQUENCE) - body;
    if ((tbs = malloc(hl + body)) == NULL)
        return 0;
    p = tbs;
    ASN1_put_object(&p, 1, (int)body, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL);
    memcpy(p, s->seal_info.data, s->seal_info.len);
    memcpy(p + s->seal_info.len, s->maker_cert_der.data, s->maker_cert_der.len);
    memcpy(p + s->seal_info.len + s->maker_cert_der.len, s->maker_alg_der.data,
           s->maker_alg_der.len);
    ok = ofd_sm2_verify(maker, tbs, hl + body, &s->maker_signature);
    free(tbs);
    return ok;
}

/* The checks of an SES signature after its references held. */
static void ofd_check_ses(struct ofd_check *c, const ses_signature *s)
{
    eseal_verdict *v = &c->out->verdict;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len;
    X509 *signer = ofd_cert(&s->signer_cert), *maker = ofd_cert(&s->maker_cert);
    char when[32], until[32];
    time_t signed_at;

    snprintf(c->out->seal_name, sizeof(c->out->seal_name), "%s", s->seal_name);
    c->out->seal_type = s->seal_type;
    c->out->ses_version = s->version;
    v->has_signing_time = s->has_time;
    v->signing_time = s->time;
    if (signer == NULL || maker == NULL) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "a certificate in the SES signature is malformed");
        goto done;
    }
    eseal_x509_name(X509_get_subject_name(signer), v->signer, sizeof(v->signer));
    eseal_x509_name(X509_get_issuer_name(signer), v->issuer, sizeof(v->issuer));
    if (!EVP_Digest(c->sig_file->data, c->sig_file->len, digest, &digest_len, EVP_sm3(), NULL) ||
        digest_len != s->data_hash.len || memcmp(digest, s->data_hash.data, digest_len) != 0) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL, "reference-mismatch:/%s (dataHash)",
                          c->sig_file->name);
        goto done;
    }
    if (strcmp(s->sig_alg, OFD_OID_SM2_SM3) != 0 ||
        !ofd_sm2_verify(signer, s->tbs.data, s->tbs.len, &s->signature)) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL, "the SM2 signature over TBS_Sign does not verify");
        goto done;
    }
    if (!ofd_maker_verify(s, maker)) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL, "the seal maker's signature does not verify");
        goto done;
    }
    if (!ses_cert_listed(s, s->signer_cert.data, s->signer_cert.len)) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL,
                          "the signer's certificate is not among the seal's certificates");
        goto done;
    }
    /* without a signing time (GM/T 0031's timeInfo is free text) the seal must be valid now */
    signed_at = s->has_time ? s->time : time(NULL);
    if (signed_at < s->valid_start || signed_at > s->valid_end) {
        eseal_verdict_time(s->valid_start, when, sizeof(when));
        eseal_verdict_time(s->valid_end, until, sizeof(until));
        eseal_verdict_set(v, ESEAL_RESULT_EXPIRED, "signed outside the seal's validity (%s to %s)",
                          when, until);
        goto done;
    }
    if (X509_cmp_time(X509_get0_notBefore(signer), &signed_at) > 0 ||
        X509_cmp_time(X509_get0_notAfter(signer), &signed_at) < 0) {
        eseal_verdict_set(v, ESEAL_RESULT_EXPIRED,
                          "signed outside the signer certificate's validity");
        goto done;
    }
    if (!ofd_check_coverage(c))
        goto done;
    /* the chains are checked at the signing time the signature states (what GB/T 38540
     * verifiers do: an SES seal outlives its certificates), which was checked above to lie
     * within the signer's certificate and the seal's validity */
    if (!verify_cert_chain(c->trust, signer, NULL, s->has_time ? s->time : 0, v) ||
        !verify_cert_chain(c->trust, maker, NULL, s->has_time ? s->time : 0, v))
        goto done;
    eseal_verdict_set(v, ESEAL_RESULT_PASS, "valid seal");
done:
    X509_free(signer);
    X509_free(maker);
}

/* The certificate of certs (the contents of a SET OF Certificate) with this issuer and serial
 * number, or NULL. */
static X509 *ofd_find_cert(const ses_signed_data *d)
{
    const unsigned char *p = d->certs.data, *end = d->certs.data + d->certs.len, *q;
    X509_NAME *issuer;
    X509 *x;

    q = d->issuer.data;
    issuer = d2i_X509_NAME(NULL, &q, (long)d->issuer.len);
    while (issuer != NULL && p < end) {
        ses_bytes der;
        const ASN1_INTEGER *serial;
        x = d2i_X509(NULL, &p, end - p);
        if (x == NULL)
            break;
        serial = X509_get0_serialNumber(x);
        der.data = ASN1_STRING_get0_data(serial);
        der.len = (size_t)ASN1_STRING_length(serial);
        /* the INTEGER's contents may carry a leading zero that ASN1_INTEGER drops */
        if (X509_NAME_cmp(X509_get_issuer_name(x), issuer) == 0 &&
            ((der.len == d->serial.len && memcmp(der.data, d->serial.data, der.len) == 0) ||
             (d->serial.len == der.len + 1 && d->serial.data[0] == 0 &&
              memcmp(der.data, d->serial.data + 1, der.len) == 0))) {
            X509_NAME_free(issuer);
            return x;
        }
        X509_free(x);
    }
    X509_NAME_free(issuer);
    ERR_clear_error();
    return NULL;
}

/* A digital signature (Type="Sign", GB/T 35275 SignedData): the SM3 of Signature.xml either
 * in a messageDigest attribute, the attributes signed (as a SET), or as the content, itself
 * signed. */
static void ofd_check_signed_data(struct ofd_check *c, const ses_signed_data *d)
{
    eseal_verdict *v = &c->out->verdict;
    unsigned char digest[EVP_MAX_MD_SIZE], *attrs = NULL;
    unsigned int digest_len;
    const ses_bytes *carried = d->attrs.len ? &d->message_digest : &d->content;
    X509 *cert = ofd_find_cert(d);
    int ok;

    if (cert == NULL) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR,
                          "the signer's certificate is not included in the signature");
        goto done;
    }
    eseal_x509_name(X509_get_subject_name(cert), v->signer, sizeof(v->signer));
    eseal_x509_name(X509_get_issuer_name(cert), v->issuer, sizeof(v->issuer));
    if (!EVP_Digest(c->sig_file->data, c->sig_file->len, digest, &digest_len, EVP_sm3(), NULL) ||
        carried->len != digest_len || memcmp(carried->data, digest, digest_len) != 0) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL, "reference-mismatch:/%s (messageDigest)",
                          c->sig_file->name);
        goto done;
    }
    if (d->attrs.len > 0) { /* signed as a SET OF Attribute: the [0] tag becomes SET */
        if ((attrs = malloc(d->attrs.len)) == NULL) {
            eseal_verdict_set(v, ESEAL_RESULT_ERROR, "out of memory");
            goto done;
        }
        memcpy(attrs, d->attrs.data, d->attrs.len);
        attrs[0] = 0x31;
        ok = ofd_sm2_verify(cert, attrs, d->attrs.len, &d->signature);
    } else {
        ok = ofd_sm2_verify(cert, digest, digest_len, &d->signature);
    }
    if (!ok) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL, "the SM2 signature does not verify");
        goto done;
    }
    if (!ofd_check_coverage(c) || !verify_cert_chain(c->trust, cert, NULL, 0, v))
        goto done;
    eseal_verdict_set(v, ESEAL_RESULT_PASS, "valid signature");
done:
    free(attrs);
    X509_free(cert);
}

/* One Signature.xml (kind "Seal" or "Sign" from Signatures.xml). */
static void ofd_check_signature(struct ofd_check *c)
{
    eseal_verdict *v = &c->out->verdict;
    eseal_error why;
    xmlDoc *doc = ofd_xml(c->sig_file, &why);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    const xmlNode *info = ofd_child(root, "SignedInfo");
    char ref[OFD_PATH_MAX], path[OFD_PATH_MAX], method[64] = "";
    const ofd_file *value;
    ses_signature s;
    ses_signed_data d;

    if (doc == NULL || info == NULL) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "%s",
                          doc == NULL ? why.message : "Signature.xml without SignedInfo");
        goto done;
    }
    ofd_text(ofd_child(info, "SignatureMethod"), method, sizeof(method));
    if (!ofd_check_references(c, info))
        goto done;
    if (ofd_text(ofd_child(root, "SignedValue"), ref, sizeof(ref)) != 0 ||
        (value = ofd_resolve(c->pkg, c->sig_file->name, ref, path, sizeof(path))) == NULL) {
        eseal_verdict_set(v, ESEAL_RESULT_FAIL, "reference-missing:%s (SignedValue)", ref);
        goto done;
    }
    if (strcmp(c->out->kind, "Sign") == 0) {
        if (ses_parse_signed_data(value->data, value->len, &d, &why) == ESEAL_OK)
            ofd_check_signed_data(c, &d);
        else if (value->len > 0 && value->len < 80 && value->data[0] == 0x30)
            eseal_verdict_set(v, ESEAL_RESULT_ERROR,
                              "a bare SM2 signature: without its certificate it cannot be checked");
        else
            eseal_verdict_set(v, ESEAL_RESULT_ERROR, "/%s: %s", value->name, why.message);
    } else if (ses_parse(value->data, value->len, &s, &why) != ESEAL_OK) {
        eseal_verdict_set(v, ESEAL_RESULT_ERROR, "/%s: %s", value->name, why.message);
    } else {
        ofd_check_ses(c, &s);
    }
done:
    xmlFreeDoc(doc);
}

/* The signatures of the Signatures.xml that sigs_file is: append to *sigs. */
static int ofd_check_list(const ofd_package *pkg, const eseal_trust *trust,
                          const ofd_file *sigs_file, size_t *hash_budget,
                          const ofd_file *const *roots, size_t root_count,
                          eseal_ofd_signature **sigs, size_t *count, eseal_error *err)
{
    xmlDoc *doc = ofd_xml(sigs_file, err);
    const xmlNode *node;
    struct ofd_check c = {pkg, trust, NULL, NULL, NULL, hash_budget, roots, root_count};
    char loc[OFD_PATH_MAX], path[OFD_PATH_MAX];
    int rc = ESEAL_OK;

    if (doc == NULL)
        return ESEAL_ERR_FORMAT;
    c.covered = calloc(ofd_package_count(pkg) + 1, 1);
    if (c.covered == NULL)
        rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    for (node = ofd_child(xmlDocGetRootElement(doc), "Signature"); rc == ESEAL_OK && node != NULL;
         node = ofd_next(node)) {
        eseal_ofd_signature *grown;
        if (*count == OFD_SIGNATURES_MAX) {
            rc = eseal_error_set(err, ESEAL_ERR_LIMIT, "more than %d signatures",
                                 OFD_SIGNATURES_MAX);
            break;
        }
        grown = realloc(*sigs, (*count + 1) * sizeof(**sigs));
        if (grown == NULL) {
            rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
            break;
        }
        *sigs = grown;
        c.out = &grown[(*count)++];
        memset(c.out, 0, sizeof(*c.out));
        memset(c.covered, 0, ofd_package_count(pkg));
        if (ofd_attr(node, "Type", c.out->kind, sizeof(c.out->kind)) != 0)
            snprintf(c.out->kind, sizeof(c.out->kind), "Seal"); /* the attribute's default */
        if (ofd_attr(node, "BaseLoc", loc, sizeof(loc)) != 0 ||
            (c.sig_file = ofd_resolve(pkg, sigs_file->name, loc, path, sizeof(path))) == NULL) {
            snprintf(c.out->path, sizeof(c.out->path), "%.250s", loc);
            eseal_verdict_set(&c.out->verdict, ESEAL_RESULT_FAIL,
                              "reference-missing:%s (Signature.xml)", loc);
            continue;
        }
        snprintf(c.out->path, sizeof(c.out->path), "/%.250s", c.sig_file->name);
        ofd_check_signature(&c);
    }
    free(c.covered);
    xmlFreeDoc(doc);
    return rc;
}

int eseal_ofd_is_ofd(const unsigned char *data, size_t len)
{
    static const char name[] = "OFD.xml";

    if (len < 30 || memcmp(data, "PK\003\004", 4) != 0)
        return 0;
    /* a local or central directory entry called OFD.xml */
    return memmem(data, len, name, sizeof(name) - 1) != NULL;
}

int eseal_ofd_verify(const eseal_trust *trust, const unsigned char *data, size_t len,
                     eseal_ofd_signature **sigs, size_t *count, eseal_error *err)
{
    ofd_package *pkg;
    xmlDoc *doc;
    const xmlNode *body;
    const ofd_file *list;
    char ref[OFD_PATH_MAX], path[OFD_PATH_MAX];
    size_t hash_budget = OFD_HASHED_MAX;
    int rc;

    *sigs = NULL;
    *count = 0;
    if (len > ESEAL_OFD_DOCUMENT_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "OFD document larger than %zu bytes",
                               ESEAL_OFD_DOCUMENT_MAX);
    rc = ofd_package_open(&pkg, data, len, err);
    if (rc != ESEAL_OK)
        return rc;
    doc = ofd_xml(ofd_package_find(pkg, "OFD.xml"), err);
    rc = doc != NULL ? ESEAL_OK : ESEAL_ERR_FORMAT;
    for (body = doc ? ofd_child(xmlDocGetRootElement(doc), "DocBody") : NULL;
         rc == ESEAL_OK && body != NULL; body = ofd_next(body)) {
        const ofd_file *root = NULL;
        if (ofd_text(ofd_child(body, "Signatures"), ref, sizeof(ref)) != 0)
            continue; /* a document without signatures */
        list = ofd_resolve(pkg, "OFD.xml", ref, path, sizeof(path));
        if (list == NULL) {
            rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "OFD.xml names %s, which is missing", ref);
            break;
        }
        /* the document its signatures seal: what a reader shows starts there */
        if (ofd_text(ofd_child(body, "DocRoot"), ref, sizeof(ref)) == 0)
            root = ofd_resolve(pkg, "OFD.xml", ref, path, sizeof(path));
        rc = ofd_check_list(pkg, trust, list, &hash_budget, &root, root != NULL, sigs, count, err);
    }
    xmlFreeDoc(doc);
    ofd_package_free(pkg);
    if (rc != ESEAL_OK) {
        free(*sigs);
        *sigs = NULL;
        *count = 0;
    }
    return rc;
}
