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
    "usage: eseal seal [[-c CONF] --seal DOMAIN | --key KEY [--cert CHAIN] [--passphrase-file F]]\n"
    "                  [-p POLICY]... [--force] [--format pades|cades] [--stamp PNG] [--reason T]\n"
    "                  [--stamp-position CORNER] [--stamp-page N] [--location T] FILE [-o OUT]\n"
    "       eseal verify [-c CONF | --trust CAFILE] [--crl CRL]... [--min-rsa-bits N]\n"
    "                  [--timestamp-trust CAFILE] [--revocation crl|ocsp|both|none]\n"
    "                  [--ocsp-responder URL] [--hard-fail] [--json] FILE [SIG]\n"
    "       eseal check-message [-c CONF] [--outbound | --inbound] [--sender ADDR] MSG [-o OUT]\n"
    "       eseal classify [-c CONF] [-p POLICY]... [-v] [--json] FILE...\n"
    "       eseal --version | help\n";

int cli_fail(int status, const char *what, const eseal_error *err)
{
    fprintf(stderr, "eseal: %s%s%s\n", what, what[0] && err ? ": " : "",
            err ? eseal_error_message(err) : "");
    return status;
}

/* Through a temporary file and rename, so that a reader never sees a half-written seal and
 * a failure leaves any earlier file in place. */
int cli_write_file(const char *path, const unsigned char *data, size_t len)
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

/* What `eseal seal` was asked to do. */
struct seal_args {
    const char *conf_path, *domain, *key, *cert, *pass, *out, *file, *format, *stamp;
    const char *policies[CLI_POLICIES_MAX];
    size_t policy_count;
    int force;
    eseal_pades_options pdf; /* stamp_png is read later */
    int stamp_corner_set, stamp_page_set;
    const eseal_seal_config *section; /* with --seal */
};

/* Parse the options of `eseal seal` into a; EXIT_SUCCESS or EXIT_USAGE (said). */
static int cli_seal_args(int argc, char **argv, struct seal_args *a)
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
        {"format", required_argument, NULL, 'm'},
        {"stamp", required_argument, NULL, 'S'},
        {"stamp-position", required_argument, NULL, 'P'},
        {"stamp-page", required_argument, NULL, 'g'},
        {"reason", required_argument, NULL, 'R'},
        {"location", required_argument, NULL, 'L'},
        {NULL, 0, NULL, 0},
    };
    char *end;
    long page;
    int c;

    while ((c = getopt_long(argc, argv, "c:o:p:", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            a->conf_path = optarg;
            break;
        case 'p':
            if (cli_add_policy(a->policies, &a->policy_count, optarg) != 0)
                return EXIT_USAGE;
            break;
        case 's':
            a->domain = optarg;
            break;
        case 'k':
            a->key = optarg;
            break;
        case 'C':
            a->cert = optarg;
            break;
        case 'f':
            a->pass = optarg;
            break;
        case 'o':
            a->out = optarg;
            break;
        case 'F':
            a->force = 1;
            break;
        case 'S':
            a->stamp = optarg;
            break;
        case 'R':
            a->pdf.reason = optarg;
            break;
        case 'L':
            a->pdf.location = optarg;
            break;
        case 'm':
            if (strcmp(optarg, "pades") != 0 && strcmp(optarg, "cades") != 0)
                return cli_fail(EXIT_USAGE, "--format: expected pades or cades", NULL);
            a->format = optarg;
            break;
        case 'P':
            if (eseal_config_parse_corner(optarg, &a->pdf.stamp_corner) != 0)
                return cli_fail(EXIT_USAGE,
                                "--stamp-position: expected bottom-right, bottom-left, "
                                "top-right or top-left",
                                NULL);
            a->stamp_corner_set = 1;
            break;
        case 'g':
            page = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || page == 0 || page < -100000 || page > 100000)
                return cli_fail(EXIT_USAGE,
                                "--stamp-page: expected a page number (1 the first, -1 the last)",
                                NULL);
            a->pdf.stamp_page = (int)page;
            a->stamp_page_set = 1;
            break;
        default:
            fputs(cli_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc || (a->domain != NULL) == (a->key != NULL) ||
        (a->domain != NULL && (a->cert != NULL || a->pass != NULL)) ||
        (a->key != NULL && a->conf_path)) {
        fputs("eseal seal: give one FILE and either [-c CONF] --seal DOMAIN or --key KEY\n",
              stderr);
        fputs(cli_usage, stderr);
        return EXIT_USAGE;
    }
    a->file = argv[optind];
    return EXIT_SUCCESS;
}

/* Take from the seal section sc what the command line left unsaid. */
static void cli_seal_section(struct seal_args *a, const eseal_seal_config *sc)
{
    a->section = sc;
    a->key = sc->key;
    a->cert = sc->certificate;
    a->pass = sc->passphrase_file;
    if (a->format == NULL)
        a->format = sc->pades_first || !(sc->formats & ESEAL_FORMAT_CADES) ? "pades" : "cades";
    if (a->stamp == NULL)
        a->stamp = sc->stamp;
    if (!a->stamp_corner_set)
        a->pdf.stamp_corner = sc->stamp_corner;
    if (!a->stamp_page_set)
        a->pdf.stamp_page = sc->stamp_page;
    if (a->pdf.reason == NULL)
        a->pdf.reason = sc->reason;
    if (a->pdf.location == NULL)
        a->pdf.location = sc->location;
}

/* Whether the seal section (if any) allows a detached CAdES seal; says so when not. */
static int cli_seal_cades_allowed(const struct seal_args *a, const eseal_config *config)
{
    if (a->section == NULL || (a->section->formats & ESEAL_FORMAT_CADES))
        return 1;
    fprintf(stderr, "eseal: %s:%d: seal %s does not list cades in its formats\n", config->path,
            a->section->line, a->section->domain);
    return 0;
}

/* Seal a PDF in place when asked for and possible: EXIT_* when done, or -1 when the file is
 * to be sealed with a detached signature (said on stderr when it is a PDF). */
static int cli_seal_in_place(struct seal_args *a, const eseal_seal *seal)
{
    unsigned char *pdf = NULL, *png = NULL;
    size_t pdf_len = 0, png_len = 0;
    char default_out[CLI_PATH_MAX];
    eseal_error err;
    int rc;

    rc = cli_pdf_read(a->file, &pdf, &pdf_len, &err);
    if (rc == 0)
        return -1;
    if (rc < 0) {
        if (rc != ESEAL_ERR_LIMIT)
            return cli_fail(EXIT_USAGE, "", &err);
        fprintf(stderr, "eseal: %s: not sealed in place (%s); detached seal instead\n", a->file,
                eseal_error_message(&err));
        a->out = NULL; /* OUT was meant for the PDF: the signature goes beside FILE */
        return -1;
    }
    if (a->stamp != NULL &&
        eseal_file_read(a->stamp, ESEAL_PADES_STAMP_MAX, &png, &png_len, &err) != ESEAL_OK) {
        free(pdf);
        return cli_fail(EXIT_USAGE, "", &err);
    }
    a->pdf.stamp_png = png;
    a->pdf.stamp_png_len = png_len;
    if (eseal_pades_options_check(&a->pdf, &err) != ESEAL_OK) {
        free(pdf);
        free(png);
        return cli_fail(EXIT_USAGE, "", &err); /* a broken stamp or text, not the PDF */
    }
    if (a->out == NULL) {
        cli_pdf_default_out(a->file, default_out, sizeof(default_out));
        a->out = default_out;
    }
    rc = cli_pdf_seal(seal, &a->pdf, a->file, pdf, pdf_len, a->out, &err);
    free(pdf);
    free(png);
    if (rc < 0) {
        fprintf(stderr, "eseal: %s: not sealed in place (%s); detached seal instead\n", a->file,
                eseal_error_message(&err));
        a->out = NULL; /* as above */
        return -1;
    }
    return rc;
}

/* The timestamp authority and the validation data (PAdES B-LT) seal section sc asks for;
 * none without a section. */
static int cli_seal_services(const eseal_config *config, const eseal_seal_config *sc,
                             eseal_tsa **tsa, eseal_trust **ltv)
{
    eseal_tsa_options tsa_options;
    eseal_trust_options trust_options;
    eseal_error err;

    if (sc != NULL && sc->timestamp_url != NULL) {
        eseal_config_tsa_options(config, sc, &tsa_options);
        if (eseal_tsa_new(tsa, &tsa_options, &err) != ESEAL_OK)
            return cli_fail(EXIT_USAGE, "", &err);
    }
    if (sc != NULL && sc->pades_ltv) {
        eseal_config_trust_options(config, &trust_options);
        if (eseal_trust_new_with(ltv, &trust_options, &err) != ESEAL_OK)
            return cli_fail(EXIT_USAGE, "", &err);
    }
    return EXIT_SUCCESS;
}

static int cli_seal(int argc, char **argv)
{
    struct seal_args a;
    char default_out[CLI_PATH_MAX];
    eseal_config *config = NULL;
    eseal_seal *seal = NULL;
    eseal_tsa *tsa = NULL;
    eseal_trust *ltv = NULL;
    unsigned char *der = NULL;
    size_t der_len;
    eseal_error err;
    int status = EXIT_USAGE, rc, is_ofd = 0;

    memset(&a, 0, sizeof(a));
    if (cli_seal_args(argc, argv, &a) != EXIT_SUCCESS)
        return EXIT_USAGE;
    if (a.domain != NULL) {
        const eseal_seal_config *sc;
        if (eseal_config_load(&config, a.conf_path ? a.conf_path : ESEAL_CONFIG_DEFAULT_PATH, &err))
            return cli_fail(EXIT_USAGE, "", &err);
        sc = eseal_config_find_seal(config, a.domain);
        if (sc == NULL) {
            fprintf(stderr, "eseal: %s: no seal section for %s\n", config->path, a.domain);
            goto done;
        }
        cli_seal_section(&a, sc);
        is_ofd = cli_is_ofd(a.file);
        if (is_ofd && !(sc->formats & ESEAL_FORMAT_SES)) {
            fprintf(stderr, "eseal: %s:%d: seal %s does not list ses in its formats\n",
                    config->path, sc->line, sc->domain);
            goto done;
        }
        /* before the key is opened: a file that can only get a .p7s needs cades */
        if (!is_ofd && (strcmp(a.format, "cades") == 0 || cli_pdf_sniff(a.file) == 0) &&
            !cli_seal_cades_allowed(&a, config))
            goto done;
        if (!is_ofd && !(sc->formats & ESEAL_FORMAT_PADES) && strcmp(a.format, "pades") == 0) {
            fprintf(stderr, "eseal: %s:%d: seal %s does not list pades in its formats\n",
                    config->path, sc->line, sc->domain);
            goto done;
        }
    }
    rc = a.section != NULL ? eseal_seal_load_section(&seal, a.section, geteuid(), &err)
                           : eseal_seal_load(&seal, a.key, a.cert, a.pass, &err);
    if (rc != ESEAL_OK) {
        status =
            err.code == ESEAL_ERR_IO || err.code == ESEAL_ERR_CONFIG ? EXIT_USAGE : EXIT_VERDICT;
        cli_fail(status, "", &err);
        goto done;
    }
    if (cli_seal_services(config, a.section, &tsa, &ltv) != EXIT_SUCCESS)
        goto done;
    a.pdf.tsa = tsa;
    a.pdf.ltv = ltv;
    if (eseal_seal_check(seal, time(NULL), &err) != ESEAL_OK) {
        status = cli_fail(EXIT_VERDICT, "", &err);
        goto done;
    }
    status = cli_seal_allowed(a.conf_path, a.policies, a.policy_count, a.file, a.force);
    if (status != EXIT_SUCCESS)
        goto done;
    if (is_ofd) {
        status = cli_ofd_seal(a.section, seal, a.file, a.out);
        goto done;
    }
    if (a.format == NULL || strcmp(a.format, "pades") == 0) {
        status = cli_seal_in_place(&a, seal);
        if (status >= 0)
            goto done;
    }
    if (!cli_seal_cades_allowed(&a, config)) { /* a PDF that could not be sealed in place */
        status = EXIT_USAGE;
        goto done;
    }
    if (a.out == NULL) {
        if (snprintf(default_out, sizeof(default_out), "%s.p7s", a.file) >=
            (int)sizeof(default_out)) {
            status = cli_fail(EXIT_USAGE, "output path too long", NULL);
            goto done;
        }
        a.out = default_out;
    }
    if (eseal_cades_sign_file(seal, tsa, a.file, &der, &der_len, &err) != ESEAL_OK) {
        status = cli_fail(err.code == ESEAL_ERR_IO ? EXIT_USAGE : EXIT_VERDICT, "", &err);
        goto done;
    }
    status = cli_write_file(a.out, der, der_len) == 0 ? EXIT_SUCCESS : EXIT_USAGE;
    if (status == EXIT_SUCCESS)
        verdict_print_sealed(stdout, a.file, eseal_seal_subject(seal), a.out);
done:
    free(der);
    eseal_tsa_free(tsa);
    eseal_trust_free(ltv);
    eseal_seal_free(seal);
    eseal_config_free(config);
    return status;
}

static int cli_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"trust", required_argument, NULL, 't'},
        {"crl", required_argument, NULL, 'r'},
        {"min-rsa-bits", required_argument, NULL, 'm'},
        {"json", no_argument, NULL, 'j'},
        {"timestamp-trust", required_argument, NULL, 'T'},
        {"revocation", required_argument, NULL, 'V'},
        {"ocsp-responder", required_argument, NULL, 'O'},
        {"hard-fail", no_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    static const char *const revocation_words[] = {"crl", "ocsp", "both", "none"};
    eseal_trust_options options = {0};
    int revocation = -1, hard_fail = 0;
    const char *conf_path = NULL, *anchors = NULL, *crls[CLI_CRLS_MAX], *file, *sig;
    char default_sig[CLI_PATH_MAX];
    size_t crl_count = 0;
    unsigned min_rsa_bits = 0;
    int c, json = 0, status;
    eseal_config *config = NULL;
    eseal_trust *trust = NULL;
    eseal_verdict verdict;
    eseal_error err;
    unsigned char *pdf = NULL, *ofd = NULL;
    size_t pdf_len = 0, ofd_len = 0;

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
        case 'T':
            options.timestamp_anchors = optarg;
            break;
        case 'O':
            options.ocsp_responder = optarg;
            break;
        case 'H':
            hard_fail = 1;
            break;
        case 'V':
            for (revocation = 3; revocation >= 0; revocation--)
                if (strcmp(optarg, revocation_words[revocation]) == 0)
                    break;
            if (revocation < 0)
                return cli_fail(EXIT_USAGE, "--revocation: expected crl, ocsp, both or none", NULL);
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
        eseal_trust_options from_config;
        eseal_config_trust_options(config, &from_config);
        if (options.timestamp_anchors == NULL)
            options.timestamp_anchors = from_config.timestamp_anchors;
        if (options.ocsp_responder == NULL)
            options.ocsp_responder = from_config.ocsp_responder;
        if (revocation < 0)
            revocation = (int)from_config.revocation;
        hard_fail |= from_config.revocation_hard_fail;
        options.ocsp_timeout_seconds = from_config.ocsp_timeout_seconds;
    }
    options.anchors = anchors;
    options.crls = crls;
    options.crl_count = crl_count;
    options.min_rsa_bits = min_rsa_bits;
    options.revocation = revocation < 0 ? ESEAL_REVOCATION_CRL : (eseal_revocation)revocation;
    options.revocation_hard_fail = hard_fail;
    if (eseal_trust_new_with(&trust, &options, &err) != ESEAL_OK) {
        eseal_config_free(config);
        return cli_fail(EXIT_USAGE, "", &err);
    }
    /* without SIG a PDF or an OFD document is checked for the signatures inside it, anything
     * else for FILE.p7s */
    if (sig == NULL && (cli_ofd_read(file, &ofd, &ofd_len, &err) < 0 ||
                        (ofd == NULL && cli_pdf_read(file, &pdf, &pdf_len, &err) < 0))) {
        status = cli_fail(EXIT_USAGE, "", &err);
    } else if (ofd != NULL) {
        status = cli_ofd_verify(trust, file, ofd, ofd_len, json);
    } else if (pdf != NULL) {
        status = cli_pdf_verify(trust, file, pdf, pdf_len, json);
    } else if (sig == NULL && snprintf(default_sig, sizeof(default_sig), "%s.p7s", file) >=
                                  (int)sizeof(default_sig)) {
        status = cli_fail(EXIT_USAGE, "signature path too long", NULL);
    } else if (eseal_cades_verify_file(trust, file, sig ? sig : default_sig, &verdict, &err) !=
               ESEAL_OK) {
        status = cli_fail(EXIT_USAGE, "", &err);
    } else {
        (json ? verdict_print_json : verdict_print_line)(stdout, file, "cades", &verdict, NULL);
        status = verdict.result == ESEAL_RESULT_PASS ? EXIT_SUCCESS : EXIT_VERDICT;
    }
    free(pdf);
    free(ofd);
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
