/* test_runtime.c - the direction of a message, seal selection, and loading all at once. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "eseal/runtime.h"
#include "testutil.h"

static eseal_runtime *load(const char *text)
{
    eseal_runtime *rt = NULL;
    eseal_error err;

    if (eseal_runtime_load(&rt, testutil_write("rt.conf", text, 0644), &err) != 0)
        fail_msg("%s", err.message);
    return rt;
}

static eseal_direction direction(eseal_runtime *rt, const char *ip, const char *auth,
                                 const char *daemon)
{
    unsigned char addr[16];
    int family = 0;

    if (ip != NULL && inet_pton(AF_INET, ip, addr) == 1)
        family = AF_INET;
    else if (ip != NULL && inet_pton(AF_INET6, ip, addr) == 1)
        family = AF_INET6;
    return eseal_runtime_direction(rt, family, family ? addr : NULL, auth, daemon);
}

static void test_direction(void **state)
{
    eseal_runtime *rt = load("internal_hosts = {10.0.0.0/8, \"fd00::/8\"}\n"
                             "outbound_daemons = {ORIGINATING}\n");

    assert_int_equal(direction(rt, "10.1.2.3", NULL, NULL), ESEAL_OUTBOUND);
    assert_int_equal(direction(rt, "fd00::25", NULL, NULL), ESEAL_OUTBOUND);
    assert_int_equal(direction(rt, "::ffff:10.9.9.9", NULL, NULL), ESEAL_OUTBOUND);
    assert_int_equal(direction(rt, "192.0.2.1", NULL, NULL), ESEAL_INBOUND);
    assert_int_equal(direction(rt, "127.0.0.1", NULL, NULL), ESEAL_INBOUND); /* not listed */
    assert_int_equal(direction(rt, NULL, NULL, NULL), ESEAL_INBOUND);        /* unknown */
    assert_int_equal(direction(rt, "192.0.2.1", "alice", NULL), ESEAL_OUTBOUND);
    assert_int_equal(direction(rt, "192.0.2.1", "", NULL), ESEAL_INBOUND);
    assert_int_equal(direction(rt, "192.0.2.1", NULL, "ORIGINATING"), ESEAL_OUTBOUND);
    assert_int_equal(direction(rt, "192.0.2.1", NULL, "originating"), ESEAL_INBOUND);
    assert_int_equal(direction(rt, "192.0.2.1", NULL, "smtpd"), ESEAL_INBOUND);
    eseal_runtime_unref(rt);
}

static void test_seals_and_references(void **state)
{
    char text[8192];
    const eseal_seal_config *section;
    eseal_runtime *rt, *again;

    snprintf(text, sizeof(text),
             "seal example.com {\n  key = %s/seal-ec.key\n  certificate = %s/seal-ec-chain.pem\n}\n"
             "verify {\n  trust_anchors = %s/trust.pem\n}\n",
             getenv("ESEAL_TEST_PKI"), getenv("ESEAL_TEST_PKI"), getenv("ESEAL_TEST_PKI"));
    rt = load(text);
    assert_non_null(eseal_runtime_find_seal(rt, "sales.example.com", &section));
    assert_string_equal(section->domain, "example.com");
    assert_null(eseal_runtime_find_seal(rt, "example.net", &section));
    assert_null(section);
    assert_non_null(eseal_runtime_trust(rt));
    again = eseal_runtime_ref(rt);
    eseal_runtime_unref(rt);
    assert_string_equal(eseal_runtime_config(again)->seals[0].domain, "example.com");
    eseal_runtime_unref(again);
    eseal_runtime_unref(NULL);
}

/* One broken seal fails the whole load, with the config's file:line. */
static void test_broken_seal_fails_load(void **state)
{
    char text[8192], path[4200];
    eseal_runtime *rt = (eseal_runtime *)1;
    eseal_error err;

    snprintf(
        text, sizeof(text),
        "seal example.com {\n  key = %s/expired.key\n  certificate = %s/expired-chain.pem\n}\n",
        getenv("ESEAL_TEST_PKI"), getenv("ESEAL_TEST_PKI"));
    snprintf(path, sizeof(path), "%s", testutil_write("bad-rt.conf", text, 0644));
    assert_int_not_equal(eseal_runtime_load(&rt, path, &err), 0);
    assert_null(rt);
    assert_non_null(strstr(err.message, "bad-rt.conf:4: seal example.com"));
    assert_non_null(strstr(err.message, "expired"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_direction),
        cmocka_unit_test(test_seals_and_references),
        cmocka_unit_test(test_broken_seal_fails_load),
    };
    return cmocka_run_group_tests_name("runtime", tests, NULL, NULL);
}
