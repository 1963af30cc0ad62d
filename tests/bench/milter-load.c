/*
 * milter-load - a milter-protocol load driver: plays the MTA side of the milter protocol
 * (version 6, as libmilter 8.1 speaks it) against a running milter, without an MTA.
 *
 * Usage: milter-load -s unix:/path|inet:PORT@HOST [-c CONNECTIONS] [-n MESSAGES]
 *                    [--outbound|--inbound] [--client-addr ADDR] [--reconnect]
 *                    [--save DIR] FILE.eml...
 *
 * Sends the files round-robin over CONNECTIONS concurrent connections (one thread each) until
 * MESSAGES messages are done, and prints messages/s, MB/s of input, the p50/p95/p99 latency
 * from sending end-of-body to the final reply, the final replies by kind and the body
 * replacements.  A connection carries many messages: after each one the driver sends
 * SMFIC_ABORT (which resets the milter's message state, as Postfix does) and starts the next
 * with SMFIC_MAIL; --reconnect opens a new connection per message instead.  --save DIR writes
 * the first message sent of each input file, as the milter modified it (header actions applied,
 * body replaced), to DIR/N.eml: the sealed output to feed an inbound run.
 *
 * Direction: --outbound (the default) sends {daemon_name}=ORIGINATING and {auth_authen}=bench,
 * either of which makes eseal treat the message as outbound (eseal_runtime_direction);
 * --inbound sends neither, and a client address outside internal_hosts (default 192.0.2.1).
 *
 * Test tool, not part of eseal: build with
 *   cc -std=gnu11 -O2 -Wall -Wextra -o milter-load tests/bench/milter-load.c -lpthread
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* protocol constants (sendmail libmilter mfdef.h) */
#define SMFI_PROT_VERSION 6
#define SMFI_CURR_ACTS 0x000001FFU
#define SMFI_CURR_PROT 0x001FFFFFU
#define SMFIP_NOCONNECT 0x00000001U
#define SMFIP_NOHELO 0x00000002U
#define SMFIP_NOMAIL 0x00000004U
#define SMFIP_NORCPT 0x00000008U
#define SMFIP_NOBODY 0x00000010U
#define SMFIP_NOHDRS 0x00000020U
#define SMFIP_NOEOH 0x00000040U
#define SMFIP_NR_HDR 0x00000080U
#define SMFIP_NOUNKNOWN 0x00000100U
#define SMFIP_NODATA 0x00000200U
#define SMFIP_SKIP 0x00000400U
#define SMFIP_NR_CONN 0x00001000U
#define SMFIP_NR_HELO 0x00002000U
#define SMFIP_NR_MAIL 0x00004000U
#define SMFIP_NR_RCPT 0x00008000U
#define SMFIP_NR_DATA 0x00010000U
#define SMFIP_NR_EOH 0x00040000U
#define SMFIP_NR_BODY 0x00080000U
#define SMFIP_HDR_LEADSPC 0x00100000U

#define MILTER_CHUNK 65535                  /* body chunk cap without SMFIP_MDS_* */
#define MILTER_REPLY_MAX (64U << 20)        /* cap on one reply packet */
#define FILE_MAX ((size_t)512 << 20)        /* cap on one input file */
#define HEADER_MAX 1000                     /* cap on headers per file */
#define FILES_MAX 1024                      /* cap on input files */
#define SAVED_HEADER_MAX (HEADER_MAX + 100) /* cap on headers of a saved message */

/* one parsed input file: headers (folded with bare LF, as MTAs pass them) and a CRLF body */
typedef struct {
    const char *path;
    size_t size; /* bytes of the file, for MB/s */
    size_t header_count;
    char *names[HEADER_MAX];
    char *values[HEADER_MAX];
    char *body;
    size_t body_len;
} load_file;

/* the run's settings and the shared message counter */
typedef struct {
    const char *socket;
    int connections;
    long messages;
    int outbound;
    int reconnect;
    const char *client_addr;
    const char *save_dir;
    load_file *files;
    size_t file_count;
    long next; /* next message index, taken with __atomic_fetch_add */
} load_run;

/* one connection's results */
typedef struct {
    load_run *run;
    int id;
    double *latency_ms; /* one per message that reached end-of-body */
    long latency_count;
    long done;
    long finals[256]; /* final replies by command byte */
    long replaced;    /* messages with at least one SMFIR_REPLBODY */
    unsigned long long replaced_bytes;
    long modifications; /* header / recipient / quarantine actions */
    unsigned long long bytes_in;
    int failed;
    char error[256];
} load_worker;

/* one connection's state */
typedef struct {
    int fd;
    uint32_t pflags; /* protocol flags the milter chose */
    unsigned char *reply;
    size_t reply_cap;
    uint32_t reply_len;
    char cmd;
} load_conn;

/* a message as the milter modified it, kept for --save */
typedef struct {
    size_t count;
    char *names[SAVED_HEADER_MAX];
    char *values[SAVED_HEADER_MAX];
    char *body;
    size_t body_len;
    int replaced;
} saved_message;

/* now_s - monotonic time in seconds. */
static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* worker_fail - record the first error of a connection; returns -1. */
static int worker_fail(load_worker *w, const char *what)
{
    if (!w->failed)
        snprintf(w->error, sizeof(w->error), "connection %d: %s", w->id, what);
    w->failed = 1;
    return -1;
}

/* write_iov - write all of two buffers, retrying short writes. */
static int write_iov(int fd, const void *a, size_t alen, const void *b, size_t blen)
{
    struct iovec iov[2] = {{(void *)a, alen}, {(void *)b, blen}};
    int n = blen ? 2 : 1;
    struct iovec *v = iov;

    while (n > 0) {
        ssize_t w = writev(fd, v, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        while (n > 0 && (size_t)w >= v->iov_len) {
            w -= v->iov_len;
            v++;
            n--;
        }
        if (n > 0) {
            v->iov_base = (char *)v->iov_base + w;
            v->iov_len -= w;
        }
    }
    return 0;
}

/* send_cmd - send one milter packet: 4-byte big-endian length, command, data. */
static int send_cmd(load_conn *c, char cmd, const void *data, size_t len)
{
    unsigned char hdr[5];
    uint32_t n = htonl((uint32_t)len + 1);

    memcpy(hdr, &n, 4);
    hdr[4] = (unsigned char)cmd;
    return write_iov(c->fd, hdr, 5, data, len);
}

/* read_all - read exactly len bytes. */
static int read_all(int fd, void *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t r = read(fd, (char *)buf + got, len - got);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += r;
    }
    return 0;
}

/* read_reply - read one reply packet into c->cmd / c->reply / c->reply_len. */
static int read_reply(load_conn *c)
{
    uint32_t n;
    unsigned char cmd;

    if (read_all(c->fd, &n, 4) != 0)
        return -1;
    n = ntohl(n);
    if (n == 0 || n > MILTER_REPLY_MAX)
        return -1;
    if (read_all(c->fd, &cmd, 1) != 0)
        return -1;
    c->cmd = (char)cmd;
    c->reply_len = n - 1;
    if (c->reply_len + 1 > c->reply_cap) {
        unsigned char *p = realloc(c->reply, c->reply_len + 1);

        if (p == NULL)
            return -1;
        c->reply = p;
        c->reply_cap = c->reply_len + 1;
    }
    if (read_all(c->fd, c->reply, c->reply_len) != 0)
        return -1;
    c->reply[c->reply_len] = '\0';
    return 0;
}

/* is_final - whether a reply ends the message (or, before end-of-body, the stage). */
static int is_final(char cmd)
{
    return strchr("acdrty", cmd) != NULL && cmd != '\0';
}

/* buf_add - append a NUL-terminated string (with its NUL) to a fixed buffer. */
static int buf_add(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s) + 1;

    if (*len + n > cap)
        return -1;
    memcpy(buf + *len, s, n);
    *len += n;
    return 0;
}

/* send_macros - send SMFIC_MACRO for a stage with NULL-terminated name/value pairs. */
static int send_macros(load_conn *c, char stage, const char *const *pairs)
{
    char buf[1024];
    size_t len = 1;

    buf[0] = stage;
    for (; pairs[0] != NULL; pairs += 2)
        if (buf_add(buf, sizeof(buf), &len, pairs[0]) != 0 ||
            buf_add(buf, sizeof(buf), &len, pairs[1]) != 0)
            return -1;
    return send_cmd(c, 'D', buf, len);
}

/* stage - send one command and, unless the milter said it sends none, read its reply;
 * returns 1 when the reply ended the message, 0 to go on, -1 on a protocol error. */
static int stage(load_worker *w, load_conn *c, char cmd, const void *data, size_t len,
                 uint32_t no_reply, char *final)
{
    if (send_cmd(c, cmd, data, len) != 0)
        return worker_fail(w, "write failed");
    if (c->pflags & no_reply)
        return 0;
    do {
        if (read_reply(c) != 0)
            return worker_fail(w, "read failed or reply too long");
    } while (c->cmd == 'p');
    if (c->cmd == 'c' || (c->cmd == 's' && cmd == 'B'))
        return 0;
    if (is_final(c->cmd)) {
        *final = c->cmd;
        return 1;
    }
    {
        char what[64];

        snprintf(what, sizeof(what), "unexpected reply '%c' to command '%c'", c->cmd, cmd);
        return worker_fail(w, what);
    }
}

/* conn_open - connect to the milter socket and negotiate options. */
static int conn_open(load_worker *w, load_conn *c)
{
    const char *spec = w->run->socket;
    uint32_t opt[3];

    c->fd = -1;
    if (strncmp(spec, "unix:", 5) == 0 || spec[0] == '/') {
        struct sockaddr_un sun = {.sun_family = AF_UNIX};
        const char *path = spec[0] == '/' ? spec : spec + 5;

        if (strlen(path) >= sizeof(sun.sun_path))
            return worker_fail(w, "socket path too long");
        memcpy(sun.sun_path, path, strlen(path) + 1);
        c->fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
            return worker_fail(w, "connect: cannot connect to the milter socket");
    } else if (strncmp(spec, "inet:", 5) == 0) {
        struct sockaddr_in sin = {.sin_family = AF_INET};
        const char *at = strchr(spec, '@');
        int one = 1;

        sin.sin_port = htons((uint16_t)atoi(spec + 5));
        if (inet_pton(AF_INET, at ? at + 1 : "127.0.0.1", &sin.sin_addr) != 1)
            return worker_fail(w, "inet socket: expected inet:PORT@IPV4");
        c->fd = socket(AF_INET, SOCK_STREAM, 0);
        if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
            return worker_fail(w, "connect: cannot connect to the milter socket");
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    } else {
        return worker_fail(w, "socket: expected unix:/path or inet:PORT@HOST");
    }
    opt[0] = htonl(SMFI_PROT_VERSION);
    opt[1] = htonl(SMFI_CURR_ACTS);
    opt[2] = htonl(SMFI_CURR_PROT);
    if (send_cmd(c, 'O', opt, sizeof(opt)) != 0 || read_reply(c) != 0)
        return worker_fail(w, "option negotiation: no reply");
    if (c->cmd != 'O' || c->reply_len < 12)
        return worker_fail(w, "option negotiation: expected an 'O' reply of 12 bytes or more");
    memcpy(opt, c->reply, sizeof(opt));
    c->pflags = ntohl(opt[2]);
    return 0;
}

/* conn_hello - send the connection's macros, CONNECT and HELO. */
static int conn_hello(load_worker *w, load_conn *c)
{
    const load_run *run = w->run;
    const char *conn_macros[] = {"{daemon_name}",
                                 run->outbound ? "ORIGINATING" : "MTA",
                                 "j",
                                 "mx.bench.test",
                                 "_",
                                 "client.bench.test",
                                 "{client_addr}",
                                 run->client_addr,
                                 NULL};
    char buf[512];
    size_t len = 0;
    uint16_t port = htons(40000);
    char final = 0;
    int r;

    if (send_macros(c, 'C', conn_macros) != 0)
        return worker_fail(w, "write failed");
    if (!(c->pflags & SMFIP_NOCONNECT)) {
        buf_add(buf, sizeof(buf), &len, "client.bench.test");
        buf[len++] = '4';
        memcpy(buf + len, &port, 2);
        len += 2;
        if (buf_add(buf, sizeof(buf), &len, run->client_addr) != 0)
            return worker_fail(w, "client address too long");
        if ((r = stage(w, c, 'C', buf, len, SMFIP_NR_CONN, &final)) != 0)
            return r < 0 ? r : worker_fail(w, "connection not accepted");
    }
    if (!(c->pflags & SMFIP_NOHELO) &&
        (r = stage(w, c, 'H', "client.bench.test", sizeof("client.bench.test"), SMFIP_NR_HELO,
                   &final)) != 0)
        return r < 0 ? r : worker_fail(w, "HELO not accepted");
    return 0;
}

/* saved_header - add a header at a position (or, index past the end, at the end). */
static int saved_header(saved_message *m, size_t index, const char *name, const char *value)
{
    size_t i;

    if (m->count == SAVED_HEADER_MAX)
        return -1;
    if (index > m->count)
        index = m->count;
    for (i = m->count; i > index; i--) {
        m->names[i] = m->names[i - 1];
        m->values[i] = m->values[i - 1];
    }
    m->names[index] = strdup(name);
    /* headers of the input keep the space after the colon; give added ones one too */
    m->values[index] = malloc(strlen(value) + 2);
    if (m->names[index] == NULL || m->values[index] == NULL)
        return -1;
    snprintf(m->values[index], strlen(value) + 2, "%s%s",
             value[0] == ' ' || value[0] == '\t' ? "" : " ", value);
    m->count++;
    return 0;
}

/* saved_apply - apply one modification reply (header actions, body chunks) to a message. */
static int saved_apply(saved_message *m, const load_conn *c)
{
    const char *p = (const char *)c->reply, *end = p + c->reply_len;
    uint32_t index = 0;
    const char *name, *value;
    size_t i, at, seen;

    if (c->cmd == 'b') {
        char *body = m->replaced ? m->body : NULL;
        size_t len = m->replaced ? m->body_len : 0;

        body = realloc(body, len + c->reply_len + 1);
        if (body == NULL)
            return -1;
        memcpy(body + len, c->reply, c->reply_len);
        m->body = body;
        m->body_len = len + c->reply_len;
        m->replaced = 1;
        return 0;
    }
    if (c->cmd != 'h' && c->cmd != 'i' && c->cmd != 'm')
        return 0; /* envelope and quarantine actions do not change the message text */
    if (c->cmd != 'h') {
        if (c->reply_len < 4)
            return -1;
        memcpy(&index, p, 4);
        index = ntohl(index);
        p += 4;
    }
    name = p;
    value = memchr(name, '\0', end - name);
    if (value == NULL)
        return -1;
    value++;
    if (memchr(value, '\0', end - value) == NULL)
        return -1;
    if (c->cmd == 'h')
        return saved_header(m, m->count, name, value);
    if (c->cmd == 'i')
        return saved_header(m, index, name, value);
    /* change: the index-th (from 1) header of that name; an empty value deletes it */
    for (i = 0, seen = 0; i < m->count; i++) {
        if (strcasecmp(m->names[i], name) != 0 || ++seen != index)
            continue;
        free(m->names[i]);
        free(m->values[i]);
        for (at = i; i + 1 < m->count; i++) {
            m->names[i] = m->names[i + 1];
            m->values[i] = m->values[i + 1];
        }
        m->count--;
        return value[0] == '\0' ? 0 : saved_header(m, at, name, value);
    }
    return value[0] == '\0' ? 0 : saved_header(m, m->count, name, value);
}

/* saved_write - write a modified message to DIR/N.eml with CRLF line ends; frees it. */
static int saved_write(saved_message *m, const load_file *f, const char *dir, long n)
{
    char path[4096];
    FILE *fp;
    size_t i;
    const char *p;
    int rc = 0;

    snprintf(path, sizeof(path), "%s/%ld.eml", dir, n);
    fp = fopen(path, "wb");
    if (fp == NULL)
        rc = -1;
    for (i = 0; i < m->count; i++) {
        if (fp != NULL) {
            fprintf(fp, "%s:", m->names[i]);
            for (p = m->values[i]; *p; p++) {
                if (*p == '\n' && (p == m->values[i] || p[-1] != '\r'))
                    fputc('\r', fp);
                fputc(*p, fp);
            }
            fputs("\r\n", fp);
        }
        free(m->names[i]);
        free(m->values[i]);
    }
    if (fp != NULL) {
        fputs("\r\n", fp);
        fwrite(m->replaced ? m->body : f->body, 1, m->replaced ? m->body_len : f->body_len, fp);
        if (fclose(fp) != 0)
            rc = -1;
    }
    if (m->replaced)
        free(m->body);
    memset(m, 0, sizeof(*m));
    return rc;
}

/* send_message - run one transaction; returns 0 with the final reply in *final, -1 on error. */
static int send_message(load_worker *w, load_conn *c, const load_file *f, long n, char *final,
                        double *latency_ms, saved_message *saved)
{
    const load_run *run = w->run;
    char qid[32];
    const char *mail_macros[] = {
        "i",     qid, "{mail_addr}", "x@example.com", run->outbound ? "{auth_authen}" : NULL,
        "bench", NULL};
    const char *rcpt_macros[] = {"{rcpt_addr}", "rcpt@example.org", NULL};
    const char *eom_macros[] = {"i", qid, NULL};
    char hdr[65536];
    size_t off;
    size_t i;
    int r;
    double t0;

    *latency_ms = -1;
    snprintf(qid, sizeof(qid), "B%dQ%ld", w->id, n);
    if (send_macros(c, 'M', mail_macros) != 0)
        return worker_fail(w, "write failed");
    if (!(c->pflags & SMFIP_NOMAIL) &&
        (r = stage(w, c, 'M', "<x@example.com>", sizeof("<x@example.com>"), SMFIP_NR_MAIL,
                   final)) != 0)
        return r < 0 ? r : 0;
    if (send_macros(c, 'R', rcpt_macros) != 0)
        return worker_fail(w, "write failed");
    if (!(c->pflags & SMFIP_NORCPT) &&
        (r = stage(w, c, 'R', "<rcpt@example.org>", sizeof("<rcpt@example.org>"), SMFIP_NR_RCPT,
                   final)) != 0)
        return r < 0 ? r : 0;
    if (!(c->pflags & SMFIP_NODATA) && (r = stage(w, c, 'T', "", 0, SMFIP_NR_DATA, final)) != 0)
        return r < 0 ? r : 0;
    for (i = 0; i < f->header_count && !(c->pflags & SMFIP_NOHDRS); i++) {
        const char *value = f->values[i];

        /* the MTA drops the one space after the colon unless the milter asked for it */
        if (!(c->pflags & SMFIP_HDR_LEADSPC) && value[0] == ' ')
            value++;
        off = 0;
        if (buf_add(hdr, sizeof(hdr), &off, f->names[i]) != 0 ||
            buf_add(hdr, sizeof(hdr), &off, value) != 0)
            return worker_fail(w, "header longer than 64 KB");
        if ((r = stage(w, c, 'L', hdr, off, SMFIP_NR_HDR, final)) != 0)
            return r < 0 ? r : 0;
    }
    if (!(c->pflags & SMFIP_NOEOH) && (r = stage(w, c, 'N', "", 0, SMFIP_NR_EOH, final)) != 0)
        return r < 0 ? r : 0;
    for (off = 0; off < f->body_len && !(c->pflags & SMFIP_NOBODY); off += MILTER_CHUNK) {
        size_t len = f->body_len - off < MILTER_CHUNK ? f->body_len - off : MILTER_CHUNK;

        if ((r = stage(w, c, 'B', f->body + off, len, SMFIP_NR_BODY, final)) != 0)
            return r < 0 ? r : 0;
        if (c->cmd == 's' && !(c->pflags & SMFIP_NR_BODY))
            break;
    }
    if (send_macros(c, 'E', eom_macros) != 0)
        return worker_fail(w, "write failed");
    t0 = now_s();
    if (send_cmd(c, 'E', "", 0) != 0)
        return worker_fail(w, "write failed");
    /* modifications come first, then one final reply */
    for (r = 0;;) {
        if (read_reply(c) != 0)
            return worker_fail(w, "end of body: read failed or reply too long");
        if (is_final(c->cmd))
            break;
        if (c->cmd == 'p')
            continue;
        if (c->cmd == 'b') {
            w->replaced_bytes += c->reply_len;
            r = 1;
        } else if (strchr("hmi+-2eq", c->cmd) != NULL) {
            w->modifications++;
        } else {
            char what[64];

            snprintf(what, sizeof(what), "end of body: unexpected reply '%c'", c->cmd);
            return worker_fail(w, what);
        }
        if (saved != NULL && saved_apply(saved, c) != 0)
            return worker_fail(w, "end of body: malformed modification, or out of memory");
    }
    *latency_ms = (now_s() - t0) * 1000;
    *final = c->cmd;
    w->replaced += r;
    return 0;
}

/* conn_close - send QUIT and close. */
static void conn_close(load_conn *c)
{
    if (c->fd >= 0) {
        send_cmd(c, 'Q', "", 0);
        close(c->fd);
    }
    c->fd = -1;
}

/* worker_main - one connection: take message numbers until the run is done. */
static void *worker_main(void *arg)
{
    load_worker *w = arg;
    load_run *run = w->run;
    load_conn c = {.fd = -1};
    long n;

    while ((n = __atomic_fetch_add(&run->next, 1, __ATOMIC_RELAXED)) < run->messages) {
        const load_file *f = &run->files[n % run->file_count];
        char final = 0;
        double ms;
        saved_message *saved = NULL;

        if (c.fd < 0 && (conn_open(w, &c) != 0 || conn_hello(w, &c) != 0))
            break;
        if (run->save_dir != NULL && n < (long)run->file_count) {
            saved = calloc(1, sizeof(*saved));
            for (size_t i = 0; saved != NULL && i < f->header_count; i++)
                if (saved_header(saved, i, f->names[i], f->values[i]) != 0)
                    break;
            if (saved == NULL || saved->count != f->header_count) {
                worker_fail(w, "--save: out of memory");
                free(saved);
                break;
            }
        }
        if (send_message(w, &c, f, n, &final, &ms, saved) != 0) {
            free(saved);
            break;
        }
        if (saved != NULL) {
            if (saved_write(saved, f, run->save_dir, n) != 0)
                worker_fail(w, "--save: cannot write the message");
            free(saved);
        }
        w->done++;
        w->bytes_in += f->size;
        w->finals[(unsigned char) final]++;
        if (ms >= 0)
            w->latency_ms[w->latency_count++] = ms;
        if (run->reconnect)
            conn_close(&c);
        else if (send_cmd(&c, 'A', "", 0) != 0) { /* resets the message, keeps the connection */
            worker_fail(w, "write failed");
            break;
        }
    }
    conn_close(&c);
    free(c.reply);
    return NULL;
}

/* file_load - read a message file and split it into headers and a CRLF body. */
static int file_load(load_file *f, const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *text, *p, *end, *body;
    struct stat st;
    size_t i;

    if (fp == NULL || fstat(fileno(fp), &st) != 0 || (size_t)st.st_size > FILE_MAX) {
        fprintf(stderr, "milter-load: %s: cannot read or larger than 512 MB\n", path);
        if (fp)
            fclose(fp);
        return -1;
    }
    f->path = path;
    f->size = st.st_size;
    text = malloc(f->size + 1);
    if (text == NULL || fread(text, 1, f->size, fp) != f->size) {
        fprintf(stderr, "milter-load: %s: read failed\n", path);
        fclose(fp);
        free(text);
        return -1;
    }
    fclose(fp);
    text[f->size] = '\0';
    end = text + f->size;
    /* headers: "Name: value" lines, continuation lines folded in with a bare LF */
    for (p = text; p < end && *p != '\r' && *p != '\n';) {
        char *eol = memchr(p, '\n', end - p), *colon, *v;

        if (eol == NULL)
            eol = end;
        if (*p == ' ' || *p == '\t') {
            if (f->header_count == 0) {
                fprintf(stderr, "milter-load: %s: continuation line before any header\n", path);
                return -1;
            }
            v = f->values[f->header_count - 1];
            i = strlen(v);
            v = realloc(v, i + 2 + (eol - p));
            if (v == NULL)
                return -1;
            v[i] = '\n';
            memcpy(v + i + 1, p, eol - p);
            v[i + 1 + (eol - p)] = '\0';
            if (eol - p > 0 && v[i + (eol - p)] == '\r')
                v[i + (eol - p)] = '\0';
            f->values[f->header_count - 1] = v;
        } else {
            colon = memchr(p, ':', eol - p);
            if (colon == NULL || f->header_count == HEADER_MAX) {
                fprintf(stderr, "milter-load: %s: header line without ':' or over %d headers\n",
                        path, HEADER_MAX);
                return -1;
            }
            f->names[f->header_count] = strndup(p, colon - p);
            v = strndup(colon + 1, eol - colon - 1);
            if (v == NULL || f->names[f->header_count] == NULL)
                return -1;
            i = strlen(v);
            if (i > 0 && v[i - 1] == '\r')
                v[i - 1] = '\0';
            f->values[f->header_count++] = v;
        }
        p = eol < end ? eol + 1 : end;
    }
    if (p < end && *p == '\r')
        p++;
    if (p < end && *p == '\n')
        p++;
    /* the body as the MTA sends it: CRLF line ends */
    body = malloc(2 * (end - p) + 1);
    if (body == NULL)
        return -1;
    for (i = 0; p < end; p++) {
        if (*p == '\n' && (i == 0 || body[i - 1] != '\r'))
            body[i++] = '\r';
        body[i++] = *p;
    }
    f->body = body;
    f->body_len = i;
    free(text);
    return 0;
}

/* cmp_double - qsort order for latencies. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* usage - print the usage and exit 2. */
static void usage(void)
{
    fprintf(stderr, "usage: milter-load -s unix:/path|inet:PORT@HOST [-c CONNECTIONS] "
                    "[-n MESSAGES]\n"
                    "                   [--outbound|--inbound] [--client-addr ADDR] "
                    "[--reconnect]\n"
                    "                   [--save DIR] FILE.eml...\n");
    exit(2);
}

int main(int argc, char **argv)
{
    load_run run = {.connections = 1, .messages = 100, .outbound = 1};
    load_worker *workers;
    pthread_t *threads;
    double *all, t0, secs;
    long total = 0, lat_count = 0, replaced = 0, mods = 0;
    long finals[256] = {0};
    unsigned long long bytes = 0, replaced_bytes = 0;
    int i, a, failed = 0;
    const char *kinds = "acdrty";

    for (a = 1; a < argc && argv[a][0] == '-'; a++) {
        if (strcmp(argv[a], "-s") == 0 && a + 1 < argc)
            run.socket = argv[++a];
        else if (strcmp(argv[a], "-c") == 0 && a + 1 < argc)
            run.connections = atoi(argv[++a]);
        else if (strcmp(argv[a], "-n") == 0 && a + 1 < argc)
            run.messages = atol(argv[++a]);
        else if (strcmp(argv[a], "--outbound") == 0)
            run.outbound = 1;
        else if (strcmp(argv[a], "--inbound") == 0)
            run.outbound = 0;
        else if (strcmp(argv[a], "--client-addr") == 0 && a + 1 < argc)
            run.client_addr = argv[++a];
        else if (strcmp(argv[a], "--reconnect") == 0)
            run.reconnect = 1;
        else if (strcmp(argv[a], "--save") == 0 && a + 1 < argc)
            run.save_dir = argv[++a];
        else
            usage();
    }
    if (run.socket == NULL || a == argc || run.connections < 1 || run.connections > 1024 ||
        run.messages < 1 || run.messages > 100000000L || argc - a > FILES_MAX)
        usage();
    if (run.client_addr == NULL)
        run.client_addr = run.outbound ? "127.0.0.1" : "192.0.2.1";
    run.file_count = argc - a;
    run.files = calloc(run.file_count, sizeof(*run.files));
    workers = calloc(run.connections, sizeof(*workers));
    threads = calloc(run.connections, sizeof(*threads));
    all = calloc(run.messages, sizeof(*all));
    if (run.files == NULL || workers == NULL || threads == NULL || all == NULL)
        return 1;
    for (i = 0; i < (int)run.file_count; i++)
        if (file_load(&run.files[i], argv[a + i]) != 0)
            return 1;
    for (i = 0; i < run.connections; i++) {
        workers[i].run = &run;
        workers[i].id = i;
        workers[i].latency_ms = calloc(run.messages, sizeof(double));
        if (workers[i].latency_ms == NULL)
            return 1;
    }
    t0 = now_s();
    for (i = 0; i < run.connections; i++)
        if (pthread_create(&threads[i], NULL, worker_main, &workers[i]) != 0)
            return 1;
    for (i = 0; i < run.connections; i++)
        pthread_join(threads[i], NULL);
    secs = now_s() - t0;
    for (i = 0; i < run.connections; i++) {
        load_worker *w = &workers[i];
        int k;

        if (w->failed) {
            fprintf(stderr, "milter-load: %s\n", w->error);
            failed = 1;
        }
        total += w->done;
        bytes += w->bytes_in;
        replaced += w->replaced;
        replaced_bytes += w->replaced_bytes;
        mods += w->modifications;
        for (k = 0; k < 256; k++)
            finals[k] += w->finals[k];
        memcpy(all + lat_count, w->latency_ms, w->latency_count * sizeof(double));
        lat_count += w->latency_count;
    }
    qsort(all, lat_count, sizeof(double), cmp_double);
    printf("socket %s, %d connection(s), %s, %s\n", run.socket, run.connections,
           run.outbound ? "outbound" : "inbound",
           run.reconnect ? "one connection per message" : "connections reused (abort)");
    printf("messages      %ld of %ld\n", total, run.messages);
    printf("seconds       %.3f\n", secs);
    printf("messages/s    %.1f\n", secs > 0 ? total / secs : 0.0);
    printf("MB/s          %.2f (input %.2f MB)\n", secs > 0 ? bytes / 1e6 / secs : 0.0,
           bytes / 1e6);
    if (lat_count > 0)
        printf("latency ms    p50 %.2f  p95 %.2f  p99 %.2f  max %.2f (end-of-body to final "
               "reply, %ld messages)\n",
               all[(lat_count - 1) * 50 / 100], all[(lat_count - 1) * 95 / 100],
               all[(lat_count - 1) * 99 / 100], all[lat_count - 1], lat_count);
    printf("final replies");
    for (; *kinds; kinds++)
        printf("  %c %ld", *kinds, finals[(unsigned char)*kinds]);
    printf("\nbody replaced %ld messages (%.2f MB), other modifications %ld\n", replaced,
           replaced_bytes / 1e6, mods);
    for (i = 0; i < run.connections; i++)
        free(workers[i].latency_ms);
    for (size_t f = 0; f < run.file_count; f++) {
        for (size_t h = 0; h < run.files[f].header_count; h++) {
            free(run.files[f].names[h]);
            free(run.files[f].values[h]);
        }
        free(run.files[f].body);
    }
    free(run.files);
    free(workers);
    free(threads);
    free(all);
    return failed || total != run.messages ? 1 : 0;
}
