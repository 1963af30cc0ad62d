/* test_stamp.c - the PNG decoder, and the visible stamp's PDF objects rendered by poppler. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "buf_int.h"
#include "pdf_stamp_int.h"
#include "png_int.h"
#include "testutil.h"

#define TEST_BUF_MAX ((size_t)256 * 1024 * 1024)
#define TEST_WHEN 1714979289 /* 2024-05-06 07:08:09 UTC */
#define TEST_HOLDER "示例有限公司电子印章"

/* A test PNG: size, kind and chunks around pixels given unfiltered, rows packed as in the
 * file.  Row y is filtered with filter type y % 5, or bad_filter for row 0 when not 0. */
struct spec {
    uint32_t width, height;
    unsigned depth, type, interlace, bad_filter;
    const unsigned char *plte, *trns;
    size_t plte_len, trns_len;
    size_t idat_split; /* compressed bytes per IDAT chunk; 0: one chunk */
};

static const unsigned spec_samples[7] = {1, 0, 3, 1, 2, 0, 4};

static size_t spec_row_bytes(const struct spec *s)
{
    return ((size_t)s->width * s->depth * spec_samples[s->type] + 7) / 8;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void put_chunk(eseal_buf *b, const char *type, const void *data, size_t n)
{
    unsigned char head[8], tail[4];
    uLong crc = crc32(0L, Z_NULL, 0);

    put_be32(head, (uint32_t)n);
    memcpy(head + 4, type, 4);
    crc = crc32(crc, head + 4, 4);
    if (n > 0)
        crc = crc32(crc, data, (uInt)n);
    put_be32(tail, (uint32_t)crc);
    eseal_buf_append(b, head, 8);
    eseal_buf_append(b, data, n);
    eseal_buf_append(b, tail, 4);
}

/* The signature, IHDR and the PLTE and tRNS of s. */
static void png_start(eseal_buf *b, const struct spec *s)
{
    unsigned char ihdr[13];

    eseal_buf_init(b, TEST_BUF_MAX);
    eseal_buf_append(b, "\x89PNG\r\n\x1a\n", 8);
    put_be32(ihdr, s->width);
    put_be32(ihdr + 4, s->height);
    ihdr[8] = (unsigned char)s->depth;
    ihdr[9] = (unsigned char)s->type;
    ihdr[10] = ihdr[11] = 0;
    ihdr[12] = (unsigned char)s->interlace;
    put_chunk(b, "IHDR", ihdr, sizeof(ihdr));
    if (s->plte != NULL)
        put_chunk(b, "PLTE", s->plte, s->plte_len);
    if (s->trns != NULL)
        put_chunk(b, "tRNS", s->trns, s->trns_len);
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* The rows of s filtered and compressed: *len bytes, free(). */
static unsigned char *png_zdata(const struct spec *s, const unsigned char *rows, size_t *len)
{
    size_t rb = spec_row_bytes(s), step = (s->depth * spec_samples[s->type] + 7) / 8, i;
    size_t raw_len = s->height * (rb + 1);
    unsigned char *raw = malloc(raw_len), *z;
    uLongf zlen = compressBound(raw_len);
    uint32_t y;

    assert_non_null(raw);
    for (y = 0; y < s->height; y++) {
        const unsigned char *row = rows + y * rb, *prev = y > 0 ? row - rb : NULL;
        unsigned char *out = raw + y * (rb + 1);
        unsigned f = y == 0 && s->bad_filter ? s->bad_filter : y % 5;

        out[0] = (unsigned char)f;
        for (i = 0; i < rb; i++) {
            int left = i >= step ? row[i - step] : 0, up = prev ? prev[i] : 0;
            int ul = prev && i >= step ? prev[i - step] : 0;
            int pred = f == 1   ? left
                       : f == 2 ? up
                       : f == 3 ? (left + up) / 2
                       : f == 4 ? paeth(left, up, ul)
                                : 0;
            out[1 + i] = (unsigned char)(row[i] - pred);
        }
    }
    z = malloc(zlen);
    assert_non_null(z);
    assert_int_equal(compress2(z, &zlen, raw, raw_len, 9), Z_OK);
    free(raw);
    *len = zlen;
    return z;
}

/* A whole PNG of s with the given rows, in b (eseal_buf_free() it). */
static void make_png(eseal_buf *b, const struct spec *s, const unsigned char *rows)
{
    size_t zlen, at, n;
    unsigned char *z = png_zdata(s, rows, &zlen);

    png_start(b, s);
    put_chunk(b, "tEXt", "Comment\0made by test_stamp", 26);
    for (at = 0; at < zlen; at += n) {
        n = s->idat_split ? s->idat_split : zlen;
        if (n > zlen - at)
            n = zlen - at;
        put_chunk(b, "IDAT", z + at, n);
        if (s->idat_split)
            put_chunk(b, "IDAT", "", 0); /* empty IDAT chunks are allowed */
    }
    put_chunk(b, "IEND", "", 0);
    assert_int_equal(b->failed, ESEAL_OK);
    free(z);
}

/* Pack one sample per entry of values (depth bits each) into rows as PNG stores them. */
static unsigned char *pack(const struct spec *s, const unsigned *values)
{
    size_t rb = spec_row_bytes(s), per_row = (size_t)s->width * spec_samples[s->type], i;
    unsigned char *rows = calloc(s->height, rb);
    uint32_t y;

    assert_non_null(rows);
    for (y = 0; y < s->height; y++) {
        unsigned char *row = rows + y * rb;
        for (i = 0; i < per_row; i++) {
            unsigned v = values[y * per_row + i];
            if (s->depth == 16) {
                row[2 * i] = (unsigned char)(v >> 8);
                row[2 * i + 1] = (unsigned char)v;
            } else if (s->depth == 8) {
                row[i] = (unsigned char)v;
            } else {
                v &= (1u << s->depth) - 1;
                row[i * s->depth / 8] |= (unsigned char)(v << (8 - s->depth - i * s->depth % 8));
            }
        }
    }
    return rows;
}

static unsigned next_random(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

static unsigned to8(unsigned v, unsigned depth)
{
    return (unsigned)lround(v * 255.0 / ((1u << depth) - 1));
}

/* Every colour type at every bit depth, 13x7 pixels with every row filter, comes back with
 * the samples it was made of, scaled to 8 bits, and with the transparency it was given. */
static void check_kind(unsigned type, unsigned depth, size_t idat_split)
{
    struct spec s = {13, 7, depth, type, 0, 0, NULL, NULL, 0, 0, idat_split};
    unsigned samples = spec_samples[type], state = type * 100 + depth, max = (1u << depth) - 1;
    size_t pixels = 13 * 7, i, c, colours = 0;
    unsigned *values = calloc(pixels * samples, sizeof(unsigned));
    unsigned char plte[768], trns[256];
    unsigned char *rows;
    int transparent = 0;
    eseal_error err;
    eseal_png png;
    eseal_buf b;

    assert_non_null(values);
    if (type == 3) {
        colours = depth == 8 ? 200 : 1u << depth;
        for (i = 0; i < 3 * colours; i++)
            plte[i] = (unsigned char)next_random(&state);
        for (i = 0; i < colours / 2 + 1; i++)
            trns[i] = (unsigned char)(i == 0 ? 0 : next_random(&state));
        s.plte = plte, s.plte_len = 3 * colours;
        s.trns = trns, s.trns_len = colours / 2 + 1;
    }
    for (i = 0; i < pixels * samples; i++)
        values[i] = type == 3 ? next_random(&state) % colours : next_random(&state) & max;
    if (type == 0 || type == 2) { /* pixel 0's colour is transparent */
        for (c = 0; c < samples; c++) {
            trns[2 * c] = (unsigned char)(values[c] >> 8);
            trns[2 * c + 1] = (unsigned char)values[c];
        }
        s.trns = trns, s.trns_len = 2 * samples;
    }
    rows = pack(&s, values);
    make_png(&b, &s, rows);
    if (eseal_png_decode(&png, b.data, b.len, &err) != ESEAL_OK)
        fail_msg("type %u depth %u: %s", type, depth, err.message);
    assert_int_equal(png.width, 13);
    assert_int_equal(png.height, 7);
    assert_int_equal(png.channels, type == 0 || type == 4 ? 1 : 3);
    assert_non_null(png.alpha); /* every kind made here has a transparent pixel */
    for (i = 0; i < pixels; i++) {
        const unsigned *v = values + i * samples;
        unsigned alpha = 255;
        if (type == 3) {
            for (c = 0; c < 3; c++)
                assert_int_equal(png.color[3 * i + c], plte[3 * v[0] + c]);
            alpha = v[0] < s.trns_len ? trns[v[0]] : 255;
        } else {
            for (c = 0; c < png.channels; c++)
                assert_int_equal(png.color[png.channels * i + c], to8(v[c], depth));
            if (type & 4)
                alpha = to8(v[png.channels], depth);
            else if (memcmp(v, values, samples * sizeof(unsigned)) == 0)
                alpha = 0;
        }
        assert_int_equal(png.alpha[i], alpha);
        transparent |= alpha != 255;
    }
    assert_true(transparent);
    eseal_png_free(&png);
    eseal_buf_free(&b);
    free(rows);
    free(values);
}

static void test_png_kinds(void **state)
{
    static const unsigned kinds[][2] = {{0, 1}, {0, 2},  {0, 4},  {0, 8}, {0, 16},
                                        {2, 8}, {2, 16}, {3, 1},  {3, 2}, {3, 4},
                                        {3, 8}, {4, 8},  {4, 16}, {6, 8}, {6, 16}};
    size_t i;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        check_kind(kinds[i][0], kinds[i][1], 0);
        check_kind(kinds[i][0], kinds[i][1], 5); /* many small IDAT chunks */
    }
}

/* An RGBA image whose alpha is all 255, and an RGB image, have no alpha plane. */
static void test_png_opaque(void **state)
{
    struct spec s = {3, 2, 8, 6, 0, 0, NULL, NULL, 0, 0, 0};
    unsigned values[24], i;
    unsigned char *rows;
    eseal_png png;
    eseal_buf b;

    for (i = 0; i < 24; i++)
        values[i] = i % 4 == 3 ? 255 : i * 10;
    rows = pack(&s, values);
    make_png(&b, &s, rows);
    assert_int_equal(eseal_png_decode(&png, b.data, b.len, NULL), ESEAL_OK);
    assert_null(png.alpha);
    assert_int_equal(png.channels, 3);
    assert_int_equal(png.color[3], 40);
    eseal_png_free(&png);
    eseal_buf_free(&b);
    free(rows);
}

/* A small valid RGBA image, for the broken variants below. */
static void make_small(eseal_buf *b, struct spec *s)
{
    unsigned values[4 * 4 * 4], state = 7, i;
    unsigned char *rows;

    for (i = 0; i < 64; i++)
        values[i] = next_random(&state) & 255;
    rows = pack(s, values);
    make_png(b, s, rows);
    free(rows);
}

static void expect_refused(const unsigned char *data, size_t len, int code, const char *why)
{
    eseal_error err;
    eseal_png png;
    int rc = eseal_png_decode(&png, data, len, &err);

    if (rc != code || strstr(err.message, why) == NULL)
        fail_msg("expected %d with \"%s\", got %d: %s", code, why, rc, rc ? err.message : "");
    assert_null(png.color);
    assert_null(png.alpha);
}

/* An image with IHDR s whose IDAT is the n bytes at z, and maybe a chunk between two IDAT. */
static void expect_refused_idat(const struct spec *s, const unsigned char *z, size_t n,
                                const char *between, int code, const char *why)
{
    eseal_buf b;

    png_start(&b, s);
    put_chunk(&b, "IDAT", z, n / 2);
    if (between != NULL)
        put_chunk(&b, between, "x", 1);
    put_chunk(&b, "IDAT", z + n / 2, n - n / 2);
    put_chunk(&b, "IEND", "", 0);
    expect_refused(b.data, b.len, code, why);
    eseal_buf_free(&b);
}

static void test_png_broken(void **state)
{
    struct spec s = {4, 4, 8, 6, 0, 0, NULL, NULL, 0, 0, 0};
    unsigned char *copy, zeros[5 * 16] = {0}, *z, plte[6] = {0};
    size_t zlen = compressBound(10 * 1000 * 1000), i, at;
    unsigned char *bomb_raw = calloc(10 * 1000 * 1000, 1);
    eseal_buf b;

    make_small(&b, &s);
    copy = malloc(b.len);
    assert_non_null(copy);

    expect_refused((const unsigned char *)"GIF89a", 6, ESEAL_ERR_FORMAT, "not a PNG");
    memcpy(copy, b.data, b.len);
    copy[b.len - 20] ^= 0x40; /* inside the last IDAT */
    expect_refused(copy, b.len, ESEAL_ERR_FORMAT, "CRC");
    expect_refused(b.data, b.len - 30, ESEAL_ERR_FORMAT, "runs past the end");
    expect_refused(b.data, b.len - 12, ESEAL_ERR_FORMAT, "IEND is missing");
    expect_refused(b.data, b.len - 1, ESEAL_ERR_FORMAT, "IEND is missing");
    eseal_buf_append(&b, "junk", 4);
    expect_refused(b.data, b.len, ESEAL_ERR_FORMAT, "4 bytes after IEND");
    eseal_buf_free(&b);

    /* Every truncation and every changed byte of a valid file is refused, cleanly. */
    make_small(&b, &s);
    for (i = 0; i < b.len; i++) {
        eseal_png png;
        assert_int_not_equal(eseal_png_decode(&png, b.data, i, NULL), ESEAL_OK);
        memcpy(copy, b.data, b.len);
        copy[i] ^= (unsigned char)(1u << (i % 8));
        assert_int_not_equal(eseal_png_decode(&png, copy, b.len, NULL), ESEAL_OK);
    }
    eseal_buf_free(&b);
    free(copy);

    s.interlace = 1;
    make_small(&b, &s);
    expect_refused(b.data, b.len, ESEAL_ERR_FORMAT, "interlaced");
    eseal_buf_free(&b);
    s.interlace = 0;

    s.width = 5000;
    png_start(&b, &s);
    expect_refused(b.data, b.len, ESEAL_ERR_LIMIT, "larger than the 4096x4096");
    eseal_buf_free(&b);
    s.width = s.height = 4096, s.depth = 16; /* 128 MiB of image data */
    png_start(&b, &s);
    expect_refused(b.data, b.len, ESEAL_ERR_LIMIT, "more than the");
    eseal_buf_free(&b);
    s.width = 0, s.height = 4, s.depth = 8;
    png_start(&b, &s);
    expect_refused(b.data, b.len, ESEAL_ERR_FORMAT, "impossible size");
    eseal_buf_free(&b);
    s.width = 4, s.depth = 4; /* RGBA has no 4-bit samples */
    png_start(&b, &s);
    expect_refused(b.data, b.len, ESEAL_ERR_FORMAT, "bit depth 4 is not allowed");
    eseal_buf_free(&b);
    s.depth = 8;

    s.bad_filter = 5;
    make_small(&b, &s);
    expect_refused(b.data, b.len, ESEAL_ERR_FORMAT, "unknown filter type 5");
    eseal_buf_free(&b);
    s.bad_filter = 0;

    /* Image data cut short, too long, a zlib bomb, IDAT chunks interrupted. */
    z = png_zdata(&s, zeros, &at);
    expect_refused_idat(&s, z, at - 6, NULL, ESEAL_ERR_FORMAT, "cut short");
    expect_refused_idat(&s, z, at, "tEXt", ESEAL_ERR_FORMAT, "not consecutive");
    expect_refused_idat(&s, z, at, "zzZz", ESEAL_ERR_FORMAT, "not consecutive");
    free(z);
    s.height = 5; /* the data of 4 rows and more */
    z = png_zdata(&s, zeros, &at);
    s.height = 4;
    expect_refused_idat(&s, z, at, NULL, ESEAL_ERR_FORMAT, "more image data than");
    free(z);
    z = malloc(zlen);
    assert_non_null(z);
    assert_non_null(bomb_raw);
    assert_int_equal(compress2(z, &zlen, bomb_raw, 10 * 1000 * 1000, 9), Z_OK);
    expect_refused_idat(&s, z, zlen, NULL, ESEAL_ERR_FORMAT, "more image data than");
    free(z);
    free(bomb_raw);

    /* Chunks where they do not belong, or unknown and critical. */
    png_start(&b, &s);
    put_chunk(&b, "ABCD", "", 0);
    expect_refused(b.data, b.len, ESEAL_ERR_FORMAT, "unknown chunk that the image needs");
    eseal_buf_free(&b);
    png_start(&b, &s);
    put_chunk(&b, "IEND", "", 0);
    expect_refused(b.data, b.len, ESEAL_ERR_FORMAT, "after IDAT");
    eseal_buf_free(&b);
    s.plte = plte, s.plte_len = 6;
    png_start(&b, &s);
    put_chunk(&b, "IHDR", "", 0);
    expect_refused(b.data, b.len, ESEAL_ERR_FORMAT, "expected IHDR first and only there");
    eseal_buf_free(&b);
    s.type = 3, s.depth = 1, s.plte = NULL;
    make_small(&b, &s);
    expect_refused(b.data, b.len, ESEAL_ERR_FORMAT, "needs PLTE");
    eseal_buf_free(&b);
    s.plte = plte, s.plte_len = 3;
    {
        unsigned values[16] = {0, 1};
        unsigned char *rows = pack(&s, values);
        make_png(&b, &s, rows);
        free(rows);
    }
    expect_refused(b.data, b.len, ESEAL_ERR_FORMAT, "pixel (1, 0) is colour 1 of a palette of 1");
    eseal_buf_free(&b);
    s.type = 0, s.depth = 8, s.plte = NULL;
    s.trns = plte, s.trns_len = 3;
    png_start(&b, &s);
    expect_refused(b.data, b.len, ESEAL_ERR_FORMAT, "tRNS at offset 33: 3 bytes long, expected 2");
    eseal_buf_free(&b);
}

/* A red round seal with a star, transparent around it and anti-aliased: size x size RGBA. */
static void make_seal_png(eseal_buf *b, uint32_t size)
{
    struct spec s = {size, size, 8, 6, 0, 0, NULL, NULL, 0, 0, 0};
    unsigned *values = calloc((size_t)size * size * 4, sizeof(unsigned));
    double cx = size / 2.0, radius = size / 2.0 - 1, star[10][2];
    unsigned char *rows;
    uint32_t x, y;
    int k, j, sub, hits;

    assert_non_null(values);
    for (k = 0; k < 10; k++) {
        double r = k % 2 ? radius * 0.19 : radius * 0.5, a = M_PI / 2 + k * M_PI / 5;
        star[k][0] = cx + r * cos(a);
        star[k][1] = cx - r * sin(a);
    }
    for (y = 0; y < size; y++) {
        for (x = 0; x < size; x++) {
            for (sub = 0, hits = 0; sub < 16; sub++) { /* 4x4 samples a pixel */
                double px = x + (sub % 4 + 0.5) / 4, py = y + (sub / 4 + 0.5) / 4;
                double d = hypot(px - cx, py - cx);
                int in_star = 0;
                for (k = 0, j = 9; k < 10; j = k++)
                    if ((star[k][1] > py) != (star[j][1] > py) &&
                        px < (star[j][0] - star[k][0]) * (py - star[k][1]) /
                                     (star[j][1] - star[k][1]) +
                                 star[k][0])
                        in_star = !in_star;
                hits += (d <= radius && d >= radius * 0.86) || in_star;
            }
            unsigned *p = values + ((size_t)y * size + x) * 4;
            p[0] = 200, p[1] = 16, p[2] = 30, p[3] = hits * 255 / 16;
        }
    }
    rows = pack(&s, values);
    make_png(b, &s, rows);
    free(rows);
    free(values);
}

/* The hex string of an ASCII text in UTF-16BE, as the stamp writes it. */
static const char *hex16(const char *text)
{
    static char out[512];
    size_t i;

    for (i = 0; text[i] != '\0' && 4 * i + 4 < sizeof(out); i++)
        snprintf(out + 4 * i, 5, "%04X", (unsigned char)text[i]);
    return out;
}

/* Check the objects pdf_stamp_write() wrote: numbered from first at their offsets, streams
 * of their exact /Length; returns the inflated appearance stream (free()). */
static char *check_objects(const eseal_buf *b, uint32_t first, const uint64_t *offsets,
                           uint32_t count)
{
    char head[32], *content = NULL;
    uint32_t i;

    for (i = 0; i < count; i++) {
        const char *obj = (const char *)b->data + offsets[i];
        size_t end = i + 1 < count ? offsets[i + 1] : b->len;
        const char *len_at = strstr(obj, "/Length "), *stream = strstr(obj, ">>\nstream\r\n");

        snprintf(head, sizeof(head), "%u 0 obj\n<<", first + i);
        assert_memory_equal(obj, head, strlen(head));
        assert_memory_equal(b->data + end - 8, "\nendobj\n", 8);
        if (stream != NULL && stream < (const char *)b->data + end) {
            size_t n = strtoul(len_at + 8, NULL, 10);
            const char *data = stream + 11;
            assert_true(len_at < stream);
            assert_int_equal(data + n + 19 - obj, end - offsets[i]);
            assert_memory_equal(data + n, "\r\nendstream\nendobj\n", 19);
            assert_true(strstr(obj, "/Filter /FlateDecode") < stream);
            if (i == 0) {
                uLongf out_len = 65536;
                content = calloc(out_len + 1, 1);
                assert_non_null(content);
                assert_int_equal(uncompress((Bytef *)content, &out_len, (const Bytef *)data, n),
                                 Z_OK);
            }
        }
    }
    assert_non_null(content);
    return content;
}

/* Write the stamp of holder into a buffer at object 7 and return its inflated content. */
static char *stamp_content(const unsigned char *png, size_t len, const char *holder, time_t when,
                           uint32_t *count, int *tj)
{
    pdf_stamp *stamp;
    eseal_error err;
    uint64_t offsets[8];
    eseal_buf b;
    char *content;
    const char *p;

    if (pdf_stamp_new(&stamp, png, len, holder, when, &err) != ESEAL_OK)
        fail_msg("%s", err.message);
    *count = pdf_stamp_object_count(stamp);
    eseal_buf_init(&b, TEST_BUF_MAX);
    eseal_buf_puts(&b, "%PDF-1.7\n");
    assert_int_equal(pdf_stamp_write(stamp, 7, 0, &b, offsets), ESEAL_OK);
    content = check_objects(&b, 7, offsets, *count);
    for (*tj = 0, p = content; (p = strstr(p, " Tj\n")) != NULL; p++)
        ++*tj;
    eseal_buf_free(&b);
    pdf_stamp_free(stamp);
    return content;
}

static void test_stamp_text(void **state)
{
    char *content, holder[256], cut[128];
    uint32_t count;
    eseal_buf png;
    int tj;
    size_t i;

    make_seal_png(&png, 40);
    content = stamp_content(png.data, png.len, TEST_HOLDER, TEST_WHEN, &count, &tj);
    assert_int_equal(count, 5);
    assert_int_equal(tj, 2);
    assert_non_null(strstr(content, "<793A4F8B67099650516C53F875355B5053707AE0> Tj"));
    assert_non_null(strstr(content, hex16("2024-05-06 07:08 UTC")));
    assert_non_null(strstr(content, "120 0 0 120 0 ")); /* a square image fills the width */
    free(content);

    /* A long Latin name wraps at a space, onto two lines; */
    content =
        stamp_content(png.data, png.len, "Example Seal Holding Corporation International Limited",
                      0, &count, &tj);
    assert_int_equal(tj, 3);
    assert_non_null(strstr(content, hex16("1970-01-01 00:00 UTC")));
    assert_null(strstr(content, "<0020"));
    assert_null(strstr(content, "0020>"));
    assert_null(strstr(content, "2026>"));
    free(content);
    /* a longer Chinese one is cut with an ellipsis after 17 + 16 characters; */
    for (i = 0; i < 40; i++)
        memcpy(holder + 3 * i, "印", 3);
    holder[3 * 40] = '\0';
    cut[0] = '<';
    for (i = 0; i < 17; i++)
        memcpy(cut + 1 + 4 * i, "5370", 4);
    memcpy(cut + 1 + 4 * 17, "> Tj", 5);
    content = stamp_content(png.data, png.len, holder, 0, &count, &tj);
    assert_int_equal(tj, 3);
    assert_non_null(strstr(content, cut));
    memcpy(cut + 1 + 4 * 16, "2026> Tj", 9);
    assert_non_null(strstr(content, cut));
    free(content);
    /* more than 64 characters are cut even when they would fit; */
    memset(holder, 'i', 100);
    holder[100] = '\0';
    content = stamp_content(png.data, png.len, holder, 0, &count, &tj);
    assert_non_null(strstr(content, "2026> Tj"));
    free(content);
    /* bytes that are not UTF-8 become U+FFFD, control characters a space, and characters
     * beyond the BMP a surrogate pair; no holder leaves the time alone. */
    content = stamp_content(png.data, png.len, "A\xff\tB\xf0\xa0\x80\x80", 0, &count, &tj);
    assert_non_null(strstr(content, "<0041FFFD00200042D840DC00> Tj"));
    free(content);
    content = stamp_content(png.data, png.len, NULL, 0, &count, &tj);
    assert_int_equal(tj, 1);
    free(content);
    eseal_buf_free(&png);
}

/* Whether the bytes of b hold text. */
static int has(const eseal_buf *b, const char *text)
{
    size_t n = strlen(text), i;

    for (i = 0; i + n <= b->len; i++)
        if (memcmp(b->data + i, text, n) == 0)
            return 1;
    return 0;
}

static void test_stamp_objects(void **state)
{
    struct spec s = {4, 2, 8, 0, 0, 0, NULL, NULL, 0, 0, 0};
    unsigned values[8] = {0, 50, 100, 150, 200, 250, 255, 1};
    unsigned char *rows = pack(&s, values);
    uint64_t offsets[8];
    pdf_stamp *stamp;
    eseal_error err;
    double w, h;
    eseal_buf png, b;

    /* An opaque gray image: DeviceGray, no soft mask, four objects; 120 x 60 pt image. */
    make_png(&png, &s, rows);
    assert_int_equal(pdf_stamp_new(&stamp, png.data, png.len, "Seal", 0, &err), ESEAL_OK);
    assert_int_equal(pdf_stamp_object_count(stamp), 4);
    pdf_stamp_size(stamp, &w, &h);
    assert_true(w == 120.0);
    assert_true(h == 80.0); /* 60 pt of image, 20 pt for two lines of text */
    eseal_buf_init(&b, TEST_BUF_MAX);
    assert_int_equal(pdf_stamp_write(stamp, 1, 0, &b, offsets), ESEAL_OK);
    free(check_objects(&b, 1, offsets, 4));
    assert_true(has(&b, "/ColorSpace /DeviceGray"));
    assert_false(has(&b, "/SMask"));
    assert_true(has(&b, "/Font << /F0 3 0 R >>"));
    assert_true(has(&b, "/FontDescriptor 4 0 R"));
    assert_true(has(&b, "/W [1 [207 270 342 "));
    eseal_buf_free(&b);

    /* A buffer too small: the write fails with the buffer's status. */
    eseal_buf_init(&b, 100);
    assert_int_equal(pdf_stamp_write(stamp, 1, 0, &b, offsets), ESEAL_ERR_LIMIT);
    eseal_buf_free(&b);
    pdf_stamp_free(stamp);

    /* A broken image: the reason, and no stamp. */
    png.data[png.len - 1] ^= 1;
    assert_int_equal(pdf_stamp_new(&stamp, png.data, png.len, "Seal", 0, &err), ESEAL_ERR_FORMAT);
    assert_null(stamp);
    assert_non_null(strstr(err.message, "CRC"));
    pdf_stamp_free(NULL);
    eseal_buf_free(&png);
    free(rows);
}


/* A two-page PDF: page 1 draws the stamp in its content, page 2 shows it as the appearance
 * of a signature widget; each page is the stamp plus a 10 pt margin. */
static void write_pdf(const char *path, const pdf_stamp *stamp)
{
    uint64_t offsets[16], stamp_offsets[8];
    uint32_t i, count = pdf_stamp_object_count(stamp), size;
    const char *draw = "q 1 0 0 1 10 10 cm /Fm0 Do Q\n";
    double w, h;
    eseal_buf b;
    FILE *f;

    pdf_stamp_size(stamp, &w, &h);
    eseal_buf_init(&b, TEST_BUF_MAX);
    eseal_buf_puts(&b, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    offsets[1] = b.len;
    eseal_buf_puts(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R] "
                       "/SigFlags 1 >> >>\nendobj\n");
    offsets[2] = b.len;
    eseal_buf_puts(&b, "2 0 obj\n<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>\nendobj\n");
    offsets[3] = b.len;
    eseal_buf_printf(&b,
                     "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
                     "/Resources << /XObject << /Fm0 8 0 R >> >> /Contents 4 0 R >>\nendobj\n",
                     w + 20, h + 20);
    offsets[4] = b.len;
    eseal_buf_printf(&b, "4 0 obj\n<< /Length %zu >>\nstream\n%sendstream\nendobj\n", strlen(draw),
                     draw);
    offsets[5] = b.len;
    eseal_buf_printf(&b,
                     "5 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
                     "/Resources << >> /Annots [7 0 R] >>\nendobj\n",
                     w + 20, h + 20);
    offsets[6] = b.len;
    eseal_buf_puts(&b, "6 0 obj\n<< /Type /Sig >>\nendobj\n");
    offsets[7] = b.len;
    eseal_buf_printf(&b,
                     "7 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Seal) /V 6 0 R "
                     "/F 4 /P 5 0 R /Rect [10 10 %.2f %.2f] /AP << /N 8 0 R >> >>\nendobj\n",
                     w + 10, h + 10);
    assert_int_equal(pdf_stamp_write(stamp, 8, 0, &b, stamp_offsets), ESEAL_OK);
    size = 8 + count;
    for (i = 0; i < count; i++)
        offsets[8 + i] = stamp_offsets[i];
    offsets[0] = b.len;
    eseal_buf_printf(&b, "xref\n0 %u\n0000000000 65535 f \n", size);
    for (i = 1; i < size; i++)
        eseal_buf_printf(&b, "%010llu 00000 n \n", (unsigned long long)offsets[i]);
    eseal_buf_printf(&b, "trailer\n<< /Size %u /Root 1 0 R >>\nstartxref\n%llu\n%%%%EOF\n", size,
                     (unsigned long long)offsets[0]);
    assert_int_equal(b.failed, ESEAL_OK);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
    assert_int_equal(fclose(f), 0);
    eseal_buf_free(&b);
}

/* The pixel at (x, y) points from the page's top left corner of a 72 dpi rendering. */
static const unsigned char *pixel(const eseal_png *page, double x, double y)
{
    return page->color + 3 * ((size_t)y * page->width + (size_t)x);
}

/* A rendered page: red seal at the top of the stamp, transparent around it, text below. */
static void check_rendering(const char *path, double w, double h)
{
    double text_h = h - w, cx = 10 + w / 2, cy = 10 + w / 2; /* from the top left */
    const unsigned char *p;
    unsigned char *data;
    eseal_error err;
    eseal_png page;
    size_t len, dark = 0;
    double x, y;

    data = testutil_read_file(path, &len);
    if (eseal_png_decode(&page, data, len, &err) != ESEAL_OK)
        fail_msg("%s: %s", path, err.message);
    assert_int_equal(page.channels, 3);
    assert_true(page.width >= (uint32_t)(w + 19) && page.height >= (uint32_t)(h + 19));
    p = pixel(&page, cx, cy); /* the star's centre */
    assert_true(p[0] > 150 && p[1] < 90 && p[2] < 90);
    p = pixel(&page, cx + w * 0.46, cy); /* on the ring */
    assert_true(p[0] > 150 && p[1] < 90 && p[2] < 90);
    p = pixel(&page, 13, 13); /* the image's transparent corner shows the white page */
    assert_true(p[0] > 240 && p[1] > 240 && p[2] > 240);
    p = pixel(&page, cx + w * 0.3, cy); /* between star and ring */
    assert_true(p[0] > 240 && p[1] > 240 && p[2] > 240);
    for (y = 10 + w; y < 10 + w + text_h; y++)
        for (x = 10; x < 10 + w; x++) {
            p = pixel(&page, x, y);
            dark += p[0] < 128 && p[1] < 128 && p[2] < 128;
        }
    assert_true(dark > 40); /* two lines of text */
    eseal_png_free(&page);
    free(data);
}

static int have(const char *tool)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

static void test_stamp_renders(void **state)
{
    char pdf[512], cmd[2048], page[600];
    pdf_stamp *stamp;
    eseal_error err;
    eseal_buf png;
    double w, h;

    if (!have("qpdf") || !have("pdftoppm"))
        skip();
    make_seal_png(&png, 240);
    if (pdf_stamp_new(&stamp, png.data, png.len, TEST_HOLDER, TEST_WHEN, &err) != ESEAL_OK)
        fail_msg("%s", err.message);
    pdf_stamp_size(stamp, &w, &h);
    snprintf(pdf, sizeof(pdf), "%s/stamp.pdf", testutil_tmpdir());
    write_pdf(pdf, stamp);
    snprintf(cmd, sizeof(cmd), "qpdf --check '%s' >/dev/null", pdf);
    assert_int_equal(system(cmd), 0);
    /* poppler reports what it cannot draw and carries on: it must report nothing.  Without
     * poppler-data (the CMaps of CJK fonts) it says "Missing language pack for 'Adobe-GB1'". */
    snprintf(cmd, sizeof(cmd),
             "out=$(pdftoppm -r 72 -png '%s' '%s/page' 2>&1) && [ -z \"$out\" ] || "
             "{ echo \"pdftoppm: $out\" >&2; exit 1; }",
             pdf, testutil_tmpdir());
    if (system(cmd) != 0)
        fail_msg("pdftoppm could not render the stamp (is poppler-data installed?)");
    snprintf(page, sizeof(page), "%s/page-1.png", testutil_tmpdir());
    check_rendering(page, w, h);
    snprintf(page, sizeof(page), "%s/page-2.png", testutil_tmpdir());
    check_rendering(page, w, h);
    if (have("mutool")) {
        /* the same for mupdf, but for the note of Debian's build that it has no colour
         * management (printed for any soft mask) */
        snprintf(cmd, sizeof(cmd),
                 "out=$(mutool draw -q -r 72 -o '%s/mupage-%%d.png' '%s' 2>&1 | "
                 "grep -v '^warning: ICC support is not available$'); [ -z \"$out\" ] || "
                 "{ echo \"mutool: $out\" >&2; exit 1; }",
                 testutil_tmpdir(), pdf);
        assert_int_equal(system(cmd), 0);
        snprintf(page, sizeof(page), "%s/mupage-1.png", testutil_tmpdir());
        check_rendering(page, w, h);
    }
    pdf_stamp_free(stamp);
    eseal_buf_free(&png);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_kinds),     cmocka_unit_test(test_png_opaque),
        cmocka_unit_test(test_png_broken),    cmocka_unit_test(test_stamp_text),
        cmocka_unit_test(test_stamp_objects), cmocka_unit_test(test_stamp_renders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
