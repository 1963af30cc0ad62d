/* buf.c - a growable byte buffer with a size cap, for documents written in memory. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"
#include "error_int.h"

#define BUF_INITIAL 256 /* first allocation, so small documents need no realloc */

void eseal_buf_init(eseal_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->failed = ESEAL_OK;
}

/* Make room for n more bytes and the NUL after them; fails without touching the contents. */
static int buf_reserve(eseal_buf *b, size_t n)
{
    size_t want, cap;
    unsigned char *p;

    if (b->failed != ESEAL_OK)
        return b->failed;
    if (n > b->max || b->len > b->max - n) {
        b->failed = ESEAL_ERR_LIMIT;
        return b->failed;
    }
    want = b->len + n + 1;
    if (want <= b->cap)
        return ESEAL_OK;
    cap = b->cap < BUF_INITIAL ? BUF_INITIAL : b->cap;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1; /* never more than the cap plus its NUL */
    p = realloc(b->data, cap);
    if (p == NULL) {
        b->failed = ESEAL_ERR_NOMEM;
        return b->failed;
    }
    b->data = p;
    b->cap = cap;
    return ESEAL_OK;
}

int eseal_buf_append(eseal_buf *b, const void *p, size_t n)
{
    int rc = buf_reserve(b, n);

    if (rc != ESEAL_OK)
        return rc;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return ESEAL_OK;
}

int eseal_buf_puts(eseal_buf *b, const char *s)
{
    return eseal_buf_append(b, s, strlen(s));
}

int eseal_buf_printf(eseal_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n, rc;

    if (b->failed != ESEAL_OK)
        return b->failed;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = ESEAL_ERR_GENERIC;
        return b->failed;
    }
    rc = buf_reserve(b, (size_t)n);
    if (rc != ESEAL_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return ESEAL_OK;
}

int eseal_buf_status(const eseal_buf *b, const char *what, eseal_error *err)
{
    switch (b->failed) {
    case ESEAL_OK:
        return ESEAL_OK;
    case ESEAL_ERR_NOMEM:
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "%s: out of memory", what);
    case ESEAL_ERR_LIMIT:
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "%s: larger than %zu bytes", what, b->max);
    default:
        return eseal_error_set(err, b->failed, "%s: formatting failed", what);
    }
}

unsigned char *eseal_buf_steal(eseal_buf *b, size_t *len)
{
    unsigned char *data = b->data;

    if (data == NULL)
        data = calloc(1, 1); /* callers get a NUL-terminated buffer even when empty */
    if (len != NULL)
        *len = data != NULL ? b->len : 0;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return data;
}

void eseal_buf_free(eseal_buf *b)
{
    if (b == NULL)
        return;
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}
