/* testutil.h - shared helpers of the unit tests: the test PKI, temp files, foreign CMS. */
#ifndef ESEAL_TESTUTIL_H
#define ESEAL_TESTUTIL_H

#include <stddef.h>

#include <openssl/evp.h>

#include "eseal/seal.h"
#include "eseal/trust.h"

/* testutil_pki - path of a file in the test PKI ($ESEAL_TEST_PKI/name); static buffer. */
const char *testutil_pki(const char *name);

/* testutil_tmpdir - a fresh private directory for this test program; made once. */
const char *testutil_tmpdir(void);

/* testutil_write - write text to tmpdir/name with mode; returns the path (static buffer). */
const char *testutil_write(const char *name, const char *text, unsigned mode);

/* testutil_seal - load the PKI seal NAME (NAME.key, NAME-chain.pem); asserts success. */
eseal_seal *testutil_seal(const char *name);

/* testutil_read_file - the whole file at path (NUL-terminated, free() it) of *len bytes;
 * asserts it can be read. */
unsigned char *testutil_read_file(const char *path, size_t *len);

/* testutil_trust - the PKI's trust.pem as anchors, with its CRLs when with_crls; asserts. */
eseal_trust *testutil_trust(int with_crls);

/* testutil_read_pem - the first private key (want_key) or certificate of PKI file name. */
void *testutil_read_pem(const char *name, int want_key);

/* testutil_openssl_sign - a detached SignedData over data made by OpenSSL's own CMS_sign
 * with the PKI seal NAME and digest md (flags are extra CMS_* flags); *len bytes, free(). */
unsigned char *testutil_openssl_sign(const char *name, const EVP_MD *md, const void *data,
                                     size_t data_len, unsigned flags, size_t *len);

#endif
