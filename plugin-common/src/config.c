/* config.c - load eseal.conf with libconfuse into plain, read-only data.
 *
 * SECURITY: the file is the administrator's, but it names the keys: it must not be
 * writable by group or others.  Every value is checked here, with file:line, so that the
 * daemon never starts on a half-understood configuration. */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <confuse.h>

#include "eseal/cidr.h"
#include "cfgerr_int.h"
#include "eseal/config.h"
#include "error_int.h"
#include "file_int.h"
#include "http_int.h"

/* The public view comes first, so an eseal_config * is a config_impl *. */
typedef struct config_impl {
    eseal_config pub;
    cfg_t *cfg;
    char **owned; /* strings and arrays made here, freed with the config */
    size_t owned_count, owned_cap;
} config_impl;

int eseal_config_parse_size(const char *text, uint64_t *out)
{
    uint64_t value = 0, unit = 1;
    const char *p = text;

    if (!isdigit((unsigned char)*p))
        return -1;
    for (; isdigit((unsigned char)*p); p++) {
        if (value > (UINT64_MAX - 9) / 10)
            return -1;
        value = value * 10 + (uint64_t)(*p - '0');
    }
    switch (toupper((unsigned char)*p)) {
    case '\0':
        break;
    case 'K':
        unit = 1024;
        break;
    case 'M':
        unit = 1024 * 1024;
        break;
    case 'G':
        unit = 1024 * 1024 * 1024;
        break;
    default:
        return -1;
    }
    if (*p != '\0' && p[1] != '\0')
        return -1;
    if (value > UINT64_MAX / unit)
        return -1;
    *out = value * unit;
    return 0;
}

static int config_check_size(cfg_t *cfg, cfg_opt_t *opt)
{
    uint64_t size;

    if (eseal_config_parse_size(cfg_opt_getnstr(opt, 0), &size) != 0) {
        cfg_error(cfg, "%s: expected a size such as 50M (digits, then K, M or G), got '%s'",
                  cfg_opt_name(opt), cfg_opt_getnstr(opt, 0));
        return -1;
    }
    return 0;
}

static const char *const config_on_error_words[] = {"tempfail", "accept", "reject", NULL};
static const char *const config_on_timestamp_error_words[] = {"tempfail", "seal-without", NULL};
/* in the order of eseal_revocation */
static const char *const config_revocation_words[] = {"crl", "ocsp", "both", "none", NULL};
static const char *const config_revocation_failure_words[] = {"soft", "hard", NULL};
static const char *const config_format_words[] = {"cades", "pades", "ses", NULL};
/* in the order of eseal_stamp_corner */
static const char *const config_corner_words[] = {"bottom-right", "bottom-left", "top-right",
                                                  "top-left", NULL};

static int config_check_on_error(cfg_t *cfg, cfg_opt_t *opt)
{
    return cfgerr_check_word(cfg, opt, config_on_error_words);
}

static int config_check_on_timestamp_error(cfg_t *cfg, cfg_opt_t *opt)
{
    return cfgerr_check_word(cfg, opt, config_on_timestamp_error_words);
}

static int config_check_revocation(cfg_t *cfg, cfg_opt_t *opt)
{
    return cfgerr_check_word(cfg, opt, config_revocation_words);
}

static int config_check_revocation_failure(cfg_t *cfg, cfg_opt_t *opt)
{
    return cfgerr_check_word(cfg, opt, config_revocation_failure_words);
}

/* timestamp_url, ocsp_responder: an http:// or https:// URL. */
static int config_check_url(cfg_t *cfg, cfg_opt_t *opt)
{
    const char *v = cfg_opt_getnstr(opt, 0);

    if (http_url_ok(v))
        return 0;
    cfg_error(cfg, "%s: expected an http:// or https:// URL, got \"%s\"", cfg_opt_name(opt),
              v != NULL ? v : "");
    return -1;
}

/* timeouts of the timestamp authority and OCSP responder, in seconds */
static int config_check_timeout(cfg_t *cfg, cfg_opt_t *opt)
{
    return cfgerr_check_int(cfg, opt, 1, 120);
}

static int config_check_retries(cfg_t *cfg, cfg_opt_t *opt)
{
    return cfgerr_check_int(cfg, opt, 0, 5);
}

/* stats_socket: a unix socket, or a TCP port on the loopback address only (the counters say
 * how much mail the organisation seals; they are not for the network). */
static int config_check_stats_socket(cfg_t *cfg, cfg_opt_t *opt)
{
    const char *v = cfg_opt_getnstr(opt, 0), *at;
    char *end;
    long port;

    if (v != NULL && strncmp(v, "unix:/", 6) == 0 && strlen(v) < 100)
        return 0;
    if (v != NULL && (strncmp(v, "inet:", 5) == 0 || strncmp(v, "inet6:", 6) == 0) &&
        (at = strchr(v, '@')) != NULL) {
        port = strtol(strchr(v, ':') + 1, &end, 10);
        if (end == at && port > 0 && port < 65536 &&
            (strcmp(at + 1, "127.0.0.1") == 0 || strcmp(at + 1, "::1") == 0))
            return 0;
    }
    cfg_error(cfg,
              "stats_socket: expected unix:/PATH (under 100 bytes), inet:PORT@127.0.0.1 or "
              "inet6:PORT@::1, got \"%s\"",
              v != NULL ? v : "");
    return -1;
}

static int config_check_formats(cfg_t *cfg, cfg_opt_t *opt)
{
    if (cfg_opt_size(opt) == 0) {
        cfg_error(cfg, "formats: list at least one of cades, pades, ses");
        return -1;
    }
    return cfgerr_check_word(cfg, opt, config_format_words);
}

static int config_check_corner(cfg_t *cfg, cfg_opt_t *opt)
{
    return cfgerr_check_word(cfg, opt, config_corner_words);
}

static int config_check_stamp_page(cfg_t *cfg, cfg_opt_t *opt)
{
    if (cfg_opt_getnint(opt, 0) == 0) {
        cfg_error(cfg, "stamp_page: expected a page number (1 is the first, -1 the last), got 0");
        return -1;
    }
    return cfgerr_check_int(cfg, opt, -100000, 100000);
}

static int config_check_hosts(cfg_t *cfg, cfg_opt_t *opt)
{
    unsigned i;
    eseal_cidr net;

    for (i = 0; i < cfg_opt_size(opt); i++) {
        if (eseal_cidr_parse(cfg_opt_getnstr(opt, i), &net) != 0) {
            cfg_error(cfg,
                      "%s: expected an IPv4 or IPv6 address or network (10.0.0.0/8, "
                      "\"fd00::/8\"), got '%s'",
                      cfg_opt_name(opt), cfg_opt_getnstr(opt, i));
            return -1;
        }
    }
    return 0;
}

static int config_check_rsa_bits(cfg_t *cfg, cfg_opt_t *opt)
{
    return cfgerr_check_int(cfg, opt, 1024, 16384);
}

/* A seal section needs a domain-like title and a key. */
static unsigned config_formats(cfg_t *sec, int *pades_first);

static int config_check_seal(cfg_t *cfg, cfg_opt_t *opt)
{
    cfg_t *sec = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
    const char *title = cfg_title(sec), *p;
    int pades_first;

    for (p = title; *p != '\0'; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
            break;
    if (*title == '\0' || *p != '\0' || *title == '.') {
        cfg_error(cfg, "seal '%s': expected a domain name as the section title", title);
        return -1;
    }
    if (cfg_size(sec, "formats") == 0) {
        cfg_error(cfg, "seal %s: formats: list at least one of cades, pades, ses", title);
        return -1;
    }
    if (cfg_getstr(sec, "key") == NULL) {
        cfg_error(cfg, "seal %s: 'key' is missing", title);
        return -1;
    }
    if (config_formats(sec, &pades_first) & ESEAL_FORMAT_SES) {
        if (cfg_getstr(sec, "ses_seal") == NULL) {
            cfg_error(cfg, "seal %s: formats lists ses: 'ses_seal' (the SESeal file) is missing",
                      title);
            return -1;
        }
        if ((cfg_getstr(sec, "ses_key") == NULL) != (cfg_getstr(sec, "ses_certificate") == NULL)) {
            cfg_error(cfg, "seal %s: ses_key and ses_certificate go together", title);
            return -1;
        }
    } else if (cfg_getstr(sec, "ses_seal") != NULL || cfg_getstr(sec, "ses_key") != NULL) {
        cfg_error(cfg, "seal %s: ses_seal and ses_key need ses in formats", title);
        return -1;
    }
    if (strncmp(cfg_getstr(sec, "key"), "pkcs11:", 7) == 0) {
        if (cfg_getstr(sec, "passphrase_file") != NULL) {
            cfg_error(cfg, "seal %s: a PKCS#11 key takes pin_file, not passphrase_file", title);
            return -1;
        }
        if (cfg_getstr(sec, "certificate") == NULL) {
            cfg_error(cfg, "seal %s: a PKCS#11 key needs 'certificate' (the PEM chain)", title);
            return -1;
        }
    } else if (cfg_getstr(sec, "pin_file") != NULL || cfg_getstr(sec, "pkcs11_module") != NULL) {
        cfg_error(cfg, "seal %s: pin_file and pkcs11_module go with a key = \"pkcs11:...\" URI",
                  title);
        return -1;
    }
    return 0;
}

static cfg_opt_t config_seal_opts[] = {
    CFG_STR("key", NULL, CFGF_NODEFAULT),
    CFG_STR("certificate", NULL, CFGF_NODEFAULT),
    CFG_STR("passphrase_file", NULL, CFGF_NODEFAULT),
    CFG_STR("stamp", NULL, CFGF_NODEFAULT),
    CFG_STR("stamp_position", "bottom-right", CFGF_NONE),
    CFG_INT("stamp_page", 1, CFGF_NONE),
    CFG_STR("reason", NULL, CFGF_NODEFAULT),
    CFG_STR("location", NULL, CFGF_NODEFAULT),
    CFG_STR_LIST("formats", "{pades, cades}", CFGF_NONE),
    CFG_STR("pin_file", NULL, CFGF_NODEFAULT),
    CFG_STR("pkcs11_module", NULL, CFGF_NODEFAULT),
    CFG_STR("timestamp_url", NULL, CFGF_NODEFAULT),
    CFG_INT("timestamp_timeout", 10, CFGF_NONE),
    CFG_INT("timestamp_retries", 1, CFGF_NONE),
    CFG_STR("on_timestamp_error", "tempfail", CFGF_NONE),
    CFG_BOOL("pades_ltv", cfg_false, CFGF_NONE),
    CFG_STR("ses_seal", NULL, CFGF_NODEFAULT),
    CFG_STR("ses_key", NULL, CFGF_NODEFAULT),
    CFG_STR("ses_certificate", NULL, CFGF_NODEFAULT),
    CFG_END(),
};

static cfg_opt_t config_verify_opts[] = {
    CFG_STR("trust_anchors", NULL, CFGF_NODEFAULT),
    CFG_STR_LIST("crls", NULL, CFGF_NODEFAULT),
    CFG_INT("min_rsa_bits", 2048, CFGF_NONE),
    CFG_STR("subject_tag", NULL, CFGF_NODEFAULT),
    CFG_BOOL("quarantine_unverified", cfg_false, CFGF_NONE),
    CFG_STR("timestamp_trust_anchors", NULL, CFGF_NODEFAULT),
    CFG_STR("revocation_check", "crl", CFGF_NONE),
    CFG_STR("revocation_failure", "soft", CFGF_NONE),
    CFG_STR("ocsp_responder", NULL, CFGF_NODEFAULT),
    CFG_INT("ocsp_timeout", 5, CFGF_NONE),
    CFG_END(),
};

static cfg_opt_t config_opts[] = {
    CFG_STR("socket", "unix:/run/eseal/eseal.sock", CFGF_NONE),
    CFG_STR("stats_socket", NULL, CFGF_NODEFAULT),
    CFG_STR("authserv_id", NULL, CFGF_NODEFAULT),
    CFG_STR_LIST("internal_hosts", "{127.0.0.0/8, \"::1\"}", CFGF_NONE),
    CFG_STR_LIST("outbound_daemons", NULL, CFGF_NODEFAULT),
    CFG_STR("on_error", "tempfail", CFGF_NONE),
    CFG_STR("max_message_size", "50M", CFGF_NONE),
    CFG_STR("user", "eseal", CFGF_NONE),
    CFG_STR_LIST("policy_files", NULL, CFGF_NODEFAULT),
    CFG_SEC("seal", config_seal_opts, CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
    CFG_SEC("verify", config_verify_opts, CFGF_NONE),
    CFG_FUNC("include", cfgerr_include),
    CFG_END(),
};

static void *config_own(config_impl *c, void *p)
{
    if (p == NULL)
        return NULL;
    if (c->owned_count == c->owned_cap) {
        size_t cap = c->owned_cap ? c->owned_cap * 2 : 32;
        char **n = realloc(c->owned, cap * sizeof(*n));
        if (n == NULL) {
            free(p);
            return NULL;
        }
        c->owned = n;
        c->owned_cap = cap;
    }
    c->owned[c->owned_count++] = p;
    return p;
}

/* A path as written, or, when relative, relative to the directory of the config file. */
static const char *config_path(config_impl *c, const char *value, int *nomem)
{
    const char *slash = strrchr(c->pub.path, '/');
    size_t dir_len, len;
    char *joined;

    if (value == NULL || value[0] == '/' || slash == NULL || strncmp(value, "pkcs11:", 7) == 0)
        return value;
    dir_len = (size_t)(slash - c->pub.path);
    len = dir_len + 1 + strlen(value) + 1;
    joined = config_own(c, malloc(len));
    if (joined == NULL) {
        *nomem = 1;
        return NULL;
    }
    snprintf(joined, len, "%.*s/%s", (int)dir_len, c->pub.path, value);
    return joined;
}

/* The values of a list option as a new array (owned by c); paths resolved if is_path. */
static const char *const *config_list(config_impl *c, cfg_t *sec, const char *name, int is_path,
                                      size_t *count, int *nomem)
{
    unsigned i, n = cfg_size(sec, name);
    const char **list;

    *count = n;
    if (n == 0)
        return NULL;
    list = config_own(c, calloc(n, sizeof(*list)));
    if (list == NULL) {
        *nomem = 1;
        return NULL;
    }
    for (i = 0; i < n; i++)
        list[i] =
            is_path ? config_path(c, cfg_getnstr(sec, name, i), nomem) : cfg_getnstr(sec, name, i);
    return list;
}

/* The ESEAL_FORMAT_* bits of a seal section; *pades_first when pades comes before cades. */
static unsigned config_formats(cfg_t *sec, int *pades_first)
{
    unsigned i, bits = 0;

    *pades_first = 0;
    for (i = 0; i < cfg_size(sec, "formats"); i++) {
        const char *f = cfg_getnstr(sec, "formats", i);
        unsigned bit = strcmp(f, "cades") == 0   ? ESEAL_FORMAT_CADES
                       : strcmp(f, "pades") == 0 ? ESEAL_FORMAT_PADES
                                                 : ESEAL_FORMAT_SES;
        if (bit == ESEAL_FORMAT_PADES && !(bits & ESEAL_FORMAT_CADES))
            *pades_first = 1;
        bits |= bit;
    }
    return bits;
}

int eseal_config_parse_corner(const char *word, eseal_stamp_corner *out)
{
    int i;

    for (i = 0; config_corner_words[i] != NULL; i++) {
        if (strcmp(word, config_corner_words[i]) == 0) {
            *out = (eseal_stamp_corner)i;
            return 0;
        }
    }
    return -1;
}

/* Copy the parsed tree into the public structure. */
static int config_fill(config_impl *c, eseal_error *err)
{
    eseal_config *pub = &c->pub;
    cfg_t *cfg = c->cfg, *verify = cfg_getsec(cfg, "verify");
    eseal_seal_config *seals;
    const eseal_seal_config *first;
    const char *mode = cfg_getstr(cfg, "on_error");
    int nomem = 0;
    unsigned i;

    pub->socket = cfg_getstr(cfg, "socket");
    pub->stats_socket = cfg_getstr(cfg, "stats_socket");
    pub->authserv_id = cfg_getstr(cfg, "authserv_id");
    if (pub->authserv_id == NULL) {
        char host[HOST_NAME_MAX + 1];
        if (gethostname(host, sizeof(host)) != 0)
            snprintf(host, sizeof(host), "localhost");
        host[HOST_NAME_MAX] = '\0';
        pub->authserv_id = config_own(c, strdup(host));
        nomem |= pub->authserv_id == NULL;
    }
    pub->internal_hosts =
        config_list(c, cfg, "internal_hosts", 0, &pub->internal_host_count, &nomem);
    pub->outbound_daemons =
        config_list(c, cfg, "outbound_daemons", 0, &pub->outbound_daemon_count, &nomem);
    pub->on_error = strcmp(mode, "accept") == 0   ? ESEAL_ON_ERROR_ACCEPT
                    : strcmp(mode, "reject") == 0 ? ESEAL_ON_ERROR_REJECT
                                                  : ESEAL_ON_ERROR_TEMPFAIL;
    eseal_config_parse_size(cfg_getstr(cfg, "max_message_size"), &pub->max_message_size);
    pub->user = cfg_getstr(cfg, "user");
    pub->policy_files = config_list(c, cfg, "policy_files", 1, &pub->policy_file_count, &nomem);
    pub->seal_count = cfg_size(cfg, "seal");
    seals = pub->seal_count ? config_own(c, calloc(pub->seal_count, sizeof(*seals))) : NULL;
    nomem |= pub->seal_count && seals == NULL;
    for (i = 0; seals != NULL && i < pub->seal_count; i++) {
        cfg_t *sec = cfg_getnsec(cfg, "seal", i);
        seals[i].domain = cfg_title(sec);
        seals[i].key = config_path(c, cfg_getstr(sec, "key"), &nomem);
        seals[i].certificate = config_path(c, cfg_getstr(sec, "certificate"), &nomem);
        seals[i].passphrase_file = config_path(c, cfg_getstr(sec, "passphrase_file"), &nomem);
        seals[i].stamp = config_path(c, cfg_getstr(sec, "stamp"), &nomem);
        eseal_config_parse_corner(cfg_getstr(sec, "stamp_position"), &seals[i].stamp_corner);
        seals[i].stamp_page = (int)cfg_getint(sec, "stamp_page");
        seals[i].reason = cfg_getstr(sec, "reason");
        seals[i].location = cfg_getstr(sec, "location");
        seals[i].formats = config_formats(sec, &seals[i].pades_first);
        seals[i].pin_file = config_path(c, cfg_getstr(sec, "pin_file"), &nomem);
        seals[i].pkcs11_module = cfg_getstr(sec, "pkcs11_module");
        seals[i].timestamp_url = cfg_getstr(sec, "timestamp_url");
        seals[i].timestamp_timeout = (unsigned)cfg_getint(sec, "timestamp_timeout");
        seals[i].timestamp_retries = (unsigned)cfg_getint(sec, "timestamp_retries");
        seals[i].timestamp_seal_without =
            strcmp(cfg_getstr(sec, "on_timestamp_error"), "seal-without") == 0;
        seals[i].pades_ltv = cfg_getbool(sec, "pades_ltv");
        seals[i].ses_seal = config_path(c, cfg_getstr(sec, "ses_seal"), &nomem);
        seals[i].ses_key = config_path(c, cfg_getstr(sec, "ses_key"), &nomem);
        seals[i].ses_certificate = config_path(c, cfg_getstr(sec, "ses_certificate"), &nomem);
        seals[i].line = sec->line;
    }
    pub->seals = seals;
    /* libp11's engine loads one PKCS#11 module per process */
    for (i = 0, first = NULL; seals != NULL && i < pub->seal_count; i++) {
        const char *module = seals[i].pkcs11_module ? seals[i].pkcs11_module : "";
        if (strncmp(seals[i].key, "pkcs11:", 7) != 0)
            continue;
        if (first == NULL)
            first = &seals[i];
        else if (strcmp(module, first->pkcs11_module ? first->pkcs11_module : "") != 0)
            return eseal_error_set(err, ESEAL_ERR_CONFIG,
                                   "%s:%d: seal %s: pkcs11_module differs from seal %s's: one "
                                   "PKCS#11 module serves all seals",
                                   pub->path, seals[i].line, seals[i].domain, first->domain);
    }
    pub->verify.trust_anchors = config_path(c, cfg_getstr(verify, "trust_anchors"), &nomem);
    pub->verify.crls = config_list(c, verify, "crls", 1, &pub->verify.crl_count, &nomem);
    pub->verify.min_rsa_bits = (unsigned)cfg_getint(verify, "min_rsa_bits");
    pub->verify.subject_tag = cfg_getstr(verify, "subject_tag");
    pub->verify.quarantine_unverified = cfg_getbool(verify, "quarantine_unverified");
    pub->verify.timestamp_trust_anchors =
        config_path(c, cfg_getstr(verify, "timestamp_trust_anchors"), &nomem);
    for (i = 0; config_revocation_words[i] != NULL; i++)
        if (strcmp(cfg_getstr(verify, "revocation_check"), config_revocation_words[i]) == 0)
            pub->verify.revocation = (eseal_revocation)i;
    pub->verify.revocation_hard_fail =
        strcmp(cfg_getstr(verify, "revocation_failure"), "hard") == 0;
    pub->verify.ocsp_responder = cfg_getstr(verify, "ocsp_responder");
    pub->verify.ocsp_timeout = (unsigned)cfg_getint(verify, "ocsp_timeout");
    if (nomem)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    return ESEAL_OK;
}

int eseal_config_load(eseal_config **out, const char *path, eseal_error *err)
{
    eseal_error local;
    config_impl *c;
    int rc;

    *out = NULL;
    rc = eseal_file_check_mode(path, 022, geteuid(), "configuration", err);
    if (rc != ESEAL_OK)
        return rc;
    c = calloc(1, sizeof(*c));
    if (c == NULL || (c->pub.path = config_own(c, strdup(path))) == NULL ||
        (c->cfg = cfg_init(config_opts, CFGF_NONE)) == NULL) {
        eseal_config_free(c ? &c->pub : NULL);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    cfg_set_error_function(c->cfg, cfgerr_func);
    cfg_set_validate_func(c->cfg, "on_error", config_check_on_error);
    cfg_set_validate_func(c->cfg, "stats_socket", config_check_stats_socket);
    cfg_set_validate_func(c->cfg, "max_message_size", config_check_size);
    cfg_set_validate_func(c->cfg, "internal_hosts", config_check_hosts);
    cfg_set_validate_func(c->cfg, "seal", config_check_seal);
    cfg_set_validate_func(c->cfg, "seal|formats", config_check_formats);
    cfg_set_validate_func(c->cfg, "seal|stamp_position", config_check_corner);
    cfg_set_validate_func(c->cfg, "seal|stamp_page", config_check_stamp_page);
    cfg_set_validate_func(c->cfg, "verify|min_rsa_bits", config_check_rsa_bits);
    cfg_set_validate_func(c->cfg, "seal|timestamp_url", config_check_url);
    cfg_set_validate_func(c->cfg, "seal|timestamp_timeout", config_check_timeout);
    cfg_set_validate_func(c->cfg, "seal|timestamp_retries", config_check_retries);
    cfg_set_validate_func(c->cfg, "seal|on_timestamp_error", config_check_on_timestamp_error);
    cfg_set_validate_func(c->cfg, "verify|revocation_check", config_check_revocation);
    cfg_set_validate_func(c->cfg, "verify|revocation_failure", config_check_revocation_failure);
    cfg_set_validate_func(c->cfg, "verify|ocsp_responder", config_check_url);
    cfg_set_validate_func(c->cfg, "verify|ocsp_timeout", config_check_timeout);
    rc = cfgerr_parse(c->cfg, path, &local);
    if (rc != CFG_SUCCESS) {
        if (err != NULL)
            *err = local;
        eseal_config_free(&c->pub);
        return ESEAL_ERR_CONFIG;
    }
    rc = config_fill(c, err);
    if (rc != ESEAL_OK) {
        eseal_config_free(&c->pub);
        return rc;
    }
    *out = &c->pub;
    return ESEAL_OK;
}

void eseal_config_free(eseal_config *config)
{
    config_impl *c = (config_impl *)config;
    size_t i;

    if (c == NULL)
        return;
    if (c->cfg != NULL)
        cfg_free(c->cfg);
    for (i = 0; i < c->owned_count; i++)
        free(c->owned[i]);
    free(c->owned);
    free(c);
}

const eseal_seal_config *eseal_config_find_seal(const eseal_config *config, const char *domain)
{
    size_t i;

    while (domain != NULL && *domain != '\0') {
        for (i = 0; i < config->seal_count; i++)
            if (strcasecmp(config->seals[i].domain, domain) == 0)
                return &config->seals[i];
        domain = strchr(domain, '.');
        if (domain != NULL)
            domain++;
    }
    return NULL;
}

void eseal_config_trust_options(const eseal_config *config, eseal_trust_options *out)
{
    const eseal_verify_config *v = &config->verify;

    memset(out, 0, sizeof(*out));
    out->anchors = v->trust_anchors;
    out->crls = v->crls;
    out->crl_count = v->crl_count;
    out->min_rsa_bits = v->min_rsa_bits;
    out->timestamp_anchors = v->timestamp_trust_anchors;
    out->revocation = v->revocation;
    out->revocation_hard_fail = v->revocation_hard_fail;
    out->ocsp_responder = v->ocsp_responder;
    out->ocsp_timeout_seconds = v->ocsp_timeout;
}

void eseal_config_tsa_options(const eseal_config *config, const eseal_seal_config *section,
                              eseal_tsa_options *out)
{
    memset(out, 0, sizeof(*out));
    out->url = section->timestamp_url;
    out->timeout_seconds = section->timestamp_timeout;
    out->retries = section->timestamp_retries;
    out->trust_anchors = config->verify.timestamp_trust_anchors;
    out->seal_without = section->timestamp_seal_without;
}
