/* check_message.c - `eseal check-message`: the milter's pipeline offline, on a file. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "cli.h"
#include "eseal/message.h"

/* Read a message file into memory with CRLF line ends, as an MTA hands it to a milter;
 * *had_crlf says whether the file used them itself. */
static unsigned char *cli_read_message(const char *path, size_t *len, int *had_crlf)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 65536, used = 0;
    unsigned char *buf = f ? malloc(cap) : NULL;
    int c, prev = 0;

    *had_crlf = 0;
    while (buf != NULL && (c = getc(f)) != EOF) {
        if (used + 2 > cap) {
            unsigned char *n = realloc(buf, cap *= 2);
            if (n == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = n;
        }
        if (c == '\n' && prev == '\r')
            *had_crlf = 1;
        else if (c == '\n')
            buf[used++] = '\r';
        buf[used++] = (unsigned char)c;
        prev = c;
    }
    if (f != NULL)
        fclose(f);
    *len = used;
    return buf;
}

int cli_check_message(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"outbound", no_argument, NULL, 'O'},
        {"inbound", no_argument, NULL, 'I'},      {"output", required_argument, NULL, 'o'},
        {"sender", required_argument, NULL, 's'}, {NULL, 0, NULL, 0},
    };
    const char *conf_path = ESEAL_CONFIG_DEFAULT_PATH, *out_path = NULL;
    eseal_direction dir = ESEAL_INBOUND;
    eseal_message_result *result = NULL;
    eseal_runtime *rt = NULL;
    eseal_message_input in = {.fd = -1};
    unsigned char *data;
    int c, had_crlf, status = EXIT_USAGE, fd;
    eseal_message_action action;
    const char *reason;
    eseal_error err;
    size_t i;

    while ((c = getopt_long(argc, argv, "c:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            conf_path = optarg;
            break;
        case 'O':
            dir = ESEAL_OUTBOUND;
            break;
        case 'I':
            dir = ESEAL_INBOUND;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 's':
            in.envelope_from = optarg;
            break;
        default:
            fputs(cli_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        fputs(cli_usage, stderr);
        return EXIT_USAGE;
    }
    data = cli_read_message(argv[optind], &in.len, &had_crlf);
    if (data == NULL) {
        fprintf(stderr, "eseal: %s: cannot read: %s\n", argv[optind], strerror(errno));
        return EXIT_USAGE;
    }
    in.data = data;
    g_mime_init();
    if (eseal_runtime_load(&rt, conf_path, &err) != ESEAL_OK) {
        cli_fail(EXIT_USAGE, "", &err);
        goto done;
    }
    if (eseal_message_process(rt, dir, &in, &result, &err) != ESEAL_OK) {
        fprintf(stderr, "eseal: %s: %s; the milter would %s\n", argv[optind], err.message,
                err.code == ESEAL_ERR_LIMIT ? "pass it on unprocessed, with a header saying why"
                                            : "apply on_error");
        status = EXIT_VERDICT;
        goto done;
    }
    printf("%s: %s\n", argv[optind], eseal_message_result_summary(result));
    action = eseal_message_result_action(result, &reason);
    if (action != ESEAL_MESSAGE_ACCEPT)
        printf("  action: %s: %s\n", action == ESEAL_MESSAGE_REJECT ? "reject (550 5.7.1)" : "hold",
               reason);
    for (i = 0; i < eseal_message_result_edit_count(result); i++) {
        const eseal_header_edit *e = eseal_message_result_edit(result, i);
        if (e->op == ESEAL_EDIT_ADD)
            printf("  %s: %s\n", e->name, e->value);
        else
            printf("  (%s %s #%d)\n", e->op == ESEAL_EDIT_DELETE ? "delete" : "change", e->name,
                   e->index);
    }
    status = action == ESEAL_MESSAGE_REJECT ? EXIT_VERDICT : EXIT_SUCCESS;
    if (out_path != NULL && action != ESEAL_MESSAGE_REJECT) {
        fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || eseal_message_write(result, &in, fd, !had_crlf, &err) != ESEAL_OK) {
            fprintf(stderr, "eseal: %s: cannot write: %s\n", out_path,
                    fd < 0 ? strerror(errno) : err.message);
            status = EXIT_USAGE;
        }
        if (fd >= 0 && close(fd) != 0)
            status = EXIT_USAGE;
    }
done:
    eseal_message_result_free(result);
    eseal_runtime_unref(rt);
    free(data);
    return status;
}
