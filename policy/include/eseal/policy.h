/* eseal/policy.h - which documents may be sealed: categories of documents (the Article 3
 * exclusions, contracts) recognised by terms, and the action each category asks for. */
#ifndef ESEAL_POLICY_H
#define ESEAL_POLICY_H

#include <stddef.h>

#include "eseal/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Outbound actions, from the mildest to the strictest: the strictest of a document's
 * categories wins. */
typedef enum eseal_outbound_action {
    ESEAL_OUTBOUND_SEAL = 0,    /* seal it */
    ESEAL_OUTBOUND_REFUSE_SEAL, /* deliver it unsealed, and say why */
    ESEAL_OUTBOUND_HOLD,        /* quarantine the message in the MTA */
    ESEAL_OUTBOUND_REJECT,      /* reject the message (550 5.7.1) */
} eseal_outbound_action;

/* Inbound actions, from the mildest to the strictest. */
typedef enum eseal_inbound_action {
    ESEAL_INBOUND_NONE = 0,
    ESEAL_INBOUND_FLAG_EXCLUDED, /* ESeal-Policy: a seal on it has no legal effect */
    ESEAL_INBOUND_REQUIRE_SEAL,  /* without a `pass` seal: ESeal-Flag, subject tag */
} eseal_inbound_action;

/* Where a term matched. */
typedef enum eseal_policy_field {
    ESEAL_FIELD_FILENAME,
    ESEAL_FIELD_SUBJECT,
    ESEAL_FIELD_MIME_TYPE,
    ESEAL_FIELD_CONTENT,
    ESEAL_FIELD_BODY,
} eseal_policy_field;

/* A loaded policy: immutable, so many threads may classify with it at once. */
typedef struct eseal_policy eseal_policy;

/* One category of a policy; owned by the policy. */
typedef struct eseal_policy_category {
    const char *name;  /* e.g. "personal-relationship": part of the headers and JSON */
    const char *label; /* human words; may be "" */
    const char *basis; /* legal basis, e.g. "PRC Electronic Signature Law art. 3(1)" */
    eseal_outbound_action outbound;
    eseal_inbound_action inbound;
} eseal_policy_category;

/* What is classified: UTF-8 strings, each may be NULL (not known). A document is an
 * attachment (filename, mime_type, content) or a message (subject, body). */
typedef struct eseal_policy_doc {
    const char *filename;
    const char *subject;
    const char *mime_type;
    const char *content; /* extracted text */
    size_t content_len;
    const char *body; /* message body text */
    size_t body_len;
} eseal_policy_doc;

#define ESEAL_POLICY_MATCH_MAX 96

/* One term that matched. */
typedef struct eseal_policy_hit {
    const eseal_policy_category *category;
    eseal_policy_field field;
    const char *term;                  /* as written in the policy file */
    char text[ESEAL_POLICY_MATCH_MAX]; /* what it matched (cut at a character boundary) */
    size_t offset; /* byte offset in the field; in content and body, line breaks count as one
                    * space, or nothing between two CJK characters (terms match across them) */
} eseal_policy_hit;

/* The categories of one document and why. */
typedef struct eseal_classification eseal_classification;

/* eseal_policy_load - load and merge count policy files into *out (free with
 * eseal_policy_free).  Errors are "file:line: message"; a bad pattern names PCRE2's message
 * and the offset; a category name used twice, or with no action, is an error. */
int eseal_policy_load(eseal_policy **out, const char *const *paths, size_t count, eseal_error *err);

/* eseal_policy_free - release a policy; NULL-safe. */
void eseal_policy_free(eseal_policy *policy);

/* eseal_policy_category_count / _category - the categories, in file order. */
size_t eseal_policy_category_count(const eseal_policy *policy);
const eseal_policy_category *eseal_policy_category_at(const eseal_policy *policy, size_t i);

/* eseal_policy_classify - classify doc into *out (free with eseal_classification_free). */
int eseal_policy_classify(const eseal_policy *policy, const eseal_policy_doc *doc,
                          eseal_classification **out, eseal_error *err);

/* eseal_classification_count / _category - the categories the document is in. */
size_t eseal_classification_count(const eseal_classification *c);
const eseal_policy_category *eseal_classification_category(const eseal_classification *c, size_t i);

/* eseal_classification_hit_count / _hit - every term that matched, in or out of a category
 * (content terms below the threshold are hits too: they explain a near miss). */
size_t eseal_classification_hit_count(const eseal_classification *c);
const eseal_policy_hit *eseal_classification_hit(const eseal_classification *c, size_t i);

/* eseal_classification_outbound / _inbound - the strictest action of its categories;
 * (seal / none when it is in none). *why (may be NULL) gets the category that decided. */
eseal_outbound_action eseal_classification_outbound(const eseal_classification *c,
                                                    const eseal_policy_category **why);
eseal_inbound_action eseal_classification_inbound(const eseal_classification *c,
                                                  const eseal_policy_category **why);

/* eseal_classification_incomplete - whether some term could not be matched to the end (a
 * PCRE2 match or depth limit): the categories may be missing one. */
int eseal_classification_incomplete(const eseal_classification *c);

/* eseal_classification_merge - add the categories of other to c (a message's categories
 * apply to each of its attachments). */
int eseal_classification_merge(eseal_classification *c, const eseal_classification *other,
                               eseal_error *err);

/* eseal_classification_free - release; NULL-safe. */
void eseal_classification_free(eseal_classification *c);

/* eseal_outbound_action_word / eseal_inbound_action_word / eseal_policy_field_word - the
 * words of the policy file and headers ("refuse-seal", "flag-excluded", "content"). */
const char *eseal_outbound_action_word(eseal_outbound_action a);
const char *eseal_inbound_action_word(eseal_inbound_action a);
const char *eseal_policy_field_word(eseal_policy_field f);

#ifdef __cplusplus
}
#endif
#endif
