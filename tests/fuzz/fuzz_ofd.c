/* fuzz_ofd.c - fuzz target: a hostile OFD package checked for seals with the test PKI's
 * trust anchors ($ESEAL_TEST_PKI); nothing in it may verify as `pass`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "eseal/ofd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static eseal_trust *fuzz_trust(void)
{
    static eseal_trust *trust;
    char anchors[4096];
    const char *pki = getenv("ESEAL_TEST_PKI");
    eseal_error err;

    if (trust != NULL)
        return trust;
    snprintf(anchors, sizeof(anchors), "%s/trust.pem", pki ? pki : ".");
    if (eseal_trust_new(&trust, anchors, NULL, 0, 2048, &err) != 0) {
        fprintf(stderr, "fuzz_ofd: set ESEAL_TEST_PKI: %s\n", err.message);
        abort();
    }
    return trust;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    eseal_ofd_signature *sigs = NULL;
    size_t i, count = 0;

    if (eseal_ofd_verify(fuzz_trust(), data, size, &sigs, &count, NULL) == 0)
        for (i = 0; i < count; i++)
            if (sigs[i].verdict.result == ESEAL_RESULT_PASS)
                abort(); /* the test PKI has no SM2 anchor: no SES seal may pass */
    free(sigs);
    return 0;
}
