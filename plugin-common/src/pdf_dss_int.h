/* pdf_dss_int.h - the validation data of a PAdES B-LT seal: what goes into the PDF's DSS. */
#ifndef ESEAL_PDF_DSS_INT_H
#define ESEAL_PDF_DSS_INT_H

#include <stddef.h>

#include "eseal/error.h"
#include "eseal/trust.h"

/* Lists of DER objects, each to become a stream of the DSS (ETSI EN 319 142-1 5.4.2). */
typedef struct pdf_dss_list {
    unsigned char **der;
    size_t *len;
    size_t count;
} pdf_dss_list;

typedef struct pdf_dss {
    pdf_dss_list certs; /* the seal's chain, the timestamp authority's, the OCSP responder's */
    pdf_dss_list crls;  /* CRLs of trust issued by a CA of those chains */
    pdf_dss_list ocsps; /* the seal certificate's OCSP response, when trust asks OCSP */
} pdf_dss;

/* pdf_dss_collect - gather into *dss (release with pdf_dss_free) what a verifier needs to
 * check the seal cms (DER SignedData, maybe with a timestamp) years later without a network:
 * certificates from the seal and its timestamp token, the seal certificate's OCSP response
 * from trust's responder, and trust's CRLs that cover those certificates. */
int pdf_dss_collect(const unsigned char *cms, size_t cms_len, const eseal_trust *trust,
                    pdf_dss *dss, eseal_error *err);

/* pdf_dss_free - release the lists of dss (not dss itself); NULL-safe. */
void pdf_dss_free(pdf_dss *dss);

#endif
