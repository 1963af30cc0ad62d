/* eseal/error.h - status codes of libeseal and the readable message that goes with them. */
#ifndef ESEAL_ERROR_H
#define ESEAL_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every libeseal function that can fail returns 0 (ESEAL_OK) on success and one of these
 * negative codes on failure.  The codes callers are expected to act on are the first
 * few; the message in eseal_error says what exactly went wrong.
 */
typedef enum eseal_status {
    ESEAL_OK = 0,
    ESEAL_ERR_GENERIC = -1,      /* anything not listed below */
    ESEAL_ERR_NOMEM = -2,        /* out of memory */
    ESEAL_ERR_IO = -3,           /* a file could not be opened, read or written */
    ESEAL_ERR_FORMAT = -4,       /* input is malformed: bad PEM, DER, CMS or syntax */
    ESEAL_ERR_CONFIG = -5,       /* a configuration file is wrong (message is file:line: ...) */
    ESEAL_ERR_UNSAFE = -6,       /* a key or config file has unsafe ownership or mode */
    ESEAL_ERR_CRYPTO = -7,       /* a key or certificate is unusable, or signing failed */
    ESEAL_ERR_NOTFOUND = -8,     /* a named thing (seal, file) does not exist */
    ESEAL_ERR_LIMIT = -9,        /* input exceeds a size or count cap */
    ESEAL_ERR_UNSUPPORTED = -10, /* well-formed, but not something this format can do
                                  * (an encrypted PDF sealed in place) */
    ESEAL_ERR_UNAVAILABLE = -11, /* a service a seal needs (timestamp authority, OCSP
                                  * responder) did not answer usably: try again later */
} eseal_status;

#define ESEAL_ERROR_MESSAGE_MAX 512

/*
 * The error of one call.  The caller owns it (usually on the stack) and passes its
 * address as the last argument; NULL means "I do not want the message".  There is no
 * hidden per-thread error state.
 */
typedef struct eseal_error {
    eseal_status code;
    char message[ESEAL_ERROR_MESSAGE_MAX];
} eseal_error;

/* eseal_error_clear - reset err to ESEAL_OK with an empty message; NULL-safe. */
void eseal_error_clear(eseal_error *err);

/* eseal_error_message - the message of err, or "" when err is NULL or clear. */
const char *eseal_error_message(const eseal_error *err);

#ifdef __cplusplus
}
#endif
#endif
