/* ses.c - parse SES_Signature (GB/T 38540-2020 v4, GM/T 0031-2014 v1) and GB/T 35275
 * SignedData from DER.
 *
 * SECURITY: the DER is a SignedValue.dat from a mail attachment.  It is walked with a cursor
 * over OpenSSL's TLV reader (ASN1_get_object), which checks every length against what is
 * left; indefinite lengths (not DER) are refused, every element must have the expected tag
 * in the expected place, strings are copied only into fixed buffers with their length
 * checked, and nothing may follow the outer SEQUENCE.  Nothing is allocated: the result
 * points into the input. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "error_int.h"
#include "ses_int.h"

/* A cursor over the contents of one constructed element. */
struct der {
    const unsigned char *p, *end;
    const unsigned char *base; /* the whole input, for offsets in messages */
};

/* One element read from a cursor. */
struct der_elem {
    int tag, cls, constructed;
    ses_bytes content, whole;
};

/* Read the next element at c, which must have universal tag (or, with cls
 * V_ASN1_CONTEXT_SPECIFIC, that context tag). */
static int der_get(struct der *c, int tag, int cls, const char *what, struct der_elem *e,
                   eseal_error *err)
{
    const unsigned char *q = c->p;
    long len;
    int r;

    if (c->p >= c->end)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "SES signature: %s missing at byte %zu", what,
                               (size_t)(c->p - c->base));
    r = ASN1_get_object(&q, &len, &e->tag, &e->cls, c->end - c->p);
    if ((r & 0x80) || (r & 1))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "SES signature: bad DER (length or indefinite form) at byte %zu",
                               (size_t)(c->p - c->base));
    if (e->tag != tag || e->cls != cls)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "SES signature: expected %s at byte %zu (tag %d, class %d found)",
                               what, (size_t)(c->p - c->base), e->tag, e->cls >> 6);
    e->constructed = (r & V_ASN1_CONSTRUCTED) != 0;
    e->content.data = q;
    e->content.len = (size_t)len;
    e->whole.data = c->p;
    e->whole.len = (size_t)(q + len - c->p);
    c->p = q + len;
    return ESEAL_OK;
}

/* Whether an element with context tag follows at c. */
static int der_next_is_context(const struct der *c, int tag)
{
    return c->p < c->end && *c->p == (0xa0 | tag);
}

/* Enter a SEQUENCE: *inner walks its contents; *whole (may be NULL) is the element. */
static int der_seq(struct der *c, const char *what, struct der *inner, ses_bytes *whole,
                   eseal_error *err)
{
    struct der_elem e;
    int rc = der_get(c, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL, what, &e, err);

    if (rc != ESEAL_OK)
        return rc;
    if (!e.constructed)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "SES signature: %s is not constructed", what);
    inner->p = e.content.data;
    inner->end = e.content.data + e.content.len;
    inner->base = c->base;
    if (whole != NULL)
        *whole = e.whole;
    return ESEAL_OK;
}

/* The cursor must be used up. */
static int der_end(const struct der *c, const char *what, eseal_error *err)
{
    if (c->p != c->end)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "SES signature: unexpected data at byte %zu, at the end of %s",
                               (size_t)(c->p - c->base), what);
    return ESEAL_OK;
}

static int der_int(struct der *c, const char *what, long *out, eseal_error *err)
{
    struct der_elem e;
    size_t i;
    int rc = der_get(c, V_ASN1_INTEGER, V_ASN1_UNIVERSAL, what, &e, err);

    if (rc != ESEAL_OK)
        return rc;
    if (e.content.len == 0 || e.content.len > 4 || (e.content.data[0] & 0x80))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "SES signature: %s is not a small non-negative integer", what);
    *out = 0;
    for (i = 0; i < e.content.len; i++)
        *out = (*out << 8) | e.content.data[i];
    return ESEAL_OK;
}

/* A string of the given type into buf (size bytes): no NUL inside, must fit. */
static int der_string(struct der *c, int tag, const char *what, char *buf, size_t size,
                      eseal_error *err)
{
    struct der_elem e;
    int rc = der_get(c, tag, V_ASN1_UNIVERSAL, what, &e, err);

    if (rc != ESEAL_OK)
        return rc;
    if (e.content.len >= size || memchr(e.content.data, '\0', e.content.len) != NULL)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "SES signature: %s is longer than %zu bytes or holds a NUL", what,
                               size - 1);
    memcpy(buf, e.content.data, e.content.len);
    buf[e.content.len] = '\0';
    return ESEAL_OK;
}

static int der_bytes(struct der *c, int tag, const char *what, ses_bytes *out, eseal_error *err)
{
    struct der_elem e;
    int rc = der_get(c, tag, V_ASN1_UNIVERSAL, what, &e, err);

    if (rc == ESEAL_OK)
        *out = e.content;
    return rc;
}

/* A BIT STRING with no unused bits: its bytes. */
static int der_bits(struct der *c, const char *what, ses_bytes *out, eseal_error *err)
{
    int rc = der_bytes(c, V_ASN1_BIT_STRING, what, out, err);

    if (rc != ESEAL_OK)
        return rc;
    if (out->len == 0 || out->data[0] != 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "SES signature: %s is not a whole number of bytes", what);
    out->data++;
    out->len--;
    return ESEAL_OK;
}

static int der_oid(struct der *c, const char *what, char *buf, size_t size, eseal_error *err)
{
    struct der_elem e;
    ASN1_OBJECT *obj;
    const unsigned char *p;
    int rc = der_get(c, V_ASN1_OBJECT, V_ASN1_UNIVERSAL, what, &e, err);

    if (rc != ESEAL_OK)
        return rc;
    p = e.whole.data;
    obj = d2i_ASN1_OBJECT(NULL, &p, (long)e.whole.len);
    if (obj == NULL || OBJ_obj2txt(buf, (int)size, obj, 1) <= 0 || strlen(buf) >= size - 1) {
        ASN1_OBJECT_free(obj);
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "SES signature: %s is not an OID", what);
    }
    ASN1_OBJECT_free(obj);
    return ESEAL_OK;
}

/* A UTCTime or GeneralizedTime. */
static int der_time(struct der *c, const char *what, time_t *out, eseal_error *err)
{
    struct tm tm;
    ASN1_TIME *t;
    const unsigned char *p = c->p, *q = c->p;
    long len;
    int tag, cls, r;

    if (c->p >= c->end)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "SES signature: %s missing", what);
    r = ASN1_get_object(&q, &len, &tag, &cls, c->end - c->p);
    if ((r & 0x80) || cls != V_ASN1_UNIVERSAL ||
        (tag != V_ASN1_UTCTIME && tag != V_ASN1_GENERALIZEDTIME))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "SES signature: expected %s (a time) at byte %zu", what,
                               (size_t)(c->p - c->base));
    t = d2i_ASN1_TIME(NULL, &p, c->end - c->p);
    if (t == NULL || !ASN1_TIME_to_tm(t, &tm)) {
        ASN1_TIME_free(t);
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "SES signature: %s is not a valid time",
                               what);
    }
    ASN1_TIME_free(t);
    *out = timegm(&tm);
    c->p = p;
    return ESEAL_OK;
}

/* GM/T 0031's timeInfo: a BIT STRING holding "YYYYMMDDhhmmss" (optionally more), UTC. */
static int ses_v1_time(struct der *c, ses_signature *s, eseal_error *err)
{
    ses_bytes b;
    struct tm tm;
    char text[16];
    int rc = der_bits(c, "timeInfo", &b, err);

    if (rc != ESEAL_OK)
        return rc;
    memset(&tm, 0, sizeof(tm));
    if (b.len >= 14) {
        memcpy(text, b.data, 14);
        text[14] = '\0';
        if (strspn(text, "0123456789") == 14 &&
            sscanf(text, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                   &tm.tm_min, &tm.tm_sec) == 6) {
            tm.tm_year -= 1900;
            tm.tm_mon -= 1;
            s->time = timegm(&tm);
            s->has_time = 1;
        }
    }
    return ESEAL_OK;
}

/* SES_SealInfo: header, esID, property, picture, extDatas. */
static int ses_seal_info(struct der *c, ses_signature *s, eseal_error *err)
{
    struct der info, header, property, picture;
    char text[64];
    time_t created;
    long n;
    int rc = der_seq(c, "SES_SealInfo", &info, &s->seal_info, err);

    if (rc == ESEAL_OK)
        rc = der_seq(&info, "SES_Header", &header, NULL, err);
    if (rc == ESEAL_OK)
        rc = der_string(&header, V_ASN1_IA5STRING, "SES_Header.ID", text, sizeof(text), err);
    if (rc == ESEAL_OK && strcmp(text, "ES") != 0)
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "SES signature: SES_Header.ID is not \"ES\"");
    if (rc == ESEAL_OK)
        rc = der_int(&header, "SES_Header.version", &n, err);
    if (rc == ESEAL_OK)
        rc = der_string(&header, V_ASN1_IA5STRING, "SES_Header.Vid", text, sizeof(text), err);
    if (rc == ESEAL_OK)
        rc = der_end(&header, "SES_Header", err);
    if (rc == ESEAL_OK)
        rc = der_string(&info, V_ASN1_IA5STRING, "esID", s->es_id, sizeof(s->es_id), err);
    if (rc == ESEAL_OK)
        rc = der_seq(&info, "SES_ESPropertyInfo", &property, NULL, err);
    if (rc == ESEAL_OK)
        rc = der_int(&property, "property type", &s->seal_type, err);
    if (rc == ESEAL_OK)
        rc = der_string(&property, V_ASN1_UTF8STRING, "seal name", s->seal_name,
                        sizeof(s->seal_name), err);
    if (rc == ESEAL_OK && s->version == 4) {
        rc = der_int(&property, "certListType", &n, err);
        s->cert_list_type = (int)n;
    } else {
        s->cert_list_type = 1;
    }
    if (rc == ESEAL_OK && s->cert_list_type != 1 && s->cert_list_type != 2)
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "SES signature: certListType %d unknown",
                             s->cert_list_type);
    if (rc == ESEAL_OK)
        rc = der_bytes(&property, V_ASN1_SEQUENCE, "certList", &s->cert_list, err);
    if (rc == ESEAL_OK)
        rc = der_time(&property, "createDate", &created, err);
    if (rc == ESEAL_OK)
        rc = der_time(&property, "validStart", &s->valid_start, err);
    if (rc == ESEAL_OK)
        rc = der_time(&property, "validEnd", &s->valid_end, err);
    if (rc == ESEAL_OK)
        rc = der_end(&property, "SES_ESPropertyInfo", err);
    if (rc == ESEAL_OK)
        rc = der_seq(&info, "SES_ESPictureInfo", &picture, NULL, err);
    if (rc == ESEAL_OK && info.p < info.end) /* extDatas: not read */
        rc = der_seq(&info, "extDatas", &picture, NULL, err);
    if (rc == ESEAL_OK)
        rc = der_end(&info, "SES_SealInfo", err);
    return rc;
}

/* SESeal: v4 {info, cert, signAlgID, signedValue}; v1 {info, SES_SignInfo {cert, alg, data}}. */
static int ses_seal(struct der *c, ses_signature *s, eseal_error *err)
{
    struct der seal, sign_info, *maker = &seal;
    const unsigned char *cert_at, *alg_at;
    int rc = der_seq(c, "SESeal", &seal, NULL, err);

    if (rc == ESEAL_OK)
        rc = ses_seal_info(&seal, s, err);
    if (rc == ESEAL_OK && s->version == 1) {
        rc = der_seq(&seal, "SES_SignInfo", &sign_info, NULL, err);
        maker = &sign_info;
    }
    if (rc != ESEAL_OK)
        return rc;
    cert_at = maker->p;
    rc = der_bytes(maker, V_ASN1_OCTET_STRING, "the seal maker's certificate", &s->maker_cert, err);
    alg_at = maker->p;
    if (rc == ESEAL_OK)
        rc = der_oid(maker, "the seal's signature algorithm", s->maker_alg, sizeof(s->maker_alg),
                     err);
    s->maker_cert_der.data = cert_at;
    s->maker_cert_der.len = (size_t)(alg_at - cert_at);
    s->maker_alg_der.data = alg_at;
    s->maker_alg_der.len = (size_t)(maker->p - alg_at);
    if (rc == ESEAL_OK)
        rc = der_bits(maker, "the seal's signature", &s->maker_signature, err);
    if (rc == ESEAL_OK && maker != &seal)
        rc = der_end(maker, "SES_SignInfo", err);
    if (rc == ESEAL_OK)
        rc = der_end(&seal, "SESeal", err);
    return rc;
}

int ses_parse(const unsigned char *der, size_t len, ses_signature *s, eseal_error *err)
{
    struct der top = {der, der + len, der}, sig, tbs, peek;
    struct der_elem e;
    long version;
    int rc;

    memset(s, 0, sizeof(*s));
    rc = der_seq(&top, "SES_Signature", &sig, NULL, err);
    if (rc == ESEAL_OK)
        rc = der_end(&top, "the file", err);
    if (rc == ESEAL_OK)
        rc = der_seq(&sig, "TBS_Sign", &tbs, &s->tbs, err);
    if (rc == ESEAL_OK) {
        peek = tbs;
        rc = der_int(&peek, "TBS_Sign.version", &version, err);
    }
    if (rc != ESEAL_OK)
        return rc;
    if (version < 1 || version > 4)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "SES signature: version %ld unknown",
                               version);
    s->version = version == 4 ? 4 : 1;
    tbs = peek;
    rc = ses_seal(&tbs, s, err);
    if (rc == ESEAL_OK)
        rc =
            s->version == 4 ? der_time(&tbs, "timeInfo", &s->time, err) : ses_v1_time(&tbs, s, err);
    if (rc == ESEAL_OK && s->version == 4)
        s->has_time = 1;
    if (rc == ESEAL_OK)
        rc = der_bits(&tbs, "dataHash", &s->data_hash, err);
    if (rc == ESEAL_OK)
        rc = der_string(&tbs, V_ASN1_IA5STRING, "propertyInfo", s->property_info,
                        sizeof(s->property_info), err);
    if (rc == ESEAL_OK && s->version == 1) {
        rc = der_bytes(&tbs, V_ASN1_OCTET_STRING, "the signer's certificate", &s->signer_cert, err);
        if (rc == ESEAL_OK)
            rc = der_oid(&tbs, "signatureAlgorithm", s->sig_alg, sizeof(s->sig_alg), err);
    }
    if (rc == ESEAL_OK && s->version == 4 && der_next_is_context(&tbs, 0))
        rc = der_get(&tbs, 0, V_ASN1_CONTEXT_SPECIFIC, "extDatas", &e, err);
    if (rc == ESEAL_OK)
        rc = der_end(&tbs, "TBS_Sign", err);
    if (rc == ESEAL_OK && s->version == 4) {
        rc = der_bytes(&sig, V_ASN1_OCTET_STRING, "the signer's certificate", &s->signer_cert, err);
        if (rc == ESEAL_OK)
            rc = der_oid(&sig, "signatureAlgID", s->sig_alg, sizeof(s->sig_alg), err);
    }
    if (rc == ESEAL_OK)
        rc = der_bits(&sig, "signature", &s->signature, err);
    if (rc == ESEAL_OK && s->version == 4 && der_next_is_context(&sig, 0))
        rc = der_get(&sig, 0, V_ASN1_CONTEXT_SPECIFIC, "timeStamp", &e, err);
    if (rc == ESEAL_OK)
        rc = der_end(&sig, "SES_Signature", err);
    return rc;
}

int ses_parse_seal(const unsigned char *der, size_t len, ses_signature *out, eseal_error *err)
{
    struct der top = {der, der + len, der};
    int rc;

    memset(out, 0, sizeof(*out));
    out->version = 4;
    rc = ses_seal(&top, out, err);
    return rc == ESEAL_OK ? der_end(&top, "the SESeal file", err) : rc;
}

int ses_cert_listed(const ses_signature *s, const unsigned char *cert, size_t cert_len)
{
    struct der list = {s->cert_list.data, s->cert_list.data + s->cert_list.len, s->cert_list.data};
    struct der_elem e;

    while (list.p < list.end) {
        if (s->cert_list_type == 1) {
            if (der_get(&list, V_ASN1_OCTET_STRING, V_ASN1_UNIVERSAL, "a listed certificate", &e,
                        NULL) != ESEAL_OK)
                return 0;
            if (e.content.len == cert_len && memcmp(e.content.data, cert, cert_len) == 0)
                return 1;
        } else {
            /* CertDigestObj ::= SEQUENCE { type PrintableString, value OCTET STRING } */
            struct der obj;
            char type[32];
            ses_bytes value;
            unsigned char md[EVP_MAX_MD_SIZE];
            unsigned int md_len;
            const EVP_MD *alg;
            if (der_seq(&list, "CertDigestObj", &obj, NULL, NULL) != ESEAL_OK ||
                der_string(&obj, V_ASN1_PRINTABLESTRING, "digest type", type, sizeof(type), NULL) !=
                    ESEAL_OK ||
                der_bytes(&obj, V_ASN1_OCTET_STRING, "digest", &value, NULL) != ESEAL_OK)
                return 0;
            alg = EVP_get_digestbyname(strcmp(type, "SM3") == 0 ? "SM3" : type);
            if (alg != NULL && EVP_Digest(cert, cert_len, md, &md_len, alg, NULL) &&
                md_len == value.len && memcmp(md, value.data, md_len) == 0)
                return 1;
        }
    }
    return 0;
}

/* Skip one element of any tag at c (an AlgorithmIdentifier, a SET of them). */
static int der_skip(struct der *c, int tag, const char *what, eseal_error *err)
{
    struct der_elem e;

    return der_get(c, tag, V_ASN1_UNIVERSAL, what, &e, err);
}

/* In the authenticatedAttributes contents attrs, the value of messageDigest
 * (1.2.840.113549.1.9.4): SET { OCTET STRING }. */
static int ses_message_digest(const ses_bytes *attrs, ses_bytes *out, eseal_error *err)
{
    struct der list = {attrs->data, attrs->data + attrs->len, attrs->data}, attr, values;
    struct der_elem e;
    char oid[64];
    int rc = ESEAL_OK;

    while (rc == ESEAL_OK && list.p < list.end) {
        rc = der_seq(&list, "an authenticated attribute", &attr, NULL, err);
        if (rc == ESEAL_OK)
            rc = der_oid(&attr, "the attribute's type", oid, sizeof(oid), err);
        if (rc == ESEAL_OK)
            rc = der_get(&attr, V_ASN1_SET, V_ASN1_UNIVERSAL, "the attribute's values", &e, err);
        if (rc != ESEAL_OK || strcmp(oid, "1.2.840.113549.1.9.4") != 0)
            continue;
        values.p = e.content.data;
        values.end = e.content.data + e.content.len;
        values.base = list.base;
        rc = der_bytes(&values, V_ASN1_OCTET_STRING, "messageDigest", out, err);
        if (rc == ESEAL_OK)
            rc = der_end(&values, "messageDigest's values", err);
        return rc;
    }
    return rc;
}

int ses_parse_signed_data(const unsigned char *der, size_t len, ses_signed_data *out,
                          eseal_error *err)
{
    struct der top = {der, der + len, der}, info, sd, content_info, signers, signer, issuer_sn;
    struct der_elem e;
    char oid[64];
    long version;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = der_seq(&top, "ContentInfo", &info, NULL, err);
    if (rc == ESEAL_OK)
        rc = der_end(&top, "the file", err);
    if (rc == ESEAL_OK)
        rc = der_oid(&info, "contentType", oid, sizeof(oid), err);
    if (rc == ESEAL_OK && strcmp(oid, "1.2.156.10197.6.1.4.2.2") != 0)
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "not a GB/T 35275 SignedData (content type %s)",
                             oid);
    if (rc == ESEAL_OK)
        rc = der_get(&info, 0, V_ASN1_CONTEXT_SPECIFIC, "[0] content", &e, err);
    if (rc != ESEAL_OK)
        return rc;
    info.p = e.content.data;
    info.end = e.content.data + e.content.len;
    rc = der_seq(&info, "SignedData", &sd, NULL, err);
    if (rc == ESEAL_OK)
        rc = der_int(&sd, "SignedData.version", &version, err);
    if (rc == ESEAL_OK)
        rc = der_skip(&sd, V_ASN1_SET, "digestAlgorithms", err);
    if (rc == ESEAL_OK)
        rc = der_seq(&sd, "contentInfo", &content_info, NULL, err);
    if (rc == ESEAL_OK)
        rc = der_oid(&content_info, "the content's type", oid, sizeof(oid), err);
    if (rc == ESEAL_OK && der_next_is_context(&content_info, 0)) {
        struct der inner;
        rc = der_get(&content_info, 0, V_ASN1_CONTEXT_SPECIFIC, "[0] the content", &e, err);
        inner.p = e.content.data;
        inner.end = e.content.data + e.content.len;
        inner.base = der;
        if (rc == ESEAL_OK)
            rc = der_bytes(&inner, V_ASN1_OCTET_STRING, "the content", &out->content, err);
    }
    if (rc == ESEAL_OK && der_next_is_context(&sd, 0)) {
        rc = der_get(&sd, 0, V_ASN1_CONTEXT_SPECIFIC, "certificates", &e, err);
        out->certs = e.content;
    }
    if (rc == ESEAL_OK && der_next_is_context(&sd, 1))
        rc = der_get(&sd, 1, V_ASN1_CONTEXT_SPECIFIC, "crls", &e, err);
    if (rc == ESEAL_OK)
        rc = der_get(&sd, V_ASN1_SET, V_ASN1_UNIVERSAL, "signerInfos", &e, err);
    if (rc == ESEAL_OK)
        rc = der_end(&sd, "SignedData", err);
    if (rc != ESEAL_OK)
        return rc;
    signers.p = e.content.data;
    signers.end = e.content.data + e.content.len;
    signers.base = der;
    rc = der_seq(&signers, "SignerInfo", &signer, NULL, err);
    if (rc == ESEAL_OK && signers.p != signers.end)
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "a GB/T 35275 signature with several signers");
    if (rc == ESEAL_OK)
        rc = der_int(&signer, "SignerInfo.version", &version, err);
    if (rc == ESEAL_OK)
        rc = der_seq(&signer, "issuerAndSerialNumber", &issuer_sn, NULL, err);
    if (rc == ESEAL_OK && (rc = der_get(&issuer_sn, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL, "the issuer",
                                        &e, err)) == ESEAL_OK)
        out->issuer = e.whole;
    if (rc == ESEAL_OK)
        rc = der_bytes(&issuer_sn, V_ASN1_INTEGER, "the serial number", &out->serial, err);
    if (rc == ESEAL_OK)
        rc = der_end(&issuer_sn, "issuerAndSerialNumber", err);
    if (rc == ESEAL_OK)
        rc = der_skip(&signer, V_ASN1_SEQUENCE, "digestAlgorithm", err);
    if (rc == ESEAL_OK && der_next_is_context(&signer, 0)) {
        rc = der_get(&signer, 0, V_ASN1_CONTEXT_SPECIFIC, "authenticatedAttributes", &e, err);
        out->attrs = e.whole;
        if (rc == ESEAL_OK)
            rc = ses_message_digest(&e.content, &out->message_digest, err);
    }
    if (rc == ESEAL_OK)
        rc = der_skip(&signer, V_ASN1_SEQUENCE, "digestEncryptionAlgorithm", err);
    if (rc == ESEAL_OK)
        rc = der_bytes(&signer, V_ASN1_OCTET_STRING, "encryptedDigest", &out->signature, err);
    if (rc == ESEAL_OK && der_next_is_context(&signer, 1))
        rc = der_get(&signer, 1, V_ASN1_CONTEXT_SPECIFIC, "unauthenticatedAttributes", &e, err);
    if (rc == ESEAL_OK)
        rc = der_end(&signer, "SignerInfo", err);
    return rc;
}
