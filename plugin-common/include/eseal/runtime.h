/* eseal/runtime.h - one loaded, checked configuration: config, seals and trust together. */
#ifndef ESEAL_RUNTIME_H
#define ESEAL_RUNTIME_H

#include "eseal/config.h"
#include "eseal/error.h"
#include "eseal/extract.h"
#include "eseal/pades.h"
#include "eseal/policy.h"
#include "eseal/seal.h"
#include "eseal/trust.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Immutable and reference-counted, so that a daemon swaps a new one in on reload while
 * messages in flight finish with the one they started with. */
typedef struct eseal_runtime eseal_runtime;

typedef enum eseal_direction {
    ESEAL_INBOUND = 0,
    ESEAL_OUTBOUND = 1,
} eseal_direction;

/* eseal_seal_load_section - load the seal of seal section s (its key from a file or a PKCS#11
 * token, its chain, passphrase or PIN) as eseal_seal_load_as does for owner. */
int eseal_seal_load_section(eseal_seal **out, const eseal_seal_config *s, uid_t owner,
                            eseal_error *err);

/* eseal_runtime_load - load config_path, every seal it names (each checked with
 * eseal_seal_check), the verify trust and the policy files into *out (one reference; drop it with
 * eseal_runtime_unref).  Any broken part fails the whole load. */
int eseal_runtime_load(eseal_runtime **out, const char *config_path, eseal_error *err);

/* eseal_runtime_ref - take one more reference; returns rt. */
eseal_runtime *eseal_runtime_ref(eseal_runtime *rt);

/* eseal_runtime_unref - drop one reference, freeing rt with the last; NULL-safe. */
void eseal_runtime_unref(eseal_runtime *rt);

/* eseal_runtime_config - the configuration; owned by rt. */
const eseal_config *eseal_runtime_config(const eseal_runtime *rt);

/* eseal_runtime_trust - the trust for inbound verification (without trust_anchors in the
 * config it trusts nothing, so no seal verifies as pass); owned by rt. */
const eseal_trust *eseal_runtime_trust(const eseal_runtime *rt);

/* eseal_runtime_policy - the policy of policy_files, or NULL when there is none (then every
 * document may be sealed and nothing is flagged); owned by rt. */
const eseal_policy *eseal_runtime_policy(const eseal_runtime *rt);

/* eseal_runtime_pdf_reader - the PDF readers of text extraction (thread-safe; a server
 * process started at the first PDF, stopped with rt); owned by rt. */
eseal_pdf_reader *eseal_runtime_pdf_reader(const eseal_runtime *rt);

/* eseal_runtime_find_seal - the loaded seal for an author domain (parent domains fall back),
 * or NULL; *section (may be NULL) receives its config section.  Owned by rt. */
const eseal_seal *eseal_runtime_find_seal(const eseal_runtime *rt, const char *domain,
                                          const eseal_seal_config **section);

/* eseal_runtime_pades_options - how PDFs are sealed with the seal of section (one of the
 * config's seals): reason, location and the stamp image, which rt owns. */
void eseal_runtime_pades_options(const eseal_runtime *rt, const eseal_seal_config *section,
                                 eseal_pades_options *options);

/* eseal_ses_load - the SES seal of seal section s (which lists ses): its SM2 seal, from ses_key
 * into *loaded (free with eseal_seal_free), or, without ses_key, own (the section's seal
 * loaded by the caller; *loaded is then NULL); and its SESeal file into *der (free() it),
 * checked: a GB/T 38540 SESeal, valid now, listing the seal's certificate. */
int eseal_ses_load(const eseal_seal_config *s, const eseal_seal *own, uid_t owner,
                   eseal_seal **loaded, unsigned char **der, size_t *len, eseal_error *err);

/* eseal_runtime_ses - the SES seal of section (one of the config's seals) for OFD documents:
 * its SM2 seal and its SESeal (DER); 1, or 0 when the section does not list ses.  Owned by rt. */
int eseal_runtime_ses(const eseal_runtime *rt, const eseal_seal_config *section,
                      const eseal_seal **seal, const unsigned char **der, size_t *len);

/* eseal_runtime_tsa - the timestamp authority of section (one of the config's seals), or NULL
 * when it names none; owned by rt. */
const eseal_tsa *eseal_runtime_tsa(const eseal_runtime *rt, const eseal_seal_config *section);

/*
 * eseal_runtime_direction - outbound when the client address (family AF_INET/AF_INET6,
 * addr 4/16 bytes, or family 0 when unknown) is in internal_hosts, or auth_authen is a
 * non-empty SMTP AUTH identity, or daemon_name is listed in outbound_daemons; inbound
 * otherwise.  Nothing a client writes in the message takes part in this decision.
 */
eseal_direction eseal_runtime_direction(const eseal_runtime *rt, int family,
                                        const unsigned char *addr, const char *auth_authen,
                                        const char *daemon_name);

#ifdef __cplusplus
}
#endif
#endif
