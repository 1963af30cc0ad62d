/* buf_int.h - a growable byte buffer with a size cap, for documents written in memory. */
#ifndef ESEAL_BUF_INT_H
#define ESEAL_BUF_INT_H

#include <stddef.h>

#include "eseal/error.h"

/* A buffer of len bytes in data (always NUL-terminated past len) that refuses to grow
 * beyond max bytes.  Owned by the caller (usually on the stack); eseal_buf_free() releases
 * data.  The first failed append leaves the buffer as it was and sets failed, so a series
 * of appends can be checked once at the end. */
typedef struct eseal_buf {
    unsigned char *data;
    size_t len, cap, max;
    int failed; /* ESEAL_OK, or the status of the first failed append */
} eseal_buf;

/* eseal_buf_init - an empty buffer that holds at most max bytes. */
void eseal_buf_init(eseal_buf *b, size_t max);

/* eseal_buf_append - append n bytes of p; ESEAL_ERR_NOMEM or ESEAL_ERR_LIMIT on failure. */
int eseal_buf_append(eseal_buf *b, const void *p, size_t n);

/* eseal_buf_puts - append the NUL-terminated string s. */
int eseal_buf_puts(eseal_buf *b, const char *s);

/* eseal_buf_printf - append printf-style text. */
int eseal_buf_printf(eseal_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* eseal_buf_status - ESEAL_OK, or the failure of the first append that failed, set in err
 * ("FMT: out of memory" / "FMT: larger than N bytes") with what naming the buffer. */
int eseal_buf_status(const eseal_buf *b, const char *what, eseal_error *err);

/* eseal_buf_steal - hand data over to the caller (free() it) and leave b empty. */
unsigned char *eseal_buf_steal(eseal_buf *b, size_t *len);

/* eseal_buf_free - release the data; NULL-safe, and b may be reused after eseal_buf_init. */
void eseal_buf_free(eseal_buf *b);

#endif
