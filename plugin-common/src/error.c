/* error.c - status codes and messages of libeseal. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "error_int.h"

void eseal_error_clear(eseal_error *err)
{
    if (err == NULL)
        return;
    err->code = ESEAL_OK;
    err->message[0] = '\0';
}

const char *eseal_error_message(const eseal_error *err)
{
    return err == NULL ? "" : err->message;
}

__attribute__((format(printf, 3, 0))) static void error_vset(eseal_error *err, eseal_status code,
                                                             const char *fmt, va_list ap)
{
    err->code = code;
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
}

int eseal_error_set(eseal_error *err, eseal_status code, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL) {
        va_start(ap, fmt);
        error_vset(err, code, fmt, ap);
        va_end(ap);
    }
    return code;
}

int eseal_error_openssl(eseal_error *err, eseal_status code, const char *fmt, ...)
{
    va_list ap;
    unsigned long e = ERR_peek_error();
    size_t used;

    if (err != NULL) {
        va_start(ap, fmt);
        error_vset(err, code, fmt, ap);
        va_end(ap);
        used = strlen(err->message);
        if (e != 0 && used + 3 < sizeof(err->message)) {
            const char *reason = ERR_reason_error_string(e);
            snprintf(err->message + used, sizeof(err->message) - used, " (%s)",
                     reason != NULL ? reason : "unknown OpenSSL error");
        }
    }
    ERR_clear_error();
    return code;
}
