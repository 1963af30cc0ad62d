/* filter.c - the libmilter callbacks of eseal-milter: collect one message, hand it to the
 * pipeline of libeseal at end of message, apply what it decided.
 *
 * SECURITY: every byte here comes from the network.  The direction of a message (and so
 * whether it may be sealed) depends only on what the MTA says of the connection: the
 * client address, SMTP AUTH and the daemon name; never on the message.  Headers and body
 * are capped by max_message_size, and what is kept per header is bounded; the limits of
 * eseal-milter(8), LIMITS, are checked by the pipeline (a message past one is passed on
 * unprocessed); a message the pipeline cannot handle gets on_error and is never
 * half-changed. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <libmilter/mfapi.h>

#include "eseal/message.h"
#include "filter.h"
#include "log.h"
#include "spool.h"
#include "stats.h"

#define FILTER_SPOOL_MEMORY (1024 * 1024) /* larger messages go to a temp file */
#define FILTER_FORGED_MAX 1000 /* more forged headers than this: the message is rejected */
#define FILTER_NAME_MAX 128
#define FILTER_BODY_CHUNK 65535 /* the milter protocol's largest body chunk */

static pthread_mutex_t filter_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t filter_idle = PTHREAD_COND_INITIALIZER;
static eseal_runtime *filter_current;
static int filter_in_flight;

/* An ESeal-* header that arrived, remembered for messages that are not parsed. */
typedef struct filter_forged {
    char *name;
    int index;
} filter_forged;

/* One message, from MAIL FROM to end of message or abort. */
typedef struct filter_message {
    eseal_runtime *rt;
    spool *spool;
    char auth[256];
    char envelope_from[512]; /* MAIL FROM without its angle brackets */
    int oversize;
    int spool_failed;
    filter_forged *forged;
    int forged_count, forged_cap;
    int forged_overflow;
    GHashTable *header_counts; /* lower-case name -> headers of that name so far */
    struct timespec eom_start; /* when end of message came, for the log and the statistics */
} filter_message;

/* One SMTP connection. */
typedef struct filter_conn {
    int family; /* AF_INET, AF_INET6, or 0 when the MTA gave no address */
    unsigned char addr[16];
    char client[INET6_ADDRSTRLEN];
    char daemon[FILTER_NAME_MAX];
    filter_message *msg;
} filter_conn;

eseal_runtime *filter_runtime_swap(eseal_runtime *rt)
{
    eseal_runtime *old;

    pthread_mutex_lock(&filter_lock);
    old = filter_current;
    filter_current = rt;
    pthread_mutex_unlock(&filter_lock);
    return old;
}

static eseal_runtime *filter_runtime_acquire(void)
{
    eseal_runtime *rt;

    pthread_mutex_lock(&filter_lock);
    rt = filter_current ? eseal_runtime_ref(filter_current) : NULL;
    filter_in_flight++;
    pthread_mutex_unlock(&filter_lock);
    return rt;
}

int filter_wait_idle(int seconds)
{
    struct timespec until;
    int left;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += seconds;
    pthread_mutex_lock(&filter_lock);
    while (filter_in_flight > 0 && pthread_cond_timedwait(&filter_idle, &filter_lock, &until) == 0)
        ;
    left = filter_in_flight;
    pthread_mutex_unlock(&filter_lock);
    return left;
}

static void filter_message_free(filter_conn *conn)
{
    filter_message *msg = conn->msg;

    if (msg == NULL)
        return;
    conn->msg = NULL;
    while (msg->forged_count > 0)
        free(msg->forged[--msg->forged_count].name);
    free(msg->forged);
    if (msg->header_counts != NULL)
        g_hash_table_destroy(msg->header_counts);
    spool_free(msg->spool);
    eseal_runtime_unref(msg->rt);
    free(msg);
    pthread_mutex_lock(&filter_lock);
    if (--filter_in_flight == 0)
        pthread_cond_broadcast(&filter_idle);
    pthread_mutex_unlock(&filter_lock);
}

static const char *filter_qid(SMFICTX *ctx)
{
    const char *qid = smfi_getsymval(ctx, "i");

    return qid ? qid : "NOQUEUE";
}

static filter_conn *filter_conn_of(SMFICTX *ctx)
{
    return smfi_getpriv(ctx);
}

static sfsistat filter_connect(SMFICTX *ctx, char *hostname, struct sockaddr *addr)
{
    filter_conn *conn = calloc(1, sizeof(*conn));
    const char *daemon = smfi_getsymval(ctx, "{daemon_name}");

    (void)hostname;
    if (conn == NULL)
        return SMFIS_TEMPFAIL;
    if (addr != NULL && addr->sa_family == AF_INET) {
        conn->family = AF_INET;
        memcpy(conn->addr, &((struct sockaddr_in *)addr)->sin_addr, 4);
    } else if (addr != NULL && addr->sa_family == AF_INET6) {
        conn->family = AF_INET6;
        memcpy(conn->addr, &((struct sockaddr_in6 *)addr)->sin6_addr, 16);
    }
    if (conn->family != 0)
        inet_ntop(conn->family, conn->addr, conn->client, sizeof(conn->client));
    else
        snprintf(conn->client, sizeof(conn->client), "unknown");
    snprintf(conn->daemon, sizeof(conn->daemon), "%s", daemon ? daemon : "");
    smfi_setpriv(ctx, conn);
    return SMFIS_CONTINUE;
}

static sfsistat filter_helo(SMFICTX *ctx, char *helo)
{
    (void)ctx;
    (void)helo;
    return SMFIS_CONTINUE;
}

static sfsistat filter_envfrom(SMFICTX *ctx, char **argv)
{
    filter_conn *conn = filter_conn_of(ctx);
    const char *auth = smfi_getsymval(ctx, "{auth_authen}");
    filter_message *msg;

    if (conn == NULL)
        return SMFIS_TEMPFAIL;
    filter_message_free(conn); /* a transaction the MTA did not close */
    msg = calloc(1, sizeof(*msg));
    if (msg == NULL || (msg->spool = spool_new(FILTER_SPOOL_MEMORY)) == NULL) {
        free(msg);
        return SMFIS_TEMPFAIL;
    }
    snprintf(msg->auth, sizeof(msg->auth), "%s", auth ? auth : "");
    if (argv != NULL && argv[0] != NULL) {
        const char *from = argv[0] + (argv[0][0] == '<');
        snprintf(msg->envelope_from, sizeof(msg->envelope_from), "%.*s", (int)strcspn(from, ">"),
                 from);
    }
    msg->header_counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    msg->rt = filter_runtime_acquire();
    conn->msg = msg;       /* from here on filter_message_free releases it */
    if (msg->rt == NULL) { /* shutting down: no message without a runtime */
        filter_message_free(conn);
        return SMFIS_TEMPFAIL;
    }
    return SMFIS_CONTINUE;
}

static sfsistat filter_envrcpt(SMFICTX *ctx, char **argv)
{
    (void)ctx;
    (void)argv;
    return SMFIS_CONTINUE;
}

static sfsistat filter_data(SMFICTX *ctx)
{
    (void)ctx;
    return SMFIS_CONTINUE;
}

/* Append to the spool unless the message is already over max_message_size. */
static void filter_spool(filter_message *msg, const void *data, size_t len)
{
    uint64_t max = eseal_runtime_config(msg->rt)->max_message_size;

    if (msg->oversize || msg->spool_failed)
        return;
    if (spool_size(msg->spool) + len > max) {
        msg->oversize = 1;
        return;
    }
    if (spool_append(msg->spool, data, len) != 0)
        msg->spool_failed = 1;
}

/* Count an arriving header; remember it, with its index among headers of its name, when it
 * is one only this host may write.  Only the names such a header can have are counted (every
 * ESeal-* one is a forgery, so they stop at the cap): a message of a million headers of
 * different names costs no memory here.  0, or -1 past the cap or without memory. */
static int filter_count_header(filter_message *msg, const char *name, const char *value)
{
    char *key;
    int index, ours;

    if (strncasecmp(name, "ESeal-", 6) != 0 && strcasecmp(name, "Authentication-Results") != 0)
        return 0;
    ours = eseal_message_header_is_ours(name, value, eseal_runtime_config(msg->rt)->authserv_id);
    if (msg->forged_count == FILTER_FORGED_MAX)
        return ours ? -1 : 0; /* the message will be rejected: no index is needed any more */
    key = g_ascii_strdown(name, -1);
    index = GPOINTER_TO_INT(g_hash_table_lookup(msg->header_counts, key)) + 1;
    g_hash_table_replace(msg->header_counts, key, GINT_TO_POINTER(index));
    if (!ours)
        return 0;
    if (msg->forged_count == msg->forged_cap) {
        int cap = msg->forged_cap ? msg->forged_cap * 2 : 8;
        filter_forged *n;
        if (cap > FILTER_FORGED_MAX)
            cap = FILTER_FORGED_MAX;
        if ((n = realloc(msg->forged, (size_t)cap * sizeof(*n))) == NULL)
            return -1;
        msg->forged = n;
        msg->forged_cap = cap;
    }
    if ((msg->forged[msg->forged_count].name = strdup(name)) == NULL)
        return -1;
    msg->forged[msg->forged_count++].index = index;
    return 0;
}

static sfsistat filter_header(SMFICTX *ctx, char *name, char *value)
{
    filter_conn *conn = filter_conn_of(ctx);
    filter_message *msg = conn ? conn->msg : NULL;
    const char *p;

    if (msg == NULL)
        return SMFIS_CONTINUE;
    if (filter_count_header(msg, name, value) != 0)
        msg->forged_overflow = 1;
    filter_spool(msg, name, strlen(name));
    filter_spool(msg, ": ", 2);
    for (p = value; *p != '\0'; p++) { /* the MTA folds with bare LF; the spool is CRLF */
        if (*p == '\n' && (p == value || p[-1] != '\r'))
            filter_spool(msg, "\r", 1);
        filter_spool(msg, p, 1);
    }
    filter_spool(msg, "\r\n", 2);
    return SMFIS_CONTINUE;
}

static sfsistat filter_eoh(SMFICTX *ctx)
{
    filter_conn *conn = filter_conn_of(ctx);

    if (conn != NULL && conn->msg != NULL)
        filter_spool(conn->msg, "\r\n", 2);
    return SMFIS_CONTINUE;
}

static sfsistat filter_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
    filter_conn *conn = filter_conn_of(ctx);

    if (conn != NULL && conn->msg != NULL)
        filter_spool(conn->msg, chunk, len);
    return SMFIS_CONTINUE;
}

/* Milliseconds since the message's end of message came. */
static double filter_millis(const filter_message *msg)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - msg->eom_start.tv_sec) * 1e3 +
           (double)(now.tv_nsec - msg->eom_start.tv_nsec) / 1e6;
}

/* Delete the ESeal-* headers that came with the message, as the MTA counts them. */
static void filter_delete_forged(SMFICTX *ctx, const filter_message *msg)
{
    int i;

    for (i = msg->forged_count; i-- > 0;)
        smfi_chgheader(ctx, msg->forged[i].name, msg->forged[i].index, NULL);
}

/* The answer to a message that could not be handled: action, as the setting named rule says
 * (on_error; on_timestamp_error, which only defers). */
static sfsistat filter_on_error(SMFICTX *ctx, const filter_message *msg, const char *qid,
                                const char *why, const char *rule, eseal_on_error action)
{
    switch (action) {
    case ESEAL_ON_ERROR_ACCEPT:
        /* unchecked, but not with a verdict somebody else wrote */
        filter_delete_forged(ctx, msg);
        log_msg(LOG_WARNING, qid, "%s; %s=accept: passed on without ESeal-* headers ms=%.0f", why,
                rule, filter_millis(msg));
        return SMFIS_ACCEPT;
    case ESEAL_ON_ERROR_REJECT:
        log_msg(LOG_WARNING, qid, "%s; %s=reject ms=%.0f", why, rule, filter_millis(msg));
        smfi_setreply(ctx, "550", "5.7.0", "eseal: the message cannot be processed");
        return SMFIS_REJECT;
    case ESEAL_ON_ERROR_TEMPFAIL:
        break;
    }
    log_msg(LOG_WARNING, qid, "%s; %s=tempfail ms=%.0f", why, rule, filter_millis(msg));
    smfi_setreply(ctx, "451", "4.3.0", "eseal: the message cannot be processed now, try later");
    return SMFIS_TEMPFAIL;
}

/* Apply header edits (changes and deletions first: they count original headers; then the
 * additions, inserted at the top in reverse so they come out in order) and the new body. */
static int filter_apply(SMFICTX *ctx, const eseal_message_result *r)
{
    size_t i, n = eseal_message_result_edit_count(r);
    int fd = eseal_message_result_body_fd(r);
    unsigned char *chunk;
    off_t at = 0;
    ssize_t got;

    for (i = 0; i < n; i++) {
        const eseal_header_edit *e = eseal_message_result_edit(r, i);
        if (e->op != ESEAL_EDIT_ADD &&
            smfi_chgheader(ctx, (char *)e->name, e->index,
                           e->op == ESEAL_EDIT_CHANGE ? (char *)e->value : NULL) != MI_SUCCESS)
            return -1;
    }
    for (i = n; i-- > 0;) {
        const eseal_header_edit *e = eseal_message_result_edit(r, i);
        if (e->op == ESEAL_EDIT_ADD &&
            smfi_insheader(ctx, 0, (char *)e->name, (char *)e->value) != MI_SUCCESS)
            return -1;
    }
    if (fd < 0)
        return 0;
    chunk = malloc(FILTER_BODY_CHUNK);
    if (chunk == NULL)
        return -1;
    while ((got = pread(fd, chunk, FILTER_BODY_CHUNK, at)) > 0) {
        if (smfi_replacebody(ctx, chunk, (int)got) != MI_SUCCESS) {
            got = -1;
            break;
        }
        at += got;
    }
    free(chunk);
    return got < 0 ? -1 : 0;
}

/* A message eseal will not process (too large, too many parts): it goes on, unchanged but
 * for the forged headers removed and one that says why it was neither checked nor sealed.
 * A permanent condition: deferring it would only bounce it days later. */
static sfsistat filter_unprocessed(SMFICTX *ctx, filter_message *msg, eseal_direction dir,
                                   const char *qid, const char *why)
{
    const char *name;
    char value[600];

    filter_delete_forged(ctx, msg);
    eseal_message_unchecked_header(msg->rt, dir, why, &name, value, sizeof(value));
    if (smfi_insheader(ctx, 0, (char *)name, value) != MI_SUCCESS)
        return SMFIS_TEMPFAIL;
    log_msg(LOG_NOTICE, qid, "%s passed on unprocessed: %s ms=%.0f",
            dir == ESEAL_OUTBOUND ? "outbound" : "inbound", why, filter_millis(msg));
    return SMFIS_CONTINUE;
}

/* A reason as SMTP reply text: ASCII without line breaks, '%' doubled (libmilter's replies
 * are format strings to sendmail). */
static void filter_reply_text(const char *reason, char *out, size_t size)
{
    size_t n = 0;

    for (; *reason != '\0' && n + 3 < size; reason++) {
        unsigned char c = (unsigned char)*reason;
        if (c == '%')
            out[n++] = '%';
        out[n++] = c < 0x20 ? ' ' : c >= 0x7f ? '?' : (char)c; /* SMTP replies are ASCII */
    }
    out[n] = '\0';
}

/* Carry out the pipeline's decision for the message; *outcome says what became of it. */
static sfsistat filter_decide(SMFICTX *ctx, filter_conn *conn, const eseal_message_result *r,
                              const char *qid, stats_outcome *outcome)
{
    const char *reason;
    eseal_message_action action = eseal_message_result_action(r, &reason);
    char text[600];

    if (action == ESEAL_MESSAGE_REJECT) {
        filter_reply_text(reason, text, sizeof(text));
        smfi_setreply(ctx, "550", "5.7.1", text);
        log_msg(LOG_NOTICE, qid, "client=%s %s; rejected: %s ms=%.0f", conn->client,
                eseal_message_result_summary(r), reason, filter_millis(conn->msg));
        *outcome = STATS_REJECTED;
        return SMFIS_REJECT;
    }
    if (filter_apply(ctx, r) != 0 ||
        (action == ESEAL_MESSAGE_HOLD && smfi_quarantine(ctx, (char *)reason) != MI_SUCCESS)) {
        /* the MTA drops all changes of a message it does not accept: nothing half-done */
        smfi_setreply(ctx, "451", "4.3.0", "eseal: cannot apply the changes, try later");
        log_msg(LOG_ERR, qid, "the MTA refused a change; message deferred ms=%.0f",
                filter_millis(conn->msg));
        *outcome = STATS_ERROR;
        return SMFIS_TEMPFAIL;
    }
    log_msg(LOG_INFO, qid, "client=%s%s%s %s%s%s ms=%.0f", conn->client,
            conn->msg->auth[0] ? " auth=" : "", conn->msg->auth, eseal_message_result_summary(r),
            action == ESEAL_MESSAGE_HOLD ? "; held: " : "",
            action == ESEAL_MESSAGE_HOLD ? reason : "", filter_millis(conn->msg));
    *outcome = action == ESEAL_MESSAGE_HOLD ? STATS_HELD : STATS_ACCEPTED;
    return SMFIS_CONTINUE;
}

static sfsistat filter_eom(SMFICTX *ctx)
{
    filter_conn *conn = filter_conn_of(ctx);
    filter_message *msg = conn ? conn->msg : NULL;
    const char *qid = filter_qid(ctx);
    eseal_message_result *result = NULL;
    eseal_message_counts counts;
    eseal_message_input in;
    eseal_direction dir;
    eseal_error err;
    sfsistat status = SMFIS_CONTINUE;
    stats_outcome outcome = STATS_ERROR;
    int rc;

    if (msg == NULL)
        return SMFIS_TEMPFAIL;
    clock_gettime(CLOCK_MONOTONIC, &msg->eom_start);
    dir = eseal_runtime_direction(msg->rt, conn->family, conn->addr, msg->auth, conn->daemon);
    if (msg->spool_failed) {
        status = filter_on_error(ctx, msg, qid, "cannot spool the message", "on_error",
                                 eseal_runtime_config(msg->rt)->on_error);
        outcome = STATS_ERROR;
    } else if (msg->forged_overflow) {
        smfi_setreply(ctx, "550", "5.7.1", "eseal: too many ESeal-* headers");
        log_msg(LOG_NOTICE, qid, "rejected: more than %d forged ESeal-* headers ms=%.0f",
                FILTER_FORGED_MAX, filter_millis(msg));
        status = SMFIS_REJECT;
        outcome = STATS_REJECTED;
    } else if (msg->oversize) {
        char why[128];
        snprintf(why, sizeof(why), "message larger than max_message_size (%llu bytes)",
                 (unsigned long long)eseal_runtime_config(msg->rt)->max_message_size);
        status = filter_unprocessed(ctx, msg, dir, qid, why);
        outcome = STATS_UNPROCESSED;
    } else {
        in = spool_input(msg->spool);
        in.envelope_from = msg->envelope_from;
        rc = eseal_message_process(msg->rt, dir, &in, &result, &err);
        if (rc == ESEAL_ERR_LIMIT) {
            status = filter_unprocessed(ctx, msg, dir, qid, err.message);
            outcome = STATS_UNPROCESSED;
        } else if (rc == ESEAL_ERR_UNAVAILABLE) {
            /* a timestamp authority that did not answer: mail waits for it */
            status = filter_on_error(ctx, msg, qid, err.message, "on_timestamp_error",
                                     ESEAL_ON_ERROR_TEMPFAIL);
            outcome = STATS_ERROR;
        } else if (rc != ESEAL_OK) {
            status = filter_on_error(ctx, msg, qid, err.message, "on_error",
                                     eseal_runtime_config(msg->rt)->on_error);
            outcome = STATS_ERROR;
        } else {
            status = filter_decide(ctx, conn, result, qid, &outcome);
            eseal_message_result_counts(result, &counts);
        }
    }
    stats_message(dir, outcome, result != NULL ? &counts : NULL, filter_millis(msg));
    eseal_message_result_free(result);
    filter_message_free(conn);
    return status;
}

static sfsistat filter_abort(SMFICTX *ctx)
{
    filter_conn *conn = filter_conn_of(ctx);

    if (conn != NULL)
        filter_message_free(conn);
    return SMFIS_CONTINUE;
}

static sfsistat filter_close(SMFICTX *ctx)
{
    filter_conn *conn = filter_conn_of(ctx);

    if (conn != NULL) {
        filter_message_free(conn);
        free(conn);
        smfi_setpriv(ctx, NULL);
    }
    return SMFIS_CONTINUE;
}

static sfsistat filter_unknown(SMFICTX *ctx, const char *cmd)
{
    (void)ctx;
    (void)cmd;
    return SMFIS_CONTINUE;
}

int filter_register(const char *name)
{
    /* every callback is registered and answered: an unanswered DATA stalls Postfix on TCP
     * (DESIGN.md section 8) */
    struct smfiDesc desc = {
        .xxfi_name = (char *)name,
        .xxfi_version = SMFI_VERSION,
        .xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY | SMFIF_QUARANTINE,
        .xxfi_connect = filter_connect,
        .xxfi_helo = filter_helo,
        .xxfi_envfrom = filter_envfrom,
        .xxfi_envrcpt = filter_envrcpt,
        .xxfi_header = filter_header,
        .xxfi_eoh = filter_eoh,
        .xxfi_body = filter_body,
        .xxfi_eom = filter_eom,
        .xxfi_abort = filter_abort,
        .xxfi_close = filter_close,
        .xxfi_unknown = filter_unknown,
        .xxfi_data = filter_data,
        .xxfi_negotiate = NULL,
    };

    return smfi_register(desc) == MI_SUCCESS ? 0 : -1;
}
