/* ses_int.h - SES electronic seal signatures (GB/T 38540-2020 v4, GM/T 0031-2014 v1), parsed. */
#ifndef ESEAL_SES_INT_H
#define ESEAL_SES_INT_H

#include <stddef.h>
#include <time.h>

#include "eseal/error.h"

/* A byte range inside the parsed DER (never copied). */
typedef struct ses_bytes {
    const unsigned char *data;
    size_t len;
} ses_bytes;

/* One SES_Signature.  Every ses_bytes points into the DER given to ses_parse. */
typedef struct ses_signature {
    int version;              /* 4 (GB/T 38540) or 1 (GM/T 0031) */
    ses_bytes tbs;            /* TBS_Sign, DER with its header: what the signer signed */
    ses_bytes signer_cert;    /* DER certificate of the signer */
    char sig_alg[64];         /* the signer's algorithm OID, dotted */
    ses_bytes signature;      /* the signer's signature (DER SM2 signature) */
    ses_bytes data_hash;      /* SM3 of the signed file (Signature.xml) */
    char property_info[1024]; /* the signed file's path, as the signer wrote it */
    int has_time;
    time_t time; /* timeInfo */
    /* the seal (SESeal) */
    ses_bytes seal_info;      /* SES_SealInfo, DER with its header */
    ses_bytes maker_cert;     /* DER certificate of the maker */
    ses_bytes maker_cert_der; /* the OCTET STRING element that holds it, with its header */
    ses_bytes maker_alg_der;  /* the maker's algorithm OID element, with its header */
    char maker_alg[64];
    ses_bytes maker_signature;
    char es_id[128];
    char seal_name[256]; /* UTF-8 */
    long seal_type;      /* v4: 1 organisation seal, 2 personal seal; GM/T 0031 likewise */
    int cert_list_type;  /* 1: certificates, 2: certificate digests */
    ses_bytes cert_list; /* the contents of the SEQUENCE OF (certificates or digest objects) */
    time_t valid_start, valid_end;
} ses_signature;

/* A GB/T 35275 SignedData (a "Sign" type OFD signature): PKCS#7 in shape, GM object
 * identifiers, one signer.  Every ses_bytes points into the DER given to ses_parse_signed_data. */
typedef struct ses_signed_data {
    ses_bytes certs;          /* the contents of certificates [0] IMPLICIT SET OF Certificate */
    ses_bytes issuer;         /* the signer's issuer Name, DER with its header */
    ses_bytes serial;         /* the signer's serial number, the INTEGER's contents */
    ses_bytes content;        /* the encapsulated content (the signed file's SM3), or empty */
    ses_bytes attrs;          /* authenticatedAttributes [0] IMPLICIT, with its header, or empty */
    ses_bytes message_digest; /* the messageDigest attribute's value, when attrs has one */
    ses_bytes signature;      /* encryptedDigest: the SM2 signature */
} ses_signed_data;

/* ses_parse_signed_data - parse der as ContentInfo {1.2.156.10197.6.1.4.2.2, SignedData}
 * with exactly one SignerInfo, strictly as ses_parse does. */
int ses_parse_signed_data(const unsigned char *der, size_t len, ses_signed_data *out,
                          eseal_error *err);

/* ses_parse - parse der (len bytes) as an SES_Signature, v4 or v1, strictly: DER lengths,
 * the expected tags in order, nothing after the end.  ESEAL_ERR_FORMAT with what was
 * expected where. */
int ses_parse(const unsigned char *der, size_t len, ses_signature *out, eseal_error *err);

/* ses_parse_seal - parse der as a GB/T 38540 (v4) SESeal, as a seal authority issues it, into
 * the seal fields of *out. */
int ses_parse_seal(const unsigned char *der, size_t len, ses_signature *out, eseal_error *err);

/* ses_cert_listed - whether cert (DER) is in the seal's certificate list (or, for a list of
 * digests, its digest is). */
int ses_cert_listed(const ses_signature *s, const unsigned char *cert, size_t cert_len);

#endif
