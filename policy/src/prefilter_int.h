/* prefilter_int.h - the literals every match of a policy term contains, and one pass over a
 * text that finds which of them it holds (Aho-Corasick, ASCII letters without case). */
#ifndef ESEAL_PREFILTER_INT_H
#define ESEAL_PREFILTER_INT_H

#include <stddef.h>

typedef struct policy_prefilter policy_prefilter;

/* policy_literals - call add(ctx, literal, len) for each top-level alternative of term (a
 * '/.../' pattern or a plain term) with a run of bytes that each of its matches contains
 * (ASCII letters to be compared without case); 0, or -1 when some alternative has none worth
 * searching or add failed: then the term must always be matched. */
int policy_literals(const char *term, size_t len, int (*add)(void *, const char *, size_t),
                    void *ctx);

/* policy_prefilter_new - the automaton of count distinct literals (lens[i] bytes each) into
 * *out (free with policy_prefilter_free); 0, or -1 when memory runs out or the literals are
 * too many (then nothing is prefiltered). */
int policy_prefilter_new(policy_prefilter **out, const char *const *literals, const size_t *lens,
                         size_t count);

/* policy_prefilter_free - free f; NULL-safe. */
void policy_prefilter_free(policy_prefilter *f);

/* policy_prefilter_scan - set found[i] to 1 for each literal i in text (found has one byte per
 * literal, cleared by the caller); 0, or -1 when the text holds characters that caseless
 * matching pairs with ASCII letters (U+212A, U+017F): then every term must be matched. */
int policy_prefilter_scan(const policy_prefilter *f, const char *text, size_t len,
                          unsigned char *found);

#endif
