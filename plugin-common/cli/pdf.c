/* pdf.c - `eseal seal` and `eseal verify` on PDF documents: seals inside the PDF (PAdES). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "eseal/pades.h"
#include "error_int.h"
#include "file_int.h"
#include "verdict_print.h"

int cli_pdf_sniff(const char *path)
{
    unsigned char head[1024];
    size_t n;
    FILE *f = fopen(path, "rb");

    if (f == NULL)
        return -1;
    n = fread(head, 1, sizeof(head), f);
    fclose(f);
    return eseal_pades_is_pdf(head, n);
}

int cli_pdf_read(const char *path, unsigned char **data, size_t *len, eseal_error *err)
{
    int pdf = cli_pdf_sniff(path);

    *data = NULL;
    *len = 0;
    if (pdf < 0)
        return eseal_error_set(err, ESEAL_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (pdf == 0)
        return 0;
    if (eseal_file_read(path, ESEAL_PADES_DOCUMENT_MAX, data, len, err) != ESEAL_OK)
        return err->code;
    return 1;
}

void cli_pdf_default_out(const char *file, char *out, size_t size)
{
    size_t len = strlen(file);

    if (len > 4 && strcasecmp(file + len - 4, ".pdf") == 0)
        len -= 4;
    if (snprintf(out, size, "%.*s.sealed.pdf", (int)len, file) >= (int)size)
        out[0] = '\0';
}

int cli_pdf_seal(const eseal_seal *seal, const eseal_pades_options *options, const char *file,
                 const unsigned char *pdf, size_t len, const char *out, eseal_error *why)
{
    unsigned char *sealed = NULL;
    size_t sealed_len = 0;
    int rc;

    rc = eseal_pades_sign(seal, options, pdf, len, &sealed, &sealed_len, why);
    if (rc == ESEAL_ERR_UNSUPPORTED || rc == ESEAL_ERR_FORMAT || rc == ESEAL_ERR_LIMIT)
        return rc; /* the caller seals it with a detached signature instead */
    if (rc != ESEAL_OK)
        return cli_fail(EXIT_VERDICT, file, why);
    rc = cli_write_file(out, sealed, sealed_len) == 0 ? EXIT_SUCCESS : EXIT_USAGE;
    free(sealed);
    if (rc == EXIT_SUCCESS)
        verdict_print_sealed(stdout, file, eseal_seal_subject(seal), out);
    return rc;
}

int cli_pdf_verify(const eseal_trust *trust, const char *file, const unsigned char *pdf, size_t len,
                   int json)
{
    void (*print)(FILE *, const char *, const char *, const eseal_verdict *,
                  const verdict_extra *) = json ? verdict_print_json : verdict_print_line;
    eseal_pades_signature *sigs = NULL;
    size_t i, count = 0;
    eseal_error err;
    int status = EXIT_SUCCESS;

    if (eseal_pades_verify(trust, pdf, len, &sigs, &count, &err) != ESEAL_OK)
        return cli_fail(EXIT_VERDICT, file, &err);
    if (count == 0) {
        eseal_verdict none;
        memset(&none, 0, sizeof(none));
        eseal_verdict_set(&none, ESEAL_RESULT_NONE, "the PDF has no signature");
        print(stdout, file, "pades", &none, NULL);
        return EXIT_VERDICT;
    }
    for (i = 0; i < count; i++) {
        verdict_extra x = {sigs[i].field, sigs[i].later_signatures, NULL, 0};
        print(stdout, file, sigs[i].pades ? "pades" : "pkcs7", &sigs[i].verdict, &x);
        if (sigs[i].verdict.result != ESEAL_RESULT_PASS)
            status = EXIT_VERDICT;
    }
    free(sigs);
    return status;
}
