/* main.c - eseal-milter: options, loading, privileges, the socket, signals, the main loop. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmime/gmime.h>
#include <libmilter/mfapi.h>
#include <openssl/crypto.h>

#include "eseal/runtime.h"
#include "filter.h"
#include "log.h"
#include "stats.h"

#define MAIN_NAME "eseal-milter"
#define MAIN_DRAIN_SECONDS 60 /* how long SIGTERM waits for messages in flight */
#define MAIN_SOCKET_MODE 0660

static const char main_usage[] =
    "usage: eseal-milter [-c CONF] [-f] [-n] [-V]\n"
    "  -c CONF  configuration (default " ESEAL_CONFIG_DEFAULT_PATH ")\n"
    "  -f       stay in the foreground and log to stderr\n"
    "  -n       check the configuration and the seals, then exit\n"
    "  -V       print the version and exit\n";

static const char *main_config_path = ESEAL_CONFIG_DEFAULT_PATH;

/*
 * libmilter's signal thread sigwait()s for SIGHUP, SIGTERM and SIGINT: it stops the filter on
 * SIGHUP, and on SIGTERM it stops the sessions too, messages in flight included.  eseal
 * reloads on SIGHUP and drains on SIGTERM, so this definition, which takes precedence over
 * the C library's for libmilter's call, leaves libmilter SIGINT alone (an abort, for
 * debugging); SIGHUP and SIGTERM go to main_signals, which waits with sigwaitinfo().
 */
int sigwait(const sigset_t *set, int *sig)
{
    sigset_t rest = *set;
    int got;

    sigdelset(&rest, SIGHUP);
    sigdelset(&rest, SIGTERM);
    do
        got = sigwaitinfo(&rest, NULL);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return errno;
    *sig = got;
    return 0;
}

/* SIGHUP: load everything anew; swap it in only when all of it loaded. */
static void main_reload(void)
{
    eseal_runtime *rt;
    eseal_error err;

    if (eseal_runtime_load(&rt, main_config_path, &err) != ESEAL_OK) {
        log_msg(LOG_ERR, NULL, "reload failed, keeping the running configuration: %s", err.message);
        stats_reload(0);
        return;
    }
    eseal_runtime_unref(filter_runtime_swap(rt));
    log_msg(LOG_INFO, NULL, "reloaded %s", main_config_path);
    stats_reload(1);
}

/* SIGTERM: take no new message (MAIL FROM gets a 4xx, the client retries), let those in
 * flight finish, then stop libmilter. */
static void main_drain(void)
{
    eseal_runtime *rt = filter_runtime_swap(NULL);
    int left;

    log_msg(LOG_INFO, NULL, "stopping: finishing the messages in flight");
    left = filter_wait_idle(MAIN_DRAIN_SECONDS);
    if (left > 0)
        log_msg(LOG_WARNING, NULL, "%d message(s) still open after %d s", left, MAIN_DRAIN_SECONDS);
    eseal_runtime_unref(rt); /* messages still open hold their own reference */
    OPENSSL_thread_stop();   /* this thread's OpenSSL state (reloads ran here), before the
                              * main thread, released by smfi_stop, exits the process */
    smfi_stop();
}

/* The signals eseal handles itself: SIGHUP reloads, SIGUSR1 logs the counters, SIGTERM drains
 * and stops. */
static void *main_signals(void *arg)
{
    sigset_t signals;
    int sig;

    (void)arg;
    sigemptyset(&signals);
    sigaddset(&signals, SIGHUP);
    sigaddset(&signals, SIGUSR1);
    sigaddset(&signals, SIGTERM);
    for (;;) {
        sig = sigwaitinfo(&signals, NULL);
        if (sig == SIGHUP) {
            main_reload();
        } else if (sig == SIGUSR1) {
            stats_log();
        } else if (sig == SIGTERM) {
            main_drain();
            return NULL;
        }
    }
}

/* The account to run as: it must exist and must not be root. */
static int main_account(const char *user, struct passwd **out)
{
    struct passwd *pw = getpwnam(user);

    if (pw == NULL) {
        fprintf(stderr, "%s: user %s does not exist\n", MAIN_NAME, user);
        return -1;
    }
    if (pw->pw_uid == 0) {
        fprintf(stderr, "%s: refusing to run as root: set user to an unprivileged account\n",
                MAIN_NAME);
        return -1;
    }
    if (out != NULL)
        *out = pw;
    return 0;
}

/* TCP_NODELAY on the listening TCP socket, which Linux copies to every accepted one: without
 * it, the filter's last small reply of a message waits for the MTA's delayed ACK, some 40 ms
 * twice per message (DESIGN.md section 8).  libmilter does not hand out its socket, so it is
 * found among the open descriptors. */
static void main_tcp_nodelay(void)
{
    int fd, one = 1, listening;
    socklen_t len;
    struct sockaddr_storage sa;

    for (fd = 3; fd < 256; fd++) {
        len = sizeof(listening);
        if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening)
            continue;
        len = sizeof(sa);
        if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 &&
            (sa.ss_family == AF_INET || sa.ss_family == AF_INET6))
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
}

/* Give a unix socket (spec unix:PATH or local:PATH; others and NULL are left) to the account. */
static int main_give_socket(const char *spec, const struct passwd *pw)
{
    const char *path;

    if (spec == NULL || (strncmp(spec, "unix:", 5) != 0 && strncmp(spec, "local:", 6) != 0))
        return 0;
    path = strchr(spec, ':') + 1;
    if (chown(path, pw->pw_uid, pw->pw_gid) != 0 || chmod(path, MAIN_SOCKET_MODE) != 0) {
        fprintf(stderr, "%s: %s: %s\n", MAIN_NAME, path, strerror(errno));
        return -1;
    }
    return 0;
}

/* After the keys are loaded: give the sockets to the configured user, which must not be root,
 * and become it. */
static int main_drop_privileges(const char *user, const char *socket, const char *stats_socket)
{
    struct passwd *pw;

    if (geteuid() != 0)
        return 0; /* started unprivileged: nothing to drop, and not root */
    if (main_account(user, &pw) != 0 || main_give_socket(socket, pw) != 0 ||
        main_give_socket(stats_socket, pw) != 0)
        return -1;
    if (setgroups(1, &pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0 ||
        setuid(0) == 0) {
        fprintf(stderr, "%s: cannot become user %s: %s\n", MAIN_NAME, user, strerror(errno));
        return -1;
    }
    return 0;
}

static int main_daemonize(void)
{
    pid_t pid = fork();
    int fd;

    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(0);
    if (setsid() < 0 || chdir("/") != 0)
        return -1;
    fd = open("/dev/null", O_RDWR);
    if (fd < 0)
        return -1;
    dup2(fd, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (fd > 2)
        close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    int c, foreground = 0, check_only = 0, left, status;
    eseal_runtime *rt;
    eseal_error err;
    const eseal_config *config;
    pthread_t signal_thread;
    sigset_t signals;
    char why[256];

    while ((c = getopt(argc, argv, "c:fnV")) != -1) {
        switch (c) {
        case 'c':
            main_config_path = optarg;
            break;
        case 'f':
            foreground = 1;
            break;
        case 'n':
            check_only = 1;
            break;
        case 'V':
            printf("%s %s\n", MAIN_NAME, ESEAL_VERSION);
            return 0;
        default:
            fputs(main_usage, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fputs(main_usage, stderr);
        return 2;
    }
    /* before any thread exists, so that every thread inherits the mask: SIGHUP, SIGUSR1 and
     * SIGTERM reach only main_signals, SIGINT only libmilter's signal thread */
    sigemptyset(&signals);
    sigaddset(&signals, SIGHUP);
    sigaddset(&signals, SIGUSR1);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    g_mime_init();
    if (eseal_runtime_load(&rt, main_config_path, &err) != ESEAL_OK) {
        fprintf(stderr, "%s: %s\n", MAIN_NAME, err.message);
        return 1;
    }
    config = eseal_runtime_config(rt);
    if (check_only) {
        if (geteuid() == 0 && main_account(config->user, NULL) != 0) {
            eseal_runtime_unref(rt);
            return 1;
        }
        printf("%s: %s: configuration OK, %zu seal(s) loaded\n", MAIN_NAME, main_config_path,
               config->seal_count);
        eseal_runtime_unref(rt);
        return 0;
    }
    if (smfi_setconn((char *)config->socket) != MI_SUCCESS || filter_register(MAIN_NAME) != 0 ||
        smfi_opensocket(1) != MI_SUCCESS) {
        fprintf(stderr, "%s: cannot listen on %s\n", MAIN_NAME, config->socket);
        return 1;
    }
    main_tcp_nodelay();
    if (stats_open(config->stats_socket, why, sizeof(why)) != 0) {
        fprintf(stderr, "%s: cannot serve statistics on %s: %s\n", MAIN_NAME,
                config->stats_socket, why);
        return 1;
    }
    if (main_drop_privileges(config->user, config->socket, config->stats_socket) != 0)
        return 1;
    if (!foreground && main_daemonize() != 0) {
        fprintf(stderr, "%s: cannot become a daemon: %s\n", MAIN_NAME, strerror(errno));
        return 1;
    }
    log_open(MAIN_NAME, foreground);
    if (stats_serve() != 0) {
        log_msg(LOG_ERR, NULL, "cannot start the statistics thread");
        return 1;
    }
    filter_runtime_swap(rt);
    if (pthread_create(&signal_thread, NULL, main_signals, NULL) != 0) {
        log_msg(LOG_ERR, NULL, "cannot start the signal thread");
        return 1;
    }
    pthread_detach(signal_thread);
    log_msg(LOG_INFO, NULL, "listening on %s as uid %ld, %zu seal(s)", config->socket,
            (long)getuid(), config->seal_count);
    status = smfi_main() == MI_SUCCESS ? 0 : 1;
    if (status != 0)
        log_msg(LOG_ERR, NULL, "the milter library stopped with an error");
    left = filter_wait_idle(MAIN_DRAIN_SECONDS); /* after SIGTERM: none left */
    log_msg(left ? LOG_WARNING : LOG_INFO, NULL, "stopped%s", left ? ", messages still open" : "");
    eseal_runtime_unref(filter_runtime_swap(NULL));
    return status;
}
