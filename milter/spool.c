/* spool.c - one message's bytes: in memory up to a bound, then in an unlinked temp file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_int.h"
#include "spool.h"

struct spool {
    unsigned char *mem;
    size_t used, cap, memory_max;
    int fd; /* -1 while in memory */
    uint64_t size;
};

spool *spool_new(size_t memory_max)
{
    spool *s = calloc(1, sizeof(*s));

    if (s == NULL)
        return NULL;
    s->fd = -1;
    s->memory_max = memory_max;
    return s;
}

/* Move what is in memory to a new unlinked temp file (TMPDIR, else /tmp). */
static int spool_to_file(spool *s)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];

    snprintf(path, sizeof(path), "%s/eseal-spool.XXXXXX", dir && *dir ? dir : "/tmp");
    s->fd = mkstemp(path);
    if (s->fd < 0)
        return -1;
    unlink(path);
    if (eseal_file_write_all(s->fd, s->mem, s->used) != 0)
        return -1;
    free(s->mem);
    s->mem = NULL;
    s->used = s->cap = 0;
    return 0;
}

int spool_append(spool *s, const void *data, size_t len)
{
    if (s->fd < 0 && s->used + len > s->memory_max && spool_to_file(s) != 0)
        return -1;
    if (s->fd >= 0) {
        if (eseal_file_write_all(s->fd, data, len) != 0)
            return -1;
    } else {
        if (s->used + len > s->cap) {
            size_t cap = s->cap ? s->cap : 16384;
            while (cap < s->used + len)
                cap *= 2;
            unsigned char *n = realloc(s->mem, cap);
            if (n == NULL)
                return -1;
            s->mem = n;
            s->cap = cap;
        }
        memcpy(s->mem + s->used, data, len);
        s->used += len;
    }
    s->size += len;
    return 0;
}

uint64_t spool_size(const spool *s)
{
    return s->size;
}

eseal_message_input spool_input(const spool *s)
{
    eseal_message_input in = {
        .fd = s->fd, .data = s->fd < 0 ? s->mem : NULL, .len = s->fd < 0 ? s->used : 0};

    if (in.data == NULL && s->fd < 0)
        in.data = (const unsigned char *)""; /* an empty message is still memory input */
    return in;
}

void spool_free(spool *s)
{
    if (s == NULL)
        return;
    if (s->fd >= 0)
        close(s->fd);
    free(s->mem);
    free(s);
}
