/* policy.c - load policy files (libconfuse) and compile their terms (PCRE2).
 *
 * SECURITY: policy files are the administrator's; every term is compiled and every word
 * checked at load, with file:line, so that a broken policy stops the daemon (or, on reload,
 * leaves the last good one in place) instead of silently matching nothing. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <confuse.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define POLICY_UNDER_VALGRIND RUNNING_ON_VALGRIND
#endif
#endif
#ifndef POLICY_UNDER_VALGRIND
#define POLICY_UNDER_VALGRIND 0
#endif

#include "cfgerr_int.h"
#include "error_int.h"
#include "file_int.h"
#include "policy_int.h"
#include "utf8_int.h"

#define POLICY_THRESHOLD_MAX 100

static const char *const policy_field_keys[POLICY_FIELD_COUNT] = {"filename", "subject",
                                                                  "mime_type", "content", "body"};

static const char *const policy_outbound_words[] = {"seal", "refuse-seal", "hold", "reject", NULL};
static const char *const policy_inbound_words[] = {"none", "flag-excluded", "require-seal", NULL};

const char *eseal_outbound_action_word(eseal_outbound_action a)
{
    return a <= ESEAL_OUTBOUND_REJECT ? policy_outbound_words[a] : "seal";
}

const char *eseal_inbound_action_word(eseal_inbound_action a)
{
    return a <= ESEAL_INBOUND_REQUIRE_SEAL ? policy_inbound_words[a] : "none";
}

const char *eseal_policy_field_word(eseal_policy_field f)
{
    return (unsigned)f < POLICY_FIELD_COUNT ? policy_field_keys[f] : "?";
}

/* The index of word in words, or -1. */
static int policy_word(const char *const *words, const char *word)
{
    int i;

    for (i = 0; words[i] != NULL; i++)
        if (strcmp(words[i], word) == 0)
            return i;
    return -1;
}

pcre2_code *policy_compile(const char *term, char *why, size_t why_size)
{
    size_t len = strlen(term), offset;
    uint32_t options = PCRE2_UTF | PCRE2_CASELESS;
    const char *pattern = term;
    pcre2_code *code;
    int error;

    if (len >= 2 && term[0] == '/' && term[len - 1] == '/') {
        pattern = term + 1;
        len -= 2;
        options |= PCRE2_UCP; /* \b, \w and classes by Unicode properties, for CJK text */
    } else {
        options |= PCRE2_LITERAL;
    }
    if (len == 0) {
        snprintf(why, why_size, "empty term");
        return NULL;
    }
    code = pcre2_compile((PCRE2_SPTR)pattern, len, options, &error, &offset, NULL);
    if (code == NULL) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(error, message, sizeof(message));
        snprintf(why, why_size, "bad pattern %s at offset %zu: %s", term, offset,
                 (const char *)message);
        return NULL;
    }
    /* JIT where the system gives memory both writable and executable; where it does not
     * (systemd MemoryDenyWriteExecute=) the compile fails and pcre2_match interprets: the
     * same answers, the same match limit, two to five times slower on long texts.  Not under
     * valgrind: JIT code reads whole vectors past the end of the text on purpose. */
    if (!POLICY_UNDER_VALGRIND)
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    return code;
}

/* Validation callbacks: report with file:line while libconfuse still knows them. */
static int policy_check_terms(cfg_t *cfg, cfg_opt_t *opt)
{
    char why[320];
    unsigned i;

    for (i = 0; i < cfg_opt_size(opt); i++) {
        const char *term = cfg_opt_getnstr(opt, i);
        pcre2_code *code;
        if (!eseal_utf8_valid(term, strlen(term))) {
            cfgerr_error(cfg, "%s: term %u is not UTF-8 (the policy file must be UTF-8)",
                         cfg_opt_name(opt), i + 1);
            return -1;
        }
        code = policy_compile(term, why, sizeof(why));
        if (code == NULL) {
            cfgerr_error(cfg, "%s: %s", cfg_opt_name(opt), why);
            return -1;
        }
        pcre2_code_free(code);
    }
    return 0;
}

static int policy_check_outbound(cfg_t *cfg, cfg_opt_t *opt)
{
    return cfgerr_check_word(cfg, opt, policy_outbound_words);
}

static int policy_check_inbound(cfg_t *cfg, cfg_opt_t *opt)
{
    return cfgerr_check_word(cfg, opt, policy_inbound_words);
}

static int policy_check_text(cfg_t *cfg, cfg_opt_t *opt)
{
    const char *value = cfg_opt_getnstr(opt, 0);

    if (!eseal_utf8_valid(value, strlen(value))) {
        cfgerr_error(cfg, "%s: not UTF-8 (the policy file must be UTF-8)", cfg_opt_name(opt));
        return -1;
    }
    return 0;
}

static int policy_check_threshold(cfg_t *cfg, cfg_opt_t *opt)
{
    return cfgerr_check_int(cfg, opt, 1, POLICY_THRESHOLD_MAX);
}

/* A category needs a name of lower-case letters, digits and dashes, and an action. */
static int policy_check_category(cfg_t *cfg, cfg_opt_t *opt)
{
    cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
    const char *name = cfg_title(sec), *p;

    for (p = name; *p != '\0'; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'))
            break;
    if (*name == '\0' || *p != '\0') {
        cfgerr_error(cfg, "category '%s': expected a name of a-z, 0-9 and '-'", name);
        return -1;
    }
    if (cfg_getstr(sec, "outbound") == NULL && cfg_getstr(sec, "inbound") == NULL) {
        cfgerr_error(cfg, "category %s: no action: set outbound, inbound or both", name);
        return -1;
    }
    return 0;
}

static cfg_opt_t policy_default_opts[] = {
    CFG_STR("outbound", "seal", CFGF_NONE),
    CFG_STR("inbound", "none", CFGF_NONE),
    CFG_END(),
};

static cfg_opt_t policy_category_opts[] = {
    CFG_STR("label", "", CFGF_NONE),
    CFG_STR("basis", "", CFGF_NONE),
    CFG_STR_LIST("filename", NULL, CFGF_NODEFAULT),
    CFG_STR_LIST("subject", NULL, CFGF_NODEFAULT),
    CFG_STR_LIST("mime_type", NULL, CFGF_NODEFAULT),
    CFG_STR_LIST("content", NULL, CFGF_NODEFAULT),
    CFG_STR_LIST("body", NULL, CFGF_NODEFAULT),
    CFG_INT("threshold", 1, CFGF_NONE),
    CFG_STR("outbound", NULL, CFGF_NODEFAULT),
    CFG_STR("inbound", NULL, CFGF_NODEFAULT),
    CFG_END(),
};

static cfg_opt_t policy_opts[] = {
    CFG_SEC("policy", policy_default_opts, CFGF_NONE),
    CFG_SEC("category", policy_category_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
    CFG_FUNC("include", cfgerr_include),
    CFG_END(),
};

static char *policy_strdup(const char *s, int *nomem)
{
    char *copy = strdup(s ? s : "");

    *nomem |= copy == NULL;
    return copy;
}

/* Copy one parsed category into the compiled form. */
static int policy_take_category(eseal_policy *p, cfg_t *defaults, cfg_t *sec, const char *path,
                                eseal_error *err)
{
    policy_category *cat = &p->categories[p->count];
    const char *outbound = cfg_getstr(sec, "outbound"), *inbound = cfg_getstr(sec, "inbound");
    char why[320];
    int nomem = 0, f;
    size_t i, j;

    for (i = 0; i < p->count; i++)
        if (strcmp(p->categories[i].pub.name, cfg_title(sec)) == 0)
            return eseal_error_set(err, ESEAL_ERR_CONFIG,
                                   "%s:%d: category %s is defined in two policy files", path,
                                   sec->line, cfg_title(sec));
    memset(cat, 0, sizeof(*cat));
    p->count++; /* from here on eseal_policy_free releases it */
    cat->pub.name = policy_strdup(cfg_title(sec), &nomem);
    cat->pub.label = policy_strdup(cfg_getstr(sec, "label"), &nomem);
    cat->pub.basis = policy_strdup(cfg_getstr(sec, "basis"), &nomem);
    cat->pub.outbound = (eseal_outbound_action)policy_word(
        policy_outbound_words, outbound ? outbound : cfg_getstr(defaults, "outbound"));
    cat->pub.inbound = (eseal_inbound_action)policy_word(
        policy_inbound_words, inbound ? inbound : cfg_getstr(defaults, "inbound"));
    cat->threshold = (unsigned)cfg_getint(sec, "threshold");
    for (f = 0; f < POLICY_FIELD_COUNT && !nomem; f++) {
        size_t n = cfg_size(sec, policy_field_keys[f]);
        if (n == 0)
            continue;
        cat->terms[f] = calloc(n, sizeof(*cat->terms[f]));
        if (cat->terms[f] == NULL)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
        for (j = 0; j < n; j++) {
            const char *term = cfg_getnstr(sec, policy_field_keys[f], (unsigned)j);
            policy_term *t = &cat->terms[f][cat->term_count[f]++];
            t->text = policy_strdup(term, &nomem);
            t->code = policy_compile(term, why, sizeof(why)); /* checked at parse time */
            if (t->code == NULL)
                return eseal_error_set(err, ESEAL_ERR_CONFIG, "%s: category %s: %s", path,
                                       cat->pub.name, why);
        }
    }
    return nomem ? eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory") : ESEAL_OK;
}

static int policy_load_file(eseal_policy *p, const char *path, eseal_error *err)
{
    cfg_t *cfg;
    unsigned i, n;
    int rc = eseal_file_check_mode(path, 022, geteuid(), "policy file", err);

    if (rc != ESEAL_OK)
        return rc; /* whoever may write the policy decides what gets sealed */
    cfg = cfg_init(policy_opts, CFGF_NONE);
    if (cfg == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    cfg_set_error_function(cfg, cfgerr_func);
    cfg_set_validate_func(cfg, "policy|outbound", policy_check_outbound);
    cfg_set_validate_func(cfg, "policy|inbound", policy_check_inbound);
    cfg_set_validate_func(cfg, "category", policy_check_category);
    cfg_set_validate_func(cfg, "category|outbound", policy_check_outbound);
    cfg_set_validate_func(cfg, "category|inbound", policy_check_inbound);
    cfg_set_validate_func(cfg, "category|threshold", policy_check_threshold);
    cfg_set_validate_func(cfg, "category|label", policy_check_text);
    cfg_set_validate_func(cfg, "category|basis", policy_check_text);
    for (i = 0; i < POLICY_FIELD_COUNT; i++) {
        char key[32];
        snprintf(key, sizeof(key), "category|%s", policy_field_keys[i]);
        cfg_set_validate_func(cfg, key, policy_check_terms);
    }
    if (cfgerr_parse(cfg, path, err) != CFG_SUCCESS) {
        cfg_free(cfg);
        return ESEAL_ERR_CONFIG;
    }
    n = cfg_size(cfg, "category");
    if (p->count + n > POLICY_CATEGORIES_MAX)
        rc = eseal_error_set(err, ESEAL_ERR_LIMIT, "%s: more than %d categories", path,
                             POLICY_CATEGORIES_MAX);
    for (i = 0; rc == ESEAL_OK && i < n; i++)
        rc = policy_take_category(p, cfg_getsec(cfg, "policy"), cfg_getnsec(cfg, "category", i),
                                  path, err);
    cfg_free(cfg);
    return rc;
}

/* What policy_add_literal needs: the policy's table and the term being listed. */
typedef struct literal_ctx {
    eseal_policy *p;
    policy_term *term;
} literal_ctx;

/* Give the term the literal (added to the policy's table unless it is there already). */
static int policy_add_literal(void *arg, const char *literal, size_t len)
{
    literal_ctx *ctx = arg;
    eseal_policy *p = ctx->p;
    policy_term *t = ctx->term;
    size_t i, *ids;

    for (i = 0; i < p->literal_count; i++)
        if (p->literal_lens[i] == len && strncasecmp(p->literals[i], literal, len) == 0)
            break;
    if (i == p->literal_count) {
        if (p->literal_count == p->literal_cap) {
            size_t cap = p->literal_cap ? 2 * p->literal_cap : 64;
            char **lits = realloc(p->literals, cap * sizeof(*lits));
            if (lits != NULL)
                p->literals = lits;
            size_t *lens = realloc(p->literal_lens, cap * sizeof(*lens));
            if (lens != NULL)
                p->literal_lens = lens;
            if (lits == NULL || lens == NULL)
                return -1;
            p->literal_cap = cap;
        }
        if ((p->literals[i] = strndup(literal, len)) == NULL)
            return -1;
        p->literal_lens[i] = len;
        p->literal_count++;
    }
    ids = realloc(t->literals, (t->literal_count + 1) * sizeof(*ids));
    if (ids == NULL)
        return -1;
    t->literals = ids;
    t->literals[t->literal_count++] = i;
    return 0;
}

/* List every term's literals and build the prefilter over them.  Without memory for it the
 * policy still works: every term is then matched against every text. */
static void policy_build_prefilter(eseal_policy *p)
{
    size_t i, j;
    int f;

    for (i = 0; i < p->count; i++)
        for (f = 0; f < POLICY_FIELD_COUNT; f++)
            for (j = 0; j < p->categories[i].term_count[f]; j++) {
                policy_term *t = &p->categories[i].terms[f][j];
                literal_ctx ctx = {p, t};
                if (policy_literals(t->text, strlen(t->text), policy_add_literal, &ctx) != 0) {
                    free(t->literals);
                    t->literals = NULL;
                    t->literal_count = 0;
                }
            }
    if (policy_prefilter_new(&p->prefilter, (const char *const *)p->literals, p->literal_lens,
                             p->literal_count) != 0)
        p->prefilter = NULL;
}

int eseal_policy_load(eseal_policy **out, const char *const *paths, size_t count, eseal_error *err)
{
    eseal_policy *p = calloc(1, sizeof(*p));
    size_t i;
    int rc = ESEAL_OK;

    *out = NULL;
    if (p == NULL ||
        (p->categories = calloc(POLICY_CATEGORIES_MAX, sizeof(*p->categories))) == NULL) {
        free(p);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    for (i = 0; rc == ESEAL_OK && i < count; i++)
        rc = policy_load_file(p, paths[i], err);
    if (rc != ESEAL_OK) {
        eseal_policy_free(p);
        return rc;
    }
    policy_build_prefilter(p);
    *out = p;
    return ESEAL_OK;
}

void eseal_policy_free(eseal_policy *p)
{
    size_t i, j;
    int f;

    if (p == NULL)
        return;
    for (i = 0; i < p->count; i++) {
        policy_category *cat = &p->categories[i];
        for (f = 0; f < POLICY_FIELD_COUNT; f++) {
            for (j = 0; j < cat->term_count[f]; j++) {
                free(cat->terms[f][j].text);
                free(cat->terms[f][j].literals);
                pcre2_code_free(cat->terms[f][j].code);
            }
            free(cat->terms[f]);
        }
        free((char *)cat->pub.name);
        free((char *)cat->pub.label);
        free((char *)cat->pub.basis);
    }
    for (i = 0; i < p->literal_count; i++)
        free(p->literals[i]);
    free(p->literals);
    free(p->literal_lens);
    policy_prefilter_free(p->prefilter);
    free(p->categories);
    free(p);
}

size_t eseal_policy_category_count(const eseal_policy *p)
{
    return p->count;
}

const eseal_policy_category *eseal_policy_category_at(const eseal_policy *p, size_t i)
{
    return i < p->count ? &p->categories[i].pub : NULL;
}
