/* cli.h - what the commands of the eseal CLI share. */
#ifndef ESEAL_CLI_H
#define ESEAL_CLI_H

#include "eseal/error.h"
#include "eseal/policy.h"

#define EXIT_VERDICT 1 /* a verdict other than pass, or the document may not be sealed */
#define EXIT_USAGE 2   /* usage, configuration or I/O error */
#define CLI_PATH_MAX 4096
#define CLI_POLICIES_MAX 32

extern const char cli_usage[];

/* cli_fail - print "eseal: what: message" on stderr; returns status. */
int cli_fail(int status, const char *what, const eseal_error *err);

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
