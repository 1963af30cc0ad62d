/* fuzz_pades.c - fuzz target: a hostile PDF verified, sealed in place with the test PKI's
 * seal ($ESEAL_TEST_PKI), and the sealed copy verified again: whatever eseal seals, its own
 * verifier must find that seal, last in the file, and pass it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "eseal/pades.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_pki {
    eseal_trust *trust;
    eseal_seal *seal;
};

static const struct fuzz_pki *fuzz_pki(void)
{
    static struct fuzz_pki pki;
    const char *dir = getenv("ESEAL_TEST_PKI");
    char anchors[4096], key[4096], chain[4096];
    eseal_error err;

    if (pki.seal != NULL)
        return &pki;
    snprintf(anchors, sizeof(anchors), "%s/trust.pem", dir ? dir : ".");
    snprintf(key, sizeof(key), "%s/seal-ec.key", dir ? dir : ".");
    snprintf(chain, sizeof(chain), "%s/seal-ec-chain.pem", dir ? dir : ".");
    if (eseal_trust_new(&pki.trust, anchors, NULL, 0, 2048, &err) != 0 ||
        eseal_seal_load(&pki.seal, key, chain, NULL, &err) != 0) {
        fprintf(stderr, "fuzz_pades: set ESEAL_TEST_PKI: %s\n", err.message);
        abort();
    }
    return &pki;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct fuzz_pki *pki = fuzz_pki();
    eseal_pades_options options = {.reason = "fuzz"};
    eseal_pades_signature *sigs = NULL;
    unsigned char *sealed = NULL;
    size_t count = 0, sealed_len = 0;

    eseal_pades_verify(pki->trust, data, size, &sigs, &count, NULL);
    free(sigs);
    sigs = NULL;
    if (eseal_pades_sign(pki->seal, &options, data, size, &sealed, &sealed_len, NULL) != 0)
        return 0;
    if (eseal_pades_verify(pki->trust, sealed, sealed_len, &sigs, &count, NULL) != 0 ||
        count == 0 || sigs[count - 1].verdict.result != ESEAL_RESULT_PASS) {
        fprintf(stderr, "fuzz_pades: the seal just made does not verify: %s\n",
                count > 0 ? sigs[count - 1].verdict.reason : "no signature found");
        abort();
    }
    free(sigs);
    free(sealed);
    return 0;
}
