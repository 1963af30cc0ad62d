/* eseal.c - the eseal command: seal and verify documents from a document server or a shell.
 *
 * Exit status, a stable interface: verify exits 0 for `pass`, 1 for any other verdict, 2 for
 * usage, configuration or I/O errors; seal exits 0 when the seal was written, 1 when the
 * seal cannot be used (key, certificate), 2 for usage, configuration or I/O errors. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "eseal/cades.h"
#include "eseal/config.h"
#include "eseal/message.h"
#include "eseal/seal.h"
#include "eseal/trust.h"
#include "cli.h"
#include "file_int.h"
#include "verdict_print.h"

#define CLI_CRLS_MAX 64

const char cli_usage[] =
    "usage: eseal seal [[-c CONF] --seal DOMAIN | --key KEY [--cert CHAIN]\n"
    "                  [--passphrase-file FILE]] [-p POLICY]... [--force] FILE [-o OUT]\n"
    "       eseal verify [-c CONF | --trust CAFILE] [--crl CRL]... [--min-rsa-bits N]\n"
    "                  [--json] FILE [SIG]\n"
    "       eseal check-message [-c CONF] [--outbound | --inbound] [--sender ADDR] MSG.eml\n"
    "                  [-o OUT.eml]\n"
    "       eseal classify [-c CONF] [-p POLICY]... [-v] [--json] FILE...\n"
    "       eseal --version | help\n";

int cli_fail(int status, const char *what, const eseal_error *err)
{
    fprintf(stderr, "eseal: %s%s%s\n", what, what[0] && err ? ": " : "",
            err ? eseal_error_message(err) : "");
    return status;
}

/* Write data to path through a temporary file and rename, so that a reader never sees a
 * half-written seal and a failure leaves any earlier file in place. */
static int cli_write_file(const char *path, const unsigned char *data, size_t len)
{
    char tmp[CLI_PATH_MAX];
    int fd;

    if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
        fprintf(stderr, "eseal: %s: path too long\n", path);
        return -1;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "eseal: %s: cannot create: %s\n", path, strerror(errno));
        return -1;
    }
    if (eseal_file_write_all(fd, data, len) != 0 || fchmod(fd, 0644) != 0 || close(fd) != 0 ||
        rename(tmp, path) != 0) {
        fprintf(stderr, "eseal: %s: cannot write: %s\n", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int cli_parse_bits(const char *text, unsigned *out)
{
    char *end;
    unsigned long bits = strtoul(text, &end, 10);

    if (*text < '0' || *text > '9' || *end != '\0' || bits < 1024 || bits > 16384)
        return -1;
    *out = (unsigned)bits;
    return 0;
}

/* Whether the policy lets file be sealed: EXIT_SUCCESS, or why not (EXIT_VERDICT); with
 * force an excluded document is sealed all the same, and that is logged. */
static int cli_seal_allowed(const char *conf_path, const char *const *policies, size_t count,
                            const char *file, int force)
{
    const eseal_policy_category *why;
    eseal_classification *cls = NULL;
    eseal_policy *policy = NULL;
    eseal_error err;
    int status = EXIT_SUCCESS;

    if (cli_policy_load(conf_path, policies, count, &policy, &err) != ESEAL_OK)
        return cli_fail(EXIT_USAGE, "", &err);
    if (policy == NULL)
        return EXIT_SUCCESS;
    if (cli_classify_file(policy, file, &cls, NULL, 0, &err) != ESEAL_OK) {
        status = cli_fail(err.code == ESEAL_ERR_IO ? EXIT_USAGE : EXIT_VERDICT, "", &err);
    } else if (eseal_classification_outbound(cls, &why) != ESEAL_OUTBOUND_SEAL) {
        if (force) {
            fprintf(stderr, "eseal: %s: a %s document (%s), sealed anyway (--force)\n", file,
                    why->name, why->basis);
            openlog("eseal", LOG_PID, LOG_USER);
            syslog(LOG_WARNING, "%s: %s document (%s) sealed with --force by uid %ld", file,
                   why->name, why->basis, (long)getuid());
            closelog();
        } else {
            fprintf(stderr,
                    "eseal: %s: not sealed: a %s document (%s) may not be e-sealed; "
                    "--force seals it anyway\n",
                    file, why->name, why->basis);
            status = EXIT_VERDICT;
        }
    }
    eseal_classification_free(cls);
    eseal_policy_free(policy);
    return status;
}

static int cli_seal(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"seal", required_argument, NULL, 's'},
        {"key", required_argument, NULL, 'k'},
        {"cert", required_argument, NULL, 'C'},
        {"passphrase-file", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"policy", required_argument, NULL, 'p'},
        {"force", no_argument, NULL, 'F'},
        {NULL, 0, NULL, 0},
    };
    const char *conf_path = NULL, *domain = NULL, *key = NULL, *cert = NULL, *pass = NULL;
    const char *policies[CLI_POLICIES_MAX];
    size_t policy_count = 0;
    int force = 0;
    const char *out = NULL, *file;
    char default_out[CLI_PATH_MAX];
    eseal_config *config = NULL;
    eseal_seal *seal = NULL;
    unsigned char *der = NULL;
    size_t der_len;
    eseal_error err;
    int c, status = EXIT_USAGE;

    while ((c = getopt_long(argc, argv, "c:o:p:", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            conf_path = optarg;
            break;
        case 'p':
            if (cli_add_policy(policies, &policy_count, optarg) != 0)
                return EXIT_USAGE;
            break;
        case 's':
            domain = optarg;
            break;
        case 'k':
            key = optarg;
            break;
        case 'C':
            cert = optarg;
            break;
        case 'f':
            pass = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'F':
            force = 1;
            break;
        default:
            fputs(cli_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc || (domain != NULL) == (key != NULL) ||
        (domain != NULL && (cert != NULL || pass != NULL)) || (key != NULL && conf_path)) {
        fputs("eseal seal: give one FILE and either [-c CONF] --seal DOMAIN or --key KEY\n",
              stderr);
        fputs(cli_usage, stderr);
        return EXIT_USAGE;
    }
    file = argv[optind];
    if (out == NULL) {
        if (snprintf(default_out, sizeof(default_out), "%s.p7s", file) >= (int)sizeof(default_out))
            return cli_fail(EXIT_USAGE, "output path too long", NULL);
        out = default_out;
    }
    if (domain != NULL) {
        const eseal_seal_config *sc;
        if (eseal_config_load(&config, conf_path ? conf_path : ESEAL_CONFIG_DEFAULT_PATH, &err))
            return cli_fail(EXIT_USAGE, "", &err);
        sc = eseal_config_find_seal(config, domain);
        if (sc == NULL) {
            fprintf(stderr, "eseal: %s: no seal section for %s\n", config->path, domain);
            goto done;
        }
        if (!(sc->formats & ESEAL_FORMAT_CADES)) {
            fprintf(stderr, "eseal: %s:%d: seal %s does not list cades in its formats\n",
                    config->path, sc->line, sc->domain);
            goto done;
        }
        key = sc->key;
        cert = sc->certificate;
        pass = sc->passphrase_file;
    }
    if (eseal_seal_load(&seal, key, cert, pass, &err) != ESEAL_OK) {
        status =
            err.code == ESEAL_ERR_IO || err.code == ESEAL_ERR_CONFIG ? EXIT_USAGE : EXIT_VERDICT;
        cli_fail(status, "", &err);
        goto done;
    }
    if (eseal_seal_check(seal, time(NULL), &err) != ESEAL_OK) {
        status = cli_fail(EXIT_VERDICT, "", &err);
        goto done;
    }
    status = cli_seal_allowed(conf_path, policies, policy_count, file, force);
    if (status != EXIT_SUCCESS)
        goto done;
    if (eseal_cades_sign_file(seal, file, &der, &der_len, &err) != ESEAL_OK) {
        status = cli_fail(err.code == ESEAL_ERR_IO ? EXIT_USAGE : EXIT_VERDICT, "", &err);
        goto done;
    }
    status = cli_write_file(out, der, der_len) == 0 ? EXIT_SUCCESS : EXIT_USAGE;
    if (status == EXIT_SUCCESS)
        verdict_print_sealed(stdout, file, eseal_seal_subject(seal), out);
done:
    free(der);
    eseal_seal_free(seal);
    eseal_config_free(config);
    return status;
}

static int cli_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"trust", required_argument, NULL, 't'},
        {"crl", required_argument, NULL, 'r'},    {"min-rsa-bits", required_argument, NULL, 'm'},
        {"json", no_argument, NULL, 'j'},         {NULL, 0, NULL, 0},
    };
    const char *conf_path = NULL, *anchors = NULL, *crls[CLI_CRLS_MAX], *file, *sig;
    char default_sig[CLI_PATH_MAX];
    size_t crl_count = 0;
    unsigned min_rsa_bits = 0;
    int c, json = 0, status;
    eseal_config *config = NULL;
    eseal_trust *trust = NULL;
    eseal_verdict verdict;
    eseal_error err;

    while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            conf_path = optarg;
            break;
        case 't':
            anchors = optarg;
            break;
        case 'r':
            if (crl_count == CLI_CRLS_MAX)
                return cli_fail(EXIT_USAGE, "too many --crl options", NULL);
            crls[crl_count++] = optarg;
            break;
        case 'm':
            if (cli_parse_bits(optarg, &min_rsa_bits) != 0)
                return cli_fail(EXIT_USAGE, "--min-rsa-bits: expected 1024 to 16384", NULL);
            break;
        case 'j':
            json = 1;
            break;
        default:
            fputs(cli_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc || argc - optind > 2 || (conf_path && anchors)) {
        fputs(cli_usage, stderr);
        return EXIT_USAGE;
    }
    file = argv[optind];
    sig = argv[optind + 1];
    if (sig == NULL) {
        if (snprintf(default_sig, sizeof(default_sig), "%s.p7s", file) >= (int)sizeof(default_sig))
            return cli_fail(EXIT_USAGE, "signature path too long", NULL);
        sig = default_sig;
    }
    if (anchors == NULL) {
        if (eseal_config_load(&config, conf_path ? conf_path : ESEAL_CONFIG_DEFAULT_PATH, &err))
            return cli_fail(EXIT_USAGE, "", &err);
        anchors = config->verify.trust_anchors;
        if (anchors == NULL) {
            fprintf(stderr, "eseal: %s: the verify section sets no trust_anchors\n", config->path);
            eseal_config_free(config);
            return EXIT_USAGE;
        }
        if (crl_count + config->verify.crl_count > CLI_CRLS_MAX) {
            fprintf(stderr, "eseal: %s: more than %d CRL paths\n", config->path, CLI_CRLS_MAX);
            eseal_config_free(config);
            return EXIT_USAGE;
        }
        for (size_t i = 0; i < config->verify.crl_count; i++)
            crls[crl_count++] = config->verify.crls[i];
        if (min_rsa_bits == 0)
            min_rsa_bits = config->verify.min_rsa_bits;
    }
    if (eseal_trust_new(&trust, anchors, crls, crl_count, min_rsa_bits, &err) != ESEAL_OK) {
        eseal_config_free(config);
        return cli_fail(EXIT_USAGE, "", &err);
    }
    if (eseal_cades_verify_file(trust, file, sig, &verdict, &err) != ESEAL_OK) {
        status = cli_fail(EXIT_USAGE, "", &err);
    } else {
        (json ? verdict_print_json : verdict_print_line)(stdout, file, "cades", &verdict);
        status = verdict.result == ESEAL_RESULT_PASS ? EXIT_SUCCESS : EXIT_VERDICT;
    }
    eseal_trust_free(trust);
    eseal_config_free(config);
    return status;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";

    if (strcmp(cmd, "seal") == 0)
        return cli_seal(argc - 1, argv + 1);
    if (strcmp(cmd, "verify") == 0)
        return cli_verify(argc - 1, argv + 1);
    if (strcmp(cmd, "check-message") == 0)
        return cli_check_message(argc - 1, argv + 1);
    if (strcmp(cmd, "classify") == 0)
        return cli_classify(argc - 1, argv + 1);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("eseal %s\n", ESEAL_VERSION);
        return EXIT_SUCCESS;
    }
    if (argc < 2) {
        fputs(cli_usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(cli_usage, stdout);
        return EXIT_SUCCESS;
    }
    fprintf(stderr, "eseal: unknown command '%s'\n", cmd);
    fputs(cli_usage, stderr);
    return EXIT_USAGE;
}
