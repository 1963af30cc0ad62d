/* extract_pdf.c - the text of the first pages of a PDF, read by poppler-glib in a child
 * process.
 *
 * SECURITY: the PDF comes from a mail attachment, and poppler is a large parser that repairs
 * what it can.  Neither its time nor its failures can be bounded inside this process (a
 * 230 KB fuzzed file kept it busy for 20 s in one call; a crash would take the milter with
 * it), so it runs in a forked child with a CPU-time and an address-space limit, killed when
 * the time budget is spent; its text comes back through a pipe, capped like any other.
 * Within the child the number of pages is capped and the clock checked between pages.
 * poppler-glib logs syntax errors at INFO level, which GLib drops by default. */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <poppler.h>

#include "extract_int.h"
#include "file_int.h"

#define PDF_CHILD_MEMORY (1024L * 1024 * 1024) /* address space of the PDF reader */

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

/* The address space the process has now (inherited from a daemon with many threads). */
static rlim_t pdf_address_space(void)
{
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f != NULL) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    return (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
}

/* The child: read the PDF under limits, report, leave without running exit handlers. */
static void pdf_child(int fd, const struct extract_sink *parent, const unsigned char *data,
                      size_t len)
{
    struct extract_sink s = *parent;
    struct pdf_report r;
    rlim_t secs = parent->limits.max_millis / 1000 + 1;
    struct rlimit cpu = {secs, secs}, memory = {PDF_CHILD_MEMORY, PDF_CHILD_MEMORY};

    sigset_t none;
    int other;

    /* the child of a threaded daemon: nothing but the pipe, and every signal deliverable */
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    for (other = 3; other < 1024; other++)
        if (other != fd)
            close(other);
    setrlimit(RLIMIT_CPU, &cpu);
    memory.rlim_cur = memory.rlim_max = pdf_address_space() + PDF_CHILD_MEMORY;
    if (PDF_LIMIT_MEMORY)
        setrlimit(RLIMIT_AS, &memory);
    s.buf = NULL;
    s.len = s.size = 0;
    s.stop = s.nomem = s.capped = 0;
    s.cap_reason[0] = s.note[0] = '\0';
    pdf_read(&s, data, len);
    memset(&r, 0, sizeof(r));
    r.capped = s.capped;
    r.incomplete = s.incomplete;
    r.len = s.len;
    memcpy(r.cap_reason, s.cap_reason, sizeof(r.cap_reason));
    memcpy(r.note, s.note, sizeof(r.note));
    if (eseal_file_write_all(fd, &r, sizeof(r)) == 0 && s.len > 0)
        eseal_file_write_all(fd, s.buf, s.len);
    _exit(0);
}

/* Read exactly n bytes from fd before the monotonic deadline; 0, or -1 (time out, EOF). */
static int pdf_read_until(int fd, void *p, size_t n, int64_t deadline_ns)
{
    char *c = p;
    struct timespec now;

    while (n > 0) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int64_t left;
        ssize_t k;
        clock_gettime(CLOCK_MONOTONIC, &now);
        left = (deadline_ns - ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec)) / 1000000;
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            return -1;
        k = read(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

void extract_pdf(struct extract_sink *s, const unsigned char *data, size_t len)
{
    struct pdf_report r;
    int fds[2], status = 0, got;
    char *text = NULL;
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) != 0) {
        extract_sink_note(s, "cannot start the PDF reader: %s", strerror(errno));
        return;
    }
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        pdf_child(fds[1], s, data, len);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        extract_sink_note(s, "cannot start the PDF reader: %s", strerror(errno));
        return;
    }
    got = pdf_read_until(fds[0], &r, sizeof(r), s->deadline_ns) == 0 &&
          r.len <= s->limits.max_output && (text = malloc(r.len + 1)) != NULL &&
          pdf_read_until(fds[0], text, r.len, s->deadline_ns) == 0;
    close(fds[0]);
    if (!got)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (got) {
        extract_sink_text(s, text, r.len, EXTRACT_SPACE_KEEP);
        if (r.note[0] != '\0')
            extract_sink_note(s, "%s", r.note);
        if (r.capped)
            extract_sink_cap(s, "%s", r.cap_reason);
        s->incomplete |= r.incomplete;
    } else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) {
        extract_sink_cap(s, "the PDF reader failed (signal %d)", WTERMSIG(status));
        s->incomplete = 1;
    } else {
        extract_sink_cap(s, "time budget %u ms", s->limits.max_millis); /* reader killed */
        s->incomplete = 1;
    }
    free(text);
}
