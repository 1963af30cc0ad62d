/* pdf_obj.c - PDF values written out in PDF syntax, compared, and printed. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_doc_int.h"

#define DICT_EQUAL_SMALL 32 /* dictionaries compared pairwise up to this size */

/* Write a name's bytes, escaping what is not a regular printable character as #xx. */
static void write_name(eseal_buf *b, const unsigned char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;

    eseal_buf_append(b, "/", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c < 0x21 || c > 0x7e || c == '#' || pdf_is_delim(c)) {
            char e[3] = {'#', hex[c >> 4], hex[c & 15]};
            eseal_buf_append(b, e, 3);
        } else {
            eseal_buf_append(b, &c, 1);
        }
    }
}

/* Write a real with up to 6 decimals and no exponent, independent of the locale. */
static void write_real(eseal_buf *b, double v)
{
    const char *sign = v < 0 ? "-" : "";
    double a = fabs(v);
    int64_t scaled, frac;
    char digits[8];
    int i;

    if (!isfinite(v)) {
        eseal_buf_puts(b, "0");
        return;
    }
    if (a >= 9e12) { /* no decimals left to write at this size */
        eseal_buf_printf(b, "%s%.0f", sign, a);
        return;
    }
    scaled = (int64_t)(a * 1e6 + 0.5);
    if (scaled == 0) {
        eseal_buf_puts(b, "0");
        return;
    }
    eseal_buf_printf(b, "%s%" PRId64, sign, scaled / 1000000);
    frac = scaled % 1000000;
    if (frac == 0)
        return;
    snprintf(digits, sizeof(digits), "%06" PRId64, frac);
    for (i = 5; i > 0 && digits[i] == '0'; i--)
        digits[i] = '\0';
    eseal_buf_printf(b, ".%s", digits);
}

int pdf_obj_write(eseal_buf *b, const pdf_obj *o)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;
    int rc;

    switch (o->type) {
    case PDF_NULL:
        eseal_buf_puts(b, "null");
        break;
    case PDF_BOOL:
        eseal_buf_puts(b, o->u.boolean ? "true" : "false");
        break;
    case PDF_INT:
        eseal_buf_printf(b, "%" PRId64, o->u.integer);
        break;
    case PDF_REAL:
        write_real(b, o->u.real);
        break;
    case PDF_STRING:
        eseal_buf_append(b, "<", 1);
        for (i = 0; i < o->u.str.len;) {
            char chunk[512];
            size_t n = 0;
            for (; i < o->u.str.len && n < sizeof(chunk); i++) {
                chunk[n++] = hex[o->u.str.data[i] >> 4];
                chunk[n++] = hex[o->u.str.data[i] & 15];
            }
            eseal_buf_append(b, chunk, n);
        }
        eseal_buf_append(b, ">", 1);
        break;
    case PDF_NAME:
        write_name(b, o->u.str.data, o->u.str.len);
        break;
    case PDF_ARRAY:
        eseal_buf_append(b, "[", 1);
        for (i = 0; i < o->u.array.len; i++) {
            if (i > 0)
                eseal_buf_append(b, " ", 1);
            if ((rc = pdf_obj_write(b, o->u.array.items[i])) != ESEAL_OK)
                return rc;
        }
        eseal_buf_append(b, "]", 1);
        break;
    case PDF_DICT:
        eseal_buf_append(b, "<<", 2);
        for (i = 0; i < o->u.dict.len; i++) {
            if (i > 0)
                eseal_buf_append(b, " ", 1);
            write_name(b, (const unsigned char *)o->u.dict.keys[i], strlen(o->u.dict.keys[i]));
            eseal_buf_append(b, " ", 1);
            if ((rc = pdf_obj_write(b, o->u.dict.values[i])) != ESEAL_OK)
                return rc;
        }
        eseal_buf_append(b, ">>", 2);
        break;
    case PDF_REF:
        eseal_buf_printf(b, "%u %u R", (unsigned)o->u.ref.num, (unsigned)o->u.ref.gen);
        break;
    default:
        return ESEAL_ERR_FORMAT; /* a stream, written by its owner */
    }
    return b->failed;
}

/* A key and its value, to compare large dictionaries in key order. */
struct equal_pair {
    const char *key;
    const pdf_obj *value;
};

static int equal_pair_cmp(const void *a, const void *b)
{
    return strcmp(((const struct equal_pair *)a)->key, ((const struct equal_pair *)b)->key);
}

/* The n pairs of dictionary d sorted by key into a new array, or NULL. */
static struct equal_pair *equal_sorted(const pdf_obj *d)
{
    struct equal_pair *p = malloc(d->u.dict.len * sizeof(*p));
    size_t i;

    if (p == NULL)
        return NULL;
    for (i = 0; i < d->u.dict.len; i++) {
        p[i].key = d->u.dict.keys[i];
        p[i].value = d->u.dict.values[i];
    }
    qsort(p, d->u.dict.len, sizeof(*p), equal_pair_cmp);
    return p;
}

/* Whether dictionaries a and b (of the same size) hold the same keys and values. */
static int equal_dict(const pdf_obj *a, const pdf_obj *b)
{
    struct equal_pair *x, *y;
    size_t i, n = a->u.dict.len;
    int same = 1;

    if (n <= DICT_EQUAL_SMALL) {
        for (i = 0; i < n; i++)
            if (!pdf_obj_equal(a->u.dict.values[i], pdf_dict_get(b, a->u.dict.keys[i])))
                return 0;
        return 1;
    }
    x = equal_sorted(a);
    y = equal_sorted(b);
    for (i = 0; same && x != NULL && y != NULL && i < n; i++)
        same = strcmp(x[i].key, y[i].key) == 0 && pdf_obj_equal(x[i].value, y[i].value);
    if (x == NULL || y == NULL)
        same = 0; /* out of memory: not known to be equal */
    free(x);
    free(y);
    return same;
}

int pdf_obj_equal(const pdf_obj *a, const pdf_obj *b)
{
    size_t i;

    if (a == b)
        return 1;
    if (a == NULL || b == NULL || a->type != b->type)
        return 0;
    switch (a->type) {
    case PDF_NULL:
        return 1;
    case PDF_BOOL:
        return !a->u.boolean == !b->u.boolean;
    case PDF_INT:
        return a->u.integer == b->u.integer;
    case PDF_REAL:
        return a->u.real == b->u.real;
    case PDF_STRING:
    case PDF_NAME:
        return a->u.str.len == b->u.str.len &&
               (a->u.str.len == 0 || memcmp(a->u.str.data, b->u.str.data, a->u.str.len) == 0);
    case PDF_ARRAY:
        if (a->u.array.len != b->u.array.len)
            return 0;
        for (i = 0; i < a->u.array.len; i++)
            if (!pdf_obj_equal(a->u.array.items[i], b->u.array.items[i]))
                return 0;
        return 1;
    case PDF_DICT:
        return a->u.dict.len == b->u.dict.len && equal_dict(a, b);
    case PDF_REF:
        return a->u.ref.num == b->u.ref.num && a->u.ref.gen == b->u.ref.gen;
    case PDF_STREAM:
        return a->u.stream.raw_len == b->u.stream.raw_len &&
               pdf_obj_equal(a->u.stream.dict, b->u.stream.dict) &&
               (a->u.stream.raw_len == 0 ||
                memcmp(a->u.stream.raw, b->u.stream.raw, a->u.stream.raw_len) == 0);
    }
    return 0;
}

void pdf_name_print(char *buf, size_t size, const pdf_obj *name)
{
    size_t i, n = name->u.str.len < size - 1 ? name->u.str.len : size - 1;

    for (i = 0; i < n; i++) {
        unsigned char c = name->u.str.data[i];
        buf[i] = c > 0x20 && c < 0x7f ? (char)c : '?';
    }
    buf[n] = '\0';
}

const pdf_obj *pdf_doc_dict_get_quiet(pdf_doc *doc, const pdf_obj *dict, const char *key)
{
    const pdf_obj *out = NULL;

    /* not a dictionary: pdf_doc_dict_get() finds nothing */
    if (pdf_doc_dict_get(doc, dict, key, &out, NULL) != ESEAL_OK)
        return NULL;
    return out;
}

const pdf_obj *pdf_doc_resolve_quiet(pdf_doc *doc, const pdf_obj *o)
{
    const pdf_obj *out = NULL;

    if (o == NULL || pdf_doc_resolve(doc, o, &out, NULL) != ESEAL_OK)
        return NULL;
    return out;
}
