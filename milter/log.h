/* log.h - the milter's log: syslog (mail facility), or stderr in the foreground. */
#ifndef ESEAL_MILTER_LOG_H
#define ESEAL_MILTER_LOG_H

#include <syslog.h>

/* log_open - log to stderr when to_stderr, else to syslog as ident. */
void log_open(const char *ident, int to_stderr);

/* log_msg - one line at priority prio, prefixed with the queue id when qid is not NULL. */
void log_msg(int prio, const char *qid, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
