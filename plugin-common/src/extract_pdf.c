/* extract_pdf.c - the text of the first pages of a PDF, read by poppler-glib in a helper
 * process (eseal-pdftext) that this module spawns and that runs this module's other half.
 *
 * SECURITY: the PDF comes from a mail attachment, and poppler is a large parser that repairs
 * what it can.  Neither its time nor its failures can be bounded inside this process (a
 * 230 KB fuzzed file kept it busy for 20 s in one call; a crash would take the milter with
 * it), so it runs in another process with a CPU-time and an address-space limit, killed
 * when the time budget is spent; its text comes back through a pipe, capped like any other.
 * That process is exec'd, not merely forked: a fork of the threaded milter inherits locks
 * other threads held (GLib's, the C library's time zone lock) and hung on them under load.
 * The helper lies beside libeseal (LIBDIR/eseal/eseal-pdftext), found through dladdr.
 * Within the helper the number of pages is capped and the clock checked between pages.
 * poppler-glib logs syntax errors at INFO level, which GLib drops by default. */
#define _GNU_SOURCE /* pipe2, memfd_create, dladdr, close_range */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <poppler.h>

#include "extract_int.h"
#include "file_int.h"

#define PDF_CHILD_MEMORY (1024L * 1024 * 1024) /* address space of the PDF reader */
#define PDF_HELPER "eseal/eseal-pdftext"      /* beside libeseal */
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

/* Read all of fd (at most max bytes) into *out (free() it); 0, or -1. */
static int pdf_read_all(int fd, size_t max, unsigned char **out, size_t *len)
{
    size_t cap = 64 * 1024, used = 0;
    unsigned char *buf = malloc(cap), *bigger;
    ssize_t k;

    while (buf != NULL) {
        if (used == cap) {
            if (cap >= max || (bigger = realloc(buf, cap * 2)) == NULL)
                break;
            buf = bigger;
            cap *= 2;
        }
        k = read(fd, buf + used, cap - used);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            break;
        if (k == 0) {
            *out = buf;
            *len = used;
            return 0;
        }
        used += (size_t)k;
    }
    free(buf);
    return -1;
}

int extract_pdf_helper_main(int argc, char **argv)
{
    struct extract_sink s;
    struct pdf_report r;
    struct rlimit cpu, memory = {PDF_CHILD_MEMORY, PDF_CHILD_MEMORY};
    unsigned char *data = NULL;
    size_t len = 0;
    char *end;

    memset(&s, 0, sizeof(s));
    if (argc != 4)
        return 2;
    s.limits.max_output = strtoul(argv[1], &end, 10);
    s.limits.max_pages = (unsigned)strtoul(argv[2], &end, 10);
    s.limits.max_millis = (unsigned)strtoul(argv[3], &end, 10);
    if (s.limits.max_output == 0 || s.limits.max_pages == 0 || s.limits.max_millis == 0)
        return 2;
    close_range(3, ~0U, 0); /* nothing of the daemon's but the two pipes */
    cpu.rlim_cur = cpu.rlim_max = s.limits.max_millis / 1000 + 1;
    setrlimit(RLIMIT_CPU, &cpu);
    if (PDF_LIMIT_MEMORY)
        setrlimit(RLIMIT_AS, &memory);
    s.kind = "pdf";
    s.deadline_ns = extract_now_ns() + (int64_t)s.limits.max_millis * 1000000;
    if (pdf_read_all(0, PDF_INPUT_MAX, &data, &len) != 0)
        return 1;
    pdf_read(&s, data, len);
    free(data);
    memset(&r, 0, sizeof(r));
    r.capped = s.capped;
    r.incomplete = s.incomplete;
    r.len = s.len;
    memcpy(r.cap_reason, s.cap_reason, sizeof(r.cap_reason));
    memcpy(r.note, s.note, sizeof(r.note));
    if (eseal_file_write_all(1, &r, sizeof(r)) != 0 ||
        (s.len > 0 && eseal_file_write_all(1, s.buf, s.len) != 0))
        return 1;
    free(s.buf);
    return 0;
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

/* Start the helper with the PDF (in memory file *doc) as its input and *out as the read
 * end of its output; the pid, or -1 with the reason noted in s. */
static pid_t pdf_spawn(struct extract_sink *s, const unsigned char *data, size_t len, int *out)
{
    char path[4096], output[32], pages[16], millis[16];
    char *argv[] = {"eseal-pdftext", output, pages, millis, NULL};
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t none, all;
    int fds[2], doc, rc;
    pid_t pid = -1;
    int64_t left = (s->deadline_ns - extract_now_ns()) / 1000000;

    if (pdf_helper_path(path, sizeof(path)) != 0) {
        extract_sink_note(s, "cannot find the PDF reader beside libeseal");
        return -1;
    }
    doc = memfd_create("eseal-pdf", MFD_CLOEXEC);
    if (doc < 0 || eseal_file_write_all(doc, data, len) != 0 || lseek(doc, 0, SEEK_SET) != 0 ||
        pipe2(fds, O_CLOEXEC) != 0) {
        extract_sink_note(s, "cannot start the PDF reader: %s", strerror(errno));
        if (doc >= 0)
            close(doc);
        return -1;
    }
    snprintf(output, sizeof(output), "%zu", s->limits.max_output);
    snprintf(pages, sizeof(pages), "%u", s->limits.max_pages);
    snprintf(millis, sizeof(millis), "%lld", (long long)(left > 1 ? left : 1));
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, doc, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_init(&attr);
    /* the daemon blocks signals for its signal thread and ignores SIGPIPE: not the helper */
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawn(&pid, path, &actions, &attr, argv, NULL);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    close(doc);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        extract_sink_note(s, "cannot start the PDF reader %s: %s", path, strerror(rc));
        return -1;
    }
    *out = fds[0];
    return pid;
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
    int fd = -1, status = 0, got;
    char *text = NULL;
    pid_t pid = pdf_spawn(s, data, len, &fd);

    if (pid < 0) {
        s->incomplete = 1; /* not read at all: nothing is proven about its text */
        return;
    }
    got = pdf_read_until(fd, &r, sizeof(r), s->deadline_ns) == 0 &&
          r.len <= s->limits.max_output && (text = malloc(r.len + 1)) != NULL &&
          pdf_read_until(fd, text, r.len, s->deadline_ns) == 0;
    close(fd);
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
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        extract_sink_cap(s, "the PDF reader failed (exit status %d)", WEXITSTATUS(status));
        s->incomplete = 1;
    } else {
        extract_sink_cap(s, "time budget %u ms", s->limits.max_millis); /* reader killed */
        s->incomplete = 1;
    }
    free(text);
}
