/* pdf_maker.c - small PDFs written byte by byte for the reader's tests: objects, streams,
 * xref tables, Flate and PNG-predicted data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdf_maker.h"

void maker_init(struct maker *m, const char *header)
{
    memset(m, 0, sizeof(*m));
    eseal_buf_init(&m->b, 1 << 24);
    eseal_buf_puts(&m->b, header);
}

/* Append "num 0 obj body endobj". */
void maker_obj(struct maker *m, unsigned num, const char *body)
{
    assert_true(num < TEST_OBJECTS_MAX);
    m->offset[num] = m->b.len;
    eseal_buf_printf(&m->b, "%u 0 obj\n%s\nendobj\n", num, body);
}

/* Append a stream object whose data is the n bytes at data. */
void maker_stream(struct maker *m, unsigned num, const char *dict, const void *data, size_t n)
{
    m->offset[num] = m->b.len;
    eseal_buf_printf(&m->b, "%u 0 obj\n<<%s /Length %zu>>\nstream\n", num, dict, n);
    eseal_buf_append(&m->b, data, n);
    eseal_buf_puts(&m->b, "\nendstream\nendobj\n");
}

/* Append an xref table for objects first..first+count-1 (0 is free) with trailer entries. */
size_t maker_table(struct maker *m, unsigned first, unsigned count, const char *trailer)
{
    size_t at = m->b.len;
    unsigned i;

    eseal_buf_printf(&m->b, "xref\n%u %u\n", first, count);
    for (i = first; i < first + count; i++) {
        if (m->offset[i] == 0)
            eseal_buf_puts(&m->b, "0000000000 65535 f \n");
        else
            eseal_buf_printf(&m->b, "%010zu 00000 n \n", m->offset[i]);
    }
    eseal_buf_printf(&m->b, "trailer\n<<%s>>\n", trailer);
    return at;
}

void maker_startxref(struct maker *m, size_t at)
{
    eseal_buf_printf(&m->b, "startxref\n%zu\n%%%%EOF\n", at);
}

/* Zlib data with stored (uncompressed) deflate blocks: the reader's inflate must take it. */
void zstore(eseal_buf *out, const unsigned char *d, size_t n)
{
    uint32_t a = 1, b = 0;
    size_t i, off = 0;
    unsigned char end[4];

    eseal_buf_append(out, "\x78\x01", 2);
    do {
        size_t k = n - off > 65535 ? 65535 : n - off;
        unsigned char h[5] = {(unsigned char)(off + k == n), (unsigned char)k,
                              (unsigned char)(k >> 8), (unsigned char)~k, (unsigned char)(~k >> 8)};
        eseal_buf_append(out, h, 5);
        eseal_buf_append(out, d + off, k);
        off += k;
    } while (off < n);
    for (i = 0; i < n; i++) {
        a = (a + d[i]) % 65521;
        b = (b + a) % 65521;
    }
    end[0] = (unsigned char)(b >> 8);
    end[1] = (unsigned char)b;
    end[2] = (unsigned char)(a >> 8);
    end[3] = (unsigned char)a;
    eseal_buf_append(out, end, 4);
}

/* The PNG filter tag applied to raw row r (of rowlen bytes, bpp bytes a pixel). */
static unsigned char png_filter(unsigned tag, const unsigned char *row, const unsigned char *up,
                                size_t k, size_t bpp)
{
    int left = k >= bpp ? row[k - bpp] : 0, above = up ? up[k] : 0;
    int upleft = up && k >= bpp ? up[k - bpp] : 0;
    int p = left + above - upleft, pa = abs(p - left), pb = abs(p - above), pc = abs(p - upleft);

    switch (tag) {
    case 1:
        return (unsigned char)(row[k] - left);
    case 2:
        return (unsigned char)(row[k] - above);
    case 3:
        return (unsigned char)(row[k] - (left + above) / 2);
    case 4:
        return (unsigned char)(row[k] - (pa <= pb && pa <= pc ? left : pb <= pc ? above : upleft));
    default:
        return row[k];
    }
}

/* Encode rows of raw with PNG predictors, row r with filter tags[r % ntags]. */
void png_encode(eseal_buf *out, const unsigned char *raw, size_t n, size_t rowlen, size_t bpp,
                const unsigned *tags, size_t ntags)
{
    size_t r, k;

    for (r = 0; r * rowlen < n; r++) {
        const unsigned char *row = raw + r * rowlen, *up = r > 0 ? row - rowlen : NULL;
        unsigned char tag = (unsigned char)tags[r % ntags];
        eseal_buf_append(out, &tag, 1);
        for (k = 0; k < rowlen && r * rowlen + k < n; k++) {
            unsigned char c = png_filter(tag, row, up, k, bpp);
            eseal_buf_append(out, &c, 1);
        }
    }
}

pdf_doc *open_ok(const eseal_buf *b)
{
    pdf_doc *doc = NULL;
    eseal_error err;

    eseal_error_clear(&err);
    if (pdf_doc_open(&doc, b->data, b->len, &err) != 0)
        fail_msg("open: %s", err.message);
    return doc;
}

const pdf_obj *get(pdf_doc *doc, uint32_t num)
{
    const pdf_obj *o = NULL;
    eseal_error err;

    if (pdf_doc_get(doc, num, &o, &err) != 0)
        fail_msg("get %u: %s", (unsigned)num, err.message);
    assert_non_null(o);
    return o;
}

/* The integer value of key in dict, resolved. */
int64_t dict_int(pdf_doc *doc, const pdf_obj *dict, const char *key)
{
    const pdf_obj *v;

    assert_int_equal(pdf_doc_dict_get(doc, dict, key, &v, NULL), 0);
    assert_non_null(v);
    assert_int_equal(v->type, PDF_INT);
    return v->u.integer;
}

/* The usual three objects of a one-page document, plus a content stream. */
void maker_page(struct maker *m)
{
    static const char content[] = "BT /F1 12 Tf (Hi) Tj ET";

    maker_obj(m, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    maker_obj(m, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>");
    maker_obj(m, 3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << >> >>");
    maker_stream(m, 4, "", content, sizeof(content) - 1);
}
