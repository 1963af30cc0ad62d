/* prefilter.c - which policy terms can match a text at all, found in one pass: every term
 * has literals (one per top-level alternative) that each of its matches must contain, and an
 * Aho-Corasick automaton over all of them marks those in the text.  Only terms with a marked
 * literal (or with none known) are given to PCRE2, instead of every term scanning the text.
 *
 * SECURITY: the text is hostile (extracted from mail); the scan is one table step per byte
 * and one walk of output links per position, bounded by the literals' count.  The literals
 * come from the administrator's policy and are found conservatively: a term whose pattern
 * uses anything this module does not understand gets no literal and is always matched. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "prefilter_int.h"

#define PREFILTER_MIN_LITERAL 3 /* bytes: shorter literals filter nothing */
#define PREFILTER_STATES_MAX 65535

struct policy_prefilter {
    uint8_t byte_class[256]; /* ASCII upper case maps to lower case's class; 0: no literal has it */
    unsigned classes;
    uint32_t states;
    uint16_t *next;     /* states x classes: the goto function completed with failures */
    int32_t *out;       /* the literal ending at a state, or -1 */
    uint32_t *out_link; /* the nearest state on the failure chain with an output (0: none) */
};

/* The length of the UTF-8 character at p when it is one the prefilter may keep in a literal:
 * ASCII (letters compared without case), or CJK, kana and Hangul, which have no case; else 0.
 * PCRE2's caseless matching also pairs k with U+212A and s with U+017F: texts holding either
 * are not prefiltered (policy_prefilter_scan). */
static size_t prefilter_char(const unsigned char *p, size_t left)
{
    unsigned long cp;

    if (left == 0)
        return 0;
    if (p[0] < 0x80)
        return 1;
    if (left < 3 || (p[0] & 0xf0) != 0xe0 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
        return 0;
    cp = ((unsigned long)(p[0] & 0x0f) << 12) | ((unsigned long)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
    return (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
                   (cp >= 0xf900 && cp <= 0xfaff)
               ? 3
               : 0;
}

/* Keep run as the best literal of the branch when it is the longest so far. */
static void prefilter_keep(const char *run, size_t run_len, const char **best, size_t *best_len)
{
    if (run_len > *best_len) {
        *best = run;
        *best_len = run_len;
    }
}

/* The index past a {...} that starts at i (past the pattern when it does not close). */
static size_t prefilter_skip_braces(const unsigned char *p, size_t len, size_t i)
{
    while (i < len && p[i] != '}')
        i++;
    return i < len ? i + 1 : len;
}

/* The index past the escape sequence at i (a backslash).  What follows it is never kept:
 * \b \s \w match no or unknown characters, \x41 \101 \cA \p{Han} \N{U+4E00} \g{1} name one
 * by code or class, and \. is a character skipping which only shortens the literal. */
static size_t prefilter_skip_escape(const unsigned char *p, size_t len, size_t i)
{
    unsigned char c;

    if (i + 1 >= len)
        return len;
    c = p[i + 1];
    i += 2;
    if (c == 'x' || (c >= '0' && c <= '9')) { /* \xhh, \ddd: skipping a digit too many
                                                   only shortens the literal */
        size_t k;
        for (k = 0; k < 2 && i < len && isxdigit(p[i]); k++)
            i++;
    } else if (c == 'c') {
        i++;
    } else if (c == 'p' || c == 'P' || c == 'N' || c == 'g' || c == 'k') {
        if (i < len && (p[i] == '{' || p[i] == '<' || p[i] == '\'')) {
            unsigned char close = p[i] == '{' ? '}' : p[i] == '<' ? '>' : '\'';
            for (i++; i < len && p[i] != close; i++)
                ;
        }
        i++; /* past the closing character, or the one letter of \pL */
    }
    if (i < len && p[i] == '{')
        i = prefilter_skip_braces(p, len, i);
    return i > len ? len : i;
}

/* Whether an option setting in the pattern ((?x), (?ix:...)) may make white space and #
 * comments not literal.  Other (? groups (lookaround, non-capturing, named) are groups like
 * any other: what is in them is skipped. */
static int prefilter_extended(const unsigned char *p, size_t len)
{
    size_t i, j;

    for (i = 0; i + 2 < len; i++) {
        if (p[i] != '(' || p[i + 1] != '?' || (i > 0 && p[i - 1] == '\\'))
            continue;
        for (j = i + 2; j < len && p[j] != ')' && p[j] != ':'; j++) {
            if (p[j] == 'x')
                return 1;
            if (!(isalpha(p[j]) || p[j] == '-' || p[j] == '^'))
                break; /* not an option setting */
        }
    }
    return 0;
}

/* Split pattern into its top-level alternatives and find each one's longest run of characters
 * that every match contains; add them with add(ctx, literal, len).  0, or -1 when some
 * alternative has none (then the term has no literal and is always matched). */
static int prefilter_pattern(const char *pat, size_t len, int literal,
                             int (*add)(void *, const char *, size_t), void *ctx)
{
    const unsigned char *p = (const unsigned char *)pat;
    const char *best = NULL, *run = pat;
    size_t i = 0, best_len = 0, run_len = 0, last = 0;
    int depth = 0;

    if (!literal && (prefilter_extended(p, len) || memmem(pat, len, "(*", 2) != NULL ||
                     memmem(pat, len, "\\Q", 2) != NULL))
        return -1; /* white space that is not literal, verbs, quoting: not followed here */
    while (i <= len) {
        size_t n;
        if (i == len || (!literal && depth == 0 && p[i] == '|')) {
            prefilter_keep(run, run_len, &best, &best_len);
            if (best_len < PREFILTER_MIN_LITERAL || add(ctx, best, best_len) != 0)
                return -1;
            best = NULL;
            best_len = run_len = 0;
            run = pat + ++i;
            continue;
        }
        if (!literal && (p[i] == '?' || p[i] == '*' || p[i] == '{' || p[i] == '+')) {
            /* the character before is optional (?, *, {0...}) or repeated: the run ends
             * before it, or after it when it must occur at least once */
            int at_least_once =
                p[i] == '+' || (p[i] == '{' && i + 1 < len && p[i + 1] >= '1' && p[i + 1] <= '9');
            if (depth == 0 && run_len > 0 && !at_least_once)
                run_len = last;
            prefilter_keep(run, run_len, &best, &best_len);
            run_len = 0;
            i = p[i] == '{' ? prefilter_skip_braces(p, len, i) : i + 1;
            run = pat + i;
            continue;
        }
        if (!literal && (p[i] == '\\' || p[i] == '[' || p[i] == '(' || p[i] == ')' || p[i] == '.' ||
                         p[i] == '^' || p[i] == '$' || p[i] == '|')) {
            prefilter_keep(run, run_len, &best, &best_len);
            run_len = 0;
            if (p[i] == '\\') {
                i = prefilter_skip_escape(p, len, i);
            } else if (p[i] == '[') {
                i++;
                if (i < len && p[i] == '^')
                    i++;
                if (i < len && p[i] == ']')
                    i++;
                while (i < len && p[i] != ']') {
                    if (p[i] == '[' && i + 1 < len && p[i + 1] == ':') { /* [:alpha:] */
                        const unsigned char *end = memmem(p + i + 2, len - i - 2, ":]", 2);
                        i = end != NULL ? (size_t)(end - p) + 2 : len;
                        continue;
                    }
                    i += p[i] == '\\' ? 2 : 1;
                }
                i++;
            } else {
                depth += p[i] == '(' ? 1 : p[i] == ')' ? -1 : 0;
                if (depth < 0)
                    return -1;
                i++;
            }
            if (i > len)
                i = len;
            run = pat + i;
            continue;
        }
        n = depth == 0 ? prefilter_char(p + i, len - i) : 0;
        if (n == 0) {
            prefilter_keep(run, run_len, &best, &best_len);
            run_len = 0;
            n = 1;
            while (i + n < len && (p[i + n] & 0xc0) == 0x80)
                n++; /* the rest of a character that is not kept */
            i += n;
            run = pat + i;
            continue;
        }
        last = run_len;
        run_len += n;
        i += n;
    }
    return 0;
}

int policy_literals(const char *term, size_t len, int (*add)(void *, const char *, size_t),
                    void *ctx)
{
    if (len >= 2 && term[0] == '/' && term[len - 1] == '/')
        return prefilter_pattern(term + 1, len - 2, 0, add, ctx);
    return prefilter_pattern(term, len, 1, add, ctx);
}

static uint8_t prefilter_lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

int policy_prefilter_new(policy_prefilter **out, const char *const *literals, const size_t *lens,
                         size_t count)
{
    policy_prefilter *f = calloc(1, sizeof(*f));
    uint32_t *queue = NULL, head = 0, tail = 0, s, cap = 1;
    size_t i, j;
    int c;

    *out = NULL;
    if (f == NULL)
        return -1;
    for (i = 0; i < count; i++) {
        cap += (uint32_t)lens[i];
        for (j = 0; j < lens[i]; j++)
            f->byte_class[prefilter_lower((uint8_t)literals[i][j])] = 1;
    }
    if (cap > PREFILTER_STATES_MAX)
        goto fail;
    f->classes = 1;
    for (c = 0; c < 256; c++)
        if (f->byte_class[c] != 0)
            f->byte_class[c] = (uint8_t)f->classes++;
    for (c = 'A'; c <= 'Z'; c++)
        f->byte_class[c] = f->byte_class[c - 'A' + 'a'];
    f->next = calloc((size_t)cap * f->classes, sizeof(*f->next));
    f->out = malloc(cap * sizeof(*f->out));
    f->out_link = calloc(cap, sizeof(*f->out_link));
    queue = malloc(cap * sizeof(*queue));
    if (f->next == NULL || f->out == NULL || f->out_link == NULL || queue == NULL)
        goto fail;
    f->states = 1; /* state 0 is the root */
    f->out[0] = -1;
    for (i = 0; i < count; i++) { /* the trie; next[] == 0 below the root means no edge yet */
        s = 0;
        for (j = 0; j < lens[i]; j++) {
            uint16_t *edge =
                &f->next[(size_t)s * f->classes + f->byte_class[(uint8_t)literals[i][j]]];
            if (*edge == 0) {
                f->out[f->states] = -1;
                *edge = (uint16_t)f->states++;
            }
            s = *edge;
        }
        f->out[s] = (int32_t)i; /* the literals are distinct (policy_literals' caller) */
    }
    /* Breadth first: complete the goto function with the failure transitions, and link each
     * state to the nearest state on its failure chain that ends a literal. */
    {
        uint32_t *fail_of = calloc(f->states, sizeof(*fail_of));
        if (fail_of == NULL)
            goto fail;
        for (c = 1; c < (int)f->classes; c++)
            if (f->next[c] != 0)
                queue[tail++] = f->next[c];
        while (head < tail) {
            uint32_t r = queue[head++];
            for (c = 1; c < (int)f->classes; c++) {
                uint16_t *edge = &f->next[(size_t)r * f->classes + c];
                uint32_t fr = fail_of[r];
                if (*edge != 0) {
                    uint32_t t = *edge;
                    fail_of[t] = f->next[(size_t)fr * f->classes + c];
                    f->out_link[t] = f->out[fail_of[t]] >= 0 ? fail_of[t] : f->out_link[fail_of[t]];
                    queue[tail++] = t;
                } else {
                    *edge = f->next[(size_t)fr * f->classes + c];
                }
            }
        }
        free(fail_of);
    }
    free(queue);
    *out = f;
    return 0;
fail:
    free(queue);
    policy_prefilter_free(f);
    return -1;
}

void policy_prefilter_free(policy_prefilter *f)
{
    if (f == NULL)
        return;
    free(f->next);
    free(f->out);
    free(f->out_link);
    free(f);
}

int policy_prefilter_scan(const policy_prefilter *f, const char *text, size_t len,
                          unsigned char *found)
{
    const unsigned char *t = (const unsigned char *)text;
    uint32_t s = 0, o;
    size_t i;

    if (memmem(text, len, "\xe2\x84\xaa", 3) != NULL || memmem(text, len, "\xc5\xbf", 2) != NULL)
        return -1; /* KELVIN SIGN, LATIN SMALL LETTER LONG S: caseless k and s */
    for (i = 0; i < len; i++) {
        s = f->next[(size_t)s * f->classes + f->byte_class[t[i]]];
        for (o = f->out[s] >= 0 ? s : f->out_link[s]; o != 0; o = f->out_link[o])
            found[f->out[o]] = 1;
    }
    return 0;
}
