/* cfgerr_int.h - libconfuse errors as "file:line: message" in an eseal_error. */
#ifndef ESEAL_CFGERR_INT_H
#define ESEAL_CFGERR_INT_H

#include <stdarg.h>

#include <confuse.h>

#include "eseal/error.h"

/* cfgerr_func - the error function to give cfg_set_error_function for every cfg_t. */
void cfgerr_func(cfg_t *cfg, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* cfgerr_error - report an error found by the caller (e.g. a validation callback) in cfg at
 * its current file and line; the first error of a parse is the one kept. */
void cfgerr_error(cfg_t *cfg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* cfgerr_check_int - a validation callback's body: the integer option opt must be within
 * [min, max]; 0, or -1 after reporting "name: expected min to max, got N". */
int cfgerr_check_int(cfg_t *cfg, cfg_opt_t *opt, long min, long max);

/* cfgerr_include - include(FILE) for both file kinds: a relative FILE is relative to the
 * including file's directory (not to the daemon's working directory, "/" once it runs), and
 * FILE must not be writable by group or others, like the file that includes it. */
int cfgerr_include(cfg_t *cfg, cfg_opt_t *opt, int argc, const char **argv);

/* cfgerr_check_word - a validation callback's body: every value of opt must be one of the
 * NULL-terminated words; 0, or -1 after reporting "name: expected a, b or c, got 'x'". */
int cfgerr_check_word(cfg_t *cfg, cfg_opt_t *opt, const char *const *words);

/* cfgerr_parse - cfg_parse(cfg, path) with every error going to *err (cleared first);
 * returns libconfuse's status (CFG_SUCCESS, CFG_FILE_ERROR, CFG_PARSE_ERROR). */
int cfgerr_parse(cfg_t *cfg, const char *path, eseal_error *err);

#endif
