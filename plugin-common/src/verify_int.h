/* verify_int.h - the certificate chain check the verifiers of libeseal share. */
#ifndef ESEAL_VERIFY_INT_H
#define ESEAL_VERIFY_INT_H

#include <time.h>

#include <openssl/x509.h>

#include "eseal/trust.h"
#include "eseal/verdict.h"

/* verify_cert_chain - whether cert chains to trust's anchors at the time at (0: now;
 * untrusted may help) and is not revoked (CRLs and OCSP as trust says, revocation_failure
 * too).  1, or 0 with v's result and reason set (`expired`, `revoked`, `untrusted`,
 * `error`). */
int verify_cert_chain(const eseal_trust *trust, X509 *cert, STACK_OF(X509) * untrusted, time_t at,
                      eseal_verdict *v);

#endif
