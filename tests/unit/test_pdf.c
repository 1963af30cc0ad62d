/* test_pdf.c - the PDF reader (pdf_int.h) and the buffer (buf_int.h) on small PDFs made here:
 * xref tables, xref streams, object streams, hybrid files, incremental updates, broken and
 * hostile structures, stream predictors, and writing values back. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../plugin-common/src/pdf_int.h"
#include "pdf_maker.h"

static void test_buf(void **state)
{
    eseal_buf b;
    eseal_error err;
    unsigned char *p;
    size_t len;

    eseal_buf_init(&b, 10);
    assert_int_equal(eseal_buf_puts(&b, "abc"), 0);
    assert_int_equal(eseal_buf_printf(&b, "%d-%s", 42, "x"), 0);
    assert_string_equal((char *)b.data, "abc42-x");
    assert_int_equal(eseal_buf_puts(&b, "toolong"), ESEAL_ERR_LIMIT);
    assert_int_equal(b.len, 7); /* the failed append left it as it was */
    assert_int_equal(eseal_buf_puts(&b, "z"), ESEAL_ERR_LIMIT); /* and it stays failed */
    assert_int_equal(eseal_buf_status(&b, "test document", &err), ESEAL_ERR_LIMIT);
    assert_non_null(strstr(err.message, "test document"));
    eseal_buf_free(&b);

    eseal_buf_init(&b, 100);
    assert_int_equal(eseal_buf_append(&b, "\0\1", 2), 0);
    assert_int_equal(eseal_buf_status(&b, "x", NULL), 0);
    p = eseal_buf_steal(&b, &len);
    assert_int_equal(len, 2);
    assert_int_equal(p[1], 1);
    assert_int_equal(p[2], 0);
    assert_null(b.data);
    free(p);
    p = eseal_buf_steal(&b, &len); /* empty: still a NUL-terminated buffer */
    assert_non_null(p);
    assert_int_equal(len, 0);
    free(p);
    eseal_buf_free(&b);
    eseal_buf_free(NULL);
}

static void test_table(void **state)
{
    struct maker m;
    pdf_doc *doc;
    const pdf_obj *cat, *page, *o, *v, *box;
    unsigned char *data;
    size_t len, count, at;
    uint32_t num;
    pdf_entry e;
    const char *contents;

    maker_init(&m, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    maker_page(&m);
    maker_obj(&m, 5, "<< /Contents <0011ff> /Name (a\\)b) >>");
    at = maker_table(&m, 0, 6, "/Size 6 /Root 1 0 R");
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    assert_false(pdf_doc_repaired(doc));
    assert_false(pdf_doc_encrypted(doc));
    assert_false(pdf_doc_xref_is_stream(doc));
    assert_int_equal(pdf_doc_version(doc), 14);
    assert_int_equal(pdf_doc_size(doc), 6);
    assert_int_equal(pdf_doc_startxref(doc), at);
    pdf_doc_entry(doc, 3, &e);
    assert_int_equal(e.type, PDF_ENTRY_OFFSET);
    assert_int_equal(e.offset, m.offset[3]);
    pdf_doc_entry(doc, 0, &e);
    assert_int_equal(e.type, PDF_ENTRY_FREE);
    pdf_doc_entry(doc, 99, &e);
    assert_int_equal(e.type, PDF_ENTRY_FREE);

    assert_int_equal(pdf_doc_dict_get(doc, pdf_doc_trailer(doc), "Root", &cat, NULL), 0);
    assert_ptr_equal(cat, get(doc, 1)); /* cached: the same pointer */
    assert_true(pdf_name_is(pdf_dict_get(cat, "Type"), "Catalog"));
    assert_null(pdf_dict_get(cat, "Missing"));
    assert_int_equal(get(doc, 0)->type, PDF_NULL);
    assert_int_equal(get(doc, 77)->type, PDF_NULL);

    assert_int_equal(pdf_doc_page_count(doc, &count, NULL), 0);
    assert_int_equal(count, 1);
    assert_int_equal(pdf_doc_page(doc, 0, &num, &page, NULL), 0);
    assert_int_equal(num, 3);
    assert_ptr_equal(page, get(doc, 3));
    assert_int_equal(pdf_doc_page(doc, 1, &num, &page, NULL), ESEAL_ERR_NOTFOUND);
    assert_int_equal(pdf_doc_page(doc, 0, &num, &page, NULL), 0);
    assert_int_equal(pdf_doc_inherited(doc, page, "MediaBox", &box, NULL), 0);
    assert_non_null(box);
    assert_int_equal(box->type, PDF_ARRAY);
    assert_int_equal(box->u.array.len, 4);
    assert_int_equal(box->u.array.items[3]->u.integer, 792);
    assert_int_equal(pdf_doc_inherited(doc, page, "Rotate", &v, NULL), 0);
    assert_null(v);

    o = get(doc, 4);
    assert_int_equal(o->type, PDF_STREAM);
    assert_int_equal(dict_int(doc, o, "Length"), 23);
    assert_int_equal(o->u.stream.raw_len, 23);
    assert_int_equal(pdf_doc_stream_data(doc, o, 100, &data, &len, NULL), 0);
    assert_int_equal(len, 23);
    assert_memory_equal(data, "BT /F1 12 Tf (Hi) Tj ET", 23);
    assert_int_equal(data[len], 0);
    free(data);
    assert_int_equal(pdf_doc_stream_data(doc, o, 10, &data, &len, NULL), ESEAL_ERR_LIMIT);

    /* The offsets a verifier checks a /ByteRange against. */
    v = pdf_dict_get(get(doc, 5), "Contents");
    contents = memmem(m.b.data, m.b.len, "<0011ff>", 8);
    assert_non_null(contents);
    assert_int_equal(v->type, PDF_STRING);
    assert_true(v->u.str.hex);
    assert_int_equal(v->offset, (size_t)(contents - (const char *)m.b.data));
    assert_int_equal(v->end, v->offset + 8);
    assert_int_equal(v->u.str.len, 3);
    assert_memory_equal(v->u.str.data, "\x00\x11\xff", 3);
    v = pdf_dict_get(get(doc, 5), "Name");
    assert_int_equal(v->end - v->offset, 6);
    assert_string_equal((char *)v->u.str.data, "a)b");
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
}

/* Parse one value written as object 1 of a small file. */
static const pdf_obj *parse_one(pdf_doc **doc, struct maker *m, const char *text)
{
    size_t at;

    maker_init(m, "%PDF-1.7\n");
    maker_obj(m, 1, text);
    maker_obj(m, 2, "<< /Type /Catalog /Pages 3 0 R >>");
    maker_obj(m, 3, "<< /Type /Pages /Kids [] /Count 0 >>");
    at = maker_table(m, 0, 4, "/Size 4 /Root 2 0 R");
    maker_startxref(m, at);
    *doc = open_ok(&m->b);
    return get(*doc, 1);
}

static void test_syntax(void **state)
{
    struct maker m;
    pdf_doc *doc;
    const pdf_obj *o, *v;

    o = parse_one(
        &doc, &m,
        "<< /Lit (a(b)c\\n\\101\\0537\\\n-\\q) /Hex <41 4 > /Nm /A#20B#2x /E ()"
        " /Int -17 /Real -.5 /R2 +3.25 /T true /F false /N null"
        " /Arr [1 0 R 2 [ ] 3 4 5 R] /Dup 1 /Dup 2 % comment\n /Big 99999999999999999999 >>");
    assert_int_equal(o->type, PDF_DICT);
    v = pdf_dict_get(o, "Lit");
    assert_int_equal(v->u.str.len, 11);
    assert_memory_equal(v->u.str.data, "a(b)c\nA+7-q", 11);
    v = pdf_dict_get(o, "Hex");
    assert_int_equal(v->u.str.len, 2);
    assert_memory_equal(v->u.str.data, "A@", 2);
    assert_true(pdf_name_is(pdf_dict_get(o, "Nm"), "A B#2x"));
    assert_int_equal(pdf_dict_get(o, "E")->u.str.len, 0);
    assert_int_equal(pdf_dict_get(o, "Int")->u.integer, -17);
    assert_true(pdf_dict_get(o, "Real")->type == PDF_REAL);
    assert_true(pdf_dict_get(o, "Real")->u.real == -0.5);
    assert_true(pdf_dict_get(o, "R2")->u.real == 3.25);
    assert_int_equal(pdf_dict_get(o, "T")->u.boolean, 1);
    assert_int_equal(pdf_dict_get(o, "F")->u.boolean, 0);
    assert_int_equal(pdf_dict_get(o, "N")->type, PDF_NULL);
    assert_int_equal(pdf_dict_get(o, "Big")->type, PDF_REAL);
    v = pdf_dict_get(o, "Arr");
    assert_int_equal(v->u.array.len, 5);
    assert_int_equal(v->u.array.items[0]->type, PDF_REF);
    assert_int_equal(v->u.array.items[0]->u.ref.num, 1);
    assert_int_equal(v->u.array.items[1]->u.integer, 2);
    assert_int_equal(v->u.array.items[2]->u.array.len, 0);
    assert_int_equal(v->u.array.items[3]->type, PDF_INT);
    assert_int_equal(v->u.array.items[4]->u.ref.num, 4);
    assert_int_equal(v->u.array.items[4]->u.ref.gen, 5);
    assert_int_equal(pdf_dict_get(o, "Dup")->u.integer, 2); /* the last wins */
    assert_int_equal(o->u.dict.len, 13);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);

    /* A broken object reads as null; the file still opens. */
    o = parse_one(&doc, &m, "<< /A (unclosed >>");
    assert_int_equal(o->type, PDF_NULL);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
}

static void test_dict_many_keys(void **state)
{
    struct maker m;
    pdf_doc *doc;
    const pdf_obj *o;
    eseal_buf text;
    int i;

    eseal_buf_init(&text, 1 << 20);
    eseal_buf_puts(&text, "<<");
    for (i = 0; i < 100; i++)
        eseal_buf_printf(&text, " /K%d %d", i % 60, i);
    eseal_buf_puts(&text, " >>");
    o = parse_one(&doc, &m, (char *)text.data);
    assert_int_equal(o->u.dict.len, 60);
    assert_string_equal(o->u.dict.keys[0], "K0");
    assert_int_equal(pdf_dict_get(o, "K0")->u.integer, 60);
    assert_int_equal(pdf_dict_get(o, "K59")->u.integer, 59);
    assert_int_equal(pdf_dict_get(o, "K39")->u.integer, 99);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
    eseal_buf_free(&text);
}

/* Append an xref stream (object num) with /W [1 2 1] of entries (type, f2, f3), rows
 * encoded with PNG predictor Up and stored in zlib; returns its offset. */
static size_t maker_xref_stream(struct maker *m, unsigned num, const unsigned (*entries)[3],
                                size_t n, const char *index, const char *extra)
{
    static const unsigned tags[] = {2, 1, 0, 4, 3};
    eseal_buf raw, png, z;
    size_t i, at;
    char dict[512];

    eseal_buf_init(&raw, 1 << 20);
    eseal_buf_init(&png, 1 << 20);
    eseal_buf_init(&z, 1 << 20);
    for (i = 0; i < n; i++) {
        unsigned char row[4] = {(unsigned char)entries[i][0], (unsigned char)(entries[i][1] >> 8),
                                (unsigned char)entries[i][1], (unsigned char)entries[i][2]};
        eseal_buf_append(&raw, row, 4);
    }
    png_encode(&png, raw.data, raw.len, 4, 1, tags, 5);
    zstore(&z, png.data, png.len);
    at = m->b.len;
    snprintf(dict, sizeof(dict),
             " /Type /XRef /W [1 2 1] %s /Filter /FlateDecode"
             " /DecodeParms << /Predictor 12 /Columns 4 >> %s",
             index, extra);
    maker_stream(m, num, dict, z.data, z.len);
    eseal_buf_free(&raw);
    eseal_buf_free(&png);
    eseal_buf_free(&z);
    return at;
}

/* Append object stream num holding the objects nums[i] with bodies texts[i]. */
static void maker_objstm(struct maker *m, unsigned num, const unsigned *nums,
                         const char *const *texts, size_t n)
{
    eseal_buf head, body, z;
    size_t i;
    char dict[128];

    eseal_buf_init(&head, 1 << 16);
    eseal_buf_init(&body, 1 << 16);
    eseal_buf_init(&z, 1 << 17);
    for (i = 0; i < n; i++) {
        eseal_buf_printf(&head, "%u %zu ", nums[i], body.len);
        eseal_buf_printf(&body, "%s\n", texts[i]);
    }
    eseal_buf_append(&head, body.data, body.len);
    zstore(&z, head.data, head.len);
    snprintf(dict, sizeof(dict), " /Type /ObjStm /N %zu /First %zu /Filter /FlateDecode", n,
             head.len - body.len);
    maker_stream(m, num, dict, z.data, z.len);
    eseal_buf_free(&head);
    eseal_buf_free(&body);
    eseal_buf_free(&z);
}

static void test_xref_stream_objstm(void **state)
{
    static const unsigned nums[] = {1, 2, 3};
    static const char *const texts[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [4 0 R] /Count 1 /Resources << /Font << >> >> >>",
        "<< /Text (in a stream) >>"};
    struct maker m;
    pdf_doc *doc;
    const pdf_obj *o, *page;
    unsigned entries[7][3];
    size_t at, count;
    uint32_t num;
    pdf_entry e;
    char index[64];

    maker_init(&m, "%PDF-1.5\n");
    maker_objstm(&m, 5, nums, texts, 3);
    maker_obj(&m, 4, "<< /Type /Page /Parent 2 0 R >>");
    memset(entries, 0, sizeof(entries));
    entries[0][0] = 0;
    entries[0][2] = 255;
    entries[1][0] = entries[2][0] = entries[3][0] = 2;
    entries[1][1] = entries[2][1] = entries[3][1] = 5;
    entries[2][2] = 1;
    entries[3][2] = 2;
    entries[4][0] = entries[5][0] = entries[6][0] = 1;
    entries[4][1] = (unsigned)m.offset[4];
    entries[5][1] = (unsigned)m.offset[5];
    entries[6][1] = (unsigned)m.b.len;
    snprintf(index, sizeof(index), "/Size 7");
    at = maker_xref_stream(&m, 6, (const unsigned(*)[3])entries, 7, index, "/Root 1 0 R");
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    assert_false(pdf_doc_repaired(doc));
    assert_true(pdf_doc_xref_is_stream(doc));
    assert_int_equal(pdf_doc_size(doc), 7);
    assert_true(pdf_name_is(pdf_dict_get(pdf_doc_trailer(doc), "Type"), "XRef"));
    pdf_doc_entry(doc, 3, &e);
    assert_int_equal(e.type, PDF_ENTRY_OBJSTM);
    assert_int_equal(e.offset, 5);
    assert_int_equal(e.index, 2);
    o = get(doc, 3);
    assert_int_equal(o->type, PDF_DICT);
    assert_int_equal(o->offset, SIZE_MAX); /* not in the file */
    assert_memory_equal(pdf_dict_get(o, "Text")->u.str.data, "in a stream", 11);
    assert_ptr_equal(o, get(doc, 3));
    assert_int_equal(pdf_doc_page_count(doc, &count, NULL), 0);
    assert_int_equal(count, 1);
    assert_int_equal(pdf_doc_page(doc, 0, &num, &page, NULL), 0);
    assert_int_equal(num, 4);
    assert_int_equal(pdf_doc_inherited(doc, page, "Resources", &o, NULL), 0);
    assert_non_null(o);
    assert_int_equal(o->type, PDF_DICT);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
}

static void test_hybrid(void **state)
{
    static const unsigned nums[] = {5};
    static const char *const texts[] = {"(hidden from old readers)"};
    struct maker m;
    pdf_doc *doc;
    const pdf_obj *o;
    unsigned entries[2][3] = {{1, 0, 0}, {2, 6, 0}};
    size_t stm, at;
    char extra[64];

    maker_init(&m, "%PDF-1.5\n");
    maker_page(&m);
    maker_objstm(&m, 6, nums, texts, 1);
    entries[0][1] = (unsigned)m.offset[6];
    stm =
        maker_xref_stream(&m, 7, (const unsigned(*)[3])entries, 2, "/Size 8 /Index [6 1 5 1]", "");
    snprintf(extra, sizeof(extra), "/Size 8 /Root 1 0 R /XRefStm %zu", stm);
    at = maker_table(&m, 0, 5, extra); /* lists 0-4 only; 5 and 6 come from the stream */
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    assert_false(pdf_doc_repaired(doc));
    assert_false(pdf_doc_xref_is_stream(doc));
    o = get(doc, 5);
    assert_int_equal(o->type, PDF_STRING);
    assert_int_equal(o->u.str.len, 23);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
}

/* An original file and two updates: object 4 replaced, then object 5 deleted. */
static void test_incremental(void **state)
{
    struct maker m;
    pdf_doc *doc;
    size_t first, second, third;
    unsigned char *data;
    size_t len;
    pdf_entry e;

    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    maker_obj(&m, 5, "(to be deleted)");
    first = maker_table(&m, 0, 6, "/Size 6 /Root 1 0 R");
    maker_startxref(&m, first);
    maker_stream(&m, 4, "", "new", 3);
    second = m.b.len;
    eseal_buf_printf(&m.b,
                     "xref\n0 1\n0000000000 65535 f \n4 1\n%010zu 00000 n \ntrailer\n"
                     "<< /Size 6 /Root 1 0 R /Prev %zu >>\n",
                     m.offset[4], first);
    maker_startxref(&m, second);
    third = m.b.len;
    eseal_buf_printf(&m.b,
                     "xref\n5 1\n0000000000 00001 f \ntrailer\n"
                     "<< /Size 9 /Root 1 0 R /Prev %zu >>\n",
                     second);
    maker_startxref(&m, third);
    doc = open_ok(&m.b);
    assert_false(pdf_doc_repaired(doc));
    assert_int_equal(pdf_doc_startxref(doc), third);
    assert_int_equal(pdf_doc_size(doc), 9); /* the largest /Size of the chain */
    assert_int_equal(get(doc, 5)->type, PDF_NULL);
    pdf_doc_entry(doc, 5, &e);
    assert_int_equal(e.type, PDF_ENTRY_FREE);
    assert_int_equal(pdf_doc_stream_data(doc, get(doc, 4), 100, &data, &len, NULL), 0);
    assert_int_equal(len, 3);
    assert_memory_equal(data, "new", 3);
    free(data);
    assert_int_equal(get(doc, 2)->type, PDF_DICT);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
}

/* Files whose xref data is broken open by scanning, and say so. */
static void test_repaired(void **state)
{
    struct maker m;
    pdf_doc *doc;
    size_t at, count;
    char trailer[64];
    eseal_error err;

    /* A /Prev that points at its own section. */
    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    at = m.b.len;
    snprintf(trailer, sizeof(trailer), "/Size 5 /Root 1 0 R /Prev %zu", at);
    maker_table(&m, 0, 5, trailer);
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    assert_true(pdf_doc_repaired(doc));
    assert_int_equal(pdf_doc_startxref(doc), 0);
    assert_int_equal(pdf_doc_page_count(doc, &count, NULL), 0);
    assert_int_equal(count, 1);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);

    /* No xref at all, and a startxref past the end. */
    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    eseal_buf_puts(&m.b, "trailer\n<< /Root 1 0 R >>\nstartxref\n99999\n%%EOF\n");
    doc = open_ok(&m.b);
    assert_true(pdf_doc_repaired(doc));
    assert_int_equal(get(doc, 3)->type, PDF_DICT);
    assert_int_equal(get(doc, 4)->type, PDF_STREAM);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);

    /* No trailer either: the catalog is found by its /Type. */
    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    doc = open_ok(&m.b);
    assert_true(pdf_doc_repaired(doc));
    assert_int_equal(pdf_doc_page_count(doc, &count, NULL), 0);
    assert_int_equal(count, 1);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);

    /* The first subsection numbered from 1 (a known writer bug) is read as from 0. */
    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    at = maker_table(&m, 0, 5, "/Size 5 /Root 1 0 R");
    memcpy(m.b.data + at + 5, "1", 1);
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    assert_false(pdf_doc_repaired(doc));
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);

    /* Entries of 19 bytes (one end-of-line byte, no space before it) read as well. */
    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    at = m.b.len;
    eseal_buf_puts(&m.b, "xref\n0 5\n0000000000 65535 f\n");
    for (count = 1; count < 5; count++)
        eseal_buf_printf(&m.b, "%010zu 00000 n\n", m.offset[count]);
    eseal_buf_puts(&m.b, "trailer\n<< /Size 5 /Root 1 0 R >>\n");
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    assert_false(pdf_doc_repaired(doc));
    assert_int_equal(get(doc, 4)->type, PDF_STREAM);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);

    /* Nothing that looks like a PDF: a clean error with a message. */
    eseal_error_clear(&err);
    assert_int_equal(pdf_doc_open(&doc, (const unsigned char *)"hello", 5, &err), ESEAL_ERR_FORMAT);
    assert_null(doc);
    assert_non_null(strstr(err.message, "PDF"));
    assert_int_equal(pdf_doc_open(&doc, (const unsigned char *)"", 0, &err), ESEAL_ERR_FORMAT);
}

static void test_caps(void **state)
{
    struct maker m;
    pdf_doc *doc;
    const pdf_obj *o;
    eseal_buf text;
    eseal_error err;
    size_t at;
    int i;

    /* Nesting one level deeper than the cap: the object is refused with a cap error. */
    eseal_buf_init(&text, 1 << 16);
    for (i = 0; i <= PDF_DEPTH_MAX; i++)
        eseal_buf_puts(&text, "[");
    for (i = 0; i <= PDF_DEPTH_MAX; i++)
        eseal_buf_puts(&text, "]");
    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    maker_obj(&m, 5, (char *)text.data);
    at = maker_table(&m, 0, 6, "/Size 6 /Root 1 0 R");
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    eseal_error_clear(&err);
    assert_int_equal(pdf_doc_get(doc, 5, &o, &err), ESEAL_ERR_LIMIT);
    assert_non_null(strstr(err.message, "nested"));
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
    eseal_buf_free(&text);

    /* An object number past PDF_OBJECTS_MAX in the xref table. */
    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    at = m.b.len;
    eseal_buf_printf(&m.b, "xref\n%u 1\n0000000009 00000 n \ntrailer\n<< /Root 1 0 R >>\n",
                     PDF_OBJECTS_MAX);
    maker_startxref(&m, at);
    assert_int_equal(pdf_doc_open(&doc, m.b.data, m.b.len, &err), ESEAL_ERR_LIMIT);
    eseal_buf_free(&m.b);

    /* A /Size past the cap. */
    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    at = maker_table(&m, 0, 5, "/Size 99999999 /Root 1 0 R");
    maker_startxref(&m, at);
    assert_int_equal(pdf_doc_open(&doc, m.b.data, m.b.len, &err), ESEAL_ERR_LIMIT);
    assert_non_null(strstr(err.message, "Size"));
    eseal_buf_free(&m.b);
}

/* A stream whose /Length is the stream itself. */
static void test_self_length(void **state)
{
    struct maker m;
    pdf_doc *doc;
    const pdf_obj *o;
    unsigned char *data;
    size_t len, at;

    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    m.offset[5] = m.b.len;
    eseal_buf_puts(&m.b, "5 0 obj\n<< /Length 5 0 R >>\nstream\nabc\nendstream\nendobj\n");
    at = maker_table(&m, 0, 6, "/Size 6 /Root 1 0 R");
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    o = get(doc, 5);
    assert_int_equal(o->type, PDF_STREAM);
    assert_int_equal(o->u.stream.raw_len, 3); /* found by its endstream */
    assert_int_equal(pdf_doc_stream_data(doc, o, 100, &data, &len, NULL), 0);
    assert_memory_equal(data, "abc", 3);
    free(data);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
}

static void test_objstm_contains_itself(void **state)
{
    static const unsigned nums[] = {5, 6};
    static const char *const texts[] = {"(five)", "(six)"};
    unsigned entries[8][3] = {{0, 0, 255}, {1, 0, 0}, {1, 0, 0}, {1, 0, 0},
                              {1, 0, 0},   {2, 5, 0}, {2, 5, 1}, {1, 0, 0}};
    struct maker m;
    pdf_doc *doc;
    size_t at;
    int i;

    maker_init(&m, "%PDF-1.5\n");
    maker_page(&m);
    maker_objstm(&m, 5, nums, texts, 2);
    for (i = 1; i <= 4; i++)
        entries[i][1] = (unsigned)m.offset[i];
    entries[7][1] = (unsigned)m.b.len;
    at = maker_xref_stream(&m, 7, (const unsigned(*)[3])entries, 8, "/Size 8", "/Root 1 0 R");
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    assert_int_equal(get(doc, 5)->type, PDF_NULL); /* said to be inside itself */
    assert_int_equal(get(doc, 6)->type, PDF_NULL); /* so it is no object stream */
    assert_int_equal(get(doc, 1)->type, PDF_DICT);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
}

static void test_page_tree(void **state)
{
    struct maker m;
    pdf_doc *doc;
    size_t at, count;
    uint32_t num;
    const pdf_obj *page;
    eseal_error err;

    /* A loop: a /Pages node listed among its own kids. */
    maker_init(&m, "%PDF-1.4\n");
    maker_obj(&m, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    maker_obj(&m, 2, "<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>");
    maker_obj(&m, 3, "<< /Type /Page /Parent 2 0 R >>");
    maker_obj(&m, 4, "null");
    maker_obj(&m, 5, "<< /Type /Pages /Kids [2 0 R] /Count 1 >>");
    at = maker_table(&m, 0, 6, "/Size 6 /Root 1 0 R");
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    eseal_error_clear(&err);
    assert_int_equal(pdf_doc_page_count(doc, &count, &err), ESEAL_ERR_FORMAT);
    assert_non_null(strstr(err.message, "loop"));
    assert_int_equal(pdf_doc_page(doc, 0, &num, &page, NULL), ESEAL_ERR_FORMAT);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);

    /* The same page twice, a direct page, a broken kid and a /Parent loop. */
    maker_init(&m, "%PDF-1.4\n");
    maker_obj(&m, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    maker_obj(&m, 2,
              "<< /Type /Pages /Kids [3 0 R 3 0 R << /Type /Page /Rotate 90 >> 9 0 R"
              " 4 0 R] /Count 4 >>");
    maker_obj(&m, 3, "<< /Type /Page /Parent 2 0 R >>");
    maker_obj(&m, 4, "<< /Type /Page /Parent 5 0 R >>");
    maker_obj(&m, 5, "<< /Type /Pages /Parent 5 0 R >>");
    at = maker_table(&m, 0, 6, "/Size 6 /Root 1 0 R");
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    assert_int_equal(pdf_doc_page_count(doc, &count, NULL), 0);
    assert_int_equal(count, 4);
    assert_int_equal(pdf_doc_page(doc, 1, &num, &page, NULL), 0);
    assert_int_equal(num, 3);
    assert_int_equal(pdf_doc_page(doc, 2, &num, &page, NULL), 0);
    assert_int_equal(num, 0);
    assert_int_equal(pdf_dict_get(page, "Rotate")->u.integer, 90);
    assert_int_equal(pdf_doc_page(doc, 3, &num, &page, NULL), 0);
    assert_int_equal(num, 4);
    assert_int_equal(pdf_doc_inherited(doc, page, "MediaBox", &page, &err), ESEAL_ERR_FORMAT);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
}

/* Decode raw through one predictor setup and compare. */
static void check_predictor(const char *parms, const eseal_buf *encoded, const unsigned char *raw,
                            size_t n)
{
    struct maker m;
    pdf_doc *doc;
    eseal_buf z;
    unsigned char *data;
    size_t len, at;
    char dict[256];
    eseal_error err;

    eseal_buf_init(&z, 1 << 20);
    zstore(&z, encoded->data, encoded->len);
    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    snprintf(dict, sizeof(dict), " /Filter [/FlateDecode] /DecodeParms [%s]", parms);
    maker_stream(&m, 5, dict, z.data, z.len);
    at = maker_table(&m, 0, 6, "/Size 6 /Root 1 0 R");
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    if (pdf_doc_stream_data(doc, get(doc, 5), 1 << 20, &data, &len, &err) != 0)
        fail_msg("%s: %s", parms, err.message);
    assert_int_equal(len, n);
    assert_memory_equal(data, raw, n);
    free(data);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
    eseal_buf_free(&z);
}

static void test_predictors(void **state)
{
    static const unsigned all[] = {0, 1, 2, 3, 4};
    unsigned char raw[3 * 7 * 5], tiff[sizeof(raw)];
    eseal_buf enc;
    size_t i, r, k;

    for (i = 0; i < sizeof(raw); i++)
        raw[i] = (unsigned char)(i * 37 + (i / 21) * 11);
    /* PNG: 7 pixels of 3 colors a row, every filter type in turn. */
    eseal_buf_init(&enc, 1 << 16);
    png_encode(&enc, raw, sizeof(raw), 21, 3, all, 5);
    check_predictor("<< /Predictor 15 /Colors 3 /Columns 7 >>", &enc, raw, sizeof(raw));
    eseal_buf_free(&enc);
    /* TIFF 2, 8 bits: each sample minus the one of its color to the left. */
    for (r = 0; r < 5; r++)
        for (k = 0; k < 21; k++)
            tiff[r * 21 + k] =
                (unsigned char)(raw[r * 21 + k] - (k >= 3 ? raw[r * 21 + k - 3] : 0));
    eseal_buf_init(&enc, 1 << 16);
    eseal_buf_append(&enc, tiff, sizeof(tiff));
    check_predictor("<< /Predictor 2 /Colors 3 /Columns 7 >>", &enc, raw, sizeof(raw));
    eseal_buf_free(&enc);
    /* No predictor, and parameters for another filter's slot. */
    eseal_buf_init(&enc, 1 << 16);
    eseal_buf_append(&enc, raw, sizeof(raw));
    check_predictor("null", &enc, raw, sizeof(raw));
    eseal_buf_free(&enc);
}

static void test_write(void **state)
{
    struct maker m, m2;
    pdf_doc *doc, *doc2;
    const pdf_obj *o, *o2;
    eseal_buf out;
    size_t at;

    o = parse_one(&doc, &m,
                  "<< /Type /Annot /N#20m [1 -2 3.5 -0.25 0.000001 1234567.125 true false null]"
                  " /S (\\(x\\)\\n\\377) /R 12 3 R /D << /K /a#2Fb >> /E [] >>");
    eseal_buf_init(&out, 1 << 16);
    assert_int_equal(pdf_obj_write(&out, o), 0);
    assert_string_equal((char *)out.data,
                        "<</Type /Annot /N#20m [1 -2 3.5 -0.25 0.000001 1234567.125 true false "
                        "null] /S <2878290aff> /R 12 3 R /D <</K /a#2Fb>> /E []>>");
    o2 = parse_one(&doc2, &m2, (char *)out.data);
    assert_true(pdf_obj_equal(o, o2));
    assert_false(pdf_obj_equal(o, pdf_dict_get(o2, "D")));
    assert_false(pdf_obj_equal(pdf_dict_get(o, "R"), pdf_dict_get(o2, "S")));
    pdf_doc_free(doc2);
    eseal_buf_free(&m2.b);
    o2 = parse_one(&doc2, &m2,
                   "<< /E [] /D << /K /a#2Fb >> /R 12 3 R /S <2878290aff> /Type /Annot"
                   " /N#20m [1 -2 3.5 -0.25 0.000001 1234567.125 true false null] >>");
    assert_true(pdf_obj_equal(o, o2)); /* the order of keys does not matter */
    pdf_doc_free(doc2);
    eseal_buf_free(&m2.b);
    o2 = parse_one(&doc2, &m2,
                   "<< /E [] /D << /K /a#2Fb >> /R 12 0 R /S <2878290aff> /Type /Annot"
                   " /N#20m [1 -2 3.5 -0.25 0.000001 1234567.125 true false null] >>");
    assert_false(pdf_obj_equal(o, o2)); /* another generation */
    pdf_doc_free(doc2);
    eseal_buf_free(&m2.b);
    assert_int_equal(pdf_obj_write(&out, get(doc, 3)), 0);
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
    eseal_buf_free(&out);

    /* A stream is refused: its owner writes it. */
    maker_init(&m, "%PDF-1.4\n");
    maker_page(&m);
    at = maker_table(&m, 0, 5, "/Size 5 /Root 1 0 R");
    maker_startxref(&m, at);
    doc = open_ok(&m.b);
    eseal_buf_init(&out, 1 << 16);
    assert_int_equal(pdf_obj_write(&out, get(doc, 4)), ESEAL_ERR_FORMAT);
    assert_true(pdf_obj_equal(get(doc, 4), get(doc, 4)));
    pdf_doc_free(doc);
    eseal_buf_free(&m.b);
    eseal_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_dict_many_keys),
        cmocka_unit_test(test_xref_stream_objstm),
        cmocka_unit_test(test_hybrid),
        cmocka_unit_test(test_incremental),
        cmocka_unit_test(test_repaired),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_self_length),
        cmocka_unit_test(test_objstm_contains_itself),
        cmocka_unit_test(test_page_tree),
        cmocka_unit_test(test_predictors),
        cmocka_unit_test(test_write),
    };
    return cmocka_run_group_tests_name("pdf", tests, NULL, NULL);
}
