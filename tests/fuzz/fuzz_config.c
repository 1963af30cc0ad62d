/* fuzz_config.c - fuzz target: an arbitrary eseal.conf must load or fail with a message. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eseal/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/eseal-fuzz-conf.XXXXXX";
    eseal_config *config;
    eseal_error err;
    int fd;

    /* include() would read any file the input names; the administrator owns that power */
    if (memmem(data, size, "include", 7) != NULL)
        return 0;
    fd = mkstemp(path);
    if (fd < 0)
        abort();
    if (write(fd, data, size) != (ssize_t)size)
        abort();
    close(fd);
    eseal_error_clear(&err);
    if (eseal_config_load(&config, path, &err) == 0)
        eseal_config_free(config);
    else if (err.message[0] == '\0')
        abort(); /* every failure must say what is wrong */
    unlink(path);
    return 0;
}
