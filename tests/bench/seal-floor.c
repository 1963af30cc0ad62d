/* seal-floor.c - the floor of sealing, for tests/bench/run.sh: an in-process loop doing only
 * what sealing a message's attachments must do, with OpenSSL alone: decode each attachment's
 * base64, hash it (SHA-256), make one signature (the seal's key), and encode what the message
 * gains (the signature; all of a PDF, which is sealed in place and so re-encoded).
 *
 *     seal-floor KEY.pem ITERATIONS FILE...
 *
 * The files are one message's attachments (tests/bench/make-messages.py writes them under
 * parts/MESSAGE/); a name ending in .pdf counts as sealed in place.  Prints the messages per
 * second and the milliseconds per message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#define FLOOR_FILES_MAX 64

typedef struct floor_file {
    unsigned char *b64; /* the attachment as it travels */
    size_t b64_len, len;
    int in_place;
} floor_file;

static double floor_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read path and keep it base64-encoded, as in the message; 0, or -1. */
static int floor_load(const char *path, floor_file *f)
{
    FILE *in = fopen(path, "rb");
    unsigned char *raw;
    long size;
    size_t n;

    if (in == NULL || fseek(in, 0, SEEK_END) != 0 || (size = ftell(in)) < 0 ||
        fseek(in, 0, SEEK_SET) != 0 || (raw = malloc((size_t)size + 1)) == NULL) {
        if (in != NULL)
            fclose(in);
        return -1;
    }
    n = fread(raw, 1, (size_t)size, in);
    fclose(in);
    f->len = n;
    f->b64 = malloc(4 * (n / 3 + 1) + 1);
    if (f->b64 == NULL) {
        free(raw);
        return -1;
    }
    f->b64_len = (size_t)EVP_EncodeBlock(f->b64, raw, (int)n);
    free(raw);
    n = strlen(path);
    f->in_place = n > 4 && strcasecmp(path + n - 4, ".pdf") == 0;
    return 0;
}

int main(int argc, char **argv)
{
    floor_file files[FLOOR_FILES_MAX];
    unsigned char digest[EVP_MAX_MD_SIZE], sig[1024], *plain = NULL, *out = NULL;
    size_t plain_cap = 0, out_cap = 0, sig_len;
    int i, nfiles = argc - 3;
    long iterations, k;
    EVP_PKEY *key;
    FILE *kf;
    double start, secs;

    if (argc < 4 || nfiles > FLOOR_FILES_MAX || (iterations = strtol(argv[2], NULL, 10)) <= 0) {
        fprintf(stderr, "usage: seal-floor KEY.pem ITERATIONS FILE...\n");
        return 2;
    }
    if ((kf = fopen(argv[1], "r")) == NULL ||
        (key = PEM_read_PrivateKey(kf, NULL, NULL, NULL)) == NULL) {
        fprintf(stderr, "seal-floor: cannot read the key %s\n", argv[1]);
        return 1;
    }
    fclose(kf);
    for (i = 0; i < nfiles; i++) {
        if (floor_load(argv[3 + i], &files[i]) != 0) {
            fprintf(stderr, "seal-floor: cannot read %s\n", argv[3 + i]);
            return 1;
        }
        if (files[i].b64_len + 4 > plain_cap)
            plain_cap = files[i].b64_len + 4;
    }
    out_cap = plain_cap * 2;
    plain = malloc(plain_cap);
    out = malloc(out_cap);
    if (plain == NULL || out == NULL)
        return 1;

    start = floor_now();
    for (k = 0; k < iterations; k++) {
        for (i = 0; i < nfiles; i++) {
            floor_file *f = &files[i];
            EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
            unsigned int dlen = 0;
            int n = EVP_DecodeBlock(plain, f->b64, (int)f->b64_len);
            if (n < 0 || ctx == NULL ||
                !EVP_Digest(plain, f->len, digest, &dlen, EVP_sha256(), NULL) ||
                EVP_PKEY_sign_init(ctx) <= 0 ||
                EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) <= 0 ||
                (sig_len = sizeof(sig), EVP_PKEY_sign(ctx, sig, &sig_len, digest, dlen)) <= 0) {
                fprintf(stderr, "seal-floor: signing failed\n");
                return 1;
            }
            EVP_PKEY_CTX_free(ctx);
            if (f->in_place)
                EVP_EncodeBlock(out, plain, (int)f->len);
            else
                EVP_EncodeBlock(out, sig, (int)sig_len);
        }
    }
    secs = floor_now() - start;
    printf("floor %ld messages %.3f s  messages/s %.1f  ms/message %.3f\n", iterations, secs,
           (double)iterations / secs, secs * 1000 / (double)iterations);
    EVP_PKEY_free(key);
    free(plain);
    free(out);
    for (i = 0; i < nfiles; i++)
        free(files[i].b64);
    return 0;
}
