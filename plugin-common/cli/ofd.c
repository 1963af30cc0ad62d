/* ofd.c - `eseal verify FILE.ofd` (every SES seal and signature of an OFD document) and
 * `eseal seal --seal DOMAIN FILE.ofd` (an SES seal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "eseal/ofd.h"
#include "eseal/runtime.h"
#include "file_int.h"
#include "verdict_print.h"

int cli_is_ofd(const char *path)
{
    size_t n = strlen(path);

    return n >= 4 && strcasecmp(path + n - 4, ".ofd") == 0;
}

int cli_ofd_read(const char *path, unsigned char **data, size_t *len, eseal_error *err)
{
    *data = NULL;
    *len = 0;
    if (!cli_is_ofd(path))
        return 0;
    if (eseal_file_read(path, ESEAL_OFD_DOCUMENT_MAX, data, len, err) != ESEAL_OK)
        return err->code;
    return 1;
}

int cli_ofd_verify(const eseal_trust *trust, const char *file, const unsigned char *ofd, size_t len,
                   int json)
{
    void (*print)(FILE *, const char *, const char *, const eseal_verdict *,
                  const verdict_extra *) = json ? verdict_print_json : verdict_print_line;
    eseal_ofd_signature *sigs = NULL;
    eseal_verdict overall;
    size_t i, count = 0;
    eseal_error err;

    if (eseal_ofd_verify(trust, ofd, len, &sigs, &count, &err) != ESEAL_OK)
        return cli_fail(EXIT_VERDICT, file, &err);
    memset(&overall, 0, sizeof(overall));
    if (count == 0)
        eseal_verdict_set(&overall, ESEAL_RESULT_NONE, "the OFD document has no signature");
    for (i = 0; i < count; i++) {
        verdict_extra x = {sigs[i].path, 0, sigs[i].seal_name[0] ? sigs[i].seal_name : NULL,
                           sigs[i].seal_type};
        print(stdout, file, strcmp(sigs[i].kind, "Sign") == 0 ? "ofd-sign" : "ofd-ses",
              &sigs[i].verdict, &x);
        if (i == 0 || sigs[i].verdict.result > overall.result)
            eseal_verdict_set(&overall, sigs[i].verdict.result, "%zu signature(s); the worst: %s",
                              count, sigs[i].verdict.reason);
    }
    /* the document's verdict: its worst signature's */
    print(stdout, file, "ofd", &overall, NULL);
    free(sigs);
    return overall.result == ESEAL_RESULT_PASS ? EXIT_SUCCESS : EXIT_VERDICT;
}

int cli_ofd_seal(const eseal_seal_config *section, const eseal_seal *seal, const char *file,
                 const char *out)
{
    unsigned char *ofd = NULL, *ses = NULL, *sealed = NULL;
    size_t ofd_len = 0, ses_len = 0, sealed_len = 0, n = strlen(file);
    eseal_seal *loaded = NULL;
    char default_out[4096];
    eseal_error err;
    int status;

    if (eseal_ses_load(section, seal, geteuid(), &loaded, &ses, &ses_len, &err) != ESEAL_OK)
        return cli_fail(EXIT_USAGE, "", &err);
    if (out == NULL) {
        snprintf(default_out, sizeof(default_out), "%.*s.sealed.ofd", (int)(n - 4), file);
        out = default_out;
    }
    if (cli_ofd_read(file, &ofd, &ofd_len, &err) < 0) {
        status = cli_fail(EXIT_USAGE, "", &err);
    } else if (eseal_ofd_sign(loaded ? loaded : seal, ses, ses_len, ofd, ofd_len, &sealed,
                              &sealed_len, &err) != ESEAL_OK) {
        status = cli_fail(EXIT_VERDICT, file, &err);
    } else {
        status = cli_write_file(out, sealed, sealed_len) == 0 ? EXIT_SUCCESS : EXIT_USAGE;
        if (status == EXIT_SUCCESS)
            verdict_print_sealed(stdout, file, eseal_seal_subject(loaded ? loaded : seal), out);
    }
    free(sealed);
    free(ofd);
    free(ses);
    eseal_seal_free(loaded);
    return status;
}
