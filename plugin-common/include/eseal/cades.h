/* eseal/cades.h - detached CAdES-BES seals (.p7s) over a byte stream: make and check them. */
#ifndef ESEAL_CADES_H
#define ESEAL_CADES_H

#include <stddef.h>
#include <time.h>

#include "eseal/error.h"
#include "eseal/seal.h"
#include "eseal/timestamp.h"
#include "eseal/trust.h"
#include "eseal/verdict.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest detached signature read for verification; seals with a chain are a few KB. */
#define ESEAL_CADES_SIGNATURE_MAX (1024 * 1024)

/* Largest signed-data that carries its content (an opaque S/MIME message). */
#define ESEAL_CADES_EMBEDDED_MAX (64 * 1024 * 1024)

/* --- sealing ------------------------------------------------------------------------ */

/* Sealing of one document, fed in pieces so that its size does not matter. */
typedef struct eseal_cades_signer eseal_cades_signer;

/* eseal_cades_signer_new - start sealing with seal (which must outlive the signer). */
int eseal_cades_signer_new(eseal_cades_signer **out, const eseal_seal *seal, eseal_error *err);

/* eseal_cades_signer_set_time - state this signing-time instead of the current time. */
void eseal_cades_signer_set_time(eseal_cades_signer *signer, time_t when);

/* eseal_cades_signer_omit_time - sign no signing-time attribute (PAdES baseline: the time
 * is the PDF signature dictionary's /M). */
void eseal_cades_signer_omit_time(eseal_cades_signer *signer);

/* eseal_cades_signer_set_tsa - timestamp the seal with tsa (CAdES-T: an RFC 3161 token over
 * the signature value as the signature-time-stamp attribute); tsa must outlive the signer.
 * When the authority fails, finish fails with ESEAL_ERR_UNAVAILABLE, or makes a CAdES-BES
 * seal when the tsa was made with seal_without. */
void eseal_cades_signer_set_tsa(eseal_cades_signer *signer, const eseal_tsa *tsa);

/* eseal_cades_signer_timestamped - after finish: whether the seal carries a timestamp. */
int eseal_cades_signer_timestamped(const eseal_cades_signer *signer);

/* eseal_cades_signer_update - hash the next len bytes of the document. */
int eseal_cades_signer_update(eseal_cades_signer *signer, const void *data, size_t len,
                              eseal_error *err);

/* eseal_cades_signer_finish - make the DER SignedData (content-type, message-digest,
 * signing-time and signing-certificate-v2 signed, full chain included, no content) into
 * *der (free() it) of *der_len bytes.  The signer cannot be updated afterwards. */
int eseal_cades_signer_finish(eseal_cades_signer *signer, unsigned char **der, size_t *der_len,
                              eseal_error *err);

/* eseal_cades_signer_free - release a signer; NULL-safe. */
void eseal_cades_signer_free(eseal_cades_signer *signer);

/* --- verification ------------------------------------------------------------------- */

/* Checking one detached signature against a document fed in pieces. */
typedef struct eseal_cades_verifier eseal_cades_verifier;

/* eseal_cades_verifier_new - parse the DER (or PEM) signature sig; trust must outlive the
 * verifier.  A signature that is not a usable detached SignedData is ESEAL_ERR_FORMAT with
 * the reason in err: the caller reports it as the verdict `error`. */
int eseal_cades_verifier_new(eseal_cades_verifier **out, const eseal_trust *trust,
                             const unsigned char *sig, size_t sig_len, eseal_error *err);

/* eseal_cades_verifier_new_embedded - like eseal_cades_verifier_new for a SignedData that
 * carries its content (S/MIME application/pkcs7-mime signed-data), which is hashed at once:
 * call eseal_cades_verifier_finish next. */
int eseal_cades_verifier_new_embedded(eseal_cades_verifier **out, const eseal_trust *trust,
                                      const unsigned char *sig, size_t sig_len, eseal_error *err);

/* eseal_cades_verifier_update - hash the next len bytes of the document. */
int eseal_cades_verifier_update(eseal_cades_verifier *verifier, const void *data, size_t len,
                                eseal_error *err);

/* eseal_cades_verifier_finish - decide the verdict into *verdict (every field is set).  With
 * several signers the worst verdict is reported. */
void eseal_cades_verifier_finish(eseal_cades_verifier *verifier, eseal_verdict *verdict);

/* eseal_cades_verifier_free - release a verifier; NULL-safe. */
void eseal_cades_verifier_free(eseal_cades_verifier *verifier);

/* --- whole files ------------------------------------------------------------------- */

/* eseal_cades_sign_file - seal the file at path (read as a stream) into *der (free() it),
 * timestamped by tsa unless it is NULL. */
int eseal_cades_sign_file(const eseal_seal *seal, const eseal_tsa *tsa, const char *path,
                          unsigned char **der, size_t *der_len, eseal_error *err);

/* eseal_cades_verify_file - check the detached signature in sig_path against the file at
 * path.  Returns 0 with *verdict set for every verdict, `error` included (a malformed or
 * oversized signature); a negative status only when a file cannot be read. */
int eseal_cades_verify_file(const eseal_trust *trust, const char *path, const char *sig_path,
                            eseal_verdict *verdict, eseal_error *err);

#ifdef __cplusplus
}
#endif
#endif
