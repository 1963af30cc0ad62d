/* eseal/timestamp.h - an RFC 3161 timestamp authority that seals are timestamped by. */
#ifndef ESEAL_TIMESTAMP_H
#define ESEAL_TIMESTAMP_H

#include "eseal/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Immutable once made, so one authority may be used by many threads. */
typedef struct eseal_tsa eseal_tsa;

/* Where and how to ask.  Plain data owned by the caller; copied by eseal_tsa_new. */
typedef struct eseal_tsa_options {
    const char *url;           /* http:// or https:// */
    unsigned timeout_seconds;  /* for each try; 0 means 10 */
    unsigned retries;          /* further tries after a failed one */
    const char *trust_anchors; /* PEM file: replies must chain to one of these; NULL: replies
                                * are checked for imprint and nonce, not for who signed */
    int seal_without;          /* when the authority fails: seal without a timestamp (1) or
                                * fail with ESEAL_ERR_UNAVAILABLE (0) */
} eseal_tsa_options;

/* eseal_tsa_new - check options and read the anchors into *out (free with eseal_tsa_free). */
int eseal_tsa_new(eseal_tsa **out, const eseal_tsa_options *options, eseal_error *err);

/* eseal_tsa_free - release; NULL-safe. */
void eseal_tsa_free(eseal_tsa *tsa);

#ifdef __cplusplus
}
#endif
#endif
