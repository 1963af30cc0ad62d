/* test_extract.c - text extraction for classification: charsets, HTML, PDF, OOXML, ODF, caps.
 *
 * Every input is made here at run time (zips with libarchive's writer, PDFs by hand); none
 * comes from a committed binary or a corpus. */
#include <signal.h>
#include <unistd.h>
#include <sys/types.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib.h>

#include "eseal/extract.h"

#define MIB (1024 * 1024)

/* A growable byte buffer that zips and PDFs are written into. */
struct buf {
    unsigned char *data;
    size_t len, size;
};

/* Append n bytes to b. */
static void buf_add(struct buf *b, const void *p, size_t n)
{
    if (b->len + n > b->size) {
        b->size = (b->len + n) * 2;
        b->data = realloc(b->data, b->size);
        assert_non_null(b->data);
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

/* Milliseconds since start on the monotonic clock. */
static double millis_since(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e3 +
           (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/* Run the extractor, check what every result must satisfy, and return the elapsed ms. */
static double extract(const void *data, size_t len, const char *mime, const char *name,
                      const char *charset, const eseal_extract_limits *limits, eseal_text *t)
{
    struct timespec start;
    eseal_error err;
    double ms;

    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_int_equal(eseal_extract_text(data, len, mime, name, charset, limits, t, &err), 0);
    ms = millis_since(&start);
    assert_non_null(t->text);
    assert_non_null(t->kind);
    assert_int_equal(strlen(t->text), t->len); /* no NUL inside */
    assert_true(g_utf8_validate(t->text, (gssize)t->len, NULL));
    assert_int_equal(t->capped, t->cap_reason[0] != '\0');
    return ms;
}

/* libarchive write callback: append to the struct buf. */
static la_ssize_t zip_write_cb(struct archive *a, void *ud, const void *p, size_t n)
{
    (void)a;
    buf_add(ud, p, n);
    return (la_ssize_t)n;
}

/* Start a zip written into b. */
static struct archive *zip_begin(struct buf *b)
{
    struct archive *a = archive_write_new();

    assert_non_null(a);
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_set_bytes_in_last_block(a, 1), ARCHIVE_OK);
    assert_int_equal(archive_write_open(a, b, NULL, zip_write_cb, NULL), ARCHIVE_OK);
    return a;
}

/* Write the header of one entry; size < 0 leaves it unknown (a data descriptor follows). */
static void zip_header(struct archive *a, const char *name, int64_t size, int stored)
{
    struct archive_entry *e = archive_entry_new();

    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    if (size >= 0)
        archive_entry_set_size(e, size);
    if (stored)
        assert_int_equal(archive_write_zip_set_compression_store(a), ARCHIVE_OK);
    else
        assert_int_equal(archive_write_zip_set_compression_deflate(a), ARCHIVE_OK);
    assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
    archive_entry_free(e);
}

/* Add one whole entry (deflated unless stored). */
static void zip_add(struct archive *a, const char *name, const char *text, int stored)
{
    size_t n = strlen(text);

    zip_header(a, name, (int64_t)n, stored);
    assert_int_equal(archive_write_data(a, text, n), (la_ssize_t)n);
}

/* Finish the zip. */
static void zip_end(struct archive *a)
{
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define DOCX_TYPES                                                                                 \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "                                            \
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override "            \
    "PartName=\"/word/document.xml\" ContentType=\"application/"                                   \
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"

/* A DOCX whose document.xml is body (inside w:body). */
static void make_docx(struct buf *b, const char *body)
{
    struct archive *a = zip_begin(b);
    GString *doc = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");

    g_string_append(doc, "<w:document " W_NS "><w:body>");
    g_string_append(doc, body);
    g_string_append(doc, "</w:body></w:document>");
    zip_add(a, "[Content_Types].xml", DOCX_TYPES, 0);
    zip_add(a, "word/document.xml", doc->str, 0);
    zip_add(a, "word/header1.xml",
            "<w:hdr " W_NS "><w:p><w:r><w:t>页眉文本</w:t></w:r></w:p></w:hdr>", 0);
    zip_add(a, "word/media/image1.png", "\x89PNG not really", 1);
    zip_end(a);
    g_string_free(doc, TRUE);
}

/* A PDF of `pages` pages, page i showing "<text> <i+1>" in Helvetica; xref offsets exact. */
static void make_pdf(struct buf *b, unsigned pages, const char *text)
{
    size_t *offsets = calloc(3 + 2 * (size_t)pages + 1, sizeof(size_t));
    GString *s = g_string_new("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    size_t objects = 3 + 2 * (size_t)pages, xref, i;
    GString *stream = g_string_new(NULL);

    assert_non_null(offsets);
    offsets[1] = s->len;
    g_string_append(s, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    offsets[2] = s->len;
    g_string_append(s, "2 0 obj\n<< /Type /Pages /Kids [");
    for (i = 0; i < pages; i++)
        g_string_append_printf(s, " %zu 0 R", 4 + 2 * i);
    g_string_append_printf(s, " ] /Count %u >>\nendobj\n", pages);
    offsets[3] = s->len;
    g_string_append(s, "3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
    for (i = 0; i < pages; i++) {
        g_string_printf(stream, "BT /F1 18 Tf 72 700 Td (%s %zu) Tj ET\n", text, i + 1);
        offsets[4 + 2 * i] = s->len;
        g_string_append_printf(
            s,
            "%zu 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            "/Resources << /Font << /F1 3 0 R >> >> /Contents %zu 0 R >>\nendobj\n",
            4 + 2 * i, 5 + 2 * i);
        offsets[5 + 2 * i] = s->len;
        g_string_append_printf(s, "%zu 0 obj\n<< /Length %zu >>\nstream\n%sendstream\nendobj\n",
                               5 + 2 * i, stream->len, stream->str);
    }
    xref = s->len;
    g_string_append_printf(s, "xref\n0 %zu\n0000000000 65535 f \n", objects + 1);
    for (i = 1; i <= objects; i++)
        g_string_append_printf(s, "%010zu 00000 n \n", offsets[i]);
    g_string_append_printf(s, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                           objects + 1, xref);
    buf_add(b, s->str, s->len);
    g_string_free(s, TRUE);
    g_string_free(stream, TRUE);
    free(offsets);
}

static void test_defaults(void **state)
{
    eseal_extract_limits l;
    eseal_text t;

    (void)state;
    eseal_extract_limits_default(&l);
    assert_int_equal(l.max_output, MIB);
    assert_int_equal(l.max_inflated, 16 * MIB);
    assert_int_equal(l.max_entries, 2000);
    assert_int_equal(l.max_pages, 50);
    assert_int_equal(l.max_millis, 2000);
    extract("", 0, "text/plain", NULL, NULL, NULL, &t);
    assert_string_equal(t.text, "");
    assert_string_equal(t.kind, "text");
    eseal_text_clear(&t);
    assert_null(t.text);
    eseal_text_clear(NULL);
}

static void test_plain_utf8(void **state)
{
    static const char in[] = "\xe7\xa6\xbb\xe5\xa9\x9a\xe5\x8d\x8f\xe8\xae\xae\xe4\xb9\xa6\r\n"
                             "divorce agreement\n";
    eseal_text t;

    (void)state;
    extract(in, sizeof(in) - 1, "text/plain", "a.txt", NULL, NULL, &t);
    assert_string_equal(t.kind, "text");
    assert_string_equal(t.text, "离婚协议书\ndivorce agreement\n");
    assert_int_equal(t.capped, 0);
    eseal_text_clear(&t);

    /* the same with a UTF-8 byte-order mark, found by the file name alone */
    extract("\xef\xbb\xbf\xe9\x81\x97\xe5\x98\xb1", 9, NULL, "will.TXT", NULL, NULL, &t);
    assert_string_equal(t.kind, "text");
    assert_string_equal(t.text, "遗嘱");
    eseal_text_clear(&t);
}

static void test_plain_gb18030(void **state)
{
    static const char in[] = "\xc0\xeb\xbb\xe9\xd0\xad\xd2\xe9\xca\xe9 \xd2\xc5\xd6\xf6";
    eseal_text t;

    (void)state;
    extract(in, sizeof(in) - 1, "text/plain", NULL, NULL, NULL, &t); /* guessed */
    assert_string_equal(t.text, "离婚协议书 遗嘱");
    eseal_text_clear(&t);
    extract(in, sizeof(in) - 1, "text/plain", NULL, "GB2312", NULL, &t); /* read as GB18030 */
    assert_string_equal(t.text, "离婚协议书 遗嘱");
    eseal_text_clear(&t);
    extract(in, sizeof(in) - 1, "text/plain; charset=\"gbk\"", NULL, NULL, NULL, &t);
    assert_string_equal(t.text, "离婚协议书 遗嘱");
    eseal_text_clear(&t);
}

static void test_plain_big5(void **state)
{
    static const char in[] = "\xc2\xf7\xb1\x42\xa8\xf3\xc4\xb3\xae\xd1\n\xbf\xf2\xc5\xf1";
    eseal_text t;

    (void)state;
    extract(in, sizeof(in) - 1, "text/plain", NULL, "big5", NULL, &t);
    assert_string_equal(t.text, "離婚協議書\n遺囑");
    eseal_text_clear(&t);
    extract(in, sizeof(in) - 1, "text/plain; charset=Big5", NULL, NULL, NULL, &t);
    assert_string_equal(t.text, "離婚協議書\n遺囑");
    eseal_text_clear(&t);
}

static void test_plain_repairs(void **state)
{
    static const char bad[] = "ab\xff\xfe"
                              "cd\0ef\xe7\xa6"
                              "g\xed\xa0\x80h";
    static const char utf16[] = "\xff\xfe\x57\x90\x31\x56"; /* BOM, 遗嘱 in UTF-16LE */
    eseal_text t;

    (void)state;
    extract(bad, sizeof(bad) - 1, "text/plain", NULL, "utf-8", NULL, &t);
    assert_string_equal(t.text, "ab\xef\xbf\xbd\xef\xbf\xbd"
                                "cdef\xef\xbf\xbd\xef\xbf\xbd"
                                "g\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdh");
    eseal_text_clear(&t);
    extract(utf16, sizeof(utf16) - 1, "text/plain", NULL, NULL, NULL, &t);
    assert_string_equal(t.text, "遗嘱");
    eseal_text_clear(&t);
    /* a broken GB18030 byte costs one U+FFFD, not the rest */
    extract("\xc0\xeb\xff\xbb\xe9", 5, "text/plain", NULL, "gb18030", NULL, &t);
    assert_string_equal(t.text, "离\xef\xbf\xbd婚");
    eseal_text_clear(&t);
    /* an unknown charset is noted and the bytes guessed */
    extract("abc", 3, "text/plain", NULL, "x-no-such-charset", NULL, &t);
    assert_string_equal(t.text, "abc");
    assert_non_null(strstr(t.note, "unknown charset"));
    eseal_text_clear(&t);
}

static void test_output_cap(void **state)
{
    eseal_extract_limits l;
    GString *s = g_string_new(NULL);
    eseal_text t;
    int i;

    (void)state;
    for (i = 0; i < 10000; i++)
        g_string_append(s, "离");
    eseal_extract_limits_default(&l);
    l.max_output = 1000;
    extract(s->str, s->len, NULL, "big.txt", NULL, &l, &t);
    assert_int_equal(t.len, 999); /* 333 whole characters: none cut in half */
    assert_int_equal(t.capped, 1);
    assert_string_equal(t.cap_reason, "text cap 1000 bytes");
    eseal_text_clear(&t);
    g_string_free(s, TRUE);
}

static void test_html(void **state)
{
    static const char html[] =
        "<!DOCTYPE html><html><head><title>标题</title>"
        "<script>var secret = '遗嘱 in script';</script><style>p { color: red }</style></head>"
        "<body><p>离婚&amp;协议&#x4E66; &lt;one&gt;</p><div>second&nbsp;line</div>"
        "<table><tr><td>a</td><td>b</td></tr></table><!-- comment 遗嘱 -->"
        "<p>x<br>y</p></body></html>";
    eseal_text t;

    (void)state;
    extract(html, sizeof(html) - 1, "text/html; charset=utf-8", "a.htm", NULL, NULL, &t);
    assert_string_equal(t.kind, "html");
    assert_non_null(strstr(t.text, "标题\n"));
    assert_non_null(strstr(t.text, "离婚&协议书 <one>\nsecond\xc2\xa0line\na\tb\n"));
    assert_non_null(strstr(t.text, "x\ny"));
    assert_null(strstr(t.text, "遗嘱"));
    assert_null(strstr(t.text, "color"));
    eseal_text_clear(&t);
}

static void test_html_charsets(void **state)
{
    static const char gbk[] = "<html><head><meta charset=\"gbk\"></head><body><p>"
                              "\xc0\xeb\xbb\xe9\xd0\xad\xd2\xe9\xca\xe9</p></body></html>";
    static const char big5[] = "<html><head><meta http-equiv=\"Content-Type\" "
                               "content=\"text/html; charset=big5\"></head><body>"
                               "\xbf\xf2\xc5\xf1</body></html>";
    static const char guess[] = "<p>\xd2\xc5\xd6\xf6</p>";
    eseal_text t;

    (void)state;
    extract(gbk, sizeof(gbk) - 1, "text/html", NULL, NULL, NULL, &t);
    assert_string_equal(t.text, "离婚协议书\n");
    eseal_text_clear(&t);
    extract(big5, sizeof(big5) - 1, NULL, "x.html", NULL, NULL, &t);
    assert_string_equal(t.text, "遺囑\n");
    eseal_text_clear(&t);
    extract(guess, sizeof(guess) - 1, "text/html", NULL, NULL, NULL, &t);
    assert_string_equal(t.text, "遗嘱\n");
    eseal_text_clear(&t);
    /* the charset argument wins over the meta tag */
    extract(big5, sizeof(big5) - 1, "text/html", NULL, "gb18030", NULL, &t);
    assert_null(strstr(t.text, "遺囑"));
    eseal_text_clear(&t);
}

static void test_html_deep(void **state)
{
    GString *s = g_string_new("<html><body>");
    eseal_text t;
    double ms;
    int i;

    (void)state;
    for (i = 0; i < 100000; i++)
        g_string_append(s, "<div><span>");
    g_string_append(s, "遗嘱");
    ms = extract(s->str, s->len, "text/html", NULL, NULL, NULL, &t);
    print_message("100000 nested elements: %.0f ms, %zu bytes of text\n", ms, t.len);
    eseal_text_clear(&t);
    g_string_free(s, TRUE);
}

static void test_docx(void **state)
{
    struct buf b = {0};
    eseal_text t;

    (void)state;
    make_docx(&b, "<w:p><w:r><w:t>离婚</w:t></w:r><w:r><w:t xml:space=\"preserve\">协议书"
                  "</w:t></w:r></w:p><w:p><w:r><w:instrText>PAGE</w:instrText><w:t>第二段"
                  "</w:t><w:tab/><w:t>甲方</w:t></w:r></w:p>");
    extract(b.data, b.len, NULL, "合同.docx", NULL, NULL, &t);
    assert_string_equal(t.kind, "docx");
    assert_non_null(strstr(t.text, "离婚协议书\n第二段\t甲方\n"));
    assert_non_null(strstr(t.text, "页眉文本"));
    assert_null(strstr(t.text, "PAGE"));
    assert_int_equal(t.capped, 0);
    assert_string_equal(t.note, "");
    eseal_text_clear(&t);

    /* mislabelled: the bytes say zip, the parts say docx */
    extract(b.data, b.len, "application/octet-stream", "scan.bin", NULL, NULL, &t);
    assert_string_equal(t.kind, "docx");
    assert_non_null(strstr(t.text, "离婚协议书"));
    eseal_text_clear(&t);
    free(b.data);
}

static void test_odt(void **state)
{
    struct buf b = {0};
    struct archive *a = zip_begin(&b);
    eseal_text t;

    (void)state;
    zip_add(a, "mimetype", "application/vnd.oasis.opendocument.text", 1);
    zip_add(a, "content.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            "<office:document-content "
            "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
            "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
            "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\">"
            "<office:body><office:text><text:h>遗嘱</text:h>"
            "<text:p>立遗嘱人<text:span>张三</text:span><text:s/>自愿</text:p>"
            "<table:table><table:table-row><table:table-cell><text:p>房产</text:p>"
            "</table:table-cell></table:table-row></table:table>"
            "</office:text></office:body></office:document-content>",
            0);
    zip_end(a);
    extract(b.data, b.len, "application/vnd.oasis.opendocument.text", "will.odt", NULL, NULL, &t);
    assert_string_equal(t.kind, "odt");
    assert_non_null(strstr(t.text, "遗嘱\n立遗嘱人张三 自愿\n"));
    assert_non_null(strstr(t.text, "房产"));
    eseal_text_clear(&t);
    free(b.data);
}

static void test_xlsx_pptx(void **state)
{
    struct buf b = {0}, p = {0};
    struct archive *a = zip_begin(&b);
    eseal_text t;

    (void)state;
    zip_add(a, "xl/sharedStrings.xml",
            "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            "<si><t>甲方</t></si><si><r><t>合</t></r><r><t>同</t></r></si>"
            "<si><t>漢字</t><rPh><t>かんじ</t></rPh></si></sst>",
            0);
    zip_add(a, "xl/worksheets/sheet1.xml",
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            "<sheetData><row><c t=\"s\"><v>0</v></c><c t=\"inlineStr\"><is><t>停止供水通知"
            "</t></is></c><c><v>42</v></c></row></sheetData></worksheet>",
            0);
    zip_end(a);
    extract(b.data, b.len, NULL, "a.xlsx", NULL, NULL, &t);
    assert_string_equal(t.kind, "xlsx");
    assert_non_null(strstr(t.text, "甲方\n合同\n漢字\n"));
    assert_non_null(strstr(t.text, "停止供水通知"));
    assert_null(strstr(t.text, "かんじ"));
    assert_null(strstr(t.text, "42"));
    eseal_text_clear(&t);

    a = zip_begin(&p);
    zip_add(a, "ppt/slides/slide1.xml",
            "<p:sld xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" "
            "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><p:cSld>"
            "<p:spTree><p:sp><p:txBody><a:p><a:r><a:t>收养</a:t></a:r><a:r><a:t>协议</a:t>"
            "</a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>",
            0);
    zip_end(a);
    extract(p.data, p.len, NULL, "a.pptx", NULL, NULL, &t);
    assert_string_equal(t.kind, "pptx");
    assert_string_equal(t.text, "收养协议\n");
    eseal_text_clear(&t);
    free(b.data);
    free(p.data);
}

static void test_xml_entities(void **state)
{
    struct buf b = {0};
    eseal_text t;
    double ms;
    struct archive *a = zip_begin(&b);

    (void)state;
    zip_add(a, "word/document.xml",
            "<?xml version=\"1.0\"?><!DOCTYPE w:document ["
            "<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
            "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
            "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
            "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
            "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
            "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
            "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
            "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
            "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">"
            "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
            "<w:document " W_NS "><w:body><w:p><w:r><w:t>前&amp;后</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>&xxe;&lol9;</w:t></w:r></w:p></w:body></w:document>",
            0);
    zip_end(a);
    ms = extract(b.data, b.len, NULL, "lol.docx", NULL, NULL, &t);
    print_message("billion laughs: %.1f ms, %zu bytes of text\n", ms, t.len);
    assert_non_null(strstr(t.text, "前&后"));
    assert_null(strstr(t.text, "lollol"));
    assert_null(strstr(t.text, "root:"));
    assert_true(t.len < 100);
    eseal_text_clear(&t);
    free(b.data);
}

/* A DOCX whose document.xml starts with real text and then inflates to `spaces` bytes of
 * white space (streamed: the size is left unknown when `streamed`, and the central
 * directory cut off so that the zip can only be read front to back). */
static void make_bomb(struct buf *b, size_t spaces, int streamed)
{
    static const char head[] = "<w:document " W_NS "><w:body><w:p><w:r><w:t>离婚协议书</w:t>"
                               "</w:r></w:p>";
    static const char tail[] = "</w:body></w:document>";
    struct archive *a = zip_begin(b);
    char *chunk = malloc(MIB);
    size_t done;
    const char *name = streamed ? "word/media/junk.bin" : "word/document.xml";

    assert_non_null(chunk);
    memset(chunk, ' ', MIB);
    if (streamed)
        zip_add(a, "word/document.xml",
                "<w:document " W_NS "><w:body><w:p><w:r><w:t>离婚协议书"
                "</w:t></w:r></w:p></w:body></w:document>",
                0);
    zip_header(a, name, streamed ? -1 : (int64_t)(sizeof(head) - 1 + spaces + sizeof(tail) - 1), 0);
    assert_int_equal(archive_write_data(a, head, sizeof(head) - 1), (la_ssize_t)sizeof(head) - 1);
    for (done = 0; done < spaces; done += MIB)
        assert_int_equal(archive_write_data(a, chunk, MIB), MIB);
    assert_int_equal(archive_write_data(a, tail, sizeof(tail) - 1), (la_ssize_t)sizeof(tail) - 1);
    if (streamed)
        zip_add(a, "word/footer1.xml", "<w:ftr " W_NS "><w:p><w:r><w:t>x</w:t></w:r></w:p></w:ftr>",
                0);
    zip_end(a);
    free(chunk);
    if (streamed)
        b->len -= 200; /* no end-of-central-directory: libarchive must stream */
}

static void test_zip_bomb(void **state)
{
    struct buf b = {0};
    eseal_text t;
    double ms;

    (void)state;
    make_bomb(&b, 200 * (size_t)MIB, 0);
    ms = extract(b.data, b.len, NULL, "bomb.docx", NULL, NULL, &t);
    print_message("zip bomb: %zu bytes inflating to 200 MiB: %.1f ms, capped \"%s\"\n", b.len, ms,
                  t.cap_reason);
    assert_string_equal(t.kind, "docx");
    assert_int_equal(t.capped, 1);
    assert_string_equal(t.cap_reason, "zip inflated more than 16777216 bytes");
    assert_non_null(strstr(t.text, "离婚协议书"));
    assert_true(ms < 1000);
    eseal_text_clear(&t);
    free(b.data);
}

static void test_zip_bomb_streamed(void **state)
{
    struct buf b = {0};
    eseal_text t;
    double ms;

    (void)state;
    make_bomb(&b, 200 * (size_t)MIB, 1);
    ms = extract(b.data, b.len, NULL, "bomb.docx", NULL, NULL, &t);
    print_message("streamed zip bomb (unlisted entry, no central directory): %.1f ms, \"%s\"\n", ms,
                  t.cap_reason);
    assert_string_equal(t.kind, "docx");
    assert_int_equal(t.capped, 1);
    assert_non_null(strstr(t.cap_reason, "zip inflated more than"));
    assert_non_null(strstr(t.text, "离婚协议书"));
    assert_true(ms < 1000);
    eseal_text_clear(&t);
    free(b.data);
}

static void test_zip_entry_cap(void **state)
{
    struct buf b = {0};
    struct archive *a = zip_begin(&b);
    eseal_extract_limits l;
    eseal_text t;
    char name[64];
    int i;

    (void)state;
    for (i = 0; i < 50; i++) {
        snprintf(name, sizeof(name), "word/media/f%d.bin", i);
        zip_add(a, name, "x", 0);
    }
    zip_add(a, "word/document.xml",
            "<w:document " W_NS "><w:body><w:p><w:r><w:t>late</w:t>"
            "</w:r></w:p></w:body></w:document>",
            0);
    zip_end(a);
    eseal_extract_limits_default(&l);
    l.max_entries = 10;
    extract(b.data, b.len, NULL, "many.docx", NULL, &l, &t);
    assert_int_equal(t.capped, 1);
    assert_string_equal(t.cap_reason, "zip entry cap 10");
    assert_string_equal(t.text, "");
    eseal_text_clear(&t);
    free(b.data);
}

static void test_pdf(void **state)
{
    struct buf b = {0};
    eseal_text t;
    double ms;

    (void)state;
    make_pdf(&b, 1, "Divorce agreement");
    ms = extract(b.data, b.len, "application/pdf", "a.pdf", NULL, NULL, &t);
    print_message("one-page PDF: %.1f ms\n", ms);
    assert_string_equal(t.kind, "pdf");
    assert_non_null(strstr(t.text, "Divorce agreement 1"));
    assert_int_equal(t.capped, 0);
    assert_string_equal(t.note, "");
    eseal_text_clear(&t);

    /* the first half: no crash, and whatever poppler could still read */
    extract(b.data, b.len / 2, "application/pdf", "a.pdf", NULL, NULL, &t);
    assert_string_equal(t.kind, "pdf");
    eseal_text_clear(&t);
    free(b.data);
}

/* The pid of this process's child running "eseal-pdftext --serve", or -1. */
static pid_t pdf_server_pid(void)
{
    char path[64], line[4096], cmd[256];
    FILE *f;
    pid_t found = -1;
    char *p, *end;

    snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    if (fgets(line, sizeof(line), f) == NULL)
        line[0] = '\0';
    fclose(f);
    for (p = line; found < 0 && *p != '\0'; p = end) {
        long pid = strtol(p, &end, 10);
        size_t n;
        if (end == p)
            break;
        snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
        if ((f = fopen(path, "r")) == NULL)
            continue;
        n = fread(cmd, 1, sizeof(cmd) - 1, f);
        fclose(f);
        cmd[n] = '\0';
        if (n > strlen(cmd) + 1 && strcmp(cmd + strlen(cmd) + 1, "--serve") == 0)
            found = (pid_t)pid;
    }
    return found;
}

/* One reader serves many PDFs, each in a fresh process; a server that was killed is started
 * again for the next PDF, which is read as if nothing had happened. */
static void test_pdf_reader(void **state)
{
    struct buf b = {0};
    eseal_extract_limits l;
    eseal_pdf_reader *reader = NULL;
    eseal_text t;
    pid_t server;
    double first, ms = 0;
    int i;

    (void)state;
    make_pdf(&b, 1, "Divorce agreement");
    assert_int_equal(eseal_pdf_reader_new(&reader, NULL), 0);
    eseal_extract_limits_default(&l);
    l.pdf_reader = reader;
    assert_int_equal(pdf_server_pid(), -1); /* started at the first PDF, not before */
    first = extract(b.data, b.len, "application/pdf", "a.pdf", NULL, &l, &t);
    assert_non_null(strstr(t.text, "Divorce agreement 1"));
    eseal_text_clear(&t);
    server = pdf_server_pid();
    assert_true(server > 0);
    for (i = 0; i < 10; i++) {
        ms += extract(b.data, b.len, "application/pdf", "a.pdf", NULL, &l, &t);
        assert_non_null(strstr(t.text, "Divorce agreement 1"));
        eseal_text_clear(&t);
    }
    print_message("one-page PDF with a reader: first %.1f ms, then %.1f ms each\n", first, ms / 10);
    assert_int_equal(pdf_server_pid(), server); /* the same server all along */

    kill(server, SIGKILL);
    extract(b.data, b.len, "application/pdf", "a.pdf", NULL, &l, &t);
    assert_non_null(strstr(t.text, "Divorce agreement 1"));
    assert_string_equal(t.note, "");
    assert_int_equal(t.incomplete, 0);
    eseal_text_clear(&t);
    assert_true(pdf_server_pid() > 0);
    assert_int_not_equal(pdf_server_pid(), server);

    eseal_pdf_reader_free(reader);
    assert_int_equal(pdf_server_pid(), -1); /* stopped and reaped */
    free(b.data);
}

static void test_pdf_pages(void **state)
{
    struct buf b = {0};
    eseal_extract_limits l;
    eseal_text t;
    double ms;

    (void)state;
    make_pdf(&b, 500, "Last will and testament, page");
    ms = extract(b.data, b.len, NULL, "will.pdf", NULL, NULL, &t);
    print_message("500-page PDF (%zu bytes): %.1f ms, %zu bytes of text, \"%s\"\n", b.len, ms,
                  t.len, t.cap_reason);
    assert_int_equal(t.capped, 1);
    assert_string_equal(t.cap_reason, "page cap 50 of 500 pages");
    assert_non_null(strstr(t.text, "page 50"));
    assert_null(strstr(t.text, "page 51"));
    eseal_text_clear(&t);

    /* every page allowed but 1 ms of time: the clock stops it */
    eseal_extract_limits_default(&l);
    l.max_pages = 1000;
    l.max_millis = 1;
    ms = extract(b.data, b.len, NULL, "will.pdf", NULL, &l, &t);
    print_message("500-page PDF with a 1 ms budget: %.1f ms, \"%s\"\n", ms, t.cap_reason);
    assert_int_equal(t.capped, 1);
    assert_string_equal(t.cap_reason, "time budget 1 ms");
    assert_null(strstr(t.text, "page 500"));
    eseal_text_clear(&t);

    /* truncated in the middle of the page tree */
    extract(b.data, b.len / 2, NULL, "will.pdf", NULL, NULL, &t);
    eseal_text_clear(&t);
    free(b.data);
}

static void test_garbage(void **state)
{
    static const char *const names[] = {"x.pdf", "x.docx", "x.xlsx", "x.odt", "x.html", "x.bin"};
    unsigned char junk[4096];
    uint32_t seed = 12345;
    eseal_text t;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(junk); i++) {
        seed = seed * 1103515245u + 12345u;
        junk[i] = (unsigned char)(seed >> 16);
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        extract(junk, sizeof(junk), NULL, names[i], NULL, NULL, &t);
        if (i < 4) {
            assert_string_equal(t.text, "");
            assert_string_not_equal(t.note, "");
        }
        eseal_text_clear(&t);
    }
    extract(junk, sizeof(junk), "application/pdf", NULL, NULL, NULL, &t);
    assert_string_equal(t.kind, "pdf");
    assert_string_equal(t.text, "");
    eseal_text_clear(&t);
    extract(junk, sizeof(junk), NULL, "x.bin", NULL, NULL, &t);
    assert_string_equal(t.kind, "none");
    assert_string_equal(t.text, "");
    eseal_text_clear(&t);
    /* a zip cut short, and a zip header with nothing behind it */
    extract("PK\x03\x04\x14\x00", 6, NULL, "x.docx", NULL, NULL, &t);
    assert_string_equal(t.text, "");
    eseal_text_clear(&t);
    extract("%PDF-1.7\n", 9, NULL, NULL, NULL, NULL, &t);
    assert_string_equal(t.kind, "pdf");
    assert_string_equal(t.text, "");
    eseal_text_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_plain_utf8),
        cmocka_unit_test(test_plain_gb18030),
        cmocka_unit_test(test_plain_big5),
        cmocka_unit_test(test_plain_repairs),
        cmocka_unit_test(test_output_cap),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_html_charsets),
        cmocka_unit_test(test_html_deep),
        cmocka_unit_test(test_docx),
        cmocka_unit_test(test_odt),
        cmocka_unit_test(test_xlsx_pptx),
        cmocka_unit_test(test_xml_entities),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_zip_bomb_streamed),
        cmocka_unit_test(test_zip_entry_cap),
        cmocka_unit_test(test_pdf),
        cmocka_unit_test(test_pdf_pages),
        cmocka_unit_test(test_pdf_reader),
        cmocka_unit_test(test_garbage),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
