/* verdict_print.h - a verdict as the CLI prints it: one line, or one JSON object. */
#ifndef ESEAL_CLI_VERDICT_PRINT_H
#define ESEAL_CLI_VERDICT_PRINT_H

#include <stdio.h>

#include "eseal/verdict.h"

/* verdict_print_line - "FILE: result=WORD; format=...; signer="..."; ...; reason="..."". */
void verdict_print_line(FILE *out, const char *file, const char *format, const eseal_verdict *v);

/* verdict_print_json - the same fields as a JSON object on one line. */
void verdict_print_json(FILE *out, const char *file, const char *format, const eseal_verdict *v);

#endif
