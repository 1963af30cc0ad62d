/* stats.h - eseal-milter's counters since it started: written to the log on SIGUSR1 and served
 * as Prometheus text on stats_socket.  Thread-safe; process-wide (the milter is one). */
#ifndef ESEAL_MILTER_STATS_H
#define ESEAL_MILTER_STATS_H

#include <stddef.h>

#include "eseal/message.h"

/* What became of a message. */
typedef enum stats_outcome {
    STATS_ACCEPTED,    /* passed on, with its seals or verdicts */
    STATS_HELD,        /* quarantined by the policy */
    STATS_REJECTED,    /* refused with 5xx by the policy or for forged headers */
    STATS_UNPROCESSED, /* past a limit: passed on unchecked, with a header that says so */
    STATS_ERROR,       /* could not be handled: on_error applied */
    STATS_OUTCOMES
} stats_outcome;

/* stats_message - count one message: its direction, outcome, attachments (counts may be NULL
 * when the pipeline gave no result) and the milliseconds its end of message took. */
void stats_message(eseal_direction dir, stats_outcome outcome, const eseal_message_counts *counts,
                   double millis);

/* stats_reload - count a reload, ok or failed. */
void stats_reload(int ok);

/* stats_log - write the counters to the log, one line. */
void stats_log(void);

/* stats_format - the counters as Prometheus text exposition format into buf; its length
 * (truncated to size - 1 when buf is too small). */
size_t stats_format(char *buf, size_t size);

/* stats_open - start counting (the start time) and, when spec (unix:PATH, inet:PORT@127.0.0.1
 * or inet6:PORT@::1) is not NULL, listen on it: before privileges are dropped, like the
 * milter's socket; 0, or -1 with the reason in why. */
int stats_open(const char *spec, char *why, size_t why_size);

/* stats_serve - answer every connection to the socket of stats_open with the counters over
 * HTTP/1.0, in a thread of its own (after any fork); 0 (also without a socket), or -1. */
int stats_serve(void);

#endif
