/* cli.h - what the commands of the eseal CLI share. */
#ifndef ESEAL_CLI_H
#define ESEAL_CLI_H

#include <stddef.h>

#include "eseal/config.h"
#include "eseal/error.h"
#include "eseal/pades.h"
#include "eseal/policy.h"
#include "eseal/seal.h"
#include "eseal/trust.h"

#define EXIT_VERDICT 1 /* a verdict other than pass, or the document may not be sealed */
#define EXIT_USAGE 2   /* usage, configuration or I/O error */
#define CLI_PATH_MAX 4096
#define CLI_POLICIES_MAX 32

extern const char cli_usage[];

/* cli_fail - print "eseal: what: message" on stderr; returns status. */
int cli_fail(int status, const char *what, const eseal_error *err);

/* cli_write_file - write data to path through a temporary file and a rename; 0, or -1 (said
 * on stderr). */
int cli_write_file(const char *path, const unsigned char *data, size_t len);

/* cli_pdf_sniff - 1 when the file at path starts like a PDF, 0 when not, -1 (errno set) when
 * it cannot be opened. */
int cli_pdf_sniff(const char *path);

/* cli_pdf_read - when the file at path is a PDF, read it whole into *data (free() it) and
 * return 1; 0 when it is not a PDF; a negative status (err set) when it cannot be read. */
int cli_pdf_read(const char *path, unsigned char **data, size_t *len, eseal_error *err);

/* cli_pdf_default_out - where a sealed copy of file goes by default: NAME.sealed.pdf. */
void cli_pdf_default_out(const char *file, char *out, size_t size);

/* cli_pdf_seal - seal the PDF in place into out and say so: an exit status, or
 * ESEAL_ERR_UNSUPPORTED, _FORMAT or _LIMIT (why set) when it must be sealed detached. */
int cli_pdf_seal(const eseal_seal *seal, const eseal_pades_options *options, const char *file,
                 const unsigned char *pdf, size_t len, const char *out, eseal_error *why);

/* cli_pdf_verify - check and print every signature inside the PDF: the exit status. */
int cli_pdf_verify(const eseal_trust *trust, const char *file, const unsigned char *pdf, size_t len,
                   int json);

/* cli_is_ofd - whether path names an OFD document (.ofd). */
int cli_is_ofd(const char *path);

/* cli_ofd_seal - seal the OFD document file with the SES seal of section (seal is the
 * section's own, loaded) into out (default FILE.sealed.ofd) and say so: the exit status. */
int cli_ofd_seal(const eseal_seal_config *section, const eseal_seal *seal, const char *file,
                 const char *out);

/* cli_ofd_read - when path names an OFD document (.ofd), read it whole into *data (free() it)
 * and return 1; 0 when it is not one; a negative status (err set) when it cannot be read. */
int cli_ofd_read(const char *path, unsigned char **data, size_t *len, eseal_error *err);

/* cli_ofd_verify - check and print every signature of the OFD document, then its overall
 * verdict: the exit status. */
int cli_ofd_verify(const eseal_trust *trust, const char *file, const unsigned char *ofd, size_t len,
                   int json);

/* cli_add_policy - record one -p POLICY option; 0, or EXIT_USAGE (said) past the cap. */
int cli_add_policy(const char **policies, size_t *count, const char *path);

/* cli_check_message - `eseal check-message`. */
int cli_check_message(int argc, char **argv);

/* cli_classify - `eseal classify`. */
int cli_classify(int argc, char **argv);

/* cli_policy_load - the policy of the -p files, else of the configuration's policy_files
 * (conf_path, or the default configuration when it exists); *out NULL when there is none. */
int cli_policy_load(const char *conf_path, const char *const *paths, size_t count,
                    eseal_policy **out, eseal_error *err);

/* cli_classify_file - classify the file at path (its name, type and extracted text) into *out;
 * *capped (may be NULL) gets a note when extraction stopped at a cap, else "". */
int cli_classify_file(const eseal_policy *policy, const char *path, eseal_classification **out,
                      char *capped, size_t capped_size, eseal_error *err);

#endif
