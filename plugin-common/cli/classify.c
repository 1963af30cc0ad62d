/* classify.c - `eseal classify`: the categories of documents under a policy, and why; and
 * the policy check `eseal seal` makes before it seals. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "eseal/config.h"
#include "eseal/extract.h"
#include "file_int.h"
#include "verdict_print.h"

#define CLASSIFY_FILE_MAX (256 * 1024 * 1024) /* larger documents are not read at all */

int cli_add_policy(const char **policies, size_t *count, const char *path)
{
    if (*count == CLI_POLICIES_MAX)
        return cli_fail(EXIT_USAGE, "too many -p options", NULL);
    policies[(*count)++] = path;
    return 0;
}

int cli_policy_load(const char *conf_path, const char *const *paths, size_t count,
                    eseal_policy **out, eseal_error *err)
{
    eseal_config *config = NULL;
    int rc;

    *out = NULL;
    if (count > 0)
        return eseal_policy_load(out, paths, count, err);
    if (conf_path == NULL && access(ESEAL_CONFIG_DEFAULT_PATH, F_OK) != 0)
        return ESEAL_OK; /* no policy anywhere */
    rc = eseal_config_load(&config, conf_path ? conf_path : ESEAL_CONFIG_DEFAULT_PATH, err);
    if (rc == ESEAL_OK && config->policy_file_count > 0)
        rc = eseal_policy_load(out, config->policy_files, config->policy_file_count, err);
    eseal_config_free(config);
    return rc;
}

int cli_classify_file(const eseal_policy *policy, const char *path, eseal_classification **out,
                      char *capped, size_t capped_size, eseal_error *err)
{
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    unsigned char *data;
    eseal_policy_doc doc;
    eseal_text text;
    size_t len;
    int rc;

    *out = NULL;
    rc = eseal_file_read(path, CLASSIFY_FILE_MAX, &data, &len, err);
    if (rc != ESEAL_OK)
        return rc;
    rc = eseal_extract_text(data, len, NULL, name, NULL, NULL, &text, err);
    free(data);
    if (rc != ESEAL_OK)
        return rc;
    if (capped != NULL)
        snprintf(capped, capped_size, "%s", text.capped ? text.cap_reason : "");
    memset(&doc, 0, sizeof(doc));
    doc.filename = name;
    doc.content = text.text;
    doc.content_len = text.len;
    rc = eseal_policy_classify(policy, &doc, out, err);
    eseal_text_clear(&text);
    return rc;
}

static void classify_print(const char *file, const eseal_classification *c, const char *capped,
                           int verbose, int json)
{
    eseal_outbound_action out = eseal_classification_outbound(c, NULL);
    eseal_inbound_action in = eseal_classification_inbound(c, NULL);
    size_t i, n = eseal_classification_count(c);

    if (json) {
        fputs("{\"file\":", stdout);
        print_quoted(stdout, file, 1);
        fputs(",\"categories\":[", stdout);
        for (i = 0; i < n; i++) {
            fputs(i ? "," : "", stdout);
            print_quoted(stdout, eseal_classification_category(c, i)->name, 1);
        }
        printf("],\"outbound\":\"%s\",\"inbound\":\"%s\"", eseal_outbound_action_word(out),
               eseal_inbound_action_word(in));
        if (capped[0] != '\0') {
            fputs(",\"capped\":", stdout);
            print_quoted(stdout, capped, 1);
        }
    } else {
        print_escaped(stdout, file, 0);
        fputs(": categories=", stdout);
        for (i = 0; i < n; i++)
            printf("%s%s", i ? "," : "", eseal_classification_category(c, i)->name);
        printf("%s; outbound=%s; inbound=%s", n ? "" : "none", eseal_outbound_action_word(out),
               eseal_inbound_action_word(in));
        if (capped[0] != '\0') {
            fputs("; capped=", stdout);
            print_quoted(stdout, capped, 0);
        }
        fputc('\n', stdout);
    }
    for (i = 0; verbose && i < eseal_classification_hit_count(c); i++) {
        const eseal_policy_hit *h = eseal_classification_hit(c, i);
        if (json) {
            fputs(i ? ",{\"category\":" : ",\"hits\":[{\"category\":", stdout);
            print_quoted(stdout, h->category->name, 1);
            printf(",\"field\":\"%s\",\"pattern\":", eseal_policy_field_word(h->field));
            print_quoted(stdout, h->term, 1);
            fputs(",\"text\":", stdout);
            print_quoted(stdout, h->text, 1);
            printf(",\"offset\":%zu}", h->offset);
        } else {
            printf("  hit: category=%s; field=%s; pattern=", h->category->name,
                   eseal_policy_field_word(h->field));
            print_quoted(stdout, h->term, 0);
            fputs("; text=", stdout);
            print_quoted(stdout, h->text, 0);
            printf("; offset=%zu\n", h->offset);
        }
    }
    if (json)
        fputs(verbose && eseal_classification_hit_count(c) ? "]}\n" : "}\n", stdout);
}

int cli_classify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"policy", required_argument, NULL, 'p'},
        {"verbose", no_argument, NULL, 'v'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    const char *conf_path = NULL, *policies[CLI_POLICIES_MAX];
    size_t policy_count = 0;
    int c, verbose = 0, json = 0, status = EXIT_SUCCESS;
    eseal_policy *policy = NULL;
    eseal_error err;

    while ((c = getopt_long(argc, argv, "c:p:v", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            conf_path = optarg;
            break;
        case 'p':
            if (cli_add_policy(policies, &policy_count, optarg) != 0)
                return EXIT_USAGE;
            break;
        case 'v':
            verbose = 1;
            break;
        case 'j':
            json = 1;
            break;
        default:
            fputs(cli_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs(cli_usage, stderr);
        return EXIT_USAGE;
    }
    if (cli_policy_load(conf_path, policies, policy_count, &policy, &err) != ESEAL_OK)
        return cli_fail(EXIT_USAGE, "", &err);
    if (policy == NULL)
        return cli_fail(EXIT_USAGE,
                        "no policy: give -p POLICY or a configuration with "
                        "policy_files",
                        NULL);
    for (; optind < argc; optind++) {
        eseal_classification *cls;
        char capped[160];
        if (cli_classify_file(policy, argv[optind], &cls, capped, sizeof(capped), &err) != 0) {
            status = cli_fail(EXIT_USAGE, "", &err);
            continue;
        }
        classify_print(argv[optind], cls, capped, verbose, json);
        eseal_classification_free(cls);
    }
    eseal_policy_free(policy);
    return status;
}
