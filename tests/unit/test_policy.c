/* test_policy.c - the policy engine: loading with file:line errors, and classification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../policy/src/prefilter_int.h"
#include "eseal/policy.h"
#include "testutil.h"

static const char policy_text[] =
    "policy {\n"
    "  inbound = none\n"
    "}\n"
    "category personal-relationship {\n"
    "  label = \"marriage, adoption, inheritance\"\n"
    "  basis = \"PRC Electronic Signature Law art. 3(1)\"\n"
    "  filename = {离婚, '/\\b(divorce|testament)\\b/'}\n"
    "  content = {离婚协议, 婚姻登记, 遗产分割, \"divorce agreement\", \"last will\", ÉTAT}\n"
    "  threshold = 2\n"
    "  outbound = refuse-seal\n"
    "  inbound = flag-excluded\n"
    "}\n"
    "category utility-cessation {\n"
    "  basis = \"PRC Electronic Signature Law art. 3(2)\"\n"
    "  subject = {停水通知}\n"
    "  body = {停止供水}\n"
    "  outbound = reject\n"
    "}\n"
    "category contract {\n"
    "  filename = {合同, contract}\n"
    "  mime_type = {'/^application\\/x-contract$/'}\n"
    "  inbound = require-seal\n"
    "}\n";

static eseal_policy *load(const char *text)
{
    char path[4200];
    const char *paths[1] = {path};
    eseal_policy *p = NULL;
    eseal_error err;

    snprintf(path, sizeof(path), "%s", testutil_write("t.policy", text, 0644));
    if (eseal_policy_load(&p, paths, 1, &err) != 0)
        fail_msg("%s", err.message);
    return p;
}

/* The categories of a document, as "a,b" or "" */
static const char *categories(const eseal_policy *p, const eseal_policy_doc *doc,
                              eseal_outbound_action *out)
{
    static char buf[256];
    eseal_classification *c;
    eseal_error err;
    size_t i, used = 0;

    assert_int_equal(eseal_policy_classify(p, doc, &c, &err), 0);
    buf[0] = '\0';
    for (i = 0; i < eseal_classification_count(c); i++)
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? "," : "",
                                 eseal_classification_category(c, i)->name);
    if (out != NULL)
        *out = eseal_classification_outbound(c, NULL);
    eseal_classification_free(c);
    return buf;
}

static eseal_policy_doc text_doc(const char *name, const char *text)
{
    eseal_policy_doc d;

    memset(&d, 0, sizeof(d));
    d.filename = name;
    d.content = text;
    d.content_len = text ? strlen(text) : 0;
    return d;
}

/* Collects the literals policy_literals finds, "|"-separated. */
static int collect_literal(void *arg, const char *literal, size_t len)
{
    char *out = arg;
    size_t used = strlen(out);

    snprintf(out + used, 256 - used, "%s%.*s", used ? "|" : "", (int)len, literal);
    return 0;
}

static const char *literals_of(const char *term, char *out)
{
    out[0] = '\0';
    return policy_literals(term, strlen(term), collect_literal, out) == 0 ? out : "(none)";
}

/* The literals are what every match must contain, never more: optional characters, classes,
 * escapes and groups end a run; an alternative without a literal leaves the term without. */
static void test_literals(void **state)
{
    char out[256];

    (void)state;
    assert_string_equal(literals_of("离婚协议", out), "离婚协议");
    assert_string_equal(literals_of("Divorce Agreement", out), "Divorce Agreement");
    assert_string_equal(literals_of("é-mail x", out), "-mail x");
    assert_string_equal(literals_of("/\\bdivorce\\b/", out), "divorce");
    assert_string_equal(literals_of("/\\blast\\s+will\\b/", out), "last");
    assert_string_equal(literals_of("/last[-_ .]?will/", out), "last");
    assert_string_equal(literals_of("/pre-?nup/", out), "pre");
    assert_string_equal(literals_of("/colou?r chart/", out), "r chart");
    assert_string_equal(literals_of("/abcd+ef/", out), "abcd");
    assert_string_equal(literals_of("/abcd{0,2}ef/", out), "abc");
    assert_string_equal(literals_of("/abcd{,2}ef/", out), "abc");
    assert_string_equal(literals_of("/abcd{2}ef/", out), "abcd");
    assert_string_equal(literals_of("/[[:alpha:]]xyz/", out), "xyz");
    assert_string_equal(literals_of("/\\bchild\\s+(support|custody)\\b/", out), "child");
    assert_string_equal(literals_of("/\\balimony\\b|\\bspousal\\s+support/", out),
                        "alimony|spousal");
    assert_string_equal(literals_of("/\\x41bcdef/", out), "bcdef");
    assert_string_equal(literals_of("/\\p{Han}{2}遗嘱/", out), "遗嘱");
    assert_string_equal(literals_of("/(?<!被)收[养養]人/", out), "收"); /* the first longest */
    assert_string_equal(literals_of("/\\bcontract\\s+no(?!\\w)/", out), "contract");
    assert_string_equal(literals_of("/(?x) divorce  agreement/", out), "(none)");
    assert_string_equal(literals_of("/(?i-x:a)bcde/", out), "(none)");
    assert_string_equal(literals_of("/(?i:ab)cdef/", out), "cdef");
    assert_string_equal(literals_of("/ab|divorce/", out), "(none)"); /* "ab" is too short */
    assert_string_equal(literals_of("/[a-z]+/", out), "(none)");
}

/* With the prefilter, a term matches exactly as without: casing, U+212A (KELVIN SIGN, which
 * caseless matching pairs with k) and a line break inside a phrase. */
static void test_prefilter_same_answers(void **state)
{
    static const char policy[] = "category kin {\n"
                                 "  threshold = 1\n  outbound = refuse-seal\n"
                                 "  content = {'/\\bkinship\\s+care\\b/', \"遗产继承\"}\n"
                                 "}\n";
    static const char *const texts[] = {
        "KINSHIP care order", "kinship\ncare", "\xe2\x84\xaainship care",
        "遗产继承公证",       "nothing here",  "kinship carer"};
    static const int expected[] = {1, 1, 1, 1, 0, 0};
    eseal_policy *p = load(policy);
    size_t i;

    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        eseal_policy_doc doc = {0};
        eseal_classification *c = NULL;
        doc.content = texts[i];
        doc.content_len = strlen(texts[i]);
        assert_int_equal(eseal_policy_classify(p, &doc, &c, NULL), 0);
        assert_int_equal(eseal_classification_count(c), expected[i]);
        eseal_classification_free(c);
    }
    eseal_policy_free(p);
}

static void test_categories(void **state)
{
    eseal_policy *p = load(policy_text);
    eseal_policy_doc d;
    eseal_outbound_action out;

    assert_int_equal(eseal_policy_category_count(p), 3);
    assert_string_equal(eseal_policy_category_at(p, 0)->basis,
                        "PRC Electronic Signature Law art. 3(1)");
    /* content needs two distinct terms */
    d = text_doc("a.txt", "本协议为离婚协议。");
    assert_string_equal(categories(p, &d, NULL), "");
    d = text_doc("a.txt", "离婚协议：双方已办理婚姻登记。");
    assert_string_equal(categories(p, &d, &out), "personal-relationship");
    assert_int_equal(out, ESEAL_OUTBOUND_REFUSE_SEAL);
    /* case folding, ASCII and beyond */
    d = text_doc("b.txt", "THE DIVORCE AGREEMENT AND LAST WILL");
    assert_string_equal(categories(p, &d, NULL), "personal-relationship");
    d = text_doc("b.txt", "divorce agreement ... état");
    assert_string_equal(categories(p, &d, NULL), "personal-relationship");
    /* file names alone decide; \b keeps "divorced" out */
    d = text_doc("Divorce-papers.pdf", NULL);
    assert_string_equal(categories(p, &d, NULL), "personal-relationship");
    d = text_doc("divorced-staff-list.xlsx", NULL);
    assert_string_equal(categories(p, &d, NULL), "");
    /* several categories: all reported, the strictest action wins */
    d = text_doc("离婚合同.docx", NULL);
    assert_string_equal(categories(p, &d, &out), "personal-relationship,contract");
    assert_int_equal(out, ESEAL_OUTBOUND_REFUSE_SEAL);
    d = text_doc("x.bin", NULL);
    d.mime_type = "application/x-contract";
    assert_string_equal(categories(p, &d, &out), "contract");
    assert_int_equal(out, ESEAL_OUTBOUND_SEAL);
    eseal_policy_free(p);
}

static void test_message_fields_and_hits(void **state)
{
    eseal_policy *p = load(policy_text);
    eseal_classification *msg, *att;
    const eseal_policy_category *why;
    eseal_policy_doc d;
    eseal_error err;

    memset(&d, 0, sizeof(d));
    d.subject = "关于停水通知";
    assert_int_equal(eseal_policy_classify(p, &d, &msg, &err), 0);
    assert_int_equal(eseal_classification_count(msg), 1);
    assert_int_equal(eseal_classification_outbound(msg, &why), ESEAL_OUTBOUND_REJECT);
    assert_string_equal(why->name, "utility-cessation");
    assert_int_equal(eseal_classification_hit(msg, 0)->field, ESEAL_FIELD_SUBJECT);
    assert_string_equal(eseal_classification_hit(msg, 0)->text, "停水通知");
    assert_int_equal(eseal_classification_hit(msg, 0)->offset, strlen("关于"));
    /* a message's categories carry over to its attachments */
    d = text_doc("contract.pdf", "");
    assert_int_equal(eseal_policy_classify(p, &d, &att, &err), 0);
    assert_int_equal(eseal_classification_merge(att, msg, &err), 0);
    assert_int_equal(eseal_classification_count(att), 2);
    assert_int_equal(eseal_classification_outbound(att, NULL), ESEAL_OUTBOUND_REJECT);
    assert_int_equal(eseal_classification_inbound(att, &why), ESEAL_INBOUND_REQUIRE_SEAL);
    assert_string_equal(why->name, "contract");
    eseal_classification_free(att);
    eseal_classification_free(msg);
    /* invalid UTF-8 in a text is not matched, never a crash */
    d = text_doc("a.txt", "\xff\xfe 离婚协议 婚姻登记");
    assert_string_equal(categories(p, &d, NULL), "");
    eseal_policy_free(p);
}

static void expect_error(const char *text, int line, const char *part)
{
    char path[4200], prefix[4300];
    const char *paths[1] = {path};
    eseal_policy *p = (eseal_policy *)1;
    eseal_error err;

    snprintf(path, sizeof(path), "%s", testutil_write("bad.policy", text, 0644));
    assert_int_not_equal(eseal_policy_load(&p, paths, 1, &err), 0);
    assert_null(p);
    snprintf(prefix, sizeof(prefix), "%s:%d: ", path, line);
    if (strncmp(err.message, prefix, strlen(prefix)) != 0 || strstr(err.message, part) == NULL)
        fail_msg("message '%s' is not '%s...%s...'", err.message, prefix, part);
}

static void test_errors(void **state)
{
    expect_error("category x {\n  contents = {a}\n  outbound = reject\n}\n", 2, "contents");
    expect_error("category x {\n  content = {'/(open/'}\n  outbound = reject\n}\n", 2,
                 "missing closing parenthesis");
    expect_error("category x {\n  content = {'/(open/'}\n  outbound = reject\n}\n", 2,
                 "at offset 5");
    expect_error("category x {\n  content = {a}\n}\n", 3, "no action");
    expect_error("category x {\n  content = {\"\xd5\xfe\"}\n  outbound = seal\n}\n", 2,
                 "not UTF-8");
    expect_error("category x {\n  outbound = burn\n}\n", 2, "expected seal, refuse-seal");
    expect_error("category x {\n  inbound = maybe\n}\n", 2,
                 "expected none, flag-excluded or require-seal");
    expect_error("category X {\n  outbound = seal\n}\n", 3, "a-z, 0-9");
    expect_error("category x {\n  outbound = seal\n  threshold = 0\n}\n", 3, "threshold");
    expect_error("category x {\n  content = {\"\"}\n  outbound = seal\n}\n", 2, "empty term");
}

static void test_two_files(void **state)
{
    char a[4200], b[4200];
    const char *paths[2] = {a, b};
    eseal_policy *p;
    eseal_error err;

    snprintf(a, sizeof(a), "%s",
             testutil_write("a.policy", "category one {\n outbound = seal\n}\n", 0644));
    snprintf(b, sizeof(b), "%s",
             testutil_write("b.policy", "category two {\n inbound = none\n}\n", 0644));
    assert_int_equal(eseal_policy_load(&p, paths, 2, &err), 0);
    assert_int_equal(eseal_policy_category_count(p), 2);
    eseal_policy_free(p);
    snprintf(b, sizeof(b), "%s",
             testutil_write("b.policy", "category one {\n inbound = none\n}\n", 0644));
    assert_int_not_equal(eseal_policy_load(&p, paths, 2, &err), 0);
    assert_non_null(strstr(err.message, "category one is defined in two policy files"));
    eseal_policy_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_categories), cmocka_unit_test(test_message_fields_and_hits),
        cmocka_unit_test(test_errors),     cmocka_unit_test(test_two_files),
        cmocka_unit_test(test_literals),   cmocka_unit_test(test_prefilter_same_answers),
    };
    return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
