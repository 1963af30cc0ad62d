/* test_cidr.c - CIDR parsing and matching for internal_hosts. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "eseal/cidr.h"

static int in(const char *net_text, const char *addr_text)
{
    eseal_cidr net;
    unsigned char addr[16];
    int family = inet_pton(AF_INET, addr_text, addr) == 1 ? AF_INET : AF_INET6;

    assert_int_equal(eseal_cidr_parse(net_text, &net), 0);
    if (family == AF_INET6)
        assert_int_equal(inet_pton(AF_INET6, addr_text, addr), 1);
    return eseal_cidr_contains(&net, family, addr);
}

static void test_match(void **state)
{
    assert_true(in("10.0.0.0/8", "10.255.1.2"));
    assert_false(in("10.0.0.0/8", "11.0.0.1"));
    assert_true(in("192.168.1.7", "192.168.1.7"));
    assert_false(in("192.168.1.7", "192.168.1.8"));
    assert_true(in("172.16.0.0/12", "172.31.255.255"));
    assert_false(in("172.16.0.0/12", "172.32.0.0"));
    assert_true(in("0.0.0.0/0", "8.8.8.8"));
    assert_true(in("::1", "::1"));
    assert_false(in("::1", "::2"));
    assert_true(in("fd00::/8", "fd12:3456::1"));
    assert_false(in("fd00::/8", "fe80::1"));
    assert_true(in("2001:db8::/33", "2001:db8:7fff::1"));
    assert_false(in("2001:db8::/33", "2001:db8:8000::1"));
    assert_true(in("127.0.0.0/8", "::ffff:127.0.0.1")); /* IPv4-mapped IPv6 client */
    assert_false(in("10.0.0.0/8", "::1"));
}

static void test_parse_errors(void **state)
{
    eseal_cidr net;

    assert_int_equal(eseal_cidr_parse("", &net), -1);
    assert_int_equal(eseal_cidr_parse("10.0.0.0/", &net), -1);
    assert_int_equal(eseal_cidr_parse("10.0.0.0/33", &net), -1);
    assert_int_equal(eseal_cidr_parse("10.0.0.0/-1", &net), -1);
    assert_int_equal(eseal_cidr_parse("10.0.0.0/8x", &net), -1);
    assert_int_equal(eseal_cidr_parse("::/129", &net), -1);
    assert_int_equal(eseal_cidr_parse("example.com", &net), -1);
    assert_int_equal(eseal_cidr_parse("1.2.3.4.5", &net), -1);
    assert_int_equal(eseal_cidr_parse("10.1.2.3/8", &net), 0); /* host bits cleared */
    assert_int_equal(net.addr[1], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_parse_errors),
    };
    return cmocka_run_group_tests_name("cidr", tests, NULL, NULL);
}
