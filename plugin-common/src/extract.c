/* extract.c - choose how to read a document's text, and keep that text valid UTF-8 and capped.
 *
 * SECURITY: data, its MIME type and its file name come from mail attachments.  The type is
 * only compared against fixed tables; the text written out is bounded by max_output, has
 * every invalid UTF-8 sequence replaced, and carries no NUL byte.  Each extractor checks the
 * clock between pages, entries or chunks, so one document cannot hold a worker for long. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "eseal/extract.h"
#include "error_int.h"
#include "extract_int.h"
#include "utf8_int.h"

#define EXTRACT_DEFAULT_OUTPUT (1024 * 1024)
#define EXTRACT_DEFAULT_INFLATED (16 * 1024 * 1024)
#define EXTRACT_DEFAULT_ENTRIES 2000
#define EXTRACT_DEFAULT_PAGES 50
#define EXTRACT_DEFAULT_MILLIS 2000
#define EXTRACT_TYPE_MAX 128         /* a MIME type or extension longer than this is unknown */
#define EXTRACT_PDF_HEADER_SPAN 1024 /* readers accept "%PDF-" this far into the file */

static const char EXTRACT_REPLACEMENT[] = "\xef\xbf\xbd"; /* U+FFFD */

/* MIME types understood, lower case, without parameters. */
static const struct {
    const char *type;
    const char *kind;
} extract_mime_kinds[] = {
    {"text/html", "html"},
    {"application/xhtml+xml", "html"},
    {"application/pdf", "pdf"},
    {"application/x-pdf", "pdf"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.template", "docx"},
    {"application/vnd.ms-word.document.macroenabled.12", "docx"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.template", "xlsx"},
    {"application/vnd.ms-excel.sheet.macroenabled.12", "xlsx"},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
    {"application/vnd.openxmlformats-officedocument.presentationml.slideshow", "pptx"},
    {"application/vnd.ms-powerpoint.presentation.macroenabled.12", "pptx"},
    {"application/vnd.oasis.opendocument.text", "odt"},
    {"application/vnd.oasis.opendocument.text-template", "odt"},
    {"application/vnd.oasis.opendocument.spreadsheet", "ods"},
    {"application/vnd.oasis.opendocument.presentation", "odp"},
};

/* File name extensions understood, lower case. */
static const struct {
    const char *ext;
    const char *kind;
} extract_ext_kinds[] = {
    {"txt", "text"},  {"text", "text"}, {"csv", "text"},   {"log", "text"},  {"md", "text"},
    {"htm", "html"},  {"html", "html"}, {"xhtml", "html"}, {"pdf", "pdf"},   {"docx", "docx"},
    {"docm", "docx"}, {"dotx", "docx"}, {"xlsx", "xlsx"},  {"xlsm", "xlsx"}, {"xltx", "xlsx"},
    {"pptx", "pptx"}, {"pptm", "pptx"}, {"ppsx", "pptx"},  {"potx", "pptx"}, {"odt", "odt"},
    {"ott", "odt"},   {"ods", "ods"},   {"ots", "ods"},    {"odp", "odp"},   {"otp", "odp"},
};

void eseal_extract_limits_default(eseal_extract_limits *l)
{
    l->max_output = EXTRACT_DEFAULT_OUTPUT;
    l->max_inflated = EXTRACT_DEFAULT_INFLATED;
    l->max_entries = EXTRACT_DEFAULT_ENTRIES;
    l->max_pages = EXTRACT_DEFAULT_PAGES;
    l->max_millis = EXTRACT_DEFAULT_MILLIS;
    l->pdf_reader = NULL;
}

void eseal_text_clear(eseal_text *t)
{
    if (t == NULL)
        return;
    free(t->text);
    memset(t, 0, sizeof(*t));
    t->kind = "none";
}

/* Nanoseconds on the monotonic clock. */
int64_t extract_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Make a reason or note one line of valid UTF-8: it may quote a zip entry's name. */
static void extract_reason_clean(char *p)
{
    unsigned char *u = (unsigned char *)p;
    size_t i = 0, n = strlen(p), clen;

    while (i < n) {
        if (u[i] < 0x20 || u[i] == 0x7f) {
            u[i++] = ' ';
        } else if (u[i] >= 0x80) {
            clen = eseal_utf8_char_len(u + i, n - i);
            if (clen == 0)
                u[i] = '?';
            i += clen ? clen : 1;
        } else {
            i++;
        }
    }
    while (n > 0 && p[n - 1] == ' ')
        p[--n] = '\0';
}

__attribute__((format(printf, 3, 0))) static void extract_reason(char *dst, size_t size,
                                                                 const char *fmt, va_list ap)
{
    if (dst[0] != '\0')
        return;
    vsnprintf(dst, size, fmt, ap);
    extract_reason_clean(dst);
}

void extract_sink_cap(struct extract_sink *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    extract_reason(s->cap_reason, sizeof(s->cap_reason), fmt, ap);
    va_end(ap);
    s->capped = 1;
    s->stop = 1;
}

void extract_sink_note(struct extract_sink *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    extract_reason(s->note, sizeof(s->note), fmt, ap);
    va_end(ap);
}

int extract_sink_expired(struct extract_sink *s)
{
    if (s->stop)
        return 1;
    if (extract_now_ns() > s->deadline_ns) {
        extract_sink_cap(s, "time budget %u ms", s->limits.max_millis);
        s->incomplete = 1;
    }
    return s->stop;
}

/* Make room for want more bytes (and the NUL), never beyond max_output; 0 when out of memory. */
static int extract_sink_reserve(struct extract_sink *s, size_t want)
{
    size_t room = s->limits.max_output - s->len;
    size_t need, size;
    char *buf;

    if (want > room)
        want = room;
    need = s->len + want + 1;
    if (need <= s->size)
        return 1;
    size = s->size < 4096 ? 4096 : s->size;
    while (size < need)
        size = size > SIZE_MAX / 2 ? need : size * 2;
    if (size > s->limits.max_output + 1)
        size = s->limits.max_output + 1;
    buf = realloc(s->buf, size);
    if (buf == NULL) {
        s->nomem = 1;
        s->stop = 1;
        return 0;
    }
    s->buf = buf;
    s->size = size;
    return 1;
}

/* Append len bytes of one whole character; 0 (and the text cap) when it does not fit. */
static int extract_sink_put(struct extract_sink *s, const char *p, size_t len)
{
    if (s->len + len > s->limits.max_output) {
        extract_sink_cap(s, "text cap %zu bytes", s->limits.max_output);
        return 0;
    }
    memcpy(s->buf + s->len, p, len);
    s->len += len;
    return 1;
}

void extract_sink_text(struct extract_sink *s, const char *p, size_t n, enum extract_space space)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0, clen;
    char c;
    int ok = 1;

    if (s->stop || n == 0)
        return;
    /* an invalid byte becomes 3; a run of white space never grows */
    if (!extract_sink_reserve(s, n > SIZE_MAX / 3 ? SIZE_MAX : n * 3))
        return;
    while (ok && i < n) {
        if (u[i] >= 0x80) {
            clen = eseal_utf8_char_len(u + i, n - i);
            ok = clen ? extract_sink_put(s, p + i, clen)
                      : extract_sink_put(s, EXTRACT_REPLACEMENT, 3);
            i += clen ? clen : 1;
            continue;
        }
        c = p[i++];
        if (c == '\0')
            continue;
        if (space == EXTRACT_SPACE_COLLAPSE && (c == ' ' || (c >= '\t' && c <= '\r'))) {
            if (s->len > 0 && s->buf[s->len - 1] != ' ' && s->buf[s->len - 1] != '\n' &&
                s->buf[s->len - 1] != '\t')
                ok = extract_sink_put(s, " ", 1);
            continue;
        }
        if (c == '\r' && i < n && p[i] == '\n')
            continue;
        if (c == '\r' || c == '\f' || c == '\v')
            c = '\n';
        else if ((unsigned char)c < 0x20 && c != '\t' && c != '\n')
            c = ' ';
        ok = extract_sink_put(s, &c, 1);
    }
    s->buf[s->len] = '\0';
}

void extract_sink_break(struct extract_sink *s, char sep)
{
    char *last;

    if (s->stop || s->len == 0)
        return;
    last = &s->buf[s->len - 1];
    if (*last == '\n' || (*last == sep))
        return;
    if (*last == ' ' || *last == '\t') {
        if (sep == '\n')
            *last = '\n'; /* "cell \n" reads better as "cell\n" */
        return;
    }
    if (extract_sink_reserve(s, 1) && extract_sink_put(s, &sep, 1))
        s->buf[s->len] = '\0';
}

/* Copy the first token of text (up to any of stop) in lower case; 0 when empty or too long. */
static int extract_lower_token(const char *text, const char *stop, char *out, size_t size)
{
    size_t n, i;

    text += strspn(text, " \t");
    n = strcspn(text, stop);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= size)
        return 0;
    for (i = 0; i < n; i++)
        out[i] = (text[i] >= 'A' && text[i] <= 'Z') ? (char)(text[i] - 'A' + 'a') : text[i];
    out[n] = '\0';
    return 1;
}

/* The kind a MIME type names, or NULL (unknown, absent or application/octet-stream). */
static const char *extract_kind_of_mime(const char *mime_type)
{
    char type[EXTRACT_TYPE_MAX];
    size_t i;

    if (mime_type == NULL || !extract_lower_token(mime_type, ";", type, sizeof(type)))
        return NULL;
    for (i = 0; i < sizeof(extract_mime_kinds) / sizeof(extract_mime_kinds[0]); i++)
        if (strcmp(type, extract_mime_kinds[i].type) == 0)
            return extract_mime_kinds[i].kind;
    if (strncmp(type, "text/", 5) == 0)
        return "text";
    return NULL;
}

/* The kind the extension of a file name names, or NULL. */
static const char *extract_kind_of_name(const char *filename)
{
    const char *base, *dot;
    char ext[EXTRACT_TYPE_MAX];
    size_t i;

    if (filename == NULL)
        return NULL;
    base = strrchr(filename, '/');
    base = base ? base + 1 : filename;
    if (strrchr(base, '\\') != NULL)
        base = strrchr(base, '\\') + 1;
    dot = strrchr(base, '.');
    if (dot == NULL || !extract_lower_token(dot + 1, "", ext, sizeof(ext)))
        return NULL;
    for (i = 0; i < sizeof(extract_ext_kinds) / sizeof(extract_ext_kinds[0]); i++)
        if (strcmp(ext, extract_ext_kinds[i].ext) == 0)
            return extract_ext_kinds[i].kind;
    return NULL;
}

/* Whether data holds "%PDF-" within the first span bytes. */
static int extract_is_pdf(const unsigned char *data, size_t len, size_t span)
{
    size_t i, end = len < span ? len : span;

    for (i = 0; i + 5 <= end; i++)
        if (data[i] == '%' && memcmp(data + i, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

/* Whether data starts like an HTML document (after a BOM and white space). */
static int extract_is_html(const unsigned char *data, size_t len)
{
    size_t i = 0;

    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    return (len - i >= 14 && strncasecmp((const char *)data + i, "<!doctype html", 14) == 0) ||
           (len - i >= 5 && strncasecmp((const char *)data + i, "<html", 5) == 0);
}

/*
 * The kind of a document.  The bytes win over the label when they are unmistakably a PDF or
 * a zip: senders label attachments as they like, and a mislabelled contract must still be
 * read.  A zip's exact kind (docx, odt, ...) is decided later from its parts.  Only the
 * first ESEAL_EXTRACT_KIND_SPAN bytes count, so that a caller can decide from them whether
 * the rest is worth decoding.
 */
const char *eseal_extract_kind(const unsigned char *data, size_t len, const char *mime_type,
                               const char *filename)
{
    const char *kind = extract_kind_of_mime(mime_type);

    if (len > ESEAL_EXTRACT_KIND_SPAN)
        len = ESEAL_EXTRACT_KIND_SPAN;

    if (kind == NULL)
        kind = extract_kind_of_name(filename);
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
        return kind != NULL && strcmp(kind, "text") != 0 && strcmp(kind, "html") != 0 &&
                       strcmp(kind, "pdf") != 0
                   ? kind
                   : "zip";
    if (extract_is_pdf(data, len, 5))
        return "pdf";
    if (kind == NULL && extract_is_pdf(data, len, EXTRACT_PDF_HEADER_SPAN))
        return "pdf";
    if (kind == NULL && extract_is_html(data, len))
        return "html";
    return kind != NULL ? kind : "none";
}

/* The charset parameter of a MIME type ("text/plain; charset=gbk"), copied into out. */
static const char *extract_mime_charset(const char *mime_type, char *out, size_t size)
{
    const char *p = mime_type;

    while (p != NULL && (p = strchr(p, ';')) != NULL) {
        p++;
        p += strspn(p, " \t");
        if (strncasecmp(p, "charset=", 8) == 0) {
            p += 8;
            p += strspn(p, "\"");
            return extract_lower_token(p, "\"; \t", out, size) ? out : NULL;
        }
    }
    return NULL;
}

int eseal_extract_text(const unsigned char *data, size_t len, const char *mime_type,
                       const char *filename, const char *charset,
                       const eseal_extract_limits *limits, eseal_text *out, eseal_error *err)
{
    struct extract_sink s;
    char mime_charset[EXTRACT_TYPE_MAX];
    const char *kind;

    memset(&s, 0, sizeof(s));
    memset(out, 0, sizeof(*out)); /* an output: whatever it held is not ours to free */
    out->kind = "none";
    eseal_extract_limits_default(&s.limits);
    if (limits != NULL) {
        s.limits.max_output = limits->max_output ? limits->max_output : s.limits.max_output;
        s.limits.max_inflated = limits->max_inflated ? limits->max_inflated : s.limits.max_inflated;
        s.limits.max_entries = limits->max_entries ? limits->max_entries : s.limits.max_entries;
        s.limits.max_pages = limits->max_pages ? limits->max_pages : s.limits.max_pages;
        s.limits.max_millis = limits->max_millis ? limits->max_millis : s.limits.max_millis;
        s.limits.pdf_reader = limits->pdf_reader;
    }
    if (s.limits.max_output >= SIZE_MAX / 4)
        s.limits.max_output = SIZE_MAX / 4;
    s.deadline_ns = extract_now_ns() + (int64_t)s.limits.max_millis * 1000000;
    if (data == NULL)
        len = 0;
    if (charset == NULL)
        charset = extract_mime_charset(mime_type, mime_charset, sizeof(mime_charset));

    kind = eseal_extract_kind(data, len, mime_type, filename);
    s.kind = kind;
    if (len == 0) {
        s.kind = strcmp(kind, "zip") == 0 ? "none" : kind;
    } else if (strcmp(kind, "text") == 0) {
        extract_plain(&s, data, len, charset);
    } else if (strcmp(kind, "html") == 0) {
        extract_html(&s, data, len, charset);
    } else if (strcmp(kind, "pdf") == 0) {
        extract_pdf(&s, data, len);
    } else if (strcmp(kind, "none") != 0) {
        extract_zip(&s, data, len); /* docx ... odp, or "zip": the parts decide */
        if (strcmp(s.kind, "zip") == 0) {
            s.kind = "none";
            extract_sink_note(&s, "zip archive without OOXML or ODF parts");
        }
    }

    if (s.nomem) {
        free(s.buf);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory extracting text");
    }
    if (s.buf == NULL && (s.buf = malloc(1)) == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory extracting text");
    s.buf[s.len] = '\0';
    out->text = s.buf;
    out->len = s.len;
    out->kind = s.kind;
    out->capped = s.capped;
    out->incomplete = s.incomplete;
    memcpy(out->cap_reason, s.cap_reason, sizeof(out->cap_reason));
    memcpy(out->note, s.note, sizeof(out->note));
    return ESEAL_OK;
}
