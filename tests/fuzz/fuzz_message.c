/* fuzz_message.c - fuzz target: a hostile message through the milter's pipeline, inbound and
 * outbound, with the test PKI's seal for example.com ($ESEAL_TEST_PKI) and the shipped
 * policies (text extraction of every attachment included). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "eseal/message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static eseal_runtime *fuzz_runtime(void)
{
    static eseal_runtime *rt;
    const char *pki = getenv("ESEAL_TEST_PKI");
    char path[] = "/tmp/eseal-fuzz-rt.XXXXXX";
    eseal_error err;
    FILE *f;
    int fd;

    if (rt != NULL)
        return rt;
    g_mime_init();
    fd = mkstemp(path);
    if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
        abort();
    fprintf(f,
            "authserv_id = fuzz.test\n"
            "policy_files = {\"%s/policy/article3.policy\", \"%s/policy/contracts.policy\"}\n"
            "seal example.com {\n  key = %s/seal-ec.key\n  certificate = %s/seal-ec-chain.pem\n}\n"
            "verify {\n  trust_anchors = %s/trust.pem\n}\n",
            ESEAL_SOURCE_DIR, ESEAL_SOURCE_DIR, pki, pki, pki);
    fclose(f);
    if (pki == NULL || eseal_runtime_load(&rt, path, &err) != 0) {
        fprintf(stderr, "fuzz_message: set ESEAL_TEST_PKI: %s\n", pki ? err.message : "");
        abort();
    }
    unlink(path);
    return rt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    eseal_message_input in = {.fd = -1, .data = data, .len = size};
    eseal_message_result *result;
    int dir;

    for (dir = ESEAL_INBOUND; dir <= ESEAL_OUTBOUND; dir++) {
        if (eseal_message_process(fuzz_runtime(), (eseal_direction)dir, &in, &result, NULL) == 0) {
            if (dir == ESEAL_INBOUND && eseal_message_result_body_fd(result) >= 0)
                abort(); /* inbound never changes the body */
            eseal_message_result_free(result);
        }
    }
    return 0;
}
