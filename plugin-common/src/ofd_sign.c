/* ofd_sign.c - seal an OFD document with an SES seal (GB/T 38540-2020 v4, SM2/SM3).
 *
 * A new Doc_N/Signs/Sign_K/ holds Signature.xml (a Reference, with its SM3, to every file of
 * the package but the signature lists and the other signatures' own files, and a StampAnnot
 * that places the seal's picture) and SignedValue.dat (the SES_Signature: the organisation's
 * SESeal as its seal authority issued it, the time, the SM3 of Signature.xml, signed with the
 * seal's SM2 key).  Signatures.xml gains the new signature (and OFD.xml names Signatures.xml
 * when the document had none); no file an earlier signature covers is changed but these two.
 *
 * SECURITY: the OFD comes from a mail attachment; it is read by ofd.c (caps, clean names, no
 * entities) and only the two XML files above are rewritten, through libxml2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <archive.h>
#include <archive_entry.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "buf_int.h"
#include "eseal/ofd.h"
#include "error_int.h"
#include "ofd_int.h"
#include "seal_int.h"
#include "ses_int.h"

#define OFD_SIGN_MAX ((size_t)96 * 1024 * 1024) /* the sealed package */
#define OFD_SIGNS_MAX 1000                      /* Sign_K directories looked for */
#define OFD_SIGN_ID_MAX 1000000                 /* signature IDs */
#define OFD_NS "http://www.ofdspec.org/2016"

/* --- DER ---------------------------------------------------------------------------- */

static void der_put(eseal_buf *b, int tag, const unsigned char *data, size_t len)
{
    unsigned char head[6];
    size_t n = 0;

    head[n++] = (unsigned char)tag;
    if (len < 0x80) {
        head[n++] = (unsigned char)len;
    } else if (len < 0x100) {
        head[n++] = 0x81;
        head[n++] = (unsigned char)len;
    } else if (len < 0x10000) {
        head[n++] = 0x82;
        head[n++] = (unsigned char)(len >> 8);
        head[n++] = (unsigned char)len;
    } else {
        head[n++] = 0x83;
        head[n++] = (unsigned char)(len >> 16);
        head[n++] = (unsigned char)(len >> 8);
        head[n++] = (unsigned char)len;
    }
    eseal_buf_append(b, head, n);
    eseal_buf_append(b, data, len);
}

/* Wrap the bytes of inner (a buffer of DER elements) as one element of tag into b. */
static void der_wrap(eseal_buf *b, int tag, eseal_buf *inner)
{
    der_put(b, tag, inner->data, inner->len);
    eseal_buf_free(inner);
}

static void der_bits(eseal_buf *b, const unsigned char *data, size_t len)
{
    unsigned char *v = malloc(len + 1);

    if (v == NULL) {
        if (!b->failed)
            b->failed = ESEAL_ERR_NOMEM;
        return;
    }
    v[0] = 0;
    memcpy(v + 1, data, len);
    der_put(b, V_ASN1_BIT_STRING, v, len + 1);
    free(v);
}

static const unsigned char der_sm2_sm3[] = {0x06, 0x08, 0x2a, 0x81, 0x1c,
                                            0xcf, 0x55, 0x01, 0x83, 0x75}; /* 1.2.156.10197.1.501 */

/* --- the package ------------------------------------------------------------------- */

/* A file written into the sealed package: the input's, or a new one. */
struct sign_file {
    const char *name;
    const unsigned char *data;
    size_t len;
};

struct sign_ctx {
    const ofd_package *pkg;
    char doc_dir[OFD_PATH_MAX];    /* "Doc_0" */
    char signs_path[OFD_PATH_MAX]; /* Doc_0/Signs/Signatures.xml */
    char sign_dir[OFD_PATH_MAX];   /* Doc_0/Signs/Sign_K */
    int has_list;                  /* the document had a Signatures.xml */
    xmlChar *ofd_xml;              /* OFD.xml rewritten (when it had no Signatures), or NULL */
    int ofd_xml_len;
    xmlChar *list_xml; /* the new Signatures.xml */
    int list_xml_len;
    char page_id[32]; /* the first page's ID, for the StampAnnot */
};

/* Whether name is a file of an existing signature (its Signature.xml, SignedValue.dat, seal
 * picture) or a signature list: not covered, so that later signatures keep ours valid. */
static int sign_not_covered(const char *name)
{
    return strstr(name, "/Signs/") != NULL || strncmp(name, "Signs/", 6) == 0;
}

/* Find the first document, its Signatures.xml (or where it goes), a free Sign_K and the
 * first page's ID. */
static int sign_locate(struct sign_ctx *c, xmlDoc *ofd, eseal_error *err)
{
    xmlNode *body = ofd_child(xmlDocGetRootElement(ofd), "DocBody");
    char root[OFD_PATH_MAX], ref[OFD_PATH_MAX], path[OFD_PATH_MAX], *slash;
    const ofd_file *doc, *list;
    xmlDoc *docxml;
    int k;

    if (body == NULL || ofd_text(ofd_child(body, "DocRoot"), ref, sizeof(ref)) != 0 ||
        (doc = ofd_resolve(c->pkg, "OFD.xml", ref, root, sizeof(root))) == NULL)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "OFD.xml names no readable document");
    snprintf(c->doc_dir, sizeof(c->doc_dir), "%s", doc->name);
    slash = strrchr(c->doc_dir, '/');
    if (slash == NULL)
        return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED,
                               "the document is at the package's root: not sealed in place");
    *slash = '\0';
    if (ofd_text(ofd_child(body, "Signatures"), ref, sizeof(ref)) == 0) {
        if ((list = ofd_resolve(c->pkg, "OFD.xml", ref, path, sizeof(path))) == NULL)
            return eseal_error_set(err, ESEAL_ERR_FORMAT, "OFD.xml names %s, which is missing",
                                   ref);
        snprintf(c->signs_path, sizeof(c->signs_path), "%s", list->name);
        c->has_list = 1;
    } else {
        snprintf(c->signs_path, sizeof(c->signs_path), "%.900s/Signs/Signatures.xml", c->doc_dir);
        if (ofd_package_find(c->pkg, c->signs_path) != NULL)
            return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED,
                                   "%s exists but OFD.xml does not name it", c->signs_path);
    }
    for (k = 0; k < OFD_SIGNS_MAX; k++) {
        char probe[OFD_PATH_MAX + 32];
        size_t i;
        int used = 0;
        snprintf(c->sign_dir, sizeof(c->sign_dir), "%.900s/Signs/Sign_%d", c->doc_dir, k);
        snprintf(probe, sizeof(probe), "%s/", c->sign_dir);
        for (i = 0; i < ofd_package_count(c->pkg) && !used; i++)
            used = strncmp(ofd_package_file(c->pkg, i)->name, probe, strlen(probe)) == 0;
        if (!used)
            break;
    }
    if (k == OFD_SIGNS_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "more than %d signatures", OFD_SIGNS_MAX);
    /* the StampAnnot's page: the first one */
    snprintf(c->page_id, sizeof(c->page_id), "1");
    if ((docxml = ofd_xml(doc, NULL)) != NULL) {
        xmlNode *page = ofd_child(ofd_child(xmlDocGetRootElement(docxml), "Pages"), "Page");
        ofd_attr(page, "ID", c->page_id, sizeof(c->page_id));
        xmlFreeDoc(docxml);
    }
    return ESEAL_OK;
}

/* A signature ID (a decimal number) as a number, or 0 when it is none. */
static long sign_id(const char *text)
{
    char *end;
    long v = strtol(text, &end, 10);

    return *text != '\0' && *end == '\0' && v > 0 && v <= OFD_SIGN_ID_MAX ? v : 0;
}

/* The new Signatures.xml (the old one with one more Signature, or a new one) and, when the
 * document had none, OFD.xml naming it. */
static int sign_lists(struct sign_ctx *c, xmlDoc *ofd, int *id, eseal_error *err)
{
    xmlDoc *list = NULL;
    xmlNode *root, *node, *max;
    xmlNs *ns;
    char loc[OFD_PATH_MAX + 16], number[32];
    long highest = 0;

    if (c->has_list) {
        list = ofd_xml(ofd_package_find(c->pkg, c->signs_path), err);
        if (list == NULL)
            return ESEAL_ERR_FORMAT;
    } else {
        xmlNode *body = ofd_child(xmlDocGetRootElement(ofd), "DocBody");
        xmlNewTextChild(body, body->ns, (const xmlChar *)"Signatures",
                        (const xmlChar *)c->signs_path);
        xmlDocDumpMemoryEnc(ofd, &c->ofd_xml, &c->ofd_xml_len, "UTF-8");
        list = xmlNewDoc((const xmlChar *)"1.0");
        root = xmlNewNode(NULL, (const xmlChar *)"Signatures");
        ns = xmlNewNs(root, (const xmlChar *)OFD_NS, (const xmlChar *)"ofd");
        xmlSetNs(root, ns);
        xmlDocSetRootElement(list, root);
        xmlNewChild(root, ns, (const xmlChar *)"MaxSignId", (const xmlChar *)"0");
    }
    root = xmlDocGetRootElement(list);
    for (node = ofd_child(root, "Signature"); node != NULL; node = ofd_next(node)) {
        char v[32];
        if (ofd_attr(node, "ID", v, sizeof(v)) == 0 && sign_id(v) > highest)
            highest = sign_id(v);
    }
    if ((max = ofd_child(root, "MaxSignId")) != NULL &&
        ofd_text(max, number, sizeof(number)) == 0 && sign_id(number) > highest)
        highest = sign_id(number);
    if (highest >= OFD_SIGN_ID_MAX) {
        xmlFreeDoc(list);
        return eseal_error_set(err, ESEAL_ERR_UNSUPPORTED, "signature IDs up to %d are taken",
                               OFD_SIGN_ID_MAX);
    }
    *id = (int)highest + 1;
    snprintf(number, sizeof(number), "%d", *id);
    if (max != NULL)
        xmlNodeSetContent(max, (const xmlChar *)number);
    node = xmlNewChild(root, root->ns, (const xmlChar *)"Signature", NULL);
    snprintf(loc, sizeof(loc), "/%s/Signature.xml", c->sign_dir);
    xmlNewProp(node, (const xmlChar *)"ID", (const xmlChar *)number);
    xmlNewProp(node, (const xmlChar *)"Type", (const xmlChar *)"Seal");
    xmlNewProp(node, (const xmlChar *)"BaseLoc", (const xmlChar *)loc);
    xmlDocDumpMemoryEnc(list, &c->list_xml, &c->list_xml_len, "UTF-8");
    xmlFreeDoc(list);
    if (c->list_xml == NULL || (!c->has_list && c->ofd_xml == NULL))
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    return ESEAL_OK;
}

/* The bytes a file has in the sealed package. */
static void sign_content(const struct sign_ctx *c, const ofd_file *f, const unsigned char **data,
                         size_t *len)
{
    *data = f->data;
    *len = f->len;
    if (c->ofd_xml != NULL && strcmp(f->name, "OFD.xml") == 0) {
        *data = c->ofd_xml;
        *len = (size_t)c->ofd_xml_len;
    }
}

/* Signature.xml: a Reference to every covered file, the seal's place, the signed value. */
static int sign_signature_xml(const struct sign_ctx *c, time_t now, eseal_buf *x, eseal_error *err)
{
    char when[32];
    struct tm tm;
    xmlChar *page, *dir;
    size_t i;

    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y%m%d%H%M%S", &tm);
    eseal_buf_printf(x,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Signature xmlns:ofd=\"%s\">"
                     "<ofd:SignedInfo><ofd:Provider ProviderName=\"eseal\" Version=\"%s\" "
                     "Company=\"eseal\"/><ofd:SignatureMethod>1.2.156.10197.1.501"
                     "</ofd:SignatureMethod><ofd:SignatureDateTime>%s</ofd:SignatureDateTime>"
                     "<ofd:References CheckMethod=\"1.2.156.10197.1.401\">",
                     OFD_NS, ESEAL_VERSION, when);
    for (i = 0; i < ofd_package_count(c->pkg); i++) {
        const ofd_file *f = ofd_package_file(c->pkg, i);
        unsigned char digest[EVP_MAX_MD_SIZE], b64[4 * EVP_MAX_MD_SIZE / 3 + 4];
        unsigned int digest_len;
        const unsigned char *data;
        size_t len;
        xmlChar *name;
        if (sign_not_covered(f->name) || strcmp(f->name, c->signs_path) == 0)
            continue; /* (the list changes with every signature) */
        sign_content(c, f, &data, &len);
        if (!EVP_Digest(data, len, digest, &digest_len, EVP_sm3(), NULL))
            return eseal_error_set(err, ESEAL_ERR_CRYPTO, "SM3 failed");
        EVP_EncodeBlock(b64, digest, (int)digest_len);
        name = xmlEncodeSpecialChars(NULL, (const xmlChar *)f->name);
        eseal_buf_printf(x,
                         "<ofd:Reference FileRef=\"/%s\"><ofd:CheckValue>%s</ofd:CheckValue>"
                         "</ofd:Reference>",
                         name ? (const char *)name : "", b64);
        xmlFree(name);
    }
    page = xmlEncodeSpecialChars(NULL, (const xmlChar *)c->page_id);
    dir = xmlEncodeSpecialChars(NULL, (const xmlChar *)c->sign_dir);
    eseal_buf_printf(x,
                     "</ofd:References><ofd:StampAnnot ID=\"1\" PageRef=\"%s\" "
                     "Boundary=\"150 240 40 40\"/></ofd:SignedInfo><ofd:SignedValue>/%s/"
                     "SignedValue.dat</ofd:SignedValue></ofd:Signature>\n",
                     page ? (const char *)page : "1", dir ? (const char *)dir : "");
    xmlFree(page);
    xmlFree(dir);
    return eseal_buf_status(x, "Signature.xml", err);
}

/* SignedValue.dat: SES_Signature v4 over Signature.xml. */
static int sign_value(const struct sign_ctx *c, const eseal_seal *seal,
                      const unsigned char *seal_der, size_t seal_len,
                      const eseal_buf *signature_xml, time_t now, eseal_buf *out, eseal_error *err)
{
    eseal_buf tbs, body, inner;
    unsigned char digest[EVP_MAX_MD_SIZE], *sig = NULL, *cert = NULL, four = 4;
    unsigned int digest_len;
    size_t sig_len = 0;
    char when[32], path[OFD_PATH_MAX + 32];
    struct tm tm;
    int cert_len, rc;

    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y%m%d%H%M%SZ", &tm);
    snprintf(path, sizeof(path), "/%s/Signature.xml", c->sign_dir);
    if (!EVP_Digest(signature_xml->data, signature_xml->len, digest, &digest_len, EVP_sm3(), NULL))
        return eseal_error_set(err, ESEAL_ERR_CRYPTO, "SM3 failed");
    eseal_buf_init(&inner, OFD_SIGN_MAX);
    der_put(&inner, V_ASN1_INTEGER, &four, 1);
    eseal_buf_append(&inner, seal_der, seal_len);
    der_put(&inner, V_ASN1_GENERALIZEDTIME, (const unsigned char *)when, strlen(when));
    der_bits(&inner, digest, digest_len);
    der_put(&inner, V_ASN1_IA5STRING, (const unsigned char *)path, strlen(path));
    eseal_buf_init(&tbs, OFD_SIGN_MAX);
    der_wrap(&tbs, V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, &inner);
    rc = eseal_buf_status(&tbs, "TBS_Sign", err);
    if (rc == ESEAL_OK)
        rc = eseal_seal_sign(seal, tbs.data, tbs.len, &sig, &sig_len, err);
    cert_len = i2d_X509(eseal_seal_cert(seal), &cert);
    if (rc == ESEAL_OK && cert_len <= 0)
        rc = eseal_error_set(err, ESEAL_ERR_CRYPTO, "cannot encode the seal certificate");
    if (rc == ESEAL_OK) {
        eseal_buf_init(&body, OFD_SIGN_MAX);
        eseal_buf_append(&body, tbs.data, tbs.len);
        der_put(&body, V_ASN1_OCTET_STRING, cert, (size_t)cert_len);
        eseal_buf_append(&body, der_sm2_sm3, sizeof(der_sm2_sm3));
        der_bits(&body, sig, sig_len);
        der_wrap(out, V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, &body);
        rc = eseal_buf_status(out, "SignedValue.dat", err);
    }
    OPENSSL_free(cert);
    OPENSSL_free(sig);
    eseal_buf_free(&tbs);
    return rc;
}

/* --- the zip ----------------------------------------------------------------------- */

static la_ssize_t sign_zip_write(struct archive *a, void *arg, const void *data, size_t len)
{
    (void)a;
    return eseal_buf_append(arg, data, len) == ESEAL_OK ? (la_ssize_t)len : -1;
}

static int sign_zip_add(struct archive *a, const char *name, const unsigned char *data, size_t len)
{
    struct archive_entry *e = archive_entry_new();
    int ok;

    if (e == NULL)
        return 0;
    archive_entry_set_pathname_utf8(e, name);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    ok = archive_write_header(a, e) == ARCHIVE_OK &&
         (len == 0 || archive_write_data(a, data, len) == (la_ssize_t)len);
    archive_entry_free(e);
    return ok;
}

/* Write the package with the new and changed files into out. */
static int sign_zip(const struct sign_ctx *c, const struct sign_file *added, size_t n_added,
                    eseal_buf *out, eseal_error *err)
{
    struct archive *a = archive_write_new();
    size_t i;
    int ok;

    ok = a != NULL && archive_write_set_format_zip(a) == ARCHIVE_OK &&
         archive_write_zip_set_compression_deflate(a) == ARCHIVE_OK &&
         archive_write_open(a, out, NULL, sign_zip_write, NULL) == ARCHIVE_OK;
    for (i = 0; ok && i < ofd_package_count(c->pkg); i++) {
        const ofd_file *f = ofd_package_file(c->pkg, i);
        const unsigned char *data;
        size_t len;
        if (c->has_list && strcmp(f->name, c->signs_path) == 0)
            continue; /* rewritten below */
        sign_content(c, f, &data, &len);
        ok = sign_zip_add(a, f->name, data, len);
    }
    for (i = 0; ok && i < n_added; i++)
        ok = sign_zip_add(a, added[i].name, added[i].data, added[i].len);
    ok = ok && archive_write_close(a) == ARCHIVE_OK;
    archive_write_free(a);
    if (!ok)
        return out->failed ? eseal_buf_status(out, "sealed OFD", err)
                           : eseal_error_set(err, ESEAL_ERR_GENERIC, "cannot write the sealed OFD");
    return ESEAL_OK;
}

int eseal_ofd_sign(const eseal_seal *seal, const unsigned char *ses_seal, size_t ses_seal_len,
                   const unsigned char *ofd, size_t len, unsigned char **out, size_t *out_len,
                   eseal_error *err)
{
    struct sign_ctx c;
    ofd_package *pkg = NULL;
    xmlDoc *ofd_doc = NULL;
    eseal_buf signature_xml, value, zip;
    char sig_path[OFD_PATH_MAX + 32], value_path[OFD_PATH_MAX + 32];
    time_t now = time(NULL);
    int rc, id;

    *out = NULL;
    *out_len = 0;
    memset(&c, 0, sizeof(c));
    eseal_buf_init(&signature_xml, OFD_SIGN_MAX);
    eseal_buf_init(&value, OFD_SIGN_MAX);
    eseal_buf_init(&zip, OFD_SIGN_MAX);
    if (len > ESEAL_OFD_DOCUMENT_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "OFD document larger than %zu bytes",
                               ESEAL_OFD_DOCUMENT_MAX);
    rc = ofd_package_open(&pkg, ofd, len, err);
    c.pkg = pkg;
    if (rc == ESEAL_OK && (ofd_doc = ofd_xml(ofd_package_find(pkg, "OFD.xml"), err)) == NULL)
        rc = ESEAL_ERR_FORMAT;
    if (rc == ESEAL_OK)
        rc = sign_locate(&c, ofd_doc, err);
    if (rc == ESEAL_OK)
        rc = sign_lists(&c, ofd_doc, &id, err);
    if (rc == ESEAL_OK)
        rc = sign_signature_xml(&c, now, &signature_xml, err);
    if (rc == ESEAL_OK)
        rc = sign_value(&c, seal, ses_seal, ses_seal_len, &signature_xml, now, &value, err);
    if (rc == ESEAL_OK) {
        struct sign_file added[3] = {
            {sig_path, signature_xml.data, signature_xml.len},
            {value_path, value.data, value.len},
            {c.signs_path, c.list_xml, (size_t)c.list_xml_len},
        };
        snprintf(sig_path, sizeof(sig_path), "%s/Signature.xml", c.sign_dir);
        snprintf(value_path, sizeof(value_path), "%s/SignedValue.dat", c.sign_dir);
        rc = sign_zip(&c, added, 3, &zip, err);
    }
    if (rc == ESEAL_OK)
        *out = eseal_buf_steal(&zip, out_len);
    xmlFree(c.ofd_xml);
    xmlFree(c.list_xml);
    xmlFreeDoc(ofd_doc);
    ofd_package_free(pkg);
    eseal_buf_free(&signature_xml);
    eseal_buf_free(&value);
    eseal_buf_free(&zip);
    return rc;
}
