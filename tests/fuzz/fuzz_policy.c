/* fuzz_policy.c - fuzz target: an arbitrary policy file must load or fail with a message; a
 * loaded one must classify a fixed text without harm. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eseal/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char text[] = "离婚协议书 双方自愿离婚 Sales contract, purchase order 2026-042";
    char path[] = "/tmp/eseal-fuzz-policy.XXXXXX";
    const char *paths[1] = {path};
    eseal_classification *c;
    eseal_policy_doc doc = {.filename = "合同.pdf",
                            .subject = "Contract",
                            .content = text,
                            .content_len = sizeof(text) - 1};
    eseal_policy *policy;
    eseal_error err;
    int fd;

    /* include() would read any file the input names; the administrator owns that power */
    if (memmem(data, size, "include", 7) != NULL)
        return 0;
    fd = mkstemp(path);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size)
        abort();
    close(fd);
    eseal_error_clear(&err);
    if (eseal_policy_load(&policy, paths, 1, &err) == 0) {
        if (eseal_policy_classify(policy, &doc, &c, &err) != 0)
            abort();
        eseal_classification_free(c);
        eseal_policy_free(policy);
    } else if (err.message[0] == '\0') {
        abort(); /* every failure must say what is wrong */
    }
    unlink(path);
    return 0;
}
