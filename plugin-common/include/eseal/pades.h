/* eseal/pades.h - PAdES seals inside PDF documents: apply one by incremental update, check
 * every signature a PDF carries. */
#ifndef ESEAL_PADES_H
#define ESEAL_PADES_H

#include <stddef.h>
#include <time.h>

#include "eseal/error.h"
#include "eseal/seal.h"
#include "eseal/timestamp.h"
#include "eseal/trust.h"
#include "eseal/verdict.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest PDF sealed or verified in memory. */
#define ESEAL_PADES_DOCUMENT_MAX ((size_t)512 * 1024 * 1024)

/* Largest stamp image file. */
#define ESEAL_PADES_STAMP_MAX ((size_t)4 * 1024 * 1024)

/* Where on its page the visible stamp goes. */
typedef enum eseal_stamp_corner {
    ESEAL_STAMP_BOTTOM_RIGHT = 0,
    ESEAL_STAMP_BOTTOM_LEFT,
    ESEAL_STAMP_TOP_RIGHT,
    ESEAL_STAMP_TOP_LEFT,
} eseal_stamp_corner;

/* How to seal one PDF.  Plain data owned by the caller; every pointer may be NULL. */
typedef struct eseal_pades_options {
    const char *name;     /* /Name: the seal holder; default the certificate's CN */
    const char *reason;   /* /Reason */
    const char *location; /* /Location */
    time_t when;          /* /M and the stamp's time; 0: now */
    /* The visible stamp: a PNG file's bytes (gray, RGB or palette, with or without alpha,
     * not interlaced, at most 4096 pixels a side), or NULL for an invisible seal. */
    const unsigned char *stamp_png;
    size_t stamp_png_len;
    eseal_stamp_corner stamp_corner;
    int stamp_page;         /* 1-based; negative counts from the end (-1: last page); 0: first */
    const eseal_tsa *tsa;   /* PAdES B-T: the signature is timestamped by this authority */
    const eseal_trust *ltv; /* PAdES B-LT: a DSS with the chain and the revocation data this
                             * trust set has or fetches (CRLs, OCSP responses) */
    int *timestamped;       /* when not NULL, set to whether the seal got its timestamp (a
                             * tsa made with seal_without may have failed) */
} eseal_pades_options;

/* eseal_pades_options_check - whether options can seal any PDF: texts UTF-8 of at most 1024
 * bytes, the stamp a PNG that decodes (ESEAL_ERR_FORMAT or _LIMIT with the reason). */
int eseal_pades_options_check(const eseal_pades_options *options, eseal_error *err);

/* eseal_pades_sign - seal the PDF of len bytes at pdf by appending an incremental update
 * (every earlier byte, and so every earlier signature, stays as it was) into *out (free()
 * it) of *out_len bytes.  A PDF that cannot be sealed in place is ESEAL_ERR_UNSUPPORTED
 * (encrypted, or its structure cannot be followed to a page) with the reason in err: the
 * caller seals it with a detached CAdES signature instead; so is a PDF the reader cannot
 * follow.  Options that eseal_pades_options_check() refuses are ESEAL_ERR_FORMAT or _LIMIT. */
int eseal_pades_sign(const eseal_seal *seal, const eseal_pades_options *options,
                     const unsigned char *pdf, size_t len, unsigned char **out, size_t *out_len,
                     eseal_error *err);

/* eseal_pades_sign_update - as eseal_pades_sign, but *out gets only what follows the input:
 * the sealed PDF is the len bytes at pdf and then the *out_len bytes at *out (free() it).
 * The PDF's bytes are never copied. */
int eseal_pades_sign_update(const eseal_seal *seal, const eseal_pades_options *options,
                            const unsigned char *pdf, size_t len, unsigned char **out,
                            size_t *out_len, eseal_error *err);

/* The check of one signature found in a PDF. */
typedef struct eseal_pades_signature {
    eseal_verdict verdict;     /* reason "modified-after-seal" when later revisions changed it */
    char field[128];           /* the signature field's name (/T), UTF-8 */
    char subfilter[64];        /* "ETSI.CAdES.detached", "adbe.pkcs7.detached", ... */
    int pades;                 /* 1 for ETSI.CAdES.detached, 0 for a PKCS#7 signature */
    unsigned later_signatures; /* signatures added by later revisions, which changed nothing */
    int modified_after;        /* a later revision changed the document */
} eseal_pades_signature;

/* eseal_pades_verify - find and check every signature of the PDF into *sigs (free() it;
 * NULL when there are none) of *count entries, in file order.  Every problem of a
 * signature is its verdict (`fail`, `error`, ...); a negative status only when the PDF
 * itself cannot be read (ESEAL_ERR_FORMAT) or exceeds a cap. */
int eseal_pades_verify(const eseal_trust *trust, const unsigned char *pdf, size_t len,
                       eseal_pades_signature **sigs, size_t *count, eseal_error *err);

/* eseal_pades_is_pdf - whether the bytes start like a PDF ("%PDF-" within the first 1024
 * bytes, as readers accept). */
int eseal_pades_is_pdf(const unsigned char *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
