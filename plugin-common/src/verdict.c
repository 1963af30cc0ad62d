/* verdict.c - result words and reasons of seal checks. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "eseal/verdict.h"

const char *eseal_result_word(eseal_result r)
{
    switch (r) {
    case ESEAL_RESULT_PASS:
        return "pass";
    case ESEAL_RESULT_NONE:
        return "none";
    case ESEAL_RESULT_UNTRUSTED:
        return "untrusted";
    case ESEAL_RESULT_EXPIRED:
        return "expired";
    case ESEAL_RESULT_WEAK:
        return "weak";
    case ESEAL_RESULT_REVOKED:
        return "revoked";
    case ESEAL_RESULT_ERROR:
        return "error";
    case ESEAL_RESULT_FAIL:
        return "fail";
    }
    return "error";
}

void eseal_verdict_time(time_t t, char *buf, size_t size)
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, size, "?");
}

void eseal_verdict_set(eseal_verdict *v, eseal_result r, const char *fmt, ...)
{
    va_list ap;

    v->result = r;
    va_start(ap, fmt);
    vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
    va_end(ap);
}
