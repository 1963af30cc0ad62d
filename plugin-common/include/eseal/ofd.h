/* eseal/ofd.h - SES seals (GB/T 38540, GM/T 0031; SM2/SM3) inside OFD documents (GB/T 33190). */
#ifndef ESEAL_OFD_H
#define ESEAL_OFD_H

#include <stddef.h>

#include "eseal/error.h"
#include "eseal/seal.h"
#include "eseal/trust.h"
#include "eseal/verdict.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest OFD package verified. */
#define ESEAL_OFD_DOCUMENT_MAX ((size_t)64 * 1024 * 1024)

/* One signature of an OFD document.  Plain data owned by the caller. */
typedef struct eseal_ofd_signature {
    eseal_verdict verdict;
    char path[256];      /* its Signature.xml inside the package */
    char kind[8];        /* "Seal" (an electronic seal) or "Sign" (a digital signature) */
    int ses_version;     /* 4 (GB/T 38540), 1 (GM/T 0031), 0 when not an SES signature */
    char seal_name[256]; /* the seal's name (SES_ESPropertyInfo), UTF-8; empty when none */
    long seal_type;      /* the seal's type (1: organisation, 2: personal, ...); 0 when none */
} eseal_ofd_signature;

/* eseal_ofd_is_ofd - whether data looks like an OFD package (a zip naming OFD.xml). */
int eseal_ofd_is_ofd(const unsigned char *data, size_t len);

/*
 * eseal_ofd_verify - check every signature of the OFD package data (len bytes) into *sigs
 * (free() it), *count of them (0: not signed).  For each: every Reference's CheckValue over
 * the file it names, the SES signature parsed strictly, its dataHash over Signature.xml, the
 * signer's SM2-with-SM3 signature over TBS_Sign (ID 1234567812345678), the seal maker's
 * signature, the seal's validity, the signer's certificate among the seal's, both
 * certificates chained to trust's anchors, the signing time within the signer certificate's
 * validity; a file that changes what is shown and that the signature does not cover is
 * `fail` with reason "modified-after-seal: ...".  Returns 0 for every verdict; a negative
 * status only when data is not a readable OFD package.
 */
int eseal_ofd_verify(const eseal_trust *trust, const unsigned char *data, size_t len,
                     eseal_ofd_signature **sigs, size_t *count, eseal_error *err);

/*
 * eseal_ofd_sign - seal the OFD package ofd (len bytes) with an SES seal (GB/T 38540 v4) into
 * *out (free() it): ses_seal is the organisation's SESeal (DER, as its seal authority issued
 * it), seal the SM2 key and certificate it lists.  A new Signature.xml references every file
 * of the package but the signature lists and other signatures' files; SignedValue.dat holds
 * the SES_Signature; Signatures.xml gains the signature (OFD.xml names it when the document
 * had none).  A package that cannot be sealed in place is ESEAL_ERR_FORMAT or _UNSUPPORTED.
 */
int eseal_ofd_sign(const eseal_seal *seal, const unsigned char *ses_seal, size_t ses_seal_len,
                   const unsigned char *ofd, size_t len, unsigned char **out, size_t *out_len,
                   eseal_error *err);

#ifdef __cplusplus
}
#endif
#endif
