/* log.c - the milter's log: syslog (mail facility), or stderr in the foreground. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

static int log_stderr;
static const char *log_ident = "eseal-milter";

void log_open(const char *ident, int to_stderr)
{
    log_ident = ident;
    log_stderr = to_stderr;
    if (!to_stderr)
        openlog(ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void log_msg(int prio, const char *qid, const char *fmt, ...)
{
    char text[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (log_stderr)
        fprintf(stderr, "%s: %s%s%s\n", log_ident, qid ? qid : "", qid ? ": " : "", text);
    else
        syslog(prio, "%s%s%s", qid ? qid : "", qid ? ": " : "", text);
}
