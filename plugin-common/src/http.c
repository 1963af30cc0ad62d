/* http.c - POST a request to a timestamp authority or OCSP responder with libcurl.
 *
 * SECURITY: the response comes from the network.  It is capped at the target's size while
 * it arrives, its status and content type are checked, and only http and https are spoken
 * (no redirects: a responder that moves is a configuration to fix, not a hop to follow). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "error_int.h"
#include "http_int.h"

#define HTTP_RETRY_PAUSE_MS 200 /* between tries: a busy service gets a moment */

struct http_body {
    unsigned char *data;
    size_t len, max;
    int too_large;
};

static size_t http_collect(char *data, size_t size, size_t count, void *arg)
{
    struct http_body *b = arg;
    size_t n = size * count;
    unsigned char *grown;

    if (n > b->max - b->len) {
        b->too_large = 1;
        return 0; /* curl stops with CURLE_WRITE_ERROR */
    }
    grown = realloc(b->data, b->len + n + 1);
    if (grown == NULL)
        return 0;
    memcpy(grown + b->len, data, n);
    b->data = grown;
    b->len += n;
    return n;
}

/* One try.  ESEAL_OK with the body, ESEAL_ERR_UNAVAILABLE with *retry set when another try
 * may help. */
static int http_try(CURL *curl, const http_target *t, struct http_body *b, int *retry,
                    eseal_error *err)
{
    CURLcode res;
    long status = 0;
    char *type = NULL;

    free(b->data);
    memset(b, 0, sizeof(*b));
    b->max = t->max_response;
    *retry = 0;
    res = curl_easy_perform(curl);
    if (res != CURLE_OK) {
        *retry = !b->too_large;
        return eseal_error_set(err, ESEAL_ERR_UNAVAILABLE, "%s: %s", t->url,
                               b->too_large ? "the answer is larger than expected"
                                            : curl_easy_strerror(res));
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    if (status != 200) {
        *retry = status >= 500;
        return eseal_error_set(err, ESEAL_ERR_UNAVAILABLE, "%s: HTTP status %ld", t->url, status);
    }
    if (type == NULL || strncasecmp(type, t->accept, strlen(t->accept)) != 0 ||
        (type[strlen(t->accept)] != '\0' && type[strlen(t->accept)] != ';'))
        return eseal_error_set(err, ESEAL_ERR_UNAVAILABLE,
                               "%s: answered with content type %s, expected %s", t->url,
                               type ? type : "(none)", t->accept);
    return ESEAL_OK;
}

int http_url_ok(const char *url)
{
    size_t len = url != NULL ? strlen(url) : 0;

    return ((len > 7 && strncmp(url, "http://", 7) == 0) ||
            (len > 8 && strncmp(url, "https://", 8) == 0)) &&
           len <= HTTP_URL_MAX && strpbrk(url, " \t\r\n") == NULL;
}

int http_post(const http_target *t, const unsigned char *body, size_t len, unsigned char **out,
              size_t *out_len, eseal_error *err)
{
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = NULL;
    struct http_body b = {NULL, 0, 0, 0};
    char content_type[128], accept[128];
    unsigned attempt;
    int rc = ESEAL_ERR_UNAVAILABLE, retry = 1;

    *out = NULL;
    *out_len = 0;
    if (curl == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "cannot start an HTTP client");
    snprintf(content_type, sizeof(content_type), "Content-Type: %s", t->content_type);
    snprintf(accept, sizeof(accept), "Accept: %s", t->accept);
    headers = curl_slist_append(headers, content_type);
    headers = headers ? curl_slist_append(headers, accept) : NULL;
    /* no proxy taken from the environment: the daemon reaches exactly what is configured */
    if (headers == NULL || curl_easy_setopt(curl, CURLOPT_URL, t->url) != CURLE_OK ||
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
        curl_easy_setopt(curl, CURLOPT_NOPROXY, "*") != CURLE_OK ||
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, t->timeout_ms) != CURLE_OK ||
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers) != CURLE_OK ||
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, (const char *)body) != CURLE_OK ||
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len) != CURLE_OK ||
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, http_collect) != CURLE_OK ||
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b) != CURLE_OK) {
        rc = eseal_error_set(err, ESEAL_ERR_CONFIG, "%s: not a URL this client can use", t->url);
        retry = 0;
    }
    for (attempt = 0; retry && attempt <= t->retries; attempt++) {
        if (attempt > 0)
            usleep(HTTP_RETRY_PAUSE_MS * 1000);
        rc = http_try(curl, t, &b, &retry, err);
        if (rc == ESEAL_OK)
            break;
    }
    if (rc == ESEAL_OK) {
        *out = b.data;
        *out_len = b.len;
        b.data = NULL;
    }
    free(b.data);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc;
}
