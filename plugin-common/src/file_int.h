/* file_int.h - bounded file reads and ownership/mode checks for files that hold secrets. */
#ifndef ESEAL_FILE_INT_H
#define ESEAL_FILE_INT_H

#include <stddef.h>
#include <sys/types.h>

#include "eseal/error.h"

/* eseal_file_read - read all of path into a new NUL-terminated buffer (*out, free() it) of
 * *len bytes; a file larger than max bytes is ESEAL_ERR_LIMIT. */
int eseal_file_read(const char *path, size_t max, unsigned char **out, size_t *len,
                    eseal_error *err);

/* eseal_file_write_all - write all n bytes of p to fd, across short writes and EINTR;
 * 0, or -1 with errno set. */
int eseal_file_write_all(int fd, const void *p, size_t n);

/* eseal_file_check_mode - fail with ESEAL_ERR_UNSAFE when path is not a regular file owned by
 * the effective user, root or also_owner, or when any bit of forbidden (e.g. 077, 022) is set
 * in its mode; what names the file's role in the message ("private key", "configuration"). */
int eseal_file_check_mode(const char *path, mode_t forbidden, uid_t also_owner, const char *what,
                          eseal_error *err);

#endif
