/* verdict_print.h - verdicts and strings as the CLI prints them: one line, or JSON. */
#ifndef ESEAL_CLI_VERDICT_PRINT_H
#define ESEAL_CLI_VERDICT_PRINT_H

#include <stdio.h>

#include "eseal/verdict.h"

/* print_escaped - s with control characters escaped (\xNN, or \uNNNN in JSON, where quotes,
 * backslashes and invalid UTF-8 are escaped too). */
void print_escaped(FILE *out, const char *s, int json);

/* print_quoted - print_escaped between double quotes. */
void print_quoted(FILE *out, const char *s, int json);

/* What a signature inside a document adds to its verdict line. */
typedef struct verdict_extra {
    const char *field; /* the PDF signature field's name; an OFD signature's Signature.xml */
    unsigned later;    /* signatures added after it (printed when not 0) */
    const char *seal;  /* an SES seal's name (may be NULL) */
    long seal_type;    /* and its type (printed with the name) */
} verdict_extra;

/* verdict_print_line - "FILE: result=WORD; format=...; signer="..."; ...; reason="..."", with
 * the fields of x (may be NULL); control characters in FILE and in quoted values are
 * escaped, so no name forges a field. */
void verdict_print_line(FILE *out, const char *file, const char *format, const eseal_verdict *v,
                        const verdict_extra *x);

/* verdict_print_json - the same fields as a JSON object on one line; bytes that are not
 * UTF-8 are replaced by U+FFFD so that the output is always valid JSON. */
void verdict_print_json(FILE *out, const char *file, const char *format, const eseal_verdict *v,
                        const verdict_extra *x);

/* verdict_print_sealed - "FILE: sealed by "SUBJECT" -> OUT", control characters escaped. */
void verdict_print_sealed(FILE *out, const char *file, const char *subject, const char *sig);

#endif
