/* policy_int.h - the compiled form of a policy, shared by its loader and its classifier. */
#ifndef ESEAL_POLICY_INT_H
#define ESEAL_POLICY_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "eseal/policy.h"

#define POLICY_FIELD_COUNT 5 /* eseal_policy_field values */
#define POLICY_CATEGORIES_MAX 256

#include "prefilter_int.h"

/* One term: its text as written, compiled (plain terms as caseless literals), and the
 * policy's literals one of which each of its matches contains (none: always matched). */
typedef struct policy_term {
    char *text;
    pcre2_code *code;
    size_t *literals; /* indexes into eseal_policy.literals */
    size_t literal_count;
} policy_term;

typedef struct policy_category {
    eseal_policy_category pub;
    policy_term *terms[POLICY_FIELD_COUNT];
    size_t term_count[POLICY_FIELD_COUNT];
    unsigned threshold; /* distinct content (or body) terms needed */
} policy_category;

struct eseal_policy {
    policy_category *categories;
    size_t count;
    char **literals; /* distinct (ASCII case aside), for the prefilter */
    size_t *literal_lens;
    size_t literal_count, literal_cap;
    policy_prefilter *prefilter; /* NULL: every term is matched against every text */
};

/* policy_compile - compile a term: '/.../' as a PCRE2 pattern, anything else as a literal;
 * both UTF-8 and caseless.  On failure NULL, with PCRE2's message and offset in why. */
pcre2_code *policy_compile(const char *term, char *why, size_t why_size);

#endif
