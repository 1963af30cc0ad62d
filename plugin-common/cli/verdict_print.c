/* verdict_print.c - a verdict as the CLI prints it: one line, or one JSON object. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "utf8_int.h"
#include "verdict_print.h"

#define PRINT_FIELDS_MAX 13

/* A field of the printed verdict; value NULL or "" means absent. */
struct print_field {
    const char *name;
    const char *value;
};

/* Write s with control characters escaped; in JSON also quotes and invalid UTF-8. */
void print_escaped(FILE *out, const char *s, int json)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);

    while (p < end) {
        size_t n = json ? eseal_utf8_char_len(p, (size_t)(end - p)) : 1;
        if (n == 0) {
            fputs("\\ufffd", out);
            p++;
        } else if (*p == '"' || *p == '\\') {
            fprintf(out, "\\%c", *p++);
        } else if (*p < 0x20 || *p == 0x7f) {
            fprintf(out, json ? "\\u%04x" : "\\x%02x", *p++);
        } else {
            fwrite(p, 1, n, out);
            p += n;
        }
    }
}

void print_quoted(FILE *out, const char *s, int json)
{
    fputc('"', out);
    print_escaped(out, s, json);
    fputc('"', out);
}

/* The fields' texts that are formatted from numbers. */
struct print_texts {
    char signed_at[32], timestamped_at[32], later[16], seal_type[24];
};

static void print_time(int has, time_t when, char *buf, size_t size)
{
    buf[0] = '\0';
    if (has)
        eseal_verdict_time(when, buf, size);
}

static size_t print_fields(const char *file, const char *format, const eseal_verdict *v,
                           const verdict_extra *x, struct print_texts *t, struct print_field *f)
{
    size_t n = 0;

    print_time(v->has_signing_time, v->signing_time, t->signed_at, sizeof(t->signed_at));
    print_time(v->has_timestamp, v->timestamp_time, t->timestamped_at, sizeof(t->timestamped_at));
    t->later[0] = t->seal_type[0] = '\0';
    if (x != NULL && x->seal != NULL)
        snprintf(t->seal_type, sizeof(t->seal_type), "%ld", x->seal_type);
    if (x != NULL && x->later > 0)
        snprintf(t->later, sizeof(t->later), "%u", x->later);
    f[n++] = (struct print_field){"file", file};
    f[n++] = (struct print_field){"result", eseal_result_word(v->result)};
    f[n++] = (struct print_field){"format", format};
    f[n++] = (struct print_field){"field", x != NULL ? x->field : NULL};
    f[n++] = (struct print_field){"seal", x != NULL ? x->seal : NULL};
    f[n++] = (struct print_field){"seal-type", t->seal_type};
    f[n++] = (struct print_field){"signer", v->signer};
    f[n++] = (struct print_field){"issuer", v->issuer};
    f[n++] = (struct print_field){"serial", v->serial};
    f[n++] = (struct print_field){"signed-at", t->signed_at};
    f[n++] = (struct print_field){"timestamped-at", t->timestamped_at};
    f[n++] = (struct print_field){"later-signatures", t->later};
    f[n++] = (struct print_field){"reason", v->reason};
    return n;
}

/* Whether a field's value is a token, printed without quotes. */
static int print_is_token(const char *name)
{
    return strcmp(name, "serial") == 0 || strcmp(name, "signed-at") == 0 ||
           strcmp(name, "timestamped-at") == 0 || strcmp(name, "seal-type") == 0 ||
           strcmp(name, "format") == 0 || strcmp(name, "later-signatures") == 0;
}

void verdict_print_line(FILE *out, const char *file, const char *format, const eseal_verdict *v,
                        const verdict_extra *x)
{
    struct print_field f[PRINT_FIELDS_MAX];
    struct print_texts texts;
    size_t i, n = print_fields(file, format, v, x, &texts, f);

    print_escaped(out, file, 0);
    fprintf(out, ": result=%s", eseal_result_word(v->result));
    for (i = 2; i < n; i++) {
        if (f[i].value == NULL || f[i].value[0] == '\0')
            continue;
        fprintf(out, "; %s=", f[i].name);
        if (print_is_token(f[i].name))
            fputs(f[i].value, out);
        else
            print_quoted(out, f[i].value, 0);
    }
    fputc('\n', out);
}

void verdict_print_json(FILE *out, const char *file, const char *format, const eseal_verdict *v,
                        const verdict_extra *x)
{
    struct print_field f[PRINT_FIELDS_MAX];
    struct print_texts texts;
    size_t i, n = print_fields(file, format, v, x, &texts, f);
    const char *sep = "";

    fputc('{', out);
    for (i = 0; i < n; i++) {
        if (f[i].value == NULL || f[i].value[0] == '\0')
            continue;
        fprintf(out, "%s\"%s\":", sep, f[i].name);
        if (strcmp(f[i].name, "later-signatures") == 0 || strcmp(f[i].name, "seal-type") == 0)
            fputs(f[i].value, out);
        else
            print_quoted(out, f[i].value, 1);
        sep = ",";
    }
    fputs("}\n", out);
}

void verdict_print_sealed(FILE *out, const char *file, const char *subject, const char *sig)
{
    print_escaped(out, file, 0);
    fputs(": sealed by ", out);
    print_quoted(out, subject, 0);
    fputs(" -> ", out);
    print_escaped(out, sig, 0);
    fputc('\n', out);
}
