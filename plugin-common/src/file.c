/* file.c - bounded file reads and ownership/mode checks for files that hold secrets. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error_int.h"
#include "file_int.h"

int eseal_file_read(const char *path, size_t max, unsigned char **out, size_t *len,
                    eseal_error *err)
{
    FILE *f;
    unsigned char *buf;
    size_t used = 0, cap = 4096;

    *out = NULL;
    *len = 0;
    f = fopen(path, "rb");
    if (f == NULL)
        return eseal_error_set(err, ESEAL_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    buf = malloc(cap + 1);
    if (buf == NULL) {
        fclose(f);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "%s: out of memory", path);
    }
    for (;;) {
        size_t n = fread(buf + used, 1, cap - used, f);
        used += n;
        if (used > max) {
            free(buf);
            fclose(f);
            return eseal_error_set(err, ESEAL_ERR_LIMIT, "%s: larger than the limit of %zu bytes",
                                   path, max);
        }
        if (n == 0)
            break;
        if (used == cap) {
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            unsigned char *nbuf = realloc(buf, ncap + 1);
            if (nbuf == NULL) {
                free(buf);
                fclose(f);
                return eseal_error_set(err, ESEAL_ERR_NOMEM, "%s: out of memory", path);
            }
            buf = nbuf;
            cap = ncap;
        }
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        fclose(f);
        return eseal_error_set(err, ESEAL_ERR_IO, "%s: read error: %s", path, strerror(e));
    }
    fclose(f);
    buf[used] = '\0';
    *out = buf;
    *len = used;
    return ESEAL_OK;
}

int eseal_file_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t k = write(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return -1;
        }
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

int eseal_file_check_mode(const char *path, mode_t forbidden, uid_t also_owner, const char *what,
                          eseal_error *err)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return eseal_error_set(err, ESEAL_ERR_IO, "%s: cannot read %s: %s", path, what,
                               strerror(errno));
    if (!S_ISREG(st.st_mode))
        return eseal_error_set(err, ESEAL_ERR_UNSAFE, "%s: %s is not a regular file", path, what);
    if (st.st_uid != geteuid() && st.st_uid != 0 && st.st_uid != also_owner)
        return eseal_error_set(err, ESEAL_ERR_UNSAFE,
                               "%s: %s is owned by uid %ld, expected root, uid %ld or uid %ld",
                               path, what, (long)st.st_uid, (long)geteuid(), (long)also_owner);
    if ((st.st_mode & forbidden) != 0)
        return eseal_error_set(err, ESEAL_ERR_UNSAFE,
                               "%s: %s has mode %04o, which gives group or others access it must "
                               "not (%04o); chmod %04o it",
                               path, what, (unsigned)(st.st_mode & 07777),
                               (unsigned)(st.st_mode & forbidden),
                               (unsigned)(st.st_mode & 07777 & ~forbidden));
    return ESEAL_OK;
}
