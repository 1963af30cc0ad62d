/* eseal/config.h - eseal.conf, loaded and checked into plain read-only data. */
#ifndef ESEAL_CONFIG_H
#define ESEAL_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "eseal/error.h"
#include "eseal/pades.h"
#include "eseal/timestamp.h"
#include "eseal/trust.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ESEAL_CONFIG_DEFAULT_PATH "/etc/eseal/eseal.conf"

typedef enum eseal_on_error {
    ESEAL_ON_ERROR_TEMPFAIL = 0,
    ESEAL_ON_ERROR_ACCEPT,
    ESEAL_ON_ERROR_REJECT,
} eseal_on_error;

/* Seal formats a seal section may allow (bit set). */
enum {
    ESEAL_FORMAT_CADES = 1 << 0,
    ESEAL_FORMAT_PADES = 1 << 1,
    ESEAL_FORMAT_SES = 1 << 2,
};

/* One `seal DOMAIN { ... }` section. */
typedef struct eseal_seal_config {
    const char *domain;              /* the section title: author domain it seals for */
    const char *key;                 /* private key or PKCS#12 file */
    const char *certificate;         /* PEM chain; NULL for a PKCS#12 key that carries it */
    const char *passphrase_file;     /* may be NULL */
    const char *stamp;               /* visible stamp image (PNG); may be NULL */
    eseal_stamp_corner stamp_corner; /* stamp_position */
    int stamp_page;                  /* 1-based; negative counts from the last page */
    const char *reason;              /* a PDF seal's /Reason; may be NULL */
    const char *location;            /* a PDF seal's /Location; may be NULL */
    unsigned formats;                /* ESEAL_FORMAT_* bits */
    int pades_first;                 /* formats lists pades before cades: PDFs sealed in place */
    const char *pin_file;            /* the token's PIN, for a "pkcs11:" key; may be NULL */
    const char *pkcs11_module;       /* NULL: p11-kit's proxy module */
    const char *timestamp_url;       /* RFC 3161 authority (CAdES-T, PAdES B-T); may be NULL */
    unsigned timestamp_timeout;      /* seconds per try */
    unsigned timestamp_retries;
    int timestamp_seal_without;  /* on_timestamp_error = seal-without (else tempfail) */
    int pades_ltv;               /* PAdES B-LT: a DSS with the chain and revocation data */
    const char *ses_seal;        /* the SESeal (DER) of OFD seals; with ses in formats */
    const char *ses_key;         /* its SM2 key; NULL: key (then an SM2 key) */
    const char *ses_certificate; /* its SM2 certificate chain; NULL: certificate */
    int line;                    /* where the section ends (its closing brace), for messages */
} eseal_seal_config;

/* The `verify { ... }` section. */
typedef struct eseal_verify_config {
    const char *trust_anchors; /* may be NULL: then nothing verifies as pass */
    const char *const *crls;
    size_t crl_count;
    unsigned min_rsa_bits;
    const char *subject_tag;   /* may be NULL */
    int quarantine_unverified; /* hold messages with documents that lack a required seal */
    const char *timestamp_trust_anchors; /* may be NULL: then no timestamp is trusted */
    eseal_revocation revocation;         /* revocation_check */
    int revocation_hard_fail;            /* revocation_failure = hard */
    const char *ocsp_responder;          /* NULL: each certificate's AIA */
    unsigned ocsp_timeout;               /* seconds */
} eseal_verify_config;

/* A loaded eseal.conf.  Every pointer is owned by the config and lives as long as it. */
typedef struct eseal_config {
    const char *path;
    const char *socket;
    const char *stats_socket; /* NULL: no statistics served; else unix:PATH or inet:PORT@LOOPBACK */
    const char *authserv_id;  /* default: this host's name */
    const char *const *internal_hosts;
    size_t internal_host_count;
    const char *const *outbound_daemons;
    size_t outbound_daemon_count;
    eseal_on_error on_error;
    uint64_t max_message_size;
    const char *user;
    const char *const *policy_files;
    size_t policy_file_count;
    const eseal_seal_config *seals;
    size_t seal_count;
    eseal_verify_config verify;
} eseal_config;

/*
 * eseal_config_load - parse path into *out (free with eseal_config_free).  The file must
 * not be writable by group or others.  Unknown keys, bad values and syntax errors fail with
 * ESEAL_ERR_CONFIG and a "file:line: message" in err.
 */
int eseal_config_load(eseal_config **out, const char *path, eseal_error *err);

/* eseal_config_free - release a config; NULL-safe. */
void eseal_config_free(eseal_config *config);

/* eseal_config_find_seal - the seal section for an author domain: the exact domain, else
 * the nearest parent ("a.b.example.com" falls back to "b.example.com", "example.com");
 * matching is case-insensitive.  NULL when no section applies. */
const eseal_seal_config *eseal_config_find_seal(const eseal_config *config, const char *domain);

/* eseal_config_trust_options - the verify section as trust options (pointers into config). */
void eseal_config_trust_options(const eseal_config *config, eseal_trust_options *out);

/* eseal_config_tsa_options - the timestamp authority of seal section (whose timestamp_url is
 * set) as options, with the verify section's timestamp_trust_anchors (pointers into config). */
void eseal_config_tsa_options(const eseal_config *config, const eseal_seal_config *section,
                              eseal_tsa_options *out);

/* eseal_config_parse_corner - a stamp_position word (bottom-right, bottom-left, top-right,
 * top-left) into *out; 0, or -1 for another word. */
int eseal_config_parse_corner(const char *word, eseal_stamp_corner *out);

/* eseal_config_parse_size - parse "123", "64K", "50M", "2G" into *out bytes. */
int eseal_config_parse_size(const char *text, uint64_t *out);

#ifdef __cplusplus
}
#endif
#endif
