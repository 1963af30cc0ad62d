/* error_int.h - filling an eseal_error from inside libeseal. */
#ifndef ESEAL_ERROR_INT_H
#define ESEAL_ERROR_INT_H

#include "eseal/error.h"

/* eseal_error_set - record code and a printf-style message in err (NULL-safe); returns code. */
int eseal_error_set(eseal_error *err, eseal_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* eseal_error_openssl - like eseal_error_set, then append OpenSSL's oldest queued reason
 * and clear the OpenSSL error queue of this thread. */
int eseal_error_openssl(eseal_error *err, eseal_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
