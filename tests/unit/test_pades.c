/* test_pades.c - sealing PDFs in place: the incremental update's structure, its ByteRange and
 * CMS, xref tables and streams, repeated seals, and the documents that are refused. */
#define _GNU_SOURCE /* memmem, open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <openssl/cms.h>

#include "eseal/cades.h"
#include "eseal/pades.h"
#include "../../plugin-common/src/pdf_int.h"
#include "testutil.h"

/* A one-page document: catalog, page tree, page, content stream. */
static const char *const plain_objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
    "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << >> >>",
    "<< /Length 15 >>\nstream\n0 0 m 9 9 l S\n\nendstream",
};

/* Write a PDF of the n object bodies (object i + 1 is bodies[i]) with a classic xref table or
 * an xref stream (which is then object n + 1), trailer_extra inside the trailer dictionary
 * and no newline after %%EOF when cut_eol is set. */
static unsigned char *make_pdf(const char *const *bodies, size_t n, int xref_stream,
                               const char *trailer_extra, int cut_eol, size_t *len)
{
    char *data = NULL;
    size_t size = 0, i;
    long offsets[16], xref;
    FILE *f = open_memstream(&data, &size);

    assert_non_null(f);
    assert_true(n + 1 < 16);
    fputs("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", f);
    for (i = 0; i < n; i++) {
        offsets[i] = ftell(f);
        fprintf(f, "%zu 0 obj\n%s\nendobj\n", i + 1, bodies[i]);
    }
    xref = ftell(f);
    if (xref_stream) {
        offsets[n] = xref;
        fprintf(f,
                "%zu 0 obj\n<< /Type /XRef /Size %zu /W [1 4 2] /Index [0 %zu] /Root 1 0 R %s "
                "/Length %zu >>\nstream\n",
                n + 1, n + 2, n + 2, trailer_extra, (n + 2) * 7);
        fwrite("\0\0\0\0\0\xff\xff", 1, 7, f);
        for (i = 0; i <= n; i++) {
            unsigned char row[7] = {1,
                                    (unsigned char)(offsets[i] >> 24),
                                    (unsigned char)(offsets[i] >> 16),
                                    (unsigned char)(offsets[i] >> 8),
                                    (unsigned char)offsets[i],
                                    0,
                                    0};
            fwrite(row, 1, 7, f);
        }
        fputs("\nendstream\nendobj\n", f);
    } else {
        fprintf(f, "xref\n0 %zu\n0000000000 65535 f\r\n", n + 1);
        for (i = 0; i < n; i++)
            fprintf(f, "%010ld 00000 n\r\n", offsets[i]);
        fprintf(f, "trailer\n<< /Size %zu /Root 1 0 R %s >>\n", n + 1, trailer_extra);
    }
    fprintf(f, "startxref\n%ld\n%%%%EOF%s", xref, cut_eol ? "" : "\n");
    fclose(f);
    *len = size;
    return (unsigned char *)data;
}

/* Seal pdf with the PKI seal name; asserts success. */
static unsigned char *seal_pdf(const char *name, const eseal_pades_options *options,
                               const unsigned char *pdf, size_t len, size_t *out_len)
{
    eseal_seal *seal = testutil_seal(name);
    unsigned char *out;
    eseal_error err;

    if (eseal_pades_sign(seal, options, pdf, len, &out, out_len, &err) != 0)
        fail_msg("sealing: %s", err.message);
    eseal_seal_free(seal);
    return out;
}

/* The status of sealing pdf, and the message in err. */
static int seal_status(const unsigned char *pdf, size_t len, eseal_error *err)
{
    eseal_seal *seal = testutil_seal("seal-ec");
    unsigned char *out = NULL;
    size_t out_len;
    int rc = eseal_pades_sign(seal, NULL, pdf, len, &out, &out_len, err);

    assert_null(rc == 0 ? NULL : out);
    free(out);
    eseal_seal_free(seal);
    return rc;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Check the newest signature of a sealed PDF: a ByteRange that leaves out exactly its
 * /Contents hex string and covers the rest of the file, and a CMS in it that the test trust
 * passes over those bytes. */
static void check_signature(const unsigned char *out, size_t len)
{
    const char *trust_path = testutil_pki("trust.pem");
    const unsigned char *at = NULL, *p = out;
    unsigned long long br[4];
    unsigned char *der;
    size_t der_len, i;
    eseal_trust *trust;
    eseal_cades_verifier *verifier;
    eseal_verdict v;
    eseal_error err;

    while ((p = memmem(p, len - (size_t)(p - out), "/ByteRange [", 12)) != NULL)
        at = p++;
    assert_non_null(at);
    assert_int_equal(sscanf((const char *)at, "/ByteRange [%llu %llu %llu %llu]", &br[0], &br[1],
                            &br[2], &br[3]),
                     4);
    assert_int_equal(br[0], 0);
    assert_true(br[1] < br[2] && br[2] + br[3] == len);
    assert_int_equal(out[br[1]], '<');
    assert_int_equal(out[br[2] - 1], '>');
    assert_memory_equal(out + br[1] - 10, "/Contents ", 10);
    for (i = br[1] + 1; i < br[2] - 1; i++)
        assert_true(hex_value(out[i]) >= 0);
    /* The DER's own length says where it ends; the rest of the placeholder is zeros. */
    der_len = (br[2] - br[1] - 2) / 2;
    der = malloc(der_len);
    for (i = 0; i < der_len; i++)
        der[i] = (unsigned char)(hex_value(out[br[1] + 1 + 2 * i]) << 4 |
                                 hex_value(out[br[1] + 2 + 2 * i]));
    assert_int_equal(der[0], 0x30);
    assert_int_equal(der[1], 0x82);
    i = 4 + ((size_t)der[2] << 8 | der[3]);
    assert_true(i <= der_len);
    for (size_t j = i; j < der_len; j++)
        assert_int_equal(der[j], 0);
    der_len = i;

    if (eseal_trust_new(&trust, trust_path, NULL, 0, 2048, &err) != 0)
        fail_msg("trust: %s", err.message);
    if (eseal_cades_verifier_new(&verifier, trust, der, der_len, &err) != 0)
        fail_msg("verifier: %s", err.message);
    assert_int_equal(eseal_cades_verifier_update(verifier, out, br[1], &err), 0);
    assert_int_equal(eseal_cades_verifier_update(verifier, out + br[2], br[3], &err), 0);
    eseal_cades_verifier_finish(verifier, &v);
    if (v.result != ESEAL_RESULT_PASS)
        fail_msg("verdict %s: %s", eseal_result_word(v.result), v.reason);
    assert_false(v.has_signing_time); /* PAdES B-B: the time is /M */
    eseal_cades_verifier_free(verifier);
    eseal_trust_free(trust);
    free(der);
}

/* Re-open a sealed PDF and check the new field: the last of /AcroForm /Fields, named name,
 * a signature field whose widget is on the first page, with a PAdES signature dictionary. */
static void check_structure(const unsigned char *out, size_t len, const char *name,
                            size_t field_count)
{
    pdf_doc *doc;
    const pdf_obj *catalog, *form, *fields, *field, *sig, *page, *annots, *o;
    uint32_t page_num;
    eseal_error err;
    size_t i;
    int found = 0;

    if (pdf_doc_open(&doc, out, len, &err) != 0)
        fail_msg("re-open: %s", err.message);
    assert_false(pdf_doc_repaired(doc));
    assert_int_equal(pdf_doc_dict_get(doc, pdf_doc_trailer(doc), "Root", &catalog, &err), 0);
    assert_int_equal(pdf_doc_dict_get(doc, catalog, "AcroForm", &form, &err), 0);
    assert_non_null(form);
    assert_int_equal(pdf_doc_dict_get(doc, form, "SigFlags", &o, &err), 0);
    assert_true(o != NULL && o->type == PDF_INT && (o->u.integer & 3) == 3);
    assert_int_equal(pdf_doc_dict_get(doc, form, "Fields", &fields, &err), 0);
    assert_true(fields != NULL && fields->type == PDF_ARRAY);
    assert_int_equal(fields->u.array.len, field_count);
    o = fields->u.array.items[field_count - 1];
    assert_int_equal(o->type, PDF_REF);
    assert_int_equal(pdf_doc_resolve(doc, o, &field, &err), 0);
    assert_true(pdf_name_is(pdf_dict_get(field, "FT"), "Sig"));
    assert_true(pdf_name_is(pdf_dict_get(field, "Subtype"), "Widget"));
    assert_int_equal(pdf_doc_dict_get(doc, field, "T", &o, &err), 0);
    assert_true(o != NULL && o->type == PDF_STRING);
    assert_string_equal((const char *)o->u.str.data, name);
    assert_int_equal(pdf_doc_dict_get(doc, field, "V", &sig, &err), 0);
    assert_true(pdf_name_is(pdf_dict_get(sig, "Type"), "Sig"));
    assert_true(pdf_name_is(pdf_dict_get(sig, "Filter"), "Adobe.PPKLite"));
    assert_true(pdf_name_is(pdf_dict_get(sig, "SubFilter"), "ETSI.CAdES.detached"));
    o = pdf_dict_get(sig, "M");
    assert_true(o != NULL && o->type == PDF_STRING && memcmp(o->u.str.data, "D:", 2) == 0);

    assert_int_equal(pdf_doc_page(doc, 0, &page_num, &page, &err), 0);
    o = pdf_dict_get(field, "P");
    assert_true(o != NULL && o->type == PDF_REF && o->u.ref.num == page_num);
    assert_int_equal(pdf_doc_dict_get(doc, page, "Annots", &annots, &err), 0);
    assert_true(annots != NULL && annots->type == PDF_ARRAY);
    for (i = 0; i < annots->u.array.len; i++)
        if (annots->u.array.items[i]->type == PDF_REF &&
            annots->u.array.items[i]->u.ref.num ==
                fields->u.array.items[field_count - 1]->u.ref.num)
            found = 1;
    assert_true(found);
    pdf_doc_free(doc);
}

static int newest_xref_is_stream(const unsigned char *out, size_t len)
{
    pdf_doc *doc;
    eseal_error err;
    int stream;

    if (pdf_doc_open(&doc, out, len, &err) != 0)
        fail_msg("re-open: %s", err.message);
    stream = pdf_doc_xref_is_stream(doc);
    pdf_doc_free(doc);
    return stream;
}

static void test_classic_xref(void **state)
{
    size_t len, out_len;
    unsigned char *pdf = make_pdf(plain_objects, 4, 0, "", 0, &len);
    unsigned char *out = seal_pdf("seal-rsa", NULL, pdf, len, &out_len);

    assert_true(out_len > len);
    assert_memory_equal(out, pdf, len); /* every earlier byte stays */
    check_signature(out, out_len);
    check_structure(out, out_len, "ESeal1", 1);
    assert_false(newest_xref_is_stream(out, out_len));
    free(out);
    free(pdf);
}

static void test_xref_stream(void **state)
{
    size_t len, out_len;
    unsigned char *pdf = make_pdf(plain_objects, 4, 1, "", 0, &len);
    unsigned char *out = seal_pdf("seal-ec", NULL, pdf, len, &out_len);

    assert_memory_equal(out, pdf, len);
    check_signature(out, out_len);
    check_structure(out, out_len, "ESeal1", 1);
    assert_true(newest_xref_is_stream(out, out_len));
    free(out);
    free(pdf);
}

/* A second seal over the first keeps it, adds a second field, and both hold. */
static void test_seal_twice(void **state)
{
    size_t len, once_len, twice_len;
    unsigned char *pdf = make_pdf(plain_objects, 4, 0, "", 0, &len);
    unsigned char *once = seal_pdf("seal-ec", NULL, pdf, len, &once_len);
    unsigned char *twice = seal_pdf("seal-ec384", NULL, once, once_len, &twice_len);

    assert_memory_equal(twice, once, once_len);
    check_signature(twice, twice_len);
    check_structure(twice, twice_len, "ESeal2", 2);
    free(twice);
    free(once);
    free(pdf);
}

/* A form that is an object of its own with a /Fields array of its own, whose field already
 * has the default name: both objects are rewritten, the old field kept. */
static void test_existing_form(void **state)
{
    static const char *const objects[] = {
        "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots 7 0 R >>",
        "<< /Length 15 >>\nstream\n0 0 m 9 9 l S\n\nendstream",
        "<< /Fields 6 0 R /DA (/Helv 0 Tf 0 g) >>",
        "[8 0 R]",
        "[8 0 R]",
        "<< /FT /Tx /T (ESeal1) /Type /Annot /Subtype /Widget /Rect [10 10 50 30] /P 3 0 R >>",
    };
    size_t len, out_len;
    unsigned char *pdf = make_pdf(objects, 8, 0, "", 0, &len);
    unsigned char *out = seal_pdf("seal-ec", NULL, pdf, len, &out_len);

    check_signature(out, out_len);
    check_structure(out, out_len, "ESeal2", 2);
    /* The rewritten objects are the form and both arrays, not the catalog or the page. */
    assert_non_null(memmem(out + len, out_len - len, "\n5 0 obj", 8));
    assert_non_null(memmem(out + len, out_len - len, "\n6 0 obj", 8));
    assert_non_null(memmem(out + len, out_len - len, "\n7 0 obj", 8));
    assert_null(memmem(out + len, out_len - len, "\n1 0 obj", 8));
    assert_null(memmem(out + len, out_len - len, "\n3 0 obj", 8));
    free(out);
    free(pdf);
}

/* Options: a non-ASCII name is UTF-16BE, reason and location are there, /M is the time. */
static void test_options(void **state)
{
    eseal_pades_options options = {0};
    size_t len, out_len;
    unsigned char *pdf = make_pdf(plain_objects, 4, 0, "", 1, &len);
    unsigned char *out;
    static const unsigned char name_utf16[] = {0xfe, 0xff, 0x00, 'S',  0x00, 'o',  0x00, 'c',
                                               0x00, 'i',  0x00, 0xe9, 0x00, 't',  0x00, 0xe9,
                                               0x00, ' ',  0x6d, 0x4b, 0xd8, 0x3d, 0xde, 0x00};

    options.name = "Soci\xc3\xa9t\xc3\xa9 \xe6\xb5\x8b\xf0\x9f\x98\x80";
    options.reason = "Sealed (by policy)";
    options.location = "Paris";
    options.when = 1700000000; /* 2023-11-14 22:13:20 UTC */
    out = seal_pdf("seal-rsa", &options, pdf, len, &out_len);
    assert_memory_equal(out, pdf, len);
    assert_int_equal(out[len], '\n'); /* the input did not end with one */
    check_signature(out, out_len);

    pdf_doc *doc;
    const pdf_obj *catalog, *form, *fields, *field, *sig, *o;
    eseal_error err;

    assert_int_equal(pdf_doc_open(&doc, out, out_len, &err), 0);
    assert_int_equal(pdf_doc_dict_get(doc, pdf_doc_trailer(doc), "Root", &catalog, &err), 0);
    assert_int_equal(pdf_doc_dict_get(doc, catalog, "AcroForm", &form, &err), 0);
    assert_int_equal(pdf_doc_dict_get(doc, form, "Fields", &fields, &err), 0);
    assert_int_equal(pdf_doc_resolve(doc, fields->u.array.items[0], &field, &err), 0);
    assert_int_equal(pdf_doc_dict_get(doc, field, "V", &sig, &err), 0);
    o = pdf_dict_get(sig, "Name");
    assert_int_equal(o->u.str.len, sizeof(name_utf16));
    assert_memory_equal(o->u.str.data, name_utf16, sizeof(name_utf16));
    o = pdf_dict_get(sig, "Reason");
    assert_string_equal((const char *)o->u.str.data, "Sealed (by policy)");
    o = pdf_dict_get(sig, "Location");
    assert_string_equal((const char *)o->u.str.data, "Paris");
    o = pdf_dict_get(sig, "M");
    assert_string_equal((const char *)o->u.str.data, "D:20231114221320+00'00'");
    pdf_doc_free(doc);
    free(out);
    free(pdf);
}

/* Without a name option /Name is the seal certificate's common name. */
static void test_default_name(void **state)
{
    size_t len, out_len;
    unsigned char *pdf = make_pdf(plain_objects, 4, 0, "", 0, &len);
    unsigned char *out = seal_pdf("seal-rsa", NULL, pdf, len, &out_len);

    assert_non_null(memmem(out + len, out_len - len, "/Name (Example Co. Seal)", 24));
    free(out);
    free(pdf);
}

/* A 4x4 RGBA PNG: the stamp image of the visible seal. */
static const unsigned char stamp_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x06, 0x00, 0x00,
    0x00, 0xa9, 0xf1, 0x9e, 0x7e, 0x00, 0x00, 0x00, 0x18, 0x49, 0x44, 0x41, 0x54, 0x78,
    0xda, 0x63, 0x38, 0x21, 0x27, 0xc7, 0x00, 0xc4, 0xff, 0x61, 0x34, 0x0a, 0x07, 0x44,
    0x33, 0x10, 0x54, 0x01, 0x00, 0x3e, 0xad, 0x18, 0x39, 0xb9, 0x63, 0x0f, 0xca, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

/* The number at index i of a rectangle array. */
static double rect_at(const pdf_obj *rect, size_t i)
{
    const pdf_obj *o = rect->u.array.items[i];

    return o->type == PDF_INT ? (double)o->u.integer : o->u.real;
}

/* A visible seal on the last page goes in the chosen corner of the page's CropBox, 36 points
 * in, and its widget's appearance is the stamp's form. */
static void test_visible_stamp(void **state)
{
    static const char *const objects[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 /MediaBox [0 0 595 842] >>",
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        "<< /Length 15 >>\nstream\n0 0 m 9 9 l S\n\nendstream",
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /CropBox [100 100 500 700] >>",
    };
    eseal_pades_options options = {0};
    size_t len, out_len;
    unsigned char *pdf = make_pdf(objects, 5, 0, "", 0, &len);
    unsigned char *out;
    pdf_doc *doc;
    const pdf_obj *catalog, *form, *fields, *field, *rect, *ap, *n, *p;
    eseal_error err;

    options.stamp_png = stamp_png;
    options.stamp_png_len = sizeof(stamp_png);
    options.stamp_corner = ESEAL_STAMP_BOTTOM_RIGHT;
    options.stamp_page = -1;
    out = seal_pdf("seal-ec", &options, pdf, len, &out_len);
    check_signature(out, out_len);
    assert_int_equal(pdf_doc_open(&doc, out, out_len, &err), 0);
    assert_int_equal(pdf_doc_dict_get(doc, pdf_doc_trailer(doc), "Root", &catalog, &err), 0);
    assert_int_equal(pdf_doc_dict_get(doc, catalog, "AcroForm", &form, &err), 0);
    assert_int_equal(pdf_doc_dict_get(doc, form, "Fields", &fields, &err), 0);
    assert_int_equal(pdf_doc_resolve(doc, fields->u.array.items[0], &field, &err), 0);
    p = pdf_dict_get(field, "P");
    assert_int_equal(p->u.ref.num, 5);
    rect = pdf_dict_get(field, "Rect");
    assert_true(rect != NULL && rect->type == PDF_ARRAY && rect->u.array.len == 4);
    assert_true(rect_at(rect, 0) > 100 && rect_at(rect, 0) < rect_at(rect, 2));
    assert_true(rect_at(rect, 2) > 463.9 && rect_at(rect, 2) < 464.1);
    assert_true(rect_at(rect, 1) > 135.9 && rect_at(rect, 1) < 136.1);
    assert_true(rect_at(rect, 3) > rect_at(rect, 1) && rect_at(rect, 3) < 700);
    assert_int_equal(pdf_doc_dict_get(doc, field, "AP", &ap, &err), 0);
    assert_int_equal(pdf_doc_dict_get(doc, ap, "N", &n, &err), 0);
    assert_true(n != NULL && n->type == PDF_STREAM);
    assert_true(pdf_name_is(pdf_dict_get(n, "Subtype"), "Form"));
    pdf_doc_free(doc);
    free(out);
    free(pdf);
}

static void test_refused(void **state)
{
    static const char *const certified[] = {
        "<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP 5 0 R >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        "<< /Length 15 >>\nstream\n0 0 m 9 9 l S\n\nendstream",
        ("<< /Type /Sig /Reference [<< /Type /SigRef /TransformMethod /DocMDP "
         "/TransformParams << /Type /TransformParams /P 1 /V /1.2 >> >>] >>"),
    };
    static const char *const no_page[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [] /Count 0 >>",
    };
    static const char *const encrypted[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
        "<< /Type /Page /Parent 2 0 R >>",
        "<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <00> /U <00> >>",
    };
    size_t len;
    unsigned char *pdf;
    eseal_error err;

    pdf = make_pdf(encrypted, 4, 0, "/Encrypt 4 0 R /ID [<01> <01>]", 0, &len);
    assert_int_equal(seal_status(pdf, len, &err), ESEAL_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "encrypted"));
    free(pdf);

    pdf = make_pdf(certified, 5, 0, "", 0, &len);
    assert_int_equal(seal_status(pdf, len, &err), ESEAL_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "DocMDP"));
    free(pdf);

    pdf = make_pdf(no_page, 2, 1, "", 0, &len);
    assert_int_equal(seal_status(pdf, len, &err), ESEAL_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "no page"));
    free(pdf);

    assert_int_equal(seal_status((const unsigned char *)"PK\3\4 not a pdf", 15, &err),
                     ESEAL_ERR_FORMAT);
}

/* A certification that allows form filling and signing (/P 2) does not stop a seal. */
static void test_certified_p2(void **state)
{
    static const char *const certified[] = {
        "<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP 5 0 R >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        "<< /Length 15 >>\nstream\n0 0 m 9 9 l S\n\nendstream",
        ("<< /Type /Sig /Reference [<< /Type /SigRef /TransformMethod /DocMDP "
         "/TransformParams << /Type /TransformParams /P 2 /V /1.2 >> >>] >>"),
    };
    size_t len, out_len;
    unsigned char *pdf = make_pdf(certified, 5, 0, "", 0, &len);
    unsigned char *out = seal_pdf("seal-ec", NULL, pdf, len, &out_len);

    check_structure(out, out_len, "ESeal1", 1);
    free(out);
    free(pdf);
}

static void test_is_pdf(void **state)
{
    static const char junk_then_header[] = "junk junk\r\n%PDF-1.4\n";

    assert_true(eseal_pades_is_pdf((const unsigned char *)"%PDF-1.7\n", 9));
    assert_true(
        eseal_pades_is_pdf((const unsigned char *)junk_then_header, sizeof(junk_then_header) - 1));
    assert_false(eseal_pades_is_pdf((const unsigned char *)"%PDF", 4));
    assert_false(eseal_pades_is_pdf((const unsigned char *)"", 0));

    unsigned char late[2048];
    memset(late, ' ', sizeof(late));
    memcpy(late + 1100, "%PDF-1.4", 8);
    assert_false(eseal_pades_is_pdf(late, sizeof(late)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classic_xref),  cmocka_unit_test(test_xref_stream),
        cmocka_unit_test(test_seal_twice),    cmocka_unit_test(test_existing_form),
        cmocka_unit_test(test_options),       cmocka_unit_test(test_default_name),
        cmocka_unit_test(test_visible_stamp), cmocka_unit_test(test_refused),
        cmocka_unit_test(test_certified_p2),  cmocka_unit_test(test_is_pdf),
    };
    return cmocka_run_group_tests_name("pades", tests, NULL, NULL);
}
