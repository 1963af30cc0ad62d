/* cfgerr.c - libconfuse errors as "file:line: message" in an eseal_error. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cfgerr_int.h"
#include "error_int.h"
#include "file_int.h"

#define CFGERR_TEXT_MAX 400

/* libconfuse's error callback gets no user pointer; during one parse on one thread it writes
 * into the caller's eseal_error through this.  The root is kept because sections made before
 * parsing (non-MULTI ones) carry no file name. */
static _Thread_local struct cfgerr_sink {
    eseal_error *err;
    cfg_t *root;
} cfgerr_sink;

void cfgerr_func(cfg_t *cfg, const char *fmt, va_list ap)
{
    char text[CFGERR_TEXT_MAX];
    const char *file;
    int line;

    if (cfgerr_sink.err == NULL || cfgerr_sink.err->code != ESEAL_OK)
        return; /* the first error is the one that explains the others */
    vsnprintf(text, sizeof(text), fmt, ap);
    file = cfg != NULL && cfg->filename != NULL ? cfg->filename
           : cfgerr_sink.root != NULL           ? cfgerr_sink.root->filename
                                                : NULL;
    line = cfg != NULL && cfg->line > 0 ? cfg->line
           : cfgerr_sink.root != NULL   ? cfgerr_sink.root->line
                                        : 0;
    if (file != NULL && line > 0)
        eseal_error_set(cfgerr_sink.err, ESEAL_ERR_CONFIG, "%s:%d: %s", file, line, text);
    else
        eseal_error_set(cfgerr_sink.err, ESEAL_ERR_CONFIG, "%s: %s", file ? file : "config", text);
}

void cfgerr_error(cfg_t *cfg, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cfgerr_func(cfg, fmt, ap);
    va_end(ap);
}

int cfgerr_check_int(cfg_t *cfg, cfg_opt_t *opt, long min, long max)
{
    long value = cfg_opt_getnint(opt, 0);

    if (value < min || value > max) {
        cfgerr_error(cfg, "%s: expected %ld to %ld, got %ld", cfg_opt_name(opt), min, max, value);
        return -1;
    }
    return 0;
}

int cfgerr_include(cfg_t *cfg, cfg_opt_t *opt, int argc, const char **argv)
{
    const char *file = cfg != NULL ? cfg->filename : NULL, *slash;
    char path[4096];
    const char *argv_abs[1] = {path};
    eseal_error unsafe;

    if (argc != 1) {
        cfgerr_error(cfg, "include: expected one file name");
        return 1;
    }
    slash = file != NULL ? strrchr(file, '/') : NULL;
    if (argv[0][0] == '/' || slash == NULL)
        snprintf(path, sizeof(path), "%s", argv[0]);
    else if (snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - file), file, argv[0]) >=
             (int)sizeof(path)) {
        cfgerr_error(cfg, "include: path too long");
        return 1;
    }
    if (eseal_file_check_mode(path, 022, geteuid(), "included file", &unsafe) != ESEAL_OK) {
        cfgerr_error(cfg, "%s", unsafe.message);
        return 1;
    }
    return cfg_include(cfg, opt, 1, argv_abs);
}

int cfgerr_check_word(cfg_t *cfg, cfg_opt_t *opt, const char *const *words)
{
    unsigned i, n;
    const char *const *w;

    for (i = 0, n = cfg_opt_size(opt); i < n; i++) {
        const char *value = cfg_opt_getnstr(opt, i);
        for (w = words; *w != NULL && strcmp(*w, value) != 0; w++)
            ;
        if (*w == NULL) {
            char expected[CFGERR_TEXT_MAX] = "";
            for (w = words; *w != NULL; w++) {
                strncat(expected, *w, sizeof(expected) - strlen(expected) - 1);
                if (w[1] != NULL)
                    strncat(expected, w[2] ? ", " : " or ",
                            sizeof(expected) - strlen(expected) - 1);
            }
            cfgerr_error(cfg, "%s: expected %s, got '%s'", cfg_opt_name(opt), expected, value);
            return -1;
        }
    }
    return 0;
}

int cfgerr_parse(cfg_t *cfg, const char *path, eseal_error *err)
{
    int rc;

    eseal_error_clear(err);
    cfgerr_sink.err = err;
    cfgerr_sink.root = cfg;
    rc = cfg_parse(cfg, path);
    cfgerr_sink.err = NULL;
    cfgerr_sink.root = NULL;
    if (rc != CFG_SUCCESS && err != NULL && err->code == ESEAL_OK)
        eseal_error_set(err, ESEAL_ERR_CONFIG, "%s: %s", path,
                        rc == CFG_FILE_ERROR ? "cannot read the file" : "parse error");
    return rc;
}
