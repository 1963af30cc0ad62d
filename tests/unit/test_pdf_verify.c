/* test_pdf_verify.c - checking the signatures of PDFs: valid ones (made here and by poppler's
 * pdfsig), tampering, later revisions that change the document or only add signatures, and
 * every /ByteRange rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "eseal/cades.h"
#include "eseal/pades.h"
#include "eseal/trust.h"
#include "testutil.h"

#define OBJECTS_MAX 16        /* objects of one revision */
#define CONTENTS_HEX 16384    /* hex digits of the /Contents placeholder */
#define PDF_TIME_M 1767265200 /* 2026-01-01T11:00:00Z, the /M of every signature here */

/* A PDF written in memory revision by revision, signatures included. */
struct pdf {
    unsigned char *data;
    size_t len, cap;
    uint32_t nums[OBJECTS_MAX];
    size_t offsets[OBJECTS_MAX];
    size_t count;        /* objects of the revision being written */
    size_t prev;         /* the previous xref section, 0 when none */
    uint32_t size;       /* /Size */
    size_t range_at;     /* the '[' of the last signature's /ByteRange */
    size_t contents_at;  /* its /Contents '<' */
    size_t contents_end; /* past its '>' */
};

/* Append n bytes. */
static void put(struct pdf *p, const void *s, size_t n)
{
    if (p->len + n + 1 > p->cap) {
        p->cap = (p->len + n + 1) * 2;
        p->data = realloc(p->data, p->cap);
        assert_non_null(p->data);
    }
    memcpy(p->data + p->len, s, n);
    p->len += n;
    p->data[p->len] = '\0';
}

/* Append printf-style text. */
static void putf(struct pdf *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct pdf *p, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof(buf));
    put(p, buf, (size_t)n);
}

/* Start a PDF: its header. */
static void pdf_begin(struct pdf *p)
{
    memset(p, 0, sizeof(*p));
    putf(p, "%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n");
}

/* Start object num of the revision being written. */
static void obj_begin(struct pdf *p, uint32_t num)
{
    assert_true(p->count < OBJECTS_MAX);
    p->nums[p->count] = num;
    p->offsets[p->count++] = p->len;
    if (num + 1 > p->size)
        p->size = num + 1;
    putf(p, "%u 0 obj\n", num);
}

/* Write object num with body. */
static void obj(struct pdf *p, uint32_t num, const char *body)
{
    obj_begin(p, num);
    putf(p, "%s\nendobj\n", body);
}

/* Write object num as a stream of content. */
static void obj_stream(struct pdf *p, uint32_t num, const char *content)
{
    obj_begin(p, num);
    putf(p, "<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n", strlen(content), content);
}

/* A signature dictionary with room for its /ByteRange and /Contents. */
static void obj_sig(struct pdf *p, uint32_t num, const char *subfilter, const char *extra)
{
    size_t i;

    obj_begin(p, num);
    putf(p,
         "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /%s /M (D:20260101120000+01'00')\n"
         "%s /ByteRange ",
         subfilter, extra);
    p->range_at = p->len;
    putf(p, "[0 0000000000 0000000000 0000000000]\n/Contents ");
    p->contents_at = p->len;
    put(p, "<", 1);
    for (i = 0; i < CONTENTS_HEX; i++)
        put(p, "0", 1);
    put(p, ">", 1);
    p->contents_end = p->len;
    putf(p, " >>\nendobj\n");
}

/* End the revision: its xref table, trailer (with /Info when info is not 0) and %%EOF. */
static void pdf_revision(struct pdf *p, uint32_t info)
{
    size_t xref = p->len, i;

    putf(p, "xref\n");
    if (p->prev == 0)
        putf(p, "0 1\n0000000000 65535 f \n");
    for (i = 0; i < p->count; i++)
        putf(p, "%u 1\n%010zu 00000 n \n", p->nums[i], p->offsets[i]);
    putf(p, "trailer\n<< /Size %u /Root 1 0 R", p->size);
    if (info != 0)
        putf(p, " /Info %u 0 R", info);
    if (p->prev != 0)
        putf(p, " /Prev %zu", p->prev);
    putf(p, " >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    p->prev = xref;
    p->count = 0;
}

/* Rewrite the last signature's /ByteRange, keeping its width. */
static void set_range(struct pdf *p, unsigned r0, size_t r1, size_t r2, size_t r3)
{
    char buf[64];

    assert_true(r0 < 10);
    snprintf(buf, sizeof(buf), "[%u %010zu %010zu %010zu]", r0, r1, r2, r3);
    memcpy(p->data + p->range_at, buf, strlen(buf));
}

/* Sign the file as it is with the last signature dictionary, by the PKI seal name. */
static void pdf_sign(struct pdf *p, const char *name)
{
    eseal_seal *seal = testutil_seal(name);
    eseal_cades_signer *signer;
    unsigned char *der;
    size_t der_len, i, a = p->contents_at, b = p->contents_end;
    eseal_error err;

    set_range(p, 0, a, b, p->len - b);
    assert_int_equal(eseal_cades_signer_new(&signer, seal, &err), 0);
    eseal_cades_signer_omit_time(signer);
    assert_int_equal(eseal_cades_signer_update(signer, p->data, a, &err), 0);
    assert_int_equal(eseal_cades_signer_update(signer, p->data + b, p->len - b, &err), 0);
    if (eseal_cades_signer_finish(signer, &der, &der_len, &err) != 0)
        fail_msg("signing: %s", err.message);
    assert_true(der_len * 2 <= CONTENTS_HEX);
    for (i = 0; i < der_len; i++) {
        static const char hex[] = "0123456789ABCDEF";
        p->data[a + 1 + 2 * i] = (unsigned char)hex[der[i] >> 4];
        p->data[a + 2 + 2 * i] = (unsigned char)hex[der[i] & 15];
    }
    free(der);
    eseal_cades_signer_free(signer);
    eseal_seal_free(seal);
}

/* One page saying "Contract no. 42" with signature field Form.Seal1 (its /FT inherited from
 * its parent) holding signature dictionary 6 (with the extra entries), signed. */
static void make_signed_extra(struct pdf *p, const char *subfilter, const char *extra)
{
    pdf_begin(p);
    obj(p, 1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R] /SigFlags 3 >> >>");
    obj(p, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    obj(p, 3,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [5 0 R] "
        "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> "
        ">> >>");
    obj_stream(p, 4, "BT /F1 12 Tf 72 720 Td (Contract no. 42) Tj ET");
    obj(p, 5,
        "<< /Type /Annot /Subtype /Widget /Parent 9 0 R /T (Seal1) /Rect [0 0 0 0] /F 132 "
        "/P 3 0 R /V 6 0 R >>");
    obj_sig(p, 6, subfilter, extra);
    obj(p, 9, "<< /FT /Sig /T (Form) /Kids [5 0 R] >>");
    pdf_revision(p, 0);
    pdf_sign(p, "seal-rsa");
}

static void make_signed(struct pdf *p, const char *subfilter)
{
    make_signed_extra(p, subfilter, "");
}

/* Append a revision that adds signature field 7 (named in UTF-16) with signature 8 to the
 * page and (in_form) the form, and sign it. */
static void add_signature(struct pdf *p, const char *subfilter, int in_form)
{
    if (in_form) /* else only on the page, as poppler's pdfsig does with some forms */
        obj(p, 1,
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R 7 0 R] /SigFlags 3 >> "
            ">>");
    obj(p, 3,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Annots [5 0 R 7 0 R] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 "
        "/BaseFont /Helvetica >> >> >> >>");
    obj(p, 7,
        "<< /Type /Annot /Subtype /Widget /FT /Sig /T <FEFF004600FC0072> /Rect [0 0 0 0] "
        "/F 132 /P 3 0 R /V 8 0 R >>");
    obj_sig(p, 8, subfilter, "");
    pdf_revision(p, 0);
    pdf_sign(p, "seal-ec");
}

static void add_second_signature(struct pdf *p, const char *subfilter)
{
    add_signature(p, subfilter, 1);
}

/* Verify len bytes at data, which must hold want signatures, into *sigs (free() it). */
static eseal_pades_signature *verify(const unsigned char *data, size_t len, size_t want)
{
    eseal_trust *trust = testutil_trust(1);
    eseal_pades_signature *sigs = NULL;
    size_t count = 0;
    eseal_error err;

    if (eseal_pades_verify(trust, data, len, &sigs, &count, &err) != 0)
        fail_msg("verify: %s", err.message);
    eseal_trust_free(trust);
    if (count != want)
        fail_msg("%zu signatures found, %zu expected", count, want);
    return sigs;
}

/* The one signature of p must have result want and a reason containing reason_part. */
static void expect_one(const struct pdf *p, eseal_result want, const char *reason_part)
{
    eseal_pades_signature *sigs = verify(p->data, p->len, 1);

    if (sigs[0].verdict.result != want || strstr(sigs[0].verdict.reason, reason_part) == NULL)
        fail_msg("got %s (%s), want %s with \"%s\"", eseal_result_word(sigs[0].verdict.result),
                 sigs[0].verdict.reason, eseal_result_word(want), reason_part);
    free(sigs);
}

static void test_valid(void **state)
{
    struct pdf p;
    eseal_pades_signature *sigs;

    make_signed(&p, "ETSI.CAdES.detached");
    sigs = verify(p.data, p.len, 1);
    assert_int_equal(sigs[0].verdict.result, ESEAL_RESULT_PASS);
    assert_string_equal(sigs[0].field, "Form.Seal1");
    assert_string_equal(sigs[0].subfilter, "ETSI.CAdES.detached");
    assert_int_equal(sigs[0].pades, 1);
    assert_int_equal(sigs[0].later_signatures, 0);
    assert_int_equal(sigs[0].modified_after, 0);
    assert_string_equal(sigs[0].verdict.signer, "CN=Example Co. Seal,O=Example Co.,C=CN");
    assert_true(sigs[0].verdict.has_signing_time); /* no signing-time attribute: from /M */
    assert_int_equal((long long)sigs[0].verdict.signing_time, PDF_TIME_M);
    free(sigs);
    free(p.data);

    make_signed(&p, "adbe.pkcs7.detached");
    sigs = verify(p.data, p.len, 1);
    assert_int_equal(sigs[0].verdict.result, ESEAL_RESULT_PASS);
    assert_int_equal(sigs[0].pades, 0);
    assert_string_equal(sigs[0].subfilter, "adbe.pkcs7.detached");
    free(sigs);
    free(p.data);
}

static void test_no_signature(void **state)
{
    struct pdf p;
    eseal_trust *trust = testutil_trust(1);
    eseal_pades_signature *sigs = (eseal_pades_signature *)&p;
    size_t count = 1;
    eseal_error err;

    pdf_begin(&p);
    obj(&p, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    obj(&p, 2, "<< /Type /Pages /Kids [] /Count 0 >>");
    pdf_revision(&p, 0);
    assert_int_equal(eseal_pades_verify(trust, p.data, p.len, &sigs, &count, &err), 0);
    assert_null(sigs);
    assert_int_equal(count, 0);
    assert_int_equal(
        eseal_pades_verify(trust, (const unsigned char *)"hello", 5, &sigs, &count, &err),
        ESEAL_ERR_FORMAT);
    assert_null(sigs);
    eseal_trust_free(trust);
    free(p.data);
}

static void test_tampered_byte(void **state)
{
    struct pdf p;
    unsigned char *at;

    make_signed(&p, "ETSI.CAdES.detached");
    at = (unsigned char *)strstr((char *)p.data, "no. 42");
    assert_non_null(at);
    at[4] = '3';
    expect_one(&p, ESEAL_RESULT_FAIL, "digest");
    free(p.data);
}

static void test_later_signature(void **state)
{
    struct pdf p;
    eseal_pades_signature *sigs;

    make_signed(&p, "ETSI.CAdES.detached");
    add_second_signature(&p, "adbe.pkcs7.detached");
    sigs = verify(p.data, p.len, 2);
    assert_string_equal(sigs[0].field, "Form.Seal1");
    if (sigs[0].verdict.result != ESEAL_RESULT_PASS)
        fail_msg("first: %s", sigs[0].verdict.reason);
    assert_int_equal(sigs[0].later_signatures, 1);
    assert_int_equal(sigs[0].modified_after, 0);
    assert_string_equal(sigs[1].field, "F\xc3\xbcr");
    assert_int_equal(sigs[1].verdict.result, ESEAL_RESULT_PASS);
    assert_int_equal(sigs[1].pades, 0);
    assert_int_equal(sigs[1].later_signatures, 0);
    free(sigs);
    free(p.data);
}

/* A signature widget on a page but not in the form is found as well. */
static void test_signature_outside_form(void **state)
{
    struct pdf p;
    eseal_pades_signature *sigs;

    make_signed(&p, "ETSI.CAdES.detached");
    add_signature(&p, "ETSI.CAdES.detached", 0);
    sigs = verify(p.data, p.len, 2);
    assert_int_equal(sigs[0].verdict.result, ESEAL_RESULT_PASS);
    assert_int_equal(sigs[0].later_signatures, 1);
    assert_string_equal(sigs[1].field, "F\xc3\xbcr");
    assert_int_equal(sigs[1].verdict.result, ESEAL_RESULT_PASS);
    free(sigs);
    free(p.data);
}

/* Sign, append a revision of the objects in bodies (pairs of number and text, then NULL) with
 * /Info info (0: none), and expect result want with reason_part in the reason. */
static void expect_modified(const char *const *bodies, uint32_t info, eseal_result want,
                            const char *reason_part)
{
    struct pdf p;
    eseal_pades_signature *sigs;

    make_signed(&p, "ETSI.CAdES.detached");
    for (; bodies[0] != NULL; bodies += 2)
        obj(&p, (uint32_t)atoi(bodies[0]), bodies[1]);
    pdf_revision(&p, info);
    sigs = verify(p.data, p.len, 1);
    if (sigs[0].verdict.result != want || strstr(sigs[0].verdict.reason, reason_part) == NULL)
        fail_msg("got %s (%s), want %s with \"%s\"", eseal_result_word(sigs[0].verdict.result),
                 sigs[0].verdict.reason, eseal_result_word(want), reason_part);
    assert_int_equal(sigs[0].modified_after, want == ESEAL_RESULT_FAIL);
    free(sigs);
    free(p.data);
}

static void test_modified_after(void **state)
{
    static const char *const content[] = {
        "4", "<< /Length 46 >>\nstream\nBT /F1 12 Tf 72 720 Td (Contract no. 43) Tj ET\nendstream",
        NULL};
    static const char *const annotation[] = {
        "3",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Annots [5 0 R 7 0 R] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 "
        "/BaseFont /Helvetica >> >> >> >>",
        "7", "<< /Type /Annot /Subtype /FreeText /Rect [72 700 300 730] /Contents (VOID) >>", NULL};
    static const char *const open_action[] = {
        "1",
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R] /SigFlags 3 >> "
        "/OpenAction 7 0 R >>",
        "7", "<< /S /JavaScript /JS (app.alert\\(1\\)) >>", NULL};
    static const char *const widget_field[] = {
        /* a text field posing as a signature widget: its /FT is its own */
        "1", "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R 7 0 R] /SigFlags 3 >> >>",
        "7", "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Amount) /V (1000) /Rect [0 0 9 9] >>",
        NULL};
    static const char *const info[] = {"7", "<< /Producer (another tool) >>", NULL};
    static const char *const dss[] = {
        "1",
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R] /SigFlags 3 >> "
        "/DSS 7 0 R /Extensions << /ESIC << /BaseVersion /1.7 /ExtensionLevel 1 >> >> >>",
        "7",
        "<< /Type /DSS /Certs [8 0 R] >>",
        "8",
        "<< /Length 0 >>\nstream\n\nendstream",
        NULL};
    static const char *const unrelated[] = {"7", "<< /Anything (goes) >>", NULL};

    expect_modified(content, 0, ESEAL_RESULT_FAIL,
                    "modified-after-seal: object 4 (content stream of page 1) changed");
    expect_modified(annotation, 0, ESEAL_RESULT_FAIL,
                    "modified-after-seal: object 3 (page 1) changed: its /Annots gained entry "
                    "2, which is not a signature widget");
    expect_modified(open_action, 0, ESEAL_RESULT_FAIL,
                    "modified-after-seal: the document catalog's /OpenAction changed");
    expect_modified(widget_field, 0, ESEAL_RESULT_FAIL, "which is not a signature field");
    expect_modified(info, 7, ESEAL_RESULT_PASS, "valid seal");
    expect_modified(dss, 0, ESEAL_RESULT_PASS, "valid seal");
    expect_modified(unrelated, 0, ESEAL_RESULT_PASS, "valid seal");
}

/* A document with a second, empty signature field 10 whose appearance is stream 11 (shared:
 * the page draws that stream too), signed in field Seal1; then field 10 signed in a later
 * revision that draws its appearance anew in place, as signers do. */
static void sign_empty_field(struct pdf *p, int shared)
{
    pdf_begin(p);
    obj(p, 1,
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R 10 0 R] /SigFlags 3 >> >>");
    obj(p, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    obj(p, 3,
        shared ? "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                 "/Annots [5 0 R 10 0 R] /Resources << /XObject << /X 11 0 R >> >> >>"
               : "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                 "/Annots [5 0 R 10 0 R] >>");
    obj_stream(p, 4, shared ? "/X Do" : "0 0 m 10 10 l S");
    obj(p, 5,
        "<< /Type /Annot /Subtype /Widget /Parent 9 0 R /T (Seal1) /Rect [0 0 0 0] /F 132 "
        "/P 3 0 R /V 6 0 R >>");
    obj_sig(p, 6, "ETSI.CAdES.detached", "");
    obj(p, 9, "<< /FT /Sig /T (Form) /Kids [5 0 R] >>");
    obj(p, 10,
        "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Empty) /Rect [0 0 99 99] /P 3 0 R "
        "/AP << /N 11 0 R >> >>");
    obj(p, 11,
        "<< /Type /XObject /Subtype /Form /BBox [0 0 99 99] /Length 8 >>\nstream\n0 0 m S\n"
        "\nendstream");
    pdf_revision(p, 0);
    pdf_sign(p, "seal-rsa");
    obj(p, 10,
        "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Empty) /Rect [0 0 99 99] /P 3 0 R "
        "/AP << /N 11 0 R >> /V 12 0 R >>");
    obj(p, 11,
        "<< /Type /XObject /Subtype /Form /BBox [0 0 99 99] /Length 17 >>\nstream\n"
        "BT (Sealed) Tj ET\nendstream");
    obj_sig(p, 12, "ETSI.CAdES.detached", "");
    pdf_revision(p, 0);
    pdf_sign(p, "seal-ec");
}

static void test_sign_empty_field(void **state)
{
    struct pdf p;
    eseal_pades_signature *sigs;

    sign_empty_field(&p, 0);
    sigs = verify(p.data, p.len, 2);
    if (sigs[0].verdict.result != ESEAL_RESULT_PASS || sigs[0].later_signatures != 1)
        fail_msg("first: %s", sigs[0].verdict.reason);
    assert_string_equal(sigs[1].field, "Empty");
    assert_int_equal(sigs[1].verdict.result, ESEAL_RESULT_PASS);
    free(sigs);
    free(p.data);

    sign_empty_field(&p, 1); /* the new appearance changes what the page draws */
    sigs = verify(p.data, p.len, 2);
    if (sigs[0].verdict.result != ESEAL_RESULT_FAIL ||
        strstr(sigs[0].verdict.reason, "object 11 (appearance of a signature) changed") == NULL)
        fail_msg("shared appearance: %s", sigs[0].verdict.reason);
    assert_int_equal(sigs[1].verdict.result, ESEAL_RESULT_PASS);
    free(sigs);
    free(p.data);
}

/* Every /ByteRange rule, each broken by rewriting the numbers in place. */
static void test_byte_range(void **state)
{
    struct pdf p;
    size_t a, b, c;
    char five[64];

    make_signed(&p, "ETSI.CAdES.detached");
    a = p.contents_at, b = p.contents_end, c = p.len - b;

    set_range(&p, 1, a, b, c);
    expect_one(&p, ESEAL_RESULT_FAIL, "starts at 1");
    set_range(&p, 0, a + 2, b, c); /* the gap starts inside /Contents */
    expect_one(&p, ESEAL_RESULT_FAIL, "not exactly the /Contents string");
    set_range(&p, 0, a - 20, b, c); /* a second unsigned region before /Contents */
    expect_one(&p, ESEAL_RESULT_FAIL, "not exactly the /Contents string");
    set_range(&p, 0, a, b + 20, c - 20);
    expect_one(&p, ESEAL_RESULT_FAIL, "not exactly the /Contents string");
    set_range(&p, 0, a, b, c - 20); /* the tail unsigned */
    expect_one(&p, ESEAL_RESULT_FAIL, "not the end of a revision");
    set_range(&p, 0, a, b, c + 1);
    expect_one(&p, ESEAL_RESULT_FAIL, "past the end of the file");
    set_range(&p, 0, b, a, c);
    expect_one(&p, ESEAL_RESULT_FAIL, "does not follow");
    set_range(&p, 0, a, b, c);
    expect_one(&p, ESEAL_RESULT_PASS, "valid seal");
    snprintf(five, sizeof(five), "[0 %09zu 1 %09zu %010zu]", a, b, c); /* same width */
    memcpy(p.data + p.range_at, five, strlen(five));
    expect_one(&p, ESEAL_RESULT_FAIL, "not four non-negative integers");
    free(p.data);
}

static void test_unchecked_kinds(void **state)
{
    struct pdf p;

    make_signed(&p, "adbe.x509.rsa_sha1");
    expect_one(&p, ESEAL_RESULT_ERROR, "signatures of kind adbe.x509.rsa_sha1 are not checked");
    free(p.data);
    make_signed(&p, "ETSI.RFC3161");
    expect_one(&p, ESEAL_RESULT_ERROR, "document timestamps");
    free(p.data);
}

/* A certification that allows no change is broken by a later signature. */
static void test_certification(void **state)
{
    struct pdf p;
    eseal_pades_signature *sigs;

    make_signed_extra(&p, "ETSI.CAdES.detached",
                      "/Reference [<< /Type /SigRef /TransformMethod /DocMDP "
                      "/TransformParams << /Type /TransformParams /P 1 /V /1.2 >> >>]");
    expect_one(&p, ESEAL_RESULT_PASS, "valid seal");
    add_second_signature(&p, "ETSI.CAdES.detached");
    sigs = verify(p.data, p.len, 2);
    if (sigs[0].verdict.result != ESEAL_RESULT_FAIL ||
        strstr(sigs[0].verdict.reason, "the certification allows no change") == NULL)
        fail_msg("certified: %s", sigs[0].verdict.reason);
    assert_int_equal(sigs[0].modified_after, 1);
    assert_int_equal(sigs[1].verdict.result, ESEAL_RESULT_PASS);
    free(sigs);
    free(p.data);
}

/* Bytes after the signed revision: junk is no revision; a damaged revision fails. */
static void test_after_the_revision(void **state)
{
    static const unsigned char junk[] = "\n\0\0 junk 1 0 obj << >> endobj\n";
    struct pdf p;
    size_t len;

    make_signed(&p, "ETSI.CAdES.detached");
    len = p.len;
    put(&p, junk, sizeof(junk) - 1);
    expect_one(&p, ESEAL_RESULT_PASS, "valid seal");
    p.len = len;
    /* a new object harmless by itself, but startxref misses its xref table by 3 bytes */
    putf(&p,
         "7 0 obj\n<< /Producer (x) >>\nendobj\n"
         "xref\n7 1\n%010zu 00000 n \ntrailer\n<< /Size 8 /Root 1 0 R /Prev %zu >>\n"
         "startxref\n%zu\n%%%%EOF\n",
         len, p.prev, len + 32);
    expect_one(&p, ESEAL_RESULT_FAIL, "modified-after-seal: the revisions after it are damaged");
    free(p.data);
}

/* Signatures made by poppler's pdfsig with the test seal in an NSS database: one, then a
 * second in a later revision.  Skipped without pdfsig and the NSS tools. */
static void test_pdfsig(void **state)
{
    char cmd[16384], pass[256] = "", dir[4200], in[4300], one[4300], two[4300];
    const char *dir_base = testutil_tmpdir();
    struct pdf p;
    eseal_pades_signature *sigs;
    unsigned char *data;
    size_t len;
    FILE *f;
    int n;

    if (system("{ command -v pdfsig && command -v certutil && command -v pk12util; } >/dev/null") !=
        0)
        skip();
    f = fopen(testutil_pki("p12.pass"), "r");
    assert_non_null(f);
    assert_non_null(fgets(pass, sizeof(pass), f));
    fclose(f);
    pass[strcspn(pass, "\r\n")] = '\0';
    snprintf(dir, sizeof(dir), "%s/nss", dir_base);
    snprintf(in, sizeof(in), "%s/unsigned.pdf", dir_base);
    snprintf(one, sizeof(one), "%s/pdfsig-1.pdf", dir_base);
    snprintf(two, sizeof(two), "%s/pdfsig-2.pdf", dir_base);

    pdf_begin(&p);
    obj(&p, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    obj(&p, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    obj(&p, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>");
    obj_stream(&p, 4, "BT /F1 12 Tf 72 720 Td (Contract no. 42) Tj ET");
    pdf_revision(&p, 0);
    f = fopen(in, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p.data, 1, p.len, f), p.len);
    fclose(f);
    free(p.data);

    n = snprintf(cmd, sizeof(cmd),
                 "set -e; mkdir -p '%s'; certutil -N -d 'sql:%s' --empty-password; "
                 "pk12util -i '%s' -d 'sql:%s' -W '%s' >/dev/null; "
                 "pdfsig -add-signature -nssdir 'sql:%s' -nick 'Example Co. Seal' "
                 "-new-signature-field-name First '%s' '%s' 2>/dev/null; "
                 "pdfsig -add-signature -nssdir 'sql:%s' -nick 'Example Co. Seal' "
                 "-new-signature-field-name Second '%s' '%s' 2>/dev/null",
                 dir, dir, testutil_pki("seal-rsa.p12"), dir, pass, dir, in, one, dir, one, two);
    assert_true(n > 0 && (size_t)n < sizeof(cmd));
    if (system(cmd) != 0)
        fail_msg("pdfsig could not sign: %s", cmd);

    data = testutil_read_file(one, &len);
    sigs = verify(data, len, 1);
    if (sigs[0].verdict.result != ESEAL_RESULT_PASS)
        fail_msg("pdfsig signature: %s", sigs[0].verdict.reason);
    assert_string_equal(sigs[0].field, "First");
    assert_string_equal(sigs[0].subfilter, "adbe.pkcs7.detached");
    free(sigs);
    free(data);

    data = testutil_read_file(two, &len);
    sigs = verify(data, len, 2);
    if (sigs[0].verdict.result != ESEAL_RESULT_PASS || sigs[1].verdict.result != ESEAL_RESULT_PASS)
        fail_msg("pdfsig signatures: %s / %s", sigs[0].verdict.reason, sigs[1].verdict.reason);
    assert_string_equal(sigs[0].field, "First");
    assert_int_equal(sigs[0].later_signatures, 1);
    assert_string_equal(sigs[1].field, "Second");
    assert_int_equal(sigs[1].later_signatures, 0);
    free(sigs);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_no_signature),
        cmocka_unit_test(test_tampered_byte),
        cmocka_unit_test(test_later_signature),
        cmocka_unit_test(test_signature_outside_form),
        cmocka_unit_test(test_sign_empty_field),
        cmocka_unit_test(test_modified_after),
        cmocka_unit_test(test_byte_range),
        cmocka_unit_test(test_unchecked_kinds),
        cmocka_unit_test(test_certification),
        cmocka_unit_test(test_after_the_revision),
        cmocka_unit_test(test_pdfsig),
    };
    return cmocka_run_group_tests_name("pdf_verify", tests, NULL, NULL);
}
