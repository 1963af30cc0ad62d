/* http_int.h - the HTTP client of libeseal: one POST to a timestamp authority or OCSP responder. */
#ifndef ESEAL_HTTP_INT_H
#define ESEAL_HTTP_INT_H

#include <stddef.h>

#include "eseal/error.h"

#define HTTP_URL_MAX 1024 /* bytes of a service's URL */

/* http_url_ok - whether url is one this client speaks: http:// or https://, a host after it,
 * at most HTTP_URL_MAX bytes, no white space. */
int http_url_ok(const char *url);

/* How to reach one service. */
typedef struct http_target {
    const char *url;          /* http:// or https:// only */
    const char *content_type; /* of the request, e.g. "application/timestamp-query" */
    const char *accept;       /* the only content type taken in the response */
    long timeout_ms;          /* for each try, connection included */
    unsigned retries;         /* further tries after a failed one (no answer, 5xx) */
    size_t max_response;      /* larger answers are refused */
} http_target;

/* http_post - POST body to t->url (no redirects followed, no proxy from the environment) and
 * put the response body into *out (free() it).  A service that does not answer, or answers
 * with an error status or another content type, is ESEAL_ERR_UNAVAILABLE. */
int http_post(const http_target *t, const unsigned char *body, size_t len, unsigned char **out,
              size_t *out_len, eseal_error *err);

#endif
