/* test_config.c - eseal.conf: the full example, defaults, and file:line for every mistake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "eseal/config.h"
#include "testutil.h"

/* The example of DESIGN.md section 5, as an administrator would write it. */
static const char full_example[] =
    "socket           = \"unix:/run/eseal/eseal.sock\"    # or inet:8895@127.0.0.1\n"
    "authserv_id      = mx.example.org\n"
    "internal_hosts   = {127.0.0.0/8, \"::1\", 10.0.0.0/8}\n"
    "outbound_daemons = {ORIGINATING}\n"
    "on_error         = tempfail\n"
    "max_message_size = 50M\n"
    "user             = eseal\n"
    "policy_files     = {/etc/eseal/article3.policy, contracts.policy}\n"
    "\n"
    "seal example.com {\n"
    "  key         = /etc/eseal/keys/example.com.key\n"
    "  certificate = keys/example.com-chain.pem\n"
    "  stamp       = /etc/eseal/stamp.png\n"
    "  formats     = {pades, cades}\n"
    "  timestamp_url = \"http://tsa.example.net/tsr\"\n"
    "  on_timestamp_error = seal-without\n"
    "  pades_ltv   = yes\n"
    "}\n"
    "seal sub.example.org {\n"
    "  key = \"pkcs11:token=seal;object=key\"\n"
    "  pkcs11_module = /usr/lib/softhsm/libsofthsm2.so\n"
    "  pin_file    = keys/seal.pin\n"
    "  certificate = /etc/eseal/keys/sub.example.org-chain.pem\n"
    "  formats = {cades}\n"
    "}\n"
    "\n"
    "verify {\n"
    "  trust_anchors = /etc/eseal/trusted-seal-cas.pem\n"
    "  crls          = {/etc/eseal/crl/}\n"
    "  min_rsa_bits  = 3072\n"
    "  subject_tag   = \"[UNVERIFIED]\"\n"
    "  timestamp_trust_anchors = /etc/eseal/tsa-roots.pem\n"
    "  revocation_check = both\n"
    "  revocation_failure = hard\n"
    "  ocsp_responder = \"http://ocsp.example.net/\"\n"
    "}\n";

static eseal_config *load_ok(const char *name, const char *text)
{
    eseal_config *config = NULL;
    eseal_error err;

    if (eseal_config_load(&config, testutil_write(name, text, 0644), &err) != 0)
        fail_msg("%s", err.message);
    return config;
}

/* Expect a load failure whose message is exactly "<path>:<line>: <contains part>". */
static void expect_error(const char *text, int line, const char *part)
{
    char path[4096], prefix[4200];
    eseal_config *config = (eseal_config *)1;
    eseal_error err;

    snprintf(path, sizeof(path), "%s", testutil_write("bad.conf", text, 0644));
    assert_int_equal(eseal_config_load(&config, path, &err), ESEAL_ERR_CONFIG);
    assert_null(config);
    snprintf(prefix, sizeof(prefix), "%s:%d: ", path, line);
    if (strncmp(err.message, prefix, strlen(prefix)) != 0 || strstr(err.message, part) == NULL)
        fail_msg("message '%s' is not '%s...%s...'", err.message, prefix, part);
}

static void test_full_example(void **state)
{
    eseal_config *c = load_ok("eseal.conf", full_example);
    char expect[4200];

    assert_string_equal(c->socket, "unix:/run/eseal/eseal.sock");
    assert_string_equal(c->authserv_id, "mx.example.org");
    assert_int_equal(c->internal_host_count, 3);
    assert_string_equal(c->internal_hosts[1], "::1");
    assert_int_equal(c->outbound_daemon_count, 1);
    assert_string_equal(c->outbound_daemons[0], "ORIGINATING");
    assert_int_equal(c->on_error, ESEAL_ON_ERROR_TEMPFAIL);
    assert_int_equal(c->max_message_size, 50ULL * 1024 * 1024);
    assert_string_equal(c->user, "eseal");
    assert_int_equal(c->policy_file_count, 2);
    snprintf(expect, sizeof(expect), "%s/contracts.policy", testutil_tmpdir());
    assert_string_equal(c->policy_files[1], expect); /* relative to the config file */
    assert_int_equal(c->seal_count, 2);
    assert_string_equal(c->seals[0].domain, "example.com");
    assert_string_equal(c->seals[0].key, "/etc/eseal/keys/example.com.key");
    snprintf(expect, sizeof(expect), "%s/keys/example.com-chain.pem", testutil_tmpdir());
    assert_string_equal(c->seals[0].certificate, expect);
    assert_int_equal(c->seals[0].formats, ESEAL_FORMAT_PADES | ESEAL_FORMAT_CADES);
    assert_string_equal(c->seals[0].timestamp_url, "http://tsa.example.net/tsr");
    assert_int_equal(c->seals[0].timestamp_timeout, 10);
    assert_int_equal(c->seals[0].timestamp_retries, 1);
    assert_true(c->seals[0].timestamp_seal_without);
    assert_true(c->seals[0].pades_ltv);
    assert_string_equal(c->seals[1].key, "pkcs11:token=seal;object=key");
    assert_string_equal(c->seals[1].pkcs11_module, "/usr/lib/softhsm/libsofthsm2.so");
    snprintf(expect, sizeof(expect), "%s/keys/seal.pin", testutil_tmpdir());
    assert_string_equal(c->seals[1].pin_file, expect);
    assert_null(c->seals[1].timestamp_url);
    assert_false(c->seals[1].pades_ltv);
    assert_int_equal(c->seals[1].formats, ESEAL_FORMAT_CADES);
    assert_string_equal(c->verify.timestamp_trust_anchors, "/etc/eseal/tsa-roots.pem");
    assert_int_equal(c->verify.revocation, ESEAL_REVOCATION_BOTH);
    assert_true(c->verify.revocation_hard_fail);
    assert_string_equal(c->verify.ocsp_responder, "http://ocsp.example.net/");
    assert_int_equal(c->verify.ocsp_timeout, 5);
    assert_string_equal(c->verify.trust_anchors, "/etc/eseal/trusted-seal-cas.pem");
    assert_int_equal(c->verify.crl_count, 1);
    assert_int_equal(c->verify.min_rsa_bits, 3072);
    assert_string_equal(c->verify.subject_tag, "[UNVERIFIED]");
    eseal_config_free(c);
}

static void test_defaults(void **state)
{
    eseal_config *c = load_ok("empty.conf", "# nothing set\n");

    assert_string_equal(c->socket, "unix:/run/eseal/eseal.sock");
    assert_true(c->authserv_id[0] != '\0'); /* the host name */
    assert_int_equal(c->internal_host_count, 2);
    assert_int_equal(c->on_error, ESEAL_ON_ERROR_TEMPFAIL);
    assert_int_equal(c->max_message_size, 50ULL * 1024 * 1024);
    assert_int_equal(c->seal_count, 0);
    assert_null(c->verify.trust_anchors);
    assert_int_equal(c->verify.min_rsa_bits, 2048);
    assert_int_equal(c->verify.revocation, ESEAL_REVOCATION_CRL);
    assert_false(c->verify.revocation_hard_fail);
    assert_null(c->verify.timestamp_trust_anchors);
    eseal_config_free(c);
}

static void test_find_seal(void **state)
{
    eseal_config *c = load_ok("eseal.conf", full_example);

    assert_string_equal(eseal_config_find_seal(c, "example.com")->domain, "example.com");
    assert_string_equal(eseal_config_find_seal(c, "Mail.Sales.EXAMPLE.com")->domain, "example.com");
    assert_string_equal(eseal_config_find_seal(c, "x.sub.example.org")->domain, "sub.example.org");
    assert_null(eseal_config_find_seal(c, "example.org"));
    assert_null(eseal_config_find_seal(c, "notexample.com"));
    assert_null(eseal_config_find_seal(c, ""));
    eseal_config_free(c);
}

static void test_sizes(void **state)
{
    uint64_t v;

    assert_int_equal(eseal_config_parse_size("123", &v), 0);
    assert_int_equal(v, 123);
    assert_int_equal(eseal_config_parse_size("64k", &v), 0);
    assert_int_equal(v, 65536);
    assert_int_equal(eseal_config_parse_size("2G", &v), 0);
    assert_int_equal(v, 2ULL << 30);
    assert_int_equal(eseal_config_parse_size("", &v), -1);
    assert_int_equal(eseal_config_parse_size("M", &v), -1);
    assert_int_equal(eseal_config_parse_size("10MB", &v), -1);
    assert_int_equal(eseal_config_parse_size("-1", &v), -1);
    assert_int_equal(eseal_config_parse_size("99999999999999999999", &v), -1);
    assert_int_equal(eseal_config_parse_size("99999999999G", &v), -1);
}

static void test_errors_have_file_and_line(void **state)
{
    expect_error("socket = \"unix:/x\"\nsokcet = \"unix:/y\"\n", 2, "sokcet");
    expect_error("\n\nmax_message_size = 50X\n", 3, "expected a size");
    expect_error("on_error = bounce\n", 1, "expected tempfail, accept or reject");
    expect_error("internal_hosts = {10.0.0.0/8, 10.0.0.0/33}\n", 1, "10.0.0.0/33");
    expect_error("internal_hosts = {bogus}\n", 1, "bogus");
    expect_error("seal example.com {\n  certificate = a.pem\n}\n", 3, "'key' is missing");
    expect_error("seal example.com {\n  key = k\n  formats = {cades, xades}\n}\n", 3, "xades");
    expect_error("seal example.com {\n  key = k\n  colour = red\n}\n", 3, "colour");
    expect_error("seal ex/ample {\n  key = k\n}\n", 3, "domain name");
    expect_error("seal a.com {\n key = k\n}\nseal a.com {\n key = k\n}\n", 4, "a.com");
    expect_error("verify {\n  min_rsa_bits = 512\n}\n", 2, "min_rsa_bits");
    expect_error("socket = \"unterminated\n", 2, "end of file");
    expect_error("seal a.com {\n key = \"pkcs11:object=k\"\n certificate = c.pem\n"
                 " passphrase_file = p\n}\n",
                 5, "takes pin_file, not passphrase_file");
    expect_error("seal a.com {\n key = \"pkcs11:object=k\"\n}\n", 3, "needs 'certificate'");
    expect_error("seal a.com {\n key = k.pem\n pin_file = p\n}\n", 4,
                 "pin_file and pkcs11_module go with");
    expect_error("seal a.com {\n key = k\n timestamp_url = \"ftp://tsa\"\n}\n", 3,
                 "timestamp_url: expected an http:// or https:// URL");
    expect_error("seal a.com {\n key = k\n on_timestamp_error = ignore\n}\n", 3,
                 "expected tempfail or seal-without");
    expect_error("seal a.com {\n key = k\n timestamp_timeout = 0\n}\n", 3, "timestamp_timeout");
    expect_error("verify {\n  revocation_check = crls\n}\n", 2, "expected crl, ocsp, both or none");
    expect_error("verify {\n  revocation_failure = maybe\n}\n", 2, "expected soft or hard");
    expect_error("verify {\n  ocsp_responder = ocsp.example.net\n}\n", 2, "ocsp_responder");
    expect_error("seal a.com {\n key = \"pkcs11:object=a\"\n certificate = c.pem\n"
                 " pkcs11_module = /m1.so\n}\nseal b.com {\n key = \"pkcs11:object=b\"\n"
                 " certificate = c.pem\n pkcs11_module = /m2.so\n}\n",
                 10, "one PKCS#11 module serves all seals");
    expect_error("seal a.com {\n key = k\n formats = {ses}\n}\n", 4, "'ses_seal'");
    expect_error("seal a.com {\n key = k\n ses_seal = s.esl\n}\n", 4, "need ses in formats");
}

static void test_include(void **state)
{
    char text[4200];
    eseal_config *c;

    testutil_write("seals.inc", "seal example.net {\n  key = net.key\n}\n", 0644);
    snprintf(text, sizeof(text), "include(\"%s/seals.inc\")\nuser = mail\n", testutil_tmpdir());
    c = load_ok("main.conf", text);
    assert_int_equal(c->seal_count, 1);
    assert_string_equal(c->user, "mail");
    eseal_config_free(c);
    /* relative to the including file, whatever the working directory */
    assert_int_equal(chdir("/"), 0);
    c = load_ok("main.conf", "include(seals.inc)\n");
    assert_int_equal(c->seal_count, 1);
    eseal_config_free(c);
    testutil_write("open.inc", "user = x\n", 0666);
    expect_error("include(open.inc)\n", 1, "mode 0666");
}

static void test_unsafe_or_missing_file(void **state)
{
    eseal_config *c;
    eseal_error err;

    assert_int_equal(eseal_config_load(&c, testutil_write("open.conf", "", 0666), &err),
                     ESEAL_ERR_UNSAFE);
    assert_non_null(strstr(err.message, "mode 0666"));
    assert_int_equal(eseal_config_load(&c, "/nonexistent/eseal.conf", &err), ESEAL_ERR_IO);
    assert_non_null(strstr(err.message, "/nonexistent/eseal.conf"));
    eseal_config_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_example),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_find_seal),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_errors_have_file_and_line),
        cmocka_unit_test(test_include),
        cmocka_unit_test(test_unsafe_or_missing_file),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
