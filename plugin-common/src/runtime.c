/* runtime.c - one loaded, checked configuration: config, seals and trust together. */
#include <pwd.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "eseal/cidr.h"
#include "eseal/runtime.h"
#include "error_int.h"
#include "file_int.h"
#include "seal_int.h"
#include "ses_int.h"

#define RUNTIME_SES_SEAL_MAX (1024 * 1024) /* an SESeal with its picture: tens of KB */

struct eseal_runtime {
    atomic_int refs;
    eseal_config *config;
    eseal_seal **seals; /* parallel to config->seals */
    eseal_tsa **tsas;   /* parallel to config->seals; NULL where no timestamp_url */
    struct runtime_ses {
        eseal_seal *seal;   /* the SM2 seal of OFD documents; NULL without ses */
        int owned;          /* loaded from ses_key (else it is the section's own seal) */
        unsigned char *der; /* the SESeal */
        size_t len;
    } * ses; /* parallel to config->seals */
    struct runtime_stamp {
        unsigned char *png; /* NULL when the seal has no stamp */
        size_t len;
    } * stamps; /* parallel to config->seals */
    eseal_trust *trust;
    eseal_cidr *internal;         /* parsed internal_hosts */
    eseal_policy *policy;         /* NULL without policy_files */
    eseal_pdf_reader *pdf_reader; /* its server starts at the first PDF */
};

/* Read the stamp image of seal section s and check it with the section's texts, so that a
 * broken image or text is a configuration error at load time, not a failure on every PDF. */
static int runtime_load_stamp(struct runtime_stamp *stamp, const eseal_seal_config *s,
                              eseal_error *err)
{
    eseal_pades_options options = {.reason = s->reason, .location = s->location};
    int rc = ESEAL_OK;

    if (s->stamp != NULL)
        rc = eseal_file_read(s->stamp, ESEAL_PADES_STAMP_MAX, &stamp->png, &stamp->len, err);
    options.stamp_png = stamp->png;
    options.stamp_png_len = stamp->len;
    return rc == ESEAL_OK ? eseal_pades_options_check(&options, err) : rc;
}

int eseal_ses_load(const eseal_seal_config *s, const eseal_seal *own, uid_t owner,
                   eseal_seal **loaded, unsigned char **der, size_t *len, eseal_error *err)
{
    const eseal_seal *seal = own;
    ses_signature parsed;
    eseal_error why;
    unsigned char *cert = NULL;
    time_t now = time(NULL);
    int cert_len, rc = ESEAL_OK;

    *loaded = NULL;
    *der = NULL;
    *len = 0;
    if (s->ses_key != NULL) {
        rc = eseal_seal_load_as(loaded, s->ses_key, s->ses_certificate, NULL, owner, err);
        if (rc == ESEAL_OK)
            rc = eseal_seal_check(*loaded, now, err);
        seal = *loaded;
    }
    if (rc == ESEAL_OK && !EVP_PKEY_is_a(eseal_seal_key(seal), "SM2"))
        rc = eseal_error_set(err, ESEAL_ERR_CONFIG, "%s: an SES seal needs an SM2 key",
                             s->ses_key ? s->ses_key : s->key);
    if (rc == ESEAL_OK)
        rc = eseal_file_read(s->ses_seal, RUNTIME_SES_SEAL_MAX, der, len, err);
    if (rc == ESEAL_OK && ses_parse_seal(*der, *len, &parsed, &why) != ESEAL_OK)
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "%s: not a GB/T 38540 SESeal: %s", s->ses_seal,
                             why.message);
    if (rc == ESEAL_OK) {
        cert_len = i2d_X509(eseal_seal_cert(seal), &cert);
        if (cert_len <= 0 || !ses_cert_listed(&parsed, cert, (size_t)cert_len))
            rc = eseal_error_set(err, ESEAL_ERR_CONFIG,
                                 "%s: the SESeal does not list the seal's certificate %s",
                                 s->ses_seal, eseal_seal_subject(seal));
        else if (now < parsed.valid_start || now > parsed.valid_end)
            rc = eseal_error_set(err, ESEAL_ERR_CRYPTO, "%s: the SESeal \"%s\" is not valid now",
                                 s->ses_seal, parsed.seal_name);
        OPENSSL_free(cert);
    }
    if (rc != ESEAL_OK) {
        eseal_seal_free(*loaded);
        free(*der);
        *loaded = NULL;
        *der = NULL;
        *len = 0;
    }
    return rc;
}

static int runtime_load_parts(eseal_runtime *rt, eseal_error *err)
{
    const eseal_config *c = rt->config;
    struct passwd *pw = getpwnam(c->user);
    uid_t owner = pw != NULL ? pw->pw_uid : geteuid(); /* the daemon's account reloads keys */
    size_t i;
    int rc;

    rt->seals = calloc(c->seal_count ? c->seal_count : 1, sizeof(*rt->seals));
    rt->stamps = calloc(c->seal_count ? c->seal_count : 1, sizeof(*rt->stamps));
    rt->tsas = calloc(c->seal_count ? c->seal_count : 1, sizeof(*rt->tsas));
    rt->ses = calloc(c->seal_count ? c->seal_count : 1, sizeof(*rt->ses));
    rt->internal =
        calloc(c->internal_host_count ? c->internal_host_count : 1, sizeof(*rt->internal));
    if (rt->seals == NULL || rt->stamps == NULL || rt->tsas == NULL || rt->ses == NULL ||
        rt->internal == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    for (i = 0; i < c->internal_host_count; i++)
        if (eseal_cidr_parse(c->internal_hosts[i], &rt->internal[i]) != 0)
            return eseal_error_set(err, ESEAL_ERR_CONFIG, "%s: bad internal host %s", c->path,
                                   c->internal_hosts[i]);
    for (i = 0; i < c->seal_count; i++) {
        const eseal_seal_config *s = &c->seals[i];
        eseal_error why;
        rc = eseal_seal_load_section(&rt->seals[i], s, owner, &why);
        if (rc == ESEAL_OK)
            rc = eseal_seal_check(rt->seals[i], time(NULL), &why);
        if (rc == ESEAL_OK)
            rc = runtime_load_stamp(&rt->stamps[i], s, &why);
        if (rc == ESEAL_OK && (s->formats & ESEAL_FORMAT_SES)) {
            eseal_seal *loaded;
            rc = eseal_ses_load(s, rt->seals[i], owner, &loaded, &rt->ses[i].der, &rt->ses[i].len,
                                &why);
            rt->ses[i].seal = loaded != NULL ? loaded : rt->seals[i];
            rt->ses[i].owned = loaded != NULL;
        }
        if (rc == ESEAL_OK && s->timestamp_url != NULL) {
            eseal_tsa_options tsa;
            eseal_config_tsa_options(c, s, &tsa);
            rc = eseal_tsa_new(&rt->tsas[i], &tsa, &why);
        }
        if (rc != ESEAL_OK)
            return eseal_error_set(err, rc, "%s:%d: seal %s: %s", c->path, s->line, s->domain,
                                   why.message);
    }
    eseal_error why;
    eseal_trust_options trust;
    eseal_config_trust_options(c, &trust);
    rc = eseal_trust_new_with(&rt->trust, &trust, &why);
    if (rc != ESEAL_OK)
        return eseal_error_set(err, rc, "%s: verify: %s", c->path, why.message);
    if (c->policy_file_count > 0)
        return eseal_policy_load(&rt->policy, c->policy_files, c->policy_file_count, err);
    return ESEAL_OK;
}

int eseal_seal_load_section(eseal_seal **out, const eseal_seal_config *s, uid_t owner,
                            eseal_error *err)
{
    if (strncmp(s->key, "pkcs11:", 7) == 0)
        return eseal_seal_load_pkcs11(out, s->key, s->pkcs11_module, s->certificate, s->pin_file,
                                      owner, err);
    return eseal_seal_load_as(out, s->key, s->certificate, s->passphrase_file, owner, err);
}

int eseal_runtime_load(eseal_runtime **out, const char *config_path, eseal_error *err)
{
    eseal_runtime *rt = calloc(1, sizeof(*rt));
    int rc;

    *out = NULL;
    if (rt == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    atomic_init(&rt->refs, 1);
    rc = eseal_config_load(&rt->config, config_path, err);
    if (rc == ESEAL_OK)
        rc = runtime_load_parts(rt, err);
    if (rc == ESEAL_OK)
        rc = eseal_pdf_reader_new(&rt->pdf_reader, err);
    if (rc != ESEAL_OK) {
        eseal_runtime_unref(rt);
        return rc;
    }
    *out = rt;
    return ESEAL_OK;
}

eseal_runtime *eseal_runtime_ref(eseal_runtime *rt)
{
    atomic_fetch_add(&rt->refs, 1);
    return rt;
}

void eseal_runtime_unref(eseal_runtime *rt)
{
    size_t i;

    if (rt == NULL || atomic_fetch_sub(&rt->refs, 1) != 1)
        return;
    for (i = 0; rt->seals != NULL && i < rt->config->seal_count; i++)
        eseal_seal_free(rt->seals[i]);
    for (i = 0; rt->stamps != NULL && i < rt->config->seal_count; i++)
        free(rt->stamps[i].png);
    for (i = 0; rt->tsas != NULL && i < rt->config->seal_count; i++)
        eseal_tsa_free(rt->tsas[i]);
    for (i = 0; rt->ses != NULL && i < rt->config->seal_count; i++) {
        if (rt->ses[i].owned)
            eseal_seal_free(rt->ses[i].seal);
        free(rt->ses[i].der);
    }
    free(rt->ses);
    free(rt->tsas);
    free(rt->seals);
    free(rt->stamps);
    free(rt->internal);
    eseal_trust_free(rt->trust);
    eseal_policy_free(rt->policy);
    eseal_pdf_reader_free(rt->pdf_reader);
    eseal_config_free(rt->config);
    free(rt);
}

const eseal_config *eseal_runtime_config(const eseal_runtime *rt)
{
    return rt->config;
}

const eseal_trust *eseal_runtime_trust(const eseal_runtime *rt)
{
    return rt->trust;
}

const eseal_policy *eseal_runtime_policy(const eseal_runtime *rt)
{
    return rt->policy;
}

eseal_pdf_reader *eseal_runtime_pdf_reader(const eseal_runtime *rt)
{
    return rt->pdf_reader;
}

const eseal_seal *eseal_runtime_find_seal(const eseal_runtime *rt, const char *domain,
                                          const eseal_seal_config **section)
{
    const eseal_seal_config *s = eseal_config_find_seal(rt->config, domain);

    if (section != NULL)
        *section = s;
    return s == NULL ? NULL : rt->seals[s - rt->config->seals];
}

void eseal_runtime_pades_options(const eseal_runtime *rt, const eseal_seal_config *section,
                                 eseal_pades_options *options)
{
    const struct runtime_stamp *stamp = &rt->stamps[section - rt->config->seals];

    memset(options, 0, sizeof(*options));
    options->reason = section->reason;
    options->location = section->location;
    options->stamp_png = stamp->png;
    options->stamp_png_len = stamp->len;
    options->stamp_corner = section->stamp_corner;
    options->stamp_page = section->stamp_page;
    options->tsa = rt->tsas[section - rt->config->seals];
    options->ltv = section->pades_ltv ? rt->trust : NULL;
}

int eseal_runtime_ses(const eseal_runtime *rt, const eseal_seal_config *section,
                      const eseal_seal **seal, const unsigned char **der, size_t *len)
{
    const struct runtime_ses *ses = &rt->ses[section - rt->config->seals];

    *seal = ses->seal;
    *der = ses->der;
    *len = ses->len;
    return ses->der != NULL;
}

const eseal_tsa *eseal_runtime_tsa(const eseal_runtime *rt, const eseal_seal_config *section)
{
    return rt->tsas[section - rt->config->seals];
}

eseal_direction eseal_runtime_direction(const eseal_runtime *rt, int family,
                                        const unsigned char *addr, const char *auth_authen,
                                        const char *daemon_name)
{
    const eseal_config *c = rt->config;
    size_t i;

    if (auth_authen != NULL && auth_authen[0] != '\0')
        return ESEAL_OUTBOUND;
    for (i = 0; daemon_name != NULL && i < c->outbound_daemon_count; i++)
        if (strcmp(daemon_name, c->outbound_daemons[i]) == 0)
            return ESEAL_OUTBOUND;
    for (i = 0; family != 0 && addr != NULL && i < c->internal_host_count; i++)
        if (eseal_cidr_contains(&rt->internal[i], family, addr))
            return ESEAL_OUTBOUND;
    return ESEAL_INBOUND;
}
