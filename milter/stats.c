/* stats.c - eseal-milter's counters since it started: written to the log on SIGUSR1 and served
 * as Prometheus text on stats_socket.
 *
 * SECURITY: the stats socket is reachable by whoever may connect to it (a unix socket in the
 * milter's runtime directory, or a loopback port: eseal.conf refuses any other address).
 * What a client sends is read with a time-out and a cap and otherwise ignored; the answer is
 * the same for every request, one client at a time. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "file_int.h"
#include "log.h"
#include "stats.h"

#define STATS_REQUEST_MAX 4096  /* bytes of a request read (and ignored) */
#define STATS_TEXT_MAX 8192     /* the exposition text */
#define STATS_TIMEOUT_SECONDS 2 /* for a client to send its request */

static const char *const stats_directions[] = {"inbound", "outbound"};
static const char *const stats_outcomes[STATS_OUTCOMES] = {"accepted", "held", "rejected",
                                                           "unprocessed", "error"};
/* upper bounds of the histogram of end-of-message times, in seconds */
static const double stats_buckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define STATS_BUCKETS (sizeof(stats_buckets) / sizeof(stats_buckets[0]))

static struct {
    atomic_ulong messages[2][STATS_OUTCOMES];
    atomic_ulong sealed, refused;                     /* outbound attachments */
    atomic_ulong verified, failed, unsealed, flagged; /* inbound attachments */
    atomic_ulong bucket[STATS_BUCKETS + 1];           /* the last: above every bound */
    atomic_ulong micros_sum;
    atomic_ulong reloads_ok, reloads_failed;
} stats;

static time_t stats_started;
static int stats_listener = -1;

void stats_message(eseal_direction dir, stats_outcome outcome, const eseal_message_counts *counts,
                   double millis)
{
    size_t b = 0;

    atomic_fetch_add_explicit(&stats.messages[dir == ESEAL_OUTBOUND][outcome], 1,
                              memory_order_relaxed);
    if (counts != NULL && dir == ESEAL_OUTBOUND) {
        atomic_fetch_add_explicit(&stats.sealed, counts->sealed, memory_order_relaxed);
        atomic_fetch_add_explicit(&stats.refused, counts->refused, memory_order_relaxed);
    } else if (counts != NULL) {
        atomic_fetch_add_explicit(&stats.verified, counts->sealed - counts->failed,
                                  memory_order_relaxed);
        atomic_fetch_add_explicit(&stats.failed, counts->failed, memory_order_relaxed);
        atomic_fetch_add_explicit(&stats.unsealed, counts->unsealed, memory_order_relaxed);
        atomic_fetch_add_explicit(&stats.flagged, counts->flagged, memory_order_relaxed);
    }
    while (b < STATS_BUCKETS && millis / 1000 > stats_buckets[b])
        b++;
    atomic_fetch_add_explicit(&stats.bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&stats.micros_sum, (unsigned long)(millis * 1000),
                              memory_order_relaxed);
}

void stats_reload(int ok)
{
    atomic_fetch_add_explicit(ok ? &stats.reloads_ok : &stats.reloads_failed, 1,
                              memory_order_relaxed);
}

static unsigned long stats_get(atomic_ulong *counter)
{
    return atomic_load_explicit(counter, memory_order_relaxed);
}

/* All messages of one direction. */
static unsigned long stats_direction_total(int outbound)
{
    unsigned long n = 0;
    int o;

    for (o = 0; o < STATS_OUTCOMES; o++)
        n += stats_get(&stats.messages[outbound][o]);
    return n;
}

void stats_log(void)
{
    log_msg(LOG_INFO, NULL,
            "stats: outbound messages=%lu (held=%lu rejected=%lu unprocessed=%lu error=%lu) "
            "attachments sealed=%lu refused=%lu; inbound messages=%lu (held=%lu rejected=%lu "
            "unprocessed=%lu error=%lu) attachments verified=%lu failed=%lu unsealed=%lu "
            "flagged=%lu; reloads=%lu failed=%lu; up %lld s",
            stats_direction_total(1), stats_get(&stats.messages[1][STATS_HELD]),
            stats_get(&stats.messages[1][STATS_REJECTED]),
            stats_get(&stats.messages[1][STATS_UNPROCESSED]),
            stats_get(&stats.messages[1][STATS_ERROR]), stats_get(&stats.sealed),
            stats_get(&stats.refused), stats_direction_total(0),
            stats_get(&stats.messages[0][STATS_HELD]),
            stats_get(&stats.messages[0][STATS_REJECTED]),
            stats_get(&stats.messages[0][STATS_UNPROCESSED]),
            stats_get(&stats.messages[0][STATS_ERROR]), stats_get(&stats.verified),
            stats_get(&stats.failed), stats_get(&stats.unsealed), stats_get(&stats.flagged),
            stats_get(&stats.reloads_ok), stats_get(&stats.reloads_failed),
            (long long)(time(NULL) - stats_started));
}

/* Append to buf at *len (snprintf semantics: never past size - 1). */
static void stats_put(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void stats_put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (*len + 1 >= size)
        return;
    va_start(ap, fmt);
    n = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len = (size_t)n < size - *len ? *len + (size_t)n : size - 1;
}

size_t stats_format(char *buf, size_t size)
{
    size_t len = 0, b;
    unsigned long cumulative = 0;
    int d, o;

    buf[0] = '\0';
    stats_put(buf, size, &len,
              "# HELP eseal_messages_total Messages by direction and what became of them.\n"
              "# TYPE eseal_messages_total counter\n");
    for (d = 0; d < 2; d++)
        for (o = 0; o < STATS_OUTCOMES; o++)
            stats_put(buf, size, &len,
                      "eseal_messages_total{direction=\"%s\",outcome=\"%s\"} %lu\n",
                      stats_directions[d], stats_outcomes[o], stats_get(&stats.messages[d][o]));
    stats_put(buf, size, &len,
              "# HELP eseal_attachments_total Attachments: sealed or refused outbound; verified, "
              "failed, unsealed or flagged inbound.\n"
              "# TYPE eseal_attachments_total counter\n"
              "eseal_attachments_total{direction=\"outbound\",result=\"sealed\"} %lu\n"
              "eseal_attachments_total{direction=\"outbound\",result=\"refused\"} %lu\n"
              "eseal_attachments_total{direction=\"inbound\",result=\"verified\"} %lu\n"
              "eseal_attachments_total{direction=\"inbound\",result=\"failed\"} %lu\n"
              "eseal_attachments_total{direction=\"inbound\",result=\"unsealed\"} %lu\n"
              "eseal_attachments_total{direction=\"inbound\",result=\"flagged\"} %lu\n",
              stats_get(&stats.sealed), stats_get(&stats.refused), stats_get(&stats.verified),
              stats_get(&stats.failed), stats_get(&stats.unsealed), stats_get(&stats.flagged));
    stats_put(buf, size, &len,
              "# HELP eseal_message_seconds Time from end of message to the final answer.\n"
              "# TYPE eseal_message_seconds histogram\n");
    for (b = 0; b <= STATS_BUCKETS; b++) {
        cumulative += stats_get(&stats.bucket[b]);
        if (b < STATS_BUCKETS)
            stats_put(buf, size, &len, "eseal_message_seconds_bucket{le=\"%g\"} %lu\n",
                      stats_buckets[b], cumulative);
        else
            stats_put(buf, size, &len, "eseal_message_seconds_bucket{le=\"+Inf\"} %lu\n",
                      cumulative);
    }
    stats_put(buf, size, &len,
              "eseal_message_seconds_sum %.6f\neseal_message_seconds_count %lu\n"
              "# HELP eseal_reloads_total Configuration reloads (SIGHUP).\n"
              "# TYPE eseal_reloads_total counter\n"
              "eseal_reloads_total{result=\"ok\"} %lu\n"
              "eseal_reloads_total{result=\"failed\"} %lu\n"
              "# HELP eseal_start_time_seconds When eseal-milter started (Unix time).\n"
              "# TYPE eseal_start_time_seconds gauge\n"
              "eseal_start_time_seconds %lld\n",
              (double)stats_get(&stats.micros_sum) / 1e6, cumulative, stats_get(&stats.reloads_ok),
              stats_get(&stats.reloads_failed), (long long)stats_started);
    return len;
}

/* Read what the client sends until the end of its request headers, a cap or the time-out. */
static void stats_read_request(int fd)
{
    char req[STATS_REQUEST_MAX];
    size_t used = 0;
    ssize_t n;

    while (used < sizeof(req) - 1 && (n = read(fd, req + used, sizeof(req) - 1 - used)) > 0) {
        used += (size_t)n;
        req[used] = '\0';
        if (strstr(req, "\r\n\r\n") != NULL || strstr(req, "\n\n") != NULL)
            break;
    }
}

static void *stats_loop(void *arg)
{
    int listener = (int)(intptr_t)arg;
    struct timeval timeout = {STATS_TIMEOUT_SECONDS, 0};
    char *text = malloc(STATS_TEXT_MAX), head[160];

    for (;;) {
        int fd = accept(listener, NULL, NULL);
        size_t len;
        int n;
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE)
                continue;
            log_msg(LOG_ERR, NULL, "stats_socket: accept: %s; statistics no longer served",
                    strerror(errno));
            break;
        }
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
        stats_read_request(fd);
        len = text != NULL ? stats_format(text, STATS_TEXT_MAX) : 0;
        n = snprintf(head, sizeof(head),
                     "HTTP/1.0 %s\r\nContent-Type: text/plain; version=0.0.4\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                     text != NULL ? "200 OK" : "503 Service Unavailable", len);
        if (eseal_file_write_all(fd, head, (size_t)n) == 0 && len > 0)
            eseal_file_write_all(fd, text, len);
        close(fd);
    }
    free(text);
    close(listener);
    return NULL;
}

/* A listening socket for spec; the descriptor, or -1 with the reason in why. */
static int stats_listen(const char *spec, char *why, size_t why_size)
{
    struct sockaddr_storage ss;
    socklen_t ss_len;
    int fd, one = 1;

    memset(&ss, 0, sizeof(ss));
    if (strncmp(spec, "unix:", 5) == 0) {
        struct sockaddr_un *un = (struct sockaddr_un *)&ss;
        if (strlen(spec + 5) >= sizeof(un->sun_path)) {
            snprintf(why, why_size, "path too long");
            return -1;
        }
        un->sun_family = AF_UNIX;
        memcpy(un->sun_path, spec + 5, strlen(spec + 5) + 1);
        ss_len = sizeof(*un);
        unlink(un->sun_path); /* left by an earlier run */
    } else {
        const char *port = strchr(spec, ':') + 1, *host = strchr(spec, '@') + 1;
        if (strncmp(spec, "inet6:", 6) == 0) {
            struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
            in6->sin6_family = AF_INET6;
            in6->sin6_port = htons((uint16_t)atoi(port));
            inet_pton(AF_INET6, host, &in6->sin6_addr);
            ss_len = sizeof(*in6);
        } else {
            struct sockaddr_in *in = (struct sockaddr_in *)&ss;
            in->sin_family = AF_INET;
            in->sin_port = htons((uint16_t)atoi(port));
            inet_pton(AF_INET, host, &in->sin_addr);
            ss_len = sizeof(*in);
        }
    }
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && ss.ss_family != AF_UNIX)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, ss_len) != 0 || listen(fd, 16) != 0) {
        snprintf(why, why_size, "%s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int stats_open(const char *spec, char *why, size_t why_size)
{
    stats_started = time(NULL);
    if (spec != NULL && (stats_listener = stats_listen(spec, why, why_size)) < 0)
        return -1;
    return 0;
}

int stats_serve(void)
{
    pthread_t thread;

    if (stats_listener < 0)
        return 0;
    if (pthread_create(&thread, NULL, stats_loop, (void *)(intptr_t)stats_listener) != 0)
        return -1;
    pthread_detach(thread);
    return 0;
}
