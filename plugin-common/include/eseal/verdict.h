/* eseal/verdict.h - the outcome of checking one seal, in the words of the ESeal-* headers. */
#ifndef ESEAL_VERDICT_H
#define ESEAL_VERDICT_H

#include <stddef.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Ordered from best to worst, so that the worse of two results is the larger. */
typedef enum eseal_result {
    ESEAL_RESULT_PASS = 0,  /* valid seal, trusted chain, document unchanged */
    ESEAL_RESULT_NONE,      /* no seal */
    ESEAL_RESULT_UNTRUSTED, /* valid signature, chain not trusted (or not fit for sealing) */
    ESEAL_RESULT_EXPIRED,   /* a certificate of the chain has expired */
    ESEAL_RESULT_WEAK,      /* algorithm or key size below policy */
    ESEAL_RESULT_REVOKED,   /* a certificate of the chain is revoked */
    ESEAL_RESULT_ERROR,     /* could not be checked; the reason says why */
    ESEAL_RESULT_FAIL,      /* signature or document does not match */
} eseal_result;

#define ESEAL_VERDICT_TEXT_MAX 512
#define ESEAL_VERDICT_SERIAL_MAX 96

/* What was found about one seal.  Plain data owned by the caller; strings are always
 * NUL-terminated and empty when unknown. */
typedef struct eseal_verdict {
    eseal_result result;
    char reason[ESEAL_VERDICT_TEXT_MAX];   /* human words: why this result */
    char signer[ESEAL_VERDICT_TEXT_MAX];   /* seal certificate subject, RFC 2253 */
    char issuer[ESEAL_VERDICT_TEXT_MAX];   /* its issuer, RFC 2253 */
    char serial[ESEAL_VERDICT_SERIAL_MAX]; /* its serial number, hex */
    int has_signing_time;                  /* the seal states when it was made */
    time_t signing_time;
    int has_timestamp; /* a trusted RFC 3161 timestamp proves when the seal existed; the
                        * chain was then checked at that time (CAdES-T, PAdES B-T) */
    time_t timestamp_time;
} eseal_verdict;

/* eseal_result_word - the header word of r: "pass", "fail", ... */
const char *eseal_result_word(eseal_result r);

/* eseal_verdict_time - t as the verdicts write times, UTC "2026-11-25T10:00:00Z", into buf
 * (size bytes, 21 are enough); "?" when t cannot be written. */
void eseal_verdict_time(time_t t, char *buf, size_t size);

/* eseal_verdict_set - set v's result and a printf-style reason; returns nothing. */
void eseal_verdict_set(eseal_verdict *v, eseal_result r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
#endif
