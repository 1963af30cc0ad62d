/* fuzz_ses.c - fuzz target: hostile DER as an SES_Signature (v4, v1) and as a GB/T 35275
 * SignedData; whatever parses must point inside the input. */
#include <stdint.h>
#include <stdlib.h>

#include "ses_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A parsed range must lie inside the input. */
static void inside(const uint8_t *data, size_t size, const ses_bytes *b)
{
    if (b->len > 0 && (b->data < data || b->data + b->len > data + size))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ses_signature s;
    ses_signed_data d;

    if (ses_parse(data, size, &s, NULL) == 0) {
        inside(data, size, &s.tbs);
        inside(data, size, &s.seal_info);
        inside(data, size, &s.signer_cert);
        inside(data, size, &s.maker_cert);
        inside(data, size, &s.cert_list);
        inside(data, size, &s.signature);
        ses_cert_listed(&s, data, size);
    }
    if (ses_parse_signed_data(data, size, &d, NULL) == 0) {
        inside(data, size, &d.certs);
        inside(data, size, &d.attrs);
        inside(data, size, &d.message_digest);
        inside(data, size, &d.signature);
    }
    return 0;
}
