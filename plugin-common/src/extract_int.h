/* extract_int.h - the capped output and the clock shared by the text extractors. */
#ifndef ESEAL_EXTRACT_INT_H
#define ESEAL_EXTRACT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "eseal/extract.h"

/*
 * Where an extractor writes: text that is made valid UTF-8 on the way in and never grows
 * past limits.max_output.  Once stop is set (a cap was hit or memory ran out), every append
 * is a no-op and extractors should return as soon as they notice.
 */
struct extract_sink {
    char *buf; /* NUL-terminated once len > 0 */
    size_t len;
    size_t size; /* bytes allocated */
    eseal_extract_limits limits;
    int64_t deadline_ns; /* CLOCK_MONOTONIC */
    const char *kind;
    int stop;
    int nomem;
    int capped;
    int incomplete; /* time budget spent, or the reader failed */
    char cap_reason[ESEAL_TEXT_REASON_MAX];
    char note[ESEAL_TEXT_REASON_MAX];
};

/* How extract_sink_text treats white space. */
enum extract_space {
    EXTRACT_SPACE_KEEP,    /* keep tabs and newlines (plain text, PDF) */
    EXTRACT_SPACE_COLLAPSE /* any run of white space becomes one space (HTML, XML) */
};

/* extract_sink_text - append n bytes of (mostly) UTF-8 text, repairing what is invalid. */
void extract_sink_text(struct extract_sink *s, const char *p, size_t n, enum extract_space space);

/* extract_sink_break - append a separator (' ', '\t' or '\n') unless one is already there. */
void extract_sink_break(struct extract_sink *s, char sep);

/* extract_sink_expired - whether the time budget is spent (then it also records the cap). */
int extract_sink_expired(struct extract_sink *s);

/* extract_sink_cap - record that a cap stopped extraction (the first reason wins); stops. */
void extract_sink_cap(struct extract_sink *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* extract_sink_note - record why text may be missing (the first note wins); does not stop. */
void extract_sink_note(struct extract_sink *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* extract_xml_init - initialise libxml2 once per process (not safe from two threads at once). */
void extract_xml_init(void);

/* extract_plain - text in charset (NULL: UTF-8 if valid, else GB18030) into s. */
void extract_plain(struct extract_sink *s, const unsigned char *data, size_t len,
                   const char *charset);

/* extract_html - the visible text of an HTML document into s. */
void extract_html(struct extract_sink *s, const unsigned char *data, size_t len,
                  const char *charset);

/* extract_now_ns - CLOCK_MONOTONIC in nanoseconds, the clock of deadline_ns. */
int64_t extract_now_ns(void);

/* extract_pdf - the text of the first pages of a PDF into s, read by a helper process. */
void extract_pdf(struct extract_sink *s, const unsigned char *data, size_t len);

/* extract_pdf_helper_main - the helper (eseal-pdftext --serve): the server of an
 * eseal_pdf_reader on its standard input (a socket); exit status. */
int extract_pdf_helper_main(int argc, char **argv);

/* extract_zip - the text of an OOXML or ODF zip into s; sets s->kind from the parts found. */
void extract_zip(struct extract_sink *s, const unsigned char *data, size_t len);

#endif
