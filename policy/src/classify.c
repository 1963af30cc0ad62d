/* classify.c - put a document into the categories of a policy, and say why.
 *
 * SECURITY: the texts are hostile (subjects, bodies, extracted attachment text).  They are
 * matched only when valid UTF-8, with PCRE2 match and depth limits so that no text can make
 * an administrator's pattern backtrack for ever; hits are capped. */
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "policy_int.h"
#include "utf8_int.h"

#define CLASSIFY_HITS_MAX 256
#define CLASSIFY_MATCH_LIMIT 1000000 /* PCRE2 backtracking steps per term and text */
#define CLASSIFY_DEPTH_LIMIT 10000

struct eseal_classification {
    const eseal_policy_category *categories[POLICY_CATEGORIES_MAX];
    size_t count;
    eseal_policy_hit hits[CLASSIFY_HITS_MAX];
    size_t hit_count;
    int incomplete;
};

static int classify_has(const eseal_classification *c, const eseal_policy_category *cat)
{
    size_t i;

    for (i = 0; i < c->count; i++)
        if (c->categories[i] == cat)
            return 1;
    return 0;
}

static void classify_add(eseal_classification *c, const eseal_policy_category *cat)
{
    if (!classify_has(c, cat) && c->count < POLICY_CATEGORIES_MAX)
        c->categories[c->count++] = cat;
}

/* Record a hit: the matched text is cut at a character boundary. */
static void classify_hit(eseal_classification *c, const policy_category *cat,
                         eseal_policy_field field, const policy_term *term, const char *text,
                         size_t start, size_t end)
{
    eseal_policy_hit *h;
    size_t n = 0, len;

    if (c->hit_count == CLASSIFY_HITS_MAX)
        return;
    h = &c->hits[c->hit_count++];
    h->category = &cat->pub;
    h->field = field;
    h->term = term->text;
    h->offset = start;
    while (start + n < end) {
        len = eseal_utf8_char_len((const unsigned char *)text + start + n, end - start - n);
        if (len == 0 || n + len >= sizeof(h->text))
            break;
        n += len;
    }
    memcpy(h->text, text + start, n);
    h->text[n] = '\0';
}

/* Whether the prefilter rules the term out: found (NULL: no prefilter for this text) holds
 * none of its literals. */
static int classify_ruled_out(const policy_term *term, const unsigned char *found)
{
    size_t i;

    if (found == NULL || term->literal_count == 0)
        return 0;
    for (i = 0; i < term->literal_count; i++)
        if (found[term->literals[i]])
            return 0;
    return 1;
}

/* How many distinct terms of a field match text (each recorded as a hit); -1 on no memory.
 * found: the prefilter's literals in text, or NULL. */
static int classify_field(eseal_classification *c, const policy_category *cat,
                          eseal_policy_field field, const char *text, size_t len,
                          const unsigned char *found, pcre2_match_context *mctx)
{
    size_t i;
    int matched = 0;

    if (text == NULL || cat->term_count[field] == 0 || !eseal_utf8_valid(text, len))
        return 0;
    for (i = 0; i < cat->term_count[field]; i++) {
        const policy_term *term = &cat->terms[field][i];
        pcre2_match_data *md;
        int rc;
        if (classify_ruled_out(term, found))
            continue;
        md = pcre2_match_data_create_from_pattern(term->code, NULL);
        if (md == NULL)
            return -1;
        rc = pcre2_match(term->code, (PCRE2_SPTR)text, len, 0, PCRE2_NO_UTF_CHECK, md, mctx);
        if (rc > 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            classify_hit(c, cat, field, term, text, ov[0], ov[1]);
            matched++;
        } else if (rc != PCRE2_ERROR_NOMATCH) {
            c->incomplete = 1; /* match or depth limit: no answer is not "no" */
        }
        pcre2_match_data_free(md);
    }
    return matched;
}

/* Whether the code point of the UTF-8 character at p is CJK (ideographs, kana, hangul, CJK
 * punctuation and full-width forms): between two of them a line break is only layout. */
static int classify_is_cjk(const unsigned char *p, size_t left)
{
    size_t n = eseal_utf8_char_len(p, left);
    unsigned long cp;

    if (n != 3)
        return 0; /* every CJK block of interest is in the three-byte range */
    cp = ((unsigned long)(p[0] & 0x0f) << 12) | ((unsigned long)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
    return (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
           (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xffef);
}

/* A copy of text as terms see it: a line break between two CJK characters is dropped (PDF
 * text breaks lines inside words), any other line break becomes a space.  NULL if no memory. */
static char *classify_unwrap(const char *text, size_t len, size_t *out_len)
{
    const unsigned char *t = (const unsigned char *)text;
    char *copy = malloc(len + 1);
    size_t i = 0, o = 0, n;
    int last_cjk = 0; /* the character before a line break is CJK */

    if (copy == NULL)
        return NULL;
    while (i < len) {
        if (t[i] == '\r' || t[i] == '\n') {
            size_t j = i;
            while (j < len && (t[j] == '\r' || t[j] == '\n'))
                j++;
            if (!(last_cjk && j < len && classify_is_cjk(t + j, len - j)))
                copy[o++] = ' ';
            i = j;
            continue;
        }
        last_cjk = classify_is_cjk(t + i, len - i);
        n = eseal_utf8_char_len(t + i, len - i);
        if (n == 0)
            n = 1;
        memcpy(copy + o, t + i, n);
        o += n;
        i += n;
    }
    copy[o] = '\0';
    *out_len = o;
    return copy;
}

/* The literals of the policy in text (free() it), or NULL when every term is to be matched:
 * no text, no prefilter, no memory, or characters the prefilter cannot judge. */
static unsigned char *classify_prefilter(const eseal_policy *p, const char *text, size_t len)
{
    unsigned char *found;

    if (text == NULL || p->prefilter == NULL || (found = calloc(p->literal_count + 1, 1)) == NULL)
        return NULL;
    if (policy_prefilter_scan(p->prefilter, text, len, found) != 0) {
        free(found);
        return NULL;
    }
    return found;
}

int eseal_policy_classify(const eseal_policy *p, const eseal_policy_doc *doc,
                          eseal_classification **out, eseal_error *err)
{
    eseal_classification *c = calloc(1, sizeof(*c));
    pcre2_match_context *mctx = pcre2_match_context_create(NULL);
    char *content = NULL, *body = NULL;
    unsigned char *content_found = NULL, *body_found = NULL;
    size_t i, content_len = 0, body_len = 0;
    int rc = ESEAL_OK;

    *out = NULL;
    if (c == NULL || mctx == NULL) {
        free(c);
        pcre2_match_context_free(mctx);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    pcre2_set_match_limit(mctx, CLASSIFY_MATCH_LIMIT);
    pcre2_set_depth_limit(mctx, CLASSIFY_DEPTH_LIMIT);
    content = doc->content ? classify_unwrap(doc->content, doc->content_len, &content_len) : NULL;
    body = doc->body ? classify_unwrap(doc->body, doc->body_len, &body_len) : NULL;
    if ((doc->content && content == NULL) || (doc->body && body == NULL))
        rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    content_found = classify_prefilter(p, content, content_len);
    body_found = classify_prefilter(p, body, body_len);
    for (i = 0; i < p->count && rc == ESEAL_OK; i++) {
        const policy_category *cat = &p->categories[i];
        int named = 0, in_content, in_body;
        named += classify_field(c, cat, ESEAL_FIELD_FILENAME, doc->filename,
                                doc->filename ? strlen(doc->filename) : 0, NULL, mctx) > 0;
        named += classify_field(c, cat, ESEAL_FIELD_SUBJECT, doc->subject,
                                doc->subject ? strlen(doc->subject) : 0, NULL, mctx) > 0;
        named += classify_field(c, cat, ESEAL_FIELD_MIME_TYPE, doc->mime_type,
                                doc->mime_type ? strlen(doc->mime_type) : 0, NULL, mctx) > 0;
        in_content =
            classify_field(c, cat, ESEAL_FIELD_CONTENT, content, content_len, content_found, mctx);
        in_body = classify_field(c, cat, ESEAL_FIELD_BODY, body, body_len, body_found, mctx);
        if (in_content < 0 || in_body < 0)
            rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
        else if (named > 0 || (in_content > 0 && (unsigned)in_content >= cat->threshold) ||
                 (in_body > 0 && (unsigned)in_body >= cat->threshold))
            classify_add(c, &cat->pub);
    }
    pcre2_match_context_free(mctx);
    free(content);
    free(body);
    free(content_found);
    free(body_found);
    if (rc != ESEAL_OK) {
        free(c);
        return rc;
    }
    *out = c;
    return ESEAL_OK;
}

size_t eseal_classification_count(const eseal_classification *c)
{
    return c->count;
}

const eseal_policy_category *eseal_classification_category(const eseal_classification *c, size_t i)
{
    return i < c->count ? c->categories[i] : NULL;
}

size_t eseal_classification_hit_count(const eseal_classification *c)
{
    return c->hit_count;
}

const eseal_policy_hit *eseal_classification_hit(const eseal_classification *c, size_t i)
{
    return i < c->hit_count ? &c->hits[i] : NULL;
}

eseal_outbound_action eseal_classification_outbound(const eseal_classification *c,
                                                    const eseal_policy_category **why)
{
    const eseal_policy_category *strictest = NULL;
    size_t i;

    for (i = 0; i < c->count; i++)
        if (strictest == NULL || c->categories[i]->outbound > strictest->outbound)
            strictest = c->categories[i];
    if (why != NULL)
        *why = strictest;
    return strictest ? strictest->outbound : ESEAL_OUTBOUND_SEAL;
}

eseal_inbound_action eseal_classification_inbound(const eseal_classification *c,
                                                  const eseal_policy_category **why)
{
    const eseal_policy_category *strictest = NULL;
    size_t i;

    for (i = 0; i < c->count; i++)
        if (strictest == NULL || c->categories[i]->inbound > strictest->inbound)
            strictest = c->categories[i];
    if (why != NULL)
        *why = strictest;
    return strictest ? strictest->inbound : ESEAL_INBOUND_NONE;
}

int eseal_classification_incomplete(const eseal_classification *c)
{
    return c->incomplete;
}

int eseal_classification_merge(eseal_classification *c, const eseal_classification *other,
                               eseal_error *err)
{
    size_t i;

    (void)err;
    for (i = 0; i < other->count; i++)
        classify_add(c, other->categories[i]);
    c->incomplete |= other->incomplete;
    for (i = 0; i < other->hit_count && c->hit_count < CLASSIFY_HITS_MAX; i++)
        c->hits[c->hit_count++] = other->hits[i];
    return ESEAL_OK;
}

void eseal_classification_free(eseal_classification *c)
{
    free(c);
}
