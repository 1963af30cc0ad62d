/* fuzz_cades_verify.c - fuzz target: a hostile detached signature (and any timestamp token in
 * it) checked against a fixed document with the test PKI's trust anchors ($ESEAL_TEST_PKI). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "eseal/cades.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static eseal_trust *fuzz_trust(void)
{
    static eseal_trust *trust;
    char anchors[4096], tsa_anchors[4096];
    const char *pki = getenv("ESEAL_TEST_PKI");
    eseal_trust_options options = {.anchors = anchors, .timestamp_anchors = tsa_anchors};
    eseal_error err;

    if (trust != NULL)
        return trust;
    snprintf(anchors, sizeof(anchors), "%s/trust.pem", pki ? pki : ".");
    /* with timestamp authorities trusted, a signature-time-stamp token is parsed and checked */
    snprintf(tsa_anchors, sizeof(tsa_anchors), "%s/tsa-trust.pem", pki ? pki : ".");
    if (eseal_trust_new_with(&trust, &options, &err) != 0) {
        fprintf(stderr, "fuzz_cades_verify: set ESEAL_TEST_PKI: %s\n", err.message);
        abort();
    }
    return trust;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char document[] = "Contract no. 42\n";
    eseal_cades_verifier *verifier;
    eseal_verdict verdict;

    if (eseal_cades_verifier_new(&verifier, fuzz_trust(), data, size, NULL) != 0)
        return 0;
    eseal_cades_verifier_update(verifier, document, sizeof(document) - 1, NULL);
    eseal_cades_verifier_finish(verifier, &verdict);
    if (verdict.result == ESEAL_RESULT_PASS)
        abort(); /* nothing but a seal over this document by a trusted CA may pass */
    eseal_cades_verifier_free(verifier);
    return 0;
}
