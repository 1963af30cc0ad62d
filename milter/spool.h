/* spool.h - one message's bytes as the MTA sends them: in memory up to a bound, then in an
 * unlinked temporary file. */
#ifndef ESEAL_MILTER_SPOOL_H
#define ESEAL_MILTER_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "eseal/message.h"

typedef struct spool spool;

/* spool_new - an empty spool that keeps up to memory_max bytes in memory; NULL if no memory. */
spool *spool_new(size_t memory_max);

/* spool_append - add len bytes; 0 on success, -1 (errno set) when the temp file fails. */
int spool_append(spool *s, const void *data, size_t len);

/* spool_size - bytes appended so far. */
uint64_t spool_size(const spool *s);

/* spool_input - the spooled bytes as pipeline input; valid until the next append or free. */
eseal_message_input spool_input(const spool *s);

/* spool_free - release the memory and close (and so delete) the temp file; NULL-safe. */
void spool_free(spool *s);

#endif
