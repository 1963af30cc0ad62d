/* extract_pdf.c - the text of the first pages of a PDF, read by poppler-glib in a helper
 * process, and that helper (eseal-pdftext --serve, the same module's other half).
 *
 * SECURITY: the PDF comes from a mail attachment, and poppler is a large parser that repairs
 * what it can.  Neither its time nor its failures can be bounded inside this process (a
 * 230 KB fuzzed file kept it busy for 20 s in one call; a crash would take the milter with
 * it), so each PDF is read in a process of its own, with a CPU-time and an address-space
 * limit, killed when the time budget is spent; its text comes back through a pipe, capped
 * like any other.  That process is a fork of a reader server (an eseal_pdf_reader) that was
 * exec'd once and loaded poppler before it saw any document: starting poppler costs some
 * 14 ms a process (loading 70 libraries), forking the loaded server well under one, and
 * every document still gets a fresh process that no earlier document has touched.  The
 * server is exec'd, not merely forked from the daemon: a fork of the threaded milter inherits
 * locks other threads held (GLib's, the C library's time zone lock) and hung on them under
 * load.  The server is single-threaded, so its forks are safe.  It lies beside libeseal
 * (LIBDIR/eseal/eseal-pdftext), found through dladdr.  Within a reader the number of pages
 * is capped and the clock checked between pages.  poppler-glib logs syntax errors at INFO
 * level, which GLib drops by default. */
#define _GNU_SOURCE /* pipe2, memfd_create, dladdr, close_range */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <poppler.h>

#include "error_int.h"
#include "extract_int.h"
#include "file_int.h"

#define PDF_CHILD_MEMORY (1024L * 1024 * 1024)    /* address space of the PDF reader */
#define PDF_HELPER "eseal/eseal-pdftext"          /* beside libeseal */
#define PDF_INPUT_MAX ((size_t)512 * 1024 * 1024) /* bytes of PDF the helper reads */

/* AddressSanitizer reserves terabytes of address space: under it only the CPU limit holds */
#if defined(__SANITIZE_ADDRESS__)
#define PDF_LIMIT_MEMORY 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PDF_LIMIT_MEMORY 0
#endif
#endif
#ifndef PDF_LIMIT_MEMORY
#define PDF_LIMIT_MEMORY 1
#endif

/* What the child reports ahead of the text. */
struct pdf_report {
    int capped;
    int incomplete;
    size_t len;
    char cap_reason[ESEAL_TEXT_REASON_MAX];
    char note[ESEAL_TEXT_REASON_MAX];
};

/* Read the text of the PDF into s, in this process. */
static void pdf_read(struct extract_sink *s, const unsigned char *data, size_t len)
{
    GBytes *bytes = g_bytes_new_static(data, len); /* no copy: the document dies before data */
    GError *gerr = NULL;
    PopplerDocument *doc;
    PopplerPage *page;
    char *text;
    int pages, i, want;

    doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    g_bytes_unref(bytes);
    if (doc == NULL) {
        if (gerr != NULL && g_error_matches(gerr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
            extract_sink_note(s, "encrypted PDF: no text without the password");
        else
            extract_sink_note(s, "not a readable PDF: %.80s",
                              gerr != NULL ? gerr->message : "unknown error");
        g_clear_error(&gerr);
        return;
    }
    pages = poppler_document_get_n_pages(doc);
    if (pages <= 0)
        extract_sink_note(s, "PDF without readable pages");
    want = pages < 0 ? 0 : (unsigned)pages > s->limits.max_pages ? (int)s->limits.max_pages : pages;
    for (i = 0; i < want && !extract_sink_expired(s); i++) {
        page = poppler_document_get_page(doc, i);
        if (page == NULL) {
            extract_sink_note(s, "PDF page %d could not be read", i + 1);
            continue;
        }
        text = poppler_page_get_text(page);
        if (text != NULL)
            extract_sink_text(s, text, strlen(text), EXTRACT_SPACE_KEEP);
        g_free(text);
        g_object_unref(page);
        extract_sink_break(s, '\n');
    }
    if (!s->stop && pages > want)
        extract_sink_cap(s, "page cap %d of %d pages", want, pages);
    g_object_unref(doc);
}

#define PDF_REQUEST_MAGIC 0x65736c31U /* "esl1" */

/* What the library asks of the server, with two descriptors: the PDF (a file read from
 * offset 0) and the write end of the pipe for the report and text. */
struct pdf_request {
    uint32_t magic;
    size_t max_output;
    unsigned max_pages;
    unsigned max_millis;
};

/* The server's answer, with a pidfd of the reader process when error is 0. */
struct pdf_started {
    int error; /* errno of what failed in the server, or 0 */
};

/* A PDF small enough to read in the server before any document: poppler's globals (and the
 * pages they touch) are then set up once, in the server, not in every reader. */
static const char pdf_warm_up_doc[] =
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R"
    "/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    "4 0 obj<</Length 33>>stream\nBT /F1 12 Tf 20 100 Td (w) Tj ET\nendstream endobj\n"
    "5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    "trailer<</Root 1 0 R>>\n%%EOF\n";

/* One reader, in a fork of the server: the PDF at doc, its report and text to out. */
static int pdf_reader_child(const struct pdf_request *rq, int doc, int out)
{
    struct extract_sink s;
    struct pdf_report r;
    struct rlimit cpu, memory = {PDF_CHILD_MEMORY, PDF_CHILD_MEMORY};
    struct stat st;
    void *data = NULL;
    size_t len = 0;

    memset(&s, 0, sizeof(s));
    s.limits.max_output = rq->max_output;
    s.limits.max_pages = rq->max_pages;
    s.limits.max_millis = rq->max_millis;
    cpu.rlim_cur = cpu.rlim_max = rq->max_millis / 1000 + 1;
    setrlimit(RLIMIT_CPU, &cpu);
    if (PDF_LIMIT_MEMORY)
        setrlimit(RLIMIT_AS, &memory);
    s.kind = "pdf";
    s.deadline_ns = extract_now_ns() + (int64_t)s.limits.max_millis * 1000000;
    if (fstat(doc, &st) != 0 || st.st_size < 0 || (uint64_t)st.st_size > PDF_INPUT_MAX)
        return 1;
    len = (size_t)st.st_size;
    if (len > 0 && (data = mmap(NULL, len, PROT_READ, MAP_PRIVATE, doc, 0)) == MAP_FAILED)
        return 1;
    pdf_read(&s, data, len);
    memset(&r, 0, sizeof(r));
    r.capped = s.capped;
    r.incomplete = s.incomplete;
    r.len = s.len;
    memcpy(r.cap_reason, s.cap_reason, sizeof(r.cap_reason));
    memcpy(r.note, s.note, sizeof(r.note));
    if (eseal_file_write_all(out, &r, sizeof(r)) != 0 ||
        (s.len > 0 && eseal_file_write_all(out, s.buf, s.len) != 0))
        return 1;
    return 0;
}

/* Receive one message of at most size bytes and up to want descriptors (the others closed);
 * the byte count (0 at end of file), or -1. */
static ssize_t pdf_recv(int sock, void *buf, size_t size, int *fds, int want, int *got)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int) * 4)];
    } control;
    struct iovec iov = {buf, size};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = control.buf,
                         .msg_controllen = sizeof(control.buf)};
    struct cmsghdr *c;
    ssize_t n;

    *got = 0;
    do
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    for (c = CMSG_FIRSTHDR(&msg); n >= 0 && c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        size_t i, k;
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (i = 0; i < k; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (*got < want)
                fds[(*got)++] = fd;
            else
                close(fd);
        }
    }
    if (n >= 0 && (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
        n = (ssize_t)size + 1; /* longer than any message of the protocol: refused */
    return n;
}

/* Send len bytes and the descriptor fd (none when -1); 0, or -1. */
static int pdf_send(int sock, const void *buf, size_t len, const int *fds, int nfds)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int) * 2)];
    } control;
    struct iovec iov = {(void *)buf, len};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    ssize_t n;

    if (nfds > 0) {
        struct cmsghdr *c;
        memset(&control, 0, sizeof(control));
        msg.msg_control = control.buf;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
        c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
    }
    do
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)len ? 0 : -1;
}

int extract_pdf_helper_main(int argc, char **argv)
{
    struct extract_sink warm;

    if (argc != 2 || strcmp(argv[1], "--serve") != 0)
        return 2;
    close_range(3, ~0U, 0); /* nothing of the daemon's but the socket (standard input) */
    memset(&warm, 0, sizeof(warm));
    eseal_extract_limits_default(&warm.limits);
    warm.deadline_ns = extract_now_ns() + 2000000000LL;
    pdf_read(&warm, (const unsigned char *)pdf_warm_up_doc, sizeof(pdf_warm_up_doc) - 1);
    free(warm.buf);
    for (;;) {
        struct pdf_request rq;
        struct pdf_started started = {0};
        int fds[2], got, pidfd = -1;
        ssize_t n = pdf_recv(0, &rq, sizeof(rq), fds, 2, &got);
        pid_t pid = -1;

        while (waitpid(-1, NULL, WNOHANG) > 0)
            ; /* the readers that ended; their pidfds stay valid */
        if (n == 0)
            return 0; /* the library closed its end */
        if (n < 0)
            return 1;
        if ((size_t)n != sizeof(rq) || got != 2 || rq.magic != PDF_REQUEST_MAGIC ||
            rq.max_output == 0 || rq.max_pages == 0 || rq.max_millis == 0) {
            started.error = EPROTO;
        } else if ((pid = fork()) == 0) {
            close(0);
            _exit(pdf_reader_child(&rq, fds[0], fds[1]));
        } else if (pid < 0 || (pidfd = pidfd_open(pid, 0)) < 0) {
            started.error = errno;
            if (pid > 0)
                kill(pid, SIGKILL);
        }
        while (got > 0)
            close(fds[--got]);
        if (pdf_send(0, &started, sizeof(started), &pidfd, pidfd >= 0) != 0)
            return 1;
        if (pidfd >= 0)
            close(pidfd);
    }
}

struct eseal_pdf_reader {
    pthread_mutex_t lock; /* one request at a time on the socket */
    pid_t server;         /* -1 until started */
    int sock;
};

int eseal_pdf_reader_new(eseal_pdf_reader **out, eseal_error *err)
{
    eseal_pdf_reader *r = calloc(1, sizeof(*r));

    *out = NULL;
    if (r == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    pthread_mutex_init(&r->lock, NULL);
    r->server = -1;
    r->sock = -1;
    *out = r;
    return ESEAL_OK;
}

/* Stop the server (its readers finish on their own); r->lock held. */
static void pdf_server_stop(eseal_pdf_reader *r)
{
    if (r->sock >= 0)
        close(r->sock);
    if (r->server > 0) {
        kill(r->server, SIGKILL);
        while (waitpid(r->server, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    r->sock = -1;
    r->server = -1;
}

void eseal_pdf_reader_free(eseal_pdf_reader *r)
{
    if (r == NULL)
        return;
    pdf_server_stop(r);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

/* The helper's path: PDF_HELPER in the directory libeseal was loaded from, into buf. */
static int pdf_helper_path(char *buf, size_t size)
{
    Dl_info info;
    char lib[4096];

    if (dladdr((void *)extract_pdf, &info) == 0 || info.dli_fname == NULL ||
        snprintf(lib, sizeof(lib), "%s", info.dli_fname) >= (int)sizeof(lib))
        return -1;
    return snprintf(buf, size, "%s/%s", dirname(lib), PDF_HELPER) >= (int)size ? -1 : 0;
}

/* Start the server with one end of a socket pair as its standard input; 0, or -1 with the
 * reason noted in s.  r->lock held. */
static int pdf_server_start(eseal_pdf_reader *r, struct extract_sink *s)
{
    char path[4096];
    char *argv[] = {"eseal-pdftext", "--serve", NULL};
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t none, all;
    int sv[2], rc;

    if (pdf_helper_path(path, sizeof(path)) != 0) {
        extract_sink_note(s, "cannot find the PDF reader beside libeseal");
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        extract_sink_note(s, "cannot start the PDF reader: %s", strerror(errno));
        return -1;
    }
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, sv[1], 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_init(&attr);
    /* the daemon blocks signals for its signal thread and ignores SIGPIPE: not the helper */
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawn(&r->server, path, &actions, &attr, argv, NULL);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    close(sv[1]);
    if (rc != 0) {
        close(sv[0]);
        r->server = -1;
        extract_sink_note(s, "cannot start the PDF reader %s: %s", path, strerror(rc));
        return -1;
    }
    r->sock = sv[0];
    return 0;
}

/* Have the server fork a reader of the PDF at doc writing to out: its pidfd, or -1 with the
 * reason noted in s.  A server that is gone (killed, crashed) is started again, once. */
static int pdf_reader_start(eseal_pdf_reader *r, struct extract_sink *s, int doc, int out)
{
    struct pdf_request rq;
    struct pdf_started started;
    int64_t left = (s->deadline_ns - extract_now_ns()) / 1000000;
    int fds[2] = {doc, out}, pidfd = -1, attempt, noted = 0;

    memset(&rq, 0, sizeof(rq)); /* padding included: it crosses to another process */
    rq.magic = PDF_REQUEST_MAGIC;
    rq.max_output = s->limits.max_output;
    rq.max_pages = s->limits.max_pages;
    rq.max_millis = left > 1 ? (unsigned)left : 1;
    pthread_mutex_lock(&r->lock);
    for (attempt = 0; attempt < 2 && pidfd < 0 && !noted; attempt++) {
        ssize_t n = -1;
        int got = 0;
        if (r->sock < 0 && pdf_server_start(r, s) != 0) {
            noted = 1; /* pdf_server_start said why */
            break;
        }
        if (pdf_send(r->sock, &rq, sizeof(rq), fds, 2) == 0)
            n = pdf_recv(r->sock, &started, sizeof(started), &pidfd, 1, &got);
        if (n == (ssize_t)sizeof(started) && started.error == 0 && got == 1)
            break;
        if (got == 1)
            close(pidfd);
        pidfd = -1;
        if (n == (ssize_t)sizeof(started)) { /* the server could not fork: say why */
            extract_sink_note(s, "cannot start the PDF reader: %s", strerror(started.error));
            noted = 1;
        } else {
            pdf_server_stop(r); /* gone (killed, crashed): started again, once */
        }
    }
    pthread_mutex_unlock(&r->lock);
    if (pidfd < 0 && !noted)
        extract_sink_note(s, "the PDF reader server stopped");
    return pidfd;
}

/* Read exactly n bytes from fd before the monotonic deadline; 0, -1 (time out) or -2 (the
 * writer closed first). */
static int pdf_read_until(int fd, void *p, size_t n, int64_t deadline_ns)
{
    char *c = p;

    while (n > 0) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int64_t left = (deadline_ns - extract_now_ns()) / 1000000;
        ssize_t k;
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            return -1;
        k = read(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -2;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

void extract_pdf(struct extract_sink *s, const unsigned char *data, size_t len)
{
    eseal_pdf_reader *own = NULL, *reader = s->limits.pdf_reader;
    struct pdf_report r;
    int doc = -1, fds[2] = {-1, -1}, pidfd = -1, got = -1;
    char *text = NULL;

    if (reader == NULL && eseal_pdf_reader_new(&own, NULL) == ESEAL_OK)
        reader = own;
    doc = memfd_create("eseal-pdf", MFD_CLOEXEC);
    if (reader == NULL || doc < 0 || eseal_file_write_all(doc, data, len) != 0 ||
        pipe2(fds, O_CLOEXEC) != 0) {
        extract_sink_note(s, "cannot start the PDF reader: %s", strerror(errno));
    } else {
        pidfd = pdf_reader_start(reader, s, doc, fds[1]);
    }
    if (doc >= 0)
        close(doc);
    if (fds[1] >= 0)
        close(fds[1]); /* the reader holds the only write end: its end is our end of file */
    if (pidfd < 0) {
        s->incomplete = 1; /* not read at all: nothing is proven about its text */
    } else {
        got = pdf_read_until(fds[0], &r, sizeof(r), s->deadline_ns);
        if (got == 0 && (r.len > s->limits.max_output || (text = malloc(r.len + 1)) == NULL))
            got = -2;
        if (got == 0)
            got = pdf_read_until(fds[0], text, r.len, s->deadline_ns);
        if (got != 0)
            pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
        close(pidfd);
    }
    if (fds[0] >= 0)
        close(fds[0]);
    if (got == 0) {
        extract_sink_text(s, text, r.len, EXTRACT_SPACE_KEEP);
        if (r.note[0] != '\0')
            extract_sink_note(s, "%s", r.note);
        if (r.capped)
            extract_sink_cap(s, "%s", r.cap_reason);
        s->incomplete |= r.incomplete;
    } else if (got == -2) {
        extract_sink_cap(s, "the PDF reader failed (no report)");
        s->incomplete = 1;
    } else if (got == -1) {
        extract_sink_cap(s, "time budget %u ms", s->limits.max_millis); /* reader killed */
        s->incomplete = 1;
    }
    free(text);
    eseal_pdf_reader_free(own);
}
